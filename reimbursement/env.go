package reimbursement

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// The environments below are what tariff expressions see. Each component
// is compiled against the environment of the unit its strategy prices, so
// an expression that names a field its unit does not have (visit.role in a
// granted-time component) fails to load. Names in expressions are the
// expr tags.
//
// Environments hold the attributes that classify and price a unit (zone,
// category, band, role...), never its quantities (minutes, days): the same
// attributes give the same result, so the engine evaluates each expression
// once per distinct environment, not once per visit.

// baseEnv is the part of every environment that describes the customer, the
// provider and the period.
type baseEnv struct {
	Customer  string `expr:"customer"`  // customer id
	Provider  string `expr:"provider"`  // provider id
	Ownership string `expr:"ownership"` // "own" (egen regi) or "private" (privat regi)
	Zone      string `expr:"zone"`      // the customer's zone on the unit's date
	Period    string `expr:"period"`    // the settlement month, "2024-03"
	// Contract is the provider's contract or contract class (avtal), ""
	// when the dataset gives none: "contract == 'service'".
	Contract string `expr:"contract"`
	// VATRegistered: the provider is registered for VAT and paid ex VAT.
	VATRegistered bool `expr:"vat_registered"`
	// Attributes are the provider's free attributes, "key=value" pairs
	// joined by "|" in key order; read one with attr(attributes, 'klass'),
	// which gives "" for a key the provider lacks.
	Attributes string `expr:"attributes"`

	// Lookups carries the evaluation's recorder of table lookups to
	// table(), nil when nothing is explained. Its name (recorderName)
	// cannot be written in an expression: expressions see only the
	// fields above, and no value that depends on Options.
	Lookups *recorder `expr:"table lookups"`
}

// itemEnv is the environment of a granted item (strategies granted_time,
// minimum_execution, fixed_monthly, level).
type itemEnv struct {
	baseEnv
	Category       string `expr:"category"`        // "service", "care", ...
	Task           string `expr:"task"`            // local task code, or ""
	KSI            string `expr:"ksi"`             // KSI code "SME PH ZZ", or ""
	Per            string `expr:"per"`             // "day", "week", "month", or "" for minutes per month
	DoubleStaffing bool   `expr:"double_staffing"` // dubbelbemanning ordered
	Decision       string `expr:"decision"`        // decision id
	// Level is the level band (nivå) the customer's granted hours fall in;
	// set for the level strategy only.
	Level string `expr:"level"`
	// Subscription: the item is granted without minutes (a safety alarm
	// as an abonnemang); it gives no granted minutes.
	Subscription bool `expr:"subscription"`
}

// visitEnv is the environment of a visit or of one band segment of a
// visit (strategies performed_time, per_visit).
type visitEnv struct {
	baseEnv
	Category string `expr:"category"` // category of the visit's first task
	Task     string `expr:"task"`     // the visit's first task code
	Tasks    string `expr:"tasks"`    // all task codes joined by "|", the first, then the others in code order; test with has_task(tasks, "Dusch")
	Role     string `expr:"role"`     // "care_staff", "nurse", ...
	Licensed bool   `expr:"licensed"` // performed by legitimerad personal
	Staff    int    `expr:"staff"`    // staff present
	Declined bool   `expr:"declined"` // avböjt besök
	Edited   bool   `expr:"edited"`   // times entered by hand
	Band     string `expr:"band"`     // the band of the segment (for per_visit, the band its band param chooses)
	DayKind  string `expr:"day_kind"` // "weekday", "saturday", "sunday", "holiday"; "eve", "before_holiday" where the schedule names them: of the segment, or of the chosen band
	// DoubleStaffingOrdered: the customer's decision orders double
	// staffing for the visit's category.
	DoubleStaffingOrdered bool `expr:"double_staffing_ordered"`

	// The facts of the whole visit, the same in each of its segments, so
	// that a tariff can say what a night visit is whatever minute it ends.

	// StartBand and EndBand are the bands of the visit's first and last
	// minute; LongestBand the band it spends most time in (ties to the
	// earlier band).
	StartBand   string `expr:"start_band"`
	EndBand     string `expr:"end_band"`
	LongestBand string `expr:"longest_band"`
	// Bands are the bands the visit touches, in order, joined by "|"
	// (which no band name may hold): test with has(bands, 'natt').
	Bands string `expr:"bands"`
	// Minutes is the visit's length in whole minutes after the tariff's
	// time rounding, before minimum_minutes, for one staff member.
	Minutes int `expr:"minutes"`
	// PlannedMinutes is the visit's planned length (planerad tid), 0 when
	// unknown; PlannedBand the band of its planned start, "" when unknown.
	PlannedMinutes int    `expr:"planned_minutes"`
	PlannedBand    string `expr:"planned_band"`
}

