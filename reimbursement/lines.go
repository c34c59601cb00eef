package reimbursement

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	mathbits "math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// settleVersion runs the components of version v (index c.vi) over the
// case's units, then its adjustments, and appends the lines. A strategy's
// error does not stop the settlement: the component pays nothing of the
// case and reports each of its units not paid (see settleComponent).
func (c *caseState) settleVersion(v *Version) {
	c.failedItems = c.failedItems[:0]
	m := c.matchVersion(v)
	c.reportUnmatched(v, m)
	first := len(c.lines)
	c.finishLines(v)
	c.adjust(v, first)
}

// matched records which units of a version some component matched (or
// failed to price: a rate error, or a strategy's, reports the unit
// itself).
type matched struct {
	items, segments, visits, listings, events []bool
	// visitPaid[pos] is set when a component matched the visit at
	// position pos of the case, as a whole or in part; visitWhole when a
	// component of whole visits (per_visit...) matched it.
	visitPaid, visitWhole []bool
	// extraStaff[pos] is set when a component of whole visits paid by
	// their minutes (standard_time, planned_time) reported the staff
	// present at the visit beyond those paid for: its minutes of the
	// whole visit, which the visit's segments, paid on top, do not
	// report again (see reportExtraStaff); or reported the visit with
	// the minutes of every staff member present, those beyond the ones
	// paid for among them (see everyStaffReported).
	extraStaff []bool
}

// matchVersion runs the components of version v over the units of c.vi.
func (c *caseState) matchVersion(v *Version) *matched {
	us := &c.units[c.vi]
	ev := &c.w.ev
	w := c.w
	m := &w.matched
	m.items, m.segments, m.visits = falses(m.items, len(us.items)), falses(m.segments, len(us.segments)), falses(m.visits, len(us.visits))
	m.listings, m.events = falses(m.listings, len(us.listings)), falses(m.events, len(us.events))
	m.visitPaid, m.visitWhole = falses(m.visitPaid, len(c.in.visits)), falses(m.visitWhole, len(c.in.visits))
	m.extraStaff = falses(m.extraStaff, len(c.in.visits))
	// The environments of segments and visits as the version's
	// expressions see them, once per distinct environment of the case
	// rather than once per unit and component.
	// Without explanations, the case's table holds them cleared of what
	// no version of the month reads (see addVisit): as the version sees
	// them when it reads what the month does, which a month of one
	// version always does, and they are taken as they are, prints too.
	n := 0
	if v.units[unitSegment] || v.units[unitVisit] {
		n = w.raw.n
	}
	asIs := !c.explain && v.reads == w.in.reads
	rawNorm := w.rawNorm[:0]
	if !asIs {
		// Each copied once, into its place, and cleared there:
		// normalizeVisit would copy it in and out, 352 bytes each way.
		for r := range n {
			rawNorm = append(rawNorm, *w.raw.at(r))
			v.reads.clearVisit(&rawNorm[len(rawNorm)-1])
		}
	}
	w.rawNorm = rawNorm
	norm := func(r int) *visitEnv {
		if asIs {
			return w.raw.at(r)
		}
		return &rawNorm[r]
	}
	segEnv := func(i int) visitEnv { return *norm(int(us.segments[i].raw)) }
	visitEnv := func(i int) visitEnv { return *norm(int(us.visits[i].raw)) }
	var prints []uint64
	if asIs {
		prints = w.raw.prints
	}
	w.numberEnvs(v, n, norm, prints)
	// Each segment and visit takes the number of its environment.
	// Sized first and written in place: a segment's costs no append.
	segIDs, visitIDs := w.segUnitIDs[:0], w.visitIDs[:0]
	if v.units[unitSegment] {
		segIDs = slices.Grow(segIDs, len(us.segments))[:len(us.segments)]
		for i := range us.segments {
			segIDs[i] = w.rawIDs[us.segments[i].raw]
		}
	}
	if v.units[unitVisit] {
		visitIDs = slices.Grow(visitIDs, len(us.visits))[:len(us.visits)]
		for i := range us.visits {
			visitIDs[i] = w.rawIDs[us.visits[i].raw]
		}
	}
	w.segUnitIDs, w.visitIDs = segIDs, visitIDs
	w.imemo = nil
	if v.units[unitItem] {
		w.numberItems(v, us.items)
	}
	excluded := c.exclusions(v, us, segEnv, visitEnv)
	c.claims = nil
	if len(v.undecided) > 0 {
		c.claims = &claims{v: v, c: c, by: map[[2]int][]*Component{}}
	}
	for _, comp := range v.components {
		ex := excluded[comp.index]
		sc := &w.scope
		*sc = scope{Component: comp, Version: v, Period: c.w.in.period, Customer: c.in.customer, Provider: c.in.provider, c: c}
		n := 0
		switch comp.strategy.Unit() {
		case unitItem:
			if comp.whenReadsLevel() {
				sc.Items, sc.levelPool = c.matchLevels(v, comp, us.items, ex.item(), m.items)
			} else {
				sc.Items = matchUnits(c, comp, ev.items, w.imemo, us.items, w.items[:0], nil, w.itemIDs, ex.item(),
					func(i int) itemEnv { return v.normalizeItem(us.items[i].Env) }, m.items)
			}
			n, w.items = len(sc.Items), sc.Items
		case unitSegment:
			sc.Segments = w.segments[:0]
			matchUnits(c, comp, ev.visits, w.vmemo, us.segments, nil, &sc.Segments, w.segUnitIDs, ex.segment(us.segments),
				segEnv, m.segments)
			n, w.segments = len(sc.Segments), sc.Segments
		case unitVisit:
			sc.Visits = c.matchVisits(comp, us.visits, visitEnv, ex, m.visits)
			n, w.visits = len(sc.Visits), sc.Visits
		case unitListing:
			sc.Listings = matchUnits(c, comp, ev.listings, nil, us.listings, nil, nil, nil, ex.listing(),
				func(i int) listingEnv { return v.normalizeListing(us.listings[i].Env) }, m.listings)
			n = len(sc.Listings)
		case unitEvent:
			sc.Events = matchUnits(c, comp, ev.events, nil, us.events, nil, nil, nil, ex.event(),
				func(i int) eventEnv { return v.normalizeEvent(us.events[i].Env) }, m.events)
			n = len(sc.Events)
		}
		if n > 0 {
			c.settleComponent(v, sc)
		}
	}
	m.markVisits(us)
	return m
}

// markVisits sets visitPaid and visitWhole from the segments and the
// whole visits of us that components matched.
func (m *matched) markVisits(us *unitSet) {
	for i, ok := range m.segments {
		if ok {
			m.visitPaid[us.segments[i].pos] = true
		}
	}
	for i, ok := range m.visits {
		if ok {
			m.visitPaid[us.visits[i].pos], m.visitWhole[us.visits[i].pos] = true, true
		}
	}
}

// settleComponent runs the strategy of sc's component over the units it
// matched. When the strategy fails, the component pays nothing of the
// case: what the call did is undone (see rollback) and each unit it was
// handed is reported not paid with the error (see reportFailed). Nothing
// is remembered beforehand but the length of what is not paid, so that a
// call that succeeds costs nothing more.
func (c *caseState) settleComponent(v *Version, sc *scope) {
	mark := len(c.unpaid)
	err := sc.Component.strategy.Settle(sc)
	if err == nil {
		return
	}
	c.rollback(sc.Component, mark)
	c.reportFailed(v, sc, err)
}

// rollback undoes what a call of comp's strategy did to the case before
// it failed: the lines it added quantities to (a component's lines are
// its own, by lineKey.comp, and it settles once per version, so every
// accumulator of it is of this call), the not-paid records it appended
// after the first unpaid ones, and the minutes it paid, which a later
// component's cap reads as performed['name'] (names are unique in a
// version). What matching did stays: the units are marked matched and
// claimed by comp, since comp reports them (see reportFailed), so that
// no other component pays them and reportUnmatched does not report them
// again.
func (c *caseState) rollback(comp *Component, unpaid int) {
	clear(c.unpaid[unpaid:])
	c.unpaid = c.unpaid[:unpaid]
	c.acc.drop(comp.index)
	delete(c.paidMinutes, comp.name)
	if c.multi {
		// Its payments of this version are taken back with its lines.
		id := c.w.in.componentID(c.vi, comp.index)
		c.w.capPaid = slices.DeleteFunc(c.w.capPaid, func(p capPayment) bool { return p.vi == c.vi && p.component == id })
	}
	c.claims.fail(comp)
}

