package reimbursement

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// TestTrimZeros: a rate loses the trailing zeros of its decimals beyond
// the scale (the version's rounding scale, at least 2), and nothing else.
func TestTrimZeros(t *testing.T) {
	for _, tc := range []struct {
		in    string
		scale int32
		want  string
	}{
		{"548.7500", 2, "548.75"},   // 439.00 × 1.25
		{"560.0000", 2, "560.00"},   // 448.00 × 1.25: the öre kept
		{"492.8000", 2, "492.80"},   // 448.00 × 1.10
		{"0.0000", 2, "0.00"},       // a zero rate
		{"-12.3000", 2, "-12.30"},   // a deduction
		{"1.23456", 2, "1.23456"},   // decimals that are not zeros stay
		{"1.2345000", 2, "1.2345"},  // only the zeros go
		{"487.00", 2, "487.00"},     // as written
		{"250", 2, "250"},           // as written: no decimals added
		{"12.500000", 4, "12.5000"}, // a tariff of four decimals
		// More than 18 digits: computed with big integers.
		{"123456789012345678901234.5000", 2, "123456789012345678901234.50"},
		{"1234567890123456789012.3400000", 2, "1234567890123456789012.34"},
	} {
		d := decimal.RequireFromString(tc.in)
		got := trimZeros(d, tc.scale)
		// As an Amount writes it, with its exponent's decimals.
		if d := cmp.Diff(tc.want, AmountOf(got).String()); d != "" {
			t.Errorf("trimZeros(%s, %d) (-want +got):\n%s", tc.in, tc.scale, d)
		}
		if !got.Equal(d) {
			t.Errorf("trimZeros(%s, %d) = %s: another number", tc.in, tc.scale, got)
		}
	}
}
