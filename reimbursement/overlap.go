package reimbursement

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// Double payment. Two components of a version whose when expressions can
// both match one unit would pay it twice. That is refused at load unless
// the tariff declares it:
//
//   - "stacks": true on a component: it pays on top of any other that
//     matches the same unit (a supplement, tillägg);
//   - "instead_of": ["other", ...] on a component: the units it matches
//     are not paid by the components named (precedence). Each must be a
//     component of the same version pricing the same kind of record (a
//     component of whole visits may take precedence over one of their
//     band segments: a standard time instead of performed time), and
//     precedence may not run in a circle.
//
// Components of whole visits that pay their minutes (standard_time,
// planned_time) and components of band segments (performed_time) price
// units of two kinds but pay the same minutes: they overlap where the
// visit one matches can have a segment the other matches, and are
// refused as above (checkMinutesOverlap). A per_visit component pays a
// visit, not its minutes, and may sit beside performed time undeclared
// (a night visit fee on top of the hourly rate).
//
// The probe decides whether two components can match one unit by
// enumerating the dimensions both when expressions read, over every value
// data can give them (see probe.go). When one of them reads a field the
// probe cannot enumerate (task codes, KSI codes, ids, an event's kind,
// bands read as text: undecidableIn), it cannot decide: the pair is
// remembered, and Version.mayOverlap tells the settlement engine to
// check, unit by unit, that no unit is paid by both.

// checkPrecedence checks the instead_of declarations of v's components.
func checkPrecedence(v *Version, bad func(path, component string, err error)) {
	byName := map[string]*Component{}
	for _, c := range v.components {
		byName[c.name] = c
	}
	for _, c := range v.components {
		named := make(map[string]int, len(c.insteadOf))
		for k, other := range c.insteadOf {
			p := fmt.Sprintf("components[%d].instead_of[%d]", c.index, k)
			o, ok := byName[other]
			first, twice := named[other]
			named[other] = k
			switch {
			case twice:
				// Each name once: a name repeated adds nothing, and a list
				// of it 200 000 times long made settling a customer of 3 200
				// visits take 14 s (found by attack).
				bad(p, c.name, fmt.Errorf("%.40q is named already (instead_of[%d])", other, first))
			case !ok:
				bad(p, c.name, fmt.Errorf("no component %.40q", other))
			case o == c:
				bad(p, c.name, errors.New("a component cannot take precedence over itself"))
			case !sameRecords(o.strategy.Unit(), c.strategy.Unit()):
				bad(p, c.name, fmt.Errorf("%q prices %ss, %q %ss: precedence is between components of one kind of unit",
					other, o.strategy.Unit(), c.name, c.strategy.Unit()))
			}
		}
	}
	// No circles: a depth-first search over instead_of.
	state := map[*Component]int{} // 1 on the path, 2 done
	var visit func(c *Component, path []string) bool
	visit = func(c *Component, path []string) bool {
		switch state[c] {
		case 1:
			bad(fmt.Sprintf("components[%d].instead_of", c.index), c.name,
				fmt.Errorf("precedence runs in a circle: %s", strings.Join(append(path, c.name), " → ")))
			return false
		case 2:
			return true
		}
		state[c] = 1
		for _, n := range c.insteadOf {
			if o := byName[n]; o != nil && o != c && !visit(o, append(path, c.name)) {
				return false
			}
		}
		state[c] = 2
		return true
	}
	for _, c := range v.components {
		if !visit(c, nil) {
			return
		}
	}
	// Who pays instead of whom, resolved once: asked per unit.
	for _, c := range v.components {
		for _, n := range c.insteadOf {
			if o := byName[n]; o != nil && o != c {
				c.replaces = append(c.replaces, o)
				o.replacedBy = append(o.replacedBy, c)
			}
		}
	}
}

// declared reports whether the tariff declares how a and b share a unit
// both match: one stacks, or one takes precedence over the other.
func declared(a, b *Component) bool {
	return a.stacks || b.stacks || slices.Contains(a.insteadOf, b.name) || slices.Contains(b.insteadOf, a.name)
}

