package reimbursement_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// A month split by a second version identical to the first, beginning
// on any day of it, pays what the one version pays: every line's
// quantity the same once the versions' lines are added up, every unit
// not paid for the same reason with the same minutes and days, and each
// customer's total within the rounding of the lines (half an öre a
// line). The rules judged on the month (granted minutes and activities
// rounded once and shared out, caps, min_days, minimum_execution's
// share) are what make it so; each fault of them this property finds is
// a month that pays differently because the municipality changed its
// tariff on the 16th. Over the mixed tariff, which uses every strategy,
// a per_activity tariff and a min_days one.
func TestPropertySplitByAnIdenticalVersion(t *testing.T) {
	mixed, err := os.ReadFile("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	minDays := strings.Replace(strings.Replace(string(mixed), `"rate": "1200"}`, `"rate": "1200", "params": {"prorate": "min_days", "min_days": "12"}}`, 1),
		`"rate": "table(\"månad\") * 1.015"}`, `"rate": "table(\"månad\") * 1.015", "params": {"prorate": "none"}}`, 1)
	docs := map[string]string{"mixed": string(mixed), "activities": activityBook, "min_days": minDays}
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		name := rapid.SampledFrom([]string{"activities", "min_days", "mixed"}).Draw(t, "tariff")
		day := rapid.IntRange(2, p.Days()).Draw(t, "day the second version begins")
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 4}).Draw(t, "dataset")
		src := docs[name]
		from := calendar.Date{Year: p.Year, Month: p.Month, Day: day}
		second := strings.Replace(strings.Replace(src, `"valid_from": "2024-01-01"`, fmt.Sprintf(`"valid_from": %q`, from), 1),
			`"name": "`, `"name": "Andra `, 1)
		one := splitBook(t, src)
		two := splitBook(t, src, second)
		a, b := settle(t, one, ds, p), settle(t, two, ds, p)
		if diff := cmp.Diff(splitView(a), splitView(b)); diff != "" {
			t.Fatalf("%s split on %s (-one version +two):\n%s", name, from, diff)
		}
		for i := range a.Customers {
			x, y := a.Customers[i], b.Customers[i]
			lines := decimal.NewFromInt(int64(countLines(a, x.Customer, x.Provider) + countLines(b, y.Customer, y.Provider)))
			if d := x.Amount.Sub(y.Amount.Decimal).Abs(); d.GreaterThan(lines.Mul(decimal.RequireFromString("0.005"))) {
				t.Fatalf("%s split on %s: customer %s of %s: %s kr under one version, %s under two", name, from, x.Customer, x.Provider,
					x.Amount, y.Amount)
			}
		}
	})
}

// splitBook makes a book of the tariff documents srcs.
func splitBook(t interface{ Fatal(...any) }, srcs ...string) *reimbursement.Book {
	var vs []*reimbursement.Version
	for i, src := range srcs {
		v, err := reimbursement.ParseVersion(strings.NewReader(src), fmt.Sprintf("v%d.json", i+1))
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	b, err := reimbursement.NewBook(vs...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// splitKey is what a version split changes nothing of: a line's
// quantities added up by everything but the version, a record's units
// not paid by reason.
type splitKey struct {
	Customer, Provider, Component, Kind, Category, Zone, Band, Unit, Rate string
}

type unpaidKey struct {
	Kind, ID, Item string
	Reason         reimbursement.Reason
}

type unpaidUnits struct{ Minutes, Days int64 }

type split struct {
	Quantities map[splitKey]string
	NotPaid    map[unpaidKey]unpaidUnits
}

func splitView(s *reimbursement.Settlement) split {
	q := map[splitKey]decimal.Decimal{}
	for _, l := range s.Lines {
		if l.Unit == reimbursement.Kronor {
			continue // an adjustment's base is the lines' rounded amounts
		}
		k := splitKey{l.Customer, l.Provider, l.Component, l.Kind.String(), l.Category.String(), l.Zone, l.Band, l.Unit.String(), l.Rate.String()}
		if l.Unit == reimbursement.Days {
			// A month paid whole (prorate none or min_days) is paid on
			// a line of the zone of the record's first day under each
			// version: a customer who moves has the days of two zones
			// under two versions, at the same rates where the rate does
			// not depend on the zone, as in these tariffs.
			k.Zone = ""
		}
		q[k] = q[k].Add(l.Quantity.Decimal)
	}
	out := map[splitKey]string{}
	for k, v := range q {
		if !v.IsZero() { // a version's share of an item can be 0 min, on a line naming its days
			out[k] = v.String()
		}
	}
	u := map[unpaidKey]unpaidUnits{}
	for _, r := range s.NotPaid {
		k := unpaidKey{r.Kind.String(), r.ID, r.Item, r.Reason}
		x := u[k]
		x.Minutes += r.Minutes
		x.Days += int64(r.Days)
		u[k] = x
	}
	return split{out, u}
}

func countLines(s *reimbursement.Settlement, customer, provider string) int {
	n := 0
	for _, l := range s.Lines {
		if l.Customer == customer && l.Provider == provider {
			n++
		}
	}
	return n
}
