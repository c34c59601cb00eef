package calendar

import (
	"errors"
	"fmt"
	"time"
)

// Segment is the part of an interval that falls in one band on one date.
type Segment struct {
	Band  int     // index into Schedule.Bands
	Date  Date    // the civil date the segment lies on
	Kind  DayKind // the kind of that date in the schedule
	Start time.Time
	End   time.Time
}

// Duration returns the real elapsed time of the segment.
func (s Segment) Duration() time.Duration { return s.End.Sub(s.Start) }

// ErrNilLocation is returned when a location is needed and nil was given.
// The library never falls back to time.Local.
var ErrNilLocation = errors.New("calendar: nil location")

// Split cuts the interval [start, end) into segments, one per band and
// date, in the location loc, and appends them to dst. Segments are cut at
// band boundaries and at midnight, and their durations are real elapsed
// time: a night across the spring change to daylight saving time is an
// hour shorter on the wall clock's terms, the autumn one an hour longer.
// The segments tile the interval exactly. Split allocates nothing when dst
// has room for the segments.
//
// It returns an error when loc is nil or end is before start; an empty
// interval gives no segments.
func (s *Schedule) Split(dst []Segment, start, end time.Time, loc *time.Location) ([]Segment, error) {
	if loc == nil {
		return dst, ErrNilLocation
	}
	if end.Before(start) {
		return dst, fmt.Errorf("calendar: interval ends at %s, before it starts at %s",
			end.In(loc).Format(time.RFC3339), start.In(loc).Format(time.RFC3339))
	}
	cur := start.In(loc)
	end = end.In(loc)
	first := len(dst) // segments of this call start here
	for cur.Before(end) {
		y, m, d := cur.Date()
		date := Date{Year: y, Month: m, Day: d}
		kind := s.DayKind(date)
		h, mi, _ := cur.Clock()
		clock := Clock(h*60 + mi)
		sp := s.spans[kind]
		i := s.spanIndex(kind, clock)
		// The segment ends at the end of this span or of the run of spans
		// of the same band that follows it, at midnight at the latest.
		j := i
		for j+1 < len(sp) && sp[j+1].band == sp[i].band {
			j++
		}
		midnight := nextMidnight(cur, date, loc)
		next := midnight
		if sp[j].to < 1440 {
			next = time.Date(y, m, d, int(sp[j].to/60), int(sp[j].to%60), 0, 0, loc)
			if nh, nm, _ := next.Clock(); Clock(nh*60+nm) != sp[j].to {
				// The boundary lies in a gap: time.Date moved it by the
				// gap's length. The band changes where the gap ends.
				zs, ze := next.ZoneBounds()
				if DateOf(next) == date && Clock(nh*60+nm) > sp[j].to {
					next = zs
				} else {
					next = ze
				}
			} else if t, ok := wallAfter(cur, date, sp[j].to, next, loc); ok {
				// The boundary's wall time may come twice (the autumn
				// change): the band changes at the first after cur,
				// whichever pass time.Date chose.
				next = t
			}
			if !next.After(cur) || next.After(midnight) {
				// The boundary's wall time lies behind the current
				// instant in every pass, or in a gap that runs to the
				// next date: end the segment at midnight instead.
				next = midnight
			}
		}
		if _, ze := cur.ZoneBounds(); !ze.IsZero() && ze.Before(next) && offsetFalls(ze) {
			// The clock goes back before the run ends: its wall time
			// may re-enter another band, so the segment ends there and
			// the next one starts from the wall time after the change.
			next = ze
		}
		if next.After(end) {
			next = end
		}
		if k := len(dst); k > first && dst[k-1].Band == sp[i].band && dst[k-1].Date == date && dst[k-1].End.Equal(cur) {
			dst[k-1].End = next // the same band on both sides of the change: one segment
		} else {
			dst = append(dst, Segment{Band: sp[i].band, Date: date, Kind: kind, Start: cur, End: next})
		}
		cur = next
	}
	return dst, nil
}

func (s *Schedule) spanIndex(k DayKind, c Clock) int {
	sp := s.spans[k]
	lo, hi := 0, len(sp)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if sp[mid].to <= c {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// Durations sums the segments' durations per band into dst, which must
// have a slot per band of the schedule, and returns the total.
func Durations(dst []time.Duration, segs []Segment) time.Duration {
	var total time.Duration
	for _, sg := range segs {
		d := sg.Duration()
		dst[sg.Band] += d
		total += d
	}
	return total
}

// nextMidnight returns where the date after date begins, after cur (an
// instant of date): its first instant (Date.In), which lies ahead also
// where a clock change skips midnight. Where the clock went back across
// midnight from after it (St John's, 00:00:59 NDT to 23:01 NST of the day
// before), that instant is behind cur, and the date begins again at the
// next instant whose wall clock reads its 00:00.
func nextMidnight(cur time.Time, date Date, loc *time.Location) time.Time {
	next := date.AddDays(1)
	if t := next.In(loc); t.After(cur) {
		return t
	}
	if t, ok := wallAfter(cur, next, 0, cur, loc); ok {
		return t
	}
	if _, ze := cur.ZoneBounds(); ze.After(cur) {
		return ze
	}
	return cur.Add(24 * time.Hour) // cannot happen: a zone without changes has its midnight ahead
}

// wallAfter returns the first instant after cur whose wall clock in loc
// reads clock on date, trying the offset of near (an instant of that wall
// clock) and the offsets before and after near's: false when none is
// after cur.
func wallAfter(cur time.Time, date Date, clock Clock, near time.Time, loc *time.Location) (time.Time, bool) {
	wall := time.Date(date.Year, date.Month, date.Day, int(clock/60), int(clock%60), 0, 0, time.UTC)
	var offs [3]int
	_, offs[0] = near.Zone()
	n := 1
	zs, ze := near.ZoneBounds()
	if !zs.IsZero() {
		_, offs[n] = zs.Add(-time.Nanosecond).Zone()
		n++
	}
	if !ze.IsZero() {
		_, offs[n] = ze.Zone()
		n++
	}
	var best time.Time
	found := false
	for _, o := range offs[:n] {
		t := wall.Add(-time.Duration(o) * time.Second).In(loc)
		if _, to := t.Zone(); to != o || !t.After(cur) {
			continue // not a real instant of that wall clock, or behind
		}
		if !found || t.Before(best) {
			best, found = t, true
		}
	}
	return best, found
}

// offsetFalls reports whether the UTC offset in force from t is smaller
// than the one before it: the clock goes back at t.
func offsetFalls(t time.Time) bool {
	_, after := t.Zone()
	_, before := t.Add(-time.Nanosecond).Zone()
	return after < before
}
