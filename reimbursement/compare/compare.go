package compare

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
	"github.com/hemtjanst/ersattning/reimbursement/internal/set"
)

// Side is one tariff of a comparison: the book, the data it settles (a
// proposed model may describe the same customers differently, as the
// KSI-based pilot of Österåker describes decisions by activities), and an
// optional fee schedule for the customers' fees under it.
type Side struct {
	Name string
	Book *reimbursement.Book
	Data *models.Dataset
	Fees *fee.Schedule
}

// Options tune a comparison. A nil field takes the default in its
// comment; zero is a value like any other (a threshold of 0 counts every
// change). A negative threshold or Largest, or Workers out of its range,
// is an error naming the field, its value and the range (Run returns
// it).
type Options struct {
	// CustomerThreshold: a customer whose amount changes by more than this
	// many kronor counts as gaining or losing (default 100; 0 or more).
	CustomerThreshold *decimal.Decimal
	// ProviderThreshold: a provider whose total changes by more than this
	// many percent counts as gaining or losing (default 1; 0 or more).
	ProviderThreshold *decimal.Decimal
	// Largest is how many of the largest changes per customer to show
	// with both explanations (default 5; 0 or more).
	Largest *int
	// Workers is passed on to reimbursement.Settle: 0 means one per CPU,
	// at most reimbursement.MaxWorkers. With more than one, Run adds up
	// the base's lines while the proposal settles, and the report's own
	// work goes on as many cores; with 1, one thing after the other. The
	// report is the same bytes whatever the workers.
	Workers int
	// Budget, when given, is judged by Run: Report.Budget holds the
	// verdict (see Report.Judge).
	Budget *Budget
}

// settings are Options with the defaults filled in.
type settings struct {
	customerThreshold, providerThreshold decimal.Decimal
	largest                              int
}

// validate returns an error naming every field of o out of its range.
func (o Options) validate() error {
	var errs []error
	bad := func(field string, value any, allowed string) {
		errs = append(errs, fmt.Errorf("compare: Options.%s is %v; allowed: %s", field, value, allowed))
	}
	if t := o.CustomerThreshold; t != nil && t.IsNegative() {
		bad("CustomerThreshold", t, "0 kronor or more, or nil for the default 100")
	}
	if t := o.ProviderThreshold; t != nil && t.IsNegative() {
		bad("ProviderThreshold", t, "0 percent or more, or nil for the default 1")
	}
	if n := o.Largest; n != nil && *n < 0 {
		bad("Largest", *n, "0 or more, or nil for the default 5")
	}
	if o.Workers < 0 || o.Workers > reimbursement.MaxWorkers {
		bad("Workers", o.Workers, fmt.Sprintf("1 to %d, or 0 for one per CPU", reimbursement.MaxWorkers))
	}
	return errors.Join(errs...)
}

// settings returns o, which validate has accepted, with the defaults
// filled in.
func (o Options) settings() settings {
	s := settings{customerThreshold: decimal.NewFromInt(100), providerThreshold: decimal.NewFromInt(1), largest: 5}
	if o.CustomerThreshold != nil {
		s.customerThreshold = *o.CustomerThreshold
	}
	if o.ProviderThreshold != nil {
		s.providerThreshold = *o.ProviderThreshold
	}
	if o.Largest != nil {
		s.largest = *o.Largest
	}
	return s
}

