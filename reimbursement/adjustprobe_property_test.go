package reimbursement

import (
	"context"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
)

// An adjustment whose when reads only what the load enumerates (zone,
// ownership, VAT registration, tables, the string functions) and loads
// is never reported rate_error at settlement, for customers in every
// zone with providers of every ownership and registration, one of them
// in a zone the tariff does not price: what can be known at load was
// checked at load. The whens are built of atoms that fail somewhere (a
// division by zero in tätort, a table lacking landsbygd's own operation,
// a zero divisor for own operation) joined by &&, ||, ! and ?:.
func TestPropertyAdjustmentWhenCheckedAtLoad(t *testing.T) {
	safe := []string{"zone == 'tätort'", "ownership == 'own'", "vat_registered", "table('styck', zone) > 260",
		"lower(zone) == 'landsbygd'", "trim(upper(zone)) == 'TÄTORT'", "table('t3', ownership) / table('t3', 'private') > 0",
		"round(table('styck', zone) / 3, 1) > 83.3"}
	risky := []string{"1 / (table('styck', zone) - 250) > 0", "table('t2', zone, ownership) > 0",
		"(vat_registered ? 1 : 0) / (ownership == 'own' ? 1 : 0) > 0"}
	tables := `"månad": {"keys": [], "rates": "1200"},
    "t2": {"keys": ["zone", "ownership"], "rates": {"tätort": {"own": "1", "private": "2"}, "landsbygd": {"private": "3"}}},
    "t3": {"keys": ["ownership"], "rates": {"own": "0", "private": "2"}}`
	ds := data()
	ds.Customers = append(ds.Customers, models.Customer{ID: "k3", Zone: "Okänd"})
	ds.Providers = append(ds.Providers, models.Provider{ID: "egenv", Name: "E", Ownership: models.OwnOperation, VATRegistered: true},
		models.Provider{ID: "privv", Name: "P", Ownership: models.Private, VATRegistered: true})
	for _, c := range []string{"k1", "k2", "k3"} {
		for _, p := range []string{"egen", "priv", "egenv", "privv"} {
			ds.Visits = append(ds.Visits, visit("2024-04-02 10:00", "2024-04-02 11:00", "Dusch", func(v *models.Visit) { v.Customer, v.Provider = c, p }))
		}
	}
	loaded := 0
	rapid.Check(t, func(t *rapid.T) {
		var gen func(depth int) string
		gen = func(depth int) string {
			if depth == 0 || rapid.IntRange(0, 2).Draw(t, "leaf") == 0 {
				if rapid.IntRange(0, 3).Draw(t, "risky") == 0 {
					return risky[rapid.IntRange(0, len(risky)-1).Draw(t, "atom")]
				}
				return safe[rapid.IntRange(0, len(safe)-1).Draw(t, "atom")]
			}
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				return "(" + gen(depth-1) + ") && (" + gen(depth-1) + ")"
			case 1:
				return "(" + gen(depth-1) + ") || (" + gen(depth-1) + ")"
			case 2:
				return "!(" + gen(depth-1) + ")"
			}
			return "((" + gen(depth-1) + ") ? (" + gen(depth-1) + ") : (" + gen(depth-1) + "))"
		}
		when := gen(3)
		// The rate reads t2 (of tätort only), so that a when need not.
		comps := `{"name": "u", "strategy": "performed_time", "rate": "500 + table('t2', 'tätort', ownership)", "params": {"require_decision": false}}`
		adj := `"adjustments": [{"name": "moms", "kind": "surcharge", "components": ["u"], "when": "` + when + `", "percent": "6"}]`
		src := strings.Replace(doc(comps, adj), `"månad": {"keys": [], "rates": "1200"}`, tables, 1)
		v, err := ParseVersion(strings.NewReader(src), "test.json")
		if err != nil {
			return
		}
		loaded++
		b, err := NewBook(v)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Settle(context.Background(), b, ds, april2024, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range s.NotPaid {
			if u.Reason == RateError {
				t.Fatalf("when %s loaded, and settlement reported %+v", when, u)
			}
		}
	})
	if loaded == 0 {
		t.Error("no when loaded")
	}
	t.Logf("%d whens loaded", loaded)
}
