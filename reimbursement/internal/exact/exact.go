// Package exact adds, multiplies and prints exact decimals in int64 where
// they fit, and says when they do not, so that the engine's hot path makes
// a decimal.Decimal (which allocates a big integer) only of what it keeps.
//
// Every operation reports whether its result fits; a caller that gets
// false does the same arithmetic with decimal.Decimal, so a result never
// depends on which path computed it. Results carry the exponent
// decimal.Decimal's own arithmetic would give them, so they print alike
// (the package's tests hold every operation to decimal.Decimal's).
package exact

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// Fixed is the exact decimal Coef × 10^Exp.
type Fixed struct {
	Coef int64
	Exp  int32
}

// Of returns d as a Fixed, and false when its coefficient has more than
// 18 digits.
func Of(d decimal.Decimal) (Fixed, bool) {
	if d.NumDigits() > 18 {
		return Fixed{}, false
	}
	return Fixed{d.CoefficientInt64(), d.Exponent()}, true
}

// Int returns n as a Fixed of exponent 0.
func Int(n int64) Fixed { return Fixed{Coef: n} }

// smallInts are the decimals 0 to 4095, shared: quantities of minutes,
// days and visits are small whole numbers, and a decimal.Decimal is never
// modified by its methods.
var smallInts = func() (d [4096]decimal.Decimal) {
	for i := range d {
		d[i] = decimal.NewFromInt(int64(i))
	}
	return d
}()

// Decimal returns f as a decimal.Decimal with f's exponent.
func (f Fixed) Decimal() decimal.Decimal {
	if f.Exp == 0 && f.Coef >= 0 && f.Coef < int64(len(smallInts)) {
		return smallInts[f.Coef]
	}
	return decimal.New(f.Coef, f.Exp)
}

// IntDecimal returns n as a decimal.Decimal, without allocating for the
// small whole numbers.
func IntDecimal(n int64) decimal.Decimal { return Int(n).Decimal() }

// Cache hands out the decimal.Decimal of a Fixed from a direct-mapped
// table of recent values, so that a number met again (the same amount or
// quantity on many customers' lines) shares one big integer instead of
// allocating its own. Sharing is safe because a decimal.Decimal never
// modifies its value (its own Abs returns the receiver, value and all).
// The result is the decimal Fixed.Decimal gives, whichever path made it.
//
// The zero Cache is ready to use, and a nil *Cache allocates every
// value; a Cache is not safe for concurrent use (each worker has its own).
type Cache struct {
	slots []cacheSlot
}

type cacheSlot struct {
	f    Fixed
	full bool
	d    decimal.Decimal
}

// cacheBits is log2 of the slots of a Cache: 4096 slots of 32 bytes. On
// the benchmark month (212 000 lines, 8 500 distinct amounts) 85 % of
// the lines' amounts are found in it.
const cacheBits = 12

// Decimal returns f as a decimal.Decimal with f's exponent.
func (c *Cache) Decimal(f Fixed) decimal.Decimal {
	if c == nil || f.Exp == 0 && f.Coef >= 0 && f.Coef < int64(len(smallInts)) {
		return f.Decimal()
	}
	if c.slots == nil {
		c.slots = make([]cacheSlot, 1<<cacheBits)
	}
	// Fibonacci hashing of the coefficient and exponent: the top bits of
	// the product pick the slot.
	h := (uint64(f.Coef) ^ uint64(uint32(f.Exp))<<56) * 0x9e3779b97f4a7c15
	s := &c.slots[h>>(64-cacheBits)]
	if !s.full || s.f != f {
		*s = cacheSlot{f: f, full: true, d: decimal.New(f.Coef, f.Exp)}
	}
	return s.d
}

// At returns f's coefficient at the exponent exp ≤ f.Exp, and false on
// overflow.
func (f Fixed) At(exp int32) (int64, bool) {
	return Scale64(f.Coef, int(f.Exp)-int(exp))
}

// Add returns f + g with the exponent decimal.Decimal.Add gives (the
// smaller of the two), and false on overflow.
func (f Fixed) Add(g Fixed) (Fixed, bool) {
	exp := min(f.Exp, g.Exp)
	a, ok1 := f.At(exp)
	b, ok2 := g.At(exp)
	if !ok1 || !ok2 {
		return Fixed{}, false
	}
	s, ok := AddChecked(a, b)
	return Fixed{s, exp}, ok
}

// Mul returns f × g with the exponent decimal.Decimal.Mul gives (the sum
// of the two), and false on overflow.
func (f Fixed) Mul(g Fixed) (Fixed, bool) {
	exp := int64(f.Exp) + int64(g.Exp)
	if exp < math.MinInt32 || exp > math.MaxInt32 {
		return Fixed{}, false
	}
	p, ok := Mul64(f.Coef, g.Coef)
	return Fixed{p, int32(exp)}, ok
}

