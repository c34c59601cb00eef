package models

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCSVSeparatorDeclaration reads the separator a file declares on its
// first line, sep=; as Excel reads it (found by a vendor's trial: the
// line was read as the header, and every column was missing without a
// word of why).
func TestCSVSeparatorDeclaration(t *testing.T) {
	const head = "Besöks-ID;Brukare;Utförare;Datum;Starttid;Sluttid;Insatser;Attesterad\r\n"
	const row = "B1;K1;P1;2024-04-03;08:00;08:30;Städ;ja\r\n"
	want := []Visit{{ID: "B1", Customer: "K1", Provider: "P1", Tasks: []string{"Städ"}, Approved: true,
		Start: time.Date(2024, 4, 3, 8, 0, 0, 0, stockholm), End: time.Date(2024, 4, 3, 8, 30, 0, 0, stockholm),
		Source: Source{File: "besok.csv", Line: 3}}}
	tests := []struct {
		name, in string
		comma    rune
		want     string // the error in full; "" for success
	}{
		{name: "sep=;", in: "sep=;\r\n" + head + row},
		{name: "sep=; and the same separator given", in: "sep=;\r\n" + head + row, comma: ';'},
		{name: "in capitals, with a byte order mark", in: "\ufeffSEP=;\r\n" + head + row},
		{name: "a row of empty cells after it", in: "sep=;;;;;;;;\n" + head + row},
		{name: "sep=, for a comma file", in: "sep=,\n" + strings.ReplaceAll(head+row, ";", ",")},
		{name: "sep=\\t", in: "sep=\t\n" + strings.ReplaceAll(head+row, ";", "\t")},
		{name: "another separator given", in: "sep=;\r\n" + head + row, comma: ',',
			want: `models: besok.csv:1:1: "sep=;": the file declares the separator ';', but ',' was given (CSVOptions.Comma): give ';', or 0 to read the declaration`},
		{name: "no character", in: "sep=\r\n" + head + row,
			want: `models: besok.csv:1:1: "sep=": a separator declaration names one character, as sep=; or sep=,`},
		{name: "two characters", in: "sep=;,\r\n" + head + row,
			want: `models: besok.csv:1:1: "sep=;,": a separator declaration names one character, as sep=; or sep=, and nothing after it but more of it`},
		{name: "a quote", in: "sep=\"\r\n" + head + row,
			want: `models: besok.csv:1:1: "sep=\"": '"' cannot separate fields`},
		// The header is on line 2: a missing column says so.
		{name: "missing column after it", in: "sep=;\r\n" + strings.Replace(head, "Attesterad", "Kommentar", 1) + row,
			want: `models: besok.csv:2: approved: missing column (one of approved, attesterad, attesterat, godkänd, godkänt); without one, state CSVOptions.Approved (ApprovalAll or ApprovalNone)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := CSVOptions{File: "besok.csv", Location: stockholm, Comma: tt.comma}
			got, err := ReadVisitsCSVWith(strings.NewReader(tt.in), opts)
			if tt.want != "" {
				if err == nil || err.Error() != tt.want {
					t.Fatalf("error %v\nwant %s", err, tt.want)
				}
				var ie *InputError
				if !errors.As(err, &ie) || ie.Line == 0 {
					t.Errorf("not an *InputError with a line: %#v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// The streaming reader shares the header code.
			var streamed []Visit
			for v, err := range VisitsCSV(strings.NewReader(tt.in), opts) {
				if err != nil {
					t.Fatal(err)
				}
				streamed = append(streamed, v)
			}
			if diff := cmp.Diff(want, streamed); diff != "" {
				t.Errorf("VisitsCSV (-want +got):\n%s", diff)
			}
		})
	}
	// A task map's CSV reads the declaration too.
	m, err := ReadTaskMapCSV(strings.NewReader("sep=;\nlokal kod;kategori\nStäd;service\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]LocalTask{{Local: "Städ", Category: Service}}, m.Tasks()); diff != "" {
		t.Errorf("task map (-want +got):\n%s", diff)
	}
}
