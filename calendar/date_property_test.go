package calendar

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestDateArithmeticMatchesTime holds the integer date arithmetic to the
// time package's: days since 1970, AddDays, Sub and DaysIn agree with
// time.Date in UTC for dates from year −1000 to 3000, normalised ones
// (day 0, day 32, month 13) included.
func TestDateArithmeticMatchesTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := Date{Year: rapid.IntRange(-1000, 3000).Draw(t, "year"), Month: time.Month(rapid.IntRange(0, 13).Draw(t, "month")),
			Day: rapid.IntRange(0, 32).Draw(t, "day")}
		n := rapid.IntRange(-800, 800).Draw(t, "n")
		u := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		if got, want := d.days(), u.Unix()/86400; got != want {
			t.Fatalf("%+v.days() = %d, want %d", d, got, want)
		}
		if got, want := d.AddDays(n), DateOf(u.AddDate(0, 0, n)); got != want {
			t.Fatalf("%+v.AddDays(%d) = %v, want %v", d, n, got, want)
		}
		e := DateOf(u.AddDate(0, 0, n))
		if got := e.Sub(d); got != n && d.valid() {
			t.Fatalf("%v.Sub(%v) = %d, want %d", e, d, got, n)
		}
		// Within one month, normalised days included.
		f := Date{Year: d.Year, Month: d.Month, Day: rapid.IntRange(-40, 70).Draw(t, "other day")}
		want := int(time.Date(f.Year, f.Month, f.Day, 0, 0, 0, 0, time.UTC).Sub(u).Hours() / 24)
		if got := f.Sub(d); got != want {
			t.Fatalf("%+v.Sub(%+v) = %d, want %d", f, d, got, want)
		}
		if got, want := DaysIn(d.Year, d.Month), time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
			t.Fatalf("DaysIn(%d, %v) = %d, want %d", d.Year, d.Month, got, want)
		}
	})
}
