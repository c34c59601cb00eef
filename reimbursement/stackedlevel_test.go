package reimbursement_test

import (
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// A level supplement stacked on performed time ("stacks": true: a monthly
// amount on top, from 30 granted hours) pays on top of the hourly
// component; it does not pay for the visits as a level paid instead of
// the hours does. A care visit the hourly component's when leaves out
// (a tariff written wrong: task != 'Tillsyn') must then be reported
// no_component, as it is without the supplement, not vanish: before, the
// supplement's line covered the category's visits and the 28 minutes
// were neither paid nor reported, and CheckLedger accepted it (found by
// trial128). The customer is granted 1 800 min = 30 h of Tillsyn and
// 30 min of Dusch a week; April: 1 800 + 30 × 30 ÷ 7 = 1 928.57 min,
// level stor, 1 250.00; the shower of 30 min, 30 × 480 ÷ 60 = 240.00.
func TestStackedLevelDoesNotPayForVisits(t *testing.T) {
	p := attackMonth(t, time.April)
	b := parseBook(t, attackTariff("Tillägg", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "when": "task != 'Tillsyn'", "rate": "480"},
		 {"name": "omfattning", "strategy": "level", "rate": "level == 'stor' ? 1250 : 0", "stacks": true,
		  "params": {"levels": [{"name": "bas", "from_hours": "0"}, {"name": "stor", "from_hours": "30"}]}}`), "tillagg.json")
	at := func(d, h int) time.Time { return time.Date(2024, 4, d, h, 0, 0, 0, p.Location) }
	ds := attackData(attackVisit("v1", at(3, 9), at(3, 9).Add(28*time.Minute), "Tillsyn"),
		attackVisit("v2", at(4, 10), at(4, 10).Add(30*time.Minute), "Dusch"))
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1", ValidFrom: calendar.MustParseDate("2024-01-01"), ExecutionStarted: calendar.MustParseDate("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Tillsyn", Category: models.Care, MinutesPerMonth: 1800},
			{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerWeek}}}}
	s, _ := settleEveryWay(t, b, ds, p)
	var got []string
	for _, l := range s.Lines {
		got = append(got, l.Component+" "+l.Amount.StringFixed(2))
	}
	if want := []string{"tid 240.00", "omfattning 1250.00"}; !equalStrings(got, want) {
		t.Errorf("lines %v, want %v", got, want)
	}
	var v1 *reimbursement.Unpaid
	for i := range s.NotPaid {
		if s.NotPaid[i].ID == "v1" {
			v1 = &s.NotPaid[i]
		}
	}
	if v1 == nil || v1.Reason != reimbursement.NoComponent || v1.Minutes != 28 {
		t.Fatalf("visit v1 reported %+v, want no_component 28 min", v1)
	}
	if err := tarifftest.CheckLedger(s, ds, b, p); err != nil {
		t.Error(err)
	}
	// Without the report the ledger must not balance.
	s.NotPaid = slicesDeleteID(s.NotPaid, "v1")
	if err := tarifftest.CheckLedger(s, ds, b, p); err == nil {
		t.Error("CheckLedger accepted the settlement without visit v1's report")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func slicesDeleteID(us []reimbursement.Unpaid, id string) []reimbursement.Unpaid {
	var out []reimbursement.Unpaid
	for _, u := range us {
		if u.ID != id {
			out = append(out, u)
		}
	}
	return out
}
