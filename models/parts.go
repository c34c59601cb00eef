package models

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/shopspring/decimal"
)

// DatasetPart is one JSON document of a dataset given in several files:
// the file's name, which errors name, and its content; or, with R nil,
// visits read otherwise (a CSV export read by ReadVisitsCSVWith), which
// errors name by their Source, the file and line they were read from.
type DatasetPart struct {
	File   string
	R      io.Reader
	Visits []Visit
}

// ReadDatasetParts reads a dataset given in several JSON documents,
// each as ReadDataset reads one, and parts of visits read otherwise (a
// CSV export), merges them in order and validates the whole once: a part
// may refer to the customers, providers and task codes of another
// (visits in one file, the customers they are of in another).
//
// Reference records, a task of the task map (by its local code), a
// customer or a provider (by id), may be given in more than one part,
// so that each file can be complete on its own: a record given alike in
// two parts is kept once; given otherwise, it is an error placed on the
// first member that differs (its file, line and column in the later
// file), naming the other file and the line of that member there. Alike
// means by value, as the records mean the same: amounts by value
// ("100" and "100.00"), an empty list or map as one left out, zone
// changes in any order (by date), members in any order and a zero
// value as one left out. Any other record (a decision, visit, listing,
// absence or alarm event) given in two parts under one id is an error
// naming both. Every error is an *InputError naming the file, the line
// and column, and the record by its index in its own file; one of two
// records of one id names the other by its file and its index there.
func ReadDatasetParts(parts ...DatasetPart) (*Dataset, error) {
	decoded := make([]*datasetPart, len(parts))
	var errs []error
	for i, p := range parts {
		if p.R == nil {
			decoded[i] = &datasetPart{ds: Dataset{Visits: p.Visits}, doc: &jsonDoc{file: p.File}, offsets: map[recordField]int{}}
			continue
		}
		d, err := decodeDataset(p.R, p.File)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d.ds.normaliseTasks()
		decoded[i] = d
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs...)
	}
	m := &merger{parts: decoded, origins: map[string][]origin{}}
	ds := &Dataset{}
	mergeRecords(m, "tasks", "local", taskDiffers, func(d *Dataset) *[]LocalTask { return &d.Tasks }, func(t *LocalTask) string { return t.Local }, ds)
	mergeRecords(m, "customers", "id", customerDiffers, func(d *Dataset) *[]Customer { return &d.Customers }, func(c *Customer) string { return c.ID }, ds)
	mergeRecords(m, "providers", "id", providerDiffers, func(d *Dataset) *[]Provider { return &d.Providers }, func(p *Provider) string { return p.ID }, ds)
	mergeRecords(m, "decisions", "id", nil, func(d *Dataset) *[]Decision { return &d.Decisions }, func(d *Decision) string { return d.ID }, ds)
	mergeRecords(m, "visits", "id", nil, func(d *Dataset) *[]Visit { return &d.Visits }, func(v *Visit) string { return v.ID }, ds)
	mergeRecords(m, "listings", "id", nil, func(d *Dataset) *[]Listing { return &d.Listings }, func(l *Listing) string { return l.ID }, ds)
	mergeRecords(m, "absences", "id", nil, func(d *Dataset) *[]Absence { return &d.Absences }, func(a *Absence) string { return a.ID }, ds)
	mergeRecords(m, "alarm_events", "id", nil, func(d *Dataset) *[]AlarmEvent { return &d.AlarmEvents }, func(e *AlarmEvent) string { return e.ID }, ds)
	err := ds.Validate()
	errs = append(m.errs, eachError(err, m.placeMerged)...)
	if len(errs) > 0 {
		return nil, joinErrors(errs...)
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

// placeMerged places an error Validate found in the merged dataset in
// its record's part: the file, line and column, and the index in that
// file; a duplicate id names the other record by its file and its index
// there too ("is also visits[0] in b.json:3", not its merged index).
func (m *merger) placeMerged(ie *InputError) {
	os := m.origins[ie.Record]
	// Before the placed return: a visit read from CSV is placed by
	// Validate, but the visit its id is also of only here.
	var dup *duplicateError
	if errors.As(ie.Err, &dup) && dup.prev >= 0 && dup.prev < len(os) {
		dup.where = m.where(ie.Record, "", os[dup.prev])
	}
	if ie.File != "" || ie.Line != 0 || ie.Index < 0 || ie.Index >= len(os) {
		return
	}
	o := os[ie.Index]
	m.parts[o.part].place(ie, o.index)
}

// where names a record of a part, at its member field when the record
// has it: "tasks[0] in a.json:3".
func (m *merger) where(record, field string, o origin) string {
	ie := &InputError{Record: record, Field: field}
	m.parts[o.part].place(ie, o.index)
	if ie.Line > 0 {
		return fmt.Sprintf("%s[%d] in %s:%d", record, o.index, ie.File, ie.Line)
	}
	return fmt.Sprintf("%s[%d] in %s", record, o.index, ie.File)
}

// mergeRecords appends each part's records of one collection to ds in
// order. Of reference records (differs set), one given alike in two
// parts is kept once and one given otherwise refused at the first member
// differs names; any other record given in two parts is refused.
func mergeRecords[T any](m *merger, record, idField string, differs func(a, b *T) string, of func(*Dataset) *[]T, id func(*T) string, ds *Dataset) {
	first := map[string]origin{}
	for pi, p := range m.parts {
		list := *of(&p.ds)
		for i := range list {
			r := &list[i]
			o := origin{pi, i}
			k := id(r)
			if f, ok := first[k]; ok && k != "" && f.part != pi {
				prev := &(*of(&m.parts[f.part].ds))[f.index]
				ie := &InputError{Record: record, ID: k, Field: idField}
				if differs == nil {
					ie.Err = fmt.Errorf("%w: %q is also %s", ErrDuplicateID, k, m.where(record, "", f))
				} else {
					field := differs(prev, r)
					if field == "" {
						continue // the same record, in both files
					}
					ie.Field = field
					ie.Err = fmt.Errorf("%w: %q is also %s, given otherwise (a record given in two files must be given alike)",
						ErrDuplicateID, k, m.where(record, field, f))
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

// taskDiffers, customerDiffers and providerDiffers return the JSON name
// of the first member in which two records of one key differ in what
// they mean, or "" when they are alike (see ReadDatasetParts).
// TestDiffersKnowsEveryField changes each field in turn and expects its
// name.
func taskDiffers(a, b *LocalTask) string {
	switch {
	case a.Local != b.Local:
		return "local"
	case a.KSI != b.KSI:
		return "ksi"
	case a.Category != b.Category:
		return "category"
	case a.Title != b.Title:
		return "title"
	}
	return ""
}

func customerDiffers(a, b *Customer) string {
	switch {
	case a.ID != b.ID:
		return "id"
	case a.Zone != b.Zone:
		return "zone"
	case !sameZoneChanges(a.ZoneChanges, b.ZoneChanges):
		return "zone_changes"
	case !sameAmount(a.FeeHeadroom, b.FeeHeadroom):
		return "fee_headroom"
	}
	return ""
}

func providerDiffers(a, b *Provider) string {
	switch {
	case a.ID != b.ID:
		return "id"
	case a.Name != b.Name:
		return "name"
	case a.Ownership != b.Ownership:
		return "ownership"
	case a.OrgNumber != b.OrgNumber:
		return "org_number"
	case a.VATNumber != b.VATNumber:
		return "vat_number"
	case a.Bankgiro != b.Bankgiro:
		return "bankgiro"
	case a.Plusgiro != b.Plusgiro:
		return "plusgiro"
	case a.PeppolID != b.PeppolID:
		return "peppol_id"
	case a.Contract != b.Contract:
		return "contract"
	case a.VATRegistered != b.VATRegistered:
		return "vat_registered"
	case !maps.Equal(a.Attributes, b.Attributes): // nil and empty alike
		return "attributes"
	}
	return ""
}

// sameZoneChanges reports whether two lists hold the same zone changes,
// in any order (Customer.Zones sorts them by date), nil and empty alike.
func sameZoneChanges(a, b []ZoneChange) bool {
	if len(a) != len(b) {
		return false
	}
	byDate := func(x, y ZoneChange) int { return cmp.Or(x.From.Compare(y.From), cmp.Compare(x.Zone, y.Zone)) }
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, byDate)
	slices.SortFunc(b, byDate)
	return slices.Equal(a, b)
}

// sameAmount reports whether two optional amounts are both absent or
// equal in value ("100" and "100.00").
func sameAmount(a, b *decimal.Decimal) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
