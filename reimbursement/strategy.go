package reimbursement

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// strategy turns the units a component matched into quantities to pay. It
// is Go code registered by name (granted_time, performed_time...); the
// tariff's expressions choose the units and price them, the strategy
// counts. Implementations must be safe for concurrent use: the engine
// calls Settle from several goroutines, each with its own Scope.
type strategy interface {
	// Unit is the kind of unit the strategy prices; it decides the
	// environment the component's expressions are compiled against.
	Unit() unitKind
	// Params declares the parameters the strategy accepts besides when
	// and rate.
	Params() []paramSpec
	// Settle is called once per customer, provider and tariff version
	// with the units of the component's kind that its when matched, each
	// with its rate, and emits quantities through the scope. It may
	// return an error at any point, with nothing to clean up: the engine
	// undoes what it emitted, reported and paid, and reports each of its
	// units not paid (see caseState.settleComponent). A strategy must
	// change the case only through the scope (Emit, NotPaid) for that to
	// hold.
	Settle(s *scope) error
}

// unitKind is the kind of thing a strategy prices. The zero value is
// UnitUnknown.
type unitKind uint8

// The kinds of unit.
const (
	unitUnknown unitKind = iota
	unitItem             // a granted item of a decision, over the days it is in force
	unitSegment          // the part of a visit in one band on one date
	unitVisit            // a whole visit, in the band of its start
	unitListing          // a listing (enrolment), over the days it is in force
	unitEvent            // an alarm event or other occurrence
)

var unitNames = []string{"unknown", "item", "segment", "visit", "listing", "event"}

// String returns the unit's name.
func (u unitKind) String() string {
	if int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", u)
}

func (u unitKind) env() any {
	switch u {
	case unitItem:
		return itemEnv{}
	case unitSegment, unitVisit:
		return visitEnv{}
	case unitListing:
		return listingEnv{}
	case unitEvent:
		return eventEnv{}
	}
	return baseEnv{}
}

// paramKind is the type of a strategy parameter.
type paramKind uint8

// The kinds of parameter.
const (
	paramUnknown paramKind = iota
	paramExpr              // a decimal expression in the unit's environment
	paramCapExpr           // a decimal expression in CapEnv
	paramDecimal           // a constant decimal, written as a string
	paramString            // one of the spec's Choices
	paramStrings           // a list of strings
	paramBool              // true or false
	paramLadder            // a day ladder: [{"days": 1, "share": "1"}, ...]
	paramLevels            // levels of granted hours: [{"name": "1", "from_hours": "0"}, ...]
)

// paramSpec declares a strategy parameter.
type paramSpec struct {
	Name     string
	Kind     paramKind
	Required bool
	// Choices are the allowed values of a ParamString.
	Choices []string
	// Min and Max bound a decimal parameter, constant or expression:
	// "0" and "1" for a share. The loader checks a constant against them
	// and the probe evaluates an expression over the units the tariff can
	// meet; a cap expression is evaluated with granted and performed
	// minutes from none to a month round the clock. Empty: unbounded.
	Min, Max string
	// Canon reads each value of a ParamStrings into its one canonical
	// spelling (absence reasons through models.ParseAbsenceReason), or
	// refuses it.
	Canon func(string) (string, error)
	// Whole, for a constant decimal, names what a whole number of it
	// counts ("days"): the value must be a whole number, and the errors
	// say so.
	Whole string
	Doc   string
}

// paramChecker is implemented by strategies whose parameters depend on
// each other (a parameter required by the value of another). The loader
// calls checkParams with the component's compiled parameters (nil for one
// not given) after each has passed its own declaration; it reports
// problems through bad, by parameter name.
type paramChecker interface {
	checkParams(param func(name string) *param, bad func(name string, err error))
}

// The bounds of common parameters.
const (
	shareMin, shareMax = "0", "1"
	// capMax is the most minutes a cap may allow: more than a month
	// round the clock for a hundred staff, far from where an integer
	// overflows.
	capMax = "10000000"
)

// bounds returns a spec's Min and Max as decimals, and whether each is
// set.
func (spec paramSpec) bounds() (lo, hi decimal.Decimal, hasLo, hasHi bool) {
	if spec.Min != "" {
		lo, hasLo = decimal.RequireFromString(spec.Min), true
	}
	if spec.Max != "" {
		hi, hasHi = decimal.RequireFromString(spec.Max), true
	}
	return lo, hi, hasLo, hasHi
}

// inBounds checks d against a spec's bounds; a share (0–1) written as a
// percentage (80) is told how to write it (0.80).
func (spec paramSpec) inBounds(d decimal.Decimal) error {
	lo, hi, hasLo, hasHi := spec.bounds()
	if hasLo && d.LessThan(lo) || hasHi && d.GreaterThan(hi) {
		if spec.Min == shareMin && spec.Max == shareMax && d.GreaterThan(one) && d.LessThanOrEqual(hundred) {
			return fmt.Errorf("%s is outside 0–1: a share is written as a decimal, %s for %s %%", d, shareOfPercent(d), d)
		}
		return fmt.Errorf("%s is outside %s–%s", d, spec.Min, spec.Max)
	}
	if spec.Whole != "" && !d.IsInteger() {
		return fmt.Errorf("%s is not a whole number of %s (%s–%s)", d, spec.Whole, spec.Min, spec.Max)
	}
	return nil
}

