// Package jsonpos finds the line of every value in a JSON document by its
// path, so that errors about decoded data can name the line they come
// from, and checks what encoding/json lets pass: a key written twice in
// one object, data after the document, nesting deeper than a limit.
//
// Scan reads the document once, left to right, with an explicit stack (no
// recursion): its time and memory are linear in the size of the document,
// whatever its shape. It checks the document's structure (brackets,
// commas, colons, strings), not its scalars: encoding/json decodes the
// document afterwards and finds a malformed number.
package jsonpos

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lines maps paths to 1-based lines. A path is written the way the
// library names fields in errors: keys joined by dots, array indexes in
// brackets: "components[1].rate", "tables.timpris.rates".
//
// Lines is a tree of the document's values, one node per value, so that
// its memory is linear in the document (a map of whole paths would hold
// one copy of every ancestor's key per value).
//
// Each node links to its first child and its next sibling; Line walks
// the children of each level of a path. Scanning a document allocates one
// node per value and nothing else but the keys.
type Lines struct {
	nodes []node
	data  []byte
}

type node struct {
	parent int32
	line   int32
	start  int32 // byte offset of the value
	index  int32 // array index, or -1 for an object member or the root
	first  int32 // first child, or 0
	next   int32 // next sibling, or 0
	size   int32 // values in the subtree, the node's own included
	// keyOff and keyLen locate an object member's key in the document,
	// between its quotes, as written (escapes undecoded).
	keyOff, keyLen int32
}

// rawKey returns a member's key as written.
func (l Lines) rawKey(id int32) []byte {
	n := l.nodes[id]
	return l.data[n.keyOff : n.keyOff+n.keyLen]
}

// key returns a member's key, its escapes decoded.
func (l Lines) key(id int32) string {
	raw := l.rawKey(id)
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	var v string
	q := l.data[l.nodes[id].keyOff-1 : l.nodes[id].keyOff+l.nodes[id].keyLen+1]
	if err := json.Unmarshal(q, &v); err != nil {
		return string(raw)
	}
	return v
}

// keyIs reports whether a member's key is k.
func (l Lines) keyIs(id int32, k string) bool {
	raw := l.rawKey(id)
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw) == k
	}
	return l.key(id) == k
}

// Error is a problem in the structure of a document, or one its decoding
// met: its line, the path of the value it was found in, and what. Err is
// the decoder's error, when it is one (a *json.SyntaxError, a type's
// refusal of a value), for errors.As.
type Error struct {
	Line int
	Path string
	Msg  string
	Err  error
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Msg }

// Unwrap returns the decoder's error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Decode decodes data, the document l was scanned from, into v with
// encoding/json, refusing fields v has none of. Its error is an *Error
// placed at the value it is about, where one can be found: a syntax error
// by its offset, a value of the wrong type by where it starts, an unknown
// field by its key (encoding/json gives it no place), and a value a type
// refused (a date, a decimal) by the first value of the document that is
// the one the message quotes (see quotedValue).
func (l Lines) Decode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	e := &Error{Msg: clipMsg(err.Error()), Err: err}
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		e.Line = bytes.Count(data[:min(max(int(se.Offset), 0), len(data))], []byte("\n")) + 1
	case errors.As(err, &ue):
		e.Line, e.Path = l.At(int(ue.Offset) - 1)
		e.Msg = clipMsg(fmt.Sprintf("cannot use %s as %s", ue.Value, ue.Type))
	default:
		t := reflect.TypeOf(v)
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			e.Line, e.Path = l.unknownKey(t, strings.Trim(name, `"`))
		} else {
			e.Line, e.Path = l.quotedValue(t, data, err.Error())
		}
	}
	return e
}

// maxMsg is the longest message Decode passes on whole: a decoder
// quotes the value it refuses, and a value may be a megabyte long.
const maxMsg = 240

// clipMsg shortens a message past maxMsg bytes, at a character
// boundary, saying how long it was.
func clipMsg(s string) string {
	if len(s) <= maxMsg {
		return s
	}
	cut := maxMsg - 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:cut], len(s))
}

