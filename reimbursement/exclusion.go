package reimbursement

// Precedence between components (instead_of): a component that names
// others in instead_of takes the units it matches away from them, so that
// a visit paid a standard time is not also paid by the hourly component,
// and a declined visit paid on its planned time is not also reported by
// performed time. The units are the records the components price: a
// visit (whole, or by its band segments), a granted item, a listing, an
// event; a component of visits takes nothing from a component of granted
// items.

// exclusion holds the units a component does not pay because a
// component naming it in instead_of matched them. A nil *exclusion
// excludes nothing.
type exclusion struct {
	// visits holds whole visits, by their position in the case: those a
	// component of whole visits matched, which it takes from components
	// of either kind, and those a component of band segments matched a
	// segment of, which it takes from components of whole visits (a
	// visit is paid whole or not).
	visits map[int]bool
	// segments holds the band segments a component of segments matched,
	// by their index among the version's segments: it takes only those
	// from a component of segments (a visit's night part, not its
	// evening part).
	segments map[int]bool
	// items, listings and events by their unit's index among the
	// version's units: an item is a unit per part of the month of one
	// zone (see caseState.buildItems), and the part of a customer who
	// moves that the replacing component matches is not the other's.
	items    map[int]bool
	listings map[int]bool
	events   map[int]bool
}

// exclusions evaluates the when of every component with instead_of over
// the version's units and returns, by the index of each component it
// names, the units that component must not pay. A unit on which the
// when fails is taken too: the replacing component reports it
// (rate_error, see matchUnits), and no component it replaces pays it as
// though the when did not hold (a standard time whose when failed for a
// visit left the visit to the hourly component, which paid its 60 min
// beside the error).
func (c *caseState) exclusions(v *Version, us *unitSet, segEnv, visitEnv func(int) visitEnv) map[int]*exclusion {
	var out map[int]*exclusion
	ev := &c.w.ev
	for _, comp := range v.components {
		if len(comp.replaces) == 0 {
			continue
		}
		var visits, segments, items, listings, events []int
		switch comp.strategy.Unit() {
		case unitItem:
			for i := range us.items {
				if takes(evalIn(ev, ev.items, comp.when, v.normalizeItem(us.items[i].Env))) {
					items = append(items, i)
				}
			}
		case unitSegment:
			for i := range us.segments {
				if takes(evalIn(ev, ev.visits, comp.when, segEnv(i))) {
					segments = append(segments, i)
				}
			}
		case unitVisit:
			choose := bandChoice(comp)
			for i := range us.visits {
				if takes(evalIn(ev, ev.visits, comp.when, choose(visitEnv(i), &us.visits[i]))) {
					visits = append(visits, int(us.visits[i].pos))
				}
			}
		case unitListing:
			for i := range us.listings {
				if takes(evalIn(ev, ev.listings, comp.when, v.normalizeListing(us.listings[i].Env))) {
					listings = append(listings, i)
				}
			}
		case unitEvent:
			for i := range us.events {
				if takes(evalIn(ev, ev.events, comp.when, v.normalizeEvent(us.events[i].Env))) {
					events = append(events, i)
				}
			}
		}
		for _, other := range comp.replaces {
			if out == nil {
				out = map[int]*exclusion{}
			}
			ex := out[other.index]
			if ex == nil {
				ex = &exclusion{visits: map[int]bool{}, segments: map[int]bool{}, items: map[int]bool{}, listings: map[int]bool{}, events: map[int]bool{}}
				out[other.index] = ex
			}
			for _, p := range visits {
				ex.visits[p] = true
			}
			for _, i := range segments {
				if other.strategy.Unit() == unitSegment {
					ex.segments[i] = true
				} else {
					ex.visits[int(us.segments[i].pos)] = true
				}
			}
			for _, i := range items {
				ex.items[i] = true
			}
			for _, i := range listings {
				ex.listings[i] = true
			}
			for _, i := range events {
				ex.events[i] = true
			}
		}
	}
	return out
}

// takes reports whether a replacing component takes a unit on which its
// when gave r: it holds, or it failed (see exclusions).
func takes(r result) bool { return r.ok || r.err != nil }

// The skips below tell the units of a kind a component does not pay
// because a replacing component takes them (see exclusions); nil when it
// pays them all, so that matching calls no function per unit.

func (ex *exclusion) item() func(int) bool {
	if ex == nil || len(ex.items) == 0 {
		return nil
	}
	return func(i int) bool { return ex.items[i] }
}

func (ex *exclusion) segment(us []segmentUnit) func(int) bool {
	if ex == nil || len(ex.visits) == 0 && len(ex.segments) == 0 {
		return nil
	}
	return func(i int) bool { return ex.segments[i] || ex.visits[int(us[i].pos)] }
}

func (ex *exclusion) visit(us []visitUnit) func(int) bool {
	if ex == nil || len(ex.visits) == 0 {
		return nil
	}
	return func(i int) bool { return ex.visits[int(us[i].pos)] }
}

func (ex *exclusion) listing() func(int) bool {
	if ex == nil || len(ex.listings) == 0 {
		return nil
	}
	return func(i int) bool { return ex.listings[i] }
}

func (ex *exclusion) event() func(int) bool {
	if ex == nil || len(ex.events) == 0 {
		return nil
	}
	return func(i int) bool { return ex.events[i] }
}
