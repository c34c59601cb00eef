package reimbursement_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// Tariffs that read every field of a visit's environment, one that reads
// few, and a second version with a schedule of its own.
const readsAllBook = `{
  "name": "Alla 2024", "valid_from": "2024-01-01", "source": "test", "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "components": [
    {"name": "omsorg", "strategy": "performed_time", "when": "category == 'care' || category == 'service'",
     "rate": "100 + staff*3 + (declined?5:0) + (edited?7:0) + (double_staffing_ordered?11:0) + (task=='Dusch'?23:0) + (has_task(tasks,'Inköp')?29:0)"},
    {"name": "extra", "strategy": "performed_time", "when": "category == 'delegated_hsl' || category == 'care'", "rate": "(licensed?13:0) + (zone=='tätort'?17:0) + (day_kind=='weekday'?19:0) + (role=='nurse'?31:0) + (band=='natt'?37:0)", "stacks": true},
    {"name": "besök", "strategy": "per_visit", "when": "true", "rate": "10 + minutes + planned_minutes*2"}
  ]
}`

const readsFewBook = `{
  "name": "Få 2024", "valid_from": "2024-01-01", "source": "test", "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "components": [
    {"name": "omsorg", "strategy": "performed_time", "when": "category == 'care' || category == 'service'", "rate": "staff > 1 ? 500 : 400"},
    {"name": "besök", "strategy": "per_visit", "when": "licensed", "rate": "zone == 'tätort' ? 250 : 300"}
  ]
}`

const v2Book = `{
  "name": "Alla B 2024", "valid_from": "2024-03-16", "source": "test", "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "schedule": {"rules": [
    {"band": "a", "days": ["weekday", "saturday", "sunday", "holiday"], "from": "00:00", "to": "12:00"},
    {"band": "b", "days": ["weekday", "saturday", "sunday", "holiday"], "from": "12:00", "to": "24:00"}]},
  "components": [
    {"name": "omsorg", "strategy": "performed_time", "when": "category == 'care' || category == 'service'",
     "rate": "200 + staff*3 + (edited?7:0) + (band=='a'?37:0)"},
    {"name": "besök", "strategy": "per_visit", "when": "true", "rate": "20 + minutes + planned_minutes*2 + (zone=='tätort'?17:0)"}
  ]
}`

// TestVisitSlotsChangeNothing: a visit that takes the environment of an
// alike visit of its case (envKey) is settled as though it had built its
// own, explained and not, over tariffs that read every field of a visit
// (a key that left out the zone or the planned minutes fails it), a month
// of two versions with schedules of their own, moves, staff of three,
// edited visits and planned minutes (adapted from review 106's
// experiment).
func TestVisitSlotsChangeNothing(t *testing.T) {
	books := []*reimbursement.Book{load(t, "mixed.json"), parseBook(t, taskBook, "tasks.json"), load(t, "performed.json"),
		parseBook(t, readsAllBook, "all.json"), parseBook(t, readsFewBook, "few.json")}
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 3, MaxProviders: 2, MaxVisits: 30}).Draw(t, "dataset")
		b := books[rapid.IntRange(0, len(books)-1).Draw(t, "book")]
		if rapid.Bool().Draw(t, "twoversions") {
			p, _ = calendar.Month(2024, time.March, p.Location)
			ds = tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 3, MaxProviders: 2, MaxVisits: 30}).Draw(t, "dataset2")
			v1 := strings.Replace(readsAllBook, `"valid_from": "2024-01-01",`, `"valid_from": "2024-01-01", "valid_to": "2024-03-15",`, 1)
			b = splitBook(t, v1, v2Book)
		}
		for i := range ds.Visits {
			v := &ds.Visits[i]
			v.Edited = rapid.IntRange(0, 3).Draw(t, "ed") == 0
			v.PlannedMinutes = rapid.SampledFrom([]int{0, 30, 45}).Draw(t, "pm")
			if rapid.IntRange(0, 5).Draw(t, "st") == 0 {
				v.Staff = 3
			}
		}
		noExplain := rapid.Bool().Draw(t, "noexplain")
		run := func(off bool) string {
			opts := reimbursement.Options{NoExplain: noExplain, Workers: 1}
			if off {
				opts = reimbursement.WithoutVisitSlots(opts)
			}
			s, err := reimbursement.Settle(context.Background(), b, ds, p, opts)
			if err != nil {
				t.Fatalf("Settle: %v", err)
			}
			var buf bytes.Buffer
			if err := s.WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.String()
		}
		if d := cmp.Diff(run(true), run(false)); d != "" {
			t.Fatalf("slots change the settlement (-off +on):\n%s", d)
		}
	})
}