// Cmp compares f and g as decimal.Decimal.Cmp does (−1, 0 or +1), and
// reports false when they cannot be brought to one exponent in int64.
func (f Fixed) Cmp(g Fixed) (int, bool) {
	exp := min(f.Exp, g.Exp)
	a, ok1 := f.At(exp)
	b, ok2 := g.At(exp)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case a < b:
		return -1, true
	case a > b:
		return 1, true
	}
	return 0, true
}

// Cmp compares a and b as a.Cmp(b) does, without allocating when both
// fit a Fixed at a common exponent (decimal.Decimal.Cmp rescales, which
// allocates, whenever the exponents differ).
func Cmp(a, b decimal.Decimal) int {
	if f, ok := Of(a); ok {
		if g, ok := Of(b); ok {
			if c, ok := f.Cmp(g); ok {
				return c
			}
		}
	}
	return a.Cmp(b)
}

// Key is a decimal's value as a comparable key, for maps and struct
// keys: two decimals have equal keys exactly when they are equal, whatever
// their exponents (414.80 and 414.8), as their String()s are. It costs no
// allocation for a decimal whose coefficient fits a Fixed. The zero Key
// is the key of 0.
type Key struct {
	f Fixed  // the value with no trailing zeros in its coefficient
	s string // the value's text, "coefficient e exponent", when f cannot hold it
}

// KeyOf returns the key of d.
func KeyOf(d decimal.Decimal) Key {
	if f, ok := Of(d); ok {
		c, exp := f.Coef, int64(f.Exp)
		if c == 0 {
			return Key{}
		}
		for c%10 == 0 {
			c /= 10
			exp++
		}
		if exp <= math.MaxInt32 {
			return Key{f: Fixed{c, int32(exp)}}
		}
	}
	return keyBig(d)
}

// keyBig is KeyOf for any decimal: the coefficient is stripped of its
// trailing zeros in big-integer arithmetic, and the key is a Fixed when
// what is left fits one, as KeyOf's would be.
func keyBig(d decimal.Decimal) Key {
	c, exp := d.Coefficient(), int64(d.Exponent())
	if c.Sign() == 0 {
		return Key{}
	}
	ten := big.NewInt(10)
	var q, r big.Int
	for {
		q.QuoRem(c, ten, &r)
		if r.Sign() != 0 {
			break
		}
		c.Set(&q)
		exp++
	}
	if c.CmpAbs(big.NewInt(1e18)) < 0 && exp >= math.MinInt32 && exp <= math.MaxInt32 {
		return Key{f: Fixed{c.Int64(), int32(exp)}}
	}
	return Key{s: c.String() + "e" + strconv.FormatInt(exp, 10)}
}

// Floor returns the greatest integer ≤ f, and false when it does not fit
// an int64.
func (f Fixed) Floor() (int64, bool) {
	if f.Exp >= 0 {
		return Scale64(f.Coef, int(f.Exp))
	}
	if f.Exp < -19 { // |f| < 1
		if f.Coef < 0 {
			return -1, true
		}
		return 0, true
	}
	q := f.Coef
	for range -int(f.Exp) {
		r := q % 10
		q /= 10
		if r < 0 {
			q-- // toward minus infinity
		}
	}
	return q, true
}

// AppendText appends f, of an exponent ≤ 0, with −Exp decimals:
// "751.50", "-0.005", "420". The text is written from its last digit
// back, digit by digit, the point and the zeros before the first digit
// in their places, and appended once: an explained line writes three
// numbers or more.
func (f Fixed) AppendText(b []byte) []byte {
	u := uint64(f.Coef)
	if f.Coef < 0 {
		u = -u
	}
	if scale := -int(f.Exp); scale <= maxTextScale {
		var buf [maxTextScale + 22]byte // the decimals, the point, 20 digits and a sign
		i := len(buf)
		for range scale {
			i--
			buf[i] = byte('0' + u%10)
			u /= 10
		}
		if scale > 0 {
			i--
			buf[i] = '.'
		}
		for {
			i--
			buf[i] = byte('0' + u%10)
			if u /= 10; u == 0 {
				break
			}
		}
		if f.Coef < 0 {
			i--
			buf[i] = '-'
		}
		return append(b, buf[i:]...)
	}
	if f.Coef < 0 {
		b = append(b, '-')
	}
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], u, 10)
	scale := -int(f.Exp)
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

// maxTextScale is the most decimals AppendText writes in a buffer of
// its own.
const maxTextScale = 48

