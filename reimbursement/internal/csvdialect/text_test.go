package csvdialect

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"pgregory.net/rapid"
)

func excelWriter(t testing.TB) *Writer {
	w, err := NewWriter(io.Discard, true)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestText: the cells each dialect writes for a text, worked by hand.
func TestText(t *testing.T) {
	ones := func(n int) string { return strings.Repeat("1", n) }
	for _, tc := range []struct{ in, plain, excel string }{
		{"", "", ""},
		{"k1", "k1", "k1"},
		{"v000123", "v000123", "v000123"},
		{"Tyresö", "Tyresö", "Tyresö"},
		{"Huddinge 2021", "Huddinge 2021", "Huddinge 2021"},
		{"kr/h", "kr/h", "kr/h"},
		// Excel would drop the zeros, make dates, numbers and truth
		// values of these: in its dialect a formula gives the text back.
		{"000123", "000123", `="000123"`},
		{"191212121212", "191212121212", `="191212121212"`},
		{"2024-04", "2024-04", `="2024-04"`},
		{"3 dec", "3 dec", `="3 dec"`},
		{"apr-24", "apr-24", `="apr-24"`},
		{"12:30", "12:30", `="12:30"`},
		{"1,5", "1,5", `="1,5"`},
		{"50 %", "50 %", `="50 %"`},
		{"1\u00a0234,50 kr", "1\u00a0234,50 kr", "=\"1\u00a0234,50 kr\""},
		{"SANT", "SANT", `="SANT"`},
		// Formula injection: plain gets textsafe's apostrophe, Excel a
		// formula whose string constant holds the text, quotes doubled.
		{"=1+1", "'=1+1", `="=1+1"`},
		{`=HYPERLINK("http://x")`, `'=HYPERLINK("http://x")`, `="=HYPERLINK(""http://x"")"`},
		{"-5", "'-5", `="-5"`},
		{"@SUM(A1)", "'@SUM(A1)", `="@SUM(A1)"`},
		// Excel might take a leading apostrophe for its mark of text,
		// and reads #SAKNAS! as an error value.
		{"'x", "''x", `="'x"`},
		{"#SAKNAS!", "#SAKNAS!", `="#SAKNAS!"`},
		// The Excel dialect's writer leaves a carriage return out of a
		// cell (CRLF line ends): the text is judged without it.
		{"000123\r", "000123\r", `="000123"`},
		{"k1\r", "k1\r", "k1"},
		// Invalid UTF-8 is written as it is, in a formula too.
		{"=\xff", "'=\xff", "=\"=\xff\""},
		{"19121212-1212", "19121212-1212", `="19121212-1212"`},
		// A string constant holds at most 255 characters: 300 digits are
		// two constants joined by &, 255 and 45.
		{ones(300), ones(300), `="` + ones(255) + `"&"` + ones(45) + `"`},
		// A text too long for a formula gets the apostrophe.
		{ones(9000), ones(9000), "'" + ones(9000)},
	} {
		plain, err := NewWriter(io.Discard, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := plain.Text(tc.in); got != tc.plain {
			t.Errorf("plain Text(%.40q) = %.60q, want %.60q", tc.in, got, tc.plain)
		}
		if got := excelWriter(t).Text(tc.in); got != tc.excel {
			t.Errorf("Excel Text(%.40q) = %.60q, want %.60q", tc.in, got, tc.excel)
		}
	}
}

// excelValue is the text Excel shows for a cell the Excel dialect
// wrote: the value of a formula of string constants joined by &, or the
// cell itself, which must then be one Excel keeps as text by excelReads,
// whose judgement TestExcelReads holds to cases worked by hand (here it
// only tells the formulas apart from the rest). The apostrophe of a text
// too long for a formula is not decoded: TestText has that case. It
// fails on a formula Excel would refuse: a constant of over 255 UTF-16
// code units, or a formula of over 8192.
func excelValue(t *rapid.T, cell string) string {
	switch {
	case !strings.HasPrefix(cell, `="`):
		if excelReads(cell) {
			t.Fatalf("cell %q is left for Excel to read as other than text", cell)
		}
		return cell
	}
	if n := len(utf16.Encode([]rune(cell))); n > 8192 {
		t.Fatalf("formula of %d code units", n)
	}
	var b strings.Builder
	rest := cell[1:]
	for {
		if !strings.HasPrefix(rest, `"`) {
			t.Fatalf("formula %q: want a string constant at %q", cell, rest)
		}
		rest = rest[1:]
		var constant strings.Builder
		for {
			i := strings.IndexByte(rest, '"')
			if i < 0 {
				t.Fatalf("formula %q: unterminated constant", cell)
			}
			constant.WriteString(rest[:i])
			rest = rest[i+1:]
			if !strings.HasPrefix(rest, `"`) {
				break
			}
			constant.WriteByte('"')
			rest = rest[1:]
		}
		if n := len(utf16.Encode([]rune(constant.String()))); n > 255 {
			t.Fatalf("formula %q: a constant of %d code units", cell, n)
		}
		b.WriteString(constant.String())
		if rest == "" {
			return b.String()
		}
		if !strings.HasPrefix(rest, "&") {
			t.Fatalf("formula %q: want & at %q", cell, rest)
		}
		rest = rest[1:]
	}
}

// TestTextShowsTheText: whatever the text, the cell the Excel dialect
// writes for it shows that text in Excel, and starts with no character
// that makes a formula of it but its own formula's ="; a plain cell is
// the text, or the text after textsafe's apostrophe.
func TestTextShowsTheText(t *testing.T) {
	w := excelWriter(t)
	plain, _ := NewWriter(io.Discard, false)
	// Texts like those of the data, and any text at all.
	looks := rapid.OneOf(
		rapid.StringMatching(`[-=+@' ]?[0-9 .,:/%()-]{0,12}( ?(jan|maj|okt|dec|kr|e|am)( ?[0-9]{1,4})?)?`),
		rapid.StringMatching(`[a-zåäö"=]{0,3}[0-9"]{0,300}`),
		rapid.String(),
	)
	rapid.Check(t, func(t *rapid.T) {
		s := strings.ReplaceAll(looks.Draw(t, "text"), "\r", "") // the writer leaves CR out
		cell := w.Text(s)
		if got := excelValue(t, cell); got != s {
			t.Fatalf("Excel cell %q shows %q, want %q", cell, got, s)
		}
		if cell != "" && strings.ContainsRune("=+-@\t\r\n", rune(cell[0])) && !strings.HasPrefix(cell, `="`) {
			t.Fatalf("Excel cell %q would be a formula of the data's", cell)
		}
		want := s
		if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
			want = "'" + s
		}
		if p := plain.Text(s); p != want {
			t.Fatalf("plain cell %q of %q, want %q", p, s, want)
		}
	})
}

// TestExcelReads: what Excel would read as other than text, by hand.
func TestExcelReads(t *testing.T) {
	for in, want := range map[string]bool{
		"": false, "k1": false, "v000123": false, "hemtjänst": false, "Tyresö": false, "maj": false, "0x1F": false,
		"Huddinge 2021": false, "kl 10": false, "1_000": false, "care": false, "min": false,
		"000123": true, "2024-04": true, "1,5": true, "1.5": true, "3 dec": true, "12 maj 2024": true, "12:30": true,
		"10 kr": true, "1e5": true, "(12)": true, "1/2": true, "sant": true, "Falskt": true, "-x": true, "+46": true,
		"=A1": true, "@x": true, "\tx": true, "'x": true, "#N/A": true, "E000123": true, "1 234:-": true, "−5": true,
		"Zon 1": false, "Majorna": false, "visit:t3-v01": false, "2024-04-01T10:30": false, "556677-8899": true,
	} {
		if got := excelReads(in); got != want {
			t.Errorf("excelReads(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestTextRemembers: a writer that remembers its formulas (and empties
// its table when full) gives every text the cell a new writer gives it.
func TestTextRemembers(t *testing.T) {
	w := excelWriter(t)
	for round := range 2 {
		for i := range 3 * maxFormulas {
			s := fmt.Sprintf("%06d", i)
			if got, want := w.Text(s), excelWriter(t).Text(s); got != want {
				t.Fatalf("round %d: Text(%q) = %q, want %q", round, s, got, want)
			}
		}
	}
	if len(w.formulas) > maxFormulas {
		t.Errorf("%d formulas remembered, at most %d", len(w.formulas), maxFormulas)
	}
}
