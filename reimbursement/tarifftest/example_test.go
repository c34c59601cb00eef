package tarifftest_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// An economist verifies a proposed tariff in their own repository with a
// test like TestProposedTariff below: on every generated population the
// budget may not rise, no customer's fee may change by more than 50 kr,
// no provider's total by more than 10 %, and no customer's reimbursement
// may fall by more than 5 %. When a limit can be broken,
// rapid shrinks the population to the smallest counterexample it finds
// and the test fails naming it.
func Example_verifyingATariffChange() {
	// In proposed_tariff_test.go of the economist's repository, with the
	// tariff books and the fee schedule loaded by the test's helpers:
	var current, proposed *reimbursement.Book
	var fees *fee.Schedule
	TestProposedTariff := func(t *testing.T) {
		zero, fee, provider, loss := decimal.Zero, decimal.NewFromInt(50), decimal.NewFromInt(10), decimal.NewFromInt(5)
		loc, _ := time.LoadLocation("Europe/Stockholm")
		april, _ := calendar.Month(2024, time.April, loc)
		rapid.Check(t, func(t *rapid.T) {
			tarifftest.CheckBoundedChange(t, tarifftest.Config{Period: april},
				tarifftest.Proposal{
					Base:     compare.Side{Name: "current", Book: current, Fees: fees},
					Proposed: compare.Side{Name: "proposed", Book: proposed, Fees: fees},
				},
				tarifftest.Limits{MaxBudgetIncrease: &zero, MaxFeeChange: &fee, MaxProviderChange: &provider,
					MaxCustomerDecreasePercent: &loss})
		})
	}
	_ = TestProposedTariff // TestExampleProposal below runs it on this repository's tariffs
}

// TestExampleProposal is the economist's test, run on this repository's
// mixed tariff against a proposal that lowers the hourly rates by 2 %.
func TestExampleProposal(t *testing.T) {
	mustBook := func(t *testing.T, edit func(string) string) *reimbursement.Book {
		b, err := os.ReadFile("../testdata/mixed.json")
		if err != nil {
			t.Fatal(err)
		}
		v, err := reimbursement.ParseVersion(strings.NewReader(edit(string(b))), "mixed.json")
		if err != nil {
			t.Fatal(err)
		}
		book, err := reimbursement.NewBook(v)
		if err != nil {
			t.Fatal(err)
		}
		return book
	}
	current := mustBook(t, func(s string) string { return s })
	proposed := mustBook(t, func(s string) string {
		return strings.ReplaceAll(s, `"rate": "table(\"timpris\", category, zone)"`, `"rate": "table(\"timpris\", category, zone) * 0.98"`)
	})
	fees, err := fee.Read(strings.NewReader(`{"name": "timtaxa", "source": "illustrative", "hourly_fee": "300"}`))
	if err != nil {
		t.Fatal(err)
	}
	zero, fee, provider, loss := decimal.Zero, decimal.NewFromInt(50), decimal.NewFromInt(10), decimal.NewFromInt(5)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	april, _ := calendar.Month(2024, time.April, loc)
	rapid.Check(t, func(t *rapid.T) {
		tarifftest.CheckBoundedChange(t, tarifftest.Config{Period: april},
			tarifftest.Proposal{
				Base:     compare.Side{Name: "current", Book: current, Fees: fees},
				Proposed: compare.Side{Name: "proposed", Book: proposed, Fees: fees},
			},
			tarifftest.Limits{MaxBudgetIncrease: &zero, MaxFeeChange: &fee, MaxProviderChange: &provider,
				MaxCustomerDecreasePercent: &loss})
	})
}
