package calendar

import (
	"fmt"
	"time"
)

// DateRange is an inclusive range of civil dates [From, To], the way
// decisions, listings and absences are written ("from 2024-01-10 to
// 2024-01-31"). A zero To means the range is open-ended; a zero From means
// it has no start.
type DateRange struct {
	From Date `json:"from"`
	To   Date `json:"to,omitzero"`
}

// Contains reports whether d lies in r.
func (r DateRange) Contains(d Date) bool {
	return (r.From.IsZero() || !d.Before(r.From)) && (r.To.IsZero() || !d.After(r.To))
}

// Intersect returns the dates that r and s have in common, and false when
// they have none. Open ends stay open only when both ranges are open there.
func (r DateRange) Intersect(s DateRange) (DateRange, bool) {
	out := r
	if out.From.IsZero() || (!s.From.IsZero() && s.From.After(out.From)) {
		out.From = s.From
	}
	if out.To.IsZero() || (!s.To.IsZero() && s.To.Before(out.To)) {
		out.To = s.To
	}
	if !out.From.IsZero() && !out.To.IsZero() && out.To.Before(out.From) {
		return DateRange{}, false
	}
	return out, true
}

// Days returns the number of days in a closed range (both ends set), and
// 0 for an empty or open one.
func (r DateRange) Days() int {
	if r.From.IsZero() || r.To.IsZero() || r.To.Before(r.From) {
		return 0
	}
	return r.To.Sub(r.From) + 1
}

// String formats r as "2024-01-10..2024-01-31"; an open end is left empty.
func (r DateRange) String() string { return r.From.String() + ".." + r.To.String() }

// Period is a settlement period: a calendar month in a location, as the
// half-open interval of instants [Start, End). A period always knows its
// location, so "the night of 31 March" means the same thing to every part
// of a settlement.
type Period struct {
	Year     int
	Month    time.Month
	Location *time.Location
}

// Month returns the period of the given month in loc. It returns an error
// when loc is nil (the library never falls back to time.Local) or the year
// is outside 1900–2200.
func Month(year int, month time.Month, loc *time.Location) (Period, error) {
	p := Period{Year: year, Month: month, Location: loc}
	if err := p.Validate(); err != nil {
		return Period{}, err
	}
	return p, nil
}

// Validate returns an error unless p is a period Month returns: a month
// from 1 to 12 of a year from 1900 to 2200, with a location (the error
// wraps ErrNilLocation). A Period written as a literal is not checked
// when it is made: {Year: 2023, Month: 14} would otherwise be taken by
// time.Date as February 2024, and a settlement of it would settle
// February under another name. reimbursement.Settle and
// SettleCustomers, fee.Schedule.Fees and compare.Run validate the period
// they are given; the functions below them (models.Decision.Granted,
// models.Paused, Period.Overlap, the tarifftest checks) take it as made by
// Month.
func (p Period) Validate() error {
	if p.Location == nil {
		return &wrapped{fmt.Sprintf("calendar: period %04d-%02d: no location (make it with Month)", p.Year, p.Month), ErrNilLocation}
	}
	if p.Year < MinYear || p.Year > MaxYear || p.Month < time.January || p.Month > time.December {
		return fmt.Errorf("calendar: period %04d-%02d: out of range (a month 1-12 of %d-%d)", p.Year, p.Month, MinYear, MaxYear)
	}
	return nil
}

// ParseMonth parses a month written "2006-01" and returns its period in loc.
func ParseMonth(s string, loc *time.Location) (Period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Period{}, fmt.Errorf("calendar: invalid month %q: want YYYY-MM", s)
	}
	return Month(t.Year(), t.Month(), loc)
}

// Start returns the first instant of the period.
func (p Period) Start() time.Time { return p.FirstDay().In(p.location()) }

// End returns the first instant after the period.
func (p Period) End() time.Time { return p.LastDay().AddDays(1).In(p.location()) }

// location is the period's location, or UTC for a Period without one (a
// literal, or the zero Period), which Validate refuses and every
// settlement therefore refuses: its Start, End and Contains answer in UTC,
// as time.Time's zero value is in UTC, rather than panic in time.Date.
func (p Period) location() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// FirstDay returns the first date of the period.
func (p Period) FirstDay() Date { return Date{Year: p.Year, Month: p.Month, Day: 1} }

// LastDay returns the last date of the period.
func (p Period) LastDay() Date {
	return Date{Year: p.Year, Month: p.Month, Day: DaysIn(p.Year, p.Month)}
}

// Days returns the number of days in the period.
func (p Period) Days() int { return DaysIn(p.Year, p.Month) }

// Dates returns the period as an inclusive date range.
func (p Period) Dates() DateRange { return DateRange{From: p.FirstDay(), To: p.LastDay()} }

// Contains reports whether the instant t lies in [Start, End).
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start()) && t.Before(p.End())
}

// Overlap returns the dates of r that fall inside the period and their
// number; n is 0 when none do. Use it to prorate decisions, listings and
// pauses by days.
func (p Period) Overlap(r DateRange) (in DateRange, n int) {
	in, ok := p.Dates().Intersect(r)
	if !ok {
		return DateRange{}, 0
	}
	return in, in.Days()
}

// String formats the period as "2006-01".
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, p.Month) }

// wrapped is an error of its own text that wraps a sentinel whose text
// it does not repeat ("calendar: period 2024-03: calendar: nil location").
type wrapped struct {
	msg string
	err error
}

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.err }
