package reimbursement

import (
	"context"
	"testing"

	"github.com/hemtjanst/ersattning/models"
)

// A decision of many items under minimum_execution settles in time
// linear in its items: pourPerformed found each item the component pays
// among all the version's items by a scan of them, the product of the
// two (found by review: 40 000 items of four categories took 3.3 s,
// 80 000 some 34 s; now 0.33 and 0.52 s). Not timed (no test here
// asserts a time): at 40 000 items the old code takes seconds, where
// this takes a fraction of one, and the settlement adds up (CheckSums).
func TestMinimumExecutionManyItemsLinear(t *testing.T) {
	book := probeMixed(t)
	ds := fourCategoryItems(40000)
	s, err := Settle(context.Background(), book, ds, april2024, probeOpts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckSums(); err != nil {
		t.Error(err)
	}
}

// A customer of many visits and items of the category minimum_execution
// pays settles in time linear in them: pourPerformed looked through
// every item for every visit (found by review: 20 000 visits of home
// health care under 20 000 items of it took 8.4 s, 2 500 of each 0.14 s;
// now 0.2 s and 0.03 s). Not timed: at 20 000 of each the old code takes
// seconds; TestPourIndexedAsScan holds the minutes poured to those of
// the scan.
func TestMinimumExecutionManyVisitsLinear(t *testing.T) {
	book := probeMixed(t)
	ds := itemsAndVisits(20000, 20000, "Besök", models.HomeHealthCare)
	s, err := Settle(context.Background(), book, ds, april2024, probeOpts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckSums(); err != nil {
		t.Fatal(err)
	}
}
