package reimbursement

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// Settling by customer.
//
// The settlement of one customer depends on nothing outside that
// customer's own records (decisions, visits, listings, absences, alarm
// events, zone changes), the shared task codes and providers, and the
// tariff: caps, shares and absence ladders are all per customer and
// provider. So a month can be settled customer by customer and the parts
// merged, in one process (SettleCustomers) or across machines or a batch
// engine (Settle on each shard, then Merge), with the same result to the
// byte as one Settle of the whole month.
//
// What needs the whole month cannot be checked customer by customer: a
// record id given under two customers (an export that wrote a visit
// twice) is refused by Settle, which holds the month, and by Merge when
// both parts name it (a line of each pays it, or reports it not paid;
// a visit a line of granted time pays for is named by none), but
// SettleCustomers, whose memory is bounded by the largest customer,
// checks record ids within each customer only (and customer ids across
// the month): it would settle such a visit under both. An export settled
// streamed is to be checked for unique record ids where it is made.

// SettleCustomers settles the month p customer by customer, in bounded
// memory. customers is read on a goroutine of its own, one batch of
// customers ahead of the settling (see below for when it is stopped).
// shared holds what every customer refers
// to: the task codes and the providers (its other records are ignored);
// they are checked once, before any customer, and each customer's
// records against them (models.Dataset.ValidateWith). customers yields
// one dataset per customer, holding that customer and its records
// (models.Dataset.ByCustomer splits a dataset held in memory, or picks
// the customers to settle again) and nothing shared; a customer yielded
// twice is an error (the ids yielded are kept, some tens of bytes a
// customer); record ids are checked within each customer only (see
// above: a visit given under two customers is settled under both).
// Each customer's settlement is passed to sink as soon as it is computed,
// in the order customers yields them, and is not kept: memory is bounded
// by the largest customer and opts.Workers customers in flight, not by
// the month. A Writer's Write is a sink that writes them as one document.
// A customer without records has a settlement with no lines and no
// CustomerTotal.
//
// The returned settlement holds the month's totals: Period, Versions,
// Total, Providers and KeyFigures; its Lines, Customers and NotPaid are
// empty (they went to sink): it is for a summary, not to invoice or put
// into a month (Settlement.TotalsOnly; Replace, Merge, invoice.Build and
// invoice.Correct refuse it with ErrTotalsOnly). Merging everything sink
// received gives what Settle of the whole month gives, and is the
// settlement to pass to those. Options out of range
// (Options.Validate) are refused before any customer is read. An error
// of customers (yielded without a dataset) or of sink stops the run and
// is returned with the customer named. A customer whose data is bad
// (models.Dataset.Validate's errors, a customer yielded twice, or one
// customers yields together with an error: models.Dataset.WithVisits
// yields a customer so for a record of the CSV it could not read, an
// end before the start, and one not among the customers for its
// visits) is left out, not handed to sink, and
// the run goes on, so that one run finds every bad customer (a customer
// the book cannot settle, ErrUnsettled, stops the run: the tariff is at
// fault); at the end
// their errors are returned, each naming its customer, in the order
// customers yielded them, together with the totals of the customers sink
// received (a settlement as above, of those customers only): sink has
// received every other customer, and those left out, once mended, are
// settled by another call and put in with Merge (or their totals added
// to these with Merge). At the MaxBadCustomers-th bad customer the run
// stops, none after it handed to sink, and the totals are of the
// customers before it. On any other error the settlement is nil.
// Once ctx is cancelled, no customer is handed to sink, and the run stops
// with ctx's error soon after, even while customers is waiting for input
// (a pipe, a network).
//
// When SettleCustomers returns without error, customers has returned:
// it is not called again, and what it reads may be closed; a panic of
// customers is raised again on the caller's goroutine. When it returns an
// error (of customers, of a customer's data, of sink, or ctx's), it does
// not wait for customers, which may be waiting for input: the iterator is
// stopped at its next yield (yield returns false), which may be after
// SettleCustomers has returned, and the goroutine reading it then ends;
// closing what it reads (a pipe, a connection) ends such a wait sooner.
// Nothing customers yields after the error is settled or handed to sink,
// and a panic of customers is not raised again with an error returned:
// it is recovered on the reading goroutine and dropped. A nil ctx is an
// error, as a nil book is.
func SettleCustomers(ctx context.Context, book *Book, shared *models.Dataset, customers iter.Seq2[*models.Dataset, error],
	p calendar.Period, opts Options, sink func(*Settlement) error) (*Settlement, error) {
	if ctx == nil {
		return nil, errors.New("reimbursement: SettleCustomers: nil context (use context.Background())")
	}
	if book == nil || shared == nil || customers == nil || sink == nil {
		return nil, errors.New("reimbursement: SettleCustomers: nil book, shared data, customers or sink")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("reimbursement: SettleCustomers: %w", err)
	}
	// What every customer shares is checked once, before any customer: a
	// bad or repeated task code or provider would otherwise be reported
	// with each customer that refers to it, or, unreferenced, not at all.
	if err := (&models.Dataset{Tasks: shared.Tasks, Providers: shared.Providers}).Validate(); err != nil {
		return nil, fmt.Errorf("reimbursement: shared task codes and providers: %w", err)
	}
	taskMap, err := shared.TaskMap()
	if err != nil {
		return nil, err // cannot happen: Validate built the same map
	}
	st := &streamer{book: book, period: p, opts: opts, tasks: shared.Tasks, taskMap: taskMap, providers: map[string]*models.Provider{},
		workers: make([]*worker, workers)}
	for i := range shared.Providers {
		st.providers[shared.Providers[i].ID] = &shared.Providers[i]
	}
	var total merger
	// The customers yielded so far: one yielded twice, with other records
	// or another provider, would be settled as two and paid twice.
	yielded := map[string]struct{}{}
	// The reader is not waited for on any return but the end of
	// customers (when it has returned already): it may be blocked in
	// customers, waiting on a pipe or a network, and stops when customers
	// next yields (see readAhead).
	r := readAhead(customers, 4*workers)
	defer r.stop()
	// The errors of customers whose data is bad: each such customer is
	// left out and the run goes on, so that one run finds them all.
	var bad []error
	for {
		var b batch
		var more bool
		select {
		case b, more = <-r.out:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if !more {
			r.reraise()
			break
		}
		if b.err != nil {
			return nil, b.err
		}
		// A customer's error, where its data is bad, by its place in the
		// batch: the bad are counted, and the good handed on, in the
		// order customers yields them, whatever the batches (a batch is
		// 4 × workers customers), and the run stops at the customer that
		// is the MaxBadCustomers-th bad one.
		failed := make([]error, len(b.customers))
		good := b.customers[:0:0]
		var at []int // the good customers' places in the batch
		for i, c := range b.customers {
			if failed[i] = checkPart(c, yielded); failed[i] == nil && b.bad != nil && b.bad[i] != nil {
				failed[i] = fmt.Errorf("reimbursement: customer %s: %w", customerOf(c), b.bad[i])
			}
			if failed[i] == nil {
				good = append(good, c)
				at = append(at, i)
			}
		}
		parts, errs := st.settleBatch(ctx, good)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		settled := make([]*Settlement, len(b.customers))
		for j, i := range at {
			settled[i], failed[i] = parts[j], errs[j]
		}
		for i, s := range settled {
			if err := ctx.Err(); err != nil {
				return nil, err // no customer is handed on once cancelled
			}
			if errors.Is(failed[i], ErrUnsettled) {
				// The book is at fault, not the customer's data: every
				// customer of such caps would fail alike.
				return nil, failed[i]
			}
			if failed[i] != nil {
				if bad = append(bad, failed[i]); len(bad) >= MaxBadCustomers {
					return st.totals(ctx, shared, &total, badCustomers(bad, true))
				}
				continue
			}
			if err := total.add(s, false); err != nil {
				return nil, fmt.Errorf("reimbursement: customer %s: %w", customerOf(b.customers[i]), err)
			}
			if err := sink(s); err != nil {
				return nil, fmt.Errorf("reimbursement: customer %s: sink: %w", customerOf(b.customers[i]), err)
			}
		}
	}
	var left error // the customers left out
	if len(bad) > 0 {
		left = badCustomers(bad, false)
	}
	return st.totals(ctx, shared, &total, left)
}

// totals returns the totals of the customers handed to sink, with err
// (the customers left out, or nil): those of an empty month, as Settle
// gives them, where none was.
func (st *streamer) totals(ctx context.Context, shared *models.Dataset, total *merger, err error) (*Settlement, error) {
	if total.s != nil {
		return total.result(), err
	}
	s, serr := Settle(ctx, st.book, &models.Dataset{Tasks: shared.Tasks, Providers: shared.Providers}, st.period, st.opts)
	if serr != nil {
		return nil, serr
	}
	return s, err
}

// checkPart refuses a customer dataset that holds what only shared may
// hold, or a customer yielded before (recorded in yielded).
func checkPart(c *models.Dataset, yielded map[string]struct{}) error {
	if len(c.Tasks) > 0 || len(c.Providers) > 0 {
		return fmt.Errorf("reimbursement: customer %s: its dataset holds %d task codes and %d providers: they are given once, in shared",
			customerOf(c), len(c.Tasks), len(c.Providers))
	}
	for _, cu := range c.Customers {
		if _, twice := yielded[cu.ID]; twice {
			return fmt.Errorf("reimbursement: customer %s is yielded twice: each customer's records come in one dataset", cu.ID)
		}
		yielded[cu.ID] = struct{}{}
	}
	return nil
}

// batch is a run of customer datasets read from the iterator, or the
// error that ended it.
type batch struct {
	customers []*models.Dataset
	// bad holds, by the place in customers, the error customers yielded
	// with a customer's dataset: that customer's data is bad (nil when
	// none is).
	bad []error
	err error
}

// readAhead reads customers on a goroutine of its own, in batches of
// size, one batch ahead of the settling (so reading a CSV file overlaps
// with settling what was read before), and sends them on out, which it
// closes when customers has returned (or panicked).
//
// stop ends the reading without waiting for the goroutine, which may be
// blocked in customers (a stalled pipe): from then on, at customers' next
// yield the goroutine returns false, sends nothing more, and ends once
// customers returns. The goroutine touches nothing of the caller's but
// out: it never settles or hands on a customer itself.
//
// A panic of customers (an iterator's bug, or one that goes on after
// yield returned false, which the runtime panics on) is recovered on the
// goroutine, rather than ending the process from there; once out is
// closed, reraise raises it again on the caller's goroutine, where it can
// be recovered. The caller that stops without having seen out closed (an
// error return) drops it.
func readAhead(customers iter.Seq2[*models.Dataset, error], size int) *reader {
	out := make(chan batch, 1)
	r := &reader{out: out, done: make(chan struct{})}
	go func() {
		defer close(out)
		defer func() {
			if p := recover(); p != nil {
				r.rec, r.panicked = p, true
			}
		}()
		stopped := func() bool {
			select {
			case <-r.done:
				return true
			default:
				return false
			}
		}
		send := func(b batch) bool {
			if stopped() { // out may have room: done is not left to chance
				return false
			}
			select {
			case out <- b:
				return true
			case <-r.done:
				return false
			}
		}
		b := batch{customers: make([]*models.Dataset, 0, size)}
		for ds, err := range customers {
			if stopped() {
				return // yield returns false
			}
			if err == nil && ds == nil {
				err = errors.New("reimbursement: SettleCustomers: nil customer dataset")
			}
			if err != nil && ds == nil {
				send(batch{err: err})
				return
			}
			if err != nil && b.bad == nil {
				b.bad = make([]error, len(b.customers), size)
			}
			if b.customers = append(b.customers, ds); b.bad != nil {
				b.bad = append(b.bad, err)
			}
			if len(b.customers) == size {
				if !send(b) {
					return
				}
				b = batch{customers: make([]*models.Dataset, 0, size)}
			}
		}
		if len(b.customers) > 0 {
			send(b)
		}
	}()
	return r
}

// reader is the goroutine readAhead starts.
type reader struct {
	out  <-chan batch
	done chan struct{} // closed by stop
	// What customers panicked with, set before out is closed: read only
	// after out is seen closed.
	rec      any
	panicked bool
}

// stop tells the reader to stop at customers' next yield; it does not
// wait for it. It is called once.
func (r *reader) stop() { close(r.done) }

// reraise raises again what customers panicked with, if it did; it is
// called once out is seen closed.
func (r *reader) reraise() {
	if r.panicked {
		panic(r.rec)
	}
}

// MaxBadCustomers is how many customers with bad data SettleCustomers
// leaves out before it stops the run: a month in which that many are bad
// is read wrongly as a whole (the task codes of another municipality, a
// file of another month), and settling on would only repeat the error.
const MaxBadCustomers = 100

// badCustomers joins the errors of the customers left out, saying
// whether the run stopped at them.
func badCustomers(errs []error, stopped bool) error {
	if len(errs) == 1 { // stopped needs MaxBadCustomers of them
		return errors.Join(errors.New("reimbursement: 1 customer with bad data, not settled (the others were handed to sink)"), errs[0])
	}
	msg := fmt.Sprintf("reimbursement: %d customers with bad data, not settled (the others were handed to sink)", len(errs))
	if stopped {
		msg = fmt.Sprintf("reimbursement: %d customers with bad data, not settled: the run stopped there (MaxBadCustomers is %d; the customers before were handed to sink, the rest not settled)", len(errs), MaxBadCustomers)
	}
	return errors.Join(append([]error{errors.New(msg)}, errs...)...)
}

// settleBatch settles each customer dataset of batch with shared's tasks
// and the providers its records refer to, on up to workers goroutines,
// each with a worker kept from batch to batch; parts and errs are in
// batch order, a customer's error (naming it) where its data is bad.
// Once ctx is cancelled, the customers not yet settled have ctx's error.
func (st *streamer) settleBatch(ctx context.Context, batch []*models.Dataset) ([]*Settlement, []error) {
	parts := make([]*Settlement, len(batch))
	errs := make([]error, len(batch))
	var wg sync.WaitGroup
	next := make(chan int)
	for g := range min(len(st.workers), len(batch)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				ds := st.dataset(batch[i])
				if err := ds.ValidateWith(st.taskMap); err != nil {
					errs[i] = partErrors(err)
					continue
				}
				parts[i], st.workers[g], errs[i] = settleOne(ctx, st.book, ds, st.period, st.opts, st.workers[g])
			}
		}()
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			errs[i] = fmt.Errorf("reimbursement: customer %s: %w", customerOf(batch[i]), err)
		}
	}
	return parts, errs
}

