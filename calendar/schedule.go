package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Clock is a time of day in minutes after midnight, 0–1440. It is written
// "HH:MM"; "24:00" is the end of the day.
type Clock int

// ParseClock parses "HH:MM" (00:00–24:00).
func ParseClock(s string) (Clock, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("calendar: invalid clock time %q: want HH:MM", s)
	}
	for i, c := range []byte(s) {
		if i != 2 && (c < '0' || c > '9') {
			return 0, fmt.Errorf("calendar: invalid clock time %q: want HH:MM", s)
		}
	}
	h = int(s[0]-'0')*10 + int(s[1]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("calendar: invalid clock time %q: out of range", s)
	}
	return Clock(h*60 + m), nil
}

// String formats c as "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c/60, c%60) }

// MarshalText implements encoding.TextMarshaler.
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	*c = v
	return err
}

// BandRule says that, on the days of the given kinds, the clock range
// [From, To) belongs to a band. A range with To before From runs over
// midnight (22:00–07:00): the evening part applies to the days of the
// kinds, and so does the morning part, each on its own date. The day kind
// "all" stands for every kind the schedule uses.
type BandRule struct {
	Band string   `json:"band"`
	Days []string `json:"days"`
	From Clock    `json:"from"`
	To   Clock    `json:"to"`
}

// Schedule divides every day into named bands (tidsband: dag, kväll, natt,
// helg...). It is immutable once built and safe for concurrent use.
type Schedule struct {
	bands []string
	// index gives the index of each band name in bands: BandIndex is
	// asked for every pair of lines a settlement sorts.
	index          map[string]int
	rules          []BandRule
	evesAsHolidays bool
	// active marks the day kinds the schedule distinguishes; Eve and
	// BeforeHoliday are active only when a rule names them.
	active [dayKindCount]bool
	// spans holds, per day kind, the day tiled into band spans sorted by
	// start.
	spans [dayKindCount][]span
}

type span struct {
	from, to Clock
	band     int
}

// ScheduleError describes what is wrong with a band schedule.
type ScheduleError struct {
	Rule  int    // index of the rule, or -1 for the schedule as a whole
	Field string // "band", "days", "from", "to", or "" for the schedule
	Msg   string
}

// Error implements the error interface.
func (e *ScheduleError) Error() string {
	if e.Rule < 0 {
		return "calendar: schedule: " + e.Msg
	}
	if e.Field == "" {
		return fmt.Sprintf("calendar: schedule: rule %d: %s", e.Rule, e.Msg)
	}
	return fmt.Sprintf("calendar: schedule: rule %d: %s: %s", e.Rule, e.Field, e.Msg)
}

// requiredKinds must be tiled by every schedule.
var requiredKinds = []DayKind{Weekday, Saturday, Sunday, PublicHoliday}

