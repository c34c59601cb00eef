package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
)

// Dataset is everything a settlement is computed from: the municipality's
// local task codes, customers, providers, decisions, visits, listings,
// absences and alarm events. It is plain data; ReadDataset reads it from
// one JSON document and Validate checks it as a whole.
type Dataset struct {
	Tasks       []ksi.LocalTask `json:"tasks"`
	Customers   []Customer      `json:"customers"`
	Providers   []Provider      `json:"providers"`
	Decisions   []Decision      `json:"decisions"`
	Visits      []Visit         `json:"visits"`
	Listings    []Listing       `json:"listings,omitempty"`
	Absences    []Absence       `json:"absences,omitempty"`
	AlarmEvents []AlarmEvent    `json:"alarm_events,omitempty"`
}

// ReadDataset reads a dataset from one JSON document (the fields of
// Dataset; unknown fields are errors) and validates it. Every problem is
// returned at once, each an *InputError naming the line, the record and
// the field.
func ReadDataset(r io.Reader) (*Dataset, error) { return readDataset(r, "") }

// ReadDatasetFS reads the dataset file name from fsys.
func ReadDatasetFS(fsys fs.FS, name string) (*Dataset, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &InputError{File: name, Index: -1, Err: err}
	}
	defer f.Close()
	return readDataset(f, name)
}

func readDataset(r io.Reader, file string) (*Dataset, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &InputError{File: file, Index: -1, Err: err}
	}
	var ds Dataset
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ds); err != nil {
		return nil, jsonError(file, data, err)
	}
	if dec.More() {
		return nil, &InputError{File: file, Line: lineOf(data, dec.InputOffset()), Index: -1, Err: errors.New("data after the JSON document")}
	}
	lines := recordLines(data)
	err = ds.Validate()
	if err == nil {
		return &ds, nil
	}
	return nil, errors.Join(eachError(err, func(ie *InputError) {
		ie.File = file
		if ls := lines[ie.Record]; ie.Index >= 0 && ie.Index < len(ls) {
			ie.Line = ls[ie.Index]
		}
	})...)
}

// jsonError turns a decoding error into an *InputError with a line.
func jsonError(file string, data []byte, err error) error {
	ie := &InputError{File: file, Index: -1, Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		ie.Line = lineOf(data, se.Offset)
	case errors.As(err, &te):
		ie.Line = lineOf(data, te.Offset)
		ie.Field = te.Field
		ie.Err = fmt.Errorf("cannot use %s as %s", te.Value, te.Type)
	default:
		// encoding/json gives no offset for an unknown field: the line of
		// its first occurrence as a key is the best guess.
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			if i := bytes.Index(data, []byte(name+":")); i >= 0 {
				ie.Line = lineOf(data, int64(i))
			} else if i := bytes.Index(data, []byte(name)); i >= 0 {
				ie.Line = lineOf(data, int64(i))
			}
		}
	}
	return ie
}

// lineOf returns the 1-based line of byte offset off in data, skipping
// white space and separators so that it names the line of the next value.
func lineOf(data []byte, off int64) int {
	for int(off) < len(data) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
		off++
	}
	return bytes.Count(data[:min(int(off), len(data))], []byte("\n")) + 1
}

// recordLines returns the line of every record of every top-level array in
// a JSON object, by collection name.
func recordLines(data []byte) map[string][]int {
	out := map[string][]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return out
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return out
		}
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return out
		}
		start += int64(bytes.Index(data[start:], raw[:1]))
		elems := json.NewDecoder(bytes.NewReader(raw))
		if t, err := elems.Token(); err != nil || t != json.Delim('[') {
			continue
		}
		name, _ := key.(string)
		for elems.More() {
			out[name] = append(out[name], lineOf(data, start+elems.InputOffset()))
			var elem json.RawMessage
			if err := elems.Decode(&elem); err != nil {
				break
			}
		}
	}
	return out
}

