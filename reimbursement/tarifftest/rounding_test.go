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
	if err == nil || !strings.Contains(err.Error(), "brukare m3 minskar med 149.33 kr bortsett från avrundning (-8.15 %; som betalt 1832.90 → 1683.56 kr, -149.34 kr, varav avrundning -0.01 kr)") {
		t.Errorf("a real fall, rounding aside: got %v", err)
	}
}

// With CustomerRoundingAside the limit judges Difference − Rounding, and
// the message shows that first, the change as paid beside it. Customer
// k1: 100.00 → 99.00 kr, of which rounding +0.01: net of rounding −1.01
// kr, −1.01 %, beyond a limit of 1 %. The message said "minskar med
// 1.00 %" (the gross change, exactly at the limit, which percentBeside
// keeps on the limit's side: it read as within it), never the −1.01 it
// judged.
func TestRoundingAsideMessageShowsJudgedChange(t *testing.T) {
	amt := func(s string) reimbursement.Amount { return reimbursement.AmountOf(decimal.RequireFromString(s)) }
	r := amt("0.01")
	k1 := compare.Change{Key: "k1", Base: amt("100.00"), Proposed: amt("99.00"), Difference: amt("-1.00"), Rounding: &r}
	c := &compare.Report{Total: k1, Customers: []compare.Change{k1}}
	one := decimal.NewFromInt(1)
	b := bounded(c, Limits{MaxCustomerDecreasePercent: &one, CustomerRoundingAside: true})
	if b == nil {
		t.Fatal("no breach: net of rounding k1 falls 1.01 %, beyond 1 %")
	}
	want := "ersättningen för brukare k1 minskar med 1.01 % bortsett från avrundning (-1.01 kr; som betalt 100.00 → 99.00 kr, -1.00 kr, varav avrundning +0.01 kr); gränsen är"
	if !strings.HasPrefix(b.msg, want) {
		t.Errorf("the message does not show the change judged (-1.01 kr, -1.01 %%) first:\n got %s\nwant %s", b.msg, want)
	}
	// In kronor: a limit of 1 kr is broken by the 1.01 net, and said so.
	b = bounded(c, Limits{MaxCustomerDecrease: &one, CustomerRoundingAside: true})
	if want := "minskar med 1.01 kr bortsett från avrundning (-1.01 %; som betalt 100.00 → 99.00 kr, -1.00 kr, varav avrundning +0.01 kr)"; b == nil || !strings.Contains(b.msg, want) {
		t.Errorf("kronor: want %q, got %+v", want, b)
	}
}
