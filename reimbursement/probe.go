package reimbursement

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// The probe evaluates, when a tariff is loaded, every component's
// expressions over the units the tariff can meet, so that what can be
// known at load is found at load rather than in the middle of a
// settlement:
//
//   - a table missing a key some unit needs (a table whose every reader
//     the probe evaluates so is asked for nothing more: see tableGaps);
//   - an evaluation error (division by zero);
//   - a negative rate in a component that is not a deduction;
//   - a parameter expression outside its bounds (a share outside 0–1, a
//     cap outside the minutes it bounds);
//   - two components that pay the same unit (see checkOverlaps).
//
// It does not enumerate blindly: a unit is described by dimensions
// (zone, ownership, category, band and kind of day, role, ...), and only
// the dimensions the expressions of a check read are enumerated, the
// others held at one value. The number of points is checked against
// Limits.MaxCombinations before any is evaluated.
//
// Its points must cover every value the data can give a field an
// expression reads, or two components that both pay one unit can load
// (found by attack: a band of 07:05–07:14, a visit of 3 staff, a visit
// that crosses a band boundary, an unplanned visit, a subscription item,
// an event of a kind, each paid twice). What each dimension covers:
//
//   - zone, ownership, category, role (with licensed), declined, edited,
//     double_staffing_ordered, double_staffing, vat_registered, a listing's
//     kind and a level strategy's level: every value;
//   - band with day_kind: every band on every kind of day the schedule
//     tells apart, each found at every rule's from and to (the bands
//     change only there), not sampled;
//   - an item's per with subscription: "", day, week, month without a
//     subscription, "" with one (a subscription has no per);
//   - staff: every count from 1 to the most any settlement may pay
//     (ceilingMaxStaff), or, where every use of staff compares it with a
//     number literal (staff > 1, staff == 2), 1 and the first count past
//     each literal: the comparisons agree on the counts between them (see
//     staffValues);
//   - the facts of the whole visit (start_band, end_band, longest_band,
//     bands) with the segment's band: visits of more than one band (see
//     visitShapes); planned_band: "" (unplanned) and every band.
//
// The points of a check are the whole product of the dimensions its
// expressions read, never a sample of it: varying one dimension at a time,
// or covering pairs, would miss a condition on three fields at once
// (staff == 3 && start_band == 'natt' && end_band == 'dag'), and the
// overlap check must find every unit two whens both match. What keeps the
// product small is that a field takes only the values its expressions
// can tell apart (staff compared with literals: a count of each run the
// literals cut;
// bands read by has: the subsets of the bands asked about), and that the
// fields no expression of the check reads are held at one value. So a
// check costs what its own expressions read, and the probe of a tariff
// stays within its budget (Limits.MaxCombinations per check, twice that
// for the whole version).
//
// Some fields cannot be enumerated: ids, task and KSI codes, the period,
// the contract and attributes, an event's kind (free text), a visit's
// minutes and planned minutes, and bands read otherwise than by
// has(bands, 'band'). An
// expression that reads one is evaluated with it empty; its missing keys
// and errors are not reported (they may not occur with real values), and
// an overlap with it is decided at settlement (Version.mayOverlap).

// probePoint is one point of the probe: the values of every enumerable
// field of every environment.
type probePoint struct {
	zone, ownership, category, band, dayKind, role, kind, level, per string

	// start, end and longest are the band and kind of day of a visit's
	// first minute, its last and the band it spends most time in; bands
	// the bands it touches, joined by "|", and planned its planned band.
	start, end, longest [2]string
	bands, planned      string

	licensed, declined, edited, doubleOrdered, doubleStaffing, subscription, vatRegistered bool
	staff                                                                                  int
}

// env returns the environment of kind u at the point; for a whole visit,
// in the band of its start (see probeEnv).
func (p *probePoint) env(u unitKind) envWith {
	base := baseEnv{Zone: p.zone, Ownership: p.ownership, VATRegistered: p.vatRegistered}
	switch u {
	case unitItem:
		return itemEnv{baseEnv: base, Category: p.category, Level: p.level, DoubleStaffing: p.doubleStaffing,
			Per: p.per, Subscription: p.subscription}
	case unitSegment, unitVisit:
		return p.visitEnv(u, roleStart)
	case unitListing:
		return listingEnv{baseEnv: base, Kind: p.kind}
	case unitEvent:
		return eventEnv{baseEnv: base, Band: p.band, DayKind: p.dayKind}
	}
	return adjustmentEnv{baseEnv: base}
}

// visitEnv returns the environment of a segment (u unitSegment) or of a
// whole visit at the point, the visit in the band of the place chosen.
func (p *probePoint) visitEnv(u unitKind, chosen visitRole) visitEnv {
	e := visitEnv{baseEnv: baseEnv{Zone: p.zone, Ownership: p.ownership, VATRegistered: p.vatRegistered},
		Category: p.category, Band: p.band, DayKind: p.dayKind, Role: p.role,
		Licensed: p.licensed, Staff: p.staff, Declined: p.declined, Edited: p.edited, DoubleStaffingOrdered: p.doubleOrdered,
		StartBand: p.start[0], EndBand: p.end[0], LongestBand: p.longest[0], Bands: p.bands, PlannedBand: p.planned}
	if u == unitVisit {
		at := p.start
		switch chosen {
		case roleEnd:
			at = p.end
		case roleLongest:
			at = p.longest
		}
		e.Band, e.DayKind = at[0], at[1]
	}
	return e
}

