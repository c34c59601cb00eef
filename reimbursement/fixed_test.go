package reimbursement

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genDecimal draws a decimal whose coefficient is small, near the int64
// limits or beyond them, at exponents from −6 to 3.
func genDecimal(t *rapid.T, name string) decimal.Decimal {
	exp := int32(rapid.IntRange(-6, 3).Draw(t, name+".exp"))
	switch rapid.IntRange(0, 3).Draw(t, name+".size") {
	case 0:
		return decimal.New(rapid.Int64Range(-5000, 5000).Draw(t, name), exp)
	case 1:
		return decimal.New(rapid.Int64Range(math.MinInt64/1000, math.MaxInt64/1000).Draw(t, name), exp)
	case 2:
		return decimal.New(rapid.Int64().Draw(t, name), exp)
	}
	big := decimal.New(rapid.Int64().Draw(t, name), 0).Mul(decimal.New(1, 12))
	return big.Add(decimal.New(rapid.Int64Range(-9, 9).Draw(t, name+".low"), 0)).Shift(exp)
}

// same reports whether two decimals are equal in value and exponent, so
// that they print the same.
func same(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }

// TestFixedMatchesDecimal holds the int64 arithmetic of the hot path to
// decimal.Decimal's: sums with Add's exponent, and line amounts (quantity
// × rate × factor ÷ divisor, rounded by every mode), with numbers that
// fit an int64 and numbers that do not.
func TestFixedMatchesDecimal(t *testing.T) {
	t.Run("sum", rapid.MakeCheck(func(t *rapid.T) {
		var s exactSum
		var want decimal.Decimal
		for range rapid.IntRange(0, 6).Draw(t, "n") {
			d := genDecimal(t, "d")
			s.add(d)
			want = want.Add(d)
		}
		if got := s.value(); !same(got, want) {
			t.Fatalf("sum %s (exp %d), want %s (exp %d)", got, got.Exponent(), want, want.Exponent())
		}
	}))
	t.Run("amount", rapid.MakeCheck(func(t *rapid.T) {
		r := Rounding{Scale: int32(rapid.IntRange(0, 4).Draw(t, "scale")), Mode: RoundingMode(rapid.IntRange(0, 2).Draw(t, "mode"))}
		var total exactSum
		total.add(genDecimal(t, "quantity"))
		q := quantity{Rate: genDecimal(t, "rate")}
		if rapid.Bool().Draw(t, "scaled") {
			q.scale(genDecimal(t, "factor"))
		}
		div := rapid.SampledFrom([]int64{1, 28, 30, 31, 60, 100}).Draw(t, "div")
		want := r.ratioBig(product(total.value(), q), decimal.NewFromInt(div))
		if got := lineAmount(r, &total, q, div); !same(got, want) {
			t.Fatalf("%s × %s ÷ %d by %s = %s, want %s", total.value(), q.Rate, div, r, got, want)
		}
	}))
	t.Run("share", rapid.MakeCheck(func(t *rapid.T) {
		a, b := rapid.Int64Range(0, math.MaxInt64).Draw(t, "a"), rapid.Int64Range(1, math.MaxInt64).Draw(t, "b")
		want := Rounding{Scale: 4, Mode: HalfUp}.ratioBig(decimal.NewFromInt(a), decimal.NewFromInt(b))
		if got := shareOf(a, b); !same(got, want) {
			t.Fatalf("shareOf(%d, %d) = %s, want %s", a, b, got, want)
		}
	}))
}

// TestAmountString holds Amount.String, written out for int64
// coefficients, to the decimal's own formatting.
func TestAmountString(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := AmountOf(genDecimal(t, "amount"))
		if got, want := a.String(), a.stringDecimal(); got != want {
			t.Fatalf("String() = %q, want %q", got, want)
		}
	})
}

// TestRoundingNote holds the rounding note written in int64 to the one
// written with decimals, for amounts rounded from the same numerator.
func TestRoundingNote(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := Rounding{Scale: int32(rapid.IntRange(0, 4).Draw(t, "scale")), Mode: RoundingMode(rapid.IntRange(0, 2).Draw(t, "mode"))}
		num := genDecimal(t, "num")
		div := rapid.SampledFrom([]int64{1, 28, 30, 31, 60, 100}).Draw(t, "div")
		amount := r.Quotient(num, div)
		if rapid.Bool().Draw(t, "other") {
			amount = genDecimal(t, "amount")
		}
		f, ok := fixedOf(num)
		if !ok {
			return
		}
		got, ok := roundingNote64(r, f, div, amount)
		if !ok {
			return
		}
		if want := roundingNote(r, num, div, amount); got != want {
			t.Fatalf("roundingNote64(%s, %s, %d, %s) = %q, want %q", r, num, div, amount, got, want)
		}
	})
}