// Report is what a proposed tariff does against the current one over
// the same months (a skuggberäkning): per provider, customer, component
// and month, the budget, how many gain and lose, the largest changes with
// both explanations, and each customer's fee under both.
type Report struct {
	Base     string   `json:"base"`
	Proposed string   `json:"proposed"`
	Periods  []string `json:"periods"`
	// BaseVersions and ProposedVersions are the tariff versions each side
	// settled the months by, each once, in order of the day it takes
	// effect: what was compared, down to the edition of each document
	// (VersionRef.Digest).
	BaseVersions     []reimbursement.VersionRef `json:"base_versions"`
	ProposedVersions []reimbursement.VersionRef `json:"proposed_versions"`
	// Total is the budget: what the municipality pays under each.
	Total      Change   `json:"total"`
	Months     []Change `json:"months"`
	Providers  []Change `json:"providers"`
	Components []Change `json:"components"`
	// ProviderComponents crosses the two: each provider's lines by
	// component (Provider the provider, Key the component, Name the
	// provider's name), by provider and then component, so that where a
	// component's change lands, provider by provider, is read off to the
	// öre; each provider's rows add up to its row of Providers and each
	// component's to its row of Components.
	ProviderComponents []Change `json:"provider_components"`
	// Zones and Ownerships add up the lines by the customer's zone and by
	// the provider's ownership (egen regi, privat regi) on the line's own
	// side: a proposal that brings a provider into egen regi moves its
	// amount from private to own.
	Zones []Change `json:"zones"`
	// An ownership row's Name is its Swedish term: "egen regi".
	Ownerships []Change `json:"ownerships"`
	// Customers carry the zone and the provider of each customer.
	Customers []Change `json:"customers"`
	// ProviderDifferences list the providers that the two sides name or
	// own differently (a proposal that brings a provider into egen regi,
	// a dataset that renames it), by provider id. A provider's row takes
	// its name from the base side (see Change.ProposedName).
	ProviderDifferences []ProviderDifference `json:"provider_differences,omitempty"`
	Distribution        Distribution         `json:"distribution"`
	Largest             []CustomerDiff       `json:"largest"`
	// Fees holds each customer's fee per month when a side has a fee
	// schedule; FeeTotal sums them.
	Fees     []FeeChange `json:"fees,omitempty"`
	FeeTotal *Change     `json:"fee_total,omitempty"`
	// NotPaid counts, by reason, what each side's settlements did not pay
	// (reimbursement.Settlement.NotPaid), in order of reason: a
	// comparison's amounts are only as whole as what the tariffs pay. A
	// record of another month (outside_period) counts once, when it is
	// outside every month compared; one beyond the plausibility limits
	// (implausible), which every month reports, once.
	NotPaid []UnpaidChange `json:"not_paid,omitempty"`
	// Warnings say where a side leaves records unpaid for want of a
	// tariff, a zone or a rate (no_tariff, unknown_zone, rate_error):
	// where one side leaves more than the other, a proposal directory
	// that lacks the version of the first half of a month compares half a
	// month with a whole one; where both leave the same, a customer of a
	// zone no tariff knows ("Tätort" for "tätort") or a month before any
	// version, the totals of both leave out what the municipality will
	// have to pay. A report with warnings is not a budget to decide on.
	// They are written in Swedish, as the report is read.
	Warnings []string `json:"warnings,omitempty"`
	// Budget is the verdict on Options.Budget, nil without one: within
	// the limit, over it, or not judged (when there are Warnings), never
	// two of them.
	Budget *BudgetVerdict `json:"budget,omitempty"`

	// BaseSettlements and ProposedSettlements are the settlements
	// compared, month by month, without explanations (settled with
	// reimbursement.Options.NoExplain: a report reads amounts, and a
	// line's arithmetic is Line.Formula); reimbursement.Settle explains
	// a customer's lines.
	BaseSettlements     []*reimbursement.Settlement `json:"-"`
	ProposedSettlements []*reimbursement.Settlement `json:"-"`
}