// partErrors takes the index out of the errors of records read from a
// file (those with a line) and of records with an id: it counts the
// record within its customer's part, not within the file or the dataset
// the caller split (ByCustomer of a dataset read from JSON gave
// "visits[0] (id v08)" for the dataset's visits[7]), and would point at
// another record; the file and line, or the id, do. A record without
// either keeps it.
func partErrors(err error) error {
	var each func(error)
	each = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				each(e)
			}
			return
		}
		var ie *models.InputError
		if errors.As(e, &ie) && (ie.Line > 0 || ie.ID != "") {
			ie.Index = -1
		}
	}
	each(err)
	return err
}

// streamer holds what SettleCustomers keeps from customer to customer.
type streamer struct {
	book      *Book
	period    calendar.Period
	opts      Options
	tasks     []models.LocalTask
	taskMap   *models.TaskMap // of tasks, built once
	providers map[string]*models.Provider
	workers   []*worker // one per goroutine, nil until its first customer
}

// dataset returns the customer's records with the shared tasks and the
// providers they refer to: validating and indexing a customer then costs
// nothing in the number of providers.
func (st *streamer) dataset(c *models.Dataset) *models.Dataset {
	ds := *c
	ds.Tasks, ds.Providers = st.tasks, nil
	seen := map[string]bool{}
	add := func(id string) {
		if p := st.providers[id]; p != nil && !seen[id] {
			seen[id] = true
			ds.Providers = append(ds.Providers, *p)
		}
	}
	for i := range ds.Decisions {
		add(ds.Decisions[i].Provider)
	}
	for i := range ds.Visits {
		add(ds.Visits[i].Provider)
	}
	for i := range ds.Listings {
		add(ds.Listings[i].Provider)
	}
	for i := range ds.AlarmEvents {
		add(ds.AlarmEvents[i].Provider)
	}
	return &ds
}

