package reimbursement

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/models"
)

// The constructs of the tariff cookbook (examples/tariff-cookbook) that
// its own test does not reach: load-time errors, the band a per_visit
// component counts a visit in, and the expression helpers.

func TestCookbookParamErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"instead_of unknown", doc(`{"name": "a", "strategy": "performed_time", "rate": "1", "instead_of": ["b"]}`),
			`components[0].instead_of[0] (a): no component "b"`},
		{"instead_of itself", doc(`{"name": "a", "strategy": "performed_time", "rate": "1", "instead_of": ["a"]}`),
			`components[0].instead_of[0] (a): a component cannot take precedence over itself`},
		{"rounding per", doc(`{"name": "a", "strategy": "performed_time", "rate": "1"}`, `"rounding": {"scale": 2, "per": "visit"}`),
			`rounding: per "visit": want line or unit`},
		{"prorate", doc(`{"name": "a", "strategy": "fixed_monthly", "rate": "1", "params": {"prorate": "weeks"}}`),
			`components[0].params.prorate (a): "weeks": want one of days, none, min_days`},
		{"absence reason", doc(`{"name": "a", "strategy": "absence", "rate": "1", "params": {"ladder": [{"days": 1, "share": "1"}], "reasons": ["vacation"]}}`),
			`components[0].params.reasons (a): [0]: unknown absence reason "vacation" (want one of hospital`},
		{"one_off without on", doc(`{"name": "a", "strategy": "one_off", "rate": "1"}`),
			`components[0].params.on (a): missing`},
		{"per_visit band", doc(`{"name": "a", "strategy": "per_visit", "rate": "1", "params": {"band": "middle"}}`),
			`components[0].params.band (a): "middle": want one of start, end, longest`},
		{"standard_time without minutes", doc(`{"name": "a", "strategy": "standard_time", "rate": "1"}`),
			`components[0].params.minutes (a): missing`},
	}
	for _, tt := range tests {
		_, err := ParseVersion(strings.NewReader(tt.src), "test.json")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v\nwant one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestPerVisitBandChoice(t *testing.T) {
	// Tue 2 April 21:30–22:45: 30 min kväll, 45 min natt. The rate reads
	// the band the visit counts in: kväll 450, natt 500.
	for _, tt := range []struct{ band, want string }{
		{"start", "kväll 450"},
		{"end", "natt 500"},
		{"longest", "natt 500"},
	} {
		ds := data()
		ds.Visits = []models.Visit{visit("2024-04-02 21:30", "2024-04-02 22:45", "Tillsyn")}
		comps := `{"name": "besök", "strategy": "per_visit", "rate": "table('band', band)", "params": {"band": "` + tt.band + `"}}`
		s := settle(t, mustBook(t, doc(comps)), ds)
		if len(s.Lines) != 1 {
			t.Fatalf("%s: %d lines", tt.band, len(s.Lines))
		}
		if got := s.Lines[0].Band + " " + s.Lines[0].Rate.String(); got != tt.want {
			t.Errorf("band %s: got %s, want %s", tt.band, got, tt.want)
		}
	}
}

func TestVisitFacts(t *testing.T) {
	// v1 Tue 2 April 18:30–22:10 touches dag, kväll and natt, 220 min;
	// v2 10:00–10:20 only dag. The when reads the whole visit's facts in
	// each segment: v1's 220 min are paid (30 dag + 180 kväll + 10 natt
	// at 448 kr/h: 220 × 448 ÷ 60 = 1642.666… → 1642.67), v2 is not.
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}}}
	ds.Visits = []models.Visit{
		visit("2024-04-02 18:30", "2024-04-02 22:10", "Dusch"),
		visit("2024-04-03 10:00", "2024-04-03 10:20", "Dusch"),
	}
	comps := `{"name": "lång", "strategy": "performed_time",
		"when": "minutes > 60 && has(bands, 'kväll') && start_band == 'dag' && end_band == 'natt' && longest_band == 'kväll'",
		"rate": "table('timpris', category, zone)"}`
	s := settle(t, mustBook(t, doc(comps)), ds)
	want := []row{{"k1", "lång", "", "care", "tätort", "", "220", "448.00", "", "1642.67"}}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAttrAndHas(t *testing.T) {
	attrs := joinAttributes(map[string]string{"klass": "B", "avtal": "2024"})
	if attrs != "avtal=2024|klass=B" {
		t.Errorf("joined %q", attrs)
	}
	for _, tt := range []struct{ key, want string }{{"klass", "B"}, {"avtal", "2024"}, {"zon", ""}, {"kla", ""}} {
		if got := attrOf(attrs, tt.key); got != tt.want {
			t.Errorf("attr(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
	if !hasIn("dag|natt", "natt") || hasIn("dag|natt", "nat") || hasIn("", "natt") {
		t.Error("has: wrong answer")
	}
}

// TestStrategiesDocumented: the package documentation names every
// registered strategy and every parameter of each, so that a tariff
// author finds them in go doc, not only in the code.
func TestStrategiesDocumented(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, name := range Strategies() {
		if !strings.Contains(text, "//\t"+name+" ") {
			t.Errorf("doc.go does not document strategy %s", name)
		}
		st, _ := lookupStrategy(name)
		for _, p := range st.Params() {
			if !strings.Contains(text, p.Name) {
				t.Errorf("doc.go does not document parameter %s of %s", p.Name, name)
			}
		}
	}
}

// cookbookData is a month of April 2024 that reaches every construct of
// the cookbook: night, declined and planned visits, standard-time tasks,
// an absence, a new decision, a subscription item, a listing and a
// provider with a contract and attributes.
func cookbookData() *models.Dataset {
	ds := data()
	ds.Providers[1].Contract, ds.Providers[1].VATRegistered = "service", true
	ds.Providers[1].Attributes = map[string]string{"klass": "B"}
	ds.Tasks = append(ds.Tasks, ksiLocal("Larm", "alarm"))
	planned := func(m int) func(*models.Visit) { return func(v *models.Visit) { v.PlannedMinutes = m } }
	declined := func(v *models.Visit) { v.Declined = true }
	ds.Decisions = []models.Decision{
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 2, Per: models.PerDay},
				{Task: "Städ", Category: models.Service, Minutes: 60, Times: 2, Per: models.PerMonth}}},
		{ID: "b2", Customer: "k2", Provider: "priv", ValidFrom: d("2024-04-10"), ExecutionStarted: d("2024-04-10"),
			Items: []models.GrantedItem{{Task: "Tillsyn", Category: models.Care, Minutes: 15, Times: 1, Per: models.PerDay},
				{Task: "Larm", Category: models.Alarm, Subscription: true}}},
	}
	ds.Visits = []models.Visit{
		visit("2024-04-02 21:30", "2024-04-02 22:40", "Dusch", planned(60)),
		visit("2024-04-03 10:00", "2024-04-03 10:02", "Städ", declined, planned(60)),
		visit("2024-04-04 06:40", "2024-04-04 07:10", "Tillsyn"),
		visit("2024-04-05 10:00", "2024-04-05 11:10", "Städ"),
	}
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k1", From: d("2024-04-15"), To: d("2024-04-20"), Reason: models.Hospital}}
	ds.Listings = []models.Listing{{ID: "l1", Customer: "k2", Provider: "priv", Kind: models.ListingHomeHealthCare, From: d("2024-04-20")}}
	return ds
}

