package reimbursement

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
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

// Nil settlements, lines, writers and books give errors or nothing, as
// WriteCSV's did, never a panic (found by attack: WriteText, CheckSums,
// VersionOn, VisitMinutes with no location and a nil Writer panicked, and
// WriteJSON wrote "null").
func TestNilIsSafe(t *testing.T) {
	var s *Settlement
	var l *Line
	var lw *Writer
	var b *Book
	for name, err := range map[string]error{
		"WriteJSON":               s.WriteJSON(io.Discard),
		"WriteJSON to nil":        (&Settlement{}).WriteJSON(nil),
		"WriteText":               s.WriteText(io.Discard, TextOptions{}),
		"WriteText to nil":        (&Settlement{}).WriteText(nil, TextOptions{}),
		"CheckSums":               s.CheckSums(),
		"WriteExplanation":        l.WriteExplanation(io.Discard),
		"WriteExplanation to nil": (&Line{}).WriteExplanation(nil),
		"Writer.Write":            lw.Write(&Settlement{}),
	} {
		if err == nil {
			t.Errorf("%s of nil: no error", name)
		}
	}
	if v := b.VersionOn(calendar.MustParseDate("2024-04-01")); v != nil {
		t.Errorf("VersionOn of a nil book: %v", v)
	}
	if m, ok := (&Book{}).VisitMinutes(&models.Visit{}, nil); m != 0 || ok {
		t.Errorf("VisitMinutes without a location: %d, %v", m, ok)
	}
	if m, ok := (&Book{}).VisitMinutes(nil, time.UTC); m != 0 || ok {
		t.Errorf("VisitMinutes without a visit: %d, %v", m, ok)
	}
}