// checkOverlaps refuses two components that can both pay one unit
// without declaring it, where the probe can decide; it remembers the
// pairs it cannot decide in v.undecided. Each component sees the unit as
// it would at settlement: a component of whole visits in the band its
// band parameter chooses (probeEnv).
func checkOverlaps(pr *prober) {
	v := pr.v
	for j, b := range v.components {
		for _, a := range v.components[:j] {
			if declared(a, b) {
				continue
			}
			if a.strategy.Unit() != b.strategy.Unit() {
				if paysMinutes(a) && paysMinutes(b) && !checkMinutesOverlap(pr, a, b) {
					return
				}
				continue
			}
			u := a.strategy.Unit()
			cu := newCheckUse(u, usePart{a, &pr.uses[a.index].when}, usePart{b, &pr.uses[b.index].when})
			if cu.undecidable && u == unitItem && (a.whenReadsLevel() || b.whenReadsLevel()) {
				// Settlement tells undecided components apart a whole
				// unit at a time, and a level component whose when reads
				// level pays a unit on some of its days: the first would
				// take every unit it pays a day of, and the other's level
				// went unpaid (found by attack).
				pr.bad(fmt.Sprintf("components[%d].when", b.index), b.name, fmt.Errorf(
					"may pay the same items as component %q, and the check cannot tell on which days, as their when reads level and %s: write them with what it can enumerate (category, zone, ownership…), or say \"stacks\": true if one pays on top",
					a.name, undecidableReads(u, cu.reads, false)))
				continue
			}
			if cu.undecidable {
				if v.undecided == nil {
					v.undecided = map[[2]int]bool{}
				}
				v.undecided[[2]int{a.index, b.index}] = true
				continue
			}
			if u == unitItem && (a.whenReadsLevel() || b.whenReadsLevel()) {
				if !checkLevelOverlap(pr, a, b, cu) {
					return
				}
				continue
			}
			levels := componentLevels(a)
			if len(levels) == 0 {
				levels = componentLevels(b)
			}
			pts, err := points(pr.dimensions(u, levels, cu), cu.reads, pr.lim)
			if err != nil {
				pr.bad(fmt.Sprintf("components[%d].when", b.index), b.name, err)
				continue
			}
			if !pr.budget.take(2 * pts.n) {
				return
			}
			// One environment for both, unless they see a whole visit in
			// different bands.
			same := u != unitVisit || chosenRole(a) == chosenRole(b)
			pts.each(func(p *probePoint) bool {
				ea := probeEnv(a, p)
				if !pr.ev.run(a.when, ea).ok {
					return true
				}
				eb := ea
				if !same {
					eb = probeEnv(b, p)
				}
				if pr.ev.run(b.when, eb).ok {
					pr.bad(fmt.Sprintf("components[%d].when", b.index), b.name, fmt.Errorf(
						"pays the same %ss as component %q (when %s): say \"stacks\": true if it pays on top, or \"instead_of\": [%q] if it replaces it",
						u, a.name, describeEnv(ea), a.name))
					return false
				}
				return true
			})
		}
	}
}

// paysMinutes reports whether comp pays a visit by its minutes: by its
// band segments (performed_time) or whole, by a time of its own
// (standard_time, planned_time). A component that pays a visit by the
// count (per_visit: a night visit fee beside the hourly rate) does not,
// nor do those of granted items (granted_time, minimum_execution, whose
// "performed" branch pays an item the minutes performed under it).
func paysMinutes(comp *Component) bool {
	switch comp.strategy.(type) {
	case performedTime, standardTime, plannedTime:
		return true
	}
	return false
}

