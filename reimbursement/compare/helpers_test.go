package compare

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

var (
	stockholm = fixture.Stockholm
	april2024 = fixture.April2024
	doc       = fixture.Doc
	data      = fixture.Data
	visit     = fixture.Visit
	d         = calendar.MustParseDate
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// granted pays the granted service and care time at the table rate.
const granted = `{"name": "sol", "strategy": "granted_time", "when": "category in ['service', 'care']",
  "rate": "table('timpris', category, zone)"}`

const haboFees = fixture.HaboFees

func mustBook(t testing.TB, src string) *reimbursement.Book {
	t.Helper()
	v, err := reimbursement.ParseVersion(strings.NewReader(src), "test.json")
	if err != nil {
		t.Fatalf("ParseVersion: %v", err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatalf("NewBook: %v", err)
	}
	return b
}

// mustContain reports each of wants that got lacks.
func mustContain(t testing.TB, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// mustLack reports each of unwanted that got holds.
func mustLack(t testing.TB, what, got string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("%s holds %q:\n%s", what, w, got)
		}
	}
}

// mixedSides returns the sides of the benchmarks and the tests of Run's
// cost: a generated month of customers × visits under the mixed test
// tariff ("nu"), and the same month under it with a higher care rate by
// day ("förslag": 414.80 → 431.40 kr/h).
// loadBook makes a book of the tariff documents docs, named v1.json,
// v2.json and so on.
func loadBook(tb testing.TB, docs ...string) *reimbursement.Book {
	tb.Helper()
	var vs []*reimbursement.Version
	for i, doc := range docs {
		v, err := reimbursement.ParseVersion(strings.NewReader(doc), fmt.Sprintf("v%d.json", i+1))
		if err != nil {
			tb.Fatal(err)
		}
		vs = append(vs, v)
	}
	book, err := reimbursement.NewBook(vs...)
	if err != nil {
		tb.Fatal(err)
	}
	return book
}

func mixedSides(tb testing.TB, customers, visits int) (base, proposed Side) {
	tb.Helper()
	mixed, err := os.ReadFile("../testdata/mixed.json")
	if err != nil {
		tb.Fatal(err)
	}
	load := func(doc string) *reimbursement.Book { return loadBook(tb, doc) }
	proposedDoc := strings.Replace(string(mixed), `"dag": "414.80"`, `"dag": "431.40"`, 1)
	if proposedDoc == string(mixed) {
		tb.Fatal("mixed.json has no day rate of 414.80 to raise")
	}
	base = Side{Name: "nu", Book: load(string(mixed)), Data: fixture.Month(customers, visits)}
	return base, Side{Name: "förslag", Book: load(proposedDoc), Data: base.Data}
}

// reportJSON runs the comparison of b and p over months and returns its
// JSON report.
func reportJSON(t testing.TB, b, p Side, months []calendar.Period) string {
	t.Helper()
	c, err := Run(t.Context(), b, p, months, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := c.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}
