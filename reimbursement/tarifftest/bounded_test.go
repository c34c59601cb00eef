package tarifftest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
)

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// customers is a report of four customers, by hand:
//
//	k1  1000.00 → 940.00   -60.00 kr  -6 %     (60 × 100 ÷ 1000)
//	k2   500.00 → 490.00   -10.00 kr  -2 %     (10 × 100 ÷ 500)
//	k3   200.00 → 230.00   +30.00 kr  +15 %    (30 × 100 ÷ 200)
//	k4     0.00 →  50.00   +50.00 kr  from nothing
func customers() *compare.Report {
	c := &compare.Report{Total: change("1700.00", "1710.00")}
	for _, r := range []struct{ key, base, proposed string }{
		{"k1", "1000.00", "940.00"}, {"k2", "500.00", "490.00"}, {"k3", "200.00", "230.00"}, {"k4", "0.00", "50.00"},
	} {
		ch := compare.Change{Key: r.key, Base: amount(r.base), Proposed: amount(r.proposed),
			Difference: amount(decimal.RequireFromString(r.proposed).Sub(decimal.RequireFromString(r.base)).StringFixed(2))}
		c.Customers = append(c.Customers, ch)
	}
	return c
}

// Each bound on a customer's reimbursement, broken and kept, on the
// report above: the customer who breaks it most is named, with how many
// more break it.
func TestCheckBoundedCustomer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limits Limits
		want   string
	}{
		// k1 falls 6 %: beyond 5 %, exactly at 6 %.
		{"decrease 5 %", Limits{MaxCustomerDecreasePercent: dec("5")},
			"ersättningen för brukare k1 minskar med 6.00 % (1000.00 → 940.00 kr, -60.00 kr); gränsen är en minskning med högst 5 %"},
		{"decrease 6 %", Limits{MaxCustomerDecreasePercent: dec("6")}, "<nil>"},
		// k1 falls 60 kr, k2 10 kr: both beyond 5 kr, k1 the most.
		{"decrease 5 kr", Limits{MaxCustomerDecrease: dec("5")},
			"ersättningen för brukare k1 minskar med 60.00 kr (1000.00 → 940.00 kr, -6.00 %); gränsen är en minskning med högst 5 kr (1 brukare till bryter den)"},
		{"no decrease", Limits{MaxCustomerDecrease: dec("0")},
			"ersättningen för brukare k1 minskar med 60.00 kr (1000.00 → 940.00 kr, -6.00 %); gränsen är ingen minskning (1 brukare till bryter den)"},
		{"decrease 60 kr", Limits{MaxCustomerDecrease: dec("60")}, "<nil>"},
		// k4 rises from nothing: it breaks any percent, and is said in
		// kronor from 0.00; k3's 15 % breaks 10 % too.
		{"increase 10 %", Limits{MaxCustomerIncreasePercent: dec("10")},
			"ersättningen för brukare k4 ökar med 50.00 kr från 0.00 kr; gränsen är en ökning med högst 10 % (1 brukare till bryter den)"},
		// k4 rises 50 kr: beyond 30 kr (k3 rises exactly 30), at 50 kr.
		{"increase 30 kr", Limits{MaxCustomerIncrease: dec("30")},
			"ersättningen för brukare k4 ökar med 50.00 kr från 0.00 kr; gränsen är en ökning med högst 30 kr"},
		{"increase 50 kr", Limits{MaxCustomerIncrease: dec("50")}, "<nil>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, errText(CheckBounded(customers(), tc.limits))); diff != "" {
				t.Error(diff)
			}
		})
	}
	// Without k4, 15 % is the largest rise: beyond 10 %, within 15 %.
	c := customers()
	c.Customers = c.Customers[:3]
	if diff := cmp.Diff("ersättningen för brukare k3 ökar med 15.00 % (200.00 → 230.00 kr, +30.00 kr); gränsen är en ökning med högst 10 %",
		errText(CheckBounded(c, Limits{MaxCustomerIncreasePercent: dec("10")}))); diff != "" {
		t.Error(diff)
	}
	if err := CheckBounded(c, Limits{MaxCustomerIncreasePercent: dec("15")}); err != nil {
		t.Errorf("15 %% within 15 %%: %v", err)
	}
}