// reportFailed reports each unit a failing component was handed as not
// paid: rate_error, or overflow when a quantity did not fit, with the
// version, the component and the error's text as Detail, and the minutes
// or days the component accounts for of the unit (see unit.ref): of a
// visit's segments, the minutes of the staff paid for, in one record on
// the visit's first date (the minutes of staff beyond them are reported
// extra_staff by reportUnmatched); of a whole visit, those of every
// staff member present when the component pays visits by their minutes
// (see failedVisit; those of the staff beyond the ones paid for are then
// not reported extra_staff again, see everyStaffReported), else none,
// the minutes of its parts other
// components do not pay being credited to it (see creditWholeVisit); of
// a decision item its granted minutes and
// days, or what of them its strategy accounts for (see itemPart); of a
// listing its days.
func (c *caseState) reportFailed(v *Version, sc *scope, err error) {
	comp := sc.Component
	reason := RateError
	if errors.Is(err, errOverflow) {
		reason = Overflow
	}
	detail := err.Error()
	add := func(u Unpaid) {
		u.Version, u.Component, u.Reason, u.Detail = v.name, comp.name, reason, detail
		c.report(u)
	}
	days := c.w.in.period.Days()
	for i := range sc.Items {
		add(comp.failedItem(&sc.Items[i], days))
		c.itemFailed(sc.Items[i].Item.Category, comp, reason, detail)
	}
	// A visit's segments are consecutive.
	for i := 0; i < len(sc.Segments); {
		u := sc.Segments[i].ref()
		j := i + 1
		for ; j < len(sc.Segments) && sc.Segments[j].pos == sc.Segments[i].pos; j++ {
			u.Minutes += sc.Segments[j].ref().Minutes
		}
		add(u)
		i = j
	}
	for i := range sc.Visits {
		u := &sc.Visits[i]
		add(comp.failedVisit(u))
		if paysMinutes(comp) {
			everyStaffReported(sc, u) // failedVisit named them
		}
	}
	for i := range sc.Listings {
		add(sc.Listings[i].ref())
	}
	for i := range sc.Events {
		add(sc.Events[i].ref())
	}
}

// failedItems says that a component failed on the granted items of a
// category (see reportFailed): the visits of the category its lines would
// have paid for are reported for its reason.
type failedItems struct {
	cat          models.Category
	comp, detail string
	reason       Reason
}

// itemFailed notes that comp failed on an item of category cat, for
// reason (see failedItems); the first failure of a category is kept.
func (c *caseState) itemFailed(cat models.Category, comp *Component, reason Reason, detail string) {
	if !slices.ContainsFunc(c.failedItems, func(f failedItems) bool { return f.cat == cat }) {
		c.failedItems = append(c.failedItems, failedItems{cat: cat, comp: comp.name, reason: reason, detail: detail})
	}
}

// itemPart is implemented by the strategies of items that account for
// less than an item's granted minutes and days (see
// tarifftest.CheckLedger): absence for its paused days, one_off for none
// (it pays an event on top). It returns the minutes and days a component
// of the strategy accounts for of item unit u in a month of monthDays.
type itemPart interface {
	itemPart(u *itemUnit, monthDays int) (minutes int64, days int)
}

// failedVisit is what comp, whose strategy failed, reports of a whole
// visit it matched: the unit (ref), with the minutes of every staff
// member present when comp pays a visit by its minutes (standard_time,
// planned_time: see paysMinutes), as its line would name them (the staff
// paid for, those beyond reported extra_staff), so that they are not
// lost when no component of band segments pays the visit (found by
// attack: a standard time's rate_error named none of a visit's 60 min).
// One that pays visits by the count (per_visit) names none. (A visit on
// which a when or rate failed as it was matched is reported without
// minutes: another component may pay it, the component not having
// matched it; see creditWholeReport.)
func (comp *Component) failedVisit(u *visitUnit) Unpaid {
	r := u.ref()
	if paysMinutes(comp) {
		r.Minutes = u.Minutes * int64(u.Present)
	}
	return r
}

// failedItem is what comp reports of an item unit it cannot pay: the
// unit (ref), with the minutes and days comp accounts for of it.
func (comp *Component) failedItem(u *itemUnit, monthDays int) Unpaid {
	r := u.ref()
	if p, ok := comp.strategy.(itemPart); ok {
		r.Minutes, r.Days = p.itemPart(u, monthDays)
	}
	return r
}

// falses returns b resized to n, every element false.
func falses(b []bool, n int) []bool {
	b = slices.Grow(b[:0], n)[:n]
	clear(b)
	return b
}

// reportUnmatched reports the units of version v that no component
// matched, so that every unit is on a line or in the not-paid list:
//
//   - a decision item no component pays, unless a component pays the
//     visits of its category (performed time pays for the decision);
//   - the minutes of a visit no component paid when a component paid the
//     rest of it, the minutes of staff present beyond those paid for
//     (extra_staff), or the whole visit when no component matched any of
//     it, unless a component pays the granted time of its category
//     (granted time pays for the visits): the minutes in hours no
//     component pays their category in, though one pays it in others,
//     outside_paid_hours, those in hours one pays it in no_component
//     (refused on another condition), whole visit or part alike; where
//     the probe cannot tell the hours, outside_paid_hours for a part,
//     no_component for a whole visit (Version.segmentHours);
//   - listings and events no component matches.
func (c *caseState) reportUnmatched(v *Version, m *matched) {
	us := &c.units[c.vi]
	// Visits of a category whose granted items a line pays are covered
	// by that payment (granted time pays for the visits). A line may pay
	// items of several categories, its own being one of them (a level's
	// pool: cleaning and a shower at one level): each item on it covers
	// its category.
	// A line of a strategy that pays part of an item (absence its
	// paused days, one_off an event on top: see itemPart) pays for no
	// visit, nor does one of a component that stacks: it pays on top of
	// what pays the visits (a monthly supplement by level on performed
	// time), not for them (found by trial128).
	var covered categories
	for _, a := range c.acc.list {
		if len(a.units) == 0 || a.units[0].Kind != RecordDecision {
			continue
		}
		if _, part := a.comp.strategy.(itemPart); part || a.comp.stacks {
			continue
		}
		covered.add(a.key.cat)
		covered.union(&a.pools)
	}
	// Likewise granted items of a category whose visits a component pays:
	// found by their segments, which a month without components of whole
	// visits has alone (every visit unit has segments, of its category).
	var paidVisits categories
	for i := range us.segments {
		if u := &us.segments[i]; m.visitPaid[u.pos] {
			paidVisits.add(u.Category)
		}
	}
	// The month's: an item of a version without visits is covered by
	// the visits another version of the month pays (see
	// flushUnmatched).
	c.paidVisitCats.union(&paidVisits)
	for i := range us.items {
		u := &us.items[i]
		if !m.items[i] && !paidVisits.has(u.Item.Category) && !v.paidByVisits[u.Item.Category] {
			c.unmatchedItems = append(c.unmatchedItems, Unpaid{Kind: RecordDecision, ID: u.Decision.ID, Item: u.name, Version: v.name,
				Date: u.Grant.InForce.From, Reason: NoComponent, Minutes: int64(u.Grant.StaffMinutes), Days: u.Grant.Days,
				Detail: fmt.Sprintf("insats av %s, ingen komponents villkor gäller", u.Item.Category.Swedish())})
			c.unmatchedCats = append(c.unmatchedCats, u.Item.Category)
		}
	}
	c.reportVisitMinutes(v, m, &covered)
	for i, u := range us.listings {
		if !m.listings[i] {
			c.report(Unpaid{Kind: RecordListing, ID: u.Listing.ID, Version: v.name, Date: u.Dates.From, Reason: NoComponent,
				Days: u.Days, Detail: "ingen komponents villkor gäller"})
		}
	}
	for i, u := range us.events {
		if !m.events[i] {
			c.report(Unpaid{Kind: RecordAlarmEvent, ID: u.Event.ID, Version: v.name, Date: u.Date, Reason: NoComponent,
				Detail: "ingen komponents villkor gäller"})
		}
	}
}

// flushUnmatched reports the granted items no component matched, once
// the month's versions are settled: not those of a category whose
// visits a component of any of the month's versions paid (a visit on 1
// March paid for the category, and a version beginning on 2 March left
// the item's other 30 days reported no_component).
func (c *caseState) flushUnmatched() {
	for i, u := range c.unmatchedItems {
		if !c.paidVisitCats.has(c.unmatchedCats[i]) {
			c.report(u)
		}
	}
	clear(c.unmatchedItems) // the worker keeps the buffer, not its strings
	c.unmatchedItems, c.unmatchedCats = c.unmatchedItems[:0], c.unmatchedCats[:0]
	c.paidVisitCats = categories{}
}

// categories is a set of categories.
type categories [4]uint64

func (s *categories) union(o *categories) {
	for i := range s {
		s[i] |= o[i]
	}
}

func (s *categories) add(c models.Category)      { s[c>>6] |= 1 << (c & 63) }
func (s *categories) has(c models.Category) bool { return s[c>>6]&(1<<(c&63)) != 0 }