var hundred = decimal.NewFromInt(100)

// shareHint tells how to write a share (0–1) written as a percentage
// ("100%": "1") or with a decimal comma ("0,5": "0.5"), else "".
func shareHint(s string, lim Limits) string {
	if p, ok := strings.CutSuffix(strings.TrimSpace(s), "%"); ok {
		if d, err := parseDecimal(strings.TrimSpace(p), lim); err == nil {
			return fmt.Sprintf(": a share is written as a decimal 0–1, %q for %s %%", shareOfPercent(d), d)
		}
	}
	return commaHint(s, lim)
}

// shareOfPercent writes the share of a percentage p as a decimal of at least
// two places: 80 → 0.80, 12.5 → 0.125.
func shareOfPercent(p decimal.Decimal) string {
	s := p.Shift(-2)
	return s.StringFixed(max(2, -s.Exponent()))
}

// wantString is the error of a parameter written as another JSON value
// than the string it must be: a number is told to be quoted, "10" for 10.
func wantString(spec paramSpec, raw json.RawMessage) error {
	var n json.Number
	isNumber := json.Unmarshal(raw, &n) == nil
	switch {
	case spec.Whole != "" && isNumber:
		return fmt.Errorf("want a whole number of %s written as a string: %q, not %s", spec.Whole, n.String(), n)
	case spec.Whole != "":
		return fmt.Errorf("want a whole number of %s written as a string, e.g. \"10\"", spec.Whole)
	case isNumber && (spec.Kind == paramDecimal || spec.Kind == paramExpr || spec.Kind == paramCapExpr):
		return fmt.Errorf("want a string: write the number in quotes, %q, not %s", n.String(), n)
	}
	return errors.New("want a string")
}

// levelBand is one band of a level strategy: customers granted at least
// FromHours hours a month (and less than the next band) are at level Name.
type levelBand struct {
	Name      string          `json:"name"`
	FromHours decimal.Decimal `json:"from_hours"`
}

// Levels returns a ParamLevels parameter's bands, sorted by FromHours.
func (p *param) Levels() []levelBand { return p.levels }

