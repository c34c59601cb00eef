package reimbursement_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// ledgerDatasetsPerCheck × ledgerChecks is the number of generated
// datasets the ledger property settles and checks: 10 000, small ones.
const (
	ledgerChecks           = 100
	ledgerDatasetsPerCheck = 100
)

// partialBook is the mixed tariff with care paid only by day and evening:
// the night minutes of a care visit are paid by no component and must be
// reported outside_paid_hours.
func partialBook(t testing.TB) *reimbursement.Book {
	t.Helper()
	src, err := os.ReadFile("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(src), `"when": "category == \"care\"", "rate": "table(\"band\", band)"`,
		`"when": "category == \"care\" && band in [\"dag\", \"kväll\"]", "rate": "table(\"band\", band)"`, 1)
	if doc == string(src) {
		t.Fatal("partialBook: the care component was not found")
	}
	return parseBook(t, doc, "partial.json")
}

// activityBook pays granted activities (per_activity), care by granted
// time without an absence ladder, and licensed visits per visit only when
// a decision covers them, declined ones at no share: the strategies and
// branches the mixed tariff leaves out.
const activityBook = `{
  "name": "Aktiviteter 2024", "valid_from": "2024-01-01", "source": "test", "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "time_rounding": {"mode": "down"},
  "components": [
    {"name": "aktivitet", "strategy": "per_activity", "when": "category == \"service\"", "rate": "112.50"},
    {"name": "omsorg", "strategy": "granted_time", "when": "category == \"care\"", "rate": "448"},
    {"name": "hembesök", "strategy": "per_visit", "when": "licensed", "rate": "420", "params": {"require_decision": true, "declined_share": "0"}},
    {"name": "hsl", "strategy": "performed_time", "when": "category == \"delegated_hsl\" && band != \"natt\"", "rate": "448",
     "params": {"cap": "granted", "declined_share": "0"}}
  ]
}`

// parseBook makes a book of the one tariff document src, named name.
func parseBook(t testing.TB, src, name string) *reimbursement.Book {
	t.Helper()
	v, err := reimbursement.ParseVersion(strings.NewReader(src), name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every visit minute, granted item-day, listing-day and event is paid on a
// line or reported not paid, and the two add up (tarifftest.CheckLedger),
// under every built-in strategy (the mixed tariff uses all but
// per_activity, activityBook that one), under a tariff that pays only some
// hours, and under the one that pays performed time by band. Each check settles ledgerDatasetsPerCheck small
// datasets, so that the property covers 10 000 of them in a few seconds
// on two cores.
func TestPropertyLedger(t *testing.T) {
	books := []*reimbursement.Book{load(t, "mixed.json"), partialBook(t), load(t, "performed.json"),
		parseBook(t, activityBook, "activities.json")}
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		if n >= ledgerChecks*ledgerDatasetsPerCheck {
			return // shrinking or a rerun: the count is reached
		}
		p := genPeriod(t)
		gen := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 2, MaxProviders: 2, MaxVisits: 6})
		for range ledgerDatasetsPerCheck {
			ds := gen.Draw(t, "dataset")
			b := books[n%len(books)]
			n++
			s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true, Workers: 1})
			if err != nil {
				t.Fatalf("Settle: %v", err)
			}
			if err := tarifftest.CheckLedger(s, ds, b, p); err != nil {
				t.Fatal(err)
			}
			if err := s.CheckSums(); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Logf("the ledger held on %d generated datasets", n)
	if n < ledgerChecks*ledgerDatasetsPerCheck && !testing.Short() {
		t.Errorf("only %d datasets checked, want %d: is -rapid.checks below %d?", n, ledgerChecks*ledgerDatasetsPerCheck, ledgerChecks)
	}
}
