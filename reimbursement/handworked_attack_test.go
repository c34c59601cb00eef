package reimbursement_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// attackLine is a line in comparable form.
type attackLine struct {
	Customer, Component, Band, Zone, Quantity, Rate, Amount string
}

// settleEveryWay settles ds under b explained and not, with and without
// the visit slots, and returns the explained settlement's lines after
// checking that the four give the same lines, amounts and records not
// paid.
func settleEveryWay(t *testing.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) (*reimbursement.Settlement, []attackLine) {
	t.Helper()
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	var first *reimbursement.Settlement
	var want []attackLine
	for _, o := range []reimbursement.Options{{Workers: 1}, {NoExplain: true, Workers: 1},
		reimbursement.WithoutVisitSlots(reimbursement.Options{Workers: 1}), reimbursement.WithoutVisitSlots(reimbursement.Options{NoExplain: true, Workers: 1})} {
		s, err := reimbursement.Settle(context.Background(), b, ds, p, o)
		if err != nil {
			t.Fatal(err)
		}
		var got []attackLine
		for _, l := range s.Lines {
			got = append(got, attackLine{l.Customer, l.Component, l.Band, l.Zone, l.Quantity.String(), l.Rate.String(), l.Amount.String()})
		}
		if first == nil {
			first, want = s, got
			continue
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("options %+v: lines differ (-explained +these):\n%s", o, d)
		}
		if d := cmp.Diff(first.NotPaid, s.NotPaid); d != "" {
			t.Errorf("options %+v: not paid differs (-explained +these):\n%s", o, d)
		}
	}
	return first, want
}

// attackTariff is a tariff of the components comps, the schedule rules
// and the rounding given.
func attackTariff(name, from, to, rounding, rules, comps string) string {
	valid := `"valid_from": "` + from + `"`
	if to != "" {
		valid += `, "valid_to": "` + to + `"`
	}
	schedule := ""
	if rules != "" {
		schedule = `"schedule": {"rules": [` + rules + `]},`
	}
	return `{"name": "` + name + `", ` + valid + `, "source": "hand-worked", "currency": "SEK",
  "zones": ["tätort", "landsbygd"], ` + schedule + `
  "rounding": ` + rounding + `, "time_rounding": {"mode": "nearest"},
  "components": [` + comps + `]}`
}

func attackData(visits ...models.Visit) *models.Dataset {
	return &models.Dataset{
		Tasks: []models.LocalTask{{Local: "Dusch", Category: models.Care}, {Local: "Tillsyn", Category: models.Care},
			{Local: "Städ", Category: models.Service}},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "p1", Name: "P", Ownership: models.OwnOperation}},
		Visits:    visits,
	}
}

func attackVisit(id string, start, end time.Time, tasks ...string) models.Visit {
	return models.Visit{ID: id, Customer: "k1", Provider: "p1", Start: start, End: end, Tasks: tasks, Role: models.CareStaff, Approved: true}
}

