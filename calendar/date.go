package calendar

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a civil date (year, month, day) with no time of day and no
// location: the day a decision starts, a listing ends or a holiday falls on.
// The zero Date is "no date" (see IsZero); it is used for open ends.
//
// Dates are comparable with ==, usable as map keys, and marshal to and from
// JSON and text as "2006-01-02".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date year-month-day, normalised the way time.Date
// normalises (so NewDate(2024, 1, 32) is 2024-02-01).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the civil date of t in t's own location. Convert t with
// t.In(loc) first to get the date somewhere else.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date written "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if !dateDigits(s) {
			return Date{}, fmt.Errorf("calendar: invalid date %q: want YYYY-MM-DD", s)
		}
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[5:7])
		d, _ := strconv.Atoi(s[8:])
		if m >= 1 && m <= 12 && d == 0 {
			return Date{}, fmt.Errorf("calendar: invalid date %q: a month's days are numbered from 01", s)
		}
		if m >= 1 && m <= 12 {
			// The form is right and the day is not (told the form, a
			// reader of "2024-04-31" saw nothing wrong: found by trial).
			last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			return Date{}, fmt.Errorf("calendar: invalid date %q: %04d-%02d has %d days", s, y, m, last)
		}
		return Date{}, fmt.Errorf("calendar: invalid date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// dateDigits reports whether s is written 2006-01-02: four digits, a
// dash, two, a dash, two.
func dateDigits(s string) bool {
	if len(s) != len("2006-01-02") {
		return false
	}
	for i := range len(s) {
		if (i == 4 || i == 7) != (s[i] == '-') || s[i] != '-' && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// MustParseDate is like ParseDate but panics on error. It is meant for
// tests and package-level tables of constant dates, never for input data.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; the empty text is the
// zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// utc is the date at midnight UTC, the basis of date arithmetic (UTC has no
// daylight saving time, so every day is 24 hours long).
func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// valid reports whether d is a date of the calendar (a month 1–12, a day
// of the month), for which the integer arithmetic below holds; other
// values are normalised as time.Date does.
func (d Date) valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= DaysIn(d.Year, d.Month) &&
		d.Year > -1<<40 && d.Year < 1<<40
}

// days is the number of days since 1970-01-01.
func (d Date) days() int64 {
	if !d.valid() {
		return d.utc().Unix() / 86400
	}
	return civilDays(int64(d.Year), int64(d.Month), int64(d.Day))
}

// civilDays is the number of days from 1970-01-01 to the proleptic
// Gregorian date y-m-d, in integers (H. Hinnant's days_from_civil): date
// arithmetic runs per visit, and time.Date costs a normalisation each.
func civilDays(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400 // [0, 399]
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date {
	if day := d.Day + n; d.valid() && day >= 1 && day <= DaysIn(d.Year, d.Month) {
		d.Day = day
		return d
	}
	return DateOf(d.utc().AddDate(0, 0, n))
}

// Sub returns the number of days from e to d (d − e).
func (d Date) Sub(e Date) int {
	if d.Year == e.Year && d.Month == e.Month {
		// Days of one month differ by their numbers, normalised or not.
		return d.Day - e.Day
	}
	return int(d.days() - e.days())
}

// Compare returns −1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// In returns the first instant of d in loc: midnight (the first of two
// where a clock change repeats it), or the first existing wall-clock time
// of the day where a clock change skips midnight. loc must not be nil, as
// with time.Date (the library never picks a location for the caller).
func (d Date) In(loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	if DateOf(t).Compare(d) >= 0 {
		// Where the clock falls back across midnight (01:00 to 00:00),
		// midnight comes twice and time.Date may give the second: the
		// first is midnight in the offset before the change.
		if start, _ := t.ZoneBounds(); !start.IsZero() && start.After(t.Add(-24*time.Hour)) {
			_, off := start.Add(-time.Nanosecond).Zone()
			u := d.utc().Add(-time.Duration(off) * time.Second).In(loc)
			if _, o := u.Zone(); o == off && u.Before(start) {
				return u
			}
		}
		return t
	}
	// Midnight lies in a gap, and time.Date took the offset after the
	// change: an instant of the day before (America/Santiago on 3
	// September 2023 gives 23:00 on the 2nd). The day starts where the
	// offset of that instant ends.
	if _, end := t.ZoneBounds(); end.After(t) {
		return end.In(loc)
	}
	return t
}

// DaysIn returns the number of days in the month of year.
func DaysIn(year int, month time.Month) int {
	switch month {
	case time.April, time.June, time.September, time.November:
		return 30
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.January, time.March, time.May, time.July, time.August, time.October, time.December:
		return 31
	}
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
