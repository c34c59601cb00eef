package tarifftest

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
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

// A visit across midnight into the day a version takes over can be
// accounted for under one version and covered by granted time under the
// other. Here the service decision starts on 10 April with the new
// version: the visit's 10 minutes of the 9th are reported (no decision),
// its 10 of the 10th are granted time's. CheckLedger used to want all 20
// or none.
func TestCheckLedgerVisitAcrossVersions(t *testing.T) {
	src, _ := os.ReadFile("../testdata/mixed.json")
	v1src := strings.Replace(string(src), `"valid_from": "2024-01-01",`, `"valid_from": "2024-01-01", "valid_to": "2024-04-09",`, 1)
	v2src := strings.Replace(strings.Replace(string(src), `"valid_from": "2024-01-01",`, `"valid_from": "2024-04-10",`, 1), `"Blandad 2024"`, `"Blandad april"`, 1)
	v1, err := reimbursement.ParseVersion(strings.NewReader(v1src), "v1.json")
	if err != nil {
		t.Fatal(err)
	}
	v2, err := reimbursement.ParseVersion(strings.NewReader(v2src), "v2.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := reimbursement.NewBook(v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	p := april(t)
	loc := p.Location
	ds := &models.Dataset{Tasks: DefaultTasks,
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "p1", Name: "U", Ownership: models.OwnOperation}},
		Decisions: []models.Decision{{ID: "d1", Customer: "k1", Provider: "p1", ValidFrom: calendar.MustParseDate("2024-04-10"), ExecutionStarted: calendar.MustParseDate("2024-04-10"),
			Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, Minutes: 60, Times: 2, Per: models.PerMonth}}}},
		Visits: []models.Visit{{ID: "v1", Customer: "k1", Provider: "p1", Start: time.Date(2024, 4, 9, 23, 50, 0, 0, loc), End: time.Date(2024, 4, 10, 0, 10, 0, 0, loc),
			Tasks: []string{"Städ"}, Role: models.CareStaff, Approved: true}},
	}
	s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckLedger(s, ds, b, p); err != nil {
		t.Fatal(err)
	}
}
