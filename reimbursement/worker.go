package reimbursement

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
	"github.com/hemtjanst/ersattning/reimbursement/internal/grantitem"
)

// A worker settles one case (a customer with a provider) at a time,
// keeping its memory and memoised evaluations from case to case.

// caseResult is what settling one case produced.
type caseResult struct {
	total CustomerTotal
	sum   exact.Sum // total's amount, as it was added up
	// out holds the case's lines and what was not paid until the
	// placer has placed them (see placer.put).
	out        *caseOut
	figures    KeyFigures
	duplicates []Duplicate
	// err says why the case has no settlement (see ErrUnsettled).
	err error
}

// slice is a run of days of one version and one zone.
type slice struct {
	vi    int
	zone  string
	dates calendar.DateRange
}

// unitSet holds the units of one version of a case.
type unitSet struct {
	items    []itemUnit
	segments []segmentUnit
	visits   []visitUnit
	listings []listingUnit
	events   []eventUnit
}

// caseState is the working state of one case.
type caseState struct {
	// claims guards against paying a unit twice (see claims).
	claims  *claims
	w       *worker
	in      *caseInput
	explain bool
	slices  []slice
	units   []unitSet // by version index
	// granted and performed staff minutes by version index and category.
	granted     []categoryMinutes
	performed   []categoryMinutes
	paidMinutes map[string]int64
	acc         *lineAccs
	lines       []Line
	amounts     []lineFixed // the amount of each of lines (see lineFixed)
	unpaid      []Unpaid
	figures     KeyFigures
	vi          int // the version being settled
	// multi: the month has several versions, whose caps share the
	// month's granted and paid minutes (see capUsedBefore).
	multi bool
	// readPaid: a cap of a version before the month's last read other
	// components' paid minutes in this pass (see settleVersions).
	readPaid bool
	// unmatchedItems are the granted items no component of their version
	// matched, of the categories unmatchedCats, reported once the month
	// is settled unless a version paid visits of the category
	// (paidVisitCats; see flushUnmatched).
	unmatchedItems []Unpaid
	unmatchedCats  []models.Category
	paidVisitCats  categories
	// grantDays are the days each category is granted (see decisionFor).
	grantDays []grantDays
	// paused are the days of the month an absence of the customer
	// pauses the decisions on (see models.Paused).
	paused calendar.DaySet
	// dayZones is the customer's zone on each day of the month (see
	// zoneOn).
	dayZones []string
	// lastBase is the base environment base gave last, when hasBase: a
	// customer's units share one zone, or a few.
	lastBase baseEnv
	hasBase  bool
	// failedItems are the categories whose items a component of the
	// version being settled failed on.
	failedItems []failedItems
	// absenceDays is the absence each day of the month falls on, once a
	// ladder has asked (see scope.absenceDays): the worker's.
	absenceDays *absenceDays
	// unpricedItems and unpricedListings are the parts of records in
	// force on days of the month no version covers, reported no_tariff,
	// with the environments they would have (see unpricedDays): rare.
	unpricedItems    []itemUnit
	unpricedListings []listingUnit
	// cancelled: the worker's context ended the case (see
	// settleVersions); its result is not used.
	cancelled bool
	// unsettled is the passes after which no two agreed (see
	// settleVersions); 0 when they did.
	unsettled int
}

// unpricedDays returns, for a record paid the whole month by the scope's
// component, the days no version covers on which a record the component
// would pay is in force (held: the month does not pay them, as they are
// reported no_tariff), and those of them of the records pay asks about
// (inForce: they count toward min_days). The component is asked as its
// version would pay the record there (see wouldPayIn). Keyed by category
// instead, another component's alarm before a book began took days from
// a mobile alarm paid the whole month (200.00 for 300.00). The error is
// wouldPay's.
func (s *scope) unpricedDays(pay func(item *itemUnit, listing *listingUnit) bool) (held, inForce calendar.DaySet, err error) {
	month := s.Period.Dates()
	add := func(r calendar.DateRange, counts bool) {
		if r, ok := r.Intersect(month); ok {
			var d calendar.DaySet
			d.AddRange(r)
			held |= d
			if counts {
				inForce |= d
			}
		}
	}
	// Each in the environments of the component's kind of unit.
	switch s.Component.strategy.Unit() {
	case unitItem:
		for i := range s.c.unpricedItems {
			u := &s.c.unpricedItems[i]
			pays, err := s.wouldPay(u)
			if err != nil {
				return 0, 0, err
			}
			if pays {
				add(u.Grant.InForce, pay(u, nil))
			}
		}
	case unitListing:
		for i := range s.c.unpricedListings {
			u := &s.c.unpricedListings[i]
			pays, err := s.wouldPayListing(u)
			if err != nil {
				return 0, 0, err
			}
			if pays {
				add(u.Dates, pay(nil, u))
			}
		}
	}
	return held, inForce, nil
}

