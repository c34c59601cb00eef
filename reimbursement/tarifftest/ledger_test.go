package tarifftest

import (
	"context"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// CheckLedger can fail: a settlement with one not-paid entry or one unit
// of a line taken away, or a unit's minutes or days changed, breaks the
// ledger.
func TestCheckLedgerFindsBreaks(t *testing.T) {
	b := book(t, "../testdata/mixed.json", same)
	p := april(t)
	broken := 0
	rapid.Check(t, func(rt *rapid.T) {
		ds := Dataset(Config{Period: p, MaxCustomers: 3}).Draw(rt, "dataset")
		s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true})
		if err != nil {
			rt.Fatal(err)
		}
		if err := CheckLedger(s, ds, b, p); err != nil {
			rt.Fatalf("an untouched settlement: %v", err)
		}
		for i, u := range s.NotPaid {
			if u.Minutes == 0 && u.Days == 0 {
				continue // its record may be accounted elsewhere too
			}
			c := *s
			c.NotPaid = slices.Delete(slices.Clone(s.NotPaid), i, i+1)
			if CheckLedger(&c, ds, b, p) == nil {
				rt.Fatalf("not paid entry %d (%+v) taken away: the ledger still holds", i, u)
			}
			broken++
		}
		for i, l := range s.Lines {
			for j, u := range l.Units {
				if u.Minutes == 0 && u.Days == 0 {
					continue
				}
				c := *s
				c.Lines = slices.Clone(s.Lines)
				c.Lines[i].Units = slices.Clone(l.Units)
				c.Lines[i].Units[j].Minutes += 1
				c.Lines[i].Units[j].Days += 1
				if CheckLedger(&c, ds, b, p) == nil {
					rt.Fatalf("line %d unit %d (%+v) changed: the ledger still holds", i, j, u)
				}
				broken++
			}
		}
	})
	if broken == 0 {
		t.Error("no settlement had anything to break")
	}
}
