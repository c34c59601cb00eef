package models

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// csvReader reads records of RFC 4180 CSV as encoding/csv.Reader does
// with FieldsPerRecord -1, ReuseRecord, and neither LazyQuotes nor
// TrimLeadingSpace: the same records, field positions, input offsets
// and errors (a *csv.ParseError with the same line and column), which
// FuzzCSVReader holds it to, but that it refuses a line past
// maxLineBytes and a quoted record past maxQuotedBytes rather than hold
// it. It is faster on the common line, one
// without quotes and with a one-byte separator: that line is scanned
// for a quote once and split where the separator is, and its fields are
// cut from a single string, instead of being copied field by field.
type csvReader struct {
	r       *bufio.Reader
	comma   rune
	comment rune

	line   int   // lines read
	offset int64 // bytes read
	raw    []byte
	buf    []byte // a quoted record's fields, unquoted
	ends   []int  // where each field ends in buf
	pos    []fieldPos
	rec    []string

	// When share is set, the records' text is written to text, a slab
	// of textSlab bytes, and their fields are cut from it: some hundred
	// records share one allocation instead of making one each. A field
	// kept keeps its whole slab alive, so this is for a caller that
	// keeps every record (ReadVisitsCSVWith), not one that keeps a few.
	share bool
	text  strings.Builder
}

// maxQuotedBytes bounds a record's quoted text over several lines: a
// field of a visit is a few words, and a quote left open would otherwise
// take the rest of the file into one field, in memory.
const maxQuotedBytes = 1 << 20

// errLongQuoted is the error of a record past maxQuotedBytes.
var errLongQuoted = errors.New("a quoted field runs on over a megabyte of lines: the quote that opens it here is not closed")

// maxLineBytes bounds a line: a record of a visit is a few hundred
// bytes, and a line that goes on without end (a file that is no CSV, a
// column of pasted data) would otherwise be held whole in memory, several
// times over as it grows, by a reader whose memory is not to grow with
// the file (found by attack: a line of 100 MB took 672 MB to read).
const maxLineBytes = 1 << 20

// errLongLine is the error of a line past maxLineBytes.
var errLongLine = errors.New("the line runs on over a megabyte: no record is that long (is the file CSV?)")

// textSlab is the size of the slabs a sharing csvReader cuts its
// records' text from.
const textSlab = 16 << 10

// fieldPos is where a field starts: its line and its column in bytes,
// both counted from 1.
type fieldPos struct{ line, col int }

// errInvalidDelim is encoding/csv's error for a separator or comment
// character it cannot read with.
var errInvalidDelim = errors.New("csv: invalid field or comment delimiter")

func newCSVReader(r *bufio.Reader, comma, comment rune) *csvReader {
	return &csvReader{r: r, comma: comma, comment: comment}
}

// validDelim reports whether r can separate fields or start a comment.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// FieldPos returns the line and column in bytes where field i of the
// last record starts.
func (c *csvReader) FieldPos(i int) (line, col int) {
	p := c.pos[i]
	return p.line, p.col
}

// InputOffset returns how many bytes have been read.
func (c *csvReader) InputOffset() int64 { return c.offset }

// readLine reads a line with its \n, as encoding/csv does: a \r\n end
// becomes \n, and a \r that ends the input is dropped. The line is valid
// until the next read. A line past maxLineBytes is a *csv.ParseError at
// its start, and no line.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.raw = append(c.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(c.raw) > maxLineBytes {
				c.line++
				c.offset += int64(len(c.raw))
				return nil, &csv.ParseError{StartLine: c.line, Line: c.line, Column: 1, Err: errLongLine}
			}
			line, err = c.r.ReadSlice('\n')
			c.raw = append(c.raw, line...)
		}
		line = c.raw
	}
	n := len(line)
	if n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	c.line++
	c.offset += int64(n)
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL is 1 when b ends in \n, else 0.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// nextRune returns the first rune of b, utf8.RuneError for none.
func nextRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// Read returns the next record, skipping empty lines and comments, or
// io.EOF at the end. The record is valid until the next call.
func (c *csvReader) Read() ([]string, error) {
	if c.comma == c.comment || !validDelim(c.comma) || (c.comment != 0 && !validDelim(c.comment)) {
		return nil, errInvalidDelim
	}
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = c.readLine()
		if c.comment != 0 && nextRune(line) == c.comment {
			line = nil
			continue
		}
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	c.pos = c.pos[:0]
	if c.comma < utf8.RuneSelf && bytes.IndexByte(line, '"') < 0 {
		c.split(line)
		return c.rec, errRead
	}
	err := c.parse(line, errRead)
	if err == nil {
		err = errRead
	}
	return c.rec, err
}

