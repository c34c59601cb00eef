package tarifftest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
)

// Limits bound what a proposed tariff may do against the current one. A
// nil field is not checked. Percentages are judged exactly, on the
// amounts, never on the rounded percentages a report shows.
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
	// (of its size, should credits put it below zero) the total may rise
	// (compared exactly, not by the rounded percentage the report shows);
	// it is checked beside MaxBudgetIncrease, and a rise from a budget of
	// zero breaks it.
	MaxBudgetIncreasePercent *decimal.Decimal
	// MaxProviderChangeKronor is how many kronor a provider's total may
	// change, up or down, beside MaxProviderChange in percent.
	MaxProviderChangeKronor *decimal.Decimal
	// MinBudgetIncreasePercent is how many percent of the current budget
	// the total must at least rise: with MaxBudgetIncreasePercent it
	// states a band ("the total rises by 2–4 %": 2 and 4). Below zero it
	// is the most the budget may fall (-3: a fall of at most 3 %); zero,
	// that it may not fall. A budget of zero now keeps it unless the
	// proposal pays less than nothing.
	MinBudgetIncreasePercent *decimal.Decimal
	// MaxCustomerDecrease is how many kronor the reimbursement paid for
	// any one customer (all the customer's lines, with every provider,
	// over the months) may fall; zero means no customer's may fall.
	MaxCustomerDecrease *decimal.Decimal
	// MaxCustomerDecreasePercent is how many percent of its current amount
	// the reimbursement paid for any one customer may fall ("no customer
	// loses more than 5 %": 5).
	MaxCustomerDecreasePercent *decimal.Decimal
	// MaxCustomerIncrease is how many kronor the reimbursement paid for
	// any one customer may rise.
	MaxCustomerIncrease *decimal.Decimal
	// MaxCustomerIncreasePercent is how many percent of its current amount
	// the reimbursement paid for any one customer may rise; a customer
	// paid nothing now breaks it if the proposal pays for the customer.
	MaxCustomerIncreasePercent *decimal.Decimal
	// CustomerRoundingAside judges the four customer limits above on
	// each customer's change less its rounding part
	// (compare.Change.Rounding): "no customer loses, rounding aside". A
	// tariff version that changes mid-month splits a customer's line in
	// two, each rounded, and may lower a customer whose rates did not
	// change by up to half an öre for each extra line (43 min at 448
	// kr/h: 321.0667 → 321.07 on one line, 171.7333 → 171.73 + 149.3333
	// → 149.33 = 321.06 on two, −0.01); with false (the default) the
	// limits judge the change as paid, and MaxCustomerDecrease 0 is
	// broken by that öre. A breach says the change judged, net of
	// rounding, first and the change as paid beside it: "minskar med
	// 1.01 % bortsett från avrundning (-1.01 kr; som betalt 100.00 →
	// 99.00 kr, -1.00 kr, varav avrundning +0.01 kr)".
	CustomerRoundingAside bool
}

var hundred = decimal.NewFromInt(100)

// CheckBounded verifies a comparison against the limits and returns an
// error naming the first breach: the budget, a customer's fee, a
// provider's total or a customer's reimbursement, with the amounts, in
// Swedish as the comparison's reports are written. Below the breach it
// shows, for the customers behind it (the customer, or the three whose
// amounts change most), each customer's zone and provider with its
// ownership and the lines under both tariffs as compare.LineText writes
// them, each with the records it pays, and what each tariff left unpaid.
//
// Percentages are judged exactly, not as Change.Percent rounds them
// (+1.0033 % breaks a limit of 1 %, and is written 1.003 %, not 1.00),
// and a provider or customer paid nothing under the current tariff breaks
// any percent limit on a rise if the proposal pays it. A report with
// warnings (see compare.Report.Warnings) breaks every limit: its totals
// do not compare like with like. A nil report is an error.
func CheckBounded(c *compare.Report, l Limits) error {
	b := bounded(c, l)
	if b == nil {
		return nil
	}
	return errors.New(b.msg + describe(c, nil, b.customers))
}

// breach is a limit a comparison breaks: what to say, and the customers
// behind it, those whose amounts change most first.
type breach struct {
	msg       string
	customers []string
}

