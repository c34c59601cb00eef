package jsonpos

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIndex(t *testing.T) {
	doc := `{
  "name": "x",
  "components": [
    {"name": "a"},
    {
      "name": "b",
      "rate": "table(\"t\")"
    }
  ],
  "tables": {"t": {"rates": {"x": "1"}}}
}`
	got := Index([]byte(doc))
	want := map[string]int{
		"": 1, "name": 2, "components": 3, "components[0]": 4, "components[0].name": 4,
		"components[1]": 5, "components[1].name": 6, "components[1].rate": 7,
		"tables": 10, "tables.t": 10, "tables.t.rates": 10, "tables.t.rates.x": 10,
		// Missing paths take the line of their nearest ancestor.
		"components[1].when": 5, "components[7].rate": 3,
	}
	for p, w := range want {
		if n := got.Line(p); n != w {
			t.Errorf("Line(%q) = %d, want %d", p, n, w)
		}
	}
	if line, path := got.Key("rate"); line != 7 || path != "components[1].rate" {
		t.Errorf("Key(rate) = %d, %q", line, path)
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		depth     int
		want      Error
	}{
		{"repeated key", "{\"a\": {\"x\": 1,\n \"x\": 2}}", 0, Error{Line: 2, Path: "a.x", Msg: `key "x" written twice in one object (first on line 1)`}},
		{"repeated key, escaped", "{\"a\": 1, \"\\u0061\": 2, \"b\": 3}", 0, Error{Line: 1, Path: "a", Msg: `key "a" written twice in one object (first on line 1)`}},
		{"trailing data", "{}\n{}", 0, Error{Line: 2, Path: "", Msg: "data after the end of the document"}},
		{"truncated", "{\"a\": [1,\n2", 0, Error{Line: 2, Path: "a", Msg: "the document ends before ] closes (opened on line 1)"}},
		{"too deep", "[[[[1]]]]", 3, Error{Line: 1, Path: "[0][0][0]", Msg: "nested deeper than 3 levels"}},
		{"trailing comma", "[1,]", 0, Error{Line: 1, Path: "[1]", Msg: `unexpected character ']'`}},
		{"empty", " \n", 0, Error{Line: 2, Path: "", Msg: "empty document"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Scan([]byte(tt.doc), tt.depth)
			var e *Error
			if !errors.As(err, &e) || *e != tt.want {
				t.Errorf("Scan = %#v, want %#v", err, tt.want)
			}
		})
	}
}

// TestScanDeep scans a document nested a million levels deep without
// recursion: it must return, with the depth error.
func TestScanDeep(t *testing.T) {
	doc := strings.Repeat("[", 1<<20)
	if _, err := Scan([]byte(doc), 64); err == nil || !strings.Contains(err.Error(), "deeper than 64") {
		t.Errorf("Scan = %v", err)
	}
	if _, err := Scan([]byte(doc), 0); err == nil || !strings.Contains(err.Error(), "ends before ] closes") {
		t.Errorf("Scan without a bound = %v", err)
	}
}

func FuzzIndex(f *testing.F) {
	f.Add(`{"a":[1,{"b":2}]}`)
	f.Add(`[`)
	f.Add(`{"a":1,"a":2}`)
	f.Fuzz(func(t *testing.T, s string) {
		l, err := Scan([]byte(s), 16)
		for id := range l.nodes {
			if l.nodes[id].line < 1 {
				t.Fatalf("node %d has line %d", id, l.nodes[id].line)
			}
		}
		if err == nil && len(l.nodes) == 0 {
			t.Fatal("no error and no value")
		}
	})
}

func TestAt(t *testing.T) {
	doc := "{\"a\": [1,\n \"x\"], \"b\": 2}"
	l, err := Scan([]byte(doc), 0)
	if err != nil {
		t.Fatal(err)
	}
	off := strings.Index(doc, `"x"`)
	if line, path := l.At(off); line != 2 || path != "a[1]" {
		t.Errorf("At(%d) = %d, %q", off, line, path)
	}
	if line, path := l.At(off + 1); line != 2 || path != "a[1]" {
		t.Errorf("At inside the value = %d, %q", line, path)
	}
}

