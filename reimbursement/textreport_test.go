package reimbursement

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// TestWriteTextCustomersWithoutLines: ProviderTotal.Customers counts
// every customer with a record with the provider, paid or not, and the
// invoice basis lists only those with lines; a reader of the report saw
// two customers with egen and one in its basis, without a word (found by
// a vendor's trial). The report says how many have no lines; the amounts
// are unchanged.
func TestWriteTextCustomersWithoutLines(t *testing.T) {
	book := mustBook(t, doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "448", "params": {"require_decision": false}}`))
	ds := data()
	ds.Visits = []models.Visit{
		visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch"),
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch", func(v *models.Visit) { v.Customer, v.Approved = "k2", false }),
		visit("2024-03-28 10:00", "2024-03-28 10:30", "Dusch", func(v *models.Visit) { v.Provider = "priv" }),
	}
	s := settle(t, book, ds)
	var b bytes.Buffer
	if err := s.WriteText(&b, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	// k1: 30 min × 448 kr/h ÷ 60 = 224.00 kr with egen; k2's visit is
	// not approved, k1's with priv is of March: both counted, no lines.
	if diff := cmp.Diff([]ProviderTotal{
		{Provider: "egen", Name: "Egen regi", Ownership: models.OwnOperation, Customers: 2, Amount: AmountOf(dec("224.00"))},
		{Provider: "priv", Name: "Privat AB", Ownership: models.Private, Customers: 1, Amount: AmountOf(dec("0"))},
	}, s.Providers); diff != "" {
		t.Errorf("providers (-want +got):\n%s", diff)
	}
	const want = `Ersättning 2024-04
Taxa: Test 2024 (från 2024-01-01; avrundning half_up till 2 decimaler)
  test

  utförare     regiform  brukare  beviljad min  utförd min  utförandegrad  avböjda besök  belopp kr
      egen    egen regi        2             0           0              –              0     224.00
      priv  privat regi        1             0           0              –              0       0.00
    totalt                     2             0           0              –              0     224.00
Brukare: alla med beslut, besök, listning eller larmhändelse hos utföraren.
Utan rader (inget betalt), och därför inte i fakturaunderlaget: egen 1, priv 1.

Inte betalt (2):
  besök v002  egen/k2  2024-04-03  ej attesterat    30 min
  1 poster                         utanför månaden  30 min  av andra månader; JSON och CSV listar dem
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteText (-want +got):\n%s", diff)
	}
	// With every customer counted on lines, nothing is said.
	s = settle(t, book, &models.Dataset{Tasks: ds.Tasks, Customers: ds.Customers[:1], Providers: ds.Providers, Visits: ds.Visits[:1]})
	b.Reset()
	if err := s.WriteText(&b, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("Utan rader")) {
		t.Errorf("WriteText of customers all with lines:\n%s", b.String())
	}
}

// TestWriteTextVersionEnds: a version that ends within the month was
// written "Taxa: Tyresö 2021 (från 2021-01-01; …)", as if in force all
// of it (found by a vendor's trial); its end is written, an open one
// has none.
func TestWriteTextVersionEnds(t *testing.T) {
	comp := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "448", "params": {"require_decision": false}}`
	first := strings.Replace(doc(comp), `"source": "test"`, `"valid_to": "2024-04-15", "source": "test"`, 1)
	second := strings.Replace(strings.Replace(doc(comp), `"valid_from": "2024-01-01"`, `"valid_from": "2024-04-16"`, 1), `"Test 2024"`, `"Test 2024 b"`, 1)
	if first == doc(comp) || !strings.Contains(second, `"Test 2024 b"`) {
		t.Fatal("the documents were not rewritten")
	}
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch")}
	s := settle(t, mustBook(t, first, second), ds)
	var b bytes.Buffer
	if err := s.WriteText(&b, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Taxa: Test 2024 (från 2024-01-01 till 2024-04-15; avrundning half_up till 2 decimaler)",
		"Taxa: Test 2024 b (från 2024-04-16; avrundning half_up till 2 decimaler)",
	}
	var got []string
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(line, "Taxa: ") {
			got = append(got, strings.TrimSuffix(line, "\n"))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteText (-want +got):\n%s", diff)
	}
}

// Amounts in the text report have the decimals of the rounding: a provider
// paid nothing is 0.00 beside the others' 200.00, not 0 (found by a
// vendor's trial).
func TestTextAmountsHaveTheRoundingsDecimals(t *testing.T) {
	ds := data()
	notApproved := func(v *models.Visit) { v.Approved = false }
	ds.Visits = []models.Visit{
		visit("2024-04-02 10:00", "2024-04-02 10:30", "Städ"), // k1 at egen: 30 min × 400 ÷ 60 = 200.00
		visit("2024-04-02 11:00", "2024-04-02 11:30", "Städ", func(v *models.Visit) { v.Customer, v.Provider = "k2", "priv" }, notApproved),
	}
	s := settle(t, mustBook(t, doc(`{"name": "tid", "strategy": "performed_time", "when": "category == 'service'", "rate": "table('band', band)", "params": {"require_decision": false}}`)), ds)
	var b strings.Builder
	if err := s.WriteText(&b, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "egen" || f[0] == "priv" || f[0] == "totalt") {
			rows = append(rows, f[0]+" "+f[len(f)-1])
		}
	}
	if diff := cmp.Diff([]string{"egen 200.00", "priv 0.00", "totalt 200.00"}, rows); diff != "" {
		t.Errorf("amounts (-want +got):\n%s\n%s", diff, b.String())
	}
}
