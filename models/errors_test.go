package models

import (
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
	} {
		e := &InputError{Record: "customers", Index: 2, ID: tc.id, Field: "id", Err: errors.New("bad")}
		if got := e.Error(); got != tc.want {
			t.Errorf("id %q: %q, want %q", tc.id, got, tc.want)
		}
	}
}