// each yields the categories of s in order.
func (s *categories) each(yield func(models.Category) bool) {
	for w, bits := range s {
		for ; bits != 0; bits &= bits - 1 { // the lowest bit set, then the next
			if !yield(models.Category(w<<6 | mathbits.TrailingZeros64(bits))) {
				return
			}
		}
	}
}

// reportVisitMinutes accounts for the minutes of the visits of version v
// that no component paid (see reportUnmatched). The segments of a visit
// are consecutive in the version's units.
func (c *caseState) reportVisitMinutes(v *Version, m *matched, covered *categories) {
	us := &c.units[c.vi]
	segs := us.segments
	var whole wholeVisits
	for i := 0; i < len(segs); {
		j := i + 1
		for j < len(segs) && segs[j].pos == segs[i].pos {
			j++
		}
		u := &segs[i]
		// outside: the minutes no component paid; of those, the minutes
		// in some hours (see Version.unpaidInHours) are added up only
		// where a record reads them: most visits are paid.
		var outside, extra int64
		anyPaid := false
		for k := i; k < j; k++ {
			if m.segments[k] {
				anyPaid = true
				extra += segs[k].Minutes * int64(segs[k].Present-segs[k].Staff)
			} else {
				outside += segs[k].Minutes * int64(segs[k].Present)
			}
		}
		// The record of the visit's minutes not paid, made only for a
		// visit that has some (most have none).
		unpaid := func() Unpaid { return Unpaid{Kind: RecordVisit, ID: u.Visit.ID, Version: v.name, Date: u.Date} }
		switch {
		case anyPaid && outside > 0 && m.visitWhole[u.pos]:
			// The hours no component of segments pays are paid by the
			// visit (a night visit per insats, the evening before it by
			// the hour): the whole-visit line accounts for them.
			c.creditWholeVisit(v, &whole, unpaid(), outside)
		case !anyPaid && outside > 0 && m.visitWhole[u.pos]:
			// No component of segments paid or reported the visit, and
			// one of whole visits matched it: see creditWholeReport.
			c.creditWholeReport(v, &whole, u.Visit.ID, outside)
		case anyPaid && outside > 0:
			// The minutes in hours a component pays the category in
			// were refused on another condition (role, staff, …), as a
			// whole visit in them is (below); the others, in hours none
			// pays it in or hours the probe could not tell, are outside
			// the paid hours.
			inPaid := v.unpaidInHours(segs[i:j], m.segments[i:j], hoursPaid)
			if n := outside - inPaid; n > 0 {
				un := unpaid()
				un.Reason, un.Minutes, un.Detail = OutsidePaidHours, n, "ingen komponent betalar dessa timmar"
				c.report(un)
			}
			if n := inPaid; n > 0 {
				un := unpaid()
				un.Reason, un.Minutes, un.Detail = NoComponent, n, fmt.Sprintf("besök av %s, ingen komponents villkor gäller", u.Category.Swedish())
				c.report(un)
			}
		case !anyPaid && !m.visitPaid[u.pos] && !(covered.has(u.Category) && u.HasDecision):
			// Not paid, and not paid for by granted time either: the
			// version's granted time of the category pays only for
			// the visits of a day a decision grants it on.
			un := unpaid()
			un.Reason, un.Minutes, un.Detail = NoComponent, outside, fmt.Sprintf("besök av %s, ingen komponents villkor gäller", u.Category.Swedish())
			if fi := slices.IndexFunc(c.failedItems, func(f failedItems) bool { return f.cat == u.Category }); fi >= 0 && u.HasDecision {
				// The granted time that would have paid for the visit
				// failed: the visit is not paid for the same reason.
				f := &c.failedItems[fi]
				un.Component, un.Reason = f.comp, f.reason
				un.Detail = fmt.Sprintf("besök av %s, betalas med beviljad tid som inte betalas: %s", u.Category.Swedish(), f.detail)
			} else if v.paidByItems[u.Category] {
				// A component pays the category's granted time, which
				// pays for the visit on a day a decision in force grants
				// it; none does on this one.
				if !u.HasDecision {
					un.Reason, un.Detail = c.ungranted(u.Category, u.Date)
				}
			} else if n := v.unpaidInHours(segs[i:j], m.segments[i:j], hoursOutside); n > 0 {
				// Its category is paid, in other hours only: the
				// minutes in those hours as the minutes of a visit
				// partly paid (above), the rest, in hours a component
				// pays the category in, no_component.
				out := un
				out.Reason, out.Minutes, out.Detail = OutsidePaidHours, n, "ingen komponent betalar dessa timmar"
				c.report(out)
				un.Minutes -= n
			}
			if un.Minutes > 0 {
				c.report(un)
			}
		}
		if extra > 0 && !m.extraStaff[u.pos] {
			un := unpaid()
			un.Reason, un.Minutes, un.Detail = ExtraStaff, extra, fmt.Sprintf("%d personal närvarande, %d betalas: dubbelbemanning är inte beviljad",
				u.Present, u.Staff)
			c.report(un)
		}
		i = j
	}
}

// visitHours is what the probe knows of the hours of a segment no
// component paid (see Version.segmentHours).
type visitHours int

const (
	// hoursUnknown: the probe could not decide every component of
	// visits, and none it decided pays the segment's category in its
	// hours; or none pays the category in any hours.
	hoursUnknown visitHours = iota
	// hoursPaid: a component the probe decided pays the category in the
	// segment's band and kind of day, in every band, or of whole visits
	// (whose hours are the visit's, not its minutes'): it refused the
	// segment on another condition (role, licensed, staff, …).
	hoursPaid
	// hoursOutside: the probe decided every component of visits
	// (Version.hoursKnown); one pays the category, in other hours only.
	hoursOutside
	hoursCount
)

// segmentHours tells whether the hours of segment s, which no component
// paid, are hours in which a component pays its category, hours in which
// none does though one pays it in others, or neither is known. The
// minutes of a visit partly paid are no_component in the first,
// outside_paid_hours in the others; those of a visit not paid at all
// outside_paid_hours in the second, no_component in the others (see
// reportVisitMinutes): minutes in the same hours, refused for the same
// cause, get one reason whether they are a whole visit or a part, except
// where the probe could not tell.
func (v *Version) segmentHours(s *segmentUnit) visitHours {
	cat, at := s.Category, [2]string{s.Band, s.env.DayKind}
	if v.hoursAny[cat] || v.paidHours[cat][at] || v.paidHours[cat][[2]string{s.Band, ""}] {
		return hoursPaid
	}
	if v.hoursKnown && len(v.paidHours[cat]) > 0 {
		return hoursOutside
	}
	return hoursUnknown
}

// unpaidInHours returns the staff minutes of the segments of one visit
// (segs, paid[k] telling whether segs[k] was paid) that no component
// paid and whose hours are h (see segmentHours).
func (v *Version) unpaidInHours(segs []segmentUnit, paid []bool, h visitHours) int64 {
	var n int64
	for k := range segs {
		if !paid[k] && v.segmentHours(&segs[k]) == h {
			n += segs[k].Minutes * int64(segs[k].Present)
		}
	}
	return n
}

// ungranted returns why a visit of category cat on date d, a day no
// decision in force grants cat on, is not paid: not_started when a
// decision valid that day grants cat but had not started, no_decision
// otherwise; with the detail saying so.
func (c *caseState) ungranted(cat models.Category, d calendar.Date) (Reason, string) {
	if id := c.notStarted(cat, d); id != "" {
		return NotStarted, fmt.Sprintf("besök av %s, beviljat i beslut %s, som inte var verkställt %s", cat.Swedish(), id, d)
	}
	return NoDecision, fmt.Sprintf("inget beslut beviljar %s %s", cat.Swedish(), d)
}

// notStarted returns the id of a decision of the case that is valid on
// date d and grants category cat, but whose execution had not started on
// d, or "".
func (c *caseState) notStarted(cat models.Category, d calendar.Date) string {
	for _, dec := range c.in.decisions {
		if !(calendar.DateRange{From: dec.ValidFrom, To: dec.ValidTo}).Contains(d) {
			continue
		}
		if r, ok := dec.InForce(); ok && r.Contains(d) {
			continue
		}
		for i := range dec.Items {
			if dec.Items[i].Category == cat {
				return dec.ID
			}
		}
	}
	return ""
}

