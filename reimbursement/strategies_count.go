package reimbursement

import (
	"fmt"
	mathbits "math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
	"github.com/hemtjanst/ersattning/reimbursement/internal/set"
)

// The strategies that count visits, days, events and activities.

// ---- per_visit -----------------------------------------------------------

// perVisit pays an amount per matching visit (per insats), by the zone
// and the band the visit counts in (home visits by licensed staff, night
// visits). band chooses that band: "start" (the default: the band of the
// visit's first minute), "end" (of its last minute) or "longest" (the
// band it spends most time in, ties to the earlier); when and rate see it
// as band, and day_kind as the kind of day of that band: of the last
// minute for "end", and for "longest" the day on which the visit spends
// most of that band's time; beside start_band, end_band, longest_band and
// bands.
// require_decision (default false) and declined_share work as for
// performed_time; a declined visit's share is of the visit amount.
type perVisit struct{}

func (perVisit) Unit() unitKind { return unitVisit }

func (perVisit) Params() []paramSpec {
	return []paramSpec{
		{Name: "require_decision", Kind: paramBool, Doc: "pay only visits a decision covers (default false)"},
		{Name: "declined_share", Kind: paramExpr, Min: shareMin, Max: shareMax, Doc: "share of a declined visit paid"},
		{Name: "band", Kind: paramString, Choices: []string{"start", "end", "longest"}, Doc: "the band a visit counts in (default start)"},
	}
}

// bandChoice returns how a visit component's band param sets the band a
// visit's environment e counts in, and its day_kind (u's endKind or
// longestKind); without one they are the start's.
func bandChoice(comp *Component) func(e visitEnv, u *visitUnit) visitEnv {
	p := comp.param("band")
	if p == nil {
		return sameBand
	}
	switch p.String() {
	case "end":
		return func(e visitEnv, u *visitUnit) visitEnv { e.Band, e.DayKind = e.EndBand, u.endKind.String(); return e }
	case "longest":
		return func(e visitEnv, u *visitUnit) visitEnv {
			e.Band, e.DayKind = e.LongestBand, u.longestKind.String()
			return e
		}
	}
	return sameBand
}

func sameBand(e visitEnv, _ *visitUnit) visitEnv { return e }

// matchVisits matches the visits of a per-visit component, each in the
// band its band parameter chooses.
func (c *caseState) matchVisits(comp *Component, us []visitUnit, env func(int) visitEnv, ex *exclusion, matched []bool) []visitUnit {
	choose, band := bandChoice(comp), comp.param("band")
	ids := c.w.visitIDs
	if band != nil && band.String() != "start" {
		// The chosen band's kind of day is the visit's (endKind,
		// longestKind), not its environment's: visits of one number in
		// the memo can be matched and priced differently, so each is
		// matched by the environment it is seen in (found by attack: a
		// visit into a Saturday night took the match of one of the same
		// environment ending on the Friday, before it in its case or in
		// the worker's case before).
		ids = nil
	}
	out := matchUnits(c, comp, c.w.ev.visits, c.w.vmemo, us, c.w.visits[:0], nil, ids, ex.visit(us),
		func(i int) visitEnv { return choose(env(i), &us[i]) }, matched)
	if band == nil {
		return out
	}
	for k := range out {
		e := choose(*out[k].Env, &out[k])
		out[k].Env = c.w.keepEnv(&e)
		out[k].Band = e.Band
	}
	return out
}

func (perVisit) Settle(s *scope) error {
	needDecision := requireDecision(s, false)
	g, declined := newGroups(s), newDeclined(s)
	for _, u := range s.Visits {
		q := quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainVisit(s, u.Env)}
		// A declined visit no decision covers is not paid either: the
		// decision is checked first (found by attack: declined visits
		// before a decision was started were paid their share).
		if needDecision && !u.HasDecision {
			s.notCovered(u.Visit, u.Category, 0)
			continue
		}
		if u.Visit.Declined {
			if err := declined.add(s, *u.Env, q, 1, u.Visit, u.Date, -1); err != nil {
				return err
			}
			continue
		}
		g.add(&q, 1, UnitRef{Kind: RecordVisit, ID: u.Visit.ID})
	}
	if err := g.emit(s, Visits); err != nil {
		return err
	}
	return declined.emit(s, Visits)
}

