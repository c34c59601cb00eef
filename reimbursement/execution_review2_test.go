package reimbursement

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// TestMinimumExecutionPaddedTask: a visit's task written " Tillsyn" (a
// valid code: task codes compare trimmed) is Tillsyn's, which tillsyn
// pays, not me's (found by review: me was paid its 100 min as well, 110
// min, 821.33). me 10 × 448 ÷ 60 = 74.67, tillsyn 100 × 448 ÷ 60 =
// 746.67.
func TestMinimumExecutionPaddedTask(t *testing.T) {
	comps := `{"name": "me", "strategy": "minimum_execution", "when": "category == 'care' and task != 'Tillsyn'", "rate": "table('timpris', category, zone)", "params": {"threshold": "0.80", "below": "performed"}},
	{"name": "tillsyn", "strategy": "performed_time", "when": "category == 'care' and task == 'Tillsyn'", "rate": "table('timpris', category, zone)"}`
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{perWeek("Dusch", models.Care, 60), perWeek("Tillsyn", models.Care, 60)}}}
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:10", "Dusch"), visit("2024-04-03 10:00", "2024-04-03 11:40", " Tillsyn")}
	want := []string{"Test 2024 me tätort 10 74.67", "Test 2024 tillsyn tätort 100 746.67"}
	if diff := cmp.Diff(want, lineTexts(settle(t, mustBook(t, doc(comps)), ds))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// TestMinimumExecutionVisitFallsToOneComponent: a visit falls to one
// unit of the version whichever component pays it (found by review: a
// visit of Bad, care not granted, fell to both components' parts, 60 min
// paid for 30, 2 × 224.00). Dusch and Tillsyn 60 min/week each (257
// min), one component each; Bad 30 min falls to the first unit of care
// in force, Dusch's: 30 × 448 ÷ 60 = 224.00 in all.
func TestMinimumExecutionVisitFallsToOneComponent(t *testing.T) {
	comps := `{"name": "me_d", "strategy": "minimum_execution", "when": "category == 'care' and task == 'Dusch'", "rate": "448", "params": {"threshold": "0.80", "below": "performed"}},
	{"name": "me_t", "strategy": "minimum_execution", "when": "category == 'care' and task == 'Tillsyn'", "rate": "448", "params": {"threshold": "0.80", "below": "performed"}}`
	ds := data()
	ds.Tasks = append(ds.Tasks, models.LocalTask{Local: "Bad", Category: models.Care})
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{perWeek("Dusch", models.Care, 60), perWeek("Tillsyn", models.Care, 60)}}}
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Bad")}
	paidOnce(t, settle(t, mustBook(t, doc(comps)), ds), 30)
}

// TestMinimumExecutionKSIItemsOneComponent: the same with items named by
// KSI code alone (no Task), one component each by ksi: a Dusch visit of
// 30 min is paid once, 224.00 (found by review: both paid it).
func TestMinimumExecutionKSIItemsOneComponent(t *testing.T) {
	a, b := ksiCode("SME PH ZZ"), ksiCode("SME PJ ZZ")
	comps := `{"name": "me_a", "strategy": "minimum_execution", "when": "ksi == '` + a.String() + `'", "rate": "448", "params": {"threshold": "0.80", "below": "performed"}},
	{"name": "me_b", "strategy": "minimum_execution", "when": "ksi == '` + b.String() + `'", "rate": "448", "params": {"threshold": "0.80", "below": "performed"}}`
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{KSI: a, Category: models.Care, Minutes: 60, Times: 1, Per: models.PerWeek}, {KSI: b, Category: models.Care, Minutes: 60, Times: 1, Per: models.PerWeek}}}}
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch")}
	paidOnce(t, settle(t, mustBook(t, doc(comps)), ds), 30)
}

// paidOnce fails t unless the lines of s pay minutes minutes in all.
func paidOnce(t *testing.T, s *Settlement, minutes int64) {
	t.Helper()
	var paid int64
	for _, l := range s.Lines {
		paid += l.Quantity.IntPart()
	}
	if paid != minutes {
		t.Errorf("paid %d min for %d performed: %v", paid, minutes, lineTexts(s))
	}
}
