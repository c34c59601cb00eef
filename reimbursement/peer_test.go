package reimbursement

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// TestEngineAgreesWithPeer settles BenchmarkSettle's month under the
// peer's own tariff (testdata/peer.json: performed minutes at the timpris
// of the visit's category and the customer's zone, nothing more) and
// checks the engine against the hand-written peer line by line: the same
// lines, each of the same amount to the öre, and the same total. The two
// share nothing but the month: the peer rounds each visit to the nearest
// minute, adds the minutes per provider, customer and category and prices
// them once (minutes × rate ÷ 60, half up to öre); the engine does what a
// tariff says. So BenchmarkSettle's ratios compare the same arithmetic
// when the engine runs this tariff (its run bulk-peer-tariff).
func TestEngineAgreesWithPeer(t *testing.T) {
	v, err := LoadVersion(os.DirFS("testdata"), "peer.json")
	if err != nil {
		t.Fatal(err)
	}
	book, err := NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	ds := benchDataset(500, 50)
	s, err := Settle(context.Background(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[yardKey]string{}
	for _, l := range s.Lines {
		k := yardKey{l.Provider, l.Customer, l.Category}
		if _, twice := got[k]; twice {
			t.Errorf("two lines of %v", k)
		}
		got[k] = l.Amount.StringFixed(2)
	}
	want := map[yardKey]string{}
	var total decimal.Decimal
	for k, a := range newYardstick(ds).peer() {
		want[k] = a.StringFixed(2)
		total = total.Add(a)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("engine's lines (+) against the peer's (-):\n%s", diff)
	}
	if !s.Total.Decimal.Equal(total) {
		t.Errorf("total %s, peer's %s", s.Total.StringFixed(2), total.StringFixed(2))
	}
	// The month has paid lines of every category the peer prices, and
	// what it leaves out is reported: declined and unapproved visits,
	// listings and alarm events no component of this tariff pays.
	if len(got) < 1000 {
		t.Errorf("%d lines: the month should have over a thousand", len(got))
	}
	for _, u := range s.NotPaid {
		switch u.Reason {
		case Declined, NotApproved, NoComponent:
		default:
			t.Errorf("not paid for another reason: %+v", u)
		}
	}
}