// ---- per_listing -------------------------------------------------------

// perListing pays an amount per enrolled journal (listning) per month,
// by default prorated by the days enrolled: days × rate ÷ days in the
// month; prorate chooses otherwise (see prorateParams).
type perListing struct{}

func (perListing) Unit() unitKind        { return unitListing }
func (perListing) Params() []paramSpec   { return prorateParams }
func (perListing) Settle(s *scope) error { return settleListings(s) }

func settleListings(s *scope) error {
	g := newGroups(s)
	if prorateRule(s) != "days" {
		return settleListingMonths(s, g)
	}
	for _, u := range s.Listings {
		q := quantity{Category: listingCategory(u.Listing), Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		g.add(&q, int64(u.Days), UnitRef{Kind: RecordListing, ID: u.Listing.ID, Days: u.Days})
		if s.Explain() {
			g.step(&q, fmt.Sprintf("inskrivning %s %s: %d av %d dagar", u.Listing.ID, u.Dates, u.Days, s.Period.Days()))
		}
	}
	return g.emit(s, Days)
}

// listingCategory is the category a listing is paid in.
func listingCategory(l *models.Listing) models.Category {
	if l.Kind == models.ListingRehabilitation {
		return models.Rehabilitation
	}
	return models.HomeHealthCare
}

// ---- fixed_monthly -----------------------------------------------------

// fixedMonthly pays an amount per customer per month for matching granted
// items (a safety alarm, often a subscription item without minutes), by
// default prorated by the days any of them is in force: days × rate ÷
// days in the month; prorate chooses otherwise (see prorateParams).
// Pauses do not stop it.
type fixedMonthly struct{}

func (fixedMonthly) Unit() unitKind      { return unitItem }
func (fixedMonthly) Params() []paramSpec { return prorateParams }

// fixedAcc is what fixed_monthly adds up for one line: the first
// quantity, the days in force and the items of its group.
type fixedAcc struct {
	key   groupKey
	q     quantity
	days  calendar.DaySet // the days in force
	units []UnitRef
	envs  envSet
}

func (fixedMonthly) Settle(s *scope) error {
	// The groups in the worker's scratch, in order of first appearance,
	// each found by comparing keys: a customer has a group or two (a
	// category, zone and rate each); past groupScan of them, by an index.
	w := s.c.w
	accs := w.fixed[:0]
	var index map[groupKey]int
	for i := range s.Items {
		u := &s.Items[i]
		q := quantity{Category: u.Item.Category, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups}
		k := groupKey{cat: q.Category, zone: q.Zone, rate: exact.KeyOf(q.Rate)}
		at, ok := -1, false
		if index != nil {
			if at, ok = index[k]; !ok {
				at = -1
			}
		} else {
			at = slices.IndexFunc(accs, func(a fixedAcc) bool { return a.key == k })
		}
		if at < 0 {
			at = len(accs)
			if at < cap(accs) {
				accs = accs[:at+1]
				accs[at] = fixedAcc{key: k, q: q, units: accs[at].units[:0]} // its buffer kept
			} else {
				accs = append(accs, fixedAcc{key: k, q: q})
			}
			switch {
			case index != nil:
				index[k] = at
			case len(accs) > groupScan:
				index = make(map[groupKey]int, 2*len(accs))
				for j := range accs {
					index[accs[j].key] = j
				}
			}
		}
		a := &accs[at]
		a.days.AddRange(u.Grant.InForce)
		a.units = append(a.units, itemRef(u, 0, u.Grant.Days))
		a.envs.add(explainEnv(s, u.Env), &w.explainMem)
	}
	w.fixed = accs
	if prorateRule(s) != "days" {
		return payMonth(s, accs)
	}
	for i := range accs {
		a := &accs[i]
		q := a.q
		q.Unit = Days
		days := a.days.Len()
		q.Quantity = exact.IntDecimal(int64(days))
		q.Units, q.Envs = a.units, &a.envs
		if s.Explain() {
			b := strconv.AppendInt(append(make([]byte, 0, 32), "i kraft "...), int64(days), 10)
			b = strconv.AppendInt(append(b, " av "...), int64(s.Period.Days()), 10)
			q.Steps = []string{string(append(b, " dagar"...))}
		}
		s.Emit(q)
	}
	return nil
}

// ---- per_occurrence ----------------------------------------------------

// perOccurrence pays an amount per matching event (an alarm call
// answered, a meal delivered), by zone and the band of its time.
type perOccurrence struct{}

func (perOccurrence) Unit() unitKind      { return unitEvent }
func (perOccurrence) Params() []paramSpec { return nil }

func (perOccurrence) Settle(s *scope) error {
	g := newGroups(s)
	for _, u := range s.Events {
		g.add(&quantity{Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}, 1,
			UnitRef{Kind: RecordAlarmEvent, ID: u.Event.ID})
	}
	return g.emit(s, Occurrences)
}

// ---- level -------------------------------------------------------------

// level pays a fixed monthly amount by the level (nivå) the customer's
// granted hours fall in. levels lists the levels by their lower bound in
// hours per month; the rate expression sees the level's name as level,
// e.g. table("nivå", level), and so does the when, at matching (see
// caseState.matchLevels: the pool whose hours set the level is then the
// items the when matches at some level, and an item is paid on the days
// its when holds at the day's level, its other days reported). A day's
// hours are the granted time over a whole month (staff hours) of the
// matching items in force that day, and
// each day is paid at its level, in the customer's zone that day: the
// amount is the level's rate prorated by the days at it. A decision
// renewed mid-month with the same items keeps the customer's level;
// items in force together add up. A day an absence pauses the decision
// (a hospital stay, short-term care) is not paid, as granted_time does
// not pay it, and is reported absent; the pause does not change the
// level of the other days, which is that of the month's grant.
type level struct{}

func (level) Unit() unitKind     { return unitItem }
func (level) PricesItself() bool { return true }

func (level) Params() []paramSpec {
	return []paramSpec{{Name: "levels", Kind: paramLevels, Required: true, Doc: "levels of granted hours per month, each from its from_hours"}}
}

// levelDays is a level, in one zone, and the days of the month at it;
// unit is the index of an item unit of those days, whose zone and
// environment price them.
type levelDays struct {
	band     levelBand
	minutes  int64
	category models.Category
	days     calendar.DaySet
	unit     int
}

func (level) Settle(s *scope) error {
	monthDays := s.Period.Days()
	// The staff minutes a month of the pool's items in force on each day
	// (the matched items, or those matchLevels pooled), and the first unit
	// paid on it (an item's unit of one zone and version is in force on
	// days no other unit of the item is), whose zone prices the day.
	pool := s.Items
	if s.levelPool != nil {
		pool = s.levelPool
	}
	perDay := levelMinutes(pool, monthDays)
	var unitOf [32]int
	var inForce calendar.DaySet
	for i := range s.Items {
		d := levelPaidOn(&s.Items[i])
		for day := 1; day <= monthDays; day++ {
			if d.Has(day) && !inForce.Has(day) {
				unitOf[day] = i
			}
		}
		inForce |= d
	}
	bands := s.Component.param("levels").Levels()
	at := levelsByDay(bands, &perDay, monthDays)
	levels := s.c.w.levelDays[:0] // the worker's: no allocation a case
	defer func() { s.c.w.levelDays = levels[:0] }()
	for i := range s.Items {
		reportPaused(s, &s.Items[i])
		reportOtherLevels(s, &s.Items[i], bands, &at)
	}
	// A day's category is that of the items paid on it when they are of
	// one, and none when of several: the first item's would put the
	// others' money under it (a shower's under service, in the CSV's
	// category and an invoice line's text). Taken day by day, a day's
	// money has the same category whichever tariff version it falls
	// under (a month split between versions, each seeing its own days'
	// items, gives the lines of one version, line by line).
	var dayCat [32]models.Category // CategoryUnknown (0) on days of none or several
	type catDays struct {
		cat  models.Category
		days calendar.DaySet
	}
	byCat := make([]catDays, 0, 8) // a month's pool has few categories
	for i := range s.Items {
		c, d := s.Items[i].Item.Category, levelPaidOn(&s.Items[i])
		k := slices.IndexFunc(byCat, func(x catDays) bool { return x.cat == c })
		if k < 0 {
			k = len(byCat)
			byCat = append(byCat, catDays{cat: c})
		}
		byCat[k].days |= d
	}
	var some, several calendar.DaySet // days of at least one category, of two
	for _, x := range byCat {
		several |= some & x.days
		some |= x.days
	}
	for _, x := range byCat {
		for alone := x.days &^ several; alone != 0; alone &= alone - 1 {
			dayCat[mathbits.TrailingZeros32(uint32(alone))+1] = x.cat
		}
	}
	// last is the level of the day paid before, lastDay that day: a day
	// of its band, minutes, unit (so zone) and category has its level,
	// which is then not looked for (most days are alike).
	last, lastDay := -1, 0
	for day := 1; day <= monthDays; day++ {
		if !inForce.Has(day) || s.c.paused.Has(day) {
			continue
		}
		k := last
		if last < 0 || at[day] != at[lastDay] || perDay[day] != perDay[lastDay] || unitOf[day] != unitOf[lastDay] || dayCat[day] != dayCat[lastDay] {
			b := bands[at[day]]
			zone := s.Items[unitOf[day]].Zone
			k = slices.IndexFunc(levels, func(l levelDays) bool {
				return l.band.Name == b.Name && l.minutes == perDay[day] && s.Items[l.unit].Zone == zone && l.category == dayCat[day]
			})
			if k < 0 {
				k = len(levels)
				levels = append(levels, levelDays{band: b, minutes: perDay[day], category: dayCat[day], unit: unitOf[day]})
			}
		}
		levels[k].days |= 1 << (day - 1)
		last, lastDay = k, day
	}
	allPaused := len(levels) == 0 && inForce != 0
	if allPaused {
		// Every day in force is paused: a line of no days at the level of
		// the first, as granted time pays an item all of whose days are
		// paused no minutes, so that the visits of the pool's categories
		// on those days stay paid for by the component's line, in a
		// month split between tariff versions as in one. Its units are
		// every item in force, its category theirs when they have one.
		first := 1
		for !inForce.Has(first) {
			first++
		}
		category := models.CategoryUnknown
		if len(byCat) == 1 {
			category = byCat[0].cat
		}
		levels = append(levels, levelDays{band: bands[at[first]], minutes: perDay[first], category: category, unit: unitOf[first]})
	}
	for _, l := range levels {
		u := s.Items[l.unit]
		// The units behind the days at this level: each item's days
		// among them (every item in force, of no days, when all are
		// paused).
		refs := s.c.w.levelRefs[:0] // emit copies them
		var pools categories
		for i := range s.Items {
			it := &s.Items[i]
			if n := (levelPaidOn(it) & l.days).Len(); n > 0 || (allPaused && levelPaidOn(it) != 0) {
				refs = append(refs, itemRef(it, 0, n))
				pools.add(it.Item.Category)
			}
		}
		s.c.w.levelRefs = refs
		env := u.Env
		env.Level = l.band.Name
		r := s.rate(env)
		if r.err != nil {
			return r.err
		}
		n := l.days.Len()
		q := quantity{Category: l.category, Zone: u.Zone, Unit: Days, Rate: r.dec, Lookups: r.lookups, Env: explainEnv(s, env),
			Quantity: exact.IntDecimal(int64(n)), Units: refs, pools: pools}
		if s.Explain() {
			// The items whose hours set the level: the pool's in force
			// on these days.
			var names []string
			var named set.Small[string]
			for i := range pool {
				var d calendar.DaySet
				d.AddRange(pool[i].Grant.InForce)
				if nm := itemName(pool[i].Item); (d&l.days != 0 || allPaused && d != 0) && named.Add(nm) {
					names = append(names, nm)
				}
			}
			q.Steps = []string{levelStep(l.minutes, names, l.band, n, monthDays)}
		}
		s.Emit(q)
	}
	return nil
}

// levelMinutes returns the staff minutes a month of the items of us in
// force on each day of a month of monthDays: the granted time whose
// level is the day's.
func levelMinutes(us []itemUnit, monthDays int) [32]int64 {
	var perDay [32]int64
	for i := range us {
		u := &us[i]
		var d calendar.DaySet
		d.AddRange(u.Grant.InForce)
		m := int64(u.Item.MonthlyMinutes(monthDays) * u.Item.Staff())
		for day := 1; day <= monthDays; day++ {
			if d.Has(day) {
				perDay[day] += m
			}
		}
	}
	return perDay
}

// levelPaidOn returns the days a level component pays an item unit on:
// those matchLevels matched it on, or its days in force.
func levelPaidOn(u *itemUnit) calendar.DaySet {
	if u.levelMatched {
		return u.levelDays
	}
	return inForceDays(u)
}

// inForceDays returns the days an item unit is in force.
func inForceDays(u *itemUnit) calendar.DaySet {
	var d calendar.DaySet
	d.AddRange(u.Grant.InForce)
	return d
}

// reportOtherLevels reports the days, not paused, of an item unit that
// matchLevels did not match it on: days at a level the component's when
// excludes (category == 'care' && level == '2' of a month at level 1
// until a second item from the 15th adds hours), which another component
// may pay. Together with the days paid and those paused they are the
// unit's days in force.
func reportOtherLevels(s *scope, u *itemUnit, bands []levelBand, at *[32]int) {
	if !u.levelMatched {
		return
	}
	rest := inForceDays(u) &^ u.levelDays &^ s.c.paused
	n := rest.Len()
	if n == 0 {
		return
	}
	var names []string
	for day := 1; day <= s.Period.Days(); day++ {
		if nm := bands[at[day]].Name; rest.Has(day) && !slices.Contains(names, nm) {
			names = append(names, nm)
		}
	}
	s.NotPaid(itemUnpaid(u, NoComponent, 0, n,
		fmt.Sprintf("%s på nivå %s, där komponentens villkor inte gäller", daysText(n), strings.Join(names, ", "))))
}

// levelStep writes the step of a level's line: "beviljat 12.5 h i
// månaden (Dusch, Städ) → nivå 2 (från 10 h); 30 av 30 dagar på den",
// appended rather than formatted (TestLevelStep holds it to fmt).
func levelStep(minutes int64, names []string, band levelBand, days, monthDays int) string {
	var buf [192]byte
	b := appendHours(append(buf[:0], "beviljat "...), minutes)
	b = append(b, " h i månaden ("...)
	for i, nm := range names {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, nm...)
	}
	b = appendDecimal(append(append(append(b, ") → nivå "...), band.Name...), " (från "...), band.FromHours)
	b = strconv.AppendInt(append(b, " h); "...), int64(days), 10)
	b = strconv.AppendInt(append(b, " av "...), int64(monthDays), 10)
	return string(append(b, " dagar på den"...))
}

