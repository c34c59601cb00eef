package reimbursement

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// prorateParams are the parameters of the monthly strategies
// (fixed_monthly, per_listing): prorate is "days" (the default: days in
// force × rate ÷ days in the month), "none" (any day in force pays the
// whole month) or "min_days" (the whole month when in force at least
// min_days days of it, otherwise nothing, reported below_minimum). A
// month that two tariff versions share is paid by each version for its
// own days; with "none" and "min_days" the whole of a version's days
// (and the days of versions the record is in force on no day of, see
// wholeDays), min_days judged on the days in force across the month's
// versions (a listing of 16 days across a version boundary reaches 15,
// though neither version has 15 of them): the component's days in this
// version and the record's days under the others.
var prorateParams = []paramSpec{
	{Name: "prorate", Kind: paramString, Choices: []string{"days", "none", "min_days"}, Doc: "how a part of a month is paid (default days)"},
	{Name: "min_days", Kind: paramDecimal, Min: "1", Max: "31", Whole: "days", Doc: "least days in force for the whole month (prorate min_days), a whole number 1–31"},
}

// prorateRule returns the component's prorate parameter, "days" by default.
func prorateRule(s *scope) string {
	if p := s.Component.param("prorate"); p != nil {
		return p.String()
	}
	return "days"
}

// versionDays returns the days of the month the scope's version is in
// force on.
func versionDays(s *scope) int {
	n := 0
	for _, vi := range s.c.w.in.dayVersion[:s.Period.Days()] {
		if vi == s.c.vi {
			n++
		}
	}
	return n
}

// otherDays returns the days, under the month's other versions, of the
// case's item units there that the scope's component would pay (see
// wouldPay): what the customer holds of a monthly amount beyond this
// version's days, as one version counts every item its component pays.
// Not an item of the same name with another KSI code, nor the part
// another component pays instead (instead_of), which are other grants.
// The error is wouldPay's.
func otherDays(s *scope) (calendar.DaySet, error) {
	var out calendar.DaySet
	for vi := range s.c.units {
		if vi == s.c.vi {
			continue
		}
		for j := range s.c.units[vi].items {
			o := &s.c.units[vi].items[j]
			pays, err := s.wouldPay(o)
			if err != nil {
				return 0, err
			}
			if pays {
				if r, ok := o.Grant.InForce.Intersect(s.Period.Dates()); ok {
					out.AddRange(r)
				}
			}
		}
	}
	return out, nil
}

// monthZone returns the customer's zone on the first of days, when it is
// not zone: the zone a record paid the whole month is paid in (a
// customer who moves within the month is paid at the first zone's rate,
// under every version: split on the 16th after a move on the 10th, the
// later version paid its days at the new zone's rate, 280.00 for 250.00),
// by every version that prices that zone. A version that does not (a
// later version whose zones are renamed) pays at zone, its own: asked at a
// zone it does not know, its rate and its adjustments' conditions failed
// with rate_error, though its load had checked them at every zone it
// knows (found by attack).
func monthZone(s *scope, days calendar.DaySet, zone string) (string, bool) {
	for day := 1; day <= s.Period.Days(); day++ {
		if days.Has(day) {
			z := s.c.zoneOn(calendar.Date{Year: s.Period.Year, Month: s.Period.Month, Day: day})
			return z, z != zone && slices.Contains(s.Version.zones, z)
		}
	}
	return "", false
}

