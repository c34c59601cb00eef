package reimbursement

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// levelDoc is a tariff of zones tätort and landsbygd with table lv (level
// 1: 100 kr a month, level 2: 200) and lvok (1 for either level), and
// the given components.
func levelDoc(components string) string {
	return `{"name": "L", "valid_from": "2024-01-01", "source": "levelwhen_test", "currency": "SEK",
 "zones": ["tätort", "landsbygd"],
 "tables": {"lv": {"keys": ["level"], "rates": {"1": "100", "2": "200"}}, "lvok": {"keys": ["level"], "rates": {"1": "1", "2": "1"}}},
 "components": [` + components + `]}`
}

// levelSettle loads src and settles ds over April 2024.
func levelSettle(t *testing.T, src string, ds *models.Dataset) *Settlement {
	t.Helper()
	v, err := ParseVersion(strings.NewReader(src), "l.json")
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	b, err := NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	return settle(t, b, ds)
}

// rateErrors lists the units not paid for a rate error.
func rateErrors(s *Settlement) []string {
	var out []string
	for _, u := range s.NotPaid {
		if u.Reason == RateError {
			out = append(out, fmt.Sprintf("%s %s: %s", u.Kind, u.ID, u.Detail))
		}
	}
	return out
}

// unpaidText lists what is not paid as "component id reason days: detail".
func unpaidText(s *Settlement) []string {
	var out []string
	for _, u := range s.NotPaid {
		out = append(out, fmt.Sprintf("%s %s %s %s %d: %s", u.Component, u.ID, u.Item, u.Reason, u.Days, u.Detail))
	}
	return out
}

// TestLevelInWhen: a level component's when sees the level the strategy
// prices (found by attack: the when saw level "" at settlement, while the
// probe gave it every level name). coverData grants k1 (tätort) and k2
// (landsbygd) care 30 min a day: 30 × 30 = 900 min = 15 h in April.
func TestLevelInWhen(t *testing.T) {
	ds := coverData()
	lines := func(amount string) []row {
		return []row{
			{"k1", "niv", "", "care", "tätort", "", "30", amount, "", amount + ".00"},
			{"k2", "niv", "", "care", "landsbygd", "", "30", amount, "", amount + ".00"},
		}
	}
	for _, tt := range []struct {
		when, levels string
		want         []row
		total        string
	}{
		// 15 h ≥ 10 h: level 2 at 200 kr a month, 30 of 30 days, each:
		// 2 × 200 = 400.00
		{"level == '2'", `[{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "10"}]`, lines("200"), "400.00"},
		// 15 h < 20 h: both at level 1, which the when excludes: 0
		{"level != '1'", `[{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "20"}]`, nil, "0"},
		// as the first, every lookup of lvok of level 1 or 2: 400.00
		{"table('lvok', level) > 0", `[{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "10"}]`, lines("200"), "400.00"},
	} {
		s := levelSettle(t, levelDoc(`{"name": "niv", "strategy": "level", "when": "category == 'care' && (`+tt.when+`)",
			"rate": "table('lv', level)", "params": {"levels": `+tt.levels+`}}`), ds)
		if d := cmp.Diff(tt.want, rows(s)); d != "" {
			t.Errorf("when %s: lines (-want +got):\n%s", tt.when, d)
		}
		if s.Total.String() != tt.total || len(rateErrors(s)) > 0 {
			t.Errorf("when %s: total %s, want %s; rate errors %v", tt.when, s.Total, tt.total, rateErrors(s))
		}
	}
}

