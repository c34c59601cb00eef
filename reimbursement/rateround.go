package reimbursement

import (
	"math/big"

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
