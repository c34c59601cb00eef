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
	const registeredNames = "one of registered, registrerad, registreringstid, senast ändrad, registrerat, registrerad tid, registrerat tid, tid registrerad, registreringsdatum, registrerad datum, registreringstidpunkt, reg. tid, regtid, registered at, registration time, registration"
	const base = "Besöks-ID;Brukare;Utförare;Starttid;Sluttid;Insatser;Attesterad"
	const row = "B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ;ja"
	tests := []struct {
		name, head, row string
		opts            CSVOptions
		want            []string // the errors in full; none for success
	}{
		{name: "other columns are ignored", head: base + ";Kommentar;Attesterad av;Personal-ID;Tid;Besökstyp", row: row + ";x;y;z;30;hemtjänst"},
		{name: "a registration misspelt", head: base + ";Registrerd", row: row + ";2024-04-03 08:31",
			want: []string{`models: besok.csv:1:65: registered: column 8 "Registrerd" is not one the reader knows, but one letter from "registrerad", and the file has no column of registered (` + registeredNames + `): correct its header, or map it in CSVOptions.Columns ("Registrerd": a field, or "" to ignore it)`}},
		// A required column misspelt is that error, not a missing column
		// as well; the other missing columns are told with it.
		{name: "the end misspelt, approval missing", head: "Besöks-ID;Brukare;Utförare;Starttid;Slutttid;Insatser", row: "B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ",
			want: []string{
				`models: besok.csv:1:37: end: column 5 "Slutttid" is not one the reader knows, but one letter from "sluttid", and the file has no column of end (one of end, sluttid, slut, utcheckning, faktiskt slut, utfört slut): correct its header, or map it in CSVOptions.Columns ("Slutttid": a field, or "" to ignore it)`,
				`models: besok.csv:1: approved: missing column (one of approved, attesterad, attesterat, godkänd, godkänt); without one, state CSVOptions.Approved (ApprovalAll or ApprovalNone)`}},
		{name: "letters swapped", head: base + ";Avbjöt", row: row + ";ja",
			want: []string{`models: besok.csv:1:65: declined: column 8 "Avbjöt" is not one the reader knows, but one letter from "avböjt", and the file has no column of declined (one of declined, avböjt, avböjt besök, avböjd, avböjd av brukare, avböjt av brukare, declined visit): correct its header, or map it in CSVOptions.Columns ("Avbjöt": a field, or "" to ignore it)`}},
		// A column holding a known name as a word, and more, is the same
		// slip (found by a vendor's trial: "Registrerad tid" was ignored,
		// a visit registered after the lock paid without a word); one
		// whose last word says whose or which (av, id, namn, orsak) is
		// not.
		{name: "a registration with more words", head: base + ";Registrerad tid (kl)", row: row + ";2024-04-03 08:31",
			want: []string{`models: besok.csv:1:65: registered: column 8 "Registrerad tid (kl)" is not one the reader knows, but holds the name "registrerad tid", and the file has no column of registered (` + registeredNames + `): correct its header, or map it in CSVOptions.Columns ("Registrerad tid (kl)": a field, or "" to ignore it)`}},
		{name: "a staff count with more words", head: base + ";Antal personal närvarande", row: row + ";2",
			want: []string{`models: besok.csv:1:65: staff: column 8 "Antal personal närvarande" is not one the reader knows, but holds the name "antal personal", and the file has no column of staff (one of staff, personal, antal personal, antal pers, antal personer, personalantal, staff count, number of staff): correct its header, or map it in CSVOptions.Columns ("Antal personal närvarande": a field, or "" to ignore it)`}},
		{name: "whose or which, not the field", head: base + ";Registrerad av;Personal namn;Avböjt orsak;Roll-ID", row: row + ";Anna;Anna;sjuk;7"},
		// One letter from a field the file has: a column of its own.
		{name: "near a field the file has", head: base + ";Avböjt;Avböjda", row: row + ";nej;2"},
		{name: "mapped to be ignored", head: base + ";Registrerat", row: row + ";x", opts: CSVOptions{Columns: map[string]string{"Registrerat": ""}}},
		{name: "mapped", head: base + ";Registrerat", row: row + ";2024-04-03 08:31", opts: CSVOptions{Columns: map[string]string{"Registrerat": "registered"}}},
		{name: "strict", head: base + ";Kommentar;;Tid", row: row + ";x;;30", opts: CSVOptions{RefuseUnknown: true},
			want: []string{
				`models: besok.csv:1:65: column 8 "Kommentar" is not one the reader knows: correct its header, or map it in CSVOptions.Columns ("Kommentar": a field, or "" to ignore it)`,
				`models: besok.csv:1:75: column 9 has no header: name it, or map blank headers in CSVOptions.Columns ("": a field, or "" to ignore them)`,
				`models: besok.csv:1:76: column 10 "Tid" is not one the reader knows: correct its header, or map it in CSVOptions.Columns ("Tid": a field, or "" to ignore it)`}},
		// A blank header over data: strict, the header is refused, as
		// data under a blank last header is (found by attack: the staff
		// count 2 was read as nothing, the visit as one of one staff).
		{name: "strict, a blank header", head: "Besöks-ID;Brukare;Utförare;;Starttid;Sluttid;Insatser;Attesterad", row: "B1;K1;P1;2;2024-04-03 08:00;2024-04-03 08:30;Städ;ja",
			opts: CSVOptions{RefuseUnknown: true},
			want: []string{`models: besok.csv:1:28: column 4 has no header: name it, or map blank headers in CSVOptions.Columns ("": a field, or "" to ignore them)`}},
		{name: "strict, blank headers mapped to be ignored", head: "Besöks-ID;Brukare;Utförare;;Starttid;Sluttid;Insatser;Attesterad;", row: "B1;K1;P1;2;2024-04-03 08:00;2024-04-03 08:30;Städ;ja;",
			opts: CSVOptions{RefuseUnknown: true, Columns: map[string]string{"": ""}}},
		// A separator ending the header names no column.
		{name: "strict, a separator ending the header", head: base + ";", row: row + ";", opts: CSVOptions{RefuseUnknown: true}},
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

// TestCSVBlankHeaders: without RefuseUnknown, a column whose header is
// blank is no column, and a record's field under it that is not blank is
// an error naming its line and column, as one past the last column is
// (found by attack: the staff count under a blank header in the middle
// was dropped, under one at the end refused). Blank fields under it are
// no loss; the task map reads alike.
func TestCSVBlankHeaders(t *testing.T) {
	opts := CSVOptions{File: "besok.csv", Location: stockholm}
	tests := []struct{ name, in, want string }{
		{"in the middle, data", "Besöks-ID;Brukare;Utförare;;Starttid;Sluttid;Insatser;Attesterad\n" +
			"B1;K1;P1;;2024-04-03 08:00;2024-04-03 08:30;Städ;ja\n" +
			"B2;K1;P1;2;2024-04-03 09:00;2024-04-03 09:30;Städ;ja\n",
			"models: besok.csv:3:10: visits[1] (id B2): field 4 of the record has no column: the header of column 4 is blank"},
		{"at the end, data", "Besöks-ID;Brukare;Utförare;Starttid;Sluttid;Insatser;Attesterad;\n" +
			"B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ;ja;2\n",
			"models: besok.csv:2:52: visits[0] (id B1): field 8 of the record has no column: the header has 7"},
		{"a hyphen, data", "Besöks-ID;Brukare;Utförare;-;Starttid;Sluttid;Insatser;Attesterad\n" +
			"B1;K1;P1;2;2024-04-03 08:00;2024-04-03 08:30;Städ;ja\n",
			"models: besok.csv:2:10: visits[0] (id B1): field 4 of the record has no column: the header of column 4 is blank"},
		{"in the middle, blank", "Besöks-ID;Brukare;Utförare;;Starttid;Sluttid;Insatser;Attesterad\n" +
			"B1;K1;P1; ;2024-04-03 08:00;2024-04-03 08:30;Städ;ja\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := ReadVisitsCSVWith(strings.NewReader(tt.in), opts)
			if tt.want == "" {
				if err != nil || len(vs) != 1 {
					t.Fatalf("%d visits, %v", len(vs), err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v\nwant %s", err, tt.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Line < 2 || ie.Column == 0 {
				t.Errorf("not an *InputError at the record's field: %#v", err)
			}
			var streamed error
			for _, err := range VisitsCSV(strings.NewReader(tt.in), opts) {
				if err != nil {
					streamed = err
				}
			}
			if streamed == nil || streamed.Error() != tt.want {
				t.Errorf("VisitsCSV: %v", streamed)
			}
		})
	}
	_, err := ReadTaskMapCSV(strings.NewReader("lokal kod;;kategori\nStäd;x;service\n"), nil)
	const want = "models: 2:6: tasks[0] (id Städ): field 2 of the record has no column: the header of column 2 is blank"
	if err == nil || err.Error() != want {
		t.Errorf("task map: %v\nwant %s", err, want)
	}
	if _, err := ReadTaskMapCSV(strings.NewReader("lokal kod;;kategori\nStäd;;service\n"), nil); err != nil {
		t.Errorf("task map, a blank column: %v", err)
	}
}

// The natural headers of the registration time, and of the other optional
// fields, are read (found by a vendor's trial: "Registrerad tid" was
// ignored, and Registered stayed zero).
func TestCSVOptionalFieldAliases(t *testing.T) {
	const base = "Besöks-ID;Brukare;Utförare;Starttid;Sluttid;Insatser;Attesterad"
	const row = "B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ;ja"
	for _, h := range []string{"Registrerad tid", "Tid registrerad", "Registrerat", "Reg. tid", "RegTid", "Registreringsdatum", "Registrerad datum", "Registration time", "registered_at"} {
		vs, err := ReadVisitsCSVWith(strings.NewReader(base+";"+h+"\n"+row+";2024-04-05 09:10\n"), CSVOptions{File: "besok.csv", Location: stockholm})
		if err != nil || len(vs) != 1 || vs[0].Registered.Format("2006-01-02 15:04") != "2024-04-05 09:10" {
			t.Errorf("%q: %v, %v", h, vs, err)
		}
	}
	head := base + ";Planerad början;Planerad längd;Antal pers;Yrke;Avböjd av brukare;Manuellt registrerad"
	vs, err := ReadVisitsCSVWith(strings.NewReader(head+"\n"+row+";2024-04-03 07:50;45;2;usk;nej;ja\n"), CSVOptions{File: "besok.csv", Location: stockholm})
	if err != nil || len(vs) != 1 {
		t.Fatalf("%v, %v", vs, err)
	}
	v := vs[0]
	if v.PlannedStart.Format("15:04") != "07:50" || v.PlannedMinutes != 45 || v.StaffCount() != 2 || v.Role != CareStaff || v.Declined || !v.Edited {
		t.Errorf("read %+v", v)
	}
}

// TestCSVDateWordColumnsIgnored: a column whose header holds the word
// datum, in a file of full times and no date column, is ignored as any
// unknown column is: the date is needed only where start and end are
// times of day alone, and its absence is then an error of every record,
// so no amount can change (found by review: "Attesterad datum" was
// refused). A header holding a name of a field that would be missed
// silently is named by its longest such name: "Datum registrerad" is the
// registration time, not the date.
func TestCSVDateWordColumnsIgnored(t *testing.T) {
	const base = "Besöks-ID;Brukare;Utförare;Starttid;Sluttid;Insatser;Attesterad"
	const row = "B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ;ja"
	// "Avböjt datum" stays refused: it holds the declined field's name,
	// and a file without a declined column would pay declined visits.
	for _, h := range []string{"Attesterad datum", "Datum för attest", "Skapad datum", "Beslut datum"} {
		vs, err := ReadVisitsCSVWith(strings.NewReader(base+";"+h+"\n"+row+";2024-04-05\n"), CSVOptions{File: "besok.csv", Location: stockholm})
		if err != nil || len(vs) != 1 {
			t.Errorf("%q: %d visits, %v", h, len(vs), err)
		}
	}
	_, err := ReadVisitsCSVWith(strings.NewReader(base+";Datum registrerad\n"+row+";2024-04-05\n"), CSVOptions{File: "besok.csv", Location: stockholm})
	if err == nil || !strings.Contains(err.Error(), `registered: column 8 "Datum registrerad" is not one the reader knows, but holds the name "registrerad"`) {
		t.Errorf("Datum registrerad: %v", err)
	}
}