// probeEnv returns the environment comp sees at the point: that of its
// unit, and for a whole visit in the band its band parameter chooses, as
// matchVisits gives it (bandChoice).
func probeEnv(comp *Component, p *probePoint) envWith {
	if u := comp.strategy.Unit(); u == unitVisit {
		return p.visitEnv(u, chosenRole(comp))
	}
	return p.env(comp.strategy.Unit())
}

// visitRole is a place in a visit whose band an expression can read:
// the segment's own (band, day_kind), the start's, the end's and the
// longest band's.
type visitRole int

const (
	roleSegment visitRole = iota
	roleStart
	roleEnd
	roleLongest
	roleCount
)

// chosenRole returns the role whose band and kind of day a component of
// whole visits sees as band and day_kind: its band parameter's.
func chosenRole(comp *Component) visitRole {
	if p := comp.param("band"); p != nil {
		switch p.String() {
		case "end":
			return roleEnd
		case "longest":
			return roleLongest
		}
	}
	return roleStart
}

// exprUse is what expressions read, as the probe needs to know it to
// choose its points.
type exprUse struct {
	// reads holds the environment names read.
	reads map[string]bool
	// staffAt holds the number literals staff is compared with; staffAny
	// says staff is also used otherwise (in arithmetic, compared with
	// another value), so that every count matters.
	staffAt  []decimal.Decimal
	staffAny bool
	// hasBands holds the bands asked about by has(bands, 'band') (or
	// by a string known at load, lower('NATT'), c ? 'natt' : 'dag');
	// bandsAny says bands is also read otherwise (compared as a string,
	// as a table key), where the order of the bands matters and the probe
	// cannot enumerate them.
	hasBands []string
	bandsAny bool
}

// add adds what o reads to what u reads.
func (u *exprUse) add(o exprUse) {
	if u.reads == nil {
		u.reads = map[string]bool{}
	}
	for f := range o.reads {
		u.reads[f] = true
	}
	u.staffAt = append(u.staffAt, o.staffAt...)
	u.staffAny = u.staffAny || o.staffAny
	u.hasBands = append(u.hasBands, o.hasBands...)
	u.bandsAny = u.bandsAny || o.bandsAny
}

// useOf returns what prog reads of fields, the names of its environment.
func useOf(prog *vm.Program, fields map[string]bool) exprUse {
	u := exprUse{reads: map[string]bool{}}
	if prog == nil {
		return u
	}
	node := prog.Node()
	var staff, bands []ast.Node
	covered := map[ast.Node]bool{}
	isName := func(n ast.Node, name string) bool {
		id, ok := n.(*ast.IdentifierNode)
		return ok && id.Value == name
	}
	ast.Walk(&node, visitorFunc(func(n *ast.Node) {
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			if !fields[x.Value] {
				return
			}
			u.reads[x.Value] = true
			switch x.Value {
			case "staff":
				staff = append(staff, x)
			case "bands":
				bands = append(bands, x)
			}
		case *ast.CallNode:
			id, ok := x.Callee.(*ast.IdentifierNode)
			if ok && id.Value == "dec_in" {
				u.staffAt = append(u.staffAt, staffInList(x.Arguments, covered)...)
				return
			}
			if !ok || len(x.Arguments) != 2 {
				return
			}
			a, b := x.Arguments[0], x.Arguments[1]
			switch {
			case comparisonFunctionNames[id.Value]:
				// A comparison of staff with a number literal, either way
				// round (the arithmetic patcher made it a call).
				for _, pair := range [2][2]ast.Node{{a, b}, {b, a}} {
					if !isName(pair[0], "staff") {
						continue
					}
					if c, ok := pair[1].(*ast.ConstantNode); ok {
						if d, ok := c.Value.(decimal.Decimal); ok {
							covered[pair[0]] = true
							u.staffAt = append(u.staffAt, d)
						}
					}
				}
			case id.Value == "has" || id.Value == "has_task":
				// The band asked about is known at load (constStrings:
				// 'natt', lower('NATT'), c ? 'natt' : 'dag'), every value it
				// can take: has sees no more than whether the visit touches
				// each of them.
				if vals, all := constStrings(b); all && isName(a, "bands") {
					covered[a] = true
					for _, v := range vals {
						u.hasBands = append(u.hasBands, v.value)
					}
				}
			}
		}
	}))
	for _, n := range staff {
		u.staffAny = u.staffAny || !covered[n]
	}
	for _, n := range bands {
		u.bandsAny = u.bandsAny || !covered[n]
	}
	return u
}

// staffInList returns the number literals staff is compared with in
// dec_in(x, e1, e2...), x in [e1, e2...], and marks those staff nodes
// covered: staff in [1, 2] compares staff with 1 and 2 (it is staff == 1
// || staff == 2), so only when every element is a literal; 2 in [staff,
// x] compares staff with 2. (minutes and planned_minutes, the other
// integers, are not enumerated at all: see undecidable.)
func staffInList(args []ast.Node, covered map[ast.Node]bool) []decimal.Decimal {
	literal := func(n ast.Node) (decimal.Decimal, bool) {
		c, ok := n.(*ast.ConstantNode)
		if !ok {
			return decimal.Decimal{}, false
		}
		d, ok := c.Value.(decimal.Decimal)
		return d, ok
	}
	isStaff := func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		return ok && id.Value == "staff"
	}
	if len(args) == 0 {
		return nil
	}
	var at []decimal.Decimal
	if isStaff(args[0]) {
		for _, e := range args[1:] {
			d, ok := literal(e)
			if !ok {
				return nil
			}
			at = append(at, d)
		}
		covered[args[0]] = true
		return at
	}
	if d, ok := literal(args[0]); ok {
		for _, e := range args[1:] {
			if isStaff(e) {
				covered[e] = true
				at = append(at, d)
			}
		}
	}
	return at
}

