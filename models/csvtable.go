package models

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encoding is the character encoding of a CSV file. The zero value,
// EncodingDetect, reads UTF-8 when the bytes are valid UTF-8 and
// Windows-1252 otherwise.
type Encoding uint8

// The encodings a CSV file can be read in.
const (
	// EncodingDetect: UTF-8 (with or without a byte order mark) when the
	// whole file is valid UTF-8, else Windows-1252. A Windows-1252 file
	// that happens to be valid UTF-8 has no bytes above 0x7f, where the
	// two agree, or an unusual sequence such as "Ã¥".
	EncodingDetect Encoding = iota
	// EncodingUTF8: UTF-8, with or without a byte order mark; invalid
	// UTF-8 is an error.
	EncodingUTF8
	// EncodingWindows1252: Windows-1252 (cp1252), the code page Excel
	// writes CSV in on a Swedish Windows.
	EncodingWindows1252
)

// String returns "detect", "utf-8" or "windows-1252".
func (e Encoding) String() string {
	switch e {
	case EncodingDetect:
		return "detect"
	case EncodingUTF8:
		return "utf-8"
	case EncodingWindows1252:
		return "windows-1252"
	}
	return fmt.Sprintf("encoding(%d)", uint8(e))
}

// csvText decodes data to UTF-8 by enc, dropping a UTF-8 byte order mark.
func csvText(data []byte, enc Encoding, file string) ([]byte, error) {
	switch enc {
	case EncodingDetect, EncodingUTF8:
		data = bytes.TrimPrefix(data, []byte("\ufeff"))
		if utf8.Valid(data) {
			return data, nil
		}
		if enc == EncodingDetect {
			return charmap.Windows1252.NewDecoder().Bytes(data)
		}
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		x := lineIndex{data: data}
		line, col := x.pos(off)
		return nil, &InputError{File: file, Line: line, Column: col, Index: -1,
			Err: fmt.Errorf("invalid UTF-8 (byte 0x%02x); give EncodingWindows1252 or EncodingDetect for an Excel export", data[off])}
	case EncodingWindows1252:
		return charmap.Windows1252.NewDecoder().Bytes(data)
	}
	return nil, &InputError{File: file, Index: -1, Err: fmt.Errorf("unknown %v", enc)}
}

// detectComma returns the separator of a header line: the most frequent of
// semicolon, comma and tab outside quotes, a comma when there is none.
func detectComma(text []byte) rune {
	var line []byte
	for rest := text; len(rest) > 0 && len(bytes.TrimSpace(line)) == 0; {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if bytes.HasPrefix(line, []byte("#")) {
			line = nil
		}
	}
	counts := map[byte]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ';' || c == ',' || c == '\t'):
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// normHeader folds a header name for comparison: case, white space,
// hyphens and underscores do not count.
func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "-", "", "_", "", "\u00a0", "").Replace(s)
}

// csvTable reads a CSV file whose header row names its columns.
type csvTable struct {
	file  string
	cr    *csv.Reader
	lines lineIndex
	col   map[string]int // field → index of its column
	names []string       // the header as written
	rec   []string
	line  int
}

// openCSVTable reads the header of text (already UTF-8) and maps its
// columns to fields (lines starting with comment, when not 0, are
// skipped): first by custom (header → field, "" to ignore the
// column), then by aliases (field → accepted header names). A field named
// by two columns is an error.
func openCSVTable(text []byte, file string, comma, comment rune, aliases map[string][]string, custom map[string]string) (*csvTable, error) {
	if comma == 0 {
		comma = detectComma(text)
	}
	t := &csvTable{file: file, lines: lineIndex{data: text}, col: map[string]int{}}
	t.cr = csv.NewReader(bytes.NewReader(text))
	t.cr.Comma = comma
	t.cr.Comment = comment
	t.cr.FieldsPerRecord = -1
	t.cr.ReuseRecord = true
	header, err := t.cr.Read()
	if err == io.EOF {
		return nil, &InputError{File: file, Line: 1, Index: -1, Err: errors.New("no header row")}
	}
	if err != nil {
		return nil, t.csvError(err)
	}
	t.names = append([]string(nil), header...)
	byName := map[string]string{}
	for field, names := range aliases {
		for _, n := range names {
			byName[normHeader(n)] = field
		}
	}
	mine := map[string]string{}
	for h, field := range custom {
		mine[normHeader(h)] = field
	}
	var errs []error
	for i, h := range t.names {
		n := normHeader(h)
		field, ok := mine[n]
		if !ok {
			field, ok = byName[n]
		}
		if !ok || field == "" {
			continue
		}
		if prev, dup := t.col[field]; dup {
			line, col := t.cr.FieldPos(i)
			errs = append(errs, &InputError{File: file, Line: line, Column: t.lines.column(line, col), Index: -1, Field: field,
				Err: fmt.Errorf("duplicate column: %q and %q (column %d) both give %s", h, t.names[prev], prev+1, field)})
			continue
		}
		t.col[field] = i
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return t, nil
}

// missing reports each of the fields that has no column.
func (t *csvTable) missing(aliases map[string][]string, fields ...string) []error {
	var errs []error
	for _, f := range fields {
		if _, ok := t.col[f]; !ok {
			errs = append(errs, &InputError{File: t.file, Line: 1, Index: -1, Field: f,
				Err: fmt.Errorf("missing column (one of %s)", strings.Join(aliases[f], ", "))})
		}
	}
	return errs
}

// next reads the next record; it returns false at the end of the file or
// with the error of a record that does not parse.
func (t *csvTable) next() (bool, error) {
	for {
		rec, err := t.cr.Read()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, t.csvError(err)
		}
		t.rec = rec
		t.line, _ = t.cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line with white space
		}
		return true, nil
	}
}

// get returns the trimmed value of field in the current record.
func (t *csvTable) get(field string) string {
	if i, ok := t.col[field]; ok && i < len(t.rec) {
		return strings.TrimSpace(t.rec[i])
	}
	return ""
}

// has reports whether the file has a column for field.
func (t *csvTable) has(field string) bool {
	_, ok := t.col[field]
	return ok
}

// where returns the line and column of field in the current record.
func (t *csvTable) where(field string) (line, col int) {
	i, ok := t.col[field]
	if !ok || i >= len(t.rec) {
		return t.line, 0
	}
	line, bc := t.cr.FieldPos(i)
	return line, t.lines.column(line, bc)
}

// header returns field with the header of its column, for errors:
// "start (Starttid)".
func (t *csvTable) header(field string) string {
	if i, ok := t.col[field]; ok && normHeader(t.names[i]) != normHeader(field) {
		return fmt.Sprintf("%s (%s)", field, strings.TrimSpace(t.names[i]))
	}
	return field
}

func (t *csvTable) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{File: t.file, Line: pe.Line, Column: t.lines.column(pe.Line, pe.Column), Index: -1, Err: pe.Err}
	}
	return &InputError{File: t.file, Index: -1, Err: err}
}
