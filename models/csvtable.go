package models

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encoding is the character encoding of a CSV file. The zero value,
// EncodingDetect, reads UTF-8 when the start of the file is valid UTF-8
// and Windows-1252 when it holds no UTF-8 beyond ASCII, and refuses a
// file of both.
type Encoding uint8

// The encodings a CSV file can be read in.
const (
	// EncodingDetect: UTF-8 when the file begins with a byte order mark
	// or its first 64 KiB are valid UTF-8; Windows-1252 when they hold no
	// character of UTF-8 beyond ASCII; and an error, naming a line of
	// each, when they hold both (a UTF-8 export with stray bytes, or
	// Windows-1252 text in which a letter and the byte after it spell a
	// character of UTF-8): such a file is read right in neither, and
	// nothing is guessed. First 64 KiB of ASCII alone read alike in
	// both, and the first byte beyond ASCII decides as it would within
	// them: a file whose first is not UTF-8 is Windows-1252 from there (an
	// export of English headers and codes whose first Swedish letter
	// comes late). A file taken for UTF-8 with an invalid byte later, and
	// one taken for Windows-1252 with UTF-8 later, are an error naming
	// the line of that byte, never a silent misreading; state the
	// encoding for such a file.
	EncodingDetect Encoding = iota
	// EncodingUTF8: UTF-8, with or without a byte order mark; invalid
	// UTF-8 is an error.
	EncodingUTF8
	// EncodingWindows1252: Windows-1252 (cp1252), the code page Excel
	// writes CSV in on a Swedish Windows. A byte it has no character for
	// (0x81, 0x8D, 0x8F, 0x90, 0x9D) is an error naming its line and
	// column, read as Windows-1252 stated or detected.
	EncodingWindows1252
)

// String returns "detect", "utf-8" or "windows-1252".
func (e Encoding) String() string { return encodingEnum.name(int(e)) }

// MarshalText implements encoding.TextMarshaler.
func (e Encoding) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler, so that a command
// line flag can take an encoding (flag.TextVar).
func (e *Encoding) UnmarshalText(b []byte) (err error) { *e, err = ParseEncoding(string(b)); return }

// ParseEncoding parses "detect", "utf-8" or "windows-1252" (or utf8,
// cp1252, windows1252), in any case.
func ParseEncoding(s string) (Encoding, error) {
	if strings.EqualFold(strings.TrimSpace(s), "detect") {
		return EncodingDetect, nil
	}
	i, err := encodingEnum.parse(s)
	if err != nil {
		return EncodingDetect, fmt.Errorf("unknown encoding %q (want detect, utf-8 or windows-1252)", s)
	}
	return Encoding(i), nil
}

var encodingEnum = enum{"encoding", []string{"detect", "utf-8", "windows-1252"},
	map[string]int{"utf8": 1, "cp1252": 2, "windows1252": 2}}

// detectWindow is how much of a file decides its encoding and separator
// when they are to be detected.
const detectWindow = 64 << 10

