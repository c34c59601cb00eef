package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// InputError describes one problem in input data: the file and line where
// known, the record (its collection, index and id) and the field.
//
// Error writes the id, the field and the file as they are when they read
// as themselves on the message's line, and quoted (strconv.Quote)
// otherwise: when one holds a character that is not graphic (a control
// or format character such as a line break, U+202E RIGHT-TO-LEFT
// OVERRIDE or U+200B ZERO WIDTH SPACE, a line or paragraph separator),
// white space other than the ASCII space (a no-break space reads as a
// space), white space around it, invalid UTF-8, or, in an id, a
// parenthesis, which would end "(id ...)" early. An id over 64 bytes is
// quoted and shortened.
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
		b.WriteString(quoteOdd(e.File, "") + ":")
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
			// An id as written, unless quoting shows what it holds (see
			// InputError); a long id would fill the line.
			if len(e.ID) > 64 {
				cut := 60
				for cut > 0 && !utf8.RuneStart(e.ID[cut]) {
					cut--
				}
				fmt.Fprintf(&b, " (id %q…, %d bytes)", e.ID[:cut], len(e.ID))
			} else {
				fmt.Fprintf(&b, " (id %s)", quoteOdd(e.ID, "()"))
			}
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(quoteOdd(e.Field, "") + ": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// quoteOdd returns s as it is when it reads as itself on a line of a
// message (see plainText) and holds none of the characters of odd, and
// strconv.Quote(s) otherwise.
func quoteOdd(s, odd string) string {
	if plainText(s) && !strings.ContainsAny(s, odd) {
		return s
	}
	return strconv.Quote(s)
}

// plainText reports whether s reads as itself on a line: valid UTF-8 of
// graphic characters (unicode.IsGraphic: no control or format character,
// no line or paragraph separator), with no white space but the ASCII
// space, none around it, and no combining mark first (it would combine
// with what comes before).
func plainText(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i, r := range s {
		switch {
		case r == ' ':
		case r < utf8.RuneSelf:
			if r < 0x20 || r == 0x7f {
				return false
			}
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return false
			}
		case unicode.IsSpace(r) || !unicode.IsGraphic(r) || i == 0 && unicode.IsMark(r):
			return false
		}
	}
	return true
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

// duplicateError is a record whose id an earlier record of its
// collection has, at index prev: "duplicate id: \"v5\" is also
// visits[0]". It is ErrDuplicateID to errors.Is. where, when set, names
// the earlier record otherwise (ReadDatasetParts: by its file and its
// index there).
type duplicateError struct {
	id, coll string
	prev     int
	where    string
}

func (e *duplicateError) Error() string {
	w := e.where
	if w == "" {
		w = fmt.Sprintf("%s[%d]", e.coll, e.prev)
	}
	return fmt.Sprintf("%v: %q is also %s", ErrDuplicateID, e.id, w)
}

func (e *duplicateError) Unwrap() error { return ErrDuplicateID }

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
	return joinErrors(eachError(err, func(ie *InputError) {
		if ie.Field == "" {
			ie.Field = prefix
		} else {
			ie.Field = prefix + "." + ie.Field
		}
	})...)
}

// MaxErrorsShown is how many problems the message of an error of many
// (Dataset.Validate, ReadDataset, ReadDatasetParts…) lists: a month of a
// million visits with an unknown task code has a million problems, whose
// message in full would take some 75 MB. The message lists the first
// MaxErrorsShown and says how many there are in all; the error holds
// every one, each an *InputError that errors.As finds, and Unwrap()
// []error returns them in order.
const MaxErrorsShown = 100

// problems is the error of several problems: errors.Join's, with its
// message cut at MaxErrorsShown.
type problems []error

// joinErrors returns the errors of errs that are not nil as one error,
// as errors.Join does, those of a problems among them in its place: nil
// when there are none, the error itself when there is one.
func joinErrors(errs ...error) error {
	var out problems
	for _, e := range errs {
		switch p := e.(type) {
		case nil:
		case problems:
			out = append(out, p...)
		default:
			out = append(out, e)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

// Error writes the first MaxErrorsShown problems, one a line, and the
// number of those it leaves out.
func (p problems) Error() string {
	var b strings.Builder
	for i, e := range p[:min(len(p), MaxErrorsShown)] {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if n := len(p) - MaxErrorsShown; n > 0 {
		fmt.Fprintf(&b, "\nmodels: and %d more problems, %d in all", n, len(p))
	}
	return b.String()
}

// Unwrap returns every problem, in order.
func (p problems) Unwrap() []error { return p }
