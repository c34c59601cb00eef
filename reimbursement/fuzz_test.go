package reimbursement

import (
	"context"
	"os"
	"strings"
	"testing"
)

// FuzzParseVersion feeds the tariff loader arbitrary documents: it must
// return a version or an error, never panic, and a version it accepts
// must settle an empty month.
func FuzzParseVersion(f *testing.F) {
	for _, name := range []string{"testdata/mixed.json", "testdata/performed.json", "../examples/quickstart/tariffs/tariff.json"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(doc(okComponent))
	f.Add(doc(`{"name": "x", "strategy": "per_visit", "rate": "-(1 + staff) / 0"}`))
	f.Add(doc(`{"name": "x", "strategy": "level", "rate": "1", "params": {"levels": [{"name": "a", "from_hours": "0"}]}}`))
	f.Fuzz(func(t *testing.T, src string) {
		v, err := ParseVersion(strings.NewReader(src), "fuzz.json")
		if err != nil {
			if v != nil {
				t.Fatal("a version and an error")
			}
			return
		}
		b, err := NewBook(v)
		if err != nil {
			return
		}
		if _, err := Settle(context.Background(), b, data(), april2024, Options{}); err != nil {
			t.Fatalf("an accepted tariff cannot settle an empty month: %v", err)
		}
	})
}
