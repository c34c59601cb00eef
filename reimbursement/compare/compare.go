package compare

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
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
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
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
	var sides [2]sideWork
	b, pr := &sides[0], &sides[1]
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

// unpaidCounts are what one side did not pay, by reason: records,
// minutes and days, and whether any was counted.
type unpaidCounts struct {
	counted [256]bool
	records [256]int
	minutes [256]int64
	days    [256]int
}

// unpaidOf counts what the settlements of one side did not pay, by
// reason.
func unpaidOf(ss []*reimbursement.Settlement) *unpaidCounts {
	out := &unpaidCounts{}
	// A record of another month is not paid only if it is outside every
	// month compared: counted in each month it is not of, a comparison of
	// April and May listed every visit of both as not paid, and one of
	// June twice (found by trial). A record beyond the plausibility
	// limits, which every month reports before its date is asked, counts
	// once (three times in three months, found by attack).
	type record = reimbursement.RecordKey
	outside := map[record]int{}
	// The most records of a kind, id and item one month reported as
	// implausible, and their minutes: two items of one name in a decision
	// are two records a month (counted as one, found by attack).
	type most struct {
		n, days int
		minutes int64
	}
	implausible := map[record]most{}
	for _, s := range ss {
		month := map[record]most{}
		for i := range s.NotPaid {
			u := &s.NotPaid[i]
			if u.Reason == reimbursement.Implausible {
				k := u.Record()
				m := month[k]
				month[k] = most{m.n + 1, m.days + u.Days, m.minutes + u.Minutes}
			}
		}
		for k, m := range month {
			if m.n > implausible[k].n {
				implausible[k] = m
			}
		}
	}
	for _, m := range implausible {
		out.minutes[reimbursement.Implausible] += m.minutes
		out.days[reimbursement.Implausible] += m.days
	}
	for _, s := range ss {
		for i := range s.NotPaid {
			if u := &s.NotPaid[i]; u.Reason == reimbursement.OutsidePeriod {
				outside[u.Record()]++
			}
		}
	}
	skip := func(i int, u *reimbursement.Unpaid) bool {
		return u.Reason == reimbursement.OutsidePeriod && (outside[u.Record()] < len(ss) || i > 0) // of a month compared, or counted at the first
	}
	// The entries counted, by reason: a record is counted once however
	// many entries it has (UnpaidRecords), a decision item spanning a
	// change of version was counted once for each version (56 → 61
	// records of equal minutes and days, found by trial).
	months := make([][]reimbursement.Unpaid, len(ss))
	for i, s := range ss {
		months[i] = s.NotPaid
	}
	records := newRecordCounter(months)
	for i, s := range ss {
		for j := range s.NotPaid {
			u := &s.NotPaid[j]
			if skip(i, u) {
				continue
			}
			records.add(i, j)
			r := u.Reason
			out.counted[r] = true
			if r == reimbursement.Implausible {
				continue // its minutes and days counted above
			}
			out.minutes[r] += u.Minutes
			out.days[r] += u.Days
		}
	}
	out.records = records.byReason()
	return out
}

// reasonRecord is a record (RecordKey) not paid for a reason.
type reasonRecord struct {
	reason reimbursement.Reason
	reimbursement.RecordKey
}

// recordCounter counts the records of entries of what was not paid by
// reason, each reason's as reimbursement.UnpaidRecords counts the
// entries of that reason, month by month, but all in one pass and
// without the entries copied into a slice a reason: each record once
// however many entries it has, a decision item's (an entry with an Item)
// as many times as the most entries one version of one month reports
// for it. The records are kept in a table of their own, each by its
// first entry's month and position, not in a map keyed by their ids: a
// month has as many records as entries, nearly, and a table without
// pointers costs the collector nothing to scan or write.
type recordCounter struct {
	months  [][]reimbursement.Unpaid
	hash    func(reasonRecord) uint64
	slots   []recordSlot        // open addressing, by hash; a power of two
	entries map[itemEntries]int // a decision item's entries by month and version
}

// recordSlot is a record of recordCounter: the hash of its reason and
// key, its first entry (index 0: an empty slot) and its count.
type recordSlot struct {
	hash         uint64
	month, index int32 // of its first entry, the index + 1
	most         int32
	reason       reimbursement.Reason
}

type itemEntries struct {
	record  reasonRecord
	month   int
	version string
}

// newRecordCounter returns a counter of the entries of months, room made
// for all of them.
func newRecordCounter(months [][]reimbursement.Unpaid) *recordCounter {
	n := 0
	for _, m := range months {
		n += len(m)
	}
	size := 8
	for size < 2*n {
		size *= 2
	}
	seed := maphash.MakeSeed()
	return &recordCounter{months: months, hash: func(k reasonRecord) uint64 { return maphash.Comparable(seed, k) }, slots: make([]recordSlot, size)}
}

