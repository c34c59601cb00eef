package reimbursement

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/models"
)

// benchDataset generates a month the size of a large municipality:
// customers × visitsPerCustomer visits, with decisions, listings,
// absences and alarm events, from a fixed seed.
func benchDataset(customers, visitsPerCustomer int) *models.Dataset {
	r := rand.New(rand.NewPCG(2024, 4))
	zones := []string{"tätort", "landsbygd"}
	tasks := []models.LocalTask{
		{Local: "Städ", Category: models.Service}, {Local: "Inköp", Category: models.Service},
		{Local: "Dusch", Category: models.Care}, {Local: "Tillsyn", Category: models.Care}, {Local: "Påklädning", Category: models.Care},
		{Local: "Ögondroppar", Category: models.DelegatedHSL}, {Local: "Sjuksköterskebesök", Category: models.HomeHealthCare},
		{Local: "Larm", Category: models.Alarm},
	}
	ds := &models.Dataset{Tasks: tasks}
	for i := range 12 {
		own := models.OwnOperation
		if i%3 != 0 {
			own = models.Private
		}
		ds.Providers = append(ds.Providers, models.Provider{ID: fmt.Sprintf("p%02d", i), Name: fmt.Sprintf("Utförare %d", i), Ownership: own})
	}
	careTasks := []string{"Dusch", "Tillsyn", "Påklädning", "Dusch", "Tillsyn", "Städ", "Inköp", "Ögondroppar"}
	for i := range customers {
		id := fmt.Sprintf("k%06d", i)
		prov := ds.Providers[r.IntN(len(ds.Providers))].ID
		ds.Customers = append(ds.Customers, models.Customer{ID: id, Zone: zones[r.IntN(len(zones))]})
		ds.Decisions = append(ds.Decisions, models.Decision{ID: id + "-b", Customer: id, Provider: prov,
			ValidFrom: d("2023-06-01"), ExecutionStarted: d("2023-06-01"),
			Items: []models.GrantedItem{
				{Task: "Städ", Category: models.Service, Minutes: 60, Times: 2, Per: models.PerMonth},
				{Task: "Dusch", Category: models.Care, Minutes: 15 + 5*r.IntN(6), Times: 1 + r.IntN(3), Per: models.PerDay, DoubleStaffing: r.IntN(20) == 0},
				{Task: "Larm", Category: models.Alarm, Minutes: 1, Times: 1, Per: models.PerMonth},
			}})
		for j := range visitsPerCustomer {
			day := 1 + r.IntN(30)
			hour := []int{7, 8, 9, 10, 12, 14, 16, 18, 19, 21, 22, 23}[r.IntN(12)]
			start := time.Date(2024, time.April, day, hour, r.IntN(60), 0, 0, stockholm)
			task := careTasks[r.IntN(len(careTasks))]
			v := models.Visit{ID: fmt.Sprintf("%s-%03d", id, j), Customer: id, Provider: prov, Start: start,
				End:   start.Add(time.Duration(5+r.IntN(50))*time.Minute + time.Duration(r.IntN(60))*time.Second),
				Tasks: []string{task}, Role: models.CareStaff, Approved: r.IntN(50) != 0, Declined: r.IntN(40) == 0}
			if r.IntN(30) == 0 {
				v.Tasks, v.Role = []string{"Sjuksköterskebesök"}, models.Nurse
			}
			ds.Visits = append(ds.Visits, v)
		}
		if r.IntN(10) == 0 {
			ds.Listings = append(ds.Listings, models.Listing{ID: id + "-l", Customer: id, Provider: prov, Kind: models.ListingHomeHealthCare, From: d("2024-03-01")})
		}
		if r.IntN(15) == 0 {
			from := d("2024-04-01").AddDays(r.IntN(25))
			ds.Absences = append(ds.Absences, models.Absence{ID: id + "-a", Customer: id, From: from, To: from.AddDays(r.IntN(6)), Reason: models.Hospital})
		}
		if r.IntN(5) == 0 {
			ds.AlarmEvents = append(ds.AlarmEvents, models.AlarmEvent{ID: id + "-e", Customer: id, Provider: prov, Time: time.Date(2024, 4, 1+r.IntN(30), r.IntN(24), 0, 0, 0, stockholm)})
		}
	}
	return ds
}

// BenchmarkSettle settles a generated month of 1,000,000 visits (20,000
// customers × 50) under the mixed test tariff, which uses every strategy.
// It reports ns and allocations per visit.
func BenchmarkSettle(b *testing.B) {
	v, err := LoadVersion(os.DirFS("testdata"), "mixed.json")
	if err != nil {
		b.Fatal(err)
	}
	book, _ := NewBook(v)
	const customers, perCustomer = 20000, 50
	ds := benchDataset(customers, perCustomer)
	visits := float64(len(ds.Visits))
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"bulk", Options{NoExplain: true}},
		{"explained", Options{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			n := 0
			for b.Loop() {
				if _, err := Settle(book, ds, april2024, bc.opts); err != nil {
					b.Fatal(err)
				}
				n++
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n)/visits, "ns/visit")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n)/visits, "allocs/visit")
		})
	}
}