// TaskMap builds the dataset's task map, checking every task's category.
func (d *Dataset) TaskMap() (*ksi.TaskMap, error) {
	m, err := ksi.NewTaskMap(d.Tasks, nil)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for i, t := range d.Tasks {
		if _, err := ParseCategory(t.Category); err != nil && t.Category != "" {
			errs = append(errs, &InputError{Record: "tasks", Index: i, ID: t.Local, Field: "category", Err: err})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

// Validate checks every record on its own and the dataset as a whole:
// unique ids, references to known customers, providers and task codes,
// and no two decisions for the same customer granting the same category
// on the same day. It returns every problem at once, each an *InputError.
func (d *Dataset) Validate() error {
	var errs []error
	record := func(coll string, i int, id string, err error) {
		errs = append(errs, eachError(err, func(ie *InputError) {
			ie.Record, ie.Index, ie.ID = coll, i, id
		})...)
	}
	tasks, err := d.TaskMap()
	if err != nil {
		errs = append(errs, err)
	}
	customers := indexIDs(len(d.Customers), func(i int) string { return d.Customers[i].ID }, "customers", record)
	providers := indexIDs(len(d.Providers), func(i int) string { return d.Providers[i].ID }, "providers", record)
	indexIDs(len(d.Decisions), func(i int) string { return d.Decisions[i].ID }, "decisions", record)
	indexIDs(len(d.Visits), func(i int) string { return d.Visits[i].ID }, "visits", record)
	indexIDs(len(d.Listings), func(i int) string { return d.Listings[i].ID }, "listings", record)
	indexIDs(len(d.Absences), func(i int) string { return d.Absences[i].ID }, "absences", record)
	indexIDs(len(d.AlarmEvents), func(i int) string { return d.AlarmEvents[i].ID }, "alarm_events", record)

	refs := func(coll string, i int, id, customer, provider string) {
		if _, ok := customers[customer]; !ok && customer != "" {
			record(coll, i, id, fieldError("customer", fmt.Errorf("%w: no customer %q", ErrUnknownReference, customer)))
		}
		if _, ok := providers[provider]; !ok && provider != "-" && provider != "" {
			record(coll, i, id, fieldError("provider", fmt.Errorf("%w: no provider %q", ErrUnknownReference, provider)))
		}
	}
	knownTask := func(code string) bool {
		_, ok := tasks.Lookup(code)
		return ok
	}
	for i := range d.Customers {
		record("customers", i, d.Customers[i].ID, d.Customers[i].Validate())
	}
	for i := range d.Providers {
		record("providers", i, d.Providers[i].ID, d.Providers[i].Validate())
	}
	for i := range d.Decisions {
		dec := &d.Decisions[i]
		record("decisions", i, dec.ID, dec.Validate())
		refs("decisions", i, dec.ID, dec.Customer, dec.Provider)
		for j, it := range dec.Items {
			if it.Task != "" && tasks != nil && !knownTask(it.Task) {
				record("decisions", i, dec.ID, fieldError(fmt.Sprintf("items[%d].task", j), fmt.Errorf("%w %q", ErrUnknownTask, it.Task)))
			}
		}
	}
	for i := range d.Visits {
		v := &d.Visits[i]
		record("visits", i, v.ID, v.Validate())
		refs("visits", i, v.ID, v.Customer, v.Provider)
		for j, t := range v.Tasks {
			if tasks != nil && t != "" && !knownTask(t) {
				record("visits", i, v.ID, fieldError(fmt.Sprintf("tasks[%d]", j), fmt.Errorf("%w %q", ErrUnknownTask, t)))
			}
		}
	}
	for i := range d.Listings {
		l := &d.Listings[i]
		record("listings", i, l.ID, l.Validate())
		refs("listings", i, l.ID, l.Customer, l.Provider)
	}
	for i := range d.Absences {
		a := &d.Absences[i]
		record("absences", i, a.ID, a.Validate())
		refs("absences", i, a.ID, a.Customer, "-")
	}
	for i := range d.AlarmEvents {
		e := &d.AlarmEvents[i]
		record("alarm_events", i, e.ID, e.Validate())
		refs("alarm_events", i, e.ID, e.Customer, e.Provider)
	}
	errs = append(errs, d.checkOverlaps()...)
	return errors.Join(errs...)
}

// indexIDs maps ids to indexes, reporting empty ids to no one (Validate
// does) and duplicates through record.
func indexIDs(n int, id func(int) string, coll string, record func(string, int, string, error)) map[string]int {
	m := make(map[string]int, n)
	for i := range n {
		k := id(i)
		if k == "" {
			continue
		}
		if prev, dup := m[k]; dup {
			record(coll, i, k, fieldError("id", fmt.Errorf("%w: %q is also %s[%d]", ErrDuplicateID, k, coll, prev)))
			continue
		}
		m[k] = i
	}
	return m
}

// checkOverlaps reports decisions of one customer that grant the same
// category on a common day.
func (d *Dataset) checkOverlaps() []error {
	type grant struct {
		index int
		cats  []Category
	}
	byCustomer := map[string][]grant{}
	for i := range d.Decisions {
		dec := &d.Decisions[i]
		var cats []Category
		for _, it := range dec.Items {
			if !slices.Contains(cats, it.Category) && it.Category != CategoryUnknown {
				cats = append(cats, it.Category)
			}
		}
		byCustomer[dec.Customer] = append(byCustomer[dec.Customer], grant{i, cats})
	}
	var errs []error
	for i := range d.Decisions {
		dec := &d.Decisions[i]
		for _, g := range byCustomer[dec.Customer] {
			if g.index >= i {
				break
			}
			other := &d.Decisions[g.index]
			common, ok := rangeOf(dec).Intersect(rangeOf(other))
			if !ok {
				continue
			}
			for _, it := range dec.Items {
				if slices.Contains(g.cats, it.Category) {
					errs = append(errs, &InputError{Record: "decisions", Index: i, ID: dec.ID, Field: "valid_from",
						Err: fmt.Errorf("%w: grants %s on %s, as decision %q does", ErrOverlap, it.Category, common, other.ID)})
					break
				}
			}
		}
	}
	return errs
}

func rangeOf(d *Decision) calendar.DateRange {
	return calendar.DateRange{From: d.ValidFrom, To: d.ValidTo}
}