// Change is an amount under the base and the proposed tariff.
type Change struct {
	Key        string               `json:"key,omitempty"`
	Name       string               `json:"name,omitempty"`
	Base       reimbursement.Amount `json:"base"`
	Proposed   reimbursement.Amount `json:"proposed"`
	Difference reimbursement.Amount `json:"difference"`
	// Percent is Difference ÷ Base × 100 rounded half up to two decimals;
	// nil when Base is zero.
	Percent *reimbursement.Amount `json:"percent"`
	// Zone and Provider are set on customer rows: the customer's zone and
	// provider in the months compared, several joined by "+" when the
	// customer moved or changed provider.
	Zone     string `json:"zone,omitempty"`
	Provider string `json:"provider,omitempty"`
	// ProposedName is set on provider rows (Providers,
	// ProviderComponents) when the proposed side names the provider
	// otherwise than the base side, whose name is Name.
	ProposedName string `json:"proposed_name,omitempty"`
	// Rounding is how much of Difference is rounding ("varav
	// avrundning"): the proposal's rounded amounts less its unrounded
	// ones, less the same of the base, where a line's unrounded amount is
	// Quantity × Rate × Factor ÷ Divisor, the quotient its Amount rounds.
	// A tariff version that changes mid-month splits a customer's line in
	// two, each rounded, so 43 minutes at 448 kr/h, 321.0667 → 321.07 on
	// one line, are 171.7333 → 171.73 and 149.3333 → 149.33 = 321.06 on
	// two: a difference of −0.01 with rounding −0.01, though no rate
	// changed. It is computed exactly and shown to the öre (to the
	// budget's decimals where its difference has more), rounded so that
	// the rows of a breakdown add up to the budget's: see the package
	// documentation on rounding. Nil where that is zero. Difference −
	// Rounding is what the rates and quantities change, and adds up as
	// well. The fee rows have none.
	Rounding *reimbursement.Amount `json:"rounding,omitempty"`
}

// ProviderDifference is a provider that the sides name or own
// differently: its name and ownership on each side, each side's taken
// from the first month, in calendar order, whose settlement lists it.
type ProviderDifference struct {
	Provider          string           `json:"provider"`
	BaseName          string           `json:"base_name"`
	ProposedName      string           `json:"proposed_name"`
	BaseOwnership     models.Ownership `json:"base_ownership"`
	ProposedOwnership models.Ownership `json:"proposed_ownership"`
}

// SideError is an error of one side of a comparison: a side without a
// book or data, without a fee schedule where the other has one, or a
// month its settlement or fees could not be computed for. Side is "base"
// or "proposed", Name the side's name and Period the month, if any.
type SideError struct {
	Side, Name, Period string
	Err                error
}

// Error names the side, its name and the month, then the error.
func (e *SideError) Error() string {
	if e.Period == "" {
		return fmt.Sprintf("compare: %s side %q: %v", e.Side, e.Name, e.Err)
	}
	return fmt.Sprintf("compare: %s side %q, %s: %v", e.Side, e.Name, e.Period, e.Err)
}

// Unwrap returns the error the side met, for errors.Is and errors.As.
func (e *SideError) Unwrap() error { return e.Err }

func newChange(key, name string, base, proposed decimal.Decimal) Change {
	// A zero is written at the other side's scale: a month a tariff pays
	// nothing for is "0.00" beside "5420.00", not "0".
	if base.IsZero() && base.Exponent() > proposed.Exponent() {
		base = decimal.New(0, proposed.Exponent())
	}
	if proposed.IsZero() && proposed.Exponent() > base.Exponent() {
		proposed = decimal.New(0, base.Exponent())
	}
	c := Change{Key: key, Name: name, Base: reimbursement.AmountOf(base), Proposed: reimbursement.AmountOf(proposed),
		Difference: reimbursement.AmountOf(proposed.Sub(base))}
	if !base.IsZero() {
		pct := reimbursement.AmountOf(percent.Ratio(c.Difference.Mul(decimal.NewFromInt(100)), base))
		c.Percent = &pct
	}
	return c
}

// percent rounds percentages: half up to two decimals.
var percent = reimbursement.Rounding{Scale: 2, Mode: reimbursement.HalfUp}

// Distribution counts who gains and who loses by more than the
// thresholds.
type Distribution struct {
	CustomerThreshold  decimal.Decimal `json:"customer_threshold_kr"`
	CustomersGaining   int             `json:"customers_gaining"`
	CustomersLosing    int             `json:"customers_losing"`
	CustomersUnchanged int             `json:"customers_within"`
	ProviderThreshold  decimal.Decimal `json:"provider_threshold_percent"`
	ProvidersGaining   int             `json:"providers_gaining"`
	ProvidersLosing    int             `json:"providers_losing"`
	ProvidersUnchanged int             `json:"providers_within"`
	// FeesRising and FeesFalling count customer-months whose fee changes.
	FeesRising  int `json:"fees_rising"`
	FeesFalling int `json:"fees_falling"`
}

