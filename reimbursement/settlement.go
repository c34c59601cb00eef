package reimbursement

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
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
	// PossibleDuplicates are groups of visits that look like one visit
	// registered twice (see Duplicate); they are paid as registered and
	// listed for a controller to decide.
	PossibleDuplicates []Duplicate `json:"possible_duplicates,omitempty"`
	// KeyFigures are the key figures of the whole settlement.
	KeyFigures KeyFigures `json:"key_figures"`
}

// VersionRef names a tariff version a settlement used.
type VersionRef struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	// File is the name the version's file was loaded under (see
	// Version.File), for a reader to find it; it does not identify the
	// version, as the same document may lie under other paths. Merge
	// keeps the first part's.
	File string `json:"file,omitempty"`
	// Digest identifies the tariff document the version was read from
	// (see Version.Digest): which edition of it a month was settled by.
	Digest    string        `json:"digest,omitempty"`
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
	// Units are the records behind the line (the visits, decision items,
	// listings and events it pays), sorted by kind, id and item (ids as
	// text, byte by byte: "v12" before "v2"), each
	// with the minutes or days of it the line pays: the line's part of
	// the ledger (see UnitRef).
	Units []UnitRef `json:"units,omitempty"`
	// Explanation is nil when explanations are turned off.
	Explanation *Explanation `json:"explanation,omitempty"`
}

// Formula returns the line's arithmetic from its fields, as its
// explanation's Formula writes it: "120 min × 517.00 kr/h ÷ 60 =
// 1034.00", "4793.60 kr × 6 % = 287.62". A settlement without
// explanations (Options.NoExplain) shows its lines so. A line Settle did
// not make (no divisor, as the zero Line) is its amount alone.
func (l *Line) Formula() string {
	if l.Divisor == 0 {
		return l.Amount.String()
	}
	return formula(l)
}

// numerator returns the line's Quantity × Rate × Factor: its amount
// before the divisor and the rounding (exact.NumeratorDecimal).
func (l *Line) numerator() decimal.Decimal {
	var factor decimal.Decimal
	if l.Factor != nil {
		factor = l.Factor.Decimal
	}
	return exact.NumeratorDecimal(l.Quantity.Decimal, l.Rate.Decimal, factor, l.Factor != nil)
}

// UnitRef names a record behind a line and what of it the line pays, so
// that a controller or a provider can reconcile the line with their own
// registrations. Minutes are given on lines whose unit is minutes (the
// paid staff minutes of a visit, or the granted staff minutes of a
// decision item); Days on lines that pay decision items or listings (the
// days of the item or listing the line pays for). A visit paid per visit,
// or an event, is named with neither.
type UnitRef struct {
	Kind RecordKind `json:"kind"`
	ID   string     `json:"id"`
	// Item names the granted item of a decision (its task code, KSI code
	// or category, as the decision writes it); empty for other records.
	Item    string `json:"item,omitempty"`
	Minutes int64  `json:"minutes,omitempty"`
	Days    int    `json:"days,omitempty"`
}

// key identifies the record of a unit reference: one unit when a tariff
// rounds per unit.
func (r UnitRef) key() string {
	if r.Item != "" {
		return r.Kind.String() + ":" + r.ID + "/" + r.Item
	}
	return r.Kind.String() + ":" + r.ID
}

