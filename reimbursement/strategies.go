package reimbursement

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
	"github.com/hemtjanst/ersattning/reimbursement/internal/grantitem"
)

func init() {
	for name, s := range map[string]strategy{
		"granted_time":      grantedTime{},
		"performed_time":    performedTime{},
		"minimum_execution": minimumExecution{},
		"per_visit":         perVisit{},
		"per_listing":       perListing{},
		"fixed_monthly":     fixedMonthly{},
		"per_occurrence":    perOccurrence{},
		"level":             level{},
		"per_activity":      perActivity{},
		"standard_time":     standardTime{},
		"planned_time":      plannedTime{},
		"absence":           absence{},
		"one_off":           oneOff{},
	} {
		if err := register(name, s); err != nil {
			panic(err)
		}
	}
}

var one = decimal.NewFromInt(1)

// isShare reports whether d is a share, 0–1, compared in int64 where it
// fits.
func isShare(d decimal.Decimal) bool {
	if d.IsNegative() {
		return false
	}
	if f, ok := exact.Of(d); ok {
		if c, ok := f.Cmp(exact.Int(1)); ok {
			return c <= 0
		}
	}
	return !d.GreaterThan(one)
}

// groupKey identifies the line a unit's quantity goes to: by its rate
// and, for a quantity paid at a share (declined or planned visits), the
// share and the kind, by value (see exact.Key).
type groupKey struct {
	cat         models.Category
	zone, band  string
	rate, share exact.Key
	scaled      bool
	kind        LineKind
}

// groups adds up integer quantities by line in order of first appearance,
// with the units behind them. A component has few groups per case: they
// are found by comparing keys, and through an index once there are more
// than groupScan.
type groups struct {
	byBand bool // keep bands apart (Component.ByBand)
	list   []group
	index  map[groupKey]int // position in list by key, once it is long
	// overflow is set when a quantity no longer fits an int64; the
	// strategy reports it (it cannot happen within the plausibility
	// limits of Options).
	overflow bool
	// perUnit: the tariff rounds per unit; each group's ids then holds
	// its quantity by unit (see addID).
	perUnit bool
	// pending holds the unit references added, with their group, until
	// collect gives every group its own part of one slice: a line's units
	// cost one allocation per component and case, not one per doubling
	// of each line's slice.
	pending []pendingRef
	all     []UnitRef // the buffer of collect
	w       *worker   // whose groups are reused (see release)
	// last is the position + 1 of the group added to last, 0 for none:
	// a strategy adds the units of one line one after another, more often
	// than not (see sameGroup).
	last int
}

// pendingRef is a unit reference added to group number group.
type pendingRef struct {
	group int
	ref   UnitRef
}

// group is one line's quantity being added up.
type group struct {
	key   groupKey
	qty   int64
	first quantity // the first quantity added, which the line takes after
	steps []string
	n     int       // the unit references added
	units []UnitRef // set by collect
	envs  envSet
	ids   map[string]int64
}

// groupScan is how many groups are compared in turn before an index is
// built.
const groupScan = 8

func newGroups(s *scope) *groups {
	w := s.c.w
	var g *groups
	if n := len(w.groups); n > 0 {
		g, w.groups = w.groups[n-1], w.groups[:n-1]
		*g = groups{list: g.list[:0], pending: g.pending[:0], all: g.all[:0]}
	} else {
		g = &groups{}
	}
	g.byBand, g.perUnit, g.w = s.Component.byBand, s.Version.rounding.PerUnit, w
	return g
}

// release returns g to its worker, for a later newGroups: call it when
// the lines are emitted and g is used no more.
func (g *groups) release() {
	for i := range g.list {
		// Each group cleared but for its steps' buffer, emptied, which
		// the group made in its place next takes (see add).
		steps := g.list[i].steps
		clear(steps)
		g.list[i] = group{steps: steps[:0]}
	}
	g.w.groups = append(g.w.groups, g)
}

// collect gives each group its unit references, in the order they were
// added, as its part of one buffer that g keeps for its next use (capped,
// so that appending to a group's part copies); a line copies the part it
// is given (see caseState.emit).
func (g *groups) collect() {
	if len(g.pending) == 0 {
		return
	}
	all := slices.Grow(g.all[:0], len(g.pending))[:len(g.pending)]
	g.all = all
	off := 0
	for i := range g.list {
		gr := &g.list[i]
		gr.units = all[off : off : off+gr.n]
		off += gr.n
	}
	for _, p := range g.pending {
		gr := &g.list[p.group]
		gr.units = append(gr.units, p.ref)
	}
	clear(g.pending)
	g.pending = g.pending[:0]
}

// key returns the group of q. Bands share a group unless the
// component's rate reads the band, as they share a line.
func (g *groups) key(q *quantity) groupKey {
	k := groupKey{cat: q.Category, zone: q.Zone, rate: exact.KeyOf(q.Rate), scaled: q.Scaled, kind: q.Kind}
	if g.byBand {
		k.band = q.Band
	}
	if q.Scaled {
		k.share = exact.KeyOf(q.Factor)
	}
	return k
}

// find returns the group of k, or nil.
func (g *groups) find(k groupKey) *group {
	if i := g.at(k); i >= 0 {
		return &g.list[i]
	}
	return nil
}

// at returns the position of the group of k in the list, or -1.
func (g *groups) at(k groupKey) int {
	if g.index != nil {
		if i, ok := g.index[k]; ok {
			return i
		}
		return -1
	}
	for i := range g.list {
		if g.list[i].key == k {
			return i
		}
	}
	return -1
}

// sameGroup reports whether q belongs to the group whose first quantity
// is f, from their fields of the group's key with their rates and
// factors as the same decimals, not equal ones (the units of a line
// mostly take their rate from one match, one table cell): a cheaper
// test than writing out q's key (see key), which it implies. false
// tells nothing.
func (g *groups) sameGroup(q, f *quantity) bool {
	return q.Rate == f.Rate && q.Category == f.Category && q.Zone == f.Zone && q.Kind == f.Kind &&
		(!g.byBand || q.Band == f.Band) && q.Scaled == f.Scaled && (!q.Scaled || q.Factor == f.Factor)
}

// alike returns the position of a group whose first quantity q is
// alike to (see sameGroup), or -1 when none is or the groups are many:
// the units of a component mostly alternate among a few lines (the
// bands of a day), and comparing them so costs less than writing out
// q's key.
func (g *groups) alike(q *quantity) int {
	if g.index != nil {
		return -1
	}
	for i := range g.list {
		if g.sameGroup(q, &g.list[i].first) {
			return i
		}
	}
	return -1
}

// add adds n of the unit ref to the group of q.
func (g *groups) add(q *quantity, n int64, ref UnitRef) {
	at := g.last - 1
	if at < 0 || !g.sameGroup(q, &g.list[at].first) {
		at = g.alike(q)
	}
	if at < 0 {
		k := g.key(q)
		if at = g.at(k); at < 0 {
			at = len(g.list)
			// Appended zero and filled where it lies: a composite
			// literal of the group was built aside and copied in. A
			// group made here before, released, leaves its steps'
			// buffer (see release), so that explained lines do not
			// make one each.
			var steps []string
			if n := len(g.list); n < cap(g.list) {
				steps = g.list[:n+1][n].steps[:0]
			}
			g.list = append(g.list, group{})
			gr := &g.list[len(g.list)-1]
			gr.key, gr.first, gr.steps = k, *q, steps
			switch {
			case g.index != nil:
				g.index[k] = len(g.list) - 1
			case len(g.list) > groupScan:
				g.index = make(map[groupKey]int, 2*len(g.list))
				for i := range g.list {
					g.index[g.list[i].key] = i
				}
			}
		}
	}
	g.last = at + 1
	gr := &g.list[at]
	sum, ok := exact.AddChecked(gr.qty, n)
	if !ok {
		g.overflow = true
		return
	}
	gr.qty = sum
	gr.n++
	g.pending = append(g.pending, pendingRef{at, ref})
	if q.Env != nil { // none without explanations
		gr.envs.add(q.Env, &g.w.explainMem)
	}
	if g.perUnit {
		gr.addID(ref.key(), n)
	}
}