func TestSizeAndKeys(t *testing.T) {
	l, err := Scan([]byte(`{"zones": ["a", "b", "c"], "tables": {"t": {"rates": {"x": {"y": "1"}, "z": "2"}}, "u": {}}}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := l.Size("zones"); n != 3 {
		t.Errorf("Size(zones) = %d", n)
	}
	if n := l.Size("tables", "t", "rates"); n != 3 {
		t.Errorf("Size(rates) = %d, want x, y and z", n)
	}
	if n := l.Len("tables", "t", "rates"); n != 2 {
		t.Errorf("Len(rates) = %d, want x and z", n)
	}
	if n := l.Size("nothing"); n != 0 {
		t.Errorf("Size(nothing) = %d", n)
	}
	if got := strings.Join(l.Keys("tables"), ","); got != "t,u" {
		t.Errorf("Keys(tables) = %s", got)
	}
}

// TestDecode places what encoding/json refuses at the value it is about:
// a syntax error by its offset, a value of the wrong type, an unknown
// field by its key, and a value a type refused by the string it quotes.
func TestDecode(t *testing.T) {
	type doc struct {
		Name  string    `json:"name"`
		Items []int     `json:"items"`
		When  time.Time `json:"when"`
	}
	tests := []struct {
		name, doc  string
		line       int
		path, want string
	}{
		{"wrong type", "{\"name\": \"a\",\n \"items\": [1,\n \"two\"]}", 3, "items[1]", "cannot use string as int"},
		{"unknown field", "{\"name\": \"a\",\n\n \"colour\": 1}", 3, "colour", `json: unknown field "colour"`},
		{"refused by its type", "{\"name\": \"a\",\n \"when\": \"2024-13-01\"}", 2, "when", `parsing time "2024-13-01": month out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := decode(t, tt.doc, &d)
			var e *Error
			if !errors.As(err, &e) || e.Line != tt.line || e.Path != tt.path || e.Msg != tt.want {
				t.Errorf("Decode = %#v, want line %d, path %q, %q", err, tt.line, tt.path, tt.want)
			}
		})
	}
	// A syntax error Scan lets pass (it does not read scalars): a
	// malformed number on line 2.
	data := []byte("{\"name\": \"a\",\n \"items\": [1.2.3]}")
	l, _ := Scan(data, 0)
	var d doc
	var se *json.SyntaxError
	err := l.Decode(data, &d)
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || !errors.As(err, &se) {
		t.Errorf("Decode of a malformed number = %#v, want line 2 and a *json.SyntaxError", err)
	}
}

// TestDecodeSingleQuoted places a value whose type quotes it in single
// quotes, as shopspring/decimal does: "error decoding string 'true'".
func TestDecodeSingleQuoted(t *testing.T) {
	data := []byte("{\"name\": \"x\",\n \"fee\": true}")
	l, err := Scan(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if line, path := l.quotedValue(nil, data, "error decoding string 'true': can't convert true to decimal"); line != 2 || path != "fee" {
		t.Errorf("line %d, path %q; want 2, fee", line, path)
	}
}

// TestRepeatedKeyIgnoresCase refuses keys that encoding/json would take
// for one field: "fee" and "FEE", "levels" and "levelſ" (found by attack:
// a fee level of 300 kr with "FEE": 3 charged 3 kr, and a tariff's
// "percent": "6" with "Percent": "60" paid 60 %).
func TestRepeatedKeyIgnoresCase(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"{\"fee\": 300,\n \"FEE\": 3}", `line 2: FEE: key "FEE" written twice in one object, as "fee" on line 1 (keys are matched without regard to case)`},
		{`{"levels": [], "levelſ": []}`, `line 1: levelſ: key "levelſ" written twice in one object, as "levels" on line 1`},
		{`{"k": 1, "\u212a": 2}`, `written twice in one object, as "k"`},
		{`{"a": {"x": 1}, "b": {"X": 1}}`, ""}, // in other objects: no repeat
	} {
		_, err := Scan([]byte(tc.doc), 0)
		var e *Error
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.doc, err)
		case tc.want != "" && (!errors.As(err, &e) || !strings.Contains(fmt.Sprintf("line %d: %s: %s", e.Line, e.Path, e.Msg), tc.want)):
			t.Errorf("%s: %v, want %q", tc.doc, err, tc.want)
		}
	}
}

// TestDecodeClipsMessages keeps what Decode says short whatever the
// value it refuses (found by attack: a date of 500 000 characters gave a
// message as long, a decimal of as many digits one twice as long).
func TestDecodeClipsMessages(t *testing.T) {
	type doc struct {
		When  time.Time `json:"when"`
		Count int       `json:"count"`
	}
	for _, src := range []string{`{"when": "` + strings.Repeat("9", 500000) + `"}`, `{"count": ` + strings.Repeat("9", 200000) + `}`} {
		var d doc
		err := decode(t, src, &d)
		if err == nil || len(err.Error()) > maxMsg+40 || !strings.Contains(err.Error(), " bytes)") {
			t.Errorf("%d bytes: %.300v", len(err.Error()), err)
		}
	}
}

