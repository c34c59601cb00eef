package reimbursement_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// FuzzSettleDataset builds a dataset from fuzzed records, a JSON dataset
// and a visits CSV, validates it, and settles whatever validates in
// March, April and October 2024 under the quickstart tariff, the mixed
// tariff (the first wave's strategies) and the tariff cookbook's night
// part, planned and standard times, absence, one-off, monthly and
// per-unit rounding tariffs (the second wave's), and the mixed tariff
// in versions beginning within the months: no panic, no hang
// (the plausibility limits bound the work per record), lines that sum to
// the totals, and a ledger that holds.
func FuzzSettleDataset(f *testing.F) {
	quick, err := os.ReadFile("../examples/quickstart/tariffs/tariff.json")
	if err != nil {
		f.Fatal(err)
	}
	quickBook := parseBook(f, string(quick), "quickstart/tariff.json")
	books := []*reimbursement.Book{quickBook, load(f, "mixed.json")}
	for _, name := range []string{"01-night-visits/tariffs/night-part.json", "02-planned-time/tariffs/planned-time.json",
		"03-standard-times/tariffs/standard-times.json", "04-absence/tariffs/absence.json", "05-one-off/tariffs/one-off.json",
		"06-monthly/tariffs/monthly.json", "08-rounding/tariffs/per-unit.json"} {
		src, err := os.ReadFile("../examples/tariff-cookbook/" + name)
		if err != nil {
			f.Fatal(err)
		}
		books = append(books, parseBook(f, string(src), name))
	}
	// And the mixed tariff in versions beginning within each month
	// settled, for the month-wide rules.
	mixed, err := os.ReadFile("testdata/mixed.json")
	if err != nil {
		f.Fatal(err)
	}
	split := []string{splitDoc(f, string(mixed), splitEpoch, "")}
	for i, d := range []calendar.Date{{Year: 2024, Month: 3, Day: 10}, {Year: 2024, Month: 4, Day: 16}, {Year: 2024, Month: 10, Day: 20}} {
		split = append(split, splitDoc(f, string(mixed), d, string(rune('B'+i))+" "))
	}
	books = append(books, splitBook(f, split...))
	// And the cookbook's monthly tariff (amounts paid the whole month)
	// in a book that begins on 16 April, and in one that ends on 15
	// March: the days no version covers.
	monthly, err := os.ReadFile("../examples/tariff-cookbook/06-monthly/tariffs/monthly.json")
	if err != nil {
		f.Fatal(err)
	}
	books = append(books, splitBook(f, splitDoc(f, string(monthly), calendar.Date{Year: 2024, Month: 4, Day: 16}, "")))
	ending := strings.Replace(splitDoc(f, string(monthly), splitEpoch, ""), `"valid_from":`, `"valid_to":"2024-03-15","valid_from":`, 1)
	books = append(books, splitBook(f, ending))

	for _, name := range []string{"../examples/quickstart/dataset.json", "../examples/huddinge-2021/dataset.json",
		"../examples/norrtalje-2021/dataset.json", "../examples/minimum-execution/dataset.json",
		"../examples/tariff-cookbook/01-night-visits/dataset.json", "../examples/tariff-cookbook/02-planned-time/dataset.json",
		"../examples/tariff-cookbook/03-standard-times/dataset.json", "../examples/tariff-cookbook/04-absence/dataset.json",
		"../examples/tariff-cookbook/05-one-off/dataset.json", "../examples/tariff-cookbook/06-monthly/dataset.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "")
	}
	header := "id,customer,provider,start,end,tasks,role,staff,declined,approved,edited,registered\n"
	base := `{"tasks": [{"local": "Dusch", "category": "care"}, {"local": "Städ", "category": "service"}],
 "customers": [{"id": "k1", "zone": "tätort"}], "providers": [{"id": "p", "name": "P", "ownership": "private"}],
 "decisions": [{"id": "b1", "customer": "k1", "provider": "p", "valid_from": "2024-01-01", "execution_started": "2024-01-01",
   "items": [{"task": "Dusch", "category": "care", "minutes": 20, "times": 2, "per": "day"}]}]`
	f.Add(base+"}", header+"v1,k1,p,2024-04-03 21:40,2024-04-03 22:20,Dusch,care_staff,2,false,true,false,\n")
	f.Add(base+"}", header+"v1,k1,p,2024-04-03 10:00,9999-04-03 10:00,Dusch,care_staff,1,false,true,false,\n")
	f.Add(base+"}", header+"v1,k1,p,2024-10-27 02:30,2024-10-27 02:10,Dusch,care_staff,1,false,true,false,\n")
	f.Add(base+`, "visits": [{"id": "v1", "customer": "k1", "provider": "-", "start": "2024-04-03T10:00:00+02:00", "end": "2024-04-03T10:30:00+02:00", "tasks": ["Dusch"], "role": "care_staff", "approved": true}]}`, "")
	f.Add(strings.Replace(base, `"minutes": 20, "times": 2`, `"minutes": 1000000000, "times": 1000000000`, 1)+"}", "")
	f.Add(base+`, "absences": [{"id": "a1", "customer": "k1", "from": "2024-04-04", "to": "2024-04-20", "reason": "hospital"}]}`, "")

	f.Fuzz(func(t *testing.T, dataset, visits string) {
		if len(dataset)+len(visits) > 1<<16 {
			return
		}
		ds, err := models.ReadDataset(strings.NewReader(dataset))
		if err != nil {
			return
		}
		if visits != "" {
			vs, err := models.ReadVisitsCSV(strings.NewReader(visits), stockholmLoc())
			if err != nil {
				return
			}
			ds.Visits = append(ds.Visits, vs...)
		}
		if ds.Validate() != nil {
			return
		}
		for _, b := range books {
			for _, month := range []time.Month{time.March, time.April, time.October} {
				p := monthOf(month)
				s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{Workers: 1})
				if err != nil {
					t.Fatalf("a valid dataset does not settle: %v", err)
				}
				if err := s.CheckSums(); err != nil {
					t.Fatal(err)
				}
				if err := tarifftest.CheckLedger(s, ds, b, p); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func stockholmLoc() *time.Location {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	return loc
}

func monthOf(m time.Month) calendar.Period {
	p, _ := calendar.Month(2024, m, stockholmLoc())
	return p
}
