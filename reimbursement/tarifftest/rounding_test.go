package tarifftest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// A proposal that only raises rates, from 16 April (compare's
// testdata/split, trial81's boundary month): m3's rates do not change,
// but its HSL, one line of 43 min × 448 ÷ 60 = 321.0667 → 321.07 now,
// is two under the proposal, 171.7333 → 171.73 + 149.3333 → 149.33 =
// 321.06: −0.01, all of it rounding. MaxCustomerDecrease 0 judges the
// change as paid and is broken by that öre (the default, unchanged);
// with CustomerRoundingAside it judges −0.01 − (−0.01) = 0 and holds.
// A real fall is still caught with rounding aside (below).
func TestCustomerRoundingAside(t *testing.T) {
	fsys := os.DirFS("../compare/testdata/split")
	base, err := reimbursement.LoadBook(fsys, "base")
	if err != nil {
		t.Fatal(err)
	}
	prop, err := reimbursement.LoadBook(fsys, "proposed")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := models.ReadDatasetFS(fsys, "boundary.json")
	if err != nil {
		t.Fatal(err)
	}
	april, err := calendar.Month(2024, 4, fixture.Stockholm)
	if err != nil {
		t.Fatal(err)
	}
	run := func(pds *models.Dataset) *compare.Report {
		c, err := compare.Run(context.Background(), compare.Side{Name: "nuvarande", Book: base, Data: ds},
			compare.Side{Name: "förslag", Book: prop, Data: pds}, []calendar.Period{april}, compare.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := run(ds)
	zero := decimal.Zero
	err = CheckBounded(c, Limits{MaxCustomerDecrease: &zero})
	if err == nil || !strings.Contains(err.Error(), "brukare m3 minskar med 0.01 kr") {
		t.Errorf("default: want m3's öre to break the limit, got %v", err)
	}
	if err := CheckBounded(c, Limits{MaxCustomerDecrease: &zero, CustomerRoundingAside: true}); err != nil {
		t.Errorf("rounding aside: %v", err)
	}
	pct := decimal.Zero
	if err := CheckBounded(c, Limits{MaxCustomerDecreasePercent: &pct, CustomerRoundingAside: true}); err != nil {
		t.Errorf("rounding aside, percent: %v", err)
	}
	// Without h2 (20 min) under the proposal m3's HSL is 23 × 448 ÷ 60
	// = 171.7333 → 171.73 against 321.07: −149.34; rounding (171.73 −
	// 171.7333) − (321.07 − 321.0667) = −0.0067 → −0.01, so the fall net
	// of rounding is −149.34 − (−0.01) = −149.33: broken.
	fewer := *ds
	fewer.Visits = nil
	for _, v := range ds.Visits {
		if v.ID != "h2" {
			fewer.Visits = append(fewer.Visits, v)
		}
	}
	err = CheckBounded(run(&fewer), Limits{MaxCustomerDecrease: &zero, CustomerRoundingAside: true})
	if err == nil || !strings.Contains(err.Error(), "brukare m3 minskar med 149.34 kr") || !strings.Contains(err.Error(), "varav avrundning -0.01 kr") {
		t.Errorf("a real fall, rounding aside: got %v", err)
	}
}