// Duplicate is a group of visits registered under different ids with the
// same customer, provider, start, end, tasks (in any order), role and
// staff count: possibly one visit registered twice. The settlement pays
// them as registered and lists them here for a controller to decide.
//
// Double staffing (dubbelbemanning) is registered as one visit with
// staff 2. Two staff who each register the same visit give two visits
// that agree in every field and are listed here; visits of two staff of
// different roles (a nurse and a care worker at the same time) differ in
// role and are not.
type Duplicate struct {
	Customer string        `json:"customer"`
	Provider string        `json:"provider"`
	Date     calendar.Date `json:"date"`
	// Visits are the ids, sorted.
	Visits []string `json:"visits"`
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
	// Inputs are the attributes of the units behind the line, as the
	// expressions saw them; where the units differ in an attribute, its
	// value lists their values joined by " | " ("saturday | weekday"; a
	// value that is itself a list keeps its "|" unspaced: "dag|kväll |
	// kväll"), or says "varierar (n värden)" when there are more than four.
	// Units that differ in an input still share the line's one rate:
	// units of different rates are on lines of their own (and a
	// component whose rate reads the band or the kind of day has a line
	// per band).
	Inputs []Input `json:"inputs,omitempty"`
	// Lookups are the table lookups that gave the rate.
	Lookups []Lookup `json:"lookups,omitempty"`
	// Steps are the strategy's account of caps, thresholds and shares,
	// in Swedish, for people: "tak granted = 600 min för omsorg; utfört
	// 640 min". A decision item's granted minutes are given with their
	// arithmetic: "60 × 1 × 29 betalda dagar ÷ 7 = 248.57… → 249
	// personalminuter (halvt uppåt till hel minut)".
	Steps []string `json:"steps,omitempty"`
	// Formula shows the arithmetic and Rounding the rounding applied
	// ("half_up till 2 decimaler: exakt").
	Formula  string `json:"formula"`
	Rounding string `json:"rounding"`
	// UnroundedRates are the line's rate before the tariff rounded it,
	// where its rate expression divides (the version's rounding applies
	// to the rate, see the package doc) and the rounding changed it:
	// 470 × 1.10 ÷ 3 = 172.3333333333333333, Rate 172.33. Each value the
	// line's units gave once (units whose rates round alike share a
	// line), in increasing order, of the environments the explanation
	// keeps for Inputs; none where the rounding changed nothing.
	UnroundedRates []Amount `json:"unrounded_rates,omitempty"`
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
	// Customers is the number of customers settled with the provider:
	// those with a decision, a visit, a listing or an alarm event with
	// it in the dataset settled, of any month, each with a CustomerTotal
	// in Settlement.Customers, whether anything is paid for them or not.
	// A customer whose only record is not paid (a visit not approved,
	// or of another month) is counted with a total of 0 and has no
	// lines, so the provider's invoice basis (invoice.Basis.Customers),
	// which lists the customers with lines, does not name it; WriteText
	// says how many such customers each provider has. In a correction
	// (invoice.Correction.Providers) it counts the customers with
	// correction lines.
	Customers int    `json:"customers"`
	Amount    Amount `json:"amount"`
	KeyFigures
}

// CustomerTotal is the amount paid for one customer to one provider.
// Settlement.Customers has one for every customer with a record with
// the provider, also when nothing is paid and it has no lines (see
// ProviderTotal.Customers).
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
	// (utförd tid) in the categories the customer has granted time in,
	// with any provider (a nurse's visit or delegated HSL beside granted
	// service and care is not counted; a provider standing in for the
	// one the decision names is), after the tariff's time rounding and before a
	// band's minimum, double staffing counted where ordered.
	PerformedMinutes int64 `json:"performed_minutes"`
	// PerformedShare is PerformedMinutes ÷ GrantedMinutes rounded half up
	// to four decimals (utförandegrad); nil without granted time.
	PerformedShare *Amount `json:"performed_share"`
	// DeclinedVisits counts visits the customer declined (avböjda besök).
	DeclinedVisits int `json:"declined_visits"`
	// UnregisteredVisits counts, in a settlement with Options.Lock, the
	// visits settled (past the checks of period, approval and lock) that
	// have no registration time (Visit.Registered zero): the lock cannot
	// hold them back, so they are paid whenever they were registered. A
	// count that is not 0 says the registration time may not have been
	// read (a column the CSV reader did not know, a system that does not
	// export it); WriteText shows it. Always 0 without a lock.
	UnregisteredVisits int `json:"unregistered_visits,omitempty"`
}

func (k *KeyFigures) add(o KeyFigures) {
	k.GrantedMinutes += o.GrantedMinutes
	k.PerformedMinutes += o.PerformedMinutes
	k.DeclinedVisits += o.DeclinedVisits
	k.UnregisteredVisits += o.UnregisteredVisits
}

func (k *KeyFigures) computeShare() {
	k.PerformedShare = nil
	if s, ok := k.performedShare(nil); ok {
		k.PerformedShare = &s
	}
}

// performedShare returns what PerformedShare is set to, and false
// without granted time (PerformedShare nil), taken from c (nil: made
// anew).
func (k *KeyFigures) performedShare(c *exact.Cache) (Amount, bool) {
	if k.GrantedMinutes <= 0 {
		return Amount{}, false
	}
	return AmountOf(shareOf(k.PerformedMinutes, k.GrantedMinutes, c)), true
}

