package reimbursement

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// Indexing a month: its versions by day, and its records by case
// (customer and provider), each case's visits in order.

// input is the dataset indexed for one settlement.
type input struct {
	*monthIndex
	dataIndex
	lock   time.Time
	limits limits
	// noVisitSlots is Options.noVisitSlots.
	noVisitSlots bool
}

// dataIndex is what the input of a settlement holds that depends on the
// dataset alone, not on the book or the month: SettleEach makes it once
// for every book and month it settles a dataset under, and each input
// holds a copy of it (the maps and slices shared, none written after
// indexing but the order of each case's records, which its first
// settlement sorts; see caseInput.sorted).
type dataIndex struct {
	tasks      *models.TaskMap
	taskSource []models.LocalTask // what tasks was made from
	absences   map[string][]models.Absence
	providers  map[string]*models.Provider
	cases      []*caseInput
	// unresolved are the records whose customer or provider is not in
	// the dataset: reported, never settled.
	unresolved []Unpaid
	// decisions holds every decision of a customer, with any provider, by
	// customer id in order of id: the one_off strategy reads a customer's
	// earlier decisions.
	decisions map[string][]*models.Decision
}

// monthIndex is what the input of a settlement holds that depends on the
// book and the month alone: the customers SettleCustomers settles one by
// one share it.
type monthIndex struct {
	period   calendar.Period
	month    string // period.String(), for environments and settlements
	book     *Book
	versions []*Version // the versions in force in the period, in order
	// dayVersion[i] is the index in versions of the version in force on
	// the (i+1)th day of the month, or -1; versionRuns are the month's
	// runs of days of one version (or none), in order, with no zone: the
	// slices of a customer of one zone (see buildSlices).
	dayVersion  []int
	versionRuns []slice
	// ids are the numbers of the versions' components across the month
	// (see componentIDs), by version index; capPasses bounds the passes
	// of a month whose caps read paid minutes (see settleVersions).
	ids       [][]int
	capPasses int
	// recorded, by component number, says whose payments a month of
	// several versions records for its caps (see markRecorded).
	recorded []bool
	// start and end are the first instant of the period and the first
	// after it; midnight[i] is the first instant of the ith day from the
	// start of the month (up to spillDays + 1 past its end).
	start, end time.Time
	midnight   []time.Time
	// midnightOff[i] is midnight[i] as an offset from midnight[0].
	midnightOff []time.Duration
	days        []calendar.Date // days[i] is the date midnight[i] starts
	// uniform[i] reports whether day i keeps one UTC offset (oneOffset).
	uniform []bool
	// plans[vi][i] are the band segments version vi's schedule cuts the
	// ith day into, none for a day of a clock change (see planDays).
	plans [][]dayPlan
	// reads holds the names some version of the month reads.
	reads names
	// wholeVisits: some version of the month has a component of whole
	// visits, or one that reads them (see visitReader); without one,
	// addVisit builds no visit units, which nothing would read.
	wholeVisits bool
}

// caseInput is what one customer has with one provider.
type caseInput struct {
	customer  *models.Customer
	provider  *models.Provider
	decisions []*models.Decision
	visits    []*models.Visit
	listings  []*models.Listing
	events    []*models.AlarmEvent
	attrs     string // the provider's attributes, joined (see baseEnv.Attributes)
	// nDecisions and nVisits count the case's decisions and visits, while
	// indexing; num is the case's number in caseIndex.list.
	nDecisions, nVisits int
	num                 int32
	// sorted reports that the records are in order (see sort): the
	// first settlement of the case puts them so, and the settlements of
	// the same dataIndex under other books and months find them so; ties
	// is then what that sort said of the visits (visitScratch.ties).
	sorted, ties bool
}

// index indexes ds for settling the month p under book. prev, when not
// nil, is the input of an earlier customer of the same settlement (see
// SettleCustomers): what depends only on the book, the month and the
// shared task codes is taken from it rather than computed again.
func index(book *Book, ds *models.Dataset, p calendar.Period, prev *input) (*input, error) {
	in := &input{}
	var prevData *dataIndex
	if prev != nil && prev.book == book && prev.period == p {
		in.monthIndex = prev.monthIndex
		prevData = &prev.dataIndex
	} else {
		in.monthIndex = newMonthIndex(book, p)
	}
	if err := in.dataIndex.index(ds, prevData); err != nil {
		return nil, err
	}
	return in, nil
}

