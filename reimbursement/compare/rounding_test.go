package compare

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement"
)

func roundAmt(s string) reimbursement.Amount {
	return reimbursement.AmountOf(decimal.RequireFromString(s))
}

func roundLine(customer string, unit reimbursement.Unit, q, rate, factor string, div int64, amount string) reimbursement.Line {
	l := reimbursement.Line{Period: "2024-04", Provider: "p1", Customer: customer, Version: "v", Component: "c", Zone: "z",
		Quantity: roundAmt(q), Unit: unit, Rate: roundAmt(rate), Divisor: div, Amount: roundAmt(amount)}
	if factor != "" {
		f := roundAmt(factor)
		l.Factor = &f
	}
	return l
}

func roundReport(base, prop []reimbursement.Line) *Report {
	return &Report{BaseSettlements: []*reimbursement.Settlement{{Period: "2024-04", Lines: base}},
		ProposedSettlements: []*reimbursement.Settlement{{Period: "2024-04", Lines: prop}}}
}

func budgetRounding(t *testing.T, c *Report) (string, string) {
	t.Helper()
	// The lines are all of zone "z": its row is the budget's.
	c.breakdowns(1)
	if len(c.Zones) != 1 {
		t.Fatalf("%d rows", len(c.Zones))
	}
	r := "none"
	if c.Total.Rounding != nil {
		r = c.Total.Rounding.String()
	}
	if z := c.Zones[0].Rounding; (z == nil) != (c.Total.Rounding == nil) || z != nil && z.String() != r {
		t.Errorf("the zone's rounding %v, the budget's %s", z, r)
	}
	return c.Zones[0].Difference.String(), r
}

// Hand-worked rounding parts, one row each: the budget's part is the
// exact part rounded half up to the öre.
func TestRoundingHandWorked(t *testing.T) {
	M, D, K := reimbursement.Minutes, reimbursement.Days, reimbursement.Kronor
	for _, tc := range []struct {
		name       string
		base, prop []reimbursement.Line
		diff, want string
	}{
		// 7 × 448 × 0.5 ÷ 60 = 26.1333 → 26.13 (−0.0033); 5 min: 18.6667 →
		// 18.67 (+0.0033), 2 min: 7.4667 → 7.47 (+0.0033) = 26.14: +0.01,
		// rounding +0.0067 + 0.0033 = +0.01.
		{"factor", []reimbursement.Line{roundLine("k", M, "7", "448", "0.5", 60, "26.13")},
			[]reimbursement.Line{roundLine("k", M, "5", "448", "0.5", 60, "18.67"), roundLine("k", M, "2", "448", "0.5", 60, "7.47")}, "0.01", "0.01"},
		// 4793.60 × 6 ÷ 100 = 287.616 → 287.62 (+0.004); × 6.5 = 311.584 →
		// 311.58 (−0.004): +23.96, rounding −0.008 → −0.01.
		{"adjustment", []reimbursement.Line{roundLine("k", K, "4793.60", "6", "", 100, "287.62")},
			[]reimbursement.Line{roundLine("k", K, "4793.60", "6.5", "", 100, "311.58")}, "23.96", "-0.01"},
		// 7 d × 414.80 ÷ 30 = 96.7867 → 96.79 (+0.0033); 2 d: 27.6533 →
		// 27.65, 5 d: 69.1333 → 69.13 (−0.0067): −0.01, all rounding.
		{"days ÷ 30", []reimbursement.Line{roundLine("k", D, "7", "414.80", "", 30, "96.79")},
			[]reimbursement.Line{roundLine("k", D, "2", "414.80", "", 30, "27.65"), roundLine("k", D, "5", "414.80", "", 30, "69.13")}, "-0.01", "-0.01"},
		// Per unit: two visits of 1 min at 448, 7.47 each = 14.94 (+0.0067
		// on 2 × 448 ÷ 60 = 14.9333); once: 14.93 (−0.0033): −0.01.
		{"per unit", []reimbursement.Line{roundLine("k", M, "2", "448", "", 60, "14.94")},
			[]reimbursement.Line{roundLine("k", M, "2", "448", "", 60, "14.93")}, "-0.01", "-0.01"},
		{"zero rate", []reimbursement.Line{roundLine("k", M, "60", "0", "", 60, "0.00")},
			[]reimbursement.Line{roundLine("k", M, "60", "0", "", 60, "0.00"), roundLine("k", M, "7", "0", "0.5", 60, "0.00")}, "0.00", "none"},
		{"exact", []reimbursement.Line{roundLine("k", M, "90", "501", "0.5", 60, "375.75")},
			[]reimbursement.Line{roundLine("k", M, "90", "502", "0.5", 60, "376.50")}, "0.75", "none"},
	} {
		diff, got := budgetRounding(t, roundReport(tc.base, tc.prop))
		if diff != tc.diff || got != tc.want {
			t.Errorf("%s: difference %s rounding %s, want %s and %s", tc.name, diff, got, tc.diff, tc.want)
		}
	}
}

