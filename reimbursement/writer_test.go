package reimbursement

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// streamTo settles ds customer by customer into a Writer of format f and
// returns what it wrote, and the whole month settled at once.
func streamTo(t *testing.T, ds *models.Dataset, f Format, opts Options) (string, *Settlement) {
	t.Helper()
	book := mixedBook(t)
	whole, err := Settle(context.Background(), book, ds, april2024, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := NewWriter(&b, f)
	if _, err := SettleCustomers(context.Background(), book, ds, ds.ByCustomer(), april2024, opts, w.Write); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String(), whole
}

// Streamed as CSV, a month is one table: the header once, then every line
// of the month once (in the order of the customers rather than of the
// providers).
func TestWriterCSVIsOneTable(t *testing.T) {
	ds := benchDataset(60, 12)
	got, whole := streamTo(t, ds, PlainCSV, Options{NoExplain: true})
	var want bytes.Buffer
	if err := whole.WriteCSV(&want, PlainCSV); err != nil {
		t.Fatal(err)
	}
	rows := func(s string) (string, []string) {
		r := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
		return r[0], slices.Sorted(slices.Values(r[1:]))
	}
	gh, gr := rows(got)
	wh, wr := rows(want.String())
	if gh != wh || strings.Count(got, wh) != 1 {
		t.Errorf("header %q, %d times; want %q once", gh, strings.Count(got, wh), wh)
	}
	if len(wr) < 100 {
		t.Fatalf("only %d lines: the month is too small to test", len(wr))
	}
	if diff := cmp.Diff(wr, gr); diff != "" {
		t.Errorf("rows (-Settle.WriteCSV +streamed):\n%s", diff)
	}
}

// Streamed as JSON lines, each line is one customer's settlement, and
// merged they are the month to the byte, explanations, what was not paid
// and the possible duplicates included.
func TestWriterJSONLinesMergeToTheMonth(t *testing.T) {
	ds := benchDataset(40, 10)
	got, whole := streamTo(t, ds, JSONLines, Options{})
	var parts []*Settlement
	sc := bufio.NewScanner(strings.NewReader(got))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var s Settlement
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, &s)
	}
	if len(parts) != len(ds.Customers) {
		t.Fatalf("%d lines for %d customers", len(parts), len(ds.Customers))
	}
	all, err := Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonOf(t, whole), jsonOf(t, all)); diff != "" {
		t.Errorf("merged lines (-Settle +merged):\n%s", diff)
	}
}

// ExcelCSV is what Swedish Excel opens with a double click, worked by
// hand: Huddinge 2021 pays performed care time at 501.00 kr/h; k1's 45
// minutes are 45 × 501.00 ÷ 60 = 375.75 kr, k2's 30 minutes 250.50 kr.
// The period, which Excel would make a date, and the customer "=k2",
// which it would take for a formula, are written as formulas that give
// their text back (CSV-quoted, their quotes doubled).
func TestWriterExcelCSV(t *testing.T) {
	line := func(customer, quantity, amount string) Line {
		return Line{Period: "2021-03", Provider: "p1", Customer: customer, Version: "Huddinge 2021", Component: "utförd tid",
			Category: models.Care, Zone: "Huddinge", Quantity: Amount{dec(quantity)}, Unit: Minutes, Rate: Amount{dec("501.00")},
			RateUnit: "kr/h", Divisor: 60, Amount: Amount{dec(amount)}}
	}
	var b bytes.Buffer
	w := NewWriter(&b, ExcelCSV)
	for _, s := range []*Settlement{{Lines: []Line{line("k1", "45", "375.75")}}, {}, {Lines: []Line{line("=k2", "30", "250.50")}}} {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFperiod;provider;customer;version;component;label;kind;category;zone;band;quantity;unit;rate;rate_unit;factor;divisor;amount\r\n" +
		`"=""2021-03""";p1;k1;Huddinge 2021;utförd tid;;;care;Huddinge;;45;min;501,00;kr/h;;60;375,75` + "\r\n" +
		`"=""2021-03""";p1;"=""=k2""";Huddinge 2021;utförd tid;;;care;Huddinge;;30;min;501,00;kr/h;;60;250,50` + "\r\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Excel CSV (-want +got):\n%s", diff)
	}
	// A table with no line is its header.
	b.Reset()
	if err := NewWriter(&b, PlainCSV).Flush(); err != nil || b.String() != strings.Join(csvColumns, ",")+"\n" {
		t.Errorf("empty table %q, %v; want the header", b.String(), err)
	}
}

type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errDiskFull
	}
	f.n--
	return len(p), nil
}

// The first error of the io.Writer is returned by that call and every
// later one; a zero Writer and a nil settlement are errors, not panics.
func TestWriterErrors(t *testing.T) {
	s := &Settlement{Lines: []Line{{Period: "2021-03", Quantity: Amount{dec("1")}, Rate: Amount{dec("1")}, Amount: Amount{dec("1")}}}}
	for _, f := range []Format{PlainCSV, ExcelCSV, JSONLines} {
		w := NewWriter(&failWriter{}, f)
		err := w.Write(s)
		if f != JSONLines {
			err = w.Flush() // csv.Writer buffers
		}
		if !errors.Is(err, errDiskFull) || !errors.Is(w.Write(s), errDiskFull) || !errors.Is(w.Flush(), errDiskFull) {
			t.Errorf("format %d: %v; want %v from then on", f, err, errDiskFull)
		}
	}
	var zero Writer
	if zero.Write(s) == nil || zero.Flush() == nil {
		t.Error("the zero Writer wrote")
	}
	if w := NewWriter(&bytes.Buffer{}, PlainCSV); w.Write(nil) == nil || w.Write(s) == nil || w.Flush() == nil {
		t.Error("a nil settlement was written, or its error did not stick")
	}
	var b bytes.Buffer
	if w := NewWriter(&b, Format(9)); w.Write(s) == nil || w.Flush() == nil || b.Len() != 0 {
		t.Errorf("an unknown format wrote %q, or its error did not stick", b.String())
	}
}

// WriteCSV given a format that is no CSV dialect names it, not its
// number (found by trial: "format 2 is not a CSV dialect" for JSONLines).
func TestWriteCSVNamesTheFormat(t *testing.T) {
	err := (&Settlement{Period: "2024-04"}).WriteCSV(io.Discard, JSONLines)
	want := "reimbursement: WriteCSV: format JSONLines is not a CSV dialect (PlainCSV or ExcelCSV; JSON lines are a Writer's)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	for f, name := range map[Format]string{PlainCSV: "PlainCSV", ExcelCSV: "ExcelCSV", JSONLines: "JSONLines", 7: "Format(7)"} {
		if f.String() != name {
			t.Errorf("%d: %q, want %q", uint8(f), f.String(), name)
		}
	}
}
