package models

import (
	"fmt"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
)

// The layouts of times with an offset, read by time.Parse.
var offsetLayouts = []string{time.RFC3339, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00"}

// localTimes reads times, remembering the offset of recent days without
// a change of offset so that a file of thousands of times in a few weeks
// looks each day up once, and the dates it has read by their day of the
// month, so that such a file reads each date's digits once.
type localTimes struct {
	loc   *time.Location
	days  [64]dayOffset // by day since 1970 modulo 64
	dates [32]dateDays  // by day of the month as written, modulo 32
}

// dayOffset is the offset of a day without a change of offset; ok is
// false for an empty slot.
type dayOffset struct {
	day int64
	off int
	ok  bool
}

// dateDays is a valid date as written (2024-03-12) with its days since
// 1970; text is "" for an empty slot.
type dateDays struct {
	text string
	days int64
}

// parse parses a time with an offset (RFC 3339, or with a space for the
// T), or a local time in lt.loc (2006-01-02 15:04 or 15:04:05, with a
// space or a T, the hour of one digit or two) that exists exactly once
// there.
func (lt *localTimes) parse(s string) (time.Time, error) {
	if sec, ok := lt.wallSeconds(s); ok {
		return lt.local(sec)
	}
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	if why := dayMissing(s); why != "" {
		return time.Time{}, fmt.Errorf("invalid time %q: %s", s, why)
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want a date and a time as 2024-03-12 08:00 or 2024-03-12 08:00:30 (ÅÅÅÅ-MM-DD TT:MM), or RFC 3339 as 2024-03-12T08:00:00+01:00", s)
}

// dayMissing says why a text that starts with a date written
// 2006-01-02 does not start with a date of the calendar ("2024-02 has 29
// days"), and is "" for any other text: "2024-02-30 08:00" was told to
// be written as 2024-03-12 08:00, which it is (found by attack; dates in
// JSON say so, calendar.ParseDate).
func dayMissing(s string) string {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' || digits(s[:4]) < 0 || digits(s[8:10]) < 0 {
		return ""
	}
	if m := digits(s[5:7]); m < 1 || m > 12 {
		return "" // not a month: the form is wrong
	}
	if _, err := calendar.ParseDate(s[:10]); err != nil {
		return strings.TrimPrefix(err.Error(), fmt.Sprintf("calendar: invalid date %q: ", s[:10]))
	}
	return ""
}

// local returns the instant whose wall clock in lt.loc is sec, seconds
// since 1970 of the wall clock read as UTC, refusing a wall clock that
// lt.loc skips or repeats.
func (lt *localTimes) local(sec int64) (time.Time, error) {
	if d := &lt.days[dayOf(sec)&63]; d.ok && d.day == dayOf(sec) {
		return time.Unix(sec-int64(d.off), 0).In(lt.loc), nil
	}
	return lt.resolve(time.Unix(sec, 0).UTC())
}

// wallSeconds parses a local time, 2006-01-02 15:04 or 2006-01-02
// 15:04:05 (or with T for the space, and the hour of one digit or two),
// giving the seconds since 1970 of the wall clock read as UTC.
func (lt *localTimes) wallSeconds(s string) (int64, bool) {
	if len(s) < 15 || s[10] != ' ' && s[10] != 'T' {
		return 0, false
	}
	clock, ok := clockSeconds(s[11:])
	if !ok {
		return 0, false
	}
	days, ok := lt.date(s[:10])
	if !ok {
		return 0, false
	}
	return days*86400 + int64(clock), true
}

// date parses a date, 2006-01-02, giving its days since 1970, and
// remembers it by its day of the month.
func (lt *localTimes) date(s string) (int64, bool) {
	if len(s) != 10 {
		return 0, false
	}
	date := &lt.dates[(int(s[8])*10+int(s[9]))&31]
	if date.text != s {
		days, ok := dateDaysOf(s)
		if !ok {
			return 0, false
		}
		*date = dateDays{text: s, days: days}
	}
	return date.days, true
}

// clockSeconds parses a time of day, 15:04 or 15:04:05 with the hour of
// one digit or two (8:00), giving its seconds since midnight.
func clockSeconds(s string) (int, bool) {
	n := 2 // digits of the hour
	switch len(s) {
	case 4, 7:
		n = 1
	case 5, 8:
	default:
		return 0, false
	}
	if s[n] != ':' || len(s) > n+3 && s[n+3] != ':' {
		return 0, false
	}
	h, mi, sec := digits(s[:n]), digits(s[n+1:n+3]), 0
	if len(s) > n+3 {
		sec = digits(s[n+4:])
	}
	if h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return 0, false
	}
	return h*3600 + mi*60 + sec, true
}

