package models

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// csvRead is what reading a record gave: the record, the positions of
// its fields, the offset after it, and its error.
type csvRead struct {
	Record []string
	Pos    [][2]int
	Offset int64
	Err    string
}

// readAllCSV reads data to the end (or at most 1000 records) with read,
// pos and offset, recording each record.
func readAllCSV(read func() ([]string, error), pos func(int) (int, int), offset func() int64) []csvRead {
	var out []csvRead
	for range 1000 {
		rec, err := read()
		r := csvRead{Record: append([]string(nil), rec...), Offset: offset()}
		if err == nil {
			for i := range rec {
				l, c := pos(i)
				r.Pos = append(r.Pos, [2]int{l, c})
			}
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.Err = fmt.Sprintf("parse %d %d %d %v", pe.StartLine, pe.Line, pe.Column, pe.Err)
			} else {
				r.Err = err.Error()
			}
			if err != io.EOF {
				r.Record = nil // encoding/csv's record with an error is not specified
			}
		}
		out = append(out, r)
		if err == io.EOF || errors.Is(err, errInvalidDelim) || err != nil && !isParseError(err) {
			break
		}
	}
	return out
}

func isParseError(err error) bool {
	var pe *csv.ParseError
	return errors.As(err, &pe)
}

// compareCSV reads data with csvReader and encoding/csv (configured as
// csvTable uses it) and reports the first difference.
func compareCSV(t *testing.T, data []byte, comma, comment rune, size int) {
	t.Helper()
	std := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(data), size))
	std.Comma, std.Comment, std.FieldsPerRecord, std.ReuseRecord = comma, comment, -1, true
	want := readAllCSV(std.Read, std.FieldPos, std.InputOffset)
	// Sharing, the records kept by readAllCSV must stay as they were
	// read while later records are written to the same slab.
	for _, share := range []bool{false, true} {
		mine := newCSVReader(bufio.NewReaderSize(bytes.NewReader(data), size), comma, comment)
		mine.share = share
		got := readAllCSV(mine.Read, mine.FieldPos, mine.InputOffset)
		if len(got) > 0 && len(want) > 0 && got[0].Err == errInvalidDelim.Error() && want[0].Err == "csv: invalid field or comment delimiter" {
			return
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("%q (comma %q, comment %q, share %v): csvReader differs from encoding/csv (-want +got):\n%s", data, comma, comment, share, d)
		}
	}
}

func TestCSVReaderMatchesEncodingCSV(t *testing.T) {
	for _, data := range []string{
		"", "\n", "a;b\n", "a;b", "a;b\r\n", "a;b\r", "a;;\n;\n", "\r\n\r\n", "a\n\nb\n",
		"\"a;b\";c\n", "\"a\"\"b\";c\r\n", "\"a\nb\";c\n", "\"a\r\nb\";c\r\n", "\"a\";\"\"\n",
		"a\"b;c\n", "\"a\"b;c\n", "\"abc\n", "\"abc", "a;\"b\"\n", "a;\"b\"", "\"\"\n",
		"#x;y\na;b\n", "#\n", "a;#b\n", "å;ä;ö\nÅ;\"Ä\";Ö\n", "a;b;c\nd\n", "\xff;\xfe\n",
		"x\r\r\n", "\"a\r\"\n", "a;b\n\"c;\n", " \"a\";b\n", "\"a\" ;b\n",
	} {
		for _, comma := range []rune{';', ',', '\t', '§', '"', 0} {
			for _, comment := range []rune{0, '#', ';'} {
				for _, size := range []int{16, 4096} {
					compareCSV(t, []byte(data), comma, comment, size)
				}
			}
		}
	}
}

// FuzzCSVReader holds csvReader to encoding/csv: the same records, field
// positions, offsets and errors for any input.
func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("Besöks-id;Brukare\r\nv1;\"k\"\"1\"\r\n#c\r\n\r\n\"a\nb\";x"), ';', '#')
	f.Add([]byte("a,b\n\"c,d\",e\n"), ',', rune(0))
	f.Fuzz(func(t *testing.T, data []byte, comma, comment rune) {
		compareCSV(t, data, comma, comment, 16)
		compareCSV(t, data, comma, comment, 4096)
	})
}

// TestUnclosedQuote stops at a quote left open: over a megabyte of lines
// after it, at the quote, rather than holding the rest of the file as one
// field (found by attack: a stray quote on line 3 of a 600 MB file took
// 2.7 GB and was reported at the file's last line); a shorter one at the
// end of the file names the line its record begins on.
func TestUnclosedQuote(t *testing.T) {
	var b strings.Builder
	b.WriteString("id;brukare;utförare;starttid;sluttid;insatser;attesterad\n")
	b.WriteString("c1;k1;egen;2024-04-20 08:00;2024-04-20 08:30;Städ;ja\n")
	b.WriteString("c2;k1;egen;2024-04-20 09:00;2024-04-20 09:30;\"Städ;ja\n")
	for range 40000 { // 2 MB of lines after the quote
		b.WriteString("c3;k1;egen;2024-04-20 09:00;2024-04-20 09:30;Städ;ja\n")
	}
	for _, tc := range []struct {
		doc, want string
	}{
		{b.String(), "models: x.csv:3:46: a quoted field runs on over a megabyte of lines: the quote that opens it here is not closed"},
		{b.String()[:2000], `models: x.csv:37:52: extraneous or missing " in quoted-field (in the record that begins on line 3)`},
	} {
		_, err := ReadVisitsCSVWith(strings.NewReader(tc.doc), CSVOptions{File: "x.csv", Location: stockholm})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%d bytes: %v, want %s", len(tc.doc), err, tc.want)
		}
	}
}
