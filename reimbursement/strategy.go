package reimbursement

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// Strategy turns the units a component matched into quantities to pay. It
// is Go code registered by name (granted_time, performed_time...); the
// tariff's expressions choose the units and price them, the strategy
// counts. Implementations must be safe for concurrent use: the engine
// calls Settle from several goroutines, each with its own Scope.
type Strategy interface {
	// Unit is the kind of unit the strategy prices; it decides the
	// environment the component's expressions are compiled against.
	Unit() Unit
	// Params declares the parameters the strategy accepts besides when
	// and rate.
	Params() []ParamSpec
	// Settle is called once per customer, provider and tariff version
	// with the units of the component's kind that its when matched, each
	// with its rate, and emits quantities through the scope.
	Settle(s *Scope) error
}

// Unit is the kind of thing a strategy prices. The zero value is
// UnitUnknown.
type Unit uint8

// The kinds of unit.
const (
	UnitUnknown Unit = iota
	UnitItem         // a granted item of a decision, over the days it is in force
	UnitSegment      // the part of a visit in one band on one date
	UnitVisit        // a whole visit, in the band of its start
	UnitListing      // a listing (enrolment), over the days it is in force
	UnitEvent        // an alarm event or other occurrence
)

var unitNames = []string{"unknown", "item", "segment", "visit", "listing", "event"}

// String returns the unit's name.
func (u Unit) String() string {
	if int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", u)
}

func (u Unit) env() any {
	switch u {
	case UnitItem:
		return ItemEnv{}
	case UnitSegment, UnitVisit:
		return VisitEnv{}
	case UnitListing:
		return ListingEnv{}
	case UnitEvent:
		return EventEnv{}
	}
	return Base{}
}

// ParamKind is the type of a strategy parameter.
type ParamKind uint8

// The kinds of parameter.
const (
	ParamUnknown ParamKind = iota
	ParamExpr              // a decimal expression in the unit's environment
	ParamCapExpr           // a decimal expression in CapEnv
	ParamDecimal           // a constant decimal, written as a string
	ParamString            // one of the spec's Choices
	ParamStrings           // a list of strings
	ParamBool              // true or false
	ParamLadder            // a day ladder: [{"days": 1, "share": "1"}, ...]
	ParamLevels            // level bands: [{"name": "1", "from_hours": "0"}, ...]
)

// ParamSpec declares a strategy parameter.
type ParamSpec struct {
	Name     string
	Kind     ParamKind
	Required bool
	// Choices are the allowed values of a ParamString.
	Choices []string
	Doc     string
}

// LevelBand is one band of a level strategy: customers granted at least
// FromHours hours a month (and less than the next band) are at level Name.
type LevelBand struct {
	Name      string          `json:"name"`
	FromHours decimal.Decimal `json:"from_hours"`
}

// Levels returns a ParamLevels parameter's bands, sorted by FromHours.
func (p *Param) Levels() []LevelBand { return p.levels }

func compileParam(c *compiler, spec ParamSpec, raw json.RawMessage, unitEnv any) (*Param, error) {
	p := &Param{Name: spec.Name, Source: string(raw), kind: spec.Kind}
	var s string
	switch spec.Kind {
	case ParamExpr, ParamCapExpr, ParamDecimal, ParamString:
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errors.New("want a string")
		}
		p.Source = s
	}
	var err error
	switch spec.Kind {
	case ParamExpr:
		// Compiled against every unit environment the parameter may be
		// used with: the strategy's own.
		p.prog, err = c.compile(s, unitEnv, decimalType)
	case ParamCapExpr:
		p.prog, err = c.compile(s, CapEnv{}, decimalType)
	case ParamDecimal:
		p.dec, err = parseRate(json.RawMessage(`"` + s + `"`))
	case ParamString:
		p.str = s
		if len(spec.Choices) > 0 && !slices.Contains(spec.Choices, s) {
			err = fmt.Errorf("%q: want one of %s", s, strings.Join(spec.Choices, ", "))
		}
	case ParamStrings:
		err = json.Unmarshal(raw, &p.list)
	case ParamBool:
		err = json.Unmarshal(raw, &p.bool)
	case ParamLadder:
		var steps []struct {
			Days  int    `json:"days"`
			Share string `json:"share"`
		}
		if err = strictUnmarshal(raw, &steps); err != nil {
			break
		}
		for i, st := range steps {
			share, e := decimal.NewFromString(st.Share)
			switch {
			case e != nil:
				err = fmt.Errorf("step %d: share %q is not a decimal", i, st.Share)
			case share.IsNegative() || share.GreaterThan(decimal.NewFromInt(1)):
				err = fmt.Errorf("step %d: share %s is not 0–1", i, share)
			case st.Days <= 0:
				err = fmt.Errorf("step %d: days %d: want at least 1", i, st.Days)
			}
			if err != nil {
				break
			}
			p.ladder = append(p.ladder, LadderStep{Days: st.Days, Share: share})
		}
	case ParamLevels:
		var bands []struct {
			Name      string `json:"name"`
			FromHours string `json:"from_hours"`
		}
		if err = strictUnmarshal(raw, &bands); err != nil {
			break
		}
		for i, b := range bands {
			from, e := decimal.NewFromString(b.FromHours)
			if e != nil || from.IsNegative() || b.Name == "" {
				err = fmt.Errorf("band %d: want a name and from_hours ≥ 0", i)
				break
			}
			if i > 0 && !from.GreaterThan(p.levels[i-1].FromHours) {
				err = fmt.Errorf("band %d: from_hours %s does not rise", i, from)
				break
			}
			p.levels = append(p.levels, LevelBand{Name: b.Name, FromHours: from})
		}
		if err == nil && (len(p.levels) == 0 || !p.levels[0].FromHours.IsZero()) {
			err = errors.New("the first band must start at from_hours 0")
		}
	default:
		err = fmt.Errorf("parameter kind %d is not supported", spec.Kind)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

func strictUnmarshal(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Strategy{}
)

// Register makes a strategy available to tariffs under name. It returns
// an error if the name is taken or empty, or the strategy's unit is
// unknown. Register before loading the tariffs that use it.
func Register(name string, s Strategy) error {
	registryMu.Lock()
	defer registryMu.Unlock()
	if name == "" || s == nil {
		return errors.New("reimbursement: Register: empty name or nil strategy")
	}
	if _, dup := registry[name]; dup {
		return fmt.Errorf("reimbursement: Register: strategy %q is already registered", name)
	}
	if s.Unit() == UnitUnknown || s.Unit() > UnitEvent {
		return fmt.Errorf("reimbursement: Register: strategy %q has unknown unit %s", name, s.Unit())
	}
	registry[name] = s
	return nil
}

// LookupStrategy returns the strategy registered under name.
func LookupStrategy(name string) (Strategy, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	s, ok := registry[name]
	return s, ok
}

// Strategies returns the registered strategy names, sorted.
func Strategies() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return sortedKeys(registry)
}