func bounded(c *compare.Report, l Limits) *breach {
	if c == nil {
		return &breach{msg: "jämförelsen saknas: ingen rapport att bedöma"}
	}
	if len(c.Warnings) > 0 {
		return &breach{msg: fmt.Sprintf("jämförelsen bedöms inte: %s", c.Warnings[0])}
	}
	t := c.Total
	if m := l.MaxBudgetIncrease; m != nil && t.Difference.GreaterThan(*m) {
		return &breach{msg: fmt.Sprintf("budgeten %s; gränsen är %s", changeKronor(t), increaseLimit(*m, "kr")),
			customers: changed(c, nil)}
	}
	if p := l.MaxBudgetIncreasePercent; p != nil && t.Difference.Mul(hundred).GreaterThan(p.Mul(t.Base.Abs())) {
		return &breach{msg: fmt.Sprintf("budgeten %s; gränsen är %s", changePercent(t, *p), increaseLimit(*p, "%")),
			customers: changed(c, nil)}
	}
	if p := l.MinBudgetIncreasePercent; p != nil && t.Difference.Mul(hundred).LessThan(p.Mul(t.Base.Abs())) {
		return &breach{msg: fmt.Sprintf("budgeten %s; gränsen är %s", changePercent(t, *p), floorLimit(*p, "%")),
			customers: changed(c, nil)}
	}
	if l.MaxFeeChange != nil {
		if c.FeeTotal == nil {
			// Passed, a committee would be told no fee changes by more
			// than the limit when no fee was computed (found by trial).
			return &breach{msg: fmt.Sprintf("avgiftsgränsen på %s kr bedöms inte: ingen av sidorna har en avgiftstaxa (compare.Side.Fees)", l.MaxFeeChange)}
		}
		// The fee that changes most; of equals, the customer of the
		// lowest id, then the earliest month.
		worst := -1
		for i, f := range c.Fees {
			if !f.Difference.Abs().GreaterThan(*l.MaxFeeChange) {
				continue
			}
			if worst < 0 {
				worst = i
				continue
			}
			w := c.Fees[worst]
			if d := f.Difference.Abs().Cmp(w.Difference.Abs()); d > 0 || d == 0 && (f.Customer < w.Customer || f.Customer == w.Customer && f.Period < w.Period) {
				worst = i
			}
		}
		if worst >= 0 {
			f := c.Fees[worst]
			var b, p reimbursement.Amount
			if f.Base != nil {
				b = f.Base.Amount
			}
			if f.Proposed != nil {
				p = f.Proposed.Amount
			}
			ch := compare.Change{Base: b, Proposed: p, Difference: f.Difference}
			return &breach{msg: fmt.Sprintf("avgiften för brukare %s för %s %s; gränsen är %s",
				f.Customer, f.Period, changeKronor(ch), eitherWayLimit(*l.MaxFeeChange, "kr")), customers: []string{f.Customer}}
		}
	}
	// The provider that breaks a limit most is named, of equals the
	// lowest id: by the change's share of its base (a change from nothing
	// the largest), or by kronor.
	if m := l.MaxProviderChange; m != nil {
		worst := -1
		for i, ch := range c.Providers {
			if !ch.Difference.Abs().Mul(hundred).GreaterThan(m.Mul(ch.Base.Abs())) {
				continue
			}
			if w := c.Providers[max(worst, 0)]; worst < 0 || moreOfItsBase(ch, w) || !moreOfItsBase(w, ch) && ch.Key < w.Key {
				worst = i
			}
		}
		if worst >= 0 {
			ch := c.Providers[worst]
			return &breach{msg: fmt.Sprintf("summan för utförare %s %s; gränsen är %s",
				providerText(ch), changePercent(ch, *m), eitherWayLimit(*m, "%")), customers: changed(c, providerCustomers(c, ch.Key))}
		}
	}
	if m := l.MaxProviderChangeKronor; m != nil {
		worst := -1
		for i, ch := range c.Providers {
			if !ch.Difference.Abs().GreaterThan(*m) {
				continue
			}
			if w := c.Providers[max(worst, 0)]; worst < 0 || ch.Difference.Abs().Cmp(w.Difference.Abs()) > 0 ||
				ch.Difference.Abs().Equal(w.Difference.Abs()) && ch.Key < w.Key {
				worst = i
			}
		}
		if worst >= 0 {
			ch := c.Providers[worst]
			return &breach{msg: fmt.Sprintf("summan för utförare %s %s; gränsen är %s",
				providerText(ch), changeKronor(ch), eitherWayLimit(*m, "kr")), customers: changed(c, providerCustomers(c, ch.Key))}
		}
	}
	for _, cl := range []struct {
		limit    *decimal.Decimal
		percent  bool
		decrease bool
	}{
		{l.MaxCustomerDecrease, false, true},
		{l.MaxCustomerDecreasePercent, true, true},
		{l.MaxCustomerIncrease, false, false},
		{l.MaxCustomerIncreasePercent, true, false},
	} {
		if cl.limit == nil {
			continue
		}
		if b := customerBreach(c, *cl.limit, cl.percent, cl.decrease, l.CustomerRoundingAside); b != nil {
			return b
		}
	}
	return nil
}

