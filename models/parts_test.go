package models

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
	"github.com/shopspring/decimal"
)

func parts(files ...string) []DatasetPart {
	var out []DatasetPart
	for i := 0; i < len(files); i += 2 {
		out = append(out, DatasetPart{File: files[i], R: strings.NewReader(files[i+1])})
	}
	return out
}

// a.json: the task map, a customer, a provider and a decision; b.json
// refers to a.json's customer k1 and provider p1.
const (
	partA = `{
 "tasks": [{"local": "Städ", "category": "service"}],
 "customers": [{"id": "k1", "zone": "tätort"}],
 "providers": [{"id": "p1", "name": "P", "ownership": "own"}],
 "decisions": [{"id": "d1", "customer": "k1", "provider": "p1", "valid_from": "2024-01-01",
   "items": [{"task": "Städ", "category": "service", "minutes": 60, "times": 1, "per": "week"}]}]
}`
	partB = `{
 "visits": [
  {"id": "v1", "customer": "k1", "provider": "p1", "start": "2024-04-03T10:00:00+02:00", "end": "2024-04-03T11:00:00+02:00", "tasks": ["Städ"], "approved": true}
 ]
}`
)

// The files are merged and then validated once: b.json's visit of
// a.json's customer is read (each file alone: no customer "k1").
func TestReadDatasetPartsRefersAcross(t *testing.T) {
	ds, err := ReadDatasetParts(parts("a.json", partA, "b.json", partB)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Customers) != 1 || len(ds.Visits) != 1 || len(ds.Decisions) != 1 {
		t.Errorf("merged: %d customers, %d visits, %d decisions", len(ds.Customers), len(ds.Visits), len(ds.Decisions))
	}
}

// Two complete files that share the task map, the customer and the
// provider, given alike: each kept once.
func TestReadDatasetPartsSharedReference(t *testing.T) {
	c := `{
 "tasks": [{"local": "Städ", "category": "service"}],
 "customers": [{"id": "k1", "zone": "tätort"}],
 "providers": [{"id": "p1", "name": "P", "ownership": "own"}],
 "visits": [
  {"id": "v2", "customer": "k1", "provider": "p1", "start": "2024-04-04T10:00:00+02:00", "end": "2024-04-04T11:00:00+02:00", "tasks": ["Städ"], "approved": true}
 ]
}`
	ds, err := ReadDatasetParts(parts("a.json", partA, "c.json", c)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Tasks) != 1 || len(ds.Customers) != 1 || len(ds.Providers) != 1 || len(ds.Visits) != 1 {
		t.Errorf("merged: %d tasks, %d customers, %d providers, %d visits", len(ds.Tasks), len(ds.Customers), len(ds.Providers), len(ds.Visits))
	}
}