// indexWith returns the input of a settlement of the month p under book
// of a dataset data indexes (see dataIndex).
func indexWith(book *Book, p calendar.Period, data *dataIndex) *input {
	return &input{monthIndex: newMonthIndex(book, p), dataIndex: *data}
}

// index indexes ds into in, which is empty, for every book and month.
// The task codes of prev, when not nil and made from the same slice of
// ds.Tasks, are taken rather than mapped again.
func (in *dataIndex) index(ds *models.Dataset, prev *dataIndex) error {
	in.absences, in.providers, in.decisions = map[string][]models.Absence{}, map[string]*models.Provider{}, map[string][]*models.Decision{}
	if prev != nil && sameSlice(prev.taskSource, ds.Tasks) {
		in.tasks, in.taskSource = prev.tasks, prev.taskSource
	}
	if in.tasks == nil {
		tasks, err := ds.TaskMap()
		if err != nil {
			return err
		}
		in.tasks, in.taskSource = tasks, ds.Tasks
	}
	for i := range ds.Providers {
		in.providers[ds.Providers[i].ID] = &ds.Providers[i]
	}
	for _, a := range ds.Absences {
		in.absences[a.Customer] = append(in.absences[a.Customer], a)
	}
	for _, as := range in.absences {
		slices.SortFunc(as, func(a, b models.Absence) int { return cmp.Or(a.From.Compare(b.From), strings.Compare(a.ID, b.ID)) })
	}
	in.indexCases(ds)
	return nil
}

// sameSlice reports whether a and b are the same slice of tasks.
func sameSlice(a, b []models.LocalTask) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// newMonthIndex finds what depends on the book and the month alone.
func newMonthIndex(book *Book, p calendar.Period) *monthIndex {
	in := &monthIndex{period: p, month: p.String(), book: book}
	// The versions in force on the days of the month: a visit past
	// midnight on the last day is priced by the version of the day it
	// starts, so the days after the month need none (a version in force
	// only after the month would shape none of it, and must not shape its
	// explanations either).
	for d := 1; d <= p.Days(); d++ {
		v := book.VersionOn(calendar.NewDate(p.Year, p.Month, d))
		vi := -1
		if v != nil {
			vi = slices.Index(in.versions, v)
			if vi < 0 {
				vi = len(in.versions)
				in.versions = append(in.versions, v)
			}
		}
		in.dayVersion = append(in.dayVersion, vi)
		date := calendar.Date{Year: p.Year, Month: p.Month, Day: d}
		if n := len(in.versionRuns); n > 0 && in.versionRuns[n-1].vi == vi {
			in.versionRuns[n-1].dates.To = date
		} else {
			in.versionRuns = append(in.versionRuns, slice{vi: vi, dates: calendar.DateRange{From: date, To: date}})
		}
	}
	in.start, in.end = p.Start(), p.End()
	for _, v := range in.versions {
		in.reads |= v.reads
		in.ids = append(in.ids, book.ids[v])
		in.wholeVisits = in.wholeVisits || v.units[unitVisit] || slices.ContainsFunc(v.components, readsVisits)
	}
	in.capPasses = book.capDepth + 2
	in.markRecorded()
	in.indexDays()
	return in
}

// markRecorded sets recorded: in a month of several versions, the
// components whose payments a cap may count or read (see capUsedBefore
// and caseState.segmentsPaidFor). None when no version of the month caps
// a component; of a stacking component, only one whose number some
// version caps or whose minutes some cap reads, since a supplement's
// minutes count for no other component. Recorded for every component,
// 200 uncapped supplements held 1.5 GB for one customer of 4 000 long
// visits (found by attack).
func (in *monthIndex) markRecorded() {
	in.recorded = nil
	if len(in.versions) < 2 {
		return
	}
	capped := map[int]bool{} // numbers capped, or read by a cap
	maxID := -1
	for vi, v := range in.versions {
		for i, c := range v.components {
			id := in.componentID(vi, i)
			maxID = max(maxID, id)
			if c.param("cap") == nil {
				continue
			}
			capped[id] = true
			for _, name := range c.capReads {
				if j := slices.IndexFunc(v.components, func(o *Component) bool { return o.name == name }); j >= 0 {
					capped[in.componentID(vi, j)] = true
				}
			}
		}
	}
	if len(capped) == 0 {
		return
	}
	in.recorded = make([]bool, maxID+1)
	for vi, v := range in.versions {
		for i, c := range v.components {
			id := in.componentID(vi, i)
			in.recorded[id] = in.recorded[id] || !c.stacks || capped[id]
		}
	}
}

