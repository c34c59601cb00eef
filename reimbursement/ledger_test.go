package reimbursement

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// The failures of issue 10 that settlement alone can see, each with the
// arithmetic worked by hand.

const dayEveningCare = `{"name": "omsorg", "strategy": "performed_time", "when": "category == \"care\" && band in [\"dag\", \"kväll\"]",
  "rate": "table(\"band\", band)", "params": {"require_decision": false}}`

// A tariff that pays day and evening only: the night part of a visit is
// reported, not lost.
func TestLedgerOutsidePaidHours(t *testing.T) {
	ds := data()
	// 21:40–22:20 on a Wednesday: 20 min kväll, 20 min natt.
	ds.Visits = []models.Visit{visit("2024-04-03 21:40", "2024-04-03 22:20", "Dusch")}
	s := settle(t, mustBook(t, doc(dayEveningCare)), ds)
	// kväll: 20 × 450 ÷ 60 = 150.00
	if diff := cmp.Diff([]row{{"k1", "omsorg", "", "care", "tätort", "kväll", "20", "450", "", "150.00"}}, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]unpaidRow{{"v001", OutsidePaidHours, 20}}, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]UnitRef{{Kind: RecordVisit, ID: "v001", Minutes: 20}}, s.Lines[0].Units); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
}

// A visit of no time is reported zero_length, under per-minute and
// per-visit tariffs alike.
func TestLedgerZeroLength(t *testing.T) {
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-03 10:00", "2024-04-03 10:00", "Dusch")}
	perVisit := `{"name": "besök", "strategy": "per_visit", "rate": "250"}`
	for _, comp := range []string{dayEveningCare, perVisit} {
		s := settle(t, mustBook(t, doc(comp)), ds)
		if len(s.Lines) != 0 || !s.Total.IsZero() {
			t.Errorf("%s: a visit of no time is paid: %v", comp, rows(s))
		}
		if diff := cmp.Diff([]unpaidRow{{"v001", ZeroLength, 0}}, unpaid(s)); diff != "" {
			t.Errorf("not paid (-want +got):\n%s", diff)
		}
	}
}

