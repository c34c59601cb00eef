package reimbursement

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/models"
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

// An explained line whose rate the tariff rounds after its division
// says the rate before the rounding (found by a trial: the economist
// could not see what the rounding did). 10 minutes at the care rate per
// visit: in tätort 10 × 448 ÷ 60 = 74.6666… → 74.67, two visits, 149.34
// (74.67 × 2);
// in landsbygd 10 × 480 ÷ 60 = 80, which the rounding does not change.
func TestUnroundedRatesExplained(t *testing.T) {
	book := mustBook(t, doc(`{"name": "trygghet", "strategy": "per_visit", "when": "category == 'care'",
	  "rate": "10 * table('timpris', category, zone) / 60"}`))
	ds := data()
	k2 := func(v *models.Visit) { v.Customer = "k2" }
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:10", "Dusch"), visit("2024-04-03 10:00", "2024-04-03 10:10", "Dusch"),
		visit("2024-04-03 10:00", "2024-04-03 10:10", "Dusch", k2)}
	s, err := Settle(context.Background(), book, ds, april2024, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Customer, Rate, Amount string
		Unrounded              []string
	}
	var got []row
	for _, l := range s.Lines {
		r := row{l.Customer, l.Rate.String(), l.Amount.String(), nil}
		for _, u := range l.Explanation.UnroundedRates {
			r.Unrounded = append(r.Unrounded, u.String())
		}
		got = append(got, r)
	}
	// The division is carried to 20 decimals, the last rounded.
	want := []row{{"k1", "74.67", "149.34", []string{"74.66666666666666666667"}}, {"k2", "80.00", "80.00", nil}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	// The explanation's text says it beside the rate; the line whose
	// rate the rounding did not change, nothing.
	var b strings.Builder
	for i := range s.Lines {
		if err := s.Lines[i].WriteExplanation(&b); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(b.String(), "avrundat "); n != 1 || !strings.Contains(b.String(), "\n  avrundat   74.666666… kr/besök → 74.67\n") {
		t.Errorf("explanations:\n%s", b.String())
	}
}
