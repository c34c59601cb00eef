package reimbursement

import (
	"math/big"
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// divides reports whether a compiled expression divides: its value may
// have more decimal places than any rate the tariff writes (standard
// minutes × hourly rate ÷ 60), so the engine rounds it to the tariff's
// scale, and an invoice shows the rate its amounts are computed from.
func divides(prog *vm.Program) bool {
	node := prog.Node()
	found := false
	ast.Walk(&node, visitorFunc(func(n *ast.Node) {
		switch x := (*n).(type) {
		case *ast.BinaryNode:
			found = found || x.Operator == "/"
		case *ast.CallNode:
			if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "dec_div" {
				found = true
			}
		}
	}))
	return found
}

// roundRate rounds a rate computed with a division to the tariff's scale
// by its mode (see divides); other rates are left exact.
func (comp *Component) roundRate(r result) result {
	if r.err != nil {
		return r
	}
	if comp.rateRounding != nil {
		r.dec = comp.rateRounding.Ratio(r.dec, one)
	}
	r.dec = trimZeros(r.dec, comp.rateScale)
	// A rate the probe could not price at load (one that reads task
	// codes or ids) may still come out negative: only a deduction may.
	if err := comp.checkRate(r.dec); err != nil {
		r.err = err
	}
	return r
}

// trimZeros returns d without the trailing zeros of its decimals beyond
// scale, the same number: a rate of arithmetic carries the decimals of
// its operands (439.00 × 1.25 is 548.7500), and a line showed it so
// ("548.7500 kr/h") where the tariff writes two decimals. Decimals up to
// scale, the version's rounding scale and at least the öre, are kept as
// the tariff wrote them ("448.00", "487.00" in a tariff that rounds to
// whole kronor, "250"), and so are more decimals that are not zeros.
func trimZeros(d decimal.Decimal, scale int32) decimal.Decimal {
	e := d.Exponent()
	if e >= -scale {
		return d
	}
	if f, ok := exact.Of(d); ok {
		for f.Exp < -scale && f.Coef%10 == 0 {
			f.Coef /= 10
			f.Exp++
		}
		if f.Exp != e {
			return decimal.New(f.Coef, f.Exp)
		}
		return d
	}
	c := d.Coefficient()
	ten, r := big.NewInt(10), new(big.Int)
	for e < -scale {
		q, m := new(big.Int).QuoRem(c, ten, r)
		if m.Sign() != 0 {
			break
		}
		c, e = q, e+1
	}
	return decimal.NewFromBigInt(c, e)
}

// unroundedRates returns, for an explained line of a component of
// version v whose rate divides (rateRounding), its units' rates before
// the rounding, where the rounding changed them
// (Explanation.UnroundedRates): the rate expression evaluated again in
// the environments the line keeps for its inputs, each value once, in
// increasing order. The environments are normalised as the engine's memo
// keys are (fields no expression reads cleared), so the many of a line
// that differ only in such fields (a visit's times) are one, and
// evaluated through the memo, which the settlement has mostly filled: an
// explained month of a dividing tariff costs little more. A value that
// does not round to the line's rate (an environment the line's rate was
// not computed in, as a strategy that prices itself has) is left out,
// never shown as the line's. Only explained lines ask: a settlement
// without explanations evaluates nothing more.
func (c *caseState) unroundedRates(v *Version, comp *Component, envs *envSet, rate decimal.Decimal) []Amount {
	if comp.rateRounding == nil || comp.rate == nil {
		return nil
	}
	ev := &c.w.ev
	var out []Amount
	var seen []decimal.Decimal // the values met, each rounded once
	for _, e := range envs.envs {
		var r result
		switch x := e.(type) {
		case *visitEnv:
			r = evalIn(ev, ev.visits, comp.rate, v.normalizeVisit(*x))
		case visitEnv:
			r = evalIn(ev, ev.visits, comp.rate, v.normalizeVisit(x))
		case itemEnv:
			r = evalIn(ev, ev.items, comp.rate, v.normalizeItem(x))
		case listingEnv:
			r = evalIn(ev, ev.listings, comp.rate, v.normalizeListing(x))
		case eventEnv:
			r = evalIn(ev, ev.events, comp.rate, v.normalizeEvent(x))
		default:
			continue
		}
		if r.err != nil || slices.ContainsFunc(seen, r.dec.Equal) {
			continue
		}
		seen = append(seen, r.dec)
		if !r.dec.Equal(rate) && comp.rateRounding.Ratio(r.dec, one).Equal(rate) {
			out = append(out, Amount{r.dec})
		}
	}
	slices.SortFunc(out, func(a, b Amount) int { return a.Cmp(b.Decimal) })
	return out
}
