package reimbursement_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// TestLevelPoolCoversEveryCategory: a level component whose pool holds
// items of two categories (cleaning and a shower, one level for both)
// pays for the visits of both, as granted time pays for the visits of
// the category it pays. Its line carries one category (the first item's,
// service), and the care visit was reported not paid, no_component,
// "besök av omsorg, ingen komponents villkor gäller", though the
// component's when holds for it and its line pays the shower's days
// (whichever item the decision lists first).
//
// By hand, April 2024 (30 days): Städ 120 min a month + Dusch 30 min × 2
// a week = 60 × 30 ÷ 7 = 257.14 → 257 min; 377 min = 6.2833 h, level 2
// (from 5 h): 30 days × 3360.00 ÷ 30 = 3360.00. The visits (Städ 65 min,
// Dusch 25 min) are paid for by that line: nothing is reported not paid.
func TestLevelPoolCoversEveryCategory(t *testing.T) {
	b := levelPoolBook(t, "category in ['service', 'care']")
	loc := fixture.April2024.Location
	at := func(day, h, m int) time.Time { return time.Date(2024, time.April, day, h, m, 0, 0, loc) }
	städ := models.GrantedItem{Task: "Städ", Category: models.Service, MinutesPerMonth: 120}
	dusch := models.GrantedItem{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 2, Per: models.PerWeek}
	for _, items := range [][]models.GrantedItem{{städ, dusch}, {dusch, städ}} {
		ds := levelPoolData(items)
		ds.Visits = []models.Visit{
			{ID: "v1", Customer: "n1", Provider: "egen", Start: at(2, 9, 0), End: at(2, 10, 5), Tasks: []string{"Städ"}, Role: models.CareStaff, Approved: true},
			{ID: "v2", Customer: "n1", Provider: "egen", Start: at(3, 8, 0), End: at(3, 8, 25), Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true},
		}
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Total.String() != "3360.00" {
			t.Errorf("%s first: total %s, want 3360.00", items[0].Task, s.Total)
		}
		for _, u := range s.NotPaid {
			t.Errorf("%s first: %s %s reported %s (%s), want it paid for by the level's line", items[0].Task, u.Kind, u.ID, u.Reason, u.Detail)
		}
		if err := tarifftest.CheckLedger(s, ds, b, fixture.April2024); err != nil {
			t.Errorf("%s first: %v", items[0].Task, err)
		}
	}
}