// UnpaidChange is what the two sides did not pay for one reason: how
// many records (by kind, id and item, each once however many entries
// it has: a decision item or listing spanning a change of tariff
// version is one record, though reported once for each version; see
// reimbursement.UnpaidRecords), their minutes and, for decision items
// and listings, their days.
type UnpaidChange struct {
	Reason          reimbursement.Reason `json:"reason"`
	BaseRecords     int                  `json:"base_records"`
	ProposedRecords int                  `json:"proposed_records"`
	BaseMinutes     int64                `json:"base_minutes"`
	ProposedMinutes int64                `json:"proposed_minutes"`
	// BaseDays and ProposedDays are the days not paid of decision items
	// and listings (Unpaid.Days), which have no minutes of their own.
	BaseDays     int `json:"base_days,omitempty"`
	ProposedDays int `json:"proposed_days,omitempty"`
}

// CustomerDiff is one of the largest changes, with the lines behind it
// under both tariffs, explanations included.
type CustomerDiff struct {
	Change        `json:"change"`
	BaseLines     []reimbursement.Line `json:"base_lines"`
	ProposedLines []reimbursement.Line `json:"proposed_lines"`
	// NotPaid are the customer's records that one side leaves unpaid in
	// a month and the other does not (a visit paid now that the proposal
	// does not pay, or the other way about; an item one side leaves
	// unpaid in April and the other in May is listed for each month),
	// and those both leave unpaid otherwise (for another reason, or more
	// or fewer minutes or days: an item paused 5 days for a hospital stay
	// under one, and under the other not paid 10 days for want of a
	// tariff and the same 5 paused days absent), listed for each side,
	// the base first; by month, kind, id
	// and item: at most 10 entries, in that order, a record's two
	// together, and NotPaidMore says how many more records.
	NotPaid     []SideUnpaid `json:"not_paid,omitempty"`
	NotPaidMore int          `json:"not_paid_more,omitempty"`
}

// maxRecordsShown is how many of a largest change's records that one
// side does not pay and the other does, or pays otherwise, it lists
// (CustomerDiff.NotPaid).
const maxRecordsShown = 10

// SideUnpaid is a record one side of a comparison leaves unpaid in a
// month and the other does not, or leaves unpaid otherwise: Side is
// "base" or "proposed", the side that does not pay it, and Unpaid the
// record's entries of the month there of its first entry's reason as
// one: the first entry, with the minutes and days of all of them summed
// (a record spanning a change of version has an entry for each version:
// 15 days not paid under one and 15 under the next are 30). Also holds
// its entries of other reasons, each reason's summed likewise, in order
// of reason: an item whose first half of the month has no tariff is not
// paid 10 days for want of a tariff and 5 paused days absent; a visit not
// paid for two reasons has one for each. Otherwise says the other side
// leaves it unpaid too, for another reason or more or fewer minutes or
// days, and is listed beside it.
type SideUnpaid struct {
	Side      string                 `json:"side"`
	Unpaid    reimbursement.Unpaid   `json:"unpaid"`
	Also      []reimbursement.Unpaid `json:"also,omitempty"`
	Otherwise bool                   `json:"otherwise,omitempty"`
}

// FeeChange is a customer's fee for a month under both tariffs.
type FeeChange struct {
	Customer   string               `json:"customer"`
	Period     string               `json:"period"`
	Base       *fee.Fee             `json:"base,omitempty"`
	Proposed   *fee.Fee             `json:"proposed,omitempty"`
	Difference reimbursement.Amount `json:"difference"`
}

