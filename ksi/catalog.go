package ksi

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Entry is one activity in a KSI catalogue.
type Entry struct {
	Code        Code   `json:"code"`
	Title       string `json:"title"`                 // titel, e.g. "Färdighetsträning i att klä sig"
	Description string `json:"description,omitempty"` // beskrivning or definition, if the file has one
	Source      string `json:"source,omitempty"`      // where the entry comes from, if the file says
}

// Catalog is a set of KSI activities, loaded as data from a CSV export of
// Socialstyrelsen's published spreadsheet. It is immutable once loaded and
// safe for concurrent use.
type Catalog struct {
	entries []Entry // sorted by code
	index   map[Code]int
}

// InputError describes a problem in a catalogue or task-map file: which
// file, which line, which column.
type InputError struct {
	File  string // the file name, or "" when read from an io.Reader
	Line  int    // 1-based line, or 0 for the file as a whole
	Field string // the column or field, or ""
	Err   error
}

// Error implements the error interface. A file name or column that
// would not read as itself on a line (a control, format or separator
// character, white space at an end) is quoted, so that a header cannot
// write to a terminal or hide what it holds. A nil Err reads "invalid".
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("ksi: ")
	if e.File != "" {
		b.WriteString(quoteOdd(e.File))
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if b.Len() > len("ksi: ") {
		b.WriteString(" ")
	}
	if e.Field != "" {
		b.WriteString(quoteOdd(e.Field))
		b.WriteString(": ")
	}
	if e.Err == nil {
		b.WriteString("invalid")
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// quoteOdd returns s, or s quoted when it would not read as itself on a
// line: invalid UTF-8, a character that is not graphic (unicode.IsGraphic)
// or white space other than an inner ASCII space.
func quoteOdd(s string) string {
	plain := utf8.ValidString(s) && !strings.HasPrefix(s, " ") && !strings.HasSuffix(s, " ") &&
		strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) || r != ' ' && unicode.IsSpace(r) }) < 0
	if plain {
		return s
	}
	return strconv.Quote(s)
}

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// ErrUnknownCode is wrapped by errors about a well-formed KSI code that a
// catalogue does not hold.
var ErrUnknownCode = errors.New("KSI code not in the catalogue")

// ErrDuplicate is wrapped by errors about a code given twice in one file.
var ErrDuplicate = errors.New("given twice")

// The accepted header names of a catalogue CSV, compared without regard to
// case, spaces, hyphens and underscores. Socialstyrelsen's spreadsheet
// names its columns in Swedish; the English names are accepted too.
var catalogHeaders = map[string][]string{
	"code":        {"kod", "code", "ksikod", "aktivitetskod", "ksiaktivitetskod", "kodaktivitet"},
	"title":       {"titel", "title", "benämning", "namn", "term", "aktivitet", "aktivitetstitel"},
	"description": {"beskrivning", "description", "definition"},
	"source":      {"källa", "source"},
}

// LoadCatalog reads a catalogue from CSV. The header row names the
// columns; the code and title columns are required, description and source
// optional, others ignored (see the package documentation for the accepted
// names). The separator is a comma or, as in a Swedish spreadsheet export,
// a semicolon; lines starting with # are comments. Every problem is
// returned at once, each an *InputError with its line.
func LoadCatalog(r io.Reader) (*Catalog, error) { return loadCatalog(r, "") }

// LoadCatalogFS reads the catalogue file name from fsys.
func LoadCatalogFS(fsys fs.FS, name string) (*Catalog, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &InputError{File: name, Err: err}
	}
	defer f.Close()
	return loadCatalog(f, name)
}

