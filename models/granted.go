package models

import (
	"time"

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
	in, n := d.inForceWithin(p, within)
	if n == 0 {
		return Grant{}
	}
	return d.grant(i, p, in, n, pausedIn(in, d.Customer, absences))
}

// GrantedPaused is GrantedWithin with the customer's paused days of p
// given as a set (see Paused) rather than found in a list of absences, so
// that the absences are read once for all of a customer's items, not once
// per item. With paused = Paused(p, d.Customer, absences) it returns what
// GrantedWithin(i, p, within, absences) does.
func (d *Decision) GrantedPaused(i int, p calendar.Period, within calendar.DateRange, paused calendar.DaySet) Grant {
	in, n := d.inForceWithin(p, within)
	if n == 0 {
		return Grant{}
	}
	var days calendar.DaySet
	days.AddRange(in)
	return d.grant(i, p, in, n, paused&days)
}

// inForceWithin returns the days of within in p on which the decision is
// in force, and their number (0: none).
func (d *Decision) inForceWithin(p calendar.Period, within calendar.DateRange) (calendar.DateRange, int) {
	r, ok := d.InForce()
	if !ok {
		return calendar.DateRange{}, 0
	}
	r, ok = r.Intersect(within)
	if !ok {
		return calendar.DateRange{}, 0
	}
	return p.Overlap(r)
}

// grant is the grant of item i over the n days in of p, of which the days
// in paused are paused.
func (d *Decision) grant(i int, p calendar.Period, in calendar.DateRange, n int, paused calendar.DaySet) Grant {
	g := Grant{InForce: in, Days: n, PausedDays: paused.Len()}
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
	if !validDate(r.From) || !validDate(r.To) {
		// Open or odd ends: a day at a time, as far as the loop goes.
		n := 0
		for d := r.From; !d.After(r.To); d = d.AddDays(1) {
			if Absent(d, customer, absences) {
				n++
			}
		}
		return n
	}
	// Month by month, each through the set of its paused days.
	n := 0
	for from := r.From; !from.After(r.To); {
		last := calendar.Date{Year: from.Year, Month: from.Month, Day: calendar.DaysIn(from.Year, from.Month)}
		to := last
		if r.To.Before(to) {
			to = r.To
		}
		n += pausedIn(calendar.DateRange{From: from, To: to}, customer, absences).Len()
		from = last.AddDays(1)
	}
	return n
}

// Paused returns the days of the period p covered by at least one absence
// of customer, each once however many absences cover it: the set
// Decision.GrantedPaused takes, found once for all of a customer's items.
func Paused(p calendar.Period, customer string, absences []Absence) calendar.DaySet {
	return pausedIn(p.Dates(), customer, absences)
}

// pausedIn returns the days of r, a range of valid dates within one
// month, covered by at least one absence of customer.
func pausedIn(r calendar.DateRange, customer string, absences []Absence) calendar.DaySet {
	var all, paused calendar.DaySet
	all.AddRange(r)
	for i := range absences {
		a := &absences[i]
		// Most absences of a long history end before r: rule them out
		// first, by date.
		if (!a.To.IsZero() && a.To.Before(r.From)) || a.Customer != customer {
			continue
		}
		if in, ok := r.Intersect(a.Dates()); ok {
			paused.AddRange(in)
			if paused == all {
				break
			}
		}
	}
	return paused
}

// validDate reports whether d is a day of the calendar, in the years
// periods may have.
func validDate(d calendar.Date) bool {
	return d.Year >= calendar.MinYear && d.Year <= calendar.MaxYear && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= calendar.DaysIn(d.Year, d.Month)
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