// Run settles the months under both sides and compares them. Both
// sides' data must describe the same customers and providers; the
// comparison is by customer id, provider id and component name. Options
// out of range are refused before anything is settled, and so is a nil
// ctx (Run stops soon after ctx is cancelled, as reimbursement.Settle
// does).
func Run(ctx context.Context, base, proposed Side, periods []calendar.Period, opts Options) (*Report, error) {
	if ctx == nil {
		return nil, errors.New("compare: nil context (use context.Background())")
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if len(periods) == 0 {
		return nil, errors.New("compare: no periods")
	}
	seen := map[string]bool{}
	for _, p := range periods {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		if seen[p.String()] {
			return nil, fmt.Errorf("compare: month %s given twice: its amounts would count twice", p)
		}
		seen[p.String()] = true
	}
	for i, s := range []Side{base, proposed} {
		if s.Book == nil || s.Data == nil {
			return nil, &SideError{Side: sideKeys[i], Name: s.Name, Err: errors.New("no book or no data")}
		}
	}
	// Fees compared against none would show every customer's fee gone
	// (or come) in full.
	for i, s := range []Side{base, proposed} {
		if other := []Side{proposed, base}[i]; s.Fees != nil && other.Fees == nil {
			return nil, &SideError{Side: sideKeys[1-i], Name: other.Name,
				Err: fmt.Errorf("no fee schedule, where %s has one: give both sides one (the same, where the fees do not change)", s.Name)}
		}
	}
	c := &Report{Base: base.Name, Proposed: proposed.Name}
	// Months in the order of the calendar, whatever the order given: the
	// report is the same bytes for -months 2024-03,2024-01 as for
	// 2024-01,2024-03.
	periods = slices.SortedFunc(slices.Values(periods), func(a, b calendar.Period) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month))
	})
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Each side settles its months and then adds up its lines and counts
	// what it did not pay; with more than one worker, the two sides at
	// once, each its own: what one leaves a core idle for, the other
	// takes. Nothing of one side depends on the other's, so the report is
	// the same whichever finishes first.
	// The base settles its months; its lines are added up and what it
	// did not pay counted while the proposal settles (with more than one
	// worker, on a goroutine of its own: it takes what the proposal's
	// settling leaves a core idle for), then the proposal's, the two on
	// a core each. Nothing of one side depends on the other's: the
	// report is the same bytes however they are scheduled. The proposal
	// settles the months up to the base's first error, if any: one of
	// those may fail first.
	//
	// Two sides of one dataset (the same *models.Dataset) settle it
	// through reimbursement.SettleEach, which validates it and groups its
	// records by customer once for both sides and every month, the months
	// in order, the base's before the proposal's: the first error is the
	// one the order above gives.
	var sides [2]sideWork
	b, pr := &sides[0], &sides[1]
	if base.Data == proposed.Data {
		settleShared(ctx, &sides, base, proposed, periods, opts.Workers)
		if b.err == nil && pr.err == nil {
			wait := background(workers > 1, func() { b.addUp(0, workers) })
			pr.addUp(1, workers)
			wait()
		}
	} else {
		b.settle(ctx, base, periods, opts.Workers)
		wait := background(workers > 1 && b.err == nil, func() {
			if b.err == nil {
				b.addUp(0, workers)
			}
		})
		pr.settle(ctx, proposed, periods[:len(b.settlements)], opts.Workers)
		if b.err == nil && pr.err == nil {
			pr.addUp(1, workers)
		}
		wait()
	}
	if err := c.settled(base, proposed, periods, &sides); err != nil {
		return nil, err
	}
	if err := c.analyse(ctx, base, proposed, periods, opts, &sides); err != nil {
		return nil, err
	}
	return c, nil
}