// lineKey identifies a line of a case: rate and factor by value (see
// exact.Key), a factor only when the quantity is scaled.
type lineKey struct {
	comp         int
	kind         LineKind
	cat          models.Category
	zone, band   string
	unit         Unit
	rate, factor exact.Key
	scaled       bool
}

type lineAcc struct {
	key     lineKey
	comp    *Component
	q       quantity
	total   exact.Sum
	steps   []string
	lookups []Lookup
	// units is the accumulator's buffer, reused from case to case: the
	// line takes a copy (see finishLines).
	units []UnitRef
	// pools: the categories of the items its quantities pool (see
	// quantity.pools).
	pools categories
	envs  envSet
	// rounded and unitCount: the sum of the rounded unit amounts and
	// their number, when the tariff rounds per unit.
	rounded   decimal.Decimal
	unitCount int
}

// lineAccs are the line accumulators of a case, in the order their
// lines were first added to. A case has a dozen lines or so, each added
// to a few times (a strategy adds up its units first): they are found by
// comparing keys, the component's number first, and through an index
// once there are more than accScan, where a map cost more than the
// rest of adding a quantity.
type lineAccs struct {
	list  []*lineAcc
	index map[lineKey]*lineAcc // by key, once list is long
}

// accScan is how many accumulators are compared in turn before an
// index is built.
const accScan = 16

// find returns the accumulator of k, or nil.
func (l *lineAccs) find(k *lineKey) *lineAcc {
	if l.index != nil {
		return l.index[*k]
	}
	for _, a := range l.list {
		if a.key.comp == k.comp && a.key == *k {
			return a
		}
	}
	return nil
}

// add adds a, whose key find does not find.
func (l *lineAccs) add(a *lineAcc) {
	l.list = append(l.list, a)
	switch {
	case l.index != nil:
		l.index[a.key] = a
	case len(l.list) > accScan:
		l.index = make(map[lineKey]*lineAcc, 2*len(l.list))
		for _, a := range l.list {
			l.index[a.key] = a
		}
	}
}

// drop removes the accumulators of component number comp.
func (l *lineAccs) drop(comp int) {
	l.list = slices.DeleteFunc(l.list, func(a *lineAcc) bool { return a.key.comp == comp })
	if l.index != nil {
		maps.DeleteFunc(l.index, func(k lineKey, _ *lineAcc) bool { return k.comp == comp })
	}
}

// reset empties l for the next version or case.
func (l *lineAccs) reset() {
	clear(l.list) // no accumulator of the arena kept in sight
	l.list = l.list[:0]
	l.index = nil
}

// base returns the environment every unit of the case shares, in zone.
func (c *caseState) base(zone string) baseEnv {
	if !c.hasBase || c.lastBase.Zone != zone {
		c.lastBase = baseEnv{Customer: c.in.customer.ID, Provider: c.in.provider.ID,
			Ownership: c.in.provider.Ownership.String(), Zone: zone, Period: c.w.in.month,
			Contract: c.in.provider.Contract, VATRegistered: c.in.provider.VATRegistered, Attributes: c.in.attrs}
		c.hasBase = true
	}
	return c.lastBase
}