// creditWholeVisit adds minutes of visit un.ID to its unit on the line
// of the first component of whole visits that pays it, unless that unit
// names the visit's minutes already (a standard or planned time, which
// pays them: see paysMinutes), or such a component reported the visit
// with them (see failedVisit); when none pays it
// (a declined visit), to what such a component reported of it; failing
// both, it reports them outside_paid_hours, so they are never lost. x
// finds both, built on first use for the version's visits.
func (c *caseState) creditWholeVisit(v *Version, x *wholeVisits, un Unpaid, minutes int64) {
	if !x.built {
		x.build(c, v)
	}
	if x.named[un.ID] {
		return // reported with the visit's minutes
	}
	if p, ok := x.paid[un.ID]; ok {
		if !paysMinutes(p.acc.comp) {
			// A standard or planned time's unit names the visit's
			// minutes already (stacked on the part performed time pays).
			p.acc.units[p.i].Minutes += minutes
		}
		return
	}
	if i, ok := x.reported[un.ID]; ok {
		c.unpaid[i].Minutes += minutes
		return
	}
	un.Reason, un.Minutes, un.Detail = OutsidePaidHours, minutes, "ingen komponent betalar dessa timmar"
	c.report(un)
}

// creditWholeReport adds the minutes of visit id, which no component of
// segments paid or reported, to what the first component of whole visits
// that reported it said of it, when that one pays visits by their
// minutes (its when or rate failed as it was matched: rate_error,
// without minutes; one that counts visits, per_visit, accounts for a
// visit it reports as it is), unless such a component pays it
// or reported it with its minutes (see failedVisit): they were on no
// line and in no list (found by attack: a standard time whose when
// failed for one customer, instead of the hourly component, reported
// each of the customer's visits without its minutes).
func (c *caseState) creditWholeReport(v *Version, x *wholeVisits, id string, minutes int64) {
	if !x.built {
		x.build(c, v)
	}
	if x.named[id] {
		return
	}
	if _, ok := x.paid[id]; ok {
		return
	}
	if i, ok := x.reported[id]; ok && paysMinutes(v.wholeVisit(c.unpaid[i].Component)) {
		c.unpaid[i].Minutes += minutes
	}
}

// wholeVisits finds, by visit id, a visit's unit on the line of the first
// component of whole visits that pays it, and what such a component
// reported of it (by its number in caseState.unpaid).
type wholeVisits struct {
	built    bool
	paid     map[string]unitOnLine // the worker's, cleared for each use
	reported map[string]int
	// named holds the visits a component of whole visits that pays
	// their minutes reported with those minutes (see failedVisit); nil
	// when none.
	named map[string]bool
}

// unitOnLine is unit i of the line a adds up.
type unitOnLine struct {
	acc *lineAcc
	i   int
}

func (x *wholeVisits) build(c *caseState, v *Version) {
	w := c.w
	if w.wholePaid == nil {
		w.wholePaid, w.wholeReported = map[string]unitOnLine{}, map[string]int{}
	}
	clear(w.wholePaid)
	clear(w.wholeReported)
	x.built, x.paid, x.reported = true, w.wholePaid, w.wholeReported
	for _, a := range c.acc.list {
		if a.comp.strategy.Unit() != unitVisit {
			continue
		}
		for i, u := range a.units {
			if p, ok := x.paid[u.ID]; u.Kind == RecordVisit && (!ok || a.comp.index < p.acc.comp.index) {
				x.paid[u.ID] = unitOnLine{a, i}
			}
		}
	}
	for i := range c.unpaid {
		r := &c.unpaid[i]
		if r.Kind != RecordVisit || r.Version != v.name {
			continue
		}
		comp := v.wholeVisit(r.Component)
		if comp == nil {
			continue
		}
		if _, ok := x.reported[r.ID]; !ok {
			x.reported[r.ID] = i
		}
		if paysMinutes(comp) && r.Minutes > 0 {
			if x.named == nil {
				x.named = map[string]bool{}
			}
			x.named[r.ID] = true
		}
	}
}

// wholeVisit returns the component named when it counts whole visits,
// else nil.
func (v *Version) wholeVisit(name string) *Component {
	for _, comp := range v.components {
		if comp.name == name {
			if comp.strategy.Unit() == unitVisit {
				return comp
			}
			return nil
		}
	}
	return nil
}

// unit is implemented by the pointer types of the units: how a unit is
// named in a report of what is not paid, and how it takes its price.
type unit[U any] interface {
	*U
	ref() Unpaid
	price(r *result) // read, not copied: a result is eight words
}

func (u *itemUnit) ref() Unpaid {
	return Unpaid{Kind: RecordDecision, ID: u.Decision.ID, Item: u.name, Date: u.Grant.InForce.From,
		Minutes: int64(u.Grant.StaffMinutes), Days: u.Grant.Days}
}
func (u *segmentUnit) ref() Unpaid {
	// The staff paid for; those beyond are reported extra_staff.
	return Unpaid{Kind: RecordVisit, ID: u.Visit.ID, Date: u.Date, Minutes: u.Minutes * int64(u.Staff)}
}
func (u *visitUnit) ref() Unpaid { return Unpaid{Kind: RecordVisit, ID: u.Visit.ID, Date: u.Date} }
func (u *listingUnit) ref() Unpaid {
	return Unpaid{Kind: RecordListing, ID: u.Listing.ID, Date: u.Dates.From, Days: u.Days}
}
func (u *eventUnit) ref() Unpaid { return Unpaid{Kind: RecordAlarmEvent, ID: u.Event.ID, Date: u.Date} }

func (u *itemUnit) price(r *result)    { u.Rate, u.Lookups = r.dec, r.lookups }
func (u *segmentUnit) price(r *result) { u.Rate, u.Lookups = r.dec, r.lookups }
func (u *visitUnit) price(r *result)   { u.Rate, u.Lookups = r.dec, r.lookups }
func (u *listingUnit) price(r *result) { u.Rate, u.Lookups = r.dec, r.lookups }
func (u *eventUnit) price(r *result)   { u.Rate, u.Lookups = r.dec, r.lookups }

// numberEnvs numbers the case's n environments of segments and visits,
// normalised for version v (env(r), of print prints[r] when prints is
// not nil), in the version's memo: w.rawIDs[r] is the number of env(r).
// A component then evaluates each distinct environment once, and for the
// month, not once per unit. When the memo has no room for so many, every
// number is -1 and the units are looked up in the evaluator's maps.
func (w *worker) numberEnvs(v *Version, n int, env func(r int) *visitEnv, prints []uint64) {
	m := w.ev.visitMemo(v)
	w.vmemo = m
	ids := w.rawIDs[:0]
	room := m.room(n)
	for r := range n {
		id := int32(-1)
		if room {
			e := env(r)
			var print uint64
			if prints != nil {
				print = prints[r]
			} else {
				print = envPrint(e)
			}
			id = m.intern(e, print)
		}
		ids = append(ids, id)
	}
	w.rawIDs = ids
}

// numberItems numbers the item units us of version v in the version's
// memo of item environments, as numberEnvs numbers visits', in w.itemIDs.
func (w *worker) numberItems(v *Version, us []itemUnit) {
	m := w.ev.itemMemo(v)
	w.imemo = m
	ids := w.itemIDs[:0]
	room := m.room(len(us))
	for i := range us {
		id := int32(-1)
		if room {
			e := &w.itemEnv // not a local: its address would escape
			*e = v.normalizeItem(us[i].Env)
			id = m.intern(e, itemPrint(e))
		}
		ids = append(ids, id)
	}
	w.itemIDs = ids
}

// itemPrint is a cheap fingerprint of an item environment, as envPrint
// is of a visit environment's.
func itemPrint(e *itemEnv) uint64 {
	p := uint64(len(e.Category)) | uint64(len(e.Task))<<6 | uint64(len(e.KSI))<<12 | uint64(len(e.Per))<<18 |
		uint64(len(e.Decision))<<24 | uint64(len(e.Level))<<30 | uint64(len(e.Zone))<<36 | uint64(len(e.Ownership))<<42
	if e.Category != "" {
		p ^= uint64(e.Category[0]) << 48
	}
	if e.Task != "" {
		p ^= uint64(e.Task[len(e.Task)-1]) << 56
	}
	if e.DoubleStaffing {
		p ^= 1 << 62
	}
	if e.Subscription {
		p ^= 1 << 63
	}
	return p
}

// sameVisitEnv reports whether a == b, comparing first the fields in
// which the units of a case differ (band, day, task...) and last those
// they share (the customer, provider, period): most comparisons of
// distinctEnvs are between environments of one case that differ.
// TestSameVisitEnv holds it to ==.
func sameVisitEnv(a, b *visitEnv) bool {
	return a.Band == b.Band && a.DayKind == b.DayKind && a.Category == b.Category && a.Declined == b.Declined &&
		a.Staff == b.Staff && a.Role == b.Role && a.Licensed == b.Licensed && a.Edited == b.Edited &&
		a.DoubleStaffingOrdered == b.DoubleStaffingOrdered && a.Minutes == b.Minutes && a.PlannedMinutes == b.PlannedMinutes &&
		a.Zone == b.Zone && a.Task == b.Task && a.Tasks == b.Tasks &&
		a.StartBand == b.StartBand && a.EndBand == b.EndBand && a.LongestBand == b.LongestBand && a.Bands == b.Bands &&
		a.PlannedBand == b.PlannedBand && a.baseEnv == b.baseEnv
}

