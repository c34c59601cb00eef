package reimbursement

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// Each visit is paid in the zone the customer lives in on the date it
// starts, as Customer.ZoneOn says, the part after midnight too, for zone
// changes before, in and after the month (the engine looks the month's
// days up once per case).
func TestVisitZoneIsZoneOn(t *testing.T) {
	book := mixedBook(t)
	rapid.Check(t, func(t *rapid.T) {
		ds := data()
		cu := &ds.Customers[0]
		zones := []string{"tätort", "landsbygd"}
		cu.Zone = rapid.SampledFrom(zones).Draw(t, "zone")
		for _, off := range rapid.SliceOfNDistinct(rapid.SampledFrom([]int{-40, -1, 0, 5, 14, 29, 30, 31, 40}), 0, 6, rapid.ID).Draw(t, "changes") {
			cu.ZoneChanges = append(cu.ZoneChanges, models.ZoneChange{From: april2024.FirstDay().AddDays(off),
				Zone: rapid.SampledFrom(zones).Draw(t, "to")})
		}
		ds.Decisions = []models.Decision{careDecision("b1")}
		ds.Visits = nil
		// The zone each visit is due in: of the day it starts, also when
		// it runs past midnight into a day of another zone (from 23:00
		// on the month's last day, its last part is on 1 May).
		due := map[string][]string{}
		for i, day := range rapid.SliceOfN(rapid.IntRange(0, 29), 1, 12).Draw(t, "days") {
			hour := rapid.SampledFrom([]int{9, 23}).Draw(t, "hour")
			s := time.Date(2024, 4, 1+day, hour, i, 0, 0, stockholm)
			e := s.Add(time.Duration(rapid.SampledFrom([]int{20, 90}).Draw(t, "minutes")) * time.Minute)
			id := fmt.Sprintf("v%02d", i)
			due[id] = []string{cu.ZoneOn(calendar.DateOf(s))}
			ds.Visits = append(ds.Visits, models.Visit{ID: id, Customer: "k1", Provider: "egen", Start: s, End: e,
				Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true})
		}
		s, err := Settle(t.Context(), book, ds, april2024, Options{NoExplain: true})
		if err != nil {
			t.Fatal(err)
		}
		paid := map[string][]string{}
		for _, l := range s.Lines {
			for _, u := range l.Units {
				if _, ok := due[u.ID]; ok && u.Kind == RecordVisit && l.Unit == Minutes && !slices.Contains(paid[u.ID], l.Zone) {
					paid[u.ID] = append(paid[u.ID], l.Zone)
				}
			}
		}
		if len(paid) == 0 {
			t.Fatal("no visit paid")
		}
		for id, zones := range paid {
			slices.Sort(zones)
			if !slices.Equal(zones, due[id]) {
				t.Fatalf("visit %s paid in %v, ZoneOn says %v (changes %v)", id, zones, due[id], cu.ZoneChanges)
			}
		}
	})
}

// 20 000 zone changes before the month and 20 000 visits: each visit's
// zone is the day's, looked up once (ZoneOn per visit, a look at every
// change, took 10 s).
func TestZoneChangesManyVisits(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	book := mixedBook(t)
	ds := data()
	first := april2024.FirstDay().AddDays(-n)
	zones := []string{"tätort", "landsbygd"}
	for i := range n {
		ds.Customers[0].ZoneChanges = append(ds.Customers[0].ZoneChanges, models.ZoneChange{From: first.AddDays(i), Zone: zones[i%2]})
	}
	ds.Decisions = []models.Decision{careDecision("b1")}
	ds.Visits = spreadVisits(n, "Dusch")
	s, err := Settle(t.Context(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	// The last change, on 31 March, is to zones[(n−1) % 2].
	want := zones[(n-1)%2]
	for _, l := range s.Lines {
		if l.Customer == "k1" && slices.ContainsFunc(l.Units, func(u UnitRef) bool { return u.Kind == RecordVisit }) && l.Zone != want {
			t.Fatalf("a line of visits in %q, want %q", l.Zone, want)
		}
	}
}

// Found by trial: a customer's zone written "Tätort" where the tariff
// has "tätort" left every visit unpaid, unknown_zone, with nothing to say
// what was meant. The detail names the tariff's nearest zone.
func TestUnknownZoneSuggestsTheTariffs(t *testing.T) {
	book := mustBook(t, doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}}`))
	ds := data()
	ds.Decisions = nil
	ds.Customers[0].Zone = "Tätort"
	ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 08:30", "Dusch"), visit("2024-04-04 08:00", "2024-04-04 08:30", "Dusch")}
	s := settle(t, book, ds)
	var got []string
	for _, u := range s.NotPaid {
		got = append(got, u.Reason.String()+": "+u.Detail)
	}
	want := []string{`unknown_zone: zon "Tätort", menar du "tätort"?`, `unknown_zone: zon "Tätort", menar du "tätort"?`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// Found by attack: of a tariff's zones A and B, a customer in zone "C",
// "Z" or "AB" was asked whether "A" was meant. A zone is suggested only
// when it is within a third of the letters of the one given: "tatort"
// (one letter of six) for "tätort", "TÄTORT" (case) too; none for "C".
func TestUnknownZoneSuggestsOnlyANearOne(t *testing.T) {
	src := strings.Replace(doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}}`),
		`"zones": ["tätort", "landsbygd"]`, `"zones": ["tätort", "landsbygd", "A", "B"]`, 1)
	for _, r := range [][2]string{
		{`"rates": {"tätort": "250", "landsbygd": "310"}`, `"rates": {"tätort": "250", "landsbygd": "310", "A": "1", "B": "1"}`},
		{`"service": {"tätort": "439.00", "landsbygd": "470.00"}`, `"service": {"*": "439.00"}`},
		{`"care": {"tätort": "448.00", "landsbygd": "480.00"}`, `"care": {"*": "448.00"}`},
	} {
		src = strings.Replace(src, r[0], r[1], 1)
	}
	book := mustBook(t, src)
	for zone, want := range map[string]string{
		"C": `zon "C"`, "Z": `zon "Z"`, "AB": `zon "AB"`,
		"tatort": `zon "tatort", menar du "tätort"?`, "TÄTORT": `zon "TÄTORT", menar du "tätort"?`,
	} {
		ds := data()
		ds.Decisions = nil
		ds.Customers[0].Zone = zone
		ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 08:30", "Dusch")}
		s := settle(t, book, ds)
		if len(s.NotPaid) != 1 || s.NotPaid[0].Detail != want {
			t.Errorf("zone %q: not paid %+v, want the detail %s", zone, s.NotPaid, want)
		}
	}
}