// TestLevelSplitByLevel: two level components split by level == …, which
// the load-time overlap check takes for disjoint, pay each day at the
// level of that day (found by attack: both matched nothing). Levels 1
// from 0 h (100 kr a month), 2 from 20 h (200 kr); both pool care and
// service.
func TestLevelSplitByLevel(t *testing.T) {
	levels := `"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "20"}]}`
	when := `category in ['care', 'service'] && level == `
	src := levelDoc(`{"name": "n1", "strategy": "level", "when": "` + when + `'1'", "rate": "table('lv', level)", ` + levels + `},
		{"name": "n2", "strategy": "level", "when": "` + when + `'2'", "rate": "table('lv', level)", ` + levels + `}`)
	// k1: care 30 min a day, 900 min = 15 h all April; from 16 April a
	// second decision grants service 20 min a day, 20 × 30 = 600 min a
	// month:
	//   1–15 Apr  15 h < 20 h: level 1, n1: 15 × 100 ÷ 30 =  50.00
	//   16–30 Apr 25 h ≥ 20 h: level 2, n2: 15 × 200 ÷ 30 = 100.00
	// k2: care 15 h all month, level 1, n1: 30 × 100 ÷ 30 = 100.00
	// n2's line for k1 pays care and service: of no category; n1's
	// pays k1's care alone (the service is granted on level 2's days).
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Tillsyn", Category: models.Care}, {Local: "Städ", Category: models.Service}},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}, {ID: "k2", Zone: "landsbygd"}},
		Providers: []models.Provider{{ID: "egen", Name: "Egen regi", Ownership: models.OwnOperation}},
	}
	care := []models.GrantedItem{{Task: "Tillsyn", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}
	ds.Decisions = []models.Decision{
		{ID: "k1-b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"), Items: care},
		{ID: "k1-s", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-16"), ExecutionStarted: d("2024-04-16"),
			Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, Minutes: 20, Times: 1, Per: models.PerDay}}},
		{ID: "k2-b", Customer: "k2", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"), Items: care},
	}
	s := levelSettle(t, src, ds)
	want := []row{
		{"k1", "n1", "", "care", "tätort", "", "15", "100", "", "50.00"},
		{"k1", "n2", "", "", "tätort", "", "15", "200", "", "100.00"},
		{"k2", "n1", "", "care", "landsbygd", "", "30", "100", "", "100.00"},
	}
	if d := cmp.Diff(want, rows(s)); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	if s.Total.String() != "250.00" {
		t.Errorf("total %s, want 250.00", s.Total)
	}
	// k1's care item is in force all month: each component reports its
	// 15 days at the other level, so that each accounts for all 30.
	wantUnpaid := []string{
		"n1 k1-b Tillsyn no_component 15: 15 dagar på nivå 2, där komponentens villkor inte gäller",
		"n2 k1-b Tillsyn no_component 15: 15 dagar på nivå 1, där komponentens villkor inte gäller",
	}
	if d := cmp.Diff(wantUnpaid, unpaidText(s)); d != "" {
		t.Errorf("not paid (-want +got):\n%s", d)
	}
}

// TestLevelStepsByHours: days at one level but of different granted
// hours are told apart in the line's explanation, though one line pays
// all of them. The component pools care and service: k1 is granted
// Tillsyn (care) 30 min a day, 30 × 30 = 900 min = 15 h in April, and
// from 16 April, the decision renewed, Dusch (care) 20 min a day beside
// it, 20 × 30 = 600 min = 10 h: 1–15 April 15 h, 16–30 April 25 h, both
// level 1 (from 0 h; 2 from 30 h). One line, of care, 30 × 100 ÷ 30 =
// 100.00, whose steps name 15 h on 15 days and 25 h on the other 15.
// (With a service item from the 16th the days would be of two
// categories, care and none, and two lines: TestLevelLineCategoryByDay.)
func TestLevelStepsByHours(t *testing.T) {
	levels := `"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "30"}]}`
	src := levelDoc(`{"name": "n", "strategy": "level", "when": "category in ['care', 'service']", "rate": "table('lv', level)", ` + levels + `}`)
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Tillsyn", Category: models.Care}, {Local: "Dusch", Category: models.Care}},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "egen", Name: "Egen regi", Ownership: models.OwnOperation}},
		Decisions: []models.Decision{
			{ID: "k1-b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ValidTo: d("2024-04-15"), ExecutionStarted: d("2024-01-01"),
				Items: []models.GrantedItem{{Task: "Tillsyn", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}},
			{ID: "k1-s", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-16"), ExecutionStarted: d("2024-04-16"),
				Items: []models.GrantedItem{{Task: "Tillsyn", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay},
					{Task: "Dusch", Category: models.Care, Minutes: 20, Times: 1, Per: models.PerDay}}},
		},
	}
	s := levelSettle(t, src, ds)
	if d := cmp.Diff([]row{{"k1", "n", "", "care", "tätort", "", "30", "100", "", "100.00"}}, rows(s)); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	var steps []string
	for _, l := range s.Lines {
		steps = append(steps, l.Explanation.Steps...)
	}
	want := []string{
		"beviljat 15 h i månaden (Tillsyn) → nivå 1 (från 0 h); 15 av 30 dagar på den",
		"beviljat 25 h i månaden (Dusch, Tillsyn) → nivå 1 (från 0 h); 15 av 30 dagar på den",
	}
	if d := cmp.Diff(want, steps); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
}

