package compare

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// The largest changes: the customers whose amount changes the most,
// explained line by line, with the records one side leaves unpaid.

// largest picks the n customers whose amount changes the most, largest
// absolute difference first (ties by customer id), with their lines.
func (c *Report) largest(n int, b *breakdown) map[string]int {
	// The n customers of the largest absolute difference, largest first
	// (ties by customer id), by their positions in c.Customers: picked
	// in one pass, not by sorting every customer, the differences
	// compared in int64 where they fit (decimal.Decimal's Abs and Cmp
	// allocate).
	abs := make([]exact.Fixed, len(c.Customers))
	fits := true
	for i := range c.Customers {
		f, ok := exact.Of(c.Customers[i].Difference.Decimal)
		fits = fits && ok && f.Coef != math.MinInt64
		abs[i] = exact.Fixed{Coef: max(f.Coef, -f.Coef), Exp: f.Exp}
	}
	compare := func(i, j int) int { // i before j: < 0
		if fits {
			if d, ok := abs[j].Cmp(abs[i]); ok && d != 0 {
				return d
			} else if ok {
				return strings.Compare(c.Customers[i].Key, c.Customers[j].Key)
			}
		}
		return cmp.Or(c.Customers[j].Difference.Abs().Cmp(c.Customers[i].Difference.Abs()), strings.Compare(c.Customers[i].Key, c.Customers[j].Key))
	}
	order := make([]int, 0, min(n, len(c.Customers))+1)
	for i := range c.Customers {
		if len(order) == n && (n == 0 || compare(i, order[n-1]) > 0) {
			continue
		}
		k, _ := slices.BinarySearchFunc(order, i, compare)
		order = slices.Insert(order, k, i)
		if len(order) > n {
			order = order[:n]
		}
	}
	chosen := map[string]int{} // position in c.Largest by customer
	at := map[int]int{}        // the same by position in c.Customers
	for _, i := range order {
		ch := c.Customers[i]
		if ch.Difference.IsZero() {
			break
		}
		chosen[ch.Key], at[i] = len(c.Largest), len(c.Largest)
		c.Largest = append(c.Largest, CustomerDiff{Change: ch})
	}
	if len(chosen) > 0 {
		c.linesOf(b, at)
	}
	return chosen
}

// explainLargest gives the lines of the largest changes their
// explanations. The months are settled without (explaining every line of
// a month costs a third more than settling it, for the few lines a report
// shows); the customers of the largest changes are settled again with
// them, customer by customer (reimbursement.SettleCustomers: a customer's
// settlement depends on nothing outside its records, so its lines are
// those of the month's). A line that comes out otherwise is an error,
// not shown.
func (c *Report) explainLargest(ctx context.Context, base, proposed Side, periods []calendar.Period, workers, cores int) error {
	if len(c.Largest) == 0 {
		return nil
	}
	// Of c.Largest, the lines alone are read and written: largestNotPaid
	// writes the rest beside (Run).
	at := make(map[string]int, len(c.Largest)) // customer → its place in c.Largest
	for i := range c.Largest {
		at[c.Largest[i].Key] = i
	}
	// Each side's customers' records, split from its data once, for
	// every month (and for both sides where they share the data: neither
	// writes to what it settles).
	type split struct {
		data  *models.Dataset
		parts []*models.Dataset
	}
	var splits []split
	customers := func(data *models.Dataset, ids []string) iter.Seq2[*models.Dataset, error] {
		i := slices.IndexFunc(splits, func(s split) bool { return s.data == data })
		if i < 0 {
			var parts []*models.Dataset
			for ds, err := range data.ByCustomer(ids...) {
				if err != nil {
					return data.ByCustomer(ids...) // the error, as SettleCustomers reports it
				}
				parts = append(parts, ds)
			}
			splits = append(splits, split{data, parts})
			i = len(splits) - 1
		}
		parts := splits[i].parts
		return func(yield func(*models.Dataset, error) bool) {
			for _, ds := range parts {
				if !yield(ds, nil) {
					return
				}
			}
		}
	}
	var ids [2][]string // the customers of each side's data, in its order
	for side, sd := range []Side{base, proposed} {
		for _, cu := range sd.Data.Customers {
			if _, ok := at[cu.ID]; ok {
				ids[side] = append(ids[side], cu.ID)
			}
		}
	}
	// The two sides explained at once (on more than one core), each its
	// own lines; the base's error first.
	var errs [2]error
	var tasks []func()
	for side, sd := range []Side{base, proposed} {
		if len(ids[side]) == 0 {
			continue
		}
		var seqs []iter.Seq2[*models.Dataset, error]
		for range periods {
			seqs = append(seqs, customers(sd.Data, ids[side]))
		}
		tasks = append(tasks, func() { errs[side] = c.explainSide(ctx, sd, side, periods, seqs, at, workers) })
	}
	parallel(cores, tasks)
	return cmp.Or(errs[0], errs[1])
}

