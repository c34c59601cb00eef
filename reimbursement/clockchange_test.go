package reimbursement

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// A time-registration export with the visit's date in a column of its own
// and times of day, read and settled across the clock changes and a month
// end: the staff are paid the time they were there, by the wall clock's
// band, each minute in one month (found to hold by attack; this pins it).
func TestClockChangeVisitsFromCSV(t *testing.T) {
	const csv = "Besöks-ID;Brukare;Utförare;Datum;Starttid;Sluttid;Insatser;Attesterad\n" +
		// 01:30–03:30 on 31 March 2024: the clocks skip 02:00–03:00, so
		// 60 minutes were worked, all natt (Sunday, natt 22–07).
		"mars;k1;egen;2024-03-31;01:30;03:30;Tillsyn;ja\n" +
		// 01:30–03:30 on 27 October 2024: 02:00–03:00 comes twice, so
		// 180 minutes, all natt.
		"oktober;k1;egen;2024-10-27;01:30;03:30;Tillsyn;ja\n" +
		// Saturday 26 October 21:00 to Sunday 08:00: 12 hours of time
		// (11 of the wall clock, and the hour again): helg 21–22 (60),
		// natt 22:00–07:00 (600), helg 07–08 (60).
		"natten;k1;egen;2024-10-26;21:00;08:00;Tillsyn;ja\n" +
		// 23:30 on 31 March to 00:30 on 1 April: 60 minutes paid in
		// March, the month it starts in, and reported outside the period
		// in April, never paid twice.
		"månadsskifte;k1;egen;2024-03-31;23:30;00:30;Tillsyn;ja\n"
	visits, err := models.ReadVisitsCSVWith(strings.NewReader(csv), models.CSVOptions{Location: stockholm, File: "besök.csv"})
	if err != nil {
		t.Fatal(err)
	}
	ds := data()
	ds.Visits = visits
	book := mustBook(t, `{"name": "Band", "valid_from": "2024-01-01", "source": "test: a rate by band", "currency": "SEK", "zones": ["tätort", "landsbygd"],
	 "rounding": {"scale": 2, "mode": "half_up"},
	 "tables": {"pris": {"keys": ["band"], "unit": "kr/h", "rates": {"dag": "600", "kväll": "660", "natt": "720", "helg": "780"}}},
	 "components": [{"name": "tid", "strategy": "performed_time", "when": "category == 'care'", "rate": "table('pris', band)",
	   "params": {"require_decision": false}}]}`)
	month := func(m time.Month) *Settlement {
		p, err := calendar.Month(2024, m, stockholm)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Settle(context.Background(), book, ds, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		month   time.Month
		lines   []row
		outside []string // the visits reported outside_period, sorted
	}{
		// March: natt 60 + 60 = 120 min × 720 ÷ 60 = 1 440.00.
		{time.March, []row{{"k1", "tid", "", "care", "tätort", "natt", "120", "720", "", "1440.00"}},
			[]string{"natten", "oktober"}},
		// April: the visit over the month end was March's.
		{time.April, nil, []string{"mars", "månadsskifte", "natten", "oktober"}},
		// October: natt 180 + 600 = 780 min × 720 ÷ 60 = 9 360.00;
		// helg 60 + 60 = 120 min × 780 ÷ 60 = 1 560.00.
		{time.October, []row{{"k1", "tid", "", "care", "tätort", "natt", "780", "720", "", "9360.00"},
			{"k1", "tid", "", "care", "tätort", "helg", "120", "780", "", "1560.00"}},
			[]string{"mars", "månadsskifte"}},
	}
	for _, tt := range tests {
		s := month(tt.month)
		if diff := cmp.Diff(tt.lines, rows(s)); diff != "" {
			t.Errorf("%s: lines (-want +got):\n%s", tt.month, diff)
		}
		var outside []string
		for _, u := range s.NotPaid {
			if u.Reason != OutsidePeriod {
				t.Errorf("%s: %s not paid: %s", tt.month, u.ID, u.Reason)
			}
			outside = append(outside, u.ID)
		}
		slices.Sort(outside)
		if diff := cmp.Diff(tt.outside, outside); diff != "" {
			t.Errorf("%s: outside the period (-want +got):\n%s", tt.month, diff)
		}
	}
}