// A reference record given otherwise in two files, a record of another
// kind given in two, and an error of the second file: each names its
// file, its line and column and its index in its own file; the two
// given twice name the other file and line too.
func TestReadDatasetPartsErrorsNameTheirFile(t *testing.T) {
	d := `{
 "tasks": [{"local": "Dusch", "category": "care"},
  {"local": "Städ", "category": "care"}],
 "decisions": [{"id": "d1", "customer": "k1", "provider": "p1", "valid_from": "2024-01-01",
   "items": [{"task": "Städ", "category": "service", "minutes": 60, "times": 1, "per": "week"}]}],
 "visits": [
  {"id": "v9", "customer": "k9", "provider": "p1", "start": "2024-04-03T10:00:00+02:00", "end": "2024-04-03T11:00:00+02:00", "tasks": ["Städ"], "approved": true}
 ]
}`
	_, err := ReadDatasetParts(parts("a.json", partA, "d.json", d)...)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`models: d.json:3:21: tasks[1] (id Städ): category: duplicate id: "Städ" is also tasks[0] in a.json:2, given otherwise (a record given in two files must be given alike)`,
		`models: d.json:4:17: decisions[0] (id d1): id: duplicate id: "d1" is also decisions[0] in a.json:5`,
		`models: d.json:7:`,
		`visits[0] (id v9): customer: unknown reference: no customer "k9"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// A customer given in two files, once with an empty zone_changes list and
// once without the member (a nil and an empty slice), is given alike:
// compared with reflect.DeepEqual it was refused as given otherwise.
func TestReadDatasetPartsEmptyListVsOmitted(t *testing.T) {
	a := `{"customers": [{"id": "k1", "zone": "tätort"}], "providers": [{"id": "p1", "name": "P", "ownership": "own"}]}`
	b := `{"customers": [{"id": "k1", "zone": "tätort", "zone_changes": []}], "providers": [{"id": "p1", "name": "P", "ownership": "own"}]}`
	if _, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...); err != nil {
		t.Errorf("customer with zone_changes [] vs omitted refused:\n%v", err)
	}
}

// fee_headroom "100" and "100.00" are the same amount, alike (DeepEqual
// compared coefficient and exponent).
func TestReadDatasetPartsEqualDecimalOtherScale(t *testing.T) {
	a := `{"customers": [{"id": "k1", "zone": "tätort", "fee_headroom": "100"}]}`
	b := `{"customers": [{"id": "k1", "zone": "tätort", "fee_headroom": "100.00"}]}`
	if _, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...); err != nil {
		t.Errorf("fee_headroom 100 vs 100.00 refused:\n%v", err)
	}
}

// The same zone changes listed in another order (Customer.Zones sorts
// them; the order means nothing) are alike.
func TestReadDatasetPartsZoneChangesOrder(t *testing.T) {
	a := `{"customers": [{"id": "k1", "zone": "tätort", "zone_changes": [{"from": "2024-03-01", "zone": "a"}, {"from": "2024-05-01", "zone": "b"}]}]}`
	b := `{"customers": [{"id": "k1", "zone": "tätort", "zone_changes": [{"from": "2024-05-01", "zone": "b"}, {"from": "2024-03-01", "zone": "a"}]}]}`
	if _, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...); err != nil {
		t.Errorf("same zone changes in another order refused:\n%v", err)
	}
}

// Member order, and an explicit zero value against an omitted member,
// are alike: kept once.
func TestReadDatasetPartsFieldOrderAndZero(t *testing.T) {
	a := `{"providers": [{"id": "p1", "name": "P", "ownership": "own"}]}`
	b := `{"providers": [{"ownership": "own", "vat_registered": false, "org_number": "", "name": "P", "id": "p1"}]}`
	ds, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...)
	if err != nil || len(ds.Providers) != 1 {
		t.Fatalf("err %v", err)
	}
}

// A duplicate id inside one file (b.json's visits[0] and visits[1]) is
// found by Validate on the merged list and placed in b.json, the other
// record named by its file and its index there: "is also visits[0] in
// b.json:3" (it said "is also visits[1]", its index in the merged list,
// a.json having one visit).
func TestReadDatasetPartsDuplicateInOneFile(t *testing.T) {
	a := `{
 "tasks": [{"local": "Städ", "category": "service"}],
 "customers": [{"id": "k1", "zone": "tätort"}],
 "providers": [{"id": "p1", "name": "P", "ownership": "own"}],
 "visits": [
  {"id": "v1", "customer": "k1", "provider": "p1", "start": "2024-04-03T10:00:00+02:00", "end": "2024-04-03T11:00:00+02:00", "tasks": ["Städ"], "approved": true}
 ]
}`
	b := `{
 "visits": [
  {"id": "v5", "customer": "k1", "provider": "p1", "start": "2024-04-04T10:00:00+02:00", "end": "2024-04-04T11:00:00+02:00", "tasks": ["Städ"], "approved": true},
  {"id": "v5", "customer": "k1", "provider": "p1", "start": "2024-04-05T10:00:00+02:00", "end": "2024-04-05T11:00:00+02:00", "tasks": ["Städ"], "approved": true}
 ]
}`
	_, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...)
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), `b.json:4`) || !strings.Contains(err.Error(), `visits[1] (id v5)`) {
		t.Errorf("not placed in b.json visits[1]:\n%v", err)
	}
	if !strings.Contains(err.Error(), `is also visits[0] in b.json:3`) {
		t.Errorf("the other record is named by its merged index, not b.json's visits[0]:\n%v", err)
	}
}

// A reference record given otherwise is refused at the first member that
// differs, in the later file, naming the other file and that member's
// line there: fee_headroom 100 against 120, on lines 4 of a.json and 5
// of b.json.
func TestReadDatasetPartsDifferencePlacedOnField(t *testing.T) {
	a := `{"customers": [
 {"id": "k1",
  "zone": "tätort",
  "fee_headroom": "100"}
]}`
	b := `{"customers": [
 {"id": "k1",
  "zone_changes": [],
  "zone": "tätort",
  "fee_headroom": "120.00"}
]}`
	_, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...)
	want := `models: b.json:5:3: customers[0] (id k1): fee_headroom: duplicate id: "k1" is also customers[0] in a.json:4, given otherwise`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("want %q, got:\n%v", want, err)
	}
	// Zone changes that differ (a date) are refused at zone_changes.
	a = `{"customers": [{"id": "k1", "zone": "tätort", "zone_changes": [{"from": "2024-03-01", "zone": "a"}]}]}`
	b = `{"customers": [{"id": "k1", "zone": "tätort", "zone_changes": [{"from": "2024-03-02", "zone": "a"}]}]}`
	if _, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...); err == nil || !strings.Contains(err.Error(), "customers[0] (id k1): zone_changes: duplicate id") {
		t.Errorf("zone changes of another date: %v", err)
	}
	// A provider's attributes: empty and left out alike, another value not.
	a = `{"providers": [{"id": "p1", "name": "P", "ownership": "own", "attributes": {}}]}`
	b = `{"providers": [{"id": "p1", "name": "P", "ownership": "own"}]}`
	if _, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...); err != nil {
		t.Errorf("attributes {} and left out: %v", err)
	}
	b = `{"providers": [{"id": "p1", "name": "P", "ownership": "own", "attributes": {"klass": "B"}}]}`
	if _, err := ReadDatasetParts(parts("a.json", a, "b.json", b)...); err == nil || !strings.Contains(err.Error(), "providers[0] (id p1): attributes: duplicate id") {
		t.Errorf("attributes of another value: %v", err)
	}
}

// TestDiffersKnowsEveryField changes each field of a task code, a
// customer and a provider in turn, from its zero value, and expects the
// record's differs function to name that field by its JSON name: a field
// added to a record and not to its differs function fails here, and so
// does one compared under another field's name.
func TestDiffersKnowsEveryField(t *testing.T) {
	check := func(zero any, differs func(a, b any) string) {
		typ := reflect.TypeOf(zero)
		for i := range typ.NumField() {
			f := typ.Field(i)
			b := reflect.New(typ).Elem()
			b.Field(i).Set(nonZero(t, f.Type))
			want, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if got := differs(zero, b.Interface()); got != want {
				t.Errorf("%s.%s changed: differs says %q, want %q", typ.Name(), f.Name, got, want)
			}
			if got := differs(b.Interface(), b.Interface()); got != "" {
				t.Errorf("%s.%s set on both: differs says %q, want none", typ.Name(), f.Name, got)
			}
		}
	}
	check(LocalTask{}, func(a, b any) string { x, y := a.(LocalTask), b.(LocalTask); return taskDiffers(&x, &y) })
	check(Customer{}, func(a, b any) string { x, y := a.(Customer), b.(Customer); return customerDiffers(&x, &y) })
	check(Provider{}, func(a, b any) string { x, y := a.(Provider), b.(Provider); return providerDiffers(&x, &y) })
}

// nonZero returns a value of type typ that is not its zero value, nor
// equal to it by the records' notions of sameness: a slice and a map of
// one non-zero element, a pointer to a non-zero value.
func nonZero(t *testing.T, typ reflect.Type) reflect.Value {
	t.Helper()
	switch typ {
	case reflect.TypeFor[decimal.Decimal]():
		return reflect.ValueOf(decimal.NewFromInt(1))
	case reflect.TypeFor[ksi.Code]():
		return reflect.ValueOf(ksi.MustParse("SME PH ZZ"))
	case reflect.TypeFor[calendar.Date]():
		return reflect.ValueOf(calendar.MustParseDate("2024-04-01"))
	}
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Pointer:
		v.Set(reflect.New(typ.Elem()))
		v.Elem().Set(nonZero(t, typ.Elem()))
	case reflect.Slice:
		v.Set(reflect.Append(v, nonZero(t, typ.Elem())))
	case reflect.Map:
		v.Set(reflect.MakeMap(typ))
		v.SetMapIndex(nonZero(t, typ.Key()), nonZero(t, typ.Elem()))
	case reflect.Struct:
		for i := range typ.NumField() {
			v.Field(i).Set(nonZero(t, typ.Field(i).Type))
		}
	default:
		t.Fatalf("nonZero: no value for %s", typ)
	}
	return v
}

// A visit read from CSV whose id an earlier visit of its part has is
// placed by Validate at its line; the earlier one is named by its index
// in its part and its line, not by its index in the merged dataset.
func TestReadDatasetPartsDuplicateInCSVPart(t *testing.T) {
	v := Visit{ID: "v5", Customer: "k1", Provider: "p1", Tasks: []string{"Städ"}, Approved: true,
		Start: time.Date(2024, 4, 4, 10, 0, 0, 0, time.UTC), End: time.Date(2024, 4, 4, 11, 0, 0, 0, time.UTC)}
	v1, v2 := v, v
	v1.Source, v2.Source = Source{File: "v.csv", Line: 2}, Source{File: "v.csv", Line: 7}
	v2.Start, v2.End = v2.Start.AddDate(0, 0, 1), v2.End.AddDate(0, 0, 1)
	_, err := ReadDatasetParts(append(parts("a.json", partA, "b.json", partB), DatasetPart{File: "v.csv", Visits: []Visit{v1, v2}})...)
	want := `v.csv:7: visits (id v5): id: duplicate id: "v5" is also visits[0] in v.csv:2`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("want %q, got:\n%v", want, err)
	}
}
