package reimbursement

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// CheckSums refuses, with an error and never a panic, a settlement read
// back from JSON that was edited: a divisor of 0, a customer's or a
// provider's lines without a total, a total given twice, a line whose
// amount is not its formula's.
func TestCheckSumsRefusesEdits(t *testing.T) {
	s, err := Settle(context.Background(), mixedBook(t), benchDataset(3, 6), april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckSums(); err != nil {
		t.Fatalf("as settled: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(s *Settlement)
		want string
	}{
		{"divisor 0", func(s *Settlement) { s.Lines[0].Divisor = 0 }, "divisor 0; a line divides by a positive whole number"},
		{"customer without total", func(s *Settlement) { s.Customers = s.Customers[1:] }, "has no total"},
		{"provider without total", func(s *Settlement) { s.Providers = nil }, "has no total"},
		{"customer total twice", func(s *Settlement) { s.Customers = append(s.Customers, s.Customers[0]) }, "two totals"},
		{"amount edited", func(s *Settlement) { s.Lines[0].Amount = AmountOf(s.Lines[0].Amount.Add(dec("0.01"))) }, "rounded is"},
		// Found by attack: 10^(2^31−1) was being computed when checked.
		{"rounding scale edited", func(s *Settlement) { s.Versions[0].Rounding.Scale = 2147483647 }, "none a tariff can declare"},
		{"version twice", func(s *Settlement) { s.Versions = append(s.Versions, s.Versions[0]) }, "listed twice"},
		// A line of 600 min at 448 kr/h is 600 × 448 ÷ 60 = 4 480 kr;
		// edited to divide by 1 with its amount made 268 800, its
		// formula held and the settlement added up once the totals were
		// edited too: the divisor is its unit's.
		{"divisor of another unit", func(s *Settlement) { editLine(s, minutesLine(s), func(l *Line) { l.Divisor = 1 }) },
			"divisor 1, but a line of min divides by 60 in 2024-04"},
		{"rate unit edited", func(s *Settlement) { s.Lines[minutesLine(s)].RateUnit = "kr/besök" },
			`rate unit "kr/besök", but a line of min has its rate in kr/h`},
		{"unit removed", func(s *Settlement) { s.Lines[0].Unit = UnitUnknown }, "no unit"},
		{"line of another month", func(s *Settlement) { s.Lines[0].Period = "2024-05" }, `period "2024-05" in a settlement of "2024-04"`},
		{"month unreadable", func(s *Settlement) { s.Period = "april" }, `period "april"`},
		// A version edited to round per unit did not have its lines'
		// amounts checked at all (found by attack): 1 000 kr more on a
		// line of 600 min, with its totals, passed. Rounded per unit to
		// öre, 600 units move it at most 600 × 0.005 = 3 kr.
		{"rounding edited to per unit, amount +1000", func(s *Settlement) {
			s.Versions[0].Rounding.PerUnit = true
			i := minutesLine(s)
			before := s.Lines[i].Amount
			s.Lines[i].Amount = AmountOf(before.Add(dec("1000")))
			addToTotals(s, i, dec("1000"))
		}, "units each moves it at most"},
	} {
		var b bytes.Buffer
		if err := s.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		var back Settlement
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		tc.edit(&back)
		if err := back.CheckSums(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// FuzzCheckSums decodes any JSON as a settlement and checks it: an
// error or nil, never a panic or a hang, whatever its numbers, divisors
// and rounding say.
func FuzzCheckSums(f *testing.F) {
	f.Add([]byte(`{"period":"2024-04","versions":[{"name":"v","rounding":{"scale":2,"mode":"half_up"}}],"total":"1.00",` +
		`"providers":[{"provider":"p","amount":"1.00"}],"customers":[{"customer":"k","provider":"p","amount":"1.00"}],` +
		`"lines":[{"provider":"p","customer":"k","version":"v","quantity":"60","rate":"1.00","divisor":60,"amount":"1.00"}]}`))
	f.Add([]byte(`{"versions":[{"name":"v","rounding":{"scale":2147483647,"mode":"half_even"}}],"lines":[{"version":"v","quantity":"1e-999999","rate":"7","divisor":3,"amount":"0"}],"customers":[{}],"providers":[{}]}`))
	// A seed the decoder takes whole, with a scale no tariff declares: it
	// hung CheckSums before the rounding was checked (found by attack).
	f.Add([]byte(`{"period":"2024-04","versions":[{"name":"v","rounding":{"scale":2147483647,"mode":"half_up"}}],"total":"1.00",` +
		`"providers":[{"provider":"p","amount":"1.00"}],"customers":[{"customer":"k","provider":"p","amount":"1.00"}],` +
		`"lines":[{"provider":"p","customer":"k","version":"v","quantity":"60","rate":"1.00","divisor":60,"amount":"1.00"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Settlement
		if json.Unmarshal(data, &s) != nil {
			return
		}
		_ = s.CheckSums()
	})
}

// minutesLine returns the index of the first line of minutes.
func minutesLine(s *Settlement) int {
	for i, l := range s.Lines {
		if l.Unit == Minutes {
			return i
		}
	}
	panic("no line of minutes")
}

// addToTotals adds diff to the totals line i is in.
func addToTotals(s *Settlement, i int, diff decimal.Decimal) {
	l := &s.Lines[i]
	for j := range s.Customers {
		if c := &s.Customers[j]; c.Customer == l.Customer && c.Provider == l.Provider {
			c.Amount = AmountOf(c.Amount.Add(diff))
		}
	}
	for j := range s.Providers {
		if p := &s.Providers[j]; p.Provider == l.Provider {
			p.Amount = AmountOf(p.Amount.Add(diff))
		}
	}
	s.Total = AmountOf(s.Total.Add(diff))
}

// editLine applies edit to line i and makes the line's amount its
// formula's again and every total the sum of its lines, so that only
// what edit changed can be refused.
func editLine(s *Settlement, i int, edit func(l *Line)) {
	l := &s.Lines[i]
	edit(l)
	before := l.Amount.Decimal
	num := l.Quantity.Mul(l.Rate.Decimal)
	if l.Factor != nil {
		num = num.Mul(l.Factor.Decimal)
	}
	l.Amount = AmountOf(num.DivRound(decimal.NewFromInt(l.Divisor), 2))
	addToTotals(s, i, l.Amount.Sub(before))
}

// TestCheckSumsPerUnit: a settlement of a tariff that rounds each visit
// to whole kronor (the cookbook's, March 2024) adds up, and a line of it edited by more than its
// units' rounding can explain is refused. The cookbook's per-unit tariff
// pays 487 kr/h rounded per visit: a line's amount lies within half a
// krona a minute of minutes × 487 ÷ 60.
func TestCheckSumsPerUnit(t *testing.T) {
	v, err := LoadVersion(os.DirFS("../examples/tariff-cookbook/08-rounding"), "tariffs/per-unit.json")
	if err != nil {
		t.Fatal(err)
	}
	book, err := NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := models.ReadDatasetFS(os.DirFS("../examples/tariff-cookbook/08-rounding"), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	march, err := calendar.Month(2024, time.March, april2024.Location)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Settle(context.Background(), book, ds, march, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckSums(); err != nil {
		t.Fatalf("as settled: %v", err)
	}
	i := minutesLine(s)
	n := s.Lines[i].Quantity.IntPart()
	s.Lines[i].Amount = AmountOf(s.Lines[i].Amount.Add(decimal.NewFromInt(n))) // n minutes, n kr: beyond n × 0.5
	addToTotals(s, i, decimal.NewFromInt(n))
	if err := s.CheckSums(); err == nil || !strings.Contains(err.Error(), "units each moves it at most") {
		t.Errorf("edited by %d kr: %v", n, err)
	}
}
