package models

import (
	"errors"
	"strings"
	"testing"
)

// TestCSVUnknownColumns refuses a column whose name is one letter from a
// known one the file has no column of, and, with RefuseUnknown, every
// column the reader does not know; the others are ignored, as before
// (found by a vendor's trial: a misspelt header was ignored without a
// word, its field unread).
func TestCSVUnknownColumns(t *testing.T) {
	const base = "Besöks-ID;Brukare;Utförare;Starttid;Sluttid;Insatser;Attesterad"
	const row = "B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ;ja"
	tests := []struct {
		name, head, row string
		opts            CSVOptions
		want            []string // the errors in full; none for success
	}{
		{name: "other columns are ignored", head: base + ";Kommentar;Attesterad av;Personal-ID;Tid;Besökstyp", row: row + ";x;y;z;30;hemtjänst"},
		{name: "a registration misspelt", head: base + ";Registrerat", row: row + ";2024-04-03 08:31",
			want: []string{`models: besok.csv:1:65: registered: column 8 "Registrerat" is not one the reader knows, but one letter from "registrerad", and the file has no column of registered (one of registered, registrerad, registreringstid, senast ändrad): correct its header, or map it in CSVOptions.Columns ("Registrerat": a field, or "" to ignore it)`}},
		// A required column misspelt is that error, not a missing column
		// as well; the other missing columns are told with it.
		{name: "the end misspelt, approval missing", head: "Besöks-ID;Brukare;Utförare;Starttid;Slutttid;Insatser", row: "B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ",
			want: []string{
				`models: besok.csv:1:37: end: column 5 "Slutttid" is not one the reader knows, but one letter from "sluttid", and the file has no column of end (one of end, sluttid, slut, utcheckning, faktiskt slut, utfört slut): correct its header, or map it in CSVOptions.Columns ("Slutttid": a field, or "" to ignore it)`,
				`models: besok.csv:1: approved: missing column (one of approved, attesterad, attesterat, godkänd, godkänt); without one, state CSVOptions.Approved (ApprovalAll or ApprovalNone)`}},
		{name: "letters swapped", head: base + ";Avbjöt", row: row + ";ja",
			want: []string{`models: besok.csv:1:65: declined: column 8 "Avbjöt" is not one the reader knows, but one letter from "avböjt", and the file has no column of declined (one of declined, avböjt, avböjt besök, avböjd): correct its header, or map it in CSVOptions.Columns ("Avbjöt": a field, or "" to ignore it)`}},
		// One letter from a field the file has: a column of its own.
		{name: "near a field the file has", head: base + ";Avböjt;Avböjda", row: row + ";nej;2"},
		{name: "mapped to be ignored", head: base + ";Registrerat", row: row + ";x", opts: CSVOptions{Columns: map[string]string{"Registrerat": ""}}},
		{name: "mapped", head: base + ";Registrerat", row: row + ";2024-04-03 08:31", opts: CSVOptions{Columns: map[string]string{"Registrerat": "registered"}}},
		{name: "strict", head: base + ";Kommentar;;Tid", row: row + ";x;;30", opts: CSVOptions{RefuseUnknown: true},
			want: []string{
				`models: besok.csv:1:65: column 8 "Kommentar" is not one the reader knows: correct its header, or map it in CSVOptions.Columns ("Kommentar": a field, or "" to ignore it)`,
				`models: besok.csv:1:76: column 10 "Tid" is not one the reader knows: correct its header, or map it in CSVOptions.Columns ("Tid": a field, or "" to ignore it)`}},
		{name: "strict, mapped to be ignored", head: base + ";Kommentar", row: row + ";x",
			opts: CSVOptions{RefuseUnknown: true, Columns: map[string]string{"kommentar": ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.File, opts.Location = "besok.csv", stockholm
			in := tt.head + "\n" + tt.row + "\n"
			vs, err := ReadVisitsCSVWith(strings.NewReader(in), opts)
			if len(tt.want) == 0 {
				if err != nil || len(vs) != 1 {
					t.Fatalf("%d visits, %v", len(vs), err)
				}
				return
			}
			if err == nil || err.Error() != strings.Join(tt.want, "\n") {
				t.Fatalf("error %v\nwant %s", err, strings.Join(tt.want, "\n"))
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Line != 1 || ie.Column == 0 {
				t.Errorf("not an *InputError at the header's cell: %#v", err)
			}
			for _, err := range VisitsCSV(strings.NewReader(in), opts) {
				if err == nil || err.Error() != strings.Join(tt.want, "\n") {
					t.Errorf("VisitsCSV: %v", err)
				}
			}
		})
	}
	// The task map's reader shares the header code, without a mapping.
	_, err := ReadTaskMapCSV(strings.NewReader("lokal kod;katgori\nStäd;service\n"), nil)
	const want = `models: 1:11: category: column 2 "katgori" is not one the reader knows, but one letter from "kategori", and the file has no column of category (one of category, kategori, tjänstetyp, service category): correct its header`
	if err == nil || err.Error() != want {
		t.Errorf("task map: %v\nwant %s", err, want)
	}
}