// The rounding parts of a breakdown add up to the budget's. Three
// customers, each 1 min at 448 kr/h now (7.4667 → 7.47, +0.0033) and 449
// under the proposal (7.4833 → 7.48, −0.0033): each +0.01 with an exact
// rounding part of −0.0067; the budget's is −0.02 (exactly −0.02). Each
// rounded on its own, the customers' showed −0.01 each, −0.03, and their
// Difference − Rounding 0.02 each, 0.06 against the budget's 0.05. Rounded
// down, −0.01 each (remainder 0.33 öre each), −0.03: the öre left of the
// budget's −0.02 goes to the first in the breakdown's order, k1: 0, −0.01,
// −0.01, and the rate parts 0.01, 0.02, 0.02 = 0.05.
func TestRoundingPartsAddUp(t *testing.T) {
	var base, prop []reimbursement.Line
	for _, k := range []string{"k1", "k2", "k3"} {
		base = append(base, roundLine(k, reimbursement.Minutes, "1", "448", "", 60, "7.47"))
		prop = append(prop, roundLine(k, reimbursement.Minutes, "1", "449", "", 60, "7.48"))
	}
	c := roundReport(base, prop)
	diff, total := budgetRounding(t, c)
	if diff != "0.03" || total != "-0.02" {
		t.Fatalf("budget: difference %s rounding %s, want 0.03 and -0.02", diff, total)
	}
	var got []string
	sum, rates := decimal.Zero, decimal.Zero
	for _, ch := range c.Customers {
		r := decimal.Zero
		if ch.Rounding != nil {
			r = ch.Rounding.Decimal
		}
		got = append(got, ch.Key+":"+r.StringFixed(2))
		sum = sum.Add(r)
		rates = rates.Add(ch.Difference.Sub(r))
	}
	if strings.Join(got, " ") != "k1:0.00 k2:-0.01 k3:-0.01" {
		t.Errorf("customers' rounding parts %v, want k1:0.00 k2:-0.01 k3:-0.01", got)
	}
	if sum.StringFixed(2) != total || rates.StringFixed(2) != "0.05" {
		t.Errorf("customers' rounding parts sum to %s and rate parts to %s, the budget's are %s and 0.05", sum.StringFixed(2), rates.StringFixed(2), total)
	}
}

// The largest remainder gets the öre left, not the first row: the
// proposal drops both customers. k1 had 1 min at 449 kr/h, 7.4833 →
// 7.48 (−0.0033): its rounding part is +0.0033, floor 0.00 with 0.33 öre
// over; k2 had 1 min at 448, 7.4667 → 7.47 (+0.0033): −0.0033, floor
// −0.01 with 0.67 öre over. Budget: exactly 0; the floors sum to −0.01,
// and the öre goes to k2 (0.67 > 0.33): none and none, where the first
// row would have got k1 +0.01 and k2 −0.01.
func TestRoundingPartsLargestRemainder(t *testing.T) {
	base := []reimbursement.Line{roundLine("k1", reimbursement.Minutes, "1", "449", "", 60, "7.48"),
		roundLine("k2", reimbursement.Minutes, "1", "448", "", 60, "7.47")}
	c := roundReport(base, nil)
	if _, total := budgetRounding(t, c); total != "none" {
		t.Fatalf("budget's rounding %s, want none", total)
	}
	for _, ch := range c.Customers {
		if ch.Rounding != nil {
			t.Errorf("%s: rounding %s, want none", ch.Key, ch.Rounding)
		}
	}
}

// A line's remainder is Amount × Divisor − Quantity × Rate × Factor,
// whichever path computes it: int64 where the numbers fit, decimals
// where they do not (a quantity of 20 digits), negated for the base.
func TestLineRemainder(t *testing.T) {
	for _, l := range []reimbursement.Line{
		roundLine("k", reimbursement.Minutes, "7", "448", "0.5", 60, "26.13"),             // 1567.8 − 1568 = −0.2
		roundLine("k", reimbursement.Kronor, "4793.60", "6", "", 100, "287.62"),           // 28762 − 28761.6 = 0.4
		roundLine("k", reimbursement.Minutes, "12345678901234567890", "448", "", 60, "0"), // overflows int64
	} {
		want := l.Amount.Mul(decimal.NewFromInt(l.Divisor)).Sub(l.Quantity.Mul(l.Rate.Decimal))
		if l.Factor != nil {
			want = l.Amount.Mul(decimal.NewFromInt(l.Divisor)).Sub(l.Quantity.Mul(l.Rate.Decimal).Mul(l.Factor.Decimal))
		}
		for _, neg := range []bool{false, true} {
			r := lineRemainder(&l, neg)
			w := want
			if neg {
				w = w.Neg()
			}
			if got := r.num.Value(); !got.Equal(w) || r.div != l.Divisor {
				t.Errorf("%s × %s: remainder %s / %d, want %s / %d", l.Quantity, l.Rate, got, r.div, w, l.Divisor)
			}
		}
	}
}
