package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestInputErrorQuotesOddIDs writes an id with a line break or a control
// character quoted, so that the message stays on one line, and a long
// one shortened (found by attack: "customers[2] (id -1;2⏎3)" broke the
// line); a plain id as written.
func TestInputErrorQuotesOddIDs(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"k1", `models: customers[2] (id k1): id: bad`},
		{"-1;2\n3", `models: customers[2] (id "-1;2\n3"): id: bad`},
		{"a\x1b[31m", `models: customers[2] (id "a\x1b[31m"): id: bad`},
		{strings.Repeat("x", 100), `models: customers[2] (id "` + strings.Repeat("x", 60) + `"…, 100 bytes): id: bad`},
		// A right-to-left override printed raw reversed the rest of the
		// line; a no-break space read as a space, an id " nb"; a line
		// separator broke the line (found by attack).
		{"a\u202eb", `models: customers[2] (id "a\u202eb"): id: bad`},
		{"\u00a0nb", `models: customers[2] (id "\u00a0nb"): id: bad`},
		{"n\u00a0b", `models: customers[2] (id "n\u00a0b"): id: bad`},
		{"a\u2028b", `models: customers[2] (id "a\u2028b"): id: bad`},
		{"k1 ", `models: customers[2] (id "k1 "): id: bad`},
		{"\u0301k", "models: customers[2] (id \"\u0301k\"): id: bad"}, // quoted, the mark on the quote

		{"\xffk", `models: customers[2] (id "\xffk"): id: bad`},
		{"k1): x: forged", `models: customers[2] (id "k1): x: forged"): id: bad`},
		{"Städ 2", `models: customers[2] (id Städ 2): id: bad`},
		{"k\u0301", "models: customers[2] (id k\u0301): id: bad"},
	} {
		e := &InputError{Record: "customers", Index: 2, ID: tc.id, Field: "id", Err: errors.New("bad")}
		if got := e.Error(); got != tc.want {
			t.Errorf("id %q: %q, want %q", tc.id, got, tc.want)
		}
	}
}

// TestInputErrorQuotesOddFieldAndFile: a field (a CSV header is the
// file's text) and a file name are quoted as an id is, when they would
// not read as themselves.
func TestInputErrorQuotesOddFieldAndFile(t *testing.T) {
	for _, tc := range []struct {
		file, field, want string
	}{
		{"a.csv", "start (Starttid)", `models: a.csv:3: start (Starttid): bad`},
		{"a.csv", "start (Start\u202etid)", `models: a.csv:3: "start (Start\u202etid)": bad`},
		{"a\nb.csv", "id", `models: "a\nb.csv":3: id: bad`},
	} {
		e := &InputError{File: tc.file, Line: 3, Index: -1, Field: tc.field, Err: errors.New("bad")}
		if got := e.Error(); got != tc.want {
			t.Errorf("%q, %q: %q, want %q", tc.file, tc.field, got, tc.want)
		}
	}
	if got := (&InputError{Index: -1}).Error(); got != "models: " {
		t.Errorf("an InputError of no error: %q", got)
	}
}

// A dataset with a problem in each of many records gives an error that
// holds every one, each an *InputError, but whose message lists the
// first MaxErrorsShown and the number in all: a month of a million
// visits of an unknown customer said each, some 75 MB of message (found
// by trial: 7.5 MB for 100 000).
func TestManyProblemsMessageCut(t *testing.T) {
	const n = 1000
	ds := probeDataset(n, true)
	err := ds.Validate()
	all := eachError(err, func(*InputError) {})
	if len(all) != n {
		t.Fatalf("%d problems, want %d", len(all), n)
	}
	for _, e := range all {
		if !errors.Is(e, ErrUnknownReference) {
			t.Fatalf("%v, want an unknown customer", e)
		}
	}
	msg := err.Error()
	lines := strings.Split(msg, "\n")
	if len(lines) != MaxErrorsShown+1 {
		t.Fatalf("%d lines, want %d", len(lines), MaxErrorsShown+1)
	}
	if want := "models: and 900 more problems, 1000 in all"; lines[MaxErrorsShown] != want {
		t.Errorf("last line %q, want %q", lines[MaxErrorsShown], want)
	}
	if !strings.HasPrefix(lines[0], "models: visits[0] (id v0000000): customer:") {
		t.Errorf("first line %q", lines[0])
	}
	// Read back from JSON, the same.
	data, jerr := json.Marshal(ds)
	if jerr != nil {
		t.Fatal(jerr)
	}
	_, err = ReadDataset(bytes.NewReader(data))
	if got := len(eachError(err, func(*InputError) {})); got != n {
		t.Errorf("ReadDataset: %d problems, want %d", got, n)
	}
	if got := strings.Count(err.Error(), "\n") + 1; got != MaxErrorsShown+1 {
		t.Errorf("ReadDataset: %d lines, want %d", got, MaxErrorsShown+1)
	}
	// Few problems are written whole, as before.
	few := probeDataset(3, true)
	if got := strings.Count(few.Validate().Error(), "\n") + 1; got != 3 {
		t.Errorf("3 problems in %d lines", got)
	}
}
