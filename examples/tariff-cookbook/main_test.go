package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// line is what the test checks of a settlement line.
type line struct {
	Provider, Customer, Component, Kind, Quantity, Rate, Amount string
}

// unpaid is what the test checks of a record not paid.
type unpaid struct{ ID, Reason string }

type want struct {
	lines  []line
	unpaid []unpaid
	total  string
}

// The amounts below are worked out by hand from the tariffs and datasets
// of each construct (March 2024, Europe/Stockholm, CET +01:00), never
// copied from the program's output.
var cases = map[string]want{
	// 1. Night visits. Visits of customer k1: v1 Tue 5 March 21:30–22:30
	// (30 min kväll, 30 min natt), v2 23:00–23:20 (natt), v3 Wed 6 March
	// 10:00–10:30 (dag), v4 06:40–07:10 (20 min natt, 10 min dag). Hourly
	// 480 kr/h, night 300 kr per visit.
	//
	// A night visit starts in the night: v2, v4 → 2 × 300 = 600.00; the
	// others hourly: v1 60 + v3 30 = 90 min × 480 ÷ 60 = 720.00.
	"01-night-visits/starts-at-night.json": {lines: []line{
		{"p1", "k1", "timme", "", "90", "480.00", "720.00"},
		{"p1", "k1", "natt", "", "2", "300.00", "600.00"},
	}, total: "1320.00"},
	// Any part in the night: v1, v2, v4 → 3 × 300 = 900.00; v3 hourly:
	// 30 × 480 ÷ 60 = 240.00.
	"01-night-visits/any-part-at-night.json": {lines: []line{
		{"p1", "k1", "timme", "", "30", "480.00", "240.00"},
		{"p1", "k1", "natt", "", "3", "300.00", "900.00"},
	}, total: "1140.00"},
	// The night part is a night visit, the rest hourly: v1, v2, v4 → 900.00;
	// the parts outside the night: v1 30 + v3 30 + v4 10 = 70 min × 480 ÷
	// 60 = 560.00.
	"01-night-visits/night-part.json": {lines: []line{
		{"p1", "k1", "timme", "", "70", "480.00", "560.00"},
		{"p1", "k1", "natt", "", "3", "300.00", "900.00"},
	}, total: "1460.00"},

	// 2. Planned time. Performed: v1 Städ 60 min (service) → 60 × 480 ÷ 60 =
	// 480.00; v4 Dusch 30 min (care) → 240.00. Declined at the door, paid
	// on the planned time at the task's share: v2 Städ planned 60 min ×
	// 480 × 0.5 ÷ 60 = 240.00; v3 Dusch planned 40 min × 480 × 0.75 ÷ 60 =
	// 240.00. instead_of keeps them from performed time: nothing unpaid.
	"02-planned-time/planned-time.json": {lines: []line{
		{"p1", "k1", "utförd tid", "", "60", "480.00", "480.00"},
		{"p1", "k1", "utförd tid", "", "30", "480.00", "240.00"},
		{"p1", "k1", "avböjt", "declined", "60", "480.00", "240.00"},
		{"p1", "k1", "avböjt", "declined", "40", "480.00", "240.00"},
	}, total: "1200.00"},

	// 3. Standard times. v1 Städ lasted 70 min, paid 45; v2 Tvätt lasted
	// 20, paid 30: service 75 min × 430 ÷ 60 = 537.50. v3 a check-in visit
	// of 3 min, paid 10 min × 480 ÷ 60 = 80.00. v4 Dusch, performed time:
	// 35 × 480 ÷ 60 = 280.00.
	"03-standard-times/standard-times.json": {lines: []line{
		{"p1", "k1", "utförd tid", "", "35", "480.00", "280.00"},
		{"p1", "k1", "schablon", "", "75", "430.00", "537.50"},
		{"p1", "k1", "schablon", "", "10", "480.00", "80.00"},
	}, total: "897.50"},

	// 4. Absences beside performed time. k1: one visit of 30 min × 480 ÷ 60
	// = 240.00; in hospital 11–20 March, granted 30 min × 2 a day = 60 min
	// a day: day 1 (11th) in full 60 × 480 ÷ 60 = 480.00, days 2–5
	// (12th–15th) 240 min × 480 × 0.5 ÷ 60 = 960.00, later days nothing;
	// short-term care 25–26 March is not among the reasons. k2 died at home
	// on 25 March (decision ends 31 March), 60 min a day: 25th 480.00,
	// 26th–29th 960.00.
	"04-absence/absence.json": {lines: []line{
		{"p1", "k1", "utförd tid", "", "30", "480.00", "240.00"},
		{"p1", "k1", "frånvaro", "absence", "60", "480.00", "480.00"},
		{"p1", "k1", "frånvaro", "absence", "240", "480.00", "960.00"},
		{"p1", "k2", "frånvaro", "absence", "60", "480.00", "480.00"},
		{"p1", "k2", "frånvaro", "absence", "240", "480.00", "960.00"},
		// The paused days the ladder does not pay are reported absent:
		// k1's hospital days 6–10 (16–20 March) and the two short-term
		// care days; k2's days 6–7 (30–31 March).
	}, unpaid: []unpaid{{"b1", "absent"}, {"b2", "absent"}}, total: "3120.00"},

	// 5. One-off payments. k1 is new: decision b1 from 11 March, 30 min a
	// day, 21 days: 630 × 480 ÷ 60 = 5040.00, and a start payment of four
	// hours at the care rate, 4 × 480 = 1920.00. k2 moves from p1 (to 14
	// March: 14 × 30 = 420 min → 3360.00) to p2 (from 15 March: 17 × 30 =
	// 510 min → 4080.00), and p2 is paid 1000.00 for taking over.
	"05-one-off/one-off.json": {lines: []line{
		{"p1", "k1", "beviljad tid", "", "630", "480.00", "5040.00"},
		{"p1", "k1", "start", "", "1", "1920.00", "1920.00"},
		{"p1", "k2", "beviljad tid", "", "420", "480.00", "3360.00"},
		{"p2", "k2", "beviljad tid", "", "510", "480.00", "4080.00"},
		{"p2", "k2", "byte", "", "1", "1000.00", "1000.00"},
	}, total: "15400.00"},

	// 6. Monthly amounts. k1's decision starts 20 March: care 12 days × 30
	// = 360 min × 480 ÷ 60 = 2880.00; the alarm subscription, prorate none,
	// pays the month: 300.00; listing l1 from 10 March, 22 days ≥ min_days
	// 15, pays the month: 1240.00. k2's listing from 25 March, 7 days, pays
	// nothing.
	"06-monthly/monthly.json": {lines: []line{
		{"p1", "k1", "beviljad tid", "", "360", "480.00", "2880.00"},
		{"p1", "k1", "larm", "", "31", "300.00", "300.00"},
		{"p1", "k1", "listning", "", "31", "1240.00", "1240.00"},
	}, unpaid: []unpaid{{"l2", "below_minimum"}}, total: "4420.00"},

	// 7. Provider attributes. p1 (contract class B, not VAT-registered):
	// 60 min × (480 + 20) ÷ 60 = 500.00, VAT compensation 6 % = 30.00. p2
	// (service-only contract, VAT-registered): office hours only, 60 min ×
	// 420 ÷ 60 = 420.00, no VAT compensation; its evening visit is not paid.
	"07-provider-attributes/provider-attributes.json": {lines: []line{
		{"p1", "k1", "utförd tid", "", "60", "500.00", "500.00"},
		{"p1", "k1", "moms", "", "500.00", "6", "30.00"},
		{"p2", "k2", "utförd tid", "", "60", "420.00", "420.00"},
	}, unpaid: []unpaid{{"v3", "no_component"}}, total: "950.00"},

	// 8. Rounding. Three visits of 20 min at 487 kr/h and three check-in
	// visits at 10 × 487 ÷ 60 = 81.1666… kr each.
	//
	// Per unit, whole kronor: each visit 20 × 487 ÷ 60 = 162.33 → 162, × 3
	// = 486; the visit rate rounds to 81, × 3 = 243; total 729.
	"08-rounding/per-unit.json": {lines: []line{
		{"p1", "k1", "utförd tid", "", "60", "487.00", "486"},
		{"p1", "k1", "trygghet", "", "3", "81", "243"},
	}, total: "729"},
	// Per line, whole kronor: 60 × 487 ÷ 60 = 487; 3 × 81 = 243; total 730.
	"08-rounding/per-line.json": {lines: []line{
		{"p1", "k1", "utförd tid", "", "60", "487.00", "487"},
		{"p1", "k1", "trygghet", "", "3", "81", "243"},
	}, total: "730"},
	// Per line, öre: 487.00; the rate 81.1666… shows as 81.17, 3 × 81.17 =
	// 243.51; total 730.51.
	"08-rounding/ore.json": {lines: []line{
		{"p1", "k1", "utförd tid", "", "60", "487.00", "487.00"},
		{"p1", "k1", "trygghet", "", "3", "81.17", "243.51"},
	}, total: "730.51"},

	// 10. Rates by kind of day and band, as published: weekdays dag,
	// kväll, natt; weekends and holidays helg, natt (no dag or kväll on a
	// Saturday: the schedule never gives one). v1 Tue 5 March 10:00–11:00,
	// weekday dag: 60 × 480 ÷ 60 = 480.00; v2 Wed 6 March 19:00–19:30,
	// weekday kväll: 30 × 520 ÷ 60 = 260.00; v3 Sat 9 March 21:30–22:30,
	// helg 30 × 560 ÷ 60 = 280.00 and natt 30 × 650 ÷ 60 = 325.00; v4
	// Good Friday 29 March 08:00–08:45, holiday helg: 45 × 620 ÷ 60 =
	// 465.00. Total 1810.00.
	"10-day-and-band/day-and-band.json": {lines: []line{
		{"p1", "k1", "timme", "", "60", "480.00", "480.00"},
		{"p1", "k1", "timme", "", "30", "520.00", "260.00"},
		{"p1", "k1", "timme", "", "30", "650.00", "325.00"},
		{"p1", "k1", "timme", "", "30", "560.00", "280.00"},
		{"p1", "k1", "timme", "", "45", "620.00", "465.00"},
	}, total: "1810.00"},
}