// add adds the jth entry of month i.
func (x *recordCounter) add(i, j int) {
	u := &x.months[i][j]
	k := reasonRecord{u.Reason, u.Record()}
	h := x.hash(k)
	mask := uint64(len(x.slots) - 1)
	s := &x.slots[h&mask]
	for p := h; ; {
		if s.index == 0 {
			*s = recordSlot{hash: h, month: int32(i), index: int32(j + 1), reason: u.Reason}
			break
		}
		if s.hash == h && s.reason == u.Reason {
			if f := &x.months[s.month][s.index-1]; f.Kind == u.Kind && f.ID == u.ID && f.Item == u.Item {
				break
			}
		}
		p++
		s = &x.slots[p&mask]
	}
	if u.Item == "" {
		s.most = 1
		return
	}
	if x.entries == nil {
		x.entries = map[itemEntries]int{}
	}
	e := itemEntries{k, i, u.Version}
	x.entries[e]++
	s.most = max(s.most, int32(x.entries[e]))
}

// byReason returns the records counted, by reason.
func (x *recordCounter) byReason() (n [256]int) {
	for i := range x.slots {
		if s := &x.slots[i]; s.index != 0 {
			n[s.reason] += int(s.most)
		}
	}
	return n
}

// notPaid counts what each side did not pay by reason (unpaid, base and
// proposed), and warns where one side leaves more unpaid than the other
// for want of a tariff, a zone or a rate.
func (c *Report) notPaid(unpaid [2]*unpaidCounts) {
	b, p := unpaid[0], unpaid[1]
	for r := range b.counted {
		if b.counted[r] || p.counted[r] {
			c.NotPaid = append(c.NotPaid, UnpaidChange{Reason: reimbursement.Reason(r), BaseRecords: b.records[r], ProposedRecords: p.records[r],
				BaseMinutes: b.minutes[r], ProposedMinutes: p.minutes[r], BaseDays: b.days[r], ProposedDays: p.days[r]})
		}
	}
	for _, u := range c.NotPaid {
		switch u.Reason {
		case reimbursement.NoTariff, reimbursement.UnknownZone, reimbursement.RateError:
		default:
			continue
		}
		// The days not paid of items and listings are said too: a listing
		// has no minutes (found by audit: "(0 minuter)").
		if u.BaseRecords == u.ProposedRecords {
			each := extent(u.BaseMinutes, u.BaseDays) + " i vardera"
			if u.BaseMinutes != u.ProposedMinutes || u.BaseDays != u.ProposedDays {
				each = fmt.Sprintf("%s i %s; %s i %s", extent(u.BaseMinutes, u.BaseDays), c.Base, extent(u.ProposedMinutes, u.ProposedDays), c.Proposed)
			}
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s och %s lämnar båda %s (%s) med skälet %s: totalerna för båda saknar det som skulle betalas för dem",
				c.Base, c.Proposed, unpaidRecords(u.BaseRecords), each, u.Reason.Swedish()))
			continue
		}
		for _, side := range []struct {
			name, other           string
			records, otherRecords int
			minutes               int64
			days                  int
		}{{c.Proposed, c.Base, u.ProposedRecords, u.BaseRecords, u.ProposedMinutes, u.ProposedDays},
			{c.Base, c.Proposed, u.BaseRecords, u.ProposedRecords, u.BaseMinutes, u.BaseDays}} {
			if side.records > side.otherRecords {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s lämnar %s (%s) med skälet %s, mot %d i %s: %s täcker inte det som %s betalar, och totalerna jämför inte lika med lika",
					side.name, unpaidRecords(side.records), extent(side.minutes, side.days), u.Reason.Swedish(), side.otherRecords, side.other, side.name, side.other))
			}
		}
	}
}

// extent returns minutes, and days where there are any: "876 minuter,
// 28 dagar", "0 minuter, 29 dagar", "1 minut".
func extent(m int64, days int) string {
	switch days {
	case 0:
		return minutes(m)
	case 1:
		return minutes(m) + ", 1 dag"
	}
	return fmt.Sprintf("%s, %d dagar", minutes(m), days)
}

// minutes returns "1 minut" or "n minuter".
func minutes(n int64) string {
	if n == 1 {
		return "1 minut"
	}
	return fmt.Sprintf("%d minuter", n)
}

// unpaidRecords returns "1 post obetald" or "n poster obetalda" (not
// "1 post obetalda").
func unpaidRecords(n int) string {
	if n == 1 {
		return "1 post obetald"
	}
	return fmt.Sprintf("%d poster obetalda", n)
}

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
// explanation: the same JSON, every amount written alike.
func sameLine(a, b reimbursement.Line) bool {
	a.Explanation, b.Explanation = nil, nil
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
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
