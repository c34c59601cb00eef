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
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

// TestBudgetEffect compares granted time (the current model) with the
// levels over February and April 2024 and checks the budget, the
// providers and the customers that move most against the arithmetic of
// README.md, worked out by hand:
//
//	granted time: February 36 360.93 (egen) + 15 612.16 (privat) = 51 973.09,
//	              April    40 870.80 + 14 651.17 = 55 521.97; together 107 495.06
//	levels:       February 26 880.00 + 12 925.00 = 39 805.00,
//	              April    33 040.00 + 16 450.00 = 49 490.00; together 89 295.00
//	difference:   89 295.00 − 107 495.06 = −18 200.06 (−16.93 %), rounding +0.01
//	              (six granted-time lines a third of an öre off: −0.0067 on that side)
//	egen:   77 231.73 → 59 920.00, −17 311.73; privat 30 263.33 → 29 375.00, −888.33
//	n6:     25 984.00 + 26 880.00 = 52 864.00 → 2 × 17 920.00 = 35 840.00, −17 024.00
//	n2:     11 358.33 + 11 750.00 = 23 108.33 → 9 400.00 + 14 100.00 = 23 500.00, +391.67
//
// The customers' fees, Håbo's 2024 levels of granted hours (one staff,
// after pauses; 386, 901, 1 416, 1 802, 2 189, 2 575 kr from 0, 5, 10, 15,
// 25, 35 h), do not depend on how the provider is paid: the same on both
// sides. February: n1 369 min 901, n2 1 450 min (24.17 h) 1 802, n3 240 min
// 386, n4 553 min 901, n5 249 min 386, n6 3 480 min 2 575, n7 290 min 386 =
// 7 337; April: n1 377 min 901, n2 1 500 min (25 h) 2 189, n3 690 min (11.5 h)
// 1 416, n4 377 min 901, n5 257 min 386, n6 2 575, n7 300 min (5 h) 901 =
// 9 269; together 16 606 kr.
func TestBudgetEffect(t *testing.T) {
	fsys := os.DirFS(".")
	base, err := reimbursement.LoadBook(fsys, "tariffs/beviljad-tid")
	if err != nil {
		t.Fatal(err)
	}
	levels, err := reimbursement.LoadBook(fsys, "tariffs/nivabeslut")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := models.ReadDatasetFS(fsys, "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("fees.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fees, err := fee.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	var months []calendar.Period
	for _, m := range []time.Month{time.February, time.April} {
		p, err := calendar.Month(2024, m, loc)
		if err != nil {
			t.Fatal(err)
		}
		months = append(months, p)
	}
	c, err := compare.Run(context.Background(),
		compare.Side{Name: "beviljad tid", Book: base, Data: ds, Fees: fees},
		compare.Side{Name: "nivåbeslut", Book: levels, Data: ds, Fees: fees},
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
	check("budget", c.Total, "107495.06", "89295.00", "-18200.06")
	if c.Total.Percent == nil || c.Total.Percent.StringFixed(2) != "-16.93" {
		t.Errorf("budget percent %v, by hand -16.93", c.Total.Percent)
	}
	if c.Total.Rounding.StringFixed(2) != "0.01" {
		t.Errorf("budget rounding %s, by hand +0.01", c.Total.Rounding.StringFixed(2))
	}
	if len(c.Warnings) > 0 {
		t.Errorf("warnings: %v", c.Warnings)
	}
	want := map[string][3]string{
		"2024-02": {"51973.09", "39805.00", "-12168.09"},
		"2024-04": {"55521.97", "49490.00", "-6031.97"},
		"egen":    {"77231.73", "59920.00", "-17311.73"},
		"privat":  {"30263.33", "29375.00", "-888.33"},
		"n6":      {"52864.00", "35840.00", "-17024.00"},
		"n2":      {"23108.33", "23500.00", "391.67"},
	}
	seen := 0
	for _, rows := range [][]compare.Change{c.Months, c.Providers, c.Customers} {
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
	if c.FeeTotal == nil || c.FeeTotal.Base.String() != "16606" || c.FeeTotal.Proposed.String() != "16606" {
		t.Errorf("fees %+v, by hand 16606 → 16606", c.FeeTotal)
	}
	byHand := map[string]string{"n2 2024-02": "1802", "n2 2024-04": "2189", "n3 2024-04": "1416", "n5 2024-04": "386", "n7 2024-02": "386", "n7 2024-04": "901"}
	for _, fc := range c.Fees {
		if w, ok := byHand[fc.Customer+" "+fc.Period]; ok {
			if fc.Base.Amount.String() != w || fc.Proposed.Amount.String() != w {
				t.Errorf("fee %s %s: %s → %s, by hand %s", fc.Customer, fc.Period, fc.Base.Amount, fc.Proposed.Amount, w)
			}
			delete(byHand, fc.Customer+" "+fc.Period)
		}
	}
	if len(byHand) > 0 {
		t.Errorf("fees not found: %v", byHand)
	}
}
