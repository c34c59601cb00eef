package ersattning_test

import (
	"bytes"
	"context"
	"iter"
	"math/rand"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// settlementJSON is s written as JSON.
func settlementJSON(t *testing.T, s *reimbursement.Settlement) string {
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSettleCustomersEqualsSettleOnExamples: every example settled
// streamed (SettleCustomers, on one worker and on two, with and without
// explanations, its customers in reversed and shuffled orders), its
// parts merged, gives Settle's bytes, and its totals Settle's.
func TestSettleCustomersEqualsSettleOnExamples(t *testing.T) {
	for _, r := range settleExamples(t) {
		for _, workers := range []int{1, 2} {
			for _, noExplain := range []bool{false, true} {
				whole := r.s
				if noExplain {
					var err error
					whole, err = reimbursement.Settle(context.Background(), r.b, r.ds, r.p, reimbursement.Options{NoExplain: true})
					if err != nil {
						t.Fatal(err)
					}
				}
				for seed := int64(0); seed < 3; seed++ {
					var parts []*models.Dataset
					for p, err := range r.ds.ByCustomer() {
						if err != nil {
							t.Fatal(err)
						}
						parts = append(parts, p)
					}
					rng := rand.New(rand.NewSource(seed))
					rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
					if seed == 0 {
						slices.Reverse(parts)
					}
					var got []*reimbursement.Settlement
					seq := iter.Seq2[*models.Dataset, error](func(yield func(*models.Dataset, error) bool) {
						for _, p := range parts {
							if !yield(p, nil) {
								return
							}
						}
					})
					opts := reimbursement.Options{Workers: workers, NoExplain: noExplain}
					totals, err := reimbursement.SettleCustomers(context.Background(), r.b, r.ds, seq, r.p, opts,
						func(s *reimbursement.Settlement) error { got = append(got, s); return nil })
					if err != nil {
						t.Fatalf("%s %s %s: %v", r.example, r.book, r.month, err)
					}
					all, err := reimbursement.Merge(got...)
					if err != nil {
						t.Fatalf("%s %s %s: merge: %v", r.example, r.book, r.month, err)
					}
					if d := cmp.Diff(settlementJSON(t, whole), settlementJSON(t, all)); d != "" {
						t.Errorf("%s %s %s workers %d seed %d: (-Settle +streamed):\n%.3000s", r.example, r.book, r.month, workers, seed, d)
					}
					if totals.Total.String() != whole.Total.String() {
						t.Errorf("%s %s %s: totals %s, Settle %s", r.example, r.book, r.month, totals.Total, whole.Total)
					}
					if d := cmp.Diff(whole.Providers, totals.Providers); d != "" {
						t.Errorf("%s %s %s: providers:\n%s", r.example, r.book, r.month, d)
					}
					if d := cmp.Diff(whole.KeyFigures, totals.KeyFigures); d != "" {
						t.Errorf("%s %s %s: key figures:\n%s", r.example, r.book, r.month, d)
					}
					if d := cmp.Diff(whole.Versions, totals.Versions); d != "" {
						t.Errorf("%s %s %s: versions:\n%s", r.example, r.book, r.month, d)
					}
				}
			}
		}
	}
}
