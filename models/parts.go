package models

import (
	"errors"
	"fmt"
	"io"
	"reflect"
)

// DatasetPart is one JSON document of a dataset given in several files:
// the file's name, which errors name, and its content.
type DatasetPart struct {
	File string
	R    io.Reader
}

// ReadDatasetParts reads a dataset given in several JSON documents,
// each as ReadDataset reads one, merges them in order and validates the
// whole once: a part may refer to the customers, providers and task
// codes of another (visits in one file, the customers they are of in
// another).
//
// Reference records, a task of the task map (by its local code), a
// customer or a provider (by id), may be given in more than one part,
// so that each file can be complete on its own: a record given alike in
// two parts is kept once; given otherwise, it is an error naming both
// files and where. Any other record (a decision, visit, listing,
// absence or alarm event) given in two parts under one id is an error
// naming both. Every error is an *InputError naming the file, the line
// and column, and the record by its index in its own file.
func ReadDatasetParts(parts ...DatasetPart) (*Dataset, error) {
	decoded := make([]*datasetPart, len(parts))
	var errs []error
	for i, p := range parts {
		d, err := decodeDataset(p.R, p.File)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d.ds.normaliseTasks()
		decoded[i] = d
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	m := &merger{parts: decoded, origins: map[string][]origin{}}
	ds := &Dataset{}
	mergeRecords(m, "tasks", "local", true, func(d *Dataset) *[]LocalTask { return &d.Tasks }, func(t *LocalTask) string { return t.Local }, ds)
	mergeRecords(m, "customers", "id", true, func(d *Dataset) *[]Customer { return &d.Customers }, func(c *Customer) string { return c.ID }, ds)
	mergeRecords(m, "providers", "id", true, func(d *Dataset) *[]Provider { return &d.Providers }, func(p *Provider) string { return p.ID }, ds)
	mergeRecords(m, "decisions", "id", false, func(d *Dataset) *[]Decision { return &d.Decisions }, func(d *Decision) string { return d.ID }, ds)
	mergeRecords(m, "visits", "id", false, func(d *Dataset) *[]Visit { return &d.Visits }, func(v *Visit) string { return v.ID }, ds)
	mergeRecords(m, "listings", "id", false, func(d *Dataset) *[]Listing { return &d.Listings }, func(l *Listing) string { return l.ID }, ds)
	mergeRecords(m, "absences", "id", false, func(d *Dataset) *[]Absence { return &d.Absences }, func(a *Absence) string { return a.ID }, ds)
	mergeRecords(m, "alarm_events", "id", false, func(d *Dataset) *[]AlarmEvent { return &d.AlarmEvents }, func(e *AlarmEvent) string { return e.ID }, ds)
	err := ds.Validate()
	errs = append(m.errs, eachError(err, func(ie *InputError) {
		if ie.File != "" || ie.Line != 0 {
			return
		}
		if os := m.origins[ie.Record]; ie.Index >= 0 && ie.Index < len(os) {
			o := os[ie.Index]
			m.parts[o.part].place(ie, o.index)
		}
	})...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ds, nil
}

// origin is where a merged record comes from: its part and its index
// there.
type origin struct{ part, index int }

type merger struct {
	parts   []*datasetPart
	origins map[string][]origin // by collection, in the merged order
	errs    []error
}

// where names a record of a part: "a.json:3".
func (m *merger) where(record string, o origin) string {
	ie := &InputError{Record: record}
	m.parts[o.part].place(ie, o.index)
	if ie.Line > 0 {
		return fmt.Sprintf("%s[%d] in %s:%d", record, o.index, ie.File, ie.Line)
	}
	return fmt.Sprintf("%s[%d] in %s", record, o.index, ie.File)
}

// mergeRecords appends each part's records of one collection to ds in
// order, keeping one of reference records given alike in two parts and
// refusing records given in two parts otherwise.
func mergeRecords[T any](m *merger, record, idField string, reference bool, of func(*Dataset) *[]T, id func(*T) string, ds *Dataset) {
	first := map[string]origin{}
	for pi, p := range m.parts {
		list := *of(&p.ds)
		for i := range list {
			r := &list[i]
			o := origin{pi, i}
			k := id(r)
			if f, ok := first[k]; ok && k != "" && f.part != pi {
				prev := &(*of(&m.parts[f.part].ds))[f.index]
				if reference && reflect.DeepEqual(prev, r) {
					continue // the same record, in both files
				}
				ie := &InputError{Record: record, ID: k, Field: idField}
				if reference {
					ie.Err = fmt.Errorf("%w: %q is also %s, given otherwise (a record given in two files must be given alike)", ErrDuplicateID, k, m.where(record, f))
				} else {
					ie.Err = fmt.Errorf("%w: %q is also %s", ErrDuplicateID, k, m.where(record, f))
				}
				p.place(ie, i)
				m.errs = append(m.errs, ie)
				continue
			}
			if _, ok := first[k]; !ok {
				first[k] = o
			}
			*of(ds) = append(*of(ds), *r)
			m.origins[record] = append(m.origins[record], o)
		}
	}
}
