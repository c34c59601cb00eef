package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/reimbursement"
)

func itemUnpaid(version string, r reimbursement.Reason, minutes int64, days int) reimbursement.Unpaid {
	return reimbursement.Unpaid{Kind: reimbursement.RecordDecision, ID: "d1", Item: "Städ", Customer: "k1", Provider: "p1",
		Version: version, Reason: r, Minutes: minutes, Days: days}
}

// A record both sides leave unpaid alike (same reason, same minutes, same
// days) is not listed, even when one side reports it as one entry and the
// other as two (a pause spanning the proposal's change of version,
// 2024-04-16): base Absent 60 min 10 days; proposed Absent 30 min 5 days
// under v1 and 30 min 5 days under v2, i.e. 60 min 10 days. The doc of
// CustomerDiff.NotPaid lists only records left unpaid "otherwise (for
// another reason, or more or fewer minutes or days)".
func TestLargestNotPaidAlikeSplitByVersionNotListed(t *testing.T) {
	c := &Report{Base: "nuvarande", Proposed: "förslag",
		BaseSettlements: []*reimbursement.Settlement{{Period: "2024-04",
			NotPaid: []reimbursement.Unpaid{itemUnpaid("a", reimbursement.Absent, 60, 10)}}},
		ProposedSettlements: []*reimbursement.Settlement{{Period: "2024-04",
			NotPaid: []reimbursement.Unpaid{itemUnpaid("v1", reimbursement.Absent, 30, 5), itemUnpaid("v2", reimbursement.Absent, 30, 5)}}},
		Largest: []CustomerDiff{{Change: Change{Key: "k1"}}},
	}
	c.largestNotPaid(map[string]int{"k1": 0})
	if n := len(c.Largest[0].NotPaid); n != 0 {
		var texts []string
		for _, u := range c.Largest[0].NotPaid {
			texts = append(texts, c.SideUnpaidText(u))
		}
		t.Errorf("%d records listed, want 0 (alike on both sides):\n%s", n, strings.Join(texts, "\n"))
	}
}

// fillReport is a report of one largest change, k1, whose base leaves n
// visits unpaid that the proposal pays, and d1/Städ unpaid otherwise by
// both: absent 60 min, 10 days in the base, no tariff 120 min, 20 days in
// the proposal.
func fillReport(n int) *Report {
	var base []reimbursement.Unpaid
	for i := range n {
		base = append(base, reimbursement.Unpaid{Kind: reimbursement.RecordVisit, ID: fmt.Sprintf("a%d", i), Customer: "k1", Reason: reimbursement.NoComponent})
	}
	base = append(base, itemUnpaid("a", reimbursement.Absent, 60, 10))
	prop := []reimbursement.Unpaid{itemUnpaid("b", reimbursement.NoTariff, 120, 20)}
	return &Report{Base: "nuvarande", Proposed: "förslag",
		BaseSettlements:     []*reimbursement.Settlement{{Period: "2024-04", NotPaid: base}},
		ProposedSettlements: []*reimbursement.Settlement{{Period: "2024-04", NotPaid: prop}},
		Largest:             []CustomerDiff{{Change: Change{Key: "k1"}}},
	}
}

// A record listed for both sides (Otherwise) has its other side beside
// it, never cut in half by maxRecordsShown (found by review: after nine
// visits the base's entry of d1 was the 10th and the proposal's was cut):
// with nine visits the pair does not fit, and it is counted, one record
// more; with eight it fits, both entries last.
func TestLargestNotPaidOtherwisePairNotSplit(t *testing.T) {
	c := fillReport(9)
	c.largestNotPaid(map[string]int{"k1": 0})
	if d := c.Largest[0]; len(d.NotPaid) != 9 || d.NotPaidMore != 1 {
		t.Errorf("nine visits and a pair: %d listed, %d more; want 9 and 1", len(d.NotPaid), d.NotPaidMore)
	}
	c = fillReport(8)
	c.largestNotPaid(map[string]int{"k1": 0})
	d := c.Largest[0]
	if len(d.NotPaid) != 10 || d.NotPaidMore != 0 || !d.NotPaid[8].Otherwise || !d.NotPaid[9].Otherwise ||
		d.NotPaid[8].Side != "base" || d.NotPaid[9].Side != "proposed" {
		var out bytes.Buffer
		_ = c.WriteText(&out)
		t.Errorf("eight visits and a pair: want the pair 9th and 10th, base first\n%s", out.String())
	}
}