// step adds s to the steps of q's group, unless the group has it: a
// line's explanation lists each step once (see caseState.emit).
func (g *groups) step(q *quantity, s string) {
	if gr := g.find(g.key(q)); gr != nil {
		gr.addStep(s)
	}
}

// stepLast is step for the quantity added last (see add), whose group
// is known without writing out its key.
func (g *groups) stepLast(s string) {
	if g.last > 0 {
		g.list[g.last-1].addStep(s)
	}
}

// addStep adds s to the group's steps unless it has it.
func (gr *group) addStep(s string) {
	if !slices.Contains(gr.steps, s) {
		gr.steps = append(gr.steps, s)
	}
}

// quantity returns the line's quantity of group gr in unit: the first
// quantity added with the sum, the units and the environments of all.
// It is the group's first quantity, made so in place (not copied out:
// some 256 bytes), as the groups are emitted and then released.
func (gr *group) quantity(s *scope, unit Unit) *quantity {
	q := &gr.first
	q.Unit = unit
	q.Quantity = exact.IntDecimal(gr.qty)
	q.Units = gr.units
	q.Env, q.Envs = nil, &gr.envs
	gr.unitAmounts(s, q)
	return q
}

func (g *groups) emit(s *scope, unit Unit) error {
	if g.overflow {
		return errOverflow
	}
	g.collect()
	for i := range g.list {
		gr := &g.list[i]
		q := gr.quantity(s, unit)
		if len(q.Steps) == 0 {
			q.Steps = gr.steps // emit copies them, as it does the units
		} else {
			q.Steps = append(q.Steps, gr.steps...)
		}
		s.Emit(*q)
	}
	g.release()
	return nil
}

// errOverflow is the error of a strategy whose quantity does not fit an
// int64: a data error beyond every plausibility limit.
var errOverflow = fmt.Errorf("a quantity is too large to count: check the data for implausible values")

// itemRef names an item unit with the minutes and days a line pays of it.
func itemRef(u *itemUnit, minutes int64, days int) UnitRef {
	return UnitRef{Kind: RecordDecision, ID: u.Decision.ID, Item: u.name, Minutes: minutes, Days: days}
}

// itemUnpaid is an Unpaid entry for an item unit.
func itemUnpaid(u *itemUnit, r Reason, minutes int64, days int, detail string) Unpaid {
	return Unpaid{Kind: RecordDecision, ID: u.Decision.ID, Item: u.name, Date: u.Grant.InForce.From, Reason: r,
		Minutes: minutes, Days: days, Detail: detail}
}

// reportPaused reports the paused days of an item unit, which a strategy
// without an absence ladder does not pay.
func reportPaused(s *scope, u *itemUnit) {
	if n := u.Grant.PausedDays; n > 0 {
		s.NotPaid(itemUnpaid(u, Absent, int64(u.pausedMinutes*u.Item.Staff()), n,
			daysText(n)+" med uppehåll för frånvaro"))
	}
}

// daysText is n days in Swedish: "1 dag", "5 dagar" ("1 dagar", found by
// trial).
func daysText(n int) string {
	if n == 1 {
		return "1 dag"
	}
	return strconv.Itoa(n) + " dagar"
}

// ---- granted_time ----------------------------------------------------

// grantedTime pays the granted minutes (beviljad tid) of the matching
// items: prorated by the days from the start of execution to the end of
// the decision, less paused days. With absence_ladder, paused days are
// paid at a falling share: [{"days": 1, "share": "1"}, {"days": 4,
// "share": "0.5"}] pays the first day of an absence in full, days 2–5 at
// half, later days nothing. absence_reasons limits the ladder to some
// reasons ("hospital", "short_term_care", "other").
type grantedTime struct{}

func (grantedTime) Unit() unitKind { return unitItem }

func (grantedTime) Params() []paramSpec {
	return []paramSpec{
		{Name: "absence_ladder", Kind: paramLadder, Doc: "shares paid for the days of an absence"},
		{Name: "absence_reasons", Kind: paramStrings, Canon: canonicalReason, Doc: "absence reasons the ladder applies to; default all"},
	}
}

func (grantedTime) Settle(s *scope) error {
	for i := range s.Items {
		u := &s.Items[i]
		payItem(s, u, "")
		if err := payAbsences(s, u); err != nil {
			return err
		}
	}
	return nil
}

// payItem emits the granted minutes of the paid days of one item unit.
func payItem(s *scope, u *itemUnit, step string) {
	q := itemQuantity(s, u)
	q.Quantity = exact.IntDecimal(int64(u.Grant.StaffMinutes))
	q.Units = s.oneUnit(itemRef(u, int64(u.Grant.StaffMinutes), u.Grant.PaidDays))
	if s.Explain() {
		q.Steps = append(q.Steps, describeGrant(u, s.Period.Days()))
		if step != "" {
			q.Steps = append(q.Steps, step)
		}
	}
	s.Emit(q)
}

