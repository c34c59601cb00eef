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
		compare.Side{Name: "beviljad tid", Book: base, Data: ds},
		compare.Side{Name: "nivåbeslut", Book: levels, Data: ds},
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
}