// TestLevelReadsRefused: level is set by the level strategy alone, so an
// expression of another component that reads it is refused at load (it
// saw level "" and never matched); two level components split by level
// load only when they see the same level of every day (the same levels,
// the same pool); a level component whose when reads level takes no units
// instead of another (precedence takes whole items).
func TestLevelReadsRefused(t *testing.T) {
	lv := `"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "20"}]}`
	lv10 := `"params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "10"}]}`
	n1 := `{"name": "n1", "strategy": "level", "when": "category == 'care' && level == '1'", "rate": "table('lv', level)", ` + lv + `}`
	for _, tt := range []struct{ comps, want string }{
		{`{"name": "g", "strategy": "granted_time", "when": "category == 'care' && level == '2'", "rate": "500"}`,
			`components[0].when (g): reads level, which only the level strategy sets (a granted_time component sees level "")`},
		{`{"name": "g", "strategy": "fixed_monthly", "rate": "level == '2' ? 1 : 2"}`,
			`components[0].rate (g): reads level, which only the level strategy sets`},
		{`{"name": "g", "strategy": "minimum_execution", "rate": "500", "params": {"threshold": "level == '' ? 0.8 : 0.9", "below": "performed"}}`,
			`components[0].params.threshold (g): reads level`},
		// The same levels and pool: at one level at a time.
		{n1 + `, {"name": "n2", "strategy": "level", "when": "category == 'care' && level == '2'", "rate": "table('lv', level)", ` + lv + `}`, ""},
		// Other levels: 15 h is level 1 of n1 and level 2 of n2.
		{n1 + `, {"name": "n2", "strategy": "level", "when": "category == 'care' && level == '2'", "rate": "table('lv', level)", ` + lv10 + `}`,
			`components[1].when (n2): pays the same items as component "n1" (when ownership=own, zone=tätort, category=care, level=1; each sees a level of its own`},
		// Another pool: 15 h of care and 10 h of service is level 1 of
		// n1 (care) and level 2 of n2 (all).
		{n1 + `, {"name": "n2", "strategy": "level", "when": "level == '2'", "rate": "table('lv', level)", ` + lv + `}`,
			`components[1].when (n2): pays the same items as component "n1"`},
		{n1 + `, {"name": "g", "strategy": "granted_time", "when": "category == 'care'", "rate": "500"}`,
			`components[1].when (g): pays the same items as component "n1"`},
		{n1 + `, {"name": "g", "strategy": "granted_time", "when": "category == 'service'", "rate": "500"}`, ""},
		{`{"name": "n1", "strategy": "level", "when": "category == 'care' && level == '1'", "rate": "table('lv', level)", "instead_of": ["g"], ` + lv + `},
		  {"name": "g", "strategy": "granted_time", "when": "category == 'care'", "rate": "500"}`,
			`components[0].instead_of (n1): a level component whose when reads level cannot take units instead of another`},
	} {
		_, err := ParseVersion(strings.NewReader(levelDoc(tt.comps)), "x.json")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.comps, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: got %v, want %q", tt.comps, err, tt.want)
		}
	}
}