// moreOfItsBase reports whether a changes by a larger share of its base
// than b, exactly (|a.diff| × |b.base| > |b.diff| × |a.base|); a change
// from a base of zero is larger than any other, and of two such the
// larger in kronor.
func moreOfItsBase(a, b compare.Change) bool {
	az, bz := a.Base.IsZero(), b.Base.IsZero()
	switch {
	case az && bz:
		return a.Difference.Abs().GreaterThan(b.Difference.Abs())
	case az != bz:
		return az
	}
	return a.Difference.Abs().Mul(b.Base.Abs()).GreaterThan(b.Difference.Abs().Mul(a.Base.Abs()))
}

// customerBreach judges every customer against one limit on the change
// of the reimbursement paid for the customer and names the customer who
// breaks it most.
func customerBreach(c *compare.Report, limit decimal.Decimal, percent, decrease, roundingAside bool) *breach {
	// change is the change in the limit's direction: a fall for a
	// limit on decreases; less the rounding part with roundingAside.
	change := func(ch *compare.Change) decimal.Decimal {
		d := ch.Difference.Decimal
		if roundingAside && ch.Rounding != nil {
			d = d.Sub(ch.Rounding.Decimal)
		}
		if decrease {
			return d.Neg()
		}
		return d
	}
	breaks := func(ch *compare.Change) bool {
		if percent {
			return change(ch).Mul(hundred).GreaterThan(limit.Mul(ch.Base.Abs()))
		}
		return change(ch).GreaterThan(limit)
	}
	// worse reports whether a breaks the limit by more than b: in kronor,
	// or in percent of the base (exactly, as fractions; one from a base of
	// zero is worse than any other, and of two from zero the larger in
	// kronor); of two that break it as much, the first by id, so that the
	// order of the report's rows does not choose.
	worse := func(a, b *compare.Change) bool {
		n := change(a).Cmp(change(b))
		if percent {
			ba, bb := a.Base.Abs(), b.Base.Abs()
			switch {
			case ba.IsZero() != bb.IsZero():
				return ba.IsZero()
			case !ba.IsZero():
				n = change(a).Mul(bb).Cmp(change(b).Mul(ba))
			}
		}
		return n > 0 || n == 0 && a.Key < b.Key
	}
	var worst *compare.Change
	n := 0
	for i := range c.Customers {
		ch := &c.Customers[i]
		if !breaks(ch) {
			continue
		}
		n++
		if worst == nil || worse(ch, worst) {
			worst = ch
		}
	}
	if worst == nil {
		return nil
	}
	unit := "kr"
	if percent {
		unit = "%"
	}
	lim := floorLimit(limit.Neg(), unit)
	if !decrease {
		lim = increaseLimit(limit, unit)
	}
	var what string
	switch {
	case roundingAside:
		what = changeNet(*worst, limit, percent)
	case percent:
		what = changePercent(*worst, limit)
	default:
		what = changeKronor(*worst)
	}
	msg := fmt.Sprintf("ersättningen för brukare %s %s; gränsen är %s", worst.Key, what, lim)
	if n > 1 {
		msg += fmt.Sprintf(" (%s till bryter den)", count(n-1, "brukare", "brukare"))
	}
	return &breach{msg: msg, customers: []string{worst.Key}}
}

// changeKronor says how an amount changes, in kronor first: "ökar med
// 87.58 kr (2143.59 → 2231.17 kr, +4.09 %)", "ökar med 47.50 kr från
// 0.00 kr", "är oförändrad (1500.00 kr)".
func changeKronor(ch compare.Change) string {
	d := ch.Difference.Decimal
	if d.IsZero() {
		return fmt.Sprintf("är oförändrad (%s kr)", ch.Base)
	}
	amount := reimbursement.AmountOf(d.Abs()).String() + " kr"
	if ch.Base.IsZero() {
		return fmt.Sprintf("%s med %s från %s kr", direction(d), amount, ch.Base)
	}
	pct := d.Mul(hundred).Div(ch.Base.Abs()).Round(2)
	return fmt.Sprintf("%s med %s (%s → %s kr, %s %%)", direction(d), amount, ch.Base, ch.Proposed, signed(pct.StringFixed(2), d))
}