// The lower bound of the budget: 1000.00 → 1015.00 rises 15.00 kr, 1.5 %
// (15 × 100 ÷ 1000): below a floor of 2 %, at one of 1.5 %, inside the
// band 1–4 %; 1000.00 → 960.00 falls 4 %: beyond a fall of at most 3 %,
// within one of 5 %. A budget of nothing under both keeps any floor.
func TestCheckBoundedBudgetFloor(t *testing.T) {
	rise := &compare.Report{Total: change("1000.00", "1015.00")}
	fall := &compare.Report{Total: change("1000.00", "960.00")}
	for _, tc := range []struct {
		name   string
		c      *compare.Report
		limits Limits
		want   string
	}{
		{"rise below 2 %", rise, Limits{MinBudgetIncreasePercent: dec("2")},
			"budgeten ökar med 1.50 % (1000.00 → 1015.00 kr, +15.00 kr); gränsen är en ökning med minst 2 %"},
		{"rise at 1.5 %", rise, Limits{MinBudgetIncreasePercent: dec("1.5")}, "<nil>"},
		{"band 1–4 %", rise, Limits{MinBudgetIncreasePercent: dec("1"), MaxBudgetIncreasePercent: dec("4")}, "<nil>"},
		{"band 2–4 %", rise, Limits{MinBudgetIncreasePercent: dec("2"), MaxBudgetIncreasePercent: dec("4")},
			"budgeten ökar med 1.50 % (1000.00 → 1015.00 kr, +15.00 kr); gränsen är en ökning med minst 2 %"},
		{"fall of 4 % against 3 %", fall, Limits{MinBudgetIncreasePercent: dec("-3")},
			"budgeten minskar med 4.00 % (1000.00 → 960.00 kr, -40.00 kr); gränsen är en minskning med högst 3 %"},
		{"fall of 4 % against 5 %", fall, Limits{MinBudgetIncreasePercent: dec("-5")}, "<nil>"},
		{"fall against none", fall, Limits{MinBudgetIncreasePercent: dec("0")},
			"budgeten minskar med 4.00 % (1000.00 → 960.00 kr, -40.00 kr); gränsen är ingen minskning"},
		{"nothing under both", &compare.Report{Total: compare.Change{Base: amount("0.00"), Proposed: amount("0.00"), Difference: amount("0.00")}},
			Limits{MinBudgetIncreasePercent: dec("2")}, "<nil>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, errText(CheckBounded(tc.c, tc.limits))); diff != "" {
				t.Error(diff)
			}
		})
	}
}