// emit adds a quantity of a component to the line it belongs to. A
// quantity of zero is dropped unless it names units: a line of zero
// minutes that names the decision items behind it keeps the ledger.
func (c *caseState) emit(comp *Component, q quantity) {
	if q.Quantity.IsZero() && len(q.Units) == 0 {
		return
	}
	if !comp.byBand {
		// One line per rate, whatever the bands (see Component.RateByBand).
		q.Band = ""
	}
	var factor exact.Key
	if q.Scaled && exact.Cmp(q.Factor, one) != 0 {
		factor = exact.KeyOf(q.Factor)
	} else {
		q.Factor, q.Scaled = decimal.Decimal{}, false
	}
	k := lineKey{comp.index, q.Kind, q.Category, q.Zone, q.Band, q.Unit, exact.KeyOf(q.Rate), factor, q.Scaled}
	a := c.acc.find(&k)
	if a == nil {
		a = c.w.accs.next()
		// The accumulator's units buffer is kept from its last use. It
		// is cleared where it lies and its fields set there: a composite
		// literal was built whole (600 bytes) and copied in.
		units, steps := a.units[:0], a.steps[:0]
		*a = lineAcc{}
		a.key, a.comp, a.q, a.units, a.steps = k, comp, q, units, steps
		c.acc.add(a)
	}
	a.total.Add(q.Quantity)
	a.units = append(a.units, q.Units...)
	a.pools.union(&q.pools)
	if r := c.w.in.versions[c.vi].rounding; r.PerUnit {
		if q.units > 0 {
			a.rounded, a.unitCount = a.rounded.Add(q.unitAmount), a.unitCount+q.units
		} else {
			a.rounded, a.unitCount = a.rounded.Add(unitAmount(r, q.Quantity, q.Rate, q.Factor, q.Scaled, q.Unit.divisor(c.w.in.period))), a.unitCount+1
		}
	}
	if c.explain {
		for _, s := range q.Steps {
			if len(a.steps) < maxSteps && !slices.Contains(a.steps, s) {
				a.steps = append(a.steps, s)
			}
		}
		if a.lookups == nil {
			a.lookups = q.Lookups
		}
		a.envs.add(q.Env, &c.w.explainMem)
		a.envs.merge(q.Envs, &c.w.explainMem)
	}
	if q.Unit == Minutes && q.Kind.paysTime() {
		c.paidMinutes[comp.name] += q.Quantity.IntPart()
		if c.multi && comp.strategy.Unit() != unitSegment {
			// What counts toward the component's cap later in the month
			// (see capUsedBefore); performed time records its segments.
			if id := c.w.in.componentID(c.vi, comp.index); c.w.in.records(id) {
				c.w.capPaid = append(c.w.capPaid, capPayment{vi: c.vi, component: id,
					category: q.Category, quantity: q.Quantity, stacks: comp.stacks})
			}
		}
	}
}

// paidDecimals returns the paid minutes of earlier components, for CapEnv.
// The map is the worker's, made anew on each call: the cap's expression
// reads it while it is evaluated, and keeps nothing of it. The error is
// segmentsPaidFor's.
func (c *caseState) paidDecimals() (map[string]decimal.Decimal, error) {
	if c.w.paidDecimals == nil {
		c.w.paidDecimals = map[string]decimal.Decimal{}
	}
	m := c.w.paidDecimals
	clear(m)
	for k, v := range c.paidMinutes {
		m[k] = exact.IntDecimal(v)
	}
	if c.multi {
		// The other versions' minutes of the version's components: a
		// cap is the month's (see settleVersions).
		// Of performed time, the segments the component would pay under
		// this version, as capUsedBefore counts them: omsorg for all care
		// continued on the 16th by sol for day care only, a cap of 17 % of
		// sol read the first half's night minutes too (1 500.00 for
		// 1 020.00), and omsorg widened to all care on the 16th did not
		// read the night minutes natt had paid (1 020.00 for 1 500.00;
		// both found by attack).
		v := c.w.in.versions[c.vi]
		if c.w.capSeen == nil {
			c.w.capSeen = map[segmentKey]int64{}
		}
		for i, comp := range v.components {
			id := c.w.in.componentID(c.vi, i)
			other := c.w.paidBefore[id] + c.w.paidAfter[id]
			if comp.strategy.Unit() == unitSegment {
				n, err := c.segmentsPaidFor(comp, id)
				if err != nil {
					return nil, err
				}
				other += n
			}
			if other != 0 {
				m[comp.name] = exact.IntDecimal(c.paidMinutes[comp.name] + other)
			}
		}
	}
	return m, nil
}

// segmentsPaidFor returns what the other versions' segment payments
// change in the minutes component comp (numbered id), of performed time,
// paid under them: its own payments out, and those that count for it
// under this version in (see countsFor), a segment once, by its most
// minutes, as capUsedBefore counts them; the later versions' from the
// last pass. Only a component of segments is asked: another's when
// reads another environment (a granted-time component's subscription,
// run on a segment, read the visit's edited, found by attack), and its
// minutes are its own. A segment a stacking component and the main one
// it was paid beside both counted was read twice (2 000.00 for 1 000.00,
// found by attack). The error is countsFor's.
func (c *caseState) segmentsPaidFor(comp *Component, id int) (int64, error) {
	seen := c.w.capSeen
	clear(seen)
	var change int64
	var err error
	for _, r := range [...]struct {
		ps    []capPayment
		x     *capIndex
		later bool
	}{{c.w.capPaid, &c.w.before, false}, {c.w.capPaidLast, &c.w.last, true}} {
		r.x.each(r.ps, id, func(p *capPayment) {
			if err != nil || p.vi == c.vi || (p.vi > c.vi) != r.later || p.visit == nil {
				return // minutes of no segment stay as they were counted
			}
			if p.component == id {
				change -= p.minutes
			}
			var counts bool
			if counts, err = countsFor(&c.w.ev, c.w.in, c.vi, comp, id, p); counts {
				k := segmentKey{p.visit, p.start}
				seen[k] = max(seen[k], p.minutes)
			}
		})
	}
	if err != nil {
		return 0, err
	}
	return change + sumSeen(seen), nil
}

