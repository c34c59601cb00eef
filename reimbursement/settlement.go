package reimbursement

import (
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// Settlement is what a municipality owes its providers for one month
// (månadsersättning): the lines of the invoice basis
// (faktureringsunderlag), totals per provider and per customer, key
// figures, and everything that was not paid with its reason.
//
// Its JSON form (WriteJSON, or encoding/json) is stable and reads back
// with encoding/json to an equal Settlement that writes the same bytes:
// amounts are strings with the decimals they carry, enums are names.
type Settlement struct {
	Period   string       `json:"period"`
	Versions []VersionRef `json:"versions"`
	// Total is the sum of all lines.
	Total Amount `json:"total"`
	// Providers and Customers are sorted by id.
	Providers []ProviderTotal `json:"providers"`
	Customers []CustomerTotal `json:"customers"`
	// Lines in order of provider, customer, version and component.
	Lines   []Line   `json:"lines"`
	NotPaid []Unpaid `json:"not_paid"`
	// KeyFigures are the key figures of the whole settlement.
	KeyFigures KeyFigures `json:"key_figures"`
}

// VersionRef names a tariff version a settlement used.
type VersionRef struct {
	Name      string        `json:"name"`
	Source    string        `json:"source"`
	File      string        `json:"file,omitempty"`
	ValidFrom calendar.Date `json:"valid_from"`
	ValidTo   calendar.Date `json:"valid_to,omitzero"`
	Rounding  Rounding      `json:"rounding"`
}

// Line is one line of the invoice basis: a quantity of a component for a
// customer, at a rate, with its amount = quantity × rate × factor ÷
// divisor rounded once by the tariff's rule.
type Line struct {
	// Period is the settled month, "2024-04".
	Period    string `json:"period"`
	Provider  string `json:"provider"`
	Customer  string `json:"customer"`
	Version   string `json:"version"`
	Component string `json:"component"`
	Label     string `json:"label,omitempty"`
	// Kind tells lines of one component apart (declined visits, absence
	// days); KindPlain for the ordinary payment.
	Kind LineKind `json:"kind,omitempty"`
	// Category is the service category of the units behind the line, when
	// they have one.
	Category models.Category `json:"category,omitempty"`
	Zone     string          `json:"zone"`
	Band     string          `json:"band,omitempty"`
	Quantity Amount          `json:"quantity"`
	Unit     Unit            `json:"unit"`
	Rate     Amount          `json:"rate"`
	// RateUnit is Unit.RateUnit(), written out for readers of the JSON.
	RateUnit string `json:"rate_unit"`
	// Factor scales the amount (a share); nil means 1.
	Factor  *Amount `json:"factor,omitempty"`
	Divisor int64   `json:"divisor"`
	Amount  Amount  `json:"amount"`
	// Explanation is nil when explanations are turned off.
	Explanation *Explanation `json:"explanation,omitempty"`
}

// Explanation says how a line was reached.
type Explanation struct {
	Version   string `json:"version"`
	Source    string `json:"source"`
	File      string `json:"file,omitempty"`
	Component string `json:"component"`
	Strategy  string `json:"strategy"`
	// When and Rate are the component's expressions.
	When string `json:"when,omitempty"`
	Rate string `json:"rate,omitempty"`
	// Inputs are the attributes of a unit behind the line, as the
	// expressions saw them.
	Inputs []Input `json:"inputs,omitempty"`
	// Lookups are the table lookups that gave the rate.
	Lookups []Lookup `json:"lookups,omitempty"`
	// Steps are the strategy's account of caps, thresholds and shares.
	Steps []string `json:"steps,omitempty"`
	// Formula shows the arithmetic and Rounding the rounding applied.
	Formula  string `json:"formula"`
	Rounding string `json:"rounding"`
}

// Input is one named attribute.
type Input struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Lookup is one table lookup made while evaluating an expression.
type Lookup struct {
	Table string   `json:"table"`
	Keys  []string `json:"keys"`
	Value Amount   `json:"value"`
}

// ProviderTotal is the total owed to one provider, with its key figures.
type ProviderTotal struct {
	Provider  string           `json:"provider"`
	Name      string           `json:"name"`
	Ownership models.Ownership `json:"ownership"`
	Customers int              `json:"customers"`
	Amount    Amount           `json:"amount"`
	KeyFigures
}

// CustomerTotal is the amount paid for one customer to one provider.
type CustomerTotal struct {
	Customer string `json:"customer"`
	Provider string `json:"provider"`
	Amount   Amount `json:"amount"`
	KeyFigures
}

// KeyFigures are the measures a municipality follows a provider by.
type KeyFigures struct {
	// GrantedMinutes are the granted staff minutes in the period
	// (beviljad tid), after pauses.
	GrantedMinutes int64 `json:"granted_minutes"`
	// PerformedMinutes are the minutes of approved, not declined visits
	// (utförd tid), double staffing counted where ordered.
	PerformedMinutes int64 `json:"performed_minutes"`
	// PerformedShare is PerformedMinutes ÷ GrantedMinutes rounded half up
	// to four decimals (utförandegrad); nil without granted time.
	PerformedShare *Amount `json:"performed_share"`
	// DeclinedVisits counts visits the customer declined (avböjda besök).
	DeclinedVisits int `json:"declined_visits"`
}

func (k *KeyFigures) add(o KeyFigures) {
	k.GrantedMinutes += o.GrantedMinutes
	k.PerformedMinutes += o.PerformedMinutes
	k.DeclinedVisits += o.DeclinedVisits
}

func (k *KeyFigures) computeShare() {
	k.PerformedShare = nil
	if k.GrantedMinutes > 0 {
		s := AmountOf(shareOf(k.PerformedMinutes, k.GrantedMinutes))
		k.PerformedShare = &s
	}
}

// shareOf returns a ÷ b rounded half up to four decimals.
func shareOf(a, b int64) decimal.Decimal {
	return Rounding{Scale: 4, Mode: HalfUp}.Quotient(decimal.NewFromInt(a), b)
}

// Reason says why something was not paid. The zero value is
// ReasonUnknown.
type Reason uint8

// The reasons something is not paid.
const (
	ReasonUnknown Reason = iota
	OutsidePeriod        // the visit or event lies outside the settled month
	NotApproved          // the visit was not approved in the monthly close
	NoTask               // the visit has no task
	NoDecision           // no decision of the customer with the provider grants the visit's category on its date
	NoTariff             // no tariff version is in force on the date
	UnknownZone          // the customer's zone is not one the tariff knows
	Declined             // the customer declined the visit and the tariff pays nothing for it
	AboveCap             // the minutes exceed the component's cap
	NoComponent          // no component of the tariff matches it
	NotStarted           // the decision's execution has not started (ej verkställt)
	RateError            // evaluating the tariff's expression failed
	AfterLock            // the visit was registered after the month's lock date
	BelowMinimum         // in force fewer days of the month than the component's min_days
	NoPlannedTime        // the visit has no planned time and the component pays planned time
)

var reasons = enum{"reason", []string{"unknown", "outside_period", "not_approved", "no_task", "no_decision",
	"no_tariff", "unknown_zone", "declined", "above_cap", "no_component", "not_started", "rate_error", "after_lock",
	"below_minimum", "no_planned_time"}}

// String returns the reason's name, e.g. "not_approved".
func (r Reason) String() string { return reasons.name(uint8(r)) }

// MarshalText implements encoding.TextMarshaler.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Reason) UnmarshalText(b []byte) error {
	v, err := reasons.parse(string(b), false)
	*r = Reason(v)
	return err
}

// Unpaid is something in the dataset that the settlement did not pay, or
// paid only in part, and why.
type Unpaid struct {
	Kind      RecordKind    `json:"kind"`
	ID        string        `json:"id"`
	Customer  string        `json:"customer"`
	Provider  string        `json:"provider"`
	Component string        `json:"component,omitempty"`
	Date      calendar.Date `json:"date,omitzero"`
	Reason    Reason        `json:"reason"`
	// Minutes not paid, where the reason concerns time.
	Minutes int64  `json:"minutes,omitempty"`
	Detail  string `json:"detail,omitempty"`
}