// A listing is all customer k1 has; the proposal pays it 1140 kr a month
// instead of 1200. Enrolled from 16 April, k1 is listed 15 of April's 30
// days: 15 × 1200 ÷ 30 = 600.00 kr now, 15 × 1140 ÷ 30 = 570.00 kr under
// the proposal, -30.00 kr, -5 % (30 × 100 ÷ 600). A bound of 4 % is
// broken, and the counterexample names the listing, the customer's zone
// and provider with its ownership, and the line under each tariff; 5 %
// holds.
func TestCounterexampleNamesListing(t *testing.T) {
	ds, err := models.ReadDataset(strings.NewReader(`{
		"tasks": [{"local": "Städ", "category": "service"}],
		"customers": [{"id": "k1", "zone": "landsbygd"}],
		"providers": [{"id": "p1", "name": "Hemsjukvården", "ownership": "own"}],
		"decisions": [], "visits": [],
		"listings": [{"id": "l1", "customer": "k1", "provider": "p1", "kind": "home_health_care", "from": "2024-04-16"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	current := book(t, "../testdata/mixed.json", same)
	cheaper := book(t, "../testdata/mixed.json", func(s string) string {
		return strings.Replace(s, `"strategy": "per_listing", "rate": "1200"`, `"strategy": "per_listing", "rate": "1140"`, 1)
	})
	c, err := compare.Run(context.Background(), compare.Side{Name: "nu", Book: current, Data: ds},
		compare.Side{Name: "förslag", Book: cheaper, Data: ds}, []calendar.Period{april(t)}, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `ersättningen för brukare k1 minskar med 5.00 % (600.00 → 570.00 kr, -30.00 kr); gränsen är en minskning med högst 4 %
motexempel: 1 brukare hos 1 utförare; 1 inskrivning
brukare k1: zon landsbygd; utförare p1 Hemsjukvården (egen regi)
  inskrivning l1 hos p1: hemsjukvård 2024-04-16 – tills vidare
  nu: 1 rad, 600.00 kr
    2024-04  p1  listning hemsjukvård (Blandad 2024): 15 dagar × 1200 kr/månad ÷ 30 = 600.00 – inskrivning l1 (15 dagar)
  förslag: 1 rad, 570.00 kr
    2024-04  p1  listning hemsjukvård (Blandad 2024): 15 dagar × 1140 kr/månad ÷ 30 = 570.00 – inskrivning l1 (15 dagar)`
	if diff := cmp.Diff(want, counterexample(c, ds, Limits{MaxCustomerDecreasePercent: dec("4")})); diff != "" {
		t.Error(diff)
	}
	// The README shows this counterexample: it is kept the same.
	if readme, err := os.ReadFile("../../README.md"); err != nil || !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not show the counterexample as it is written (%v)", err)
	}
	if msg := counterexample(c, ds, Limits{MaxCustomerDecreasePercent: dec("5")}); msg != "" {
		t.Errorf("a fall of exactly 5 %% breaks a bound of 5 %%:\n%s", msg)
	}
	// CheckBounded has no dataset: it names the customer's zone and
	// provider from the report, and the lines with the listing they pay.
	err = CheckBounded(c, Limits{MaxCustomerDecreasePercent: dec("4")})
	if err == nil || !strings.Contains(err.Error(), "brukare k1: zon landsbygd; utförare p1 Hemsjukvården (egen regi)\n  nu: 1 rad") ||
		!strings.Contains(err.Error(), "– inskrivning l1 (15 dagar)") {
		t.Errorf("CheckBounded: %v", err)
	}
}

// Records are written as a committee reads them: a decision with its
// items, a visit with date, time, length and tasks, an absence and an
// alarm call, and counts with the noun in the singular for one.
func TestCounterexampleWording(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	at := func(day, hour, min, sec int) time.Time {
		return time.Date(2024, time.April, day, hour, min, sec, 0, loc)
	}
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}, {Local: "Städ", Category: models.Service}},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort", ZoneChanges: []models.ZoneChange{{From: calendar.NewDate(2024, time.April, 10), Zone: "landsbygd"}}}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
		Decisions: []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1", ValidFrom: calendar.NewDate(2024, time.March, 1),
			ValidTo: calendar.NewDate(2024, time.June, 30), Items: []models.GrantedItem{
				{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 2, Per: models.PerWeek, DoubleStaffing: true},
				{Task: "Städ", Category: models.Service, MinutesPerMonth: 120},
			}}},
		Visits: []models.Visit{
			{ID: "v1", Customer: "k1", Provider: "p1", Start: at(3, 7, 15, 0), End: at(3, 7, 45, 28), Tasks: []string{"Dusch"},
				Role: models.CareStaff, Staff: 2, Approved: true},
			{ID: "v2", Customer: "k1", Provider: "p1", Start: at(5, 23, 50, 0), End: at(6, 0, 20, 0), Tasks: []string{"Städ"},
				Role: models.CareStaff, Declined: true},
		},
		Absences:    []models.Absence{{ID: "a1", Customer: "k1", From: calendar.NewDate(2024, time.April, 20), To: calendar.NewDate(2024, time.April, 22), Reason: models.Hospital}},
		AlarmEvents: []models.AlarmEvent{{ID: "e1", Customer: "k1", Provider: "p1", Time: at(8, 13, 45, 0)}},
	}
	var b strings.Builder
	writeCustomerHeader(&b, &compare.Report{}, ds, "k1")
	writeRecords(&b, ds, "k1")
	want := `: zon tätort, landsbygd från 2024-04-10; utförare p1 Omsorg AB (privat regi)
  beslut b1 hos p1, 2024-03-01 – 2024-06-30, ej verkställt: Städ (service) 120 min per månad; Dusch (omsorg) 30 min 2 gånger per vecka, dubbelbemanning
  besök v1 hos p1: 2024-04-03 07:15–07:45 (30 min 28 s), Dusch (omsorg), 2 personal
  besök v2 hos p1: 2024-04-05 23:50–2024-04-06 00:20 (30 min), Städ (service), avböjt, ej attesterat
  uppehåll a1: sjukhusvistelse 2024-04-20 – 2024-04-22
  larmutryckning e1 hos p1: 2024-04-08 13:45`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff("motexempel: 1 brukare hos 1 utförare; 1 beslut, 2 besök, 1 uppehåll, 1 larmutryckning", summary(ds)); diff != "" {
		t.Error(diff)
	}
	two := &models.Dataset{Customers: make([]models.Customer, 2), Providers: make([]models.Provider, 2), Listings: make([]models.Listing, 2),
		AlarmEvents: make([]models.AlarmEvent, 3)}
	if diff := cmp.Diff("motexempel: 2 brukare hos 2 utförare; 2 inskrivningar, 3 larmutryckningar", summary(two)); diff != "" {
		t.Error(diff)
	}
	for _, tc := range []struct {
		got, want string
	}{
		{count(1, "gång", "gånger"), "1 gång"},
		{count(2, "gång", "gånger"), "2 gånger"},
		{count(0, "rad", "rader"), "0 rader"},
		{changeKronor(change("0.00", "47.50")), "ökar med 47.50 kr från 0.00 kr"},
		{changePercent(change("0.00", "1.58"), decimal.NewFromInt(5)), "ökar med 1.58 kr från 0.00 kr"},
		{changeKronor(change("1500.00", "1500.00")), "är oförändrad (1500.00 kr)"},
		{increaseLimit(decimal.NewFromInt(-2), "%"), "en minskning med minst 2 %"},
		{eitherWayLimit(decimal.Zero, "kr"), "ingen ändring"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// rapid logs a draw of CheckBoundedChange as JSON, one record a line,
// which reads back to the same dataset.
func TestLoggedDatasetReadsBack(t *testing.T) {
	cfg := Config{Period: april(t), MaxCustomers: 3, MaxVisits: 5}
	rapid.Check(t, func(t *rapid.T) {
		ds := Dataset(cfg).Draw(t, "dataset")
		text := fmt.Sprintf("%#v", logged{ds})
		back, err := models.ReadDataset(strings.NewReader(text))
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		if diff := cmp.Diff(ds, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatal(diff)
		}
		records := len(ds.Tasks) + len(ds.Customers) + len(ds.Providers) + len(ds.Decisions) + len(ds.Visits) +
			len(ds.Listings) + len(ds.Absences) + len(ds.AlarmEvents)
		if lines := strings.Count(text, "\n  {"); lines != records {
			t.Fatalf("%d records on %d lines:\n%s", records, lines, text)
		}
	})
}

// A nil report is no comparison: CheckBounded says so rather than
// panicking, whatever the limits, and an empty one keeps every limit on
// customers (there is none to break it).
func TestCheckBoundedNilReport(t *testing.T) {
	if diff := cmp.Diff("jämförelsen saknas: ingen rapport att bedöma", errText(CheckBounded(nil, Limits{}))); diff != "" {
		t.Error(diff)
	}
	empty := &compare.Report{}
	if err := CheckBounded(empty, Limits{MaxCustomerDecrease: dec("0"), MaxCustomerIncreasePercent: dec("0"),
		MaxProviderChange: dec("0"), MaxBudgetIncrease: dec("0")}); err != nil {
		t.Errorf("an empty report: %v", err)
	}
}

// A budget below zero (credits outweighing what is paid) is judged in
// percent of its size, as providers and customers are: -1000.00 →
// -990.00 rises 10.00 kr, 1 % (10 × 100 ÷ 1000), within a ceiling of 2 %
// and below a floor of 2 %.
func TestCheckBoundedNegativeBudget(t *testing.T) {
	c := &compare.Report{Total: change("-1000.00", "-990.00")}
	if err := CheckBounded(c, Limits{MaxBudgetIncreasePercent: dec("2")}); err != nil {
		t.Errorf("1 %% within 2 %%: %v", err)
	}
	if diff := cmp.Diff("budgeten ökar med 1.00 % (-1000.00 → -990.00 kr, +10.00 kr); gränsen är en ökning med minst 2 %",
		errText(CheckBounded(c, Limits{MinBudgetIncreasePercent: dec("2")}))); diff != "" {
		t.Error(diff)
	}
}

// A limit of a third, written to fourteen decimals: 300.00 → 400.00 rises
// 100 × 100 ÷ 300 = 33.333… %, beyond 33.33333333333333 %. The percentage
// is written with the fifteen decimals it takes to be seen beyond the
// limit, not cut at ten (33.3333333333, which reads as within it).
func TestCheckBoundedPercentBesideManyDecimals(t *testing.T) {
	c := &compare.Report{Customers: []compare.Change{change("300.00", "400.00")}}
	c.Customers[0].Key = "k1"
	want := "ersättningen för brukare k1 ökar med 33.333333333333333 % (300.00 → 400.00 kr, +100.00 kr); gränsen är en ökning med högst 33.33333333333333 %"
	if diff := cmp.Diff(want, errText(CheckBounded(c, Limits{MaxCustomerIncreasePercent: dec("33.33333333333333")}))); diff != "" {
		t.Error(diff)
	}
}

// The customer named is the one who breaks the limit most, whatever the
// order of the report's rows: of two rises from nothing (k4 0 → 50, k5
// 0 → 500) the larger in kronor, and of two equal breaches (k1 and k6
// both fall 60.00 kr, 1000.00 → 940.00) the first by id.
func TestCheckBoundedCustomerNamedInAnyOrder(t *testing.T) {
	c := customers()
	c.Customers = append(c.Customers, compare.Change{Key: "k5", Base: amount("0.00"), Proposed: amount("500.00"), Difference: amount("500.00")},
		compare.Change{Key: "k6", Base: amount("1000.00"), Proposed: amount("940.00"), Difference: amount("-60.00")})
	reversed := &compare.Report{Total: c.Total, Customers: slices.Clone(c.Customers)}
	slices.Reverse(reversed.Customers)
	for _, tc := range []struct {
		limits Limits
		want   string
	}{
		// k3 (+15 %), k4 and k5 break 10 %.
		{Limits{MaxCustomerIncreasePercent: dec("10")},
			"ersättningen för brukare k5 ökar med 500.00 kr från 0.00 kr; gränsen är en ökning med högst 10 % (2 brukare till bryter den)"},
		// k1 and k6 fall 60.00 kr, k2 10.00 kr: all beyond 5 kr.
		{Limits{MaxCustomerDecrease: dec("5")},
			"ersättningen för brukare k1 minskar med 60.00 kr (1000.00 → 940.00 kr, -6.00 %); gränsen är en minskning med högst 5 kr (2 brukare till bryter den)"},
		// k1 and k6 fall 6 %, k2 2 %: k1 and k6 beyond 5 %.
		{Limits{MaxCustomerDecreasePercent: dec("5")},
			"ersättningen för brukare k1 minskar med 6.00 % (1000.00 → 940.00 kr, -60.00 kr); gränsen är en minskning med högst 5 % (1 brukare till bryter den)"},
	} {
		for _, r := range []*compare.Report{c, reversed} {
			if diff := cmp.Diff(tc.want, errText(CheckBounded(r, tc.limits))); diff != "" {
				t.Error(diff)
			}
		}
	}
}

// A counterexample does not depend on the order of the dataset's
// records: the providers are named by id, the records of each kind in
// the order of time, the moves by date. Two datasets of the same records
// in opposite orders describe the customer in the same bytes.
func TestCounterexampleInAnyOrder(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	at := func(day, hour int) time.Time { return time.Date(2024, time.April, day, hour, 0, 0, 0, loc) }
	d := func(day int) calendar.Date { return calendar.NewDate(2024, time.April, day) }
	ds := &models.Dataset{
		Customers: []models.Customer{{ID: "k1", Zone: "tätort", ZoneChanges: []models.ZoneChange{{From: d(10), Zone: "landsbygd"}, {From: d(20), Zone: "tätort"}}}},
		Providers: []models.Provider{{ID: "p1", Name: "Ett", Ownership: models.OwnOperation}, {ID: "p2", Name: "Två", Ownership: models.Private}},
		Decisions: []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1", ValidFrom: d(1)}, {ID: "b2", Customer: "k1", Provider: "p2", ValidFrom: d(15)}},
		Visits: []models.Visit{{ID: "v1", Customer: "k1", Provider: "p1", Start: at(3, 8), End: at(3, 9), Approved: true},
			{ID: "v2", Customer: "k1", Provider: "p2", Start: at(16, 8), End: at(16, 9), Approved: true}},
		Listings:    []models.Listing{{ID: "l1", Customer: "k1", Provider: "p1", From: d(2)}, {ID: "l2", Customer: "k1", Provider: "p2", From: d(17)}},
		Absences:    []models.Absence{{ID: "a1", Customer: "k1", From: d(5), To: d(6)}, {ID: "a2", Customer: "k1", From: d(25), To: d(26)}},
		AlarmEvents: []models.AlarmEvent{{ID: "e1", Customer: "k1", Provider: "p1", Time: at(4, 12)}, {ID: "e2", Customer: "k1", Provider: "p2", Time: at(18, 12)}},
	}
	text := func(ds *models.Dataset) string {
		var b strings.Builder
		writeCustomerHeader(&b, &compare.Report{}, ds, "k1")
		writeRecords(&b, ds, "k1")
		return b.String()
	}
	want := text(ds)
	if !strings.HasPrefix(want, ": zon tätort, landsbygd från 2024-04-10, tätort från 2024-04-20; utförare p1 Ett (egen regi), p2 Två (privat regi)\n  beslut b1") {
		t.Errorf("not in the order of ids and time:\n%s", want)
	}
	reversed := &models.Dataset{Customers: []models.Customer{ds.Customers[0]}, Providers: slices.Clone(ds.Providers),
		Decisions: slices.Clone(ds.Decisions), Visits: slices.Clone(ds.Visits), Listings: slices.Clone(ds.Listings),
		Absences: slices.Clone(ds.Absences), AlarmEvents: slices.Clone(ds.AlarmEvents)}
	reversed.Customers[0].ZoneChanges = slices.Clone(ds.Customers[0].ZoneChanges)
	slices.Reverse(reversed.Customers[0].ZoneChanges)
	slices.Reverse(reversed.Providers)
	slices.Reverse(reversed.Decisions)
	slices.Reverse(reversed.Visits)
	slices.Reverse(reversed.Listings)
	slices.Reverse(reversed.Absences)
	slices.Reverse(reversed.AlarmEvents)
	if diff := cmp.Diff(want, text(reversed)); diff != "" {
		t.Error(diff)
	}
}

// Records with zero values (no items, no tasks, a listing of no known
// kind, an absence of no known reason, an item or task of no category)
// are written without the empty parts: no lone colon, comma, double
// space or empty parentheses.
func TestCounterexampleZeroValues(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	start := time.Date(2024, time.April, 3, 8, 0, 0, 0, loc)
	d := calendar.NewDate(2024, time.April, 2)
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Okänd"}},
		Customers: []models.Customer{{ID: "k1"}},
		Decisions: []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1", ValidFrom: d},
			{ID: "b2", Customer: "k1", Provider: "p1", ValidFrom: d, Items: []models.GrantedItem{{Task: "Okänd", Minutes: 10, Times: 1, Per: models.PerDay}}}},
		Visits:   []models.Visit{{ID: "v1", Customer: "k1", Provider: "p1", Start: start, End: start.Add(10 * time.Minute), Approved: true}, {ID: "v2", Customer: "k1", Provider: "p1", Start: start.Add(time.Hour), End: start.Add(70 * time.Minute), Tasks: []string{"Okänd"}, Approved: true}},
		Listings: []models.Listing{{ID: "l1", Customer: "k1", Provider: "p1", From: d}},
		Absences: []models.Absence{{ID: "a1", Customer: "k1", From: d, To: d}},
	}
	var b strings.Builder
	writeRecords(&b, ds, "k1")
	want := `
  beslut b1 hos p1, 2024-04-02 – tills vidare, ej verkställt
  beslut b2 hos p1, 2024-04-02 – tills vidare, ej verkställt: Okänd 10 min 1 gång per dag
  besök v1 hos p1: 2024-04-03 08:00–08:10 (10 min)
  besök v2 hos p1: 2024-04-03 09:00–09:10 (10 min), Okänd
  inskrivning l1 hos p1: 2024-04-02 – tills vidare
  uppehåll a1: 2024-04-02 – 2024-04-02`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Error(diff)
	}
}

// The provider and the fee that break a limit most are named, whatever
// the order of the report's rows; of equals, the lowest id.
func TestCheckBoundedProviderAndFeeNamedInAnyOrder(t *testing.T) {
	// p1 1000.00 → 1100.00, +100.00 kr, +10 %; p2 100.00 → 150.00,
	// +50.00 kr, +50 %; p3 0.00 → 10.00, from nothing; p4 as p1.
	c := &compare.Report{Total: change("2200.00", "2410.00")}
	for _, r := range []struct{ key, base, proposed string }{
		{"p1", "1000.00", "1100.00"}, {"p2", "100.00", "150.00"}, {"p3", "0.00", "10.00"}, {"p4", "1000.00", "1100.00"},
	} {
		c.Providers = append(c.Providers, compare.Change{Key: r.key, Base: amount(r.base), Proposed: amount(r.proposed),
			Difference: amount(decimal.RequireFromString(r.proposed).Sub(decimal.RequireFromString(r.base)).StringFixed(2))})
	}
	reversed := &compare.Report{Total: c.Total, Providers: slices.Clone(c.Providers)}
	slices.Reverse(reversed.Providers)
	for _, tc := range []struct {
		limits Limits
		want   string // the provider named
	}{
		{Limits{MaxProviderChange: dec("5")}, "utförare p3"},        // from nothing beats 50 % and 10 %
		{Limits{MaxProviderChangeKronor: dec("20")}, "utförare p1"}, // p1 and p4 +100 kr, p1 the lower id
	} {
		for _, r := range []*compare.Report{c, reversed} {
			if got := errText(CheckBounded(r, tc.limits)); !strings.Contains(got, tc.want+" ") {
				t.Errorf("%+v: %s; want it to name %s", tc.limits, got, tc.want)
			}
		}
	}
	// Fees: k2 +30 kr, k1 −30 kr, k3 +10 kr; beyond 20 kr k1 and k2,
	// k1 the lower id.
	fees := &compare.Report{Total: c.Total, FeeTotal: &compare.Change{}, Fees: []compare.FeeChange{
		{Customer: "k2", Period: "2024-04", Difference: amount("30")}, {Customer: "k1", Period: "2024-04", Difference: amount("-30")},
		{Customer: "k3", Period: "2024-04", Difference: amount("10")}}}
	for range 2 {
		if got := errText(CheckBounded(fees, Limits{MaxFeeChange: dec("20")})); !strings.Contains(got, "brukare k1 ") {
			t.Errorf("fees %v: %s; want it to name k1", fees.Fees, got)
		}
		slices.Reverse(fees.Fees)
	}
}

// A decision's items are described in the order of what they grant,
// whatever the order they are written in (found by attack).
func TestCounterexampleItemsInAnyOrder(t *testing.T) {
	d := calendar.NewDate(2024, time.April, 1)
	items := []models.GrantedItem{
		{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay},
		{Task: "Städ", Category: models.Service, MinutesPerMonth: 90},
	}
	text := func(items []models.GrantedItem) string {
		ds := &models.Dataset{Customers: []models.Customer{{ID: "k1", Zone: "tätort"}},
			Decisions: []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1", ValidFrom: d, ExecutionStarted: d, Items: items}}}
		var b strings.Builder
		writeRecords(&b, ds, "k1")
		return b.String()
	}
	a := text(items)
	slices.Reverse(items)
	if b := text(items); a != b {
		t.Errorf("the description depends on the order of the items:\n%s\n---\n%s", a, b)
	}
}

// Without a dataset, a customer's providers are named from the
// settlements, not by splitting the report's provider column at "+"
// (found by attack: provider "vård+omsorg" was named as two unknown
// providers).
func TestCounterexampleProviderWithPlus(t *testing.T) {
	book, err := reimbursement.LoadBook(os.DirFS("../../examples/quickstart"), "tariffs")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := models.ReadDataset(strings.NewReader(`{"tasks": [{"local": "Dusch", "category": "care"}], "customers": [{"id": "k1", "zone": "tätort"}],
	  "providers": [{"id": "vård+omsorg", "name": "Vård och Omsorg AB", "ownership": "private"}],
	  "decisions": [{"id": "b1", "customer": "k1", "provider": "vård+omsorg", "valid_from": "2024-01-01", "execution_started": "2024-01-01",
	    "items": [{"task": "Dusch", "category": "care", "minutes": 20, "times": 1, "per": "day"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := compare.Run(t.Context(), compare.Side{Name: "nu", Book: book, Data: ds}, compare.Side{Name: "förslag", Book: book, Data: ds},
		[]calendar.Period{april(t)}, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Every customer must rise by at least 1 kr: k1, unchanged, breaks it.
	err = CheckBounded(r, Limits{MaxCustomerIncrease: dec("-1")})
	if want := "utförare vård+omsorg Vård och Omsorg AB (privat regi)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want it to name %q", err, want)
	}
}
