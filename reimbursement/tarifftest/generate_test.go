package tarifftest

import (
	"testing"
	"time"
	_ "time/tzdata"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
)

// Generated datasets are always valid, and their visits start in the
// period.
func TestDatasetIsValid(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	p, _ := calendar.Month(2024, time.March, loc)
	rapid.Check(t, func(t *rapid.T) {
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