func loadCatalog(r io.Reader, file string) (*Catalog, error) {
	rows, err := readTable(r, file, catalogHeaders, "code", "title")
	if err != nil {
		return nil, err
	}
	c := &Catalog{index: make(map[Code]int, len(rows))}
	var errs []error
	firstLine := map[Code]int{}
	for _, row := range rows {
		code, err := Parse(row.get("code"))
		if err != nil {
			errs = append(errs, &InputError{File: file, Line: row.line, Field: row.header("code"), Err: err})
			continue
		}
		if prev, dup := firstLine[code]; dup {
			errs = append(errs, &InputError{File: file, Line: row.line, Field: row.header("code"),
				Err: fmt.Errorf("%s %w (first on line %d)", code, ErrDuplicate, prev)})
			continue
		}
		title := row.get("title")
		if title == "" {
			errs = append(errs, &InputError{File: file, Line: row.line, Field: row.header("title"), Err: errors.New("empty title")})
			continue
		}
		firstLine[code] = row.line
		c.entries = append(c.entries, Entry{Code: code, Title: title, Description: row.get("description"), Source: row.get("source")})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(c.entries, func(a, b Entry) int { return a.Code.Compare(b.Code) })
	for i, e := range c.entries {
		c.index[e.Code] = i
	}
	return c, nil
}

// Lookup returns the entry of code.
func (c *Catalog) Lookup(code Code) (Entry, bool) {
	i, ok := c.index[code]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Entries returns the entries sorted by code.
func (c *Catalog) Entries() []Entry { return slices.Clone(c.entries) }

// Len returns the number of entries.
func (c *Catalog) Len() int { return len(c.entries) }

//go:embed data/catalog.csv
var defaultCatalogCSV []byte

var defaultCatalog = sync.OnceValues(func() (*Catalog, error) {
	return loadCatalog(bytes.NewReader(defaultCatalogCSV), "data/catalog.csv")
})

// DefaultCatalog returns the catalogue embedded in the library. It holds
// only the codes the project can vouch for, each with its source; load
// Socialstyrelsen's full catalogue with LoadCatalog for real use.
func DefaultCatalog() *Catalog {
	c, err := defaultCatalog()
	if err != nil {
		panic("ksi: embedded catalogue is invalid: " + err.Error())
	}
	return c
}

// tableRow is one data row of a CSV table with named columns.
type tableRow struct {
	line    int
	cols    map[string]int // logical column → index
	names   []string       // header names as written
	records []string
}

func (r tableRow) get(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.records) {
		return ""
	}
	return strings.TrimSpace(r.records[i])
}

func (r tableRow) header(col string) string {
	if i, ok := r.cols[col]; ok {
		return r.names[i]
	}
	return col
}

// normHeader folds a header name for comparison.
func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s)
}

// readTable reads a CSV file with a header row, mapping header names to
// logical columns by aliases. The separator is detected from the header.
func readTable(r io.Reader, file string, aliases map[string][]string, required ...string) ([]tableRow, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	// A byte order mark is not text of the first line: before a comment
	// it made the comment the header (found by attack).
	if b, _ := br.Peek(3); string(b) == "\ufeff" {
		br.Discard(3)
	}
	head, err := peekHeader(br)
	if err != nil {
		return nil, &InputError{File: file, Err: err}
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	if strings.Count(head, ";") > strings.Count(head, ",") {
		cr.Comma = ';'
	}
	names, err := cr.Read()
	if err != nil {
		return nil, csvError(file, err)
	}
	cols := map[string]int{}
	for i, n := range names {
		h := normHeader(n)
		for col, as := range aliases {
			if slices.Contains(as, h) {
				if _, dup := cols[col]; dup {
					line, _ := cr.FieldPos(i)
					return nil, &InputError{File: file, Line: line, Field: n, Err: fmt.Errorf("second column for %s", col)}
				}
				cols[col] = i
			}
		}
	}
	var missing []string
	for _, col := range required {
		if _, ok := cols[col]; !ok {
			missing = append(missing, fmt.Sprintf("%s (one of %s)", col, strings.Join(aliases[col], ", ")))
		}
	}
	if len(missing) > 0 {
		line, _ := cr.FieldPos(0)
		return nil, &InputError{File: file, Line: line, Err: fmt.Errorf("header lacks %s", strings.Join(missing, "; "))}
	}
	var rows []tableRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if err := checkWidth(rec, names); err != nil {
			err.File, err.Line = file, line
			return nil, err
		}
		rows = append(rows, tableRow{line: line, cols: cols, names: names, records: rec})
	}
	return rows, nil
}

// checkWidth refuses a record with fewer fields than the header has
// named columns, or with a non-blank field past them: a missing field
// would read as empty and an extra one be dropped.
func checkWidth(rec, names []string) *InputError {
	want := len(names)
	for want > 0 && strings.TrimSpace(names[want-1]) == "" {
		want-- // a separator ending the header names no column
	}
	if len(rec) < want {
		return &InputError{Field: strings.TrimSpace(names[len(rec)]),
			Err: fmt.Errorf("the record ends with its field %d, where the header has %d columns: this one and those after it are missing", len(rec), want)}
	}
	for i := want; i < len(rec); i++ {
		if strings.TrimSpace(rec[i]) != "" {
			return &InputError{Err: fmt.Errorf("field %d of the record has no column: the header has %d", i+1, want)}
		}
	}
	return nil
}

// peekHeader returns the first line that is neither blank nor a comment,
// looking no further than the reader's buffer, without consuming it.
func peekHeader(br *bufio.Reader) (string, error) {
	b, _ := br.Peek(br.Size())
	for _, line := range strings.Split(string(b), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return line, nil
		}
	}
	if len(b) == br.Size() {
		// Not none: none within what is looked at (a long preamble of
		// comments was said to have no header, found by attack).
		return "", fmt.Errorf("no header row within the first %d KiB (comment lines before it?)", br.Size()>>10)
	}
	return "", errors.New("no header row")
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{File: file, Line: pe.Line, Err: pe.Err}
	}
	return &InputError{File: file, Err: err}
}
