package reimbursement_test

import (
	"os"
	"slices"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

func load(t testing.TB, name string) *reimbursement.Book {
	t.Helper()
	v, err := reimbursement.LoadVersion(os.DirFS("testdata"), name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
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
	s, err := reimbursement.Settle(b, ds, p, reimbursement.Options{})
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
		if err := tarifftest.CheckSums(settle(t, b, ds, p)); err != nil {
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
		a := settle(t, b, ds, p)
		shuffled, err := reimbursement.Settle(b, tarifftest.Shuffled(t, ds), p, reimbursement.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := tarifftest.CheckSameOutput(a, shuffled); err != nil {
			t.Fatal(err)
		}
	})
}

// Under performed_time a longer visit never lowers the paid minutes, and
// never lowers the payment of a component whose rate is one for all bands
// or that has no cap. (With a cap and rates by band it can: the cap cuts
// the last minutes of the month, and a longer morning visit can push an
// expensive night visit past it. mixed.json's omsorg is such a component,
// so only its minutes are checked.)
func TestPropertyPerformedTimeMonotonic(t *testing.T) {
	mixed, performed := load(t, "mixed.json"), load(t, "performed.json")
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 3}).Draw(t, "dataset")
		if len(ds.Visits) == 0 {
			t.Skip("no visits")
		}
		i := rapid.IntRange(0, len(ds.Visits)-1).Draw(t, "visit")
		extra := time.Duration(rapid.IntRange(1, 120).Draw(t, "extra minutes")) * time.Minute
		longer := *ds
		longer.Visits = slices.Clone(ds.Visits)
		longer.Visits[i].End = longer.Visits[i].End.Add(extra)
		for _, b := range []*reimbursement.Book{mixed, performed} {
			before, after := settle(t, b, ds, p), settle(t, b, &longer, p)
			for _, comp := range []string{"omsorg", "hsl", "service"} {
				if a, b := minutesOf(after, comp), minutesOf(before, comp); a < b {
					t.Fatalf("%s: visit %s longer by %v: %d min paid before, %d after", comp, ds.Visits[i].ID, extra, b, a)
				}
			}
			if b == mixed {
				continue
			}
			for _, comp := range []string{"omsorg", "hsl", "service"} {
				if a, b := amountOf(after, comp), amountOf(before, comp); a.LessThan(b) {
					t.Fatalf("%s: visit %s longer by %v: %s before, %s after", comp, ds.Visits[i].ID, extra, b, a)
				}
			}
		}
	})
}

func minutesOf(s *reimbursement.Settlement, component string) (n int64) {
	for _, m := range tarifftest.PaidMinutes(s, component) {
		for _, x := range m {
			n += x
		}
	}
	return n
}

// The cap "granted" is never exceeded: no customer is paid more
// performed minutes of a category than were granted.
func TestPropertyCapNeverExceeded(t *testing.T) {
	b := load(t, "mixed.json")
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p}).Draw(t, "dataset")
		s := settle(t, b, ds, p)
		paid := tarifftest.PaidMinutes(s, "omsorg")
		for _, c := range s.Customers {
			// Granted care minutes of the customer: the granted minutes the
			// settlement reports, for care only, are at least what was paid.
			care := grantedCare(ds, c.Customer, c.Provider, p)
			if got := paid[c.Customer]["care"]; got > care {
				t.Fatalf("customer %s: paid %d care minutes, granted %d", c.Customer, got, care)
			}
		}
		// And the HSL cap: at most 17 % of the care minutes paid.
		hsl := tarifftest.PaidMinutes(s, "hsl")
		for cust, m := range hsl {
			limit := paid[cust]["care"] * 17 / 100
			if m["delegated_hsl"] > limit {
				t.Fatalf("customer %s: %d HSL minutes paid, cap %d", cust, m["delegated_hsl"], limit)
			}
		}
	})
}

func grantedCare(ds *models.Dataset, customer, provider string, p calendar.Period) int64 {
	var n int64
	for _, d := range ds.Decisions {
		if d.Customer != customer || d.Provider != provider {
			continue
		}
		for i, it := range d.Items {
			if it.Category == models.Care {
				n += int64(d.Granted(i, p, ds.Absences).StaffMinutes)
			}
		}
	}
	return n
}

func amountOf(s *reimbursement.Settlement, component string) (sum decimal.Decimal) {
	for _, l := range s.Lines {
		if l.Component == component {
			sum = sum.Add(l.Amount)
		}
	}
	return sum
}
