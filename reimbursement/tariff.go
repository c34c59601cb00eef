package reimbursement

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/jsonpos"
)

// document is a tariff version as a municipality writes it, in JSON. See
// the package documentation for a complete example.
type document struct {
	// Name identifies the version, e.g. "Norrtälje 2024".
	Name string `json:"name"`
	// ValidFrom is the first day the version is in force; ValidTo the last,
	// or zero for "until the next version starts".
	ValidFrom calendar.Date `json:"valid_from"`
	ValidTo   calendar.Date `json:"valid_to,omitzero"`
	// Source is the decision the tariff comes from, e.g.
	// "VON 2022/0007 § 3", and any note on the figures.
	Source   string `json:"source"`
	Currency string `json:"currency"`
	// Zones are the geographic zones the tariff prices (tätort,
	// landsbygd...); every customer's zone must be one of them.
	Zones    []string     `json:"zones"`
	Schedule *scheduleDoc `json:"schedule,omitempty"`
	Rounding roundingDoc  `json:"rounding"`
	// TimeRounding says how a visit's time becomes whole minutes.
	TimeRounding timeRoundingDoc     `json:"time_rounding"`
	Tables       map[string]tableDoc `json:"tables"`
	Components   []componentDoc      `json:"components"`
	Adjustments  []adjustmentDoc     `json:"adjustments,omitempty"`
}

// scheduleDoc is the band schedule of a tariff; without one the tariff
// uses calendar.DefaultRules.
type scheduleDoc struct {
	Rules          []calendar.BandRule `json:"rules"`
	EvesAsHolidays bool                `json:"eves_as_holidays"`
}

// roundingDoc declares how amounts are rounded: to Scale decimal places
// (2 for öre, 0 for whole kronor), by Mode: "half_up" (the default),
// "half_even" or "down"; Per says where: "line" (the default: once per
// settlement line) or "unit" (each visit, item-month or listing-month,
// the line being the sum of its rounded units).
type roundingDoc struct {
	Scale *int32 `json:"scale"`
	Mode  string `json:"mode"`
	Per   string `json:"per,omitempty"`
}

// timeRoundingDoc declares how the time of a visit becomes whole minutes.
// Mode is "nearest" (the default: 29 seconds down, 30 up), "up" or
// "down", applied to the visit as a whole. MinimumMinutes raises a visit
// that starts in a band to at least that many minutes (night visits at
// least 15 minutes), the extra minutes counted in that band.
type timeRoundingDoc struct {
	Mode           string         `json:"mode"`
	MinimumMinutes map[string]int `json:"minimum_minutes,omitempty"`
}

// componentDoc is one component of a tariff: which units it applies to
// (When), how it counts them (Strategy and its Params) and at what price
// (Rate).
type componentDoc struct {
	// Name identifies the component in lines and in other expressions.
	Name string `json:"name"`
	// Label is a readable name for reports, e.g. "Omsorg, utförd tid".
	Label    string `json:"label,omitempty"`
	Strategy string `json:"strategy"`
	// When is a boolean expression choosing the units; empty is true.
	When string `json:"when,omitempty"`
	// Rate is a decimal expression giving the price per unit of the
	// strategy (kr per hour for time, per visit, per month...).
	Rate string `json:"rate"`
	// Params are the strategy's parameters; see each strategy.
	Params map[string]json.RawMessage `json:"params,omitempty"`
	// Stacks says the component pays in addition to any other component
	// that matches the same unit (a supplement, tillägg); without it, two
	// components that can both pay one unit are refused at load.
	Stacks bool `json:"stacks,omitempty"`
	// InsteadOf names components of the same kind of unit that do not pay
	// the units this component matches: it takes precedence over them.
	InsteadOf []string `json:"instead_of,omitempty"`
	// Deduction says the rate may be negative (avdrag); without it a
	// negative rate is an error.
	Deduction bool `json:"deduction,omitempty"`
	// Continues names the component of the previous version this one
	// continues under another name: in a month the two versions share,
	// its cap and the paid minutes a cap reads are summed with that
	// component's (see NewBook). It may name a component of another
	// strategy, as a component that keeps its name may change strategy:
	// the paid minutes a cap reads are the minutes either paid. (A cap
	// counts what was paid earlier for the visits its component would pay,
	// whatever the component that paid them: see the package doc.)
	Continues string `json:"continues,omitempty"`
}

// adjustmentDoc is an adjustment applied after the components of a
// customer and provider: today one kind, "surcharge".
type adjustmentDoc struct {
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	// Kind is "surcharge": a percentage on the amounts of Components,
	// for the customers and providers When selects (VAT compensation for
	// private providers); a line for each zone a customer has lines of
	// Components in, on their amounts.
	Kind       string   `json:"kind"`
	Components []string `json:"components"`
	When       string   `json:"when,omitempty"`
	Percent    string   `json:"percent"`
}