// csvSource returns r as UTF-8 by enc, without a UTF-8 byte order mark,
// checking what it takes for UTF-8 as it is read. It reads
// ahead at most detectWindow bytes: to detect the encoding, it takes the
// file for UTF-8 when those bytes are (a UTF-8 file then fails on its
// first invalid record; bytes of ASCII alone leave it to the first byte
// beyond, see utf8Checker), for Windows-1252 when they hold no UTF-8
// beyond ASCII (and then fails at UTF-8 later), and refuses them when
// they hold both.
func csvSource(r io.Reader, enc Encoding, file string) (*bufio.Reader, error) {
	if r == nil {
		// VisitsCSV(nil, ...) panicked on its first iteration (found by
		// a vendor's trial).
		return nil, &InputError{File: file, Index: -1, Err: errors.New("no reader (nil io.Reader)")}
	}
	window := detectWindow
	if n := sizeHint(r); n > 0 && n < window {
		window = max(n+1, 4096) // the whole file, and no more than needed
	}
	br := bufio.NewReaderSize(r, window)
	head, err := br.Peek(window)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, &InputError{File: file, Index: -1, Err: err}
	}
	// What would be read as something else without a word: a file in
	// UTF-16 (every other byte a zero: column names never match) and
	// lines ended by a carriage return alone (the whole file one header
	// row, and no visits).
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return nil, &InputError{File: file, Line: 1, Index: -1,
			Err: fmt.Errorf("the file is UTF-16 (byte-order mark % X): save it as UTF-8 or Windows-1252 (in Excel: CSV UTF-8)", head[:2])}
	}
	if i := bytes.IndexAny(head, "\r\n"); i >= 0 && head[i] == '\r' && i+1 < len(head) && head[i+1] != '\n' {
		return nil, &InputError{File: file, Line: 1, Index: -1,
			Err: errors.New("the lines end with a carriage return alone (CR, as in old Mac files): save the file with CRLF or LF line ends")}
	}
	switch enc {
	case EncodingDetect, EncodingUTF8:
		bom := bytes.HasPrefix(head, []byte("\ufeff"))
		if bom {
			br.Discard(3)
			head = head[3:]
		}
		// A byte order mark declares UTF-8 (a stray byte is then an
		// error at its line).
		if enc == EncodingUTF8 || bom || validPrefix(head, len(head) < window) {
			// Detected from a start of ASCII alone, which both encodings
			// read alike, the file is Windows-1252 if its first byte
			// beyond ASCII is not UTF-8 (an export of English headers
			// whose first Swedish letter comes late).
			detect := enc == EncodingDetect && !bom
			return bufio.NewReaderSize(&utf8Checker{r: br, line: 1, detect: detect}, window), nil
		}
		// UTF-8 text beside bytes that are not UTF-8 is read right in
		// neither encoding: a UTF-8 export with stray bytes read as
		// Windows-1252 turned "besök" into "besÃ¶k", and a Windows-1252
		// export in which a letter and the byte after it spell a
		// character of UTF-8 ("Ö”", mojibake "Ã¶") was refused at its
		// first "ö" (found by attacks). Neither is guessed.
		if utf, other := mixedLines(head, len(head) < window); utf > 0 {
			return nil, &InputError{File: file, Line: other, Index: -1, Err: fmt.Errorf(
				"the file mixes UTF-8 (line %d) with bytes that are not UTF-8 (this line): %s", utf, oneEncoding)}
		}
		if enc == EncodingDetect {
			// Windows-1252 by its start: UTF-8 later is refused at its
			// line, as a stray byte in a UTF-8 file is (read silently as
			// "besÃ¶k", found by attack).
			return bufio.NewReaderSize(charmap.Windows1252.NewDecoder().Reader(&cp1252Checker{r: br, mixed: true, line: 1}), 3*window), nil
		}
		fallthrough
	case EncodingWindows1252:
		// Decoded, a byte may take up to three.
		return bufio.NewReaderSize(charmap.Windows1252.NewDecoder().Reader(&cp1252Checker{r: br, line: 1}), 3*window), nil
	}
	return nil, &InputError{File: file, Index: -1, Err: fmt.Errorf("unknown %v", enc)}
}

// utf8Checker passes on what r reads while checking that it is UTF-8;
// at the first invalid byte it stops with an *InputError naming its line.
// A rune cut by the end of a read is held back until the next.
type utf8Checker struct {
	r       io.Reader
	pending []byte // the start of a rune cut at the end of the last read
	buf     [utf8.UTFMax]byte
	line    int // line of the next byte passed on
	col     int // characters passed on since the start of that line
	err     error
	// A read into less room than a rune goes through small; what did
	// not fit is ready for the next read, with the error of the read.
	small    [2 * utf8.UTFMax]byte
	ready    []byte
	readyErr error
	// detect is whether the encoding was detected from a start that
	// holds nothing beyond ASCII (see csvSource); beyond is whether a
	// character beyond ASCII has been passed on since. While detect holds
	// and beyond does not, a first byte beyond ASCII that is not UTF-8
	// makes the rest of the file Windows-1252, read by cp1252 from there:
	// what was passed on reads alike in both.
	detect, beyond bool
	cp1252         io.Reader
}