// sumSeen sums the minutes of the segments in seen, each counted once by
// its most minutes (see capUsedBefore and segmentsPaidFor).
func sumSeen(seen map[segmentKey]int64) int64 {
	var n int64
	for _, m := range seen {
		n += m
	}
	return n
}

// capIndex indexes records of capPaid or capPaidLast by what may count
// for a component (see countsFor): its own, by component number, and
// those of components that do not stack, which may count for another.
// A supplement's record counts for no other component: scanned for
// every component, 200 capped supplements across 30 versions took 11 s
// for one customer of 1 000 visits (found by attack).
type capIndex struct {
	own  map[int][]int32
	main []int32
	n    int // the records indexed, the first n
}

func (x *capIndex) reset() {
	clear(x.own)
	x.main, x.n = x.main[:0], 0
}

// extend indexes the records of ps after the first x.n.
func (x *capIndex) extend(ps []capPayment) {
	if x.own == nil {
		x.own = map[int][]int32{}
	}
	for i := x.n; i < len(ps); i++ {
		p := &ps[i]
		x.own[p.component] = append(x.own[p.component], int32(i))
		if !p.stacks {
			x.main = append(x.main, int32(i))
		}
	}
	x.n = len(ps)
}

// each calls f with each indexed record of ps that may count for
// component number id: its own, then another's that does not stack.
func (x *capIndex) each(ps []capPayment, id int, f func(*capPayment)) {
	for _, i := range x.own[id] {
		f(&ps[i])
	}
	for _, i := range x.main {
		if p := &ps[i]; p.component != id {
			f(p)
		}
	}
}

// maxSteps bounds the steps an explanation keeps.
const maxSteps = 12

func (c *caseState) notPaid(kind RecordKind, id string, d calendar.Date, r Reason, minutes int64, detail string) {
	c.unpaid = append(c.unpaid, Unpaid{Kind: kind, ID: id, Customer: c.in.customer.ID, Provider: c.in.provider.ID,
		Date: d, Reason: r, Minutes: minutes, Detail: detail})
}

// report adds u, completed with the case's customer and provider, to
// what is not paid.
func (c *caseState) report(u Unpaid) {
	u.Customer, u.Provider = c.in.customer.ID, c.in.provider.ID
	c.unpaid = append(c.unpaid, u)
}