func attackMonth(t *testing.T, m time.Month) calendar.Period {
	t.Helper()
	p, err := calendar.Month(2024, m, stockholm(t))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The clocks go forward at 02:00 on 31 March 2024 (Easter Sunday, a
// holiday): a visit 01:30–03:30 by the wall clock lasts one hour, half
// of it in the band before 03:00 and half after.
//
//	natt 01:30–02:00 CET (= 03:00 CEST): 30 min × 600.00 kr/h ÷ 60 = 300.00
//	dag  03:00–03:30 CEST:               30 min × 480.00 kr/h ÷ 60 = 240.00
func TestHandWorkedSpringForward(t *testing.T) {
	p := attackMonth(t, time.March)
	loc := p.Location
	b := parseBook(t, attackTariff("Vår", "2024-01-01", "", `{"scale": 2}`,
		`{"band": "natt", "days": ["all"], "from": "00:00", "to": "03:00"}, {"band": "dag", "days": ["all"], "from": "03:00", "to": "24:00"}`,
		`{"name": "tid", "strategy": "performed_time", "rate": "band == 'natt' ? 600 : 480", "params": {"require_decision": false}}`), "spring.json")
	ds := attackData(attackVisit("v1", time.Date(2024, 3, 31, 1, 30, 0, 0, loc), time.Date(2024, 3, 31, 3, 30, 0, 0, loc), "Dusch"))
	_, lines := settleEveryWay(t, b, ds, p)
	want := []attackLine{{"k1", "tid", "natt", "tätort", "30", "600", "300.00"}, {"k1", "tid", "dag", "tätort", "30", "480", "240.00"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// The clocks go back at 03:00 on 27 October 2024: a visit from 02:30
// summer time to 02:30 winter time lasts one hour, 02:30–03:00 CEST
// and 02:00–02:30 CET by the wall clock, which a band cut at 02:45
// cuts twice.
//
//	a 02:30–02:45 CEST and 02:00–02:30 CET: 45 min × 600.00 kr/h ÷ 60 = 450.00
//	b 02:45–03:00 CEST:                     15 min × 480.00 kr/h ÷ 60 = 120.00
func TestHandWorkedFallBack(t *testing.T) {
	p := attackMonth(t, time.October)
	b := parseBook(t, attackTariff("Höst", "2024-01-01", "", `{"scale": 2}`,
		`{"band": "a", "days": ["all"], "from": "00:00", "to": "02:45"}, {"band": "b", "days": ["all"], "from": "02:45", "to": "24:00"}`,
		`{"name": "tid", "strategy": "performed_time", "rate": "band == 'a' ? 600 : 480", "params": {"require_decision": false}}`), "fall.json")
	start := time.Date(2024, 10, 27, 0, 30, 0, 0, time.UTC) // 02:30 CEST
	ds := attackData(attackVisit("v1", start, start.Add(time.Hour), "Dusch"))
	_, lines := settleEveryWay(t, b, ds, p)
	want := []attackLine{{"k1", "tid", "a", "tätort", "45", "600", "450.00"}, {"k1", "tid", "b", "tätort", "15", "480", "120.00"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A visit across the midnight a second version begins at is settled
// whole by the version of the date it starts on, and one the minute
// after by the second; a visit of the same kind a day before, alike in
// everything its environment is made of but its version, is not taken
// for it.
//
//	A: 15 March 23:30 – 16 March 00:30 and 14 March 23:30–24:00:
//	   (60 + 30) min × 400.00 kr/h ÷ 60 = 600.00
//	B: 16 March 00:30–01:00: 30 min × 500.00 kr/h ÷ 60 = 250.00
func TestHandWorkedVisitAcrossAVersionChange(t *testing.T) {
	p := attackMonth(t, time.March)
	loc := p.Location
	comp := func(rate string) string {
		return `{"name": "tid", "strategy": "performed_time", "rate": "` + rate + `", "params": {"require_decision": false}}`
	}
	b := splitBook(t, attackTariff("A", "2024-01-01", "2024-03-15", `{"scale": 2}`, "", comp("400")),
		attackTariff("B", "2024-03-16", "", `{"scale": 2}`, "", comp("500")))
	at := func(d, h, m int) time.Time { return time.Date(2024, 3, d, h, m, 0, 0, loc) }
	ds := attackData(attackVisit("v0", at(14, 23, 30), at(15, 0, 0), "Dusch"), attackVisit("v1", at(15, 23, 30), at(16, 0, 30), "Dusch"),
		attackVisit("v2", at(16, 0, 30), at(16, 1, 0), "Dusch"))
	s, _ := settleEveryWay(t, b, ds, p)
	got := map[string]string{}
	for _, l := range s.Lines {
		got[l.Version] = got[l.Version] + l.Quantity.String() + " min " + l.Amount.String() + ";"
	}
	// The default schedule: 23:30–24:00 and 00:00–00:30 both natt, so one
	// line a version.
	want := map[string]string{"A": "90 min 600.00;", "B": "30 min 250.00;"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// Three staff at a visit of a category a decision orders double
// staffing for: two are paid, the third reported extra_staff; the rate
// reads the staff present (3).
//
//	30 min × 2 staff = 60 min × (3 × 100.005 = 300.015) kr/h ÷ 60 = 300.015 → 300.02
//	(half up, two decimals); extra_staff: 30 min
func TestHandWorkedThreeStaff(t *testing.T) {
	p := attackMonth(t, time.April)
	loc := p.Location
	b := parseBook(t, attackTariff("Personal", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "staff * 100.005"}`), "staff.json")
	v := attackVisit("v1", time.Date(2024, 4, 3, 10, 0, 0, 0, loc), time.Date(2024, 4, 3, 10, 30, 0, 0, loc), "Dusch")
	v.Staff = 3
	ds := attackData(v)
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1", ValidFrom: calendar.MustParseDate("2024-04-01"), ExecutionStarted: calendar.MustParseDate("2024-04-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay, DoubleStaffing: true}}}}
	s, lines := settleEveryWay(t, b, ds, p)
	want := []attackLine{{"k1", "tid", "", "tätort", "60", "300.015", "300.02"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	var extra int64
	for _, u := range s.NotPaid {
		if u.Reason == reimbursement.ExtraStaff {
			extra += u.Minutes
		}
	}
	if extra != 30 {
		t.Errorf("extra_staff %d min, want 30", extra)
	}
}

// A when that reads the visit's minutes tells two visits apart that are
// alike in all else: 30 min 29 s rounds to 30 min, 30 min 31 s to 31.
//
//	kort: 30 min × 400.00 kr/h ÷ 60 = 200.00
//	lång: 31 min × 500.00 kr/h ÷ 60 = 258.333… → 258.33
func TestHandWorkedMinutesInAWhen(t *testing.T) {
	p := attackMonth(t, time.April)
	loc := p.Location
	b := parseBook(t, attackTariff("Minuter", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "lång", "strategy": "performed_time", "when": "minutes > 30", "rate": "500", "params": {"require_decision": false}},
		 {"name": "kort", "strategy": "performed_time", "when": "minutes <= 30", "rate": "400", "params": {"require_decision": false}}`), "minutes.json")
	start := time.Date(2024, 4, 3, 10, 0, 0, 0, loc)
	start2 := start.AddDate(0, 0, 1)
	ds := attackData(attackVisit("v1", start, start.Add(30*time.Minute+29*time.Second), "Dusch"),
		attackVisit("v2", start2, start2.Add(30*time.Minute+31*time.Second), "Dusch"))
	_, lines := settleEveryWay(t, b, ds, p)
	want := []attackLine{{"k1", "lång", "", "tätort", "31", "500", "258.33"}, {"k1", "kort", "", "tätort", "30", "400", "200.00"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A task code read by the rate only (not by the when) still tells
// visits apart, explained or not.
//
//	Dusch:   60 min × 510.50 kr/h ÷ 60 = 510.50
//	Tillsyn: 60 min × 480.25 kr/h ÷ 60 = 480.25
func TestHandWorkedTaskInTheRateOnly(t *testing.T) {
	p := attackMonth(t, time.April)
	loc := p.Location
	b := parseBook(t, attackTariff("Insats", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "task == 'Dusch' ? 510.5 : 480.25", "params": {"require_decision": false}}`), "task.json")
	at := func(d int) time.Time { return time.Date(2024, 4, d, 10, 0, 0, 0, loc) }
	ds := attackData(attackVisit("v1", at(3), at(3).Add(time.Hour), "Dusch"), attackVisit("v2", at(4), at(4).Add(time.Hour), "Tillsyn"))
	_, lines := settleEveryWay(t, b, ds, p)
	want := []attackLine{{"k1", "tid", "", "tätort", "60", "480.25", "480.25"}, {"k1", "tid", "", "tätort", "60", "510.5", "510.50"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A customer who moves on 16 April is paid the zone of each visit's
// date: two visits alike in all else, a day apart, are not taken for
// each other.
//
//	tätort 15 April:    45 min × 439.00 kr/h ÷ 60 = 329.25
//	landsbygd 16 April: 45 min × 470.10 kr/h ÷ 60 = 352.575 → 352.58
func TestHandWorkedMoveMidMonth(t *testing.T) {
	p := attackMonth(t, time.April)
	loc := p.Location
	b := parseBook(t, attackTariff("Zon", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "zone == 'tätort' ? 439 : 470.10", "params": {"require_decision": false}}`), "zone.json")
	at := func(d int) time.Time { return time.Date(2024, 4, d, 10, 0, 0, 0, loc) }
	ds := attackData(attackVisit("v1", at(15), at(15).Add(45*time.Minute), "Dusch"), attackVisit("v2", at(16), at(16).Add(45*time.Minute), "Dusch"))
	ds.Customers[0].ZoneChanges = []models.ZoneChange{{From: calendar.MustParseDate("2024-04-16"), Zone: "landsbygd"}}
	_, lines := settleEveryWay(t, b, ds, p)
	want := []attackLine{{"k1", "tid", "", "landsbygd", "45", "470.10", "352.58"}, {"k1", "tid", "", "tätort", "45", "439", "329.25"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// Christmas 2024 by a schedule that names eves and the days before a
// holiday: Monday 23 December is a weekday (the day before an eve, which
// counts as a holiday only where eves do), 24 December an eve, 25
// December a holiday; the rate reads the kind of day, and three visits
// alike in all else are told apart by it.
//
//	weekday 23 Dec:        30 min × 400.00 kr/h ÷ 60 = 200.00
//	eve 24 Dec:            30 min × 555.55 kr/h ÷ 60 = 277.775 → 277.78
//	holiday 25 Dec:        30 min × 600.00 kr/h ÷ 60 = 300.00
func TestHandWorkedChristmas(t *testing.T) {
	p := attackMonth(t, time.December)
	loc := p.Location
	b := parseBook(t, attackTariff("Jul", "2024-01-01", "", `{"scale": 2}`,
		`{"band": "dygn", "days": ["weekday", "saturday", "sunday", "holiday", "eve", "before_holiday"], "from": "00:00", "to": "24:00"}`,
		`{"name": "tid", "strategy": "performed_time", "rate": "day_kind == 'eve' ? 555.55 : day_kind == 'holiday' ? 600 : day_kind == 'before_holiday' ? 420 : 400",
		  "params": {"require_decision": false}}`), "christmas.json")
	at := func(d int) time.Time { return time.Date(2024, 12, d, 10, 0, 0, 0, loc) }
	ds := attackData(attackVisit("v1", at(23), at(23).Add(30*time.Minute), "Dusch"), attackVisit("v2", at(24), at(24).Add(30*time.Minute), "Dusch"),
		attackVisit("v3", at(25), at(25).Add(30*time.Minute), "Dusch"))
	_, lines := settleEveryWay(t, b, ds, p)
	var got []string
	for _, l := range lines {
		got = append(got, l.Quantity+" × "+l.Rate+" = "+l.Amount)
	}
	want := []string{"30 × 400 = 200.00", "30 × 555.55 = 277.78", "30 × 600 = 300.00"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A rate that divides is rounded to the tariff's scale before it is
// used, and per unit each visit is then rounded: three visits of 7 min
// at 1000 ÷ 7 = 142.857… → 142.86 kr/h.
//
//	per line: 21 min × 142.86 kr/h ÷ 60 = 50.001 → 50.00
//	per unit: 3 × (7 × 142.86 ÷ 60 = 16.667 → 16.67) = 50.01
func TestHandWorkedRoundingPerUnitAndOnce(t *testing.T) {
	p := attackMonth(t, time.April)
	loc := p.Location
	at := func(d int) time.Time { return time.Date(2024, 4, d, 10, 0, 0, 0, loc) }
	ds := attackData(attackVisit("v1", at(3), at(3).Add(7*time.Minute), "Dusch"), attackVisit("v2", at(4), at(4).Add(7*time.Minute), "Dusch"),
		attackVisit("v3", at(5), at(5).Add(7*time.Minute), "Dusch"))
	for _, c := range []struct{ per, want string }{{"line", "50.00"}, {"unit", "50.01"}} {
		b := parseBook(t, attackTariff("Avrundning", "2024-01-01", "", `{"scale": 2, "per": "`+c.per+`"}`, "",
			`{"name": "tid", "strategy": "performed_time", "rate": "1000 / 7", "params": {"require_decision": false}}`), "rounding.json")
		_, lines := settleEveryWay(t, b, ds, p)
		want := []attackLine{{"k1", "tid", "", "tätort", "21", "142.86", c.want}}
		if d := cmp.Diff(want, lines); d != "" {
			t.Errorf("per %s (-want +got):\n%s", c.per, d)
		}
	}
}

// A standard time and performed time whose whens both hold for a visit,
// neither stacking nor taking the visit from the other, would both pay
// its minutes: a 30-minute care visit paid 30 min × 448.00 kr/h ÷ 60 =
// 224.00 by "tid" and 20 min × 448.00 kr/h ÷ 60 = 149.33 by "schablon",
// 373.33 in all for 30 staff minutes. The load refuses the pair, either
// way round, as it refuses two components of one kind of unit, naming
// both and the segment both pay, and asking for "stacks" or
// "instead_of" (checkMinutesOverlap); declared either way, it loads. A
// per_visit component beside performed time (the cookbook's night visit
// fee, 01-night-visits) pays visits, not minutes, and loads without
// either. A pair whose whens read task codes, which the probe cannot
// enumerate, is refused unless the rest of their whens (category)
// tells them apart.
func TestPerformedAndStandardTimeOverlapRefused(t *testing.T) {
	tid := `{"name": "tid", "strategy": "performed_time", "when": "category == 'care'", "rate": "448", "params": {"require_decision": false}}`
	schablon := `{"name": "schablon", "strategy": "standard_time", "when": "category == 'care'", "rate": "448", "params": {"minutes": "20", "require_decision": false}`
	parse := func(comps string) error {
		_, err := reimbursement.ParseVersion(strings.NewReader(attackTariff("Dubbel", "2024-01-01", "", `{"scale": 2}`, "", comps)), "double.json")
		return err
	}
	const env = `(when a segment has ownership=own, zone=tätort, category=care, band=dag, start_band=dag, end_band=dag, longest_band=dag, bands=dag)`
	for _, c := range []struct{ comps, want string }{
		{tid + ", " + schablon + "}", `reimbursement: double.json:4: components[1].when (schablon): pays minutes of the same visits as component "tid", one the whole visit and the other its band segments ` +
			env + `: say "stacks": true if it pays on top, or "instead_of": ["tid"] if it replaces it`},
		{schablon + "}, " + tid, `reimbursement: double.json:4: components[1].when (tid): pays minutes of the same visits as component "schablon", one the whole visit and the other its band segments ` +
			env + `: say "stacks": true if it pays on top, or "instead_of": ["schablon"] if it replaces it`},
		{tid + ", " + schablon + `, "stacks": true}`, ""},
		{tid + ", " + schablon + `, "instead_of": ["tid"]}`, ""},
		{tid + ", " + `{"name": "besök", "strategy": "per_visit", "when": "category == 'care'", "rate": "250"}`, ""},
		// Task codes the probe cannot enumerate: refused, unless the
		// rest of the whens tells them apart.
		{tid + ", " + `{"name": "städ", "strategy": "standard_time", "when": "task == 'Städ'", "rate": "448", "params": {"minutes": "45"}}`,
			`reimbursement: double.json:4: components[1].when (städ): may pay minutes of the same visits as component "tid", one the whole visit and the other its band segments, and the check cannot tell, as their when reads task: say "instead_of": ["tid"] if it replaces it (nothing changes where they never pay one visit), or "stacks": true if it pays on top`},
		{tid + ", " + `{"name": "städ", "strategy": "standard_time", "when": "category == 'service' && task == 'Städ'", "rate": "448", "params": {"minutes": "45"}}`, ""},
		{tid + ", " + `{"name": "städ", "strategy": "standard_time", "when": "category == 'service' && bands == 'dag'", "rate": "448", "params": {"minutes": "45"}}`, ""},
		{tid + ", " + `{"name": "städ", "strategy": "standard_time", "when": "category != 'service' && bands == 'dag'", "rate": "448", "params": {"minutes": "45"}}`,
			`reimbursement: double.json:4: components[1].when (städ): may pay minutes of the same visits as component "tid", one the whole visit and the other its band segments, and the check cannot tell, as their when reads bands (otherwise than by has(bands, …)): say "instead_of": ["tid"] if it replaces it (nothing changes where they never pay one visit), or "stacks": true if it pays on top`},
	} {
		got := ""
		if err := parse(c.comps); err != nil {
			got = err.Error()
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.comps, d)
		}
	}
}

// stackedStandardTime is the tariff of the two tests below: performed
// time at night, 500 kr/h, and a standard time of 20 minutes for service
// visits at 448 kr/h stacked on it; April 2024, and the start of their
// visit, 06:30 on 3 April, half an hour before the night ends.
func stackedStandardTime(t *testing.T) (*reimbursement.Book, calendar.Period, time.Time) {
	p := attackMonth(t, time.April)
	b := parseBook(t, attackTariff("Stack", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "natt", "strategy": "performed_time", "when": "band == 'natt'", "rate": "500", "params": {"require_decision": false}},
		 {"name": "schablon", "strategy": "standard_time", "when": "category == 'service'", "rate": "448", "stacks": true,
		  "params": {"minutes": "20", "require_decision": false}}`), "stack.json")
	return b, p, time.Date(2024, 4, 3, 6, 30, 0, 0, p.Location)
}

// Declared with "stacks", a standard time pays on top of a performed
// time of the night: a service visit 06:30–07:05 (30 min in natt, until
// 07:00, and 5 in dag) is paid its night part by the hour and a standard
// time on top, and the standard time's unit names the visit's own 35
// minutes, not those plus the 5 of the day the performed time leaves
// (creditWholeVisit credits those to a whole visit only where its unit
// does not name the visit's minutes already: a per_visit fee's).
//
//	natt:     30 min × 500.00 kr/h ÷ 60 = 250.00
//	schablon: 20 min × 448.00 kr/h ÷ 60 = 149.333… → 149.33, unit v1 of 35 min
func TestHandWorkedStackedStandardTimeNamesVisitMinutes(t *testing.T) {
	b, p, start := stackedStandardTime(t)
	ds := attackData(attackVisit("v1", start, start.Add(35*time.Minute), "Städ"))
	s, _ := settleEveryWay(t, b, ds, p)
	var got []string
	for _, l := range s.Lines {
		line := l.Component + ": " + l.Quantity.String() + " × " + l.Rate.String() + " = " + l.Amount.String()
		for _, u := range l.Units {
			line += fmt.Sprintf("; %s %d min", u.ID, u.Minutes)
		}
		got = append(got, line)
	}
	want := []string{"natt: 30 × 500 = 250.00; v1 30 min", "schablon: 20 × 448 = 149.33; v1 35 min"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if len(s.NotPaid) != 0 {
		t.Errorf("not paid: %+v", s.NotPaid)
	}
	if err := tarifftest.CheckLedger(s, ds, b, p); err != nil {
		t.Error(err)
	}
}

// The staff present beyond those paid for are reported once a visit,
// though a standard time pays it on top of performed time: the same
// visit of 35 minutes (06:30–07:05) with two staff present and one paid
// (no decision orders double staffing) pays as above, and the second
// staff's 35 minutes are extra_staff once. Each component reported them,
// the standard time its 35 and the night segment its 30: 65 minutes not
// paid of a visit that had 35 of a second staff.
//
//	natt:     30 min × 500 ÷ 60 = 250.00
//	schablon: 20 min × 448 ÷ 60 = 149.33
//	extra_staff: 35 min × (2 − 1) = 35 min
func TestHandWorkedStackedExtraStaffOnce(t *testing.T) {
	b, p, start := stackedStandardTime(t)
	v := attackVisit("v1", start, start.Add(35*time.Minute), "Städ")
	v.Staff = 2
	ds := attackData(v)
	wantLinesAndUnpaid(t, b, ds, p, "natt: 30 × 500 = 250.00", "schablon: 20 × 448 = 149.33", "v1 schablon extra_staff 35 min")
}

// A planned time stacked on performed time, three staff present and one
// paid (no decision orders more): the base's extra_staff is reported for
// each visit, once, whether the stacked component pays the visit (v1,
// planned 30 min) or reports it not paid for every staff's minutes (v2,
// no planned time): a stacked component's report accounts for what it
// does not pay on top, not for the base's reason, which it hid (v2's 80
// minutes of two staff were only in the supplement's no_planned_time).
//
//	tid:  (40 + 40) min × 500 ÷ 60 = 666.666… → 666.67
//	plan: 30 min × 448 ÷ 60 = 224.00
//	v1 extra_staff: 40 × (3 − 1) = 80 min
//	v2 no_planned_time (plan): 40 × 3 = 120 min; extra_staff 40 × 2 = 80 min
func TestHandWorkedStackedPlannedTimeKeepsExtraStaff(t *testing.T) {
	p := attackMonth(t, time.April)
	b := parseBook(t, attackTariff("Stack", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "500", "params": {"require_decision": false}},
		 {"name": "plan", "strategy": "planned_time", "rate": "448", "stacks": true, "params": {"require_decision": false}}`), "stack.json")
	start := time.Date(2024, 4, 3, 10, 0, 0, 0, p.Location)
	v1 := attackVisit("v1", start, start.Add(40*time.Minute), "Städ")
	v1.Staff, v1.PlannedMinutes = 3, 30
	v2 := attackVisit("v2", start.Add(2*time.Hour), start.Add(2*time.Hour+40*time.Minute), "Städ")
	v2.Staff = 3
	ds := attackData(v1, v2)
	wantLinesAndUnpaid(t, b, ds, p, "tid: 80 × 500 = 666.67", "plan: 30 × 448 = 224.00",
		"v1 plan extra_staff 80 min", "v2 plan no_planned_time 120 min", "v2  extra_staff 80 min")
}

// wantLinesAndUnpaid settles ds in p every way (settleEveryWay) and
// compares its lines ("component: quantity × rate = amount") and records
// not paid ("id component reason N min") with want, and checks the
// ledger.
func wantLinesAndUnpaid(t *testing.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period, want ...string) {
	t.Helper()
	s, _ := settleEveryWay(t, b, ds, p)
	var got []string
	for _, l := range s.Lines {
		got = append(got, l.Component+": "+l.Quantity.String()+" × "+l.Rate.String()+" = "+l.Amount.String())
	}
	for _, u := range s.NotPaid {
		got = append(got, fmt.Sprintf("%s %s %s %d min", u.ID, u.Component, u.Reason, u.Minutes))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if err := tarifftest.CheckLedger(s, ds, b, p); err != nil {
		t.Error(err)
	}
}

// A declined visit is paid its share on a line of its own, beside the
// performed visits of the same band and rate, and per unit each visit is
// rounded: two visits of 25 min and a declined one of 25 min at
// 448.50 kr/h, a declined share of 0.75, whole kronor per unit.
//
//	performed: 2 × (25 × 448.50 ÷ 60 = 186.875 → 187) = 374
//	declined:  25 × 448.50 ÷ 60 × 0.75 = 140.15625 → 140
func TestHandWorkedDeclinedShareBesidePerformed(t *testing.T) {
	p := attackMonth(t, time.April)
	loc := p.Location
	b := parseBook(t, attackTariff("Avböjt", "2024-01-01", "", `{"scale": 0, "per": "unit"}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "448.50", "params": {"require_decision": false, "declined_share": "0.75"}}`), "declined.json")
	at := func(d int) time.Time { return time.Date(2024, 4, d, 10, 0, 0, 0, loc) }
	declined := attackVisit("v2", at(4), at(4).Add(25*time.Minute), "Dusch")
	declined.Declined = true
	ds := attackData(attackVisit("v1", at(3), at(3).Add(25*time.Minute), "Dusch"), declined,
		attackVisit("v3", at(5), at(5).Add(25*time.Minute), "Tillsyn"))
	s, _ := settleEveryWay(t, b, ds, p)
	var got []string
	for _, l := range s.Lines {
		f := ""
		if l.Factor != nil {
			f = " × " + l.Factor.String()
		}
		got = append(got, l.Kind.String()+": "+l.Quantity.String()+" min × "+l.Rate.String()+f+" = "+l.Amount.String())
	}
	want := []string{": 50 min × 448.50 = 374", "declined: 25 min × 448.50 × 0.75 = 140"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