// advance counts the lines and characters of b, passed on.
func (c *utf8Checker) advance(b []byte) {
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		c.line += bytes.Count(b, []byte("\n"))
		c.col = utf8.RuneCount(b[i+1:])
	} else {
		c.col += utf8.RuneCount(b)
	}
}

// Read passes on what r reads, checked. bufio asks for less room than a
// rune when a line fills its buffer (a line over 64 KiB): the checked
// bytes are then handed out over as many reads as it takes.
func (c *utf8Checker) Read(p []byte) (int, error) {
	if len(c.ready) > 0 {
		n := copy(p, c.ready)
		c.ready = c.ready[n:]
		if len(c.ready) > 0 {
			return n, nil
		}
		err := c.readyErr
		c.readyErr = nil
		return n, err
	}
	if len(p) < utf8.UTFMax {
		k, err := c.read(c.small[:])
		n := copy(p, c.small[:k])
		if n < k {
			c.ready, c.readyErr = c.small[n:k], err
			return n, nil
		}
		return n, err
	}
	return c.read(p)
}

// read is Read into p of at least utf8.UTFMax bytes.
func (c *utf8Checker) read(p []byte) (int, error) {
	if c.cp1252 != nil {
		return c.cp1252.Read(p)
	}
	if c.err != nil {
		return 0, c.err
	}
	n := copy(p, c.pending)
	m, err := c.r.Read(p[n:])
	b := p[:n+m]
	cut := len(b)
	if err == nil {
		cut = heldBack(b)
	}
	if !utf8.Valid(b[:cut]) {
		bad := 0
		for bad < cut {
			r, size := utf8.DecodeRune(b[bad:cut])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		c.advance(b[:bad])
		if c.detect && !c.beyond && ascii(b[:bad]) {
			rest := bytes.Clone(b[bad:])
			c.cp1252 = charmap.Windows1252.NewDecoder().Reader(&cp1252Checker{r: io.MultiReader(bytes.NewReader(rest), c.r), mixed: true, line: c.line, col: c.col})
			c.pending = nil
			return bad, nil
		}
		c.err = &InputError{Line: c.line, Column: c.col + 1, Index: -1,
			Err: fmt.Errorf("invalid UTF-8 (byte 0x%02x): give the file's encoding: windows-1252 for an Excel export (EncodingWindows1252)", b[bad])}
		c.pending = nil
		return bad, nil
	}
	c.advance(b[:cut])
	if c.detect && !c.beyond {
		c.beyond = !ascii(b[:cut])
	}
	c.pending = append(c.buf[:0], b[cut:]...)
	if err == io.EOF && len(c.pending) > 0 {
		err = nil // pass the held-back bytes on first
	}
	return cut, err
}

// oneEncoding says what to do with a file of two encodings.
const oneEncoding = "save it again in one encoding (in Excel: CSV UTF-8), or state its encoding where the reader takes one (CSVOptions.Encoding)"

// cp1252Checker passes on what r reads of a file of Windows-1252, and
// stops with an *InputError at the line and column of a byte that is no
// character of Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D, which the
// decoder would turn into U+FFFD, so that a visit id "v\x81" was read
// as "v\uFFFD" without a word, found by attack) and, when the encoding
// was detected (mixed), at the line of a character of UTF-8 beyond
// ASCII: a file of two encodings. A sequence cut at the end of a read is
// held back until the next.
type cp1252Checker struct {
	r       io.Reader
	mixed   bool // the encoding was detected: UTF-8 is an error
	pending []byte
	line    int
	col     int // bytes, each a character, passed on since the line began
	err     error
}

// undefined1252 reports whether b is a byte Windows-1252 has no
// character for.
func undefined1252(b byte) bool {
	return b == 0x81 || b == 0x8d || b == 0x8f || b == 0x90 || b == 0x9d
}

func (c *cp1252Checker) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	m, err := c.r.Read(p[n:])
	b := p[:n+m]
	cut := len(b)
	if err == nil && c.mixed {
		cut = heldBack(b)
	}
	for i := 0; i < cut; i++ {
		switch {
		case b[i] == '\n':
			c.line++
			c.col = -1
		case undefined1252(b[i]):
			how := ""
			if c.mixed {
				how = " (by its first lines)"
			}
			c.err = &InputError{Line: c.line, Column: c.col + 1, Index: -1, Err: fmt.Errorf(
				"byte %#02x is no character of Windows-1252, the file's encoding%s: is the file in another encoding?", b[i], how)}
			return i, nil
		case c.mixed && b[i] >= utf8.RuneSelf:
			if r, size := utf8.DecodeRune(b[i:cut]); r != utf8.RuneError || size > 1 {
				c.err = &InputError{Line: c.line, Index: -1, Err: fmt.Errorf(
					"a character of UTF-8 (%q) in a file of Windows-1252 (by its first lines): the file mixes two encodings: %s", r, oneEncoding)}
				return i, nil
			}
		}
		c.col++
	}
	c.pending = append(c.pending[:0:0], b[cut:]...)
	if err == io.EOF && len(c.pending) > 0 {
		err = nil // pass the held-back bytes on first
	}
	return cut, err
}