// explainSide is explainLargest of one side (0 base, 1 proposed), the
// customers of each month yielded by its seq.
func (c *Report) explainSide(ctx context.Context, sd Side, side int, periods []calendar.Period, seqs []iter.Seq2[*models.Dataset, error],
	at map[string]int, workers int) error {
	next := make([]int, len(c.Largest)) // the next line of each change to explain
	for pi, p := range periods {
		_, err := reimbursement.SettleCustomers(ctx, sd.Book, sd.Data, seqs[pi], p,
			reimbursement.Options{Workers: workers}, func(s *reimbursement.Settlement) error {
				for _, l := range s.Lines {
					i := at[l.Customer]
					lines := &c.Largest[i].BaseLines
					if side == 1 {
						lines = &c.Largest[i].ProposedLines
					}
					if next[i] >= len(*lines) || !sameLine((*lines)[next[i]], l) {
						return fmt.Errorf("compare: customer %s, %s: explained, the line %s is not the month's", l.Customer, p, LineText(&l))
					}
					(*lines)[next[i]] = l
					next[i]++
				}
				return nil
			})
		if err != nil {
			return &SideError{Side: sideKeys[side], Name: sd.Name, Period: p.String(), Err: err}
		}
	}
	// And none of the month's is left out (found by review: a line the
	// customer's settlement did not give stayed unexplained).
	for i := range c.Largest {
		lines := c.Largest[i].BaseLines
		if side == 1 {
			lines = c.Largest[i].ProposedLines
		}
		if next[i] < len(lines) {
			return &SideError{Side: sideKeys[side], Name: sd.Name, Period: lines[next[i]].Period,
				Err: fmt.Errorf("compare: customer %s: explained, the month's line %s is not given", c.Largest[i].Key, LineText(&lines[next[i]]))}
		}
	}
	return nil
}

// sameLine reports whether a and b are one line but for its
// explanation: the same JSON, every amount written alike. Lines whose
// fields are equal, each amount's text the same, write the same JSON,
// and are compared so; others are written out (a field could differ and
// write alike).
func sameLine(a, b reimbursement.Line) bool {
	if sameFields(&a, &b) {
		return true
	}
	a.Explanation, b.Explanation = nil, nil
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}

// sameFields reports whether a and b have the same fields but for their
// explanations, each amount the same text (the JSON of an amount).
func sameFields(a, b *reimbursement.Line) bool {
	sameAmount := func(x, y reimbursement.Amount) bool {
		return x.Exponent() == y.Exponent() && x.Equal(y) // the same decimals, the same value: the same text
	}
	return a.Period == b.Period && a.Provider == b.Provider && a.Customer == b.Customer && a.Version == b.Version &&
		a.Component == b.Component && a.Label == b.Label && a.Kind == b.Kind && a.Category == b.Category &&
		a.Zone == b.Zone && a.Band == b.Band && a.Unit == b.Unit && a.RateUnit == b.RateUnit && a.Divisor == b.Divisor &&
		sameAmount(a.Quantity, b.Quantity) && sameAmount(a.Rate, b.Rate) && sameAmount(a.Amount, b.Amount) &&
		(a.Factor == nil) == (b.Factor == nil) && (a.Factor == nil || sameAmount(*a.Factor, *b.Factor)) &&
		slices.Equal(a.Units, b.Units)
}