// shareOf returns a ÷ b rounded half up to four decimals, taken from c
// (nil: made anew).
func shareOf(a, b int64, c *exact.Cache) decimal.Decimal {
	r := Rounding{Scale: 4, Mode: HalfUp}
	if q, ok := r.quotient(exact.Int(a), b, c); ok {
		return q
	}
	return r.Quotient(decimal.NewFromInt(a), b)
}

// Reason says why something was not paid. The zero value is
// ReasonUnknown.
type Reason uint8

// The reasons something is not paid.
const (
	ReasonUnknown    Reason = iota
	OutsidePeriod           // the visit or event lies outside the settled month
	NotApproved             // the visit was not approved in the monthly close
	NoTask                  // the visit has no task
	NoDecision              // no decision of the customer with the provider grants the visit's category on its date
	NoTariff                // no tariff version is in force on the date
	UnknownZone             // the customer's zone is not one the tariff knows
	Declined                // the customer declined the visit and the tariff pays nothing for it
	AboveCap                // the minutes exceed the component's cap
	NoComponent             // no component of the tariff matches it: none pays its category (of a visit's minutes: in any band or day), or one that pays it in their hours refused them on another condition (role, licensed, staff…), the whole visit or a part of it alike
	NotStarted              // the decision's execution has not started (ej verkställt)
	RateError               // evaluating the tariff's expression failed
	AfterLock               // the visit was registered after the month's lock date
	OutsidePaidHours        // the minutes of a visit that fall in a band or day in which no component pays its category, for any staff, though one pays it in others (a tariff that pays only some hours): the whole visit or a part of it alike; where the check of the tariff cannot decide every component of visits, the minutes of a visit partly paid in hours no component it decided pays (see the package doc, the ledger)
	ZeroLength              // the visit lasts no minutes after the tariff's time rounding
	Implausible             // the record exceeds a plausibility limit of Options (a visit of days, an item granting more than a day a day, too many staff)
	Absent                  // days of a granted item paused by an absence that the tariff pays nothing for (beyond its absence ladder, or no ladder), or that fall where no version prices the item (no tariff in force, an unknown zone): reported apart from the entry of that reason, which counts the days not paused
	ExtraStaff              // the minutes of staff present beyond those paid for (two staff when the decision does not order double staffing)
	Unresolved              // the record's customer or provider is not in the dataset
	Overflow                // a quantity is too large to be counted; a data error
	BelowMinimum            // in force fewer days of the month than the component's min_days
	NoPlannedTime           // the visit has no planned time and the component pays planned time
	PaidTwice               // two components whose overlap the tariff does not declare matched it; the first pays it
)

var reasons = enum{"reason", []string{"unknown", "outside_period", "not_approved", "no_task", "no_decision",
	"no_tariff", "unknown_zone", "declined", "above_cap", "no_component", "not_started", "rate_error", "after_lock",
	"outside_paid_hours", "zero_length", "implausible", "absent", "extra_staff", "unresolved", "overflow", "below_minimum", "no_planned_time", "paid_twice"}}

// String returns the reason's name, e.g. "not_approved".
func (r Reason) String() string { return reasons.name(uint8(r)) }

// reasonSwedish are the reasons in Swedish, by Reason, as they read after
// "skäl:".
var reasonSwedish = [...]string{
	ReasonUnknown:    "okänt skäl",
	OutsidePeriod:    "utanför månaden",
	NotApproved:      "ej attesterat",
	NoTask:           "ingen insats angiven",
	NoDecision:       "inget biståndsbeslut",
	NoTariff:         "ingen taxa i kraft",
	UnknownZone:      "okänd zon",
	Declined:         "avböjt besök",
	AboveCap:         "över taket",
	NoComponent:      "ingen komponent i taxan",
	NotStarted:       "ej verkställt",
	RateError:        "fel vid beräkning av taxan",
	AfterLock:        "registrerat efter låsdatum",
	OutsidePaidHours: "utanför ersatt tid",
	ZeroLength:       "ingen tid efter avrundning",
	Implausible:      "orimligt värde",
	Absent:           "uppehåll som inte ersätts",
	ExtraStaff:       "personal utöver beslutet",
	Unresolved:       "okänd brukare eller utförare",
	Overflow:         "för stort tal",
	BelowMinimum:     "färre dagar än komponentens minimum",
	NoPlannedTime:    "ingen planerad tid",
	PaidTwice:        "betalas av annan komponent",
}

