package reimbursement

import (
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
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
	// A rate the probe could not price at load (one that reads task
	// codes or ids) may still come out negative: only a deduction may.
	if err := comp.checkRate(r.dec); err != nil {
		r.err = err
	}
	return r
}
