package tarifftest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
)

// CheckOrderIndependent settles ds and a shuffled copy of it (drawn from
// t) and verifies that the outputs are the same to the byte.
func CheckOrderIndependent(t *rapid.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) error {
	a, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{})
	if err != nil {
		return err
	}
	s, err := reimbursement.Settle(context.Background(), b, Shuffled(t, ds), p, reimbursement.Options{Workers: 1})
	if err != nil {
		return err
	}
	if err := CheckSameOutput(a, s); err != nil {
		return fmt.Errorf("the order of the input records changes the output: %w", err)
	}
	return nil
}

// CheckGrantedCap verifies that no customer is paid more performed
// minutes of a category by component (its ordinary lines) than the
// customer's decisions with the provider grant in the period: the
// promise of a performed_time component with "cap": "granted". Declined
// visits, which declined_share pays on lines of kind "declined", are
// outside the cap (see performed_time) and are not counted.
func CheckGrantedCap(s *reimbursement.Settlement, ds *models.Dataset, p calendar.Period, component string) error {
	type key struct {
		customer, provider string
		category           models.Category
	}
	paid := map[key]int64{}
	var keys []key
	for _, l := range s.Lines {
		if l.Component != component || l.Kind != reimbursement.KindPlain || l.Unit != reimbursement.Minutes {
			continue
		}
		k := key{l.Customer, l.Provider, l.Category}
		if _, ok := paid[k]; !ok {
			keys = append(keys, k)
		}
		paid[k] += l.Quantity.IntPart()
	}
	for _, k := range keys {
		cat := k.category
		if granted := grantedMinutes(ds, k.customer, k.provider, cat, p); paid[k] > granted {
			return fmt.Errorf("customer %s with %s: %s paid %d min of %s, %d granted", k.customer, k.provider, component, paid[k], cat, granted)
		}
	}
	return nil
}

func grantedMinutes(ds *models.Dataset, customer, provider string, cat models.Category, p calendar.Period) int64 {
	var n int64
	for i := range ds.Decisions {
		d := &ds.Decisions[i]
		if d.Customer != customer || d.Provider != provider {
			continue
		}
		for j, it := range d.Items {
			if it.Category == cat {
				n += int64(d.Granted(j, p, ds.Absences).StaffMinutes)
			}
		}
	}
	return n
}

// CheckPerformedMonotonic lengthens one visit of ds (drawn from t) and
// verifies that no performed_time component of the book pays fewer
// minutes for it, and, for such a component with one rate in every band
// or without a cap, not less money. (With a cap and rates by band a
// longer visit can push a dearer one past the cap: the promise is then
// about minutes only.)
func CheckPerformedMonotonic(t *rapid.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) error {
	if len(ds.Visits) == 0 {
		return nil
	}
	i := rapid.IntRange(0, len(ds.Visits)-1).Draw(t, "visit to lengthen")
	extra := time.Duration(rapid.IntRange(1, 120).Draw(t, "extra minutes")) * time.Minute
	longer := *ds
	longer.Visits = slices.Clone(ds.Visits)
	longer.Visits[i].End = longer.Visits[i].End.Add(extra)
	before, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true})
	if err != nil {
		return err
	}
	after, err := reimbursement.Settle(context.Background(), b, &longer, p, reimbursement.Options{NoExplain: true})
	if err != nil {
		return err
	}
	for _, v := range b.Versions() {
		for _, c := range v.Components() {
			if c.Strategy() != "performed_time" {
				continue
			}
			mb, ma := sumMinutes(before, c.Name()), sumMinutes(after, c.Name())
			if ma < mb {
				return fmt.Errorf("visit %s longer by %v: %s pays %d min, %d before", ds.Visits[i].ID, extra, c.Name(), ma, mb)
			}
			if c.HasParam("cap") && c.RateByBand() {
				continue
			}
			ab, aa := sumAmount(before, c.Name()), sumAmount(after, c.Name())
			if aa.LessThan(ab) {
				return fmt.Errorf("visit %s longer by %v: %s pays %s kr, %s before", ds.Visits[i].ID, extra, c.Name(), aa, ab)
			}
		}
	}
	return nil
}

func sumMinutes(s *reimbursement.Settlement, component string) int64 {
	var n int64
	for _, m := range PaidMinutes(s, component) {
		for _, x := range m {
			n += x
		}
	}
	return n
}

