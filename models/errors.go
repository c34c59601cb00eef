package models

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// InputError describes one problem in input data: the file and line where
// known, the record (its collection, index and id) and the field.
type InputError struct {
	File   string // file name, or "" for an io.Reader
	Line   int    // 1-based line, or 0 when unknown
	Column int    // 1-based column (in characters) of the line, or 0 when unknown
	Record string // collection of the record: "visits", "decisions"...; "" for a lone record
	Index  int    // index of the record in its collection, or -1
	ID     string // id of the record, or ""
	Field  string // field path inside the record, e.g. "items[0].minutes", or ""
	Err    error
}

// Error implements the error interface.
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("models: ")
	if e.File != "" {
		b.WriteString(e.File + ":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, "%d:", e.Column)
		}
	}
	if e.File != "" || e.Line > 0 {
		b.WriteString(" ")
	}
	if e.Record != "" {
		b.WriteString(e.Record)
		if e.Index >= 0 {
			fmt.Fprintf(&b, "[%d]", e.Index)
		}
		if e.ID != "" {
			// An id as written, unless quoting shows what it holds: a
			// line break or a control character would break the
			// message's line, a long id fill it.
			switch {
			case len(e.ID) > 64:
				cut := 60
				for cut > 0 && !utf8.RuneStart(e.ID[cut]) {
					cut--
				}
				fmt.Fprintf(&b, " (id %q…, %d bytes)", e.ID[:cut], len(e.ID))
			case strings.ContainsFunc(e.ID, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }):
				fmt.Fprintf(&b, " (id %q)", e.ID)
			default:
				fmt.Fprintf(&b, " (id %s)", e.ID)
			}
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// Sentinels that cross-record validation wraps, for callers to branch on
// with errors.Is.
var (
	ErrUnknownReference = errors.New("unknown reference")
	ErrDuplicateID      = errors.New("duplicate id")
	ErrOverlap          = errors.New("overlapping decisions")
	ErrUnknownTask      = errors.New("unknown task code")
)

func fieldError(field string, err error) *InputError {
	return &InputError{Index: -1, Field: field, Err: err}
}

// eachError calls f on every *InputError in err, flattening joined errors,
// and returns them. Errors of other types are wrapped into an *InputError
// first.
func eachError(err error, f func(*InputError)) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, eachError(e, f)...)
		}
		return out
	}
	ie, ok := err.(*InputError)
	if !ok {
		ie = &InputError{Index: -1, Err: err}
	}
	f(ie)
	return []error{ie}
}

// prefixFields puts prefix before the field path of every error in err.
func prefixFields(prefix string, err error) error {
	return errors.Join(eachError(err, func(ie *InputError) {
		if ie.Field == "" {
			ie.Field = prefix
		} else {
			ie.Field = prefix + "." + ie.Field
		}
	})...)
}