// FuzzCookbookTariff settles the cookbook's month under arbitrary tariffs
// seeded with the cookbook's own: a tariff the loader accepts must settle
// without error and its lines must add up to the total.
func FuzzCookbookTariff(f *testing.F) {
	names, _ := filepath.Glob("../examples/tariff-cookbook/*/tariffs/*.json")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(strings.ReplaceAll(string(b), `"zones": [
    "tätort"
  ]`, `"zones": ["tätort", "landsbygd"]`))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		v, err := ParseVersion(strings.NewReader(src), "fuzz.json")
		if err != nil {
			return
		}
		b, err := NewBook(v)
		if err != nil {
			return
		}
		s, err := Settle(context.Background(), b, cookbookData(), april2024, Options{})
		if err != nil {
			t.Fatalf("an accepted tariff cannot settle: %v", err)
		}
		var sum decimal.Decimal
		for _, l := range s.Lines {
			sum = sum.Add(l.Amount.Decimal)
		}
		if !sum.Equal(s.Total.Decimal) {
			t.Fatalf("lines sum to %s, total %s", sum, s.Total)
		}
	})
}

// min_days is checked at load, and the absence strategy's reasons take
// the same spellings as granted_time's absence_reasons (Swedish aliases).
func TestCookbookParamsAtLoad(t *testing.T) {
	_, err := ParseVersion(strings.NewReader(doc(`{"name": "a", "strategy": "fixed_monthly", "rate": "1",
  "params": {"prorate": "min_days", "min_days": "40"}}`)), "test.json")
	if err == nil || !strings.Contains(err.Error(), "components[0].params.min_days (a)") {
		t.Errorf("min_days 40: %v", err)
	}
	v, err := ParseVersion(strings.NewReader(doc(`{"name": "a", "strategy": "absence", "rate": "1",
  "params": {"ladder": [{"days": 1, "share": "1"}], "reasons": ["sjukhus"]}}`)), "test.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := v.components[0].param("reasons").Strings(); len(got) != 1 || got[0] != "hospital" {
		t.Errorf("reasons = %q, want [hospital]", got)
	}
}
