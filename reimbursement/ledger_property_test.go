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
	v, err := reimbursement.ParseVersion(strings.NewReader(doc), "partial.json")
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
// under every built-in strategy (the mixed tariff uses all of them), under
// a tariff that pays only some hours, and under the one that pays
// performed time by band. Each check settles ledgerDatasetsPerCheck small
// datasets, so that the property covers 10 000 of them in a few seconds
// on two cores.
func TestPropertyLedger(t *testing.T) {
	books := []*reimbursement.Book{load(t, "mixed.json"), partialBook(t), load(t, "performed.json")}
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
			if err := tarifftest.CheckSums(s); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Logf("the ledger held on %d generated datasets", n)
	if n < ledgerChecks*ledgerDatasetsPerCheck && !testing.Short() {
		t.Errorf("only %d datasets checked, want %d: is -rapid.checks below %d?", n, ledgerChecks*ledgerDatasetsPerCheck, ledgerChecks)
	}
}
