package invoice

import (
	"bytes"
	"context"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// On generated populations, every provider's invoice basis adds up to its
// total in the settlement, and its Peppol invoice keeps every rule the
// validator checks and is due exactly that total.
func TestPeppolProperty(t *testing.T) {
	book, _, march := inputs(t)
	checked := 0
	rapid.Check(t, func(t *rapid.T) {
		ds := tarifftest.Dataset(tarifftest.Config{Period: march, Zones: []string{"Tyresö"}, MaxCustomers: 5}).Draw(t, "dataset")
		s, err := reimbursement.Settle(context.Background(), book, ds, march, reimbursement.Options{NoExplain: true, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		opts := testOptions()
		opts.Sellers = map[string]Party{}
		for _, p := range ds.Providers {
			opts.Sellers[p.ID] = Party{OrgNumber: "556677-8899", FSkatt: true}
		}
		bases, err := Build(s, ds, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range bases {
			if !b.Total.Equal(s.Providers[i].Amount) {
				t.Fatalf("%s: basis %s, settlement %s", b.Provider, b.Total, s.Providers[i].Amount)
			}
			if len(b.Customers) == 0 {
				continue
			}
			checked++
			inv, err := b.Peppol(PeppolOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := inv.WriteXML(&buf); err != nil {
				t.Fatal(err)
			}
			if err := Validate(&buf); err != nil {
				t.Fatalf("%s: %v\n%s", b.Provider, err, buf.String())
			}
			if got, err := decimal.NewFromString(inv.doc.Totals.Payable.Value); err != nil || !got.Equal(b.Total.Decimal) {
				t.Fatalf("%s: payable %s, total %s", b.Provider, inv.doc.Totals.Payable.Value, b.Total)
			}
		}
	})
	if checked == 0 {
		t.Error("no generated provider had an invoice to check")
	}
	t.Logf("%d invoices checked", checked)
}