// quotedValue finds the value msg quotes in data and returns its line
// and path: the JSON text between the first pair of single quotes, as
// shopspring/decimal quotes what it refuses ('true', '"1e99999"'), or
// else a JSON string equal to the first double-quoted string. Of the
// values of the document written so, it takes the first that decodes
// into a type of its own (one with an UnmarshalJSON or UnmarshalText
// method, which can refuse a value) in a document decoded into t: "12,50"
// refused as a fee, not the same text as a name; the first of them when
// none does.
func (l Lines) quotedValue(t reflect.Type, data []byte, msg string) (int, string) {
	var lit []byte
	if i := strings.IndexByte(msg, '\''); i >= 0 {
		if j := strings.IndexByte(msg[i+1:], '\''); j > 0 {
			lit = []byte(msg[i+1 : i+1+j])
		}
	}
	if lit == nil {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			return 0, ""
		}
		q, err := strconv.QuotedPrefix(msg[i:])
		if err != nil {
			return 0, ""
		}
		v, _ := strconv.Unquote(q)
		lit, _ = json.Marshal(v)
	}
	first := -1
	for from := 0; from < len(data); {
		off := bytes.Index(data[from:], lit)
		if off < 0 {
			break
		}
		off += from
		if first < 0 {
			first = off
		}
		if id := l.nodeAt(off); id > 0 {
			if vt, ok := l.typeOf(t, id); ok && unmarshals(vt) {
				return l.At(off)
			}
		}
		from = off + len(lit)
	}
	if first < 0 {
		return 0, ""
	}
	return l.At(first)
}

// unknownKey returns the line and path of the member named key whose
// object decodes into a struct without that field, in a document
// decoded into t: a top-level "label" the struct lacks, not a
// component's "label" that it has; the first member named key when none
// can be told so.
func (l Lines) unknownKey(t reflect.Type, key string) (int, string) {
	first := int32(0)
	for id := int32(1); id < int32(len(l.nodes)); id++ {
		n := l.nodes[id]
		if n.index >= 0 || !l.keyIs(id, key) {
			continue
		}
		if first == 0 {
			first = id
		}
		pt, ok := l.typeOf(t, n.parent)
		for ok && pt.Kind() == reflect.Pointer {
			pt = pt.Elem()
		}
		if ok && pt.Kind() == reflect.Struct {
			if _, has := fieldByName(pt, key); !has {
				return int(n.line), l.path(id)
			}
		}
	}
	if first == 0 {
		return 0, ""
	}
	return int(l.nodes[first].line), l.path(first)
}

// nodeAt returns the node whose value starts at byte offset off, or 0.
func (l Lines) nodeAt(off int) int32 {
	i, found := slices.BinarySearchFunc(l.nodes, off, func(n node, off int) int { return cmp.Compare(int(n.start), off) })
	if !found {
		return 0
	}
	return int32(i)
}

// typeOf returns the Go type the value of node id decodes into, in a
// document decoded into t, following struct fields as encoding/json
// matches them (tag or name, without regard to case), map values and
// slice elements.
func (l Lines) typeOf(t reflect.Type, id int32) (reflect.Type, bool) {
	if t == nil {
		return nil, false
	}
	var chain []int32
	for c := id; c > 0; c = l.nodes[c].parent {
		chain = append(chain, c)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		n := l.nodes[chain[i]]
		switch {
		case n.index >= 0 && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			t = t.Elem()
		case n.index < 0 && t.Kind() == reflect.Map:
			t = t.Elem()
		case n.index < 0 && t.Kind() == reflect.Struct:
			f, ok := fieldByName(t, l.key(chain[i]))
			if !ok {
				return nil, false
			}
			t = f.Type
		default:
			return nil, false
		}
	}
	return t, true
}

