package models

import (
	"strings"
	"testing"
	"time"
)

// TestLocalTimesEveryHour reads every half hour of 2024 (and of a day
// before 1970) as a local time in Stockholm, in an order that exercises
// the cache of days: each must give the instant time.Date gives, except
// in the hour the clocks skip (an error: does not exist) and the hour
// they repeat (an error: ambiguous).
func TestLocalTimesEveryHour(t *testing.T) {
	lt := localTimes{loc: stockholm}
	var walls []time.Time
	for w := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); w.Year() == 2024; w = w.Add(30 * time.Minute) {
		walls = append(walls, w)
	}
	walls = append(walls, time.Date(1969, 12, 31, 23, 30, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 30, 0, 0, time.UTC))
	for i := range walls { // a fixed shuffle: stride through the list
		w := walls[i*7919%len(walls)]
		s := w.Format("2006-01-02 15:04:05")
		got, err := lt.parse(s)
		skipped := w.Month() == time.March && w.Day() == 31 && w.Hour() == 2
		repeated := w.Month() == time.October && w.Day() == 27 && w.Hour() == 2
		switch {
		case skipped:
			if err == nil || !strings.Contains(err.Error(), "does not exist") {
				t.Errorf("%s: %v, %v; want does not exist", s, got, err)
			}
		case repeated:
			if err == nil || !strings.Contains(err.Error(), "ambiguous") {
				t.Errorf("%s: %v, %v; want ambiguous", s, got, err)
			}
		default:
			want := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, stockholm)
			if err != nil || !got.Equal(want) {
				t.Errorf("%s: %v, %v; want %v", s, got, err, want)
			}
		}
	}
}

// Around every clock change from 2000 to 2030 in zones whose clocks move
// at midnight, twice at midnight, by half an hour or back across a day,
// each wall time every 10 minutes from a day before to a day after reads
// as the slow, probing resolveLocal reads it: one instant, or refused as
// skipped or repeated. The fast path of a day of one offset used to take
// Santiago's 2024-04-06 23:30 (it came twice), Nuuk's 2024-03-30 23:30
// (it never came) and Gaza's 2021-10-29 00:30 as one instant.
func TestLocalTimesAroundClockChanges(t *testing.T) {
	for _, name := range []string{"Europe/Stockholm", "America/Santiago", "America/Asuncion", "America/Havana", "America/Nuuk",
		"America/Sao_Paulo", "Asia/Gaza", "Asia/Amman", "Asia/Beirut", "Australia/Lord_Howe", "Europe/Dublin", "Antarctica/Troll",
		"Pacific/Apia"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		lt := localTimes{loc: loc}
		for at := time.Date(2000, 1, 1, 0, 0, 0, 0, loc); at.Year() < 2030; {
			_, change := at.ZoneBounds()
			if change.IsZero() {
				break
			}
			c := change.In(loc)
			mid := time.Date(c.Year(), c.Month(), c.Day(), c.Hour(), c.Minute(), 0, 0, time.UTC) // the wall clock, read as UTC
			for w := mid.Add(-26 * time.Hour); w.Before(mid.Add(26 * time.Hour)); w = w.Add(10 * time.Minute) {
				s := w.Format("2006-01-02 15:04:05")
				got, err := lt.parse(s)
				want, werr := resolveLocal(w, loc)
				if (err == nil) != (werr == nil) || !got.Equal(want) {
					t.Fatalf("%s %s: %v, %v; want %v, %v", name, s, got, err, want, werr)
				}
			}
			at = change
		}
	}
}