// worker settles cases one at a time with its own memo and buffers.
type worker struct {
	in      *input
	explain bool
	// places are the places of a decision's items among those of their
	// names (see grantitem.Places), for the case in hand.
	places grantitem.Places
	// ctx, when set, ends a case between its versions once done (see
	// settleVersions).
	ctx    context.Context
	ev     evaluator
	segBuf []calendar.Segment
	// taskSlots remembers the categories of task codes of taskMap met
	// lately (see task).
	taskSlots [taskSlotCount]taskSlot
	taskMap   *models.TaskMap
	// grantDays and dayZones are the buffers of caseState's, adjusted the
	// totals of the components adjustments read (see caseState.adjust).
	grantDays   []grantDays
	adjusted    []componentTotal
	adjZones    []string    // the zones of the adjusted lines (see caseState.adjust)
	adjSlots    []int       // each line's number in Version.adjusted, or -1
	adjHolds    []bool      // whether an adjustment's condition holds in each zone
	amounts     []lineFixed // the buffer of caseState.amounts
	dayZones    []string
	absenceDays absenceDays
	// dups is the scratch of duplicates; wholePaid and wholeReported are
	// the maps of wholeVisits.
	dups          dupScratch
	wholePaid     map[string]unitOnLine
	wholeReported map[string]int
	// units holds the units of the case being settled, by version; its
	// slices are reused from case to case.
	units []unitSet
	// Scratch slices for the matched units handed to strategies.
	items    []itemUnit
	segments []*segmentUnit
	visits   []visitUnit
	// raw holds the case's environments of segments and visits, rawNorm
	// each normalised for the version being settled, and segUnitIDs and
	// visitIDs the number of each segment's and visit's in vmemo.
	raw                  rawEnvs
	visitSlots           visitSlots // the environments of raw by visit (see envKey)
	rawNorm              []visitEnv
	segUnitIDs, visitIDs []int32
	// rawIDs numbers rawNorm in vmemo, the memo of the version being
	// settled (see numberEnvs), itemIDs the version's item units in
	// imemo, its memo of item environments.
	rawIDs, itemIDs []int32
	vmemo           *memo[visitEnv]
	imemo           *memo[itemEnv]
	itemEnv         itemEnv // scratch of numberItems
	// The working state of a case, kept from case to case: granted and
	// performed minutes by version, the lines being added up, the paid
	// minutes of a version, the units matched, the scope of a component
	// and the slices of the month.
	granted, performed []categoryMinutes
	// execPay, execPoured and execOthers are settleExecution's scratch:
	// the minutes of each part and of each unit of the version, and the
	// parts of another version.
	execPay, execPoured []int64
	execOthers          []*itemUnit
	acc                 lineAccs
	paidMinutes         map[string]int64
	matched             matched
	matchedNow          result // see matchUnits
	scope               scope
	slices              []slice
	// accs holds the line accumulators of the case, kept the visit
	// environments explained lines keep (see keepEnv), explainMem the
	// memory explanations reuse; accList, unitOrder and groups are
	// scratch of finishLines (and sortUnits) and newGroups.
	accs       arena[lineAcc]
	kept       arena[visitEnv]
	explainMem explainScratch
	accList    []*lineAcc
	// formulas holds the formulas of a version's explained lines as
	// finishLines writes them, made one string at its end (see there).
	formulas    []byte
	formulaEnds []int
	unitOrder   unitScratch
	levelHolds  []int8 // matchLevels' when at each level of a unit's days
	groups      []*groups
	// itemOrder and parts are scratch of buildItems: a decision's items
	// in order and the items' grants by slice; order is the scratch of
	// the case's visits in order (see sortVisits).
	itemOrder []int
	order     visitScratch
	parts     []models.Grant
	// grants are the case's granted items (see buildItems), shares the
	// scratch of sharing them out (see shareGrants).
	grants []itemGrant
	shares shareScratch
	// ladderPeers is the scratch of ladderMinutes; unmatchedItems and
	// unmatchedCats the buffers of caseState's.
	ladderPeers []*itemUnit
	// ladderScan: the units a case of a few looks through (see
	// scope.ladderPeers).
	ladderScan     []*itemUnit
	unmatchedItems []Unpaid
	unmatchedCats  []models.Category
	// cur is the buffer the case being settled gathers its lines and
	// what is not paid in, bufs those free for the next cases and made
	// how many the worker made (see placer); unit is the one-unit slice
	// of a quantity that pays one record (see scope.oneUnit).
	cur  *caseOut
	bufs []*caseOut
	made int
	unit [1]UnitRef
	// levelRefs, levelDays and fixed are the level and fixed_monthly
	// strategies' scratch: a line's units, the levels of the month's
	// days, a line's groups.
	levelRefs []UnitRef
	levelDays []levelDays
	// levelDaysOf: the days matchLevels matches each unit of a pool on;
	// levelFailed, the units whose when failed at a level of their days.
	levelDaysOf []calendar.DaySet
	levelFailed []bool
	// levelPool and levelIdx are matchLevels': the pool of a level
	// component and the indexes of its units.
	levelPool []itemUnit
	levelIdx  []int
	fixed     []fixedAcc
	// state is the working state of the case being settled, capEnv the
	// environment of a cap and aboveCap the visits above it (see
	// payCapped).
	state    caseState
	capEnv   capEnv
	aboveCap []aboveCap
	// out holds the memory of what the results keep (see slab).
	out struct {
		lines   slab[Line]
		units   slab[UnitRef]
		unpaid  slab[Unpaid]
		amounts slab[Amount]
		// explanations holds the lines' explanations, inputs aside
		// (see explainScratch.keep), and steps their steps.
		explanations slab[Explanation]
		steps        slab[string]
	}
	// decimals hands out the decimals of amounts, quantities and shares
	// the results keep, so that a value met again shares its big
	// integer.
	decimals exact.Cache
	// paidDecimals is the map of paid minutes a cap reads (see
	// caseState.paidDecimals).
	paidDecimals map[string]decimal.Decimal
	// In a month of several versions, caps are the month's: paidBefore
	// holds the minutes each component paid in the case's earlier
	// versions, and capPaid the minutes of segments components paid as
	// performed time in this pass, capped or not (see capUsedBefore).
	paidBefore map[int]int64
	capPaid    []capPayment
	// capPaidLast are the last pass's (see paidDecimals).
	capPaidLast []capPayment
	capSeen     map[segmentKey]int64 // scratch of capUsedBefore
	// before and last index capPaid's records of the versions settled
	// so far in this pass and capPaidLast's (see capIndex).
	before, last capIndex
	// paidAfter holds the minutes each component paid in the case's
	// later versions, by the last pass, and paidBy each version's of the
	// last pass and of this one (see settleVersions). These are by the
	// components' numbers across the versions (see componentIDs).
	paidAfter map[int]int64
	paidBy    []map[int]int64
	// Scratch of performed_time: the segments to pay, by category.
	paidSegs, catSegs []paidSegment
	cats              []models.Category
	// zoneDetails are the details of zones the versions do not know (see
	// caseState.zoneDetail).
	zoneDetails map[zoneKey]string
}

