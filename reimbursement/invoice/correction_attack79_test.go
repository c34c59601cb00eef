package invoice

import (
	"testing"
)

// Options.Corrects "gives the number of the invoice a provider's
// correction corrects, and makes each basis Build returns a correction of
// it (Basis.Corrects)". A Corrects that gives "" for a provider (a lookup
// of the month's invoice numbers that misses it) is not refused: the
// correction is built as an ordinary invoice, numbered "-korr", with no
// BillingReference — sent, the buyer receives an invoice of the
// difference that refers to nothing.
func TestAttack79CorrectsEmptyNumberNotRefused(t *testing.T) {
	_, ds, _ := inputs(t)
	issued, fresh := tyresoCorrection(t)
	c, err := Correct(issued, fresh)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions()
	opts.Corrects = func(string) string { return "" }
	bases, err := c.Build(ds, opts)
	if err == nil {
		for _, b := range bases {
			t.Errorf("provider %s: built without error: number %q, corrects %q, total %s (no BillingReference)", b.Provider, b.Number, b.Corrects, b.Total)
		}
	}
}