// NotPaidMore counts records ("och N poster till som den ena sidan lämnar
// obetalda, eller båda på olika sätt"): ten visits only the base leaves
// unpaid fill the list, and one more record, d1/Städ, is left unpaid
// otherwise by both: one record more, not two.
func TestLargestNotPaidNotPaidMoreCountsRecords(t *testing.T) {
	c := fillReport(10)
	c.largestNotPaid(map[string]int{"k1": 0})
	if got := c.Largest[0].NotPaidMore; got != 1 {
		t.Errorf("NotPaidMore = %d, want 1 (one record, d1/Städ, more)", got)
	}
}

// The CSV's largest_not_paid rows say "base and proposed: 1 where that
// side leaves it unpaid, else 0": a record both sides leave unpaid
// otherwise has 1 in both columns on each of its rows (else the base's
// row reads "unpaid in base, paid in proposed", and the proposal's the
// opposite, with nothing in the row to say otherwise).
func TestLargestNotPaidCSVOtherwiseColumns(t *testing.T) {
	c := &Report{Base: "nuvarande", Proposed: "förslag",
		BaseSettlements:     []*reimbursement.Settlement{{Period: "2024-04", NotPaid: []reimbursement.Unpaid{itemUnpaid("a", reimbursement.Absent, 60, 10)}}},
		ProposedSettlements: []*reimbursement.Settlement{{Period: "2024-04", NotPaid: []reimbursement.Unpaid{itemUnpaid("b", reimbursement.NoTariff, 120, 20)}}},
		Largest:             []CustomerDiff{{Change: Change{Key: "k1"}}},
	}
	c.largestNotPaid(map[string]int{"k1": 0})
	var out bytes.Buffer
	if err := c.WriteCSV(&out, reimbursement.PlainCSV); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(line, "largest_not_paid,") {
			continue
		}
		if !strings.Contains(line, ",1,1,0,") {
			t.Errorf("row %q: want base 1, proposed 1 (both sides leave d1/Städ unpaid), difference 0", line)
		}
	}
}

// End to end: m1's Tillsyn (d1, 10 min a day) is paused by a hospital
// stay 11–20 April. Neither tariff pays an absence (no ladder): the base,
// one version, leaves it unpaid 10 days, 100 min; the proposal, whose
// second version starts 16 April, 5 days, 50 min under each: 10 days,
// 100 min, for the same reason. Alike: not a record to list.
func TestLargestNotPaidAlikeSplitByVersionEndToEnd(t *testing.T) {
	raw, err := os.ReadFile("testdata/split/notpaid.json")
	if err != nil {
		t.Fatal(err)
	}
	var ds map[string]any
	if err := json.Unmarshal(raw, &ds); err != nil {
		t.Fatal(err)
	}
	ds["absences"] = []any{map[string]any{"id": "x1", "customer": "m1", "from": "2024-04-11", "to": "2024-04-20", "reason": "hospital"}}
	out, _ := json.Marshal(ds)
	c := splitRun(t, "proposed", fstest.MapFS{"d.json": {Data: out}}, "d.json")
	for _, l := range c.Largest {
		for _, u := range l.NotPaid {
			if u.Unpaid.Customer == "m1" && u.Unpaid.ID == "d1" {
				t.Errorf("listed: %s", c.SideUnpaidText(u))
			}
		}
	}
	// The premise: the same pause, one entry under the base's one
	// version, one under each of the proposal's (10 min a day, 11–20
	// April: 100 min, 10 days; 5 days either side of the 16th).
	var got []string
	for _, s := range [][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
		for _, u := range s[0].NotPaid {
			if u.ID == "d1" && u.Customer == "m1" {
				got = append(got, fmt.Sprintf("%s %s %d min %d days", u.Version, u.Reason, u.Minutes, u.Days))
			}
		}
	}
	want := []string{"Exempelstad 2024 absent 100 min 10 days", "Exempelstad 2024 absent 50 min 5 days", "Exempelstad 2024 rev absent 50 min 5 days"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the pause's entries (-want +got):\n%s", d)
	}
}