// QuantityUnit is what a line's quantity counts; it decides the rate's
// unit and the divisor of the amount.
type QuantityUnit uint8

// The quantity units.
const (
	QuantityUnknown QuantityUnit = iota
	Minutes                      // minutes at a rate in kr per hour: amount = min × rate ÷ 60
	Visits                       // visits at kr per visit
	Occurrences                  // occurrences at kr each
	Days                         // days at kr per month: amount = days × rate ÷ days in month
	Kronor                       // kronor at a percentage: amount = kr × rate ÷ 100
)

var quantityUnits = []struct{ name, rate string }{
	{"unknown", ""}, {"min", "kr/h"}, {"besök", "kr/besök"}, {"st", "kr/st"}, {"dagar", "kr/månad"}, {"kr", "%"},
}

// String returns the unit as reports print it: "min", "besök", "st",
// "dagar", "kr".
func (u QuantityUnit) String() string {
	if int(u) < len(quantityUnits) {
		return quantityUnits[u].name
	}
	return fmt.Sprintf("QuantityUnit(%d)", u)
}

// RateUnit returns the unit of a rate for this quantity: "kr/h",
// "kr/besök", "kr/st", "kr/månad", "%".
func (u QuantityUnit) RateUnit() string {
	if int(u) < len(quantityUnits) {
		return quantityUnits[u].rate
	}
	return ""
}

// divisor returns what quantity × rate is divided by.
func (u QuantityUnit) divisor(p calendar.Period) int64 {
	switch u {
	case Minutes:
		return 60
	case Days:
		return int64(p.Days())
	case Kronor:
		return 100
	}
	return 1
}

// Quantity is what a strategy emits: a quantity of a unit at a rate,
// optionally scaled by a factor (a share paid for declined visits, an
// absence day's share). The engine adds up equal quantities of a customer
// into one line and computes amount = quantity × rate × factor ÷ divisor,
// rounded once.
type Quantity struct {
	// Kind tells lines of one component apart: "" for the base, or e.g.
	// "declined", "absence day 1".
	Kind     string
	Category models.Category
	Zone     string
	Band     string
	Unit     QuantityUnit
	Quantity decimal.Decimal
	Rate     decimal.Decimal
	// Factor scales the amount; zero means 1.
	Factor decimal.Decimal
	// Lookups are the table lookups that gave the rate.
	Lookups []Lookup
	// Steps explain how the quantity was reached (caps, thresholds...).
	Steps []string
	// Env is the environment of a unit behind the quantity, shown as the
	// line's inputs in its explanation.
	Env any

	rateKey string // Rate as a string, when the strategy already has it
}

// Scope is what a strategy sees of one customer, provider and tariff
// version: the units the component matched, the context to count them in,
// and the means to emit quantities and report what is not paid.
type Scope struct {
	Component *Component
	Version   *Version
	Period    calendar.Period
	Customer  *models.Customer
	Provider  *models.Provider

	// The units of the component's kind that its when matched, each with
	// its rate, in chronological order. The slices are valid only during
	// the call of Settle.
	Items    []ItemUnit
	Segments []SegmentUnit
	Visits   []VisitUnit
	Listings []ListingUnit
	Events   []EventUnit

	c *caseState
}

