package fee

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// The fee as it was first written, kept to hold Fees to: each item's
// granted time found day by day against every absence of the customer.

func simpleGranted(d *models.Decision, i int, p calendar.Period, absences []models.Absence) models.Grant {
	var g models.Grant
	r, ok := d.InForce()
	if !ok {
		return g
	}
	in, n := p.Overlap(r)
	if n == 0 {
		return g
	}
	g.InForce, g.Days = in, n
	for day := in.From; !day.After(in.To); day = day.AddDays(1) {
		for _, a := range absences {
			if a.Customer == d.Customer && a.Dates().Contains(day) {
				g.PausedDays++
				break
			}
		}
	}
	g.PaidDays = g.Days - g.PausedDays
	g.Minutes = d.Items[i].MinutesFor(g.PaidDays, p.Days())
	g.StaffMinutes = g.Minutes * d.Items[i].Staff()
	return g
}

func simpleFees(fs *Schedule, ds *models.Dataset, p calendar.Period) []Fee {
	max, _ := Maxtaxa(p.Year)
	cats := fs.Categories
	if len(cats) == 0 {
		cats = []models.Category{models.Service, models.Care}
	}
	customers := slices.Clone(ds.Customers)
	slices.SortFunc(customers, func(a, b models.Customer) int { return strings.Compare(a.ID, b.ID) })
	var out []Fee
	for _, c := range customers {
		f := Fee{Customer: c.ID, Period: p.String(), Maxtaxa: reimbursement.AmountOf(max)}
		if c.FeeHeadroom != nil {
			f.Headroom = &reimbursement.Amount{Decimal: *c.FeeHeadroom}
		}
		var absences []models.Absence
		for _, a := range ds.Absences {
			if a.Customer == c.ID {
				absences = append(absences, a)
			}
		}
		var alarmDays calendar.DaySet
		for k := range ds.Decisions {
			d := &ds.Decisions[k]
			if d.Customer != c.ID {
				continue
			}
			for j, it := range d.Items {
				g := simpleGranted(d, j, p, absences)
				if slices.Contains(cats, it.Category) {
					f.GrantedMinutes += int64(g.Minutes)
				}
				if it.Category == models.Alarm && g.Days > 0 {
					alarmDays.AddRange(g.InForce)
				}
			}
		}
		if item, ok := fs.careItem(f.GrantedMinutes); ok {
			f.Items = append(f.Items, item)
		}
		if fs.AlarmFee != nil && alarmDays != 0 {
			f.Items = append(f.Items, proratedFee("trygghetslarm", *fs.AlarmFee, alarmDays, p))
		}
		for _, it := range f.Items {
			f.Tariff.Decimal = f.Tariff.Add(it.Amount.Decimal)
		}
		f.Amount, f.LimitedBy = f.Tariff, ByTariff
		if f.Amount.GreaterThan(max) {
			f.Amount, f.LimitedBy = f.Maxtaxa, ByMaxtaxa
		}
		if f.Headroom != nil && f.Amount.GreaterThan(f.Headroom.Decimal) {
			f.Amount, f.LimitedBy = *f.Headroom, ByHeadroom
		}
		out = append(out, f)
	}
	return out
}