// ascii reports whether b holds nothing beyond ASCII.
func ascii(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// heldBack returns the length of b less a character of UTF-8 cut at its
// end, which the next read completes.
func heldBack(b []byte) int {
	for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return len(b) - k
			}
			break
		}
	}
	return len(b)
}

// mixedLines returns the lines of b's first character of UTF-8 of more
// than one byte and of its first byte that is not UTF-8, when it has
// both; 0, 0 otherwise. A character cut at the end of b is neither,
// unless b is the whole file (whole): then it is a byte that is not.
func mixedLines(b []byte, whole bool) (utf, other int) {
	line := 1
	for i := 0; i < len(b) && (utf == 0 || other == 0); {
		if b[i] < utf8.RuneSelf {
			if b[i] == '\n' {
				line++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r != utf8.RuneError || size > 1:
			if utf == 0 {
				utf = line
			}
			i += size
		case !utf8.FullRune(b[i:]) && !whole:
			i = len(b)
		default:
			if other == 0 {
				other = line
			}
			i++
		}
	}
	if utf == 0 || other == 0 {
		return 0, 0
	}
	return utf, other
}

// validPrefix reports whether b is valid UTF-8, allowing a rune cut at
// its end unless b is the whole file.
func validPrefix(b []byte, whole bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if whole {
		return false
	}
	for cut := 1; cut < utf8.UTFMax && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return !utf8.FullRune(b[len(b)-cut:])
		}
	}
	return false
}