// Version is a compiled tariff version: immutable, safe for concurrent
// use.
type Version struct {
	name      string
	validFrom calendar.Date
	// validTo is the last day in force; zero until the book closes it.
	validTo  calendar.Date
	source   string
	file     string
	digest   string // see Digest
	zones    []string
	schedule *calendar.Schedule
	rounding Rounding
	time     timeRounding
	// timeNote and rateNote are the steps an explained line adds for the
	// version's rule for a visit's minutes (timeRounding.note; empty when
	// it is the nearest minute alone) and for a rate rounded after its
	// division, written once at load rather than for every line.
	timeNote, rateNote string
	tables             map[string]*rateTable

	components  []*Component
	adjustments []*adjustment
	// adjusted numbers the components some adjustment reads (see
	// caseState.adjust).
	adjusted map[string]int
	doc      document
	// uses holds the environment names the version's expressions read;
	// the others are cleared from memo keys (see normalize).
	uses map[string]bool
	// reads is uses for the names the engine asks about per unit.
	reads names
	// paidByVisits holds the categories whose visits some component of
	// the version pays: their granted items are inputs (caps, key
	// figures), not payments, and are not reported unpaid.
	paidByVisits map[models.Category]bool
	// paidByItems holds the categories whose granted items some
	// component of the version pays: their visits are paid for by the
	// granted time, on a day a decision in force grants it.
	paidByItems map[models.Category]bool
	// paidHours holds, for each category some component of segments
	// the probe decided pays, the bands with their kinds of day ("" for
	// every kind) in which one does, whoever the visit's staff; hoursAny
	// the categories such a component pays in every band or of whole
	// visits, whose hours it cannot tell. hoursKnown says the probe
	// decided every component of visits (none reads a field it cannot
	// enumerate, its budget was not spent), so that the two hold every
	// hour a component pays a category in. The minutes of a visit in
	// hours a component pays their category in are no_component, in
	// hours none pays it in outside_paid_hours, whole visit or part (see
	// Version.segmentHours).
	paidHours  map[models.Category]map[[2]string]bool
	hoursAny   map[models.Category]bool
	hoursKnown bool
	// undecided holds the pairs of components (by index, lower first)
	// that may pay one unit twice where the probe could not decide; see
	// mayOverlap.
	undecided map[[2]int]bool
	// units marks the kinds of unit some component prices.
	units [unitEvent + 1]bool
	// probed is the number of evaluations the probe spent on the
	// version (see probeBudget), for the record.
	probed int
}

// Name returns the version's name, e.g. "Norrtälje 2024".
func (v *Version) Name() string { return v.name }

// ValidFrom returns the first day the version is in force.
func (v *Version) ValidFrom() calendar.Date { return v.validFrom }

// ValidTo returns the last day the version is in force: as written, or,
// for a version of a Book with an open end, the day before the next
// version starts; zero while it is open.
func (v *Version) ValidTo() calendar.Date { return v.validTo }

// Source returns where the version's rates come from (a decision of the
// municipality, a published price list).
func (v *Version) Source() string { return v.source }

// File returns the name of the file the version was read from.
func (v *Version) File() string { return v.file }

// Digest returns the SHA-256 of the version's document as it was read,
// in hex: of its objects' members in the order of their names, without
// white space or escapes a string does not need, so that two files
// differing only in those give one digest, and two editions of a version
// under one name (a rate corrected without a new name) give two.
// Settlements name it (VersionRef.Digest), and Merge refuses parts
// settled under two.
func (v *Version) Digest() string { return v.digest }

// Zones returns the version's zones, in the order written.
func (v *Version) Zones() []string { return slices.Clone(v.zones) }

// Rounding returns the version's rounding rule for amounts.
func (v *Version) Rounding() Rounding { return v.rounding }

// Components returns the version's compiled components in order.
func (v *Version) Components() []*Component { return slices.Clone(v.components) }

// Lookup looks up a rate in the version's table name by its keys, as the
// tariff's table(name, key...) does.
func (v *Version) Lookup(table string, keys ...string) (decimal.Decimal, error) {
	t, ok := v.tables[table]
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("reimbursement: %s: no table %q", v.name, table)
	}
	return t.Lookup(keys...)
}

// Component is a compiled tariff component: read-only, shared by the
// goroutines of a settlement.
type Component struct {
	name         string
	label        string
	strategy     strategy
	strategyName string
	whenSource   string
	rateSource   string
	// index is the component's place in the version.
	index int
	// byBand: the rate reads the band or the kind of day; when it does
	// not, the engine puts quantities of different bands on one line,
	// whatever strategy emitted them.
	byBand bool

	when *vm.Program
	// whenKnown is the part of when the load's probe can decide, where
	// when reads a field it cannot enumerate (or bands, which it may not
	// enumerate): the conjuncts of when (a &&
	// b && …) that read none, which hold wherever when holds; nil where
	// when reads none, or no conjunct is left (see knownPart).
	whenKnown *vm.Program
	rate      *vm.Program
	params    map[string]*param

	// stacks: the component pays on top of others matching the same
	// unit; insteadOf: the components that do not pay the units this one
	// matches; deduction: its rate may be negative.
	stacks    bool
	insteadOf []string
	// replaces and replacedBy are instead_of resolved: the components of
	// the version this one pays instead of, and those that pay instead
	// of it (set by checkPrecedence).
	replaces, replacedBy []*Component
	deduction            bool
	// reads holds the environment names the component's when, rate and
	// parameters read: the probe enumerates only those.
	reads, whenReads map[string]bool
	// rateRounding is the version's rounding when the rate divides: such
	// a rate is rounded to the tariff's scale before it is used.
	rateRounding *Rounding
	// rateScale is the version's rounding scale, at least 2 (öre): a
	// rate of more decimals than it with trailing zeros is shown without
	// them (see trimZeros).
	rateScale int32
	// capReads are the components whose paid minutes its cap reads,
	// performed['name'], in order.
	capReads []string
	// continues names the component of the previous version it
	// continues (see componentIDs).
	continues string
}

// Name returns the component's name, as lines and other expressions
// name it.
func (c *Component) Name() string { return c.name }

