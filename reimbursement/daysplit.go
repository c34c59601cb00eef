package reimbursement

import (
	"time"

	"github.com/hemtjanst/ersattning/calendar"
)

// The band segments of a visit are its clip of its days' segments: each
// version's schedule cuts every day of the month once, when the month is
// indexed, and a visit takes the part of each of its days it covers.
// This gives the segments Schedule.Split gives for the visit, because on
// a day of one UTC offset the wall clock runs with real time, so a
// segment ends at the same band boundary wherever in its run the
// interval starts. A day of a clock change, or a day the month does not
// know, is cut by Schedule.Split for each visit instead.

// indexDays finds the first instant of each day of the month and of a
// few after it (midnight, days), and cuts the days (planDays).
func (in *monthIndex) indexDays() {
	p := in.period
	for d := range p.Days() + spillDays + 2 {
		in.midnight = append(in.midnight, p.FirstDay().AddDays(d).In(p.Location))
		in.days = append(in.days, p.FirstDay().AddDays(d))
	}
	in.midnightOff = make([]time.Duration, len(in.midnight))
	for i, m := range in.midnight {
		in.midnightOff[i] = in.offset(m)
	}
	in.uniform = make([]bool, len(in.midnight)-1)
	for i := range in.uniform {
		in.uniform[i] = oneOffset(in.midnight[i], in.midnight[i+1])
	}
	in.planDays()
}

// planDays cuts each day of the month that keeps one UTC offset from
// midnight to midnight by each version's schedule (in.plans).
func (in *monthIndex) planDays() {
	loc := in.period.Location
	in.plans = make([][]dayPlan, len(in.versions))
	for vi, v := range in.versions {
		in.plans[vi] = make([]dayPlan, len(in.midnight)-1)
		for i := range len(in.midnight) - 1 {
			from, until := in.midnight[i], in.midnight[i+1]
			if !in.uniform[i] {
				continue
			}
			segs, err := v.schedule.Split(nil, from, until, loc)
			if err != nil {
				continue // cannot happen for a location and an ordered day; Split then reports it per visit
			}
			p := dayPlan{segs: segs, bounds: make([][2]time.Duration, len(segs))}
			for j, sg := range segs {
				p.bounds[j] = [2]time.Duration{in.offset(sg.Start), in.offset(sg.End)}
			}
			in.plans[vi][i] = p
		}
	}
}

// dayPlan is a day cut by a version's schedule: its band segments, and
// where each starts and ends as offsets from the month's first midnight
// (see offset), which clip compares as integers.
type dayPlan struct {
	segs   []calendar.Segment
	bounds [][2]time.Duration
}

// oneOffset reports whether the day [from, until) is 24 hours long and
// keeps one UTC offset throughout, so that its wall clock is midnight
// plus the real time elapsed.
func oneOffset(from, until time.Time) bool {
	if until.Sub(from) != 24*time.Hour {
		return false
	}
	zs, ze := from.ZoneBounds()
	return !zs.After(from) && (ze.IsZero() || !ze.Before(until))
}

// dayOf returns i for the day [midnight[i], midnight[i+1]) that holds t,
// or -1 when t lies in no day the month knows.
func (in *monthIndex) dayOf(t time.Time) int {
	if len(in.midnight) < 2 {
		return -1
	}
	return in.dayAt(in.offset(t))
}

// offset returns an instant as an offset from the month's first
// midnight, as the day table holds its midnights (midnightOff) and
// plans' segments (dayPlan); sub saturates, as Time.Sub does, far from it.
func (in *monthIndex) offset(t time.Time) time.Duration { return sub(t, in.midnight[0]) }

// dayAt is dayOf for the instant at offset off.
func (in *monthIndex) dayAt(off time.Duration) int {
	at := in.midnightOff // as long as midnight
	n := len(at) - 1
	if n <= 0 || off < 0 {
		return -1
	}
	// Days are 24 hours but for a clock change, so the guess is at most
	// one day off.
	i := int(min(off/(24*time.Hour), time.Duration(n-1)))
	for i > 0 && off < at[i] {
		i--
	}
	for i < n && off >= at[i+1] {
		i++
	}
	if i >= n {
		return -1
	}
	return i
}

