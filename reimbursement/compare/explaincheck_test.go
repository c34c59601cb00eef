package compare

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// TestExplainLargestAccountsForEveryLine: explainLargest checks each line
// the customer's explained settlement gives against the month's next
// line, and that every line of the month was given (found by review: a
// month line the customer's settlement did not give stayed in the report
// unexplained, and Run said nothing).
//
// k1 (compareData) has one April line under granted time: 600 min ×
// 448.00 ÷ 60 = 4480.00. A second month line is put after it, as a month
// settlement that diverged from the per-customer one would have; the
// re-settlement gives one line, and explainLargest returns nil.
func TestExplainLargestAccountsForEveryLine(t *testing.T) {
	book := mustBook(t, doc(granted))
	ds := compareData()
	month, err := reimbursement.Settle(context.Background(), book, ds, april2024, reimbursement.Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	var k1 []reimbursement.Line
	for _, l := range month.Lines {
		if l.Customer == "k1" {
			k1 = append(k1, l)
		}
	}
	if len(k1) != 1 || k1[0].Amount.String() != "4480.00" {
		t.Fatalf("k1's April lines: %v", k1)
	}
	extra := k1[0]
	extra.Component = "not-reproduced"
	base := append(k1, extra)
	c := &Report{Largest: []CustomerDiff{{Change: Change{Key: "k1"}, BaseLines: base, ProposedLines: slices.Clone(k1)}}}
	side := Side{Name: "a", Book: book, Data: ds}
	err = c.explainLargest(context.Background(), side, side, []calendar.Period{april2024}, 1, 1)
	const want = "compare: customer k1: explained, the month's line 2024-04  egen  not-reproduced omsorg (Test 2024): 600 min × 448.00 kr/h ÷ 60 = 4480.00 is not given"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("explainLargest: %v (the second line's explanation %v)\nwant an error holding %s", err, c.Largest[0].BaseLines[1].Explanation, want)
	}
}
