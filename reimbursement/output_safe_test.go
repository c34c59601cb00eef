package reimbursement

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// A provider id that a spreadsheet would run as a formula is written as
// text; a negative amount stays a number; a report escapes control
// characters.
func TestOutputIsSafe(t *testing.T) {
	s := &Settlement{Period: "2024-04", Total: AmountOf(decimal.RequireFromString("-12.50")),
		Lines: []Line{{Period: "2024-04", Provider: "=cmd|' /C calc'!A0", Customer: "k\x1b[2J", Component: "-avdrag",
			Quantity: AmountOf(decimal.NewFromInt(-5)), Unit: Minutes, Rate: AmountOf(decimal.RequireFromString("150.00")),
			RateUnit: "kr/h", Divisor: 60, Amount: AmountOf(decimal.RequireFromString("-12.50"))}}}
	var csv bytes.Buffer
	if err := s.WriteCSV(&csv, PlainCSV); err != nil {
		t.Fatal(err)
	}
	row := strings.Split(strings.TrimSpace(csv.String()), "\n")[1]
	for _, want := range []string{`,'=cmd|' /C calc'!A0,`, ",'-avdrag,", ",-5,min,150.00,kr/h,,60,-12.50"} {
		if !strings.Contains(row, want) {
			t.Errorf("CSV row %q lacks %q", row, want)
		}
	}
	var text bytes.Buffer
	if err := s.WriteText(&text, TextOptions{Lines: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), "\x1b") || !strings.Contains(text.String(), `k\x1b[2J`) {
		t.Errorf("report does not escape the control character:\n%s", text.String())
	}
}