// detectComma returns the separator of the header line in the buffered
// start of br: the most frequent of semicolon, comma and tab outside
// quotes, a comma when there is none. Lines starting with comment, when
// not 0, are skipped.
func detectComma(br *bufio.Reader, comment rune) rune {
	text, _ := br.Peek(br.Size())
	var line []byte
	for rest := text; len(rest) > 0 && len(bytes.TrimSpace(line)) == 0; {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if comment != 0 && bytes.HasPrefix(line, []byte(string(comment))) {
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

// separatorHint reads the separator a file declares on its first line,
// sep=; or sep=, as Excel reads it (and some exports write it): 0 when
// the first line is no declaration. The declaration may be followed by
// more of its separator (a row of empty cells after it) and white space.
// A declaration that names no single character, one that cannot
// separate fields, and one that differs from comma, the separator
// given, when it is not 0, are errors at line 1: read as a header, the
// line made every column missing (found by a vendor's trial).
func separatorHint(br *bufio.Reader, file string, comma, comment rune) (rune, error) {
	head, _ := br.Peek(br.Size())
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if len(line) < 4 || !bytes.EqualFold(line[:4], []byte("sep=")) {
		return 0, nil
	}
	decl := strings.TrimRight(string(line), " \t\r")
	if len(decl) == 4 {
		decl = strings.TrimRight(string(line), "\r") // sep= then a tab or a space
	}
	sep, size := utf8.DecodeRuneInString(decl[4:])
	bad := func(format string, a ...any) error {
		return &InputError{File: file, Line: 1, Column: 1, Index: -1, Err: fmt.Errorf("%q: "+format, append([]any{decl}, a...)...)}
	}
	switch {
	case size == 0:
		return 0, bad("a separator declaration names one character, as sep=; or sep=,")
	case strings.Trim(decl[4+size:], string(sep)+" \t") != "":
		return 0, bad("a separator declaration names one character, as sep=; or sep=, and nothing after it but more of it")
	case !validDelim(sep) || sep == comment:
		return 0, bad("%q cannot separate fields", sep)
	case comma != 0 && sep != comma:
		return 0, bad("the file declares the separator %q, but %q was given (CSVOptions.Comma): give %q, or 0 to read the declaration", sep, comma, sep)
	}
	return sep, nil
}

// normHeader folds a header name for comparison: case, white space,
// hyphens and underscores do not count.
func normHeader(s string) string {
	return headerFolds.Replace(strings.ToLower(strings.TrimSpace(s)))
}

var headerFolds = strings.NewReplacer(" ", "", "-", "", "_", "", "\u00a0", "")

// csvTable reads a CSV file whose header row names its columns, one
// record at a time.
type csvTable struct {
	file  string
	cr    *csvReader
	col   map[string]int // field → index of its column
	names []string       // the header as written
	rec   []string
	cols  []int // character columns of the fields of rec, once asked (see pos)
	line  int
	// headerLine is the line of the header row: 2 after a separator
	// declaration (sep=;).
	headerLine int
	// near are the errors of columns the reader does not know (see
	// unknown), nearField the fields a column is one letter from.
	near      []error
	nearField map[string]bool
	// blank are the columns whose header is blank (white space, hyphens
	// and underscores), not mapped, before the last column whose header
	// is not white space (see widthError): a
	// record's field under one that is not blank is an error (see
	// widthError).
	blank []int
}

// unknownColumns says what openCSVTable does with a column it does not
// know: mapping names the option a caller maps columns with ("" for a
// reader without one), and strict refuses every such column.
type unknownColumns struct {
	mapping string
	strict  bool
}

// openCSVTable reads the header of r in the encoding enc and maps its
// columns to fields (lines starting with comment, when not 0, are
// skipped): first by custom (header → field, "" to ignore the
// column), then by aliases (field → accepted header names). A field named
// by two columns is an error. A column it does not know is ignored,
// unless unknown is strict or its name is one letter from a name of a
// field the file has no column of (Slutttid, Registrerat): such columns
// are errors, which missing returns. A column with a blank header before
// the last named one (Brukare;;Starttid) is no column: strict refuses it,
// and otherwise a record's field under it that is not blank is an error
// (widthError), as one past the last column is.
func openCSVTable(r io.Reader, enc Encoding, file string, comma, comment rune, aliases map[string][]string, custom map[string]string, unknown unknownColumns) (*csvTable, error) {
	br, err := csvSource(r, enc, file)
	if err != nil {
		return nil, err
	}
	hint, err := separatorHint(br, file, comma, comment)
	if err != nil {
		return nil, err
	}
	if comma == 0 {
		comma = cmp.Or(hint, detectComma(br, comment))
	}
	t := &csvTable{file: file, col: map[string]int{}}
	t.cr = newCSVReader(br, comma, comment)
	if hint != 0 {
		t.cr.readLine() // the declaration, line 1: no record
	}
	header, err := t.cr.Read()
	if err == io.EOF {
		// Named at the line the header belongs on, the first (after a
		// declaration): the reader's count of lines is one past the
		// end of a file that ends with a line break (a file of one
		// blank line said line 2).
		line := 1
		if hint != 0 {
			line = 2
		}
		what := "no header row"
		if t.cr.offset > 0 {
			what = "no header row: the file holds only empty lines"
			if comment != 0 {
				what += " and comments"
			}
			if hint != 0 {
				what = "no header row after the separator declaration"
			}
		}
		return nil, &InputError{File: file, Line: line, Index: -1, Err: errors.New(what)}
	}
	if err != nil {
		return nil, t.csvError(err)
	}
	t.rec = header
	t.headerLine, _ = t.cr.FieldPos(0)
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
	var unknownAt []int
	// The columns up to the last that is not white space, as widthError
	// counts them (a separator ending the header names no column).
	named := len(t.names)
	for named > 0 && trimSpace(t.names[named-1]) == "" {
		named--
	}
	for i, h := range t.names {
		n := normHeader(h)
		field, ok := mine[n]
		if !ok {
			field, ok = byName[n]
		}
		if !ok && n != "" {
			unknownAt = append(unknownAt, i)
		}
		if !ok && n == "" && i < named {
			t.blank = append(t.blank, i)
			if unknown.strict {
				unknownAt = append(unknownAt, i)
			}
		}
		if !ok || field == "" {
			continue
		}
		if prev, dup := t.col[field]; dup {
			line, col := t.pos(i)
			errs = append(errs, &InputError{File: file, Line: line, Column: col, Index: -1, Field: field,
				Err: fmt.Errorf("duplicate column: %q and %q (column %d) both give %s", h, t.names[prev], prev+1, field)})
			continue
		}
		t.col[field] = i
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs...)
	}
	t.unknown(unknownAt, aliases, unknown)
	return t, nil
}

// unknown reports the columns at in the header that the reader does not
// know, as unknown says: each one when it is strict (a blank header too,
// which is among at only then), else each one whose
// name is one letter from a name of a field without a column (a header
// silently ignored left the visits' times of registration, or their
// staff, unread; found by a vendor's trial). Names of fewer than four
// letters are too close to others to tell a slip: Tid is no misspelt id.
func (t *csvTable) unknown(at []int, aliases map[string][]string, unknown unknownColumns) {
	if len(at) == 0 {
		return
	}
	// The fields in order, and the words of each of their names, once:
	// every unknown column is held to them.
	fields := slices.Sorted(maps.Keys(aliases))
	aliasWords := map[string][]string{}
	for _, names := range aliases {
		for _, a := range names {
			aliasWords[a] = headerWords(a)
		}
	}
	mapIt := ""
	for _, i := range at {
		h := strings.TrimSpace(t.names[i])
		if unknown.mapping != "" {
			mapIt = fmt.Sprintf(", or map it in %s (%q: a field, or \"\" to ignore it)", unknown.mapping, h)
		}
		line, col := t.pos(i)
		if normHeader(h) == "" { // a blank header: at holds one only when strict
			if unknown.mapping != "" {
				mapIt = fmt.Sprintf(", or map blank headers in %s (\"\": a field, or \"\" to ignore them)", unknown.mapping)
			}
			t.near = append(t.near, &InputError{File: t.file, Line: line, Column: col, Index: -1,
				Err: fmt.Errorf("column %d has no header: name it%s", i+1, mapIt)})
			continue
		}
		if unknown.strict {
			t.near = append(t.near, &InputError{File: t.file, Line: line, Column: col, Index: -1,
				Err: fmt.Errorf("column %d %q is not one the reader knows: correct its header%s", i+1, h, mapIt)})
			continue
		}
		n := []rune(normHeader(h))
		words := headerWords(h)
		found := false
		near := func(f, a, how string) {
			found = true
			if t.nearField == nil {
				t.nearField = map[string]bool{}
			}
			t.nearField[f] = true
			t.near = append(t.near, &InputError{File: t.file, Line: line, Column: col, Index: -1, Field: f,
				Err: fmt.Errorf("column %d %q is not one the reader knows, but %s %q, and the file has no column of %s (one of %s): correct its header%s",
					i+1, h, how, a, f, strings.Join(aliases[f], ", "), mapIt)})
		}
	nearFields:
		for _, f := range fields {
			if _, ok := t.col[f]; ok || t.nearField[f] {
				continue
			}
			for _, a := range aliases[f] {
				if an := []rune(normHeader(a)); len(an) >= 4 && oneEdit(n, an) {
					near(f, a, "one letter from")
					break nearFields
				}
			}
		}
		if found || len(words) > 0 && refersElsewhere[words[len(words)-1]] {
			continue // Registrerad av, Personal-ID: who, not the field
		}
		// The field whose name the header holds, the longest name first:
		// "Datum registrerad" is a misnamed column of the registration
		// time, not of the date.
		bestField, bestName, bestLen := "", "", 0
		for _, f := range fields {
			if _, ok := t.col[f]; ok || t.nearField[f] || missedLoudly[f] {
				continue
			}
			for _, a := range aliases[f] {
				aw := aliasWords[a]
				if n := utf8.RuneCountInString(strings.Join(aw, "")); n >= 4 && n > bestLen && containsWords(words, aw) {
					bestField, bestName, bestLen = f, a, n
				}
			}
		}
		if bestField != "" {
			near(bestField, bestName, "holds the name")
		}
	}
}

// missedLoudly are the fields whose column, when a file has none,
// cannot change what is paid without a word: the date, needed only where
// start and end are times of day alone and there an error of every
// record when missing, and a task's title, which only reports show. A
// column whose header holds a name of another field among other words
// ("Registrerad tid (kl)", "KSI-kod (ny)") is refused rather than
// ignored; one holding the date's or the title's ("Attesterad datum" in
// a file of full times) is ignored as before (found by review: it was
// refused).
var missedLoudly = map[string]bool{"date": true, "title": true}

// headerWords returns the words of a header name, in lower case: its runs
// of letters and digits ("Registrerad tid (kl.)": registrerad, tid, kl).
func headerWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// containsWords reports whether the words of a hold those of b in a row.
func containsWords(a, b []string) bool {
	for i := 0; i+len(b) <= len(a); i++ {
		if slices.Equal(a[i:i+len(b)], b) {
			return true
		}
	}
	return false
}

// refersElsewhere are the last words of a header that name who or what a
// field is about rather than the field (Registrerad av, Attesterad av,
// Personal-ID, Avböjt orsak): a column so named that holds a known name
// is not taken to be a misnamed column of the field.
var refersElsewhere = map[string]bool{
	"av": true, "by": true, "id": true, "nr": true, "nummer": true, "number": true, "namn": true, "name": true,
	"kod": true, "code": true, "orsak": true, "anledning": true, "reason": true, "kommentar": true, "comment": true,
}

// oneEdit reports whether a becomes b by one edit: a letter added,
// removed, replaced, or two adjacent letters swapped.
func oneEdit(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	switch {
	case len(b)-len(a) > 1 || i == len(b):
		return false
	case len(a) < len(b):
		return slices.Equal(a[i:], b[i+1:])
	case i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i]:
		return slices.Equal(a[i+2:], b[i+2:])
	}
	return slices.Equal(a[i+1:], b[i+1:])
}

// missing reports the columns the header has that are errors (see
// unknown), and each of the fields that has no column and no column one
// letter from it.
func (t *csvTable) missing(aliases map[string][]string, fields ...string) []error {
	errs := slices.Clone(t.near)
	for _, f := range fields {
		if _, ok := t.col[f]; !ok && !t.nearField[f] {
			errs = append(errs, &InputError{File: t.file, Line: t.headerLine, Index: -1, Field: f,
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
		t.rec, t.cols = rec, t.cols[:0]
		t.line, _ = t.cr.FieldPos(0)
		if blank(rec) {
			// A blank line, or one of separators only, which Excel
			// writes for rows below the data once touched (each was a
			// record of missing fields, found by trial): no record.
			continue
		}
		return true, nil
	}
}

// blank reports whether every field of rec is empty or white space.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// get returns the trimmed value of field in the current record.
func (t *csvTable) get(field string) string {
	if i, ok := t.col[field]; ok && i < len(t.rec) {
		return trimSpace(t.rec[i])
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
	return t.pos(i)
}

// pos returns the line and column in characters of field i of the
// current record. encoding/csv counts columns in bytes; only the
// multibyte characters of the fields before i on the same line make the
// two differ. The columns of all fields are counted at once, on the
// record's first call, so that errors of a wide record do not each count
// the fields before theirs.
func (t *csvTable) pos(i int) (line, col int) {
	if len(t.cols) == 0 {
		// multi: how many more bytes than characters the fields before
		// field j on its line, last, hold.
		last, multi := 0, 0
		for j, f := range t.rec {
			l, c := t.cr.FieldPos(j)
			if l != last {
				last, multi = l, 0
			}
			t.cols = append(t.cols, c-multi)
			multi += len(f) - utf8.RuneCountInString(f)
		}
	}
	line, _ = t.cr.FieldPos(i)
	return line, t.cols[i]
}

// widthError reports a record with fewer fields than the header has
// named columns, or more that are not blank, or a field that is not
// blank under a blank header (see blank): a field missing would read as
// empty (a visit as not approved), one too many, or one under no name,
// would be dropped. Blank fields after the last named column (a
// separator at the end of each row, or of the header alone) or under a
// blank header (an empty column between two) are no loss.
func (t *csvTable) widthError() *InputError {
	// Blank names at the end of the header (a separator ending it) are
	// no columns a record must fill.
	want := len(t.names)
	for want > 0 && trimSpace(t.names[want-1]) == "" {
		want--
	}
	n := len(t.rec)
	switch {
	case n < want:
		line, col := t.pos(n - 1)
		missing := "and the columns after it are missing"
		if n == want-1 {
			missing = "is missing"
		}
		return &InputError{File: t.file, Line: line, Column: col, Index: -1, Field: strings.TrimSpace(t.names[n]),
			Err: fmt.Errorf("the record ends with its field %d, where the header has %d columns: %q %s%s",
				n, want, strings.TrimSpace(t.names[n]), missing, otherSeparator(t.rec, t.cr.comma, want-n))}
	case n > want:
		for i := want; i < n; i++ {
			if trimSpace(t.rec[i]) != "" {
				line, col := t.pos(i)
				return &InputError{File: t.file, Line: line, Column: col, Index: -1,
					Err: fmt.Errorf("field %d of the record has no column: the header has %d", i+1, want)}
			}
		}
	}
	for _, i := range t.blank {
		if i < n && trimSpace(t.rec[i]) != "" {
			line, col := t.pos(i)
			return &InputError{File: t.file, Line: line, Column: col, Index: -1,
				Err: fmt.Errorf("field %d of the record has no column: the header of column %d is blank", i+1, i+1)}
		}
	}
	return nil
}

// otherSeparator says, for a record short of missing fields, that it
// holds enough of another separator than the header's to make them up:
// an export whose header and records are separated otherwise (a header
// written by hand with commas over records with semicolons), where each
// record reads as one field. It returns "" when the record does not.
func otherSeparator(rec []string, comma rune, missing int) string {
	names := map[rune]string{';': "semicolons", ',': "commas", '\t': "tabs"}
	for _, sep := range []rune{';', ',', '\t'} {
		if sep == comma {
			continue
		}
		n := 0
		for _, f := range rec {
			n += strings.Count(f, string(sep))
		}
		if n >= missing {
			return fmt.Sprintf(" (the record holds %d %s, where the header is separated by %s: the header and the records are to be separated alike)",
				n, names[sep], names[comma])
		}
	}
	return ""
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
		e := &InputError{File: t.file, Line: pe.Line, Column: pe.Column, Index: -1, Err: pe.Err}
		if pe.StartLine > 0 && pe.StartLine != pe.Line {
			// A quote that runs to the end of the file: say where the
			// record it is in begins.
			e.Err = fmt.Errorf("%w (in the record that begins on line %d)", pe.Err, pe.StartLine)
		}
		return e
	}
	var ie *InputError
	if errors.As(err, &ie) {
		ie.File = t.file
		return ie
	}
	return &InputError{File: t.file, Index: -1, Err: err}
}