func customerOf(ds *models.Dataset) string {
	if len(ds.Customers) == 1 {
		return ds.Customers[0].ID
	}
	return fmt.Sprintf("(%d customers)", len(ds.Customers))
}

// Merge combines the settlements of disjoint sets of customers for one
// month — shards settled apart, or what SettleCustomers passed to its
// sink — into the settlement Settle would give for all of them at once,
// to the byte. It refuses parts of different months, a customer in two
// parts (a customer is settled with all its providers at once), a
// provider or a tariff version that two parts give differently (settled
// from two editions of the register or of the tariff: a version's
// digest, source, days in force or rounding; a part written before
// settlements named their versions' digests is judged by the rest of
// the version), a record (a
// visit, a decision, a listing, an event) that parts name, on a line or
// as not paid, under two customers or providers, and a part that does
// not add up (CheckSums: one read back from JSON that was edited or cut
// short), and the totals SettleCustomers returns (ErrTotalsOnly: they
// repeat those of the parts its sink received).
//
// The file a version was read from does not tell versions apart: parts
// settled on machines that keep the same document under other paths
// merge, and the merged VersionRef.File is that of the first part that
// names the version (for Replace, the issued month's). The explanations
// of the lines keep the file of the part they come from.
func Merge(parts ...*Settlement) (*Settlement, error) {
	var m merger
	for i, s := range parts {
		if s == nil {
			return nil, errors.New("reimbursement: Merge: nil settlement")
		}
		if s.TotalsOnly() {
			return nil, fmt.Errorf("reimbursement: Merge: part %d: %w (its totals are those of the parts)", i, ErrTotalsOnly)
		}
		if err := s.CheckSums(); err != nil {
			return nil, fmt.Errorf("reimbursement: Merge: part %d does not add up: %w", i, err)
		}
		if err := m.add(s, true); err != nil {
			return nil, err
		}
	}
	if m.s == nil {
		return nil, errors.New("reimbursement: Merge: no settlements")
	}
	return m.result(), nil
}

