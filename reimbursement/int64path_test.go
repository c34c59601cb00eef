package reimbursement

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

var genDecimal = fixture.Decimal

// same reports whether two decimals are equal in value and exponent, so
// that they print the same.
func same(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }

// TestInt64PathMatchesDecimal holds the int64 arithmetic of the hot path to
// decimal.Decimal's: line amounts (quantity × rate × factor ÷ divisor,
// rounded by every mode) and performed shares, with numbers that fit an
// int64 and numbers that do not (package exact tests the sums).
func TestInt64PathMatchesDecimal(t *testing.T) {
	// One cache for every case of a property, as a worker keeps one for
	// every line it makes; nil makes every decimal anew.
	var cache exact.Cache
	cacheOrNil := func(t *rapid.T) *exact.Cache {
		if rapid.Bool().Draw(t, "cached") {
			return &cache
		}
		return nil
	}
	t.Run("amount", rapid.MakeCheck(func(t *rapid.T) {
		r := Rounding{Scale: int32(rapid.IntRange(0, 4).Draw(t, "scale")), Mode: RoundingMode(rapid.IntRange(0, 2).Draw(t, "mode"))}
		var total exact.Sum
		total.Add(genDecimal(t, "quantity"))
		q := quantity{Rate: genDecimal(t, "rate")}
		if rapid.Bool().Draw(t, "scaled") {
			q.scale(genDecimal(t, "factor"))
		}
		div := rapid.SampledFrom([]int64{1, 28, 30, 31, 60, 100}).Draw(t, "div")
		want := r.ratioBig(product(total.Value(), &q), decimal.NewFromInt(div))
		got, fixed := lineAmount(r, &total, &q, div, cacheOrNil(t))
		if !same(got, want) {
			t.Fatalf("%s × %s ÷ %d by %s = %s, want %s", total.Value(), q.Rate, div, r, got, want)
		}
		// The Fixed the case's sums add is the amount, exponent and all,
		// whenever the amount fits one.
		if _, fits := exact.Of(got); fixed.ok && !same(fixed.f.Decimal(), got) || !fixed.ok && fits {
			t.Fatalf("%s × %s ÷ %d by %s: Fixed %v %v of %s", total.Value(), q.Rate, div, r, fixed.f, fixed.ok, got)
		}
	}))
	t.Run("share", rapid.MakeCheck(func(t *rapid.T) {
		a, b := rapid.Int64Range(0, math.MaxInt64).Draw(t, "a"), rapid.Int64Range(1, math.MaxInt64).Draw(t, "b")
		want := Rounding{Scale: 4, Mode: HalfUp}.ratioBig(decimal.NewFromInt(a), decimal.NewFromInt(b))
		if got := shareOf(a, b, cacheOrNil(t)); !same(got, want) {
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
		f, ok := exact.Of(num)
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
