package reimbursement

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
)

// Limits bounds every cost of loading a tariff and of evaluating its
// expressions. A tariff is a document written by a municipality and
// loaded by systems that serve many users: it can be wrong, never
// dangerous. Each limit is checked before the work it bounds, and a
// tariff over a limit is refused with a *TariffError naming the file, the
// line, the path and the component.
//
// A zero field takes its default (a limit of zero is not meaningful), and
// a negative one is an error (Validate) that the Loader returns; the
// defaults, given with each field, are generous for every tariff seen in
// practice (the largest, a KSI price list, has a few hundred rates) and
// keep the refusal of a hostile document within milliseconds and a few
// megabytes.
type Limits struct {
	// MaxDocumentBytes bounds the size of a tariff file. Default 1 MiB,
	// a hundred times the largest tariff seen.
	MaxDocumentBytes int
	// MaxJSONDepth bounds the nesting of JSON objects and arrays.
	// Default 32.
	MaxJSONDepth int
	// MaxExprBytes bounds the length of one expression, checked before
	// the expression is parsed. Default 2 000.
	MaxExprBytes int
	// MaxExprDepth bounds the nesting of parentheses, brackets and
	// braces in an expression, checked before it is parsed (other nesting,
	// such as a chain of operators, is bounded by MaxExprBytes). Default 16.
	MaxExprDepth int
	// MaxExprNodes bounds the syntax tree of an expression. Default
	// MaxExprNodes.
	MaxExprNodes int
	// MaxLiteralBytes bounds a string literal or a key in an expression,
	// a table key, the name of the version, a zone, a band and the name
	// and label of a component or an adjustment; ten of them, the
	// version's source.
	// Default 200.
	MaxLiteralBytes int
	// MaxIntegerDigits and MaxFractionDigits bound a decimal written in
	// the tariff (a rate, a number in an expression, a share): digits
	// before and after the point. Defaults 12 and 10.
	MaxIntegerDigits, MaxFractionDigits int
	// MaxTableEntries bounds the rates of one table, counted at every
	// level, and, eight times over, the entries its wildcards combine
	// into (a lookup reads one key a level). Default 20 000.
	MaxTableEntries int
	// MaxZones bounds the zones of a version. Default 1 000.
	MaxZones int
	// MaxBands bounds the bands of a version's schedule: the distinct band
	// names its rules give, not its rules (a band may have a rule for
	// each kind of day). A visit is split into a segment a band, and a
	// line is kept a band where the rate reads it. The default schedule
	// of a tariff without one has four bands, and is bounded too. Default
	// 96, a band every quarter of an hour; schedules seen have four or
	// five.
	MaxBands int
	// MaxSteps bounds the steps of an absence ladder (each paused item
	// is shared out among them) and the levels of a level strategy.
	// Default 100; ladders seen have two or three steps.
	MaxSteps int
	// MaxCombinations bounds the combinations of key values the loader
	// enumerates to check a table's completeness and to probe a
	// component's expressions (only the attributes the expressions read
	// are enumerated); the probe of a whole version evaluates at most twice
	// as many expressions. Default 20 000.
	MaxCombinations int
	// MaxComponents bounds the components of a version (the overlap
	// check looks at every pair). Default 200.
	MaxComponents int
	// MaxAdjustments bounds the adjustments of a version, each applied
	// to every case. Default 100.
	MaxAdjustments int
}

// The default limits; see Limits.
const (
	defaultMaxDocumentBytes  = 1 << 20
	defaultMaxJSONDepth      = 32
	defaultMaxExprBytes      = 2000
	defaultMaxExprDepth      = 16
	defaultMaxLiteralBytes   = 200
	defaultMaxIntegerDigits  = 12
	defaultMaxFractionDigits = 10
	defaultMaxTableEntries   = 20000
	defaultMaxZones          = 1000
	defaultMaxBands          = 96
	defaultMaxSteps          = 100
	defaultMaxCombinations   = 20000
	defaultMaxComponents     = 200
	defaultMaxAdjustments    = 100
)