// Replace puts customers settled again into the month: it returns
// issued, the month's settlement, with everything of the customers given
// (their lines, totals, records not paid and possible duplicates) taken
// out and fresh, their new settlement (Merge of the settlements the sink
// of SettleCustomers of models.Dataset.ByCustomer of them received, not
// the totals SettleCustomers returns: ErrTotalsOnly), put in: what Settle of the
// whole month on the new data gives, to the byte. A customer given whom
// fresh does not name (its records are gone from the data) is taken out
// only. It refuses settlements of different months, one that does not
// add up (CheckSums), and a fresh one naming a customer not given: that
// customer would be in the month twice.
func Replace(issued, fresh *Settlement, customers ...string) (*Settlement, error) {
	if issued == nil || fresh == nil {
		return nil, errors.New("reimbursement: Replace: nil settlement")
	}
	for _, p := range []struct {
		name string
		s    *Settlement
	}{{"issued", issued}, {"fresh", fresh}} {
		if p.s.TotalsOnly() {
			return nil, fmt.Errorf("reimbursement: Replace: the %s settlement: %w", p.name, ErrTotalsOnly)
		}
		if err := p.s.CheckSums(); err != nil {
			return nil, fmt.Errorf("reimbursement: Replace: the %s settlement does not add up: %w", p.name, err)
		}
	}
	if issued.Period != fresh.Period {
		return nil, fmt.Errorf("reimbursement: Replace: settlements of %s and %s", issued.Period, fresh.Period)
	}
	replaced := make(map[string]bool, len(customers))
	for _, c := range customers {
		replaced[c] = true
	}
	named := func(c string) error {
		if !replaced[c] {
			return fmt.Errorf("reimbursement: Replace: the fresh settlement names customer %s, who is not among those replaced", c)
		}
		return nil
	}
	for _, l := range fresh.Lines {
		if err := named(l.Customer); err != nil {
			return nil, err
		}
	}
	for _, c := range fresh.Customers {
		if err := named(c.Customer); err != nil {
			return nil, err
		}
	}
	for _, u := range fresh.NotPaid {
		if err := named(u.Customer); err != nil && u.Customer != "" {
			return nil, err
		}
	}
	return Merge(without(issued, replaced), fresh)
}

