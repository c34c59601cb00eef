package exact_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// same reports whether two decimals are equal in value and exponent, so
// that they print the same.
func same(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }

// TestMatchesDecimal holds each operation to decimal.Decimal's, in value
// and exponent, with numbers that fit an int64 and numbers that do not:
// an operation either gives decimal's result or says it cannot.
func TestMatchesDecimal(t *testing.T) {
	t.Run("sum", rapid.MakeCheck(func(t *rapid.T) {
		var s exact.Sum
		var want decimal.Decimal
		for range rapid.IntRange(0, 6).Draw(t, "n") {
			d := fixture.Decimal(t, "d")
			s.Add(d)
			want = want.Add(d)
		}
		if got := s.Value(); !same(got, want) {
			t.Fatalf("sum %s (exp %d), want %s (exp %d)", got, got.Exponent(), want, want.Exponent())
		}
		if s.IsZero() != want.IsZero() {
			t.Fatalf("IsZero %v for %s", s.IsZero(), want)
		}
	}))
	t.Run("sum of sums", rapid.MakeCheck(func(t *rapid.T) {
		var s exact.Sum
		var want decimal.Decimal
		for range rapid.IntRange(0, 4).Draw(t, "sums") {
			var part exact.Sum
			for range rapid.IntRange(0, 4).Draw(t, "n") {
				d := fixture.Decimal(t, "d")
				part.Add(d)
				want = want.Add(d)
			}
			s.AddSum(&part)
		}
		if got := s.Value(); !same(got, want) {
			t.Fatalf("sum %s (exp %d), want %s (exp %d)", got, got.Exponent(), want, want.Exponent())
		}
	}))
	t.Run("sum of fixed", rapid.MakeCheck(func(t *rapid.T) {
		var s exact.Sum
		var want decimal.Decimal
		for range rapid.IntRange(0, 6).Draw(t, "n") {
			d := fixture.Decimal(t, "d")
			if f, ok := exact.Of(d); ok {
				s.AddFixed(f)
			} else {
				s.Add(d)
			}
			want = want.Add(d)
		}
		if got := s.Value(); !same(got, want) {
			t.Fatalf("sum %s (exp %d), want %s (exp %d)", got, got.Exponent(), want, want.Exponent())
		}
	}))
	t.Run("numerator", rapid.MakeCheck(func(t *rapid.T) {
		q, rate, factor := fixture.Decimal(t, "q"), fixture.Decimal(t, "rate"), fixture.Decimal(t, "factor")
		scaled := rapid.Bool().Draw(t, "scaled")
		want := exact.NumeratorDecimal(q, rate, factor, scaled)
		if want2 := q.Mul(rate); !scaled && !same(want, want2) || scaled && !same(want, want2.Mul(factor)) {
			t.Fatalf("NumeratorDecimal %s", want)
		}
		fq, ok := exact.Of(q)
		if !ok {
			return
		}
		if got, ok := exact.Numerator(fq, rate, factor, scaled); ok && !same(got.Decimal(), want) {
			t.Fatalf("Numerator %s × %s × %s (%v) = %s, want %s", q, rate, factor, scaled, got.Decimal(), want)
		}
	}))
	t.Run("add and mul", rapid.MakeCheck(func(t *rapid.T) {
		a, b := fixture.Decimal(t, "a"), fixture.Decimal(t, "b")
		if got := exact.Cmp(a, b); got != a.Cmp(b) {
			t.Fatalf("exact.Cmp(%s, %s) = %d, want %d", a, b, got, a.Cmp(b))
		}
		fa, okA := exact.Of(a)
		fb, okB := exact.Of(b)
		if !okA || !okB {
			return
		}
		if got, ok := fa.Add(fb); ok && !same(got.Decimal(), a.Add(b)) {
			t.Fatalf("%s + %s = %s, want %s", a, b, got.Decimal(), a.Add(b))
		}
		if got, ok := fa.Cmp(fb); ok && got != a.Cmp(b) {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", a, b, got, a.Cmp(b))
		}
		if got, ok := fa.Mul(fb); ok && !same(got.Decimal(), a.Mul(b)) {
			t.Fatalf("%s × %s = %s, want %s", a, b, got.Decimal(), a.Mul(b))
		}
	}))
	t.Run("text", rapid.MakeCheck(func(t *rapid.T) {
		d := fixture.Decimal(t, "d")
		f, ok := exact.Of(d)
		if !ok || f.Exp > 0 {
			return
		}
		if got, want := string(f.AppendText(nil)), d.StringFixed(-f.Exp); got != want {
			t.Fatalf("AppendText %q, want %q", got, want)
		}
	}))
	t.Run("text of any scale", rapid.MakeCheck(func(t *rapid.T) {
		// Coefficients of every size, the extremes among them, with
		// scales within and past those AppendText writes in its buffer.
		coef := rapid.OneOf(rapid.Int64(), rapid.SampledFrom([]int64{0, 1, -1, 9, 10, math.MinInt64, math.MaxInt64})).Draw(t, "coef")
		f := exact.Fixed{Coef: coef, Exp: -int32(rapid.IntRange(0, 60).Draw(t, "scale"))}
		if got, want := string(f.AppendText([]byte("x"))), "x"+decimal.New(f.Coef, f.Exp).StringFixed(-f.Exp); got != want {
			t.Fatalf("AppendText %q, want %q", got, want)
		}
	}))
	t.Run("string", rapid.MakeCheck(func(t *rapid.T) {
		d := fixture.Decimal(t, "d")
		f, ok := exact.Of(d)
		if !ok {
			return
		}
		got, ok := f.AppendString([]byte("x"))
		switch {
		case ok && string(got) != "x"+d.String():
			t.Fatalf("AppendString %q, want x%q", got, d.String())
		case !ok && (string(got) != "x" || f.Exp <= 0):
			t.Fatalf("AppendString(%s) gave %q and false", d, got)
		}
	}))
	t.Run("floor", rapid.MakeCheck(func(t *rapid.T) {
		d := fixture.Decimal(t, "d")
		f, ok := exact.Of(d)
		if !ok {
			return
		}
		want := d.Floor()
		switch got, ok := f.Floor(); {
		case ok && !want.Equal(decimal.NewFromInt(got)):
			t.Fatalf("Floor(%s) = %d, want %s", d, got, want)
		case !ok && want.Abs().LessThan(decimal.New(1, 18)): // it fits
			t.Fatalf("Floor(%s) did not fit, want %s", d, want)
		}
	}))
	t.Run("key", rapid.MakeCheck(func(t *rapid.T) {
		a := fixture.Decimal(t, "a")
		// b is a itself at another exponent (its coefficient × 10^k),
		// often beyond an int64, or another decimal.
		var b decimal.Decimal
		if rapid.Bool().Draw(t, "rescaled") {
			k := rapid.IntRange(0, 25).Draw(t, "k")
			c := new(big.Int).Mul(a.Coefficient(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil))
			b = decimal.NewFromBigInt(c, a.Exponent()-int32(k))
		} else {
			b = fixture.Decimal(t, "b")
		}
		if got, want := exact.KeyOf(a) == exact.KeyOf(b), a.String() == b.String(); got != want {
			t.Fatalf("KeyOf(%s) == KeyOf(%s) is %v, want %v (exponents %d, %d)", a, b, got, want, a.Exponent(), b.Exponent())
		}
		if (exact.KeyOf(a) == exact.Key{}) != a.IsZero() {
			t.Fatalf("KeyOf(%s) is the zero key: %v", a, a.IsZero())
		}
	}))
	t.Run("int", rapid.MakeCheck(func(t *rapid.T) {
		n := rapid.Int64().Draw(t, "n")
		if got, want := exact.IntDecimal(n), decimal.NewFromInt(n); !same(got, want) {
			t.Fatalf("IntDecimal(%d) = %s", n, got)
		}
	}))
}

