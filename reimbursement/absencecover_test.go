package reimbursement_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// TestPartialItemLinesDoNotCoverVisits: a line of an absence component
// (it pays the paused days of a granted item) or of a one-off payment (it
// pays an event on top) does not pay for the visits of the item's
// category, as a line of granted time does. Care on performed time by
// care staff, 480 kr/h; a nurse's shower of 30 min on 5 April is refused
// by its when and reported no_component. With a hospital stay on 20–21
// April the absence component paid day 1 of it, 30 min × 480 ÷ 60 =
// 240.00, and the nurse's visit vanished: on no line and in no list,
// which tarifftest.CheckLedger accepted (it now says "visit v: on no line
// and in no list" of the old settlement). Likewise with a start payment
// of 1000.00 for the decision that starts on 1 April.
func TestPartialItemLinesDoNotCoverVisits(t *testing.T) {
	d := calendar.MustParseDate
	loc := fixture.April2024.Location
	for _, tc := range []struct {
		name, component string
		absent          bool
		total           string
	}{
		// The visit is refused; 20 April, day 1 of the stay: 240.00; 21 April: no step of the ladder.
		{"absence", `{"name": "frånvaro", "strategy": "absence", "when": "category == 'care'", "rate": "480", "params": {"ladder": [{"days": 1, "share": "1"}]}}`, true, "240.00"},
		// The visit is refused; the decision starting on 1 April: 1000.00 once.
		{"one_off", `{"name": "start", "strategy": "one_off", "when": "category == 'care'", "rate": "1000", "params": {"on": "decision_start"}}`, false, "1000.00"},
	} {
		src := `{"name": "X", "valid_from": "2024-01-01", "zones": ["tätort"], "currency": "SEK", "source": "test",
			"rounding": {"scale": 2, "mode": "half_up"}, "time_rounding": {"mode": "nearest"},
			"components": [
			{"name": "utförd", "strategy": "performed_time", "when": "category == 'care' && role == 'care_staff'", "rate": "480"}, ` + tc.component + `]}`
		v, err := reimbursement.ParseVersion(strings.NewReader(src), "x.json")
		if err != nil {
			t.Fatal(err)
		}
		b, err := reimbursement.NewBook(v)
		if err != nil {
			t.Fatal(err)
		}
		ds := &models.Dataset{
			Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
			Customers: []models.Customer{{ID: "k", Zone: "tätort"}},
			Providers: []models.Provider{{ID: "p", Name: "P", Ownership: models.OwnOperation}},
			Decisions: []models.Decision{{ID: "b", Customer: "k", Provider: "p", ValidFrom: d("2024-04-01"), ExecutionStarted: d("2024-04-01"),
				Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}}},
			Visits: []models.Visit{{ID: "v", Customer: "k", Provider: "p", Start: time.Date(2024, 4, 5, 9, 0, 0, 0, loc),
				End: time.Date(2024, 4, 5, 9, 30, 0, 0, loc), Tasks: []string{"Dusch"}, Role: models.Nurse, Approved: true}},
		}
		if tc.absent {
			ds.Absences = []models.Absence{{ID: "a", Customer: "k", From: d("2024-04-20"), To: d("2024-04-21"), Reason: models.Hospital}}
		}
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Total.String() != tc.total {
			t.Errorf("%s: total %s, want %s", tc.name, s.Total, tc.total)
		}
		reported := false
		for _, u := range s.NotPaid {
			if u.Kind == reimbursement.RecordVisit && u.ID == "v" && u.Reason == reimbursement.NoComponent && u.Minutes == 30 {
				reported = true
			}
		}
		if !reported {
			t.Errorf("%s: the nurse's visit is not reported no_component 30 min: %+v", tc.name, s.NotPaid)
		}
		if err := tarifftest.CheckLedger(s, ds, b, fixture.April2024); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
