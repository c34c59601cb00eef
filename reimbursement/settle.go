package reimbursement

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// Options tune a settlement. The zero value explains every line and uses
// every CPU. A numeric field out of its range is a configuration error
// (see Validate): Settle and SettleCustomers return it, naming the field,
// its value and the range, rather than settle under a limit other than
// the one given.
type Options struct {
	// NoExplain leaves out the explanations, for bulk runs.
	NoExplain bool
	// Workers is the number of goroutines settling customers in parallel,
	// 1 to MaxWorkers; 0 means runtime.GOMAXPROCS(0). The output does not
	// depend on it.
	Workers int
	// Lock is the month's lock date (låsdatum): visits registered after
	// it are not paid in this settlement and are reported as such. Zero
	// means no lock; visits of unknown registration time (Registered
	// zero) are always paid, and counted in
	// KeyFigures.UnregisteredVisits, which WriteText shows, so that a
	// registration column left unread is seen.
	Lock time.Time

	// Plausibility limits. A record beyond one is reported not paid with
	// the reason implausible, before anything of it is counted, split or
	// allocated: a visit whose end has a typo in the year costs nothing
	// and takes no time to settle. Zero takes the default; a negative
	// limit, or one above its ceiling, is an error.

	// MaxVisit is the longest visit paid (default 24 hours; at most
	// 31 days).
	MaxVisit time.Duration
	// MaxGrantedPerDay is the most minutes a granted item may grant a
	// day, for one staff member, averaged over its frequency: minutes ×
	// times per day, ÷ 7 per week, ÷ 31 per month, minutes per month
	// ÷ 31 (default 1 440, a whole day; 1 to 14 400).
	MaxGrantedPerDay int
	// MaxStaff is the most staff a visit may register (default 4; 1 to
	// 100).
	MaxStaff int

	// noVisitSlots makes every visit build its environment rather than
	// take an alike visit's (see envKey): for the test that the two give
	// the same settlement.
	noVisitSlots bool
}

// MaxWorkers is the most Options.Workers may be: more goroutines than
// any machine has CPUs, where each settles customers of its own and
// SettleCustomers reads four customers ahead for each.
const MaxWorkers = 1024

// Validate returns an error naming every numeric field of o out of its
// range, with its value and the range allowed; nil when all are in range
// (zero, for each, is its default). Settle and SettleCustomers call it.
func (o Options) Validate() error {
	var errs []error
	bad := func(field string, value any, allowed string) {
		errs = append(errs, fmt.Errorf("reimbursement: Options.%s is %v; allowed: %s", field, value, allowed))
	}
	if o.Workers < 0 || o.Workers > MaxWorkers {
		bad("Workers", o.Workers, fmt.Sprintf("1 to %d, or 0 for one per CPU", MaxWorkers))
	}
	if o.MaxVisit < 0 || o.MaxVisit > ceilingMaxVisit {
		bad("MaxVisit", o.MaxVisit, fmt.Sprintf("more than 0 up to %v (31 days), or 0 for the default %v", ceilingMaxVisit, defaultMaxVisit))
	}
	if o.MaxGrantedPerDay < 0 || o.MaxGrantedPerDay > ceilingMaxGrantedPerDay {
		bad("MaxGrantedPerDay", o.MaxGrantedPerDay, fmt.Sprintf("1 to %d minutes, or 0 for the default %d", ceilingMaxGrantedPerDay, defaultMaxGrantedPerDay))
	}
	if o.MaxStaff < 0 || o.MaxStaff > ceilingMaxStaff {
		bad("MaxStaff", o.MaxStaff, fmt.Sprintf("1 to %d, or 0 for the default %d", ceilingMaxStaff, defaultMaxStaff))
	}
	return errors.Join(errs...)
}

// The defaults and ceilings of the plausibility limits. The ceilings
// keep every integer of the quantity path far from overflow: a month
// has at most 31 × 14 400 × 100 staff minutes per record.
const (
	defaultMaxVisit         = 24 * time.Hour
	ceilingMaxVisit         = 31 * 24 * time.Hour
	defaultMaxGrantedPerDay = 1440
	ceilingMaxGrantedPerDay = 14400
	defaultMaxStaff         = 4
	ceilingMaxStaff         = 100
)

// limits are the plausibility limits of a settlement, defaults applied.
type limits struct {
	maxVisit         time.Duration
	maxGrantedPerDay int64
	maxStaff         int
}

