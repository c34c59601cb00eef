package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the one pass over a JSON document that encoding/json
// does not make: it checks what encoding/json lets through (duplicate
// fields, invalid UTF-8 and lone surrogates, which it would turn into
// U+FFFD, data after the document) and records where the records of the
// top-level arrays start, with their lines, so that errors can name lines
// without rescanning the document. Lines of other offsets come from an
// index of line starts built once, on the first error, and searched.

// maxDepth bounds the nesting of a document, as encoding/json does.
const maxDepth = 10000

// span is a value in the document: its bytes are data[start:end] and it
// starts on line.
type span struct {
	start, end, line int
}

// member is a member of the top-level object: its key and value, and the
// records of the value when it is an array.
type member struct {
	key   string
	keyAt span
	value span
	elems []span // nil unless the value is an array
	array bool
	null  bool
}

// jsonDoc is a document being read.
type jsonDoc struct {
	data  []byte
	file  string
	lines lineIndex
}

// pos returns the 1-based line and column (in characters) of byte offset
// off.
func (d *jsonDoc) pos(off int) (line, col int) {
	d.lines.data = d.data
	return d.lines.pos(off)
}

// errAt returns an *InputError at byte offset off.
func (d *jsonDoc) errAt(off int, err error) *InputError {
	line, col := d.pos(off)
	return &InputError{File: d.file, Line: line, Column: col, Index: -1, Err: err}
}

// scanner walks a document once.
type scanner struct {
	doc   *jsonDoc
	i     int
	line  int
	depth int
	keys  []keyRef // keys of the objects being scanned, innermost last
	err   *InputError
}

// keyRef is a key of an object: its raw bytes (without quotes) when they
// are plain ASCII without escapes, else its folded text.
type keyRef struct {
	raw    []byte
	folded string
	simple bool
	at     int // offset of the key
}

// scanDocument checks data as one JSON document after an optional UTF-8
// byte order mark and returns the members of the top-level object (top
// is '{') or the records of the top-level array (top is '[') in a single
// member with an empty key.
func scanDocument(doc *jsonDoc, top byte) ([]member, error) {
	s := &scanner{doc: doc, line: 1}
	doc.data = bytes.TrimPrefix(doc.data, []byte("\ufeff"))
	s.ws()
	if s.i >= len(doc.data) || doc.data[s.i] != top {
		want := "an object"
		if top == '[' {
			want = "an array"
		}
		return nil, s.fail(fmt.Errorf("want %s at the top level", want))
	}
	var out []member
	if top == '[' {
		m := member{value: span{start: s.i, line: s.line}, array: true}
		m.elems = s.array(true)
		m.value.end = s.i
		out = append(out, m)
	} else {
		s.object(func(k keyRef, keyAt span) {
			m := member{key: k.text(), keyAt: keyAt, value: span{start: s.i, line: s.line}}
			switch {
			case s.i < len(doc.data) && doc.data[s.i] == '[':
				m.array = true
				m.elems = s.array(true)
			case bytes.HasPrefix(doc.data[s.i:], []byte("null")):
				m.null = true
				s.value()
			default:
				s.value()
			}
			m.value.end = s.i
			out = append(out, m)
		})
	}
	if s.err != nil {
		return nil, s.err
	}
	s.ws()
	if s.i < len(doc.data) {
		return nil, s.fail(errors.New("data after the JSON document"))
	}
	return out, nil
}

func (s *scanner) fail(err error) *InputError {
	if s.err == nil {
		s.err = s.doc.errAt(s.i, err)
	}
	return s.err
}