// wholeDays returns the days of the month the scope's version pays for
// a record paid the whole month (prorate none, or min_days reached),
// inForce being the record's days in force in the month: the days of
// the version, and, when the record is first in force under it, the days
// of the month's versions under which it is in force on no day and the
// days no version covers on which no record the component would pay is
// in force (unpriced, see scope.unpricedDays). So a listing that
// begins on 5 April, with a version that begins that day, is paid the
// whole month, as under one version, not only the later version's 26
// days; and so is one under a book that begins that day (it was paid 26
// of 30 days, and nothing was reported). A day no version covers on which
// such a record is in force is reported no_tariff and not paid.
func wholeDays(s *scope, inForce, unpriced calendar.DaySet) int {
	n := versionDays(s)
	dv := s.c.w.in.dayVersion[:s.Period.Days()]
	var under uint64 // the versions the record is in force under, by index (≤ 31 in a month)
	first := -1
	for day, vi := range dv {
		if vi >= 0 && inForce.Has(day+1) {
			under |= 1 << vi
			if first < 0 {
				first = vi
			}
		}
	}
	if first != s.c.vi {
		return n
	}
	for day, vi := range dv {
		if vi >= 0 && under&(1<<vi) == 0 || vi < 0 && !unpriced.Has(day+1) {
			n++
		}
	}
	return n
}

// monthShare returns the days a monthly amount pays for days in force
// in the version (days) and in the whole month (inForce, across the
// month's versions) under prorate none or min_days, and the
// explanation; 0 when min_days is not reached by the month's days.
//
// held are the days of the month the customer holds a record the
// component might pay, inForce included: a version under which it holds
// one on no day has its days paid by the first version the record is in
// force under (see wholeDays), and unpriced the days no version covers
// on which it holds one (inForce counts the record's own among them, for
// min_days).
func monthShare(s *scope, days int, inForce, held, unpriced calendar.DaySet) (int, string, error) {
	inMonth := inForce.Len()
	whole := wholeDays(s, held, unpriced)
	month := fmt.Sprintf("%d av %d dagar", whole, s.Period.Days())
	if whole == s.Period.Days() {
		month = "hela månaden"
	}
	if prorateRule(s) == "none" {
		return whole, fmt.Sprintf("i kraft %s; prorate none: %s betalas", daysText(days), month), nil
	}
	p := s.Component.param("min_days")
	if p == nil {
		return 0, "", fmt.Errorf("prorate is min_days but no min_days is given")
	}
	m := p.Decimal()
	if !m.IsInteger() || m.LessThan(one) || m.GreaterThan(decimal.NewFromInt(31)) {
		return 0, "", fmt.Errorf("min_days %s is not a whole number 1–31", m)
	}
	if int64(inMonth) < m.IntPart() {
		return 0, fmt.Sprintf("i kraft %s, färre än min_days %s", daysText(inMonth), m), nil
	}
	return whole, fmt.Sprintf("i kraft %s, minst min_days %s: %s betalas", daysText(inMonth), m, month), nil
}

// payMonth pays the groups of a fixed_monthly component under prorate
// none or min_days: once for the customer, on the first group (a
// customer who moves zone within the month is paid at the first zone's
// rate), for the days in force in all groups together. The line names
// every item behind it; below min_days each item is reported with its
// days, so the ledger accounts for them.
func payMonth(s *scope, accs []fixedAcc) error {
	var all calendar.DaySet
	var units []UnitRef
	for i := range accs {
		all |= accs[i].days
		units = append(units, accs[i].units...)
	}
	// The days in force in the month: this version's matched days, and
	// the days under the month's other versions of the items the
	// component would pay there (see otherDays), for min_days as one
	// version counts them, every item the component pays (a fixed alarm
	// to the 10th and a mobile one from the 16th are 25 days; split on the
	// 12th, each version had counted its own, 10 or 15, and paid nothing:
	// found by attack). And a version under which the component would pay
	// the customer another item pays its own days: an alarm replaced by a
	// mobile alarm on the day a version begins was paid the whole month by
	// each version (600.00 for 300.00).
	other, err := otherDays(s)
	if err != nil {
		return err
	}
	held := all | other
	// And the days no version covers on which an item the component would
	// pay is in force: counted toward min_days, not paid.
	unpriced, _, err := s.unpricedDays(func(u *itemUnit, _ *listingUnit) bool { return u != nil })
	if err != nil {
		return err
	}
	n, step, err := monthShare(s, all.Len(), held|unpriced, held, unpriced)
	if err != nil {
		return err
	}
	if n == 0 {
		for i := range s.Items {
			u := &s.Items[i]
			s.NotPaid(itemUnpaid(u, BelowMinimum, 0, u.Grant.Days, step))
		}
		return nil
	}
	q := accs[0].q
	if zone, ok := monthZone(s, held, q.Zone); ok && len(s.Items) > 0 {
		// The first zone's rate, as one version pays (see monthZone).
		e := s.Items[0].Env
		e.baseEnv = s.c.base(zone)
		r := matchNow(&s.c.w.ev, s.Component, s.Version.normalizeItem(e), false)
		if r.err != nil {
			// Not the unit's own rate in silence: the month's is the
			// first zone's.
			return fmt.Errorf("the month's rate in %s: %w", zone, r.err)
		}
		if r.ok {
			q.Zone, q.Rate, q.Lookups, q.Env = zone, r.dec, r.lookups, explainEnv(s, e)
		}
	}
	q.Units = units
	q.Unit = Days
	q.Quantity = exact.IntDecimal(int64(n))
	if s.Explain() {
		q.Steps = []string{step}
	}
	s.Emit(q)
	return nil
}

