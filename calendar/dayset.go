package calendar

import "math/bits"

// DaySet is a set of days of one month, as a bit per day of the month
// (bit d−1 for day d). The zero value is the empty set.
type DaySet uint32

// AddRange adds every day of r; r must lie in one month.
func (s *DaySet) AddRange(r DateRange) {
	for d := r.From; !d.After(r.To); d = d.AddDays(1) {
		*s |= 1 << (d.Day - 1)
	}
}

// Len returns the number of days in the set.
func (s DaySet) Len() int { return bits.OnesCount32(uint32(s)) }