// bit is 1 for true, 0 for false.
func bit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// sameInCase is sameVisitEnv for two environments of one case, whose
// bases can differ only in the zone (see rawEnvs).
func sameInCase(a, b *visitEnv) bool {
	return a.Band == b.Band && a.DayKind == b.DayKind && a.Category == b.Category && a.Declined == b.Declined &&
		a.Staff == b.Staff && a.Role == b.Role && a.Licensed == b.Licensed && a.Edited == b.Edited &&
		a.DoubleStaffingOrdered == b.DoubleStaffingOrdered && a.Minutes == b.Minutes && a.PlannedMinutes == b.PlannedMinutes &&
		a.Zone == b.Zone && a.Task == b.Task && a.Tasks == b.Tasks &&
		a.StartBand == b.StartBand && a.EndBand == b.EndBand && a.LongestBand == b.LongestBand && a.Bands == b.Bands &&
		a.PlannedBand == b.PlannedBand
}

// envPrint is a cheap fingerprint of a visit environment, from the
// lengths and a byte of the fields a case's units differ in and their
// numbers and flags: equal environments have equal prints, so
// environments whose prints differ need no comparing.
func envPrint(e *visitEnv) uint64 {
	p := uint64(len(e.Band)) | uint64(len(e.DayKind))<<5 | uint64(len(e.Category))<<10 | uint64(len(e.Task))<<15 |
		uint64(len(e.Role))<<20 | uint64(len(e.Zone))<<25 | uint64(len(e.Tasks))<<30
	if e.Band != "" {
		p ^= uint64(e.Band[0]) << 35
	}
	if e.DayKind != "" {
		p ^= uint64(e.DayKind[0]) << 43
	}
	if e.Task != "" {
		p ^= uint64(e.Task[len(e.Task)-1]) << 51
	}
	flags := bit(e.Declined) | bit(e.Licensed)<<1 | bit(e.Edited)<<2 | bit(e.DoubleStaffingOrdered)<<3
	return p ^ flags<<59 ^ uint64(e.Staff)*0x9e3779b97f4a7c15 ^ uint64(e.Minutes)*0xc2b2ae3d27d4eb4f ^
		uint64(e.PlannedMinutes)*0x165667b19e3779f9
}

// matchUnits appends to out the units the component's when matches, each
// priced by its rate; skip tells the units the component does not pay
// (another component matched them instead of it: see exclusions; nil for
// none), env gives a unit's environment as the version's expressions see
// it, matched marks a unit as paid by some component. ids, when not nil,
// numbers the units' environments in the memo m (see numberEnvs): a
// unit then takes the match of its number, made once; a unit numbered
// -1 is matched through the evaluator's map. Evaluation errors are
// reported as not paid, with what the component accounts for of the
// unit (see failedItem). When refs is not nil, the units matched are
// priced where they lie and appended to *refs rather than copied to out:
// a segment, 176 bytes, is handed over as a pointer (the price is
// the component's, read only while it settles, and the next component
// to match the unit prices it anew).
func matchUnits[U any, P unit[U], E memoEnv](c *caseState, comp *Component, fallback map[memoKey[E]]result, m *memo[E],
	units []U, out []U, refs *[]*U, ids []int32, skip func(int) bool, env func(int) E, matched []bool) []U {
	self := pricesItself(comp.strategy)
	w := c.w
	if len(ids) != len(units) || m == nil {
		ids = nil
	}
	for i := range units {
		if skip != nil && skip(i) {
			continue
		}
		// The result read where the memo keeps it, not copied out.
		var r *result
		if id := int32(-1); ids != nil && ids[i] >= 0 {
			id = ids[i]
			slot := &m.res[int(id)*m.comps+comp.index]
			if !slot.known {
				slot.known, slot.r = true, matchNow(&w.ev, comp, env(i), self)
			}
			r = &slot.r
		} else {
			// Kept in the worker: a local whose address price is
			// handed would move to the heap, an allocation a unit.
			w.matchedNow = matchUnit(&w.ev, fallback, comp, env(i), self)
			r = &w.matchedNow
		}
		if r.err != nil {
			it, _ := any(&units[i]).(*itemUnit)
			c.matchFailed(comp, P(&units[i]).ref(), it, r.err)
			matched[i] = true // reported, with its minutes or days
			continue
		}
		if !r.ok {
			continue
		}
		matched[i] = true
		// Without claims (see claims), every match goes through: the
		// method value for the record is not made.
		if c.claims != nil && !c.claims.take(comp, i, P(&units[i]).ref) {
			continue // paid by another component; reported
		}
		if refs != nil {
			P(&units[i]).price(r)
			*refs = append(*refs, &units[i])
			continue
		}
		out = append(out, units[i])
		P(&out[len(out)-1]).price(r)
	}
	return out
}

// matchFailed reports a unit on which comp's when or rate failed with
// err as it was matched: rate_error, with the version, the component and
// the error as Detail. u is the unit (its ref), or, for a decision item
// it (u then unused), what comp accounts for of the item (see
// failedItem), whose category's visits are then reported too (see
// itemFailed).
func (c *caseState) matchFailed(comp *Component, u Unpaid, it *itemUnit, err error) {
	if it != nil {
		u = comp.failedItem(it, c.w.in.period.Days())
	}
	u.Version, u.Component, u.Reason, u.Detail = c.w.in.versions[c.vi].name, comp.name, RateError, err.Error()
	c.report(u)
	if it != nil {
		c.itemFailed(it.Item.Category, comp, RateError, u.Detail)
	}
}

// whenReadsLevel reports whether comp is a level component whose when
// reads level: it is matched by matchLevels.
func (comp *Component) whenReadsLevel() bool {
	return comp.whenReads["level"] && comp.param("levels") != nil
}

// matchLevels matches the item units of a level component whose when
// reads level, so that when sees the level the strategy prices (found by
// attack: level was set only for the rate, and level == '2' matched
// nothing). The level of a day is that of the granted time of the pool in
// force on it, added up as level.Settle adds it: the units the when
// matches at some level (category == 'care' && level == '2' pools the
// care items, and a customer granted 15 h of care a month is at level 2
// whatever the when asks of the level). A unit is matched on the days its
// when holds at the day's level, which it keeps in levelDays; it returns
// the units matched and the pool. A when that fails is reported as
// matchUnits reports it only where it decides something: on a unit it
// holds for at no level (whether the unit is in the pool), or at a level
// of one of the unit's days, the unit then in the pool all the same. At
// a level no day of the unit reaches it is no failure of the customer's
// (found by review: table('tl', task, level) of a table without level 3
// reported every item of a customer at level 2 rate_error).
func (c *caseState) matchLevels(v *Version, comp *Component, us []itemUnit, skip func(int) bool, matched []bool) (out, pool []itemUnit) {
	w := c.w
	ev := &w.ev
	bands := comp.param("levels").Levels()
	pool = w.levelPool[:0]
	idx := w.levelIdx[:0]
	for i := range us {
		if skip != nil && skip(i) {
			continue
		}
		e := v.normalizeItem(us[i].Env)
		in := false
		var err error
		for _, b := range bands {
			e.Level = b.Name
			r := evalIn(ev, ev.items, comp.when, e)
			if err == nil {
				err = r.err
			}
			if in = r.ok; in {
				break
			}
		}
		if !in && err != nil {
			c.matchFailed(comp, Unpaid{}, &us[i], err)
			matched[i] = true // reported, with its minutes or days
			continue
		}
		if in {
			pool, idx = append(pool, us[i]), append(idx, i)
		}
	}
	w.levelPool, w.levelIdx = pool, idx
	// The level of each day, by its index among bands.
	monthDays := w.in.period.Days()
	perDay := levelMinutes(pool, monthDays)
	at := levelsByDay(bands, &perDay, monthDays)
	// The days each unit of the pool is matched on; failed, those whose
	// when fails at the level of one of their days, reported.
	days := w.levelDaysOf[:0]
	failed := falses(w.levelFailed, len(pool))
	// The when at each level of a unit's days, evaluated once a unit:
	// 0 not yet, 1 holds, 2 does not (one slice a call, not a map a unit).
	holds := resize(w.levelHolds, len(bands))
	defer func() { w.levelHolds = holds }()
	for k := range pool {
		u := &us[idx[k]]
		e := v.normalizeItem(u.Env)
		clear(holds)
		var in, on calendar.DaySet
		in.AddRange(u.Grant.InForce)
		for day := 1; day <= monthDays && !failed[k]; day++ {
			if !in.Has(day) {
				continue
			}
			b := at[day]
			if holds[b] == 0 {
				e.Level = bands[b].Name
				r := evalIn(ev, ev.items, comp.when, e)
				if r.err != nil {
					c.matchFailed(comp, Unpaid{}, u, r.err)
					matched[idx[k]] = true // reported, with its minutes or days
					failed[k], on = true, 0
					break
				}
				holds[b] = 2
				if r.ok {
					holds[b] = 1
				}
			}
			if holds[b] == 1 {
				on |= 1 << (day - 1)
			}
		}
		days = append(days, on)
	}
	w.levelDaysOf, w.levelFailed = days, failed
	// The items some unit of which is matched on a day, made only when a
	// unit is matched on none.
	type item struct {
		d    *models.Decision
		name string
	}
	var some map[item]bool
	if slices.Contains(days, 0) {
		some = map[item]bool{}
		for k, on := range days {
			if on != 0 {
				some[item{us[idx[k]].Decision, us[idx[k]].name}] = true
			}
		}
	}
	out = w.items[:0]
	for k := range pool {
		i := idx[k]
		u := &us[i]
		// A unit matched on none of its days is matched all the same
		// when another unit of its item is matched on some (its part
		// in another zone or version), so that the component accounts
		// for every day of the item, reporting those at other levels:
		// skipped, the days of a part all at another level were neither
		// paid nor reported (found by attack). An item matched on none
		// of its days is left to the components that pay it.
		if failed[k] || days[k] == 0 && !some[item{u.Decision, u.name}] {
			continue
		}
		matched[i] = true
		if !c.claims.take(comp, i, u.ref) {
			continue // paid by another component; reported
		}
		out = append(out, *u)
		out[len(out)-1].levelDays, out[len(out)-1].levelMatched = days[k], true
	}
	return out, pool
}

