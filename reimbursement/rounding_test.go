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