// Label returns the component's label for reports, e.g. "Utförd tid".
func (c *Component) Label() string { return c.label }

// Strategy returns the name of the component's strategy, e.g.
// "performed_time".
func (c *Component) Strategy() string { return c.strategyName }

// InsteadOf returns the names of the components this one replaces for
// the units it matches (instead_of).
func (c *Component) InsteadOf() []string { return slices.Clone(c.insteadOf) }

// Stacks reports whether the component pays on top of the other
// components that match its units ("stacks": true), as a supplement does.
func (c *Component) Stacks() bool { return c.stacks }

// When returns the component's when expression as written ("" matches
// every unit).
func (c *Component) When() string { return c.whenSource }

// Rate returns the component's rate expression as written.
func (c *Component) Rate() string { return c.rateSource }

// RateByBand reports whether the rate reads the band or the kind of day:
// only then are the component's lines kept apart by band.
func (c *Component) RateByBand() bool { return c.byBand }

// HasParam reports whether the tariff gives the component the strategy
// parameter name.
func (c *Component) HasParam(name string) bool { return c.params[name] != nil }

func (c *Component) param(name string) *param { return c.params[name] }

// checkRate checks a rate the component's rate expression gave at
// settlement: negative only in a deduction. The probe checks every rate it
// can at load; one whose expression reads what the probe cannot enumerate
// (task codes, ids) is checked here, and the engine reports the unit with
// this error rather than paying a negative line.
func (c *Component) checkRate(d decimal.Decimal) error {
	if d.IsNegative() && !c.deduction {
		return fmt.Errorf("negative rate %s in a component that is not a deduction", d)
	}
	return nil
}

// param is a compiled strategy parameter: a constant or an expression.
type param struct {
	Name string
	// Source is the expression or value as written.
	Source string
	kind   paramKind
	prog   *vm.Program
	str    string
	list   []string
	dec    decimal.Decimal
	ladder []ladderStep
	levels []levelBand
	bool   bool
	spec   paramSpec
	// reads holds the environment names an expression parameter reads.
	reads map[string]bool
	// granted reports that a cap is the expression granted alone, the
	// commonest: its value is the environment's Granted, taken without
	// running the machine (which boxed it, an allocation a case).
	granted bool
}

// String returns a text parameter's value.
func (p *param) String() string { return p.str }

// Strings returns a list parameter's values.
func (p *param) Strings() []string { return p.list }

// Decimal returns a constant decimal parameter's value.
func (p *param) Decimal() decimal.Decimal { return p.dec }

// Bool returns a boolean parameter's value.
func (p *param) Bool() bool { return p.bool }

// Ladder returns a day-ladder parameter's steps.
func (p *param) Ladder() []ladderStep { return p.ladder }

// ladderStep is one step of a day ladder: Days days paid at Share.
type ladderStep struct {
	Days  int             `json:"days"`
	Share decimal.Decimal `json:"share"`
}

type adjustment struct {
	name, label string
	components  []string
	slots       []int // the number of each of components in Version.adjusted
	when        *vm.Program
	whenSource  string
	percent     decimal.Decimal
}

// TariffError is a problem in a tariff file: the file, the line, the
// path of the value in the document (components[2].rate), the component
// where there is one, and what is wrong. An expression error wraps an
// *ExprError with its line:column inside the expression.
type TariffError struct {
	File      string
	Line      int
	Path      string
	Component string
	Err       error
}

