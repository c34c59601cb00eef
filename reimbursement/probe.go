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
		return visitEnv{baseEnv: base, Category: p.category, Band: p.band, DayKind: p.dayKind, Role: p.role,
			Licensed: p.licensed, Staff: p.staff, Declined: p.declined, Edited: p.edited, DoubleStaffingOrdered: p.doubleOrdered}
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

// points enumerates the points of dims that vary the fields in reads
// (the others at their first value), or refuses when there would be more
// than lim.MaxCombinations.
func points(dims []dimension, reads map[string]bool, lim Limits) ([]probePoint, error) {
	var vary []dimension
	var first probePoint
	first.staff = 1
	total := 1
	for _, d := range dims {
		if d.n == 0 {
			continue
		}
		d.set(&first, 0)
		if !slices.ContainsFunc(d.fields, func(f string) bool { return reads[f] }) {
			continue
		}
		if total > lim.MaxCombinations/d.n {
			return nil, fmt.Errorf("%w: the expressions read %s, which take more than %d combinations to check",
				ErrLimit, strings.Join(sortedKeys(reads), ", "), lim.MaxCombinations)
		}
		total *= d.n
		vary = append(vary, d)
	}
	out := make([]probePoint, 0, total)
	var walk func(i int, p probePoint)
	walk = func(i int, p probePoint) {
		if i == len(vary) {
			out = append(out, p)
			return
		}
		for j := range vary[i].n {
			vary[i].set(&p, j)
			walk(i+1, p)
		}
	}
	walk(0, first)
	return out, nil
}

// readsUndecidable reports whether reads holds a field the probe cannot
// enumerate, other than those in except.
func readsUndecidable(reads map[string]bool, except ...string) bool {
	for f := range reads {
		if undecidable[f] && !slices.Contains(except, f) {
			return true
		}
	}
	return false
}

// probe runs the probe over every component of v (see above) and notes
// the categories some visit component pays (Version.paidByVisits).
func probe(v *Version, lim Limits, bad func(path, component string, err error)) {
	v.paidByVisits = map[models.Category]bool{}
	var ev evaluator
	ev.init(false)
	for i, comp := range v.components {
		probeComponent(v, &ev, i, comp, lim, bad)
	}
	checkOverlaps(v, &ev, lim, bad)
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

func probeComponent(v *Version, ev *evaluator, i int, comp *Component, lim Limits, bad func(path, component string, err error)) {
	at := func(field string) string { return fmt.Sprintf("components[%d].%s", i, field) }
	u := comp.strategy.Unit()
	reads := map[string]bool{"category": true} // for paidByVisits
	for f := range comp.reads {
		reads[f] = true
	}
	pts, err := points(dimensions(v, u, componentLevels(comp)), reads, lim)
	if err != nil {
		bad(at("rate"), comp.name, err)
		return
	}
	certain := !readsUndecidable(comp.reads)
	report := map[string][]string{} // field → problems, at most 3 each
	note := func(field string, p probePoint, env envWith, msg string) {
		if len(report[field]) < 3 && !slices.ContainsFunc(report[field], func(s string) bool { return strings.HasPrefix(s, msg+" (") }) {
			report[field] = append(report[field], fmt.Sprintf("%s (when %s)", msg, describeEnv(env)))
		}
	}
	for _, p := range pts {
		env := p.env(u)
		w := ev.eval(comp.when, env)
		if w.err != nil {
			if certain {
				note("when", p, env, w.err.Error())
			}
			continue
		}
		if !w.ok {
			continue
		}
		if ve, ok := env.(visitEnv); ok {
			c, _ := models.ParseCategory(ve.Category)
			v.paidByVisits[c] = true
		}
		r := ev.eval(comp.rate, env)
		switch {
		case r.err != nil && errors.Is(r.err, ErrMissingKey) || r.err != nil && strings.Contains(r.err.Error(), ErrMissingKey.Error()):
			if certain {
				note("rate", p, env, r.err.Error())
			}
		case r.err != nil:
			if certain {
				note("rate", p, env, r.err.Error())
			}
		case r.dec.IsNegative() && !comp.deduction:
			note("rate", p, env, fmt.Sprintf("negative rate %s (a component whose rate may be negative says \"deduction\": true)", r.dec))
		}
		for _, name := range sortedKeys(comp.params) {
			par := comp.params[name]
			if par.kind != paramExpr {
				continue
			}
			r := ev.eval(par.prog, env)
			d, err := r.dec, r.err
			if err == nil {
				err = par.spec.inBounds(d)
			}
			if err != nil && certain {
				note("params."+name, p, env, err.Error())
			}
		}
	}
	probeCaps(v, ev, comp, lim, note)
	for _, field := range sortedKeys(report) {
		msgs := report[field]
		if field == "rate" && strings.Contains(msgs[0], ErrMissingKey.Error()) {
			bad(at(field), comp.name, fmt.Errorf("%w needed: %s", ErrMissingKey, strings.Join(msgs, "; ")))
			continue
		}
		bad(at(field), comp.name, errors.New(strings.Join(msgs, "; ")))
	}
}

// probeCaps evaluates a component's cap expressions with granted and
// performed minutes from none to a month round the clock, and checks
// their bounds.
func probeCaps(v *Version, ev *evaluator, comp *Component, lim Limits, note func(string, probePoint, envWith, string)) {
	month := decimal.NewFromInt(31 * 24 * 60)
	for _, name := range sortedKeys(comp.params) {
		par := comp.params[name]
		if par.kind != paramCapExpr {
			continue
		}
		// granted and performed are set below; another field the probe
		// cannot enumerate (customer) leaves its errors to settlement.
		certain := !readsUndecidable(par.reads, "granted", "performed")
		pts, err := points(dimensions(v, unitItem, nil), map[string]bool{"zone": true, "ownership": true, "category": true}, lim)
		if err != nil {
			note("params."+name, probePoint{}, adjustmentEnv{}, err.Error())
			continue
		}
		for _, p := range pts {
			for _, minutes := range []decimal.Decimal{decimal.Zero, decimal.NewFromInt(60), month} {
				performed := map[string]decimal.Decimal{}
				for _, c := range v.components {
					performed[c.name] = minutes
				}
				env := capEnv{baseEnv: baseEnv{Zone: p.zone, Ownership: p.ownership}, Category: p.category, Granted: minutes, Performed: performed}
				r := ev.run(par.prog, env)
				err := r.err
				if err == nil {
					err = par.spec.inBounds(r.dec)
				}
				if err != nil && certain {
					note("params."+name, p, env, fmt.Sprintf("%v with granted and performed %s min", err, minutes))
				}
			}
		}
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
