package compare

import (
	"context"
	"testing"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// BenchmarkCompare compares a generated month of 200 000 visits under the
// mixed test tariff with the same tariff at a higher care rate, and in
// the same run settles the month under both, which is the yardstick:
// x-settle is Run's time ÷ the two settlements', the cost of the
// comparison itself on top of them (1 would be none). It was 1.43–1.50
// (Run 387–406 ms against 271 ms) with nine passes over the lines, one a
// breakdown (medians of 16 settle-both/Run pairs at load 3.5–7.5:
// 1.27–1.46), and 0.98–1.12 in the same medians with one pass a side,
// the base's added up while the proposal settles. On two cores shared
// with other work a single run of this benchmark moves by ±30 %:
// compare medians of many, or instructions (callgrind, one core, the
// collector off, on 2 000 customers × 50 visits): Run was 1.046 times
// its two settlements (1 358 M against 1 298 M), and is 0.992 times
// (1 288 M) with the dataset indexed once for both sides
// (reimbursement.SettleEach), the explained lines compared field by
// field and ByCustomer's look-ups spared for grouped records.
func BenchmarkCompare(b *testing.B) {
	base, proposed := mixedSides(b, 4000, 50)
	periods := []calendar.Period{fixture.April2024}
	var settle float64 // ns per op of the two settlements
	b.Run("settle-both", func(b *testing.B) {
		for b.Loop() {
			for _, s := range []Side{base, proposed} {
				// As Run settles them: without explanations (Run explains
				// the lines of the largest changes alone).
				if _, err := reimbursement.Settle(context.Background(), s.Book, s.Data, periods[0], reimbursement.Options{NoExplain: true}); err != nil {
					b.Fatal(err)
				}
			}
		}
		settle = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("compare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Run(context.Background(), base, proposed, periods, Options{}); err != nil {
				b.Fatal(err)
			}
		}
		if settle > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/settle, "x-settle")
		}
	})
}

// Run costs its two settlements and a little per customer, measured in
// allocations (deterministic, unlike time on shared cores). On
// fixture.Month(400, 10), 3 312 lines a side: against explained
// settlements, 95 358 allocations for both; Run 104 724 before the
// rounding parts (1.10 x), 239 540 with them computed per breakdown
// (2.51 x: Quantity × Rate × Factor multiplied in decimal.Decimal for
// every line once per breakdown, eight of them), 112 378 with each
// line's remainder computed once, in int64. Run now settles without
// explanations (17 408 allocations for both) and explains the largest
// changes' customers alone: 40 060, 38 415 with one map and one slice of
// rows per breakdown; what was Run's own, the rows of its nine
// breakdowns, its customers' places, its largest changes explained, was
// about 52 allocations a customer. With the breakdowns made in one pass
// over each side's lines (cells by provider and component and by run of
// provider, customer and zone), the rounding parts divided in int64 and
// the records not paid counted in one table, it was about 31.5 (29 968
// allocations against 17 385), and is about 27 (28 127 against 17 348)
// with the largest changes' lines compared with their explained ones
// field by field, not written out as JSON; an allocation per line in
// that pass would add 2 × 3 312 ÷ 400 ≈ 16.6 a customer, and fail.
func TestCompareAllocsNearSettle(t *testing.T) {
	base, proposed := mixedSides(t, 400, 10)
	periods := []calendar.Period{fixture.April2024}
	settle := testing.AllocsPerRun(2, func() {
		for _, s := range []Side{base, proposed} {
			if _, err := reimbursement.Settle(context.Background(), s.Book, s.Data, periods[0], reimbursement.Options{NoExplain: true}); err != nil {
				t.Fatal(err)
			}
		}
	})
	run := testing.AllocsPerRun(2, func() {
		if _, err := Run(context.Background(), base, proposed, periods, Options{}); err != nil {
			t.Fatal(err)
		}
	})
	customers := float64(len(base.Data.Customers))
	own := (run - settle) / customers
	t.Logf("settle both %.0f allocs, Run %.0f allocs: %.1f a customer of its own", settle, run, own)
	if own > 40 {
		t.Errorf("Run allocates %.1f a customer beyond its two settlements (%.0f vs %.0f), at most 40", own, run, settle)
	}
}
