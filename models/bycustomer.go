package models

import (
	"errors"
	"fmt"
	"iter"
)

// ByCustomer splits d by customer, as reimbursement.SettleCustomers takes
// a month: it yields one dataset per customer of d, in the order of
// d.Customers, holding that customer and its decisions, visits, listings,
// absences and alarm events, each in d's order. The task codes and
// providers are not repeated in the parts: they are what every customer
// shares. Given ids, it yields only those customers (a month settled
// again for the customers whose data changed), still in the order of
// d.Customers.
//
// Nothing is left out unsaid: a record whose customer is not in d, a
// customer id given twice in d, an id of ids that is not in d and one
// asked for twice are yielded, before any customer, as one error joining
// an *InputError for each, and the iteration ends there. The parts hold
// copies of d's records, whose task lists and items they share with d.
func (d *Dataset) ByCustomer(ids ...string) iter.Seq2[*Dataset, error] {
	return func(yield func(*Dataset, error) bool) {
		parts, err := d.byCustomer(ids)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, p := range parts {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// byCustomer makes the parts ByCustomer yields. A record's part is found
// by its customer's id; records of customers not asked for are skipped
// after that check.
func (d *Dataset) byCustomer(ids []string) ([]*Dataset, error) {
	if d == nil {
		return nil, errNoDataset
	}
	var errs []error
	index := make(map[string]int, len(d.Customers)) // customer → its part, -1 when not asked for
	for i, c := range d.Customers {
		if _, dup := index[c.ID]; dup {
			errs = append(errs, &InputError{Record: "customers", Index: i, ID: c.ID, Field: "id",
				Err: fmt.Errorf("customer %q is given twice: its records would belong to either", c.ID)})
			continue
		}
		index[c.ID] = -1
	}
	known := &idIndex{ids: index}
	wanted := map[string]bool{}
	for i, id := range ids {
		if _, ok := index[id]; !ok {
			errs = append(errs, &InputError{Index: -1, Field: fmt.Sprintf("ids[%d]", i), Err: known.unknownRef("customer", id)})
		} else if wanted[id] {
			errs = append(errs, &InputError{Index: -1, Field: fmt.Sprintf("ids[%d]", i), Err: fmt.Errorf("customer %q is asked for twice", id)})
		}
		wanted[id] = true
	}
	var parts []*Dataset
	for _, c := range d.Customers {
		if index[c.ID] == -1 && (len(ids) == 0 || wanted[c.ID]) {
			index[c.ID] = len(parts)
			parts = append(parts, &Dataset{Customers: []Customer{c}})
		}
	}
	// part returns the part of a record of collection coll, nil for a
	// customer not asked for, and whether the customer is in d; it
	// reports one that is not, where the record was read from when it
	// says.
	part := func(coll string, i int, id, customer string, src Source) (*Dataset, bool) {
		k, ok := index[customer]
		if !ok {
			e := &InputError{File: src.File, Line: src.Line, Record: coll, Index: i, ID: id, Field: "customer",
				Err: known.unknownRef("customer", customer)}
			if src.Line > 0 {
				e.Index = -1 // named at its line in the file it was read from
			}
			errs = append(errs, e)
			return nil, false
		}
		if k < 0 {
			return nil, true
		}
		return parts[k], true
	}
	split(d.Decisions, "decisions", part, func(r *Decision) (string, string, Source) { return r.ID, r.Customer, Source{} },
		func(p *Dataset) *[]Decision { return &p.Decisions })
	split(d.Visits, "visits", part, func(r *Visit) (string, string, Source) { return r.ID, r.Customer, r.Source },
		func(p *Dataset) *[]Visit { return &p.Visits })
	split(d.Listings, "listings", part, func(r *Listing) (string, string, Source) { return r.ID, r.Customer, Source{} },
		func(p *Dataset) *[]Listing { return &p.Listings })
	split(d.Absences, "absences", part, func(r *Absence) (string, string, Source) { return r.ID, r.Customer, Source{} },
		func(p *Dataset) *[]Absence { return &p.Absences })
	split(d.AlarmEvents, "alarm_events", part, func(r *AlarmEvent) (string, string, Source) { return r.ID, r.Customer, Source{} },
		func(p *Dataset) *[]AlarmEvent { return &p.AlarmEvents })
	if len(errs) > 0 {
		return nil, joinErrors(errs...)
	}
	return parts, nil
}

// split appends each record of collection coll to the part of its
// customer (ref gives its id, its customer and where it was read from,
// list the part's slice of such records), as part finds it. Records
// usually come grouped by customer: a record of the customer of the
// record before, when that one is in d, goes where that one went,
// without part (looked up record by record in a map, a month of 100 000
// visits cost compare.Run 13 M instructions more, about 1 % of its work,
// for the five customers it explains).
func split[R any](records []R, coll string, part func(coll string, i int, id, customer string, src Source) (*Dataset, bool),
	ref func(*R) (id, customer string, src Source), list func(*Dataset) *[]R) {
	last, known := "", false // the customer of the record before, and whether it is in d
	var p *Dataset           // its part
	for i := range records {
		id, customer, src := ref(&records[i])
		if !known || customer != last {
			p, known = part(coll, i, id, customer, src)
			last = customer
		}
		if p != nil {
			*list(p) = append(*list(p), records[i])
		}
	}
}

// WithVisits is ByCustomer for a month whose visits are read one at a
// time (VisitsCSV of an export sorted by customer) rather than held: d
// holds the customers and their other records (decisions, listings,
// absences, alarm events; visits d holds are kept too), visits yields the
// month's visits grouped by customer, each customer's together, the
// customers in any order. It yields one dataset per customer, as
// ByCustomer makes them, each as its visits end, and then the customers
// of d without visits in the order of d.Customers: memory holds d and one
// customer's visits, not the month's, and a customer without visits
// (granted time, a listing) is not left out. A visit of a customer whose
// visits came before another customer's (the visits are not grouped)
// ends the iteration with an *InputError naming where the visit was
// read; so does an error of d as ByCustomer finds them, and an error of
// visits that names no customer (an error of the file as a whole, or of
// a record whose customer cannot be read).
//
// An error of visits that names a customer of d, a record VisitsCSV could
// not read (an end before the start, a time that is no time) with the
// customer it was written for, is that customer's: the iteration goes on,
// and the customer's dataset is yielded, without the record, together
// with the errors of its records joined. So are the visits of a customer
// not in d: a dataset of that customer's id alone is yielded with an
// *InputError for each (and the errors of those VisitsCSV could not
// read), as its visits end. reimbursement.SettleCustomers leaves such a
// customer out as one whose data is bad and settles the others, so that
// one run over an export finds every bad record and every customer
// missing from d; a caller that stops at the first error stops there.
func (d *Dataset) WithVisits(visits iter.Seq2[Visit, error]) iter.Seq2[*Dataset, error] {
	return func(yield func(*Dataset, error) bool) {
		if visits == nil {
			yield(nil, errors.New("models: WithVisits: no visits (a nil iterator)"))
			return
		}
		parts, err := d.byCustomer(nil)
		if err != nil {
			yield(nil, err)
			return
		}
		index := make(map[string]int, len(parts))
		for k, p := range parts {
			index[p.Customers[0].ID] = k
		}
		known := &idIndex{ids: index}
		done := make([]bool, len(parts))
		// The errors of the current customer's records: those visits
		// could not read, and, of a customer not in d, each of its
		// records; they come with its part.
		var bad []error
		current := -1
		stranger := "" // the current customer when it is not in d (current -2)
		// The customers not in d whose parts were yielded: one met again
		// is not grouped, as a customer of d would be.
		strangers := map[string]bool{}
		// flush yields the current customer's part and lets go of it.
		flush := func() bool {
			switch current {
			case -1:
				return true
			case -2:
				// A customer not in d: a part of its id alone, never
				// without its errors.
				p := &Dataset{Customers: []Customer{{ID: stranger}}}
				err := joinErrors(bad...)
				strangers[stranger] = true
				current, stranger, bad = -1, "", nil
				return yield(p, err)
			}
			p, err := parts[current], joinErrors(bad...)
			parts[current], done[current], current, bad = nil, true, -1, nil
			return yield(p, err)
		}
		for v, err := range visits {
			k, ok := index[v.Customer]
			if err != nil && !ok && v.Customer == "" {
				// No customer's: the file's, or a record's whose
				// customer cannot be read.
				if flush() {
					yield(nil, err)
				}
				return
			}
			if !ok {
				k = -2
			}
			if k != current || k == -2 && v.Customer != stranger {
				if !flush() {
					return
				}
				if k >= 0 && done[k] || k == -2 && strangers[v.Customer] {
					yield(nil, &InputError{File: v.Source.File, Line: v.Source.Line, Record: "visits", Index: -1, ID: v.ID, Field: "customer",
						Err: fmt.Errorf("customer %q's visits came before another customer's: the visits are not grouped by customer", v.Customer)})
					return
				}
				current = k
				if !ok {
					stranger = v.Customer
				}
			}
			if !ok {
				bad = append(bad, &InputError{File: v.Source.File, Line: v.Source.Line, Record: "visits", Index: -1, ID: v.ID, Field: "customer",
					Err: known.unknownRef("customer", v.Customer)})
			}
			switch {
			case err != nil:
				bad = append(bad, err)
			case ok:
				parts[k].Visits = append(parts[k].Visits, v)
			}
		}
		if !flush() {
			return
		}
		for k, p := range parts {
			if !done[k] && !yield(p, nil) {
				return
			}
		}
	}
}