// settled takes the months' settlements of both sides into c, and their
// totals and fees, month by month; it returns the first error in the
// order of settling the base's month, then the proposed's, then their
// fees, month after month, as when they were settled so: a side's error
// in an earlier month before the other's in a later, the base's before
// the proposed's in the same month.
func (c *Report) settled(base, proposed Side, periods []calendar.Period, sides *[2]sideWork) error {
	// The first error in the order of settling one side's month after
	// the other's, month by month, with the month's fees.
	for i, p := range periods {
		c.Periods = append(c.Periods, p.String())
		for side, sd := range []Side{base, proposed} {
			if w := &sides[side]; w.err != nil && len(w.settlements) == i {
				return &SideError{Side: sideKeys[side], Name: sd.Name, Period: p.String(), Err: w.err}
			}
		}
		b, pr := sides[0].settlements[i], sides[1].settlements[i]
		c.BaseSettlements = append(c.BaseSettlements, b)
		c.ProposedSettlements = append(c.ProposedSettlements, pr)
		c.Months = append(c.Months, newChange(p.String(), "", b.Total.Decimal, pr.Total.Decimal))
		if err := c.addFees(base, proposed, p); err != nil {
			return err
		}
	}
	return nil
}

// sideWork is what one side of a comparison does on its own: its
// settlements, month by month, up to the first error, if any; what they
// did not pay; their lines added up (see Run).
type sideWork struct {
	settlements []*reimbursement.Settlement
	err         error
	unpaid      *unpaidCounts
	parts       []part
}

// settle settles the months under sd, up to the first error.
func (w *sideWork) settle(ctx context.Context, sd Side, periods []calendar.Period, workers int) {
	for _, p := range periods {
		s, err := reimbursement.Settle(ctx, sd.Book, sd.Data, p, reimbursement.Options{Workers: workers, NoExplain: true})
		if err != nil {
			w.err = err
			return
		}
		w.settlements = append(w.settlements, s)
	}
}

// settleShared settles the months under both sides, whose data is one
// dataset, validating it once (reimbursement.SettleEach): up to the
// first error, in the order of month and then side, which is the side's
// whose settlements stop first.
func settleShared(ctx context.Context, sides *[2]sideWork, base, proposed Side, periods []calendar.Period, workers int) {
	out, err := reimbursement.SettleEach(ctx, []*reimbursement.Book{base.Book, proposed.Book}, base.Data, periods,
		reimbursement.Options{Workers: workers, NoExplain: true})
	for i := range sides {
		if i < len(out) {
			sides[i].settlements = out[i]
		}
	}
	if err != nil {
		failed := 0 // the first side with the fewest settlements
		if len(sides[1].settlements) < len(sides[0].settlements) {
			failed = 1
		}
		sides[failed].err = err
	}
}

// addUp counts what the settlements of side (0 base, 1 proposed) did not
// pay and adds up their lines, on cores: the lines of a month cut in as
// many parts, beside the count.
func (w *sideWork) addUp(side, cores int) {
	size := math.MaxInt
	if cores > 1 {
		most := 0 // lines of the longest month
		for _, s := range w.settlements {
			most = max(most, len(s.Lines))
		}
		size = max(1, (most+cores-1)/cores)
	}
	w.parts = partsOf(side, w.settlements, size)
	tasks := []func(){func() { w.unpaid = unpaidOf(w.settlements) }}
	for i := range w.parts {
		p := &w.parts[i]
		tasks = append(tasks, func() { p.add(w.settlements[p.month], side == 0) })
	}
	parallel(cores, tasks)
}

// analyse compares the settlements of c, settled, their lines added up
// and what they did not pay counted by side: everything of the Report
// but the settlements, the months' amounts and the fees.
func (c *Report) analyse(ctx context.Context, base, proposed Side, periods []calendar.Period, opts Options, sides *[2]sideWork) error {
	set := opts.settings()
	c.BaseVersions, c.ProposedVersions = versionsOf(c.BaseSettlements), versionsOf(c.ProposedSettlements)
	c.Total = newChange("", "", sumOf(c.BaseSettlements, total), sumOf(c.ProposedSettlements, total))
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := c.addUp(append(slices.Clip(sides[0].parts), sides[1].parts...), workers)
	chosen := c.largest(set.largest, b)
	// The largest changes' lines explained (settled again) beside the
	// rest, with more than one worker: it writes their lines alone.
	var explained error
	wait := background(workers > 1, func() { explained = c.explainLargest(ctx, base, proposed, periods, opts.Workers, workers) })
	if len(chosen) > 0 {
		c.largestNotPaid(chosen)
	}
	c.compareProviders()
	c.notPaid([2]*unpaidCounts{sides[0].unpaid, sides[1].unpaid})
	c.distribute(set)
	wait()
	if explained != nil {
		return explained
	}
	if opts.Budget != nil {
		v := c.Judge(*opts.Budget)
		c.Budget = &v
	}
	return nil
}

