package fee_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

func ExampleMaxtaxa() {
	for _, year := range []int{2023, 2024, 2025} {
		m, _ := fee.Maxtaxa(year)
		pbb, _ := fee.Prisbasbelopp(year)
		fmt.Printf("%d: 0.5392 × %s ÷ 12 → %s kr a month\n", year, pbb, m)
	}
	// Output:
	// 2023: 0.5392 × 52500 ÷ 12 → 2359 kr a month
	// 2024: 0.5392 × 57300 ÷ 12 → 2575 kr a month
	// 2025: 0.5392 × 58800 ÷ 12 → 2642 kr a month
}

// The fees of April 2024 under an hourly fee of 300 kr: 10 granted hours
// are 3 000 kr by the schedule, capped by the maxtaxa (2 575 kr) or by a
// customer's smaller headroom (1 200 kr).
func ExampleSchedule_Fees() {
	schedule, err := fee.Read(strings.NewReader(`{"name": "timtaxa", "source": "illustrative", "hourly_fee": "300"}`))
	if err != nil {
		panic(err)
	}
	loc, _ := time.LoadLocation("Europe/Stockholm")
	april, _ := calendar.Month(2024, time.April, loc)
	headroom := decimal.RequireFromString("1200")
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}, {ID: "k2", Zone: "tätort", FeeHeadroom: &headroom}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
	}
	for _, k := range []string{"k1", "k2"} {
		ds.Decisions = append(ds.Decisions, models.Decision{ID: k + "-b", Customer: k, Provider: "p1",
			ValidFrom: calendar.MustParseDate("2024-01-01"), ExecutionStarted: calendar.MustParseDate("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}})
	}
	fees, err := schedule.Fees(ds, april)
	if err != nil {
		panic(err)
	}
	for _, f := range fees {
		fmt.Println(f.Customer, f.GrantedMinutes, "min:", f.Tariff, "kr by the schedule, pays", f.Amount, "kr, limited by", f.LimitedBy)
	}
	// Output:
	// k1 600 min: 3000 kr by the schedule, pays 2575 kr, limited by maxtaxa
	// k2 600 min: 3000 kr by the schedule, pays 1200 kr, limited by headroom
}
