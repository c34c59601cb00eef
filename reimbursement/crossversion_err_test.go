package reimbursement_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// Where the engine asks a version's expressions about what another
// version of the month settled (what a month-wide cap counts, the
// performed minutes a cap reads, the granted time of a month's share) or
// what a replacing component takes, an expression that fails never means
// "would not pay" in silence: the earlier payment counts as it was paid,
// or the component pays the case nothing and reports rate_error.

// xvVersion is a version named name, valid from..to (to may be ""), with
// tables, components and extra fields.
func xvVersion(name, from, to, tables, components string, extra ...string) string {
	valid := `"valid_from": "` + from + `"`
	if to != "" {
		valid += `, "valid_to": "` + to + `"`
	}
	var b strings.Builder
	b.WriteString(`{"name": "` + name + `", ` + valid + `, "source": "test", "currency": "SEK",
 "zones": ["tätort", "landsbygd"], "tables": {` + tables + `},
`)
	for _, e := range extra {
		b.WriteString(e + ",\n")
	}
	b.WriteString(`"components": [` + components + "]}")
	return b.String()
}

// xvDagNatt is a schedule of the bands dag (07–22) and natt only.
const xvDagNatt = `"schedule": {"rules": [{"band": "dag", "days": ["all"], "from": "07:00", "to": "22:00"}, {"band": "natt", "days": ["all"], "from": "22:00", "to": "07:00"}]}`

// xvBetald are tables betald by band: A's of the default bands, B's of
// dag and natt.
const (
	xvBetaldA = `"betald": {"keys": ["band"], "rates": {"dag": "1", "kväll": "1", "natt": "1", "helg": "1"}}`
	xvBetaldB = `"betald": {"keys": ["band"], "rates": {"dag": "1", "natt": "1"}}`
)

// xvCare is k1's care with egen: 6 visits of 120 min in kväll (19–21)
// from 2 to 9 April and 3 of 120 min in the day from 16 to 18 April
// (v007–v009), with a decision of 30 min of Tillsyn a day, 900 min in
// April.
func xvCare() *models.Dataset {
	ds := fixture.Data()
	for _, day := range []string{"02", "03", "04", "05", "08", "09"} {
		ds.Visits = append(ds.Visits, fixture.Visit("2024-04-"+day+" 19:00", "2024-04-"+day+" 21:00", "Tillsyn"))
	}
	for _, day := range []string{"16", "17", "18"} {
		ds.Visits = append(ds.Visits, fixture.Visit("2024-04-"+day+" 10:00", "2024-04-"+day+" 12:00", "Tillsyn"))
	}
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-01-01"),
		ExecutionStarted: calendar.MustParseDate("2024-01-01"),
		Items:            []models.GrantedItem{{Task: "Tillsyn", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}}}
	return ds
}

// xvSettle settles ds under the versions srcs over April 2024, checks
// the ledger, and returns the lines ("component quantity rate amount")
// and the records not paid ("component id reason minutes").
func xvSettle(t *testing.T, ds *models.Dataset, srcs ...string) (lines, notPaid []string, s *reimbursement.Settlement) {
	t.Helper()
	b := splitBook(t, srcs...)
	s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range s.Lines {
		lines = append(lines, fmt.Sprintf("%s %s %s %s %s", l.Version, l.Component, l.Quantity, l.Rate, l.Amount))
	}
	for _, u := range s.NotPaid {
		if u.Reason != reimbursement.NoComponent {
			notPaid = append(notPaid, fmt.Sprintf("%s %s %s %d", u.Component, u.ID, u.Reason, u.Minutes))
		}
	}
	if err := tarifftest.CheckLedger(s, ds, b, fixture.April2024); err != nil {
		t.Errorf("ledger: %v (lines %v, not paid %v)", err, lines, notPaid)
	}
	return lines, notPaid, s
}

// xvRateError returns the detail of the first rate_error of component
// comp, or "".
func xvRateError(s *reimbursement.Settlement, comp string) string {
	for _, u := range s.NotPaid {
		if u.Reason == reimbursement.RateError && u.Component == comp {
			return u.Detail
		}
	}
	return ""
}