func sumAmount(s *reimbursement.Settlement, component string) decimal.Decimal {
	var sum decimal.Decimal
	for _, l := range s.Lines {
		if l.Component == component {
			sum = sum.Add(l.Amount.Decimal)
		}
	}
	return sum
}

// Limits bound what a proposed tariff may do against the current one. A
// nil field is not checked.
type Limits struct {
	// MaxBudgetIncrease is how many kronor the total paid over the months
	// may rise; zero means the budget may not rise at all.
	MaxBudgetIncrease *decimal.Decimal
	// MaxFeeChange is how many kronor a customer's monthly fee may change,
	// up or down. It is judged on a comparison with fee schedules
	// (compare.Side.Fees); without one, no fee was computed, and the limit
	// is broken rather than passed unjudged.
	MaxFeeChange *decimal.Decimal
	// MaxProviderChange is how many percent a provider's total may change,
	// up or down.
	MaxProviderChange *decimal.Decimal
	// MaxBudgetIncreasePercent is how many percent of the current budget
	// the total may rise (compared exactly, not by the rounded percentage
	// the report shows); it is checked beside MaxBudgetIncrease, and a
	// rise from a budget of zero breaks it.
	MaxBudgetIncreasePercent *decimal.Decimal
	// MaxProviderChangeKronor is how many kronor a provider's total may
	// change, up or down, beside MaxProviderChange in percent.
	MaxProviderChangeKronor *decimal.Decimal
}

// CheckBounded verifies a comparison against the limits and returns an
// error naming the first breach: the budget, a customer's fee or a
// provider's total, with the amounts. Percentages are judged exactly,
// not as Change.Percent rounds them (+1.0033 % breaks a limit of 1 %),
// and a provider paid nothing under the current tariff breaks any percent
// limit if the proposal pays it. A report with warnings (see
// compare.Report.Warnings) breaks every limit: its totals do not compare
// like with like.
func CheckBounded(c *compare.Report, l Limits) error {
	if len(c.Warnings) > 0 {
		return fmt.Errorf("the comparison is not judged: %s", c.Warnings[0])
	}
	if l.MaxBudgetIncrease != nil && c.Total.Difference.GreaterThan(*l.MaxBudgetIncrease) {
		return fmt.Errorf("budget rises by %s kr (%s → %s), more than %s kr",
			c.Total.Difference, c.Total.Base, c.Total.Proposed, l.MaxBudgetIncrease)
	}
	if p := l.MaxBudgetIncreasePercent; p != nil &&
		c.Total.Difference.Mul(decimal.NewFromInt(100)).GreaterThan(p.Mul(c.Total.Base.Decimal)) {
		return fmt.Errorf("budget rises by %s kr (%s → %s, %s %%), more than %s %%",
			c.Total.Difference, c.Total.Base, c.Total.Proposed, percentText(c.Total.Percent), p)
	}
	if l.MaxFeeChange != nil {
		if c.FeeTotal == nil {
			// Passed, a committee would be told no fee changes by more
			// than the limit when no fee was computed (found by trial).
			return fmt.Errorf("the fee limit of %s kr is not judged: neither side has a fee schedule (compare.Side.Fees)", l.MaxFeeChange)
		}
		for _, f := range c.Fees {
			if f.Difference.Abs().GreaterThan(*l.MaxFeeChange) {
				var b, p reimbursement.Amount
				if f.Base != nil {
					b = f.Base.Amount
				}
				if f.Proposed != nil {
					p = f.Proposed.Amount
				}
				return fmt.Errorf("customer %s's fee for %s changes by %s kr (%s → %s), more than %s kr",
					f.Customer, f.Period, f.Difference, b, p, l.MaxFeeChange)
			}
		}
	}
	if l.MaxProviderChange != nil {
		for _, ch := range c.Providers {
			if ch.Difference.Abs().Mul(decimal.NewFromInt(100)).GreaterThan(l.MaxProviderChange.Mul(ch.Base.Abs())) {
				return fmt.Errorf("provider %s's total changes by %s %% (%s → %s kr), more than %s %%",
					ch.Key, percentText(ch.Percent), ch.Base, ch.Proposed, l.MaxProviderChange)
			}
		}
	}
	if l.MaxProviderChangeKronor != nil {
		for _, ch := range c.Providers {
			if ch.Difference.Abs().GreaterThan(*l.MaxProviderChangeKronor) {
				return fmt.Errorf("provider %s's total changes by %s kr (%s → %s kr), more than %s kr",
					ch.Key, ch.Difference, ch.Base, ch.Proposed, l.MaxProviderChangeKronor)
			}
		}
	}
	return nil
}