// settleListingMonths pays each listing under prorate none or min_days:
// once, on its first unit, for its days in force in all units together.
func settleListingMonths(s *scope, g *groups) error {
	days := map[*models.Listing]int{}
	for _, u := range s.Listings {
		days[u.Listing] += u.Days
	}
	for _, u := range s.Listings {
		d, ok := days[u.Listing]
		if !ok {
			continue
		}
		delete(days, u.Listing)
		// The listing's days the component pays: its units here, and
		// those of the other versions it would pay there (a listing paid
		// in tätort only, the customer moving there after a version
		// boundary, was judged by its days in force, and the later
		// version paid its own days only: 600.00 for 1 200.00).
		var held calendar.DaySet
		for _, o := range s.Listings {
			if o.Listing == u.Listing {
				held.AddRange(o.Dates)
			}
		}
		for vi := range s.c.units {
			for j := range s.c.units[vi].listings {
				o := &s.c.units[vi].listings[j]
				if vi == s.c.vi || o.Listing != u.Listing {
					continue
				}
				pays, err := s.wouldPayListing(o)
				if err != nil {
					return err
				}
				if pays {
					held.AddRange(o.Dates)
				}
			}
		}
		// And its days no version covers: they count toward min_days,
		// and are not paid (held is the listing's own days, so these are
		// too).
		_, unpriced, err := s.unpricedDays(func(_ *itemUnit, o *listingUnit) bool { return o != nil && o.Listing == u.Listing })
		if err != nil {
			return err
		}
		n, step, err := monthShare(s, d, held|unpriced, held, unpriced)
		if err != nil {
			return err
		}
		if n == 0 {
			s.NotPaid(Unpaid{Kind: RecordListing, ID: u.Listing.ID, Date: u.Dates.From, Reason: BelowMinimum, Days: d, Detail: step})
			continue
		}
		// The month is paid at the rate of the zone of the listing's
		// first day the component pays, in any version, as one version
		// pays it (see monthZone).
		env, rate, lookups := u.Env, u.Rate, u.Lookups
		if zone, ok := monthZone(s, held, u.Zone); ok {
			e := env
			e.baseEnv = s.c.base(zone)
			r := matchNow(&s.c.w.ev, s.Component, s.Version.normalizeListing(e), false)
			if r.err != nil {
				return fmt.Errorf("listing %s, the month's rate in %s: %w", u.Listing.ID, zone, r.err)
			}
			if r.ok {
				env, rate, lookups = e, r.dec, r.lookups
			}
		}
		q := quantity{Category: listingCategory(u.Listing), Zone: env.Zone, Rate: rate, Lookups: lookups, Env: explainEnv(s, env)}
		g.add(&q, int64(n), UnitRef{Kind: RecordListing, ID: u.Listing.ID, Days: d})
		if s.Explain() {
			g.step(&q, fmt.Sprintf("inskrivning %s: %s", u.Listing.ID, step))
		}
	}
	return g.emit(s, Days)
}