// claims records, for a version whose loader could not decide whether
// some pairs of components can match one unit (their when reads task
// codes), which components matched each unit: a unit two such components
// match is paid by the first and reported for the second, never paid
// twice in silence. A nil *claims lets every match through.
type claims struct {
	v  *Version
	c  *caseState
	by map[[2]int][]*Component // (kind of unit, index) → components that pay it
	// failed are the components whose strategy failed for the case: they
	// keep their units, which they report (see caseState.rollback).
	failed []*Component
}

// fail records that comp's strategy failed for the case.
func (cl *claims) fail(comp *Component) {
	if cl != nil {
		cl.failed = append(cl.failed, comp)
	}
}

// take reports whether comp may pay unit i of its kind.
func (cl *claims) take(comp *Component, i int, ref func() Unpaid) bool {
	if cl == nil {
		return true
	}
	k := [2]int{int(comp.strategy.Unit()), i}
	for _, other := range cl.by[k] {
		if cl.v.mayOverlap(other, comp) {
			u := ref()
			u.Minutes, u.Days = 0, 0 // paid by the other component
			u.Version, u.Component, u.Reason = cl.v.name, comp.name, PaidTwice
			pays := "som betalar det"
			if slices.Contains(cl.failed, other) {
				pays = "som redovisar det: dess strategi misslyckades"
			}
			u.Detail = fmt.Sprintf("matchas också av komponenten %q, %s: taxan måste ange \"stacks\" eller \"instead_of\"", other.name, pays)
			cl.c.report(u)
			return false
		}
	}
	cl.by[k] = append(cl.by[k], comp)
	return true
}

// matchUnit evaluates a component's when in env and, when it holds and
// the strategy does not price itself, its rate. The result's ok reports
// the match.
func matchUnit[E memoEnv](ev *evaluator, m map[memoKey[E]]result, comp *Component, env E, self bool) result {
	w := evalIn(ev, m, comp.when, env)
	if w.err != nil || !w.ok || self {
		return w
	}
	r := comp.roundRate(evalIn(ev, m, comp.rate, env))
	r.ok = r.err == nil
	return r
}

// matchNow is matchUnit without a memo.
func matchNow[E envWith](ev *evaluator, comp *Component, env E, self bool) result {
	w := runIn(ev, comp.when, env)
	if w.err != nil || !w.ok || self {
		return w
	}
	r := comp.roundRate(runIn(ev, comp.rate, env))
	r.ok = r.err == nil
	return r
}

// finishLines turns the quantities added up for version v into lines.
func (c *caseState) finishLines(v *Version) {
	accs := append(c.w.accList[:0], c.acc.list...)
	defer func() { c.w.accList = accs[:0] }()
	// In turn, not with cmp.Or, which would compare every field of every
	// pair.
	slices.SortFunc(accs, func(a, b *lineAcc) int {
		x, y := &a.key, &b.key
		switch {
		case x.comp != y.comp:
			return cmp.Compare(x.comp, y.comp)
		case x.kind != y.kind:
			return strings.Compare(x.kind.String(), y.kind.String())
		case x.cat != y.cat:
			return cmp.Compare(x.cat, y.cat)
		case x.zone != y.zone:
			return strings.Compare(x.zone, y.zone)
		case x.band != y.band:
			return cmp.Compare(bandOrder(v, x.band), bandOrder(v, y.band))
		}
		if c := exact.Cmp(a.q.Rate, b.q.Rate); c != 0 {
			return c
		}
		return cmpFactor(a, b)
	})
	c.acc.reset()
	c.lines = slices.Grow(c.lines, len(accs)+len(v.adjustments))
	p := c.w.in.period
	// The explained lines' formulas and rounding notes are written one
	// after the other and made one string, each a part of it: an
	// allocation for the lines of a version of the case, not two a line.
	first, ends := len(c.lines), c.w.formulaEnds[:0]
	text := c.w.formulas[:0]
	defer func() { c.w.formulas, c.w.formulaEnds = text[:0], ends[:0] }()
	for _, a := range accs {
		q := &a.q // read, not copied (some 256 bytes)
		div := q.Unit.divisor(p)
		total := a.total.ValueIn(&c.w.decimals)
		var factor *Amount
		if q.Scaled {
			factor = c.w.box(Amount{q.Factor})
		}
		amount, fixed := lineAmount(v.rounding, &a.total, q, div, &c.w.decimals)
		onceAmount := amount
		if v.rounding.PerUnit && a.unitCount > 0 {
			amount = a.rounded
			fixed.f, fixed.ok = exact.Of(amount)
		}
		l := Line{Period: c.w.in.month, Provider: c.in.provider.ID, Customer: c.in.customer.ID, Version: v.name, Component: a.comp.name,
			Label: a.comp.label, Kind: q.Kind, Category: q.Category, Zone: q.Zone, Band: q.Band, Quantity: Amount{total},
			Unit: q.Unit, Rate: Amount{q.Rate}, RateUnit: q.Unit.RateUnit(), Factor: factor, Divisor: div, Amount: Amount{amount},
			Units: sortUnits(&c.w.out.units, a.units, &c.w.unitOrder)}
		if c.explain {
			l.Explanation = &c.w.out.explanations.take(1)[0]
			*l.Explanation = Explanation{Version: v.name, Source: v.source, File: v.file, Component: a.comp.name,
				Strategy: a.comp.strategyName, When: a.comp.whenSource, Rate: a.comp.rateSource,
				Inputs: a.envs.inputs(&c.w.explainMem), Lookups: a.lookups, Steps: c.lineSteps(v, a),
				UnroundedRates: c.unroundedRates(v, a.comp, &a.envs, q.Rate)}
			text = appendFormula(text, &l)
			ends = append(ends, len(text))
			// The rounding note follows: written there, or a text of
			// its own (Rounding set).
			text, l.Explanation.Rounding = appendLineNote(text, v.rounding, &a.total, q, div, amount)
			ends = append(ends, len(text))
			if v.rounding.PerUnit && a.unitCount > 0 {
				l.Explanation.Rounding = fmt.Sprintf("%s: summan av %d enhetsbelopp, vart och ett avrundat (avrundad en gång vore raden %s)",
					v.rounding.rule(), a.unitCount, onceAmount.StringFixed(v.rounding.Scale))
			}
		}
		c.lines = append(c.lines, l)
		c.amounts = append(c.amounts, fixed)
	}
	if len(ends) > 0 {
		// ends holds each line's formula's end, then its rounding
		// note's: empty where the note is a text of its own, or the
		// line's per-unit rounding replaced it.
		all, start := string(text), 0
		for i := 0; i < len(ends); i += 2 {
			e := c.lines[first+i/2].Explanation
			e.Formula = all[start:ends[i]]
			if e.Rounding == "" {
				e.Rounding = all[ends[i]:ends[i+1]]
			}
			start = ends[i+1]
		}
	}
}

