package reimbursement_test

import (
	"context"
	"os"
	"testing"
	"time"
	_ "time/tzdata"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

func load(t testing.TB, name string) *reimbursement.Book {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return parseBook(t, string(src), name)
}

// The months the properties are checked in: March 2024 has the spring
// clock change and Easter, October 2024 the autumn change.
func genPeriod(t *rapid.T) calendar.Period {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	m := rapid.SampledFrom([]time.Month{time.March, time.April, time.October, time.December}).Draw(t, "month")
	p, _ := calendar.Month(2024, m, loc)
	return p
}

func settle(t *rapid.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) *reimbursement.Settlement {
	s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{})
	if err != nil {
		t.Fatalf("Settle: %v", err)
	}
	return s
}

// Every line is rounded once from its own quantity and rate, and lines sum
// to the customer, provider and settlement totals.
func TestPropertyLinesSumToTotals(t *testing.T) {
	b := load(t, "mixed.json")
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p}).Draw(t, "dataset")
		if err := settle(t, b, ds, p).CheckSums(); err != nil {
			t.Fatal(err)
		}
	})
}

// The output does not depend on the order of the input records, nor on
// the number of workers.
func TestPropertyOrderIndependence(t *testing.T) {
	b := load(t, "mixed.json")
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p}).Draw(t, "dataset")
		if err := tarifftest.CheckOrderIndependent(t, b, ds, p); err != nil {
			t.Fatal(err)
		}
	})
}

// Every collection of the dataset shuffled, decision items and zone
// changes included, gives the same JSON, CSV and text to the byte, with
// and without explanations; explanations change no amount.
func TestPropertyDeterministic(t *testing.T) {
	books := []*reimbursement.Book{load(t, "mixed.json"), partialBook(t)}
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 4}).Draw(t, "dataset")
		for _, b := range books {
			if err := tarifftest.CheckDeterministic(t, b, ds, p); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// Under performed_time a longer visit never lowers the paid minutes, nor
// the payment of a component with one rate in every band or without a
// cap (see tarifftest.CheckPerformedMonotonic).
func TestPropertyPerformedTimeMonotonic(t *testing.T) {
	books := []*reimbursement.Book{load(t, "mixed.json"), load(t, "performed.json")}
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 3}).Draw(t, "dataset")
		for _, b := range books {
			if err := tarifftest.CheckPerformedMonotonic(t, b, ds, p); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// The cap "granted" is never exceeded, nor the HSL cap of 17 % of the
// care minutes paid.
func TestPropertyCapNeverExceeded(t *testing.T) {
	b := load(t, "mixed.json")
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p}).Draw(t, "dataset")
		s := settle(t, b, ds, p)
		if err := tarifftest.CheckGrantedCap(s, ds, p, "omsorg"); err != nil {
			t.Fatal(err)
		}
		care, hsl := tarifftest.PaidMinutes(s, "omsorg"), tarifftest.PaidMinutes(s, "hsl")
		for cust, m := range hsl {
			if limit := care[cust][models.Care] * 17 / 100; m[models.DelegatedHSL] > limit {
				t.Fatalf("customer %s: %d HSL minutes paid, cap %d", cust, m[models.DelegatedHSL], limit)
			}
		}
	})
}