// listingEnv is the environment of a listing (strategy per_listing).
type listingEnv struct {
	baseEnv
	Kind string `expr:"kind"` // "home_health_care" or "rehabilitation"
}

// eventEnv is the environment of an alarm event (strategy
// per_occurrence).
type eventEnv struct {
	baseEnv
	Kind    string `expr:"kind"`     // the event's kind, "" for a plain alarm call
	Band    string `expr:"band"`     // the band of the event's time
	DayKind string `expr:"day_kind"` // the kind of the event's date
}

// capEnv is the environment of a performed_time component's cap: it is
// evaluated once per customer, provider and category.
type capEnv struct {
	baseEnv
	Category string `expr:"category"`
	// Granted is the granted staff minutes of the customer's decisions
	// with the provider for the category in the period.
	Granted decimal.Decimal `expr:"granted"`
	// Performed holds the paid minutes of the components settled before
	// this one, by component name, for the same customer and provider.
	Performed map[string]decimal.Decimal `expr:"performed"`
}

// withRecorder returns a copy of an environment with the recorder of an
// evaluation's table lookups.
func (e itemEnv) withRecorder(r *recorder) any    { e.Lookups = r; return e }
func (e visitEnv) withRecorder(r *recorder) any   { e.Lookups = r; return e }
func (e listingEnv) withRecorder(r *recorder) any { e.Lookups = r; return e }
func (e eventEnv) withRecorder(r *recorder) any   { e.Lookups = r; return e }

// withRecorder sets the recorder of a cap's environment in place and
// returns the pointer, which the machine reads through: a cap is
// evaluated once per case and category in the worker's environment,
// which is not copied into an interface each time.
func (e *capEnv) withRecorder(r *recorder) any { e.Lookups = r; return e }

// envWith is implemented by every environment.
type envWith interface{ withRecorder(*recorder) any }

// adjustmentEnv is the environment of an adjustment's condition: it is
// evaluated once per customer and provider.
type adjustmentEnv struct {
	baseEnv
}

func (e adjustmentEnv) withRecorder(r *recorder) any { e.Lookups = r; return e }

// names is a set of the environment names the engine asks per unit
// whether a version reads (see Version.uses): a bit test where a map
// lookup by name would cost more than the rest of the normalisation.
type names uint32

// The names of a names set.
const (
	readsCustomer names = 1 << iota
	readsProvider
	readsAttributes
	readsDecision
	readsTask
	readsKSI
	readsTasks
	readsMinutes
	readsPlannedMinutes
	readsStartBand
	readsEndBand
	readsLongestBand
	readsBands
	readsPlannedBand
	readsPerformed
)

// nameBits are the expression names of the bits of a names set.
var nameBits = map[string]names{
	"customer": readsCustomer, "provider": readsProvider, "attributes": readsAttributes, "decision": readsDecision,
	"task": readsTask, "ksi": readsKSI, "tasks": readsTasks, "minutes": readsMinutes, "planned_minutes": readsPlannedMinutes,
	"start_band": readsStartBand, "end_band": readsEndBand, "longest_band": readsLongestBand, "bands": readsBands,
	"planned_band": readsPlannedBand, "performed": readsPerformed,
}

// readsOf returns the set of the names in used.
func readsOf(used map[string]bool) names {
	var n names
	for name, ok := range used {
		if ok {
			n |= nameBits[name]
		}
	}
	return n
}

