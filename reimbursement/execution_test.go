package reimbursement

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hemtjanst/ersattning/models"
)

// minimumPerformed is minimum_execution paying performed time below 80 %
// of the granted, at the care rate of the zone (448 tätort, 480
// landsbygd).
const minimumPerformed = `{"name": "me", "strategy": "minimum_execution", "when": "category in ['service','care']", "rate": "table('timpris', category, zone)", "params": {"threshold": "0.80", "below": "performed"}}`

// lineTexts is "component zone quantity amount" for each line of s.
func lineTexts(s *Settlement) []string {
	var got []string
	for _, l := range s.Lines {
		got = append(got, strings.Join([]string{l.Version, l.Component, l.Zone, l.Quantity.String(), l.Amount.String()}, " "))
	}
	return got
}

// TestMinimumExecutionPaysPerformedTimeWhereItWasPerformed: below its
// threshold, minimum_execution pays each minute performed in the zone and
// under the tariff version of its day (found by attack: the month's
// performed minutes were poured into the item's parts in date order, the
// first part filled to its granted time whatever was performed on its
// days). 60 min of care a week, 60 × 30 ÷ 7 = 257.14 → 257 min, shared by
// days 15/15 into 129 + 128. Performed 10 min on 2 April and 140 min on
// 17 April: 150 of 257, 0.58 < 0.80.
//
//   - A move to landsbygd on the 16th, 6 % moms in landsbygd: tätort 10 ×
//     448 ÷ 60 = 74.666… → 74.67; landsbygd 140 × 480 ÷ 60 = 1 120.00,
//     moms 1 120.00 × 6 % = 67.20 (it paid tätort 129 min, 963.20, and
//     landsbygd 21 min, 168.00).
//   - A new version on the 16th at 500 kr/h in tätort: 10 × 448 ÷ 60 =
//     74.67 under the first and 140 × 500 ÷ 60 = 1 166.666… → 1 166.67
//     under the second (it paid 129 min at 448 and 21 at 500).
func TestMinimumExecutionPaysPerformedTimeWhereItWasPerformed(t *testing.T) {
	week := []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 60, Times: 1, Per: models.PerWeek}}
	visits := func(provider string) []models.Visit {
		p := func(v *models.Visit) { v.Provider = provider }
		return []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:10", "Dusch", p), visit("2024-04-17 10:00", "2024-04-17 12:20", "Dusch", p)}
	}
	t.Run("move", func(t *testing.T) {
		adj := `"adjustments": [{"name": "moms", "kind": "surcharge", "components": ["me"], "when": "zone == 'landsbygd'", "percent": "6"}]`
		ds := data()
		ds.Customers[0].ZoneChanges = []models.ZoneChange{{From: d("2024-04-16"), Zone: "landsbygd"}}
		ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "priv", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"), Items: week}}
		ds.Visits = visits("priv")
		want := []string{"Test 2024 me landsbygd 140 1120.00", "Test 2024 me tätort 10 74.67", "Test 2024 moms landsbygd 1120.00 67.20"}
		if diff := cmp.Diff(want, lineTexts(settle(t, mustBook(t, doc(minimumPerformed, adj)), ds))); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
	t.Run("version", func(t *testing.T) {
		v2 := strings.Replace(strings.Replace(doc(minimumPerformed), `"name": "Test 2024"`, `"name": "Test 2024b"`, 1), `"valid_from": "2024-01-01"`, `"valid_from": "2024-04-16"`, 1)
		v2 = strings.Replace(v2, `"care": {"tätort": "448.00"`, `"care": {"tätort": "500.00"`, 1)
		ds := data()
		ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"), Items: week}}
		ds.Visits = visits("egen")
		want := []string{"Test 2024 me tätort 10 74.67", "Test 2024b me tätort 140 1166.67"}
		if diff := cmp.Diff(want, lineTexts(settle(t, mustBook(t, doc(minimumPerformed), v2), ds))); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
}

// TestMinimumExecutionSharesAZoneAmongItsItems: two items of care in one
// zone are each paid the minutes of the visits of their task, at most
// their granted time first and the rest on the last of them. 30 min a
// week each, 30 × 30 ÷ 7 = 128.57 → 129 min; Dusch 150 min and Tillsyn
// 50, 200 of 258, 0.78 < 0.80: Dusch 150 (129 and 21 beyond), Tillsyn
// 50, one line of 200 min × 448 ÷ 60 = 1 493.333… → 1 493.33.
func TestMinimumExecutionSharesAZoneAmongItsItems(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerWeek},
			{Task: "Tillsyn", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerWeek}}}}
	ds.Visits = []models.Visit{visit("2024-04-17 10:00", "2024-04-17 12:30", "Dusch"), visit("2024-04-18 10:00", "2024-04-18 10:50", "Tillsyn")}
	s := settle(t, mustBook(t, doc(minimumPerformed)), ds)
	if diff := cmp.Diff([]string{"Test 2024 me tätort 200 1493.33"}, lineTexts(s)); diff != "" {
		t.Fatalf("lines (-want +got):\n%s", diff)
	}
	var units []string
	for _, u := range s.Lines[0].Units {
		units = append(units, fmt.Sprint(u.Item, " ", u.Minutes))
	}
	if diff := cmp.Diff([]string{"Dusch 150", "Tillsyn 50"}, units); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
}