// Validate returns an error naming every field of l that is negative,
// with its value; nil when none is (zero, for each, is its default). The
// Loader's methods call it.
func (l Limits) Validate() error {
	var errs []error
	for _, f := range []struct {
		name  string
		value int
	}{
		{"MaxDocumentBytes", l.MaxDocumentBytes}, {"MaxJSONDepth", l.MaxJSONDepth}, {"MaxExprBytes", l.MaxExprBytes},
		{"MaxExprDepth", l.MaxExprDepth}, {"MaxExprNodes", l.MaxExprNodes}, {"MaxLiteralBytes", l.MaxLiteralBytes},
		{"MaxIntegerDigits", l.MaxIntegerDigits}, {"MaxFractionDigits", l.MaxFractionDigits},
		{"MaxTableEntries", l.MaxTableEntries}, {"MaxZones", l.MaxZones}, {"MaxBands", l.MaxBands}, {"MaxSteps", l.MaxSteps}, {"MaxCombinations", l.MaxCombinations},
		{"MaxComponents", l.MaxComponents}, {"MaxAdjustments", l.MaxAdjustments},
	} {
		if f.value < 0 {
			errs = append(errs, fmt.Errorf("reimbursement: Limits.%s is %d; allowed: 1 or more, or 0 for the default", f.name, f.value))
		}
	}
	return errors.Join(errs...)
}

// withDefaults returns l, which Validate has accepted, with every zero
// field at its default.
func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxDocumentBytes, defaultMaxDocumentBytes)
	def(&l.MaxJSONDepth, defaultMaxJSONDepth)
	def(&l.MaxExprBytes, defaultMaxExprBytes)
	def(&l.MaxExprDepth, defaultMaxExprDepth)
	def(&l.MaxExprNodes, MaxExprNodes)
	def(&l.MaxLiteralBytes, defaultMaxLiteralBytes)
	def(&l.MaxIntegerDigits, defaultMaxIntegerDigits)
	def(&l.MaxFractionDigits, defaultMaxFractionDigits)
	def(&l.MaxTableEntries, defaultMaxTableEntries)
	def(&l.MaxZones, defaultMaxZones)
	def(&l.MaxBands, defaultMaxBands)
	def(&l.MaxSteps, defaultMaxSteps)
	def(&l.MaxCombinations, defaultMaxCombinations)
	def(&l.MaxComponents, defaultMaxComponents)
	def(&l.MaxAdjustments, defaultMaxAdjustments)
	return l
}

// Loader loads tariff versions within Limits. The zero Loader uses the
// default limits, as ParseVersion, LoadVersion and LoadBook do.
type Loader struct {
	Limits Limits
}

// ParseVersion reads and compiles one tariff version from r; file names
// it in errors. Every problem is returned at once, each a *TariffError;
// Limits with a negative field are refused first (Limits.Validate), and
// r is not read.
func (l Loader) ParseVersion(r io.Reader, file string) (*Version, error) {
	if err := l.Limits.Validate(); err != nil {
		return nil, err
	}
	lim := l.Limits.withDefaults()
	// One byte beyond the limit tells a document too large from one of
	// the limit's size; a limit of the largest int reads to the end.
	data, err := io.ReadAll(io.LimitReader(r, int64(min(lim.MaxDocumentBytes, math.MaxInt-1))+1))
	if err != nil {
		return nil, &TariffError{File: file, Err: err}
	}
	return compileVersion(data, file, lim)
}

// LoadVersion reads and compiles the tariff version in the file name of
// fsys.
func (l Loader) LoadVersion(fsys fs.FS, name string) (*Version, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &TariffError{File: name, Err: err}
	}
	defer f.Close()
	return l.ParseVersion(f, name)
}
