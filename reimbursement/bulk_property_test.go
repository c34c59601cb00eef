package reimbursement_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// taskBook reads a visit's task codes in when, rate and a parameter:
// what a settlement without explanations leaves out of the environments
// of tariffs that do not read them.
const taskBook = `{
  "name": "Insatser 2024", "valid_from": "2024-01-01", "source": "test", "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "components": [
    {"name": "dusch", "strategy": "performed_time", "when": "category == \"care\" && has_task(tasks, \"Dusch\")",
     "rate": "task == \"Dusch\" ? 510 : 480", "params": {"declined_share": "0.5"}},
    {"name": "omsorg", "strategy": "performed_time", "when": "category == \"care\"", "rate": "448"},
    {"name": "städ", "strategy": "standard_time", "when": "category == \"service\"", "rate": "439",
     "params": {"minutes": "task == \"Städ\" ? 45 : 30"}}
  ]
}`

// paramTasksBook reads a visit's task codes in a parameter only.
const paramTasksBook = `{
  "name": "Schablon 2024", "valid_from": "2024-01-01", "source": "test", "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "components": [
    {"name": "schablon", "strategy": "standard_time", "when": "category == \"care\"", "rate": "448",
     "params": {"minutes": "has_task(tasks, \"Dusch\") ? 45 : 30"}}
  ]
}`

// Settling without explanations gives the settlement with explanations,
// less the explanations, byte for byte: under the mixed tariff, whose
// expressions read no task code, and under ones that read them, in
// when, rate or a parameter.
func TestPropertyBulkIsExplainedLessExplanations(t *testing.T) {
	books := []*reimbursement.Book{load(t, "mixed.json"), parseBook(t, taskBook, "tasks.json"), load(t, "performed.json"),
		parseBook(t, paramTasksBook, "param-tasks.json")}
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 3, MaxProviders: 2, MaxVisits: 12}).Draw(t, "dataset")
		b := books[rapid.IntRange(0, len(books)-1).Draw(t, "book")]
		bulk, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true})
		if err != nil {
			t.Fatalf("Settle: %v", err)
		}
		explained, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{})
		if err != nil {
			t.Fatalf("Settle: %v", err)
		}
		for i := range explained.Lines {
			explained.Lines[i].Explanation = nil
		}
		var want, got bytes.Buffer
		if err := explained.WriteJSON(&want); err != nil {
			t.Fatal(err)
		}
		if err := bulk.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want.String(), got.String()); d != "" {
			t.Fatalf("bulk differs from explained (-explained +bulk):\n%s", d)
		}
	})
}