// changePercent says how an amount changes, in percent first, the
// percentage written with as many decimals as put it on the side of limit
// its exact value is on: "ökar med 4.09 % (2143.59 → 2231.17 kr, +87.58
// kr)". From a base of zero there is no percentage: "ökar med 47.50 kr
// från 0.00 kr".
func changePercent(ch compare.Change, limit decimal.Decimal) string {
	d := ch.Difference.Decimal
	if d.IsZero() || ch.Base.IsZero() {
		return changeKronor(ch)
	}
	pct := percentBeside(d.Abs().Mul(hundred), ch.Base.Abs(), limit.Abs())
	return fmt.Sprintf("%s med %s %% (%s → %s kr, %s kr)", direction(d), pct, ch.Base, ch.Proposed, signedAmount(d))
}

// changeNet says how an amount changes less its rounding part, the
// change CustomerRoundingAside judges, first (in percent of the base
// with percent, as changePercent writes it, else in kronor), and the
// change as paid beside it: "minskar med 1.01 % bortsett från avrundning
// (-1.01 kr; som betalt 100.00 → 99.00 kr, -1.00 kr, varav avrundning
// +0.01 kr)". A change of −1.00 kr of which +0.01 rounding falls 1.01 kr
// net, and is judged so: the paid −1.00 % read as within a limit of 1 %.
func changeNet(ch compare.Change, limit decimal.Decimal, percent bool) string {
	r := decimal.Zero
	if ch.Rounding != nil {
		r = ch.Rounding.Decimal
	}
	d := ch.Difference.Sub(r)
	paid := fmt.Sprintf("som betalt %s → %s kr, %s kr, varav avrundning %s kr", ch.Base, ch.Proposed,
		signedAmount(ch.Difference.Decimal), signedAmount(r))
	if d.IsZero() {
		return fmt.Sprintf("är oförändrad bortsett från avrundning (%s)", paid)
	}
	kronor := reimbursement.AmountOf(d.Abs()).String() + " kr"
	switch {
	case ch.Base.IsZero():
		return fmt.Sprintf("%s med %s bortsett från avrundning, från %s kr (%s)", direction(d), kronor, ch.Base, paid)
	case percent:
		pct := percentBeside(d.Abs().Mul(hundred), ch.Base.Abs(), limit.Abs())
		return fmt.Sprintf("%s med %s %% bortsett från avrundning (%s kr; %s)", direction(d), pct, signedAmount(d), paid)
	}
	pct := d.Mul(hundred).Div(ch.Base.Abs()).Round(2)
	return fmt.Sprintf("%s med %s bortsett från avrundning (%s %%; %s)", direction(d), kronor, signed(pct.StringFixed(2), d), paid)
}

// percentBeside returns num ÷ den, a percentage, rounded half up to two
// decimals, or to as many more as keep it on the side of limit the exact
// value is on: 1.0033 against a limit of 1 is "1.003", not "1.00", which
// reads as within it. Each rounding is of the exact quotient, and the
// loop ends: a value off the limit is on its side once the rounding is
// finer than the distance, one at the limit once the decimals are the
// limit's.
func percentBeside(num, den, limit decimal.Decimal) string {
	exactCmp := num.Cmp(limit.Mul(den))
	for places := int32(2); ; places++ {
		if r := num.DivRound(den, places); r.Cmp(limit) == exactCmp {
			return r.StringFixed(places)
		}
	}
}

func direction(d decimal.Decimal) string {
	if d.IsNegative() {
		return "minskar"
	}
	return "ökar"
}

// signedAmount is d in kronor to the öre, with its sign: "+0.01", "-1.00".
func signedAmount(d decimal.Decimal) string {
	return signed(reimbursement.AmountOf(d.Abs()).String(), d)
}

func signed(s string, d decimal.Decimal) string {
	if d.IsNegative() {
		return "-" + strings.TrimPrefix(s, "-")
	}
	return "+" + s
}

