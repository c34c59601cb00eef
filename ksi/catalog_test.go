package ksi

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestLoadCatalog(t *testing.T) {
	// A Swedish spreadsheet export: semicolons, a byte-order mark, an
	// extra column.
	in := "\ufeffKSI-kod;Titel;Beskrivning;Version\n" +
		"SME PH ZZ;Färdighetsträning i att klä sig;Träning;2022\n" +
		"\n" +
		"sme rb zz;Praktiskt stöd att klä sig;;2022\n"
	c, err := LoadCatalog(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Code: MustParse("SME PH ZZ"), Title: "Färdighetsträning i att klä sig", Description: "Träning"},
		{Code: MustParse("SME RB ZZ"), Title: "Praktiskt stöd att klä sig"},
	}
	if diff := cmp.Diff(want, c.Entries()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if e, ok := c.Lookup(MustParse("SMERBZZ")); !ok || e.Title != "Praktiskt stöd att klä sig" {
		t.Errorf("Lookup = %+v, %v", e, ok)
	}
}

func TestLoadCatalogErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"no title column", "kod,x\nSME PH ZZ,a\n", []string{"cat.csv:1: header lacks title"}},
		{"bad code and duplicate", "kod,titel\nSME PH ZZ,a\nSME PH Z,b\nsme ph zz,c\nSME RB ZZ,\n", []string{
			`cat.csv:3: kod: ksi: invalid KSI code "SME PH Z"`,
			"cat.csv:4: kod: SME PH ZZ given twice (first on line 2)",
			"cat.csv:5: titel: empty title",
		}},
		{"empty", "# only a comment\n", []string{"no header row"}},
		{"short row", "kod,titel,nivå\nSME PH ZZ,a\n", []string{"cat.csv:2: nivå: the record ends with its field 2, where the header has 3 columns"}},
		{"long row", "kod,titel\nSME PH ZZ,a,b\n", []string{"cat.csv:2: field 3 of the record has no column: the header has 2"}},
		// A column named with a terminal's escape sequence is quoted.
		{"odd column", "kod,titel,n\x1b[2Jx\nSME PH ZZ,a\n", []string{`cat.csv:2: "n\x1b[2Jx": the record ends`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCatalogFS(fstest.MapFS{"cat.csv": {Data: []byte(tt.in)}}, "cat.csv")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain %q", err, w)
				}
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("not an *InputError: %T", err)
			}
		})
	}
}

func TestDefaultCatalog(t *testing.T) {
	c := DefaultCatalog()
	e, ok := c.Lookup(MustParse("SME PH ZZ"))
	if !ok || e.Title != "Färdighetsträning i att klä sig" || e.Source == "" {
		t.Errorf("SME PH ZZ = %+v, %v", e, ok)
	}
	for _, e := range c.Entries() {
		if e.Source == "" {
			t.Errorf("%s has no source", e.Code)
		}
	}
}

func FuzzLoadCatalog(f *testing.F) {
	f.Add("kod,titel\nSME PH ZZ,a\n")
	f.Add("kod;titel;källa\nSME PH ZZ;a;b\nWZZ AX ZZ;c;d\n")
	f.Add("\"kod\nSME\",titel\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := LoadCatalog(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, e := range c.Entries() {
			if got, ok := c.Lookup(e.Code); !ok || got != e {
				t.Fatalf("entry %v not found by Lookup", e.Code)
			}
		}
	})
}

// TestLoadCatalogPreambles (found by attack): a byte order mark before a
// comment is not the header's, and a header beyond the first 64 KiB is
// said to be beyond them, not missing.
func TestLoadCatalogPreambles(t *testing.T) {
	if c, err := LoadCatalog(strings.NewReader("\ufeff# KSI-export\nkod,titel\nSME PH ZZ,Färdighetsträning i att klä sig\n")); err != nil || c.Len() != 1 {
		t.Errorf("a byte order mark and a comment: %v", err)
	}
	long := strings.Repeat("# "+strings.Repeat("x", 100)+"\n", 700) + "kod;titel\nSME PH ZZ;Färdighetsträning i att klä sig\n"
	if _, err := LoadCatalog(strings.NewReader(long)); err == nil || !strings.Contains(err.Error(), "no header row within the first 64 KiB") {
		t.Errorf("a header after 70 KiB of comments: %v", err)
	}
}

// The zero InputError and odd file names print without panicking and
// without writing control characters.
func TestInputErrorText(t *testing.T) {
	for _, c := range []struct {
		e    InputError
		want string
	}{
		{InputError{}, "ksi: invalid"},
		{InputError{File: "a\nb.csv", Line: 2, Field: " kod", Err: errors.New("x")}, `ksi: "a\nb.csv":2: " kod": x`},
		{InputError{File: "uppgifter.csv", Field: "kod", Err: errors.New("x")}, "ksi: uppgifter.csv: kod: x"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
