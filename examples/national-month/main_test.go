package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// The month streamed from the generator and from its CSV file has the
// totals of the same month settled at once in memory.
func TestStreamedMonthEqualsSettle(t *testing.T) {
	cfg := config{customers: 60, visits: 20, providers: 7, workers: 2}
	loc, _ := time.LoadLocation("Europe/Stockholm")
	april, _ := calendar.Month(2024, time.April, loc)
	g := newGenerator(cfg, april)
	ds := g.shared()
	for i := range cfg.customers {
		c := g.customer(i)
		ds.Customers = append(ds.Customers, c.Customers...)
		ds.Decisions = append(ds.Decisions, c.Decisions...)
		ds.Visits = append(ds.Visits, c.Visits...)
		ds.Absences = append(ds.Absences, c.Absences...)
	}
	v, err := reimbursement.ParseVersion(strings.NewReader(tariff), "tariff.json")
	if err != nil {
		t.Fatal(err)
	}
	book, _ := reimbursement.NewBook(v)
	whole, err := reimbursement.Settle(context.Background(), book, ds, april, reimbursement.Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, csvFile := range []string{"", filepath.Join(t.TempDir(), "besök.csv")} {
		cfg.csv = csvFile
		var out bytes.Buffer
		if err := run(context.Background(), cfg, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if want := "Total " + whole.Total.String() + " kr"; !strings.Contains(out.String(), want) {
			t.Errorf("csv %q: report lacks %q:\n%s", csvFile, want, out.String())
		}
	}
}