// without returns s with the lines, totals, records not paid and possible
// duplicates of the customers in drop taken out, and its totals those of
// the customers left: added up again, as Settle adds them, not less
// theirs, which would keep the places of their amounts ("0.00" where
// Settle of the customers left writes "0", found by attack).
func without(s *Settlement, drop map[string]bool) *Settlement {
	out := &Settlement{Period: s.Period, Versions: s.Versions}
	keep := func(customer string) bool { return !drop[customer] }
	out.Lines = slices.DeleteFunc(slices.Clone(s.Lines), func(l Line) bool { return !keep(l.Customer) })
	out.NotPaid = slices.DeleteFunc(slices.Clone(s.NotPaid), func(u Unpaid) bool { return !keep(u.Customer) })
	out.PossibleDuplicates = slices.DeleteFunc(slices.Clone(s.PossibleDuplicates), func(d Duplicate) bool { return !keep(d.Customer) })
	type providerSum struct {
		t   ProviderTotal
		sum exact.Sum
	}
	providers := map[string]*providerSum{}
	for _, p := range s.Providers {
		providers[p.Provider] = &providerSum{t: ProviderTotal{Provider: p.Provider, Name: p.Name, Ownership: p.Ownership}}
	}
	var total exact.Sum
	for _, c := range s.Customers {
		if !keep(c.Customer) {
			continue
		}
		out.Customers = append(out.Customers, c)
		total.Add(c.Amount.Decimal)
		if p := providers[c.Provider]; p != nil {
			p.t.Customers++
			p.sum.Add(c.Amount.Decimal)
			p.t.add(c.KeyFigures)
		}
	}
	out.Total.Decimal = total.Value()
	for _, p := range s.Providers {
		if pt := providers[p.Provider]; pt.t.Customers > 0 {
			pt.t.Amount.Decimal = pt.sum.Value()
			pt.t.computeShare()
			out.Providers = append(out.Providers, pt.t)
			out.KeyFigures.add(pt.t.KeyFigures)
		}
	}
	out.KeyFigures.computeShare()
	return out
}

