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
