package reimbursement

import "fmt"

// enum holds the names of a typed enumeration, indexed by value. Every
// enum of a settlement's output is a uint8 with String, MarshalText and
// UnmarshalText built on one of these, so a settlement's JSON reads back
// to the same values.
type enum struct {
	kind  string
	names []string
}

func (e enum) name(i uint8) string {
	if int(i) < len(e.names) {
		return e.names[i]
	}
	return fmt.Sprintf("%s(%d)", e.kind, i)
}

// parse returns the value named s. The zero value's name is accepted only
// when allowZero is set (for enums whose zero value is a real value).
func (e enum) parse(s string, allowZero bool) (uint8, error) {
	for i, n := range e.names {
		if n == s && (i > 0 || allowZero) {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("reimbursement: unknown %s %q", e.kind, s)
}

var lineKinds = enum{"line kind", []string{"", "absence", "declined", "performed", "deduction", "share"}}

// LineKind tells apart lines of one component that are paid on different
// grounds. The zero value, KindPlain, is the component's ordinary payment
// and is written as nothing.
type LineKind uint8

// The kinds of line.
const (
	KindPlain     LineKind = iota // the component's ordinary payment
	KindAbsence                   // granted time paid for absence days at a share (frånvaro)
	KindDeclined                  // declined visits paid at a share (avböjda besök)
	KindPerformed                 // minimum_execution: performed time paid below the threshold
	KindDeduction                 // minimum_execution: granted time less a deduction
	KindShare                     // minimum_execution: granted time × the performed share
)

// String returns the kind's name: "", "absence", "declined",
// "performed", "deduction" or "share".
func (k LineKind) String() string { return lineKinds.name(uint8(k)) }

// MarshalText implements encoding.TextMarshaler.
func (k LineKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *LineKind) UnmarshalText(b []byte) error {
	v, err := lineKinds.parse(string(b), true)
	*k = LineKind(v)
	return err
}

var unpaidKinds = enum{"unpaid kind", []string{"unknown", "visit", "decision", "listing", "alarm_event", "component", "adjustment"}}

// UnpaidKind says what an Unpaid entry is about. The zero value is
// UnpaidUnknown.
type UnpaidKind uint8

// The kinds of thing not paid.
const (
	UnpaidUnknown    UnpaidKind = iota
	UnpaidVisit                 // a visit (besök), or minutes of one
	UnpaidDecision              // a granted item of a decision (biståndsbeslut)
	UnpaidListing               // a listing (inskrivning) for home health care or rehabilitation
	UnpaidAlarmEvent            // an alarm event (larmutryckning)
	UnpaidComponent             // a component that could not be settled for a customer
	UnpaidAdjustment            // an adjustment that could not be applied for a customer
)

// String returns the kind's name, e.g. "visit", "alarm_event".
func (k UnpaidKind) String() string { return unpaidKinds.name(uint8(k)) }

// MarshalText implements encoding.TextMarshaler.
func (k UnpaidKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *UnpaidKind) UnmarshalText(b []byte) error {
	v, err := unpaidKinds.parse(string(b), false)
	*k = UnpaidKind(v)
	return err
}