// dateDaysOf parses a date, 2006-01-02, giving its days since 1970.
func dateDaysOf(s string) (int64, bool) {
	if s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, mo, d := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > calendar.DaysIn(y, time.Month(mo)) {
		return 0, false
	}
	return int64(calendar.Date{Year: y, Month: time.Month(mo), Day: d}.Sub(unixEpoch)), true
}

// digits returns the number the decimal digits s make, −1 when s holds
// anything else.
func digits(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// unixEpoch is 1970-01-01, the day wall clocks are counted from.
var unixEpoch = calendar.Date{Year: 1970, Month: time.January, Day: 1}

// dayOf returns the day since 1970 of a time in seconds since 1970,
// rounding down before 1970 too.
func dayOf(sec int64) int64 {
	d := sec / 86400
	if sec%86400 < 0 {
		d--
	}
	return d
}

// resolve returns the instant whose wall clock in lt.loc is wall.
func (lt *localTimes) resolve(wall time.Time) (time.Time, error) {
	// The day's wall clocks map to instants by one offset, and to no
	// other, when one offset holds from before the day's first wall clock
	// to after its last, and no other offset's wall clock reaches into
	// the day: the clock just before the offset began read at most the
	// day's midnight, and just after it ends at least the next midnight.
	midnight := dayOf(wall.Unix()) * 86400
	_, first := time.Unix(midnight, 0).In(lt.loc).Zone()
	t0 := time.Unix(midnight-int64(first), 0).In(lt.loc)
	zs, ze := t0.ZoneBounds()
	_, off0 := t0.Zone()
	ok := off0 == first
	if ok && !zs.IsZero() {
		_, prev := zs.Add(-time.Second).Zone()
		ok = zs.Unix()+int64(prev) <= midnight
	}
	if ok && !ze.IsZero() {
		_, next := ze.Zone()
		ok = ze.Unix()+int64(first) >= midnight+86400 && ze.Unix()+int64(next) >= midnight+86400
	}
	if ok {
		day := dayOf(wall.Unix())
		lt.days[day&63] = dayOffset{day: day, off: first, ok: true}
		return time.Unix(wall.Unix()-int64(first), 0).In(lt.loc), nil
	}
	return resolveLocal(wall, lt.loc)
}

// resolveLocal returns the instant whose wall clock in loc is that of
// wall (read as UTC), refusing a wall clock that loc skips or repeats.
func resolveLocal(wall time.Time, loc *time.Location) (time.Time, error) {
	guess := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), loc)
	var found []time.Time
	for _, probe := range []time.Duration{-12 * time.Hour, 0, 12 * time.Hour} {
		_, off := guess.Add(probe).Zone()
		t := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(t, wall) && !containsTime(found, t) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return time.Time{}, fmt.Errorf("%s does not exist in %s (the clocks moved forward)", wall.Format("2006-01-02 15:04:05"), loc)
	}
	return time.Time{}, fmt.Errorf("%s is ambiguous in %s (the clocks moved back): give the offset, %s or %s",
		wall.Format("2006-01-02 15:04:05"), loc, found[0].Format(time.RFC3339), found[1].Format(time.RFC3339))
}

func containsTime(ts []time.Time, t time.Time) bool {
	for _, u := range ts {
		if u.Equal(t) {
			return true
		}
	}
	return false
}

func sameWall(t, wall time.Time) bool {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	y2, mo2, d2 := wall.Date()
	h2, mi2, s2 := wall.Clock()
	return y == y2 && mo == mo2 && d == d2 && h == h2 && mi == mi2 && s == s2
}
