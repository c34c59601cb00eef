package models

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hemtjanst/ersattning/calendar"
)

// Dataset is everything a settlement is computed from: the municipality's
// local task codes, customers, providers, decisions, visits, listings,
// absences and alarm events. It is plain data; ReadDataset reads it from
// one JSON document, ReadDatasetParts from several merged, and Validate
// checks it as a whole.
type Dataset struct {
	Tasks       []LocalTask  `json:"tasks"`
	Customers   []Customer   `json:"customers"`
	Providers   []Provider   `json:"providers"`
	Decisions   []Decision   `json:"decisions"`
	Visits      []Visit      `json:"visits"`
	Listings    []Listing    `json:"listings,omitempty"`
	Absences    []Absence    `json:"absences,omitempty"`
	AlarmEvents []AlarmEvent `json:"alarm_events,omitempty"`
}

// ReadDataset reads a dataset from one JSON document (the fields of
// Dataset) and validates it. It is stricter than encoding/json: unknown
// fields, a field given twice in one object (compared, as encoding/json
// does, without regard to case), invalid UTF-8 and lone surrogate escapes
// in strings, and data after the document are errors; a UTF-8 byte order
// mark is skipped. Task codes of the task list, granted items and visits
// are stored normalised (see TaskMap). Every problem is returned at
// once, each an *InputError naming the line and column, the record, its
// id and the field; a record that does not decode (a value of the wrong
// type or form) is named at its first such value, and its other fields
// are checked once that is mended. Times are RFC 3339 with their UTC
// offset (2024-03-31T01:30:00+01:00, Z for UTC): a local time without
// one, which the clocks may skip or repeat, is read from a visits CSV
// only (ReadVisitsCSVWith); dates are 2024-03-31.
//
// Reading takes time linear in the size of the document: one pass checks
// it and records where each record starts, encoding/json decodes it, and
// the position of an error inside a record is found in an index of line
// starts built once.
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
	part, err := decodeDataset(r, file)
	if err != nil {
		return nil, err
	}
	ds := &part.ds
	ds.normaliseTasks()
	err = ds.Validate()
	if err == nil {
		return ds, nil
	}
	return nil, joinErrors(eachError(err, func(ie *InputError) {
		if ie.File != "" || ie.Line != 0 {
			return // placed already, e.g. a visit read from CSV
		}
		part.place(ie, ie.Index)
	})...)
}

// datasetPart is a JSON document decoded, not yet validated: its
// records, and where each starts.
type datasetPart struct {
	ds      Dataset
	doc     *jsonDoc
	records map[string][]span
	// offsets holds where a field of a record starts: many errors of
	// one record (each of its items, say) are placed at the same member,
	// whose key is looked for once. -1 when the record has no such key.
	offsets map[recordField]int
}

type recordField struct {
	record string
	index  int
	name   string
}

// decodeDataset decodes one JSON document, without validating it.
func decodeDataset(r io.Reader, file string) (*datasetPart, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, &InputError{File: file, Index: -1, Err: err}
	}
	doc := &jsonDoc{data: data, file: file}
	members, err := scanDocument(doc, '{')
	if err != nil {
		return nil, err
	}
	p := &datasetPart{doc: doc, records: make(map[string][]span, len(members)), offsets: map[recordField]int{}}
	ds := &p.ds
	var errs []error
	for _, m := range members {
		var err error
		switch m.key {
		case "tasks":
			err = decodeRecords(doc, m.key, m, &ds.Tasks)
		case "customers":
			err = decodeRecords(doc, m.key, m, &ds.Customers)
		case "providers":
			err = decodeRecords(doc, m.key, m, &ds.Providers)
		case "decisions":
			err = decodeRecords(doc, m.key, m, &ds.Decisions)
		case "visits":
			err = decodeRecords(doc, m.key, m, &ds.Visits)
		case "listings":
			err = decodeRecords(doc, m.key, m, &ds.Listings)
		case "absences":
			err = decodeRecords(doc, m.key, m, &ds.Absences)
		case "alarm_events":
			err = decodeRecords(doc, m.key, m, &ds.AlarmEvents)
		default:
			ie := doc.errAt(m.keyAt.start, errors.New("unknown field"))
			ie.Field = m.key
			err = ie
		}
		if err != nil {
			errs = append(errs, err)
		}
		p.records[m.key] = m.elems
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs...)
	}
	return p, nil
}