// records reports whether the payments of component number id are
// recorded for the caps of the month (see markRecorded).
func (in *monthIndex) records(id int) bool { return id < len(in.recorded) && in.recorded[id] }

// componentID returns the number across the month's versions (see
// componentIDs) of component i of version vi; i itself for a book made
// without numbers.
func (in *monthIndex) componentID(vi, i int) int {
	if vi < len(in.ids) && i < len(in.ids[vi]) {
		return in.ids[vi][i]
	}
	return i
}

// componentNamed returns the number across the month's versions of the
// component of version vi named name, and whether there is one.
func (in *monthIndex) componentNamed(vi int, name string) (int, bool) {
	for i, c := range in.versions[vi].components {
		if c.name == name {
			return in.componentID(vi, i), true
		}
	}
	return 0, false
}

// componentName returns the name of component number id (see
// componentIDs) in version vi, quoted; its number when vi has none.
func (in *monthIndex) componentName(vi, id int) string {
	for i, c := range in.versions[vi].components {
		if in.componentID(vi, i) == id {
			return fmt.Sprintf("%q", c.name)
		}
	}
	return fmt.Sprintf("#%d", id)
}

// indexCases groups the records by customer and provider into cases, in
// an order that does not depend on the order of the records. A record
// whose customer or provider is not in the dataset (Settle validates the
// dataset first, so only a caller that skips validation meets one) is
// reported unresolved and belongs to no case.
func (in *dataIndex) indexCases(ds *models.Dataset) {
	x := caseIndex{in: in, customers: map[string]*models.Customer{}, cases: map[caseKey]*caseInput{}, attrs: map[string]string{}}
	for i := range ds.Customers {
		x.customers[ds.Customers[i].ID] = &ds.Customers[i]
	}
	// The decisions and the visits, nearly all the records, are counted
	// by case first and then given each case's part of one slice.
	decisionCase := spread(&x, ds.Decisions, func(d *models.Decision) *caseInput {
		return x.get(RecordDecision, d.ID, d.Customer, d.Provider)
	}, func(ci *caseInput) *int { return &ci.nDecisions }, func(ci *caseInput) *[]*models.Decision { return &ci.decisions })
	spread(&x, ds.Visits, func(v *models.Visit) *caseInput {
		return x.get(RecordVisit, v.ID, v.Customer, v.Provider)
	}, func(ci *caseInput) *int { return &ci.nVisits }, func(ci *caseInput) *[]*models.Visit { return &ci.visits })
	for i := range ds.Listings {
		l := &ds.Listings[i]
		if ci := x.get(RecordListing, l.ID, l.Customer, l.Provider); ci != nil {
			ci.listings = append(ci.listings, l)
		}
	}
	for i := range ds.AlarmEvents {
		e := &ds.AlarmEvents[i]
		if ci := x.get(RecordAlarmEvent, e.ID, e.Customer, e.Provider); ci != nil {
			ci.events = append(ci.events, e)
		}
	}
	// A customer's decisions, with any provider, are a run of one slice
	// sorted by customer and id.
	var resolved []*models.Decision
	for i, n := range decisionCase {
		if n != 0 {
			resolved = append(resolved, &ds.Decisions[i])
		}
	}
	slices.SortFunc(resolved, func(a, b *models.Decision) int {
		return cmp.Or(strings.Compare(a.Customer, b.Customer), strings.Compare(a.ID, b.ID))
	})
	for i := 0; i < len(resolved); {
		j := i + 1
		for j < len(resolved) && resolved[j].Customer == resolved[i].Customer {
			j++
		}
		in.decisions[resolved[i].Customer] = resolved[i:j:j]
		i = j
	}
	slices.SortFunc(in.unresolved, func(a, b Unpaid) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID))
	})
	for _, ci := range x.cases {
		in.cases = append(in.cases, ci)
	}
	slices.SortFunc(in.cases, func(a, b *caseInput) int {
		if c := strings.Compare(a.customer.ID, b.customer.ID); c != 0 {
			return c
		}
		return strings.Compare(a.provider.ID, b.provider.ID)
	})
}