// componentUse is what a component's expressions read: its when alone,
// and its when, rate and expression parameters together.
type componentUse struct{ when, all exprUse }

// usesOf returns what comp's expressions read of fields, the names of
// its environment.
func usesOf(comp *Component, fields map[string]bool) componentUse {
	var cu componentUse
	cu.when = useOf(comp.when, fields)
	cu.all.add(cu.when)
	cu.all.add(useOf(comp.rate, fields))
	for _, name := range sortedKeys(comp.params) {
		if p := comp.params[name]; p.kind == paramExpr {
			cu.all.add(useOf(p.prog, fields))
		}
	}
	return cu
}

// usePart is a component and what the expressions of a check read of it.
type usePart struct {
	comp *Component
	use  *exprUse
}

// checkUse is what the expressions of one check read, of units of one
// kind: the probe enumerates the dimensions of those fields only.
type checkUse struct {
	reads map[string]bool
	// roles: the places in a visit whose bands are read, and whether
	// their kinds of day are (see visitRole).
	roles [roleCount]struct{ read, kind bool }
	// hasBands are the bands has(bands, ...) asks about, sorted.
	hasBands []string
	// staff are the staff counts to try.
	staff []int
	// undecidable: some expression reads a field the probe cannot
	// enumerate.
	undecidable bool
}

// newCheckUse returns what parts read of units of kind u (of a visit,
// unitSegment or unitVisit: their fields are the same).
func newCheckUse(u unitKind, parts ...usePart) checkUse {
	var cu checkUse
	all := exprUse{reads: map[string]bool{}}
	for _, pt := range parts {
		e := pt.use
		all.add(*e)
		// band and day_kind are the segment's, or, for a whole visit,
		// those of the place the component's band parameter chooses
		// (each part by its own kind of unit: a check of a whole visit
		// against its segments reads both places).
		r := roleSegment
		if pt.comp.strategy.Unit() == unitVisit {
			r = chosenRole(pt.comp)
		}
		if e.reads["band"] || e.reads["day_kind"] {
			cu.roles[r].read = true
			cu.roles[r].kind = cu.roles[r].kind || e.reads["day_kind"]
		}
	}
	cu.reads = all.reads
	cu.roles[roleStart].read = cu.roles[roleStart].read || cu.reads["start_band"]
	cu.roles[roleEnd].read = cu.roles[roleEnd].read || cu.reads["end_band"]
	cu.roles[roleLongest].read = cu.roles[roleLongest].read || cu.reads["longest_band"]
	if len(all.hasBands) > 0 {
		cu.hasBands = slices.Compact(slices.Sorted(slices.Values(all.hasBands)))
	}
	cu.staff = oneStaff
	if cu.reads["staff"] {
		cu.staff = staffValues(all.staffAt, all.staffAny)
	}
	cu.undecidable = all.bandsAny || readsUndecidable(u, cu.reads)
	return cu
}

// oneStaff is the staff count of a check that does not read staff.
var oneStaff = []int{1}

