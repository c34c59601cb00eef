package reimbursement_test

import (
	"slices"
	"testing"
	"time"
)

// A line of planned time (declined visits paid a share of the minutes
// they were planned for) counts planned minutes, which are not the
// minutes its records carry (the visit's own, a declined visit's few at
// the door), and its explanation says "radens antal är … se steg": the
// steps must name each visit's planned minutes, so that a controller can
// add them up to the line's quantity. Two declined visits, Dusch planned
// 30 min and Tillsyn planned 10 min, 3 and 2 min at the door, at a
// share of 0.75 (found by trial128):
//
//	quantity: 30 + 10 = 40 planned min (the records: 3 + 2 = 5 min)
//	amount:   40 × 508.84 ÷ 60 × 0.75 = 254.42
//
// A share written as a number is said once ("andelen 0.75"), not
// "andelen 0.75 (0.75)"; one read from a table keeps its source.
func TestPlannedTimeStepsNamePlannedMinutes(t *testing.T) {
	p := attackMonth(t, time.April)
	b := parseBook(t, attackTariff("Avböjt", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "508.84", "params": {"require_decision": false}},
		 {"name": "avböjt", "strategy": "planned_time", "when": "declined", "rate": "508.84", "instead_of": ["tid"],
		  "params": {"require_decision": false, "share": "0.75"}}`), "declined.json")
	at := func(d int) time.Time { return time.Date(2024, 4, d, 10, 0, 0, 0, p.Location) }
	v1 := attackVisit("v1", at(3), at(3).Add(3*time.Minute), "Dusch")
	v1.Declined, v1.PlannedMinutes = true, 30
	v2 := attackVisit("v2", at(4), at(4).Add(2*time.Minute), "Tillsyn")
	v2.Declined, v2.PlannedMinutes = true, 10
	s, _ := settleEveryWay(t, b, attackData(v1, v2), p)
	if len(s.Lines) != 1 {
		t.Fatalf("want one line, got %d", len(s.Lines))
	}
	l := s.Lines[0]
	if l.Quantity.String() != "40" || l.Amount.String() != "254.42" {
		t.Errorf("line %s min = %s kr, want 40 min = 254.42 kr", l.Quantity, l.Amount)
	}
	want := []string{
		"besök v1, Dusch: planerad tid 30 min × 1 personal = 30 min, betalas med andelen 0.75",
		"besök v2, Tillsyn: planerad tid 10 min × 1 personal = 10 min, betalas med andelen 0.75",
	}
	for _, w := range want {
		if !slices.Contains(l.Explanation.Steps, w) {
			t.Errorf("explanation lacks step %q; has %q", w, l.Explanation.Steps)
		}
	}
}

// A declined night visit under an hourly component that pays declined
// visits half their minutes and a night supplement stacked on it that
// pays them nothing: the tariff pays the visit (10 min × 480 ÷ 60 × 0.5
// = 40.00), so the supplement's report of it must not say "taxan betalar
// ingen andel" (the tariff pays no share) but name the component that
// does not (found by trial128, whose proposal paid such a visit 75 % of
// its planned time and still read "taxan betalar ingen andel").
func TestDeclinedNotPaidNamesComponent(t *testing.T) {
	p := attackMonth(t, time.April)
	b := parseBook(t, attackTariff("Natt", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "480", "params": {"require_decision": false, "declined_share": "0.5"}},
		 {"name": "natt", "strategy": "performed_time", "when": "band == 'natt'", "rate": "100", "stacks": true, "params": {"require_decision": false}}`), "natt.json")
	start := time.Date(2024, 4, 3, 2, 0, 0, 0, p.Location)
	v := attackVisit("v1", start, start.Add(10*time.Minute), "Tillsyn")
	v.Declined = true
	s, _ := settleEveryWay(t, b, attackData(v), p)
	if len(s.Lines) != 1 || s.Lines[0].Amount.StringFixed(2) != "40.00" {
		t.Fatalf("lines %+v, want tid 40.00", s.Lines)
	}
	if len(s.NotPaid) != 1 {
		t.Fatalf("not paid %+v, want natt's report of v1", s.NotPaid)
	}
	if got, want := s.NotPaid[0].Detail, "avböjt av brukaren; komponenten natt betalar ingen andel"; got != want {
		t.Errorf("detail %q, want %q", got, want)
	}
}

// So does a planned-time component whose share for a visit is 0: a
// supplement of 50 % of the planned time for showers only, stacked on an
// hourly component that pays declined visits half their minutes, reports
// a declined visit of another task by its own name (the visit is paid 10
// min × 480 ÷ 60 × 0.5 = 40.00 by tid).
func TestPlannedShareZeroNamesComponent(t *testing.T) {
	p := attackMonth(t, time.April)
	b := parseBook(t, attackTariff("Plan", "2024-01-01", "", `{"scale": 2}`, "",
		`{"name": "tid", "strategy": "performed_time", "rate": "480", "params": {"require_decision": false, "declined_share": "0.5"}},
		 {"name": "plan", "strategy": "planned_time", "when": "declined", "rate": "480", "stacks": true,
		  "params": {"require_decision": false, "share": "task == 'Dusch' ? 0.5 : 0"}}`), "plan.json")
	start := time.Date(2024, 4, 3, 10, 0, 0, 0, p.Location)
	v := attackVisit("v1", start, start.Add(10*time.Minute), "Tillsyn")
	v.Declined, v.PlannedMinutes = true, 30
	s, _ := settleEveryWay(t, b, attackData(v), p)
	if len(s.Lines) != 1 || s.Lines[0].Amount.StringFixed(2) != "40.00" {
		t.Fatalf("lines %+v, want tid 40.00", s.Lines)
	}
	if len(s.NotPaid) != 1 {
		t.Fatalf("not paid %+v, want plan's report of v1", s.NotPaid)
	}
	if got, want := s.NotPaid[0].Detail, "komponenten plan betalar ingen andel av den planerade tiden"; got != want {
		t.Errorf("detail %q, want %q", got, want)
	}
}
