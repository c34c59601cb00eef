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

	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// An adjustment's base is the sum of the amounts of its components' lines
// of the same case and version, and its zone that of one of them, for
// any adjustments over any components of the mixed tariff (the sums are
// taken once per case, not per adjustment and line).
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
		for _, a := range adjs {
			for _, l := range s.Lines {
				if l.Component != a.Name {
					continue
				}
				sum := decimal.Zero
				var zones []string
				for _, o := range s.Lines {
					if o.Customer == l.Customer && o.Provider == l.Provider && o.Version == l.Version && slices.Contains(a.Components, o.Component) {
						sum = sum.Add(o.Amount.Decimal)
						zones = append(zones, o.Zone)
					}
				}
				if !l.Quantity.Decimal.Equal(sum) || !slices.Contains(zones, l.Zone) {
					t.Fatalf("%s of %s/%s: base %s kr in zone %q; the lines of %s add up to %s kr in zones %s",
						a.Name, l.Customer, l.Provider, l.Quantity, l.Zone, strings.Join(a.Components, ", "), sum, zones)
				}
			}
		}
	})
}
