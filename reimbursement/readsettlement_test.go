package reimbursement_test

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// ReadSettlement reads back what WriteJSON writes, a byte-order mark
// before it too, to the same bytes written again; what json.Unmarshal
// lets pass is refused at its line and path.
func TestReadSettlement(t *testing.T) {
	s, err := reimbursement.Settle(context.Background(), load(t, "mixed.json"), fixture.Month(40, 20), fixture.April2024, reimbursement.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc bytes.Buffer
	if err := s.WriteJSON(&doc); err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{"", "\ufeff"} {
		back, err := reimbursement.ReadSettlement(strings.NewReader(prefix+doc.String()), "s.json")
		if err != nil {
			t.Fatalf("prefix %q: %v", prefix, err)
		}
		var again bytes.Buffer
		if err := back.WriteJSON(&again); err != nil {
			t.Fatal(err)
		}
		if again.String() != doc.String() {
			t.Errorf("prefix %q: read back and written again, the settlement differs", prefix)
		}
	}
	text := doc.String()
	lineOf := func(doc, s string) int {
		return strings.Count(doc[:strings.Index(doc, s)], "\n") + 1
	}
	for _, c := range []struct{ name, old, new, at, want string }{
		{"key twice", `"zone": "`, `"zone": "x", "zone": "`, `"zone": "x"`, `: lines[0].zone: key "zone" written twice in one object`},
		{"data after", "}\n", "}\n{}\n", "{}\n", `: data after the end of the document`},
		{"amount a number", `"amount": "`, "", `"amount": 12.50`, `: lines[0].amount: reimbursement: amount '12.50': want a JSON string`},
	} {
		var bad string
		switch {
		case c.old == "}\n":
			bad = strings.TrimSuffix(text, "\n") + "\n{}\n"
		case c.new == "":
			// every line's amount a number: the first is named
			i := strings.Index(text, `"lines"`)
			first := regexp.MustCompile(`"amount": "[-0-9.]+"`)
			bad = text[:i] + first.ReplaceAllStringFunc(text[i:], func(string) string { return `"amount": 12.50` })
		default:
			i := strings.Index(text, `"lines"`)
			bad = text[:i] + strings.Replace(text[i:], c.old, c.new, 1)
		}
		_, err := reimbursement.ReadSettlement(strings.NewReader(bad), "s.json")
		want := "reimbursement: settlement s.json:" + strconv.Itoa(lineOf(bad, c.at)) + c.want
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v\nwant %s", c.name, err, want)
		}
	}
	if _, err := reimbursement.ReadSettlement(nil, "s.json"); err == nil {
		t.Error("a nil reader: no error")
	}
	// null and {} were read as an empty settlement (found by review).
	for _, doc := range []string{"null", "{}", "\ufeff{}\n", `{"total": "0"}`} {
		if s, err := reimbursement.ReadSettlement(strings.NewReader(doc), "s.json"); err == nil || !strings.Contains(err.Error(), "s.json: no period") {
			t.Errorf("%q: %v, %v; want no period", doc, s, err)
		}
	}
}

// FuzzReadSettlement: ReadSettlement never panics, an error names the
// file it was given, and a settlement it reads, written again and read
// again, writes the same bytes (the reader keeps what the writer
// writes). Seeds: a small month's settlement, with and without a
// byte-order mark, and documents of one key given twice and of a field
// no settlement has.
func FuzzReadSettlement(f *testing.F) {
	s, err := reimbursement.Settle(context.Background(), load(f, "mixed.json"), fixture.Month(3, 4), fixture.April2024, reimbursement.Options{})
	if err != nil {
		f.Fatal(err)
	}
	var doc bytes.Buffer
	if err := s.WriteJSON(&doc); err != nil {
		f.Fatal(err)
	}
	f.Add(doc.Bytes())
	f.Add(append([]byte("\ufeff"), doc.Bytes()...))
	f.Add([]byte(`{"period":"2024-04","period":"2024-05"}`))
	f.Add([]byte(`{"period":"2024-04","lines":[{"amount":"1.00","units":[{"kind":"visit","id":"v1","id":"v2"}]}]}`))
	f.Add([]byte(`{"totals":"1.00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := reimbursement.ReadSettlement(bytes.NewReader(data), "f.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "reimbursement: settlement f.json") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		var first, second bytes.Buffer
		if err := s.WriteJSON(&first); err != nil {
			return // a value the writer refuses (an amount of no decimal form)
		}
		back, err := reimbursement.ReadSettlement(bytes.NewReader(first.Bytes()), "again.json")
		if err != nil {
			t.Fatalf("written, not read again: %v\n%s", err, first.Bytes())
		}
		if err := back.WriteJSON(&second); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("read again, written differently:\n%s\n%s", first.Bytes(), second.Bytes())
		}
	})
}
