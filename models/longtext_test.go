package models

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// An id, a zone, a contract and an attribute's key and value are bounded
// (MaxIDBytes, MaxAttributeBytes): one of the bound passes, one byte more
// is refused, the error naming the record and the field and quoting only
// the start of the text. Each is repeated in what a settlement computes
// (a decision's id in the explanation of each of its items, a provider's
// attributes in every case of every customer), so that on the old code a
// decision of 200 items under an id of 1 MiB gave 224 MB of JSON, and
// provider attributes of 10 MB made a month of 2 000 customers take 12 s
// instead of 0.1 s to settle.
func TestLongTextRefused(t *testing.T) {
	base, err := ReadDatasetFS(os.DirFS("testdata"), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	// Every reference to an id is changed with it, so that only the
	// length can be wrong.
	rename := func(ds *Dataset, coll, old, new string) {
		switch coll {
		case "customers":
			for i := range ds.Customers {
				if ds.Customers[i].ID == old {
					ds.Customers[i].ID = new
				}
			}
			for i := range ds.Decisions {
				if ds.Decisions[i].Customer == old {
					ds.Decisions[i].Customer = new
				}
			}
			for i := range ds.Visits {
				if ds.Visits[i].Customer == old {
					ds.Visits[i].Customer = new
				}
			}
			for i := range ds.Listings {
				if ds.Listings[i].Customer == old {
					ds.Listings[i].Customer = new
				}
			}
			for i := range ds.Absences {
				if ds.Absences[i].Customer == old {
					ds.Absences[i].Customer = new
				}
			}
			for i := range ds.AlarmEvents {
				if ds.AlarmEvents[i].Customer == old {
					ds.AlarmEvents[i].Customer = new
				}
			}
		case "providers":
			for i := range ds.Providers {
				if ds.Providers[i].ID == old {
					ds.Providers[i].ID = new
				}
			}
			for i := range ds.Decisions {
				if ds.Decisions[i].Provider == old {
					ds.Decisions[i].Provider = new
				}
			}
			for i := range ds.Visits {
				if ds.Visits[i].Provider == old {
					ds.Visits[i].Provider = new
				}
			}
			for i := range ds.Listings {
				if ds.Listings[i].Provider == old {
					ds.Listings[i].Provider = new
				}
			}
			for i := range ds.AlarmEvents {
				if ds.AlarmEvents[i].Provider == old {
					ds.AlarmEvents[i].Provider = new
				}
			}
		}
	}
	cases := []struct {
		name, record, field string
		max                 int
		set                 func(ds *Dataset, s string)
	}{
		{"customer id", "customers", "id", MaxIDBytes, func(ds *Dataset, s string) { rename(ds, "customers", "k1", s) }},
		{"provider id", "providers", "id", MaxIDBytes, func(ds *Dataset, s string) { rename(ds, "providers", "egen", s) }},
		{"decision id", "decisions", "id", MaxIDBytes, func(ds *Dataset, s string) { ds.Decisions[0].ID = s }},
		{"visit id", "visits", "id", MaxIDBytes, func(ds *Dataset, s string) { ds.Visits[0].ID = s }},
		{"listing id", "listings", "id", MaxIDBytes, func(ds *Dataset, s string) { ds.Listings[0].ID = s }},
		{"absence id", "absences", "id", MaxIDBytes, func(ds *Dataset, s string) { ds.Absences[0].ID = s }},
		{"event id", "alarm_events", "id", MaxIDBytes, func(ds *Dataset, s string) { ds.AlarmEvents[0].ID = s }},
		{"zone", "customers", "zone", MaxIDBytes, func(ds *Dataset, s string) { ds.Customers[0].Zone = s }},
		{"zone change", "customers", "zone_changes[0].zone", MaxIDBytes, func(ds *Dataset, s string) { ds.Customers[1].ZoneChanges[0].Zone = s }},
		{"contract", "providers", "contract", MaxAttributeBytes, func(ds *Dataset, s string) { ds.Providers[0].Contract = s }},
		{"attribute key", "providers", "attributes", MaxAttributeBytes, func(ds *Dataset, s string) { ds.Providers[0].Attributes = map[string]string{s: "A"} }},
		{"attribute value", "providers", "attributes.klass", MaxAttributeBytes, func(ds *Dataset, s string) { ds.Providers[0].Attributes = map[string]string{"klass": s} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, char := range []string{"x", "ö"} {
				fill := func(n int) string {
					// n bytes of char, padded with x to the byte
					s := strings.Repeat(char, n/len(char))
					return s + strings.Repeat("x", n-len(s))
				}
				ds := cloneDataset(base)
				c.set(ds, fill(c.max))
				if err := ds.Validate(); err != nil {
					t.Fatalf("%d bytes of %q: %v", c.max, char, err)
				}
				for _, n := range []int{c.max + 1, 1 << 20} {
					ds := cloneDataset(base)
					c.set(ds, fill(n))
					err := ds.Validate()
					var ie *InputError
					if !errors.As(err, &ie) {
						t.Fatalf("%d bytes of %q: %v, want an *InputError", n, char, err)
					}
					if ie.Record != c.record || ie.Field != c.field || !strings.Contains(err.Error(), "bytes, at most") {
						t.Errorf("%d bytes of %q: record %q field %q: %v; want record %q field %q, at most", n, char, ie.Record, ie.Field, err, c.record, c.field)
					}
					for _, line := range strings.Split(err.Error(), "\n") {
						if len(line) > 300 {
							t.Errorf("%d bytes of %q: an error line of %d bytes: %.300s", n, char, len(line), line)
						}
					}
				}
			}
		})
	}
}

// cloneDataset copies ds deeply enough for TestLongTextRefused to set
// ids, zones and provider attributes on the copy.
func cloneDataset(ds *Dataset) *Dataset {
	c := *ds
	c.Customers = append([]Customer(nil), ds.Customers...)
	for i := range c.Customers {
		c.Customers[i].ZoneChanges = append([]ZoneChange(nil), c.Customers[i].ZoneChanges...)
	}
	c.Providers = append([]Provider(nil), ds.Providers...)
	c.Decisions = append([]Decision(nil), ds.Decisions...)
	c.Visits = append([]Visit(nil), ds.Visits...)
	c.Listings = append([]Listing(nil), ds.Listings...)
	c.Absences = append([]Absence(nil), ds.Absences...)
	c.AlarmEvents = append([]AlarmEvent(nil), ds.AlarmEvents...)
	return &c
}

// A customer's fee headroom is whole öre and below 10^12 kronor: 12.345
// capped a fee at 12.345 kr on the old code, and 1e9999 (ten thousand
// digits) was taken as an amount; the error quotes no more than the
// start of such a number.
func TestFeeHeadroomChecked(t *testing.T) {
	base, err := ReadDatasetFS(os.DirFS("testdata"), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"12.34": "", "12.340": "", "0": "", "999999999999.99": "",
		"12.345":  "models: customers[0] (id k1): fee_headroom: 12.345 is not whole öre: at most two decimals",
		"0.001":   "models: customers[0] (id k1): fee_headroom: 0.001 is not whole öre: at most two decimals",
		"1e12":    "models: customers[0] (id k1): fee_headroom: 1000000000000 kr: want less than 1000000000000",
		"1e9999":  "models: customers[0] (id k1): fee_headroom: 100000000000000000000000000000… (10000 characters) kr: want less than 1000000000000",
		"-0.01":   "models: customers[0] (id k1): fee_headroom: -0.01 kr: negative",
		"1e-9999": "models: customers[0] (id k1): fee_headroom: 0.0000000000000000000000000000… (10001 characters) is not whole öre: at most two decimals",
	} {
		ds := cloneDataset(base)
		h, err := decimal.NewFromString(in)
		if err != nil {
			t.Fatal(err)
		}
		ds.Customers[0].FeeHeadroom = &h
		err = ds.Validate()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// An attribute whose key is too long and whose value is bad has both
// refused, and the value's error names its field by the start of the key
// only: it named "attributes."+key with the whole key, so that a key of
// 1 MiB gave an error line of 1 MiB, where every other error of text
// past its bound quotes its first 32 bytes.
func TestLongAttributeKeyBadValue(t *testing.T) {
	key := strings.Repeat("k", 1<<20)
	p := Provider{ID: "p1", Name: "P", Ownership: OwnOperation, Attributes: map[string]string{key: " A"}}
	err := p.Validate()
	if err == nil {
		t.Fatal("a key of 1 MiB with a value of a leading space: no error")
	}
	if !strings.Contains(err.Error(), "bytes, at most 256") || !strings.Contains(err.Error(), "leading or trailing space") {
		t.Errorf("want the key's length and the value's space refused: %.400s", err)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if len(line) > 300 {
			t.Errorf("an error line of %d bytes: %.300s", len(line), line)
		}
	}
	var fields []string
	for _, e := range flattenErrors(err) {
		var ie *InputError
		if errors.As(e, &ie) {
			fields = append(fields, ie.Field)
		}
	}
	want := "attributes." + key[:32] + "…"
	if !slices.Contains(fields, want) {
		t.Errorf("fields %.200q, want one %q", fields, want)
	}
}

// flattenErrors returns the errors err joins, or err.
func flattenErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