func (s *scanner) ws() {
	d := s.doc.data
	for s.i < len(d) {
		switch d[s.i] {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		s.i++
	}
}

// value scans one value of any kind.
func (s *scanner) value() {
	s.ws()
	d := s.doc.data
	if s.err != nil {
		return
	}
	if s.i >= len(d) {
		s.fail(errors.New("unexpected end of JSON input"))
		return
	}
	switch c := d[s.i]; {
	case c == '{':
		s.object(func(keyRef, span) { s.value() })
	case c == '[':
		s.array(false)
	case c == '"':
		s.str()
	case c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z':
		// Numbers and literals: their exact syntax is left to
		// encoding/json, which decodes every value the scan accepts.
		j := s.i
		for j < len(d) && (d[j] == '-' || d[j] == '+' || d[j] == '.' || d[j] >= '0' && d[j] <= '9' || d[j] >= 'a' && d[j] <= 'z' || d[j] >= 'A' && d[j] <= 'Z') {
			j++
		}
		s.i = j
	default:
		s.fail(fmt.Errorf("invalid character %s looking for a value", quoteByte(c)))
	}
}

func quoteByte(c byte) string {
	if c < utf8.RuneSelf {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// enter and leave count nesting.
func (s *scanner) enter() bool {
	s.depth++
	if s.depth > maxDepth {
		s.fail(fmt.Errorf("nested deeper than %d", maxDepth))
		return false
	}
	return true
}

// array scans an array at s.i and returns the spans of its elements when
// record is set.
func (s *scanner) array(record bool) []span {
	if !s.enter() {
		return nil
	}
	defer func() { s.depth-- }()
	d := s.doc.data
	s.i++ // [
	var elems []span
	if record {
		elems = []span{}
	}
	s.ws()
	if s.i < len(d) && d[s.i] == ']' {
		s.i++
		return elems
	}
	for s.err == nil {
		s.ws()
		e := span{start: s.i, line: s.line}
		s.value()
		e.end = s.i
		if record {
			elems = append(elems, e)
		}
		s.ws()
		if s.i >= len(d) {
			s.fail(errors.New("unexpected end of JSON input"))
			break
		}
		if d[s.i] == ']' {
			s.i++
			break
		}
		if d[s.i] != ',' {
			s.fail(fmt.Errorf("invalid character %s after array element", quoteByte(d[s.i])))
			break
		}
		s.i++
	}
	return elems
}

// object scans an object at s.i, calling member with each key and its
// span with s.i at the value, which member must scan. It reports a key
// given twice (as encoding/json compares keys: ignoring case).
func (s *scanner) object(member func(k keyRef, keyAt span)) {
	if !s.enter() {
		return
	}
	defer func() { s.depth-- }()
	d := s.doc.data
	s.i++ // {
	base := len(s.keys)
	defer func() { s.keys = s.keys[:base] }()
	var many map[string]int // keys by folded text once the object is large
	s.ws()
	if s.i < len(d) && d[s.i] == '}' {
		s.i++
		return
	}
	for s.err == nil {
		s.ws()
		if s.i >= len(d) || d[s.i] != '"' {
			if s.i >= len(d) {
				s.fail(errors.New("unexpected end of JSON input"))
			} else {
				s.fail(fmt.Errorf("invalid character %s looking for an object key", quoteByte(d[s.i])))
			}
			return
		}
		at := span{start: s.i, line: s.line}
		k := s.key()
		at.end = s.i
		if s.err != nil {
			return
		}
		prev := -1
		if many != nil {
			if p, ok := many[k.fold()]; ok {
				prev = p
			}
		} else {
			for j := base; j < len(s.keys); j++ {
				if sameKey(&s.keys[j], &k) {
					prev = s.keys[j].at
					break
				}
			}
		}
		if prev >= 0 {
			pl, _ := s.doc.pos(prev)
			s.i = at.start
			s.fail(fmt.Errorf("duplicate field %s (first on line %d)", strconv.Quote(string(d[at.start+1:at.end-1])), pl))
			return
		}
		s.keys = append(s.keys, k)
		if many == nil && len(s.keys)-base > 32 {
			many = map[string]int{}
			for j := base; j < len(s.keys); j++ {
				many[s.keys[j].fold()] = s.keys[j].at
			}
		} else if many != nil {
			many[k.fold()] = k.at
		}
		s.ws()
		if s.i >= len(d) || d[s.i] != ':' {
			s.fail(errors.New("want ':' after object key"))
			return
		}
		s.i++
		s.ws()
		member(k, at)
		s.ws()
		if s.err != nil {
			return
		}
		if s.i >= len(d) {
			s.fail(errors.New("unexpected end of JSON input"))
			return
		}
		if d[s.i] == '}' {
			s.i++
			return
		}
		if d[s.i] != ',' {
			s.fail(fmt.Errorf("invalid character %s after object value", quoteByte(d[s.i])))
			return
		}
		s.i++
	}
}

// key scans a string used as a key.
func (s *scanner) key() keyRef {
	start := s.i
	simple := s.str()
	k := keyRef{raw: s.doc.data[start+1 : max(start+1, s.i-1)], simple: simple, at: start}
	if !simple && s.err == nil {
		k.folded = foldKey(unquote(k.raw))
	}
	return k
}

func (k *keyRef) fold() string {
	if k.simple {
		return foldKey(string(k.raw))
	}
	return k.folded
}

func (k *keyRef) text() string {
	if k.simple {
		return string(k.raw)
	}
	return unquote(k.raw)
}

func sameKey(a, b *keyRef) bool {
	if a.simple && b.simple {
		return bytes.EqualFold(a.raw, b.raw)
	}
	return a.fold() == b.fold()
}

// foldKey folds a key as encoding/json matches field names: without
// regard to case.
func foldKey(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		b = append(b, unicode.ToLower(unicode.ToUpper(r)))
	}
	return string(b)
}

// str scans a string at s.i, checking its UTF-8 and its escapes; it
// reports whether the string is plain ASCII without escapes.
func (s *scanner) str() bool {
	d := s.doc.data
	s.i++ // "
	simple := true
	for s.i < len(d) {
		c := d[s.i]
		switch {
		case c == '"':
			s.i++
			return simple
		case c == '\\':
			simple = false
			s.escape()
			if s.err != nil {
				return false
			}
		case c < 0x20:
			s.fail(fmt.Errorf("control character %s in string", quoteByte(c)))
			return false
		case c >= utf8.RuneSelf:
			simple = false
			r, n := utf8.DecodeRune(d[s.i:])
			if r == utf8.RuneError && n <= 1 {
				s.fail(errors.New("invalid UTF-8 in string"))
				return false
			}
			s.i += n
		default:
			s.i++
		}
	}
	s.fail(errors.New("unexpected end of JSON input in string"))
	return false
}

// escape scans an escape sequence at s.i, refusing lone surrogates, which
// encoding/json would turn into U+FFFD.
func (s *scanner) escape() {
	d := s.doc.data
	if s.i+1 >= len(d) {
		s.fail(errors.New("unexpected end of JSON input in string"))
		return
	}
	switch d[s.i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.i += 2
		return
	case 'u':
	default:
		s.fail(fmt.Errorf("invalid escape %s in string", quoteByte(d[s.i+1])))
		return
	}
	r, ok := hex4(d[s.i+2:])
	if !ok {
		s.fail(errors.New(`invalid \u escape in string`))
		return
	}
	if utf16.IsSurrogate(r) {
		r2, ok := rune(0), false
		if len(d) >= s.i+12 && d[s.i+6] == '\\' && d[s.i+7] == 'u' {
			r2, ok = hex4(d[s.i+8:])
		}
		if !ok || r >= 0xdc00 || utf16.DecodeRune(r, r2) == unicode.ReplacementChar {
			s.fail(fmt.Errorf(`lone surrogate \u%04x in string: not valid Unicode`, r))
			return
		}
		s.i += 6
	}
	s.i += 6
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(v), err == nil
}

// unquote returns the text of a string's raw bytes (between the quotes),
// already checked by str.
func unquote(raw []byte) string {
	var s string
	if err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s); err != nil {
		return string(raw)
	}
	return s
}
