package reimbursement

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// An item's part that no version prices reports the minutes and days of
// its paid days together, and its paused days on their own, absent, so
// that every day is reported once and minutes agree with days (found by
// a trial: "256 min, 15 dagar" were the minutes of the 10 days not
// paused and all 15 days, the 5 paused not said).
//
// April 2024: b1 grants 30 min of care once a day from 1 April; k1 is in
// hospital 6–10 April (5 days). 25 paid days × 30 = 750 min for the
// month, shared by paid days: 1–15 April has 10 (300 min), 16–30 April
// 15 (450 min); the 5 paused days have 5 × 30 = 150 paused minutes, all
// in the first half.
func TestUnpricedPauseReportedApart(t *testing.T) {
	const component = `{"name": "sol", "strategy": "granted_time", "when": "category in ['service', 'care']",
  "rate": "table('timpris', category, zone)"}`
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-01"), ExecutionStarted: d("2024-04-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}}}
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k1", From: d("2024-04-06"), To: d("2024-04-10"), Reason: models.Hospital}}
	b1 := func(s *Settlement) []Unpaid {
		var out []Unpaid
		for _, u := range s.NotPaid {
			if u.ID == "b1" {
				out = append(out, u)
			}
		}
		return out
	}
	item := Unpaid{Kind: RecordDecision, ID: "b1", Item: "Dusch", Customer: "k1", Provider: "egen", Date: d("2024-04-01")}
	with := func(u Unpaid, version string, r Reason, minutes int64, days int, detail string) Unpaid {
		u.Version, u.Reason, u.Minutes, u.Days, u.Detail = version, r, minutes, days, detail
		return u
	}

	// A tariff from 16 April: 1–15 April under none. Not paid for want of
	// a tariff: 300 min on 10 days; absent: 150 min on 5 days; paid: 450
	// min × 448 ÷ 60 = 3360.00.
	late := mustBook(t, strings.Replace(doc(component), `"valid_from": "2024-01-01"`, `"valid_from": "2024-04-16"`, 1))
	s, err := Settle(context.Background(), late, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []Unpaid{with(item, "", NoTariff, 300, 10, "2024-04-01..2024-04-15"),
		with(item, "", Absent, 150, 5, "5 dagar med uppehåll för frånvaro, ingen taxa i kraft")}
	if d := cmp.Diff(want, b1(s)); d != "" {
		t.Errorf("no tariff: not paid (-want +got):\n%s", d)
	}
	if len(s.Lines) != 1 || s.Lines[0].Quantity.String() != "450" || s.Lines[0].Amount.String() != "3360.00" {
		t.Errorf("no tariff: lines %+v, want 450 min, 3360.00", s.Lines)
	}

	// A zone the tariff does not know, the whole month: 750 min on 25
	// days not paid for the zone, 150 min on 5 days absent.
	ds.Customers[0].Zone = "skärgård"
	s, err = Settle(context.Background(), mustBook(t, doc(component)), ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	want = []Unpaid{with(item, "Test 2024", UnknownZone, 750, 25, `zon "skärgård"`),
		with(item, "Test 2024", Absent, 150, 5, "5 dagar med uppehåll för frånvaro, okänd zon")}
	if d := cmp.Diff(want, b1(s)); d != "" {
		t.Errorf("unknown zone: not paid (-want +got):\n%s", d)
	}
}

// An item granted as minutes per month under per_activity, which pays
// activities, is not paid for its paid days and their minutes, and its
// paused days are absent apart, as for an item no version prices: it
// reported the minutes of its paid days on all its days in force (found
// by the trial's helper). 600 min a month granted from 1 April, paused
// 6–10 April: paid days 25, 600 × 25 ÷ 30 = 500 min; paused 5 days,
// 600 × 5 ÷ 30 = 100 min.
func TestPerActivityMinutesPerMonthPausedApart(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-01"), ExecutionStarted: d("2024-04-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k1", From: d("2024-04-06"), To: d("2024-04-10"), Reason: models.Hospital}}
	book := mustBook(t, doc(`{"name": "akt", "strategy": "per_activity", "rate": "100"}`))
	s, err := Settle(context.Background(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range s.NotPaid {
		if u.ID == "b1" {
			got = append(got, fmt.Sprintf("%s %d min %d days", u.Reason, u.Minutes, u.Days))
		}
	}
	want := []string{"absent 100 min 5 days", "no_component 500 min 25 days"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("not paid (-want +got):\n%s", d)
	}
}
