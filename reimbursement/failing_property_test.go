package reimbursement_test

import (
	"context"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// failingBook is a tariff whose expressions fail for some units of the
// data but not for those the load-time probe meets: a standard time of
// 30 × the visit's minutes, beyond a day for a visit of 49 minutes or
// more; caps, deductions, rates and declined shares that divide by zero,
// or leave 0–1, for one of the generated customers (k001, k002). Every
// kind of unit has a failing component: segments (omsorg, hsl), whole
// visits (schablon, hembesök), decision items (service, nivå, frånvaro,
// start), listings (listning) and events (larmsamtal).
const failingBook = `{
  "name": "Felande 2024", "valid_from": "2024-01-01", "source": "test", "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "time_rounding": {"mode": "nearest", "minimum_minutes": {"natt": 15}},
  "components": [
    {"name": "service", "strategy": "minimum_execution", "when": "category == 'service'", "rate": "439",
     "params": {"threshold": "0.80", "below": "deduction", "deduction": "0.10 / (customer == 'k002' ? 0 : 1)"}},
    {"name": "schablon", "strategy": "standard_time", "when": "category == 'care' && task == 'Dusch'", "instead_of": ["omsorg"],
     "rate": "448", "params": {"minutes": "minutes * 30"}},
    {"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "448",
     "params": {"cap": "granted / (customer == 'k001' ? 0 : 1)", "declined_share": "0.5"}},
    {"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "448",
     "params": {"require_decision": false, "cap": "performed['omsorg'] * 0.17", "declined_share": "customer == 'k002' ? 2 : 0.5"}},
    {"name": "hembesök", "strategy": "per_visit", "when": "licensed", "rate": "250",
     "params": {"declined_share": "customer == 'k001' ? 2 : 0.5"}},
    {"name": "listning", "strategy": "per_listing", "rate": "1200 / (customer == 'k002' ? 0 : 1)"},
    {"name": "larm", "strategy": "fixed_monthly", "when": "category == 'alarm'", "rate": "282"},
    {"name": "larmsamtal", "strategy": "per_occurrence", "rate": "95.50 / (customer == 'k001' ? 0 : 1)"},
    {"name": "nivå", "strategy": "level", "when": "category == 'service'", "stacks": true, "rate": "386 / (customer == 'k001' ? 0 : 1)",
     "params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "5"}]}},
    {"name": "frånvaro", "strategy": "absence", "when": "category == 'care'", "stacks": true, "rate": "448 / (customer == 'k002' ? 0 : 1)",
     "params": {"ladder": [{"days": 3, "share": "1"}]}},
    {"name": "start", "strategy": "one_off", "when": "category == 'care'", "stacks": true, "rate": "1000 / (customer == 'k001' ? 0 : 1)",
     "params": {"on": "decision_start"}}
  ]
}`

// With components whose expressions fail for random units, every visit
// minute, item-day, listing-day and event is still accounted for once
// (tarifftest.CheckLedger), and a component that fails for a customer
// pays the customer nothing and reports each unit once, rate_error, with
// nothing else it reported before it failed (checkFailed).
func TestPropertyFailingComponents(t *testing.T) {
	b := parseBook(t, failingBook, "failing.json")
	failures := 0
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 2, MaxProviders: 2, MaxVisits: 8}).Draw(t, "dataset")
		s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true, Workers: 1})
		if err != nil {
			t.Fatalf("Settle: %v", err)
		}
		if err := tarifftest.CheckLedger(s, ds, b, p); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSums(); err != nil {
			t.Fatal(err)
		}
		n, err := checkFailed(s)
		if err != nil {
			t.Fatal(err)
		}
		failures += n
	})
	t.Logf("%d components failed for a customer", failures)
	if failures == 0 {
		t.Error("no component failed: the property proves nothing")
	}
}

// checkFailed checks the components that failed for a customer and
// provider (that reported rate_error or overflow): they have no line of
// the customer; all they report of the customer is rate_error or
// overflow (or paid_twice, reported as the units were matched), nothing
// they reported before they failed; and they report each unit (kind,
// id, item and date: an item is reported once per zone and version) at
// most once. It returns how many failed.
func checkFailed(s *reimbursement.Settlement) (int, error) {
	type who struct{ customer, provider, component string }
	failed := map[who]bool{}
	for _, u := range s.NotPaid {
		if u.Reason == reimbursement.RateError || u.Reason == reimbursement.Overflow {
			failed[who{u.Customer, u.Provider, u.Component}] = true
		}
	}
	for _, l := range s.Lines {
		if failed[who{l.Customer, l.Provider, l.Component}] {
			return 0, fmt.Errorf("component %s failed for %s with %s and has a line: %s", l.Component, l.Customer, l.Provider, l.Quantity)
		}
	}
	type unit struct {
		who
		kind       reimbursement.RecordKind
		id, item   string
		date, vers string
	}
	seen := map[unit]bool{}
	for _, u := range s.NotPaid {
		w := who{u.Customer, u.Provider, u.Component}
		if !failed[w] || u.Reason == reimbursement.PaidTwice {
			continue
		}
		if u.Reason != reimbursement.RateError && u.Reason != reimbursement.Overflow {
			return 0, fmt.Errorf("component %s failed for %s, and reports %s %s %s", u.Component, u.Customer, u.Kind, u.ID, u.Reason)
		}
		k := unit{w, u.Kind, u.ID, u.Item, u.Date.String(), u.Version}
		if seen[k] {
			return 0, fmt.Errorf("component %s reports %s %s %s of %s twice", u.Component, u.Kind, u.ID, u.Item, u.Date)
		}
		seen[k] = true
	}
	return len(failed), nil
}