func percentText(p *reimbursement.Amount) string {
	if p == nil {
		return "from zero"
	}
	return p.String()
}

// Proposal is a change of tariff to verify on generated data: the
// current and the proposed side (their Data is ignored: it is
// generated), and how the proposed side describes the generated
// customers when it differs (Derive, optional).
type Proposal struct {
	Base, Proposed compare.Side
	Derive         func(*models.Dataset) (*models.Dataset, error)
}

// CheckBoundedChange draws a dataset shaped by cfg, compares the proposal
// over cfg.Period and verifies the limits. Called inside rapid.Check it
// either holds on every generated dataset or fails with the smallest
// counterexample rapid finds; the failure names the breach and the
// dataset's size.
func CheckBoundedChange(t *rapid.T, cfg Config, p Proposal, l Limits) {
	ds := Dataset(cfg).Draw(t, "dataset")
	base, prop := p.Base, p.Proposed
	base.Data, prop.Data = ds, ds
	if p.Derive != nil {
		d, err := p.Derive(ds)
		if err != nil {
			t.Fatalf("deriving the proposed data: %v", err)
		}
		prop.Data = d
	}
	c, err := compare.Run(context.Background(), base, prop, []calendar.Period{cfg.withDefaults().Period}, compare.Options{Workers: 1})
	if err != nil {
		t.Fatalf("comparing: %v", err)
	}
	// A limit that holds because nothing is paid proves nothing: the
	// generated data must fit the tariffs.
	for _, ss := range [][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
		for _, s := range ss {
			for _, u := range s.NotPaid {
				if u.Reason == reimbursement.UnknownZone || u.Reason == reimbursement.NoTariff {
					t.Fatalf("the generated data do not fit the tariffs: %s %s is not paid (%s %s); set Config.Zones and Config.Period to what the tariffs know",
						u.Kind, u.ID, u.Reason, u.Detail)
				}
			}
		}
	}
	if err := CheckBounded(c, l); err != nil {
		t.Fatalf("%v\ncounterexample: %d customers, %d decisions, %d visits%s", err, len(ds.Customers), len(ds.Decisions), len(ds.Visits), describeDecisions(ds))
	}
}

// describeDecisions lists a small dataset's decisions, one a line.
func describeDecisions(ds *models.Dataset) string {
	if len(ds.Decisions) > 5 {
		return ""
	}
	var b strings.Builder
	for _, d := range ds.Decisions {
		fmt.Fprintf(&b, "\n  decision %s, customer %s, from %s, started %s:", d.ID, d.Customer, d.ValidFrom, d.ExecutionStarted)
		for _, it := range d.Items {
			if it.MinutesPerMonth > 0 {
				fmt.Fprintf(&b, " %s (%s) %d min a month;", it.Task, it.Category, it.MinutesPerMonth)
			} else {
				fmt.Fprintf(&b, " %s (%s) %d min × %d per %s;", it.Task, it.Category, it.Minutes, it.Times, it.Per)
			}
			if it.DoubleStaffing {
				b.WriteString(" double staffed;")
			}
		}
	}
	return b.String()
}

// FindCounterexample runs CheckBoundedChange over generated populations
// and returns the breach rapid shrinks to (the smallest counterexample it
// finds), or nil when every population keeps the limits. Use it where a
// test documents that a proposal breaks a limit, as the Österåker example
// does; use CheckBoundedChange inside rapid.Check to make a breach fail
// the test.
func FindCounterexample(t *testing.T, cfg Config, p Proposal, l Limits) error {
	r := &recorder{T: t}
	rapid.Check(r, func(rt *rapid.T) { CheckBoundedChange(rt, cfg, p, l) })
	if r.failed {
		return errors.New(r.msg)
	}
	return nil
}

// recorder is a rapid.TB that records a failure instead of failing the
// test.
type recorder struct {
	*testing.T
	failed bool
	msg    string
}

func (r *recorder) Errorf(format string, args ...any) {
	if !r.failed {
		r.failed, r.msg = true, fmt.Sprintf(format, args...)
	}
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Error(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)) }
func (r *recorder) Fatal(args ...any)                 { r.Error(args...) }
func (r *recorder) Fail()                             { r.Errorf("failed") }
func (r *recorder) FailNow()                          { r.Errorf("failed") }
func (r *recorder) Failed() bool                      { return r.failed }
func (r *recorder) Logf(string, ...any)               {}
func (r *recorder) Log(...any)                        {}