// Swedish returns the reason as Swedish reports write it: "ingen taxa i
// kraft" for NoTariff, "okänd zon" for UnknownZone, "ej attesterat" for
// NotApproved, "uppehåll som inte ersätts" for Absent; the code for a
// reason it has no wording for.
func (r Reason) Swedish() string {
	if int(r) < len(reasonSwedish) && reasonSwedish[r] != "" {
		return reasonSwedish[r]
	}
	return r.String()
}

// Unpriced reports whether r says the tariff could not price the record:
// NoTariff (no version in force on its date), UnknownZone (the
// customer's zone is not one of the version's) and RateError (an
// expression of the tariff failed on it). The other reasons are the
// tariff's rules or the records' own state (not approved, no decision,
// above a cap); these three say the tariff and the data do not fit, and
// a month with them is not ready to invoice. A vendor that must refuse
// such a month (the command's -strict) counts them with UnpaidRecords:
//
//	var unpriced []Unpaid
//	for _, u := range s.NotPaid {
//		if u.Reason.Unpriced() {
//			unpriced = append(unpriced, u)
//		}
//	}
//	if n := UnpaidRecords(unpriced); n > 0 { … }
func (r Reason) Unpriced() bool { return r == NoTariff || r == UnknownZone || r == RateError }

// MarshalText implements encoding.TextMarshaler.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Reason) UnmarshalText(b []byte) error {
	v, err := reasons.parse(string(b), false)
	*r = Reason(v)
	return err
}

// Unpaid is something in the dataset that the settlement did not pay, or
// paid only in part, and why: with the lines' units, the other half of
// the ledger (see Line.Units).
type Unpaid struct {
	Kind RecordKind `json:"kind"`
	ID   string     `json:"id"`
	// Item names the granted item of a decision, as in UnitRef.
	Item     string `json:"item,omitempty"`
	Customer string `json:"customer"`
	Provider string `json:"provider"`
	// Version and Component name the tariff version and component that
	// did not pay, when one did.
	Version   string        `json:"version,omitempty"`
	Component string        `json:"component,omitempty"`
	Date      calendar.Date `json:"date,omitzero"`
	Reason    Reason        `json:"reason"`
	// Minutes not paid: of a visit, its staff minutes after the tariff's
	// time rounding; of a decision item, granted staff minutes.
	Minutes int64 `json:"minutes,omitempty"`
	// Days not paid, of a decision item or a listing.
	Days int `json:"days,omitempty"`
	// Detail says more, in Swedish, for people: "5 dagar med uppehåll
	// för frånvaro", "zon \"skärgård\"".
	Detail string `json:"detail,omitempty"`
}

// RecordKey names a record of a dataset: its kind and id and, for a
// granted item of a decision, the item (as Unpaid and UnitRef name it).
// It is comparable, a map key.
type RecordKey struct {
	Kind RecordKind
	ID   string
	// Item is the decision's granted item; empty for other records.
	Item string
}

// Record returns the key of the record u is about.
func (u *Unpaid) Record() RecordKey { return RecordKey{u.Kind, u.ID, u.Item} }

// UnpaidRecords counts the records among entries of what was not paid,
// given month by month (Settlement.NotPaid, or a part of it): each
// record, by kind, id and item, once, however many entries it has and
// for however many reasons: a visit not paid for extra staff and above
// the cap is one record, as is one of several months. A decision item
// (an entry with an Item) or a listing that spans a change of tariff
// version is reported once for each version, with the minutes and days
// of that version's part: one record. Only for decision items can one
// key be several records: items of one name in one decision are as many
// records as the most entries one version of one month reports for them.
func UnpaidRecords(months ...[]Unpaid) int {
	type part struct {
		record  RecordKey
		month   int
		version string
	}
	entries := map[part]int{}   // a decision item's entries by month and version
	most := map[RecordKey]int{} // a record's count
	for m, month := range months {
		for i := range month {
			u := &month[i]
			k := u.Record()
			if u.Item == "" {
				most[k] = 1
				continue
			}
			p := part{k, m, u.Version}
			entries[p]++
			most[k] = max(most[k], entries[p])
		}
	}
	n := 0
	for _, c := range most {
		n += c
	}
	return n
}