// appendHours appends hoursOf(minutes) as its String writes it, in
// int64 where it fits.
func appendHours(b []byte, minutes int64) []byte {
	if hc, ok := (Rounding{Scale: 4, Mode: HalfUp}).quo64(minutes, 0, 60, 0); ok {
		b, _ = exact.Fixed{Coef: hc, Exp: -4}.AppendString(b) // a negative exponent: always written
		return b
	}
	return append(b, hoursOf(minutes).String()...)
}

// hoursOf is minutes ÷ 60 rounded half away from zero to four decimals.
func hoursOf(minutes int64) decimal.Decimal {
	if hc, ok := (Rounding{Scale: 4, Mode: HalfUp}).quo64(minutes, 0, 60, 0); ok {
		return exact.Fixed{Coef: hc, Exp: -4}.Decimal()
	}
	return exact.IntDecimal(minutes).DivRound(exact.IntDecimal(60), 4)
}

// levelsByDay returns, by day of a month of monthDays, the index among
// bands of the level of the day's minutes (see levelIndex), found once
// for each run of days with the same minutes: a month has few.
func levelsByDay(bands []levelBand, perDay *[32]int64, monthDays int) [32]int {
	var at [32]int
	for day := 1; day <= monthDays; day++ {
		if day > 1 && perDay[day] == perDay[day-1] {
			at[day] = at[day-1]
		} else {
			at[day] = levelIndex(bands, perDay[day])
		}
	}
	return at
}

