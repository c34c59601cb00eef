package compare_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

// tariff is Huddinge's 2021 model: performed time at the customer, capped
// by the decision, at one rate of 501 kr/h.
const tariff = `{
  "name": "Huddinge 2021",
  "valid_from": "2021-01-01",
  "source": "Huddinge VON, svar på motion 2021: 501 kr/h = 302 + 21 + 19 + 21 + 138",
  "currency": "SEK",
  "zones": ["Huddinge"],
  "schedule": {"rules": [{"band": "dygn", "days": ["all"], "from": "00:00", "to": "24:00"}]},
  "tables": {"timpris": {"keys": [], "unit": "kr/h", "rates": "501.00"}},
  "components": [{
    "name": "utförd tid", "strategy": "performed_time",
    "when": "category in [\"service\", \"care\"]",
    "rate": "table(\"timpris\")",
    "params": {"cap": "granted"}
  }]
}`

// Comparing the current tariff with a proposal over the same month: the
// proposal pays 5 % more per hour.
func ExampleRun() {
	current, _ := reimbursement.ParseVersion(strings.NewReader(tariff), "huddinge-2021.json")
	proposal, _ := reimbursement.ParseVersion(strings.NewReader(
		strings.Replace(tariff, `"rate": "table(\"timpris\")"`, `"rate": "table(\"timpris\") * 1.05"`, 1)), "förslag.json")
	base, _ := reimbursement.NewBook(current)
	proposed, _ := reimbursement.NewBook(proposal)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	start, _ := time.ParseInLocation("2006-01-02 15:04", "2021-03-02 08:00", loc)
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
		Customers: []models.Customer{{ID: "k1", Zone: "Huddinge"}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
		Decisions: []models.Decision{{ID: "b1", Customer: "k1", Provider: "p1",
			ValidFrom: calendar.MustParseDate("2021-03-01"), ExecutionStarted: calendar.MustParseDate("2021-03-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 120}}}},
		Visits: []models.Visit{{ID: "v1", Customer: "k1", Provider: "p1", Start: start, End: start.Add(90 * time.Minute),
			Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true}},
	}
	fees, _ := fee.Read(strings.NewReader(`{"name": "timtaxa", "source": "illustrative", "hourly_fee": "300"}`))
	march, _ := calendar.Month(2021, time.March, loc)
	c, err := compare.Run(context.Background(),
		compare.Side{Name: "nu", Book: base, Data: ds, Fees: fees},
		compare.Side{Name: "förslag", Book: proposed, Data: ds, Fees: fees},
		[]calendar.Period{march}, compare.Options{})
	if err != nil {
		panic(err)
	}
	// 90 min × 501 ÷ 60 = 751.50; × 1.05: 90 × 526.05 ÷ 60 = 789.075 → 789.08.
	fmt.Println("budget", c.Total.Base, "→", c.Total.Proposed, c.Total.Percent, "%")
	for _, p := range c.Providers {
		fmt.Println(p.Key, p.Name, p.Difference)
	}
	// The fee does not depend on the tariff: 120 min × 300 ÷ 60 = 600 kr.
	fmt.Println("fee", c.Fees[0].Base.Amount, "→", c.Fees[0].Proposed.Amount)
	// Output:
	// budget 751.50 → 789.08 5.00 %
	// p1 Omsorg AB 37.58
	// fee 600 → 600
}
