package reimbursement

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// fixedRatesMonth is a tariff pricing alarm subscriptions by task from a
// table of n rates (task j costs 100 + j/100 kr: "T000003" 100.03 kr) and
// a customer with two subscription items of each of the n tasks, in force
// all April.
func fixedRatesMonth(t *testing.T, n int) (*Book, *models.Dataset) {
	var rates []string
	for j := range n {
		rates = append(rates, fmt.Sprintf(`"T%06d": "%d.%02d"`, j, 100+j/100, j%100))
	}
	src := strings.Replace(doc(`{"name": "larm", "strategy": "fixed_monthly", "when": "category == \"alarm\"", "rate": "table(\"pris\", task)"}`),
		`"tables": {`, `"tables": {"pris": {"keys": ["task"], "rates": {`+strings.Join(rates, ",")+`}},`, 1)
	ds := data()
	dec := models.Decision{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-01-01"),
		ExecutionStarted: calendar.MustParseDate("2024-01-01")}
	for j := range n {
		task := fmt.Sprintf("T%06d", j)
		ds.Tasks = append(ds.Tasks, models.LocalTask{Local: task, Category: models.Alarm})
		for range 2 {
			dec.Items = append(dec.Items, models.GrantedItem{Task: task, Category: models.Alarm, Subscription: true})
		}
	}
	ds.Decisions = []models.Decision{dec}
	return mustBook(t, src), ds
}

// fixed_monthly pays one line per rate, with both items of its task,
// below and past the groups it compares in turn (groupScan): n tasks give
// n lines of 30 of 30 days × the task's rate ÷ 30, so task j's line is
// 100 + j/100 kr.
func TestFixedMonthlyGroupsByRate(t *testing.T) {
	for _, n := range []int{3, groupScan, groupScan + 1, 40} {
		book, ds := fixedRatesMonth(t, n)
		s, err := Settle(t.Context(), book, ds, april2024, Options{NoExplain: true})
		if err != nil {
			t.Fatal(err)
		}
		var lines []Line
		for _, l := range s.Lines {
			if l.Component == "larm" {
				lines = append(lines, l)
			}
		}
		if len(lines) != n {
			t.Fatalf("%d tasks: %d lines", n, len(lines))
		}
		seen := map[string]bool{}
		for _, l := range lines {
			// The two items of a task are one unit of the decision: 2 × 30 days.
			if len(l.Units) != 1 || l.Units[0].Days != 60 {
				t.Fatalf("%d tasks: line %s has units %v, want both items of one task", n, l.Rate, l.Units)
			}
			task := l.Units[0].Item
			var j int
			if _, err := fmt.Sscanf(task, "T%06d", &j); err != nil {
				t.Fatalf("item %q: %v", task, err)
			}
			want := fmt.Sprintf("%d.%02d", 100+j/100, j%100)
			if l.Amount.String() != want || l.Quantity.String() != "30" || seen[task] {
				t.Errorf("%d tasks: %s: %s days, %s kr; want one line of 30 days, %s kr", n, task, l.Quantity, l.Amount, want)
			}
			seen[task] = true
		}
	}
}

// 10 000 rates for one customer: each item finds its group by the index,
// not by comparing it with every group before (20 000 took 6.2 s).
func TestFixedMonthlyManyRates(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 2000
	}
	book, ds := fixedRatesMonth(t, n)
	s, err := Settle(t.Context(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Lines) != n {
		t.Errorf("%d lines, want %d", len(s.Lines), n)
	}
}
