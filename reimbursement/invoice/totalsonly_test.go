package invoice

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// The totals SettleCustomers returns are no settlement to invoice, correct
// by or put into a month: Replace, Merge, Build, Correct and CheckSums
// say so, and what to pass instead (found by a vendor's trial: Replace
// given them said only "provider privat: total 968.19, lines sum to 0").
func TestTotalsOnlyRefused(t *testing.T) {
	book, ds, march := inputs(t)
	ctx := context.Background()
	opts := reimbursement.Options{NoExplain: true}
	issued, err := reimbursement.Settle(ctx, book, ds, march, opts)
	if err != nil {
		t.Fatal(err)
	}
	var parts []*reimbursement.Settlement
	totals, err := reimbursement.SettleCustomers(ctx, book, &models.Dataset{Tasks: ds.Tasks, Providers: ds.Providers}, ds.ByCustomer("t3"), march, opts,
		func(s *reimbursement.Settlement) error { parts = append(parts, s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !totals.TotalsOnly() || len(parts) != 1 || parts[0].TotalsOnly() || issued.TotalsOnly() {
		t.Fatalf("TotalsOnly: totals %v, part %v, issued %v", totals.TotalsOnly(), parts[0].TotalsOnly(), issued.TotalsOnly())
	}
	const hint = "holds totals only, no lines or customers, as SettleCustomers returns: Merge the settlements its sink received and pass that"
	_, errReplace := reimbursement.Replace(issued, totals, "t3")
	_, errMerge := reimbursement.Merge(append(parts, totals)...)
	_, errBuild := Build(totals, ds, Options{})
	_, errCorrect := Correct(issued, totals)
	for name, err := range map[string]error{"Replace": errReplace, "Merge": errMerge, "Build": errBuild, "Correct": errCorrect, "CheckSums": totals.CheckSums()} {
		if !errors.Is(err, reimbursement.ErrTotalsOnly) || !strings.Contains(err.Error(), hint) {
			t.Errorf("%s: %v, want ErrTotalsOnly", name, err)
		}
	}
	// What to pass instead: the parts merged. t3 settled again on the
	// same data is the month as issued: 968.19 kr of t3, the same total.
	fresh, err := reimbursement.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	month, err := reimbursement.Replace(issued, fresh, "t3")
	if err != nil {
		t.Fatal(err)
	}
	if !month.Total.Equal(issued.Total) || fresh.Total.String() != "968.19" {
		t.Errorf("replaced: total %s, issued %s; t3 %s, want 968.19", month.Total, issued.Total, fresh.Total)
	}
}
