package models_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

func ExampleReadDataset() {
	doc := `{
  "tasks": [{"local": "Städ", "category": "service"}],
  "customers": [{"id": "k1", "zone": "tätort"}],
  "providers": [{"id": "egen", "name": "Egen regi", "ownership": "own"}],
  "decisions": [{
    "id": "b1", "customer": "k1", "provider": "egen",
    "valid_from": "2024-04-01", "execution_started": "2024-04-10",
    "items": [{"task": "Städ", "category": "service", "minutes": 30, "times": 2, "per": "week"}]
  }],
  "visits": [{
    "id": "v1", "customer": "k1", "provider": "egen", "tasks": ["Städ"], "role": "care_staff",
    "start": "2024-04-11T09:00:00+02:00", "end": "2024-04-11T09:35:00+02:00", "approved": true
  }]
}`
	ds, err := models.ReadDataset(strings.NewReader(doc))
	if err != nil {
		panic(err)
	}
	april, _ := calendar.Month(2024, time.April, time.UTC)
	g := ds.Decisions[0].Granted(0, april, ds.Absences)
	fmt.Printf("granted %d min over %d days (%s)\n", g.Minutes, g.PaidDays, g.InForce)

	// A visit that ends before it starts is reported with the line and
	// column of the field.
	bad := strings.Replace(doc, "09:35", "08:35", 1)
	_, err = models.ReadDataset(strings.NewReader(bad))
	fmt.Println(err)
	// Output:
	// granted 180 min over 21 days (2024-04-10..2024-04-30)
	// models: 12:43: visits[0] (id v1): end: 2024-04-11T08:35:00+02:00 is before start 2024-04-11T09:00:00+02:00
}
