package invoice

import (
	"bytes"
	"context"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// TestPeppolCookbook builds the invoice basis and the Peppol invoice of
// every settlement of the tariff cookbook — per-unit rounding, absence
// lines, one-off payments, monthly amounts under prorate none, VAT
// compensation by provider attribute — and checks that each basis is its
// provider's total and each invoice keeps every rule the validator checks.
func TestPeppolCookbook(t *testing.T) {
	files, err := filepath.Glob("../../examples/tariff-cookbook/*/tariffs/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cookbook tariffs: %v", err)
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	march, err := calendar.Month(2024, time.March, loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		dir := filepath.Dir(filepath.Dir(f))
		v, err := reimbursement.LoadVersion(os.DirFS(filepath.Dir(f)), filepath.Base(f))
		if err != nil {
			t.Fatal(err)
		}
		book, err := reimbursement.NewBook(v)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := models.ReadDatasetFS(os.DirFS(dir), "dataset.json")
		if err != nil {
			t.Fatal(err)
		}
		s, err := reimbursement.Settle(context.Background(), book, ds, march, reimbursement.Options{NoExplain: true})
		if err != nil {
			t.Fatal(err)
		}
		opts := testOptions()
		opts.Sellers = map[string]Party{}
		for _, p := range ds.Providers {
			opts.Sellers[p.ID] = Party{OrgNumber: "556677-8899", FSkatt: true}
		}
		name := path.Join(filepath.Base(dir), filepath.Base(f))
		bases, err := Build(s, ds, opts)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for i, b := range bases {
			if !b.Total.Equal(s.Providers[i].Amount) {
				t.Errorf("%s %s: basis %s, settlement %s", name, b.Provider, b.Total, s.Providers[i].Amount)
			}
			var buf bytes.Buffer
			inv, err := b.Peppol(PeppolOptions{})
			if err != nil {
				t.Errorf("%s %s: %v", name, b.Provider, err)
				continue
			}
			if err := inv.WriteXML(&buf); err != nil {
				t.Fatal(err)
			}
			if err := Validate(&buf); err != nil {
				t.Errorf("%s %s: %v", name, b.Provider, err)
			}
		}
	}
}