// keepEnv returns a copy of env that lives until the case is settled:
// the environment behind an explained line.
func (w *worker) keepEnv(env *visitEnv) *visitEnv {
	p := w.kept.next()
	*p = *env
	return p
}

// rawEnvs is a case's table of the environments of its segments and
// visits, the same one seldom twice. Every environment in it has the
// case's base (caseState.base), so two differ in their base at most in
// the zone (see sameInCase).
type rawEnvs struct {
	arena[visitEnv]
	prints []uint64 // envPrint of each
	// slots holds, by print, the number + 1 of the environment of that
	// print put last; 0 when none.
	slots [rawSlots]int32
}

// rawSlots is the size of rawEnvs' table of prints.
const (
	rawSlotBits = 8
	rawSlots    = 1 << rawSlotBits
)

// reset empties the table for the next case.
func (t *rawEnvs) reset() {
	t.arena.reset()
	t.prints = t.prints[:0]
	t.slots = [rawSlots]int32{}
}

// put returns the number of env in the table and its place, adding it
// unless it equals the environment of its print put last: the units of
// a case share a few environments, and a visit's first segment mostly
// that of the visit.
func (t *rawEnvs) put(env *visitEnv) (int32, *visitEnv) {
	pr := envPrint(env)
	s := &t.slots[(pr*0x9e3779b97f4a7c15)>>(64-rawSlotBits)]
	if r := *s - 1; r >= 0 && t.prints[r] == pr {
		if p := t.at(int(r)); sameInCase(p, env) {
			return r, p
		}
	}
	p := t.next()
	*p = *env
	t.prints = append(t.prints, pr)
	*s = int32(t.n)
	return int32(t.n - 1), p
}

// categoryMinutes holds minutes by category, and which categories it
// holds minutes of: a case meets a few of the 256, which are all that
// is summed and cleared.
type categoryMinutes struct {
	by   [1 << 8]int64
	used categories
}

// add adds n minutes of category c.
func (m *categoryMinutes) add(c models.Category, n int64) {
	m.by[c] += n
	m.used.add(c)
}

// sum returns the minutes of every category.
func (m *categoryMinutes) sum() int64 {
	var t int64
	for c := range m.used.each {
		t += m.by[c]
	}
	return t
}

// reset clears the minutes, for the next case.
func (m *categoryMinutes) reset() {
	for c := range m.used.each {
		m.by[c] = 0
	}
	m.used = categories{}
}

// taskSlotCount is the size of a worker's table of task codes.
const taskSlotCount = 256

// taskSlot is a task code met before, its category and the code trimmed.
type taskSlot struct {
	code, trimmed string
	cat           models.Category
	used          bool
}

// task returns the category of a task code in the input's task map and the
// code trimmed. A month has few distinct codes, met again and again: a
// direct-mapped table of the codes met before, found by their length and
// three of their bytes and checked whole (a string compared with itself
// is equal at its pointer), spares most visits the map's hashing and the
// trimming.
func (w *worker) task(code string) (models.Category, string) {
	if w.taskMap != w.in.tasks {
		w.taskSlots, w.taskMap = [taskSlotCount]taskSlot{}, w.in.tasks
	}
	h := uint(len(code))
	if n := len(code); n > 0 {
		h = h*131 + uint(code[0])*31 + uint(code[n/2])*7 + uint(code[n-1])
	}
	sl := &w.taskSlots[h%taskSlotCount]
	if !sl.used || sl.code != code {
		*sl = taskSlot{code: code, trimmed: strings.TrimSpace(code), cat: w.in.tasks.Category(code), used: true}
	}
	return sl.cat, sl.trimmed
}

func newWorker(in *input, explain bool) *worker {
	w := &worker{in: in, explain: explain}
	w.ev.init(explain)
	return w
}

