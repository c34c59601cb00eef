package models

import (
	"errors"
	"fmt"
	"math"
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
	// Err is set when the item's minutes are too large to count in an
	// int (see GrantedItem.Countable): an *InputError naming the
	// decision and the item's field, wrapping ErrTooLarge. Minutes and
	// StaffMinutes are then 0, never a number that wrapped around. It is
	// set too, wrapping ErrNoItem, when the index asked for names no
	// item of the decision; the Grant is then of nothing. A
	// settlement asks for no such grant: it reports the item implausible
	// first (reimbursement.Options.MaxGrantedPerDay), and so does
	// fee.Schedule.Fees.
	Err error
}

// ErrTooLarge is wrapped by the error of a granted item whose minutes
// over a month are too large to count in an int (see
// GrantedItem.Countable).
var ErrTooLarge = errors.New("too large to count")

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
//
// Validate accepts an item of any size, and a settlement reports one
// beyond its plausibility limits; an item too large to count in an int
// (153 722 867 280 912 941 minutes a month, a pasted id) gives a Grant
// of no minutes with Err set (see Grant.Err).
//
// An i that names no item of the decision (below 0, or len(d.Items) or
// more) gives a Grant of nothing with Err set: an *InputError naming the
// decision and the item, wrapping ErrNoItem.
func (d *Decision) Granted(i int, p calendar.Period, absences []Absence) Grant {
	return d.GrantedWithin(i, p, p.Dates(), absences)
}

// ErrNoItem is wrapped by the Grant.Err of an item index that names no
// item of the decision.
var ErrNoItem = errors.New("no such item")

// noItem returns the Grant of an index i that names no item of d, or
// false when it names one.
func (d *Decision) noItem(i int) (Grant, bool) {
	if i >= 0 && i < len(d.Items) {
		return Grant{}, false
	}
	has := "no items"
	if n := len(d.Items); n > 0 {
		has = fmt.Sprintf("%d items, items[0] to items[%d]", n, n-1)
	}
	return Grant{Err: &InputError{Record: "decisions", Index: -1, ID: d.ID, Field: fmt.Sprintf("items[%d]", i),
		Err: fmt.Errorf("%w: the decision has %s", ErrNoItem, has)}}, true
}

// GrantedWithin is Granted restricted to the dates within (which should
// lie inside p): the part of a month priced by one tariff version, or
// spent in one zone. Monthly items are still prorated by the days of the
// whole month.
func (d *Decision) GrantedWithin(i int, p calendar.Period, within calendar.DateRange, absences []Absence) Grant {
	if g, bad := d.noItem(i); bad {
		return g
	}
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
	if g, bad := d.noItem(i); bad {
		return g
	}
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
	c, err := item.count(g.PaidDays, p.Days())
	if err != nil {
		err.Record, err.ID, err.Field = "decisions", d.ID, fmt.Sprintf("items[%d].%s", i, err.Field)
		g.Err = err
		return g
	}
	g.Minutes, g.StaffMinutes = c.minutes, c.staffMinutes
	return g
}

// Countable returns nil when the item's granted minutes over days days
// of a month of monthDays days can be counted in an int: its exact
// minutes (Prorate), rounded (MinutesFor) and times its staff, with no
// product that overflows. Otherwise it returns an *InputError naming the
// item's field (minutes_per_month, or minutes and times), wrapping
// ErrTooLarge; it returns one not wrapping it for a negative number of
// days, or a month of no days an item is prorated by (which a period
// never has). Prorate, MinutesFor, OccurrencesFor and MonthlyMinutes
// give 0 for an item and days Countable refuses, never a number that
// wrapped around. Validate accepts items of any size (a settlement
// reports those beyond its plausibility limits, which are all
// countable), so a caller of these on data that has not been through
// such limits checks Countable first.
func (g *GrantedItem) Countable(days, monthDays int) error {
	if _, err := g.count(days, monthDays); err != nil {
		return err
	}
	return nil
}

// counted is an item's granted minutes over some days of a month.
type counted struct {
	num, den     int // the exact minutes num ÷ den
	minutes      int // rounded half up
	staffMinutes int // minutes × staff
}