// place sets the file, index and position of an error of the record
// index of this part's collection ie.Record.
func (p *datasetPart) place(ie *InputError, index int) {
	// A visit read from CSV is named at its line there, as Validate
	// names it.
	if ie.Record == "visits" && index >= 0 && index < len(p.ds.Visits) {
		if src := p.ds.Visits[index].Source; src != (Source{}) {
			ie.File, ie.Line, ie.Column, ie.Index = src.File, src.Line, 0, -1
			return
		}
	}
	ie.File, ie.Index = p.doc.file, index
	rs := p.records[ie.Record]
	if index < 0 || index >= len(rs) {
		return
	}
	ie.Line = rs[index].line
	m := recordField{ie.Record, index, topField(ie.Field)}
	off, ok := p.offsets[m]
	if !ok {
		off = fieldOffset(p.doc.data, rs[index], m.name)
		p.offsets[m] = off
	}
	if off >= 0 {
		ie.Line, ie.Column = p.doc.pos(off)
	}
}

// topField returns the name of the top-level member that field (a path
// such as "items[0].minutes") starts with.
func topField(field string) string {
	name, _, _ := strings.Cut(field, ".")
	name, _, _ = strings.Cut(name, "[")
	return name
}

// fieldOffset returns the offset of the key of the top-level member name
// of record r, or -1: the first key of that name in the record, which
// has no duplicate keys.
func fieldOffset(data []byte, r span, name string) int {
	if name == "" {
		return -1
	}
	rec := data[r.start:r.end]
	key := []byte(strconv.Quote(name))
	for from := 0; ; {
		i := bytes.Index(rec[from:], key)
		if i < 0 {
			return -1
		}
		at := from + i
		rest := bytes.TrimLeft(rec[at+len(key):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return r.start + at
		}
		from = at + len(key)
	}
}

// normaliseTasks writes the task codes of the task list, granted items
// and visits as the task map compares them (see TaskMap).
func (d *Dataset) normaliseTasks() {
	for i := range d.Tasks {
		d.Tasks[i].Local = taskKey(d.Tasks[i].Local)
	}
	for i := range d.Decisions {
		for j := range d.Decisions[i].Items {
			it := &d.Decisions[i].Items[j]
			it.Task = taskKey(it.Task)
		}
	}
	for i := range d.Visits {
		for j, t := range d.Visits[i].Tasks {
			d.Visits[i].Tasks[j] = taskKey(t)
		}
	}
}

// errNoDataset is the error of a method called on a nil *Dataset.
var errNoDataset = errors.New("models: no dataset (nil)")

// TaskMap builds the dataset's task map (see NewTaskMap).
func (d *Dataset) TaskMap() (*TaskMap, error) {
	if d == nil {
		return nil, errNoDataset
	}
	return NewTaskMap(d.Tasks, nil)
}

// Validate checks every record on its own and the dataset as a whole:
// unique ids, references to known customers, providers and task codes,
// and no two decisions for the same customer granting the same category
// on the same day. It returns every problem at once, each an *InputError.
func (d *Dataset) Validate() error {
	if d == nil {
		return errNoDataset
	}
	tasks, err := d.TaskMap()
	return d.validate(tasks, err)
}

// ValidateWith is Validate with the task codes of tasks instead of
// d.Tasks: a dataset of one customer checked against task codes shared by
// a whole month (see reimbursement.SettleCustomers) then costs nothing in
// the number of codes. A nil tasks holds no code: every task code is then
// unknown.
func (d *Dataset) ValidateWith(tasks *TaskMap) error {
	if d == nil {
		return errNoDataset
	}
	if tasks == nil {
		tasks = &TaskMap{}
	}
	return d.validate(tasks, nil)
}

// validate checks the dataset with the task map tasks, whose own errors
// (from building it) are taskErr; with tasks nil (a map that could not
// be built) task codes are not checked.
func (d *Dataset) validate(tasks *TaskMap, taskErr error) error {
	// The visits, nearly all of a month's records, are checked on every
	// core (see checkVisits); the errors come in the same order as from
	// one pass over the records.
	var errs []error
	record := func(coll string, i int, id string, err error) {
		errs = append(errs, recordErrors(coll, i, id, err)...)
	}
	if taskErr != nil {
		errs = append(errs, taskErr)
	}
	var visitIDs, visitChecks []error
	indexVisits := func() {
		checkUnique(len(d.Visits), func(i int) string { return d.Visits[i].ID }, "visits", func(coll string, i int, id string, err error) {
			// The other visit, read from a file, is named where it was
			// read: its index is the dataset's, which a customer's
			// part of a streamed month (WithVisits) does not share
			// with the file ("is also visits[0]" named the first of
			// the customer's visits, not of the file).
			var dup *duplicateError
			if errors.As(err, &dup) && dup.prev >= 0 && dup.prev < len(d.Visits) {
				if src := d.Visits[dup.prev].Source; src.Line > 0 && src.File != "" {
					dup.where = fmt.Sprintf("the visit at %s:%d", quoteOdd(src.File, ""), src.Line)
				} else if src.Line > 0 {
					dup.where = fmt.Sprintf("the visit at line %d", src.Line)
				}
			}
			visitIDs = append(visitIDs, recordErrors(coll, i, id, err)...)
		})
	}
	// A dataset of a few visits (one customer's, see SettleCustomers) is
	// checked on the calling goroutine.
	parallel := len(d.Visits) > visitChunk
	var wg sync.WaitGroup
	if parallel {
		wg.Go(indexVisits)
	}
	customers := &idIndex{ids: indexIDs(len(d.Customers), func(i int) string { return d.Customers[i].ID }, "customers", record)}
	providers := &idIndex{ids: indexIDs(len(d.Providers), func(i int) string { return d.Providers[i].ID }, "providers", record)}
	if parallel {
		wg.Go(func() { visitChecks = d.checkVisits(tasks, customers, providers) })
	} else {
		indexVisits()
		visitChecks = d.checkVisits(tasks, customers, providers)
	}
	checkUnique(len(d.Decisions), func(i int) string { return d.Decisions[i].ID }, "decisions", record)
	wg.Wait()
	errs = append(errs, visitIDs...)
	checkUnique(len(d.Listings), func(i int) string { return d.Listings[i].ID }, "listings", record)
	checkUnique(len(d.Absences), func(i int) string { return d.Absences[i].ID }, "absences", record)
	checkUnique(len(d.AlarmEvents), func(i int) string { return d.AlarmEvents[i].ID }, "alarm_events", record)

	refCustomer := refChecker(customers, nil, record)
	refs := refChecker(customers, providers, record)
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
			// A code that is not clean text is reported by the item's
			// Validate; no map holds it.
			if it.Task != "" && tasks != nil && !knownTask(tasks, it.Task) && checkTaskCode(it.Task) == nil {
				record("decisions", i, dec.ID, fieldError(fmt.Sprintf("items[%d].task", j), tasks.unknownTask(it.Task)))
			}
		}
	}
	errs = append(errs, visitChecks...)
	for i := range d.Listings {
		l := &d.Listings[i]
		record("listings", i, l.ID, l.Validate())
		refs("listings", i, l.ID, l.Customer, l.Provider)
	}
	for i := range d.Absences {
		a := &d.Absences[i]
		record("absences", i, a.ID, a.Validate())
		refCustomer("absences", i, a.ID, a.Customer, "")
	}
	for i := range d.AlarmEvents {
		e := &d.AlarmEvents[i]
		record("alarm_events", i, e.ID, e.Validate())
		refs("alarm_events", i, e.ID, e.Customer, e.Provider)
	}
	errs = append(errs, d.checkOverlaps()...)
	for _, e := range errs {
		// A visit read from CSV is named at its line there, not by its
		// index in the dataset, which counts the visits before the file's
		// too (found by attack: "a.csv:2: visits[1]" for the file's first
		// visit).
		if ie, ok := e.(*InputError); ok && ie.Record == "visits" && ie.Index >= 0 && ie.Index < len(d.Visits) {
			if src := d.Visits[ie.Index].Source; src != (Source{}) {
				ie.File, ie.Line, ie.Index = src.File, src.Line, -1
			}
		}
	}
	return joinErrors(errs...)
}

