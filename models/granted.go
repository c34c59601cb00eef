package models

import (
	"github.com/hemtjanst/ersattning/calendar"
)

// Grant is the granted time (beviljad tid) of one decision item over one
// settlement period.
type Grant struct {
	// InForce is the part of the period in which the item is payable: from
	// the start of execution to the end of the decision.
	InForce calendar.DateRange
	// Days is the number of days in InForce; PausedDays of them are covered
	// by absences; PaidDays = Days − PausedDays.
	Days, PausedDays, PaidDays int
	// Minutes is the granted time of the paid days, in minutes for one
	// staff member, prorated by days and rounded half up to whole minutes.
	Minutes int
	// StaffMinutes is Minutes times the staff ordered (2 with double
	// staffing).
	StaffMinutes int
}

// Granted returns the granted minutes of item i of the decision in the
// period p: the item's time prorated by the days the decision is in force
// in the period (from the day execution started to the end of the
// decision), less the days covered by the customer's absences (a day
// covered by several absences is paused once). Absences of other customers
// are ignored.
//
// Proration is exact until one final rounding, half up to a whole minute:
//
//	per day:   minutes × times × paid days
//	per week:  minutes × times × paid days ÷ 7
//	per month: minutes × times × paid days ÷ days in the month
//	monthly:   minutes_per_month × paid days ÷ days in the month
//
// So 30 minutes twice a week, started on the 10th of a 30-day month, is
// 30 × 2 × 21 ÷ 7 = 180 minutes.
func (d *Decision) Granted(i int, p calendar.Period, absences []Absence) Grant {
	return d.GrantedWithin(i, p, p.Dates(), absences)
}

// GrantedWithin is Granted restricted to the dates within (which should
// lie inside p): the part of a month priced by one tariff version, or
// spent in one zone. Monthly items are still prorated by the days of the
// whole month.
func (d *Decision) GrantedWithin(i int, p calendar.Period, within calendar.DateRange, absences []Absence) Grant {
	var g Grant
	r, ok := d.InForce()
	if !ok {
		return g
	}
	r, ok = r.Intersect(within)
	if !ok {
		return g
	}
	in, n := p.Overlap(r)
	if n == 0 {
		return g
	}
	g.InForce, g.Days = in, n
	g.PausedDays = PausedDays(in, d.Customer, absences)
	g.PaidDays = g.Days - g.PausedDays
	item := &d.Items[i]
	g.Minutes = item.MinutesFor(g.PaidDays, p.Days())
	g.StaffMinutes = g.Minutes * item.Staff()
	return g
}

// MinutesFor returns the item's granted minutes for days days of a month
// of monthDays days, prorated exactly and rounded half up to a whole
// minute once (see Decision.Granted).
func (g *GrantedItem) MinutesFor(days, monthDays int) int {
	num, den := g.Prorate(days, monthDays)
	return (2*num + den) / (2 * den)
}

// Prorate returns the item's exact granted minutes for days days of a
// month of monthDays days as the fraction num ÷ den, before rounding.
func (g *GrantedItem) Prorate(days, monthDays int) (num, den int) {
	switch {
	case g.MinutesPerMonth > 0:
		return g.MinutesPerMonth * days, monthDays
	case g.Per == PerDay:
		return g.Minutes * g.Times * days, 1
	case g.Per == PerWeek:
		return g.Minutes * g.Times * days, 7
	case g.Per == PerMonth:
		return g.Minutes * g.Times * days, monthDays
	}
	return 0, 1
}

// OccurrencesFor returns how many times the item is granted in days days
// of a month of monthDays days: times × days (per day), × days ÷ 7 (per
// week) or × days ÷ monthDays (per month), rounded half up once. An item
// granted as minutes per month has no occurrences and gives 0.
func (g *GrantedItem) OccurrencesFor(days, monthDays int) int {
	if g.MinutesPerMonth > 0 || g.Minutes <= 0 {
		return 0
	}
	num, den := g.Prorate(days, monthDays)
	num /= g.Minutes // Prorate counts minutes × times; every term has the factor Minutes
	return (2*num + den) / (2 * den)
}

// MonthlyMinutes returns the item's granted minutes over a whole month of
// monthDays days, for one staff member: the measure level decisions
// (nivåbeslut) are banded by.
func (g *GrantedItem) MonthlyMinutes(monthDays int) int { return g.MinutesFor(monthDays, monthDays) }

// PausedDays returns how many days of r are covered by at least one
// absence of the customer.
func PausedDays(r calendar.DateRange, customer string, absences []Absence) int {
	n := 0
	for d := r.From; !d.After(r.To); d = d.AddDays(1) {
		if Absent(d, customer, absences) {
			n++
		}
	}
	return n
}

// Absent reports whether an absence of customer covers date d.
func Absent(d calendar.Date, customer string, absences []Absence) bool {
	for i := range absences {
		if absences[i].Customer == customer && absences[i].Dates().Contains(d) {
			return true
		}
	}
	return false
}
