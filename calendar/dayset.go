package calendar

import "math/bits"

// DaySet is a set of days of one month, as a bit per day of the month
// (bit d−1 for day d). The zero value is the empty set.
type DaySet uint32

// AddRange adds every day of r; r must lie in one month.
func (s *DaySet) AddRange(r DateRange) {
	if r.From.IsZero() || r.To.IsZero() {
		return // the zero DateRange, or a range without an end: no day
	}
	if r.From.Year == r.To.Year && r.From.Month == r.To.Month && r.From.valid() && r.To.valid() {
		// One month: the days From.Day..To.Day at once.
		if r.From.Day <= r.To.Day {
			*s |= DaySet((uint64(1)<<r.To.Day - 1) &^ (uint64(1)<<(r.From.Day-1) - 1))
		}
		return
	}
	for d := r.From; !d.After(r.To); d = d.AddDays(1) {
		if d.Day >= 1 && d.Day <= 31 { // a first day written 0 or 40 is none
			*s |= 1 << (d.Day - 1)
		}
	}
}

// Has reports whether day (of the month, 1–31) is in the set.
func (s DaySet) Has(day int) bool { return day >= 1 && day <= 31 && s&(1<<(day-1)) != 0 }

// Len returns the number of days in the set.
func (s DaySet) Len() int { return bits.OnesCount32(uint32(s)) }
