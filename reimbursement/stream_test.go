package reimbursement

import (
	"bytes"
	"context"
	"iter"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
)

// splitByCustomer returns one dataset per customer of ds, with the
// customer's own records, in the order of ds.Customers.
func splitByCustomer(ds *models.Dataset) []*models.Dataset {
	index := map[string]*models.Dataset{}
	var out []*models.Dataset
	for _, c := range ds.Customers {
		part := &models.Dataset{Customers: []models.Customer{c}}
		index[c.ID] = part
		out = append(out, part)
	}
	for _, d := range ds.Decisions {
		index[d.Customer].Decisions = append(index[d.Customer].Decisions, d)
	}
	for _, v := range ds.Visits {
		index[v.Customer].Visits = append(index[v.Customer].Visits, v)
	}
	for _, l := range ds.Listings {
		index[l.Customer].Listings = append(index[l.Customer].Listings, l)
	}
	for _, a := range ds.Absences {
		index[a.Customer].Absences = append(index[a.Customer].Absences, a)
	}
	for _, e := range ds.AlarmEvents {
		index[e.Customer].AlarmEvents = append(index[e.Customer].AlarmEvents, e)
	}
	return out
}

// merged returns the datasets parts as one, with ds's tasks and providers.
func merged(ds *models.Dataset, parts []*models.Dataset) *models.Dataset {
	out := &models.Dataset{Tasks: ds.Tasks, Providers: ds.Providers}
	for _, p := range parts {
		out.Customers = append(out.Customers, p.Customers...)
		out.Decisions = append(out.Decisions, p.Decisions...)
		out.Visits = append(out.Visits, p.Visits...)
		out.Listings = append(out.Listings, p.Listings...)
		out.Absences = append(out.Absences, p.Absences...)
		out.AlarmEvents = append(out.AlarmEvents, p.AlarmEvents...)
	}
	return out
}

func jsonOf(t interface{ Fatal(...any) }, s *Settlement) string {
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mixedBook(t testing.TB) *Book {
	t.Helper()
	v, err := LoadVersion(os.DirFS("testdata"), "mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The month settled customer by customer and merged is the month settled
// at once, to the byte; the returned totals are the month's.
func TestSettleCustomersEqualsSettle(t *testing.T) {
	book := mixedBook(t)
	ds := benchDataset(300, 12)
	for _, explain := range []bool{true, false} {
		opts := Options{NoExplain: !explain}
		whole, err := Settle(context.Background(), book, ds, april2024, opts)
		if err != nil {
			t.Fatal(err)
		}
		var parts []*Settlement
		customers := func(yield func(*models.Dataset, error) bool) {
			for _, p := range splitByCustomer(ds) {
				if !yield(p, nil) {
					return
				}
			}
		}
		totals, err := SettleCustomers(context.Background(), book, ds, iter.Seq2[*models.Dataset, error](customers), april2024, opts,
			func(s *Settlement) error { parts = append(parts, s); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != len(ds.Customers) {
			t.Fatalf("sink received %d settlements for %d customers", len(parts), len(ds.Customers))
		}
		all, err := Merge(parts...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(jsonOf(t, whole), jsonOf(t, all)); diff != "" {
			t.Errorf("explain %v: merged (-whole +merged):\n%s", explain, diff)
		}
		if totals.Total.String() != whole.Total.String() || len(totals.Lines) != 0 {
			t.Errorf("totals %s with %d lines, want %s and none", totals.Total, len(totals.Lines), whole.Total)
		}
		if diff := cmp.Diff(whole.Providers, totals.Providers); diff != "" {
			t.Errorf("provider totals (-whole +streamed):\n%s", diff)
		}
	}
}

// Settling any partition of the customers and merging gives the
// settlement of them all: what makes sharding by customer correct.
func TestPropertyPartitionAndMerge(t *testing.T) {
	book := mixedBook(t)
	ds := benchDataset(40, 6)
	byCustomer := splitByCustomer(ds)
	whole, err := Settle(context.Background(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, whole)
	rapid.Check(t, func(t *rapid.T) {
		shards := rapid.IntRange(1, 5).Draw(t, "shards")
		groups := make([][]*models.Dataset, shards)
		for _, c := range byCustomer {
			i := rapid.IntRange(0, shards-1).Draw(t, "shard of "+c.Customers[0].ID)
			groups[i] = append(groups[i], c)
		}
		var parts []*Settlement
		for _, g := range rapid.Permutation(groups).Draw(t, "shard order") {
			s, err := Settle(context.Background(), book, merged(ds, g), april2024, Options{NoExplain: true, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, s)
		}
		all, err := Merge(parts...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, jsonOf(t, all)); diff != "" {
			t.Fatalf("merged shards (-whole +merged):\n%s", diff)
		}
	})
}

func TestMergeRefusesOverlapAndMixedMonths(t *testing.T) {
	book := mixedBook(t)
	ds := benchDataset(3, 2)
	s, err := Settle(context.Background(), book, ds, april2024, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(s, s); err == nil {
		t.Error("Merge of a settlement with itself: no error")
	}
	other := *s
	other.Period = "2024-05"
	other.Customers = nil
	if _, err := Merge(s, &other); err == nil {
		t.Error("Merge of two months: no error")
	}
}
