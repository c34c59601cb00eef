package compare

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// simplePlaceCustomers is how breakdowns places the customers (their
// zones and providers) as it was first written, kept to hold it to: each
// line's zone and provider looked up in the customer's list of those
// seen.
func simplePlaceCustomers(c *Report) {
	zones, providers := map[string][]string{}, map[string][]string{}
	for _, ss := range [][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
		for _, s := range ss {
			for _, l := range s.Lines {
				if !slices.Contains(zones[l.Customer], l.Zone) {
					zones[l.Customer] = append(zones[l.Customer], l.Zone)
				}
				if !slices.Contains(providers[l.Customer], l.Provider) {
					providers[l.Customer] = append(providers[l.Customer], l.Provider)
				}
			}
		}
	}
	for i := range c.Customers {
		ch := &c.Customers[i]
		z, p := zones[ch.Key], providers[ch.Key]
		slices.Sort(z)
		slices.Sort(p)
		ch.Zone, ch.Provider = strings.Join(z, "+"), strings.Join(p, "+")
	}
}

// TestPlaceCustomersBySimple holds breakdowns' customer places to the
// version above on lines of a few customers in few or many zones and
// providers (past the size at which a set.Small indexes), empty names
// included, over several months.
func TestPlaceCustomersBySimple(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := func(label string) *rapid.Generator[string] {
			n := rapid.IntRange(1, 30).Draw(t, label+" names")
			return rapid.Custom(func(t *rapid.T) string {
				i := rapid.IntRange(0, n-1).Draw(t, label)
				if i == 0 {
					return ""
				}
				return fmt.Sprintf("%s%02d", label, i)
			})
		}
		customers, zones, providers := names("k"), names("z"), names("p")
		settlements := func(label string) []*reimbursement.Settlement {
			var ss []*reimbursement.Settlement
			for range rapid.IntRange(0, 3).Draw(t, label+" months") {
				s := &reimbursement.Settlement{}
				for range rapid.IntRange(0, 60).Draw(t, label+" lines") {
					s.Lines = append(s.Lines, reimbursement.Line{Customer: customers.Draw(t, "customer"), Zone: zones.Draw(t, "zone"),
						Provider: providers.Draw(t, "provider")})
				}
				ss = append(ss, s)
			}
			return ss
		}
		c := &Report{BaseSettlements: settlements("base"), ProposedSettlements: settlements("proposed")}
		c.breakdowns(rapid.IntRange(1, 4).Draw(t, "workers"))
		want := &Report{BaseSettlements: c.BaseSettlements, ProposedSettlements: c.ProposedSettlements, Customers: slices.Clone(c.Customers)}
		simplePlaceCustomers(want)
		for i := range c.Customers {
			if g, w := c.Customers[i], want.Customers[i]; g.Zone != w.Zone || g.Provider != w.Provider {
				t.Fatalf("customer %q: zone %q, provider %q; simply %q, %q", g.Key, g.Zone, g.Provider, w.Zone, w.Provider)
			}
		}
	})
}

// TestPlaceCustomersManyProviders places one customer with lines of
// 50 000 providers on both sides (scale probe compare_providers): looking
// each line's provider up in the list of those seen took many seconds.
func TestPlaceCustomersManyProviders(t *testing.T) {
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	s := &reimbursement.Settlement{}
	for i := range n {
		// In an order that is not sorted, so the sort is seen to.
		s.Lines = append(s.Lines, reimbursement.Line{Customer: "k1", Zone: "z", Provider: fmt.Sprintf("p%07d", (i*7919)%n)})
	}
	c := &Report{BaseSettlements: []*reimbursement.Settlement{s}, ProposedSettlements: []*reimbursement.Settlement{s}}
	c.breakdowns(1)
	ps := strings.Split(c.Customers[0].Provider, "+")
	if c.Customers[0].Zone != "z" || len(ps) != n || !slices.IsSorted(ps) || ps[0] != "p0000000" {
		t.Errorf("zone %q, %d providers (sorted: %v)", c.Customers[0].Zone, len(ps), slices.IsSorted(ps))
	}
}

// For any lines, each provider's rows of ProviderComponents add up to its
// row of Providers and each component's to its row of Components, on
// both sides, and every (provider, component) of a line has its row once.
// Ids with a NUL ("a\x00b" with "c", "a" with "b\x00c") keep their rows
// apart, as no joined key would.
func TestPropertyProviderComponentsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		provider := rapid.SampledFrom([]string{"egen", "p1", "p10", "p1 0", "Ö", "a", "a\x00b"})
		component := rapid.SampledFrom([]string{"sol", "hsl", "sol natt", "", "=x", "c", "b\x00c"})
		amount := rapid.Custom(func(t *rapid.T) reimbursement.Amount {
			return reimbursement.AmountOf(dec(fmt.Sprintf("%d.%02d", rapid.IntRange(-5000, 5000).Draw(t, "kr"), rapid.IntRange(0, 99).Draw(t, "öre"))))
		})
		settlements := func(label string) []*reimbursement.Settlement {
			var ss []*reimbursement.Settlement
			for range rapid.IntRange(0, 3).Draw(t, label+" months") {
				s := &reimbursement.Settlement{}
				for range rapid.IntRange(0, 40).Draw(t, label+" lines") {
					s.Lines = append(s.Lines, reimbursement.Line{Provider: provider.Draw(t, "provider"), Component: component.Draw(t, "component"),
						Amount: amount.Draw(t, "amount")})
				}
				ss = append(ss, s)
			}
			return ss
		}
		c := &Report{BaseSettlements: settlements("base"), ProposedSettlements: settlements("proposed")}
		c.breakdowns(1)
		type sides struct{ base, proposed string }
		sum := func(rows []Change, key func(Change) string) map[string]sides {
			m := map[string][2]reimbursement.Amount{}
			for _, r := range rows {
				x := m[key(r)]
				x[0], x[1] = reimbursement.AmountOf(x[0].Add(r.Base.Decimal)), reimbursement.AmountOf(x[1].Add(r.Proposed.Decimal))
				m[key(r)] = x
			}
			out := map[string]sides{}
			for k, x := range m {
				out[k] = sides{x[0].StringFixed(2), x[1].StringFixed(2)}
			}
			return out
		}
		if g, w := sum(c.ProviderComponents, func(r Change) string { return r.Provider }), sum(c.Providers, func(r Change) string { return r.Key }); !maps.Equal(g, w) {
			t.Fatalf("by provider %v, Providers %v", g, w)
		}
		if g, w := sum(c.ProviderComponents, func(r Change) string { return r.Key }), sum(c.Components, func(r Change) string { return r.Key }); !maps.Equal(g, w) {
			t.Fatalf("by component %v, Components %v", g, w)
		}
		if !slices.IsSortedFunc(c.ProviderComponents, func(a, b Change) int {
			return cmp.Or(strings.Compare(a.Provider, b.Provider), strings.Compare(a.Key, b.Key))
		}) {
			t.Fatalf("rows not in order of provider, then component")
		}
		seen := map[[2]string]bool{}
		for _, r := range c.ProviderComponents {
			k := [2]string{r.Provider, r.Key}
			if seen[k] {
				t.Fatalf("row %v twice", k)
			}
			seen[k] = true
		}
		for _, ss := range [][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
			for _, s := range ss {
				for _, l := range s.Lines {
					if !seen[[2]string{l.Provider, l.Component}] {
						t.Fatalf("no row for %s/%s", l.Provider, l.Component)
					}
				}
			}
		}
	})
}