// merger adds settlements up; with details it keeps their lines,
// customers and not-paid entries too.
type merger struct {
	s         *Settlement
	providers map[string]*ProviderTotal
	versions  map[string]VersionRef // by name
	cases     map[[2]string]bool
	// customers holds the part each customer's totals came in (parts
	// numbered from 1, part the last).
	customers map[string]int
	part      int
	// records holds, with details, the customer and provider of each
	// record a part's lines and not-paid entries name, by kind and id.
	records map[recordKey][2]string
}

// versionDiff returns what tells two references to a version of one
// name apart, "" when they name the same version: its document (Digest),
// its source, its days in force and its rounding. The file it was read
// from is not compared: one document loaded from another directory, on
// another machine, is the same version, and its digest says so (found by
// a vendor's trial). A reference without a digest (a settlement written
// before settlements named them) is judged by the rest.
func versionDiff(a, b VersionRef) string {
	var diff []string
	if a.Digest != "" && b.Digest != "" && a.Digest != b.Digest {
		diff = append(diff, fmt.Sprintf("digest %.12s and %.12s", a.Digest, b.Digest))
	}
	if a.Source != b.Source {
		diff = append(diff, fmt.Sprintf("source %q and %q", a.Source, b.Source))
	}
	if a.ValidFrom != b.ValidFrom || a.ValidTo != b.ValidTo {
		diff = append(diff, fmt.Sprintf("in force %s and %s", validity(a), validity(b)))
	}
	if a.Rounding != b.Rounding {
		diff = append(diff, fmt.Sprintf("rounding %s and %s", a.Rounding, b.Rounding))
	}
	return strings.Join(diff, "; ")
}