func TestCookbook(t *testing.T) {
	seen := 0
	for _, c := range constructs {
		names, err := tariffs(files, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			key := c + "/" + n
			w, ok := cases[key]
			if !ok {
				t.Errorf("%s: no hand-worked amounts", key)
				continue
			}
			seen++
			s, err := settle(files, c, n)
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			var lines []line
			for _, l := range s.Lines {
				lines = append(lines, line{l.Provider, l.Customer, l.Component, l.Kind.String(), l.Quantity.String(), l.Rate.String(), l.Amount.String()})
			}
			var notPaid []unpaid
			for _, u := range s.NotPaid {
				notPaid = append(notPaid, unpaid{u.ID, u.Reason.String()})
			}
			if diff := cmp.Diff(w.lines, lines); diff != "" {
				t.Errorf("%s: lines (-want +got):\n%s", key, diff)
			}
			if diff := cmp.Diff(w.unpaid, notPaid); diff != "" {
				t.Errorf("%s: not paid (-want +got):\n%s", key, diff)
			}
			if got := s.Total.String(); got != w.total {
				t.Errorf("%s: total %s, want %s", key, got, w.total)
			}
		}
	}
	if seen != len(cases) {
		t.Errorf("settled %d tariffs, the test has amounts for %d", seen, len(cases))
	}
}

