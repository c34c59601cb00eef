package tarifftest

import (
	"testing"
	"time"
	_ "time/tzdata"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
)

// Generated datasets are always valid, and their visits start in the
// period: in Stockholm's month of the spring change, and in Kiritimati's
// December 1994, whose last day the clock skipped (time.Date put a visit
// drawn on it in January).
func TestDatasetIsValid(t *testing.T) {
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	kiritimati, _ := time.LoadLocation("Pacific/Kiritimati")
	march, _ := calendar.Month(2024, time.March, stockholm)
	december, _ := calendar.Month(1994, time.December, kiritimati)
	rapid.Check(t, func(t *rapid.T) {
		p := march
		if rapid.Bool().Draw(t, "kiritimati") {
			p = december
		}
		ds := Dataset(Config{Period: p}).Draw(t, "dataset")
		if err := ds.Validate(); err != nil {
			t.Fatalf("generated dataset is invalid: %v", err)
		}
		for _, v := range ds.Visits {
			if !p.Contains(v.Start) {
				t.Fatalf("visit %s starts %v, outside %s", v.ID, v.Start, p)
			}
		}
	})
}

func TestDatasetNeedsPeriod(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Dataset without a period did not panic")
		}
	}()
	Dataset(Config{})
}
