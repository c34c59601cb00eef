package reimbursement

import (
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// quotient returns f ÷ den rounded by r, as Rounding.Quotient does, and
// false when a number does not fit; den must be positive (see package
// exact for the int64 arithmetic of the hot path).
func (r Rounding) quotient(f exact.Fixed, den int64) (decimal.Decimal, bool) {
	q, ok := r.quo64(f.Coef, int(f.Exp), den, 0)
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(q, -r.Scale), true
}