// AppendString appends f as decimal.Decimal's String writes it: without
// the trailing zeros of its decimals, and without its point when no
// decimal is left ("255.7933", "12", "-0.5"). It reports false, having
// appended nothing, when f's exponent is positive and f overflows an
// int64.
func (f Fixed) AppendString(b []byte) ([]byte, bool) {
	if f.Exp >= 0 {
		n, ok := f.At(0)
		if !ok {
			return b, false
		}
		return strconv.AppendInt(b, n, 10), true
	}
	b = f.AppendText(b)
	dot := len(b) + int(f.Exp) - 1 // AppendText writes −Exp decimals
	for len(b) > dot+1 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) == dot+1 {
		b = b[:dot]
	}
	return b, true
}

// Mul64 returns a × b, and false when it overflows an int64.
func Mul64(a, b int64) (int64, bool) {
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

// Scale64 returns x × 10^e for e ≥ 0, and false on overflow. It takes at
// most 19 steps, whatever e is.
func Scale64(x int64, e int) (int64, bool) {
	switch {
	case x == 0 || e <= 0:
		return x, true
	case e > 18: // |x| ≥ 1, and 10^19 overflows
		return 0, false
	}
	const limit = math.MaxInt64 / 10
	for ; e > 0; e-- {
		if x > limit || x < -limit {
			return 0, false
		}
		x *= 10
	}
	return x, true
}

// AddChecked returns a + b, and false when the sum overflows.
func AddChecked(a, b int64) (int64, bool) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, false
	}
	return a + b, true
}

// Sum adds up decimals exactly, in int64 while the sum fits and in
// decimal.Decimal after; its value has the exponent a chain of
// decimal.Decimal.Add from zero would give, so it prints the same. The
// zero value is the sum of nothing, 0.
type Sum struct {
	f   Fixed
	big bool // the sum has left int64: dec holds it
	dec decimal.Decimal
}

// Add adds d.
func (s *Sum) Add(d decimal.Decimal) {
	if !s.big {
		if g, ok := Of(d); ok {
			if f, ok := s.f.Add(g); ok {
				s.f = f
				return
			}
		}
		s.big, s.dec = true, s.f.Decimal()
	}
	s.dec = s.dec.Add(d)
}

// AddSum adds the sum o: as adding each of o's decimals, without making
// a decimal of o while both fit an int64.
func (s *Sum) AddSum(o *Sum) {
	if !s.big && !o.big {
		if f, ok := s.f.Add(o.f); ok {
			s.f = f
			return
		}
	}
	if o.big {
		s.Add(o.dec)
	} else {
		s.Add(o.f.Decimal())
	}
}

// Fixed returns the sum as a Fixed, and false when it does not fit.
func (s *Sum) Fixed() (Fixed, bool) { return s.f, !s.big }

// Value returns the sum.
func (s *Sum) Value() decimal.Decimal { return s.ValueIn(nil) }

// ValueIn returns the sum, taken from c when it fits an int64.
func (s *Sum) ValueIn(c *Cache) decimal.Decimal {
	if s.big {
		return s.dec
	}
	return c.Decimal(s.f)
}

// IsZero reports whether the sum is zero.
func (s *Sum) IsZero() bool {
	if s.big {
		return s.dec.IsZero()
	}
	return s.f.Coef == 0
}

// AddFixed adds f: as Add(f.Decimal()), without making the decimal while
// the sum fits an int64.
func (s *Sum) AddFixed(f Fixed) {
	if !s.big {
		if g, ok := s.f.Add(f); ok {
			s.f = g
			return
		}
	}
	s.Add(f.Decimal())
}

// Numerator returns quantity × rate, × factor when scaled: the numerator
// of a line's amount, which the engine divides by the line's divisor and
// rounds once into its Amount. It is the one definition of that product
// (the engine's lines, Settlement.CheckSums and compare's rounding parts
// use it), computed in int64, and false when a number does not fit, in
// which case NumeratorDecimal computes the same in decimal.Decimal.
func Numerator(quantity Fixed, rate, factor decimal.Decimal, scaled bool) (Fixed, bool) {
	r, ok := Of(rate)
	if !ok {
		return Fixed{}, false
	}
	num, ok := quantity.Mul(r)
	if ok && scaled {
		var f Fixed
		if f, ok = Of(factor); ok {
			num, ok = num.Mul(f)
		}
	}
	return num, ok
}

// NumeratorDecimal is Numerator in decimal.Decimal, for any numbers.
func NumeratorDecimal(quantity, rate, factor decimal.Decimal, scaled bool) decimal.Decimal {
	num := quantity.Mul(rate)
	if scaled {
		num = num.Mul(factor)
	}
	return num
}