// levelIndex returns the index of the band minutes a month fall in: the
// last whose lower bound the hours (hoursOf) reach, the first when none;
// compared in int64 where they fit.
func levelIndex(bands []levelBand, minutes int64) int {
	hc, hok := Rounding{Scale: 4, Mode: HalfUp}.quo64(minutes, 0, 60, 0)
	h := exact.Fixed{Coef: hc, Exp: -4}
	at := 0
	for i, b := range bands {
		from, ok := exact.Of(b.FromHours)
		c, cok := h.Cmp(from)
		if !hok || !ok || !cok {
			c = hoursOf(minutes).Cmp(b.FromHours)
		}
		if c >= 0 {
			at = i
		}
	}
	return at
}

// ---- per_activity --------------------------------------------------------

// perActivity pays a price per granted activity (pris per insats): the
// occurrences of each matching item on the days it is in force, less
// pauses (times × days, ÷ 7 for a weekly frequency, ÷ days in the month
// for a monthly one, rounded half up once a month, with a renewal's, and
// shared out among the item's parts of each zone and tariff version by
// largest remainder, see shareGrants), twice for an item ordered with
// double staffing, at the rate, usually a price list by KSI code:
// table("aktivitet", ksi). Items granted as minutes per month have no
// occurrences and are reported unpaid (no_component), their paid days
// with those days' minutes, their paused days absent apart.
type perActivity struct{}