// TestFeesBySimple holds Fees to simpleFees on decisions of several
// customers and absences that overlap, cross month ends, run open-ended
// or belong to other customers.
func TestFeesBySimple(t *testing.T) {
	levels, err := Read(strings.NewReader(habo))
	if err != nil {
		t.Fatal(err)
	}
	rate := dec("350")
	hourly := &Schedule{Name: "timtaxa", HourlyFee: &rate, AlarmFee: levels.AlarmFee, Categories: []models.Category{models.Care}}
	customers := []string{"k1", "k2", "k3"}
	rapid.Check(t, func(t *rapid.T) {
		base := d("2024-01-01")
		date := func(label string) calendar.Date { return base.AddDays(rapid.IntRange(0, 180).Draw(t, label)) }
		ds := data()
		ds.Customers = append(ds.Customers, models.Customer{ID: "k3", Zone: "tätort"})
		for i := range rapid.IntRange(0, 5).Draw(t, "decisions") {
			dc := models.Decision{ID: fmt.Sprint("b", i), Customer: rapid.SampledFrom(customers).Draw(t, "decision of"), Provider: "egen",
				ValidFrom: date("valid_from")}
			dc.ExecutionStarted = dc.ValidFrom.AddDays(rapid.IntRange(0, 20).Draw(t, "started after"))
			if rapid.Bool().Draw(t, "ends") {
				dc.ValidTo = dc.ValidFrom.AddDays(rapid.IntRange(0, 90).Draw(t, "valid days"))
			}
			for range rapid.IntRange(1, 3).Draw(t, "items") {
				dc.Items = append(dc.Items, models.GrantedItem{Task: "x",
					Category: rapid.SampledFrom([]models.Category{models.Service, models.Care, models.Alarm}).Draw(t, "category"),
					Minutes:  rapid.IntRange(1, 60).Draw(t, "minutes"), Times: rapid.IntRange(1, 3).Draw(t, "times"),
					Per: rapid.SampledFrom([]models.Frequency{models.PerDay, models.PerWeek, models.PerMonth}).Draw(t, "per")})
			}
			ds.Decisions = append(ds.Decisions, dc)
		}
		for i := range rapid.IntRange(0, 10).Draw(t, "absences") {
			a := models.Absence{ID: fmt.Sprint("a", i), Customer: rapid.SampledFrom(append(customers, "k9")).Draw(t, "absence of"),
				From: date("absence from"), Reason: models.Hospital}
			if rapid.IntRange(0, 5).Draw(t, "open") != 0 {
				a.To = a.From.AddDays(rapid.IntRange(-1, 45).Draw(t, "length"))
			}
			ds.Absences = append(ds.Absences, a)
		}
		p, _ := calendar.Month(2024, time.Month(rapid.IntRange(1, 6).Draw(t, "month")), stockholm)
		for _, fs := range []*Schedule{levels, hourly} {
			got, err := fs.Fees(ds, p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(simpleFees(fs, ds, p), got); diff != "" {
				t.Fatalf("%s: Fees against day by day (-want +got):\n%s", fs.Name, diff)
			}
		}
	})
}

// TestFeesItemsByAbsences computes the fee of a customer with 4 000 items
// and 4 000 absences (scale probe fees_items_x_absences): every day of
// every item against every absence took about 6 s.
func TestFeesItemsByAbsences(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 600
	}
	fs, err := Read(strings.NewReader(habo))
	if err != nil {
		t.Fatal(err)
	}
	ds := data()
	dc := models.Decision{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01")}
	for range n {
		dc.Items = append(dc.Items, models.GrantedItem{Task: "Städ", Category: models.Service, MinutesPerMonth: 30})
	}
	ds.Decisions = []models.Decision{dc}
	first := d("2024-03-31").AddDays(-n)
	for i := range n {
		day := first.AddDays(i)
		ds.Absences = append(ds.Absences, models.Absence{ID: fmt.Sprintf("a%07d", i), Customer: "k1", From: day, To: day, Reason: models.Hospital})
	}
	ds.Absences = append(ds.Absences, models.Absence{ID: "anow", Customer: "k1", From: d("2024-04-10"), To: d("2024-04-12"), Reason: models.Hospital})
	fees, err := fs.Fees(ds, april2024)
	if err != nil {
		t.Fatal(err)
	}
	// 30 minutes a month for 27 of April's 30 days: 27 minutes an item.
	if fees[0].GrantedMinutes != int64(27*n) {
		t.Errorf("k1: %d minutes, want %d", fees[0].GrantedMinutes, 27*n)
	}
}