func compileParam(c *compiler, spec paramSpec, raw json.RawMessage, unitEnv any) (*param, error) {
	p := &param{Name: spec.Name, Source: string(raw), kind: spec.Kind, spec: spec}
	var s string
	switch spec.Kind {
	case paramExpr, paramCapExpr, paramDecimal, paramString:
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, wantString(spec, raw)
		}
		p.Source = s
	}
	var err error
	switch spec.Kind {
	case paramExpr:
		// Compiled against every unit environment the parameter may be
		// used with: the strategy's own.
		p.prog, err = c.compile(s, unitEnv, decimalType)
		if d, derr := parseDecimal(strings.TrimSpace(s), c.lim); err == nil && derr == nil {
			// A number alone is checked against the bounds here, beside
			// the version's other problems; an expression waits for the
			// probe, which runs once the version compiles.
			err = spec.inBounds(d)
		}
	case paramCapExpr:
		p.prog, err = c.compile(s, capEnv{}, decimalType)
		if err == nil {
			id, ok := p.prog.Node().(*ast.IdentifierNode)
			p.granted = ok && id.Value == "granted"
		}
	case paramDecimal:
		if p.dec, err = parseDecimal(s, c.lim); err == nil {
			err = spec.inBounds(p.dec)
		} else if spec.Whole != "" && !errors.Is(err, ErrLimit) {
			err = fmt.Errorf("%.40q is not a whole number of %s: write it like \"15\" (%s–%s)", s, spec.Whole, spec.Min, spec.Max)
		}
	case paramString:
		p.str = s
		if len(spec.Choices) > 0 && !slices.Contains(spec.Choices, s) {
			err = fmt.Errorf("%q: want one of %s", s, strings.Join(spec.Choices, ", "))
		}
	case paramStrings:
		if err = json.Unmarshal(raw, &p.list); err != nil {
			break
		}
		for i, v := range p.list {
			if spec.Canon != nil {
				if v, err = spec.Canon(v); err != nil {
					err = fmt.Errorf("[%d]: %w", i, err)
					break
				}
				p.list[i] = v
			}
			if len(spec.Choices) > 0 && !slices.Contains(spec.Choices, v) {
				err = fmt.Errorf("[%d]: %.40q: want one of %s", i, v, strings.Join(spec.Choices, ", "))
				break
			}
		}
		if err == nil {
			// A value named twice (hospital and its alias sjukhus) is
			// kept once: the list is searched for each absent day, and is
			// as long as its choices, however long the tariff writes it.
			seen := make(map[string]bool, len(p.list))
			p.list = slices.DeleteFunc(p.list, func(v string) bool {
				dup := seen[v]
				seen[v] = true
				return dup
			})
		}
	case paramBool:
		err = json.Unmarshal(raw, &p.bool)
	case paramLadder:
		p.ladder, err = parseLadder(raw, c.lim)
	case paramLevels:
		p.levels, err = parseLevels(raw, c.lim)
	default:
		err = fmt.Errorf("parameter kind %d is not supported", spec.Kind)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// parseLadder reads a day ladder: at most lim.MaxSteps steps of 1–3660
// days at shares 0–1.
func parseLadder(raw json.RawMessage, lim Limits) (ladder []ladderStep, err error) {
	var steps []struct {
		Days  int    `json:"days"`
		Share string `json:"share"`
	}
	if err = strictUnmarshal(raw, &steps); err != nil {
		return nil, err
	}
	if len(steps) > lim.MaxSteps {
		// Each paused item is shared out among the steps.
		return nil, fmt.Errorf("%w: a ladder of %d steps; at most %d", ErrLimit, len(steps), lim.MaxSteps)
	}
	for i, st := range steps {
		share, e := parseDecimal(st.Share, lim)
		switch {
		case e != nil:
			err = fmt.Errorf("step %d: share %q is not a decimal%s", i, st.Share, shareHint(st.Share, lim))
		case share.IsNegative() || share.GreaterThan(decimal.NewFromInt(1)):
			err = fmt.Errorf("step %d: share %s is not 0–1", i, share)
		case st.Days <= 0 || st.Days > 3660:
			err = fmt.Errorf("step %d: days %d: want 1–3660", i, st.Days)
		}
		if err != nil {
			break
		}
		ladder = append(ladder, ladderStep{Days: st.Days, Share: share})
	}
	return ladder, err
}

// parseLevels reads the levels of granted hours: named, from 0 hours,
// rising. Its errors say level, not band: the bands are the schedule's
// times of day.
func parseLevels(raw json.RawMessage, lim Limits) (levels []levelBand, err error) {
	var bands []struct {
		Name      string `json:"name"`
		FromHours string `json:"from_hours"`
	}
	if err = strictUnmarshal(raw, &bands); err != nil {
		return nil, err
	}
	if len(bands) > lim.MaxSteps {
		return nil, fmt.Errorf("%w: %d levels; at most %d", ErrLimit, len(bands), lim.MaxSteps)
	}
	for i, b := range bands {
		from, e := parseDecimal(strings.TrimSpace(b.FromHours), lim)
		switch {
		case b.Name == "" || len(b.Name) > lim.MaxLiteralBytes:
			err = fmt.Errorf("levels[%d]: want a name of 1–%d bytes", i, lim.MaxLiteralBytes)
		case e != nil && errors.Is(e, ErrLimit):
			err = fmt.Errorf("levels[%d] (level %.40q): from_hours: %w", i, b.Name, e)
		case e != nil:
			err = fmt.Errorf("levels[%d] (level %.40q): from_hours %.40q is not a number of hours%s", i, b.Name, b.FromHours, commaHint(b.FromHours, lim))
		case from.IsNegative():
			err = fmt.Errorf("levels[%d] (level %.40q): from_hours %s is negative", i, b.Name, from)
		case i > 0 && !from.GreaterThan(levels[i-1].FromHours):
			err = fmt.Errorf("levels[%d] (level %.40q): from_hours %s does not rise", i, b.Name, from)
		}
		if err != nil {
			break
		}
		levels = append(levels, levelBand{Name: b.Name, FromHours: from})
	}
	if err == nil && (len(levels) == 0 || !levels[0].FromHours.IsZero()) {
		err = errors.New("the first level must start at from_hours 0")
	}
	return levels, err
}

func strictUnmarshal(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

var (
	registryMu sync.RWMutex
	registry   = map[string]strategy{}
)

// register makes a strategy available to tariffs under name. It returns
// an error if the name is taken or empty, or the strategy's unit is
// unknown. register before loading the tariffs that use it.
func register(name string, s strategy) error {
	registryMu.Lock()
	defer registryMu.Unlock()
	if name == "" || s == nil {
		return errors.New("reimbursement: Register: empty name or nil strategy")
	}
	if _, dup := registry[name]; dup {
		return fmt.Errorf("reimbursement: Register: strategy %q is already registered", name)
	}
	if s.Unit() == unitUnknown || s.Unit() > unitEvent {
		return fmt.Errorf("reimbursement: Register: strategy %q has unknown unit %s", name, s.Unit())
	}
	registry[name] = s
	return nil
}

// lookupStrategy returns the strategy registered under name.
func lookupStrategy(name string) (strategy, bool) {
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

// Unit is what a line's quantity counts; it decides the rate's
// unit and the divisor of the amount.
type Unit uint8

// The quantity units.
const (
	UnitUnknown Unit = iota
	Minutes          // minutes at a rate in kr per hour: amount = min × rate ÷ 60
	Visits           // visits at kr per visit
	Occurrences      // occurrences at kr each
	Days             // days at kr per month: amount = days × rate ÷ days in month
	Kronor           // kronor at a percentage: amount = kr × rate ÷ 100
)

var units = enum{"unit", []string{"unknown", "min", "besök", "st", "dagar", "kr"}}

var rateUnits = []string{"", "kr/h", "kr/besök", "kr/st", "kr/månad", "%"}

// String returns the unit as reports print it: "min", "besök", "st",
// "dagar", "kr".
func (u Unit) String() string { return units.name(uint8(u)) }

// MarshalText implements encoding.TextMarshaler.
func (u Unit) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := units.parse(string(b), false)
	*u = Unit(v)
	return err
}

// RateUnit returns the unit of a rate for this quantity: "kr/h",
// "kr/besök", "kr/st", "kr/månad", "%".
func (u Unit) RateUnit() string {
	if int(u) < len(rateUnits) {
		return rateUnits[u]
	}
	return ""
}

// divisor returns what quantity × rate is divided by.
func (u Unit) divisor(p calendar.Period) int64 {
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

// quantity is what a strategy emits: a quantity of a unit at a rate,
// optionally scaled by a factor (a share paid for declined visits, an
// absence day's share). The engine adds up equal quantities of a customer
// into one line and computes amount = quantity × rate × factor ÷ divisor,
// rounded once.
type quantity struct {
	// Kind tells lines of one component apart: "" for the base, or e.g.
	// "declined", "absence day 1".
	Kind     LineKind
	Category models.Category
	Zone     string
	Band     string
	Unit     Unit
	Quantity decimal.Decimal
	Rate     decimal.Decimal
	// Factor scales the amount when Scaled is set, zero included (a share
	// of nothing pays nothing); without Scaled the factor is 1. Set both
	// with scale.
	Factor decimal.Decimal
	Scaled bool
	// Lookups are the table lookups that gave the rate.
	Lookups []Lookup
	// Steps explain how the quantity was reached (caps, thresholds...).
	Steps []string
	// Env is the environment of a unit behind the quantity, shown as the
	// line's inputs in its explanation; Envs, when set, are those of all
	// its units (see groups), which the line takes over.
	Env  any
	Envs *envSet
	// Units are the records behind the quantity, with what of them it
	// pays: the line's part of the ledger. The line copies them, so they
	// may be the strategy's scratch (see scope.oneUnit).
	Units []UnitRef
	// pools are the categories of the granted items behind a quantity
	// that pays items of several (a level's pool: cleaning and a shower at
	// one level), beside Category; the line pays for the visits of each
	// (see reportUnmatched). Empty where Category is all.
	pools categories

	// unitAmount is the sum of the rounded amounts of the units behind the
	// quantity and units their number, when the tariff rounds per unit
	// and the quantity adds up several units (see groups.unitAmounts).
	unitAmount decimal.Decimal
	units      int
}

// scale sets the quantity's factor, which may be zero.
func (q *quantity) scale(f decimal.Decimal) { q.Factor, q.Scaled = f, true }

// scope is what a strategy sees of one customer, provider and tariff
// version: the units the component matched, the context to count them in,
// and the means to emit quantities and report what is not paid.
type scope struct {
	Component *Component
	Version   *Version
	Period    calendar.Period
	Customer  *models.Customer
	Provider  *models.Provider

	// The units of the component's kind that its when matched, each with
	// its rate, in chronological order. The slices are valid only during
	// the call of Settle.
	Items    []itemUnit
	Segments []*segmentUnit // the case's own, priced for the component
	Visits   []visitUnit
	Listings []listingUnit
	Events   []eventUnit

	// levelPool, for a level component whose when reads level, are the
	// item units whose granted time sets the level of each day: those
	// its when matches at some level (see caseState.matchLevels); nil
	// otherwise, when the level is that of Items.
	levelPool []itemUnit

	// ladders are the absence ladder's shares of the paused minutes of
	// each pool and zone, worked out for the first unit of the pool that
	// asks (see ladderMinutes) and read by the others.
	ladders map[ladderKey]*ladderShare
	// ladderUnits are the case's item units a ladder shares a pool's
	// paused minutes among, by pool and zone, in the order of version and
	// unit (see ladderMinutes); made at the first ladder's need.
	ladderUnits map[ladderKey][]*itemUnit

	c *caseState
}

// ladderKey is a pool (its first item) in a zone.
type ladderKey struct {
	pool *models.GrantedItem
	zone string
}

// ladderShare is the ladder's share of a pool's paused minutes in a zone:
// n minutes a unit (a step's and the unpaid days'), the units' in the
// order at.
type ladderShare struct {
	n   int
	out []int
	at  map[ladderUnit]int
}

// ladderUnit is an item unit of a pool in a zone: its item and days.
type ladderUnit struct {
	item    *models.GrantedItem
	inForce calendar.DateRange
}

// itemUnit is a granted item over the days of one zone and version.
type itemUnit struct {
	Decision *models.Decision
	Item     *models.GrantedItem
	Grant    models.Grant
	Zone     string
	Env      itemEnv
	Rate     decimal.Decimal
	Lookups  []Lookup
	name     string // itemName(Item), for the ledger
	// alike and place: how many items of its decision have its name and
	// its place among them (grantitem.Places), set when the settlement
	// explains; 0 otherwise.
	alike, place int32
	// occurrences is the unit's share of the item's occurrences in the
	// month (for one staff member), rounded once a month and shared out
	// among its parts as its minutes are (see shareGrants); pausedMinutes
	// its share of the item's minutes on paused days, for one staff
	// member, alike.
	occurrences, pausedMinutes int
	// share is what the unit's minutes are a share of (see describeGrant).
	share itemShare
	// levelDays are the days of the month a level component whose when
	// reads level matched the unit on: the days its when holds at the
	// day's level (see caseState.matchLevels), none when it holds at a
	// level of none of its days; levelMatched says the unit was matched
	// so. Every other component matches a unit on all its days in force.
	levelDays    calendar.DaySet
	levelMatched bool
	// pool is the first item of the unit's pool: the item itself, or
	// the item it renews (see poolRenewals); activity that of its pool
	// of activities.
	pool, activity *models.GrantedItem
}

// itemShare is what a granted item unit's minutes are a share of: the
// minutes of its pool for the month (for one staff member), rounded once,
// its zone's share of them, the parts with paid days they were shared
// out among, first by zone, then within each zone (see shareGrants), and
// the pool's paid days in the month, which month is prorated by.
type itemShare struct {
	month, zone, among, days int
}

// segmentUnit is the part of a visit in one band on one date. Its small
// fields share words at its end: a case holds one per band a visit
// touches, each built once and read by every component of segments.
type segmentUnit struct {
	Visit *models.Visit
	Band  string
	Date  calendar.Date
	Start time.Time
	// Minutes are this segment's share of the visit's rounded minutes,
	// for one staff member.
	Minutes int64
	Zone    string
	// env is the segment's environment in the case's table of them (see
	// rawEnvs), which lives as long as the case, and raw its number
	// there: the segments of a case share a few environments, which are
	// normalised and compared once each, not once per segment.
	env *visitEnv
	// visitEnv is the environment of the whole visit, which a component
	// paying whole visits reads (see capUsedBefore).
	visitEnv *visitEnv
	Rate     decimal.Decimal
	Lookups  []Lookup
	pos      int32 // index of the visit in its case
	raw      int32
	// Staff is the number of staff paid for: 2 when the visit was double
	// staffed and the decision orders it, otherwise 1.
	Staff int32
	// Present is the number of staff present (Visit.StaffCount, at most
	// ceilingMaxStaff): the minutes of those beyond Staff are reported
	// extra_staff.
	Present     int32
	Category    models.Category
	HasDecision bool
}

// visitUnit is a whole visit, in the band of its start; its small fields
// share words at its end, as segmentUnit's do.
type visitUnit struct {
	Visit   *models.Visit
	Band    string
	Date    calendar.Date
	Minutes int64
	Zone    string
	// Env is the visit's environment in the case's table of them (see
	// rawEnvs), shared with its first segment where they agree, and raw
	// its number there, as for segmentUnit.
	Env     *visitEnv
	Rate    decimal.Decimal
	Lookups []Lookup
	// performed is the visit's performed staff minutes (its time, by the
	// tariff's rounding, times the staff paid for); 0 for a declined
	// visit. task is its first task code, as the task map writes it.
	performed int64
	task      string
	pos       int32 // index of the visit in its case
	raw       int32
	Staff     int32
	// Present is the number of staff present (Visit.StaffCount): the
	// minutes of those beyond Staff are reported extra_staff.
	Present     int32
	Category    models.Category
	HasDecision bool
	// endKind and longestKind are the kinds of day of the visit's last
	// minute and of its longest band (see longestKind), the day_kind of
	// per_visit's band "end" and "longest".
	endKind, longestKind calendar.DayKind
}

// listingUnit is a listing over the days of one zone and version.
type listingUnit struct {
	Listing *models.Listing
	Dates   calendar.DateRange
	Days    int
	Zone    string
	Env     listingEnv
	Rate    decimal.Decimal
	Lookups []Lookup
}

// eventUnit is one alarm event or other occurrence.
type eventUnit struct {
	Event   *models.AlarmEvent
	Band    string
	Date    calendar.Date
	Zone    string
	Env     eventEnv
	Rate    decimal.Decimal
	Lookups []Lookup
}

// Explain reports whether the settlement records explanations; a
// strategy may skip building its Steps when it does not.
func (s *scope) Explain() bool { return s.c.explain }

// Emit adds a quantity to the settlement.
func (s *scope) Emit(q quantity) { s.c.emit(s.Component, q) }

// oneUnit returns the units of a quantity that pays the one record r: a
// slice of the worker's, valid until the next call (emit copies it).
func (s *scope) oneUnit(r UnitRef) []UnitRef {
	w := s.c.w
	w.unit[0] = r
	return w.unit[:]
}

// NotPaid reports something the component will not pay, with the reason.
func (s *scope) NotPaid(u Unpaid) {
	if u.Customer == "" {
		u.Customer = s.Customer.ID
	}
	if u.Provider == "" {
		u.Provider = s.Provider.ID
	}
	if u.Component == "" {
		u.Component = s.Component.name
	}
	if u.Version == "" {
		u.Version = s.Version.name
	}
	s.c.unpaid = append(s.c.unpaid, u)
}

// Granted returns the granted staff minutes of the customer's decisions
// with the provider for a category in the month, after pauses: what a
// cap of the month reads, in a month of several versions too.
func (s *scope) Granted(c models.Category) int64 {
	if !s.c.multi {
		return s.c.granted[s.c.vi].by[c]
	}
	var n int64
	for vi := range s.c.granted {
		n += s.c.granted[vi].by[c]
	}
	return n
}

// capPayment is minutes a component (by its number across the month's
// versions, see componentIDs) paid in a version of the month: of a
// segment, as performed time, capped or not, or, with no visit, as
// another strategy pays minutes (granted, standard or planned time):
// what counts toward a cap later in the month, when the capped component
// would pay the segment, or is the component that paid the minutes.
type capPayment struct {
	vi, component int
	category      models.Category
	// The segment paid: its visit and start, and its environment and
	// the whole visit's; no visit for minutes another strategy paid,
	// which are quantity.
	visit         *models.Visit
	start         time.Time
	env, visitEnv *visitEnv
	minutes       int64
	quantity      decimal.Decimal
	// stacks: the component pays on top of what another paid (a
	// supplement), which no cap counts.
	stacks bool
}

// segmentKey is a segment of a visit, for capUsedBefore.
type segmentKey struct {
	visit *models.Visit
	start time.Time
}

// wouldPay reports whether the scope's component, among its version's
// components, would pay item unit o of another version of the month:
// its when holds for o, and no item component of the version that pays
// instead of it (instead_of) matches o. The month-wide rules ask it of
// the other versions' units (see otherDays, settleExecution). An
// expression that fails on o is the error, never false: the month-wide
// rule cannot say what the customer holds, and the component pays the
// case nothing (rate_error). Taken for false, a zone the later version's
// table lacks left the earlier version's granted time out of a
// minimum_execution share, which reached the threshold and paid the
// granted time in full. A unit in a zone the version does not price it
// would not pay: its own unit there is reported unknown_zone (asked, its
// when failed where it read the zone, and a later version whose zones are
// renamed paid a customer who moved from one of them nothing; found by
// attack).
func (s *scope) wouldPay(o *itemUnit) (bool, error) {
	if !slices.Contains(s.Version.zones, o.Zone) {
		return false, nil
	}
	ok, err := wouldPayIn(s, s.c.w.ev.items, unitItem, s.Version.normalizeItem(o.Env))
	if err != nil {
		return false, fmt.Errorf("decision %s, item %s, %s from %s: %w", o.Decision.ID, o.name, o.Zone, o.Grant.InForce.From, err)
	}
	return ok, nil
}

// wouldPayListing is wouldPay for a listing unit.
func (s *scope) wouldPayListing(o *listingUnit) (bool, error) {
	if !slices.Contains(s.Version.zones, o.Zone) {
		return false, nil
	}
	ok, err := wouldPayIn(s, s.c.w.ev.listings, unitListing, s.Version.normalizeListing(o.Env))
	if err != nil {
		return false, fmt.Errorf("listing %s, %s from %s: %w", o.Listing.ID, o.Zone, o.Dates.From, err)
	}
	return ok, nil
}

// wouldPayIn is wouldPay in env, a unit's of the kind unit, memoised in m.
func wouldPayIn[E memoEnv](s *scope, m map[memoKey[E]]result, unit unitKind, env E) (bool, error) {
	ev := &s.c.w.ev
	if r := evalIn(ev, m, s.Component.when, env); r.err != nil || !r.ok {
		return false, whenErr(s.Component, r.err)
	}
	for _, y := range s.Component.replacedBy {
		if y.strategy.Unit() != unit {
			continue
		}
		if r := evalIn(ev, m, y.when, env); r.err != nil || r.ok {
			return false, whenErr(y, r.err)
		}
	}
	return true, nil
}

// alikeIn reports whether version vi of the month has the component the
// scope's component continues or is continued by (the one of its number
// across the month's versions: its name, or the one it names in
// "continues", see componentIDs) and it pays alike: the same strategy,
// when and parameters as written. By name alone, a component renamed with
// "continues" shared no absence ladder with the one it continues (350.00
// for 340.00, found by attack).
func (s *scope) alikeIn(vi int) bool {
	in := s.c.w.in
	id := in.componentID(s.c.vi, s.Component.index)
	c := s.Component
	for j, o := range in.versions[vi].components {
		if in.componentID(vi, j) != id {
			continue
		}
		if o.strategyName != c.strategyName || o.whenSource != c.whenSource || len(o.params) != len(c.params) {
			return false
		}
		for name, p := range c.params {
			if q, ok := o.params[name]; !ok || q.Source != p.Source {
				return false
			}
		}
		return true
	}
	return false
}

// capUsedBefore returns the minutes of cat the earlier versions of the
// month paid that count for the scope's component: what counts toward
// its month's cap. Of performed time, capped or not, the segments the
// component would pay (its when holds, as the segment's version split the
// visit into bands, and no component of its version, of segments or of
// whole visits, pays instead of it) that it paid, or another paid and no
// component of its version continuing that one would pay (see
// countsFor). A segment two of them paid counts once, its most minutes; a
// component that goes on beside it (a supplement stacking on it) counts
// none. By segment, not only by component: keyed by component, a cap
// added to a component split on the 16th counted none of the minutes paid
// before it (5 010.00 for 4 291.90), two new caps each counted the
// other's minutes (4 000.00 for 6 000.00), a third version forgot what
// the second had counted (4 500.00 for 3 000.00), and a merge paid by the
// name it kept (found by attacks). Of the minutes other strategies paid
// (granted, standard and planned time), those of the component itself:
// care paid on granted time to the 15th and on performed time capped at
// the granted time from the 16th was paid 750 of 600 granted minutes
// (7 500.00 for 6 000.00). Another component's minutes paid by another
// strategy are not counted: no segment of them says what the component
// would have paid.
func capUsedBefore(s *scope, cat models.Category) (decimal.Decimal, error) {
	w := s.c.w
	if w.capSeen == nil {
		w.capSeen = map[segmentKey]int64{}
	}
	clear(w.capSeen)
	id := w.in.componentID(s.c.vi, s.Component.index)
	var other exact.Sum
	var err error
	w.before.each(w.capPaid, id, func(p *capPayment) {
		if err != nil || p.vi >= s.c.vi || p.category != cat {
			return
		}
		if p.visit == nil {
			if p.component == id {
				other.Add(p.quantity)
			}
			return
		}
		var counts bool
		if counts, err = countsFor(&w.ev, w.in, s.c.vi, s.Component, id, p); !counts {
			return
		}
		k := segmentKey{p.visit, p.start}
		w.capSeen[k] = max(w.capSeen[k], p.minutes)
	})
	if err != nil {
		return decimal.Decimal{}, err
	}
	other.Add(exact.IntDecimal(sumSeen(w.capSeen)))
	return other.ValueIn(&w.decimals), nil
}

// countsFor reports whether payment p, made under another version of the
// month, counts for component c (numbered id) of version vi, in what its
// cap counts (capUsedBefore) and in the paid minutes a cap reads of it
// (caseState.paidDecimals): c would pay p's segment, and p is c's own, or
// another's for a segment no component of vi continuing that one would
// pay (it was split, renamed, merged into c, narrowed or dropped), never
// another supplement's, which stacks on what another paid.
//
// An expression that fails on p's segment under vi never means "would
// not pay" in silence. Of c's own payment, or of the component
// continuing another's (see continuedFor), the minutes count as they
// were paid: the month's cap holds what the component paid, and vi
// cannot say it would not have paid them (a band of the earlier version
// that vi's table lacks: care in kväll to the 15th, a cap of the granted
// time from the 16th under a version of only dag and natt whose when
// reads table('betald', band), counted none of the evening's minutes and
// paid 9 000.00 for 7 500.00; found by attack). Of another component's
// payment, whether c would pay it decides whether it counts at all: the
// error is returned, and c pays the case nothing (rate_error). A segment
// in a zone vi does not price (its zones renamed) no component of vi
// would pay: another's payment there does not count (asked, c's when
// failed where it read the zone, and c paid the case nothing; found by
// attack).
func countsFor(ev *evaluator, in *input, vi int, c *Component, id int, p *capPayment) (bool, error) {
	v := in.versions[vi]
	if p.component == id {
		pays, err := wouldPaySegmentIn(ev, v, c, p)
		return pays || err != nil, nil
	}
	if p.env != nil && !slices.Contains(v.zones, p.env.Zone) {
		return false, nil
	}
	if p.stacks || continuedFor(ev, in, vi, p) {
		return false, nil
	}
	pays, err := wouldPaySegmentIn(ev, v, c, p)
	if err != nil {
		return false, fmt.Errorf("minutes paid under version %q by component %s, visit %s at %s: %w",
			in.versions[p.vi].name, in.componentName(p.vi, p.component), p.visit.ID,
			p.start.In(in.period.Location).Format("2006-01-02 15:04"), err)
	}
	return pays, nil
}

// continuedFor reports whether a component of version vi that
// continues the one that made payment p (of its number), and pays as it
// did, not stacking on another, would pay p's segment itself: then the
// minutes are that component's, not counted toward another's cap. Asked
// by number alone, a component split on the 16th that kept its name for
// one part kept the other part's minutes from the new part's cap
// (4 000.00 for 3 000.00), and a main component made a supplement on the
// 16th kept its minutes from the new main one's cap (4 100.00 for
// 3 100.00; both found by attack). One whose expression fails on the
// segment continues it: the minutes are its own as they were paid (see
// countsFor), counted for it and for no other.
func continuedFor(ev *evaluator, in *input, vi int, p *capPayment) bool {
	v := in.versions[vi]
	for i, y := range v.components {
		if in.componentID(vi, i) != p.component || y.strategy.Unit() != unitSegment || y.stacks {
			continue
		}
		if pays, err := wouldPaySegmentIn(ev, v, y, p); pays || err != nil {
			return true
		}
	}
	return false
}

// wouldPaySegmentIn reports whether component c of version v would pay
// the segment of p: its when holds, and no component of the version that
// pays instead of it (instead_of) matches, a component of segments on the
// segment, one of whole visits on the visit (a whole-visit component
// takes visits from components of either kind, see exclusion). An
// expression that fails is the error, never false (see countsFor).
// The answer is memoised by the environments' addresses: asked for every
// record of every capped component, by the environments' contents (a
// hash of each), 200 capped supplements across 30 versions took 2.4 s
// for one customer of 1 000 visits.
func wouldPaySegmentIn(ev *evaluator, v *Version, c *Component, p *capPayment) (bool, error) {
	k := paysKey{c, p.env, p.visitEnv}
	if r, ok := ev.pays[k]; ok {
		return r.ok, r.err
	}
	ok, err := wouldPaySegment(ev, v, c, p)
	if ev.pays == nil || len(ev.pays) >= maxMemo {
		ev.pays = map[paysKey]paysResult{}
	}
	ev.pays[k] = paysResult{ok, err}
	return ok, err
}

func wouldPaySegment(ev *evaluator, v *Version, c *Component, p *capPayment) (bool, error) {
	seg := v.normalizeVisit(*p.env)
	if r := evalIn(ev, ev.visits, c.when, seg); r.err != nil || !r.ok {
		return false, whenErr(c, r.err)
	}
	for _, y := range c.replacedBy {
		var r result
		switch y.strategy.Unit() {
		case unitSegment:
			r = evalIn(ev, ev.visits, y.when, seg)
		case unitVisit:
			r = evalIn(ev, ev.visits, y.when, v.normalizeVisit(*p.visitEnv))
		default:
			continue
		}
		if r.err != nil || r.ok {
			return false, whenErr(y, r.err)
		}
	}
	return true, nil
}

// whenErr is err, an error of component c's when, naming them; nil when
// err is.
func whenErr(c *Component, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("when of component %q: %w", c.name, err)
}

// Performed returns the performed staff minutes of the customer's
// approved, not declined visits with the provider of a category on the
// days of this version: the measure performed shares are computed from.
func (s *scope) Performed(c models.Category) int64 { return s.c.performed[s.c.vi].by[c] }

// visitDate returns the date visit v starts on, the date its version,
// zone and decision are taken from (a segment's own date may be the next).
func (s *scope) visitDate(v *models.Visit) calendar.Date {
	in := s.c.w.in
	start := v.Start.In(in.period.Location)
	return in.dateAt(in.dayOf(start), start)
}

// notCovered reports a visit of category cat, minutes of it, that a
// component requiring a decision does not pay because no decision in
// force grants cat on the date it starts: not_started when a decision
// valid that day had not started, no_decision otherwise.
func (s *scope) notCovered(v *models.Visit, cat models.Category, minutes int64) {
	d := s.visitDate(v)
	un := Unpaid{Kind: RecordVisit, ID: v.ID, Date: d, Minutes: minutes}
	un.Reason, un.Detail = s.c.ungranted(cat, d)
	s.NotPaid(un)
}

// PaidMinutes returns the minutes an earlier component of this version
// paid the customer (see CapEnv.Performed).
func (s *scope) PaidMinutes(component string) int64 { return s.c.paidMinutes[component] }

// Eval evaluates a ParamExpr parameter in env, which must be the
// environment of the component's unit (ItemEnv, VisitEnv...) or, for a
// ParamCapExpr, a CapEnv. Results are memoised per environment.
func (s *scope) Eval(p *param, env envWith) (decimal.Decimal, error) {
	r := s.c.w.ev.eval(p.prog, s.Version.normalize(env))
	if r.err != nil {
		return decimal.Decimal{}, fmt.Errorf("%s: %w", p.Name, r.err)
	}
	return r.dec, nil
}

// evalVisit is Eval in a visit's environment, known to be one: memoised
// without boxing it.
func (s *scope) evalVisit(p *param, env visitEnv) (decimal.Decimal, error) {
	r := evalIn(&s.c.w.ev, s.c.w.ev.visits, p.prog, s.Version.normalizeVisit(env))
	if r.err != nil {
		return decimal.Decimal{}, fmt.Errorf("%s: %w", p.Name, r.err)
	}
	return r.dec, nil
}

// Base returns the base environment of the scope on a date's zone.
func (s *scope) Base(zone string) baseEnv { return s.c.base(zone) }

// rate evaluates the component's rate expression in an item's
// environment, for strategies that complete it themselves (see
// selfPricing): memoised, without boxing it.
func (s *scope) rate(env itemEnv) result {
	ev := &s.c.w.ev
	return s.Component.roundRate(evalIn(ev, ev.items, s.Component.rate, s.Version.normalizeItem(env)))
}

// Absences returns the customer's absences, sorted by start.
func (s *scope) Absences() []models.Absence { return s.c.w.in.absences[s.Customer.ID] }

// selfPricing is implemented by strategies that evaluate the component's
// rate themselves with scope.rate, in an environment they complete: the
// level strategy sets ItemEnv.Level. The engine then matches units by
// their when expression alone and leaves their Rate zero.
type selfPricing interface {
	strategy
	PricesItself() bool
}

func pricesItself(st strategy) bool {
	sp, ok := st.(selfPricing)
	return ok && sp.PricesItself()
}

// visitReader is implemented by strategies of another kind of unit that
// read the version's visit units (scope.c.units[vi].visits) all the
// same: a month builds visit units only where a component pays whole
// visits or has such a strategy (see monthIndex.wholeVisits).
type visitReader interface {
	strategy
	readsVisits()
}

// readsVisits reports whether c's strategy reads the visit units (see
// visitReader).
func readsVisits(c *Component) bool {
	_, ok := c.strategy.(visitReader)
	return ok
}