// checkMinutesOverlap is checkOverlaps of a and b, components that pay
// minutes of visits, one of whole visits and one of their band segments
// (see paysMinutes): both pay the minutes of a visit the one of whole
// visits matches and of which the other matches a segment, so they
// overlap when both whens hold at one point: the whole visit as the one
// sees it (in the band of its start) and a segment of it as the other
// does, the probe varying the band of each place a when reads of the
// visit on its own (a visit may touch every band: visitShapes). A
// standard time of visits that start in the day (band == 'dag') and a
// performed time of the night (band == 'natt') overlap on a visit from
// 21:30 to 22:30, whose night half both pay. A pair the probe cannot
// decide is refused: settlement tells undecided components apart a unit
// at a time, and a visit and its segments are units of two kinds; an
// instead_of that names the other costs nothing where they never match
// one visit. It returns false when the probe's budget is spent.
func checkMinutesOverlap(pr *prober, a, b *Component) bool {
	path := fmt.Sprintf("components[%d].when", b.index)
	cu := newCheckUse(unitSegment, usePart{a, &pr.uses[a.index].when}, usePart{b, &pr.uses[b.index].when})
	if cu.undecidable {
		if never, ok := knownApart(pr, a, b); !ok {
			return false
		} else if never {
			return true
		}
		pr.bad(path, b.name, fmt.Errorf(
			"may pay minutes of the same visits as component %q, one the whole visit and the other its band segments, and the check cannot tell, as their when reads %s: say \"instead_of\": [%q] if it replaces it (nothing changes where they never pay one visit), or \"stacks\": true if it pays on top",
			a.name, undecidableReads(unitSegment, cu.reads, pr.uses[a.index].when.bandsAny || pr.uses[b.index].when.bandsAny), a.name))
		return true
	}
	pts, err := points(pr.dimensions(unitSegment, nil, cu), cu.reads, pr.lim)
	if err != nil {
		pr.bad(path, b.name, err)
		return true
	}
	if !pr.budget.take(2 * pts.n) {
		return false
	}
	seg := a
	if b.strategy.Unit() == unitSegment {
		seg = b
	}
	pts.each(func(p *probePoint) bool {
		if !pr.ev.run(a.when, probeEnv(a, p)).ok || !pr.ev.run(b.when, probeEnv(b, p)).ok {
			return true
		}
		pr.bad(path, b.name, fmt.Errorf(
			"pays minutes of the same visits as component %q, one the whole visit and the other its band segments (when a segment has %s): say \"stacks\": true if it pays on top, or \"instead_of\": [%q] if it replaces it",
			a.name, describeEnv(probeEnv(seg, p)), a.name))
		return false
	})
	return true
}

// knownApart reports whether the whens of a and b, components of a
// whole visit and of its band segments, never both hold for lack of
// their known parts (Component.whenKnown) ever both holding: a when
// "category == 'care' && has_task(tasks, 'Dusch')" is apart from
// "category == 'service'", though the probe cannot enumerate tasks. A
// when without a known part (task == 'Städ') may hold anywhere. ok is
// false when the probe's budget is spent.
func knownApart(pr *prober, a, b *Component) (never, ok bool) {
	known := func(c *Component) (*vm.Program, exprUse) {
		if !readsUndecidable(unitSegment, c.whenReads) && !pr.uses[c.index].when.bandsAny {
			return c.when, pr.uses[c.index].when
		}
		if c.whenKnown == nil {
			return nil, exprUse{}
		}
		return c.whenKnown, useOf(c.whenKnown, envFields(visitEnv{}))
	}
	pa, ua := known(a)
	pb, ub := known(b)
	if pa == nil || pb == nil {
		return false, true
	}
	cu := newCheckUse(unitSegment, usePart{a, &ua}, usePart{b, &ub})
	if cu.undecidable {
		return false, true
	}
	pts, err := points(pr.dimensions(unitSegment, nil, cu), cu.reads, pr.lim)
	if err != nil {
		return false, true
	}
	if !pr.budget.take(2 * pts.n) {
		return false, false
	}
	// An error at a point may be the when's at settlement: it may hold.
	holds := func(prog *vm.Program, c *Component, p *probePoint) bool {
		r := pr.ev.run(prog, probeEnv(c, p))
		return r.ok || r.err != nil
	}
	never = true
	pts.each(func(p *probePoint) bool {
		if holds(pa, a, p) && holds(pb, b, p) {
			never = false
		}
		return never
	})
	return never, true
}