func (perActivity) Unit() unitKind      { return unitItem }
func (perActivity) Params() []paramSpec { return nil }

func (perActivity) Settle(s *scope) error {
	g := newGroups(s)
	for i := range s.Items {
		u := &s.Items[i]
		reportPaused(s, u)
		if u.Item.MinutesPerMonth > 0 {
			// Its paid days and their minutes; the paused days are
			// absent apart (reportPaused), so that minutes and days
			// agree.
			if u.Grant.PaidDays > 0 {
				s.NotPaid(itemUnpaid(u, NoComponent, int64(u.Grant.StaffMinutes), u.Grant.PaidDays,
					itemName(u.Item)+" is granted as minutes per month, not as activities"))
			}
			continue
		}
		n := u.occurrences * u.Item.Staff()
		q := quantity{Category: u.Item.Category, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		g.add(&q, int64(n), itemRef(u, 0, u.Grant.PaidDays))
		if s.Explain() {
			g.step(&q, fmt.Sprintf("beslut %s, %s: %d × per %s, %d betalda dagar, %d personal → %d aktiviteter",
				u.Decision.ID, itemName(u.Item), u.Item.Times, u.Item.Per.Swedish(), u.Grant.PaidDays, u.Item.Staff(), n))
		}
	}
	return g.emit(s, Occurrences)
}
