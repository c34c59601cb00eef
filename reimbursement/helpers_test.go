package reimbursement

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the machine's zoneinfo

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

var (
	stockholm = fixture.Stockholm
	april2024 = fixture.April2024
	doc       = fixture.Doc
	data      = fixture.Data
	at        = fixture.At
	visit     = fixture.Visit
)

func mustVersion(t testing.TB, src string) *Version {
	t.Helper()
	v, err := ParseVersion(strings.NewReader(src), "test.json")
	if err != nil {
		t.Fatalf("ParseVersion: %v", err)
	}
	return v
}

func mustBook(t testing.TB, srcs ...string) *Book {
	t.Helper()
	var vs []*Version
	for _, s := range srcs {
		vs = append(vs, mustVersion(t, s))
	}
	b, err := NewBook(vs...)
	if err != nil {
		t.Fatalf("NewBook: %v", err)
	}
	return b
}

var d = calendar.MustParseDate

func settle(t testing.TB, b *Book, ds *models.Dataset) *Settlement {
	t.Helper()
	s, err := Settle(context.Background(), b, ds, april2024, Options{})
	if err != nil {
		t.Fatalf("Settle: %v", err)
	}
	return s
}

// row is a line in comparable form.
type row struct {
	Customer, Component, Kind, Category, Zone, Band string
	Quantity, Rate, Factor, Amount                  string
}

func rows(s *Settlement) []row {
	var out []row
	for _, l := range s.Lines {
		f := ""
		if l.Factor != nil {
			f = l.Factor.String()
		}
		out = append(out, row{l.Customer, l.Component, l.Kind.String(), categoryText(l.Category), l.Zone, l.Band,
			l.Quantity.String(), l.Rate.String(), f, l.Amount.String()})
	}
	return out
}

// unpaidRow is an Unpaid in comparable form.
type unpaidRow struct {
	ID      string
	Reason  Reason
	Minutes int64
}

func unpaid(s *Settlement) []unpaidRow {
	var out []unpaidRow
	for _, u := range s.NotPaid {
		out = append(out, unpaidRow{u.ID, u.Reason, u.Minutes})
	}
	return out
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func timeMinutes(m int) time.Duration { return time.Duration(m) * time.Minute }

func ksiLocal(code, category string) models.LocalTask {
	c, _ := models.ParseCategory(category)
	return models.LocalTask{Local: code, Category: c}
}

func indexOf(s, sub string) int { return strings.Index(s, sub) }

func containsStep(steps []string, sub string) bool {
	for _, s := range steps {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func ksiCode(s string) ksi.Code { return ksi.MustParse(s) }