func total(s *reimbursement.Settlement) decimal.Decimal { return s.Total.Decimal }

// versionsOf returns the versions of the settlements, each once (by name
// and digest), in order of the day each takes effect.
func versionsOf(ss []*reimbursement.Settlement) []reimbursement.VersionRef {
	out := []reimbursement.VersionRef{}
	for _, s := range ss {
		for _, v := range s.Versions {
			if !slices.ContainsFunc(out, func(o reimbursement.VersionRef) bool { return o.Name == v.Name && o.Digest == v.Digest }) {
				out = append(out, v)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b reimbursement.VersionRef) int { return a.ValidFrom.Compare(b.ValidFrom) })
	return out
}

func sumOf(ss []*reimbursement.Settlement, f func(*reimbursement.Settlement) decimal.Decimal) decimal.Decimal {
	var sum decimal.Decimal
	for _, s := range ss {
		sum = sum.Add(f(s))
	}
	return sum
}

// sideKeys name the sides in SideError, base first.
var sideKeys = [2]string{"base", "proposed"}

// providerInfo is a provider as one side's settlements list it.
type providerInfo struct {
	name      string
	ownership models.Ownership
}

// providersOf returns each provider's name and ownership as the first
// settlement of ss that lists it has them: the first month, in calendar
// order, since Run keeps the settlements in that order.
func providersOf(ss []*reimbursement.Settlement) map[string]providerInfo {
	m := map[string]providerInfo{}
	for _, s := range ss {
		for _, p := range s.Providers {
			if _, ok := m[p.Provider]; !ok {
				m[p.Provider] = providerInfo{p.Name, p.Ownership}
			}
		}
	}
	return m
}

// providerNames returns the name of every provider of either side: the
// base side's where the base side lists it, the proposed side's where
// only that one does; never simply the side read last.
func (c *Report) providerNames() map[string]string {
	names := map[string]string{}
	for id, p := range providersOf(c.ProposedSettlements) {
		names[id] = p.name
	}
	for id, p := range providersOf(c.BaseSettlements) {
		names[id] = p.name
	}
	return names
}

// compareProviders lists the providers the sides name or own differently
// (ProviderDifferences), and sets ProposedName on the provider rows of
// those the proposed side names otherwise.
func (c *Report) compareProviders() {
	base, prop := providersOf(c.BaseSettlements), providersOf(c.ProposedSettlements)
	proposedName := map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(base)) {
		b := base[id]
		p, ok := prop[id]
		if !ok || p == b {
			continue
		}
		c.ProviderDifferences = append(c.ProviderDifferences, ProviderDifference{Provider: id, BaseName: b.name, ProposedName: p.name,
			BaseOwnership: b.ownership, ProposedOwnership: p.ownership})
		if p.name != b.name {
			proposedName[id] = p.name
		}
	}
	for i := range c.Providers {
		c.Providers[i].ProposedName = proposedName[c.Providers[i].Key]
	}
	for i := range c.ProviderComponents {
		c.ProviderComponents[i].ProposedName = proposedName[c.ProviderComponents[i].Provider]
	}
}

// names are the distinct names of a customer's lines (zones, providers),
// in the order met: the first held in the value (most customers have one
// zone and one provider), the others, when there are, beside it.
type names struct {
	first string
	any   bool // first is set
	more  *moreNames
}

type moreNames struct {
	seen set.Small[string]
	list []string // all the names, the first too
}

func (n *names) add(v string) {
	switch {
	case !n.any:
		n.first, n.any = v, true
	case n.more == nil:
		if v != n.first {
			n.more = &moreNames{list: []string{n.first, v}}
			n.more.seen.Add(n.first)
			n.more.seen.Add(v)
		}
	case n.more.seen.Add(v):
		n.more.list = append(n.more.list, v)
	}
}