// count counts the item's granted minutes over days days of a month of
// monthDays days, or says why they cannot be counted in an int.
func (g *GrantedItem) count(days, monthDays int) (counted, *InputError) {
	var c counted
	ok := true
	switch {
	case g.MinutesPerMonth > 0:
		c.num, ok = mulInt(g.MinutesPerMonth, days)
		c.den = monthDays
	case g.Per == PerDay || g.Per == PerWeek || g.Per == PerMonth:
		c.num, ok = mulInt(g.Minutes, g.Times)
		if ok {
			c.num, ok = mulInt(c.num, days)
		}
		switch g.Per {
		case PerDay:
			c.den = 1
		case PerWeek:
			c.den = 7
		default:
			c.den = monthDays
		}
	default:
		return counted{den: 1}, nil
	}
	if ok && c.den > 0 && days >= 0 {
		// (2 × num + den) ÷ (2 × den): num ÷ den rounded half up.
		twice, ok1 := mulInt(c.num, 2)
		twice, ok2 := addInt(twice, c.den)
		den2, ok3 := mulInt(c.den, 2)
		if ok1 && ok2 && ok3 {
			c.minutes = twice / den2
			if c.staffMinutes, ok = mulInt(c.minutes, g.Staff()); ok {
				return c, nil
			}
		}
	}
	return counted{}, g.uncountable(days, monthDays, c.den)
}

// uncountable is the error of count for an item whose minutes over days
// days of a month of monthDays days (den the denominator of its
// proration) cannot be counted.
func (g *GrantedItem) uncountable(days, monthDays, den int) *InputError {
	field, what := "minutes", fmt.Sprintf("%d min × %d times per %s", g.Minutes, g.Times, g.Per)
	if g.MinutesPerMonth > 0 {
		field, what = "minutes_per_month", fmt.Sprintf("%d minutes a month", g.MinutesPerMonth)
	}
	var err error
	switch {
	case days < 0 || den <= 0:
		err = fmt.Errorf("%s cannot be prorated over %d days of a month of %d days", what, days, monthDays)
	default:
		err = fmt.Errorf("%w: %s over %d days of a %d-day month is more minutes than an int holds (%d)", ErrTooLarge, what, days, monthDays, math.MaxInt)
	}
	return &InputError{Index: -1, Field: field, Err: err}
}

// mulInt returns a × b, and false when it overflows an int.
func mulInt(a, b int) (int, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if (c < 0) != ((a < 0) != (b < 0)) || c/b != a {
		return 0, false
	}
	return c, true
}

// addInt returns a + b, and false when it overflows an int.
func addInt(a, b int) (int, bool) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		return 0, false
	}
	return c, true
}

// MinutesFor returns the item's granted minutes for days days of a month
// of monthDays days, prorated exactly and rounded half up to a whole
// minute once (see Decision.Granted); 0 when Countable refuses them.
func (g *GrantedItem) MinutesFor(days, monthDays int) int {
	c, _ := g.count(days, monthDays)
	return c.minutes
}

// Prorate returns the item's exact granted minutes for days days of a
// month of monthDays days as the fraction num ÷ den, before rounding;
// 0 ÷ 1 when Countable refuses them.
func (g *GrantedItem) Prorate(days, monthDays int) (num, den int) {
	c, err := g.count(days, monthDays)
	if err != nil {
		return 0, 1
	}
	return c.num, c.den
}

// OccurrencesFor returns how many times the item is granted in days days
// of a month of monthDays days: times × days (per day), × days ÷ 7 (per
// week) or × days ÷ monthDays (per month), rounded half up once. An item
// granted as minutes per month has no occurrences and gives 0, and so
// does one whose minutes Countable refuses.
func (g *GrantedItem) OccurrencesFor(days, monthDays int) int {
	if g.MinutesPerMonth > 0 || g.Minutes <= 0 {
		return 0
	}
	c, err := g.count(days, monthDays)
	if err != nil {
		return 0
	}
	// Prorate counts minutes × times; every term has the factor
	// Minutes. num is no larger than the counted num, so nothing below
	// overflows.
	num := c.num / g.Minutes
	return (2*num + c.den) / (2 * c.den)
}

// MonthlyMinutes returns the item's granted minutes over a whole month of
// monthDays days, for one staff member: the measure level decisions
// (nivåbeslut) are banded by; 0 when Countable refuses them.
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