// dateAt returns the date of an instant t the day table puts on day i
// (see dayOf), in the month's location: from the table on a day of one
// offset, by the wall clock otherwise (where the clock goes back across
// midnight, an instant after the next date's first midnight can still
// lie on the date before).
func (in *monthIndex) dateAt(i int, t time.Time) calendar.Date {
	if i >= 0 && in.uniform[i] {
		return in.days[i]
	}
	return calendar.DateOf(t.In(in.period.Location))
}

// split appends to dst the band segments of [start, end) by the schedule
// of version vi, the version of the date start lies on: a visit is
// settled whole by the version of its own date, the part after midnight
// into a day another version takes over included. off is offset(start),
// endOff offset(end) (read only when day is a day of the table), and day
// dayAt(off).
func (in *monthIndex) split(dst []calendar.Segment, start, end time.Time, off, endOff time.Duration, day, vi int) []calendar.Segment {
	loc := in.period.Location
	start, end = start.In(loc), end.In(loc) // as Schedule.Split has them: segments in the month's location
	// Most visits end before the midnight after their start, on a day of
	// the table with a plan: the one clip the loop below would make, found
	// by comparing offsets as integers rather than times field by field.
	if day >= 0 && in.uniform[day] {
		if off < endOff && endOff < in.midnightOff[day+1] {
			if plan := in.plan(vi, day); plan != nil {
				return plan.clip(dst, start, end, off, endOff)
			}
		}
	}
	next, fromOff := day, off // the day of from and its offset, when known
	for from := start; from.Before(end); {
		i := next
		if i < 0 {
			fromOff = in.offset(from)
			i = in.dayAt(fromOff)
		}
		next = -1
		var until time.Time
		var untilOff time.Duration // on a day of the table
		if i >= 0 && in.uniform[i] {
			until, untilOff = in.midnight[i+1], in.midnightOff[i+1]
			if i+1 < len(in.midnight)-1 {
				next = i + 1 // from becomes midnight[i+1]
			}
		} else {
			// A day of a clock change, or one the month does not know:
			// by the wall clock's date.
			i = -1
			until = calendar.DateOf(from).AddDays(1).In(loc)
			if !until.After(from) {
				// The clock went back across midnight from after it:
				// Schedule.Split cuts the rest by the wall clock.
				until = end
			}
		}
		if until.After(end) {
			until = end
			if i >= 0 {
				untilOff = in.offset(end)
			}
		}
		if plan := in.plan(vi, i); plan != nil {
			dst = plan.clip(dst, from, until, fromOff, untilOff)
		} else {
			dst, _ = in.versions[vi].schedule.Split(dst, from, until, loc)
		}
		from, fromOff = until, untilOff
	}
	return dst
}

// plan returns version vi's plan of day i, or nil when the day was not
// cut in advance.
func (in *monthIndex) plan(vi, i int) *dayPlan {
	if i < 0 || vi >= len(in.plans) || i >= len(in.plans[vi]) || in.plans[vi][i].segs == nil {
		return nil
	}
	return &in.plans[vi][i]
}

// clip appends to dst the parts of the day's segments that lie in
// [from, until); fromOff and untilOff are from and until as offsets from
// the month's first midnight: within a day of the month's table they are
// exact, and compared as integers where times would be compared field by
// field.
func (p *dayPlan) clip(dst []calendar.Segment, from, until time.Time, fromOff, untilOff time.Duration) []calendar.Segment {
	for j := range p.bounds {
		b := &p.bounds[j]
		if b[1] <= fromOff {
			continue
		}
		if b[0] >= untilOff {
			break
		}
		sg := p.segs[j]
		if b[0] < fromOff {
			sg.Start = from
		}
		if b[1] > untilOff {
			sg.End = until
		}
		dst = append(dst, sg)
	}
	return dst
}

// maxSubSeconds bounds the seconds between two instants that sub
// subtracts itself: their difference in nanoseconds then fits an int64.
const maxSubSeconds = 9_000_000_000

// sub returns t.Sub(u) for instants without monotonic clock readings (as
// Time.In leaves them), without Time.Sub's test for overflow, which
// costs an Add and an Equal: from their Unix seconds and nanoseconds
// when they lie within maxSubSeconds of each other (285 years), by
// t.Sub(u), which saturates, otherwise.
func sub(t, u time.Time) time.Duration {
	s := t.Unix() - u.Unix()
	if s > maxSubSeconds || s < -maxSubSeconds {
		return t.Sub(u)
	}
	return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-u.Nanosecond())
}
