package models

import (
	"fmt"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
)

// The layouts of times with an offset, read by time.Parse.
var offsetLayouts = []string{time.RFC3339, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00"}

// localTimes reads times, remembering the offset of recent days without
// a change of offset so that a file of thousands of times in a few weeks
// looks each day up once.
type localTimes struct {
	loc  *time.Location
	days [64]dayOffset // by day since 1970 modulo 64
}

// dayOffset is the offset of a day without a change of offset; ok is
// false for an empty slot.
type dayOffset struct {
	day int64
	off int
	ok  bool
}

// parse parses a time with an offset (RFC 3339, or with a space for the
// T), or a local time in lt.loc (2006-01-02 15:04 or 15:04:05, with a
// space or a T) that exists exactly once there.
func (lt *localTimes) parse(s string) (time.Time, error) {
	if sec, ok := wallSeconds(s); ok {
		if d := &lt.days[dayOf(sec)&63]; d.ok && d.day == dayOf(sec) {
			return time.Unix(sec-int64(d.off), 0).In(lt.loc), nil
		}
		return lt.resolve(time.Unix(sec, 0).UTC())
	}
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want 2006-01-02 15:04, 2006-01-02 15:04:05 or RFC 3339", s)
}

// wallSeconds parses a local time, 2006-01-02 15:04 or 2006-01-02
// 15:04:05 (or with T for the space), giving the seconds since 1970 of
// the wall clock read as UTC.
func wallSeconds(s string) (int64, bool) {
	if len(s) != 16 && len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' && s[10] != 'T' || s[13] != ':' {
		return 0, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), 0
	if len(s) == 19 {
		if s[16] != ':' {
			return 0, false
		}
		sec = num(17, 2)
	}
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > calendar.DaysIn(y, time.Month(mo)) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return 0, false
	}
	days := calendar.Date{Year: y, Month: time.Month(mo), Day: d}.Sub(unixEpoch)
	return int64(days)*86400 + int64(h*3600+mi*60+sec), true
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
	y, m, d := wall.Date()
	_, first := time.Date(y, m, d, 0, 0, 0, 0, lt.loc).Zone()
	_, last := time.Date(y, m, d, 23, 59, 59, 0, lt.loc).Zone()
	if first == last && time.Date(y, m, d, 12, 0, 0, 0, lt.loc).Add(-12*time.Hour).Equal(time.Date(y, m, d, 0, 0, 0, 0, lt.loc)) {
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
