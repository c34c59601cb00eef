package models

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
)

// errorLines returns the messages of the errors joined in err.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, errorLines(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// TestIDsRefuseNonGraphic: an id (and a reference, a zone, an event
// kind) may hold no character that is not graphic. U+2028 LINE SEPARATOR
// was accepted in ids and written raw to errors, reports, CSV and HTML;
// other categories were too (found by attack). Each error names the
// record, the field, the character and its byte.
func TestIDsRefuseNonGraphic(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"k\u0091", `(id "k\u0091"): id: control character U+0091 at byte 1 in "k\u0091"`},
		{"k\u202e1", `(id "k\u202e1"): id: format character U+202E at byte 1 in "k\u202e1"`},
		{"k\ufeff1", `(id "k\ufeff1"): id: format character U+FEFF at byte 1 in "k\ufeff1"`},
		{"k\u00ad1", `(id "k\u00ad1"): id: format character U+00AD at byte 1 in "k\u00ad1"`},
		{"k\u20281", `(id "k\u20281"): id: line separator U+2028 at byte 1 in "k\u20281"`},
		{"k\u20291", `(id "k\u20291"): id: paragraph separator U+2029 at byte 1 in "k\u20291"`},
		{"k\ue0001", `(id "k\ue0001"): id: private-use character U+E000 at byte 1 in "k\ue0001"`},
		{"k\U000F00001", `(id "k\U000f00001"): id: private-use character U+F0000 at byte 1 in "k\U000f00001"`},
		{"k\ufffe", `(id "k\ufffe"): id: noncharacter U+FFFE at byte 1 in "k\ufffe"`},
		{"k\ufdd0", `(id "k\ufdd0"): id: noncharacter U+FDD0 at byte 1 in "k\ufdd0"`},
		{"k\u0378", `(id "k\u0378"): id: unassigned character U+0378 at byte 1 in "k\u0378"`},
		{"k\xff1", `(id "k\xff1"): id: invalid UTF-8 at byte 1 in "k\xff1"`},
		{"\u00a0k1", `(id "\u00a0k1"): id: white space around "\u00a0k1"`},
	} {
		ds := &Dataset{Customers: []Customer{{ID: tc.id, Zone: "tätort"}}}
		err := ds.Validate()
		want := `models: customers[0] ` + tc.want
		if err == nil || err.Error() != want {
			t.Errorf("id %q: %v\nwant %s", tc.id, err, want)
		}
	}
	// Graphic text is an id: letters, marks, white space inside.
	for _, id := range []string{"k1", "Städ 2", "k\u00a01", "Ö-1/2", "e\u0301"} {
		if err := (&Customer{ID: id, Zone: "tätort"}).Validate(); err != nil {
			t.Errorf("id %q: %v", id, err)
		}
	}
	// So are the other fields checked as ids: a zone change's zone and
	// an event's kind, which tariffs read.
	c := Customer{ID: "k1", Zone: "tätort", ZoneChanges: []ZoneChange{{From: calendar.NewDate(2024, time.April, 1), Zone: "land\u2028sbygd"}}}
	if err := c.Validate(); err == nil || err.Error() != `models: zone_changes[0].zone: line separator U+2028 at byte 4 in "land\u2028sbygd"` {
		t.Errorf("zone change: %v", err)
	}
	e := AlarmEvent{ID: "e1", Customer: "k1", Provider: "p", Time: time.Now(), Kind: "larm\u202e"}
	if err := e.Validate(); err == nil || err.Error() != `models: kind: format character U+202E at byte 4 in "larm\u202e"` {
		t.Errorf("event kind: %v", err)
	}
	// A provider's attributes and contract allowed format characters
	// (only control characters were refused).
	p := Provider{ID: "p1", Ownership: Private, Attributes: map[string]string{"klass": "B\u200b"}, Contract: "hem\u2028tjänst"}
	want := []string{
		`models: contract: "hem\u2028tjänst": character U+2028 at byte 3 is not allowed`,
		`models: attributes.klass: "B\u200b": character U+200B at byte 1 is not allowed`,
	}
	if diff := cmp.Diff(want, errorLines(p.Validate())); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
}