// TestCapCountsOwnMinutesWhenWhenFails: component u pays care at 500
// kr/h capped at the granted time, 900 min in April, under A to the
// 15th (default bands) and B from the 16th (dag and natt only), its when
// reading table('betald', band). A pays 6 × 120 = 720 min in kväll,
// 720 × 500 / 60 = 6 000.00. B's table has no kväll, so B's when fails
// on A's segments: they count as A's u paid them, and B pays 900 − 720 =
// 180 of its 360 min, 180 × 500 / 60 = 1 500.00, in date order (v007
// 120, v008 60 of 120); 180 min are above the cap (v008 60, v009 120). In all
// 7 500.00, as with when "category == 'care'". Taken for "would not
// pay", B paid its 360 min: 9 000.00 (found by attack).
func TestCapCountsOwnMinutesWhenWhenFails(t *testing.T) {
	comp := `{"name": "u", "strategy": "performed_time", "when": "category == 'care' && table('betald', band) > 0", "rate": "500",
	  "params": {"cap": "granted"}}`
	lines, notPaid, s := xvSettle(t, xvCare(), xvVersion("A", "2024-01-01", "2024-04-15", xvBetaldA, comp),
		xvVersion("B", "2024-04-16", "", xvBetaldB, comp, xvDagNatt))
	if diff := cmp.Diff([]string{"A u 720 500 6000.00", "B u 180 500 1500.00"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"u v008 above_cap 60", "u v009 above_cap 120"}, notPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	if got := s.Total.StringFixed(2); got != "7500.00" {
		t.Errorf("total %s, want 7500.00", got)
	}
}

// TestCapReportsAnotherComponentsMinutesItCannotJudge: under A component
// a pays all care, 720 min in kväll (6 000.00); under B the new
// component u, capped at the granted time (900 min), pays care in the
// bands of table betald, which has no kväll. Whether a's minutes count
// toward u's cap is whether u would pay them, which B cannot say: u pays
// k1 nothing and reports its 360 min rate_error, naming a's minutes. Taken
// for "would not pay", u paid its 360 min beside a's 720 (9 000.00 for at
// most 7 500.00).
func TestCapReportsAnotherComponentsMinutesItCannotJudge(t *testing.T) {
	a := `{"name": "a", "strategy": "performed_time", "when": "category == 'care'", "rate": "500"}`
	u := `{"name": "u", "strategy": "performed_time", "when": "category == 'care' && table('betald', band) > 0", "rate": "500",
	  "params": {"cap": "granted"}}`
	lines, notPaid, s := xvSettle(t, xvCare(), xvVersion("A", "2024-01-01", "2024-04-15", xvBetaldA, a),
		xvVersion("B", "2024-04-16", "", xvBetaldB, u, xvDagNatt))
	if diff := cmp.Diff([]string{"A a 720 500 6000.00"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"u v007 rate_error 120", "u v008 rate_error 120", "u v009 rate_error 120"}, notPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	if d := xvRateError(s, "u"); !strings.Contains(d, `version "A" by component "a", visit v001`) || !strings.Contains(d, "betald") {
		t.Errorf("rate_error detail %q, want the cap, a's minutes and the lookup", d)
	}
}

// TestPerformedReportsMinutesTheReaderCannotJudge: as above, with u
// uncapped and hsl capped at performed['u'] (the month's minutes of u):
// whether a's 720 min in kväll are u's under B is whether u would pay
// them, which B cannot say, so hsl pays k1 nothing and reports its HSL
// visit of 60 min on the 20th rate_error. u pays its 360 min, 3 000.00.
// Taken for "would not pay", hsl read 360 min and paid its 60 (600.00);
// counted, 1 080.
func TestPerformedReportsMinutesTheReaderCannotJudge(t *testing.T) {
	a := `{"name": "a", "strategy": "performed_time", "when": "category == 'care'", "rate": "500"}`
	u := `{"name": "u", "strategy": "performed_time", "when": "category == 'care' && table('betald', band) > 0", "rate": "500"}`
	hsl := `{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	  "params": {"require_decision": false, "cap": "performed['u']"}}`
	ds := xvCare()
	ds.Visits = append(ds.Visits, fixture.Visit("2024-04-20 10:00", "2024-04-20 11:00", "HSL"))
	lines, notPaid, s := xvSettle(t, ds, xvVersion("A", "2024-01-01", "2024-04-15", xvBetaldA, a),
		xvVersion("B", "2024-04-16", "", xvBetaldB, u+", "+hsl, xvDagNatt))
	if diff := cmp.Diff([]string{"A a 720 500 6000.00", "B u 360 500 3000.00"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hsl v010 rate_error 60"}, notPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	if d := xvRateError(s, "hsl"); !strings.Contains(d, "cap: ") || !strings.Contains(d, `component "a"`) {
		t.Errorf("rate_error detail %q, want the cap and a's minutes", d)
	}
}

// TestShareReportsGrantsTheComponentCannotJudge: minimum_execution pays
// care whose task is in table t at the granted time when 80 % of it was
// performed, else the performed time. k1 has 30 min of Dusch a day to
// the 15th (450 min) and 30 min of Tillsyn a day from the 16th (450
// min), and performed 360 min from the 16th: 360 of 900, 40 %, so A pays
// the performed time of its days, none: 0 min, 0.00 (it paid the month's
// 360 min, 3 000.00, performed under B, whose visits were reported
// rate_error beside it). B's table has no Dusch, so B cannot say whether m would pay the first
// half's item: m pays k1 nothing under B and reports its item and the
// visits of its category rate_error. Taken for "would not pay", B's
// share was 360 of 450, 80 %, and paid the granted 450 min in full
// (3 750.00 more for the 0 min left of the month's performed time).
func TestShareReportsGrantsTheComponentCannotJudge(t *testing.T) {
	m := `{"name": "m", "strategy": "minimum_execution", "when": "category == 'care' && table('t', task) > 0", "rate": "500",
	  "params": {"threshold": "0.8", "below": "performed"}}`
	ds := fixture.Data()
	for _, day := range []string{"16", "17", "18"} {
		ds.Visits = append(ds.Visits, fixture.Visit("2024-04-"+day+" 10:00", "2024-04-"+day+" 12:00", "Tillsyn"))
	}
	item := func(task string) []models.GrantedItem {
		return []models.GrantedItem{{Task: task, Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}
	}
	ds.Decisions = []models.Decision{
		{ID: "d1", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-01-01"), ValidTo: calendar.MustParseDate("2024-04-15"),
			ExecutionStarted: calendar.MustParseDate("2024-01-01"), Items: item("Dusch")},
		{ID: "d2", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-04-16"),
			ExecutionStarted: calendar.MustParseDate("2024-04-16"), Items: item("Tillsyn")}}
	lines, notPaid, s := xvSettle(t, ds, xvVersion("A", "2024-01-01", "2024-04-15", `"t": {"keys": ["task"], "rates": {"Dusch": "1", "Tillsyn": "1"}}`, m),
		xvVersion("B", "2024-04-16", "", `"t": {"keys": ["task"], "rates": {"Tillsyn": "1"}}`, m))
	if diff := cmp.Diff([]string{"A m 0 500 0.00"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"m d2 rate_error 450", "m v001 rate_error 120", "m v002 rate_error 120", "m v003 rate_error 120"}, notPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "B ") {
			t.Errorf("B pays %s", l)
		}
	}
	if d := xvRateError(s, "m"); !strings.Contains(d, "decision d1, item Dusch") {
		t.Errorf("rate_error detail %q, want d1's item", d)
	}
}

// TestReplacedComponentLeavesWhatTheReplacingOneFailsOn: schablon pays a
// care visit 30 min instead of omsorg, its when failing for k2 (division
// by zero). k1's visit is schablon's (30 min, 300.00); k2's is reported
// rate_error by schablon, with its 60 min (10:00–11:00, one staff), and
// paid by no one. Taken for "does not match",
// omsorg paid k2's 60 min (600.00) beside the error.
func TestReplacedComponentLeavesWhatTheReplacingOneFailsOn(t *testing.T) {
	comps := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}},
	{"name": "schablon", "strategy": "standard_time", "when": "category == 'care' && 1 / (customer == 'k2' ? 0 : 1) > 0", "instead_of": ["omsorg"],
	 "rate": "600", "params": {"minutes": "30", "require_decision": false}}`
	ds := fixture.Data()
	ds.Visits = []models.Visit{fixture.Visit("2024-04-02 10:00", "2024-04-02 11:00", "Tillsyn"),
		fixture.Visit("2024-04-02 10:00", "2024-04-02 11:00", "Tillsyn", func(v *models.Visit) { v.Customer = "k2" })}
	lines, notPaid, _ := xvSettle(t, ds, xvVersion("A", "2024-01-01", "", "", comps))
	if diff := cmp.Diff([]string{"A schablon 30 600 300.00"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"schablon v002 rate_error 60"}, notPaid); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}