// largestNotPaid lists, for each of the largest changes, the records
// one side leaves unpaid and the other does not (found by trial: a visit
// the proposal no longer pays was seen only in the totals by reason), and
// those both leave unpaid otherwise (found by trial: a hospital stay now,
// no tariff in the proposal), with an entry of each side.
func (c *Report) largestNotPaid(chosen map[string]int) {
	type record struct {
		customer, period string
		reimbursement.RecordKey
	}
	// A record's entries of a month are one: the minutes and days of its
	// entries of the first entry's reason summed (an item not paid 15 days
	// under one version and 15 under the next is not paid 30), the first
	// entry's reason and detail shown, and those of each other reason
	// summed beside it (also: an item's days under no tariff and its
	// paused days, absent, found by trial). Its minutes and days by
	// reason, summed over its entries, are what the sides are compared by
	// (sig): an item left unpaid 10 days under one version is left unpaid
	// alike as 5 and 5 under two (found by review: listed as otherwise).
	type entries struct {
		u    reimbursement.Unpaid
		also []reimbursement.Unpaid
		sig  map[reimbursement.Reason][2]int64
	}
	unpaid := func(ss []*reimbursement.Settlement) map[record]*entries {
		m := map[record]*entries{}
		// The few customers are compared, not hashed: most records are
		// of other customers.
		var few []string
		if len(chosen) <= 8 {
			few = slices.Collect(maps.Keys(chosen))
		}
		for _, s := range ss {
			for i := range s.NotPaid {
				u := &s.NotPaid[i]
				if few != nil {
					if !slices.Contains(few, u.Customer) {
						continue
					}
				} else if _, ok := chosen[u.Customer]; !ok {
					continue
				}
				k := record{u.Customer, s.Period, u.Record()}
				e, ok := m[k]
				if ok {
					sum := &e.u
					if u.Reason != e.u.Reason {
						i := slices.IndexFunc(e.also, func(a reimbursement.Unpaid) bool { return a.Reason == u.Reason })
						if i < 0 {
							i = len(e.also)
							e.also = append(e.also, *u)
							e.also[i].Minutes, e.also[i].Days = 0, 0
						}
						sum = &e.also[i]
					}
					sum.Minutes += u.Minutes
					sum.Days += u.Days
				} else {
					e = &entries{u: *u, sig: map[reimbursement.Reason][2]int64{}}
					m[k] = e
				}
				t := e.sig[u.Reason]
				e.sig[u.Reason] = [2]int64{t[0] + u.Minutes, t[1] + int64(u.Days)}
			}
		}
		return m
	}
	base, prop := unpaid(c.BaseSettlements), unpaid(c.ProposedSettlements)
	var keys []record
	for k, e := range base {
		if o, ok := prop[k]; !ok || !maps.Equal(e.sig, o.sig) {
			keys = append(keys, k)
		}
	}
	for k := range prop {
		if _, ok := base[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b record) int {
		return cmp.Or(strings.Compare(a.customer, b.customer), strings.Compare(a.period, b.period), cmp.Compare(a.Kind, b.Kind),
			strings.Compare(a.ID, b.ID), strings.Compare(a.Item, b.Item))
	})
	// A record left unpaid otherwise by both is listed with an entry of
	// each side, the two together or neither (found by review: the 10th
	// entry was the first of a pair, the other cut); once one does not
	// fit, the customer's later records are counted, not listed, each once.
	full := map[int]bool{}
	for _, k := range keys {
		i := chosen[k.customer]
		d := &c.Largest[i]
		b, inBase := base[k]
		p, inProp := prop[k]
		both := inBase && inProp
		need := 1
		if both {
			need = 2
		}
		if full[i] || len(d.NotPaid)+need > maxRecordsShown {
			full[i] = true
			d.NotPaidMore++
			continue
		}
		byReason := func(a, b reimbursement.Unpaid) int { return cmp.Compare(a.Reason, b.Reason) }
		if inBase {
			slices.SortFunc(b.also, byReason)
			d.NotPaid = append(d.NotPaid, SideUnpaid{Side: sideKeys[0], Unpaid: b.u, Also: b.also, Otherwise: both})
		}
		if inProp {
			slices.SortFunc(p.also, byReason)
			d.NotPaid = append(d.NotPaid, SideUnpaid{Side: sideKeys[1], Unpaid: p.u, Also: p.also, Otherwise: both})
		}
	}
}
