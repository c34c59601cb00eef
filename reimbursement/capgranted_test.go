package reimbursement

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// A cap of the granted minutes alone is taken from the environment
// without running its program; any other is run. The fast path must pay
// what the machine would: the same month under "granted" and under
// "granted * 1" (run by the machine, the same value) gives the same lines
// and records not paid, explained, on a month whose customers both stay
// within their granted time and exceed it.
func TestCapGrantedAsRun(t *testing.T) {
	for src, want := range map[string]bool{"granted": true, " ( granted ) ": true, "granted * 1": false,
		"granted + 0": false, "min(granted, 600)": false} {
		v, err := ParseVersion(strings.NewReader(fixture.Doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "`+src+`"}}`)), "cap.json")
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := v.components[0].param("cap").granted; got != want {
			t.Errorf("cap %q: taken as granted alone %v, want %v", src, got, want)
		}
	}
	settle := func(capSrc string) *Settlement {
		v, err := ParseVersion(strings.NewReader(fixture.Doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category in ['care', 'service']", "rate": "table('timpris', category, zone)", "params": {"cap": "`+capSrc+`", "declined_share": "0.5"}}`)), "cap.json")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := NewBook(v)
		s, err := Settle(context.Background(), b, fixture.Month(300, 40), april2024, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	fast, run := settle("granted"), settle("granted * 1")
	capped := 0
	for _, u := range run.NotPaid {
		if u.Reason == AboveCap {
			capped++
		}
	}
	if capped == 0 {
		t.Fatal("no customer beyond the cap: the test compares nothing capped")
	}
	for i := range run.Lines {
		run.Lines[i].Explanation, fast.Lines[i].Explanation = nil, nil // the cap's source differs
	}
	for i := range run.NotPaid {
		run.NotPaid[i].Detail, fast.NotPaid[i].Detail = "", ""
	}
	if d := cmp.Diff(run.Lines, fast.Lines); d != "" {
		t.Errorf("lines (-run +granted alone):\n%s", d)
	}
	if d := cmp.Diff(run.NotPaid, fast.NotPaid); d != "" {
		t.Errorf("not paid (-run +granted alone):\n%s", d)
	}
	if !run.Total.Equal(fast.Total) {
		t.Errorf("total %s, granted alone %s", run.Total, fast.Total)
	}
}