// lineSteps returns the steps of an explained line: those its units
// gave (a.steps, the accumulator's, reused from case to case), then the
// version's notes that apply — a rate rounded after its division, and
// the tariff's rule for a visit's minutes where it is not the nearest
// minute alone (a visit listed at its minimum says why) — carved from the
// worker's chunks at their length.
func (c *caseState) lineSteps(v *Version, a *lineAcc) []string {
	var notes [2]string
	n := 0
	if a.comp.rateRounding != nil {
		notes[n], n = v.rateNote, n+1
	}
	if a.comp.strategyName == "performed_time" && a.q.Unit == Minutes && v.timeNote != "" {
		notes[n], n = v.timeNote, n+1
	}
	steps := c.w.out.steps.take(len(a.steps) + n)
	copy(steps, a.steps)
	copy(steps[len(a.steps):], notes[:n])
	return steps
}

// cmpFactor orders two lines by the texts of their factors (as the
// decimal's String writes them), none first; the texts are written, in
// int64 where the factors fit, only for lines that tie on all else.
func cmpFactor(a, b *lineAcc) int {
	if a.key.scaled == b.key.scaled && a.key.factor == b.key.factor {
		return 0
	}
	var ba, bb [48]byte
	return bytes.Compare(factorText(ba[:0], a), factorText(bb[:0], b))
}

// factorText appends the text of a line's factor, nothing when it has
// none.
func factorText(b []byte, a *lineAcc) []byte {
	if !a.key.scaled {
		return b
	}
	if f, ok := exact.Of(a.q.Factor); ok && f.Exp >= -maxFastScale {
		if t, ok := f.AppendString(b); ok {
			return t
		}
	}
	return append(b, a.q.Factor.String()...)
}

// adjust applies the version's adjustments to the lines from first on.
// The amounts of the components they read are added up once, so that a
// case costs its lines plus its adjustments' components, not the one
// times the other.
func (c *caseState) adjust(v *Version, first int) {
	if len(v.adjustments) == 0 {
		return
	}
	// The components' amounts by zone: a customer who moves has lines
	// in each, and a condition that reads the zone holds in some.
	// Each line's component looked up once: its number among the
	// components adjustments read, or -1.
	// The lines come in order of component, several of one often
	// together: one is looked up once for them (name holds it, k its
	// number).
	zones, slots := c.w.adjZones[:0], c.w.adjSlots[:0]
	var name string
	k, named := -1, false
	for _, l := range c.lines[first:] {
		if !named || l.Component != name {
			var ok bool
			if k, ok = v.adjusted[l.Component]; !ok {
				k = -1
			}
			name, named = l.Component, true
		}
		if k >= 0 && !slices.Contains(zones, l.Zone) {
			zones = append(zones, l.Zone)
		}
		slots = append(slots, k)
	}
	slices.Sort(zones) // the lines' order of zones
	c.w.adjZones, c.w.adjSlots = zones, slots
	ns := len(v.adjusted)
	totals := c.w.adjusted[:0]
	for range len(zones) * ns {
		totals = append(totals, componentTotal{})
	}
	c.w.adjusted = totals
	for i := range c.lines[first:] {
		if k := slots[i]; k >= 0 {
			l := &c.lines[first+i]
			t := &totals[slices.Index(zones, l.Zone)*ns+k]
			c.amounts[first+i].addTo(&t.sum, l)
			t.lines = true
		}
	}
	holds := c.w.adjHolds[:0]
	defer func() { c.w.adjHolds = holds[:0] }()
adjustments:
	for _, a := range v.adjustments {
		// The condition in every zone of the adjustment's lines first
		// (not of another adjustment's: found by review), one that
		// fails in any leaving it unpaid in all, reported once; with no
		// lines, nothing to adjust, but a condition that fails in the
		// zone of the month's first day is reported, when the version
		// knows that zone (a customer of a zone it does not price has
		// her units reported unknown_zone, not a rate_error of a
		// condition the load checked at every zone it knows).
		holds = holds[:0]
		judged := false
		for zi, zone := range zones {
			if !slices.ContainsFunc(a.slots, func(k int) bool { return totals[zi*ns+k].lines }) {
				holds = append(holds, false)
				continue
			}
			judged = true
			ok, failed := c.adjustmentHolds(v, a, zone)
			if failed {
				continue adjustments
			}
			holds = append(holds, ok)
		}
		if !judged {
			if zone := c.zoneOn(c.w.in.period.FirstDay()); slices.Contains(v.zones, zone) {
				c.adjustmentHolds(v, a, zone)
			}
			continue
		}
		// In each zone where it holds, the base is the sum of the
		// components' amounts on the lines of that zone: one line a
		// zone, as every line has one zone (a customer who moves has one
		// in each).
		for zi, zone := range zones {
			if !holds[zi] {
				continue
			}
			var sum exact.Sum
			for _, k := range a.slots {
				if t := &totals[zi*ns+k]; t.lines {
					sum.AddSum(&t.sum)
				}
			}
			if !sum.IsZero() {
				c.adjustmentLine(v, a, zone, len(zones) > 1, &sum)
			}
		}
	}
}

// adjustmentHolds evaluates adjustment a's condition in zone; one that
// fails is reported rate_error, naming the version (in a month of two
// versions with an adjustment of one name, the reports were alike), and
// failed is true.
func (c *caseState) adjustmentHolds(v *Version, a *adjustment, zone string) (ok, failed bool) {
	// Normalised, so that the customers of a provider share one
	// evaluation unless the condition reads their ids.
	env := adjustmentEnv{baseEnv: v.normalizeBase(c.base(zone))}
	r := evalIn(&c.w.ev, c.w.ev.adjust, a.when, env)
	if r.err != nil {
		c.unpaid = append(c.unpaid, Unpaid{Kind: RecordAdjustment, ID: a.name, Customer: c.in.customer.ID,
			Provider: c.in.provider.ID, Version: v.name, Reason: RateError, Detail: r.err.Error()})
		return false, true
	}
	return r.ok, false
}

// adjustmentLine appends the line of adjustment a in zone, on base sum;
// its explanation names the zone when the case has lines in more than
// one.
func (c *caseState) adjustmentLine(v *Version, a *adjustment, zone string, moved bool, sum *exact.Sum) {
	base := sum.ValueIn(&c.w.decimals)
	amount, fixed := lineAmount(v.rounding, sum, &quantity{Rate: a.percent}, 100, &c.w.decimals)
	l := Line{Period: c.w.in.month, Provider: c.in.provider.ID, Customer: c.in.customer.ID, Version: v.name, Component: a.name,
		Label: a.label, Zone: zone, Quantity: Amount{base}, Unit: Kronor, Rate: Amount{a.percent}, RateUnit: Kronor.RateUnit(),
		Divisor: 100, Amount: Amount{amount}}
	if c.explain {
		l.Explanation = &c.w.out.explanations.take(1)[0]
		in := ""
		if moved {
			in = " i zon " + zone
		}
		*l.Explanation = Explanation{Version: v.name, Source: v.source, File: v.file, Component: a.name,
			Strategy: "surcharge", When: a.whenSource,
			Steps:   []string{adjustmentStep(a, in, base, v.rounding.Scale)},
			Formula: formula(&l), Rounding: lineNote(v.rounding, sum, &quantity{Rate: a.percent}, 100, amount)}
	}
	c.lines = append(c.lines, l)
	c.amounts = append(c.amounts, fixed)
}

// adjustmentStep writes the step of an adjustment's line: "6 % på
// beloppen för hemtjänst, larm i zon B: 4793.60 kr", base with scale
// decimals as its StringFixed writes it, in int64 where it fits
// (TestAdjustmentStep holds it to formatting).
func adjustmentStep(a *adjustment, in string, base decimal.Decimal, scale int32) string {
	var buf [160]byte
	b := append(appendDecimal(buf[:0], a.percent), " % på beloppen för "...)
	for i, c := range a.components {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, c...)
	}
	b = append(append(b, in...), ": "...)
	if f, ok := exact.Of(base); ok && scale >= 0 && scale <= maxFastScale && f.Exp >= -scale {
		if coef, ok := f.At(-scale); ok {
			b = exact.Fixed{Coef: coef, Exp: -scale}.AppendText(b)
			return string(append(b, " kr"...))
		}
	}
	return string(append(append(b, base.StringFixed(scale)...), " kr"...))
}

// componentTotal is the sum of a component's amounts on the lines of a
// case, version and zone, and whether it has any.
type componentTotal struct {
	sum   exact.Sum
	lines bool
}

// lineAmount returns a line's amount: its total quantity × q.Rate, ×
// q.Factor when scaled, ÷ div, rounded once by r, and the amount as an
// exact.Fixed. It computes in int64 when every number fits, and with
// decimals otherwise; both give the same exact result.
func lineAmount(r Rounding, total *exact.Sum, q *quantity, div int64, c *exact.Cache) (decimal.Decimal, lineFixed) {
	if num, ok := numerator(total, q); ok {
		if f, ok := r.quotientFixed(num, div); ok {
			return c.Decimal(f), lineFixed{f, true}
		}
	}
	amount := r.Quotient(product(total.Value(), q), div)
	f, ok := exact.Of(amount)
	return amount, lineFixed{f, ok}
}