func (w *worker) settleCase(ci *caseInput) caseResult {
	// Put in order here rather than in index, where it would take a
	// core the workers are waiting for; once, for every settlement of the
	// case (see dataIndex).
	if !ci.sorted {
		ci.sort(w.in.start, &w.order)
		ci.sorted, ci.ties = true, w.order.ties
	}
	nv := len(w.in.versions)
	if len(w.units) != nv {
		w.units = make([]unitSet, nv)
	}
	for i := range w.units {
		u := &w.units[i]
		u.items, u.segments, u.visits, u.listings, u.events = u.items[:0], u.segments[:0], u.visits[:0], u.listings[:0], u.events[:0]
	}
	if len(w.granted) != nv {
		w.granted, w.performed = make([]categoryMinutes, nv), make([]categoryMinutes, nv)
	}
	for vi := range nv {
		w.granted[vi].reset()
		w.performed[vi].reset()
	}
	if w.paidMinutes == nil {
		w.paidMinutes = map[string]int64{}
	}
	w.acc.reset()
	clear(w.ev.pays) // by addresses this case's environments may take again
	w.accs.reset()
	w.kept.reset()
	w.raw.reset()
	w.explainMem.reset()
	if w.cur == nil {
		w.cur = &caseOut{owner: w}
	}
	o := w.cur
	c := &w.state
	*c = caseState{w: w, in: ci, explain: w.explain, units: w.units, granted: w.granted, performed: w.performed, acc: &w.acc,
		unpaid: o.unpaid[:0], lines: o.lines[:0], amounts: w.amounts[:0], unmatchedItems: w.unmatchedItems[:0], unmatchedCats: w.unmatchedCats[:0]}
	c.buildSlices()
	c.buildItems()
	c.buildVisits()
	c.buildListings()
	c.buildEvents()
	c.multi = nv > 1
	c.settleVersions()
	w.unmatchedItems, w.unmatchedCats, w.amounts = c.unmatchedItems[:0], c.unmatchedCats[:0], c.amounts[:0]
	// Performed time is counted in the categories the customer has
	// granted time in, so that their ratio is an utförandegrad: with a
	// nurse's visits and delegated HSL beside granted home care, it had
	// read 117 % and 255 performed against 0 granted minutes. The
	// customer's, with any provider: a provider standing in for another
	// performs the customer's granted care (found by attack: 0 minutes).
	var grantedCats categories
	for vi := range nv {
		c.figures.GrantedMinutes += c.granted[vi].sum()
		for cat := range c.granted[vi].used.each {
			if c.granted[vi].by[cat] > 0 {
				grantedCats.add(cat)
			}
		}
	}
	for _, d := range w.in.decisions[ci.customer.ID] {
		if d.Provider == ci.provider.ID {
			continue // the case's own, counted above
		}
		r, ok := d.InForce()
		if _, n := w.in.period.Overlap(r); !ok || n == 0 {
			continue
		}
		for i := range d.Items {
			if it := &d.Items[i]; it.MinutesPerMonth > 0 || it.Minutes > 0 && it.Times > 0 {
				grantedCats.add(it.Category)
			}
		}
	}
	for vi := range nv {
		for cat := range c.performed[vi].used.each {
			if grantedCats.has(cat) {
				c.figures.PerformedMinutes += c.performed[vi].by[cat]
			}
		}
	}
	// The customer's total and the order of what was not paid, here
	// rather than in assemble, which runs on one core.
	ct := CustomerTotal{Customer: ci.customer.ID, Provider: ci.provider.ID, KeyFigures: c.figures}
	var sum exact.Sum
	for i := range c.lines {
		c.amounts[i].addTo(&sum, &c.lines[i])
	}
	ct.Amount.Decimal = sum.ValueIn(&w.decimals)
	if share, ok := ct.performedShare(&w.decimals); ok {
		ct.PerformedShare = w.box(share)
	}
	slices.SortStableFunc(c.unpaid, func(a, b Unpaid) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	// The lines and what was not paid stay in the buffer until the
	// placer copies them to their place in the settlement.
	o.lines, o.unpaid = c.lines, c.unpaid
	r := caseResult{out: o, figures: c.figures, total: ct, sum: sum}
	if ci.ties { // only visits of one start can be duplicates
		r.duplicates = duplicates(ci, w.in.period.Location, &w.dups)
	}
	switch {
	case c.cancelled:
		r.err = w.ctx.Err()
	case c.unsettled > 0:
		r.err = fmt.Errorf("reimbursement: customer %s with %s, %s: %w in %d passes over its %d versions",
			ci.customer.ID, ci.provider.ID, w.in.month, ErrUnsettled, c.unsettled, nv)
	}
	return r
}

// settleVersions settles the month's versions in turn. In a month of
// several versions a cap is the month's: each version pays under what
// the earlier ones left of it (capUsedBefore), and a cap that reads
// other components' paid minutes (performed['omsorg'] × 0.17) reads the
// month's, those of the other versions included. The later versions'
// minutes are not known when an earlier version is settled, so such a
// month is settled again, each pass reading the later versions' minutes
// from the one before, until a pass pays every component what the one
// before paid: its lines and records are the settlement. A cap reads
// only components listed before its own (see the package doc), so a
// chain of caps k long settles in at most k + 1 passes, and the next
// agrees: k + 2, at least 3; NewBook bounds the passes times the versions
// of a month (maxMonthSettlings). Given 2 passes, a chain of 1 across 22
// versions was refused with ErrUnsettled though it settles (found by
// attack).
func (c *caseState) settleVersions() {
	w := c.w
	nv := len(w.in.versions)
	passes := 1
	if c.multi {
		if w.paidBefore == nil {
			w.paidBefore, w.paidAfter = map[int]int64{}, map[int]int64{}
		}
		if w.in.reads.has(readsPerformed) {
			// Until two passes agree, within the settlements NewBook
			// allows a month: its bound, the chain of caps' length + 2,
			// does not see every way a cap depends on another (a cap
			// counts what any component paid for the visits it would
			// pay), so agreement, not the bound, ends the passes.
			passes = max(3, w.in.capPasses, maxMonthSettlings/nv)
		}
		for len(w.paidBy) < 2*nv {
			w.paidBy = append(w.paidBy, map[int]int64{})
		}
	}
	lines, unpaid := len(c.lines), len(c.unpaid)
	defer c.flushUnmatched() // the last pass's
	for pass := range passes {
		// This pass's paid minutes by version, and the last pass's.
		var now, last []map[int]int64
		if c.multi {
			now, last = w.paidBy[nv*(pass%2):][:nv], w.paidBy[nv*((pass+1)%2):][:nv]
		}
		if pass > 0 {
			// What the last pass wrote is not kept (the memory it took of
			// the results' slabs is: a few lines of a rare case).
			c.lines, c.amounts = c.lines[:lines], c.amounts[:lines]
			clear(c.unpaid[unpaid:])
			c.unpaid = c.unpaid[:unpaid]
		}
		if c.multi {
			clear(w.paidBefore)
			// The last pass's segments, for the later versions' part of
			// the minutes a cap reads (see paidDecimals).
			if pass == 0 {
				w.capPaidLast = w.capPaidLast[:0]
			} else {
				w.capPaidLast, w.capPaid = w.capPaid, w.capPaidLast
			}
			w.capPaid = w.capPaid[:0]
			w.before.reset()
			w.last.reset()
			w.last.extend(w.capPaidLast)
		}
		c.readPaid = false
		c.unmatchedItems, c.unmatchedCats, c.paidVisitCats = c.unmatchedItems[:0], c.unmatchedCats[:0], categories{}
		for vi, v := range w.in.versions {
			if c.multi && w.ctx != nil && w.ctx.Err() != nil {
				// One customer's month of several versions can be long
				// (many versions, long chains of caps): cancelled, it stops
				// between versions, not only between customers (found by
				// attack: 21.65 s after a deadline of 1 s).
				c.cancelled = true
				return
			}
			c.vi = vi
			if c.multi {
				// The earlier versions' records, which this version's
				// caps read; its own are added once it is settled (a
				// failing component takes its own back, see rollback).
				w.before.extend(w.capPaid)
			}
			clear(w.paidMinutes)
			c.paidMinutes = w.paidMinutes
			if c.multi {
				clear(w.paidAfter)
				if pass > 0 {
					for _, m := range last[vi+1:] {
						for k, n := range m {
							w.paidAfter[k] += n
						}
					}
				}
			}
			c.settleVersion(v)
			if !c.multi {
				continue
			}
			// The month so far, for the caps of the next version, by the
			// components' numbers across the versions.
			clear(now[vi])
			for name, m := range w.paidMinutes {
				if id, ok := w.in.componentNamed(vi, name); ok && m != 0 {
					w.paidBefore[id] += m
					now[vi][id] += m
				}
			}
		}
		if pass == 0 && !c.readPaid {
			return // no cap read minutes a later version could add to
		}
		if pass > 0 && slices.EqualFunc(now, last, maps.Equal) {
			return
		}
	}
	if passes > 1 {
		// No two passes agreed: the month has no settlement this worker
		// can trust, and Settle says so rather than pay the last pass.
		c.unsettled = passes
	}
}

// box returns a pointer to a copy of a, in memory the results keep.
func (w *worker) box(a Amount) *Amount {
	p := &w.out.amounts.take(1)[0]
	*p = a
	return p
}