// has reports whether the set holds every name of m.
func (n names) has(m names) bool { return n&m == m }

// The normalize methods clear the fields of an environment that no
// expression of the version reads and that tell units apart (ids, task
// codes), so that units alike in everything an expression can see share
// one memoised evaluation: without it every customer would be evaluated
// anew. The clear methods of names do it for any set of names read: a
// version's, or a month's (see caseState.addVisit).
func (v *Version) normalizeBase(b baseEnv) baseEnv {
	v.reads.clearBase(&b)
	return b
}

// clearBase clears the fields of b that no name of n reads.
func (n names) clearBase(b *baseEnv) {
	if !n.has(readsCustomer) {
		b.Customer = ""
	}
	if !n.has(readsProvider) {
		b.Provider = ""
	}
	if !n.has(readsAttributes) {
		b.Attributes = ""
	}
}

func (v *Version) normalizeItem(e itemEnv) itemEnv {
	e.baseEnv = v.normalizeBase(e.baseEnv)
	if !v.reads.has(readsDecision) {
		e.Decision = ""
	}
	if !v.reads.has(readsTask) {
		e.Task = ""
	}
	if !v.reads.has(readsKSI) {
		e.KSI = ""
	}
	return e
}

func (v *Version) normalizeVisit(e visitEnv) visitEnv {
	v.reads.clearVisit(&e)
	return e
}

// clearVisit clears the fields of e that no name of n reads.
func (n names) clearVisit(e *visitEnv) {
	n.clearBase(&e.baseEnv)
	if !n.has(readsTask) {
		e.Task = ""
	}
	if !n.has(readsTasks) {
		e.Tasks = ""
	}
	if !n.has(readsMinutes) {
		e.Minutes = 0
	}
	if !n.has(readsPlannedMinutes) {
		e.PlannedMinutes = 0
	}
}

func (v *Version) normalizeListing(e listingEnv) listingEnv {
	e.baseEnv = v.normalizeBase(e.baseEnv)
	return e
}

func (v *Version) normalizeEvent(e eventEnv) eventEnv {
	e.baseEnv = v.normalizeBase(e.baseEnv)
	return e
}

func (v *Version) normalize(env envWith) envWith {
	switch e := env.(type) {
	case itemEnv:
		return v.normalizeItem(e)
	case visitEnv:
		return v.normalizeVisit(e)
	case listingEnv:
		return v.normalizeListing(e)
	case eventEnv:
		return v.normalizeEvent(e)
	case adjustmentEnv:
		e.baseEnv = v.normalizeBase(e.baseEnv)
		return e
	}
	return env
}

// listSeparator joins the values of a field that lists them: a visit's
// bands and tasks, a provider's attributes. has, has_task and attr split
// by it, and the loader refuses a band named with it and a literal
// holding it that they are asked for (checkBands, allowCall): neither
// could ever be found.
const listSeparator = "|"

// attrSeparator joins an attribute's key and value in the field
// attributes: "klass=A|zon=2".
const attrSeparator = "="

// hasIn implements has(list, x): whether the listSeparator-joined list
// holds x (has_task is the same function under its older name).
func hasIn(list, x string) bool {
	for t := range strings.SplitSeq(list, listSeparator) {
		if t == x {
			return true
		}
	}
	return false
}

// attrOf implements attr(attributes, key): the value of key in the
// provider's attributes as baseEnv.Attributes joins them, or "".
func attrOf(attrs, key string) string {
	for kv := range strings.SplitSeq(attrs, listSeparator) {
		if k, v, ok := strings.Cut(kv, attrSeparator); ok && k == key {
			return v
		}
	}
	return ""
}

// joinAttributes joins a provider's attributes as "k=v|k=v" in key order.
func joinAttributes(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	parts := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		parts = append(parts, k+attrSeparator+m[k])
	}
	return strings.Join(parts, listSeparator)
}

// The inputs methods list an environment's non-empty fields by their
// expression names, in the order the struct declares them: what an
// explanation shows of a unit. They are written out rather than found by
// reflection because an explained month describes a million units;
// TestEnvInputs holds them to the reflective inputsOfReflect.

