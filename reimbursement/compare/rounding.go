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
	amount, fits := exact.Of(l.Amount.Decimal)
	return lineRemainderOf(l, neg, amount, fits)
}

// lineRemainderOf is lineRemainder of a line whose amount exact.Of has
// made amount (fits when it fits).
func lineRemainderOf(l *reimbursement.Line, neg bool, amount exact.Fixed, fits bool) remainder {
	r := remainder{div: max(l.Divisor, 1)}
	var factor decimal.Decimal
	if l.Factor != nil {
		factor = l.Factor.Decimal
	}
	if fits {
		if f, ok := remainder64(l, r.div, amount, factor, neg); ok {
			r.num.AddFixed(f)
			return r
		}
	}
	n := l.Amount.Mul(decimal.NewFromInt(r.div)).Sub(exact.NumeratorDecimal(l.Quantity.Decimal, l.Rate.Decimal, factor, l.Factor != nil))
	if neg {
		n = n.Neg()
	}
	r.num.Add(n)
	return r
}

// remainder64 is lineRemainder's numerator in int64, of the line's
// amount a, and false when a number does not fit.
func remainder64(l *reimbursement.Line, div int64, a exact.Fixed, factor decimal.Decimal, neg bool) (exact.Fixed, bool) {
	q, ok := exact.Of(l.Quantity.Decimal)
	if !ok {
		return exact.Fixed{}, false
	}
	num, ok := exact.Numerator(q, l.Rate.Decimal, factor, l.Factor != nil)
	if !ok || num.Coef == math.MinInt64 {
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

// rounding adds up the remainders of a row's lines of both sides, by
// divisor: the row's rounding part, exactly, is the sum of each
// divisor's numerators over the divisor. The first few divisors are
// held in the value itself (a month's lines have few: 1, 60, 100 and
// the month's days), the rest in a slice.
type rounding struct {
	n      int // of inline in use
	inline [3]remainder
	more   []remainder
}

// add adds a line's remainder.
func (u *rounding) add(r *remainder) {
	for i := range u.n {
		if u.inline[i].div == r.div {
			u.inline[i].num.AddSum(&r.num)
			return
		}
	}
	for i := range u.more {
		if u.more[i].div == r.div {
			u.more[i].num.AddSum(&r.num)
			return
		}
	}
	if u.n < len(u.inline) {
		u.inline[u.n] = remainder{div: r.div}
		u.inline[u.n].num.AddSum(&r.num)
		u.n++
		return
	}
	u.more = append(u.more, remainder{div: r.div})
	u.more[len(u.more)-1].num.AddSum(&r.num)
}

// addAll adds the remainders of o.
func (u *rounding) addAll(o *rounding) {
	for i := range o.n {
		u.add(&o.inline[i])
	}
	for i := range o.more {
		u.add(&o.more[i])
	}
}

// each calls f with each divisor's remainders.
func (u *rounding) each(f func(*remainder)) {
	for i := range u.n {
		f(&u.inline[i])
	}
	for i := range u.more {
		f(&u.more[i])
	}
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
		u.each(func(p *remainder) { l = l / gcd(l, p.div) * p.div })
	}
	den := decimal.NewFromInt(l)
	// Each row's part × 10^scale = num ÷ l, num = floor × l + rem with
	// 0 ≤ rem < l: floor whole öre (at scale) and rem ÷ l of one. Both in
	// int64 where they fit (rem as a Fixed), in decimal.Decimal otherwise.
	type row struct {
		floor int64
		rem   exact.Fixed
		big   bool // rem does not fit: remDec holds it
		remD  decimal.Decimal
	}
	rs := make([]row, len(rows))
	var total exact.Sum
	var floors int64
	for i, u := range rows {
		if u == nil || u.n == 0 {
			continue
		}
		var num exact.Sum
		u.each(func(p *remainder) {
			if f, ok := p.num.Fixed(); ok {
				if n, ok := f.Mul(exact.Int(l / p.div)); ok {
					num.AddFixed(n)
					return
				}
			}
			num.Add(p.num.Value().Mul(decimal.NewFromInt(l / p.div)))
		})
		if num.IsZero() {
			continue
		}
		if f, ok := num.Fixed(); ok {
			if q, r, ok := floorDiv(f, l, scale); ok {
				total.AddFixed(f)
				rs[i] = row{floor: q, rem: r}
				floors += q
				continue
			}
		}
		n := num.Value()
		total.Add(n)
		q, r := n.Shift(scale).QuoRem(den, 0)
		if r.Sign() < 0 {
			q, r = q.Sub(decimal.NewFromInt(1)), r.Add(den)
		}
		rs[i] = row{floor: q.IntPart(), big: true, remD: r}
		floors += rs[i].floor
	}
	t := reimbursement.Rounding{Scale: scale, Mode: reimbursement.HalfUp}.Quotient(total.Value(), l)
	give := t.Shift(scale).IntPart() - floors // 0 ≤ give ≤ the rows with a remainder
	if give > 0 {
		remOf := func(r *row) decimal.Decimal {
			if r.big {
				return r.remD
			}
			return r.rem.Decimal()
		}
		compareRem := func(a, b *row) int {
			if !a.big && !b.big {
				if c, ok := a.rem.Cmp(b.rem); ok {
					return c
				}
			}
			return remOf(a).Cmp(remOf(b))
		}
		order := make([]int, 0, len(rows))
		for i := range rs {
			if rs[i].big && rs[i].remD.Sign() > 0 || !rs[i].big && rs[i].rem.Coef > 0 {
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Or(compareRem(&rs[b], &rs[a]), cmp.Compare(a, b)) })
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

// floorDiv returns n × 10^scale ÷ l as whole q and remainder r, q × l + r
// = n × 10^scale with 0 ≤ r < l, in int64, and false where a number does
// not fit.
func floorDiv(n exact.Fixed, l int64, scale int32) (q int64, r exact.Fixed, ok bool) {
	coef, d, exp := n.Coef, l, int(n.Exp)+int(scale)
	if exp >= 0 {
		if coef, ok = exact.Scale64(coef, exp); !ok {
			return 0, exact.Fixed{}, false
		}
		exp = 0
	} else if d, ok = exact.Scale64(l, -exp); !ok {
		return 0, exact.Fixed{}, false
	}
	q, rc := coef/d, coef%d
	if rc < 0 {
		q, rc = q-1, rc+d
	}
	return q, exact.Fixed{Coef: rc, Exp: int32(exp)}, true
}
