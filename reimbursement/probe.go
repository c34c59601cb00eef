package reimbursement

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// The probe evaluates, when a tariff is loaded, every component's
// expressions over the units the tariff can meet, so that what can be
// known at load is found at load rather than in the middle of a
// settlement:
//
//   - a table missing a key some unit needs;
//   - an evaluation error (division by zero);
//   - a negative rate in a component that is not a deduction;
//   - a parameter expression outside its bounds (a share outside 0–1, a
//     cap outside the minutes it bounds);
//   - two components that pay the same unit (see checkOverlaps).
//
// It does not enumerate blindly: a unit is described by dimensions
// (zone, ownership, category, band and kind of day, role, ...), and only
// the dimensions the component's expressions read are enumerated, the
// others held at one value. The number of points is checked against
// Limits.MaxCombinations before any is evaluated.
//
// Some fields cannot be enumerated: ids, task and KSI codes, the period,
// the kind of an event. An expression that reads one is evaluated with it
// empty; its missing keys and errors are not reported (they may not
// occur with real values), and an overlap with it is decided at
// settlement (Version.mayOverlap).

// probePoint is one point of the probe: the values of every enumerable
// field of every environment.
type probePoint struct {
	zone, ownership, category, band, dayKind, role, kind, level string
	licensed, declined, edited, doubleOrdered, doubleStaffing   bool
	staff                                                       int
}

// env returns the environment of kind u at the point.
func (p probePoint) env(u unitKind) envWith {
	base := baseEnv{Zone: p.zone, Ownership: p.ownership}
	switch u {
	case unitItem:
		return itemEnv{baseEnv: base, Category: p.category, Level: p.level, DoubleStaffing: p.doubleStaffing}
	case unitSegment, unitVisit:
		// A probed visit lies in one band: its whole-visit facts are that
		// band's.
		return visitEnv{baseEnv: base, Category: p.category, Band: p.band, DayKind: p.dayKind, Role: p.role,
			Licensed: p.licensed, Staff: p.staff, Declined: p.declined, Edited: p.edited, DoubleStaffingOrdered: p.doubleOrdered,
			StartBand: p.band, EndBand: p.band, LongestBand: p.band, Bands: p.band, PlannedBand: p.band}
	case unitListing:
		return listingEnv{baseEnv: base, Kind: p.kind}
	case unitEvent:
		return eventEnv{baseEnv: base, Band: p.band, DayKind: p.dayKind}
	}
	return adjustmentEnv{baseEnv: base}
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
	"decision": true, "per": true, "granted": true, "performed": true,
	"minutes": true, "planned_minutes": true, "contract": true, "attributes": true, "vat_registered": true,
}

// dimensions returns the dimensions of the units of kind u in v; levels
// are the level names of a level component.
func dimensions(v *Version, u unitKind, levels []string) []dimension {
	owners := []string{models.OwnOperation.String(), models.Private.String()}
	var cats []string
	for _, c := range models.Categories() {
		cats = append(cats, c.String())
	}
	bool2 := func(field string, set func(p *probePoint, b bool)) dimension {
		return dimension{[]string{field}, 2, func(p *probePoint, i int) { set(p, i == 1) }}
	}
	dims := []dimension{
		{[]string{"zone"}, len(v.zones), func(p *probePoint, i int) { p.zone = v.zones[i] }},
		{[]string{"ownership"}, 2, func(p *probePoint, i int) { p.ownership = owners[i] }},
	}
	bands := bandDays(v.schedule)
	bandDim := dimension{[]string{"band", "day_kind"}, len(bands), func(p *probePoint, i int) { p.band, p.dayKind = bands[i][0], bands[i][1] }}
	catDim := dimension{[]string{"category"}, len(cats), func(p *probePoint, i int) { p.category = cats[i] }}
	switch u {
	case unitItem:
		dims = append(dims, catDim, bool2("double_staffing", func(p *probePoint, b bool) { p.doubleStaffing = b }))
		if len(levels) > 0 {
			dims = append(dims, dimension{[]string{"level"}, len(levels), func(p *probePoint, i int) { p.level = levels[i] }})
		}
	case unitSegment, unitVisit:
		roles := []models.Role{models.RoleUnknown}
		for r := models.CareStaff; r <= models.OccupationalTherapist; r++ {
			roles = append(roles, r)
		}
		dims = append(dims, catDim, bandDim,
			dimension{[]string{"role", "licensed"}, len(roles), func(p *probePoint, i int) {
				p.role, p.licensed = "", roles[i].Licensed()
				if roles[i] != models.RoleUnknown {
					p.role = roles[i].String()
				}
			}},
			dimension{[]string{"staff"}, 2, func(p *probePoint, i int) { p.staff = i + 1 }},
			bool2("declined", func(p *probePoint, b bool) { p.declined = b }),
			bool2("edited", func(p *probePoint, b bool) { p.edited = b }),
			bool2("double_staffing_ordered", func(p *probePoint, b bool) { p.doubleOrdered = b }))
	case unitListing:
		kinds := []string{models.ListingHomeHealthCare.String(), models.ListingRehabilitation.String()}
		dims = append(dims, dimension{[]string{"kind"}, 2, func(p *probePoint, i int) { p.kind = kinds[i] }})
	case unitEvent:
		dims = append(dims, bandDim)
	}
	return dims
}