// validity writes the days a version is in force: "from 2021-01-01",
// "2021-01-01 to 2021-03-15".
func validity(v VersionRef) string {
	if v.ValidTo.IsZero() {
		return "from " + v.ValidFrom.String()
	}
	return v.ValidFrom.String() + " to " + v.ValidTo.String()
}

// recordKey names a record of the dataset.
type recordKey struct {
	kind RecordKind
	id   string
}

func (m *merger) add(s *Settlement, details bool) error {
	if m.s == nil {
		m.s = &Settlement{Period: s.Period, Lines: []Line{}, Customers: []CustomerTotal{}, NotPaid: []Unpaid{}, Providers: []ProviderTotal{}}
		m.providers, m.versions, m.cases, m.customers = map[string]*ProviderTotal{}, map[string]VersionRef{}, map[[2]string]bool{}, map[string]int{}
	}
	if s.Period != m.s.Period {
		return fmt.Errorf("reimbursement: Merge: settlements of %s and %s", m.s.Period, s.Period)
	}
	// A customer's cases are settled together: each reads the customer's
	// decisions with every provider (a provider standing in for the one a
	// decision names), so no partition by customer gives a customer in
	// two parts, and two parts that hold one would not add up to Settle's
	// (found by attack).
	m.part++
	for _, c := range s.Customers {
		if p, seen := m.customers[c.Customer]; seen && p != m.part {
			return fmt.Errorf("reimbursement: Merge: customer %s is in two settlements: a customer is settled with all its providers in one", c.Customer)
		}
		m.customers[c.Customer] = m.part
		k := [2]string{c.Customer, c.Provider}
		if m.cases[k] {
			return fmt.Errorf("reimbursement: Merge: customer %s with provider %s is in two settlements", c.Customer, c.Provider)
		}
		m.cases[k] = true
	}
	for _, v := range s.Versions {
		prev, seen := m.versions[v.Name]
		if !seen {
			m.versions[v.Name] = v
			m.s.Versions = append(m.s.Versions, v)
			continue
		}
		if diff := versionDiff(prev, v); diff != "" {
			// One name, two tariffs: the parts were settled under
			// different versions (one re-issued without a new name), and
			// their lines cannot be one settlement's.
			return fmt.Errorf("reimbursement: Merge: version %q is not the same in two settlements (%s): settle the parts under one edition of the tariff", v.Name, diff)
		}
		if prev.Digest == "" && v.Digest != "" {
			// The merged month names the digest, in any order of parts;
			// the file stays the first part's.
			i := slices.IndexFunc(m.s.Versions, func(r VersionRef) bool { return r.Name == v.Name })
			m.s.Versions[i].Digest = v.Digest
			m.versions[v.Name] = m.s.Versions[i]
		}
	}
	for _, p := range s.Providers {
		pt, ok := m.providers[p.Provider]
		if !ok {
			pt = &ProviderTotal{Provider: p.Provider, Name: p.Name, Ownership: p.Ownership}
			m.providers[p.Provider] = pt
		}
		if pt.Name != p.Name || pt.Ownership != p.Ownership {
			// Settled from two editions of the provider register: which
			// adjustments apply (a surcharge for private providers) and
			// whether the provider is invoiced follow its ownership, so
			// neither can be kept (found by attack).
			return fmt.Errorf("reimbursement: Merge: provider %s is not the same in two settlements (%q, %s; %q, %s): settle the parts from one register of providers",
				p.Provider, pt.Name, pt.Ownership, p.Name, p.Ownership)
		}
		pt.Customers += p.Customers
		pt.Amount.Decimal = pt.Amount.Add(p.Amount.Decimal)
		pt.add(p.KeyFigures)
	}
	m.s.Total.Decimal = m.s.Total.Add(s.Total.Decimal)
	if details {
		if err := m.addRecords(s); err != nil {
			return err
		}
		m.s.Lines = append(m.s.Lines, s.Lines...)
		m.s.Customers = append(m.s.Customers, s.Customers...)
		m.s.NotPaid = append(m.s.NotPaid, s.NotPaid...)
		m.s.PossibleDuplicates = append(m.s.PossibleDuplicates, s.PossibleDuplicates...)
	}
	return nil
}

