package reimbursement

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// Two components whose when read task codes cannot be told apart at load;
// a visit both match is paid by the first and reported paid_twice for the
// second, never paid twice. A negative rate the probe could not see is a
// rate error at settlement.
func TestPaidTwiceAndNegativeRateAtSettlement(t *testing.T) {
	b := mustBook(t, doc(`{"name": "dusch", "strategy": "performed_time", "when": "has(tasks, 'Dusch')",
  "rate": "table('timpris', category, zone)", "params": {"require_decision": false}},
 {"name": "omsorg", "strategy": "performed_time", "when": "task == 'Dusch' || task == 'Tillsyn'",
  "rate": "task == 'Tillsyn' ? 0 - 100 : table('timpris', category, zone)", "params": {"require_decision": false}}`))
	ds := data()
	ds.Visits = []models.Visit{
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch"),   // v001: both match
		visit("2024-04-04 10:00", "2024-04-04 10:45", "Tillsyn"), // v002: omsorg only, at a negative rate
	}
	s := settle(t, b, ds)
	// v001 is paid once, by dusch: 30 min × 448.00 ÷ 60 = 224.00.
	if diff := cmp.Diff([]row{{"k1", "dusch", "", "care", "tätort", "", "30", "448.00", "", "224.00"}}, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	want := []unpaidRow{{"v001", PaidTwice, 0}, {"v002", RateError, 45}}
	if diff := cmp.Diff(want, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A unit claimed by a component whose strategy then fails stays that
// component's: v001, which both components match, is reported rate_error
// by dusch, whose cap divides by zero for k1, with its 30 minutes, and
// paid_twice by omsorg, which does not pay it in dusch's place, with no
// minutes and a detail that says dusch failed. omsorg pays v002: 45 min
// × 448.00 ÷ 60 = 336.00.
func TestPaidTwiceByAFailingComponent(t *testing.T) {
	b := mustBook(t, doc(`{"name": "dusch", "strategy": "performed_time", "when": "has(tasks, 'Dusch')",
  "rate": "table('timpris', category, zone)", "params": {"require_decision": false, "cap": "1 / (customer == 'k1' ? 0 : 1)"}},
 {"name": "omsorg", "strategy": "performed_time", "when": "task == 'Dusch' || task == 'Tillsyn'",
  "rate": "table('timpris', category, zone)", "params": {"require_decision": false}}`))
	ds := data()
	ds.Visits = []models.Visit{
		visit("2024-04-03 10:00", "2024-04-03 10:30", "Dusch"),   // v001: both match
		visit("2024-04-04 10:00", "2024-04-04 10:45", "Tillsyn"), // v002: omsorg only
	}
	s := settle(t, b, ds)
	if diff := cmp.Diff([]row{{"k1", "omsorg", "", "care", "tätort", "", "45", "448.00", "", "336.00"}}, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	v001 := Unpaid{Kind: RecordVisit, ID: "v001", Customer: "k1", Provider: "egen", Version: "Test 2024", Date: d("2024-04-03")}
	failed, twice := v001, v001
	failed.Component, failed.Reason, failed.Minutes, failed.Detail = "dusch", RateError, 30, "cap: division by zero"
	twice.Component, twice.Reason = "omsorg", PaidTwice
	twice.Detail = `matchas också av komponenten "dusch", som redovisar det: dess strategi misslyckades: taxan måste ange "stacks" eller "instead_of"`
	if diff := cmp.Diff([]Unpaid{failed, twice}, s.NotPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}
