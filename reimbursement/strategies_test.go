package reimbursement

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

const grantedSol = `{"name": "sol", "strategy": "granted_time", "when": "category in [\"service\", \"care\"]",
  "rate": "table(\"timpris\", category, zone)"%s}`

func TestGrantedTime(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-04-10"),
			Items: []models.GrantedItem{
				{Task: "Städ", Category: models.Service, Minutes: 30, Times: 2, Per: models.PerWeek},
				{Task: "Dusch", Category: models.Care, Minutes: 20, Times: 1, Per: models.PerDay, DoubleStaffing: true},
			}},
		{ID: "b2", Customer: "k2", Provider: "priv", ValidFrom: d("2024-03-01"), ValidTo: d("2024-04-20"), ExecutionStarted: d("2024-03-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}},
	}
	// k2 is in hospital 4–9 April (6 days): day 1 paid in full, days 2–5
	// at half, day 6 not at all.
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k2", From: d("2024-04-04"), To: d("2024-04-09"), Reason: models.Hospital}}
	comp := sprintf(grantedSol, `, "params": {"absence_ladder": [{"days": 1, "share": "1"}, {"days": 4, "share": "0.5"}]}`)
	s := settle(t, mustBook(t, doc(comp)), ds)
	want := []row{
		// k1 service: 10–30 April = 21 days; 30 × 2 × 21 ÷ 7 = 180 min × 439 ÷ 60 = 1317.00.
		{"k1", "sol", "", "service", "tätort", "", "180", "439.00", "", "1317.00"},
		// k1 care: 20 × 21 = 420 min, double staffed 840 × 448 ÷ 60 = 6272.00.
		{"k1", "sol", "", "care", "tätort", "", "840", "448.00", "", "6272.00"},
		// k2 care: 1–20 April = 20 days less 6 paused = 14; 600 × 14 ÷ 30 = 280 min × 480 ÷ 60 = 2240.00.
		{"k2", "sol", "", "care", "landsbygd", "", "280", "480.00", "", "2240.00"},
		// Ladder step 1: 1 day, 600 × 1 ÷ 30 = 20 min × 480 ÷ 60 = 160.00.
		{"k2", "sol", "absence", "care", "landsbygd", "", "20", "480.00", "", "160.00"},
		// Ladder step 2: days 2–5 = 4 days, 600 × 4 ÷ 30 = 80 min × 480 × 0.5 ÷ 60 = 320.00.
		{"k2", "sol", "absence", "care", "landsbygd", "", "80", "480.00", "0.5", "320.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	// 1317 + 6272 + 2240 + 160 + 320 = 10309.00
	if got := s.Total.String(); got != "10309.00" {
		t.Errorf("total = %s, want 10309.00", got)
	}
}

const performedCare = `{"name": "omsorg", "strategy": "performed_time", "when": "category in [\"care\", \"service\"]",
  "rate": "table(\"band\", band)"%s}`

func TestPerformedTime(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerWeek, DoubleStaffing: true}}},
		{ID: "b2", Customer: "k2", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 60}}},
	}
	k2 := func(v *models.Visit) { v.Customer = "k2" }
	two := func(v *models.Visit) { v.Staff = 2 }
	ds.Visits = []models.Visit{
		// k1, ordered double staffing: 2 × 25 min by day (Tuesday).
		visit("2024-04-02 10:00", "2024-04-02 10:25", "Dusch", two),
		// k1, 21:40–22:20 on a weekday: 20 kväll + 20 natt.
		visit("2024-04-03 21:40", "2024-04-03 22:20", "Dusch"),
		// k1, a night visit of 6 min 40 s: nearest minute 7, minimum 15 in natt.
		visit("2024-04-04 23:00", "2024-04-04 23:06", "Dusch", func(v *models.Visit) { v.End = v.End.Add(40e9) }),
		// k1, Saturday: helg.
		visit("2024-04-06 09:00", "2024-04-06 09:30", "Dusch"),
		// k1 service: no decision grants it.
		visit("2024-04-08 09:00", "2024-04-08 09:30", "Städ"),
		// k1 declined: not paid, no declined_share.
		visit("2024-04-09 09:00", "2024-04-09 09:05", "Dusch", func(v *models.Visit) { v.Declined = true }),
		// k2: two staff but no double staffing ordered, counted once; cap 60 min.
		visit("2024-04-02 09:00", "2024-04-02 09:40", "Dusch", k2, two),
		visit("2024-04-10 09:00", "2024-04-10 09:30", "Dusch", k2),
	}
	// Cap at the granted minutes: k1 30 × 1 × 30 ÷ 7 = 128.57 → 129, × 2 staff = 258; k2 60.
	comp := sprintf(performedCare, `, "params": {"cap": "granted"}`)
	s := settle(t, mustBook(t, doc(comp, `"time_rounding": {"mode": "nearest", "minimum_minutes": {"natt": 15}}`)), ds)
	want := []row{
		// dag: 50 staff min × 400 ÷ 60 = 333.33
		{"k1", "omsorg", "", "care", "tätort", "dag", "50", "400", "", "333.33"},
		// kväll: 20 × 450 ÷ 60 = 150.00
		{"k1", "omsorg", "", "care", "tätort", "kväll", "20", "450", "", "150.00"},
		// natt: 20 + 15 = 35 × 500 ÷ 60 = 291.67
		{"k1", "omsorg", "", "care", "tätort", "natt", "35", "500", "", "291.67"},
		// helg: 30 × 475 ÷ 60 = 237.50
		{"k1", "omsorg", "", "care", "tätort", "helg", "30", "475", "", "237.50"},
		// k2: 40 + 30 = 70 performed, cap 60: the last 10 min of 10 April are cut.
		// 60 × 400 ÷ 60 = 400.00
		{"k2", "omsorg", "", "care", "landsbygd", "dag", "60", "400", "", "400.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	wantUnpaid := []unpaidRow{
		{"v005", NoDecision, 30},
		{"v006", Declined, 5},
		// v007: two staff present, double staffing not ordered: the
		// second staff member's 40 minutes are not paid.
		{"v007", ExtraStaff, 40},
		{"v008", AboveCap, 10},
	}
	if diff := cmp.Diff(wantUnpaid, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
	// Performed, the approved visits not declined of the categories k1
	// has granted time in (care): 50 + 40 + 7 + 30 = 127; not the 30 min
	// of service no decision grants; the night minimum is paid, not
	// performed.
	if got := s.Customers[0].PerformedMinutes; got != 127 {
		t.Errorf("k1 performed = %d, want 127", got)
	}
	if got := s.Customers[0].DeclinedVisits; got != 1 {
		t.Errorf("k1 declined = %d, want 1", got)
	}
}

func TestMinimumExecution(t *testing.T) {
	ds := data()
	ds.Customers = append(ds.Customers, models.Customer{ID: "k3", Zone: "tätort"})
	item := []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 100, Times: 1, Per: models.PerMonth}}
	for _, c := range []string{"k1", "k2", "k3"} {
		ds.Decisions = append(ds.Decisions, models.Decision{ID: "b" + c, Customer: c, Provider: "egen",
			ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"), Items: item})
	}
	// Granted 100 min each. Performed: k1 81 (above), k2 80 (at), k3 79 (below).
	for c, m := range map[string]int{"k1": 81, "k2": 80, "k3": 79} {
		v := visit("2024-04-02 08:00", "2024-04-02 08:00", "Dusch", func(v *models.Visit) { v.Customer = c })
		v.End = v.Start.Add(timeMinutes(m))
		ds.Visits = append(ds.Visits, v)
	}
	rate := `"rate": "table(\"timpris\", category, zone)"`
	tests := []struct {
		name, params string
		want         row // k3's line; k1 and k2 are paid in full
	}{
		// 100 min × 448 ÷ 60 = 746.67 in full; k3 at 79 performed × 448 ÷ 60 = 589.87.
		{"performed", `{"threshold": "0.80", "below": "performed"}`, row{"k3", "me", "performed", "care", "tätort", "", "79", "448.00", "", "589.87"}},
		// 100 × 448 × 0.9 ÷ 60 = 672.00
		{"deduction", `{"threshold": "0.80", "below": "deduction", "deduction": "0.10"}`, row{"k3", "me", "deduction", "care", "tätort", "", "100", "448.00", "0.90", "672.00"}},
		// 100 × 448 × 0.79 ÷ 60 = 589.87 (589.8666…)
		{"share", `{"threshold": "0.80", "below": "share"}`, row{"k3", "me", "share", "care", "landsbygd", "", "100", "480.00", "0.7900", "632.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsx := *ds
			if tt.name == "share" {
				// Move k3 to landsbygd: 100 × 480 × 0.79 ÷ 60 = 632.00.
				dsx.Customers = append([]models.Customer(nil), ds.Customers...)
				dsx.Customers[2].Zone = "landsbygd"
			}
			comp := `{"name": "me", "strategy": "minimum_execution", "when": "category == \"care\"", ` + rate + `, "params": ` + tt.params + `}`
			s := settle(t, mustBook(t, doc(comp)), &dsx)
			full := row{"", "me", "", "care", "tätort", "", "100", "448.00", "", "746.67"}
			k1, k2 := full, full
			k1.Customer, k2.Customer = "k1", "k2"
			k2.Zone, k2.Rate, k2.Amount = "landsbygd", "480.00", "800.00" // 100 × 480 ÷ 60
			if diff := cmp.Diff([]row{k1, k2, tt.want}, rows(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if s.Lines[2].Explanation == nil || !containsStep(s.Lines[2].Explanation.Steps, "andel 0.7900 < tröskeln 0.80") {
				t.Errorf("explanation does not give the share and branch: %+v", s.Lines[2].Explanation)
			}
		})
	}
}

func TestPerVisitListingOccurrenceMonthly(t *testing.T) {
	ds := data()
	nurse := func(v *models.Visit) { v.Role = models.Nurse }
	ds.Visits = []models.Visit{
		visit("2024-04-02 10:00", "2024-04-02 10:30", "Besök", nurse),
		visit("2024-04-03 10:00", "2024-04-03 10:20", "Besök", nurse),
		visit("2024-04-03 11:00", "2024-04-03 11:20", "Besök"), // care staff: no component pays it
		visit("2024-04-04 10:00", "2024-04-04 10:01", "Besök", nurse, func(v *models.Visit) { v.Declined = true }),
	}
	ds.Listings = []models.Listing{{ID: "l1", Customer: "k1", Provider: "egen", Kind: models.ListingHomeHealthCare, From: d("2024-04-11"), To: d("2024-05-31")}}
	ds.AlarmEvents = []models.AlarmEvent{
		{ID: "e1", Customer: "k2", Provider: "egen", Time: at("2024-04-05 03:00")},
		{ID: "e2", Customer: "k2", Provider: "egen", Time: at("2024-04-06 14:00")},
		{ID: "e3", Customer: "k2", Provider: "egen", Time: at("2024-05-01 14:00")}, // next month
	}
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k2", Provider: "egen", ValidFrom: d("2024-04-16"), ExecutionStarted: d("2024-04-16"),
		Items: []models.GrantedItem{{Task: "Larm", Category: models.Alarm, Minutes: 1, Times: 1, Per: models.PerMonth}}}}
	ds.Tasks = append(ds.Tasks, ksiLocal("Larm", "alarm"))
	comps := `{"name": "hembesök", "strategy": "per_visit", "when": "licensed", "rate": "table(\"styck\", zone)", "params": {"declined_share": "0.4"}},
	{"name": "listning", "strategy": "per_listing", "rate": "table(\"månad\")"},
	{"name": "larmsamtal", "strategy": "per_occurrence", "rate": "table(\"band\", band)"},
	{"name": "larmavgift", "strategy": "fixed_monthly", "when": "category == \"alarm\"", "rate": "table(\"månad\")"}`
	s := settle(t, mustBook(t, doc(comps)), ds)
	want := []row{
		// 2 visits × 250 = 500.00
		{"k1", "hembesök", "", "home_health_care", "tätort", "", "2", "250", "", "500.00"},
		// declined: 1 × 250 × 0.4 = 100.00
		{"k1", "hembesök", "declined", "home_health_care", "tätort", "", "1", "250", "0.4", "100.00"},
		// enrolled 11–30 April: 20 days × 1200 ÷ 30 = 800.00
		{"k1", "listning", "", "home_health_care", "tätort", "", "20", "1200", "", "800.00"},
		// alarm calls: one at night (500), one on Saturday day (helg, 475)
		{"k2", "larmsamtal", "", "", "landsbygd", "natt", "1", "500", "", "500.00"},
		{"k2", "larmsamtal", "", "", "landsbygd", "helg", "1", "475", "", "475.00"},
		// alarm from 16 April: 15 days × 1200 ÷ 30 = 600.00
		{"k2", "larmavgift", "", "alarm", "landsbygd", "", "15", "1200", "", "600.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantUnpaid := []unpaidRow{{"v003", NoComponent, 20}, {"e3", OutsidePeriod, 0}}
	if diff := cmp.Diff(wantUnpaid, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

func TestLevel(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{
		// 15 min × 2 per day over a whole April = 900 min = 15 h → level 3 (15–<25 h).
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 15, Times: 2, Per: models.PerDay}}},
		// 4 h a month, started 21 April: level 1, 10 of 30 days.
		{ID: "b2", Customer: "k2", Provider: "egen", ValidFrom: d("2024-04-21"), ExecutionStarted: d("2024-04-21"),
			Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, MinutesPerMonth: 240}}},
	}
	comp := `{"name": "nivå", "strategy": "level", "rate": "table(\"nivå\", level)",
	  "params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "5"}, {"name": "3", "from_hours": "15"}, {"name": "4", "from_hours": "25"}]}}`
	tables := `"tables": {"nivå": {"keys": ["level"], "rates": {"1": "3000", "2": "6000", "3": "9000", "4": "12000"}}}`
	src := doc(comp)
	src = src[:indexOf(src, `"tables"`)] + tables + ",\n" + src[indexOf(src, `"components"`):]
	s := settle(t, mustBook(t, src), ds)
	want := []row{
		// 30 days × 9000 ÷ 30 = 9000.00
		{"k1", "nivå", "", "care", "tätort", "", "30", "9000", "", "9000.00"},
		// 10 days × 3000 ÷ 30 = 1000.00
		{"k2", "nivå", "", "service", "landsbygd", "", "10", "3000", "", "1000.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestLevelPaused: a level decision (nivåbeslut) pays no day an absence
// pauses it, as granted_time pays none (found by attack: a hospital stay
// was paid at the full level), and the pause leaves the level of the
// other days that of the month's grant.
func TestLevelPaused(t *testing.T) {
	ds := data()
	// k1: 600 min a month = 10 h → level 2 (5–<15 h), in hospital 11–20
	// April (10 days). k2: 300 min a month = 5 h → level 2, in hospital
	// 29 March–2 April (1–2 April in the month), started 2 April.
	ds.Decisions = []models.Decision{
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}},
		{ID: "b2", Customer: "k2", Provider: "egen", ValidFrom: d("2024-04-02"), ExecutionStarted: d("2024-04-02"),
			Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, MinutesPerMonth: 300}}},
	}
	ds.Absences = []models.Absence{
		{ID: "a1", Customer: "k1", From: d("2024-04-11"), To: d("2024-04-20"), Reason: models.Hospital},
		{ID: "a2", Customer: "k2", From: d("2024-03-29"), To: d("2024-04-02"), Reason: models.Hospital},
	}
	comp := `{"name": "nivå", "strategy": "level", "rate": "table(\"nivå\", level)",
	  "params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "5"}, {"name": "3", "from_hours": "15"}]}}`
	tables := `"tables": {"nivå": {"keys": ["level"], "rates": {"1": "3000", "2": "6000", "3": "9000"}}}`
	src := doc(comp)
	src = src[:indexOf(src, `"tables"`)] + tables + ",\n" + src[indexOf(src, `"components"`):]
	s := settle(t, mustBook(t, src), ds)
	want := []row{
		// 30 − 10 paused = 20 days × 6000 ÷ 30 = 4000.00
		{"k1", "nivå", "", "care", "tätort", "", "20", "6000", "", "4000.00"},
		// in force 2–30 April = 29 days, 2 April paused: 28 × 6000 ÷ 30 = 5600.00
		{"k2", "nivå", "", "service", "landsbygd", "", "28", "6000", "", "5600.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The paused days, absent: k1's 10 days of 600 min a month = 200
	// min; k2's 1 day of 300 = 10 min.
	var got []string
	for _, u := range s.NotPaid {
		got = append(got, sprintf("%s %s %d min %d days", u.ID, u.Reason, u.Minutes, u.Days))
	}
	if diff := cmp.Diff([]string{"b1 absent 200 min 10 days", "b2 absent 10 min 1 days"}, got); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// TestLevelManyItems: a decision of more items than level compares in
// turn (8) counts each item once, looked up in a map past the eighth.
func TestLevelManyItems(t *testing.T) {
	ds := data()
	var items []models.GrantedItem
	for range 12 {
		items = append(items, models.GrantedItem{Task: "Dusch", Category: models.Care, MinutesPerMonth: 100})
	}
	// 12 items × 100 min = 1200 min = 20 h → level 3 (15–<25 h); each
	// item counted twice would be 40 h (level 4), the first 8 only
	// 13.3 h (level 2).
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"),
		ExecutionStarted: d("2024-01-01"), Items: items}}
	comp := `{"name": "nivå", "strategy": "level", "rate": "table(\"nivå\", level)",
	  "params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "5"}, {"name": "3", "from_hours": "15"}, {"name": "4", "from_hours": "25"}]}}`
	tables := `"tables": {"nivå": {"keys": ["level"], "rates": {"1": "3000", "2": "6000", "3": "9000", "4": "12000"}}}`
	src := doc(comp)
	src = src[:indexOf(src, `"tables"`)] + tables + ",\n" + src[indexOf(src, `"components"`):]
	s := settle(t, mustBook(t, src), ds)
	// 30 days × 9000 ÷ 30 = 9000.00
	want := []row{{"k1", "nivå", "", "care", "tätort", "", "30", "9000", "", "9000.00"}}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSurchargeAndRelativeCap(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "priv", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	priv := func(v *models.Visit) { v.Provider = "priv" }
	ds.Visits = []models.Visit{
		visit("2024-04-02 10:00", "2024-04-02 11:40", "Dusch", priv), // 100 min SoL
		visit("2024-04-03 10:00", "2024-04-03 10:12", "HSL", priv),   // 12 min HSL
		visit("2024-04-04 10:00", "2024-04-04 10:10", "HSL", priv),   // 10 min HSL
	}
	comps := `{"name": "sol", "strategy": "performed_time", "when": "category == \"care\"", "rate": "table(\"timpris\", category, zone)"},
	{"name": "hsl", "strategy": "performed_time", "when": "category == \"delegated_hsl\"", "rate": "table(\"timpris\", category, zone)",
	 "params": {"require_decision": false, "cap": "performed[\"sol\"] * 0.17"}}`
	adj := `"adjustments": [{"name": "moms", "kind": "surcharge", "components": ["sol", "hsl"], "when": "ownership == \"private\"", "percent": "1.5"}]`
	s := settle(t, mustBook(t, doc(comps, adj)), ds)
	want := []row{
		// 100 × 448 ÷ 60 = 746.67
		{"k1", "sol", "", "care", "tätort", "", "100", "448.00", "", "746.67"},
		// cap 100 × 0.17 = 17 min of the 22 performed: 17 × 448 ÷ 60 = 126.93
		{"k1", "hsl", "", "delegated_hsl", "tätort", "", "17", "448.00", "", "126.93"},
		// 1.5 % of 746.67 + 126.93 = 873.60 → 13.104 → 13.10
		{"k1", "moms", "", "", "tätort", "", "873.60", "1.5", "", "13.10"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// 12 + 10 = 22 performed, 17 paid: the last 5 minutes, of v003, are above the cap.
	if diff := cmp.Diff([]unpaidRow{{"v003", AboveCap, 5}}, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

func TestPerActivity(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{
			{Task: "Dusch", KSI: ksiCode("SME RB ZZ"), Category: models.Care, Minutes: 15, Times: 2, Per: models.PerDay},
			{Task: "Städ", KSI: ksiCode("WZZ RB ZZ"), Category: models.Service, Minutes: 60, Times: 1, Per: models.PerWeek},
			{Task: "Städ", Category: models.Service, MinutesPerMonth: 30},
		}}}
	// In hospital 11–20 April: 20 of 30 days paid.
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k1", From: d("2024-04-11"), To: d("2024-04-20"), Reason: models.Hospital}}
	comp := `{"name": "aktivitet", "strategy": "per_activity", "rate": "table(\"pris\", ksi)"}`
	src := doc(comp)
	src = strings.Replace(src, `"tables": {`, `"tables": {"pris": {"keys": ["ksi"], "rates": {"SME RB ZZ": "112.00", "WZZ RB ZZ": "439.00", "*": "0"}},`, 1)
	s := settle(t, mustBook(t, src), ds)
	want := []row{
		// Cleaning once a week: 20 ÷ 7 = 2.86 → 3 activities × 439.00 = 1317.00.
		{"k1", "aktivitet", "", "service", "tätort", "", "3", "439.00", "", "1317.00"},
		// Dressing support twice a day, 20 paid days = 40 activities × 112.00 = 4480.00.
		{"k1", "aktivitet", "", "care", "tätort", "", "40", "112.00", "", "4480.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The monthly item has no activities: 30 × 20 ÷ 30 = 20 minutes of its
	// 20 paid days reported, its 10 days in hospital absent apart, 30 × 10
	// ÷ 30 = 10 min. The 10 days in hospital are reported absent for the
	// others too: cleaning 60 × 10 ÷ 7 = 85.7 → 86 min, dressing support
	// 15 × 2 × 10 = 300 min.
	if diff := cmp.Diff([]unpaidRow{{"b1", Absent, 10}, {"b1", NoComponent, 20}, {"b1", Absent, 86}, {"b1", Absent, 300}}, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A cap the probe could not see below zero (it depends on the period)
// pays nothing, however large: −10²⁷ minutes once wrapped around when
// made an integer and paid the visit in full. The 30 minutes are
// reported above the cap; a cap of 10¹⁸ or more is no number an
// expression gives (see DivisionPlaces), and is a rate error.
func TestHugeNegativeCap(t *testing.T) {
	for capExpr, why := range map[string]Reason{"-1000000000 * 1000000000 * 1000000000": RateError,
		"-1000000 * 1000000 * 1000000": RateError, "-999999999 * 999999999": AboveCap, "-0.5": AboveCap} {
		ds := data()
		ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch")}
		comp := `{"name": "sol", "strategy": "performed_time", "when": "category == 'care'", "rate": "400",
		  "params": {"require_decision": false, "cap": "period == '2024-04' ? ` + capExpr + ` : 0"}}`
		s := settle(t, mustBook(t, doc(comp)), ds)
		if len(s.Lines) != 0 {
			t.Errorf("cap %s: lines %v, want none", capExpr, rows(s))
		}
		if diff := cmp.Diff([]unpaidRow{{"v001", why, 30}}, unpaid(s)); diff != "" {
			t.Errorf("cap %s: not paid (-want +got):\n%s", capExpr, diff)
		}
	}
}

// An adjustment's condition may read the customer: the customers of one
// provider are told apart, though the engine shares evaluations where
// the condition reads no ids. k1 and k2 each have a 60-minute visit at
// 400 kr/h (400.00 kr); only k2 gets the 10 % surcharge (40.00 kr).
func TestAdjustmentByCustomer(t *testing.T) {
	ds := data()
	ds.Visits = []models.Visit{
		visit("2024-04-02 10:00", "2024-04-02 11:00", "Dusch"),
		visit("2024-04-03 10:00", "2024-04-03 11:00", "Dusch", func(v *models.Visit) { v.Customer = "k2" }),
	}
	comp := `{"name": "sol", "strategy": "performed_time", "when": "category == 'care'", "rate": "400", "params": {"require_decision": false}}`
	adj := `"adjustments": [{"name": "tillägg", "kind": "surcharge", "components": ["sol"], "when": "customer == 'k2'", "percent": "10"}]`
	s := settle(t, mustBook(t, doc(comp, adj)), ds)
	want := []row{
		{"k1", "sol", "", "care", "tätort", "", "60", "400", "", "400.00"},
		{"k2", "sol", "", "care", "landsbygd", "", "60", "400", "", "400.00"},
		{"k2", "tillägg", "", "", "landsbygd", "", "400.00", "10", "", "40.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDeclinedNeedsDecision: a declined visit is paid its share only when
// a started decision covers it, as a performed one is (found by attack:
// declined visits before the decision was started, or of a category it
// does not grant, were paid their share).
func TestDeclinedNeedsDecision(t *testing.T) {
	ds := data()
	// k1's care decision is started on 20 April; k2's never is.
	ds.Decisions = []models.Decision{
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-04-20"), ExecutionStarted: d("2024-04-20"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}},
		{ID: "b2", Customer: "k2", Provider: "egen", ValidFrom: d("2024-04-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}},
	}
	declined := func(v *models.Visit) { v.Declined = true }
	k2 := func(v *models.Visit) { v.Customer = "k2" }
	ds.Visits = []models.Visit{
		visit("2024-04-05 10:00", "2024-04-05 11:00", "Dusch", declined),     // v001: before the start
		visit("2024-04-07 10:00", "2024-04-07 10:50", "Städ", declined),      // v002: service, never granted
		visit("2024-04-08 10:00", "2024-04-08 10:30", "Dusch", declined, k2), // v003: k2's decision not started
		visit("2024-04-22 10:00", "2024-04-22 10:40", "Dusch", declined),     // v004: covered
		visit("2024-04-23 10:00", "2024-04-23 10:20", "Dusch"),               // v005: covered
	}
	for _, comps := range []string{
		`{"name": "tid", "strategy": "performed_time", "rate": "480", "params": {"declined_share": "0.75"}}`,
		`{"name": "tid", "strategy": "per_visit", "rate": "100", "params": {"require_decision": true, "declined_share": "0.75"}}`,
	} {
		s := settle(t, mustBook(t, doc(comps)), ds)
		var want []row
		if indexOf(comps, "per_visit") < 0 {
			want = []row{
				// v005: 20 × 480 ÷ 60 = 160.00
				{"k1", "tid", "", "care", "tätort", "", "20", "480", "", "160.00"},
				// v004: 40 × 480 × 0.75 ÷ 60 = 240.00
				{"k1", "tid", "declined", "care", "tätort", "", "40", "480", "0.75", "240.00"},
			}
		} else {
			want = []row{
				// v005: 1 × 100 = 100.00
				{"k1", "tid", "", "care", "tätort", "", "1", "100", "", "100.00"},
				// v004: 1 × 100 × 0.75 = 75.00
				{"k1", "tid", "declined", "care", "tätort", "", "1", "100", "0.75", "75.00"},
			}
		}
		if diff := cmp.Diff(want, rows(s)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", comps, diff)
		}
		var visits []string
		for _, u := range s.NotPaid {
			if u.Kind == RecordVisit {
				visits = append(visits, u.ID+" "+u.Reason.String())
			}
		}
		if diff := cmp.Diff([]string{"v001 no_decision", "v002 no_decision", "v003 not_started"}, visits); diff != "" {
			t.Errorf("%s: visits not paid (-want +got):\n%s", comps, diff)
		}
	}
}
