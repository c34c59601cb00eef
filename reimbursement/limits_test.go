package reimbursement

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A rate with arithmetic inside round, on a table lookup, is typed at
// load and pays: 250 kr (styck, tätort) × 15 ÷ 60 = 62.5, rounded to
// 62.50 per visit; one visit of k1 pays 62.50.
func TestArithmeticInsideRound(t *testing.T) {
	b := mustBook(t, doc(`{"name": "x", "strategy": "per_visit", "rate": "round(table(\"styck\", zone) * 15 / 60, 2)"}`))
	ds := data()
	ds.Visits = append(ds.Visits, visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch"))
	s := settle(t, b, ds)
	if diff := cmp.Diff([]row{{"k1", "x", "", "care", "tätort", "", "1", "62.50", "", "62.50"}}, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if len(s.NotPaid) != 0 {
		t.Errorf("not paid: %+v", s.NotPaid)
	}
}

// Table lookups are recorded for explanations without the expression
// seeing anything of it: the same tariff pays the same with and without
// explanations, and explains its lookup.
func TestLookupsRecordedOutsideTheEnvironment(t *testing.T) {
	b := mustBook(t, doc(`{"name": "x", "strategy": "per_visit", "rate": "table(\"styck\", zone)"}`))
	ds := data()
	ds.Visits = append(ds.Visits, visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch"))
	explained := settle(t, b, ds)
	bare, err := Settle(context.Background(), b, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rows(explained), rows(bare)); diff != "" {
		t.Errorf("NoExplain changes the lines (-explained +bare):\n%s", diff)
	}
	if len(explained.Lines) != 1 || len(explained.Lines[0].Explanation.Lookups) != 1 || explained.Lines[0].Explanation.Lookups[0].Table != "styck" {
		t.Errorf("lookups not explained: %+v", explained.Lines)
	}
	for _, src := range []string{`ctx != nil`, `$env != nil`, `zone != "" && ctx == nil`} {
		_, err := ParseVersion(strings.NewReader(doc(`{"name": "x", "strategy": "per_visit", "when": "`+strings.ReplaceAll(src, `"`, `\"`)+`", "rate": "1"}`)), "t.json")
		if err == nil || !strings.Contains(err.Error(), "unknown name") {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// Absence reasons in a tariff are read as datasets read them: one
// canonical spelling, the Swedish names as aliases.
func TestAbsenceReasonsCanonical(t *testing.T) {
	v := mustVersion(t, doc(`{"name": "x", "strategy": "granted_time", "rate": "1",
	  "params": {"absence_ladder": [{"days": 1, "share": "1"}], "absence_reasons": ["sjukhus", "short_term_care", "Korttidsboende"]}}`))
	got := v.components[0].param("absence_reasons").Strings()
	if diff := cmp.Diff([]string{"hospital", "short_term_care", "short_term_care"}, got); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
}

// stacks and instead_of declare how two components share a unit; a when
// that reads task codes leaves the question to settlement.
func TestOverlapDeclarations(t *testing.T) {
	v := mustVersion(t, doc(`{"name": "bas", "strategy": "per_visit", "rate": "1"},
	  {"name": "natt", "strategy": "per_visit", "when": "band == \"natt\"", "rate": "2", "instead_of": ["bas"]},
	  {"name": "tillägg", "strategy": "per_visit", "when": "licensed", "rate": "3", "stacks": true},
	  {"name": "dusch", "strategy": "performed_time", "when": "has_task(tasks, \"Dusch\")", "rate": "4"},
	  {"name": "omsorg", "strategy": "performed_time", "when": "category == \"care\"", "rate": "5"}`))
	c := v.components
	if !c[2].stacks || !cmp.Equal(c[1].insteadOf, []string{"bas"}) {
		t.Errorf("declarations not kept: %+v %+v", c[1], c[2])
	}
	for _, tt := range []struct {
		a, b int
		want bool
	}{{0, 1, false}, {0, 2, false}, {1, 2, false}, {3, 4, true}, {4, 3, true}, {0, 3, false}} {
		if got := v.mayOverlap(c[tt.a], c[tt.b]); got != tt.want {
			t.Errorf("mayOverlap(%s, %s) = %v, want %v", c[tt.a].name, c[tt.b].name, got, tt.want)
		}
	}
	// A care visit with the task Dusch matches dusch and omsorg: paid
	// twice; a night visit matches bas, natt and tillägg, all declared.
	if a, b, ok := v.paidTwice([]*Component{c[3], c[4]}); !ok || a != c[3] || b != c[4] {
		t.Errorf("paidTwice(dusch, omsorg) = %v, %v, %v", a, b, ok)
	}
	if _, _, ok := v.paidTwice([]*Component{c[0], c[1], c[2]}); ok {
		t.Error("declared components reported as paying twice")
	}
}

// A Loader's limits replace the defaults field by field; a zero field
// keeps its default.
func TestLoaderLimits(t *testing.T) {
	src := doc(`{"name": "x", "strategy": "per_visit", "rate": "table(\"styck\", zone) * 1.015"}`)
	if _, err := (Loader{}).ParseVersion(strings.NewReader(src), "t.json"); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tt := range []struct {
		lim  Limits
		want string
	}{
		{Limits{MaxDocumentBytes: 100}, "larger than 100 bytes"},
		{Limits{MaxJSONDepth: 2}, "nested deeper than 2 levels"},
		{Limits{MaxExprBytes: 10}, "bytes long; at most 10"},
		{Limits{MaxFractionDigits: 2}, "has 3 decimal places; at most 2"},
		{Limits{MaxZones: 1}, "2 zones; at most 1"},
		{Limits{MaxTableEntries: 3}, "entries in one table; at most 3"},
		{Limits{MaxCombinations: 3}, "more than 3 lookups"},
	} {
		_, err := (Loader{Limits: tt.lim}).ParseVersion(strings.NewReader(src), "t.json")
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v", tt.lim, err)
		}
	}
}

// A rate the probe could not see (it reads task codes) is checked at
// settlement by checkRate: negative only in a deduction.
func TestCheckRate(t *testing.T) {
	v := mustVersion(t, doc(`{"name": "a", "strategy": "per_visit", "when": "has_task(tasks, \"Dusch\")", "rate": "task == \"Dusch\" ? 0 - 5 : 5"},
	  {"name": "b", "strategy": "performed_time", "rate": "0 - 5", "deduction": true}`))
	a, b := v.components[0], v.components[1]
	if err := a.checkRate(dec("-5")); err == nil {
		t.Error("a negative rate passes in a component that is not a deduction")
	}
	if err := a.checkRate(dec("5")); err != nil {
		t.Error(err)
	}
	if err := b.checkRate(dec("-5")); err != nil {
		t.Error(err)
	}
}

// A tariff of thousands of small tables no expression reads, in a
// thousand zones, each checked combination by combination: the checks
// share one budget, each table's size is counted in one pass over the
// tables, and the zones' set is made once, so a document of 1 MiB is
// refused with the budget spent, allocating little (found by attack:
// 14 221 tables took 25 s and 9.7 GB; then 3.5 s and 869 MB with the
// budget alone). The bound on allocations is wide; the attack's 869 MB
// would break it.
func TestManyTablesShareOneBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"name": "H", "valid_from": "2024-01-01", "source": "h", "currency": "SEK", "zones": [`)
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"z%d"`, i)
	}
	b.WriteString(`], "tables": {`)
	tables := 0
	for b.Len() < 1<<20-400 {
		if tables > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"t%d": {"keys": ["zone", "band", "ownership"], "rates": {"*": {"*": {"*": 1}}}}`, tables)
		tables++
	}
	b.WriteString(`}, "components": [{"name": "u", "strategy": "performed_time", "rate": "1"}]}`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ParseVersion(strings.NewReader(b.String()), "h.json")
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "lookups in all") {
		t.Fatalf("%d tables: %v", tables, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 400<<20 {
		t.Errorf("%d tables allocated %d MB to refuse", tables, alloc>>20)
	}
}

// TestLargestDocumentLimitReads: a limit of the largest int reads the
// document (found by review: MaxDocumentBytes + 1 wrapped around to a
// negative limit, and the document was read as empty).
func TestLargestDocumentLimitReads(t *testing.T) {
	src := doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600"}`)
	if _, err := (Loader{Limits: Limits{MaxDocumentBytes: math.MaxInt}}).ParseVersion(strings.NewReader(src), "test.json"); err != nil {
		t.Errorf("ParseVersion: %v", err)
	}
}
