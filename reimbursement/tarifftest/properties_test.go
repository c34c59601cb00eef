package tarifftest

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

func book(t *testing.T, path string, edit func(string) string) *reimbursement.Book {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := reimbursement.ParseVersion(strings.NewReader(edit(string(b))), path)
	if err != nil {
		t.Fatal(err)
	}
	bk, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	return bk
}

func april(t *testing.T) calendar.Period {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	p, err := calendar.Month(2024, time.April, loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func same(s string) string { return s }

// A proposal that raises every rate by 5 % breaks "the budget may not
// rise", and rapid says so with a counterexample; one that lowers them
// holds.
func TestCheckBoundedChange(t *testing.T) {
	current := book(t, "../testdata/mixed.json", same)
	dearer := book(t, "../testdata/mixed.json", func(s string) string {
		return strings.Replace(s, `"rate": "table(\"timpris\", category, zone)"`, `"rate": "table(\"timpris\", category, zone) * 1.05"`, 1)
	})
	cheaper := book(t, "../testdata/mixed.json", func(s string) string {
		return strings.Replace(s, `"rate": "table(\"timpris\", category, zone)"`, `"rate": "table(\"timpris\", category, zone) * 0.95"`, 1)
	})
	zero := decimal.Zero
	limits := Limits{MaxBudgetIncrease: &zero}
	cfg := Config{Period: april(t), MaxCustomers: 4}

	err := FindCounterexample(t, cfg, Proposal{Base: compare.Side{Name: "nu", Book: current},
		Proposed: compare.Side{Name: "förslag", Book: dearer}}, limits)
	if err == nil || !strings.Contains(err.Error(), "budgeten ökar med") {
		t.Errorf("a dearer tariff passed the budget limit: %v", err)
	}
	if err := FindCounterexample(t, cfg, Proposal{Base: compare.Side{Name: "nu", Book: current},
		Proposed: compare.Side{Name: "förslag", Book: cheaper}}, limits); err != nil {
		t.Errorf("a cheaper tariff breaks the budget limit: %v", err)
	}

}

func TestCheckBounded(t *testing.T) {
	two, five := decimal.NewFromInt(2), decimal.NewFromInt(5)
	c := &compare.Report{
		Total:     change("1000.00", "990.00"),
		Providers: []compare.Change{change("500.00", "520.00")}, // +4 %
		Fees: []compare.FeeChange{{Customer: "k1", Period: "2024-04",
			Base: &fee.Fee{Amount: amount("900")}, Proposed: &fee.Fee{Amount: amount("910")},
			Difference: amount("10")}},
	}
	fees := change("900", "910")
	c.FeeTotal = &fees
	c.Providers[0].Key = "p1"
	zero := decimal.Zero
	if err := CheckBounded(c, Limits{MaxBudgetIncrease: &zero}); err != nil {
		t.Errorf("budget falls: %v", err)
	}
	if err := CheckBounded(c, Limits{MaxProviderChange: &five}); err != nil {
		t.Errorf("4 %% within 5 %%: %v", err)
	}
	err := CheckBounded(c, Limits{MaxProviderChange: &two})
	if err == nil || !strings.Contains(err.Error(), "summan för utförare p1 ökar med 4.00 % (500.00 → 520.00 kr, +20.00 kr); gränsen är en ändring med högst 2 % uppåt eller nedåt") {
		t.Errorf("provider: %v", err)
	}
	err = CheckBounded(c, Limits{MaxFeeChange: &five})
	if err == nil || !strings.Contains(err.Error(), "avgiften för brukare k1 för 2024-04 ökar med 10 kr (900 → 910 kr, +1.11 %); gränsen är en ändring med högst 5 kr uppåt eller nedåt") {
		t.Errorf("fee: %v", err)
	}
	// A fee limit on a comparison without fee schedules computed no fee:
	// it is not judged, and does not pass (it passed, found by trial).
	noFees := *c
	noFees.Fees, noFees.FeeTotal = nil, nil
	err = CheckBounded(&noFees, Limits{MaxFeeChange: &zero})
	if err == nil || err.Error() != "avgiftsgränsen på 0 kr bedöms inte: ingen av sidorna har en avgiftstaxa (compare.Side.Fees)" {
		t.Errorf("fee limit without fees: %v", err)
	}
	// p1 rises by 520.00 − 500.00 = 20.00 kr: beyond 15 kr, within 25 kr.
	fifteen, twentyFive := decimal.NewFromInt(15), decimal.NewFromInt(25)
	if err := CheckBounded(c, Limits{MaxProviderChangeKronor: &twentyFive}); err != nil {
		t.Errorf("20 kr within 25 kr: %v", err)
	}
	err = CheckBounded(c, Limits{MaxProviderChangeKronor: &fifteen})
	if err == nil || !strings.Contains(err.Error(), "summan för utförare p1 ökar med 20.00 kr (500.00 → 520.00 kr, +4.00 %); gränsen är en ändring med högst 15 kr uppåt eller nedåt") {
		t.Errorf("provider kr: %v", err)
	}
}

// A budget of 1000.00 kr rising to 1015.00 rises 1.5 %: within 2 %, beyond
// 1 %; 1000.00 → 1020.00 is exactly 2 %, still within it.
func TestCheckBoundedBudgetPercent(t *testing.T) {
	one, two := decimal.NewFromInt(1), decimal.NewFromInt(2)
	c := &compare.Report{Total: change("1000.00", "1015.00")}
	if err := CheckBounded(c, Limits{MaxBudgetIncreasePercent: &two}); err != nil {
		t.Errorf("1.5 %% within 2 %%: %v", err)
	}
	err := CheckBounded(c, Limits{MaxBudgetIncreasePercent: &one})
	if err == nil || !strings.Contains(err.Error(), "budgeten ökar med 1.50 % (1000.00 → 1015.00 kr, +15.00 kr); gränsen är en ökning med högst 1 %") {
		t.Errorf("1.5 %% beyond 1 %%: %v", err)
	}
	c = &compare.Report{Total: change("1000.00", "1020.00")}
	if err := CheckBounded(c, Limits{MaxBudgetIncreasePercent: &two}); err != nil {
		t.Errorf("exactly 2 %%: %v", err)
	}
}

func change(base, proposed string) compare.Change {
	b, p := decimal.RequireFromString(base), decimal.RequireFromString(proposed)
	c := compare.Change{Base: reimbursement.AmountOf(b), Proposed: reimbursement.AmountOf(p), Difference: reimbursement.AmountOf(p.Sub(b))}
	if !b.IsZero() { // Percent is nil from a base of zero, as compare sets it
		pct := reimbursement.AmountOf(p.Sub(b).Mul(decimal.NewFromInt(100)).Div(b).Round(2))
		c.Percent = &pct
	}
	return c
}

func amount(s string) reimbursement.Amount {
	return reimbursement.AmountOf(decimal.RequireFromString(s))
}

// A provider's change is judged exactly: 4208.07 → 4250.29 kr is +42.22
// kr, +1.00332… % (42.22 × 100 ÷ 4208.07), which Percent shows as 1.00
// and which breaks a limit of 1 % (found by a trial, in compare's count),
// written 1.003 % so that it does not read as within the limit;
// a provider paid nothing now and 10.00 kr under the proposal breaks any
// percent limit, said from 0.00 kr rather than in percent of nothing; a
// report with warnings breaks every limit.
func TestCheckBoundedExactly(t *testing.T) {
	one, hundred := decimal.NewFromInt(1), decimal.NewFromInt(100)
	c := &compare.Report{Total: change("4208.07", "4250.29"), Providers: []compare.Change{change("4208.07", "4250.29")}}
	c.Providers[0].Key = "privat"
	if c.Providers[0].Percent.String() != "1.00" {
		t.Fatalf("percent %s, want 1.00", c.Providers[0].Percent)
	}
	err := CheckBounded(c, Limits{MaxProviderChange: &one})
	if err == nil || !strings.Contains(err.Error(), "summan för utförare privat ökar med 1.003 % (4208.07 → 4250.29 kr, +42.22 kr); gränsen är en ändring med högst 1 % uppåt eller nedåt") {
		t.Errorf("+1.0033 %% against 1 %%: %v", err)
	}
	c = &compare.Report{Providers: []compare.Change{{Key: "ny", Base: amount("0.00"), Proposed: amount("10.00"), Difference: amount("10.00")}}}
	if err := CheckBounded(c, Limits{MaxProviderChange: &hundred}); err == nil || !strings.Contains(err.Error(), "summan för utförare ny ökar med 10.00 kr från 0.00 kr; gränsen") {
		t.Errorf("from zero against 100 %%: %v", err)
	}
	c = &compare.Report{Total: change("1000.00", "500.00"), Warnings: []string{"förslag leaves 4 records unpaid for no_tariff"}}
	if err := CheckBounded(c, Limits{MaxBudgetIncrease: &one}); err == nil || !strings.Contains(err.Error(), "jämförelsen bedöms inte: förslag leaves") {
		t.Errorf("a report with a warning: %v", err)
	}
}
