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

// paysTime reports whether a line of the kind pays time for work, what a
// cap counts and performed['name'] reads: the ordinary payment, and
// minimum_execution's below its threshold (performed time, or granted
// time less a deduction or at the share: its minutes are the granted
// ones). Not absence days or declined visits, paid at a share for work
// not done. Counted as plain only, minimum_execution paid below its
// threshold counted for nothing: a later cap paid 350 of 300 granted
// minutes for 210 performed, and a cap reading it read 0 (found by
// attack).
func (k LineKind) paysTime() bool {
	return k == KindPlain || k == KindPerformed || k == KindDeduction || k == KindShare
}

// String returns the kind's name: "", "absence", "declined",
// "performed", "deduction" or "share".
func (k LineKind) String() string { return lineKinds.name(uint8(k)) }

// lineKindSwedish are the kinds of line in Swedish, by LineKind.
var lineKindSwedish = [...]string{"", "frånvaro", "avböjt besök", "utförd tid", "avdrag", "utförandegrad"}

// Swedish returns the kind as Swedish reports write it: "" for
// KindPlain, "frånvaro", "avböjt besök", "utförd tid", "avdrag",
// "utförandegrad"; the name for a kind it has no term for.
func (k LineKind) Swedish() string {
	if int(k) < len(lineKindSwedish) {
		return lineKindSwedish[k]
	}
	return k.String()
}

// MarshalText implements encoding.TextMarshaler.
func (k LineKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *LineKind) UnmarshalText(b []byte) error {
	v, err := lineKinds.parse(string(b), true)
	*k = LineKind(v)
	return err
}

var recordKinds = enum{"record kind", []string{"unknown", "visit", "decision", "listing", "alarm_event", "component", "adjustment"}}

// RecordKind names a kind of record of the dataset or of the tariff: what
// an Unpaid entry is about. The zero value is RecordUnknown.
type RecordKind uint8

// The kinds of record.
const (
	RecordUnknown    RecordKind = iota
	RecordVisit                 // a visit (besök), or minutes of one
	RecordDecision              // a granted item of a decision (biståndsbeslut)
	RecordListing               // a listing (inskrivning) for home health care or rehabilitation
	RecordAlarmEvent            // an alarm event (larmutryckning)
	// RecordComponent was a component that could not be settled for a
	// customer. No settlement reports it any more: a component whose
	// strategy fails reports each of its units instead (see the ledger in
	// the package documentation). It is kept so that settlements written
	// before read back.
	RecordComponent
	RecordAdjustment // an adjustment that could not be applied for a customer
)

// String returns the kind's name, e.g. "visit", "alarm_event".
func (k RecordKind) String() string { return recordKinds.name(uint8(k)) }

// recordKindSwedish are the kinds' Swedish terms, by RecordKind.
var recordKindSwedish = [...]string{"", "besök", "beslut", "inskrivning", "larmutryckning", "komponent", "justering"}

// Swedish returns the kind as Swedish reports write it: "besök",
// "beslut", "inskrivning", "larmutryckning", "komponent", "justering";
// "" for RecordUnknown, and the name for a kind it has no term for.
func (k RecordKind) Swedish() string {
	if int(k) < len(recordKindSwedish) {
		return recordKindSwedish[k]
	}
	return k.String()
}

// MarshalText implements encoding.TextMarshaler.
func (k RecordKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *RecordKind) UnmarshalText(b []byte) error {
	v, err := recordKinds.parse(string(b), false)
	*k = RecordKind(v)
	return err
}
