package compare

import (
	"cmp"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// remainder is what rounding added to a line, exactly: its Amount less
// its unrounded amount Quantity × Rate × Factor ÷ Divisor, kept as the
// numerator over the divisor, Amount × Divisor − Quantity × Rate ×
// Factor, so that no quotient is ever cut short. 7 min at 448 kr/h × 0.5
// ÷ 60 = 26.1333 → 26.13: 26.13 × 60 − 7 × 448 × 0.5 = 1567.8 − 1568 =
// −0.2 over 60 (−0.0033 kr).
type remainder struct {
	div int64
	num exact.Sum
}

// lineRemainder returns line l's remainder, negated when neg (a base
// line's, so that a row's rounding part is the sum of its lines' from
// both sides). It is computed once a line, in int64 where the numbers fit
// and in decimal.Decimal otherwise (both exact, so they agree).
func lineRemainder(l *reimbursement.Line, neg bool) remainder {
	r := remainder{div: max(l.Divisor, 1)}
	var factor decimal.Decimal
	if l.Factor != nil {
		factor = l.Factor.Decimal
	}
	if f, ok := remainder64(l, r.div, factor, neg); ok {
		r.num.AddFixed(f)
		return r
	}
	n := l.Amount.Mul(decimal.NewFromInt(r.div)).Sub(exact.NumeratorDecimal(l.Quantity.Decimal, l.Rate.Decimal, factor, l.Factor != nil))
	if neg {
		n = n.Neg()
	}
	r.num.Add(n)
	return r
}

// remainder64 is lineRemainder's numerator in int64, and false when a
// number does not fit.
func remainder64(l *reimbursement.Line, div int64, factor decimal.Decimal, neg bool) (exact.Fixed, bool) {
	q, ok := exact.Of(l.Quantity.Decimal)
	if !ok {
		return exact.Fixed{}, false
	}
	num, ok := exact.Numerator(q, l.Rate.Decimal, factor, l.Factor != nil)
	if !ok || num.Coef == math.MinInt64 {
		return exact.Fixed{}, false
	}
	a, ok := exact.Of(l.Amount.Decimal)
	if !ok {
		return exact.Fixed{}, false
	}
	if a, ok = a.Mul(exact.Int(div)); !ok {
		return exact.Fixed{}, false
	}
	r, ok := a.Add(exact.Fixed{Coef: -num.Coef, Exp: num.Exp})
	if !ok || r.Coef == math.MinInt64 {
		return exact.Fixed{}, false
	}
	if neg {
		r.Coef = -r.Coef
	}
	return r, true
}

// lineNums are what every breakdown reads of a line: its amount, made
// exact once, and its remainder.
type lineNums struct {
	amount exact.Fixed
	fits   bool // amount holds the amount; else it does not fit an int64
	rem    remainder
}

// lineNumbers returns the amounts and remainders of both sides' lines,
// settlement by settlement and line by line, the base's remainders
// negated; computed on first use and kept, since every breakdown sums
// the same lines (each amount taken apart into int64 once, not once a
// breakdown).
func (c *Report) lineNumbers() (base, proposed [][]lineNums) {
	if c.nums == nil {
		c.nums = &[2][][]lineNums{}
		for side, ss := range [][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
			for _, s := range ss {
				ns := make([]lineNums, len(s.Lines))
				for i := range s.Lines {
					ns[i].amount, ns[i].fits = exact.Of(s.Lines[i].Amount.Decimal)
					ns[i].rem = lineRemainder(&s.Lines[i], side == 0)
				}
				c.nums[side] = append(c.nums[side], ns)
			}
		}
	}
	return c.nums[0], c.nums[1]
}

// rounding adds up the remainders of a row's lines of both sides, by
// divisor: the row's rounding part, exactly, is the sum of each
// divisor's numerators over the divisor.
type rounding struct {
	parts []remainder
}

// add adds a line's remainder.
func (u *rounding) add(r *remainder) {
	for i := range u.parts {
		if u.parts[i].div == r.div {
			u.parts[i].num.AddSum(&r.num)
			return
		}
	}
	u.parts = append(u.parts, remainder{div: r.div})
	u.parts[len(u.parts)-1].num.AddSum(&r.num)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// roundingParts returns the rounding parts of a breakdown's rows, in the
// rows' order, shown to scale decimals (at least the öre), nil where a
// row's is zero. They add up to the breakdown's total rounding part (the
// budget's), as every breakdown adds up to the budget: the total, the sum
// of the rows' exact parts, is rounded half up once; each row's exact
// part is rounded down to the öre, and the öre that leaves of the total
// go one each to the rows with the largest remainders, ties to the row
// first in the breakdown's order (largest remainder). A row whose part is
// exact in öre keeps it, and a breakdown of one row (the budget) shows
// its part rounded half up. Three customers of −0.0067 each (1 min at
// 448 kr/h, 7.4667 → 7.47, and at 449, 7.4833 → 7.48): a total of −0.02;
// rounded down −0.01 each, −0.03, with one öre to give back, to the first
// customer (all three remainders 0.33 öre): 0, −0.01, −0.01.
//
// The divisors are 1, 60, 100 and a month's days, so their least common
// multiple fits an int64 whatever the months.
func roundingParts(rows []*rounding, scale int32) []*reimbursement.Amount {
	l := int64(1)
	for _, u := range rows {
		if u == nil {
			continue
		}
		for _, p := range u.parts {
			l = l / gcd(l, p.div) * p.div
		}
	}
	den := decimal.NewFromInt(l)
	// Each row's part × 10^scale = num ÷ l, num = floor × l + rem with
	// 0 ≤ rem < l: floor whole öre (at scale) and rem ÷ l of one.
	type row struct {
		floor int64
		rem   decimal.Decimal
	}
	rs := make([]row, len(rows))
	var total decimal.Decimal
	var floors int64
	for i, u := range rows {
		if u == nil || len(u.parts) == 0 {
			continue
		}
		var num exact.Sum
		for _, p := range u.parts {
			if f, ok := p.num.Fixed(); ok {
				if n, ok := f.Mul(exact.Int(l / p.div)); ok {
					num.AddFixed(n)
					continue
				}
			}
			num.Add(p.num.Value().Mul(decimal.NewFromInt(l / p.div)))
		}
		if num.IsZero() {
			continue
		}
		n := num.Value()
		total = total.Add(n)
		q, r := n.Shift(scale).QuoRem(den, 0)
		if r.Sign() < 0 {
			q, r = q.Sub(decimal.NewFromInt(1)), r.Add(den)
		}
		rs[i] = row{q.IntPart(), r}
		floors += rs[i].floor
	}
	t := reimbursement.Rounding{Scale: scale, Mode: reimbursement.HalfUp}.Quotient(total, l)
	give := t.Shift(scale).IntPart() - floors // 0 ≤ give ≤ the rows with a remainder
	if give > 0 {
		order := make([]int, 0, len(rows))
		for i := range rs {
			if rs[i].rem.Sign() > 0 {
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Or(rs[b].rem.Cmp(rs[a].rem), cmp.Compare(a, b)) })
		for _, i := range order[:min(int(give), len(order))] {
			rs[i].floor++
		}
	}
	out := make([]*reimbursement.Amount, len(rows))
	for i, r := range rs {
		if r.floor != 0 {
			a := reimbursement.AmountOf(decimal.New(r.floor, -scale))
			out[i] = &a
		}
	}
	return out
}