// bandDays returns every band with each kind of day on which it occurs.
func bandDays(s *calendar.Schedule) [][2]string {
	var out [][2]string
	for _, k := range []calendar.DayKind{calendar.Weekday, calendar.Saturday, calendar.Sunday, calendar.PublicHoliday, calendar.Eve, calendar.BeforeHoliday} {
		for c := calendar.Clock(0); c < 1440; c += 15 {
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

// each calls f with every point until f returns false.
func (ps pointSet) each(f func(p probePoint) bool) {
	var walk func(i int, p probePoint) bool
	walk = func(i int, p probePoint) bool {
		if i == len(ps.vary) {
			return f(p)
		}
		for j := range ps.vary[i].n {
			ps.vary[i].set(&p, j)
			if !walk(i+1, p) {
				return false
			}
		}
		return true
	}
	walk(0, ps.first)
}

func readsUndecidable(reads map[string]bool, except ...string) bool {
	for f := range reads {
		if undecidable[f] && !slices.Contains(except, f) {
			return true
		}
	}
	return false
}

// probe runs the probe over every component of v (see above) and notes
// the categories some visit component pays (Version.paidByVisits) and
// those some item component pays (Version.paidByItems).
func probe(v *Version, lim Limits, bad func(path, component string, err error)) {
	v.paidByVisits, v.paidByItems = map[models.Category]bool{}, map[models.Category]bool{}
	var ev evaluator
	ev.init(false)
	// All the checks together evaluate at most twice MaxCombinations
	// points, however many components the tariff has.
	budget := &probeBudget{left: 2 * lim.MaxCombinations, total: 2 * lim.MaxCombinations, bad: bad}
	for i, comp := range v.components {
		if !probeComponent(v, &ev, i, comp, lim, budget, bad) {
			return
		}
	}
	checkOverlaps(v, &ev, lim, budget, bad)
}

// probeBudget counts the points the probe may still evaluate.
type probeBudget struct {
	left, total int
	bad         func(path, component string, err error)
}

// take spends n points, or reports that the budget is spent.
func (b *probeBudget) take(n int) bool {
	if b.left -= n; b.left < 0 {
		if b.left+n >= 0 { // report once
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

func probeComponent(v *Version, ev *evaluator, i int, comp *Component, lim Limits, budget *probeBudget, bad func(path, component string, err error)) bool {
	at := func(field string) string { return fmt.Sprintf("components[%d].%s", i, field) }
	u := comp.strategy.Unit()
	reads := map[string]bool{"category": true} // for paidByVisits
	for f := range comp.reads {
		reads[f] = true
	}
	pts, err := points(dimensions(v, u, componentLevels(comp)), reads, lim)
	if err != nil {
		bad(at("rate"), comp.name, err)
		return true
	}
	if !budget.take(pts.n * (2 + len(comp.params))) {
		return false
	}
	certain := !readsUndecidable(comp.reads)
	report := map[string][]string{} // field → problems, at most 3 each
	note := func(field string, env any, msg string) {
		if len(report[field]) < 3 && !slices.ContainsFunc(report[field], func(s string) bool { return strings.HasPrefix(s, msg+" (") }) {
			report[field] = append(report[field], fmt.Sprintf("%s (when %s)", msg, describeEnv(env)))
		}
	}
	pts.each(func(p probePoint) bool {
		probeAt(v, ev, comp, p.env(u), certain, note)
		return true
	})
	probeCaps(v, ev, comp, lim, budget, note)
	for _, field := range sortedKeys(report) {
		msgs := report[field]
		if field == "rate" && strings.Contains(msgs[0], ErrMissingKey.Error()) {
			bad(at(field), comp.name, fmt.Errorf("%w needed: %s", ErrMissingKey, strings.Join(msgs, "; ")))
			continue
		}
		bad(at(field), comp.name, errors.New(strings.Join(msgs, "; ")))
	}
	return true
}

// probeAt evaluates a component at one point of the probe (without
// memoising: every point is new) and notes what is wrong there.
func probeAt(v *Version, ev *evaluator, comp *Component, env envWith, certain bool, note func(string, any, string)) {
	w := ev.run(comp.when, env)
	if w.err != nil {
		if certain {
			note("when", env, w.err.Error())
		}
		return
	}
	if !w.ok {
		return
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
}

// probeCaps evaluates a component's cap expressions with granted and
// performed minutes from none to a month round the clock, and checks
// their bounds.
func probeCaps(v *Version, ev *evaluator, comp *Component, lim Limits, budget *probeBudget, note func(string, any, string)) {
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
		certain := !readsUndecidable(par.reads, "granted", "performed")
		pts, err := points(dimensions(v, unitItem, nil), par.reads, lim)
		if err != nil {
			note("params."+name, adjustmentEnv{}, err.Error())
			continue
		}
		if !budget.take(pts.n * len(minutes)) {
			return
		}
		pts.each(func(p probePoint) bool {
			for i, m := range minutes {
				env := capEnv{baseEnv: baseEnv{Zone: p.zone, Ownership: p.ownership}, Category: p.category, Granted: m, Performed: performed[i]}
				r := ev.run(par.prog, &env)
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

func describeEnv(env any) string {
	var parts []string
	for _, in := range inputsOf(env) {
		if in.Name == "staff" || in.Name == "day_kind" || in.Name == "licensed" || in.Name == "performed" || in.Name == "granted" {
			continue
		}
		parts = append(parts, in.Name+"="+in.Value)
	}
	return strings.Join(parts, ", ")
}