// fieldByName returns the field of struct t that encoding/json decodes a
// member named name into: by its tag or its name, without regard to
// case, looking into embedded structs.
func fieldByName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if sf, ok := fieldByName(ft, name); ok {
					return sf, true
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// unmarshals reports whether values of t decode by a method of their
// own, which can refuse a value.
func unmarshals(t reflect.Type) bool {
	for _, u := range []reflect.Type{jsonUnmarshaler, textUnmarshaler} {
		if t.Implements(u) || reflect.PointerTo(t).Implements(u) {
			return true
		}
	}
	return false
}

// Index returns the line of every value in data. It returns what it found
// before the first error, if any.
func Index(data []byte) Lines {
	l, _ := Scan(data, 0)
	return l
}

// Line returns the line of path, or of its nearest ancestor that has one,
// or 0.
func (l Lines) Line(path string) int {
	if len(l.nodes) == 0 {
		return 0
	}
	id := int32(0)
	for path != "" {
		var key string
		index := int32(-1)
		switch {
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return int(l.nodes[id].line)
			}
			n, err := strconv.Atoi(path[1:end])
			if err != nil {
				return int(l.nodes[id].line)
			}
			index, path = int32(n), path[end+1:]
		default:
			path = strings.TrimPrefix(path, ".")
			// A key may hold "." or "[" itself ("S:t Olof. norra"): the
			// longest key of the object that the path continues from
			// is the one (found by attack: a rate under such a key was
			// placed on its table's line).
			if c, rest, ok := l.keyPrefix(id, path); ok {
				id, path = c, rest
				continue
			}
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			key, path = path[:end], path[end:]
		}
		next := l.child(id, key, index)
		if next == 0 {
			break
		}
		id = next
	}
	return int(l.nodes[id].line)
}