// TestExplanations checks what the explanations say of the constructs
// that change them: the standard time used, per-unit rounding, a rate
// computed with a division.
func TestExplanations(t *testing.T) {
	for _, tt := range []struct{ file, component, want string }{
		{"03-standard-times/standard-times.json", "schablon", "Städ: normtid 45 min per besök × 1 personal (table('standardtid', task))"},
		{"08-rounding/per-unit.json", "utförd tid", "half_up till 0 decimaler per enhet: summan av 3 enhetsbelopp, vart och ett avrundat (avrundad en gång vore raden 487)"},
		{"08-rounding/ore.json", "trygghet", "priset räknas med en division och avrundas till taxans antal decimaler"},
		{"02-planned-time/planned-time.json", "avböjt", "besök v2, Städ: planerad tid 60 min × 1 personal = 60 min, betalas med andelen 0.5 (table('bomtid', task))"},
	} {
		dir, file, _ := strings.Cut(tt.file, "/")
		s, err := settle(files, dir, file)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		for _, l := range s.Lines {
			if l.Component == tt.component {
				e := l.Explanation
				b.WriteString(strings.Join(e.Steps, "\n") + "\n" + e.Rounding + "\n")
			}
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s %s: explanation lacks %q:\n%s", tt.file, tt.component, tt.want, b.String())
		}
	}
}