// TestScale64 is bounded and exact at the edges: zero scales to zero at
// any exponent at once, and no non-zero number survives 10^19.
func TestScale64(t *testing.T) {
	for _, c := range []struct {
		x    int64
		e    int
		want int64
		ok   bool
	}{
		{0, 1 << 40, 0, true},
		{1, 18, 1_000_000_000_000_000_000, true},
		{1, 19, 0, false},
		{-9, 18, -9_000_000_000_000_000_000, true},
		{10, 18, 0, false},
		{7, 0, 7, true},
	} {
		if got, ok := exact.Scale64(c.x, c.e); got != c.want || ok != c.ok {
			t.Errorf("Scale64(%d, %d) = %d, %v; want %d, %v", c.x, c.e, got, ok, c.want, c.ok)
		}
	}
}

// TestCache holds a Cache to decimal.New: over sequences that revisit a
// few values (found in the cache), and over 10 000 values twice, which
// is more than its 4 096 slots (values evict others from their slot);
// a nil Cache alongside.
func TestCache(t *testing.T) {
	check := func(t interface{ Fatalf(string, ...any) }, c *exact.Cache, f exact.Fixed) {
		want := decimal.New(f.Coef, f.Exp)
		if got := c.Decimal(f); !same(got, want) {
			t.Fatalf("Cache.Decimal(%v) = %s, want %s", f, got, want)
		}
	}
	t.Run("revisits", rapid.MakeCheck(func(t *rapid.T) {
		var c exact.Cache
		pool := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) exact.Fixed {
			return exact.Fixed{Coef: rapid.Int64().Draw(t, "coef"), Exp: rapid.Int32Range(-30, 30).Draw(t, "exp")}
		}), 1, 20).Draw(t, "pool")
		for range rapid.IntRange(0, 100).Draw(t, "n") {
			f := pool[rapid.IntRange(0, len(pool)-1).Draw(t, "i")]
			check(t, &c, f)
			check(t, nil, f)
		}
	}))
	t.Run("evictions", func(t *testing.T) {
		var c exact.Cache
		for range 2 {
			for i := range int64(10000) {
				check(t, &c, exact.Fixed{Coef: 5000 - i, Exp: int32(i%5) - 3})
			}
		}
	})
	t.Run("no allocation when found", func(t *testing.T) {
		var c exact.Cache
		f := exact.Fixed{Coef: 350750, Exp: -2}
		c.Decimal(f)
		if n := testing.AllocsPerRun(100, func() { c.Decimal(f) }); n != 0 {
			t.Errorf("Cache.Decimal of a cached value: %v allocations, want 0", n)
		}
	})
}