// ErrTotalsOnly is the error of a settlement that holds totals only, as
// SettleCustomers returns, where one with its lines is needed: the lines
// went to SettleCustomers' sink, and Merge of what the sink received is
// the settlement (found by a vendor's trial: Replace given the totals said
// only that a provider's lines summed to 0).
var ErrTotalsOnly = errors.New("the settlement holds totals only, no lines or customers, as SettleCustomers returns: Merge the settlements its sink received and pass that")

// TotalsOnly reports whether s holds providers' totals but no lines and
// no customers' totals: the settlement SettleCustomers returns (its lines
// went to the sink), which Replace, Merge, invoice.Build and
// invoice.Correct refuse (ErrTotalsOnly). A settlement Settle returns has
// a customer's total for every provider's.
func (s *Settlement) TotalsOnly() bool {
	return s != nil && len(s.Providers) > 0 && len(s.Customers) == 0 && len(s.Lines) == 0
}

// CheckSums verifies that s adds up: every line is of the settlement's
// month and of a known unit, its divisor and rate unit are its unit's
// (60 and kr/h for minutes, the month's days and kr/månad for days, 100
// and % for kronor, 1 otherwise), its amount is its quantity
// × rate × factor ÷ divisor rounded once by its
// version's rule (when the version rounds per unit, within what rounding
// each of its units can move that: see checkPerUnit), every customer
// and provider with lines has one total, the lines of each sum to it, and
// the lines to the settlement's total. It
// returns an error naming the first line or total that does not. A
// settlement Settle returns always adds up; one read back from its JSON
// may have been edited or cut short, and is checked before it is used
// (invoice.Correct does). A settlement of totals only, as SettleCustomers
// returns, is ErrTotalsOnly. A nil settlement is an error.
func (s *Settlement) CheckSums() error {
	if s == nil {
		return errors.New("no settlement")
	}
	if s.TotalsOnly() {
		return ErrTotalsOnly
	}
	rounding := map[string]Rounding{}
	for _, v := range s.Versions {
		// Only a rule a tariff can declare: a scale edited to 2^31 would
		// take for ever to divide by.
		if _, ok := v.Rounding.texts(); !ok {
			return fmt.Errorf("version %q: rounding %s is none a tariff can declare (scale 0–4, half_up, half_even or down)", v.Name, v.Rounding.describe())
		}
		if _, twice := rounding[v.Name]; twice {
			return fmt.Errorf("version %q: listed twice", v.Name)
		}
		rounding[v.Name] = v.Rounding
	}
	// A line divides by what its unit divides by in the month: 60 for
	// minutes, the month's days for days, 100 for kronor, 1 otherwise.
	var month calendar.Period
	if len(s.Lines) > 0 {
		var err error
		if month, err = calendar.ParseMonth(s.Period, time.UTC); err != nil {
			return fmt.Errorf("period %q: %w", s.Period, err)
		}
	}
	type pair struct{ customer, provider string }
	byCustomer := map[pair]decimal.Decimal{}
	byProvider := map[string]decimal.Decimal{}
	// Every customer and provider with lines has its total, once.
	for _, c := range s.Customers {
		k := pair{c.Customer, c.Provider}
		if _, twice := byCustomer[k]; twice {
			return fmt.Errorf("customer %s with %s: two totals", c.Customer, c.Provider)
		}
		byCustomer[k] = decimal.Decimal{}
	}
	for _, p := range s.Providers {
		if _, twice := byProvider[p.Provider]; twice {
			return fmt.Errorf("provider %s: two totals", p.Provider)
		}
		byProvider[p.Provider] = decimal.Decimal{}
	}
	var total decimal.Decimal
	for i, l := range s.Lines {
		k := pair{l.Customer, l.Provider}
		if _, ok := byCustomer[k]; !ok {
			return fmt.Errorf("line %d (%s/%s/%s): customer %s with %s has no total", i, l.Provider, l.Customer, l.Component, l.Customer, l.Provider)
		}
		if _, ok := byProvider[l.Provider]; !ok {
			return fmt.Errorf("line %d (%s/%s/%s): provider %s has no total", i, l.Provider, l.Customer, l.Component, l.Provider)
		}
		if l.Divisor <= 0 {
			return fmt.Errorf("line %d (%s/%s/%s): divisor %d; a line divides by a positive whole number", i, l.Provider, l.Customer, l.Component, l.Divisor)
		}
		if l.Period != s.Period {
			return fmt.Errorf("line %d (%s/%s/%s): period %q in a settlement of %q", i, l.Provider, l.Customer, l.Component, l.Period, s.Period)
		}
		if l.Unit == UnitUnknown || int(l.Unit) >= len(rateUnits) {
			return fmt.Errorf("line %d (%s/%s/%s): no unit; a line is of min, besök, st, dagar or kr", i, l.Provider, l.Customer, l.Component)
		}
		if want := l.Unit.divisor(month); l.Divisor != want {
			return fmt.Errorf("line %d (%s/%s/%s): divisor %d, but a line of %s divides by %d in %s", i, l.Provider, l.Customer, l.Component,
				l.Divisor, l.Unit, want, s.Period)
		}
		if want := l.Unit.RateUnit(); l.RateUnit != want {
			return fmt.Errorf("line %d (%s/%s/%s): rate unit %q, but a line of %s has its rate in %s", i, l.Provider, l.Customer, l.Component,
				l.RateUnit, l.Unit, want)
		}
		num := l.numerator()
		r, ok := rounding[l.Version]
		if !ok {
			return fmt.Errorf("line %d (%s/%s/%s): version %q not among the settlement's versions", i, l.Provider, l.Customer, l.Component, l.Version)
		}
		if want := AmountOf(r.Quotient(num, l.Divisor)); !r.PerUnit && want.String() != l.Amount.String() {
			return fmt.Errorf("line %d (%s/%s/%s): amount %s, but %s × %s ÷ %d rounded is %s",
				i, l.Provider, l.Customer, l.Component, l.Amount, l.Quantity, l.Rate, l.Divisor, want)
		}
		if r.PerUnit {
			if err := checkPerUnit(&l, r, num); err != nil {
				return fmt.Errorf("line %d (%s/%s/%s): %w", i, l.Provider, l.Customer, l.Component, err)
			}
		}
		byCustomer[k] = byCustomer[k].Add(l.Amount.Decimal)
		byProvider[l.Provider] = byProvider[l.Provider].Add(l.Amount.Decimal)
		total = total.Add(l.Amount.Decimal)
	}
	for _, c := range s.Customers {
		if got := byCustomer[pair{c.Customer, c.Provider}]; !got.Equal(c.Amount.Decimal) {
			return fmt.Errorf("customer %s with %s: total %s, lines sum to %s", c.Customer, c.Provider, c.Amount, got)
		}
	}
	for _, p := range s.Providers {
		if got := byProvider[p.Provider]; !got.Equal(p.Amount.Decimal) {
			return fmt.Errorf("provider %s: total %s, lines sum to %s", p.Provider, p.Amount, got)
		}
	}
	if !total.Equal(s.Total.Decimal) {
		return fmt.Errorf("settlement total %s, lines sum to %s", s.Total, total)
	}
	return nil
}