// staffValues returns the staff counts a check tries: every count from
// 1 to ceilingMaxStaff, the most Options.MaxStaff lets a settlement pay,
// when staff is used otherwise than compared with number literals (at);
// else 1 and, for each literal c, ⌈c⌉ and ⌊c⌋+1 among those counts.
//
// That is enough. The counts on which every comparison keeps its value
// are runs; a run that starts at s > 1 starts where some comparison
// staff < c (or ≤, ==, !=, >, ≥) differs at s−1 and s, which it does only
// for c between them: s−1 < c ≤ s, where s = ⌈c⌉, or c = s−1, where
// s = ⌊c⌋+1. So every run starts at a count tried, and any unit's staff
// count is in a run with one tried: "staff > 1" and "staff != 2" are tried
// at 1, 2 and 3 (both hold at 3), "1 / (staff − 3)" at every count.
func staffValues(at []decimal.Decimal, any bool) []int {
	out := []int{1}
	if any {
		for n := 2; n <= ceilingMaxStaff; n++ {
			out = append(out, n)
		}
		return out
	}
	one, most := decimal.NewFromInt(1), decimal.NewFromInt(ceilingMaxStaff)
	for _, c := range at {
		for _, x := range []decimal.Decimal{c.Ceil(), c.Floor().Add(one)} {
			if x.GreaterThanOrEqual(one) && x.LessThanOrEqual(most) {
				out = append(out, int(x.IntPart()))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dimension is a set of values of one or more fields enumerated together
// (a band with a kind of day on which it occurs).
type dimension struct {
	fields []string
	n      int
	set    func(p *probePoint, i int)
}

// undecidable are the fields the probe cannot enumerate.
var undecidable = map[string]bool{
	"customer": true, "provider": true, "period": true, "task": true, "tasks": true, "ksi": true,
	"decision": true, "granted": true, "performed": true,
	"minutes": true, "planned_minutes": true, "contract": true, "attributes": true,
}

// undecidableIn reports whether the field f of units of kind u cannot be
// enumerated: one of undecidable, or an event's kind, which is free text
// (a listing's kind is one of two).
func undecidableIn(u unitKind, f string) bool {
	return undecidable[f] || u == unitEvent && f == "kind"
}

// prober holds what the probe of one version needs: the version, an
// evaluator, the limits and the budget, and what it computes once for all
// its checks.
type prober struct {
	v      *Version
	ev     evaluator
	lim    Limits
	budget *probeBudget
	bad    func(path, component string, err error)
	// bandDays are the schedule's bands with the kinds of day they occur
	// on; bands the bands in the schedule's order, bandIndex numbers
	// them, and bandNames pairs each with the first kind of day it occurs
	// on.
	bandDays  [][2]string
	bands     []string
	bandIndex map[string]int
	bandNames [][2]string
	// uses holds what each component's expressions read, by index.
	uses []componentUse
	// cover holds the expressions the probe evaluated at every point
	// data can give them: "" for one it evaluated so, else why not (see
	// tableGaps).
	cover map[exprAt]string
	// The dimensions that do not depend on what a check reads, made once.
	zone, ownership, vat, category, double, perSub, role, declined, edited, ordered, planned, kind, bandDay dimension
	// oneShape is the visit of a check that reads nothing of its bands.
	oneShape dimension
}

func newProber(v *Version, lim Limits, bad func(path, component string, err error)) *prober {
	pr := &prober{v: v, lim: lim, bad: bad, bandDays: bandDays(v.schedule), bands: v.schedule.Bands(), bandIndex: map[string]int{},
		cover: map[exprAt]string{}}
	pr.ev.init(false)
	// All the checks together evaluate at most twice MaxCombinations
	// points, however many components the tariff has.
	pr.budget = &probeBudget{left: 2 * lim.MaxCombinations, total: 2 * lim.MaxCombinations, bad: bad}
	for i, b := range pr.bands {
		pr.bandIndex[b] = i
		name := [2]string{b, calendar.Weekday.String()}
		if k := slices.IndexFunc(pr.bandDays, func(bd [2]string) bool { return bd[0] == b }); k >= 0 {
			name = pr.bandDays[k]
		}
		pr.bandNames = append(pr.bandNames, name)
	}
	fields := map[unitKind]map[string]bool{}
	for _, c := range v.components {
		u := c.strategy.Unit()
		if fields[u] == nil {
			fields[u] = envFields(u.env())
		}
		pr.uses = append(pr.uses, usesOf(c, fields[u]))
	}
	pr.makeDimensions()
	return pr
}

// makeDimensions makes the dimensions that do not depend on what a
// check reads.
func (pr *prober) makeDimensions() {
	zones := pr.v.zones
	owners := []string{models.OwnOperation.String(), models.Private.String()}
	var cats []string
	for _, c := range models.Categories() {
		cats = append(cats, c.String())
	}
	bool2 := func(field string, set func(p *probePoint, b bool)) dimension {
		return dimension{[]string{field}, 2, func(p *probePoint, i int) { set(p, i == 1) }}
	}
	pr.zone = dimension{[]string{"zone"}, len(zones), func(p *probePoint, i int) { p.zone = zones[i] }}
	pr.ownership = dimension{[]string{"ownership"}, 2, func(p *probePoint, i int) { p.ownership = owners[i] }}
	pr.vat = bool2("vat_registered", func(p *probePoint, b bool) { p.vatRegistered = b })
	pr.category = dimension{[]string{"category"}, len(cats), func(p *probePoint, i int) { p.category = cats[i] }}
	pr.double = bool2("double_staffing", func(p *probePoint, b bool) { p.doubleStaffing = b })
	// A subscription has no per (models.GrantedItem.Validate); an item
	// of minutes per month has none either.
	type perSub struct {
		per string
		sub bool
	}
	pers := []perSub{{"", false}, {models.PerDay.String(), false}, {models.PerWeek.String(), false},
		{models.PerMonth.String(), false}, {"", true}}
	pr.perSub = dimension{[]string{"per", "subscription"}, len(pers), func(p *probePoint, i int) { p.per, p.subscription = pers[i].per, pers[i].sub }}
	roles := []models.Role{models.RoleUnknown}
	for r := models.CareStaff; r <= models.OccupationalTherapist; r++ {
		roles = append(roles, r)
	}
	pr.role = dimension{[]string{"role", "licensed"}, len(roles), func(p *probePoint, i int) {
		p.role, p.licensed = "", roles[i].Licensed()
		if roles[i] != models.RoleUnknown {
			p.role = roles[i].String()
		}
	}}
	pr.declined = bool2("declined", func(p *probePoint, b bool) { p.declined = b })
	pr.edited = bool2("edited", func(p *probePoint, b bool) { p.edited = b })
	pr.ordered = bool2("double_staffing_ordered", func(p *probePoint, b bool) { p.doubleOrdered = b })
	planned := append([]string{""}, pr.bands...)
	pr.planned = dimension{[]string{"planned_band"}, len(planned), func(p *probePoint, i int) { p.planned = planned[i] }}
	kinds := []string{models.ListingHomeHealthCare.String(), models.ListingRehabilitation.String()}
	pr.kind = dimension{[]string{"kind"}, 2, func(p *probePoint, i int) { p.kind = kinds[i] }}
	first := pr.bandNames[0]
	pr.oneShape = dimension{[]string{"band", "day_kind", "start_band", "end_band", "longest_band", "bands"}, 1, func(p *probePoint, _ int) {
		p.band, p.dayKind, p.start, p.end, p.longest, p.bands = first[0], first[1], first, first, first, first[0]
	}}
	bd := pr.bandDays
	pr.bandDay = dimension{[]string{"band", "day_kind"}, len(bd), func(p *probePoint, i int) { p.band, p.dayKind = bd[i][0], bd[i][1] }}
}

// dimensions returns the dimensions of the units of kind u in the
// version for a check that reads cu; levels are the level names of a
// level component.
func (pr *prober) dimensions(u unitKind, levels []string, cu checkUse) []dimension {
	dims := make([]dimension, 0, 11)
	dims = append(dims, pr.zone, pr.ownership, pr.vat)
	switch u {
	case unitItem:
		dims = append(dims, pr.category, pr.double, pr.perSub)
		if len(levels) > 0 {
			dims = append(dims, dimension{[]string{"level"}, len(levels), func(p *probePoint, i int) { p.level = levels[i] }})
		}
	case unitSegment, unitVisit:
		staff := cu.staff
		dims = append(dims, pr.category, pr.visitShapes(cu), pr.role,
			dimension{[]string{"staff"}, len(staff), func(p *probePoint, i int) { p.staff = staff[i] }},
			pr.declined, pr.edited, pr.ordered, pr.planned)
	case unitListing:
		dims = append(dims, pr.kind)
	case unitEvent:
		dims = append(dims, pr.bandDay)
	}
	return dims
}

// visitShapes returns the dimension of the bands of a visit a check
// reads: the band (with its kind of day, where day_kind is read) of each
// place in the visit read (visitRole), and the bands it touches.
//
// A visit may be long (up to 31 days: Options.MaxVisit) and touch every
// band, so that its places can be in any bands: each place read takes
// every band, independently. The bands it touches are the bands of those
// places and, of the bands has(bands, ...) asks about, each subset: an
// expression that reads bands only by has sees no more of a visit than
// which of those bands it touches, and a real visit touches the bands of
// its places and those it asks about. (A check that reads bands
// otherwise is undecidable.) The places not read take the start's band
// (the segment's, or one the visit touches); the start comes first in
// bands. This is every visit the expressions can tell apart, at a cost of
// the product of the places read times 2^(bands asked about), instead of
// every sequence of bands.
func (pr *prober) visitShapes(cu checkUse) dimension {
	order, names := pr.bands, pr.bandNames
	if cu.roles == [roleCount]struct{ read, kind bool }{} && (!cu.reads["bands"] || len(cu.hasBands) == 0) {
		// Nothing of the visit's bands is read: a visit of the first band.
		return pr.oneShape
	}
	var vals [roleCount][][2]string
	n := 1
	for r := range roleCount {
		switch {
		case !cu.roles[r].read:
			continue
		case cu.roles[r].kind:
			vals[r] = pr.bandDays
		default:
			vals[r] = names
		}
		n = saturating(n, len(vals[r]), pr.lim.MaxCombinations)
	}
	var asked []string
	if cu.reads["bands"] {
		for _, b := range cu.hasBands {
			if _, ok := pr.bandIndex[b]; ok {
				asked = append(asked, b)
			}
		}
		for range asked {
			n = saturating(n, 2, pr.lim.MaxCombinations)
		}
	}
	fields := []string{"band", "day_kind", "start_band", "end_band", "longest_band", "bands"}
	return dimension{fields, n, func(p *probePoint, i int) {
		var at [roleCount][2]string
		var got [roleCount]bool
		touched := make([]bool, len(order))
		for r := range roleCount {
			if k := len(vals[r]); k > 0 {
				at[r], got[r] = vals[r][i%k], true
				i /= k
				touched[pr.bandIndex[at[r][0]]] = true
			}
		}
		for j, b := range asked {
			if i>>j&1 == 1 {
				touched[pr.bandIndex[b]] = true
			}
		}
		if !got[roleStart] {
			switch start := slices.Index(touched, true); {
			case got[roleSegment]:
				at[roleStart] = at[roleSegment]
			case start >= 0:
				at[roleStart] = names[start]
			default:
				// It touches none of the bands asked about: one of the
				// others (or, when it asks about every band, the first).
				start = max(0, slices.IndexFunc(order, func(b string) bool { return !slices.Contains(asked, b) }))
				at[roleStart] = names[start]
				touched[start] = true
			}
		}
		for _, r := range []visitRole{roleSegment, roleEnd, roleLongest} {
			if !got[r] {
				at[r] = at[roleStart]
			}
		}
		list := []string{at[roleStart][0]}
		for k, t := range touched {
			if t && order[k] != list[0] {
				list = append(list, order[k])
			}
		}
		p.band, p.dayKind = at[roleSegment][0], at[roleSegment][1]
		p.start, p.end, p.longest = at[roleStart], at[roleEnd], at[roleLongest]
		p.bands = strings.Join(list, listSeparator)
	}}
}

// saturating returns n × k, or limit+1 when that is more than limit.
func saturating(n, k, limit int) int {
	if k > 0 && n > limit/k {
		return limit + 1
	}
	return n * k
}

// bandDays returns every band with each kind of day on which it occurs.
// The bands of a day change only at the from and to of a rule, so the
// band in force at each of those (and at midnight) on each kind of day
// the schedule tells apart is every band of that kind of day: a band of
// 07:05–07:14 is found at 07:05 (sampling every quarter hour missed it).
func bandDays(s *calendar.Schedule) [][2]string {
	clocks := []calendar.Clock{0}
	for _, r := range s.Rules() {
		clocks = append(clocks, r.From%1440, r.To%1440)
	}
	slices.Sort(clocks)
	clocks = slices.Compact(clocks)
	var out [][2]string
	for _, k := range []calendar.DayKind{calendar.Weekday, calendar.Saturday, calendar.Sunday, calendar.PublicHoliday, calendar.Eve, calendar.BeforeHoliday} {
		for _, c := range clocks {
			if b, ok := s.BandAt(k, c); ok {
				pair := [2]string{s.BandName(b), k.String()}
				if !slices.Contains(out, pair) {
					out = append(out, pair)
				}
			}
		}
	}
	return out
}

// pointSet is the points of some dimensions, enumerated on demand.
type pointSet struct {
	vary  []dimension
	first probePoint
	n     int
}

// points returns the points of dims that vary the fields in reads (the
// others at their first value), or refuses when there would be more than
// lim.MaxCombinations.
func points(dims []dimension, reads map[string]bool, lim Limits) (pointSet, error) {
	ps := pointSet{n: 1}
	ps.first.staff = 1
	for _, d := range dims {
		if d.n == 0 {
			continue
		}
		d.set(&ps.first, 0)
		if !slices.ContainsFunc(d.fields, func(f string) bool { return reads[f] }) {
			continue
		}
		if ps.n > lim.MaxCombinations/d.n {
			return pointSet{}, fmt.Errorf("%w: the expressions read %s, which take more than %d combinations to check",
				ErrLimit, strings.Join(sortedKeys(reads), ", "), lim.MaxCombinations)
		}
		ps.n *= d.n
		ps.vary = append(ps.vary, d)
	}
	return ps, nil
}

// each calls f with every point until f returns false, the last
// dimension varying fastest. The point is f's to read, not to keep: it
// is changed in place for the next.
func (ps pointSet) each(f func(p *probePoint) bool) {
	p := ps.first
	idx := make([]int, len(ps.vary))
	for _, d := range ps.vary {
		d.set(&p, 0)
	}
	for {
		if !f(&p) {
			return
		}
		k := len(ps.vary) - 1
		for ; k >= 0; k-- {
			d := ps.vary[k]
			if idx[k]++; idx[k] < d.n {
				d.set(&p, idx[k])
				break
			}
			idx[k] = 0
			d.set(&p, 0)
		}
		if k < 0 {
			return
		}
	}
}

// readsUndecidable reports whether reads, of units of kind u, holds a
// field the probe cannot enumerate, other than those in except.
func readsUndecidable(u unitKind, reads map[string]bool, except ...string) bool {
	for f := range reads {
		if undecidableIn(u, f) && !slices.Contains(except, f) {
			return true
		}
	}
	return false
}

// undecidableReads names the fields of reads, of units of kind u, that
// the probe cannot enumerate, and bands when it is read otherwise than
// by has(bands, 'band') (bandsAny).
func undecidableReads(u unitKind, reads map[string]bool, bandsAny bool) string {
	var out []string
	for _, f := range sortedKeys(reads) {
		if undecidableIn(u, f) {
			out = append(out, f)
		}
	}
	if bandsAny {
		out = append(out, "bands (otherwise than by has(bands, …))")
	}
	return strings.Join(out, ", ")
}

// probe runs the probe over every component of v (see above) and notes
// the categories some visit component pays (Version.paidByVisits) and
// those some item component pays (Version.paidByItems). It returns the
// expressions it evaluated at every point data can give them, "" for
// each, and why not for those it could not (see prober.cover); an
// expression it did not reach (its budget spent) is not among them.
func probe(v *Version, lim Limits, bad func(path, component string, err error)) map[exprAt]string {
	v.paidByVisits, v.paidByItems = map[models.Category]bool{}, map[models.Category]bool{}
	v.paidHours, v.hoursAny, v.hoursKnown = map[models.Category]map[[2]string]bool{}, map[models.Category]bool{}, true
	pr := newProber(v, lim, bad)
	for i, comp := range v.components {
		if !pr.probeComponent(i, comp) {
			v.hoursKnown = false
			return pr.cover
		}
	}
	checkOverlaps(pr)
	if !pr.probeAdjustments() {
		v.hoursKnown = false
		return pr.cover
	}
	v.probed = pr.budget.total - pr.budget.left
	return pr.cover
}

// probeAdjustments evaluates each adjustment's when at every zone,
// ownership and VAT registration it reads (its environment has no other
// field the probe can enumerate): a condition that fails at one of them
// would be reported rate_error for every case there, so the version is
// refused, naming the values. One that reads what the probe cannot
// enumerate (customer, provider, contract, attributes, period) is left to
// settlement, as a
// component's expressions are. It reports false when the budget is
// spent.
func (pr *prober) probeAdjustments() bool {
	pr.budget.adjustments = true
	fields := envFields(adjustmentEnv{})
	for i, a := range pr.v.adjustments {
		at := exprAt{comp: -1 - i, field: "when"}
		reads := useOf(a.when, fields).reads
		if readsUndecidable(unitUnknown, reads) {
			pr.cover[at] = "it reads " + undecidableReads(unitUnknown, reads, false) + ", which the check cannot enumerate"
			continue
		}
		pts, err := points(pr.dimensions(unitUnknown, nil, checkUse{reads: reads}), reads, pr.lim)
		if err != nil {
			pr.bad(at.path(), a.name, err)
			continue
		}
		if !pr.budget.take(pts.n) {
			return false
		}
		pr.cover[at] = ""
		var msgs []string // at most 3
		missing := false
		pts.each(func(p *probePoint) bool {
			env := p.env(unitUnknown)
			r := pr.ev.run(a.when, env)
			if r.err == nil {
				return true
			}
			msg := r.err.Error()
			if !slices.ContainsFunc(msgs, func(s string) bool { return s == msg || strings.HasPrefix(s, msg+" (") }) {
				missing = missing || strings.Contains(msg, ErrMissingKey.Error())
				// A when that reads nothing enumerated fails everywhere:
				// no values to name ("(when )", found by attack).
				if at := describeEnvReading(env, reads); at != "" {
					msg += " (when " + at + ")"
				}
				msgs = append(msgs, msg)
			}
			return len(msgs) < 3
		})
		switch {
		case missing:
			pr.bad(at.path(), a.name, fmt.Errorf("%w needed: %s", ErrMissingKey, strings.Join(msgs, "; ")))
		case len(msgs) > 0:
			pr.bad(at.path(), a.name, errors.New(strings.Join(msgs, "; ")))
		}
	}
	return true
}

// probeBudget counts the points the probe may still evaluate.
type probeBudget struct {
	left, total int
	bad         func(path, component string, err error)
	// adjustments: the probe has gone on to the adjustments, which a
	// spent budget then names (the components alone took less).
	adjustments bool
}

// take spends n points, or reports that the budget is spent.
func (b *probeBudget) take(n int) bool {
	if b.left -= n; b.left < 0 {
		if b.left+n >= 0 && b.adjustments { // report once
			b.bad("adjustments", "", fmt.Errorf("%w: checking the components and the adjustments' conditions would take more than %d evaluations", ErrLimit, b.total))
		} else if b.left+n >= 0 {
			b.bad("components", "", fmt.Errorf("%w: checking the components would take more than %d evaluations", ErrLimit, b.total))
		}
		b.left = -1 << 30
		return false
	}
	return true
}

func componentLevels(comp *Component) []string {
	var out []string
	if p := comp.params["levels"]; p != nil {
		for _, b := range p.levels {
			out = append(out, b.Name)
		}
	}
	return out
}

func (pr *prober) probeComponent(i int, comp *Component) bool {
	at := func(field string) string { return fmt.Sprintf("components[%d].%s", i, field) }
	u := comp.strategy.Unit()
	cu := newCheckUse(u, usePart{comp, &pr.uses[i].all})
	cu.reads["category"] = true // for paidByVisits
	pts, err := points(pr.dimensions(u, componentLevels(comp), cu), cu.reads, pr.lim)
	if err != nil {
		pr.bad(at("rate"), comp.name, err)
		return true
	}
	if !pr.budget.take(pts.n * (2 + len(comp.params))) {
		return false
	}
	certain := !cu.undecidable
	why := ""
	if !certain {
		why = "it reads " + undecidableReads(u, cu.reads, pr.uses[i].all.bandsAny) + ", which the check cannot enumerate"
	}
	pr.cover[exprAt{comp: i, field: "when"}], pr.cover[exprAt{comp: i, field: "rate"}] = why, why
	for name, p := range comp.params {
		if p.kind == paramExpr {
			pr.cover[exprAt{comp: i, param: name}] = why
		}
	}
	report := map[string][]string{} // field → problems, at most 3 each
	note := func(field string, env any, msg string) {
		if len(report[field]) < 3 && !slices.ContainsFunc(report[field], func(s string) bool { return s == msg || strings.HasPrefix(s, msg+" (") }) {
			reads := pr.uses[i].all.reads
			if p := comp.params[strings.TrimPrefix(field, "params.")]; p != nil && p.kind == paramCapExpr {
				reads = p.reads
			}
			if at := describeEnvReading(env, reads); at != "" {
				msg += " (when " + at + ")"
			}
			report[field] = append(report[field], msg)
		}
	}
	if !certain && (u == unitSegment || u == unitVisit) {
		pr.v.hoursKnown = false // it may pay hours the probe does not see
	}
	pts.each(func(p *probePoint) bool {
		if probeAt(pr.v, &pr.ev, comp, probeEnv(comp, p), certain, note) && certain && (u == unitSegment || u == unitVisit) {
			pr.notePaidHours(u, cu, p)
		}
		return true
	})
	pr.probeCaps(comp, func(name, why string) { pr.cover[exprAt{comp: i, param: name}] = why }, note)
	for _, field := range sortedKeys(report) {
		msgs := report[field]
		if field == "rate" && strings.Contains(msgs[0], ErrMissingKey.Error()) {
			pr.bad(at(field), comp.name, fmt.Errorf("%w needed: %s", ErrMissingKey, strings.Join(msgs, "; ")))
			continue
		}
		pr.bad(at(field), comp.name, errors.New(strings.Join(msgs, "; ")))
	}
	return true
}

// notePaidHours notes that a component of units u, which the probe
// decided, pays a visit of the category of point p in the band and kind
// of day of its segment (Version.paidHours), whatever else its when
// reads (role, licensed, staff…): in every band, or in hours it cannot
// tell, when it pays whole visits or does not read the segment's band
// (Version.hoursAny).
func (pr *prober) notePaidHours(u unitKind, cu checkUse, p *probePoint) {
	v := pr.v
	c, _ := models.ParseCategory(p.category)
	if u == unitVisit || !cu.roles[roleSegment].read {
		v.hoursAny[c] = true
		return
	}
	kind := ""
	if cu.roles[roleSegment].kind {
		kind = p.dayKind
	}
	if v.paidHours[c] == nil {
		v.paidHours[c] = map[[2]string]bool{}
	}
	v.paidHours[c][[2]string{p.band, kind}] = true
}

// probeAt evaluates a component at one point of the probe (without
// memoising: every point is new), notes what is wrong there and reports
// whether the component matches there.
func probeAt(v *Version, ev *evaluator, comp *Component, env envWith, certain bool, note func(string, any, string)) bool {
	w := ev.run(comp.when, env)
	if w.err != nil {
		if certain {
			note("when", env, w.err.Error())
		}
		return false
	}
	if !w.ok {
		return false
	}
	switch e := env.(type) {
	case visitEnv:
		c, _ := models.ParseCategory(e.Category)
		v.paidByVisits[c] = true
	case itemEnv:
		c, _ := models.ParseCategory(e.Category)
		v.paidByItems[c] = true
	}
	r := ev.run(comp.rate, env)
	switch {
	case r.err != nil:
		if certain {
			note("rate", env, r.err.Error())
		}
	case r.dec.IsNegative() && !comp.deduction:
		note("rate", env, fmt.Sprintf("negative rate %s (a component whose rate may be negative says \"deduction\": true)", r.dec))
	}
	for _, name := range sortedKeys(comp.params) {
		par := comp.params[name]
		if par.kind != paramExpr {
			continue
		}
		r := ev.run(par.prog, env)
		err := r.err
		if err == nil {
			err = par.spec.inBounds(r.dec)
		}
		if err != nil && certain {
			note("params."+name, env, err.Error())
		}
	}
	return true
}

// probeCaps evaluates a component's cap expressions with granted and
// performed minutes from none to a month round the clock, and checks
// their bounds.
func (pr *prober) probeCaps(comp *Component, covered func(name, why string), note func(string, any, string)) {
	v, lim := pr.v, pr.lim
	minutes := []decimal.Decimal{decimal.Zero, decimal.NewFromInt(60), decimal.NewFromInt(31 * 24 * 60)}
	performed := make([]map[string]decimal.Decimal, len(minutes))
	for i, m := range minutes {
		performed[i] = make(map[string]decimal.Decimal, len(v.components))
		for _, c := range v.components {
			performed[i][c.name] = m
		}
	}
	for _, name := range sortedKeys(comp.params) {
		par := comp.params[name]
		if par.kind != paramCapExpr {
			continue
		}
		// granted and performed are set below; another field the probe
		// cannot enumerate (customer) leaves its errors to settlement.
		certain := !readsUndecidable(unitItem, par.reads, "granted", "performed")
		pts, err := points(pr.dimensions(unitItem, nil, checkUse{reads: par.reads}), par.reads, lim)
		if err != nil {
			note("params."+name, adjustmentEnv{}, err.Error())
			continue
		}
		if !pr.budget.take(pts.n * len(minutes)) {
			return
		}
		why := ""
		switch {
		case !certain:
			reads := maps.Clone(par.reads)
			delete(reads, "granted")
			delete(reads, "performed")
			why = "it reads " + undecidableReads(unitItem, reads, false) + ", which the check cannot enumerate"
		case par.reads["granted"] || par.reads["performed"]:
			// Its errors at the minutes tried are reported, but a key it
			// looks up for other minutes is not known (found by attack:
			// "granted > 100 ? table('capt', 'landsbygd') : …" loaded
			// with no landsbygd rate).
			why = "it reads granted or performed minutes, which the check tries at 0, 60 and 44 640 minutes only"
		}
		covered(name, why)
		pts.each(func(p *probePoint) bool {
			for i, m := range minutes {
				env := capEnv{baseEnv: baseEnv{Zone: p.zone, Ownership: p.ownership, VATRegistered: p.vatRegistered},
					Category: p.category, Granted: m, Performed: performed[i]}
				r := pr.ev.run(par.prog, &env)
				err := r.err
				if err == nil {
					err = par.spec.inBounds(r.dec)
				}
				if err != nil && certain {
					note("params."+name, env, fmt.Sprintf("%v with granted and performed %s min", err, m))
				}
			}
			return true
		})
	}
}

func describeEnv(env any) string { return describeEnvReading(env, nil) }

// describeEnvReading is describeEnv of the fields in reads alone, or of
// every field when reads is nil: the values a component's expressions
// see of a unit, without those they do not read. A field read is named
// at its empty value too (vat_registered=false, planned_band=""): an
// error only where a provider is not registered for VAT named nothing
// of it, "(when zone=tätort)" as if it failed at every provider there
// (found by attack).
func describeEnvReading(env any, reads map[string]bool) string {
	if reads != nil {
		return describeReads(env, reads)
	}
	var parts []string
	for _, in := range inputsOf(env) {
		switch {
		case in.Name == "licensed" || in.Name == "performed" || in.Name == "granted":
			continue
		case in.Name == "staff" && in.Value == "1", in.Name == "day_kind" && in.Value == calendar.Weekday.String():
			// A visit of one staff on a weekday, as most are.
			continue
		}
		parts = append(parts, in.Name+"="+in.Value)
	}
	return strings.Join(parts, ", ")
}

// describeReads is describeEnvReading of the fields in reads, each
// named, at its empty value too, in the environment's order.
func describeReads(env any, reads map[string]bool) string {
	t := reflect.TypeOf(env)
	if t == nil {
		return ""
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	given := map[string]string{}
	for _, in := range inputsOf(env) {
		given[in.Name] = in.Value
	}
	var parts []string
	for _, f := range fieldsOf(t) {
		if !reads[f.name] || f.name == "performed" || f.name == "granted" {
			continue
		}
		v, ok := given[f.name]
		if !ok {
			switch t.FieldByIndex(f.index).Type.Kind() {
			case reflect.Bool:
				v = "false"
			case reflect.String:
				v = `""`
			default:
				v = "0"
			}
		}
		parts = append(parts, f.name+"="+v)
	}
	return strings.Join(parts, ", ")
}