// recordErrors names the record of each error of err.
func recordErrors(coll string, i int, id string, err error) []error {
	return eachError(err, func(ie *InputError) { ie.Record, ie.Index, ie.ID = coll, i, id })
}

// idIndex is the ids of a collection, and for an id that is not among
// them the one it most likely means.
type idIndex struct {
	ids    map[string]int // id → index of its record
	once   sync.Once
	folded map[string]string // folded id → the least id that folds to it
}

// fold is what two ids that a reader would take for one have in common:
// the same letters in any case, without white space around them.
func fold(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// near returns the known id that id differs from only in case or white
// space around it ("egen" for "Egen"), or "". The folded index is built
// on the first unknown id, once for every goroutine, so that a dataset
// without one does not pay for it and one with many pays once.
func (x *idIndex) near(id string) string {
	x.once.Do(func() {
		x.folded = make(map[string]string, len(x.ids))
		for k := range x.ids {
			f := fold(k)
			if prev, ok := x.folded[f]; !ok || k < prev {
				x.folded[f] = k
			}
		}
	})
	return x.folded[fold(id)]
}

// unknownRef is the error of a reference to a record of kind (customer,
// provider) that x does not hold.
func (x *idIndex) unknownRef(kind, id string) error {
	if near := x.near(id); near != "" {
		return fmt.Errorf("%w: no %s %q; did you mean %q?", ErrUnknownReference, kind, id, near)
	}
	return fmt.Errorf("%w: no %s %q", ErrUnknownReference, kind, id)
}

// refChecker returns a check that a record's references name records
// that exist; an empty one is reported by the record's own Validate, and
// with providers nil only the customer is checked.
func refChecker(customers, providers *idIndex, record func(string, int, string, error)) func(coll string, i int, id, customer, provider string) {
	// The last customer and provider found: records come grouped by
	// customer more often than not, and then most checks are one string
	// comparison instead of a map lookup.
	var lastCustomer, lastProvider string
	return func(coll string, i int, id, customer, provider string) {
		if customer != lastCustomer {
			if _, ok := customers.ids[customer]; ok {
				lastCustomer = customer
			} else if customer != "" {
				record(coll, i, id, fieldError("customer", customers.unknownRef("customer", customer)))
			}
		}
		if providers != nil && provider != lastProvider {
			if _, ok := providers.ids[provider]; ok {
				lastProvider = provider
			} else if provider != "" {
				record(coll, i, id, fieldError("provider", providers.unknownRef("provider", provider)))
			}
		}
	}
}

func knownTask(tasks *TaskMap, code string) bool {
	_, ok := tasks.Lookup(code)
	return ok
}

// visitMemo is what checkVisits keeps from visit to visit for
// Visit.validate: the task codes found in the task map, and the last
// customer and provider ids found plain (see plainASCII), which a
// customer's visits, read one after the other, name again and again:
// compared, mostly with themselves, instead of checked byte by byte.
type visitMemo struct {
	codes              knownCodes
	customer, provider string
}

// plainIDs reports whether the visit's id, customer and provider are
// each plainASCII; m (nil: none) remembers the customer and provider
// found so.
func (m *visitMemo) plainIDs(v *Visit) bool {
	if !plainASCII(v.ID) {
		return false
	}
	if m == nil {
		return plainASCII(v.Customer) && plainASCII(v.Provider)
	}
	if v.Customer != m.customer || m.customer == "" {
		if !plainASCII(v.Customer) {
			return false
		}
		m.customer = v.Customer
	}
	if v.Provider != m.provider || m.provider == "" {
		if !plainASCII(v.Provider) {
			return false
		}
		m.provider = v.Provider
	}
	return true
}

// knownCodes remembers task codes found in a task map: a month's visits
// name a few codes again and again, which are then compared, mostly
// with themselves, instead of trimmed, folded and looked up in the map.
// A code is kept in the slot of its length and last byte.
type knownCodes [64]string

// has reports whether tasks holds code.
func (k *knownCodes) has(tasks *TaskMap, code string) bool {
	s := &k[(len(code)*8+int(code[len(code)-1]))%len(k)]
	if *s == code {
		return true
	}
	if !knownTask(tasks, code) {
		return false
	}
	*s = code
	return true
}

// visitChunk is how many visits checkVisits checks at a time on one core.
const visitChunk = 1 << 14

// checkVisits checks each visit on its own and its references, in chunks
// on every core, and returns the errors in the order of the visits.
func (d *Dataset) checkVisits(tasks *TaskMap, customers, providers *idIndex) []error {
	check := func(from, to int) []error {
		var errs []error
		record := func(coll string, i int, id string, err error) {
			errs = append(errs, recordErrors(coll, i, id, err)...)
		}
		refs := refChecker(customers, providers, record)
		var known visitMemo
		for i := from; i < to; i++ {
			v := &d.Visits[i]
			allKnown, err := v.validate(tasks, &known)
			if err != nil { // most visits have none: no call to record nothing
				record("visits", i, v.ID, err)
			}
			refs("visits", i, v.ID, v.Customer, v.Provider)
			if allKnown {
				continue
			}
			for j, t := range v.Tasks {
				// A code that is not clean text is reported by the
				// visit's Validate; no map holds it.
				if tasks != nil && t != "" && !known.codes.has(tasks, t) && checkTaskCode(t) == nil {
					record("visits", i, v.ID, fieldError(fmt.Sprintf("tasks[%d]", j), tasks.unknownTask(t)))
				}
			}
		}
		return errs
	}
	const chunk = visitChunk
	n := len(d.Visits)
	if n <= chunk {
		return check(0, n)
	}
	parts := make([][]error, (n+chunk-1)/chunk)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		wg.Go(func() {
			for p := int(next.Add(1) - 1); p < len(parts); p = int(next.Add(1) - 1) {
				parts[p] = check(p*chunk, min(n, (p+1)*chunk))
			}
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
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
			record(coll, i, k, fieldError("id", &duplicateError{id: k, coll: coll, prev: prev}))
			continue
		}
		m[k] = i
	}
	return m
}

// checkOverlaps reports decisions of one customer that grant the same
// category on a common day: the decision later in the dataset is named,
// with one earlier-written decision it overlaps.
//
// It sweeps each customer's decisions of a category in order of start,
// keeping the one that reaches furthest: a decision that overlaps any
// that starts before it overlaps that one, so every decision in an
// overlap is named in an error, and there are at most as many errors
// as decisions and categories. Comparing every pair instead took
// quadratic time (20 000 decisions of one customer, 11 s) and could
// report quadratically many errors.
func (d *Dataset) checkOverlaps() []error {
	type entry struct {
		customer string
		cat      Category
		from, to calendar.Date // to zero: open-ended
		index    int
	}
	n := 0
	for i := range d.Decisions {
		n += len(d.Decisions[i].Items)
	}
	entries := make([]entry, 0, n)
	cats := make([]categorySet, len(d.Decisions)) // the categories each decision grants
	for i := range d.Decisions {
		dec := &d.Decisions[i]
		for _, it := range dec.Items {
			if it.Category != CategoryUnknown && !cats[i].has(it.Category) {
				cats[i].add(it.Category)
				entries = append(entries, entry{dec.Customer, it.Category, dec.ValidFrom, dec.ValidTo, i})
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(strings.Compare(a.customer, b.customer), cmp.Compare(a.cat, b.cat), a.from.Compare(b.from), cmp.Compare(a.index, b.index))
	})
	// The pairs (later, earlier in the dataset) that overlap.
	var pairs [][2]int
	for g := 0; g < len(entries); {
		reach := entries[g] // the decision reaching furthest so far
		h := g + 1
		for ; h < len(entries) && entries[h].customer == reach.customer && entries[h].cat == reach.cat; h++ {
			e := entries[h]
			if reach.to.IsZero() || !reach.to.Before(e.from) {
				pairs = append(pairs, [2]int{max(e.index, reach.index), min(e.index, reach.index)})
			}
			if !reach.to.IsZero() && (e.to.IsZero() || e.to.After(reach.to)) {
				reach = e
			}
		}
		g = h
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	pairs = slices.Compact(pairs) // a pair found in several categories
	errs := make([]error, 0, len(pairs))
	for _, p := range pairs {
		dec, other := &d.Decisions[p[0]], &d.Decisions[p[1]]
		common, _ := rangeOf(dec).Intersect(rangeOf(other))
		for _, it := range dec.Items {
			if it.Category != CategoryUnknown && cats[p[1]].has(it.Category) {
				errs = append(errs, &InputError{Record: "decisions", Index: p[0], ID: dec.ID, Field: "valid_from",
					Err: fmt.Errorf("%w: grants %s on %s, as decision %q does", ErrOverlap, it.Category, common, other.ID)})
				break
			}
		}
	}
	return errs
}

// categorySet is a set of categories, a bit each.
type categorySet [4]uint64

func (s *categorySet) add(c Category)      { s[c/64] |= 1 << (c % 64) }
func (s *categorySet) has(c Category) bool { return s[c/64]&(1<<(c%64)) != 0 }

func rangeOf(d *Decision) calendar.DateRange {
	return calendar.DateRange{From: d.ValidFrom, To: d.ValidTo}
}
