package compare

import (
	"slices"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// unrounded adds up lines' unrounded amounts exactly: a line's is
// Quantity × Rate × Factor ÷ Divisor (what the engine rounds once into
// its Amount), kept as the sum of the numerators for each divisor, so
// that no quotient is ever cut short.
type unrounded struct {
	divs []int64
	nums []exact.Sum
}

// add adds line l's unrounded amount.
func (u *unrounded) add(l *reimbursement.Line) {
	num := l.Quantity.Mul(l.Rate.Decimal)
	if l.Factor != nil {
		num = num.Mul(l.Factor.Decimal)
	}
	div := max(l.Divisor, 1)
	i := slices.Index(u.divs, div)
	if i < 0 {
		i = len(u.divs)
		u.divs = append(u.divs, div)
		u.nums = append(u.nums, exact.Sum{})
	}
	u.nums[i].Add(num)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// roundingPart returns the part of the difference between two sums of
// lines that is rounding: (proposed rounded − proposed unrounded) −
// (base rounded − base unrounded), computed exactly and rounded half up
// to scale decimals (at least the öre) for showing; nil where that is
// zero. The divisors are 1, 60, 100 and a month's days, so their least
// common multiple fits an int64 whatever the months.
func roundingPart(diff decimal.Decimal, base, proposed *unrounded) *reimbursement.Amount {
	l := int64(1)
	for _, u := range []*unrounded{base, proposed} {
		if u == nil {
			continue
		}
		for _, d := range u.divs {
			l = l / gcd(l, d) * d
		}
	}
	num := diff.Mul(decimal.NewFromInt(l))
	for sign, u := range []*unrounded{base, proposed} {
		if u == nil {
			continue
		}
		for i, d := range u.divs {
			n := u.nums[i].Value().Mul(decimal.NewFromInt(l / d))
			if sign == 0 {
				num = num.Add(n)
			} else {
				num = num.Sub(n)
			}
		}
	}
	scale := max(int32(2), -diff.Exponent())
	r := reimbursement.Rounding{Scale: scale, Mode: reimbursement.HalfUp}.Quotient(num, l)
	if r.IsZero() {
		return nil
	}
	a := reimbursement.AmountOf(r)
	return &a
}
