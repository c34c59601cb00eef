package models

import (
	"strings"
	"testing"
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
		`models: d.json:3:4: tasks[1] (id Städ): local: duplicate id: "Städ" is also tasks[0] in a.json:2, given otherwise (a record given in two files must be given alike)`,
		`models: d.json:4:17: decisions[0] (id d1): id: duplicate id: "d1" is also decisions[0] in a.json:5`,
		`models: d.json:7:`,
		`visits[0] (id v9): customer: unknown reference: no customer "k9"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
