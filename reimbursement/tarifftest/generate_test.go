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

// TestDatasetRefusesNegativeBounds: a negative bound of the population
// took the default without a word; Dataset panics naming it, as it does
// for a missing period.
func TestDatasetRefusesNegativeBounds(t *testing.T) {
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	march, _ := calendar.Month(2024, time.March, stockholm)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Period: march, MaxCustomers: -1}, "tarifftest: Config.MaxCustomers is -1; allowed: 1 or more, or 0 for the default 8"},
		{Config{Period: march, MaxProviders: -3}, "tarifftest: Config.MaxProviders is -3; allowed: 1 or more, or 0 for the default 3"},
		{Config{Period: march, MaxVisits: -40}, "tarifftest: Config.MaxVisits is -40; allowed: 1 or more, or 0 for the default 40"},
	} {
		func() {
			defer func() {
				if got := recover(); got != c.want {
					t.Errorf("Dataset(%+v) panicked with %v, want %s", c.cfg, got, c.want)
				}
			}()
			Dataset(c.cfg)
		}()
	}
}
