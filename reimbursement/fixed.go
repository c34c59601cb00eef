package reimbursement

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// Exact arithmetic in int64 for the hot path.
//
// Every decimal.Decimal result allocates a big integer. A month has a
// line for every fifth visit, and each line's quantity, product, amount
// and the sums of its customer, provider and month would cost a dozen
// allocations that way. The numbers of a settlement almost always fit an
// int64 coefficient, so the engine adds and multiplies them as fixed and
// makes a decimal.Decimal only of what it keeps. Every operation reports
// whether its result fits; a caller that gets false does the same
// arithmetic in decimal.Decimal, so the result never depends on which
// path computed it (TestFixedMatchesDecimal).

// fixed is the exact decimal coef × 10^exp.
type fixed struct {
	coef int64
	exp  int32
}

// fixedOf returns d as a fixed, and false when its coefficient has more
// than 18 digits.
func fixedOf(d decimal.Decimal) (fixed, bool) {
	if d.NumDigits() > 18 {
		return fixed{}, false
	}
	return fixed{d.CoefficientInt64(), d.Exponent()}, true
}

// fixedInt returns n as a fixed of exponent 0.
func fixedInt(n int64) fixed { return fixed{coef: n} }

// smallInts are the decimals 0 to 4095, shared: quantities of minutes,
// days and visits are small whole numbers, and a decimal.Decimal is
// never modified by its methods.
var smallInts = func() (d [4096]decimal.Decimal) {
	for i := range d {
		d[i] = decimal.NewFromInt(int64(i))
	}
	return d
}()

// decimal returns f as a decimal.Decimal with f's exponent.
func (f fixed) decimal() decimal.Decimal {
	if f.exp == 0 && f.coef >= 0 && f.coef < int64(len(smallInts)) {
		return smallInts[f.coef]
	}
	return decimal.New(f.coef, f.exp)
}

// intDecimal returns n as a decimal.Decimal.
func intDecimal(n int64) decimal.Decimal { return fixedInt(n).decimal() }

// at returns f's coefficient at the exponent exp ≤ f.exp, and false on
// overflow.
func (f fixed) at(exp int32) (int64, bool) {
	return scale64(f.coef, int(f.exp-exp))
}

// add returns f + g with the exponent decimal.Decimal.Add gives (the
// smaller of the two), and false on overflow.
func (f fixed) add(g fixed) (fixed, bool) {
	exp := min(f.exp, g.exp)
	a, ok1 := f.at(exp)
	b, ok2 := g.at(exp)
	if !ok1 || !ok2 {
		return fixed{}, false
	}
	s, ok := addChecked(a, b)
	return fixed{s, exp}, ok
}

// mul returns f × g with the exponent decimal.Decimal.Mul gives (the sum
// of the two), and false on overflow.
func (f fixed) mul(g fixed) (fixed, bool) {
	exp := int64(f.exp) + int64(g.exp)
	if exp < math.MinInt32 || exp > math.MaxInt32 {
		return fixed{}, false
	}
	p, ok := mul64(f.coef, g.coef)
	return fixed{p, int32(exp)}, ok
}

// mul64 returns a × b, and false when it overflows an int64.
func mul64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a == math.MinInt64 || b == math.MinInt64 {
		return 0, false
	}
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a)
	}
	if b < 0 {
		ub = uint64(-b)
	}
	hi, lo := bits.Mul64(ua, ub)
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

// quotient returns f ÷ den rounded by r, as Rounding.Quotient does, and
// false when a number does not fit; den must be positive.
func (r Rounding) quotient(f fixed, den int64) (decimal.Decimal, bool) {
	q, ok := r.quo64(f.coef, int(f.exp), den, 0)
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(q, -r.Scale), true
}

// exactSum adds up decimals exactly, in int64 while the sum fits and in
// decimal.Decimal after; its value has the exponent a chain of
// decimal.Decimal.Add from zero would give, so it prints the same.
type exactSum struct {
	f   fixed
	big bool // the sum has left int64: dec holds it
	dec decimal.Decimal
}

// add adds d.
func (s *exactSum) add(d decimal.Decimal) {
	if !s.big {
		if g, ok := fixedOf(d); ok {
			if f, ok := s.f.add(g); ok {
				s.f = f
				return
			}
		}
		s.big, s.dec = true, s.f.decimal()
	}
	s.dec = s.dec.Add(d)
}

// addFixed adds f.
func (s *exactSum) addFixed(f fixed) {
	if !s.big {
		if g, ok := s.f.add(f); ok {
			s.f = g
			return
		}
		s.big, s.dec = true, s.f.decimal()
	}
	s.dec = s.dec.Add(f.decimal())
}

// fixed returns the sum as a fixed, and false when it does not fit.
func (s *exactSum) fixed() (fixed, bool) { return s.f, !s.big }

// value returns the sum.
func (s *exactSum) value() decimal.Decimal {
	if s.big {
		return s.dec
	}
	return s.f.decimal()
}

// isZero reports whether the sum is zero.
func (s *exactSum) isZero() bool {
	if s.big {
		return s.dec.IsZero()
	}
	return s.f.coef == 0
}

// appendText appends f, of an exponent ≤ 0, with −exp decimals:
// "751.50", "-0.005", "420".
func (f fixed) appendText(b []byte) []byte {
	u := uint64(f.coef)
	if f.coef < 0 {
		b, u = append(b, '-'), -u
	}
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], u, 10)
	scale := int(-f.exp)
	if scale == 0 {
		return append(b, d...)
	}
	if len(d) <= scale {
		b = append(b, '0', '.')
		for range scale - len(d) {
			b = append(b, '0')
		}
		return append(b, d...)
	}
	b = append(b, d[:len(d)-scale]...)
	b = append(b, '.')
	return append(b, d[len(d)-scale:]...)
}
