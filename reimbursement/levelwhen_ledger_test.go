package reimbursement_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// TestLevelSplitLedger: two level components split by level account for
// every day of an item whose level changes mid-month, each its days at
// its level paid and the others not paid (the case of
// TestLevelSplitByLevel): CheckLedger finds nothing unaccounted.
func TestLevelSplitLedger(t *testing.T) {
	levels := `"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "20"}]}`
	when := `category in ['care', 'service'] && level == `
	src := `{"name": "L", "valid_from": "2024-01-01", "source": "levelwhen_ledger_test", "currency": "SEK",
 "zones": ["tätort", "landsbygd"], "tables": {"lv": {"keys": ["level"], "rates": {"1": "100", "2": "200"}}},
 "components": [{"name": "n1", "strategy": "level", "when": "` + when + `'1'", "rate": "table('lv', level)", ` + levels + `},
  {"name": "n2", "strategy": "level", "when": "` + when + `'2'", "rate": "table('lv', level)", ` + levels + `}]}`
	v, err := reimbursement.ParseVersion(strings.NewReader(src), "l.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
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
	s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Total.String() != "150.00" { // 15 × 100 ÷ 30 + 15 × 200 ÷ 30 = 50.00 + 100.00
		t.Errorf("total %s, want 150.00", s.Total)
	}
	if err := tarifftest.CheckLedger(s, ds, b, fixture.April2024); err != nil {
		t.Error(err)
	}
}
