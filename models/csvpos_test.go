package models

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// oldCSVPos is csvTable.pos as it was, counting the fields before field
// i at each call.
func oldCSVPos(t *csvTable, i int) (line, col int) {
	line, col = t.cr.FieldPos(i)
	for j := range i {
		if l, _ := t.cr.FieldPos(j); l == line {
			col -= len(t.rec[j]) - utf8.RuneCountInString(t.rec[j])
		}
	}
	return line, col
}

// TestCSVPosMatchesCount: the columns counted once per record are those
// counted for each field, asked in any order, with multibyte characters,
// invalid UTF-8 and quoted fields spanning lines.
func TestCSVPosMatchesCount(t *testing.T) {
	fields := []string{"", "a", "ö", "€𝄞 x", "\xff", "\xc3", "\xe2\x82", `"q;ö` + "\n" + `x"`, `"a""ö"`, `"ö` + "\r\n" + `"`, "  ö  "}
	rapid.Check(t, func(t *rapid.T) {
		var text strings.Builder
		for range rapid.IntRange(1, 6).Draw(t, "records") {
			row := rapid.SliceOfN(rapid.SampledFrom(fields), 1, 12).Draw(t, "fields")
			text.WriteString(strings.Join(row, ";") + rapid.SampledFrom([]string{"\n", "\r\n"}).Draw(t, "end"))
		}
		tab := &csvTable{cr: newCSVReader(bufio.NewReader(strings.NewReader(text.String())), ';', 0)}
		for {
			ok, err := tab.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(tab.rec)-1), 1, 20).Draw(t, "fields asked") {
				line, col := tab.pos(i)
				if wantLine, wantCol := oldCSVPos(tab, i); line != wantLine || col != wantCol {
					t.Fatalf("line %d field %d: at %d:%d, want %d:%d", tab.line, i, line, col, wantLine, wantCol)
				}
			}
		}
	})
}

// TestCSVDuplicateColumns: a header of 40 000 columns all named id, each
// duplicate placed without counting the columns before it.
func TestCSVDuplicateColumns(t *testing.T) {
	n := 40000
	if testing.Short() {
		n = 2000
	}
	_, err := ReadVisitsCSV(strings.NewReader(strings.Repeat("ö;", 10)+strings.Repeat("id;", n)+"customer;provider;start;end\n"), probeLoc)
	errs := eachError(err, func(*InputError) {})
	if len(errs) != n-1 {
		t.Fatalf("%d errors, want %d", len(errs), n-1)
	}
	for k, e := range errs {
		if ie := e.(*InputError); ie.Line != 1 || ie.Column != 21+3*(k+1) {
			t.Fatalf("%v: at %d:%d, want 1:%d", ie, ie.Line, ie.Column, 21+3*(k+1))
		}
	}
}

// TestCSVWideRowErrors: 40 000 empty task codes in a row of 20 000
// columns of multibyte text before its tasks, each placed without
// counting those columns.
func TestCSVWideRowErrors(t *testing.T) {
	n, k := 20000, 40000
	if testing.Short() {
		n, k = 1000, 2000
	}
	var b bytes.Buffer
	b.WriteString(strings.Repeat("x;", n) + "id;customer;provider;start;end;tasks;approved\n")
	b.WriteString(strings.Repeat("ö;", n) + "v1;k1;egen;2024-04-01 08:00;2024-04-01 08:20;a" + strings.Repeat("| ", k+1) + ";ja\n") // the last one trimmed
	_, err := ReadVisitsCSV(&b, probeLoc)
	count := 0
	eachError(err, func(ie *InputError) {
		if strings.HasPrefix(ie.Field, "tasks[") {
			count++
			if want := 2*n + len("v1;k1;egen;2024-04-01 08:00;2024-04-01 08:20;") + 1; ie.Line != 2 || ie.Column != want {
				t.Fatalf("%v: at %d:%d, want 2:%d", ie, ie.Line, ie.Column, want)
			}
		}
	})
	if count != k {
		t.Fatalf("%d errors of tasks (%v), want %d", count, err, k)
	}
}

// A file without a header row is named at the line the header belongs
// on, the first, or the second after a separator declaration: the
// reader's count of lines, one past the end of a file ending in a line
// break, named line 2 for a file of one empty line, line 4 for three,
// and line 3 for a declaration and an empty line on the old code.
func TestCSVNoHeaderRowLine(t *testing.T) {
	for in, want := range map[string]string{
		"":                "models: v.csv:1: no header row",
		"\ufeff":          "models: v.csv:1: no header row",
		"\r\n":            "models: v.csv:1: no header row: the file holds only empty lines",
		"\n\n\n":          "models: v.csv:1: no header row: the file holds only empty lines",
		"sep=;\r\n":       "models: v.csv:2: no header row after the separator declaration",
		"sep=;\r\n\r\n":   "models: v.csv:2: no header row after the separator declaration",
		"\ufeffsep=;\n\n": "models: v.csv:2: no header row after the separator declaration",
	} {
		_, err := ReadVisitsCSVWith(strings.NewReader(in), CSVOptions{File: "v.csv", Location: stockholm})
		if err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %s", in, err, want)
		}
	}
	_, err := ReadTaskMapCSV(strings.NewReader("# kod;kategori\n\n"), nil)
	if want := "models: 1: no header row: the file holds only empty lines and comments"; err == nil || err.Error() != want {
		t.Errorf("task map of a comment: %v, want %s", err, want)
	}
}
