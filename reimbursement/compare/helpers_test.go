package compare

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

var (
	stockholm = fixture.Stockholm
	april2024 = fixture.April2024
	doc       = fixture.Doc
	data      = fixture.Data
	visit     = fixture.Visit
	d         = calendar.MustParseDate
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// granted pays the granted service and care time at the table rate.
const granted = `{"name": "sol", "strategy": "granted_time", "when": "category in ['service', 'care']",
  "rate": "table('timpris', category, zone)"}`

// haboFees is Håbo's 2024 fee schedule by level of granted hours.
const haboFees = `{
  "name": "Håbo 2024",
  "source": "Håbo kommun, avgifter hemtjänst 2024",
  "levels": [
    {"from_hours": "0", "fee": "386"}, {"from_hours": "5", "fee": "901"}, {"from_hours": "10", "fee": "1416"},
    {"from_hours": "15", "fee": "1802"}, {"from_hours": "25", "fee": "2189"}, {"from_hours": "35", "fee": "2575"}
  ],
  "alarm_fee": "250"
}`

func mustBook(t testing.TB, src string) *reimbursement.Book {
	t.Helper()
	v, err := reimbursement.ParseVersion(strings.NewReader(src), "test.json")
	if err != nil {
		t.Fatalf("ParseVersion: %v", err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatalf("NewBook: %v", err)
	}
	return b
}
