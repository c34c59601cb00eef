package reimbursement

import (
	"math/bits"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// absenceDays is the absence each day of a range within one month falls
// on: when several cover a day, the first of the customer's absences
// (sorted by start, so the one that started first), so a day is counted
// once.
type absenceDays struct {
	covered calendar.DaySet
	on      [31]int32 // on[d−1] is the index of day d's absence, when covered
}

// absencesByDay finds the absence each day of r falls on among as, a
// customer's absences sorted by start (see scope.Absences); r is a range
// of days of one month. It reads each absence at most once, and stops at
// the first that starts after r or once every day of r is covered.
func absencesByDay(r calendar.DateRange, as []models.Absence) absenceDays {
	var ad absenceDays
	if r.From.IsZero() || r.To.IsZero() {
		return ad
	}
	var all calendar.DaySet
	all.AddRange(r)
	for i := range as {
		a := &as[i]
		if a.From.After(r.To) {
			break // sorted by start: none after covers r
		}
		if !a.To.IsZero() && a.To.Before(r.From) {
			continue
		}
		in, ok := r.Intersect(a.Dates())
		if !ok {
			continue
		}
		var span calendar.DaySet
		span.AddRange(in)
		for fresh := span &^ ad.covered; fresh != 0; fresh &= fresh - 1 {
			ad.on[bits.TrailingZeros32(uint32(fresh))] = int32(i)
		}
		if ad.covered |= span; ad.covered == all {
			break
		}
	}
	return ad
}

// absence returns the index of the absence day (of the month) falls on.
func (ad *absenceDays) absence(day int) (int, bool) {
	if !ad.covered.Has(day) {
		return 0, false
	}
	return int(ad.on[day-1]), true
}

// absenceDays returns the absence each day of the month falls on among
// the customer's absences, found once per case in the worker's memory.
func (s *scope) absenceDays() *absenceDays {
	if s.c.absenceDays == nil {
		s.c.w.absenceDays = absencesByDay(s.Period.Dates(), s.Absences())
		s.c.absenceDays = &s.c.w.absenceDays
	}
	return s.c.absenceDays
}