// addRecords refuses a record that a part names under another customer
// or provider than a part before did: a record id is given once in a
// month, and Settle refuses a dataset that gives one twice; parts
// settled apart (each checked within itself) would pay it twice.
func (m *merger) addRecords(s *Settlement) error {
	if m.records == nil {
		m.records = map[recordKey][2]string{}
	}
	check := func(kind RecordKind, id, customer, provider string) error {
		k, owner := recordKey{kind, id}, [2]string{customer, provider}
		prev, seen := m.records[k]
		if !seen {
			m.records[k] = owner
			return nil
		}
		if prev != owner {
			return fmt.Errorf("reimbursement: Merge: %s %s is in the settlement of customer %s with %s and of customer %s with %s: a record id is given once in a month",
				kind, id, prev[0], prev[1], customer, provider)
		}
		return nil
	}
	for i := range s.Lines {
		l := &s.Lines[i]
		for _, u := range l.Units {
			if err := check(u.Kind, u.ID, l.Customer, l.Provider); err != nil {
				return err
			}
		}
	}
	for _, u := range s.NotPaid {
		// Components and adjustments are the tariff's, named alike for
		// every customer.
		if u.ID == "" || u.Kind == RecordComponent || u.Kind == RecordAdjustment {
			continue
		}
		if err := check(u.Kind, u.ID, u.Customer, u.Provider); err != nil {
			return err
		}
	}
	return nil
}

// result puts the merged settlement in Settle's order: lines, not-paid
// entries and possible duplicates by provider, then customer (each
// customer's own order kept), records of no customer or provider last;
// customers by customer, then provider; providers and versions sorted.
func (m *merger) result() *Settlement {
	s := m.s
	byCase := func(p1, c1, p2, c2 string) int { return cmp.Or(strings.Compare(p1, p2), strings.Compare(c1, c2)) }
	slices.SortStableFunc(s.Lines, func(a, b Line) int { return byCase(a.Provider, a.Customer, b.Provider, b.Customer) })
	slices.SortStableFunc(s.NotPaid, func(a, b Unpaid) int {
		// Settle lists the records it could not put in a case last, by
		// kind and id.
		if ua, ub := a.Reason == Unresolved, b.Reason == Unresolved; ua || ub {
			if ua != ub {
				return cmp.Compare(boolInt(ua), boolInt(ub))
			}
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID))
		}
		return byCase(a.Provider, a.Customer, b.Provider, b.Customer)
	})
	slices.SortStableFunc(s.PossibleDuplicates, func(a, b Duplicate) int {
		return byCase(a.Provider, a.Customer, b.Provider, b.Customer)
	})
	slices.SortStableFunc(s.Customers, func(a, b CustomerTotal) int { return byCase(a.Customer, a.Provider, b.Customer, b.Provider) })
	slices.SortStableFunc(s.Versions, func(a, b VersionRef) int {
		return cmp.Or(a.ValidFrom.Compare(b.ValidFrom), strings.Compare(a.Name, b.Name))
	})
	s.Providers = s.Providers[:0]
	s.KeyFigures = KeyFigures{}
	for _, id := range sortedKeys(m.providers) {
		pt := m.providers[id]
		pt.computeShare()
		s.Providers = append(s.Providers, *pt)
		s.KeyFigures.add(pt.KeyFigures)
	}
	s.KeyFigures.computeShare()
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