// joined returns the names sorted and joined by "+".
func (n *names) joined() string {
	if n.more == nil {
		return n.first
	}
	slices.Sort(n.more.list)
	return strings.Join(n.more.list, "+")
}

func (c *Report) distribute(opts settings) {
	d := &c.Distribution
	d.CustomerThreshold, d.ProviderThreshold = opts.customerThreshold, opts.providerThreshold
	for _, ch := range c.Customers {
		switch {
		case ch.Difference.GreaterThan(opts.customerThreshold):
			d.CustomersGaining++
		case ch.Difference.LessThan(opts.customerThreshold.Neg()):
			d.CustomersLosing++
		default:
			d.CustomersUnchanged++
		}
	}
	// A provider is judged on its exact change, difference × 100 against
	// threshold × |base|, not on Percent, which is rounded: +1.0033 %
	// shows as +1.00 % but is beyond a threshold of 1.
	hundred := decimal.NewFromInt(100)
	for _, ch := range c.Providers {
		diff, limit := ch.Difference.Mul(hundred), opts.providerThreshold.Mul(ch.Base.Abs())
		switch {
		case ch.Base.IsZero() && ch.Difference.IsPositive():
			d.ProvidersGaining++
		case ch.Base.IsZero() && ch.Difference.IsNegative():
			d.ProvidersLosing++
		case ch.Base.IsZero():
			d.ProvidersUnchanged++
		case diff.GreaterThan(limit):
			d.ProvidersGaining++
		case diff.LessThan(limit.Neg()):
			d.ProvidersLosing++
		default:
			d.ProvidersUnchanged++
		}
	}
	for _, f := range c.Fees {
		switch f.Difference.Sign() {
		case 1:
			d.FeesRising++
		case -1:
			d.FeesFalling++
		}
	}
}

// addFees computes the month's fees under the sides that have a schedule.
func (c *Report) addFees(base, proposed Side, p calendar.Period) error {
	if base.Fees == nil && proposed.Fees == nil {
		return nil
	}
	feesOf := func(s Side, side string) (map[string]*fee.Fee, error) {
		if s.Fees == nil {
			return nil, nil
		}
		fees, err := s.Fees.Fees(s.Data, p)
		if err != nil {
			return nil, &SideError{Side: side, Name: s.Name, Period: p.String(), Err: err}
		}
		m := map[string]*fee.Fee{}
		for i := range fees {
			m[fees[i].Customer] = &fees[i]
		}
		return m, nil
	}
	bf, err := feesOf(base, sideKeys[0])
	if err != nil {
		return err
	}
	pf, err := feesOf(proposed, sideKeys[1])
	if err != nil {
		return err
	}
	keys := slices.Collect(maps.Keys(bf))
	for k := range pf {
		if _, ok := bf[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var bt, pt decimal.Decimal
	for _, k := range keys {
		fc := FeeChange{Customer: k, Period: p.String(), Base: bf[k], Proposed: pf[k]}
		var b, pr decimal.Decimal
		if fc.Base != nil {
			b = fc.Base.Amount.Decimal
		}
		if fc.Proposed != nil {
			pr = fc.Proposed.Amount.Decimal
		}
		fc.Difference = reimbursement.AmountOf(pr.Sub(b))
		bt, pt = bt.Add(b), pt.Add(pr)
		c.Fees = append(c.Fees, fc)
	}
	if c.FeeTotal == nil {
		c.FeeTotal = &Change{}
	}
	ft := newChange("", "", c.FeeTotal.Base.Add(bt), c.FeeTotal.Proposed.Add(pt))
	c.FeeTotal = &ft
	return nil
}

// ownershipNames name the rows of Report.Ownerships, keyed by
// Ownership.String, by their Swedish terms.
var ownershipNames = func() map[string]string {
	m := map[string]string{}
	for _, o := range []models.Ownership{models.OwnershipUnknown, models.OwnOperation, models.Private} {
		m[o.String()] = o.Swedish()
	}
	return m
}()
