package tarifftest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
)

// A shape with a zero weight never draws what it weighs zero; every
// monthly time falls in a weighted band.
func TestShape(t *testing.T) {
	shape := &Shape{
		Zones:          map[string]int{"skärgård": 1, "tätort": 0},
		Ownership:      map[models.Ownership]int{models.Private: 1},
		Categories:     map[models.Category]int{models.Care: 3, models.Alarm: 1},
		MonthlyMinutes: []SizeBand{{From: 600, To: 900, Weight: 1}},
	}
	cfg := Config{Period: april(t), Shape: shape}
	rapid.Check(t, func(t *rapid.T) {
		ds := Dataset(cfg).Draw(t, "dataset")
		if err := ds.Validate(); err != nil {
			t.Fatal(err)
		}
		for _, c := range ds.Customers {
			if c.Zone != "skärgård" {
				t.Fatalf("customer %s in %s", c.ID, c.Zone)
			}
		}
		for _, p := range ds.Providers {
			if p.Ownership != models.Private {
				t.Fatalf("provider %s is %s", p.ID, p.Ownership)
			}
		}
		for _, d := range ds.Decisions {
			for _, it := range d.Items {
				if it.Category != models.Care && it.Category != models.Alarm {
					t.Fatalf("decision %s grants %s", d.ID, it.Category)
				}
				if it.MinutesPerMonth != 0 && (it.MinutesPerMonth < 600 || it.MinutesPerMonth >= 900 || it.MinutesPerMonth%15 != 0) {
					t.Fatalf("decision %s grants %d min a month", d.ID, it.MinutesPerMonth)
				}
			}
		}
	})
}

func TestShapeOf(t *testing.T) {
	ds := &models.Dataset{
		Customers: []models.Customer{{ID: "a", Zone: "tätort"}, {ID: "b", Zone: "tätort"}, {ID: "c", Zone: "landsbygd"}},
		Providers: []models.Provider{{ID: "p", Ownership: models.Private}, {ID: "e", Ownership: models.OwnOperation}},
		Decisions: []models.Decision{{ID: "d1", Items: []models.GrantedItem{
			{Category: models.Care, MinutesPerMonth: 240},                      // 4 h: band 15–300
			{Category: models.Service, MinutesPerMonth: 700},                   // 11.7 h: band 600–1500
			{Category: models.Care, Minutes: 30, Times: 2, Per: models.PerDay}, // no monthly time
			{Category: models.Alarm, MinutesPerMonth: 9000},                    // 150 h: the last band
		}}},
	}
	want := &Shape{
		Zones:      map[string]int{"tätort": 2, "landsbygd": 1},
		Ownership:  map[models.Ownership]int{models.Private: 1, models.OwnOperation: 1},
		Categories: map[models.Category]int{models.Care: 2, models.Service: 1, models.Alarm: 1},
		MonthlyMinutes: []SizeBand{{From: 15, To: 300, Weight: 1}, {From: 600, To: 1500, Weight: 1},
			{From: 3000, To: 6000, Weight: 1}},
	}
	if d := cmp.Diff(want, ShapeOf(ds)); d != "" {
		t.Errorf("ShapeOf (-want +got):\n%s", d)
	}
}

// A resampled population is valid, each customer a renamed copy of a
// real one with all its records.
func TestResample(t *testing.T) {
	p := april(t)
	real := Dataset(Config{Period: p, MaxCustomers: 4}).Example(3)
	visits := map[string]int{}
	for _, v := range real.Visits {
		visits[v.Customer]++
	}
	rapid.Check(t, func(t *rapid.T) {
		ds := Resample(real, 6).Draw(t, "population")
		if err := ds.Validate(); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, v := range ds.Visits {
			got[v.Customer]++
		}
		for _, c := range ds.Customers {
			orig := c.ID[:len(c.ID)-2]
			if c.ID[len(c.ID)-2] != '#' {
				orig = c.ID[:len(c.ID)-3]
			}
			if got[c.ID] != visits[orig] {
				t.Fatalf("%s has %d visits, %s %d", c.ID, got[c.ID], orig, visits[orig])
			}
		}
	})
}
