package calendar

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// addRangeByDay is DaySet.AddRange as it was written first: a day at a
// time.
func addRangeByDay(s *DaySet, r DateRange) {
	for d := r.From; !d.After(r.To); d = d.AddDays(1) {
		*s |= 1 << (d.Day - 1)
	}
}

func TestDaySetAddRangeByDay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		date := func(label string) Date {
			// Mostly the days of a few months around February 2024,
			// sometimes a day past the end of its month.
			return Date{Year: 2024, Month: time.Month(rapid.IntRange(1, 3).Draw(t, label+".month")), Day: rapid.IntRange(1, 31).Draw(t, label+".day")}
		}
		var got, want DaySet
		for range rapid.IntRange(0, 4).Draw(t, "ranges") {
			r := DateRange{From: date("from"), To: date("to")}
			if rapid.Bool().Draw(t, "same month") {
				r.To.Month = r.From.Month
			}
			got.AddRange(r)
			addRangeByDay(&want, r)
		}
		if got != want {
			t.Fatalf("AddRange: %032b, a day at a time: %032b", got, want)
		}
		for day := -1; day <= 33; day++ {
			if got.Has(day) != (day >= 1 && day <= 31 && want&(1<<(day-1)) != 0) {
				t.Fatalf("Has(%d) = %v in %032b", day, got.Has(day), got)
			}
		}
	})
}

func TestDaySet(t *testing.T) {
	var s DaySet
	s.AddRange(DateRange{From: MustParseDate("2024-04-29"), To: MustParseDate("2024-04-30")})
	s.AddRange(DateRange{From: MustParseDate("2024-04-01"), To: MustParseDate("2024-04-01")})
	s.AddRange(DateRange{From: MustParseDate("2024-04-05"), To: MustParseDate("2024-04-04")}) // empty
	if s.Len() != 3 || !s.Has(1) || s.Has(2) || !s.Has(29) || !s.Has(30) || s.Has(31) || s.Has(0) || s.Has(32) {
		t.Fatalf("set %032b", s)
	}
	var all DaySet
	all.AddRange(DateRange{From: MustParseDate("2024-01-01"), To: MustParseDate("2024-01-31")})
	if all != 1<<31-1 || all.Len() != 31 {
		t.Fatalf("January: %032b", all)
	}
}
