package reimbursement

import (
	"context"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/models"
)

// A decision of many items under minimum_execution settles in time
// linear in its items: pourPerformed found each item the component pays
// among all the version's items by a scan of them, the product of the
// two (found by review: 40 000 items of four categories took 3 s, 80 000
// some 34 s; now 0.3 and 0.5 s). Eight times the items take under twenty
// times as long (linear gives some eight to ten, the scan forty and
// more), the fastest of three runs of each; both settlements add up
// (CheckSums).
func TestMinimumExecutionManyItemsLinear(t *testing.T) {
	book := probeMixed(t)
	settle := func(n int) (time.Duration, *Settlement) {
		ds := data()
		dec := careDecision("b1")
		dec.Items = nil
		cats := []struct {
			task string
			cat  models.Category
		}{{"Städ", models.Service}, {"Dusch", models.Care}, {"HSL", models.DelegatedHSL}, {"Besök", models.HomeHealthCare}}
		for i := range n {
			c := cats[i%len(cats)]
			dec.Items = append(dec.Items, models.GrantedItem{Task: c.task, Category: c.cat, Minutes: 1 + i%30, Times: 1, Per: models.PerMonth})
		}
		ds.Decisions = []models.Decision{dec}
		best := time.Duration(1<<63 - 1)
		var s *Settlement
		for range 3 {
			t0 := time.Now()
			var err error
			s, err = Settle(context.Background(), book, ds, april2024, probeOpts)
			if err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(t0))
		}
		return best, s
	}
	small, s1 := settle(5000)
	large, s2 := settle(40000)
	t.Logf("40 000 items %v, 5 000 %v: %.1f times", large, small, float64(large)/float64(small))
	if large > 20*small {
		t.Errorf("40 000 items took %v, 5 000 %v: %.1f times as long for eight times the items", large, small, float64(large)/float64(small))
	}
	for _, s := range []*Settlement{s1, s2} {
		if err := s.CheckSums(); err != nil {
			t.Error(err)
		}
	}
}