// caseKey identifies a case: a customer with a provider.
type caseKey struct{ customer, provider string }

// caseIndex finds the case of a record while indexCases builds them.
type caseIndex struct {
	in        *dataIndex
	customers map[string]*models.Customer
	cases     map[caseKey]*caseInput
	attrs     map[string]string // each provider's attributes, joined
	room      slab[caseInput]   // the cases, carved from chunks
	list      []*caseInput      // the cases in the order they were made
	// Records usually come grouped by customer: the case of the record
	// before is tried first.
	lastKey caseKey
	last    *caseInput
}

// get returns the case of a record of customer c with provider pr, made
// on first need, or nil when either is not in the dataset (the record is
// then reported unresolved).
func (x *caseIndex) get(kind RecordKind, id, c, pr string) *caseInput {
	if x.last != nil && c == x.lastKey.customer && pr == x.lastKey.provider {
		return x.last
	}
	k := caseKey{c, pr}
	ci, ok := x.cases[k]
	if !ok {
		cu, pv := x.customers[c], x.in.providers[pr]
		if cu == nil || pv == nil {
			x.in.unresolved = append(x.in.unresolved, Unpaid{Kind: kind, ID: id, Customer: c, Provider: pr, Reason: Unresolved,
				Detail: fmt.Sprintf("brukare %q eller utförare %q finns inte i underlaget", c, pr)})
			return nil
		}
		attrs, ok := x.attrs[pr]
		if !ok {
			attrs = joinAttributes(pv.Attributes) // once a provider, not a case
			x.attrs[pr] = attrs
		}
		ci = &x.room.take(1)[0]
		*ci = caseInput{customer: cu, provider: pv, attrs: attrs, num: int32(len(x.list))}
		x.cases[k] = ci
		x.list = append(x.list, ci)
	}
	x.lastKey, x.last = k, ci
	return ci
}

// spread gives each case its records of recs, in their order, as its part
// of one slice: the records are counted by case in the case's counter
// (the case of each, from caseOf, is returned as its number in x.list
// + 1, 0 for none: half the memory of a pointer, and none the garbage
// collector reads), then each case's part is carved and filled. part is
// the case's field of such records.
func spread[T any](x *caseIndex, recs []T, caseOf func(*T) *caseInput, count func(*caseInput) *int,
	part func(*caseInput) *[]*T) []int32 {
	of := make([]int32, len(recs))
	total := 0
	for i := range recs {
		if ci := caseOf(&recs[i]); ci != nil {
			of[i] = ci.num + 1
			*count(ci)++
			total++
		}
	}
	all := make([]*T, total)
	for _, ci := range x.list {
		k := *count(ci)
		*part(ci), all = all[:0:k], all[k:]
	}
	for i, n := range of {
		if n != 0 {
			p := part(x.list[n-1])
			*p = append(*p, &recs[i])
		}
	}
	return of
}

// sort puts the records of a case in an order that depends on their
// contents only: decisions, listings by id; visits and events by time,
// then id. Records that come in that order, as an export by customer and
// time does, are checked in one pass and left.
//
// scratch is room for sorting the visits, kept for the next case.
func (ci *caseInput) sort(ref time.Time, scratch *visitScratch) {
	sortIfNot(ci.decisions, func(a, b *models.Decision) int { return strings.Compare(a.ID, b.ID) })
	sortVisits(ci.visits, ref, scratch)
	sortIfNot(ci.listings, func(a, b *models.Listing) int { return strings.Compare(a.ID, b.ID) })
	sortIfNot(ci.events, func(a, b *models.AlarmEvent) int {
		return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.ID, b.ID))
	})
}

// visitOrder is a visit with its start as a duration from a reference
// instant, compared as an integer before the times themselves.
type visitOrder struct {
	at time.Duration
	v  *models.Visit
}

// visitScratch is the room sortVisits sorts in, reused from case to case;
// it keeps no visit between calls.
type visitScratch struct {
	keys   []visitOrder
	packed []uint64
	visits []*models.Visit
	// ties reports whether two of the visits last sorted may start at
	// the same instant: false only when the sort saw that none do, so
	// that looking for duplicates (see duplicates), which only visits
	// of one start can be, is left out.
	ties bool
}

