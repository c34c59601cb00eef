package reimbursement_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// badCase is a tariff of testdata/bad: a template that expands to the
// document, the substrings its error must contain, and whether it is
// hostile (built to cost time or memory).
type badCase struct {
	name    string
	wants   []string
	hostile bool
	doc     []byte
}

// The template functions of testdata/bad, with the delimiters << >>:
// doc gives the test tariff with components (and extra top-level fields),
// head its first lines up to the tables; repeat, entries (n table
// entries), zones (a list of n zones), comps (n components from a format
// given the index and the index modulo 50), wide (a table of n keys each with
// m values at one level, the rest wildcards), replace and truncate build
// hostile documents without storing them.
var badFuncs = template.FuncMap{
	"doc": fixture.Doc,
	"head": func() string {
		d := fixture.Doc("")
		return d[:strings.Index(d, `  "tables"`)]
	},
	"repeat":   strings.Repeat,
	"replace":  func(s, old, new string) string { return strings.Replace(s, old, new, 1) },
	"truncate": func(s string, n int) string { return s[:len(s)-n] },
	"entries": func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"k%d": "1"`, i)
		}
		return b.String()
	},
	"zones": func(n int) string {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"z%d"`, i)
		}
		return b.String() + "]"
	},
	"wide": wideTable,
	"comps": func(n int, format string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(format, i, i%50)
		}
		return strings.Join(parts, ", ")
	},
}

// wideTable returns the rates of a table of keys levels: at each level,
// values-1 values lead by wildcards to a rate and "*" leads to the next
// level, so that the table is small but each level uses values-1 values.
func wideTable(keys, values int) string {
	chain := func(depth int) string {
		return strings.Repeat(`{"*": `, depth) + `"1"` + strings.Repeat("}", depth)
	}
	var level func(i int) string
	level = func(i int) string {
		if i == keys {
			return `"1"`
		}
		var parts []string
		for v := 1; v < values; v++ {
			parts = append(parts, fmt.Sprintf(`"v%d": %s`, v, chain(keys-i-1)))
		}
		parts = append(parts, `"*": `+level(i+1))
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return level(0)
}

func loadBadCases(t testing.TB) []badCase {
	t.Helper()
	files, err := filepath.Glob("testdata/bad/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in testdata/bad: %v", err)
	}
	var out []badCase
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, body, ok := strings.Cut(string(src), "---\n")
		if !ok {
			t.Fatalf("%s: no --- line", f)
		}
		c := badCase{name: strings.TrimSuffix(filepath.Base(f), ".txt")}
		for _, line := range strings.Split(strings.TrimSpace(head), "\n") {
			switch {
			case strings.HasPrefix(line, "want: "):
				c.wants = append(c.wants, strings.TrimPrefix(line, "want: "))
			case line == "hostile":
				c.hostile = true
			default:
				t.Fatalf("%s: unknown header line %q", f, line)
			}
		}
		tmpl, err := template.New(c.name).Delims("<<", ">>").Funcs(badFuncs).Parse(strings.TrimSuffix(body, "\n"))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, nil); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		c.doc = b.Bytes()
		out = append(out, c)
	}
	return out
}

// TestBadTariffs loads every tariff of testdata/bad: each must be refused
// with a *TariffError whose message holds the case's substrings (record,
// field and position). The hostile ones log the time and the memory
// allocated to their refusal, for the record; speed is measured by
// BenchmarkBadTariffs, never asserted.
func TestBadTariffs(t *testing.T) {
	cases := loadBadCases(t)
	if len(cases) < 60 {
		t.Errorf("%d cases; the corpus promises at least 60", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			v, err := reimbursement.ParseVersion(bytes.NewReader(c.doc), "test.json")
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if c.hostile {
				t.Logf("refused a %d-byte document in %v, allocating %d kB", len(c.doc), took, (after.TotalAlloc-before.TotalAlloc)/1024)
			}
			if err == nil || v != nil {
				t.Fatalf("loaded: %v", err)
			}
			var te *reimbursement.TariffError
			if !errors.As(err, &te) {
				t.Errorf("not a *TariffError: %T %v", err, err)
			}
			for _, w := range c.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
			if len(err.Error()) > 4000 {
				t.Errorf("an error of %d bytes", len(err.Error()))
			}
		})
	}
}

// BenchmarkBadTariffs measures the refusal of each hostile tariff.
func BenchmarkBadTariffs(b *testing.B) {
	for _, c := range loadBadCases(b) {
		if !c.hostile {
			continue
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := reimbursement.ParseVersion(bytes.NewReader(c.doc), "test.json"); err == nil {
					b.Fatal("loaded")
				}
			}
		})
	}
}

// FuzzLoadBad fuzzes the loader from the bad corpus (the cases under 64
// kB): it must refuse or load, never panic or hang.
func FuzzLoadBad(f *testing.F) {
	for _, c := range loadBadCases(f) {
		if len(c.doc) < 64<<10 {
			f.Add(c.doc)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		v, err := reimbursement.ParseVersion(bytes.NewReader(doc), "fuzz.json")
		if (v == nil) == (err == nil) {
			t.Fatalf("version %v and error %v", v, err)
		}
	})
}

// FuzzLoadAndSettle loads a fuzzed tariff and, when it loads, settles a
// month of the test dataset with it: no panic, no hang, and the lines sum
// to the totals.
func FuzzLoadAndSettle(f *testing.F) {
	f.Add(fixture.Doc(`{"name": "sol", "strategy": "granted_time", "when": "category == \"service\"", "rate": "table(\"timpris\", category, zone)"}`))
	f.Add(fixture.Doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == \"care\"", "rate": "table(\"band\", band)", "params": {"cap": "granted", "declined_share": "0.5"}}`))
	f.Add(fixture.Doc(`{"name": "besök", "strategy": "per_visit", "when": "licensed", "rate": "round(table(\"styck\", zone) * 15 / 60, 2)"}`))
	f.Add(fixture.Doc(`{"name": "a", "strategy": "per_visit", "rate": "1"}, {"name": "b", "strategy": "per_visit", "rate": "2", "stacks": true}`))
	for _, c := range loadBadCases(f) {
		if len(c.doc) < 16<<10 {
			f.Add(string(c.doc))
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		v, err := reimbursement.ParseVersion(strings.NewReader(doc), "fuzz.json")
		if err != nil {
			return
		}
		b, err := reimbursement.NewBook(v)
		if err != nil {
			return
		}
		ds := fixture.Data()
		ds.Visits = append(ds.Visits,
			fixture.Visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch"),
			fixture.Visit("2024-04-03 22:30", "2024-04-03 23:10", "HSL"))
		s, err := reimbursement.Settle(context.Background(), b, ds, fixture.April2024, reimbursement.Options{})
		if err != nil {
			return // a settlement may refuse data; it must not panic
		}
		if err := s.CheckSums(); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkParseVersionTableSize loads a valid tariff with a price list
// of n entries (a KSI price list by activity): the time per entry must
// not grow with n (loading is linear in the document).
func BenchmarkParseVersionTableSize(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		doc := fixture.Doc(`{"name": "x", "strategy": "per_activity", "rate": "table(\"aktivitet\", ksi)"}`)
		doc = strings.Replace(doc, `"tables": {`, `"tables": {"aktivitet": {"keys": ["ksi"], "rates": {`+badFuncs["entries"].(func(int) string)(n)+`}},`, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := reimbursement.ParseVersion(strings.NewReader(doc), "test.json"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
		})
	}
}
