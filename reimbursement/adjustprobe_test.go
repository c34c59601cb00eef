package reimbursement

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// An adjustment's when is evaluated at load at every zone, ownership and
// VAT registration it can meet, as a component's expressions are: a
// condition that fails for some of them is refused, naming the
// adjustment, its path and the values, rather than reported rate_error
// for every customer of that zone at settlement. One that reads what the
// check cannot enumerate (customer, contract) is left to settlement, and
// its tables are checked key by key as before.
func TestAdjustmentWhenProbedAtLoad(t *testing.T) {
	comps := `{"name": "u", "strategy": "performed_time", "rate": "500"}`
	adj := func(when string) string {
		return `"adjustments": [{"name": "moms", "kind": "surcharge", "components": ["u"], "when": "` + when + `", "percent": "6"}]`
	}
	for _, tt := range []struct {
		name, when, want string
		missingKey       bool
	}{
		{name: "divides by zero in tätort", when: "100 / table('styck', zone) - 100 / (table('styck', zone) - 250) > 0",
			want: `test.json:16: adjustments[0].when (moms): division by zero (when zone=tätort)`},
		{name: "own operation only", when: "ownership == 'own' || 1 / (table('styck', 'tätort') - 250) > 1",
			want: `adjustments[0].when (moms): division by zero (when ownership=private)`},
		{name: "VAT", when: "vat_registered && 1 / (table('styck', 'tätort') - 250) > 0",
			want: `adjustments[0].when (moms): division by zero (when vat_registered=true)`},
		// A field read is named at its empty value too: this fails only
		// for a provider not registered for VAT, which the message said
		// nothing of ("(when zone=tätort)"; with only vat_registered read,
		// "(when )").
		{name: "not registered for VAT", when: "vat_registered || 1 / (table('styck', zone) - 250) > 0",
			want: `adjustments[0].when (moms): division by zero (when zone=tätort, vat_registered=false)`},
		{name: "not registered, nothing else read", when: "!vat_registered && 1 / (table('styck', 'tätort') - 250) > 0",
			want: `adjustments[0].when (moms): division by zero (when vat_registered=false)`},
		// A when that reads nothing the load enumerates fails for every
		// customer, and names no values ("(when )").
		{name: "reads nothing", when: "1 / (table('styck', 'tätort') - 250) > 0",
			want: `adjustments[0].when (moms): division by zero` + "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseVersion(strings.NewReader(doc(comps, adj(tt.when))), "test.json")
			if err == nil {
				t.Fatal("loaded")
			}
			if !strings.Contains(err.Error()+"\n", tt.want) {
				t.Errorf("error\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
	for _, when := range []string{
		"zone == 'tätort'",
		"table('styck', zone) > 260",
		// Reads customer: not enumerable, left to settlement.
		"customer == 'k1' || 1 / table('styck', zone) > 0",
	} {
		if _, err := ParseVersion(strings.NewReader(doc(comps, adj(when))), "test.json"); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
	// A key the table lacks for a zone is named as a missing key.
	src := strings.Replace(doc(comps, adj("table('styck', zone) > 260")), `"tätort": "250", "landsbygd": "310"`, `"tätort": "250"`, 1)
	_, err := ParseVersion(strings.NewReader(src), "test.json")
	if err == nil || !errors.Is(err, ErrMissingKey) || !strings.Contains(err.Error(), "zone=landsbygd") {
		t.Fatalf("error %v, want a missing key", err)
	}
	t.Log(err)
}

// A customer in a zone the version does not price has no lines, and her
// units are reported unknown_zone: the adjustment's when, which the load
// evaluated at every zone the version knows, is not evaluated at hers
// and reported rate_error (found by attack: table('styck', zone) > 260
// gave rate_error "no rate for key zone=Okänd" for a tariff that loaded).
func TestAdjustmentWhenNotJudgedInUnknownZone(t *testing.T) {
	comps := `{"name": "u", "strategy": "performed_time", "rate": "500"}`
	adj := `"adjustments": [{"name": "moms", "kind": "surcharge", "components": ["u"], "when": "table('styck', zone) > 260", "percent": "6"}]`
	b := mustBook(t, doc(comps, adj))
	ds := data()
	ds.Customers = append(ds.Customers, models.Customer{ID: "k3", Zone: "Okänd"})
	ds.Visits = append(ds.Visits, visit("2024-04-02 10:00", "2024-04-02 11:00", "Dusch", func(v *models.Visit) { v.Customer = "k3" }))
	s := settle(t, b, ds)
	want := []unpaidRow{{ID: "v001", Reason: UnknownZone, Minutes: 60}}
	if diff := cmp.Diff(want, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A component's error at load names the values of the fields it reads,
// false and empty ones too: this rate fails only for a provider not
// registered for VAT, and its message named no value at all.
func TestProbeErrorNamesFalseFields(t *testing.T) {
	comps := `{"name": "u", "strategy": "performed_time", "rate": "vat_registered ? 500 : 1 / (table('styck', 'tätort') - 250)"}`
	_, err := ParseVersion(strings.NewReader(doc(comps)), "test.json")
	if want := `components[0].rate (u): division by zero (when vat_registered=false)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %s", err, want)
	}
}

// A probe budget the adjustments' conditions spend is named so: it said
// "checking the components would take more than 40 evaluations" at
// components, of a tariff whose component took 18 (found by attack).
// MaxCombinations 20 gives 40 evaluations: the component 9 categories ×
// 2 (when and rate), each adjustment 2 zones × 2 ownerships × 2 VAT
// registrations, 8: the third adjustment passes 40 (18 + 3 × 8 = 42).
func TestAdjustmentsSpendingTheProbeBudget(t *testing.T) {
	comps := `{"name": "u", "strategy": "performed_time", "rate": "500"}`
	var adjs []string
	for i := range 5 {
		adjs = append(adjs, sprintf(`{"name": "a%d", "kind": "surcharge", "components": ["u"], "when": "zone == 'tätort' && ownership == 'own' && vat_registered", "percent": "1"}`, i))
	}
	src := doc(comps, `"adjustments": [`+strings.Join(adjs, ", ")+`]`)
	_, err := Loader{Limits: Limits{MaxCombinations: 20}}.ParseVersion(strings.NewReader(src), "test.json")
	want := `test.json:16: adjustments: over the limit: checking the components and the adjustments' conditions would take more than 40 evaluations`
	if err == nil || !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %s", err, want)
	}
}

// An adjustment's when that fails at settlement (it reads the customer,
// which the load cannot enumerate) is reported naming the version: in a
// month of two versions with an adjustment of one name, the two reports
// were alike (found by attack).
func TestAdjustmentRateErrorNamesVersion(t *testing.T) {
	comps := `{"name": "u", "strategy": "performed_time", "rate": "500", "params": {"require_decision": false}}`
	adj := `"adjustments": [{"name": "moms", "kind": "surcharge", "components": ["u"], "when": "1 / (customer == 'k1' ? 0 : 1) > 0", "percent": "6"}]`
	first := strings.Replace(doc(comps, adj), `"valid_from": "2024-01-01"`, `"valid_from": "2024-01-01", "valid_to": "2024-04-15"`, 1)
	second := strings.Replace(strings.Replace(doc(comps, adj), `"valid_from": "2024-01-01"`, `"valid_from": "2024-04-16"`, 1), `"name": "Test 2024"`, `"name": "Test 2024b"`, 1)
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 11:00", "Dusch"), visit("2024-04-20 10:00", "2024-04-20 11:00", "Dusch")}
	var got []string
	for _, u := range settle(t, mustBook(t, first, second), ds).NotPaid {
		got = append(got, u.ID+" "+u.Version+" "+u.Reason.String())
	}
	if diff := cmp.Diff([]string{"moms Test 2024 rate_error", "moms Test 2024b rate_error"}, got); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}