// NewSchedule builds a schedule from rules. evesAsHolidays makes the eves
// (julafton, nyårsafton...) count as public holidays. Every kind of day the
// schedule distinguishes must be covered exactly once: weekday, saturday,
// sunday and holiday always, eve and before_holiday when a rule names them.
// NewSchedule returns every problem at once, each a *ScheduleError.
func NewSchedule(rules []BandRule, evesAsHolidays bool) (*Schedule, error) {
	s := &Schedule{rules: slices.Clone(rules), evesAsHolidays: evesAsHolidays, index: map[string]int{}}
	for _, k := range requiredKinds {
		s.active[k] = true
	}
	var errs []error
	add := func(rule int, field, format string, args ...any) {
		errs = append(errs, &ScheduleError{Rule: rule, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if len(rules) == 0 {
		add(-1, "", "no rules")
	}
	kinds := make([][]DayKind, len(rules))
	for i, r := range rules {
		if strings.TrimSpace(r.Band) == "" {
			add(i, "band", "empty band name")
		}
		if len(r.Days) == 0 {
			add(i, "days", "no day kinds")
		}
		for _, name := range r.Days {
			if name == "all" {
				continue
			}
			k, err := ParseDayKind(name)
			if err != nil {
				add(i, "days", "unknown day kind %.40q: want all, %s%s", name, dayKindList(), weekdayHint(name))
				continue
			}
			if evesAsHolidays && k == Eve {
				add(i, "days", "eve is counted as a holiday in this schedule")
				continue
			}
			s.active[k] = true
			kinds[i] = append(kinds[i], k)
		}
		if r.From < 0 || r.From >= 1440 {
			add(i, "from", "%s is not a start time", r.From)
		}
		if r.To <= 0 || r.To > 1440 {
			add(i, "to", "%s is not an end time", r.To)
		}
		if r.From == r.To {
			add(i, "to", "empty range %s–%s", r.From, r.To)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i, r := range rules {
		band, ok := s.index[r.Band]
		if !ok {
			band = len(s.bands)
			s.bands = append(s.bands, r.Band)
			s.index[r.Band] = band
		}
		ks := kinds[i]
		if slices.Contains(r.Days, "all") {
			ks = ks[:0]
			for k := Weekday; k < dayKindCount; k++ {
				if s.active[k] {
					ks = append(ks, k)
				}
			}
		}
		for _, k := range ks {
			if r.To > r.From {
				s.spans[k] = append(s.spans[k], span{r.From, r.To, band})
			} else {
				s.spans[k] = append(s.spans[k], span{r.From, 1440, band}, span{0, r.To, band})
			}
		}
	}
	for k := Weekday; k < dayKindCount; k++ {
		if !s.active[k] {
			continue
		}
		slices.SortFunc(s.spans[k], func(a, b span) int { return int(a.from - b.from) })
		at := Clock(0)
		for _, sp := range s.spans[k] {
			switch {
			case sp.from > at:
				add(-1, "", "%s: no band covers %s–%s", k, at, sp.from)
			case sp.from < at:
				add(-1, "", "%s: bands overlap at %s–%s", k, sp.from, min(at, sp.to))
			}
			at = max(at, sp.to)
		}
		if at < 1440 {
			add(-1, "", "%s: no band covers %s–24:00", k, at)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// DefaultRules are the band rules of DefaultSchedule: dag 07–19 and kväll
// 19–22 on weekdays, natt 22–07 every day, helg 07–22 on Saturdays, Sundays
// and public holidays.
func DefaultRules() []BandRule {
	return []BandRule{
		{Band: "dag", Days: []string{"weekday"}, From: 7 * 60, To: 19 * 60},
		{Band: "kväll", Days: []string{"weekday"}, From: 19 * 60, To: 22 * 60},
		{Band: "natt", Days: []string{"all"}, From: 22 * 60, To: 7 * 60},
		{Band: "helg", Days: []string{"saturday", "sunday", "holiday"}, From: 7 * 60, To: 22 * 60},
	}
}

// DefaultSchedule returns the documented default schedule (DefaultRules,
// eves not counted as holidays). Tariffs override it with their own.
func DefaultSchedule() *Schedule {
	s, err := NewSchedule(DefaultRules(), false)
	if err != nil {
		panic("calendar: default schedule is invalid: " + err.Error())
	}
	return s
}

// SingleBand returns a schedule with one band covering every hour of every
// day, for tariffs that pay the same whatever the time.
func SingleBand(name string) (*Schedule, error) {
	return NewSchedule([]BandRule{{Band: name, Days: []string{"all"}, From: 0, To: 1440}}, false)
}

// Bands returns the band names in the order the rules first use them. The
// index of a name is the Band of a Segment.
func (s *Schedule) Bands() []string { return slices.Clone(s.bands) }

// BandIndex returns the index of the band name, or -1, in constant time.
func (s *Schedule) BandIndex(name string) int {
	if i, ok := s.index[name]; ok {
		return i
	}
	return -1
}

// BandName returns the name of band i, or "" where the schedule has no
// band i (the zero Schedule has none).
func (s *Schedule) BandName(i int) string {
	if i < 0 || i >= len(s.bands) {
		return ""
	}
	return s.bands[i]
}

// Rules returns a copy of the rules the schedule was built from.
func (s *Schedule) Rules() []BandRule { return slices.Clone(s.rules) }

// EvesAsHolidays reports whether eves count as public holidays.
func (s *Schedule) EvesAsHolidays() bool { return s.evesAsHolidays }

// DayKind returns the kind of d in this schedule: PublicHoliday for a dated
// public holiday (and for an eve when eves count as holidays), Eve when
// the schedule distinguishes eves, Saturday or Sunday, BeforeHoliday for
// a Monday–Friday before a holiday (a dated public holiday, or an eve
// when eves count as holidays) when the schedule distinguishes it
// (vardag före helgdag: a Sunday before a Monday holiday stays a Sunday,
// paid as the weekend is, found by a tariff author), otherwise Weekday.
func (s *Schedule) DayKind(d Date) DayKind {
	switch h := HolidayOn(d); {
	case h == NoHoliday:
	case !h.IsEve(), s.evesAsHolidays:
		return PublicHoliday
	case s.active[Eve]:
		return Eve
	}
	if k := weekKind(d.Weekday()); k != Weekday {
		return k
	}
	if s.active[BeforeHoliday] {
		next := HolidayOn(d.AddDays(1))
		if next != NoHoliday && (!next.IsEve() || s.evesAsHolidays) {
			return BeforeHoliday
		}
	}
	return weekKind(d.Weekday())
}

// BandAt returns the band in force at clock time c (0 ≤ c < 24:00) on a
// day of kind k, and false when the schedule does not distinguish k or c
// is out of range.
func (s *Schedule) BandAt(k DayKind, c Clock) (int, bool) {
	if k >= dayKindCount || !s.active[k] || c < 0 || c >= 1440 {
		return 0, false
	}
	return s.spans[k][s.spanIndex(k, c)].band, true
}