// TestDecodePlacesByType places an unknown field at the member its
// struct lacks and a refused value at the field whose type refused it,
// not at the first member or string written the same (found by attack:
// a top-level "label" was blamed on a component's, and "12,50" refused
// as a time was placed at a name written "12,50").
func TestDecodePlacesByType(t *testing.T) {
	type item struct {
		Label string `json:"label"`
	}
	type doc struct {
		Name  string    `json:"name"`
		Items []item    `json:"items"`
		When  time.Time `json:"when"`
	}
	for _, tc := range []struct {
		src        string
		line       int
		path, want string
	}{
		{"{\"items\": [{\"label\": \"a\"}],\n \"label\": \"b\"}", 2, "label", `json: unknown field "label"`},
		{"{\"name\": \"12,50\",\n \"when\": \"12,50\"}", 2, "when", `parsing time "12,50"`},
	} {
		var d doc
		err := decode(t, tc.src, &d)
		var e *Error
		if !errors.As(err, &e) || e.Line != tc.line || e.Path != tc.path || !strings.Contains(e.Msg, tc.want) {
			t.Errorf("%q: %#v, want line %d, %s: %s", tc.src, err, tc.line, tc.path, tc.want)
		}
	}
}

// TestScanRefusesWhatDecodingReplaces: invalid UTF-8 and a lone
// surrogate escape, which encoding/json turns into U+FFFD without a
// word, are refused with their line (found by attack on fee schedules).
func TestScanRefusesWhatDecodingReplaces(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"{\"name\": \"a\",\n \"b\": \"\xff\"}", "line 2: b: a string that is not UTF-8"},
		{`{"name": "\ud800x"}`, `line 1: name: a lone UTF-16 surrogate \ud800`},
		{`{"name": "\udc00"}`, `a lone UTF-16 surrogate \udc00`},
		{`{"name": "\ud83d\ude00 ok", "é": "ä"}`, ""},
		{`{"name": "\\ud800"}`, ""}, // an escaped backslash, then text
	} {
		_, err := Scan([]byte(tc.doc), 0)
		var e *Error
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.doc, err)
		case tc.want != "" && (!errors.As(err, &e) || !strings.Contains(fmt.Sprintf("line %d: %s: %s", e.Line, e.Path, e.Msg), tc.want)):
			t.Errorf("%q: %v, want %q", tc.doc, err, tc.want)
		}
	}
}

// decode scans src, which must scan, and decodes it into v.
func decode(t *testing.T, src string, v any) error {
	t.Helper()
	data := []byte(src)
	l, err := Scan(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	return l.Decode(data, v)
}

// A key may hold "." or "[": the path is read by the object's keys, the
// longest first (found by attack: a rate under "S:t Olof. norra" was
// placed on its table's line).
func TestLineKeysWithSeparators(t *testing.T) {
	doc := `{
  "t": {
    "rates": {
      "S:t Olof": "1",
      "S:t Olof. norra": "2",
      "zon[1]": {"a.b": "3"},
      "x": {"y": "4"},
      "x.y": "5",
      "esc\u002ez": "6"
    }
  }
}`
	got := Index([]byte(doc))
	for p, w := range map[string]int{
		"t.rates.S:t Olof": 4, "t.rates.S:t Olof. norra": 5, "t.rates.zon[1]": 6, "t.rates.zon[1].a.b": 6,
		"t.rates.x.y": 8, "t.rates.x": 7, "t.rates.esc.z": 9,
	} {
		if n := got.Line(p); n != w {
			t.Errorf("Line(%q) = %d, want %d", p, n, w)
		}
	}
}

// MemberSizes gives each member's key and the size of the value below
// it, in order, as Size would one by one.
func TestMemberSizes(t *testing.T) {
	l := Index([]byte(`{"tables": {"a": {"keys": ["zone"], "rates": {"x": 1, "y": {"z": 2}}}, "b\u00e5": {"rates": {}}, "c": 3, "d": {"keys": []}}}`))
	var got []string
	for k, n := range l.MemberSizes([]string{"tables"}, "rates") {
		got = append(got, fmt.Sprintf("%s=%d", k, n))
		if n != l.Size("tables", k, "rates") {
			t.Errorf("%s: %d, Size %d", k, n, l.Size("tables", k, "rates"))
		}
	}
	// a's rates: x, y and y's z; bå's none; c and d have no rates.
	if want := []string{"a=3", "bå=0", "c=0", "d=0"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for range l.MemberSizes([]string{"nothing"}) {
		t.Error("a member of nothing")
	}
}
