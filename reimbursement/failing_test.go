package reimbursement

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// A strategy that fails part-way through a case pays nothing of it:
// standard_time's minutes are 30 × the visit's, so the 60-minute v003
// asks for 1 800 standard minutes, beyond a day, after the component has
// reported v001 declined and v002's second staff member extra_staff and
// counted v002's 900 minutes. Neither report survives, nor the minutes:
// each of the three visits it matched is reported rate_error with the
// error and its staff minutes, as standard time would have named them
// (v001 30 min × 1, v002 30 min × 2 staff present, v003 60 min × 1), so
// that they are not lost. The HSL component still pays v004: 45 min ×
// 400 kr/h ÷ 60 = 300.00.
func TestFailingStrategyReportsEachUnit(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	ds.Visits = []models.Visit{
		visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch", func(v *models.Visit) { v.Declined = true }), // v001
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch", func(v *models.Visit) { v.Staff = 2 }),       // v002: double staffing not ordered
		visit("2024-04-04 10:00", "2024-04-04 11:00", "Dusch"),                                              // v003: 1 800 standard minutes
		visit("2024-04-05 10:00", "2024-04-05 10:45", "HSL"),                                                // v004
	}
	b := mustBook(t, doc(`{"name": "schablon", "strategy": "standard_time", "when": "category == 'care'", "rate": "table('band', band)",
	  "params": {"minutes": "minutes * 30"}},
	{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "table('band', band)", "params": {"require_decision": false}}`))
	s := settle(t, b, ds)
	if diff := cmp.Diff([]row{{"k1", "hsl", "", "delegated_hsl", "tätort", "dag", "45", "400", "", "300.00"}}, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	failed := func(id, date string, minutes int64) Unpaid {
		return Unpaid{Kind: RecordVisit, ID: id, Customer: "k1", Provider: "egen", Version: "Test 2024", Component: "schablon",
			Date: d(date), Reason: RateError, Minutes: minutes, Detail: "minutes 1800 for visit v003 is not 0–1440"}
	}
	want := []Unpaid{failed("v001", "2024-04-02", 30), failed("v002", "2024-04-03", 60), failed("v003", "2024-04-04", 60)}
	if diff := cmp.Diff(want, s.NotPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A strategy that fails after it has emitted lines takes them back:
// minimum_execution settles service, then care. k1 performed neither
// (share 0 < 0.80), so each is paid less the deduction: service 120 min
// × 439.00 kr/h × 0.9 ÷ 60 = 790.20 is emitted, then care's deduction
// divides by zero for k1. The service line is taken back and both items
// are reported rate_error with their granted minutes and days (120 and
// 60 minutes a month, in force all 30 days). k2, who performed care in
// full (60 of 60 minutes), is paid: service 120 × 470.00 × 0.9 ÷ 60 =
// 846.00, care 60 × 480.00 ÷ 60 = 480.00. k1's HSL visit is still paid:
// 30 × 400 ÷ 60 = 200.00.
func TestFailingStrategyTakesBackItsLines(t *testing.T) {
	ds := data()
	decision := func(id, customer string) models.Decision {
		return models.Decision{ID: id, Customer: customer, Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{
				{Task: "Städ", Category: models.Service, MinutesPerMonth: 120},
				{Task: "Dusch", Category: models.Care, MinutesPerMonth: 60},
			}}
	}
	ds.Decisions = []models.Decision{decision("b1", "k1"), decision("b2", "k2")}
	ds.Visits = []models.Visit{
		visit("2024-04-03 10:00", "2024-04-03 10:30", "HSL"),                                                // v001
		visit("2024-04-02 10:00", "2024-04-02 11:00", "Dusch", func(v *models.Visit) { v.Customer = "k2" }), // v002
	}
	b := mustBook(t, doc(`{"name": "bas", "strategy": "minimum_execution", "when": "category in ['care', 'service']",
	  "rate": "table('timpris', category, zone)",
	  "params": {"threshold": "0.80", "below": "deduction", "deduction": "category == 'care' ? 0.10 / (customer == 'k1' ? 0 : 1) : 0.10"}},
	{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "table('band', band)", "params": {"require_decision": false}}`))
	s := settle(t, b, ds)
	want := []row{
		{"k1", "hsl", "", "delegated_hsl", "tätort", "dag", "30", "400", "", "200.00"},
		{"k2", "bas", "", "care", "landsbygd", "", "60", "480.00", "", "480.00"},
		{"k2", "bas", "deduction", "service", "landsbygd", "", "120", "470.00", "0.90", "846.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	failed := func(item string, minutes int64) Unpaid {
		return Unpaid{Kind: RecordDecision, ID: "b1", Item: item, Customer: "k1", Provider: "egen", Version: "Test 2024", Component: "bas",
			Date: d("2024-04-01"), Reason: RateError, Minutes: minutes, Days: 30, Detail: "deduction: division by zero"}
	}
	if diff := cmp.Diff([]Unpaid{failed("Städ", 120), failed("Dusch", 60)}, s.NotPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// overflowAfter is a strategy that settles as its inner one, then fails
// as a quantity too large to count does: the overflow of a strategy's
// groups cannot be reached with data within the plausibility limits of
// Options, so the tests fail a strategy after it has done everything.
type overflowAfter struct{ strategy }

// Settle implements strategy.
func (o overflowAfter) Settle(s *scope) error {
	if err := o.strategy.Settle(s); err != nil {
		return err
	}
	return errOverflow
}

// A strategy that overflows after it has paid and reported everything
// pays nothing: performed time for care would pay v001's 30 minutes and
// report the declined v002, and has set the paid minutes that the HSL
// component's cap reads as performed['omsorg']. All is taken back: v001
// and v002 are reported overflow with their 30 minutes each, and the HSL
// cap is 0 × 1 = 0 minutes, so v003's 20 minutes are above it (had the
// paid minutes stayed, the cap would be 30 and HSL would pay 20 min × 400
// ÷ 60 = 133.33).
func TestOverflowingStrategyTakesBackEverything(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	ds.Visits = []models.Visit{
		visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch"),                                              // v001
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch", func(v *models.Visit) { v.Declined = true }), // v002
		visit("2024-04-04 10:00", "2024-04-04 10:20", "HSL"),                                                // v003
	}
	b := mustBook(t, doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "table('band', band)"},
	{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "table('band', band)",
	  "params": {"require_decision": false, "cap": "performed['omsorg']"}}`))
	comp := b.Versions()[0].components[0]
	comp.strategy = overflowAfter{comp.strategy}
	s := settle(t, b, ds)
	if diff := cmp.Diff([]row(nil), rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	overflow := func(id, date string) Unpaid {
		return Unpaid{Kind: RecordVisit, ID: id, Customer: "k1", Provider: "egen", Version: "Test 2024", Component: "omsorg",
			Date: d(date), Reason: Overflow, Minutes: 30, Detail: errOverflow.Error()}
	}
	want := []Unpaid{overflow("v001", "2024-04-02"), overflow("v002", "2024-04-03"),
		{Kind: RecordVisit, ID: "v003", Customer: "k1", Provider: "egen", Version: "Test 2024", Component: "hsl",
			Date: d("2024-04-04"), Reason: AboveCap, Minutes: 20, Detail: "taket för delegerad HSL, 0 min, är nått"}}
	if diff := cmp.Diff(want, s.NotPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A component of items that accounts for part of an item reports that
// part when its rate fails, not the whole item, which the component that
// pays it accounts for: k1's care item grants 10 min a day, paused 10–12
// April. Granted time pays the 27 other days, 270 min × 448.00 ÷ 60 =
// 2 016.00, and reports the 3 paused days absent (30 min); the absence
// component, whose rate divides by zero for k1, reports those 3 days and
// 30 minutes rate_error, not the item's 30 days; the one-off start
// payment, whose rate fails too, reports the decision's start and no
// minutes or days, since it pays on top of the item.
func TestRateErrorOfPartOfAnItem(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-01"), ExecutionStarted: d("2024-04-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 10, Times: 1, Per: models.PerDay}}}}
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k1", From: d("2024-04-10"), To: d("2024-04-12"), Reason: models.Hospital}}
	b := mustBook(t, doc(`{"name": "omsorg", "strategy": "granted_time", "when": "category == 'care'", "rate": "table('timpris', category, zone)"},
	{"name": "frånvaro", "strategy": "absence", "when": "category == 'care'", "stacks": true,
	  "rate": "table('timpris', category, zone) / (customer == 'k1' ? 0 : 1)", "params": {"ladder": [{"days": 5, "share": "1"}]}},
	{"name": "start", "strategy": "one_off", "when": "category == 'care'", "stacks": true,
	  "rate": "1000 / (customer == 'k1' ? 0 : 1)", "params": {"on": "decision_start"}}`))
	s := settle(t, b, ds)
	if diff := cmp.Diff([]row{{"k1", "omsorg", "", "care", "tätort", "", "270", "448.00", "", "2016.00"}}, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	item := func(component string, reason Reason, minutes int64, days int, detail string) Unpaid {
		return Unpaid{Kind: RecordDecision, ID: "b1", Item: "Dusch", Customer: "k1", Provider: "egen", Version: "Test 2024",
			Component: component, Date: d("2024-04-01"), Reason: reason, Minutes: minutes, Days: days, Detail: detail}
	}
	want := []Unpaid{
		item("omsorg", Absent, 30, 3, "3 dagar med uppehåll för frånvaro"),
		item("frånvaro", RateError, 30, 3, "division by zero"),
		item("start", RateError, 0, 0, "division by zero"),
	}
	if diff := cmp.Diff(want, s.NotPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A granted-time component that fails pays neither the items nor, through
// them, the visits of their category: k1's care item is reported
// rate_error with its 600 granted minutes and 30 days, and the 30-minute
// care visit for the same reason and component, not as matched by no
// component.
func TestFailingGrantedTimeReportsItsVisits(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch")}
	b := mustBook(t, doc(`{"name": "beviljad", "strategy": "granted_time", "when": "category == 'care'",
	  "rate": "400 / (customer == 'k1' ? 0 : 1)"}`))
	s := settle(t, b, ds)
	if len(s.Lines) != 0 || len(s.NotPaid) != 2 {
		t.Fatalf("%d lines, not paid %+v; want no line, the item and the visit not paid", len(s.Lines), s.NotPaid)
	}
	item := s.NotPaid[0]
	if item.Kind != RecordDecision {
		item = s.NotPaid[1]
	}
	want := []Unpaid{
		{Kind: RecordDecision, ID: "b1", Item: "Dusch", Customer: "k1", Provider: "egen", Version: "Test 2024", Component: "beviljad",
			Date: d("2024-04-01"), Reason: RateError, Minutes: 600, Days: 30, Detail: item.Detail},
		{Kind: RecordVisit, ID: "v001", Customer: "k1", Provider: "egen", Version: "Test 2024", Component: "beviljad",
			Date: d("2024-04-02"), Reason: RateError, Minutes: 30, Detail: "besök av omsorg, betalas med beviljad tid som inte betalas: " + item.Detail},
	}
	if diff := cmp.Diff(want, s.NotPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	if !strings.Contains(item.Detail, "division by zero") {
		t.Errorf("the item's detail %q does not say why", item.Detail)
	}
}

// The failed granted time stands for the visits it would have paid for,
// not for one on a day no decision grants its category: that visit is
// reported no_decision (found by review). The decision starts on the
// 10th; the visit is on the 2nd.
func TestFailingGrantedTimeLeavesOtherDaysAlone(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-10"), ExecutionStarted: d("2024-04-10"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch")}
	b := mustBook(t, doc(`{"name": "beviljad", "strategy": "granted_time", "when": "category == 'care'",
	  "rate": "400 / (customer == 'k1' ? 0 : 1)"}`))
	s := settle(t, b, ds)
	var got []string
	for _, u := range s.NotPaid {
		got = append(got, fmt.Sprintf("%s %s %s", u.Kind, u.Reason, u.Detail))
	}
	slices.Sort(got)
	if len(got) != 2 || got[0] != "decision rate_error division by zero" || got[1] != "visit no_decision inget beslut beviljar omsorg 2024-04-02" {
		t.Errorf("not paid %q; want the item's rate_error and the visit's no_decision", got)
	}
}
