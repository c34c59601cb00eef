package models

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
)

// overlapDataset is a dataset of one provider and the given decisions,
// each of the customers their ids name.
func overlapDataset(decisions []Decision) *Dataset {
	d := &Dataset{Providers: []Provider{{ID: "p", Ownership: OwnOperation}}, Decisions: decisions}
	seen := map[string]bool{}
	for _, dec := range decisions {
		if !seen[dec.Customer] {
			seen[dec.Customer] = true
			d.Customers = append(d.Customers, Customer{ID: dec.Customer, Zone: "tätort"})
		}
	}
	return d
}

// overlapErrors returns the overlap errors of d's validation, as the
// indexes of the decision named and of the one it overlaps.
func overlapErrors(t interface{ Fatalf(string, ...any) }, d *Dataset) [][2]int {
	byID := map[string]int{}
	for i, dec := range d.Decisions {
		byID[dec.ID] = i
	}
	var out [][2]int
	for _, e := range eachError(d.Validate(), func(*InputError) {}) {
		var ie *InputError
		if !errors.As(e, &ie) || !errors.Is(e, ErrOverlap) {
			t.Fatalf("unexpected error %v", e)
		}
		var cat, common, other string
		if _, err := fmt.Sscanf(ie.Err.Error(), "overlapping decisions: grants %s on %s as decision %q does", &cat, &common, &other); err != nil {
			t.Fatalf("%v: %v", e, err)
		}
		out = append(out, [2]int{ie.Index, byID[other]})
	}
	return out
}

// overlaps reports whether decisions a and b grant a category in common
// on a common day, by comparing day ranges and item categories directly.
func overlaps(a, b *Decision) bool {
	if a.Customer != b.Customer {
		return false
	}
	if _, ok := rangeOf(a).Intersect(rangeOf(b)); !ok {
		return false
	}
	for _, x := range a.Items {
		for _, y := range b.Items {
			if x.Category == y.Category && x.Category != CategoryUnknown {
				return true
			}
		}
	}
	return false
}

// TestOverlapsAgainstPairs holds the sweep of checkOverlaps to a
// comparison of every pair: each error names a later decision and an
// earlier one that truly overlap; every decision that overlaps another
// is named in some error; no pair is named twice, and there are no
// more errors than a decision's distinct categories added up.
func TestOverlapsAgainstPairs(t *testing.T) {
	base := calendar.DateOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	cats := []Category{Service, Care, DelegatedHSL}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		decisions := make([]Decision, n)
		for i := range decisions {
			from := base.AddDays(rapid.IntRange(0, 40).Draw(t, "from"))
			var to calendar.Date
			if !rapid.Bool().Draw(t, "open") {
				to = from.AddDays(rapid.IntRange(0, 15).Draw(t, "days"))
			}
			dec := Decision{ID: fmt.Sprint("b", i), Customer: rapid.SampledFrom([]string{"k1", "k2"}).Draw(t, "customer"),
				Provider: "p", ValidFrom: from, ValidTo: to}
			for range rapid.IntRange(1, 3).Draw(t, "items") {
				dec.Items = append(dec.Items, GrantedItem{Category: rapid.SampledFrom(cats).Draw(t, "cat"), MinutesPerMonth: 60})
			}
			decisions[i] = dec
		}
		d := overlapDataset(decisions)
		got := overlapErrors(t, d)
		named := map[int]bool{}
		for k, p := range got {
			if p[0] <= p[1] || !overlaps(&decisions[p[0]], &decisions[p[1]]) {
				t.Fatalf("error %d names decisions %d and %d, which are not a later and an earlier one that overlap", k, p[0], p[1])
			}
			if slices.Contains(got[:k], p) {
				t.Fatalf("pair %v named twice", p)
			}
			named[p[0]], named[p[1]] = true, true
		}
		grants := 0 // a decision's distinct categories, added up
		for _, dec := range decisions {
			var seen []Category
			for _, it := range dec.Items {
				if !slices.Contains(seen, it.Category) {
					seen = append(seen, it.Category)
				}
			}
			grants += len(seen)
		}
		if len(got) > grants {
			t.Fatalf("%d errors for %d decisions granting %d categories", len(got), n, grants)
		}
		for i := range decisions {
			for j := range i {
				if overlaps(&decisions[i], &decisions[j]) && (!named[i] || !named[j]) {
					t.Fatalf("decisions %d and %d overlap, but %d or %d is in no error: %v", i, j, i, j, got)
				}
			}
		}
	})
}

// TestOverlapsLinear validates 50 000 decisions of one customer, every
// one overlapping its neighbours and 10 000 of them open-ended: one error
// a decision that overlaps an earlier one, not one a pair (comparing
// every pair took 11 s for 20 000 such decisions and would report
// 10 000 × 50 000 pairs for the open-ended ones).
func TestOverlapsLinear(t *testing.T) {
	base := calendar.DateOf(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC))
	const n = 50000
	decisions := make([]Decision, n)
	for i := range decisions {
		from := base.AddDays(i)
		to := from.AddDays(1)
		if i%5 == 0 {
			to = calendar.Date{}
		}
		decisions[i] = Decision{ID: fmt.Sprint("b", i), Customer: "k1", Provider: "p", ValidFrom: from, ValidTo: to,
			Items: []GrantedItem{{Category: Care, MinutesPerMonth: 60}}}
	}
	// Every decision but the first starts on a day an earlier one is in
	// force: n − 1 errors.
	if got := overlapErrors(t, overlapDataset(decisions)); len(got) != n-1 {
		t.Errorf("%d overlap errors, want %d", len(got), n-1)
	}
}

// TestOverlapsManyItems: decisions of 200 000 items each are compared
// by the categories they grant, not item by item.
func TestOverlapsManyItems(t *testing.T) {
	from := calendar.DateOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	items := make([]GrantedItem, 200000)
	for i := range items {
		items[i] = GrantedItem{Category: []Category{Service, Care}[i%2], MinutesPerMonth: 1}
	}
	decisions := []Decision{
		{ID: "b1", Customer: "k1", Provider: "p", ValidFrom: from, Items: items},
		{ID: "b2", Customer: "k1", Provider: "p", ValidFrom: from.AddDays(10), Items: items},
	}
	if diff := cmp.Diff([][2]int{{1, 0}}, overlapErrors(t, overlapDataset(decisions))); diff != "" {
		t.Errorf("overlap errors (-want +got):\n%s", diff)
	}
}
