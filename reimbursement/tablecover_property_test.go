package reimbursement_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// A table is held at load to what the probe looks up in it, no more (see
// tableGaps): that must be enough. A tariff of one table with a random
// part of its combinations, read by a component of a random strategy
// under a random when, either is refused or settles generated months
// without a lookup that finds no rate.
func TestPropertyTableCoverIsEnough(t *testing.T) {
	domains := map[string][]string{
		"day_kind":  {"weekday", "saturday", "sunday", "holiday"},
		"band":      {"dag", "kväll", "natt", "helg"},
		"zone":      {"tätort", "landsbygd"},
		"category":  {"service", "care", "delegated_hsl", "home_health_care", "alarm"},
		"ownership": {"own", "private"},
		"role":      {"care_staff", "nurse"},
	}
	names := []string{"day_kind", "band", "zone", "category", "ownership", "role"}
	whens := []string{"", "zone == 'landsbygd'", "category in ['care', 'service']", "band != 'natt'", "day_kind == 'weekday'",
		"category == 'care' || zone == 'tätort'", "band == 'helg' || day_kind == 'weekday'", "ownership == 'private' && category == 'care'",
		"role == 'nurse'", "has(bands, 'natt')"}
	strategies := []string{"performed_time", "per_visit", "per_visit:end", "per_visit:longest", "granted_time", "per_occurrence"}
	var loaded atomic.Int64
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		k := rapid.IntRange(1, 3).Draw(t, "keys")
		keys := rapid.SliceOfNDistinct(rapid.SampledFrom(names), k, k, func(s string) string { return s }).Draw(t, "key names")
		var build func(level int) any
		build = func(level int) any {
			if level == len(keys) {
				return "100"
			}
			m := map[string]any{}
			for _, v := range domains[keys[level]] {
				if rapid.IntRange(0, 9).Draw(t, "keep") < 8 {
					m[v] = build(level + 1)
				}
			}
			if rapid.IntRange(0, 19).Draw(t, "wild") == 0 {
				m["*"] = build(level + 1)
			}
			return m
		}
		rates, _ := json.Marshal(build(0))
		ks, _ := json.Marshal(keys)
		strategy, band, _ := strings.Cut(rapid.SampledFrom(strategies).Draw(t, "strategy"), ":")
		params := ""
		if band != "" {
			params = `, "params": {"band": "` + band + `"}`
		}
		comp := `{"name": "c", "strategy": "` + strategy + `", "when": "` + rapid.SampledFrom(whens).Draw(t, "when") +
			`", "rate": "table('t', ` + strings.Join(keys, ", ") + `)"` + params + `}`
		src := `{"name": "T", "valid_from": "2000-01-01", "source": "test", "currency": "SEK", "zones": ["tätort", "landsbygd"],
  "tables": {"t": {"keys": ` + string(ks) + `, "rates": ` + string(rates) + `}},
  "components": [` + comp + `]}`
		v, err := reimbursement.ParseVersion(strings.NewReader(src), "t.json")
		if err != nil {
			return
		}
		loaded.Add(1)
		b, err := reimbursement.NewBook(v)
		if err != nil {
			t.Fatal(err)
		}
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 3, MaxProviders: 2, MaxVisits: 12}).Draw(t, "dataset")
		s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true})
		if err != nil {
			t.Fatalf("Settle: %v", err)
		}
		for _, u := range s.NotPaid {
			if u.Reason == reimbursement.RateError {
				t.Fatalf("a tariff that loaded failed a lookup: %s\n%s", u.Detail, src)
			}
		}
	})
	if loaded.Load() == 0 {
		t.Error("no tariff loaded: the property says nothing")
	}
	t.Logf("%d tariffs loaded", loaded.Load())
}