// ItemUnit is a granted item over the days of one zone and version.
type ItemUnit struct {
	Decision *models.Decision
	Item     *models.GrantedItem
	Grant    models.Grant
	Zone     string
	Env      ItemEnv
	Rate     decimal.Decimal
	Lookups  []Lookup
	rateKey  string
}

// SegmentUnit is the part of a visit in one band on one date.
type SegmentUnit struct {
	Visit    *models.Visit
	Category models.Category
	Band     string
	Date     calendar.Date
	Start    time.Time
	// Minutes are this segment's share of the visit's rounded minutes,
	// for one staff member.
	Minutes int64
	// Staff is the number of staff paid for: 2 when the visit was double
	// staffed and the decision orders it, otherwise 1.
	Staff       int
	HasDecision bool
	Zone        string
	Env         VisitEnv
	Rate        decimal.Decimal
	Lookups     []Lookup
	rateKey     string
	pos         int // index of the visit in its case
}

// VisitUnit is a whole visit, in the band of its start.
type VisitUnit struct {
	Visit       *models.Visit
	Category    models.Category
	Band        string
	Date        calendar.Date
	Minutes     int64
	Staff       int
	HasDecision bool
	Zone        string
	Env         VisitEnv
	Rate        decimal.Decimal
	Lookups     []Lookup
	rateKey     string
	pos         int // index of the visit in its case
}

// ListingUnit is a listing over the days of one zone and version.
type ListingUnit struct {
	Listing *models.Listing
	Dates   calendar.DateRange
	Days    int
	Zone    string
	Env     ListingEnv
	Rate    decimal.Decimal
	Lookups []Lookup
	rateKey string
}

// EventUnit is one alarm event or other occurrence.
type EventUnit struct {
	Event   *models.AlarmEvent
	Band    string
	Date    calendar.Date
	Zone    string
	Env     EventEnv
	Rate    decimal.Decimal
	Lookups []Lookup
	rateKey string
}

// Explain reports whether the settlement records explanations; a
// strategy may skip building its Steps when it does not.
func (s *Scope) Explain() bool { return s.c.explain }

// Emit adds a quantity to the settlement.
func (s *Scope) Emit(q Quantity) { s.c.emit(s.Component, q) }

// NotPaid reports something the component will not pay, with the reason.
func (s *Scope) NotPaid(u Unpaid) {
	if u.Customer == "" {
		u.Customer = s.Customer.ID
	}
	if u.Provider == "" {
		u.Provider = s.Provider.ID
	}
	if u.Component == "" {
		u.Component = s.Component.Name
	}
	s.c.unpaid = append(s.c.unpaid, u)
}

// Granted returns the granted staff minutes of the customer's decisions
// with the provider for a category, on the days of this version in the
// period, after pauses.
func (s *Scope) Granted(c models.Category) int64 { return s.c.granted[s.c.vi][c] }

// Performed returns the performed staff minutes of the customer's
// approved, not declined visits with the provider of a category on the
// days of this version: the measure performed shares are computed from.
func (s *Scope) Performed(c models.Category) int64 { return s.c.performed[s.c.vi][c] }

// PaidMinutes returns the minutes an earlier component of this version
// paid the customer (see CapEnv.Performed).
func (s *Scope) PaidMinutes(component string) int64 { return s.c.paidMinutes[component] }

// Eval evaluates a ParamExpr parameter in env, which must be the
// environment of the component's unit (ItemEnv, VisitEnv...) or, for a
// ParamCapExpr, a CapEnv. Results are memoised per environment.
func (s *Scope) Eval(p *Param, env envWith) (decimal.Decimal, error) {
	r := s.c.w.ev.eval(p.prog, s.Version.normalize(env))
	if r.err != nil {
		return decimal.Decimal{}, fmt.Errorf("%s: %w", p.Name, r.err)
	}
	return r.dec, nil
}

// Base returns the base environment of the scope on a date's zone.
func (s *Scope) Base(zone string) Base { return s.c.base(zone) }

// Rate evaluates the component's rate expression in env, for strategies
// that complete the environment themselves (see SelfPricing).
func (s *Scope) Rate(env envWith) (decimal.Decimal, []Lookup, error) {
	r := s.c.w.ev.eval(s.Component.rate, s.Version.normalize(env))
	return r.dec, r.lookups, r.err
}

// Absences returns the customer's absences, sorted by start.
func (s *Scope) Absences() []models.Absence { return s.c.w.in.absences[s.Customer.ID] }

// SelfPricing is implemented by strategies that evaluate the component's
// rate themselves with Scope.Rate, in an environment they complete: the
// level strategy sets ItemEnv.Level. The engine then matches units by
// their when expression alone and leaves their Rate zero.
type SelfPricing interface {
	Strategy
	PricesItself() bool
}

func pricesItself(st Strategy) bool {
	sp, ok := st.(SelfPricing)
	return ok && sp.PricesItself()
}