func itemQuantity(s *scope, u *itemUnit) quantity {
	return quantity{Category: u.Item.Category, Zone: u.Zone, Unit: Minutes, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
}

// explainEnv returns env when the settlement explains its lines, nil
// otherwise, so bulk runs do not box an environment per unit.
func explainEnv[E any](s *scope, env E) any {
	if s.Explain() {
		return env
	}
	return nil
}

// explainVisit is explainEnv for a visit's environment: a copy kept by
// the worker for the case, so that an explained month does not allocate
// an environment per visit (see worker.keepEnv).
func explainVisit(s *scope, env *visitEnv) any {
	if s.Explain() {
		return s.c.w.keepEnv(env)
	}
	return nil
}

// describeGrant writes what a decision item grants and what of it the
// month pays, for an explanation's steps, with the arithmetic of
// models.GrantedItem.MinutesFor as the engine did it: "beslut b1, Dusch:
// 30 min × 3 per vecka, dubbelbemanning; i kraft 2024-04-01..2024-04-30
// (30 dagar), 5 med uppehåll → 30 × 3 × 25 betalda dagar ÷ 7 = 321.42… →
// 321 min (halvt uppåt till hel minut) × 2 personal = 642
// personalminuter". The minutes are the pool's (the item with the items
// that renew it, see poolRenewals), prorated by its paid days in the
// month of monthDays days and rounded once; a unit that is one of
// several parts of them (a version boundary, a move, a renewal) says so
// and how they were shared. It appends into a stack buffer rather than
// formatting.
func describeGrant(u *itemUnit, monthDays int) string {
	it, g := u.Item, u.Grant
	num := func(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
	var buf [320]byte
	b := append(append(append(append(buf[:0], "beslut "...), u.Decision.ID...), ", "...), itemName(it)...)
	// Items of one name are told apart by their place in the decision:
	// explanation steps are kept once, and two alike items showed one
	// step for a line paying both (found by attack).
	same, at := int(u.alike), int(u.place)
	if same == 0 {
		// A unit not made by addItem, which places every unit of an
		// explained settlement (describeGrant is called only then):
		// one a test builds by hand.
		same, at = grantitem.Alike(u.Decision, it)
	}
	if same > 1 {
		b = append(num(append(num(append(b, " (insats "...), at), " av "...), same), ")"...)
	}
	if it.MinutesPerMonth > 0 {
		b = append(num(append(b, ": "...), it.MinutesPerMonth), " min per månad"...)
	} else {
		b = append(num(append(num(append(b, ": "...), it.Minutes), " min × "...), it.Times), " per "...)
		b = append(b, it.Per.Swedish()...)
	}
	staff := it.Staff()
	if it.DoubleStaffing {
		b = append(b, ", dubbelbemanning"...)
	}
	b = append(appendDateRange(append(b, "; i kraft "...), g.InForce), " ("...)
	b = append(num(append(num(b, g.Days), " dagar), "...), g.PausedDays), " med uppehåll → "...)
	sh := u.share
	if sh.among <= 1 {
		// The unit is the whole pool: its minutes are the proration of
		// its own paid days.
		return string(appendProration(b, it, g.PaidDays, monthDays, g.Minutes))
	}
	b = append(num(b, g.StaffMinutes), " personalminuter, dess andel av "...)
	if sh.zone != sh.month {
		b = append(num(append(b, "zonens "...), sh.zone*staff), " av "...)
	}
	b = appendProration(append(b, "månadens "...), it, sh.days, monthDays, sh.month)
	if sh.zone != sh.month {
		// Shared first among the zones, then among the zone's parts (the
		// parts alone gave another minute to another part, found by
		// attack).
		b = append(b, ", delade efter betalda dagar på zonerna, sedan på zonens delar (största rest)"...)
	} else {
		// Its share of the month's minutes, rounded once for the month:
		// rounded by part, the minutes of a part could not be had from
		// its own days (found by trial: 194 for 45 × 15 ÷ 7 × 2).
		b = append(num(append(b, ", delade på "...), sh.among), " delar efter betalda dagar (största rest)"...)
	}
	// The part's own exact minutes, for one staff member: its share is
	// them rounded down, or up by largest remainder.
	b = appendExact(append(b, "; denna del: "...), it, g.PaidDays, monthDays)
	return string(append(num(append(b, " → "...), g.Minutes), " min"...))
}

// appendDate appends d as its String writes it, "2024-04-01", without
// formatting it (TestAppendTexts holds them together).
func appendDate(b []byte, d calendar.Date) []byte {
	if d.Year < 0 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 99 {
		return append(b, d.String()...)
	}
	y, m := d.Year, int(d.Month)
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	return append(b, byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// appendDateRange appends r as its String writes it,
// "2024-04-01..2024-04-30".
func appendDateRange(b []byte, r calendar.DateRange) []byte {
	return appendDate(append(appendDate(b, r.From), ".."...), r.To)
}

// appendDecimal appends d as its String writes it ("0.17", "600"), in
// int64 where it fits, without the decimal's allocations
// (TestAppendTexts holds them together).
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	if f, ok := exact.Of(d); ok && f.Exp <= 0 && f.Exp >= -maxFastScale {
		if t, ok := f.AppendString(b); ok {
			return t
		}
	}
	return append(b, d.String()...)
}

// appendProration appends the proration of an item's minutes over days
// paid days of a month of monthDays days, as models.GrantedItem.count
// computes it (exact, then rounded half up to a whole minute once, then
// times the staff), ending in the staff minutes: "60 × 1 × 29 betalda
// dagar ÷ 7 = 248.57… → 249 personalminuter (halvt uppåt till hel
// minut)", "30 × 3 × 25 betalda dagar ÷ 7 = 321.42… → 321 min (halvt
// uppåt till hel minut) × 2 personal = 642 personalminuter". rounded is
// the minutes for one staff member. An item of no minutes to prorate (a
// subscription) gives the staff minutes alone.
func appendProration(b []byte, it *models.GrantedItem, days, monthDays, rounded int) []byte {
	n := func(b []byte, x int) []byte { return strconv.AppendInt(b, int64(x), 10) }
	staff := it.Staff()
	if it.MinutesPerMonth <= 0 && it.Per != models.PerDay && it.Per != models.PerWeek && it.Per != models.PerMonth {
		return append(n(b, rounded*staff), " personalminuter"...)
	}
	num, den := it.Prorate(days, monthDays)
	b = appendExact(b, it, days, monthDays)
	rounds := den > 1 && num%den != 0
	switch {
	case staff == 1 && rounds:
		return append(n(append(b, " → "...), rounded), " personalminuter (halvt uppåt till hel minut)"...)
	case staff == 1:
		return append(b, " personalminuter"...)
	case rounds:
		b = append(n(append(b, " → "...), rounded), " min (halvt uppåt till hel minut)"...)
	default:
		b = append(b, " min"...)
	}
	return append(n(append(n(append(b, " × "...), staff), " personal = "...), rounded*staff), " personalminuter"...)
}

// appendExact appends an item's exact minutes over days paid days of a
// month of monthDays days, for one staff member: "60 × 1 × 29 betalda
// dagar ÷ 7 = 248.57…" (the quotient to two decimals, cut, with "…"
// where it goes on), "20 × 1 × 29 betalda dagar = 580".
func appendExact(b []byte, it *models.GrantedItem, days, monthDays int) []byte {
	num, den := it.Prorate(days, monthDays)
	n := func(b []byte, x int) []byte { return strconv.AppendInt(b, int64(x), 10) }
	if it.MinutesPerMonth > 0 {
		b = n(b, it.MinutesPerMonth)
	} else {
		b = n(append(n(b, it.Minutes), " × "...), it.Times)
	}
	b = append(n(append(b, " × "...), days), " betalda dagar"...)
	if den > 1 {
		b = n(append(b, " ÷ "...), den)
	}
	b = append(b, " = "...)
	if num < 0 { // an item Validate refuses
		b, num = append(b, '-'), -num
	}
	b = n(b, num/den)
	if r := num % den; r != 0 {
		// Two decimals, cut; "…" when the quotient has more.
		d := r * 100 / den
		b = append(b, '.', byte('0'+d/10))
		if d%10 != 0 || r*100%den != 0 {
			b = append(b, byte('0'+d%10))
		}
		if r*100%den != 0 {
			b = append(b, "…"...)
		}
	}
	return b
}

func itemName(it *models.GrantedItem) string { return ItemName(it) }

// ItemName is how a settlement names a granted item (insats) of a
// decision in UnitRef.Item and Unpaid.Item: its task code (trimmed), else
// its KSI code, else its category. Items of one decision with the same
// name are accounted together.
func ItemName(it *models.GrantedItem) string { return grantitem.Name(it) }

// payAbsences pays the paused days of an item by the absence ladder and
// reports the rest (days beyond the ladder, on a step of share 0, of an
// absence reason the ladder leaves out, or every paused day without a
// ladder) as absent.
func payAbsences(s *scope, u *itemUnit) error {
	return payLadder(s, u, s.Component.param("absence_ladder"), s.Component.param("absence_reasons"))
}

// payLadder pays the paused days of an item by a day ladder, for the
// absences whose reason is among reasons (nil: any reason), and reports
// the other paused days as absent. The error is ladderMinutes'.
func payLadder(s *scope, u *itemUnit, ladder, reasons *param) error {
	if u.Grant.PausedDays == 0 {
		return nil
	}
	if ladder == nil {
		reportPaused(s, u)
		return nil
	}
	steps := ladder.Ladder()
	daysAt, unpaid := stepDays(s, u, steps, reasons)
	// The paused minutes, rounded once a month (see shareGrants), shared
	// among the steps paid and the days not paid in proportion to their
	// days, for the month: rounded per step, 412 minutes were paid and
	// reported for 411; per version, a version beginning within an
	// absence moved a minute between steps.
	minutes, err := ladderMinutes(s, u, steps, reasons, daysAt, unpaid)
	if err != nil {
		return err
	}
	for i, st := range steps {
		days, ok := daysAt[i]
		if !ok {
			continue
		}
		q := itemQuantity(s, u)
		q.Kind = KindAbsence
		q.scale(st.Share)
		m := int64(minutes[i] * u.Item.Staff())
		q.Quantity = exact.IntDecimal(m)
		q.Units = s.oneUnit(itemRef(u, m, days))
		if s.Explain() {
			q.Steps = []string{fmt.Sprintf("beslut %s, %s: %s med uppehåll på trappsteg %d betalas med andelen %s",
				u.Decision.ID, itemName(u.Item), daysText(days), i+1, st.Share)}
		}
		s.Emit(q)
	}
	if unpaid > 0 {
		s.NotPaid(itemUnpaid(u, Absent, int64(minutes[len(steps)]*u.Item.Staff()), unpaid,
			daysText(unpaid)+" med uppehåll som frånvarotrappan inte betalar"+whyNotOnLadder(s, u, reasons, unpaid)))
	}
	return nil
}

// whyNotOnLadder tells apart, in a detail, the unpaid paused days of an
// absence whose reason the ladder leaves out from those beyond it or on
// a step of share 0 (found by trial: 2 days of short-term care and 5 of
// hospital beyond the ladder read as 7 days the ladder does not pay): ""
// when no reason is left out, ": av skäl den inte gäller
// (korttidsboende)" when every day is, else ": 2 av skäl den inte gäller
// (korttidsboende), 5 utöver den".
func whyNotOnLadder(s *scope, u *itemUnit, reasons *param, unpaid int) string {
	if reasons == nil {
		return ""
	}
	left, names := 0, []string(nil)
	eachAbsentDay(s, u, func(a *models.Absence, _ calendar.Date) {
		if !slices.Contains(reasons.Strings(), a.Reason.String()) {
			left++
			if n := a.Reason.Swedish(); !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	})
	slices.Sort(names)
	switch {
	case left == 0:
		return ""
	case left >= unpaid:
		return fmt.Sprintf(": av skäl den inte gäller (%s)", strings.Join(names, ", "))
	}
	return fmt.Sprintf(": %d av skäl den inte gäller (%s), %d utöver den", left, strings.Join(names, ", "), unpaid-left)
}

// stepDays returns the paused days of an item unit on each step of the
// ladder that pays (step → days) and the paused days not paid.
func stepDays(s *scope, u *itemUnit, steps []ladderStep, reasons *param) (map[int]int, int) {
	daysAt := ladderDays(s, u, steps, reasons)
	unpaid := u.Grant.PausedDays
	for i, st := range steps {
		if days := daysAt[i]; days == 0 || st.Share.IsZero() {
			delete(daysAt, i)
		} else {
			unpaid -= days
		}
	}
	return daysAt, unpaid
}

// ladderMinutes returns the minutes of u on the ladder's steps that pay
// (step i at i) and on its paused days not paid (at len(steps)): the
// paused minutes of u's item (its pool, see poolRenewals) in u's zone,
// over the month's versions, shared first among the steps by their days
// in the month and then, within each step, among the units, by largest
// remainder of their exact minutes (see apportion). So a version
// beginning within an absence moves no minute between steps. The zone's
// paused minutes are conserved; a unit's may differ by one from its own
// share (see shareGrants). daysAt and unpaid are u's (see stepDays). The
// error is wouldPay's, of a peer under another version.
func ladderMinutes(s *scope, u *itemUnit, steps []ladderStep, reasons *param, daysAt map[int]int, unpaid int) ([]int, error) {
	monthDays := s.Period.Days()
	n := len(steps) + 1
	// The pool's share in the zone, worked out for another of its units:
	// each unit of it asked for all the others' (a decision of 20 000
	// items, each with paused days, shared 20 000 × 20 000).
	key := ladderKey{u.pool, u.Zone}
	if m := s.ladders[key]; m != nil {
		if p, ok := m.at[ladderUnit{u.Item, u.Grant.InForce}]; ok {
			return m.out[p*n : p*n+n], nil
		}
	}
	// u's peers: the units of its item in its zone with paused days,
	// over the month's versions, u among them (the case's own, of which
	// the scope's units are copies).
	peers, self := s.c.w.ladderPeers[:0], -1
	for _, o := range s.ladderPeers(key) {
		if o.Item == u.Item && o.Grant.InForce == u.Grant.InForce {
			self = len(peers)
			peers = append(peers, u)
		} else if o.Grant.PausedDays > 0 {
			pays, err := s.wouldPay(o)
			if err != nil {
				s.c.w.ladderPeers = peers[:0]
				return nil, err
			}
			if pays {
				peers = append(peers, o)
			}
		}
	}
	alone := self < 0
	if alone { // not a unit of the case: on its own
		self, peers = len(peers), append(peers, u)
	}
	s.c.w.ladderPeers = peers[:0]
	sh := &s.c.w.shares
	sh.nums, sh.groups, sh.out = resize(sh.nums, len(peers)*n), resize(sh.groups, len(peers)*n), resize(sh.out, len(peers)*n)
	den, total := 1, 0
	for p, o := range peers {
		total += o.pausedMinutes
		at, rest := daysAt, unpaid
		if p != self {
			at, rest = stepDays(s, o, steps, reasons)
		}
		for k := range n {
			days, ok := at[k]
			if k == len(steps) {
				days, ok = rest, rest > 0
			}
			i := p*n + k
			sh.nums[i], sh.groups[i] = -1, k
			if ok {
				sh.nums[i], den = o.Item.Prorate(days, monthDays)
			}
		}
	}
	apportion(total, sh.nums, den, sh.groups, sh.out, sh)
	if alone || len(peers) == 1 {
		return sh.out[self*n : self*n+n], nil // no other unit to read it
	}
	// Every peer's share is the same for each of them: kept for the
	// others of the pool to read.
	m := &ladderShare{n: n, out: slices.Clone(sh.out[:len(peers)*n]), at: make(map[ladderUnit]int, len(peers))}
	for p, o := range peers {
		m.at[ladderUnit{o.Item, o.Grant.InForce}] = p
	}
	if s.ladders == nil {
		s.ladders = map[ladderKey]*ladderShare{}
	}
	s.ladders[key] = m
	return m.out[self*n : self*n+n], nil
}

// itemUnits counts the case's item units over its versions.
func (s *scope) itemUnits() int {
	n := 0
	for vi := range s.c.units {
		n += len(s.c.units[vi].items)
	}
	return n
}

// ladderScan is the most item units a case's ladder looks through for
// each unit's peers rather than index them.
const ladderScan = 32

// ladderPeers returns the case's item units of the pool and zone of key
// that a ladder of s's component shares paused minutes among, in the
// order of version and unit (see eachLadderUnit). A case of at most
// ladderScan item units, as nearly all are, is looked through for each
// unit, into the worker's buffer; a larger one is indexed by pool and
// zone once a scope: a look through every unit of the case for each
// unit was the product of the two (20 000 items: 20 000 × 20 000).
func (s *scope) ladderPeers(key ladderKey) []*itemUnit {
	if s.ladderUnits == nil && s.itemUnits() <= ladderScan {
		found := s.c.w.ladderScan[:0]
		s.eachLadderUnit(func(o *itemUnit) {
			if o.pool == key.pool && o.Zone == key.zone {
				found = append(found, o)
			}
		})
		s.c.w.ladderScan = found
		return found
	}
	if s.ladderUnits == nil {
		s.ladderUnits = map[ladderKey][]*itemUnit{}
		s.eachLadderUnit(func(o *itemUnit) {
			k := ladderKey{o.pool, o.Zone}
			s.ladderUnits[k] = append(s.ladderUnits[k], o)
		})
	}
	return s.ladderUnits[key]
}

// eachLadderUnit calls f with each of the case's item units a ladder of
// s's component may share among, in the order of version and unit: only
// units this component pays, here or under a version whose component of
// its name pays alike (the same strategy, when and parameters), each
// sharing out the same peers, so that their rows add up to the paused
// minutes. Under another ladder, or another component, a unit's minutes
// are its own (two ladders each keeping the row the other gave a minute
// lost it).
func (s *scope) eachLadderUnit(f func(o *itemUnit)) {
	for vi := range s.c.units {
		if vi != s.c.vi && !s.alikeIn(vi) {
			continue
		}
		for j := range s.c.units[vi].items {
			f(&s.c.units[vi].items[j])
		}
	}
}

// ladderDays counts the paused days of an item unit on each step of the
// ladder, by the day of the absence they fall on (counted from its first
// day, even in an earlier month). Days of absences the ladder leaves out
// and days beyond it are on no step.
func ladderDays(s *scope, u *itemUnit, steps []ladderStep, reasons *param) map[int]int {
	daysAt := map[int]int{} // ladder step → days
	eachAbsentDay(s, u, func(a *models.Absence, d calendar.Date) {
		if reasons != nil && !slices.Contains(reasons.Strings(), a.Reason.String()) {
			return
		}
		day := d.Sub(a.From) + 1
		at := 0
		for i, st := range steps {
			at += st.Days
			if day <= at {
				daysAt[i]++
				break
			}
		}
	})
	return daysAt
}

// eachAbsentDay calls f with each day an item unit is in force on that
// an absence of the customer covers, and that absence.
func eachAbsentDay(s *scope, u *itemUnit, f func(a *models.Absence, d calendar.Date)) {
	as := s.Absences()
	on := s.absenceDays()
	for d := u.Grant.InForce.From; !d.After(u.Grant.InForce.To); d = d.AddDays(1) {
		if k, ok := on.absence(d.Day); ok {
			f(&as[k], d)
		}
	}
}

// ---- performed_time --------------------------------------------------

// performedTime pays the performed minutes (utförd tid) of the matching
// visit segments, in their bands, after time rounding. A double-staffed
// visit counts twice only when the decision orders double staffing.
//
// cap is an expression in CapEnv giving the most minutes payable per
// category, e.g. "granted" (capped by the decision) or
// "performed[\"sol\"] * 0.17" (at most 17 % of what component sol paid);
// it is rounded down to whole minutes and applied in chronological order,
// so the minutes beyond it are the last performed in the month. It caps
// performed minutes only: a declined visit (avböjt besök), paid its
// declined_share on a line of its own, is not performed and neither
// counts toward the cap nor is held by it, as bomtid is paid beside the
// grant. require_decision (default true) leaves unpaid the visits no
// decision covers, declined ones included. declined_share is an
// expression giving the share of a declined visit's minutes that is paid
// (default: nothing).
type performedTime struct{}

func (performedTime) Unit() unitKind { return unitSegment }

func (performedTime) Params() []paramSpec {
	return []paramSpec{
		{Name: "cap", Kind: paramCapExpr, Min: "0", Max: capMax, Doc: "most minutes payable per category"},
		{Name: "require_decision", Kind: paramBool, Doc: "pay only visits a decision covers (default true)"},
		{Name: "declined_share", Kind: paramExpr, Min: shareMin, Max: shareMax, Doc: "share of a declined visit paid"},
	}
}

func requireDecision(s *scope, def bool) bool {
	if p := s.Component.param("require_decision"); p != nil {
		return p.Bool()
	}
	return def
}

func (performedTime) Settle(s *scope) error {
	needDecision := requireDecision(s, true)
	g := newGroups(s)
	declined := newDeclined(s)
	var reported map[*models.Visit]bool
	// The segments to pay, and their categories in order of first
	// appearance, in the worker's scratch.
	w := s.c.w
	paid, cats := w.paidSegs[:0], w.cats[:0]
	for i, u := range s.Segments {
		m := u.Minutes * int64(u.Staff)
		// A declined visit no decision covers is not paid either: the
		// decision is checked first (found by attack: declined visits
		// before a decision was started were paid their share).
		if needDecision && !u.HasDecision {
			if reported == nil {
				reported = map[*models.Visit]bool{}
			}
			if !reported[u.Visit] {
				reported[u.Visit] = true
				s.notCovered(u.Visit, u.Category, visitPaidMinutes(s, i)) // of the visit's date, not the segment's
			}
			continue
		}
		if u.Visit.Declined {
			if err := declined.add(s, *u.env, segQuantity(s, u), m, u.Visit, u.Date, i); err != nil {
				return err
			}
			continue
		}
		if !slices.Contains(cats, u.Category) {
			cats = append(cats, u.Category)
		}
		paid = append(paid, paidSegment{u, m})
	}
	w.paidSegs, w.cats = paid, cats
	for _, cat := range cats {
		part := paid // the segments of the one category, as most cases have
		if len(cats) > 1 {
			part = w.catSegs[:0]
			for _, p := range paid {
				if p.u.Category == cat {
					part = append(part, p)
				}
			}
			w.catSegs = part
		}
		if err := payCapped(s, g, cat, part); err != nil {
			return err
		}
	}
	if err := g.emit(s, Minutes); err != nil {
		return err
	}
	return declined.emit(s, Minutes)
}

// paidSegment is a segment with its staff minutes to pay.
type paidSegment struct {
	u *segmentUnit
	m int64
}

// visitPaidMinutes returns the staff minutes of the segments the
// component matched of the visit of segment i (none when i < 0): what a
// component reports unpaid for a whole visit. A visit's segments are
// consecutive (see lines.go), so they are the run around i.
func visitPaidMinutes(s *scope, i int) int64 {
	if i < 0 {
		return 0
	}
	v := s.Segments[i].Visit
	from, to := i, i+1
	for from > 0 && s.Segments[from-1].Visit == v {
		from--
	}
	for to < len(s.Segments) && s.Segments[to].Visit == v {
		to++
	}
	var m int64
	for _, u := range s.Segments[from:to] {
		m += u.Minutes * int64(u.Staff)
	}
	return m
}

// payCapped adds the segments of one category to g up to the component's
// cap, in chronological order, and reports the minutes above it.
func payCapped(s *scope, g *groups, cat models.Category, segs []paidSegment) error {
	var total int64
	for _, p := range segs {
		total += p.m
	}
	limit, capStep, err := capOf(s, cat, segs[0].u.Zone, total)
	if err != nil {
		return err
	}
	remaining := limit
	id := s.c.w.in.componentID(s.c.vi, s.Component.index)
	// The visits above the cap with their minutes, in order, in the
	// worker's scratch: a visit's segments are consecutive, so a visit is
	// found at the end.
	above := s.c.w.aboveCap[:0]
	defer func() { s.c.w.aboveCap = above[:0] }()
	// One quantity, its fields of a segment set in turn (see
	// segQuantity): g.add copies what it keeps of it.
	var q quantity
	for _, p := range segs {
		pay := min(p.m, remaining)
		remaining -= pay
		if pay > 0 {
			q.Category, q.Zone, q.Band, q.Rate, q.Lookups = p.u.Category, p.u.Zone, p.u.Band, p.u.Rate, p.u.Lookups
			if s.Explain() {
				q.Env = p.u.env
			}
			g.add(&q, pay, UnitRef{Kind: RecordVisit, ID: p.u.Visit.ID, Minutes: pay})
			if capStep != "" {
				g.stepLast(capStep)
			}
			if s.c.multi && s.c.w.in.records(id) {
				// What is paid counts toward the month's cap of a later
				// version that would pay the segment, whether or not this
				// version caps it (see capUsedBefore).
				s.c.w.capPaid = append(s.c.w.capPaid, capPayment{vi: s.c.vi, component: id, category: cat,
					visit: p.u.Visit, start: p.u.Start, env: p.u.env, visitEnv: p.u.visitEnv, minutes: pay, stacks: s.Component.stacks})
			}
		}
		if rest := p.m - pay; rest > 0 {
			at := len(above) - 1
			if at < 0 || above[at].v != p.u.Visit {
				at = len(above)
				above = append(above, aboveCap{v: p.u.Visit})
			}
			above[at].m += rest
		}
	}
	if len(above) > 0 {
		var used decimal.Decimal // what earlier versions used of the month's cap
		if s.c.multi && s.Component.param("cap") != nil {
			var err error
			if used, err = capUsedBefore(s, cat); err != nil {
				return err
			}
		}
		detail := capDetail(cat, limit, used) // the same for each
		for _, a := range above {
			s.NotPaid(Unpaid{Kind: RecordVisit, ID: a.v.ID, Date: calendar.DateOf(a.v.Start.In(s.Period.Location)), Reason: AboveCap,
				Minutes: a.m, Detail: detail})
		}
	}
	if capStep != "" && total > limit {
		for i := range g.list {
			if gr := &g.list[i]; gr.key.cat == cat {
				gr.steps = append(gr.steps, fmt.Sprintf("%d min över taket betalas inte: de sist utförda i månaden", total-limit))
				break
			}
		}
	}
	return nil
}

// aboveCap is a visit above a cap, with its minutes above it.
type aboveCap struct {
	v *models.Visit
	m int64
}

// capDetail says why the minutes above a cap are not paid: "taket för
// omsorg, 420 min, är nått", the limit this version left and what earlier
// versions of the month used of it.
func capDetail(cat models.Category, limit int64, used decimal.Decimal) string {
	var buf [64]byte
	b := append(append(buf[:0], "taket för "...), cat.Swedish()...)
	b = append(b, ", "...)
	if used.IsZero() {
		b = strconv.AppendInt(b, limit, 10) // without a decimal's allocations
	} else {
		b = append(b, exact.IntDecimal(limit).Add(used).String()...)
	}
	return string(append(b, " min, är nått"...))
}

// capOf evaluates the component's cap for a category: the most minutes
// payable, total when there is no cap, and the step explaining it.
func capOf(s *scope, cat models.Category, zone string, total int64) (int64, string, error) {
	capParam := s.Component.param("cap")
	if capParam == nil {
		return total, "", nil
	}
	// The environment is the worker's, handed to the machine as a
	// pointer rather than copied into an interface.
	env := &s.c.w.capEnv
	*env = capEnv{baseEnv: s.Base(zone), Category: cat.String(), Granted: exact.IntDecimal(s.Granted(cat))}
	if s.Version.reads.has(readsPerformed) {
		var err error
		if env.Performed, err = s.c.paidDecimals(); err != nil {
			return 0, "", fmt.Errorf("%s: %w", capParam.Name, err)
		}
		// A version before the month's last read minutes a later one
		// may add to (see settleVersions).
		s.c.readPaid = s.c.readPaid || s.c.vi < len(s.c.w.in.versions)-1
	}
	// A cap environment is not normalised (it holds no ids) nor memoised
	// (it holds a map): evaluated as it is, but for a cap of the granted
	// minutes alone, which are its value.
	var r result
	if capParam.granted {
		r.dec = env.Granted
	} else {
		r = runIn(&s.c.w.ev, capParam.prog, env)
	}
	if r.err != nil {
		return 0, "", fmt.Errorf("%s: %w", capParam.Name, r.err)
	}
	v, whole := r.dec, r.dec
	// In a month of several versions the cap is the month's: what this
	// component paid under it in earlier versions is taken off.
	var used decimal.Decimal
	if s.c.multi {
		var err error
		if used, err = capUsedBefore(s, cat); err != nil {
			return 0, "", fmt.Errorf("%s: %w", capParam.Name, err)
		}
		if used.Sign() > 0 {
			v = v.Sub(used)
		}
	}
	// A cap beyond what was performed caps nothing (and a huge one must
	// not wrap around when made an integer).
	limit := total
	switch f, ok := exact.Of(v); {
	case v.Sign() < 0:
		limit = 0 // a negative cap pays nothing, however large
	case ok:
		if fl, ok := f.Floor(); ok && fl < total {
			limit = fl
		}
	default:
		if fl := v.Floor(); fl.LessThan(exact.IntDecimal(total)) {
			limit = fl.IntPart() // ≥ 0 and < total: it fits
		}
	}
	step := ""
	if s.Explain() {
		step = capStep(capParam.Source, whole, cat, total)
		if used.Sign() > 0 {
			step += "; " + used.String() + " min av det betalda under en tidigare taxeversion i månaden"
		}
	}
	return limit, step, nil
}

// capStep explains a cap: "tak granted = 600 min för omsorg; utfört
// 640 min".
func capStep(source string, v decimal.Decimal, cat models.Category, total int64) string {
	var buf [128]byte
	b := appendDecimal(append(append(append(buf[:0], "tak "...), source...), " = "...), v)
	b = append(append(append(b, " min för "...), cat.Swedish()...), "; utfört "...)
	return string(append(strconv.AppendInt(b, total, 10), " min"...))
}

// segQuantity is the quantity of a segment: its category, zone, band,
// rate and lookups, and its environment when the line is explained.
func segQuantity(s *scope, u *segmentUnit) quantity {
	var env any
	if s.Explain() {
		env = u.env
	}
	return quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: env}
}

// declinedPay adds up the declined visits a component pays at a share
// (declined_share), by share (see groupKey), and reports those it does
// not pay.
type declinedPay struct {
	g        *groups
	reported map[*models.Visit]bool
}

func newDeclined(s *scope) *declinedPay {
	return &declinedPay{}
}

// add counts n of a declined visit's quantity q (minutes of a segment,
// or 1 visit) at the share the component's declined_share gives in env,
// or reports the visit unpaid; seg is the number of the segment in
// s.Segments, or −1 for a visit.
func (dp *declinedPay) add(s *scope, env visitEnv, q quantity, n int64, v *models.Visit, d calendar.Date, seg int) error {
	p := s.Component.param("declined_share")
	share := decimal.Decimal{}
	if p != nil {
		var err error
		if share, err = s.evalVisit(p, env); err != nil {
			return err
		}
		if !isShare(share) {
			return fmt.Errorf("declined_share %s for visit %s is not 0–1", share, v.ID)
		}
	}
	if share.IsZero() {
		if dp.reported == nil {
			dp.reported = map[*models.Visit]bool{}
		}
		if !dp.reported[v] {
			dp.reported[v] = true
			s.NotPaid(Unpaid{Kind: RecordVisit, ID: v.ID, Date: d, Reason: Declined, Minutes: visitPaidMinutes(s, seg),
				Detail: "avböjt av brukaren; komponenten " + s.Component.name + " betalar ingen andel"})
		}
		return nil
	}
	if dp.g == nil {
		dp.g = newGroups(s)
	}
	q.Kind = KindDeclined
	q.scale(share)
	ref := UnitRef{Kind: RecordVisit, ID: v.ID}
	if len(s.Segments) > 0 {
		ref.Minutes = n
	}
	dp.g.add(&q, n, ref)
	return nil
}

func (dp *declinedPay) emit(s *scope, unit Unit) error {
	if dp.g == nil {
		return nil // no declined visit paid
	}
	if dp.g.overflow {
		return errOverflow
	}
	dp.g.collect()
	for i := range dp.g.list {
		gr := &dp.g.list[i]
		q := gr.quantity(s, unit)
		if s.Explain() {
			share := gr.first.Factor // the group's, by its key
			const said = "avböjda besök betalas med andelen "
			var buf [96]byte
			b := appendDecimal(append(buf[:0], said...), share)
			if src := s.Component.param("declined_share").Source; src != string(b[len(said):]) {
				b = append(append(append(b, " ("...), src...), ')')
			}
			q.Steps = []string{string(b)}
		}
		s.Emit(*q)
	}
	dp.g.release()
	return nil
}

// ---- minimum_execution -------------------------------------------------

// minimumExecution pays the granted time in full when the performed share
// (utförandegrad: performed ÷ granted minutes, per category, rounded to
// four decimals) reaches threshold; below it, by below: "performed" pays
// the performed minutes (less than the granted, as a threshold is at most
// 1) where they were performed, "deduction" pays granted time
// less the share deduction, "share" pays granted time × the achieved
// share.
type minimumExecution struct{}

// readsVisits makes minimumExecution a visitReader: it pours the
// performed time of the version's visit units into its granted items
// (see pourPerformed).
func (minimumExecution) readsVisits() {}

func (minimumExecution) Unit() unitKind { return unitItem }

func (minimumExecution) Params() []paramSpec {
	return []paramSpec{
		{Name: "threshold", Kind: paramExpr, Required: true, Min: shareMin, Max: shareMax, Doc: "least performed share for full payment, e.g. 0.80"},
		{Name: "below", Kind: paramString, Required: true, Choices: []string{"performed", "deduction", "share"}},
		{Name: "deduction", Kind: paramExpr, Min: shareMin, Max: shareMax, Doc: "share deducted below the threshold (below: deduction)"},
	}
}

// checkParams requires deduction exactly when below is "deduction".
func (minimumExecution) checkParams(param func(string) *param, bad func(string, error)) {
	below := param("below")
	if below == nil {
		return
	}
	switch d := param("deduction"); {
	case below.String() == "deduction" && d == nil:
		bad("deduction", errors.New("missing: below is \"deduction\""))
	case below.String() != "deduction" && d != nil:
		bad("deduction", fmt.Errorf("given, but below is %q: it would never be used", below.String()))
	}
}

// canonicalReason reads an absence reason as datasets do
// (models.ParseAbsenceReason) and returns its one canonical spelling.
func canonicalReason(s string) (string, error) {
	r, err := models.ParseAbsenceReason(s)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}

func (minimumExecution) Settle(s *scope) error {
	below := s.Component.param("below").String()
	if below == "deduction" && s.Component.param("deduction") == nil {
		return fmt.Errorf("below is deduction but no deduction is given")
	}
	var cats []models.Category
	for _, u := range s.Items {
		if !slices.Contains(cats, u.Item.Category) {
			cats = append(cats, u.Item.Category)
		}
	}
	for _, cat := range cats {
		var items []*itemUnit
		var granted int64
		for i := range s.Items {
			if u := &s.Items[i]; u.Item.Category == cat {
				items = append(items, u)
				granted += int64(u.Grant.StaffMinutes)
				reportPaused(s, u)
			}
		}
		if err := settleExecution(s, below, cat, items, granted); err != nil {
			return err
		}
	}
	return nil
}

// settleExecution pays the items of one category by the branch the
// performed share reaches. A share or factor of zero pays zero: the line
// is there, with its items, at 0.00.
//
// The share is the month's: performed ÷ granted, where granted is the
// granted time of the parts of the items the component pays in the
// month's versions (see wouldPay) and performed the minutes of the visits
// that fall to them (see pourPerformed): of a day one of them is in force
// on, in its zone, under a decision granting the category. A visit
// reported no_decision, or of a zone or days another component's items
// pay, neither raises the share nor is paid by it.
func settleExecution(s *scope, below string, cat models.Category, items []*itemUnit, granted int64) error {
	pay := s.c.w.execPay[:0]
	for range items {
		pay = append(pay, 0)
	}
	s.c.w.execPay = pay
	sharePerformed, shareGranted := pourPerformed(s.c.units[s.c.vi].visits, s.c.units[s.c.vi].items, cat, items, pay, &s.c.w.execPoured), granted
	if s.c.multi {
		// The other versions' items of the category this component
		// would pay: the parts of the same items, their renewals, a
		// decision of 30 min a month followed by one of 45 on the day a
		// version begins; the granted time this version's share is of
		// (not the whole category's, which items other components pay,
		// or a component paying instead of this one in landsbygd, would
		// swell), and the minutes performed on their days.
		others := s.c.w.execOthers[:0]
		defer func() { s.c.w.execOthers = others[:0] }()
		for vi := range s.c.units {
			if vi == s.c.vi {
				continue
			}
			others = others[:0]
			for j := range s.c.units[vi].items {
				o := &s.c.units[vi].items[j]
				if o.Item.Category != cat {
					continue
				}
				pays, err := s.wouldPay(o)
				if err != nil {
					return err
				}
				if pays {
					shareGranted += int64(o.Grant.StaffMinutes)
					others = append(others, o)
				}
			}
			sharePerformed += pourPerformed(s.c.units[vi].visits, s.c.units[vi].items, cat, others, nil, &s.c.w.execPoured)
		}
	}
	if shareGranted == 0 {
		// Nothing granted on the paid days of the month: the items' days
		// are on a line of zero minutes.
		for _, u := range items {
			payItem(s, u, "")
		}
		return nil
	}
	share := shareOf(sharePerformed, shareGranted, &s.c.w.decimals)
	threshold, err := s.Eval(s.Component.param("threshold"), items[0].Env)
	if err != nil {
		return err
	}
	head := fmt.Sprintf("%s: utfört %d av %d beviljade min, andel %s", cat.Swedish(), sharePerformed, shareGranted, plain(share))
	if share.GreaterThanOrEqual(threshold) {
		for _, u := range items {
			payItem(s, u, fmt.Sprintf("%s ≥ tröskeln %s: beviljad tid betalas helt", head, plain(threshold)))
		}
		return nil
	}
	var factor decimal.Decimal
	var kind LineKind
	var step string
	switch below {
	case "performed":
		// Below the threshold the performed time is less than the
		// granted (a threshold is at most 1), and all of it is paid, each
		// minute on a part of the items in force on its day, in its zone
		// and version (see pourPerformed): a part's granted time is the
		// month's shared by days, and a move, a new tariff or a renewal
		// does not move the minutes performed after it to the days
		// before.
		for i, u := range items {
			q := itemQuantity(s, u)
			q.Kind = KindPerformed
			q.Quantity = exact.IntDecimal(pay[i])
			q.Units = s.oneUnit(itemRef(u, pay[i], u.Grant.PaidDays))
			if s.Explain() {
				q.Steps = []string{describeGrant(u, s.Period.Days()),
					fmt.Sprintf("%s < tröskeln %s: utförd tid betalas, varje besöks minuter på en del av insatserna som gäller den dag och i den zon besöket görs, högst delens beviljade tid och resten på den sista: %d min", head, plain(threshold), pay[i])}
			}
			s.Emit(q)
		}
		return nil
	case "deduction":
		d, err := s.Eval(s.Component.param("deduction"), items[0].Env)
		if err != nil {
			return err
		}
		if d.IsNegative() || d.GreaterThan(one) {
			return fmt.Errorf("deduction %s is not 0–1", d)
		}
		factor, kind, step = one.Sub(d), KindDeduction, fmt.Sprintf("%s < tröskeln %s: beviljad tid minus %s", head, plain(threshold), plain(d))
	case "share":
		factor, kind, step = share, KindShare, fmt.Sprintf("%s < tröskeln %s: beviljad tid × andelen", head, plain(threshold))
	}
	for _, u := range items {
		q := itemQuantity(s, u)
		q.Kind = kind
		q.Quantity = exact.IntDecimal(int64(u.Grant.StaffMinutes))
		q.Units = s.oneUnit(itemRef(u, int64(u.Grant.StaffMinutes), u.Grant.PaidDays))
		q.scale(factor)
		if s.Explain() {
			q.Steps = []string{describeGrant(u, s.Period.Days()), step}
		}
		s.Emit(q)
	}
	return nil
}

// pourKey is what pourPerformed finds a part among all the units by.
type pourKey struct {
	decision *models.Decision
	item     *models.GrantedItem
	zone     string
	inForce  calendar.DateRange
}

func pourKeyOf(u *itemUnit) pourKey {
	return pourKey{decision: u.Decision, item: u.Item, zone: u.Zone, inForce: u.Grant.InForce}
}

// pourPerformed returns the performed staff minutes of the visits of
// category cat, among visits, that fall to parts, all the version's item
// units (whichever component pays them) and parts some of them. The
// visits are shared among all, the same for every component, so that
// none falls to two: a visit under a decision granting its category
// falls to the units of the category in its zone in force on its date —
// of the item of its task, when one of them is — the first with granted
// time left taking what it has room for, the next the rest and so on,
// the last of them what remains beyond its granted time. When pay is not
// nil, pay[i] gets the minutes of parts[i]. scratch is reused.
func pourPerformed(visits []visitUnit, all []itemUnit, cat models.Category, parts []*itemUnit, pay []int64, scratch *[]int64) int64 {
	got := (*scratch)[:0]
	for range all {
		got = append(got, 0)
	}
	*scratch = got
	if len(visits)*len(all) > pourScanMax {
		pourIndexed(visits, all, cat, got)
	} else {
		pourScan(visits, all, cat, got)
	}
	// Each part is found among all by what makes it that unit, the
	// first unit alike: through a map where there are many, as looking
	// through all for each part took the product of the two (a decision
	// of 40 000 items of four categories took 3 s to settle, 80 000 some
	// 34 s).
	var at map[pourKey]int
	if len(parts) > 8 {
		at = make(map[pourKey]int, len(all))
		for j := range all {
			k := pourKeyOf(&all[j])
			if _, seen := at[k]; !seen {
				at[k] = j
			}
		}
	}
	var total int64
	for i, p := range parts {
		j := -1
		if at != nil {
			if k, ok := at[pourKeyOf(p)]; ok {
				j = k
			}
		} else {
			// Each unit read where it lies, not copied into a closure's
			// argument, and the part's key made once.
			k := pourKeyOf(p)
			for o := range all {
				if pourKeyOf(&all[o]) == k {
					j = o
					break
				}
			}
		}
		if j < 0 {
			continue
		}
		total += got[j]
		if pay != nil {
			pay[i] = got[j]
		}
	}
	return total
}

// pourScanMax is the most visits × units pourPerformed pours by looking
// through every unit for each visit (pourScan); above it, it indexes the
// units by zone, date and task first (pourIndexed), which costs some
// allocations but not the product of the two.
const pourScanMax = 1 << 14

// pourScan pours the visits of category cat into got, the minutes of
// each of all, as pourPerformed says, looking through all for each visit.
func pourScan(visits []visitUnit, all []itemUnit, cat models.Category, got []int64) {
	for i := range visits {
		u := &visits[i]
		if u.Category != cat || u.performed == 0 || !u.HasDecision {
			continue
		}
		fits := func(o *itemUnit) bool {
			return o.Item.Category == cat && o.Zone == u.Zone && o.Grant.InForce.Contains(u.Date)
		}
		byTask := false
		for j := range all {
			if o := &all[j]; fits(o) && strings.TrimSpace(o.Item.Task) == u.task {
				byTask = true
				break
			}
		}
		left, last := u.performed, -1
		for j := range all {
			o := &all[j]
			if !fits(o) || byTask && strings.TrimSpace(o.Item.Task) != u.task {
				continue
			}
			last = j
			n := min(left, max(0, int64(o.Grant.StaffMinutes)-got[j]))
			got[j] += n
			left -= n
		}
		if last >= 0 {
			got[last] += left
		}
	}
}

// pourList is the units a visit of one zone, date and, where some of
// them are of its task, task falls to, in the order of all; from is the
// first of them that may have room: one filled (got at its granted time
// or past it) stays so, and is passed once.
type pourList struct {
	units []int
	from  int
}

// pourDay is the units of category cat of one zone in force on one date:
// all of them, and those of each task (trimmed).
type pourDay struct {
	all    pourList
	byTask map[string]*pourList
}

// pourIndexed is pourScan, the same minutes to the same units, with the
// units of each zone and date a visit has found once and each visit
// poured from the first of its units with room: pourScan looked through
// every unit for every visit (a customer of 20 000 visits and as many
// items took 8 s).
func pourIndexed(visits []visitUnit, all []itemUnit, cat models.Category, got []int64) {
	type dayKey struct {
		zone string
		date calendar.Date
	}
	days := map[dayKey]*pourDay{}
	for i := range visits {
		u := &visits[i]
		if u.Category != cat || u.performed == 0 || !u.HasDecision {
			continue
		}
		k := dayKey{u.Zone, u.Date}
		d := days[k]
		if d == nil {
			d = &pourDay{byTask: map[string]*pourList{}}
			for j := range all {
				if o := &all[j]; o.Item.Category == cat && o.Zone == u.Zone && o.Grant.InForce.Contains(u.Date) {
					d.all.units = append(d.all.units, j)
					task := strings.TrimSpace(o.Item.Task)
					l := d.byTask[task]
					if l == nil {
						l = &pourList{}
						d.byTask[task] = l
					}
					l.units = append(l.units, j)
				}
			}
			days[k] = d
		}
		l := &d.all
		if t := d.byTask[u.task]; t != nil {
			l = t
		}
		if len(l.units) == 0 {
			continue
		}
		// As pourScan: each unit with room takes what it has room for,
		// in order, and the last all that is left beyond.
		left := u.performed
		for left > 0 && l.from < len(l.units) {
			j := l.units[l.from]
			n := min(left, max(0, int64(all[j].Grant.StaffMinutes)-got[j]))
			got[j] += n
			left -= n
			if got[j] >= int64(all[j].Grant.StaffMinutes) {
				l.from++ // full: no visit after takes room in it
			}
		}
		got[l.units[len(l.units)-1]] += left
	}
}
