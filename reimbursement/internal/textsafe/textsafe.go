// Package textsafe makes text from a dataset or a tariff safe to write
// where a reader could be tricked by it: CSV cells that a spreadsheet would
// take for a formula (formula injection, "CSV injection"), and text
// reports a terminal would take control sequences from.
//
// The rule for CSV: only text columns are neutralised, through
// csvdialect.Writer.Text, which applies Cell in the plain dialect and
// guards more in Excel's. Columns the library writes from numbers
// (amounts, quantities, rates, percentages) are never neutralised, so a
// plain negative amount such as -1428.40 stays a number for Excel; those
// columns hold nothing but what Amount.String writes.
package textsafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cell returns s safe as a CSV text cell: a cell that starts with '=',
// '+', '-', '@', a tab or a carriage return is prefixed with an
// apostrophe, so that spreadsheets do not evaluate it (the OWASP advice;
// a spreadsheet opening the file may show the apostrophe). A cell that
// starts with an apostrophe gets one more, so that a program reading the
// cell gets s back by removing one leading apostrophe where there is
// one: "-x" is written '-x, and "'-x" is written with two apostrophes.
// Any other cell is returned as it is.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return "'" + s
	}
	return s
}

// Text returns s with every control character escaped as Go writes it in
// a quoted string (\n, \t, \x1b, \u202e): C0 and C1 controls, DEL and the
// bidirectional formatting characters that reorder what a terminal shows.
// Printable text, Swedish letters included, is returned as it is.
func Text(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || !unsafeRune(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

func needsEscape(s string) bool {
	for _, r := range s {
		if unsafeRune(r) {
			return true
		}
	}
	return false
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}
