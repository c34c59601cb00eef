package reimbursement

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// pourIndexed gives every unit the minutes pourScan gives it, on random
// units and visits of a few categories, zones, dates, tasks (some with
// spaces around them, some no unit has) and granted times, zero among
// them, visits of no decision and of no performed time: it looks the
// units of a visit up by zone, date and task, and pours from the first
// with room, where pourScan looked through all for each visit.
func TestPourIndexedAsScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cats := []models.Category{models.HomeHealthCare, models.Care}
	zones := []string{"tätort", "landsbygd"}
	tasks := []string{"Besök", " Besök ", "Dusch", "Städ"}
	day := func(d int) calendar.Date { return calendar.Date{Year: 2024, Month: time.April, Day: d} }
	for round := range 2000 {
		nItems, nVisits := r.IntN(12), r.IntN(40)
		if round%100 == 0 {
			nItems, nVisits = 200+r.IntN(200), 400+r.IntN(400)
		}
		all := make([]itemUnit, nItems)
		items := make([]models.GrantedItem, nItems)
		for j := range all {
			items[j] = models.GrantedItem{Task: tasks[r.IntN(len(tasks))], Category: cats[r.IntN(len(cats))]}
			from := 1 + r.IntN(30)
			all[j] = itemUnit{Item: &items[j], Zone: zones[r.IntN(len(zones))]}
			all[j].Grant.InForce = calendar.DateRange{From: day(from), To: day(from + r.IntN(31-from))}
			all[j].Grant.StaffMinutes = r.IntN(4) * r.IntN(60)
		}
		visits := make([]visitUnit, nVisits)
		for i := range visits {
			visits[i] = visitUnit{Category: cats[r.IntN(len(cats))], Zone: zones[r.IntN(len(zones))], Date: day(1 + r.IntN(30)),
				HasDecision: r.IntN(8) > 0, performed: int64(r.IntN(5) * r.IntN(40)), task: []string{"Besök", "Dusch", "Städ", "Okänd"}[r.IntN(4)]}
		}
		for _, cat := range cats {
			scan, indexed := make([]int64, nItems), make([]int64, nItems)
			pourScan(visits, all, cat, scan)
			pourIndexed(visits, all, cat, indexed)
			if !slices.Equal(scan, indexed) {
				t.Fatalf("round %d, %s, %d units, %d visits: pourScan %v, pourIndexed %v", round, cat, nItems, nVisits, scan, indexed)
			}
		}
	}
}