// checkLevelOverlap is checkOverlaps of item components a and b of
// which one at least is a level component whose when reads level. Each
// sees the level its own levels give the granted time of its own pool
// (see caseState.matchLevels): a day's level is the same for both only
// when they have the same levels, pool the same items (their whens hold
// at some level of the same units) and no component takes units from
// either (instead_of). Then they overlap when both hold at one level;
// otherwise when both hold at some level each. It returns false when the
// probe's budget is spent.
func checkLevelOverlap(pr *prober, a, b *Component, cu checkUse) bool {
	pts, err := points(pr.dimensions(unitItem, nil, cu), cu.reads, pr.lim)
	if err != nil {
		pr.bad(fmt.Sprintf("components[%d].when", b.index), b.name, err)
		return true
	}
	la, lb := componentLevels(a), componentLevels(b)
	if len(la) == 0 {
		la = []string{""}
	}
	if len(lb) == 0 {
		lb = []string{""}
	}
	if !pr.budget.take(pts.n * (len(la) + len(lb))) {
		return false
	}
	bands := func(c *Component) []levelBand {
		if p := c.param("levels"); p != nil {
			return p.Levels()
		}
		return nil
	}
	shared := bands(a) != nil && slices.EqualFunc(bands(a), bands(b), func(x, y levelBand) bool {
		return x.Name == y.Name && x.FromHours.Equal(y.FromHours)
	}) && len(a.replacedBy) == 0 && len(b.replacedBy) == 0
	holds := func(c *Component, p *probePoint, levels []string) (at map[string]bool) {
		at = map[string]bool{}
		for _, l := range levels {
			p.level = l
			if pr.ev.run(c.when, probeEnv(c, p)).ok {
				at[l] = true
			}
		}
		return at
	}
	var sharedEnv, someEnv any // the first unit both match at one level, and at some level each
	pts.each(func(p *probePoint) bool {
		ha, hb := holds(a, p, la), holds(b, p, lb)
		if (len(ha) > 0) != (len(hb) > 0) {
			shared = false // their pools differ
		}
		for l := range ha {
			if hb[l] && sharedEnv == nil {
				p.level = l
				sharedEnv = probeEnv(a, p)
			}
		}
		if len(ha) > 0 && len(hb) > 0 && someEnv == nil {
			p.level = slices.Sorted(maps.Keys(ha))[0]
			someEnv = probeEnv(a, p)
		}
		return true
	})
	env := someEnv
	if shared {
		env = sharedEnv
	}
	if env != nil {
		why := ""
		if !shared {
			why = "; each sees a level of its own, the same only with the same levels and whens that hold at some level of the same items"
		}
		pr.bad(fmt.Sprintf("components[%d].when", b.index), b.name, fmt.Errorf(
			"pays the same %ss as component %q (when %s%s): say \"stacks\": true if it pays on top, or \"instead_of\": [%q] if it replaces it",
			unitItem, a.name, describeEnv(env), why, a.name))
	}
	return true
}

// mayOverlap reports whether a and b, components of v, may both match
// one unit without the tariff saying how they share it, in a way the
// probe could not decide at load (a when that reads task codes). The
// settlement engine must then check each unit a and b both match, and
// report it as paid twice rather than pay it silently. For every other
// pair it returns false: either they never match the same unit, or the
// tariff declares that they stack or that one replaces the other, or the
// version would not have loaded.
func (v *Version) mayOverlap(a, b *Component) bool {
	if a.index > b.index {
		a, b = b, a
	}
	return v.undecided[[2]int{a.index, b.index}]
}

// paidTwice returns the first pair of components among matched (the
// components of v whose when matched one unit, in version order) that pay
// the unit twice without the tariff saying so: the engine calls it for
// every unit two or more components matched and reports the unit as a
// problem of the settlement instead of paying it silently twice. Pairs
// the loader could decide never come back: they were refused, or are
// declared (stacks, instead_of).
func (v *Version) paidTwice(matched []*Component) (a, b *Component, ok bool) {
	if len(v.undecided) == 0 {
		return nil, nil, false
	}
	for j := range matched {
		for i := range j {
			if v.mayOverlap(matched[i], matched[j]) {
				return matched[i], matched[j], true
			}
		}
	}
	return nil, nil, false
}

// sameRecords reports whether components of units a and b price the same
// records: the same kind of unit, or visits and their band segments.
func sameRecords(a, b unitKind) bool {
	visits := func(u unitKind) bool { return u == unitVisit || u == unitSegment }
	return a == b || visits(a) && visits(b)
}

// knownPart compiles the conjuncts of the when src (the operands of its
// top-level && and "and") that read no field the probe cannot enumerate
// (undecidable, and bands, which it enumerates only as has(bands, x)
// asks): what when says of the fields the probe can decide. Where when
// holds they hold, so two components whose known parts never both hold
// never match one unit. It returns nil when no conjunct is left or the
// part does not compile (the caller then knows nothing of when).
func (c *compiler) knownPart(src string, env any) *vm.Program {
	tree, err := parseSafely(src, c.conf)
	if err != nil {
		return nil
	}
	var known []string
	var split func(n ast.Node)
	split = func(n ast.Node) {
		if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") {
			split(b.Left)
			split(b.Right)
			return
		}
		decidable := true
		ast.Find(n, func(x ast.Node) bool {
			if id, ok := x.(*ast.IdentifierNode); ok && (undecidable[id.Value] || id.Value == "bands" || id.Value == "kind") {
				decidable = false
			}
			return false
		})
		if decidable {
			known = append(known, "("+n.String()+")")
		}
	}
	split(tree.Node)
	if len(known) == 0 {
		return nil
	}
	last := c.last
	defer func() { c.last = last }()
	prog, err := c.compile(strings.Join(known, " && "), env, boolType)
	if err != nil {
		return nil
	}
	return prog
}
