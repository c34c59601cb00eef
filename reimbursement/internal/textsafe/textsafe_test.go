package textsafe

import (
	"strings"
	"testing"
)

func TestCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"k1", "k1"},
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+46", "'+46"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{"'-x", "''-x"},
		{"'", "''"},
		{"Åsa", "Åsa"},
	} {
		if got := Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hemtjänst Åre", "Hemtjänst Åre"},
		{"a\nb", `a\nb`},
		{"a\tb", `a\tb`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"abc\u202egnp.exe", `abc\u202egnp.exe`},
		{"\u0085", `\u0085`},
		{"\x7f", `\x7f`},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\x1b[2J", "\u202e", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		for _, r := range got {
			if r != 0xFFFD && unsafeRune(r) {
				t.Fatalf("Text(%q) = %q keeps control %U", s, got, r)
			}
		}
	})
}

// Cell never leaves a formula's first character, changes nothing but by
// one leading apostrophe, and a reader removing one leading apostrophe
// gets the text back.
func FuzzCell(f *testing.F) {
	for _, s := range []string{"", "=1+1", "-12.50", "k1", "\t=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Cell(s)
		if got != s && got != "'"+s {
			t.Fatalf("Cell(%q) = %q", s, got)
		}
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Fatalf("Cell(%q) = %q starts a formula", s, got)
		}
		if back, _ := strings.CutPrefix(got, "'"); back != s {
			t.Fatalf("Cell(%q) = %q reads back as %q", s, got, back)
		}
	})
}
