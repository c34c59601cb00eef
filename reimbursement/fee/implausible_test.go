package fee

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// TestFeesImplausibleItem: a decision item of 153 722 867 280 912 941
// minutes a month (a pasted id, which Validate accepts and a settlement
// reports implausible) was prorated in int: × 30 days overflowed, and the
// customer's fee came out at -768 614 336 404 564 590 kr (found by
// attack). Fees now counts no item beyond MaxGrantedPerDay and lists it
// in NotCounted, as the settlement of the same data reports it.
//
// k1, April 2024 (30 days), hourly fee 300 kr: the other item, 120
// minutes a month, counts 120 × 30 ÷ 30 = 120 min = 2 h × 300 = 600 kr,
// below the maxtaxa (2 575 kr). k2 is granted 31 × 1 440 = 44 640
// minutes a month, at the limit and counted: 44 640 × 30 ÷ 30 = 44 640
// min = 744 h × 300 = 223 200 kr, capped at the maxtaxa, 2 575 kr; one
// minute more, 44 641, is beyond it and not counted.
func TestFeesImplausibleItem(t *testing.T) {
	hourly := dec("300")
	fs := &Schedule{Name: "timtaxa", Source: "s", HourlyFee: &hourly}
	ds := fixture.Data()
	item := func(task string, minutes int) models.GrantedItem {
		return models.GrantedItem{Task: task, Category: models.Care, MinutesPerMonth: minutes}
	}
	ds.Decisions = []models.Decision{
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{item("Dusch", 153_722_867_280_912_941), item("Tillsyn", 120)}},
		{ID: "b2", Customer: "k2", Provider: "priv", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{item("Tillsyn", 31*1440+1), item("Dusch", 31*1440),
				{Task: "Städ", Category: models.Service, Minutes: 1441, Times: 1, Per: models.PerDay}}},
	}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	fees, err := fs.Fees(ds, april2024)
	if err != nil {
		t.Fatal(err)
	}
	notCounted := func(customer, provider, id, task, detail string) reimbursement.Unpaid {
		return reimbursement.Unpaid{Kind: reimbursement.RecordDecision, ID: id, Item: task, Customer: customer, Provider: provider,
			Date: d("2024-01-01"), Reason: reimbursement.Implausible, Detail: detail}
	}
	max := reimbursement.AmountOf(dec("2575"))
	want := []Fee{
		{Customer: "k1", Period: "2024-04", GrantedMinutes: 120,
			Items:      []Item{{Name: "hemtjänst", Detail: "120 min × 300 kr/h", Amount: reimbursement.AmountOf(dec("600"))}},
			NotCounted: []reimbursement.Unpaid{notCounted("k1", "egen", "b1", "Dusch", "153722867280912941 minuter per månad, mer än 1440 om dagen")},
			Tariff:     reimbursement.AmountOf(dec("600")), Maxtaxa: max, Amount: reimbursement.AmountOf(dec("600")), LimitedBy: ByTariff},
		{Customer: "k2", Period: "2024-04", GrantedMinutes: 44640,
			Items: []Item{{Name: "hemtjänst", Detail: "44640 min × 300 kr/h", Amount: reimbursement.AmountOf(dec("223200"))}},
			NotCounted: []reimbursement.Unpaid{
				notCounted("k2", "priv", "b2", "Städ", "1441 min × 1 per dag, mer än 1440 minuter om dagen"),
				notCounted("k2", "priv", "b2", "Tillsyn", "44641 minuter per månad, mer än 1440 om dagen"),
			},
			Tariff: reimbursement.AmountOf(dec("223200")), Maxtaxa: max, Amount: max, LimitedBy: ByMaxtaxa},
	}
	if diff := cmp.Diff(want, fees); diff != "" {
		t.Errorf("fees (-want +got):\n%s", diff)
	}

	// The settlement of the same data under default limits reports the
	// same items implausible, in the same words.
	v, err := reimbursement.ParseVersion(strings.NewReader(fixture.Doc(
		`{"name": "omsorg", "strategy": "granted_time", "when": "category in ['service', 'care']", "rate": "table('timpris', category, zone)"}`)), "t.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	s, err := reimbursement.Settle(context.Background(), b, ds, april2024, reimbursement.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var settled []reimbursement.Unpaid
	for _, u := range s.NotPaid {
		if u.Reason == reimbursement.Implausible {
			u.Version, u.Component = "", ""
			settled = append(settled, u)
		}
	}
	if diff := cmp.Diff(append(fees[0].NotCounted, fees[1].NotCounted...), settled); diff != "" {
		t.Errorf("not counted by Fees (-) and implausible in Settle (+):\n%s", diff)
	}
}

// TestFeesRefusesInvalidDecision: Fees is called on data that may not
// have been validated. An item of -30 minutes once a day counted -30 × 30
// = -900 minutes in April, -15 h × 300 = -4 500 kr; Fees refuses it as
// validation does, naming the decision and the field.
func TestFeesRefusesInvalidDecision(t *testing.T) {
	hourly := dec("300")
	fs := &Schedule{Name: "timtaxa", Source: "s", HourlyFee: &hourly}
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: -30, Times: 1, Per: models.PerDay}}}}
	_, err := fs.Fees(ds, april2024)
	var ie *models.InputError
	if !errors.As(err, &ie) || err.Error() != "models: decisions[0] (id b1): items[0].minutes: want minutes > 0 (or minutes_per_month)" {
		t.Errorf("Fees of an item of -30 minutes: %v", err)
	}
	// An item too large to count, in a category the fee does not count,
	// is nothing to the fee: no error, no minutes.
	ds.Decisions[0].Items[0] = models.GrantedItem{Task: "Larm", Category: models.Alarm, MinutesPerMonth: math.MaxInt}
	fees, err := fs.Fees(ds, april2024)
	if err != nil || fees[0].GrantedMinutes != 0 || fees[0].NotCounted != nil {
		t.Errorf("an uncounted category: %+v, %v", fees, err)
	}
}