// increaseLimit writes a most the amount may rise: "en ökning med högst 4
// %", "ingen ökning", below zero "en minskning med minst 2 %".
func increaseLimit(v decimal.Decimal, unit string) string {
	switch v.Sign() {
	case 0:
		return "ingen ökning"
	case -1:
		return fmt.Sprintf("en minskning med minst %s %s", v.Neg(), unit)
	}
	return fmt.Sprintf("en ökning med högst %s %s", v, unit)
}

// floorLimit writes a least the amount must rise: "en ökning med minst 2
// %", "ingen minskning", below zero "en minskning med högst 5 %".
func floorLimit(v decimal.Decimal, unit string) string {
	switch v.Sign() {
	case 0:
		return "ingen minskning"
	case -1:
		return fmt.Sprintf("en minskning med högst %s %s", v.Neg(), unit)
	}
	return fmt.Sprintf("en ökning med minst %s %s", v, unit)
}

// eitherWayLimit writes a bound on a change up or down: "en ändring med
// högst 5 % uppåt eller nedåt", "ingen ändring".
func eitherWayLimit(v decimal.Decimal, unit string) string {
	if v.IsZero() {
		return "ingen ändring"
	}
	return fmt.Sprintf("en ändring med högst %s %s uppåt eller nedåt", v, unit)
}

// providerText names a provider's row: its id, and its name where it has
// one that is not the id.
func providerText(ch compare.Change) string {
	if ch.Name != "" && ch.Name != ch.Key {
		return fmt.Sprintf("%s (%s)", ch.Key, ch.Name)
	}
	return ch.Key
}

// count writes n with the singular or plural noun: "1 brukare", "2
// inskrivningar".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// providerCustomers returns the customers with lines of the provider
// under either tariff.
func providerCustomers(c *compare.Report, provider string) map[string]bool {
	out := map[string]bool{}
	for _, ss := range [][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
		for _, s := range ss {
			for i := range s.Lines {
				if s.Lines[i].Provider == provider {
					out[s.Lines[i].Customer] = true
				}
			}
		}
	}
	return out
}

// changed returns the customers whose amounts change, of those in among
// when it is not nil, the largest change first (by id among equals).
func changed(c *compare.Report, among map[string]bool) []string {
	var rows []*compare.Change
	for i := range c.Customers {
		ch := &c.Customers[i]
		if ch.Difference.IsZero() || among != nil && !among[ch.Key] {
			continue
		}
		rows = append(rows, ch)
	}
	slices.SortStableFunc(rows, func(a, b *compare.Change) int {
		if n := b.Difference.Abs().Cmp(a.Difference.Abs()); n != 0 {
			return n
		}
		return cmp.Compare(a.Key, b.Key)
	})
	out := make([]string, len(rows))
	for i, ch := range rows {
		out[i] = ch.Key
	}
	return out
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
// counterexample rapid finds. The failure names the breach as CheckBounded
// does, counts the dataset's records, and shows, for the customers behind
// the breach (the three that change most, when more do), the customer's
// records in the order of time (decisions with their items, visits with
// date, time, minutes and tasks, listings, absences, alarm events; the
// first 20), the customer's zone and provider with its ownership, and the
// lines under both tariffs with the records each pays. rapid's log of the
// draw shows the dataset as JSON, one record a line, which
// models.ReadDataset reads: saved to a file, the counterexample can be
// compared with the command (ersattning compare) or settled again.
func CheckBoundedChange(t *rapid.T, cfg Config, p Proposal, l Limits) {
	ds := rapid.Map(Dataset(cfg), func(ds *models.Dataset) logged { return logged{ds} }).Draw(t, "dataset").ds
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
	if msg := counterexample(c, ds, l); msg != "" {
		t.Fatalf("%s", msg)
	}
}

// counterexample judges the comparison c of the dataset ds against the
// limits and, on a breach, returns what CheckBoundedChange fails with:
// the breach, the dataset's records counted, and the customers behind it
// with their records and lines. It returns "" when the limits hold.
func counterexample(c *compare.Report, ds *models.Dataset, l Limits) string {
	b := bounded(c, l)
	if b == nil {
		return ""
	}
	return b.msg + "\n" + summary(ds) + describe(c, ds, b.customers)
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
func (r *recorder) Fatal(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)) }
func (r *recorder) Fail()                             { r.Errorf("failed") }
func (r *recorder) FailNow()                          { r.Errorf("failed") }
func (r *recorder) Failed() bool                      { return r.failed }
func (r *recorder) Logf(string, ...any)               {}
func (r *recorder) Log(...any)                        {}
