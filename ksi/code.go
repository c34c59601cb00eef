package ksi

import (
	"cmp"
	"errors"
	"fmt"
)

// Code is a KSI activity code (aktivitetskod) in Socialstyrelsen's
// Klassifikation av socialtjänstens insatser och aktiviteter: a target
// (inriktning, three letters), an action type (agerandetyp, two letters)
// and a means (metod, two letters), written with spaces: "SME PH ZZ".
//
// Code is a small comparable value, usable as a map key. The zero Code is
// "no code" (see IsZero).
type Code struct {
	target [3]byte
	action [2]byte
	means  [2]byte
}

// ErrSyntax is wrapped by every error that rejects the text of a code.
var ErrSyntax = errors.New("invalid KSI code")

// ParseError describes text that is not a KSI code.
type ParseError struct {
	Input string // the text given
	Pos   int    // byte offset in Input of the first offending character, or -1
	Msg   string
}

// Error implements the error interface.
func (e *ParseError) Error() string {
	if e.Pos < 0 {
		return fmt.Sprintf("ksi: invalid KSI code %q: %s", e.Input, e.Msg)
	}
	return fmt.Sprintf("ksi: invalid KSI code %q at offset %d: %s", e.Input, e.Pos, e.Msg)
}

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *ParseError) Unwrap() error { return ErrSyntax }

// Parse reads a KSI code. It is tolerant of case and spacing ("sme ph zz",
// "SMEPHZZ" and " SME  PH ZZ " are all SME PH ZZ) and strict about the
// letters: exactly seven ASCII letters, grouped 3–2–2 when spaces are
// used.
func Parse(s string) (Code, error) {
	var letters [7]byte
	n := 0
	var groups []int // lengths of the space-separated groups
	inGroup := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			inGroup = false
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z':
		default:
			return Code{}, &ParseError{Input: s, Pos: i, Msg: fmt.Sprintf("unexpected character %q", rune(s[i]))}
		}
		if n == len(letters) {
			return Code{}, &ParseError{Input: s, Pos: i, Msg: "more than seven letters"}
		}
		if !inGroup {
			groups = append(groups, 0)
			inGroup = true
		}
		groups[len(groups)-1]++
		letters[n] = c
		n++
	}
	if n != len(letters) {
		return Code{}, &ParseError{Input: s, Pos: -1, Msg: fmt.Sprintf("%d letters, want 7 (target 3, action type 2, means 2)", n)}
	}
	if len(groups) > 1 && !(len(groups) == 3 && groups[0] == 3 && groups[1] == 2 && groups[2] == 2) {
		return Code{}, &ParseError{Input: s, Pos: -1, Msg: "letters grouped wrongly, want 3-2-2 as in SME PH ZZ"}
	}
	var c Code
	copy(c.target[:], letters[0:3])
	copy(c.action[:], letters[3:5])
	copy(c.means[:], letters[5:7])
	return c, nil
}

// MustParse is like Parse but panics on error. It is meant for constants
// in tests and tables, never for input data.
func MustParse(s string) Code {
	c, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return c
}

// IsZero reports whether c is the zero Code.
func (c Code) IsZero() bool { return c == Code{} }

// Target returns the target axis (inriktning), e.g. "SME".
func (c Code) Target() string { return string(c.target[:]) }

// ActionType returns the action-type axis (agerandetyp), e.g. "PH".
func (c Code) ActionType() string { return string(c.action[:]) }

// Means returns the means axis (metod), e.g. "ZZ".
func (c Code) Means() string { return string(c.means[:]) }

// String formats c as "SME PH ZZ", or "" for the zero Code.
func (c Code) String() string {
	if c.IsZero() {
		return ""
	}
	return c.Target() + " " + c.ActionType() + " " + c.Means()
}

// Compare orders codes by target, action type and means, returning −1, 0
// or +1.
func (c Code) Compare(d Code) int {
	return cmp.Or(
		cmp.Compare(c.Target(), d.Target()),
		cmp.Compare(c.ActionType(), d.ActionType()),
		cmp.Compare(c.Means(), d.Means()),
	)
}

// MarshalText implements encoding.TextMarshaler.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; the empty text is the
// zero Code.
func (c *Code) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = Code{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ActionTypeInfo describes a KSI action type.
type ActionTypeInfo struct {
	Code    string // "RB"
	Swedish string // Socialstyrelsen's name
	English string
}

var actionTypes = []ActionTypeInfo{
	{"AU", "inhämtning av uppgifter från annan", "gathering information from others"},
	{"AX", "ospecificerad", "unspecified"},
	{"AZ", "annan specificerad", "other specified"},
	{"PH", "färdighetsträning", "skills training"},
	{"RB", "praktiskt stöd", "practical support"},
	{"RC", "emotionellt stöd", "emotional support"},
	{"SX", "ospecificerad", "unspecified"},
	{"SZ", "annan specificerad", "other specified"},
}

// LookupActionType returns what the library knows of an action type. An
// action type it does not know still makes a valid code.
func LookupActionType(action string) (ActionTypeInfo, bool) {
	for _, a := range actionTypes {
		if a.Code == action {
			return a, true
		}
	}
	return ActionTypeInfo{}, false
}

// ActionTypes returns the action types the library knows, sorted by code.
func ActionTypes() []ActionTypeInfo { return append([]ActionTypeInfo(nil), actionTypes...) }

// Unspecified reports whether c has the unspecified target WZZ.
func (c Code) Unspecified() bool { return c.target == [3]byte{'W', 'Z', 'Z'} }

// Equal reports whether c and d are the same code (as c == d does; the
// method lets comparison libraries such as go-cmp compare codes).
func (c Code) Equal(d Code) bool { return c == d }
