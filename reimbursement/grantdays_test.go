package reimbursement

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// decisionForScan is decisionFor as a look at every item of every
// decision: what the days gathered once must agree with.
func decisionForScan(decisions []*models.Decision, cat models.Category, d calendar.Date) (has, double bool) {
	for _, dec := range decisions {
		r, ok := dec.InForce()
		if !ok || !r.Contains(d) {
			continue
		}
		for _, it := range dec.Items {
			if it.Category == cat {
				has = true
				double = double || it.DoubleStaffing
			}
		}
	}
	return has, double
}

// Whether a category is granted on a day, and with double staffing, is
// the same from the days gathered per case as from a scan of every item,
// for decisions that start and end before, in and after the month.
func TestDecisionForMatchesScan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var decisions []*models.Decision
		for i := range rapid.IntRange(0, 6).Draw(t, "decisions") {
			from := april2024.FirstDay().AddDays(rapid.IntRange(-40, 40).Draw(t, "from"))
			dec := &models.Decision{ID: fmt.Sprint("b", i), Customer: "k1", Provider: "egen", ValidFrom: from,
				ExecutionStarted: from.AddDays(rapid.IntRange(0, 5).Draw(t, "started"))}
			if rapid.Bool().Draw(t, "ends") {
				dec.ValidTo = from.AddDays(rapid.IntRange(0, 40).Draw(t, "length"))
			}
			for range rapid.IntRange(0, 4).Draw(t, "items") {
				dec.Items = append(dec.Items, models.GrantedItem{Task: "Dusch", Minutes: 10, Times: 1, Per: models.PerDay,
					Category:       models.Category(rapid.IntRange(0, 4).Draw(t, "category")),
					DoubleStaffing: rapid.Bool().Draw(t, "double")})
			}
			decisions = append(decisions, dec)
		}
		c := &caseState{w: &worker{in: &input{monthIndex: &monthIndex{period: april2024}}}, in: &caseInput{decisions: decisions}}
		for day := range 30 {
			d := april2024.FirstDay().AddDays(day)
			for cat := range models.Category(5) {
				has, double := c.decisionFor(cat, d)
				wantHas, wantDouble := decisionForScan(decisions, cat, d)
				if has != wantHas || double != wantDouble {
					t.Fatalf("%s %s: granted %v, double %v; a scan says %v, %v", d, cat, has, double, wantHas, wantDouble)
				}
			}
		}
	})
}

// A customer with 10 000 one-day decisions of the months before and
// 10 000 visits: each visit looks at the case's categories, not at every
// decision (a scan of all of them per visit took 23 s for 20 000 × 20 000).
func TestDecisionsManyVisits(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 1000
	}
	book := mixedBook(t)
	ds := benchDataset(1, 0)
	c, prov := "k-ny", ds.Providers[0].ID
	ds.Customers = append(ds.Customers, models.Customer{ID: c, Zone: ds.Customers[0].Zone})
	ds.Decisions = append(ds.Decisions, models.Decision{ID: "nu", Customer: c, Provider: prov,
		ValidFrom: april2024.FirstDay(), ExecutionStarted: april2024.FirstDay(),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}})
	first := april2024.FirstDay().AddDays(-n)
	for i := range n {
		day := first.AddDays(i)
		ds.Decisions = append(ds.Decisions, models.Decision{ID: fmt.Sprintf("gammalt%07d", i), Customer: c, Provider: prov,
			ValidFrom: day, ValidTo: day, ExecutionStarted: day,
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 1, Per: models.PerDay}}})
	}
	start := time.Date(2024, 4, 1, 7, 0, 0, 0, april2024.Location)
	for i := range n {
		s := start.Add(time.Duration(i%29)*24*time.Hour + time.Duration(i/29)*time.Minute)
		ds.Visits = append(ds.Visits, models.Visit{ID: fmt.Sprintf("v%07d", i), Customer: c, Provider: prov, Start: s,
			End: s.Add(time.Minute), Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true})
	}
	s, err := Settle(t.Context(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[Reason]int{}
	for _, u := range s.NotPaid {
		if u.Kind == RecordVisit {
			reasons[u.Reason]++
		}
	}
	if reasons[NoDecision] != 0 || reasons[AboveCap] == 0 {
		t.Errorf("visits not paid: %v; want none for want of a decision, some above the cap of the decision in force", reasons)
	}
}