// lineFixed is a line's amount as an exact.Fixed of the amount's own
// exponent, and false when it does not fit one. A case keeps one beside
// each of its lines (caseState.amounts, not a field of the exported
// Line), so that the sums of its amounts (a customer's total, the bases
// of adjustments, the settlement's totals) add int64s and do not read
// each line's decimal again.
type lineFixed struct {
	f  exact.Fixed
	ok bool
}

// addTo adds the amount of l, whose lineFixed a is, to s: as
// s.Add(l.Amount.Decimal), without reading the decimal when a fits.
func (a lineFixed) addTo(s *exact.Sum, l *Line) {
	if a.ok {
		s.AddFixed(a.f)
		return
	}
	s.Add(l.Amount.Decimal)
}

// numerator returns total × q.Rate, × q.Factor when scaled, in int64,
// and false when a number does not fit (exact.Numerator).
func numerator(total *exact.Sum, q *quantity) (exact.Fixed, bool) {
	n, ok := total.Fixed()
	if !ok {
		return exact.Fixed{}, false
	}
	return exact.Numerator(n, q.Rate, q.Factor, q.Scaled)
}

// product returns total × q.Rate, × q.Factor when scaled: the numerator
// of a line's amount (exact.NumeratorDecimal).
func product(total decimal.Decimal, q *quantity) decimal.Decimal {
	return exact.NumeratorDecimal(total, q.Rate, q.Factor, q.Scaled)
}

// formula writes a line's arithmetic: "420 min × 501 kr/h ÷ 60 = 3507.00".
func formula(l *Line) string {
	var buf [128]byte
	return string(appendFormula(buf[:0], l))
}

// appendFormula appends the line's formula (see formula) to b.
func appendFormula(b []byte, l *Line) []byte {
	unit := l.Unit.String()
	if l.Unit == Days && l.Quantity.Decimal.Equal(decimal.NewFromInt(1)) {
		unit = "dag" // "1 dagar" read wrong (found by attack)
	}
	b = append(append(append(l.Quantity.appendText(b), ' '), unit...), " × "...)
	b = append(append(l.Rate.appendText(b), ' '), l.RateUnit...)
	if l.Factor != nil {
		b = l.Factor.appendText(append(b, " × "...))
	}
	// A rate in % divides by its 100 already: "4793.60 kr × 6 % ÷ 100"
	// read as 0.06 %.
	if l.Divisor != 1 && l.Unit != Kronor {
		b = strconv.AppendInt(append(b, " ÷ "...), l.Divisor, 10)
	}
	return l.Amount.appendText(append(b, " = "...))
}

// lineNote is roundingNote for a line's total × q's rate and factor,
// computed in int64 where the numbers fit (see package exact).
func lineNote(r Rounding, total *exact.Sum, q *quantity, div int64, amount decimal.Decimal) string {
	if num, ok := numerator(total, q); ok {
		if note, ok := roundingNote64(r, num, div, amount); ok {
			return note
		}
	}
	return roundingNote(r, product(total.Value(), q), div, amount)
}

// appendLineNote is lineNote appending to b: it returns b with the note
// appended, or b as it was and the note, where the note is a text of
// the rounding's own (an exact quotient) or is not written in int64.
func appendLineNote(b []byte, r Rounding, total *exact.Sum, q *quantity, div int64, amount decimal.Decimal) ([]byte, string) {
	if num, ok := numerator(total, q); ok {
		if out, note, ok := appendRoundingNote64(b, r, num, div, amount); ok {
			return out, note
		}
	}
	return b, roundingNote(r, product(total.Value(), q), div, amount)
}

// roundingNote64 is roundingNote for a numerator that fits an int64, and
// false when a number on the way does not (TestRoundingNote holds it to
// roundingNote).
func roundingNote64(r Rounding, num exact.Fixed, div int64, amount decimal.Decimal) (string, bool) {
	var buf [128]byte
	b, note, ok := appendRoundingNote64(buf[:0], r, num, div, amount)
	if !ok || note != "" {
		return note, ok
	}
	return string(b), true
}

// appendRoundingNote64 is roundingNote64 appending to b: it returns b
// with the note appended, or b as it was and the rounding's own note of
// an exact quotient (Rounding.exactNote); false when a number on the way
// does not fit an int64.
func appendRoundingNote64(b []byte, r Rounding, num exact.Fixed, div int64, amount decimal.Decimal) ([]byte, string, bool) {
	s6 := r.Scale + 6
	q, ok := Rounding{Scale: s6, Mode: Down}.quo64(num.Coef, int(num.Exp), div, 0) // at exponent −s6
	a, ok2 := exact.Of(amount)
	if !ok || !ok2 || a.Exp < -s6 || num.Exp < -s6 || a.Exp != -r.Scale {
		return b, "", false
	}
	ac, ok1 := a.At(-s6)
	back, ok2 := exact.Mul64(q, div)
	n, ok3 := num.At(-s6)
	if !ok1 || !ok2 || !ok3 {
		return b, "", false
	}
	if ac == q {
		return b, r.exactNote(), true
	}
	b = append(append(b, r.rule()...), ": "...)
	b, _ = exact.Fixed{Coef: q, Exp: -s6}.AppendString(b) // a negative exponent: always written
	if back != n {
		b = append(b, "…"...)
	}
	return a.AppendText(append(b, " → "...)), "", true
}

// roundingNote says how num ÷ div became amount.
func roundingNote(r Rounding, num decimal.Decimal, div int64, amount decimal.Decimal) string {
	exact := Rounding{Scale: r.Scale + 6, Mode: Down}.Quotient(num, div)
	if exact.Equal(amount) {
		return r.exactNote()
	}
	approx := ""
	if !exact.Mul(decimal.NewFromInt(div)).Equal(num) {
		approx = "…"
	}
	return fmt.Sprintf("%s: %s%s → %s", r.rule(), exact.String(), approx, amount.StringFixed(r.Scale))
}

// assemble puts the cases' results together: the lines and what was not
// paid, placed by p in order of provider, then customer, and the totals.
func assemble(in *input, results []caseResult, p *placer) *Settlement {
	s := &Settlement{Period: in.month, Lines: []Line{}, Providers: []ProviderTotal{}, Customers: []CustomerTotal{}, NotPaid: []Unpaid{}}
	// The versions in force in the month.
	for _, v := range in.versions {
		s.Versions = append(s.Versions, VersionRef{Name: v.name, Source: v.source, File: v.file, Digest: v.digest,
			ValidFrom: v.validFrom, ValidTo: v.validTo, Rounding: v.rounding})
	}
	// providerSum is a provider's total being added up.
	type providerSum struct {
		t   ProviderTotal
		sum exact.Sum
	}
	providers := map[string]*providerSum{}
	var total exact.Sum
	s.Customers = make([]CustomerTotal, 0, len(results))
	var last *providerSum
	for i, r := range results {
		ci := in.cases[i]
		ct := r.total
		pt := last
		if pt == nil || pt.t.Provider != ci.provider.ID {
			var ok bool
			if pt, ok = providers[ci.provider.ID]; !ok {
				pt = &providerSum{t: ProviderTotal{Provider: ci.provider.ID, Name: ci.provider.Name, Ownership: ci.provider.Ownership}}
				providers[ci.provider.ID] = pt
			}
			last = pt
		}
		pt.t.Customers++
		pt.sum.AddSum(&r.sum)
		pt.t.add(r.figures)
		total.AddSum(&r.sum)
		s.Customers = append(s.Customers, ct)
	}
	if len(p.lines) > 0 {
		s.Lines = slices.Clip(p.lines)
	}
	if len(p.unpaid) > 0 {
		s.NotPaid = p.unpaid
	}
	for _, i := range p.order {
		s.PossibleDuplicates = append(s.PossibleDuplicates, results[i].duplicates...)
	}
	// Records of no case come last: their customer or provider is not in
	// the dataset.
	s.NotPaid = slices.Clip(append(s.NotPaid, in.unresolved...))
	s.Total.Decimal = total.Value()
	for _, id := range sortedKeys(providers) {
		pt := &providers[id].t
		pt.Amount.Decimal = providers[id].sum.Value()
		pt.computeShare()
		s.Providers = append(s.Providers, *pt)
		s.KeyFigures.add(pt.KeyFigures)
	}
	s.KeyFigures.computeShare()
	return s
}

// bandOrder orders bands as the schedule does; an empty band comes first.
func bandOrder(v *Version, band string) int {
	if band == "" {
		return -1
	}
	return v.schedule.BandIndex(band)
}