// TestSingleQuotes: the cookbook's tariffs are written with single-quoted
// strings, as a controller writes them, never with \".
func TestSingleQuotes(t *testing.T) {
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".json") || !strings.Contains(p, "tariffs/") {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err == nil && bytes.Contains(b, []byte(`\"`)) {
			t.Errorf(`%s holds \"`, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestProgram runs the program once, so that it does not fail on the
// embedded files.
func TestProgram(t *testing.T) {
	var b bytes.Buffer
	if err := write(&b, files); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "total 730.51 kr") {
		t.Errorf("output lacks the rounding construct's total:\n%s", b.String())
	}
	if _, err := os.Stat("README.md"); err != nil {
		t.Error(err)
	}
}

// TestSubscriptionNotGrantedTime: the alarm subscription gives no granted
// minutes: k1's granted minutes are the care item's 12 days × 30 = 360.
func TestSubscriptionNotGrantedTime(t *testing.T) {
	s, err := settle(files, "06-monthly", "monthly.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.Customers {
		if c.Customer == "k1" && c.KeyFigures.GrantedMinutes != 360 {
			t.Errorf("k1 granted %d min, want 360", c.KeyFigures.GrantedMinutes)
		}
	}
}

// TestCookbookLedger checks that every construct's settlement accounts
// for every unit of work (tarifftest.CheckLedger): standard and planned
// times, absences, one-off payments and per-unit rounding included.
func TestCookbookLedger(t *testing.T) {
	p := march(t)
	for _, c := range constructs {
		names, err := tariffs(files, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			_, book := loadBook(t, path.Join(c, "tariffs", n))
			ds, err := models.ReadDatasetFS(files, path.Join(c, "dataset.json"))
			if err != nil {
				t.Fatal(err)
			}
			s, err := reimbursement.Settle(context.Background(), book, ds, p, reimbursement.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := tarifftest.CheckLedger(s, ds, book, p); err != nil {
				t.Errorf("%s/%s: ledger:\n%v", c, n, err)
			}
		}
	}
}

// TestMonthlyUnits checks that a monthly amount under prorate none names
// the item behind it (k1's alarm, in force 20–31 March: 12 days) and that
// a listing below min_days is reported with its days (l2, 25–31 March: 7).
func TestMonthlyUnits(t *testing.T) {
	s, err := settle(files, "06-monthly", "monthly.json")
	if err != nil {
		t.Fatal(err)
	}
	var got []reimbursement.UnitRef
	for _, l := range s.Lines {
		if l.Component == "larm" {
			got = append(got, l.Units...)
		}
	}
	want := []reimbursement.UnitRef{{Kind: reimbursement.RecordDecision, ID: "b1", Item: "Larm", Days: 12}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("units of larm (-want +got):\n%s", diff)
	}
	for _, u := range s.NotPaid {
		if u.ID == "l2" && u.Days != 7 {
			t.Errorf("l2 reported with %d days, want 7", u.Days)
		}
	}
}

// TestCookbookLedgerGenerated checks the ledger of every cookbook tariff
// on generated months with the construct's own task codes: instead_of,
// standard and planned times, absence ladders, one-off payments, monthly
// proration and rounding per unit must account for every unit on data
// the hand-worked cases do not cover.
func TestCookbookLedgerGenerated(t *testing.T) {
	p := march(t)
	for _, c := range constructs {
		names, err := tariffs(files, c)
		if err != nil {
			t.Fatal(err)
		}
		own, err := models.ReadDatasetFS(files, path.Join(c, "dataset.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			v, book := loadBook(t, path.Join(c, "tariffs", n))
			t.Run(c+"/"+n, func(t *testing.T) {
				rapid.Check(t, func(rt *rapid.T) {
					ds := tarifftest.Dataset(tarifftest.Config{Period: p, Zones: v.Zones(), Tasks: own.Tasks, MaxCustomers: 4}).Draw(rt, "dataset")
					s, err := reimbursement.Settle(context.Background(), book, ds, p, reimbursement.Options{NoExplain: true, Workers: 1})
					if err != nil {
						rt.Fatal(err)
					}
					if err := tarifftest.CheckLedger(s, ds, book, p); err != nil {
						rt.Fatalf("ledger:\n%v", err)
					}
				})
			})
		}
	}
}

// TestLedgerSeams settles single visits where the cookbook's constructs
// meet the ledger, and checks what is reported (hand-worked) and that
// the ledger holds.
func TestLedgerSeams(t *testing.T) {
	p := march(t)
	at := func(h, m, s int) time.Time { return time.Date(2024, time.March, 1, h, m, s, 0, p.Location) }
	from := func(day int) calendar.Date { return calendar.Date{Year: 2024, Month: time.March, Day: day} }
	for _, tt := range []struct {
		name, tariff string
		decisionFrom int
		visit        models.Visit
		lines        []line
		unpaid       []unpaidMinutes
	}{{
		// Declined 21:24:31–22:00:30: 35 min 59 s → 36 min (nearest);
		// the evening part 35 min 29 s → 35, the night part 36 − 35 = 1.
		// timme (band != 'natt') reports its 35 minutes declined; natt
		// (has(bands, 'natt')) declines the visit and accounts for the
		// night minute no component of segments pays.
		name: "night part of a declined visit", tariff: "01-night-visits/tariffs/night-part.json", decisionFrom: 1,
		visit:  models.Visit{Start: at(21, 24, 31), End: at(22, 0, 30), Tasks: []string{"Städ"}, Declined: true},
		unpaid: []unpaidMinutes{{"timme", "declined", 35}, {"natt", "declined", 1}},
	}, {
		// A check-in visit of 3 min with two staff, no decision on 1
		// March: 3 × 2 = 6 staff minutes not paid.
		name: "standard time, no decision, two staff", tariff: "03-standard-times/tariffs/standard-times.json", decisionFrom: 2,
		visit:  models.Visit{Start: at(7, 0, 0), End: at(7, 3, 0), Tasks: []string{"Trygghet"}, Staff: 2},
		unpaid: []unpaidMinutes{{"schablon", "no_decision", 6}},
	}, {
		// The same visit with a decision that orders one staff: 10
		// standard minutes × 1 staff × 480 ÷ 60 = 80.00; the second
		// staff member's 3 minutes are extra_staff.
		name: "standard time, two staff, one ordered", tariff: "03-standard-times/tariffs/standard-times.json", decisionFrom: 1,
		visit:  models.Visit{Start: at(7, 0, 0), End: at(7, 3, 0), Tasks: []string{"Trygghet"}, Staff: 2},
		lines:  []line{{"p1", "k1", "schablon", "", "10", "480.00", "80.00"}},
		unpaid: []unpaidMinutes{{"schablon", "extra_staff", 3}},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			_, book := loadBook(t, tt.tariff)
			vis := tt.visit
			vis.ID, vis.Customer, vis.Provider, vis.Role, vis.Approved = "v1", "k1", "p1", models.CareStaff, true
			ds := &models.Dataset{
				Tasks:     []models.LocalTask{{Local: "Städ", Category: models.Service}, {Local: "Trygghet", Category: models.Care}},
				Customers: []models.Customer{{ID: "k1", Zone: "tätort"}},
				Providers: []models.Provider{{ID: "p1", Name: "P", Ownership: models.Private}},
				Decisions: []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1", ValidFrom: from(tt.decisionFrom), ExecutionStarted: from(tt.decisionFrom),
					Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, Minutes: 5, Times: 1, Per: models.PerDay},
						{Task: "Trygghet", Category: models.Care, Minutes: 5, Times: 1, Per: models.PerDay}}}},
				Visits: []models.Visit{vis},
			}
			s, err := reimbursement.Settle(context.Background(), book, ds, p, reimbursement.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var lines []line
			for _, l := range s.Lines {
				lines = append(lines, line{l.Provider, l.Customer, l.Component, l.Kind.String(), l.Quantity.String(), l.Rate.String(), l.Amount.String()})
			}
			var unpaid []unpaidMinutes
			for _, u := range s.NotPaid {
				unpaid = append(unpaid, unpaidMinutes{u.Component, u.Reason.String(), u.Minutes})
			}
			if diff := cmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.unpaid, unpaid); diff != "" {
				t.Errorf("not paid (-want +got):\n%s", diff)
			}
			if err := tarifftest.CheckLedger(s, ds, book, p); err != nil {
				t.Errorf("ledger:\n%v", err)
			}
		})
	}
}

// unpaidMinutes is what TestLedgerSeams checks of a record not paid.
type unpaidMinutes struct {
	Component, Reason string
	Minutes           int64
}

// march is March 2024 in Europe/Stockholm, the cookbook's month.
func march(t testing.TB) calendar.Period {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	p, err := calendar.Month(2024, time.March, loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// loadBook loads a cookbook tariff as a book of one version.
func loadBook(t testing.TB, name string) (*reimbursement.Version, *reimbursement.Book) {
	t.Helper()
	v, err := reimbursement.LoadVersion(files, name)
	if err != nil {
		t.Fatal(err)
	}
	book, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	return v, book
}
