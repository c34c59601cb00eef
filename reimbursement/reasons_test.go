package reimbursement

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// A visit not paid is reported with the reason the tariff and the
// decisions give, dated by the day it starts (found by review):
//   - no component pays care in grantedSolPerformed, neither its visits
//     nor its granted time: a care visit is matched by no component,
//     whatever its decisions (not "not started" or "no decision");
//   - a component pays Saturday's care; the decision starts on Saturday;
//     a visit from Friday 23:00 to Saturday 01:00 is Friday's, which no
//     decision covers, and is reported so, on Friday.
func TestVisitReasonsFollowTheTariff(t *testing.T) {
	reasons := func(s *Settlement) []string {
		var out []string
		for _, u := range s.NotPaid {
			if u.Kind == RecordVisit {
				out = append(out, fmt.Sprintf("%s %s %d: %s", u.Date, u.Reason, u.Minutes, u.Detail)) // ids are numbered by the helper
			}
		}
		return out
	}
	care := func(id, from, to string, started bool) models.Decision {
		dec := models.Decision{ID: id, Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate(from),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}
		if to != "" {
			dec.ValidTo = calendar.MustParseDate(to)
		}
		if started {
			dec.ExecutionStarted = dec.ValidFrom
		}
		return dec
	}
	for _, tc := range []struct {
		name      string
		component string
		decisions []models.Decision
		visits    []models.Visit
		want      []string
	}{
		{"not started, nothing pays care", grantedSolPerformed, []models.Decision{care("b2", "2024-04-01", "", false)},
			[]models.Visit{visit("2024-04-05 10:00", "2024-04-05 10:30", "Dusch")},
			[]string{"2024-04-05 no_component 30: besök av omsorg, ingen komponents villkor gäller"}},
		{"granted on some days, nothing pays care", grantedSolPerformed, []models.Decision{care("b1", "2024-01-01", "2024-04-10", true)},
			[]models.Visit{visit("2024-04-05 10:00", "2024-04-05 10:30", "Dusch"), visit("2024-04-20 10:00", "2024-04-20 10:30", "Dusch")},
			[]string{"2024-04-05 no_component 30: besök av omsorg, ingen komponents villkor gäller",
				"2024-04-20 no_component 30: besök av omsorg, ingen komponents villkor gäller"}},
		{"Saturday's care, a visit from Friday night", `{"name": "lör", "strategy": "performed_time", "when": "category == 'care' && day_kind == 'saturday'", "rate": "table('band', band)"}`,
			[]models.Decision{care("b1", "2024-04-06", "", true)},
			[]models.Visit{visit("2024-04-05 23:00", "2024-04-06 01:00", "Dusch")},
			// 60 min on Saturday matched but not covered; 60 on Friday matched by nothing.
			[]string{"2024-04-05 no_decision 60: inget beslut beviljar omsorg 2024-04-05",
				"2024-04-05 outside_paid_hours 60: ingen komponent betalar dessa timmar"}},
		// Found by attack: performed time reported no_decision for a
		// decision valid on the visit's day whose execution started later.
		{"performed time, not started yet", `{"name": "tid", "strategy": "performed_time", "when": "category == 'care'", "rate": "table('band', band)"}`,
			[]models.Decision{func() models.Decision {
				d := care("b1", "2024-04-01", "", false)
				d.ExecutionStarted = calendar.MustParseDate("2024-04-20")
				return d
			}()},
			[]models.Visit{visit("2024-04-18 10:00", "2024-04-18 10:30", "Dusch")},
			[]string{"2024-04-18 not_started 30: besök av omsorg, beviljat i beslut b1, som inte var verkställt 2024-04-18"}},
	} {
		ds := data()
		ds.Decisions, ds.Visits = tc.decisions, tc.visits
		s := settle(t, mustBook(t, doc(tc.component)), ds)
		if diff := cmp.Diff(tc.want, reasons(s)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
