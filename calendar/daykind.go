package calendar

import (
	"fmt"
	"strings"
	"time"
)

// DayKind classifies a date for band schedules and tariffs. The zero value
// is DayKindUnknown.
type DayKind uint8

// The kinds of day. A date has one kind in a given schedule, chosen by
// precedence: PublicHoliday, then Eve, then Sunday and Saturday, then
// BeforeHoliday, then Weekday (see Schedule.DayKind): a Saturday or
// Sunday before a holiday stays a weekend day.
const (
	DayKindUnknown DayKind = iota
	Weekday                // vardag: Monday–Friday that is nothing else
	Saturday               // lördag
	Sunday                 // söndag
	PublicHoliday          // helgdag (röd dag): a dated public holiday
	Eve                    // afton: påsk-, pingst-, midsommar-, jul- and nyårsafton
	BeforeHoliday          // vardag före helgdag: a Monday–Friday before a public holiday (or an eve, where eves count as holidays)
	dayKindCount
)

var dayKindNames = [dayKindCount]string{"unknown", "weekday", "saturday", "sunday", "holiday", "eve", "before_holiday"}

// String returns the name used in tariff files: "weekday", "saturday",
// "sunday", "holiday", "eve" or "before_holiday".
func (k DayKind) String() string {
	if k >= dayKindCount {
		return fmt.Sprintf("DayKind(%d)", k)
	}
	return dayKindNames[k]
}

// ParseDayKind parses a name written by String. It also accepts the
// Swedish names vardag, lördag, söndag, helgdag, afton and
// vardag_före_helgdag (or dag_före_helgdag).
func ParseDayKind(s string) (DayKind, error) {
	for k := Weekday; k < dayKindCount; k++ {
		if s == dayKindNames[k] {
			return k, nil
		}
	}
	switch s {
	case "vardag":
		return Weekday, nil
	case "lördag":
		return Saturday, nil
	case "söndag":
		return Sunday, nil
	case "helgdag":
		return PublicHoliday, nil
	case "afton":
		return Eve, nil
	case "vardag_före_helgdag", "dag_före_helgdag":
		return BeforeHoliday, nil
	}
	return DayKindUnknown, fmt.Errorf("calendar: unknown day kind %q: want %s%s", s, dayKindList(), weekdayHint(s))
}

// dayKindList lists the names of the kinds of day: "weekday, saturday,
// sunday, holiday, eve or before_holiday".
func dayKindList() string {
	names := dayKindNames[Weekday:]
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// weekdayHint explains, for the name of a day of the week Monday to
// Friday (fredag, friday), that a schedule does not tell them apart.
func weekdayHint(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "måndag", "tisdag", "onsdag", "torsdag", "fredag", "monday", "tuesday", "wednesday", "thursday", "friday":
		return " (Monday to Friday are each a weekday: a schedule tells the kinds of day apart, not the days of the week)"
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (k DayKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *DayKind) UnmarshalText(b []byte) error {
	v, err := ParseDayKind(string(b))
	*k = v
	return err
}

// KindOf returns the kind of d by the calendar alone: PublicHoliday for a
// dated public holiday, Eve for an eve, otherwise Sunday, Saturday or
// Weekday. (BeforeHoliday is a schedule's choice; see IsBeforeHoliday.)
func KindOf(d Date) DayKind {
	switch h := HolidayOn(d); {
	case h == NoHoliday:
	case h.IsEve():
		return Eve
	default:
		return PublicHoliday
	}
	return weekKind(d.Weekday())
}

func weekKind(w time.Weekday) DayKind {
	switch w {
	case time.Saturday:
		return Saturday
	case time.Sunday:
		return Sunday
	}
	return Weekday
}

// IsBeforeHoliday reports whether the day after d is a dated public
// holiday. A schedule that distinguishes before_holiday gives that kind
// only to a Monday–Friday for which this holds, or, where eves count as
// holidays, to a Monday–Friday before an eve (23 December; see
// Schedule.DayKind), for which it does not.
func IsBeforeHoliday(d Date) bool {
	h := HolidayOn(d.AddDays(1))
	return h != NoHoliday && !h.IsEve()
}
