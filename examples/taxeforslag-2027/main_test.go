package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// TestBudgetEffect compares the current tariff with the proposal over
// October and November 2026 and checks the budget, the components and the
// customers against the arithmetic of README.md, worked out by hand:
//
//	taxa 2026:    October 3 771.01 (egen) + 2 377.66 (omsorgshuset) = 6 148.67,
//	              November 1 659.31 + 992.16 = 2 651.47; together 8 800.14
//	förslag 2027: October 5 160.42 + 5 116.53 = 10 276.95,
//	              November 3 113.26 + 3 185.10 = 6 298.36; together 16 575.31
//	difference:   16 575.31 − 8 800.14 = +7 775.17 (7 775.17 ÷ 8 800.14 = +88.35 %)
//	tid:          5 829.93 + 2 595.31 = 8 425.24 → 5 998.99 + 2 645.81 = 8 644.80
//	natt:         113.33 + 70.83 = 184.16 → 146.67 + 91.67 = 238.34
//	avböjt:       0 → 180.59 (t1: 30 planned min × 481.57 × 0.75 ÷ 60)
//	omfattning:   0 → 1 250 × 5 + 791.67 = 7 041.67
//	moms:         78.42 + 56.16 + 56.16 = 190.74 → 156.83 + 132.79 + 75.00 + 105.29 = 469.91
//	t4:           992.16 + 992.16 = 1 984.32 → 2 345.93 + 1 860.10 = 4 206.03
//	t5:           247.25 + 259.61 = 506.86 → 254.42 + 254.42 = 508.84
//
// Each settlement passes the ledger (every minute and day paid once or
// reported) and the granted-time cap of "tid".
func TestBudgetEffect(t *testing.T) {
	fsys := os.DirFS(".")
	base, err := reimbursement.LoadBook(fsys, "tariffs/taxa-2026")
	if err != nil {
		t.Fatal(err)
	}
	proposal, err := reimbursement.LoadBook(fsys, "tariffs/forslag-2027")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := models.ReadDatasetFS(fsys, "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	var months []calendar.Period
	for _, m := range []time.Month{time.October, time.November} {
		p, err := calendar.Month(2026, m, loc)
		if err != nil {
			t.Fatal(err)
		}
		months = append(months, p)
		for _, b := range []*reimbursement.Book{base, proposal} {
			s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := tarifftest.CheckLedger(s, ds, b, p); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			if err := tarifftest.CheckGrantedCap(s, ds, p, "tid"); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		}
	}
	c, err := compare.Run(context.Background(),
		compare.Side{Name: "taxa 2026", Book: base, Data: ds},
		compare.Side{Name: "förslag 2027", Book: proposal, Data: ds},
		months, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, ch compare.Change, base, proposed, diff string) {
		t.Helper()
		if ch.Base.StringFixed(2) != base || ch.Proposed.StringFixed(2) != proposed || ch.Difference.StringFixed(2) != diff {
			t.Errorf("%s: %s → %s (%s), by hand %s → %s (%s)", what, ch.Base.StringFixed(2), ch.Proposed.StringFixed(2),
				ch.Difference.StringFixed(2), base, proposed, diff)
		}
	}
	check("budget", c.Total, "8800.14", "16575.31", "7775.17")
	if c.Total.Percent == nil || c.Total.Percent.StringFixed(2) != "88.35" {
		t.Errorf("budget percent %v, by hand 88.35", c.Total.Percent)
	}
	if len(c.Warnings) > 0 {
		t.Errorf("warnings: %v", c.Warnings)
	}
	want := map[string][3]string{
		"2026-10":    {"6148.67", "10276.95", "4128.28"},
		"2026-11":    {"2651.47", "6298.36", "3646.89"},
		"tid":        {"8425.24", "8644.80", "219.56"},
		"natt":       {"184.16", "238.34", "54.18"},
		"avböjt":     {"0.00", "180.59", "180.59"},
		"omfattning": {"0.00", "7041.67", "7041.67"},
		"moms":       {"190.74", "469.91", "279.17"},
		"t4":         {"1984.32", "4206.03", "2221.71"},
		"t5":         {"506.86", "508.84", "1.98"},
	}
	seen := 0
	for _, rows := range [][]compare.Change{c.Months, c.Components, c.Customers} {
		for _, ch := range rows {
			if w, ok := want[ch.Key]; ok {
				check(ch.Key, ch, w[0], w[1], w[2])
				seen++
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d rows worked by hand", seen, len(want))
	}
}