// TestLevelAllPausedPartCoversVisits: a level component pays for the
// visits of its items' categories on the days of a tariff version all of
// whose days in force are paused, as granted time does (a line of no
// minutes): a month split on 2 April by an identical version left the
// cleaning visit on 1 April, a day in hospital, reported no_component,
// which the month under one version pays for (found by
// TestPropertySplitByAnIdenticalVersion on the nivabeslut-2024 tariff).
//
// By hand, April 2024 (30 days): Städ 300 min a month = 5 h, level 2 (from
// 5 h); 1 April in hospital, 29 days paid: 29 × 3360.00 ÷ 30 = 3248.00,
// under one version and under two (the first's line of 1 April: 0 days,
// 0.00). Not paid: the decision's day of absence, nothing else.
func TestLevelAllPausedPartCoversVisits(t *testing.T) {
	src := `{"name": "Nivå", "valid_from": "2024-01-01", "zones": ["tätort"], "currency": "SEK", "source": "test",
		"rounding": {"scale": 2, "mode": "half_up"}, "time_rounding": {"mode": "nearest"},
		"tables": {"nivå": {"keys": ["level"], "rates": {"1": "1120.00", "2": "3360.00"}}},
		"components": [{"name": "nivå", "strategy": "level", "when": "category in ['service', 'care']",
			"rate": "table('nivå', level)",
			"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "5"}]}}]}`
	first := splitDoc(t, src, splitEpoch, "")
	one := splitBook(t, first)
	two := splitBook(t, first, splitDoc(t, src, calendar.Date{Year: 2024, Month: 4, Day: 2}, "Andra "))
	d := calendar.MustParseDate
	loc := fixture.April2024.Location
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Städ", Category: models.Service}},
		Customers: []models.Customer{{ID: "k", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "p", Name: "P", Ownership: models.OwnOperation}},
		Decisions: []models.Decision{{ID: "b", Customer: "k", Provider: "p", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, MinutesPerMonth: 300}}}},
		Absences: []models.Absence{{ID: "a", Customer: "k", From: d("2024-04-01"), To: d("2024-04-01"), Reason: models.Hospital}},
		Visits: []models.Visit{{ID: "v", Customer: "k", Provider: "p", Start: time.Date(2024, 4, 1, 9, 0, 0, 0, loc),
			End: time.Date(2024, 4, 1, 9, 30, 0, 0, loc), Tasks: []string{"Städ"}, Role: models.CareStaff, Approved: true}},
	}
	for name, b := range map[string]*reimbursement.Book{"one version": one, "split on 2 April": two} {
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Total.String() != "3248.00" {
			t.Errorf("%s: total %s, want 3248.00", name, s.Total)
		}
		// Every line is of the pool's one category, the paused part's
		// line of no days too.
		for _, l := range s.Lines {
			if l.Category != models.Service {
				t.Errorf("%s: line %s × %s of category %s, want service", name, l.Quantity, l.Rate, l.Category)
			}
		}
		for _, u := range s.NotPaid {
			if u.Kind != reimbursement.RecordDecision || u.Reason != reimbursement.Absent || u.Days != 1 {
				t.Errorf("%s: %s %s reported %s %d days (%s), want only the decision's day of absence", name, u.Kind, u.ID, u.Reason, u.Days, u.Detail)
			}
		}
		if err := tarifftest.CheckLedger(s, ds, b, fixture.April2024); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestLevelPoolManyItemsLinear: which categories a level's line pays for
// is known from its pool as the line is made, not looked up item by item
// among the line's units, which took the product of the two: one decision
// of 20 000 service items at a level and 20 000 care items no component
// pays compared each care item with every service item's unit (4 × 10⁸
// comparisons, some seconds; a month's settlement is linear in its
// records). Every care item is reported no_component, and no service
// item.
func TestLevelPoolManyItemsLinear(t *testing.T) {
	b := levelPoolBook(t, "category == 'service'")
	const n = 20000
	dec := models.Decision{ID: "b1", Customer: "n1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-01-01"),
		ExecutionStarted: calendar.MustParseDate("2024-01-01")}
	var tasks []models.LocalTask
	for i := range n {
		s, d := fmt.Sprintf("S%05d", i), fmt.Sprintf("D%05d", i)
		tasks = append(tasks, models.LocalTask{Local: s, Category: models.Service}, models.LocalTask{Local: d, Category: models.Care})
		dec.Items = append(dec.Items, models.GrantedItem{Task: s, Category: models.Service, MinutesPerMonth: 1},
			models.GrantedItem{Task: d, Category: models.Care, MinutesPerMonth: 1})
	}
	ds := &models.Dataset{
		Tasks:     tasks,
		Customers: []models.Customer{{ID: "n1", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "egen", Name: "Egen regi", Ownership: models.OwnOperation}},
		Decisions: []models.Decision{dec},
	}
	s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	byCategory := map[string]int{}
	for _, u := range s.NotPaid {
		byCategory[u.Item[:1]+" "+u.Reason.String()]++
	}
	if byCategory["D no_component"] != n || len(byCategory) != 1 {
		t.Errorf("not paid: %v, want %d care items no_component and nothing else", byCategory, n)
	}
	if len(s.Lines) != 1 || len(s.Lines[0].Units) != n {
		t.Errorf("%d lines, want one of the %d service items", len(s.Lines), n)
	}
}

// A level's line of a pool of service and care is of no category (it
// was listed under service, its first item's, which put the shower's
// money under service in the CSV and in an invoice line's text); a line
// of one category keeps it.
func TestLevelPoolLineCategory(t *testing.T) {
	b := levelPoolBook(t, "category in ['service', 'care']")
	städ := models.GrantedItem{Task: "Städ", Category: models.Service, MinutesPerMonth: 120}
	dusch := models.GrantedItem{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 2, Per: models.PerWeek}
	for _, c := range []struct {
		items []models.GrantedItem
		want  models.Category
	}{{[]models.GrantedItem{städ, dusch}, models.CategoryUnknown}, {[]models.GrantedItem{dusch, städ}, models.CategoryUnknown},
		{[]models.GrantedItem{städ}, models.Service}, {[]models.GrantedItem{dusch}, models.Care}} {
		ds := levelPoolData(c.items)
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{NoExplain: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Lines) != 1 || s.Lines[0].Category != c.want {
			t.Errorf("%d items, %s first: lines %+v, want one of category %q", len(c.items), c.items[0].Task, s.Lines, c.want)
		}
	}
}