// checkPerUnit bounds the amount of a line of a tariff that rounds per
// unit: the sum of its units' rounded amounts, which the line alone does
// not show, lies within n rounding steps of quantity × rate × factor ÷
// divisor (num ÷ divisor), a step half a unit of the last place (a whole
// one rounding down), n the units that can carry a rounding error: at
// most the quantity's whole minutes, visits, items or days, each unit
// of a count having at least one; for kronor, the records behind the
// line. A line edited by more than its units' rounding can explain, or
// a version edited to round per unit, is refused.
func checkPerUnit(l *Line, r Rounding, num decimal.Decimal) error {
	var n decimal.Decimal
	if l.Unit == Kronor {
		n = decimal.NewFromInt(int64(max(1, len(l.Units))))
	} else {
		n = l.Quantity.Abs().Ceil()
	}
	step := decimal.New(5, -r.Scale-1)
	if r.Mode == Down {
		step = decimal.New(1, -r.Scale)
	}
	exactAmount := num.DivRound(decimal.NewFromInt(l.Divisor), r.Scale+8)
	// The exact quotient to eight places beyond the scale: its own
	// error is far below a step.
	bound := n.Mul(step).Add(decimal.New(1, -r.Scale-7))
	if diff := l.Amount.Sub(exactAmount).Abs(); diff.GreaterThan(bound) {
		return fmt.Errorf("amount %s, but %s × %s ÷ %d is %s, and rounding its %s units each moves it at most %s",
			l.Amount, l.Quantity, l.Rate, l.Divisor, exactAmount.StringFixed(r.Scale+2), n, n.Mul(step))
	}
	return nil
}