// inputAdder appends the non-empty fields of an environment.
type inputAdder []Input

func (a *inputAdder) str(name, v string) {
	if v != "" {
		*a = append(*a, Input{Name: name, Value: v})
	}
}

func (a *inputAdder) flag(name string, v bool) {
	if v {
		*a = append(*a, Input{Name: name, Value: "true"})
	}
}

func (e *baseEnv) inputs(a *inputAdder) {
	a.str("customer", e.Customer)
	a.str("provider", e.Provider)
	a.str("ownership", e.Ownership)
	a.str("zone", e.Zone)
	a.str("period", e.Period)
	a.str("contract", e.Contract)
	a.flag("vat_registered", e.VATRegistered)
	a.str("attributes", e.Attributes)
}

func (e itemEnv) inputs() []Input { return e.appendInputs(make([]Input, 0, 12)) }

// itemFieldCount is the most inputs an item environment has: the fields
// of baseEnv and itemEnv that appendInputs writes.
const itemFieldCount = 16

// appendInputs appends the inputs of e to dst.
func (e *itemEnv) appendInputs(dst []Input) []Input {
	a := inputAdder(dst)
	e.baseEnv.inputs(&a)
	a.str("category", e.Category)
	a.str("task", e.Task)
	a.str("ksi", e.KSI)
	a.str("per", e.Per)
	a.flag("double_staffing", e.DoubleStaffing)
	a.str("decision", e.Decision)
	a.str("level", e.Level)
	a.flag("subscription", e.Subscription)
	return a
}

func (e visitEnv) inputs() []Input { return e.appendInputs(make([]Input, 0, 20)) }

// appendInputs appends the inputs of e to dst.
func (e *visitEnv) appendInputs(dst []Input) []Input {
	var texts [visitFieldCount]string
	e.texts(&texts)
	for f, v := range texts {
		if v != "" {
			dst = append(dst, Input{Name: visitFields[f].name, Value: v})
		}
	}
	return dst
}

// visitFieldCount is the number of visitFields.
const visitFieldCount = 26

// texts writes the value of each of visitFields of e, in their order:
// what their value functions give, written out in one go rather than
// called field by field (TestVisitTexts holds them together).
func (e *visitEnv) texts(t *[visitFieldCount]string) {
	*t = [visitFieldCount]string{
		e.Customer, e.Provider, e.Ownership, e.Zone, e.Period, e.Contract, flagText(e.VATRegistered), e.Attributes,
		e.Category, e.Task, e.Tasks, e.Role, flagText(e.Licensed), numText(e.Staff), flagText(e.Declined), flagText(e.Edited),
		e.Band, e.DayKind, flagText(e.DoubleStaffingOrdered), e.StartBand, e.EndBand, e.LongestBand, e.Bands,
		numText(e.Minutes), numText(e.PlannedMinutes), e.PlannedBand,
	}
}

// visitField is a field of visitEnv as an explanation shows it: its
// expression name and its value as text, "" when empty.
type visitField struct {
	name  string
	value func(*visitEnv) string
}

