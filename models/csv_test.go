package models

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

func TestReadVisitsCSV(t *testing.T) {
	in := "id,customer,provider,start,end,tasks,role,staff,declined,approved,registered\n" +
		"v1,k1,egen,2024-03-12 21:40,2024-03-12 22:20,Dusch|Tillsyn,undersköterska,2,nej,ja,2024-03-12 22:21\n" +
		"v2,k2,egen,2024-03-12T08:00:00Z,2024-03-12T08:30:00Z,,nurse,,true,false,\n"
	got, err := ReadVisitsCSV(strings.NewReader(in), stockholm)
	if err != nil {
		t.Fatal(err)
	}
	want := []Visit{
		{ID: "v1", Customer: "k1", Provider: "egen", Source: Source{Line: 2},
			Start: time.Date(2024, 3, 12, 21, 40, 0, 0, stockholm), End: time.Date(2024, 3, 12, 22, 20, 0, 0, stockholm),
			Tasks: []string{"Dusch", "Tillsyn"}, Role: CareStaff, Staff: 2, Approved: true,
			Registered: time.Date(2024, 3, 12, 22, 21, 0, 0, stockholm)},
		{ID: "v2", Customer: "k2", Provider: "egen",
			Start: time.Date(2024, 3, 12, 8, 0, 0, 0, time.UTC), End: time.Date(2024, 3, 12, 8, 30, 0, 0, time.UTC),
			Role: Nurse, Declined: true, Source: Source{Line: 3}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := WriteVisitsCSV(&buf, got); err != nil {
		t.Fatal(err)
	}
	again, err := ReadVisitsCSV(&buf, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again, cmpopts.IgnoreFields(Visit{}, "Source"), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestReadVisitsCSVErrors(t *testing.T) {
	in := "id,customer,provider,start,end,role,staff,approved,tasks\n" +
		"v1,k1,egen,2024-03-12 21:40,2024-03-12 21:20,,,ja,Dusch\n" +
		"v2,k1,egen,12/3/2024,2024-03-12 22:20,chef,x,kanske,Dusch\n"
	_, err := ReadVisitsCSV(strings.NewReader(in), stockholm)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"models: 2:29: visits[0] (id v1): end: 2024-03-12T21:20:00+01:00 is before start 2024-03-12T21:40:00+01:00",
		`models: 3:12: visits[1] (id v2): start: invalid time "12/3/2024"`,
		`3:39: visits[1] (id v2): role: unknown role "chef"`,
		`3:44: visits[1] (id v2): staff: invalid number "x"`,
		`3:46: visits[1] (id v2): approved: invalid boolean "kanske"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
		}
	}
	if strings.Contains(err.Error(), "start: missing") {
		t.Errorf("a start that did not parse is reported twice:\n%v", err)
	}
	if _, err := ReadVisitsCSV(strings.NewReader("id,customer\n"), stockholm); err == nil || !strings.Contains(err.Error(), "provider: missing column") {
		t.Errorf("missing columns: %v", err)
	}
}

func FuzzReadVisitsCSV(f *testing.F) {
	f.Add("id,customer,provider,start,end,tasks,approved\nv1,k1,p,2024-03-12 21:40,2024-03-12 22:20,Dusch|Städ,ja\n")
	f.Add("id,customer,provider,start,end,approved\nv1,k1,p,2024-03-31T01:30:00+01:00,2024-03-31T03:30:00+02:00,nej\n")
	f.Add("\"id\",\"x\n")
	f.Add("id,customer,provider,datum,start,end,tasks,approved\nv1,k1,p,2024-03-30,22:30,3:15,Tillsyn,ja\nv2,k1,p,2024-03-31,8:00,08:00,Dusch,ja\n")
	f.Fuzz(func(t *testing.T, in string) {
		visits, err := ReadVisitsCSV(strings.NewReader(in), stockholm)
		if err != nil {
			return
		}
		for _, v := range visits {
			if err := v.Validate(); err != nil {
				t.Fatalf("ReadVisitsCSV accepted an invalid visit %+v: %v", v, err)
			}
		}
	})
}

// VisitsCSV yields what ReadVisitsCSVWith returns, one visit at a time,
// and the problems of a bad record without stopping.
func TestVisitsCSVStreams(t *testing.T) {
	const file = "id,customer,provider,start,end,tasks,approved\n" +
		"v1,k1,p1,2024-04-02 08:00,2024-04-02 08:30,Dusch|Tillsyn,ja\n" +
		"v2,k1,p1,2024-04-02 25:00,2024-04-02 08:30,Dusch,ja\n" +
		"v3,k2,p1,2024-04-03 09:00,2024-04-03 09:45,Städ,nej\n"
	opts := CSVOptions{File: "besök.csv", Location: stockholm}
	var ids []string
	var errs []string
	for v, err := range VisitsCSV(strings.NewReader(file), opts) {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		ids = append(ids, v.ID)
	}
	if diff := cmp.Diff([]string{"v1", "v3"}, ids); diff != "" {
		t.Errorf("visits (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "besök.csv:3") || !strings.Contains(errs[0], "start") {
		t.Errorf("errors = %q, want one naming besök.csv:3 and start", errs)
	}
	good := strings.Replace(file, "25:00", "08:00", 1)
	all, err := ReadVisitsCSVWith(strings.NewReader(good), opts)
	if err != nil {
		t.Fatal(err)
	}
	var streamed []Visit
	for v, err := range VisitsCSV(strings.NewReader(good), opts) {
		if err != nil {
			t.Fatal(err)
		}
		streamed = append(streamed, v)
	}
	if diff := cmp.Diff(all, streamed); diff != "" {
		t.Errorf("streamed (-read +streamed):\n%s", diff)
	}
	for _, err := range VisitsCSV(strings.NewReader("id,customer\nv1,k1\n"), opts) {
		if err == nil || !strings.Contains(err.Error(), "start") {
			t.Errorf("missing columns: %v", err)
		}
	}
}

// A header separated otherwise than its records (commas over semicolons)
// reads each record as one field: the record is reported once, saying
// what it holds, not once for each field that follows from it (five errors
// a record), and reading stops at the MaxBadRecords-th bad record rather
// than build an error the size of the file (found by trial: 5000 such
// records gave 25 000 errors, 3.4 MB).
func TestCSVOtherSeparatorThanTheHeader(t *testing.T) {
	head := "id,customer,provider,start,end,tasks,approved\n"
	row := "v%d;k1;p;2024-03-12 21:40;2024-03-12 22:20;Dusch;ja\n"
	var in strings.Builder
	in.WriteString(head)
	for i := range MaxBadRecords + 50 {
		fmt.Fprintf(&in, row, i)
	}
	_, err := ReadVisitsCSV(strings.NewReader(in.String()), stockholm)
	errs := eachError(err, func(*InputError) {})
	if len(errs) != MaxBadRecords+1 {
		t.Fatalf("%d errors, want one a record for %d records and the stop", len(errs), MaxBadRecords)
	}
	want := `models: 2:1: visits[0] (id v0;k1;p;2024-03-12 21:40;2024-03-12 22:20;Dusch;ja): customer: the record ends with its field 1, where the header has 7 columns: "customer" and the columns after it are missing (the record holds 6 semicolons, where the header is separated by commas: the header and the records are to be separated alike)`
	if got := errs[0].Error(); got != want {
		t.Errorf("first error\n%s\nwant\n%s", got, want)
	}
	stop := fmt.Sprintf("models: %d: %d records with problems: reading stopped at this line", MaxBadRecords+1, MaxBadRecords)
	if got := errs[MaxBadRecords].Error(); !strings.HasPrefix(got, stop) {
		t.Errorf("last error %s\nwant %s…", got, stop)
	}
	// Fewer than the limit: every one, and a short record without another
	// separator has no word of one.
	_, err = ReadVisitsCSV(strings.NewReader(head+"v1,k1,p,2024-03-12 21:40\n"), stockholm)
	if got := fmt.Sprint(err); got != `models: 2:9: visits[0] (id v1): end: the record ends with its field 4, where the header has 7 columns: "end" and the columns after it are missing` {
		t.Errorf("short record: %s", got)
	}
}

// A record's fields match the header's columns: a missing field is an
// error (a truncated row would read as not approved, or not declined and
// paid), and so is a field beyond the last column that holds anything; a
// blank one (a separator ending each row) loses nothing and is read.
func TestCSVRecordWidth(t *testing.T) {
	head := "id;customer;provider;start;end;tasks;declined;approved\n"
	// Columns: v1;k1;p; is 8 bytes, so start is at 9 (16 bytes), end at
	// 26, Dusch at 43, declined at 49, approved at 53 and a ninth field at 56.
	row := "v1;k1;p;2024-03-12 21:40;2024-03-12 22:20;Dusch"
	for _, tc := range []struct{ in, want string }{
		{head + row + ";nej;ja\n", ""},
		{head + row + ";nej;ja;\n", ""},
		{head + row + ";nej;ja; ;\n", ""},
		{strings.TrimSuffix(head, "\n") + ";\n" + row + ";nej;ja\n", ""}, // the header alone ends with a separator
		{head + row + ";nej\n", `models: 2:49: visits[0] (id v1): approved: the record ends with its field 7, where the header has 8 columns: "approved" is missing`},
		{head + row + "\n", `models: 2:43: visits[0] (id v1): declined: the record ends with its field 6`},
		{head + row + ";nej;ja;ja\n", `models: 2:56: visits[0] (id v1): field 9 of the record has no column: the header has 8`},
	} {
		_, err := ReadVisitsCSV(strings.NewReader(tc.in), stockholm)
		if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := ReadTaskMapCSV(strings.NewReader("local;category;ksi\nDusch;care\n"), nil); err == nil || !strings.Contains(err.Error(), `tasks[0] (id Dusch): ksi: the record ends with its field 2`) {
		t.Errorf("a short task row: %v", err)
	}
}

// A nil reader is an error of every CSV reader, not a panic (VisitsCSV
// panicked on its first iteration, found by a vendor's trial).
func TestCSVReadersNilReader(t *testing.T) {
	const want = "models: besok.csv: no reader (nil io.Reader)"
	opts := CSVOptions{File: "besok.csv", Location: stockholm}
	n := 0
	for v, err := range VisitsCSV(nil, opts) {
		n++
		if err == nil || err.Error() != want {
			t.Errorf("VisitsCSV(nil): %v, %v; want %q", v, err, want)
		}
	}
	if n != 1 {
		t.Errorf("VisitsCSV(nil) yielded %d times, want once", n)
	}
	if _, err := ReadVisitsCSVWith(nil, opts); err == nil || err.Error() != want {
		t.Errorf("ReadVisitsCSVWith(nil): %v, want %q", err, want)
	}
	if _, err := ReadTaskMapCSV(nil, nil); err == nil || err.Error() != "models: no reader (nil io.Reader)" {
		t.Errorf("ReadTaskMapCSV(nil): %v", err)
	}
}