// Absence days beyond the ladder are reported absent, with their days.
func TestLedgerAbsenceBeyondLadder(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b2", Customer: "k2", Provider: "priv", ValidFrom: d("2024-03-01"), ExecutionStarted: d("2024-03-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	// In hospital 4–9 April, 6 days: day 1 in full, days 2–5 at half, day 6 nothing.
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k2", From: d("2024-04-04"), To: d("2024-04-09"), Reason: models.Hospital}}
	comp := sprintf(grantedSol, `, "params": {"absence_ladder": [{"days": 1, "share": "1"}, {"days": 4, "share": "0.5"}]}`)
	s := settle(t, mustBook(t, doc(comp)), ds)
	// Day 6: 600 × 1 ÷ 30 = 20 min, 1 day.
	want := []Unpaid{{Kind: RecordDecision, ID: "b2", Item: "Dusch", Customer: "k2", Provider: "priv", Version: "Test 2024",
		Component: "sol", Date: d("2024-04-01"), Reason: Absent, Minutes: 20, Days: 1, Detail: "1 dag med uppehåll som frånvarotrappan inte betalar"}}
	if diff := cmp.Diff(want, s.NotPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	// The plain line pays the 24 days not paused, the ladder lines 1 and 4.
	var days []int
	for _, l := range s.Lines {
		days = append(days, l.Units[0].Days)
	}
	if diff := cmp.Diff([]int{24, 1, 4}, days); diff != "" {
		t.Errorf("days on the lines (-want +got):\n%s", diff)
	}
}

// A share of zero pays zero under every branch of minimum_execution, and
// a deduction of 1 deducts everything.
func TestMinimumExecutionZero(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 20, Times: 1, Per: models.PerDay}}}}
	// Granted 20 × 1 × 30 = 600 min; nothing performed: share 0.0000.
	tests := []struct {
		name, params string
		want         row
	}{
		// Threshold 0 is reached by nothing performed: 600 × 448 ÷ 60 = 4480.00 in full.
		{"threshold zero", `{"threshold": "0", "below": "share"}`, row{"k1", "me", "", "care", "tätort", "", "600", "448.00", "", "4480.00"}},
		// Performed time, at most granted: 0 min × 448 ÷ 60 = 0.00.
		{"performed", `{"threshold": "0.80", "below": "performed"}`, row{"k1", "me", "performed", "care", "tätort", "", "0", "448.00", "", "0.00"}},
		// Granted time less 1: 600 × 448 × 0 ÷ 60 = 0.00 (was 4480.00).
		{"deduction 1", `{"threshold": "0.80", "below": "deduction", "deduction": "1"}`, row{"k1", "me", "deduction", "care", "tätort", "", "600", "448.00", "0", "0.00"}},
		// Granted time less 0.10: 600 × 448 × 0.90 ÷ 60 = 4032.00.
		{"deduction", `{"threshold": "0.80", "below": "deduction", "deduction": "0.10"}`, row{"k1", "me", "deduction", "care", "tätort", "", "600", "448.00", "0.90", "4032.00"}},
		// Granted time × share 0: 600 × 448 × 0.0000 ÷ 60 = 0.00 (was 4480.00).
		{"share", `{"threshold": "0.80", "below": "share"}`, row{"k1", "me", "share", "care", "tätort", "", "600", "448.00", "0.0000", "0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comp := `{"name": "me", "strategy": "minimum_execution", "when": "category == \"care\"", "rate": "table(\"timpris\", category, zone)", "params": ` + tt.params + `}`
			s := settle(t, mustBook(t, doc(comp)), ds)
			if diff := cmp.Diff([]row{tt.want}, rows(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if s.Total.String() != tt.want.Amount {
				t.Errorf("total %s, want %s", s.Total, tt.want.Amount)
			}
		})
	}
}

// Records beyond the plausibility limits are reported implausible and
// cost nothing; no quantity overflows.
func TestImplausibleRecords(t *testing.T) {
	perf := `{"name": "omsorg", "strategy": "performed_time", "when": "category == \"care\"", "rate": "table(\"band\", band)",
  "params": {"require_decision": false}}`
	granted := sprintf(grantedSol, "")
	tests := []struct {
		name string
		comp string
		edit func(ds *models.Dataset)
		id   string
	}{
		{"visit ends in 9999", perf, func(ds *models.Dataset) {
			v := visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch")
			v.End = time.Date(9999, 4, 3, 10, 30, 0, 0, stockholm)
			ds.Visits = append(ds.Visits, v)
		}, "v001"},
		{"visit of 30 days", perf, func(ds *models.Dataset) {
			ds.Visits = append(ds.Visits, visit("2024-04-01 10:00", "2024-04-30 10:00", "Dusch"))
		}, "v001"},
		{"a year late", perf, func(ds *models.Dataset) {
			ds.Visits = append(ds.Visits, visit("2024-04-03 10:00", "2025-04-03 10:30", "Dusch"))
		}, "v001"},
		{"1000 staff", perf, func(ds *models.Dataset) {
			ds.Visits = append(ds.Visits, visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch", func(v *models.Visit) { v.Staff = 1000 }))
		}, "v001"},
		{"10⁹ min × 10⁹ a day", granted, func(ds *models.Dataset) {
			ds.Decisions = append(ds.Decisions, models.Decision{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"),
				ExecutionStarted: d("2024-01-01"), Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 1e9, Times: 1e9, Per: models.PerDay}}})
		}, "b1"},
		{"9·10¹⁸ min a month", granted, func(ds *models.Dataset) {
			ds.Decisions = append(ds.Decisions, models.Decision{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"),
				ExecutionStarted: d("2024-01-01"), Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 9e18}}})
		}, "b1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := data()
			tt.edit(ds)
			s := settle(t, mustBook(t, doc(tt.comp)), ds)
			if !s.Total.IsZero() || len(s.Lines) != 0 {
				t.Errorf("paid %s kr: %v", s.Total, rows(s))
			}
			if len(s.NotPaid) != 1 || s.NotPaid[0].ID != tt.id || s.NotPaid[0].Reason != Implausible {
				t.Errorf("not paid: %+v, want %s implausible", s.NotPaid, tt.id)
			}
		})
	}
}

// A cap far beyond an int64 is refused when the tariff is loaded (it
// could only wrap around at settlement; no expression gives 10¹⁸ or
// more); a cap the probe cannot price (one that reads the period) is
// checked at settlement, and one beyond the minutes any month holds
// caps nothing rather than wrap.
func TestHugeCap(t *testing.T) {
	comp := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "table('band', band)",
  "params": {"require_decision": false, "cap": "%s"}}`
	_, err := ParseVersion(strings.NewReader(doc(sprintf(comp, "1000000000 * 1000000000 * 1000000000 * 1000000000"))), "test.json")
	if err == nil || !strings.Contains(err.Error(), "a result of 19 digits before the point; at most 18") {
		t.Fatalf("huge cap: %v, want a load error", err)
	}
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch")}
	s := settle(t, mustBook(t, doc(sprintf(comp, "period == '2024-04' ? 999999999 * 999999999 : 0"))), ds)
	// 30 × 400 ÷ 60 = 200.00
	if diff := cmp.Diff([]row{{"k1", "omsorg", "", "care", "tätort", "dag", "30", "400", "", "200.00"}}, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A record whose provider is "-" passes validation; settlement reports it
// instead of dereferencing a provider that is not there.
func TestUnresolvedProviderDoesNotPanic(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "-", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	ds.Visits = []models.Visit{visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch", func(v *models.Visit) { v.Provider = "-" })}
	ds.Listings = []models.Listing{{ID: "l1", Customer: "k1", Provider: "-", Kind: models.ListingHomeHealthCare, From: d("2024-04-01")}}
	ds.AlarmEvents = []models.AlarmEvent{{ID: "e1", Customer: "k1", Provider: "-", Time: at("2024-04-03 10:00")}}
	// Validation may refuse the provider "-" (it did not when this was
	// found); the engine must not depend on it.
	ds.Visits = append(ds.Visits, visit("2024-04-03 11:00", "2024-04-03 11:30", "Dusch", func(v *models.Visit) { v.Customer = "nobody" }))
	in, err := index(mustBook(t, doc(sprintf(grantedSol, ""))), ds, april2024, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := settleIndexed(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []unpaidRow{{"v001", Unresolved, 0}, {"v002", Unresolved, 0}, {"b1", Unresolved, 0}, {"l1", Unresolved, 0}, {"e1", Unresolved, 0}}
	if diff := cmp.Diff(want, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A task code with spaces around it is the task code.
func TestTaskCodeTrimmed(t *testing.T) {
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-03 10:00", "2024-04-03 10:30", " HSL ")}
	if err := ds.Validate(); err != nil {
		t.Skipf("validation refuses the task code: %v", err)
	}
	comp := `{"name": "hsl", "strategy": "performed_time", "when": "category == \"delegated_hsl\" && task == \"HSL\"", "rate": "table(\"band\", band)",
  "params": {"require_decision": false}}`
	s := settle(t, mustBook(t, doc(comp)), ds)
	// 30 × 400 ÷ 60 = 200.00
	if diff := cmp.Diff([]row{{"k1", "hsl", "", "delegated_hsl", "tätort", "dag", "30", "400", "", "200.00"}}, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A line's explanation describes all its units: a line holding a
// Saturday and a weekday visit says so, and names both.
func TestExplanationDescribesTheLine(t *testing.T) {
	ds := data()
	ds.Visits = []models.Visit{
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch"), // Wednesday
		visit("2024-04-06 10:00", "2024-04-06 10:30", "Dusch"), // Saturday
	}
	comp := `{"name": "omsorg", "strategy": "performed_time", "when": "category == \"care\"", "rate": "448", "params": {"require_decision": false}}`
	s := settle(t, mustBook(t, doc(comp)), ds)
	if len(s.Lines) != 1 {
		t.Fatalf("lines: %v", rows(s))
	}
	l := s.Lines[0]
	inputs := map[string]string{}
	for _, in := range l.Explanation.Inputs {
		inputs[in.Name] = in.Value
	}
	if inputs["day_kind"] != "saturday | weekday" {
		t.Errorf("day_kind = %q, want saturday | weekday", inputs["day_kind"])
	}
	want := []UnitRef{{Kind: RecordVisit, ID: "v001", Minutes: 30}, {Kind: RecordVisit, ID: "v002", Minutes: 30}}
	if diff := cmp.Diff(want, l.Units); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	var b strings.Builder
	if err := l.WriteExplanation(&b); err != nil {
		t.Fatal(err)
	}
	// Both visits with their minutes, 30 + 30 = 60, the line's
	// quantity; the bands and kinds of day they differ in gave them no
	// different rates.
	wantText := `Rad egen / k1 / omsorg / omsorg / tätort: 448.00 kr
  taxa       Test 2024 (test.json)
  strategi   performed_time
  villkor    category == "care"
  pris       448
  indata     customer=k1, provider=egen, ownership=own, zone=tätort, period=2024-04, category=care, task=Dusch, tasks=Dusch, role=care_staff, staff=1, band=dag | helg, day_kind=saturday | weekday
             (enheterna skiljer sig i band, day_kind; raden har ett pris för alla: 448 kr/h)
  enheter    besök v001 30 min, v002 30 min
  summa      60 min (2 poster) = radens antal
  formel     60 min × 448 kr/h ÷ 60 = 448.00
  avrundning half_up till 2 decimaler: exakt
`
	if diff := cmp.Diff(wantText, b.String()); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
}

// The same visit under two ids is listed as a possible duplicate; two
// staff of different roles at the same time are not.
func TestPossibleDuplicates(t *testing.T) {
	ds := data()
	ds.Visits = []models.Visit{
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch"),
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch"),
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch", func(v *models.Visit) { v.Role = models.Nurse }),
		visit("2024-04-04 10:00", "2024-04-04 10:30", "Dusch"),
	}
	comp := `{"name": "omsorg", "strategy": "performed_time", "when": "category == \"care\"", "rate": "448", "params": {"require_decision": false}}`
	s := settle(t, mustBook(t, doc(comp)), ds)
	want := []Duplicate{{Customer: "k1", Provider: "egen", Date: d("2024-04-03"), Visits: []string{"v001", "v002"}}}
	if diff := cmp.Diff(want, s.PossibleDuplicates); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A line whose units have more distinct environments than an explanation
// keeps (maxEnvs) says that its lists of values may be incomplete, also
// when its units were added up in a group first: 34 visits, each of its
// own task, on Wednesdays and Saturdays, paid 100 kr each on one line.
func TestExplanationOfManyEnvironments(t *testing.T) {
	ds := data()
	for i := range 34 {
		task := fmt.Sprintf("T%02d", i)
		ds.Tasks = append(ds.Tasks, models.LocalTask{Local: task, Category: models.Care})
		day := []string{"2024-04-03", "2024-04-06"}[i%2] // a Wednesday, a Saturday
		ds.Visits = append(ds.Visits, visit(day+" 10:00", day+" 10:30", task))
	}
	comp := `{"name": "besök", "strategy": "per_visit", "when": "category == 'care'", "rate": "100"}`
	s := settle(t, mustBook(t, doc(comp)), ds)
	if len(s.Lines) != 1 {
		t.Fatalf("lines: %v", rows(s))
	}
	l := s.Lines[0]
	// 34 visits × 100 kr = 3 400.00 kr.
	if got := l.Amount.String(); got != "3400.00" || len(l.Units) != 34 {
		t.Fatalf("amount %s with %d units, want 3400.00 with 34", got, len(l.Units))
	}
	inputs := map[string]string{}
	for _, in := range l.Explanation.Inputs {
		inputs[in.Name] = in.Value
	}
	want := map[string]string{
		"day_kind": "saturday | weekday | …", // more may have been left out
		"band":     "dag | helg | …",         // the weekday band, the weekend's
		"zone":     "tätort",                 // one value: all agree
		"task":     "varierar (32 värden)",   // of the 32 kept
	}
	for name, v := range want {
		if inputs[name] != v {
			t.Errorf("%s = %q, want %q", name, inputs[name], v)
		}
	}
}

// More distinct environments in a case than the engine numbers
// (maxDistinct) fall back to the evaluator's memo and are priced alike:
// 40 visits of 59 minutes, each with a task of its own that the rate
// reads. T00 is paid 600 kr/h: 59 × 600 ÷ 60 = 590.00; the other 39 at
// 300 kr/h: 39 × 59 = 2 301 min × 300 ÷ 60 = 11 505.00.
func TestManyDistinctEnvironments(t *testing.T) {
	ds := data()
	for i := range 40 {
		task := fmt.Sprintf("T%02d", i)
		ds.Tasks = append(ds.Tasks, models.LocalTask{Local: task, Category: models.Care})
		day := fmt.Sprintf("2024-04-%02d", 2+i%20)
		hour := []string{"08", "10"}[i/20]
		ds.Visits = append(ds.Visits, visit(day+" "+hour+":00", day+" "+hour+":59", task))
	}
	comp := `{"name": "sol", "strategy": "performed_time", "when": "category == 'care'", "rate": "task == 'T00' ? 600 : 300",
	  "params": {"require_decision": false}}`
	for _, opts := range []Options{{}, {NoExplain: true, Workers: 1}} {
		s, err := Settle(context.Background(), mustBook(t, doc(comp)), ds, april2024, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := []row{
			{"k1", "sol", "", "care", "tätort", "", "2301", "300", "", "11505.00"},
			{"k1", "sol", "", "care", "tätort", "", "59", "600", "", "590.00"},
		}
		if diff := cmp.Diff(want, rows(s)); diff != "" {
			t.Errorf("%+v: (-want +got):\n%s", opts, diff)
		}
	}
}

// TestExplanationListsEveryUnit: the explanation of a line of twelve
// visits lists all twelve with the minutes the line pays of each (cut off
// after eight, a controller could not recompute the line, found by
// attack), in the line's order of ids as text (v1, v10, v11, v12, v2…),
// wrapped, an id that would not read as itself quoted, and adds them up:
// visit i (1–11) on 1 + i April, 10:00 to 10:(10 + i), 11 + i minutes;
// "a, b" on 20 April, 10:00–10:30, 30 minutes. 12 + 13 + … + 22 = 187,
// + 30 = 217 minutes; 217 × 60 ÷ 60 = 217.00.
func TestExplanationListsEveryUnit(t *testing.T) {
	ds := data()
	for i := 1; i <= 11; i++ {
		ds.Visits = append(ds.Visits, visit(fmt.Sprintf("2024-04-%02d 10:00", 1+i), fmt.Sprintf("2024-04-%02d 10:%02d", 1+i, 11+i), "Dusch",
			func(v *models.Visit) { v.ID = fmt.Sprintf("v%d", i) }))
	}
	ds.Visits = append(ds.Visits, visit("2024-04-20 10:00", "2024-04-20 10:30", "Dusch", func(v *models.Visit) { v.ID = "a, b" }))
	comp := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "60", "params": {"require_decision": false}}`
	s := settle(t, mustBook(t, doc(comp)), ds)
	if len(s.Lines) != 1 {
		t.Fatalf("lines: %v", rows(s))
	}
	var b strings.Builder
	if err := s.Lines[0].WriteExplanation(&b); err != nil {
		t.Fatal(err)
	}
	want := `Rad egen / k1 / omsorg / omsorg / tätort: 217.00 kr
  taxa       Test 2024 (test.json)
  strategi   performed_time
  villkor    category == 'care'
  pris       60
  indata     customer=k1, provider=egen, ownership=own, zone=tätort, period=2024-04, category=care, task=Dusch, tasks=Dusch, role=care_staff, staff=1, band=dag | helg, day_kind=saturday | sunday | weekday
             (enheterna skiljer sig i band, day_kind; raden har ett pris för alla: 60 kr/h)
  enheter    besök "a, b" 30 min, v1 12 min, v10 21 min, v11 22 min, v2 13 min, v3 14 min,
               v4 15 min, v5 16 min, v6 17 min, v7 18 min, v8 19 min, v9 20 min
  summa      217 min (12 poster) = radens antal
  formel     217 min × 60 kr/h ÷ 60 = 217.00
  avrundning half_up till 2 decimaler: exakt
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
}

// TestExplanationOfAMonthPaidWhole: a line of days whose units' days
// do not add up to its quantity says so. An alarm paid per month whole
// (fixed_monthly, prorate none), in force 11–30 April, 20 days: the line
// counts the month's 30 days and pays 300 × 30 ÷ 30 = 300.00.
func TestExplanationOfAMonthPaidWhole(t *testing.T) {
	ds := data()
	ds.Tasks = append(ds.Tasks, models.LocalTask{Local: "Larm", Category: models.Alarm})
	ds.Decisions = []models.Decision{{ID: "d1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-11"), ExecutionStarted: d("2024-04-11"),
		Items: []models.GrantedItem{{Task: "Larm", Category: models.Alarm, Subscription: true}}}}
	comp := `{"name": "larm", "strategy": "fixed_monthly", "when": "category == 'alarm'", "rate": "300", "params": {"prorate": "none"}}`
	s := settle(t, mustBook(t, doc(comp)), ds)
	if len(s.Lines) != 1 || s.Lines[0].Amount.String() != "300.00" {
		t.Fatalf("lines: %v", rows(s))
	}
	var b strings.Builder
	if err := s.Lines[0].WriteExplanation(&b); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"  enheter    beslut d1 (Larm) 20 dagar\n",
		"  summa      20 dagar (1 post); radens antal är 30 dagar, se steg\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the explanation has no %q:\n%s", want, got)
		}
	}
}

// TestReasonUnpriced: the reasons that say the tariff could not price a
// record are exactly no version in force, a zone the version does not
// know and an expression that failed; every other reason is the tariff's
// rule or the record's own state.
func TestReasonUnpriced(t *testing.T) {
	want := map[string]bool{"no_tariff": true, "unknown_zone": true, "rate_error": true}
	got := map[string]bool{}
	for i := range reasons.names {
		if r := Reason(i); r.Unpriced() {
			got[r.String()] = true
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("unpriced reasons (-want +got):\n%s", d)
	}
}
