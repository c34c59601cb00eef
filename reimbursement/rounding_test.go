package reimbursement

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The int64 fast path of Ratio gives the same result as the big-integer
// path whenever it applies.
func TestRatioFastPathAgrees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		num := decimal.New(rapid.Int64Range(-1e15, 1e15).Draw(t, "num"), int32(rapid.IntRange(-6, 3).Draw(t, "numExp")))
		d := rapid.Int64Range(-1e9, 1e9).Filter(func(x int64) bool { return x != 0 }).Draw(t, "den")
		den := decimal.New(d, int32(rapid.IntRange(-6, 3).Draw(t, "denExp")))
		r := Rounding{Scale: int32(rapid.IntRange(0, 4).Draw(t, "scale")),
			Mode: rapid.SampledFrom([]RoundingMode{HalfUp, HalfEven, Down}).Draw(t, "mode")}
		fast, ok := r.ratio64(num, den)
		if !ok {
			return
		}
		if slow := r.ratioBig(num, den); !fast.Equal(slow) || fast.Exponent() != slow.Exponent() {
			t.Fatalf("%s ÷ %s by %v: fast %s, big %s", num, den, r, fast, slow)
		}
	})
}

// TestRoundingString: String is the rule in English, for programs; the
// texts explanations write, in Swedish, written once for the rules a
// tariff can declare, are those written for any rule, which a program
// can make.
func TestRoundingString(t *testing.T) {
	for _, tc := range []struct {
		r               Rounding
		str, rule, note string
	}{
		{Rounding{}, "half_up to 0 decimals", "half_up till 0 decimaler", "half_up till 0 decimaler: exakt"},
		{Rounding{Scale: 2, Mode: HalfEven, PerUnit: true}, "half_even to 2 decimals per unit", "half_even till 2 decimaler per enhet", "half_even till 2 decimaler per enhet: exakt"},
		{Rounding{Scale: 4, Mode: Down}, "down to 4 decimals", "down till 4 decimaler", "down till 4 decimaler: exakt"},
		{Rounding{Scale: 7}, "half_up to 7 decimals", "half_up till 7 decimaler", "half_up till 7 decimaler: exakt"}, // beyond the table
		{Rounding{Scale: -1, Mode: Down}, "down to -1 decimals", "down till -1 decimaler", "down till -1 decimaler: exakt"},
	} {
		if got := tc.r.String(); got != tc.str {
			t.Errorf("%+v.String() = %q, want %q", tc.r, got, tc.str)
		}
		if got := tc.r.rule(); got != tc.rule {
			t.Errorf("%+v.rule() = %q, want %q", tc.r, got, tc.rule)
		}
		if got := tc.r.exactNote(); got != tc.note {
			t.Errorf("%+v.exactNote() = %q, want %q", tc.r, got, tc.note)
		}
	}
}
