package models

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
)

// TestValidateManyVisits checks a dataset whose visits are checked in
// several chunks on several cores: every bad visit is reported, once, in
// the order of the visits, after the duplicate ids and before the later
// collections, as one pass over the records would report them.
func TestValidateManyVisits(t *testing.T) {
	start := time.Date(2024, 4, 2, 8, 0, 0, 0, time.UTC)
	ds := &Dataset{
		Tasks:     []LocalTask{{Local: "Dusch", Category: Care}},
		Customers: []Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []Provider{{ID: "p1", Name: "Utförare", Ownership: OwnOperation}},
		Listings:  []Listing{{ID: "l1", Customer: "nobody", Provider: "p1", Kind: ListingHomeHealthCare, From: calendar.DateOf(start)}},
	}
	var want []string
	for i := range 50_000 {
		v := Visit{ID: fmt.Sprintf("v%05d", i), Customer: "k1", Provider: "p1", Start: start, End: start.Add(30 * time.Minute),
			Tasks: []string{"Dusch"}, Approved: true}
		switch {
		case i%9_973 == 17:
			v.Customer = "k2"
			want = append(want, fmt.Sprintf("visits[%d] %s customer", i, v.ID))
		case i%12_007 == 5:
			v.Tasks = []string{"Städ"}
			want = append(want, fmt.Sprintf("visits[%d] %s tasks[0]", i, v.ID))
		case i == 33_333:
			v.ID = "v00001" // a duplicate id, reported before the visits' own checks
			want = append([]string{fmt.Sprintf("visits[%d] v00001 id", i)}, want...)
		}
		ds.Visits = append(ds.Visits, v)
	}
	want = append(want, "listings[0] l1 customer")
	var got []string
	for _, e := range ds.Validate().(interface{ Unwrap() []error }).Unwrap() {
		var ie *InputError
		if !errors.As(e, &ie) {
			t.Fatalf("%v is not an *InputError", e)
		}
		got = append(got, fmt.Sprintf("%s[%d] %s %s", ie.Record, ie.Index, ie.ID, ie.Field))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