// Error implements the error interface.
func (e *TariffError) Error() string {
	var b strings.Builder
	b.WriteString("reimbursement: ")
	if e.File != "" {
		b.WriteString(e.File + ":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if e.File != "" || e.Line > 0 {
		b.WriteString(" ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		if e.Component != "" {
			fmt.Fprintf(&b, " (%s)", e.Component)
		}
		b.WriteString(": ")
	}
	if e.Err == nil { // a TariffError made by hand, or the zero one
		b.WriteString("invalid tariff")
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *TariffError) Unwrap() error { return e.Err }

// Sentinels for callers to branch on with errors.Is.
var (
	ErrUnknownStrategy = errors.New("unknown strategy")
	ErrGap             = errors.New("gap between tariff versions")
	ErrOverlap         = errors.New("overlapping tariff versions")
)

// ParseVersion reads and compiles one tariff version from r within the
// default Limits; file names it in errors. Every problem is returned at
// once, each a *TariffError.
func ParseVersion(r io.Reader, file string) (*Version, error) {
	return Loader{}.ParseVersion(r, file)
}

// LoadVersion reads and compiles the tariff version in the file name of
// fsys within the default Limits.
func LoadVersion(fsys fs.FS, name string) (*Version, error) {
	return Loader{}.LoadVersion(fsys, name)
}

// LoadBook reads every *.json file in the directory dir of fsys as a
// version of one tariff book, within the default Limits.
func LoadBook(fsys fs.FS, dir string) (*Book, error) {
	return Loader{}.LoadBook(fsys, dir)
}

// LoadBook reads every *.json file in the directory dir of fsys as a
// version of one tariff book.
func (l Loader) LoadBook(fsys fs.FS, dir string) (*Book, error) {
	if err := l.Limits.Validate(); err != nil {
		return nil, err // once, not once per file
	}
	// The directory's entries, not a pattern of its name: "book[1]" as a
	// pattern matched book1 and loaded another book (found by attack).
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		if fi, serr := fs.Stat(fsys, dir); serr != nil || !fi.IsDir() {
			return nil, &TariffError{File: dir, Err: errors.New("no such directory")}
		}
		return nil, &TariffError{File: dir, Err: err}
	}
	var names, subdirs []string
	for _, e := range entries {
		switch {
		case e.IsDir():
			// A book is one directory: its subdirectories, a directory
			// named *.json among them, are books of their own, which the
			// reader may have meant.
			subdirs = append(subdirs, e.Name())
		case strings.HasSuffix(e.Name(), ".json"):
			names = append(names, path.Join(dir, e.Name()))
		}
	}
	if len(names) == 0 {
		msg := "no tariff files (*.json) in the directory"
		if len(subdirs) > 0 {
			msg += fmt.Sprintf("; its subdirectories are not read, each is a book of its own: %s", strings.Join(subdirs[:min(len(subdirs), 12)], ", "))
		}
		return nil, &TariffError{File: dir, Err: errors.New(msg)}
	}
	var versions []*Version
	var errs []error
	for _, n := range names {
		v, err := l.LoadVersion(fsys, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		versions = append(versions, v)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return NewBook(versions...)
}

// loading collects the problems of one tariff file.
type loading struct {
	file  string
	lines jsonpos.Lines
	lim   Limits
	errs  []error
	more  int
}

// maxProblems bounds the problems reported for one file: the rest are
// counted.
const maxProblems = 100

func (l *loading) bad(p, component string, err error) {
	if len(l.errs) >= maxProblems {
		l.more++
		return
	}
	l.errs = append(l.errs, &TariffError{File: l.file, Line: l.lines.Line(p), Path: p, Component: component, Err: err})
}

// err returns the problems found, nil if none.
func (l *loading) err() error {
	if l.more > 0 {
		return errors.Join(append(l.errs, &TariffError{File: l.file, Err: fmt.Errorf("and %d more problems", l.more)})...)
	}
	return errors.Join(l.errs...)
}

// decodeDocument checks the document's size and structure (nesting,
// repeated keys, trailing data) in one linear pass, then decodes it.
func decodeDocument(data []byte, file string, lim Limits) (document, jsonpos.Lines, error) {
	var doc document
	if len(data) > lim.MaxDocumentBytes {
		return doc, jsonpos.Lines{}, &TariffError{File: file, Err: fmt.Errorf("%w: the document is larger than %d bytes", ErrLimit, lim.MaxDocumentBytes)}
	}
	lines, err := jsonpos.Scan(data, lim.MaxJSONDepth)
	if err != nil {
		var je *jsonpos.Error
		te := &TariffError{File: file, Err: err}
		if errors.As(err, &je) {
			te.Line, te.Path = je.Line, je.Path
			if strings.Contains(je.Msg, "nested deeper") {
				te.Err = fmt.Errorf("%w: %s", ErrLimit, je.Msg)
			}
		}
		return doc, lines, te
	}
	if err := precount(lines, file, lim); err != nil {
		return doc, lines, err
	}
	if err := lines.Decode(data, &doc); err != nil {
		var je *jsonpos.Error
		if !errors.As(err, &je) {
			return doc, lines, &TariffError{File: file, Err: err}
		}
		return doc, lines, &TariffError{File: file, Line: je.Line, Path: je.Path, Err: decodeError{je}}
	}
	return doc, lines, nil
}

// decodeError is the error of decoding a tariff document: the message
// of the *jsonpos.Error, which keeps the decoder's error for errors.As.
type decodeError struct{ e *jsonpos.Error }

func (d decodeError) Error() string { return d.e.Msg }
func (d decodeError) Unwrap() error { return d.e.Err }

// precount refuses, before the document is decoded, more zones than
// lim.MaxZones, more components than lim.MaxComponents, more adjustments
// than lim.MaxAdjustments and a table with more than lim.MaxTableEntries
// entries.
func precount(lines jsonpos.Lines, file string, lim Limits) error {
	if n := lines.Size("zones"); n > lim.MaxZones {
		return &TariffError{File: file, Line: lines.Line("zones"), Path: "zones",
			Err: fmt.Errorf("%w: %d zones; at most %d", ErrLimit, n, lim.MaxZones)}
	}
	if n := lines.Len("components"); n > lim.MaxComponents {
		return &TariffError{File: file, Line: lines.Line("components"), Path: "components",
			Err: fmt.Errorf("%w: %d components; at most %d", ErrLimit, n, lim.MaxComponents)}
	}
	if n := lines.Len("adjustments"); n > lim.MaxAdjustments {
		return &TariffError{File: file, Line: lines.Line("adjustments"), Path: "adjustments",
			Err: fmt.Errorf("%w: %d adjustments; at most %d", ErrLimit, n, lim.MaxAdjustments)}
	}
	// Each table's size in one pass over the tables: looked up one by
	// one among thousands, they took seconds (found by attack).
	for t, n := range lines.MemberSizes([]string{"tables"}, "rates") {
		if n > lim.MaxTableEntries {
			p := "tables." + t + ".rates"
			return &TariffError{File: file, Line: lines.Line(p), Path: p,
				Err: fmt.Errorf("%w: %d entries in one table; at most %d", ErrLimit, n, lim.MaxTableEntries)}
		}
	}
	return nil
}

// bom is the UTF-8 byte-order mark, which a tariff or a settlement read
// back may begin with.
var bom = []byte("\xef\xbb\xbf")

// digestOf returns the hex SHA-256 of the JSON document data written out
// again: every object's members in the order of their names, strings
// without escapes they do not need, no white space; numbers as written.
// Written out from the decoded document, the tables' rates and the
// parameters kept their members' order and escapes (found by attack).
func digestOf(data []byte) string {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return "" // cannot happen: the document was decoded already
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func compileVersion(data []byte, file string, lim Limits) (*Version, error) {
	data = bytes.TrimPrefix(data, bom)
	doc, lines, err := decodeDocument(data, file, lim)
	if err != nil {
		return nil, err
	}
	l := &loading{file: file, lines: lines, lim: lim}
	if len(doc.Zones) > lim.MaxZones {
		// Every later check is in proportion to the zones: stop here.
		l.bad("zones", "", fmt.Errorf("%w: %d zones; at most %d", ErrLimit, len(doc.Zones), lim.MaxZones))
		return nil, l.err()
	}
	v := &Version{name: doc.Name, validFrom: doc.ValidFrom, validTo: doc.ValidTo, source: doc.Source,
		file: file, digest: digestOf(data), zones: doc.Zones, tables: map[string]*rateTable{}, doc: doc}
	checkHeader(l, doc)
	// Schedule.
	rules, eves := calendar.DefaultRules(), false
	if doc.Schedule != nil {
		rules, eves = doc.Schedule.Rules, doc.Schedule.EvesAsHolidays
	}
	if !checkBands(l, rules, doc.Schedule != nil) {
		// Every later check, and settlement, is in proportion to the
		// bands: stop here.
		return nil, l.err()
	}
	s, err := calendar.NewSchedule(rules, eves)
	if err != nil {
		for _, e := range flatten(err) {
			p := "schedule"
			var se *calendar.ScheduleError
			if errors.As(e, &se) && se.Rule >= 0 {
				p = fmt.Sprintf("schedule.rules[%d]", se.Rule)
				if se.Field != "" {
					p += "." + se.Field
				}
			}
			l.bad(p, "", e)
		}
	}
	v.schedule = s
	if v.rounding, err = parseRounding(doc.Rounding); err != nil {
		l.bad("rounding", "", err)
	}
	if v.time, err = parseTimeRounding(doc.TimeRounding, s); err != nil {
		l.bad("time_rounding", "", err)
	}
	if !v.time.plain() {
		v.timeNote = v.time.note(s)
	}
	v.rateNote = fmt.Sprintf("priset räknas med en division och avrundas till taxans antal decimaler (%s)", v.rounding.rule())
	domains := knownValues(doc.Zones, s)
	// A table keyed by level names the levels of the level components;
	// an expression's level is checked against its own component's (see
	// compileComponent).
	tableDomains := domains
	if names := levelNames(doc.Components); len(names) > 0 {
		tableDomains = maps.Clone(domains)
		tableDomains["level"] = names
	}
	sets := domainSets(tableDomains)
	for _, name := range sortedKeys(doc.Tables) {
		p := "tables." + name
		t := parseTable(name, doc.Tables[name], tableDomains, sets, lim, func(sub string, err error) { l.bad(p+"."+sub, "", err) })
		if t != nil {
			v.tables[name] = t
		}
	}
	c := newCompiler(v.tables, lim, domains)
	for name := range doc.Tables {
		if v.tables[name] == nil {
			c.broken[name] = true
		}
	}
	c.unproduced = unproduced(s)
	compileComponents(l, c, doc, v)
	v.uses = c.used
	v.reads = readsOf(c.used)
	var cover map[exprAt]string
	probed := len(l.errs) == 0
	if probed {
		cover = probe(v, lim, l.bad)
	}
	tableGaps(v, c.named, cover, probed, domains, lim, l.bad)
	if len(l.errs) > 0 {
		return nil, l.err()
	}
	return v, nil
}

// checkBands checks the band names of a schedule's rules before the
// schedule is built: each within lim.MaxLiteralBytes (a band is written on
// every line of a rate that reads it), none holding listSeparator, which
// joins a visit's bands (has(bands, 'kväll|natt') could never hold), and
// at most lim.MaxBands of them. It reports whether loading may go on:
// false over MaxBands. given says the tariff wrote the rules; else they
// are the default schedule's (calendar.DefaultRules), which a Loader of
// MaxBands below its four bands refuses as well, at schedule.
func checkBands(l *loading, rules []calendar.BandRule, given bool) bool {
	seen := make(map[string]bool, min(len(rules), l.lim.MaxBands+1))
	for i, r := range rules {
		p := fmt.Sprintf("schedule.rules[%d].band", i)
		switch {
		case len(r.Band) > l.lim.MaxLiteralBytes:
			l.bad(p, "", fmt.Errorf("%w: a band name of %d bytes; at most %d", ErrLimit, len(r.Band), l.lim.MaxLiteralBytes))
		case strings.Contains(r.Band, listSeparator):
			l.bad(p, "", fmt.Errorf("band %.40q holds %q, which joins the bands of a visit (has(bands, 'natt')): name the band without it", r.Band, listSeparator))
		}
		if seen[r.Band] {
			continue
		}
		if seen[r.Band] = true; len(seen) > l.lim.MaxBands && !given {
			var names []string
			for _, r := range rules {
				if !slices.Contains(names, r.Band) {
					names = append(names, r.Band)
				}
			}
			l.bad("schedule", "", fmt.Errorf("%w: the default schedule, which a tariff without a schedule uses, has %d bands (%s); at most %d: give a schedule",
				ErrLimit, len(names), strings.Join(names, ", "), l.lim.MaxBands))
			return false
		} else if len(seen) > l.lim.MaxBands {
			l.bad("schedule.rules", "", fmt.Errorf("%w: more than %d bands (rule %d names band %.40q); a schedule cuts a day into a few bands of hours", ErrLimit, l.lim.MaxBands, i, r.Band))
			return false
		}
	}
	return true
}

// maxSourceBytes bounds a version's source, which every explained line
// repeats: ten literals.
func maxSourceBytes(lim Limits) int { return 10 * lim.MaxLiteralBytes }

// checkHeader checks the fields that describe the version.
func checkHeader(l *loading, doc document) {
	if strings.TrimSpace(doc.Name) == "" {
		l.bad("name", "", errors.New("missing"))
	} else if len(doc.Name) > l.lim.MaxLiteralBytes {
		l.bad("name", "", fmt.Errorf("%w: a name of %d bytes; at most %d", ErrLimit, len(doc.Name), l.lim.MaxLiteralBytes))
	}
	if doc.ValidFrom.IsZero() {
		l.bad("valid_from", "", errors.New("missing"))
	}
	if !doc.ValidTo.IsZero() && doc.ValidTo.Before(doc.ValidFrom) {
		l.bad("valid_to", "", fmt.Errorf("%s is before valid_from %s", doc.ValidTo, doc.ValidFrom))
	}
	if strings.TrimSpace(doc.Source) == "" {
		l.bad("source", "", errors.New("missing: name the decision the tariff comes from"))
	} else if n := maxSourceBytes(l.lim); len(doc.Source) > n {
		l.bad("source", "", fmt.Errorf("%w: a source of %d bytes; at most %d", ErrLimit, len(doc.Source), n))
	}
	if doc.Currency != "SEK" {
		l.bad("currency", "", fmt.Errorf("%.40q: only SEK is supported", doc.Currency))
	}
	if len(doc.Zones) == 0 {
		l.bad("zones", "", errors.New("no zones"))
	}
	seen := make(map[string]bool, len(doc.Zones))
	for i, z := range doc.Zones {
		switch {
		case strings.TrimSpace(z) == "" || seen[z]:
			l.bad(fmt.Sprintf("zones[%d]", i), "", fmt.Errorf("empty or repeated zone %.40q", z))
		case len(z) > l.lim.MaxLiteralBytes:
			l.bad(fmt.Sprintf("zones[%d]", i), "", fmt.Errorf("%w: a zone name of %d bytes; at most %d", ErrLimit, len(z), l.lim.MaxLiteralBytes))
		}
		seen[z] = true
	}
}

// levelNames returns the names of the levels of the components of
// strategy level, each once, in order; a levels parameter that does not
// decode gives none (compileComponent reports it).
func levelNames(comps []componentDoc) []string {
	var names []string
	for _, cd := range comps {
		if cd.Strategy != "level" {
			continue
		}
		var levels []struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(cd.Params["levels"], &levels) != nil {
			continue
		}
		for _, l := range levels {
			if !slices.Contains(names, l.Name) {
				names = append(names, l.Name)
			}
		}
	}
	return names
}

// knownValues returns the values each field of the environments can
// take, as far as the version knows them: the strings known at load
// (literals, and lower, upper and trim of them; see constStrings)
// compared with these fields, and table keys named after them, must be
// among them.
func knownValues(zones []string, s *calendar.Schedule) map[string][]string {
	domains := map[string][]string{
		"zone":      zones,
		"ownership": {models.OwnOperation.String(), models.Private.String()},
	}
	for _, c := range models.Categories() {
		domains["category"] = append(domains["category"], c.String())
	}
	for r := models.CareStaff; r <= models.OccupationalTherapist; r++ {
		domains["role"] = append(domains["role"], r.String())
	}
	for _, f := range []models.Frequency{models.PerDay, models.PerWeek, models.PerMonth} {
		domains["per"] = append(domains["per"], f.String())
	}
	for k := calendar.Weekday; k <= calendar.BeforeHoliday; k++ {
		if s == nil || unproducedKind(s, k) == "" {
			domains["day_kind"] = append(domains["day_kind"], k.String())
		}
	}
	if s != nil {
		// The bands of a visit's start, end, longest part and planned
		// start are bands of the schedule too.
		for _, f := range []string{"band", "start_band", "end_band", "longest_band", "planned_band"} {
			domains[f] = s.Bands()
		}
	}
	return domains
}

// unproduced returns, for the fields whose known values the schedule s
// leaves out, why no unit has each value left out: a kind of day s does
// not tell apart. A literal of one is refused with that reason (see
// compiler.checkKnown) rather than as a typo.
func unproduced(s *calendar.Schedule) map[string]map[string]string {
	if s == nil {
		return nil
	}
	kinds := map[string]string{}
	for k := calendar.Weekday; k <= calendar.BeforeHoliday; k++ {
		if why := unproducedKind(s, k); why != "" {
			kinds[k.String()] = why
		}
	}
	return map[string]map[string]string{"day_kind": kinds}
}

// unproducedKind says why no day is of kind k in the schedule s (see
// calendar.Schedule.DayKind), or returns "" when some day is: eve and
// before_holiday only where a rule names them, eve never where eves count
// as holidays.
func unproducedKind(s *calendar.Schedule, k calendar.DayKind) string {
	if _, ok := s.BandAt(k, 0); ok {
		return ""
	}
	switch {
	case k == calendar.Eve && s.EvesAsHolidays():
		return "the schedule counts eves as holidays (eves_as_holidays), so no unit is of kind eve; write holiday"
	case k == calendar.Eve:
		return "no rule of the schedule names eve, so no unit is of kind eve (an eve is of the kind its date is otherwise): name eve in the schedule's rules to tell eves apart"
	case k == calendar.BeforeHoliday:
		return "no rule of the schedule names before_holiday, so no unit is of that kind: name it in the schedule's rules to tell the days before holidays apart"
	}
	return fmt.Sprintf("the schedule does not tell %s apart", k)
}

// compileComponents compiles the components and adjustments.
func compileComponents(l *loading, c *compiler, doc document, v *Version) {
	if len(doc.Components) == 0 {
		l.bad("components", "", errors.New("no components"))
	}
	seen := map[string]bool{}
	var names []string
	for _, cd := range doc.Components {
		names = append(names, cd.Name)
	}
	for i, cd := range doc.Components {
		// A cap reads the minutes of the components before it.
		c.domains["performed"], c.notYet = names[:i], names[i:]
		p := fmt.Sprintf("components[%d]", i)
		if strings.TrimSpace(cd.Name) == "" {
			l.bad(p+".name", "", errors.New("missing"))
		} else if seen[cd.Name] {
			l.bad(p+".name", cd.Name, errors.New("a component of that name comes earlier"))
		}
		seen[cd.Name] = true
		c.performedRead = c.performedRead[:0]
		comp := compileComponent(c, cd, i, v, func(field string, err error) { l.bad(p+"."+field, cd.Name, err) })
		if comp != nil {
			comp.capReads = slices.Compact(slices.Sorted(slices.Values(c.performedRead)))
			v.components = append(v.components, comp)
			v.units[comp.strategy.Unit()] = true
		}
	}
	c.domains["performed"], c.notYet = names, nil
	checkPrecedence(v, l.bad)
	adjusted := map[string]int{} // the adjustments before, by name
	for i, ad := range doc.Adjustments {
		p := fmt.Sprintf("adjustments[%d]", i)
		bad := func(field string, err error) { l.bad(p+"."+field, ad.Name, err) }
		// An adjustment's lines are named by it as a component's by the
		// component: a name of both would make the lines of one read as
		// the other's.
		if strings.TrimSpace(ad.Name) != "" {
			if first, dup := adjusted[ad.Name]; dup {
				bad("name", fmt.Errorf("an adjustment of that name comes earlier (adjustments[%d])", first))
			} else if seen[ad.Name] {
				bad("name", fmt.Errorf("%.40q is the name of a component", ad.Name))
			} else {
				adjusted[ad.Name] = i
			}
		}
		a := compileAdjustment(c, ad, seen, bad)
		if a != nil {
			v.adjustments = append(v.adjustments, a)
		}
	}
	v.adjusted = map[string]int{}
	for _, a := range v.adjustments {
		for _, n := range a.components {
			k, ok := v.adjusted[n]
			if !ok {
				k = len(v.adjusted)
				v.adjusted[n] = k
			}
			a.slots = append(a.slots, k)
		}
	}
}

// checkNames refuses a name or label of a component or adjustment longer
// than lim.MaxLiteralBytes: each is written on every line it pays.
func checkNames(lim Limits, name, label string, bad func(field string, err error)) {
	if len(name) > lim.MaxLiteralBytes {
		bad("name", fmt.Errorf("%w: a name of %d bytes; at most %d", ErrLimit, len(name), lim.MaxLiteralBytes))
	}
	if len(label) > lim.MaxLiteralBytes {
		bad("label", fmt.Errorf("%w: a label of %d bytes; at most %d", ErrLimit, len(label), lim.MaxLiteralBytes))
	}
}

func compileComponent(c *compiler, cd componentDoc, index int, v *Version, bad func(field string, err error)) *Component {
	st, ok := lookupStrategy(cd.Strategy)
	if !ok {
		bad("strategy", fmt.Errorf("%w %.40q (registered: %s)", ErrUnknownStrategy, cd.Strategy, strings.Join(Strategies(), ", ")))
		return nil
	}
	comp := &Component{name: cd.Name, label: cd.Label, strategy: st, strategyName: cd.Strategy,
		whenSource: cd.When, rateSource: cd.Rate, index: index, params: map[string]*param{},
		stacks: cd.Stacks, insteadOf: cd.InsteadOf, deduction: cd.Deduction, continues: cd.Continues, reads: map[string]bool{}}
	checkNames(c.lim, cd.Name, cd.Label, bad)
	env := st.Unit().env()
	// Parameters first: the level strategy's bands are the known values
	// of level in the rate.
	compileParams(c, comp, cd, env, bad)
	if lv := comp.params["levels"]; lv != nil && lv.kind == paramLevels {
		for _, b := range lv.levels {
			c.domains["level"] = append(c.domains["level"], b.Name)
		}
		defer delete(c.domains, "level")
	}
	if st.Unit() == unitListing {
		c.domains["kind"] = []string{models.ListingHomeHealthCare.String(), models.ListingRehabilitation.String()}
		defer delete(c.domains, "kind")
	}
	when := cd.When
	if strings.TrimSpace(when) == "" {
		when = "true"
	}
	// level is set by the level strategy alone: any other component sees
	// level "" at settlement, so an expression of it that reads level is
	// refused rather than never matching. A level component whose levels
	// are in error has that error, not this one too.
	_, levelled := st.(level)
	noLevel := func(field string) {
		bad(field, fmt.Errorf("reads level, which only the level strategy sets (a %s component sees level \"\")", cd.Strategy))
	}
	for _, name := range sortedKeys(comp.params) {
		if p := comp.params[name]; !levelled && p.reads["level"] {
			noLevel("params." + name)
		}
	}
	var err error
	if comp.when, err = c.compile(when, env, boolType); err != nil {
		bad("when", err)
	} else if !levelled && c.last["level"] {
		noLevel("when")
	}
	comp.whenReads = maps.Clone(c.last)
	maps.Copy(comp.reads, c.last)
	if comp.when != nil && (readsUndecidable(unitSegment, comp.whenReads) || comp.whenReads["bands"]) {
		comp.whenKnown = c.knownPart(when, env)
	}
	if comp.whenReadsLevel() && len(cd.InsteadOf) > 0 {
		// Precedence takes whole units (see exclusions), and such a
		// component matches an item on the days of a level.
		bad("instead_of", errors.New("a level component whose when reads level cannot take units instead of another: it matches an item on the days at a level, not the whole item; say \"stacks\" or make the whens disjoint"))
	}
	if comp.rate, err = c.compile(cd.Rate, env, decimalType); err != nil {
		bad("rate", err)
	} else if !levelled && c.last["level"] {
		noLevel("rate")
	}
	maps.Copy(comp.reads, c.last)
	// Lines are kept apart by band only when the price depends on it: one
	// line per rate, not one per band at the same rate, so that rounding
	// once per line does not depend on when in the day the work was done.
	comp.byBand = c.last["band"] || c.last["day_kind"]
	if _, ok := cd.Params["band"]; ok && st.Unit() == unitVisit {
		// per_visit's band parameter reads the visit's end and longest band.
		c.used["end_band"], c.used["longest_band"] = true, true
	}
	if comp.rate != nil && divides(comp.rate) {
		comp.rateRounding = &v.rounding
	}
	comp.rateScale = max(v.rounding.Scale, 2)
	return comp
}

// compileParams compiles the parameters a component gives its strategy,
// checks each against its declaration, and lets the strategy check them
// together (paramChecker).
func compileParams(c *compiler, comp *Component, cd componentDoc, env any, bad func(field string, err error)) {
	specs := comp.strategy.Params()
	for _, name := range sortedKeys(cd.Params) {
		if !slices.ContainsFunc(specs, func(s paramSpec) bool { return s.Name == name }) {
			var names []string
			for _, s := range specs {
				names = append(names, s.Name)
			}
			bad("params."+name, fmt.Errorf("strategy %s has no parameter %.40q (it has: %s)", cd.Strategy, name, strings.Join(names, ", ")))
		}
	}
	for _, spec := range specs {
		raw, given := cd.Params[spec.Name]
		if !given {
			if spec.Required {
				bad("params."+spec.Name, errors.New("missing"))
			}
			continue
		}
		p, err := compileParam(c, spec, raw, env)
		if err != nil {
			bad("params."+spec.Name, err)
			continue
		}
		if p.prog != nil {
			p.reads = maps.Clone(c.last)
		}
		if p.kind == paramExpr {
			maps.Copy(comp.reads, c.last)
		}
		comp.params[spec.Name] = p
	}
	if pc, ok := comp.strategy.(paramChecker); ok {
		pc.checkParams(comp.param, func(name string, err error) { bad("params."+name, err) })
	}
}

func compileAdjustment(c *compiler, ad adjustmentDoc, components map[string]bool, bad func(field string, err error)) *adjustment {
	a := &adjustment{name: ad.Name, label: ad.Label, components: ad.Components, whenSource: ad.When}
	if strings.TrimSpace(ad.Name) == "" {
		bad("name", errors.New("missing"))
	}
	checkNames(c.lim, ad.Name, ad.Label, bad)
	if ad.Kind != "surcharge" {
		bad("kind", fmt.Errorf("unknown adjustment kind %q (known: surcharge)", ad.Kind))
		return nil
	}
	if len(ad.Components) == 0 {
		bad("components", errors.New("no components named"))
	}
	named := make(map[string]bool, len(ad.Components))
	for i, n := range ad.Components {
		switch {
		case !components[n]:
			bad(fmt.Sprintf("components[%d]", i), fmt.Errorf("no component %.40q", n))
		case named[n]:
			bad(fmt.Sprintf("components[%d]", i), fmt.Errorf("%.40q is named twice", n))
		}
		named[n] = true
	}
	when := ad.When
	if strings.TrimSpace(when) == "" {
		when = "true"
	}
	var err error
	if a.when, err = c.compile(when, adjustmentEnv{}, boolType); err != nil {
		bad("when", err)
	}
	if a.percent, err = parseDecimal(ad.Percent, c.lim); err != nil {
		bad("percent", percentError(ad.Percent, err, c.lim))
	} else if a.percent.IsNegative() || a.percent.GreaterThan(decimal.NewFromInt(100)) {
		bad("percent", fmt.Errorf("%s is not a percentage 0–100", a.percent))
	}
	return a
}

// percentError is the error of an adjustment's percent that is not a
// decimal: percent is in percent (0–100), written without the sign, so
// "6%" is told to write "6", and "1,5" "1.5".
func percentError(s string, err error, lim Limits) error {
	if errors.Is(err, ErrLimit) {
		return err
	}
	num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if _, e := parseDecimal(num, lim); e != nil {
		num = strings.Replace(num, ",", ".", 1)
		if _, e := parseDecimal(num, lim); e != nil {
			return fmt.Errorf("%.40q is not a number: percent is a percentage 0–100 written without the sign, \"6\" for 6 %% or \"1.5\" for 1.5 %%", s)
		}
	}
	return fmt.Errorf("%.40q is not a number: percent is a percentage 0–100 written without the sign; write %s %% as %q", s, num, num)
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