// levelPoolBook is a level tariff of the items when selects (a pool of
// service and care: "category in ['service', 'care']"): level 1 from
// 0 h at 1 120.00 kr a month, level 2 from 5 h at 3 360.00.
func levelPoolBook(t *testing.T, when string) *reimbursement.Book {
	t.Helper()
	src := `{"name": "Nivå", "valid_from": "2024-01-01", "zones": ["tätort"], "currency": "SEK", "source": "test",
		"rounding": {"scale": 2, "mode": "half_up"}, "time_rounding": {"mode": "nearest"},
		"tables": {"nivå": {"keys": ["level"], "rates": {"1": "1120.00", "2": "3360.00"}}},
		"components": [{"name": "nivå", "strategy": "level", "when": "` + when + `",
			"rate": "table('nivå', level)",
			"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "5"}]}}]}`
	v, err := reimbursement.ParseVersion(strings.NewReader(src), "niva.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// levelPoolData is customer n1 in tätort with egen, of one decision of
// items from 2024, and the task codes Städ (service) and Dusch (care).
func levelPoolData(items []models.GrantedItem) *models.Dataset {
	return &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Städ", Category: models.Service}, {Local: "Dusch", Category: models.Care}},
		Customers: []models.Customer{{ID: "n1", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "egen", Name: "Egen regi", Ownership: models.OwnOperation}},
		Decisions: []models.Decision{{ID: "n1-b1", Customer: "n1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-01-01"),
			ExecutionStarted: calendar.MustParseDate("2024-01-01"), Items: items}},
	}
}

// A level's line takes the category of the items paid on its days, day
// by day, not of the month's: a month split between tariff versions
// gives the lines of one version (found by
// TestPropertySplitByAnIdenticalVersion: a care item all April and a
// service item from the 2nd were one category in the version of the 1st
// alone and none in the month's one version).
//
// Dusch, 30 min twice a week, is 30 × 2 × 52 ÷ 12 = 260 min a month,
// 4.33 h: level 1. With Städ's 120 min from the 2nd, 380 min, 6.33 h:
// level 2. April has 30 days:
//
//	the 1st, Dusch alone (care):  1 120.00 × 1 ÷ 30 =    37.33
//	2–30, Dusch and Städ (none):  3 360.00 × 29 ÷ 30 = 3 248.00
//
// in one version and split on the 2nd alike.
func TestLevelLineCategoryByDay(t *testing.T) {
	ds := levelPoolData([]models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 2, Per: models.PerWeek}})
	ds.Decisions = append(ds.Decisions, models.Decision{ID: "n1-b2", Customer: "n1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-04-02"),
		ExecutionStarted: calendar.MustParseDate("2024-04-02"), Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, MinutesPerMonth: 120}}})
	src := func(name, from string) string {
		return `{"name": "` + name + `", "valid_from": "` + from + `", "zones": ["tätort"], "currency": "SEK", "source": "test",
		"rounding": {"scale": 2, "mode": "half_up"}, "time_rounding": {"mode": "nearest"},
		"tables": {"nivå": {"keys": ["level"], "rates": {"1": "1120.00", "2": "3360.00"}}},
		"components": [{"name": "nivå", "strategy": "level", "when": "category in ['service', 'care']",
			"rate": "table('nivå', level)",
			"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "5"}]}}]}`
	}
	want := []string{"care 1 × 1120.00 = 37.33", "unknown 29 × 3360.00 = 3248.00"}
	for name, b := range map[string]*reimbursement.Book{
		"one version": splitBook(t, src("Nivå", "2024-01-01")),
		"split":       splitBook(t, src("Nivå", "2024-01-01"), src("Nivå 2", "2024-04-02")),
	} {
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{NoExplain: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range s.Lines {
			got = append(got, fmt.Sprintf("%s %s × %s = %s", l.Category, l.Quantity, l.Rate, l.Amount))
		}
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: lines (-want +got):\n%s", name, diff)
		}
	}
}
