package compare

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// Run adds up the base's lines while the proposal settles, and does its
// own work on several cores, when it has more than one worker; the
// report is the same bytes whatever the workers: on a generated month compared
// with the month before (whose records are all of another month) and
// the month after, under two tariffs, on 1, 2 and 4 workers and one per
// CPU, the months given in any order.
func TestRunSameOnAnyWorkers(t *testing.T) {
	base, proposed := mixedSides(t, 60, 8)
	may, _ := calendar.Month(2024, time.May, stockholm)
	march, _ := calendar.Month(2024, time.March, stockholm)
	months := []calendar.Period{may, fixture.April2024, march}
	var want []byte
	for _, workers := range []int{1, 2, 4, 0} {
		c, err := Run(t.Context(), base, proposed, months, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := c.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got.Bytes()
			if len(c.Largest) == 0 || len(c.Customers) < 60 || len(c.Periods) != 3 {
				t.Fatalf("a report of %d customers, %d largest, %d months: too little to compare", len(c.Customers), len(c.Largest), len(c.Periods))
			}
			continue
		}
		if d := cmp.Diff(string(want), got.String()); d != "" {
			t.Errorf("%d workers (-1 worker +%d):\n%s", workers, workers, d)
		}
	}
}

// The error Run returns is the first in the order the months were once
// settled in, one side's after the other's, month by month, and then the
// month's fees, though each side now settles all its months before the
// other: a side's error in an earlier month before the other's in a
// later, the base's before the proposed's in one month.
func TestSettledFirstError(t *testing.T) {
	months := []calendar.Period{{Year: 2024, Month: 3}, fixture.April2024, {Year: 2024, Month: 5}}
	ok := func() *reimbursement.Settlement { return &reimbursement.Settlement{} }
	failAt := func(month int) sideWork {
		w := sideWork{err: errors.New("bad")}
		for range month {
			w.settlements = append(w.settlements, ok())
		}
		return w
	}
	fine := func() sideWork { return sideWork{settlements: []*reimbursement.Settlement{ok(), ok(), ok()}} }
	for _, tc := range []struct {
		name          string
		base, prop    sideWork
		side, period  string
		wantSettlings int // the months taken into the report before the error
	}{
		{"the proposed's earlier", failAt(2), failAt(1), "proposed", "2024-04", 1},
		{"the base's earlier", failAt(0), failAt(2), "base", "2024-03", 0},
		{"the same month: the base's", failAt(1), failAt(1), "base", "2024-04", 1},
		{"the base's alone", failAt(2), fine(), "base", "2024-05", 2},
		{"the proposed's alone", fine(), failAt(0), "proposed", "2024-03", 0},
	} {
		c := &Report{}
		sides := [2]sideWork{tc.base, tc.prop}
		err := c.settled(Side{Name: "nu"}, Side{Name: "förslag"}, months, &sides)
		var se *SideError
		if !errors.As(err, &se) || se.Side != tc.side || se.Period != tc.period || len(c.BaseSettlements) != tc.wantSettlings {
			t.Errorf("%s: %v, %d months taken; want the %s side's of %s, %d months", tc.name, err, len(c.BaseSettlements), tc.side, tc.period, tc.wantSettlings)
		}
	}
	c := &Report{}
	sides := [2]sideWork{fine(), fine()}
	if err := c.settled(Side{Name: "nu"}, Side{Name: "förslag"}, months, &sides); err != nil || len(c.Months) != 3 {
		t.Errorf("no error: %v, %d months", err, len(c.Months))
	}
}

// Two sides of one dataset settle it through reimbursement.SettleEach,
// validated once; two sides of equal datasets (a copy) each through
// Settle, as before. The report is the same bytes either way, and the
// first error is the one of the order of settling month by month: the
// side whose caps do not settle (reimbursement.ErrUnsettled) in April,
// whichever side that is, after both sides' March.
func TestRunSharedDataAsCopied(t *testing.T) {
	base, proposed := mixedSides(t, 60, 8)
	march, _ := calendar.Month(2024, time.March, stockholm)
	months := []calendar.Period{march, fixture.April2024}
	report := func(b, p Side) string { return reportJSON(t, b, p, months) }
	copied := proposed
	data := *proposed.Data
	copied.Data = &data
	if d := cmp.Diff(report(base, copied), report(base, proposed)); d != "" {
		t.Errorf("(-copied data +shared data):\n%s", d)
	}

	first, second, ds := fixture.CapsThatDoNotSettle()
	unsettled := loadBook(t, first, second)
	sound := loadBook(t, fixture.Doc(fixture.CapComponent("a", "Dusch", "")+", "+fixture.CapComponent("b", "Tillsyn", "")))
	for _, c := range []struct {
		base, proposed *reimbursement.Book
		side           string
	}{{sound, unsettled, "proposed"}, {unsettled, sound, "base"}} {
		_, err := Run(t.Context(), Side{Name: "nu", Book: c.base, Data: ds}, Side{Name: "förslag", Book: c.proposed, Data: ds}, months, Options{})
		var se *SideError
		if !errors.As(err, &se) || se.Side != c.side || se.Period != "2024-04" || !errors.Is(err, reimbursement.ErrUnsettled) {
			t.Errorf("%s unsettled: %v, want the %s side's ErrUnsettled in 2024-04", c.side, err, c.side)
		}
	}
}
