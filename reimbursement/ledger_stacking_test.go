package reimbursement_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// Found by attack: CheckLedger counted no minutes of a visit that only a
// stacking component paid (a supplement on delegated HSL beside omsorg
// on care: "0 staff minutes accounted, want 60"); a stacking component
// accounts for the minutes no other component accounts for.
func TestLedgerWithStackingComponents(t *testing.T) {
	omsorg := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}}`
	tillägg := `{"name": "tillägg", "strategy": "performed_time", "when": "category in ['care', 'delegated_hsl']", "stacks": true, "rate": "60", "params": {"require_decision": false}}`
	natt := `{"name": "natt", "strategy": "per_visit", "when": "category == 'care' && band == 'natt'", "rate": "500", "instead_of": ["omsorg"]}`
	nattStack := `{"name": "natt", "strategy": "per_visit", "when": "category == 'care' && band == 'natt'", "stacks": true, "rate": "500", "instead_of": ["omsorg"]}`
	tilläggInstead := `{"name": "tillägg", "strategy": "performed_time", "when": "category == 'care' && band == 'natt'", "stacks": true, "rate": "60", "instead_of": ["omsorg"], "params": {"require_decision": false}}`
	for name, comps := range map[string]string{
		"stack+instead":       omsorg + ", " + tillägg + ", " + natt,
		"stacking instead":    omsorg + ", " + nattStack,
		"stacking pt instead": omsorg + ", " + tilläggInstead,
		"stack alone on hsl":  omsorg + ", " + tillägg,
	} {
		ds := fixture.Data()
		ds.Visits = []models.Visit{fixture.Visit("2024-04-03 22:00", "2024-04-03 23:00", "Dusch"), fixture.Visit("2024-04-04 08:00", "2024-04-04 09:00", "Dusch"),
			fixture.Visit("2024-04-05 08:00", "2024-04-05 09:00", "HSL")}
		b := splitBook(t, fixture.Doc(comps))
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var lines []string
		for _, l := range s.Lines {
			lines = append(lines, fmt.Sprintf("%s %s %s %v", l.Component, l.Quantity, l.Amount, l.Units))
		}
		var un []string
		for _, u := range s.NotPaid {
			un = append(un, fmt.Sprintf("%s %s %s %d", u.Component, u.ID, u.Reason, u.Minutes))
		}
		if err := tarifftest.CheckLedger(s, ds, b, fixture.April2024); err != nil {
			t.Errorf("%s: %v (lines %v, not paid %v)", name, err, lines, un)
		}
	}
}
