package reimbursement

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
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
