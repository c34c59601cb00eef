package reimbursement

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the machine's zoneinfo

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
	"github.com/hemtjanst/ersattning/models"
)

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return loc
}()

// april2024 is the month most tests settle: 30 days, Easter Monday on the
// 1st, no clock change.
var april2024, _ = calendar.Month(2024, time.April, stockholm)

// doc returns a tariff document with the test header, tables and the
// given components (a JSON array's contents) and extra top-level fields.
func doc(components string, extra ...string) string {
	var b strings.Builder
	b.WriteString(`{
  "name": "Test 2024",
  "valid_from": "2024-01-01",
  "source": "test",
  "currency": "SEK",
  "zones": ["tätort", "landsbygd"],
  "tables": {
    "timpris": {"keys": ["category", "zone"], "rates": {
      "service": {"tätort": "439.00", "landsbygd": "470.00"},
      "care": {"tätort": "448.00", "landsbygd": "480.00"},
      "delegated_hsl": {"*": "448.00"}}},
    "band": {"keys": ["band"], "rates": {"dag": "400", "kväll": "450", "natt": "500", "helg": "475"}},
    "styck": {"keys": ["zone"], "rates": {"tätort": "250", "landsbygd": "310"}},
    "månad": {"keys": [], "rates": "1200"}
  },
`)
	for _, e := range extra {
		b.WriteString("  " + e + ",\n")
	}
	b.WriteString(`  "components": [` + components + "]\n}")
	return b.String()
}

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

// data builds a dataset with the standard tasks, two providers and
// customers k1 (tätort) and k2 (landsbygd).
func data() *models.Dataset {
	visitSeq = 0
	return &models.Dataset{
		Tasks: []models.LocalTask{
			{Local: "Städ", Category: models.Service},
			{Local: "Dusch", Category: models.Care},
			{Local: "Tillsyn", Category: models.Care},
			{Local: "HSL", Category: models.DelegatedHSL},
			{Local: "Besök", Category: models.HomeHealthCare},
		},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}, {ID: "k2", Zone: "landsbygd"}},
		Providers: []models.Provider{
			{ID: "egen", Name: "Egen regi", Ownership: models.OwnOperation},
			{ID: "priv", Name: "Privat AB", Ownership: models.Private},
		},
	}
}

// at parses a Stockholm wall time.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, stockholm)
	if err != nil {
		panic(err)
	}
	return t
}

var d = calendar.MustParseDate

var visitSeq int

// visit returns an approved visit of k1 with egen; opts edit it.
func visit(from, to, task string, opts ...func(*models.Visit)) models.Visit {
	visitSeq++
	v := models.Visit{ID: fmt.Sprintf("v%03d", visitSeq), Customer: "k1", Provider: "egen",
		Start: at(from), End: at(to), Tasks: []string{task}, Role: models.CareStaff, Approved: true}
	for _, o := range opts {
		o(&v)
	}
	return v
}

func settle(t testing.TB, b *Book, ds *models.Dataset) *Settlement {
	t.Helper()
	s, err := Settle(b, ds, april2024, Options{})
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
			f = plain(*l.Factor)
		}
		out = append(out, row{l.Customer, l.Component, l.Kind, l.Category, l.Zone, l.Band,
			plain(l.Quantity), plain(l.Rate), f, plain(l.Amount)})
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
