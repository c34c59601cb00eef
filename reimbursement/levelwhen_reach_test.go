package reimbursement_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// TestLevelWhenFailsOnlyAtLevelsReached: a level component's when that
// fails at a level fails only for a customer who reaches it. k1 is
// granted care (Tillsyn) 30 min a day, 15 h in April, and from the 16th
// service (Städ) 20 min a day, 10 h more: 15 h to the 15th, 25 h after.
//
// With levels 1 (from 0 h), 2 (20 h) and 3 (100 h) and a when reading
// table('tl', task, level) of a table without level 3, k1 is at level 1
// to the 15th and 2 after, never 3: n pays 15 × 100 ÷ 30 = 50.00 and 15 ×
// 200 ÷ 30 = 100.00, 150.00 (found by review: the when was asked at every
// level to pool the items, and its failure at level 3 reported both
// items rate_error, paying 0).
//
// With level 3 from 25 h and a when that at level 3 reads table t3 of
// Tillsyn alone, k1 is at level 3 from the 16th, where the when fails on
// Städ: Städ is reported rate_error for its 15 days, as a when that fails
// on one unit is, and its hours still set the level, as the when holds
// for it at level 1. Tillsyn: 15 × 100 ÷ 30 = 50.00 and 15 × 300 ÷ 30 =
// 150.00, 200.00 (Städ left out of the pool, Tillsyn was paid 100.00 at
// level 1 all month).
func TestLevelWhenFailsOnlyAtLevelsReached(t *testing.T) {
	d := calendar.MustParseDate
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Tillsyn", Category: models.Care}, {Local: "Städ", Category: models.Service}},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "egen", Name: "Egen regi", Ownership: models.OwnOperation}},
		Decisions: []models.Decision{
			{ID: "k1-b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
				Items: []models.GrantedItem{{Task: "Tillsyn", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}},
			{ID: "k1-s", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-16"), ExecutionStarted: d("2024-04-16"),
				Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, Minutes: 20, Times: 1, Per: models.PerDay}}},
		},
	}
	for _, tt := range []struct {
		tables, when, level3, total string
		rateError                   []string
	}{
		{`"tl": {"keys": ["task", "level"], "rates": {"Tillsyn": {"1": "1", "2": "1"}, "Städ": {"1": "1", "2": "1"}}}`,
			"table('tl', task, level) > 0", "100", "150.00", nil},
		{`"t3": {"keys": ["task"], "rates": {"Tillsyn": "1"}}`, "level != '3' || table('t3', task) > 0", "25", "200.00",
			[]string{`k1-s Städ 15: table "t3": no rate for key task=Städ`}},
	} {
		src := `{"name": "L", "valid_from": "2024-01-01", "source": "levelwhen_reach_test", "currency": "SEK", "zones": ["tätort"],
 "tables": {"lv": {"keys": ["level"], "rates": {"1": "100", "2": "200", "3": "300"}}, ` + tt.tables + `},
 "components": [{"name": "n", "strategy": "level", "when": "` + tt.when + `", "rate": "table('lv', level)",
  "params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "20"}, {"name": "3", "from_hours": "` + tt.level3 + `"}]}}]}`
		v, err := reimbursement.ParseVersion(strings.NewReader(src), "l.json")
		if err != nil {
			t.Fatal(err)
		}
		b, err := reimbursement.NewBook(v)
		if err != nil {
			t.Fatal(err)
		}
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var rateErrors []string
		for _, u := range s.NotPaid {
			if u.Reason == reimbursement.RateError {
				rateErrors = append(rateErrors, fmt.Sprintf("%s %s %d: %s", u.ID, u.Item, u.Days, u.Detail))
			}
		}
		if s.Total.String() != tt.total {
			t.Errorf("when %s: total %s, want %s", tt.when, s.Total, tt.total)
		}
		if diff := cmp.Diff(tt.rateError, rateErrors); diff != "" {
			t.Errorf("when %s: rate errors (-want +got):\n%s", tt.when, diff)
		}
		if err := s.CheckSums(); err != nil {
			t.Error(err)
		}
		if err := tarifftest.CheckLedger(s, ds, b, fixture.April2024); err != nil {
			t.Errorf("when %s: %v", tt.when, err)
		}
	}
}
