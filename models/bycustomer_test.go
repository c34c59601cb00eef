package models

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// collect returns the parts ByCustomer yields, or its error.
func collect(d *Dataset, ids ...string) ([]*Dataset, error) {
	var parts []*Dataset
	for p, err := range d.ByCustomer(ids...) {
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// The parts of a dataset hold every record exactly once, with its own
// customer, in the dataset's order; given ids, only theirs.
func TestByCustomer(t *testing.T) {
	ds, err := ReadDatasetFS(os.DirFS("testdata"), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	parts, err := collect(ds)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != len(ds.Customers) {
		t.Fatalf("%d parts for %d customers", len(parts), len(ds.Customers))
	}
	joined := &Dataset{Tasks: ds.Tasks, Providers: ds.Providers}
	for i, p := range parts {
		if len(p.Customers) != 1 || p.Customers[0].ID != ds.Customers[i].ID || len(p.Tasks)+len(p.Providers) != 0 {
			t.Fatalf("part %d: customers %v, %d tasks, %d providers; want %s alone", i, p.Customers, len(p.Tasks), len(p.Providers), ds.Customers[i].ID)
		}
		for _, v := range p.Visits {
			if v.Customer != p.Customers[0].ID {
				t.Errorf("part %s holds visit %s of %s", p.Customers[0].ID, v.ID, v.Customer)
			}
		}
		joined.Customers = append(joined.Customers, p.Customers...)
		joined.Decisions = append(joined.Decisions, p.Decisions...)
		joined.Visits = append(joined.Visits, p.Visits...)
		joined.Listings = append(joined.Listings, p.Listings...)
		joined.Absences = append(joined.Absences, p.Absences...)
		joined.AlarmEvents = append(joined.AlarmEvents, p.AlarmEvents...)
	}
	// Every record once: the parts joined are the dataset, each
	// collection sorted by id (the parts keep the order within a customer).
	byID := func(d *Dataset) *Dataset {
		c := *d
		c.Decisions = slices.SortedFunc(slices.Values(d.Decisions), func(a, b Decision) int { return strings.Compare(a.ID, b.ID) })
		c.Visits = slices.SortedFunc(slices.Values(d.Visits), func(a, b Visit) int { return strings.Compare(a.ID, b.ID) })
		return &c
	}
	if diff := cmp.Diff(byID(ds), byID(joined)); diff != "" {
		t.Errorf("parts joined (-dataset +parts):\n%s", diff)
	}
	chosen, err := collect(ds, ds.Customers[len(ds.Customers)-1].ID, ds.Customers[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*Dataset{parts[0], parts[len(parts)-1]}, chosen); diff != "" {
		t.Errorf("two chosen customers, in the dataset's order (-want +got):\n%s", diff)
	}
}

// What cannot be split is said, each problem naming its record, before
// any customer is yielded.
func TestByCustomerRefuses(t *testing.T) {
	ds := &Dataset{
		Customers: []Customer{{ID: "k1", Zone: "a"}, {ID: "k2", Zone: "a"}, {ID: "k1", Zone: "b"}},
		// Two of k9 in a row, each reported (records of the customer of
		// the record before go where it went, without a look-up, only
		// when that customer is in the dataset).
		Visits: []Visit{{ID: "v1", Customer: "k1"}, {ID: "v2", Customer: "k9"}, {ID: "v2b", Customer: "k9"},
			{ID: "v3", Customer: "K2", Source: Source{File: "besök.csv", Line: 4}}},
		Absences: []Absence{{ID: "f1", Customer: "k8"}},
	}
	yielded := 0
	var err error
	for p, e := range ds.ByCustomer("k2", "k7", "k2", "K2") {
		if p != nil {
			yielded++
		}
		err = e
	}
	if yielded != 0 || err == nil {
		t.Fatalf("%d parts yielded, error %v; want none and an error", yielded, err)
	}
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ie *InputError
		if !errors.As(e, &ie) {
			t.Fatalf("%v is not an *InputError", e)
		}
		got = append(got, e.Error())
	}
	want := []string{
		`models: customers[2] (id k1): id: customer "k1" is given twice: its records would belong to either`,
		`models: ids[1]: unknown reference: no customer "k7"`,
		`models: ids[2]: customer "k2" is asked for twice`,
		`models: ids[3]: unknown reference: no customer "K2"; did you mean "k2"?`,
		`models: visits[1] (id v2): customer: unknown reference: no customer "k9"`,
		`models: visits[2] (id v2b): customer: unknown reference: no customer "k9"`,
		`models: besök.csv:4: visits (id v3): customer: unknown reference: no customer "K2"; did you mean "k2"?`,
		`models: absences[0] (id f1): customer: unknown reference: no customer "k8"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// For any dataset and any choice of its customers, every record of a
// chosen customer is in exactly one part, that customer's, and no other
// record is.
func TestPropertyByCustomer(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "customers")
		ds := &Dataset{}
		for i := range n {
			ds.Customers = append(ds.Customers, Customer{ID: string(rune('a' + i))})
		}
		for i := range rapid.IntRange(0, 30).Draw(t, "visits") {
			c := rapid.IntRange(0, n-1).Draw(t, "customer")
			ds.Visits = append(ds.Visits, Visit{ID: string(rune('A' + i)), Customer: ds.Customers[c].ID})
		}
		var ids []string
		for _, c := range ds.Customers {
			if rapid.Bool().Draw(t, "chosen") {
				ids = append(ids, c.ID)
			}
		}
		parts, err := collect(ds, ids...)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{} // visit → part
		for _, p := range parts {
			for _, v := range p.Visits {
				if _, twice := seen[v.ID]; twice || v.Customer != p.Customers[0].ID {
					t.Fatalf("visit %s of %s in part %s (seen before: %v)", v.ID, v.Customer, p.Customers[0].ID, twice)
				}
				seen[v.ID] = p.Customers[0].ID
			}
		}
		for _, v := range ds.Visits {
			chosen := len(ids) == 0 || slices.Contains(ids, v.Customer)
			if _, in := seen[v.ID]; in != chosen {
				t.Fatalf("visit %s of %s: in a part %v, chosen %v", v.ID, v.Customer, in, chosen)
			}
		}
	})
}

// TestWithVisits: visits read one at a time, grouped by customer in any
// order, join their customers' other records; a customer without visits
// comes after them, with its decision. Visits not grouped end the
// reading at the visit's line; a customer not in the data is yielded
// with the error of each of its visits (a caller that stops at the first
// error stops there).
func TestWithVisits(t *testing.T) {
	base := &Dataset{
		Customers: []Customer{{ID: "k1", Zone: "tätort"}, {ID: "k2", Zone: "tätort"}, {ID: "k3", Zone: "landsbygd"}},
		Decisions: []Decision{{ID: "b1", Customer: "k1"}, {ID: "b3", Customer: "k3"}},
	}
	const head = "id;brukare;utförare;starttid;sluttid;insatser\n"
	read := func(rows string) ([]string, error) {
		var got []string
		visits := VisitsCSV(strings.NewReader(head+rows), CSVOptions{File: "besök.csv", Location: stockholm, Approved: ApprovalAll})
		for p, err := range base.WithVisits(visits) {
			if err != nil {
				return got, err
			}
			var ids []string
			for _, v := range p.Visits {
				ids = append(ids, v.ID)
			}
			for _, dec := range p.Decisions {
				ids = append(ids, dec.ID)
			}
			got = append(got, p.Customers[0].ID+": "+strings.Join(ids, " "))
		}
		return got, nil
	}
	got, err := read("v3;k2;egen;2024-04-02 08:00;2024-04-02 08:30;Städ\n" +
		"v4;k2;egen;2024-04-03 08:00;2024-04-03 08:30;Städ\n" +
		"v1;k1;egen;2024-04-02 09:00;2024-04-02 09:30;Städ\n")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"k2: v3 v4", "k1: v1 b1", "k3: b3"}, got); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	for rows, want := range map[string]string{
		"v3;k2;egen;2024-04-02 08:00;2024-04-02 08:30;Städ\nv1;k1;egen;2024-04-02 09:00;2024-04-02 09:30;Städ\nv4;k2;egen;2024-04-03 08:00;2024-04-03 08:30;Städ\n": `models: besök.csv:4: visits (id v4): customer: customer "k2"'s visits came before another customer's: the visits are not grouped by customer`,
		"v1;K1;egen;2024-04-02 09:00;2024-04-02 09:30;Städ\n": `models: besök.csv:2: visits (id v1): customer: unknown reference: no customer "K1"; did you mean "k1"?`,
		// After the first customer's visits (taken for the first
		// customer's, found by attack).
		"v1;k1;egen;2024-04-02 09:00;2024-04-02 09:30;Städ\nv2;k9;egen;2024-04-02 10:00;2024-04-02 10:30;Städ\n": `models: besök.csv:3: visits (id v2): customer: unknown reference: no customer "k9"`,
	} {
		if _, err := read(rows); err == nil || err.Error() != want {
			t.Errorf("error %v, want %s", err, want)
		}
	}
}

// TestWithVisitsUnreadableRecord: a record VisitsCSV cannot read is its
// customer's error, yielded with the customer's part (without the record),
// and the iteration goes on, as for the records of a customer not known
// (a part of its id alone); one whose fields are not the header's (its
// customer cell may be another field's) ends it with the record's error
// (found by trial: any unreadable record ended a streamed month).
func TestWithVisitsUnreadableRecord(t *testing.T) {
	base := &Dataset{
		Customers: []Customer{{ID: "k1", Zone: "tätort"}, {ID: "k2", Zone: "tätort"}, {ID: "k3", Zone: "landsbygd"}},
	}
	const head = "id;brukare;utförare;starttid;sluttid;insatser\n"
	read := func(rows string) []string {
		var got []string
		visits := VisitsCSV(strings.NewReader(head+rows), CSVOptions{File: "besök.csv", Location: stockholm, Approved: ApprovalAll})
		for p, err := range base.WithVisits(visits) {
			var ids []string
			if p != nil {
				ids = append(ids, p.Customers[0].ID+":")
				for _, v := range p.Visits {
					ids = append(ids, v.ID)
				}
			}
			if err != nil {
				ids = append(ids, "error "+err.Error())
			}
			got = append(got, strings.Join(ids, " "))
		}
		return got
	}
	notATime := func(s string) string {
		return fmt.Sprintf("invalid time %q: want a date and a time as 2024-03-12 08:00 or 2024-03-12 08:00:30 (ÅÅÅÅ-MM-DD TT:MM), or RFC 3339 as 2024-03-12T08:00:00+01:00", s)
	}
	for _, c := range []struct {
		name, rows string
		want       []string
	}{
		{"end before start", "v1;k2;egen;2024-04-02 08:00;2024-04-02 08:30;Städ\n" +
			"v2;k2;egen;2024-04-03 08:00;2024-04-03 07:30;Städ\n" +
			"v3;k2;egen;2024-04-04 08:00;2024-04-04 08:30;Städ\n" +
			"v4;k1;egen;2024-04-02 09:00;2024-04-02 09:30;Städ\n",
			[]string{"k2: v1 v3 error models: besök.csv:3:29: visits[1] (id v2): end (sluttid): 2024-04-03T07:30:00+02:00 is before start 2024-04-03T08:00:00+02:00",
				"k1: v4", "k3:"}},
		{"two records of one customer", "v1;k1;egen;2024-04-02 08:00;nej;Städ\nv2;k1;egen;i går;2024-04-02 08:30;Städ\n",
			[]string{"k1: error models: besök.csv:2:29: visits[0] (id v1): end (sluttid): " + notATime("nej") + "\n" +
				"models: besök.csv:3:12: visits[1] (id v2): start (starttid): " + notATime("i går"),
				"k2:", "k3:"}},
		// A customer not in the data is a customer whose data is bad:
		// its records are named, and the others go on (found by trial:
		// the first such visit ended a streamed month).
		{"customer not known", "v1;k1;egen;2024-04-02 08:00;2024-04-02 08:30;Städ\nv2;k9;egen;2024-04-02 08:00;nej;Städ\n" +
			"v3;k9;egen;2024-04-03 08:00;2024-04-03 08:30;Städ\nv4;k2;egen;2024-04-03 08:00;2024-04-03 08:30;Städ\n" +
			"v5;K2;egen;2024-04-03 09:00;2024-04-03 09:30;Städ\n",
			[]string{"k1: v1",
				`k9: error models: besök.csv:3: visits (id v2): customer: unknown reference: no customer "k9"` + "\n" +
					"models: besök.csv:3:29: visits[1] (id v2): end (sluttid): " + notATime("nej") + "\n" +
					`models: besök.csv:4: visits (id v3): customer: unknown reference: no customer "k9"`,
				"k2: v4",
				`K2: error models: besök.csv:6: visits (id v5): customer: unknown reference: no customer "K2"; did you mean "k2"?`,
				"k3:"}},
		// The visits of a customer not in the data are grouped as any
		// customer's: met again after another customer's, they end the
		// iteration (they were a second part of k9, which SettleCustomers
		// reported as yielded twice, without the visits' lines).
		{"customer not known, not grouped", "v1;k9;egen;2024-04-02 08:00;2024-04-02 08:30;Städ\n" +
			"v2;k1;egen;2024-04-02 08:00;2024-04-02 08:30;Städ\nv3;k9;egen;2024-04-03 08:00;2024-04-03 08:30;Städ\n",
			[]string{`k9: error models: besök.csv:2: visits (id v1): customer: unknown reference: no customer "k9"`,
				"k1: v2",
				`error models: besök.csv:4: visits (id v3): customer: customer "k9"'s visits came before another customer's: the visits are not grouped by customer`}},
		{"fields not the header's", "v1;k1;egen;2024-04-02 08:00;2024-04-02 08:30\n",
			[]string{`error models: besök.csv:2:29: visits[0] (id v1): insatser: the record ends with its field 5, where the header has 6 columns: "insatser" is missing`}},
	} {
		if diff := cmp.Diff(c.want, read(c.rows)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

// A nil dataset, or a nil iterator of visits, gives an error, never a
// panic (found by attack).
func TestNilDatasetIsSafe(t *testing.T) {
	var d *Dataset
	if err := d.Validate(); err == nil {
		t.Error("Validate of nil: no error")
	}
	if err := d.ValidateWith(nil); err == nil {
		t.Error("ValidateWith of nil: no error")
	}
	if _, err := d.TaskMap(); err == nil {
		t.Error("TaskMap of nil: no error")
	}
	for name, seq := range map[string]iter.Seq2[*Dataset, error]{
		"ByCustomer of nil": d.ByCustomer(),
		"WithVisits of nil": d.WithVisits(func(func(Visit, error) bool) {}),
		"WithVisits(nil)":   (&Dataset{}).WithVisits(nil),
	} {
		n := 0
		for p, err := range seq {
			if n++; p != nil || err == nil {
				t.Errorf("%s: yielded %v, %v; want one error", name, p, err)
			}
		}
		if n != 1 {
			t.Errorf("%s: %d yields, want one error", name, n)
		}
	}
}

// A visit id given twice in a customer's visits of a streamed month is
// refused by the customer's validation with the other visit named where
// it was read, as ReadDatasetParts names it: on the old code the error
// said "is also visits[0]", the first of the customer's visits in its
// part (here line 3 of the file, the customer's visits coming after
// another's), which names nothing in the file. So does Validate of
// visits read with ReadVisitsCSVWith.
func TestWithVisitsDuplicateNamedInFile(t *testing.T) {
	base := &Dataset{
		Tasks:     []LocalTask{{Local: "Städ", Category: Service}},
		Customers: []Customer{{ID: "k1", Zone: "tätort"}, {ID: "k2", Zone: "tätort"}},
		Providers: []Provider{{ID: "egen", Name: "Egen", Ownership: OwnOperation}},
	}
	const file = "id;brukare;utförare;starttid;sluttid;insatser\n" +
		"v1;k1;egen;2024-04-02 08:00;2024-04-02 08:30;Städ\n" +
		"v2;k2;egen;2024-04-02 09:00;2024-04-02 09:30;Städ\n" +
		"v3;k2;egen;2024-04-03 09:00;2024-04-03 09:30;Städ\n" +
		"v2;k2;egen;2024-04-04 09:00;2024-04-04 09:30;Städ\n"
	const want = `models: besök.csv:5: visits (id v2): id: duplicate id: "v2" is also the visit at besök.csv:3`
	opts := CSVOptions{File: "besök.csv", Location: stockholm, Approved: ApprovalAll}
	tasks, err := base.TaskMap()
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for p, err := range base.WithVisits(VisitsCSV(strings.NewReader(file), opts)) {
		if err != nil {
			t.Fatal(err)
		}
		p.Providers = base.Providers // shared, as SettleCustomers joins them
		if err := p.ValidateWith(tasks); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if diff := cmp.Diff([]string{want}, errs); diff != "" {
		t.Errorf("streamed (-want +got):\n%s", diff)
	}
	vs, err := ReadVisitsCSVWith(strings.NewReader(file), opts)
	if err != nil {
		t.Fatal(err)
	}
	ds := *base
	ds.Visits = vs
	if err := ds.Validate(); err == nil || err.Error() != want {
		t.Errorf("read whole: %v, want %s", err, want)
	}
}
