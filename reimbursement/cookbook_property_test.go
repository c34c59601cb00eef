package reimbursement_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

func cookbookTariff(rounding, components string) string {
	return `{"name": "P", "valid_from": "2024-01-01", "source": "property test", "currency": "SEK",
	"zones": ["tätort", "landsbygd"], "rounding": ` + rounding + `,
	"tables": {"timpris": {"keys": [], "rates": "487.00"}, "schablon": {"keys": ["task"], "rates": {"Städ": "45", "*": "20"}}},
	"components": [` + components + `]}`
}

// minutesOf adds up the minutes of a component's lines.
func minutesOf(s *reimbursement.Settlement, component string) decimal.Decimal {
	var m decimal.Decimal
	for _, l := range s.Lines {
		if l.Component == component && l.Unit == reimbursement.Minutes {
			m = m.Add(l.Quantity.Decimal)
		}
	}
	return m
}

// instead_of takes from the hourly component exactly the visits the
// standard-time component matches: the hourly component pays the same
// minutes as one whose when excludes them by hand. (Written by hand, the
// pair must say "stacks": the load cannot tell whens of task codes apart,
// and refuses a whole visit's minutes and its segments' that it cannot
// tell apart; stacking, neither takes anything from the other.)
func TestPropertyInsteadOfExcludes(t *testing.T) {
	std := `{"name": "schablon", "strategy": "standard_time", "when": "task in ['Städ', 'Inköp']", "rate": "table('timpris')",
		"params": {"minutes": "table('schablon', task)", "require_decision": false}`
	withInsteadOf := parseBookNamed(t, cookbookTariff(`{}`, `{"name": "timme", "strategy": "performed_time", "rate": "table('timpris')",
		"params": {"require_decision": false}}, `+std+`, "instead_of": ["timme"]}`))
	byHand := parseBookNamed(t, cookbookTariff(`{}`, `{"name": "timme", "strategy": "performed_time", "rate": "table('timpris')",
		"when": "!(task in ['Städ', 'Inköp'])", "params": {"require_decision": false}}, `+std+`, "stacks": true}`))
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p}).Draw(t, "dataset")
		a, b := settle(t, withInsteadOf, ds, p), settle(t, byHand, ds, p)
		for _, c := range []string{"timme", "schablon"} {
			if ma, mb := minutesOf(a, c), minutesOf(b, c); !ma.Equal(mb) {
				t.Fatalf("%s: %s min with instead_of, %s with the when written by hand", c, ma, mb)
			}
		}
	})
}

// Rounding per unit moves each line by at most half a krona per unit:
// the totals under per unit and per line differ by at most half a krona
// for each visit and each line.
func TestPropertyRoundingPerUnitBounded(t *testing.T) {
	comps := `{"name": "timme", "strategy": "performed_time", "rate": "table('timpris')", "params": {"require_decision": false}},
		{"name": "besök", "strategy": "per_visit", "when": "task == 'Tillsyn'", "rate": "10 * table('timpris') / 60"}`
	perUnit := parseBookNamed(t, cookbookTariff(`{"scale": 0, "per": "unit"}`, comps))
	perLine := parseBookNamed(t, cookbookTariff(`{"scale": 0, "per": "line"}`, comps))
	half := decimal.RequireFromString("0.5")
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p}).Draw(t, "dataset")
		a, b := settle(t, perUnit, ds, p), settle(t, perLine, ds, p)
		bound := half.Mul(decimal.NewFromInt(int64(len(ds.Visits) + len(a.Lines) + len(b.Lines))))
		if d := a.Total.Sub(b.Total.Decimal).Abs(); d.GreaterThan(bound) {
			t.Fatalf("per unit %s, per line %s: differ by %s > %s", a.Total, b.Total, d, bound)
		}
		if err := a.CheckSums(); err != nil {
			t.Fatal(err)
		}
	})
}

func parseBookNamed(t testing.TB, src string) *reimbursement.Book {
	t.Helper()
	return parseBook(t, src, "property.json")
}