// sortVisits puts visits in order of start, then id, unless they are,
// and sets scratch.ties (see visitScratch). To sort, it compares each
// visit's start from ref as an integer, which orders visits as their
// starts do (Time.Sub saturates, so starts centuries away tie and are
// compared as times).
//
// When every start lies after ref and near enough for its offset and the
// visit's position to share one uint64 (offset above, position below,
// as for the visits of a month), the keys are sorted as plain integers,
// with no comparison function; visits that start at the same instant are
// then put in order of id.
func sortVisits(visits []*models.Visit, ref time.Time, scratch *visitScratch) {
	ties := false
	if slices.IsSortedFunc(visits, func(a, b *models.Visit) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		ties = true
		return strings.Compare(a.ID, b.ID)
	}) {
		scratch.ties = ties
		return
	}
	scratch.ties = true // unless sortPacked finds none
	if sortPacked(visits, ref, scratch) {
		return
	}
	keys := scratch.keys[:0]
	for _, v := range visits {
		keys = append(keys, visitOrder{v.Start.Sub(ref), v})
	}
	sortIfNot(keys, func(a, b visitOrder) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		if c := a.v.Start.Compare(b.v.Start); c != 0 {
			return c // the ids are compared only for visits that start together
		}
		return strings.Compare(a.v.ID, b.v.ID)
	})
	for i := range keys {
		visits[i] = keys[i].v
	}
	clear(keys) // no visit kept alive by the scratch
	scratch.keys = keys
}

// sortPacked sorts visits by start, then id, with each start's offset
// from ref and the visit's position packed into one uint64, and reports
// whether it could: every offset must be at least 0 and below 2^(64−b),
// b the bits of the largest position (a month's offsets, below 2^52,
// leave room for cases of up to 4 096 visits). An offset below Time.Sub's
// saturation is exact, so two visits of one offset start at the same
// instant.
func sortPacked(visits []*models.Visit, ref time.Time, scratch *visitScratch) bool {
	if len(visits) < 2 || len(visits) > 1<<20 {
		return false
	}
	b := uint(bits.Len(uint(len(visits) - 1)))
	// Offsets below 2^(64−b) fit beside the position; Time.Sub's
	// saturated maximum (at b = 1) is not exact, and is left out.
	limit := uint64(math.MaxInt64)
	if b > 1 {
		limit = 1 << (64 - b)
	}
	packed := scratch.packed[:0]
	for i, v := range visits {
		at := sub(v.Start, ref) // ref, the month's start, has no clock reading
		if at < 0 || uint64(at) >= limit {
			scratch.packed = packed
			return false
		}
		packed = append(packed, uint64(at)<<b|uint64(i))
	}
	slices.Sort(packed)
	was := append(scratch.visits[:0], visits...)
	mask := uint64(1)<<b - 1
	for i, k := range packed {
		visits[i] = was[k&mask]
	}
	// Visits that start at the same instant, in order of id.
	ties := false
	for i := 0; i < len(packed); {
		j := i + 1
		for j < len(packed) && packed[j]>>b == packed[i]>>b {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(visits[i:j], func(x, y *models.Visit) int { return strings.Compare(x.ID, y.ID) })
			ties = true
		}
		i = j
	}
	clear(was) // no visit kept alive by the scratch
	scratch.packed, scratch.visits, scratch.ties = packed, was, ties
	return true
}

// sortIfNot sorts s by cmp unless it is sorted already.
func sortIfNot[T any](s []T, cmp func(a, b T) int) {
	if !slices.IsSortedFunc(s, cmp) {
		slices.SortFunc(s, cmp)
	}
}

// versionOn returns the index of the version in force on d, or -1 when
// none is or d lies outside the period.
func (in *monthIndex) versionOn(d calendar.Date) int {
	off := d.Sub(in.period.FirstDay())
	if off < 0 || off >= len(in.dayVersion) {
		return -1
	}
	return in.dayVersion[off]
}

// versionAt is versionOn(date) for date the date of day (see dateAt):
// on a day of the table of one offset, the day's, without working out
// how far date lies from the month's first.
func (in *monthIndex) versionAt(day int, date calendar.Date) int {
	if day >= 0 && in.uniform[day] {
		if day < len(in.dayVersion) {
			return in.dayVersion[day]
		}
		return -1
	}
	return in.versionOn(date)
}

// spillDays is how many days after the month the day table knows (see
// indexDays): a visit that runs past midnight on the last day is split
// into band segments there, by the version of the day it starts.
const spillDays = 2