// visitFields are visitEnv's fields in the order the struct declares
// them (TestEnvInputs holds them to the struct).
var visitFields = []visitField{
	{"customer", func(e *visitEnv) string { return e.Customer }},
	{"provider", func(e *visitEnv) string { return e.Provider }},
	{"ownership", func(e *visitEnv) string { return e.Ownership }},
	{"zone", func(e *visitEnv) string { return e.Zone }},
	{"period", func(e *visitEnv) string { return e.Period }},
	{"contract", func(e *visitEnv) string { return e.Contract }},
	{"vat_registered", func(e *visitEnv) string { return flagText(e.VATRegistered) }},
	{"attributes", func(e *visitEnv) string { return e.Attributes }},
	{"category", func(e *visitEnv) string { return e.Category }},
	{"task", func(e *visitEnv) string { return e.Task }},
	{"tasks", func(e *visitEnv) string { return e.Tasks }},
	{"role", func(e *visitEnv) string { return e.Role }},
	{"licensed", func(e *visitEnv) string { return flagText(e.Licensed) }},
	{"staff", func(e *visitEnv) string { return numText(e.Staff) }},
	{"declined", func(e *visitEnv) string { return flagText(e.Declined) }},
	{"edited", func(e *visitEnv) string { return flagText(e.Edited) }},
	{"band", func(e *visitEnv) string { return e.Band }},
	{"day_kind", func(e *visitEnv) string { return e.DayKind }},
	{"double_staffing_ordered", func(e *visitEnv) string { return flagText(e.DoubleStaffingOrdered) }},
	{"start_band", func(e *visitEnv) string { return e.StartBand }},
	{"end_band", func(e *visitEnv) string { return e.EndBand }},
	{"longest_band", func(e *visitEnv) string { return e.LongestBand }},
	{"bands", func(e *visitEnv) string { return e.Bands }},
	{"minutes", func(e *visitEnv) string { return numText(e.Minutes) }},
	{"planned_minutes", func(e *visitEnv) string { return numText(e.PlannedMinutes) }},
	{"planned_band", func(e *visitEnv) string { return e.PlannedBand }},
}

// visitDiff returns the fields of visitFields in which a and b differ,
// bit f for field f, compared as the fields themselves rather than as
// their texts, which tell the same (TestVisitDiff holds it to them).
func visitDiff(a, b *visitEnv) uint32 {
	var d uint32
	if a.Customer != b.Customer {
		d |= 1 << 0
	}
	if a.Provider != b.Provider {
		d |= 1 << 1
	}
	if a.Ownership != b.Ownership {
		d |= 1 << 2
	}
	if a.Zone != b.Zone {
		d |= 1 << 3
	}
	if a.Period != b.Period {
		d |= 1 << 4
	}
	if a.Contract != b.Contract {
		d |= 1 << 5
	}
	if a.VATRegistered != b.VATRegistered {
		d |= 1 << 6
	}
	if a.Attributes != b.Attributes {
		d |= 1 << 7
	}
	if a.Category != b.Category {
		d |= 1 << 8
	}
	if a.Task != b.Task {
		d |= 1 << 9
	}
	if a.Tasks != b.Tasks {
		d |= 1 << 10
	}
	if a.Role != b.Role {
		d |= 1 << 11
	}
	if a.Licensed != b.Licensed {
		d |= 1 << 12
	}
	if a.Staff != b.Staff {
		d |= 1 << 13
	}
	if a.Declined != b.Declined {
		d |= 1 << 14
	}
	if a.Edited != b.Edited {
		d |= 1 << 15
	}
	if a.Band != b.Band {
		d |= 1 << 16
	}
	if a.DayKind != b.DayKind {
		d |= 1 << 17
	}
	if a.DoubleStaffingOrdered != b.DoubleStaffingOrdered {
		d |= 1 << 18
	}
	if a.StartBand != b.StartBand {
		d |= 1 << 19
	}
	if a.EndBand != b.EndBand {
		d |= 1 << 20
	}
	if a.LongestBand != b.LongestBand {
		d |= 1 << 21
	}
	if a.Bands != b.Bands {
		d |= 1 << 22
	}
	if a.Minutes != b.Minutes {
		d |= 1 << 23
	}
	if a.PlannedMinutes != b.PlannedMinutes {
		d |= 1 << 24
	}
	if a.PlannedBand != b.PlannedBand {
		d |= 1 << 25
	}
	return d
}

// flagText is a flag as an explanation shows it: "true", or "" (left
// out) for false.
func flagText(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// numText is a number as an explanation shows it, "" (left out) for 0.
func numText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (e listingEnv) inputs() []Input {
	a := make(inputAdder, 0, 6)
	e.baseEnv.inputs(&a)
	a.str("kind", e.Kind)
	return a
}

func (e eventEnv) inputs() []Input {
	a := make(inputAdder, 0, 8)
	e.baseEnv.inputs(&a)
	a.str("kind", e.Kind)
	a.str("band", e.Band)
	a.str("day_kind", e.DayKind)
	return a
}