// str returns b as a string: a copy of its own, or, when c shares, a
// piece of the current slab.
func (c *csvReader) str(b []byte) string {
	if !c.share {
		return string(b)
	}
	if c.text.Cap()-c.text.Len() < len(b) {
		c.text = strings.Builder{}
		c.text.Grow(max(textSlab, len(b)))
	}
	n := c.text.Len()
	c.text.Write(b)
	return c.text.String()[n:]
}

// split cuts a line without quotes at each separator.
func (c *csvReader) split(line []byte) {
	line = line[:len(line)-lengthNL(line)]
	s := c.str(line)
	c.rec = c.rec[:0]
	sep, col := byte(c.comma), 1
	for {
		i := bytes.IndexByte(line, sep)
		if i < 0 {
			break
		}
		c.rec = append(c.rec, s[:i])
		c.pos = append(c.pos, fieldPos{c.line, col})
		s, line, col = s[i+1:], line[i+1:], col+i+1
	}
	c.rec = append(c.rec, s)
	c.pos = append(c.pos, fieldPos{c.line, col})
}

// parse reads a record that may hold quoted fields, starting at line,
// reading more lines for a quoted field that spans them. errRead is the
// error of reading line.
func (c *csvReader) parse(line []byte, errRead error) error {
	const quoteLen = len(`"`)
	commaLen := utf8.RuneLen(c.comma)
	recLine := c.line
	c.buf, c.ends = c.buf[:0], c.ends[:0]
	pos := fieldPos{line: c.line, col: 1}
	var err error
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexRune(line, c.comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				err = &csv.ParseError{StartLine: recLine, Line: c.line, Column: pos.col + j, Err: csv.ErrBareQuote}
				break parseField
			}
			c.buf = append(c.buf, field...)
			c.ends = append(c.ends, len(c.buf))
			c.pos = append(c.pos, pos)
			if i < 0 {
				break parseField
			}
			line = line[i+commaLen:]
			pos.col += i + commaLen
			continue parseField
		}
		start := pos
		line = line[quoteLen:]
		pos.col += quoteLen
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				c.buf = append(c.buf, line[:i]...)
				line = line[i+quoteLen:]
				pos.col += i + quoteLen
				switch r := nextRune(line); {
				case r == '"': // "" is a quote
					c.buf = append(c.buf, '"')
					line = line[quoteLen:]
					pos.col += quoteLen
				case r == c.comma: // ", ends the field
					line = line[commaLen:]
					pos.col += commaLen
					c.ends = append(c.ends, len(c.buf))
					c.pos = append(c.pos, start)
					continue parseField
				case lengthNL(line) == len(line): // "\n ends the record
					c.ends = append(c.ends, len(c.buf))
					c.pos = append(c.pos, start)
					break parseField
				default:
					err = &csv.ParseError{StartLine: recLine, Line: c.line, Column: pos.col - quoteLen, Err: csv.ErrQuote}
					break parseField
				}
			case len(line) > 0: // the field goes on on the next line
				c.buf = append(c.buf, line...)
				if len(c.buf) > maxQuotedBytes {
					// A quote not closed would take the rest of the file
					// into one field: stop where it opened.
					err = &csv.ParseError{StartLine: start.line, Line: start.line, Column: start.col, Err: errLongQuoted}
					break parseField
				}
				if errRead != nil {
					break parseField
				}
				pos.col += len(line)
				line, errRead = c.readLine()
				if len(line) > 0 {
					pos.line++
					pos.col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default: // the input ends inside the quotes
				if errRead == nil {
					err = &csv.ParseError{StartLine: recLine, Line: pos.line, Column: pos.col, Err: csv.ErrQuote}
					break parseField
				}
				c.ends = append(c.ends, len(c.buf))
				c.pos = append(c.pos, start)
				break parseField
			}
		}
	}
	if err == nil {
		err = errRead
	}
	s := c.str(c.buf)
	c.rec = c.rec[:0]
	prev := 0
	for _, end := range c.ends {
		c.rec = append(c.rec, s[prev:end])
		prev = end
	}
	return err
}