// limits applies the defaults to the limits of o, which Validate has
// accepted.
func (o Options) limits() limits {
	pick := func(v, def, ceiling int64) int64 {
		if v <= 0 {
			return def
		}
		return min(v, ceiling)
	}
	return limits{
		maxVisit:         time.Duration(pick(int64(o.MaxVisit), int64(defaultMaxVisit), int64(ceilingMaxVisit))),
		maxGrantedPerDay: pick(int64(o.MaxGrantedPerDay), defaultMaxGrantedPerDay, ceilingMaxGrantedPerDay),
		maxStaff:         int(pick(int64(o.MaxStaff), defaultMaxStaff, ceilingMaxStaff)),
	}
}

// Settle computes what the providers in ds are owed for the month p under
// the tariff book: for every customer and provider, the units of each
// tariff version in force on their dates are matched by the components'
// when expressions, counted by their strategies, priced by their rate
// expressions, added up into lines and rounded once per line. Everything
// not paid is reported with its reason.
//
// The dataset is validated first; an invalid one returns its errors, as
// do options out of range (Options.Validate). The result does not depend
// on the order of the records in ds.
//
// Settle stops soon after ctx is cancelled (between two customers of a
// worker) and returns ctx's error with no settlement. A nil ctx is an
// error, as a nil book or dataset is (use context.Background()).
func Settle(ctx context.Context, book *Book, ds *models.Dataset, p calendar.Period, opts Options) (*Settlement, error) {
	if ctx == nil {
		return nil, errors.New("reimbursement: Settle: nil context (use context.Background())")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if book == nil || ds == nil {
		return nil, errors.New("reimbursement: Settle: nil book or dataset")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("reimbursement: Settle: %w", err)
	}
	s, _, err := settleChecked(ctx, book, ds, p, opts)
	return s, err
}

// settleChecked is Settle once ctx, book, ds, options and period are
// checked. It returns, with the settlement, what it indexed of ds alone
// (see dataIndex), for the settlements of ds after it (SettleEach).
func settleChecked(ctx context.Context, book *Book, ds *models.Dataset, p calendar.Period, opts Options) (*Settlement, *dataIndex, error) {
	// The dataset is indexed while it is validated: indexing reads
	// what validation reads and relies on none of its checks (see
	// settleIndexed), and takes a core validation leaves idle between
	// its parallel checks. Neither writes to ds; the index is waited for
	// before an invalid dataset is returned to the caller.
	indexed := make(chan indexResult, 1)
	go func() {
		// A panic is handed to the caller's goroutine, where it would
		// have been raised had the index not been made beside.
		defer func() {
			if r := recover(); r != nil {
				indexed <- indexResult{panic: r}
			}
		}()
		in, err := index(book, ds, p, nil)
		indexed <- indexResult{in: in, err: err}
	}()
	verr := ds.Validate()
	ix := <-indexed
	if ix.panic != nil {
		panic(ix.panic)
	}
	if verr != nil {
		return nil, nil, verr
	}
	if ix.err != nil {
		return nil, nil, ix.err
	}
	s, err := settleIndexed(ctx, ix.in, opts)
	return s, &ix.in.dataIndex, err
}

// SettleEach settles the dataset ds under each of books in each of
// periods, each settlement as Settle gives it, but validates ds once for
// all of them where Settle would validate it for each, and groups its
// records by customer and provider and puts each group's in order once,
// where Settle would for each: a comparison of tariffs over months
// (compare.Run) costs its settlements less all validations but one,
// each about a seventh of a settlement's work, and less all groupings
// and sortings of the records but one, each about a twelfth (in
// instructions, on a generated month of 100 000 visits). out[i] are the
// settlements of books[i], one for each period in order.
//
// They are settled period by period, each period's under every book in
// order, and the first error stops the run: it is returned with the
// settlements made before it, so that the book and period it belongs to
// are the first book with the fewest settlements and the period after
// its last (an invalid dataset, the error of the first: none settled).
// Options and every period are checked before any settlement; so are ctx,
// ds and each book, none of which may be nil. With no book or no period,
// ds is validated and nothing settled.
func SettleEach(ctx context.Context, books []*Book, ds *models.Dataset, periods []calendar.Period, opts Options) ([][]*Settlement, error) {
	if ctx == nil {
		return nil, errors.New("reimbursement: SettleEach: nil context (use context.Background())")
	}
	if ds == nil || slices.Contains(books, nil) {
		return nil, errors.New("reimbursement: SettleEach: nil book or dataset")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	for _, p := range periods {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("reimbursement: SettleEach: %w", err)
		}
	}
	out := make([][]*Settlement, len(books))
	if len(books) == 0 || len(periods) == 0 {
		return out, ds.Validate()
	}
	// The first settlement validates ds, indexing it beside; the others
	// take what it indexed of ds alone.
	if err := ctx.Err(); err != nil {
		return out, err
	}
	first, data, err := settleChecked(ctx, books[0], ds, periods[0], opts)
	if err != nil {
		return out, err
	}
	out[0] = append(out[0], first)
	for j, p := range periods {
		for i, b := range books {
			if i == 0 && j == 0 {
				continue // settled above
			}
			s, err := settleValidated(ctx, b, data, p, opts)
			if err != nil {
				return out, err
			}
			out[i] = append(out[i], s)
		}
	}
	return out, nil
}

// settleValidated is Settle of a dataset Validate has accepted and
// indexed as data, with ctx, book, options and period checked.
func settleValidated(ctx context.Context, book *Book, data *dataIndex, p calendar.Period, opts Options) (*Settlement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return settleIndexed(ctx, indexWith(book, p, data), opts)
}

// indexResult is what index returned, or the value it panicked with
// (never nil: recover gives a *runtime.PanicNilError for panic(nil)).
type indexResult struct {
	in    *input
	err   error
	panic any
}

// settleOne settles a small validated dataset (one customer's) on the
// calling goroutine with the worker w, which is reused from call to call
// so that its memoised evaluations stay warm; w is nil on the first call
// and returned for the next.
func settleOne(ctx context.Context, book *Book, ds *models.Dataset, p calendar.Period, opts Options, w *worker) (*Settlement, *worker, error) {
	var prev *input
	if w != nil {
		prev = w.in
	}
	in, err := index(book, ds, p, prev)
	if err != nil {
		return nil, w, err
	}
	in.setOptions(opts)
	if w == nil || w.explain == opts.NoExplain {
		w = newWorker(in, !opts.NoExplain)
	}
	w.in, w.ctx = in, ctx
	results := make([]caseResult, len(in.cases))
	pl := newPlacer(in)
	for k, i := range pl.order {
		pl.take(w)
		results[i] = w.settleCase(in.cases[i])
		pl.put(k, w, results[i].out)
	}
	for _, r := range results {
		if r.err != nil {
			return nil, w, r.err // the first in the cases' order
		}
	}
	return assemble(in, results, pl), w, nil
}

// setOptions gives in what of opts the workers read.
func (in *input) setOptions(opts Options) {
	in.lock, in.limits, in.noVisitSlots = opts.Lock, opts.limits(), opts.noVisitSlots
}

// settleIndexed settles the indexed dataset in. It does not rely on
// validation for its safety: a record whose customer or provider does
// not resolve is reported, not dereferenced.
func settleIndexed(ctx context.Context, in *input, opts Options) (*Settlement, error) {
	in.setOptions(opts)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(in.cases)))
	results := make([]caseResult, len(in.cases))
	// The cases are taken in the order of the output, so that each is
	// placed soon after it is settled (see placer).
	p := newPlacer(in)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(in, !opts.NoExplain)
			w.ctx = ctx
			for k := int(next.Add(1) - 1); k < len(p.order); k = int(next.Add(1) - 1) {
				if ctx.Err() != nil {
					return
				}
				i := p.order[k]
				p.take(w)
				results[i] = w.settleCase(in.cases[i])
				p.put(k, w, results[i].out)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, r := range results {
		if r.err != nil {
			return nil, r.err // the first in the cases' order, whatever the workers'
		}
	}
	return assemble(in, results, p), nil
}

// ErrUnsettled is returned by Settle and SettleCustomers for a customer
// whose month, split by tariff versions whose caps read each other's paid
// minutes, was settled again as many times as NewBook allows a month
// (96 settlements of a version) without two settlements agreeing: caps
// that, through what they count, pay more the less they paid the time
// before, and a month whose passes approach agreement more slowly than
// its versions leave passes for (a chain of caps through the minutes of
// components a later version drops, which NewBook cannot see, across a
// version a day). The book is at fault; no amount of the month is given
// rather than the last one tried.
var ErrUnsettled = errors.New("the caps of the month's versions read each other's paid minutes without settling")
