package models

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
)

// TestZonesOnMatchesZoneOn: Zones().On is ZoneOn, which reads every
// change, on any date, for changes in any order, several on one date,
// zero dates and dates before it.
func TestZonesOnMatchesZoneOn(t *testing.T) {
	date := rapid.Custom(func(t *rapid.T) calendar.Date {
		return calendar.Date{Year: rapid.SampledFrom([]int{-1, 0, 2024}).Draw(t, "year"),
			Month: time.Month(rapid.IntRange(-1, 3).Draw(t, "month")), Day: rapid.IntRange(-1, 3).Draw(t, "day")}
	})
	rapid.Check(t, func(t *rapid.T) {
		c := Customer{Zone: "base"}
		for range rapid.IntRange(0, 12).Draw(t, "changes") {
			c.ZoneChanges = append(c.ZoneChanges, ZoneChange{From: date.Draw(t, "from"), Zone: rapid.SampledFrom([]string{"", "a", "b", "c"}).Draw(t, "zone")})
		}
		z := c.Zones()
		for _, d := range rapid.SliceOfN(date, 1, 20).Draw(t, "dates") {
			if got, want := z.On(d), c.ZoneOn(d); got != want {
				t.Fatalf("On(%v) = %q, want %q", d, got, want)
			}
		}
	})
}

// TestZonesManyChanges: the zones of 40 000 days, each with a change,
// not each found by reading every change.
func TestZonesManyChanges(t *testing.T) {
	n := 40000
	if testing.Short() {
		n = 2000
	}
	first := calendar.MustParseDate("1900-01-01")
	c := Customer{Zone: "base"}
	for i := range n {
		c.ZoneChanges = append(c.ZoneChanges, ZoneChange{From: first.AddDays(i), Zone: []string{"a", "b"}[i%2]})
	}
	z := c.Zones()
	if got := z.On(first.AddDays(-1)); got != "base" {
		t.Fatalf("before the first change: %q, want base", got)
	}
	for i := range n {
		if got, want := z.On(first.AddDays(i)), []string{"a", "b"}[i%2]; got != want {
			t.Fatalf("day %d: %q, want %q", i, got, want)
		}
	}
}
