// Package csvdialect writes the two CSV dialects of the module's outputs:
// plain for programs (commas and RFC 4180's quoting, decimal points,
// UTF-8 without a byte-order mark, LF line ends) and what Swedish Excel opens with a
// double click (semicolons, decimal commas, UTF-8 with a byte-order mark
// so that å, ä and ö survive, CRLF line ends). Package reimbursement,
// invoice and compare write their tables through it, so that the
// dialects are one thing.
//
// A cell is a number or text, and the writer is told which: numbers go
// through Number, text through Text. Excel reads a cell as it reads what
// is typed into it, so text that looks like a number, a date, a time or a
// truth value would be changed on opening: the customer "000123" would
// become 123, "191212121212" 1,91212E+11, and the period "2024-04" and
// the label "12 maj" dates. In the Excel dialect Text writes such
// text as a formula that gives the text back, ="000123", which Excel shows
// as 000123 and keeps as text; text a spreadsheet would take for a formula
// of its own (formula injection) is written the same way, so that the
// cell shows what the data holds and runs nothing. In the plain dialect
// text is written as it is, but for the formula-injection guard of
// textsafe.Cell (a leading apostrophe), which programs reading the file
// are told of.
package csvdialect

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hemtjanst/ersattning/reimbursement/internal/textsafe"
)

// Writer is a csv.Writer of one dialect.
type Writer struct {
	*csv.Writer
	excel bool
	// formulas holds the cells Text made formulas of, by text, since it
	// was last emptied: a table writes the same period, zone and ids on
	// row after row. Only the Excel dialect has one.
	formulas map[string]string
}

// maxFormulas bounds Writer.formulas (a full table is emptied), and
// maxRemembered is the longest text it remembers: a long text is seldom
// met again.
const (
	maxFormulas   = 1024
	maxRemembered = 64
)

// NewWriter returns a Writer of the dialect to w; for Excel it first
// writes the byte-order mark.
func NewWriter(w io.Writer, excel bool) (*Writer, error) {
	cw := csv.NewWriter(w)
	if excel {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
		cw.Comma, cw.UseCRLF = ';', true
	}
	dw := &Writer{Writer: cw, excel: excel}
	if excel {
		dw.formulas = make(map[string]string)
	}
	return dw, nil
}

// Number returns a decimal number (an amount, whose String writes it with
// a point: "-12.50") as the dialect writes it: for Excel with a decimal
// comma ("-12,50").
func (w *Writer) Number(n fmt.Stringer) string {
	if w.excel {
		return strings.Replace(n.String(), ".", ",", 1)
	}
	return n.String()
}

// Text returns the text s as the dialect writes a text cell. Plain: s,
// with the leading apostrophe of textsafe.Cell where a spreadsheet would
// take it for a formula. Excel: s as it is where Excel keeps it as text;
// where Excel would read it as a number, date, time, truth value or error
// value, or as a formula, or might take a leading apostrophe of it for a
// mark of text, the formula ="s" (its quotes doubled, cut into string
// constants of at most excelConstant UTF-16 code units joined by &),
// which Excel shows as s. A text too long for a formula (excelFormula)
// gets a leading apostrophe instead, as textsafe.Cell gives one (the
// OWASP advice), so that it is not evaluated; Excel may show the
// apostrophe. A carriage return, which the Excel dialect's writer leaves
// out of a cell (its line ends are CRLF; see csv.Writer.UseCRLF), is
// left out before the text is judged, so that "000123\r" is judged as
// the 000123 the file holds.
func (w *Writer) Text(s string) string {
	if !w.excel {
		return textsafe.Cell(s)
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r", "")
	}
	if !excelReads(s) {
		return s
	}
	if f, ok := w.formulas[s]; ok {
		return f
	}
	f, ok := textFormula(s)
	if !ok {
		f = "'" + s
	}
	if len(s) <= maxRemembered {
		if len(w.formulas) >= maxFormulas {
			clear(w.formulas)
		}
		w.formulas[s] = f
	}
	return f
}

// excelConstant is the most characters (UTF-16 code units, as Excel
// counts them) in a string constant of an Excel formula (255), and
// excelFormula the most textFormula writes in a formula, which Excel
// allows 8192: it counts the quotes and ampersands it adds, and keeps a
// margin.
const (
	excelConstant = 255
	excelFormula  = 8000
)

// textFormula returns the Excel formula whose value is the text s, and
// false when it would be too long for Excel.
func textFormula(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s) + 4)
	b.WriteString(`="`)
	units, inConstant := 2, 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		n := 1 // UTF-16 code units of r, and of its quote doubled
		if r >= 0x10000 {
			n = 2
		}
		if r == '"' {
			n = 2
		}
		if inConstant+n > excelConstant {
			b.WriteString(`"&"`)
			units += 3
			inConstant = 0
		}
		if r == '"' {
			b.WriteString(`""`)
		} else {
			b.WriteString(s[i : i+size]) // the bytes of s, invalid UTF-8 too
		}
		i += size
		inConstant += n
		if units += n; units > excelFormula {
			return "", false
		}
	}
	b.WriteByte('"')
	return b.String(), true
}

// excelReads reports whether Excel, opening the file, would read the
// text s as something other than that text: a formula (it starts with =,
// +, -, @, a tab or a line break), a text whose leading apostrophe Excel
// might take for its mark of text and hide (it starts with one), an error value such as
// #SAKNAS! or #N/A (it starts with #), a truth value (SANT, FALSKT, TRUE,
// FALSE in any case), or a number, date or time. The last is judged
// broadly, since a text kept as text loses nothing: s has an ASCII digit
// and nothing but digits, white space, the punctuation of numbers, dates,
// times, fractions, percentages and currencies, and words that are month
// names (Swedish or English, whole or cut short), the exponent e, am, pm,
// fm, em, kr or sek. "k1", "v000123" and "hemtjänst" are read as text;
// "000123", "2024-04", "1,5", "3 dec" and "12:30" are not.
func excelReads(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n', '\'', '#':
		return true
	}
	if t := strings.TrimSpace(s); len(t) <= len("falskt") {
		for _, w := range [...]string{"sant", "falskt", "true", "false"} {
			if strings.EqualFold(t, w) {
				return true
			}
		}
	}
	digit := false
	for i := 0; i < len(s) && !digit; i++ {
		digit = s[i] >= '0' && s[i] <= '9'
	}
	if !digit {
		return false // most text: no number, date or time without a digit
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
		case strings.ContainsRune(" .,:/-+%()$€£'\u00a0\u202f\u2212", r):
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r, m := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) {
					break
				}
				j += m
			}
			if !dateWord(s[i:j]) {
				return false
			}
			n = j - i
		default:
			return false
		}
		i += n
	}
	return true
}

// dateWord reports whether the word w, in any case, may be part of a
// number, date or time as Excel reads one. The words are ASCII, none
// longer than "september": a longer word, or one with another letter, is
// none of them.
func dateWord(w string) bool {
	var buf [len("september")]byte
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	lower := buf[:len(w)]
	switch string(lower) {
	case "e", "am", "pm", "fm", "em", "kr", "sek":
		return true
	}
	if len(lower) < 3 {
		return false
	}
	for _, m := range months {
		if len(m) >= len(lower) && m[:len(lower)] == string(lower) { // compared, not converted
			return true
		}
	}
	return false
}

// months are the names of the months in Swedish and English; Excel
// reads a name cut short to three letters or more.
var months = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
	"november", "december", "january", "february", "march", "may", "june", "july", "august", "october"}