// keyPrefix returns the member of object id whose key is the longest
// that path begins with, followed by its end, "." or "[", and the rest
// of path after the key; ok is false when no key holds "." or "[" and
// path begins with it, so that Line splits the path at its separators.
func (l Lines) keyPrefix(id int32, path string) (child int32, rest string, ok bool) {
	best := -1
	for c := l.nodes[id].first; c != 0; c = l.nodes[c].next {
		if l.nodes[c].index >= 0 {
			return 0, "", false // an array
		}
		if raw := l.rawKey(c); !bytes.ContainsAny(raw, `.[\`) {
			continue // the common key, without allocating it
		}
		k := l.key(c)
		if len(k) <= best || !strings.ContainsAny(k, ".[") || !strings.HasPrefix(path, k) {
			continue
		}
		if r := path[len(k):]; r == "" || r[0] == '.' || r[0] == '[' {
			child, rest, best, ok = c, r, len(k), true
		}
	}
	return child, rest, ok
}

// child returns the child of id with the key or index, or 0.
func (l Lines) child(id int32, key string, index int32) int32 {
	for c := l.nodes[id].first; c != 0; c = l.nodes[c].next {
		if n := l.nodes[c]; n.index == index && (index >= 0 || l.keyIs(c, key)) {
			return c
		}
	}
	return 0
}

// find returns the node of a path of keys, or -1.
func (l Lines) find(keys ...string) int32 {
	if len(l.nodes) == 0 {
		return -1
	}
	id := int32(0)
	for _, k := range keys {
		if id = l.child(id, k, -1); id == 0 {
			return -1
		}
	}
	return id
}

// Size returns the number of values inside the value at the path of
// keys (its members, their members...), or 0 if there is none.
func (l Lines) Size(keys ...string) int {
	id := l.find(keys...)
	if id < 0 {
		return 0
	}
	return int(l.nodes[id].size) - 1
}

// MemberSizes yields, for each member of the object at path, in order,
// its key and the Size of the value at the path below inside it (below
// empty: the member's own). Its work is linear in the members, whatever
// their number: Size for each would look each up among all.
func (l Lines) MemberSizes(path []string, below ...string) iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		id := l.find(path...)
		if id < 0 {
			return
		}
		for c := l.nodes[id].first; c != 0; c = l.nodes[c].next {
			if l.nodes[c].index >= 0 {
				continue
			}
			v := c
			for _, k := range below {
				if v = l.child(v, k, -1); v == 0 {
					break
				}
			}
			size := 0
			if v != 0 {
				size = int(l.nodes[v].size) - 1
			}
			if !yield(l.key(c), size) {
				return
			}
		}
	}
}

// Len returns the number of members or elements of the object or array
// at the path of keys, or 0.
func (l Lines) Len(keys ...string) int {
	id := l.find(keys...)
	if id < 0 {
		return 0
	}
	n := 0
	for c := l.nodes[id].first; c != 0; c = l.nodes[c].next {
		n++
	}
	return n
}

// Keys returns the keys of the object at the path of keys, in order.
func (l Lines) Keys(keys ...string) []string {
	id := l.find(keys...)
	if id < 0 {
		return nil
	}
	var out []string
	for c := l.nodes[id].first; c != 0; c = l.nodes[c].next {
		if l.nodes[c].index < 0 {
			out = append(out, l.key(c))
		}
	}
	return out
}

// Key returns the line and path of the first member named key anywhere in
// the document, or 0 and "".
func (l Lines) Key(key string) (line int, path string) {
	for id := 1; id < len(l.nodes); id++ {
		if n := l.nodes[id]; n.index < 0 && l.keyIs(int32(id), key) {
			return int(n.line), l.path(int32(id))
		}
	}
	return 0, ""
}

// At returns the line and path of the innermost value that starts at or
// before the byte offset off, or 0 and "".
func (l Lines) At(off int) (line int, path string) {
	i, _ := slices.BinarySearchFunc(l.nodes, off, func(n node, off int) int { return cmp.Compare(int(n.start), off) })
	if i < len(l.nodes) && int(l.nodes[i].start) == off {
		return int(l.nodes[i].line), l.path(int32(i))
	}
	if i == 0 {
		return 0, ""
	}
	return int(l.nodes[i-1].line), l.path(int32(i - 1))
}

// path rebuilds the path of a node.
func (l Lines) path(id int32) string {
	var parts []string
	for ; id > 0; id = l.nodes[id].parent {
		n := l.nodes[id]
		if n.index >= 0 {
			parts = append(parts, "["+strconv.Itoa(int(n.index))+"]")
		} else {
			parts = append(parts, "."+l.key(id))
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return strings.TrimPrefix(b.String(), ".")
}

// scanner reads one document.
type scanner struct {
	data     []byte
	pos      int
	line     int
	maxDepth int
	l        Lines
	stack    []frame
	scratch  []int32
	folded   []foldedKey
}

type frame struct {
	id       int32
	last     int32 // last child, or 0
	obj      bool
	n        int
	needElem bool // after a comma
	line     int  // where the container opens
}

// Scan reads data and returns the line of every value. maxDepth bounds
// the nesting of objects and arrays (0: no bound). It returns an *Error
// for a key repeated in one object, a document nested deeper than
// maxDepth, a document that ends before its last bracket closes, a
// bracket, comma or colon out of place, and data after the document;
// with it, the lines of what it read before.
func Scan(data []byte, maxDepth int) (Lines, error) {
	s := &scanner{data: data, line: 1, maxDepth: maxDepth,
		l: Lines{nodes: make([]node, 0, 256), data: data}}
	err := s.run()
	return s.l, err
}

func (s *scanner) fail(id int32, format string, args ...any) error {
	return &Error{Line: s.line, Path: s.l.path(id), Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) newNode(parent int32, keyOff, keyLen, index int32) int32 {
	id := int32(len(s.l.nodes))
	if len(s.l.nodes) == cap(s.l.nodes) {
		// Double, to bound what growing costs to the final size (append
		// grows large slices by a quarter).
		grown := make([]node, len(s.l.nodes), 2*cap(s.l.nodes))
		copy(grown, s.l.nodes)
		s.l.nodes = grown
	}
	s.l.nodes = append(s.l.nodes, node{parent: parent, line: int32(s.line), keyOff: keyOff, keyLen: keyLen, index: index, size: 1})
	if len(s.stack) > 0 {
		f := &s.stack[len(s.stack)-1]
		if f.last == 0 {
			s.l.nodes[f.id].first = id
		} else {
			s.l.nodes[f.last].next = id
		}
		f.last = id
	}
	return id
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		s.pos++
	}
}

func (s *scanner) run() error {
	s.ws()
	if s.pos == len(s.data) {
		return s.fail(0, "empty document")
	}
	s.newNode(-1, 0, 0, -1)
	if err := s.value(0); err != nil {
		return err
	}
	for len(s.stack) > 0 {
		if err := s.step(); err != nil {
			return err
		}
	}
	s.ws()
	if s.pos < len(s.data) {
		return s.fail(0, "data after the end of the document")
	}
	return nil
}

// step reads the next element of the innermost open container, or its
// end.
func (s *scanner) step() error {
	f := &s.stack[len(s.stack)-1]
	s.ws()
	closer := byte(']')
	if f.obj {
		closer = '}'
	}
	if s.pos == len(s.data) {
		return s.fail(f.id, "the document ends before %c closes (opened on line %d)", closer, f.line)
	}
	c := s.data[s.pos]
	if f.n > 0 && !f.needElem {
		switch c {
		case ',':
			s.pos++
			f.needElem = true
			return nil
		case closer:
			s.pos++
			return s.pop()
		}
		return s.fail(f.id, "want , or %c, found %q", closer, c)
	}
	if f.n == 0 && c == closer {
		s.pos++
		return s.pop()
	}
	f.n++
	f.needElem = false
	if !f.obj {
		return s.value(s.newNode(f.id, 0, 0, int32(f.n-1)))
	}
	if c != '"' {
		return s.fail(f.id, "want a key in quotes, found %q", c)
	}
	keyOff := s.pos + 1
	if err := s.str(f.id); err != nil {
		return err
	}
	keyLen := s.pos - 1 - keyOff
	s.ws()
	if s.pos == len(s.data) || s.data[s.pos] != ':' {
		return s.fail(f.id, "want : after key %.40q", s.data[keyOff:keyOff+keyLen])
	}
	s.pos++
	s.ws()
	return s.value(s.newNode(f.id, int32(keyOff), int32(keyLen), -1))
}

// pop closes the innermost container; an object is checked for a key
// written twice.
func (s *scanner) pop() error {
	f := s.stack[len(s.stack)-1]
	s.l.nodes[f.id].size = int32(len(s.l.nodes)) - f.id
	s.stack = s.stack[:len(s.stack)-1]
	if f.obj && f.n > 1 {
		return s.repeatedKey(f.id)
	}
	return nil
}

// repeatedKey finds a key written twice among the members of object id
// by sorting them (no map: memory is four bytes a member), and reports
// the repetition that comes first in the document.
func (s *scanner) repeatedKey(id int32) error {
	s.scratch = s.scratch[:0]
	for c := s.l.nodes[id].first; c != 0; c = s.l.nodes[c].next {
		s.scratch = append(s.scratch, c)
	}
	if len(s.scratch) < 2 {
		return nil
	}
	// Keys are compared as encoding/json matches them to fields:
	// without regard to case, so that "fee" and "FEE" (or "levelſ")
	// are one key given twice, not two of which the decoder takes the
	// last.
	s.folded = s.folded[:0]
	for _, c := range s.scratch {
		s.folded = append(s.folded, foldedKey{fold: foldKey(s.l.key(c)), id: c})
	}
	slices.SortFunc(s.folded, func(a, b foldedKey) int { return cmp.Or(strings.Compare(a.fold, b.fold), cmp.Compare(a.id, b.id)) })
	first, second := int32(-1), int32(-1)
	for i := 1; i < len(s.folded); i++ {
		a, b := s.folded[i-1], s.folded[i]
		if a.fold == b.fold && (second < 0 || b.id < second) {
			first, second = a.id, b.id
		}
	}
	clear(s.folded)
	if second < 0 {
		return nil
	}
	key := s.l.key(second)
	if k := s.l.key(first); k != key {
		return &Error{Line: int(s.l.nodes[second].line), Path: s.l.path(second),
			Msg: fmt.Sprintf("key %.40q written twice in one object, as %.40q on line %d (keys are matched without regard to case)", key, k, s.l.nodes[first].line)}
	}
	return &Error{Line: int(s.l.nodes[second].line), Path: s.l.path(second),
		Msg: fmt.Sprintf("key %.40q written twice in one object (first on line %d)", key, s.l.nodes[first].line)}
}

// foldedKey is a member's key folded (foldKey), with the member.
type foldedKey struct {
	fold string
	id   int32
}

// foldKey folds a key as encoding/json matches field names: without
// regard to case, ſ as s and the Kelvin sign as k.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	b := make([]rune, 0, len(s))
	for _, r := range s {
		b = append(b, unicode.ToLower(unicode.ToUpper(r)))
	}
	return string(b)
}

// value reads the value of node id: a scalar whole, or the opening of a
// container.
func (s *scanner) value(id int32) error {
	s.ws()
	if s.pos == len(s.data) {
		return s.fail(id, "the document ends where a value should be")
	}
	s.l.nodes[id].line = int32(s.line)
	s.l.nodes[id].start = int32(s.pos)
	switch c := s.data[s.pos]; c {
	case '{', '[':
		if s.maxDepth > 0 && len(s.stack) >= s.maxDepth {
			return s.fail(id, "nested deeper than %d levels", s.maxDepth)
		}
		s.stack = append(s.stack, frame{id: id, obj: c == '{', line: s.line})
		s.pos++
		return nil
	case '"':
		return s.str(id)
	}
	start := s.pos
	for s.pos < len(s.data) && isScalar(s.data[s.pos]) {
		s.pos++
	}
	if s.pos == start {
		return s.fail(id, "unexpected character %q", s.data[s.pos])
	}
	return nil
}

func isScalar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.'
}

// str reads past a string; encoding/json checks its escapes.
func (s *scanner) str(id int32) error {
	s.pos++
	start, ascii := s.pos, true
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '\\':
			if s.pos+1 < len(s.data) && s.data[s.pos+1] == 'u' {
				if err := s.surrogate(id); err != nil {
					return err
				}
			}
			s.pos++
		case c == '\n':
			s.line++
		case c == '"':
			if !ascii && !utf8.Valid(s.data[start:s.pos]) {
				return s.fail(id, "a string that is not UTF-8 (save the file as UTF-8)")
			}
			s.pos++
			return nil
		case c >= utf8.RuneSelf:
			ascii = false
		}
		s.pos++
	}
	return s.fail(id, "the document ends inside a string")
}

// surrogate checks the escape \uXXXX at s.pos: a UTF-16 surrogate
// must come in a pair, high then low, which encoding/json would
// otherwise turn into U+FFFD without a word.
func (s *scanner) surrogate(id int32) error {
	r, ok := hex4(s.data, s.pos+2)
	if !ok || r < 0xD800 || r > 0xDFFF {
		return nil // not a surrogate; a malformed escape is the decoder's to report
	}
	if r <= 0xDBFF {
		if lo, ok := hex4(s.data, s.pos+8); ok && s.pos+7 < len(s.data) && s.data[s.pos+6] == '\\' && s.data[s.pos+7] == 'u' && lo >= 0xDC00 && lo <= 0xDFFF {
			s.pos += 6 // the pair: skip to the low half's backslash
			return nil
		}
	}
	return s.fail(id, "a lone UTF-16 surrogate \\u%04x in a string (not a character)", r)
}

// hex4 reads four hexadecimal digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[i:i+4]), 16, 16)
	return rune(v), err == nil
}
