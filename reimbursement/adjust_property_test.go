package reimbursement

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// An adjustment has one line in each zone where its condition holds, its
// base the sum of the amounts of its components' lines of the same case,
// version and zone, for any adjustments over any
// components of the mixed tariff (the sums are taken once per case, not
// per adjustment and line). Found by attack: the condition was judged in
// the zone of the month's first day for all of a moving customer's
// lines, so 10 % for landsbygd was paid on none or on all of them.
func TestAdjustmentBaseIsSumOfComponents(t *testing.T) {
	src, err := os.ReadFile("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	var comps []struct{ Name string }
	if err := json.Unmarshal(doc["components"], &comps); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range comps {
		names = append(names, c.Name)
	}
	ds := fixture.Month(16, 4)
	// Customers who move in the middle of the month have lines in two
	// zones.
	for i := range ds.Customers {
		if c := &ds.Customers[i]; i%3 == 0 {
			to := "landsbygd"
			if c.Zone == to {
				to = "tätort"
			}
			c.ZoneChanges = append(c.ZoneChanges, models.ZoneChange{From: april2024.FirstDay().AddDays(14), Zone: to})
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		type adj struct {
			Name       string   `json:"name"`
			Kind       string   `json:"kind"`
			Components []string `json:"components"`
			When       string   `json:"when,omitempty"`
			Percent    string   `json:"percent"`
		}
		var adjs []adj
		for i := range rapid.IntRange(1, 5).Draw(t, "adjustments") {
			picked := rapid.SliceOfNDistinct(rapid.SampledFrom(names), 1, len(names), rapid.ID).Draw(t, "components")
			adjs = append(adjs, adj{Name: fmt.Sprint("tillägg", i), Kind: "surcharge", Components: picked,
				When:    rapid.SampledFrom([]string{"", `ownership == "private"`, `zone != "tätort"`}).Draw(t, "when"),
				Percent: rapid.SampledFrom([]string{"1", "1.5", "12.25", "100"}).Draw(t, "percent")})
		}
		b, err := json.Marshal(adjs)
		if err != nil {
			t.Fatal(err)
		}
		doc["adjustments"] = b
		full, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		v, err := ParseVersion(strings.NewReader(string(full)), "mixed.json")
		if err != nil {
			t.Fatal(err)
		}
		book, err := NewBook(v)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Settle(context.Background(), book, ds, april2024, Options{NoExplain: true})
		if err != nil {
			t.Fatal(err)
		}
		// For each case, zone and adjustment, the lines of its components
		// in the order the settlement gives them (a case's lines are in
		// one run): an adjustment has one line a zone, on that zone's
		// lines.
		type caseKey struct{ customer, provider, version, zone string }
		for _, a := range adjs {
			sums := map[caseKey]decimal.Decimal{}
			var cases []caseKey
			for _, o := range s.Lines {
				k := caseKey{o.Customer, o.Provider, o.Version, o.Zone}
				if slices.Contains(a.Components, o.Component) && (a.When != `zone != "tätort"` || o.Zone != "tätort") {
					if _, ok := sums[k]; !ok {
						cases = append(cases, k)
					}
					sums[k] = sums[k].Add(o.Amount.Decimal)
				}
			}
			got := map[caseKey]Line{}
			for _, l := range s.Lines {
				if l.Component == a.Name {
					k := caseKey{l.Customer, l.Provider, l.Version, l.Zone}
					if _, dup := got[k]; dup {
						t.Fatalf("%s of %v: two lines", a.Name, k)
					}
					got[k] = l
				}
			}
			for _, k := range cases {
				l, ok := got[k]
				sum := sums[k]
				switch {
				case !ok && a.When == "" && !sum.IsZero():
					t.Fatalf("%s of %v: no line; the lines of %s add up to %s kr", a.Name, k, strings.Join(a.Components, ", "), sum)
				case !ok:
					continue
				}
				// The same value, written the same (the exponent of a chain
				// of additions).
				if !l.Quantity.Decimal.Equal(sum) || l.Quantity.Decimal.Exponent() != sum.Exponent() {
					t.Fatalf("%s of %v: base %s kr; the lines of %s in the zone add up to %s kr",
						a.Name, k, l.Quantity, strings.Join(a.Components, ", "), sum)
				}
			}
			if len(got) > len(cases) {
				t.Fatalf("%s: %d lines, for %d cases with lines of %s", a.Name, len(got), len(cases), strings.Join(a.Components, ", "))
			}
		}
	})
}
