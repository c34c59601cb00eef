package models

import (
	"strings"
	"testing"
)

// With RefuseUnknown ("a column the reader does not know, and Columns
// does not map, an error naming it ... for an export every column of
// which is to be read"), a column whose header cell is blank but whose
// records hold data (here the staff count 2) is read as nothing and the
// visit is settled as one of one staff. The same data under a blank
// header at the end of the row is refused (widthError), so it is only
// the position of the blank header that decides.
func TestAttack79RefuseUnknownBlankHeaderWithData(t *testing.T) {
	opts := CSVOptions{File: "besok.csv", Location: stockholm, RefuseUnknown: true}
	atEnd := "Besöks-ID;Brukare;Utförare;Starttid;Sluttid;Insatser;Attesterad;\n" +
		"B1;K1;P1;2024-04-03 08:00;2024-04-03 08:30;Städ;ja;2\n"
	if _, err := ReadVisitsCSVWith(strings.NewReader(atEnd), opts); err == nil {
		t.Fatal("data under a blank last header: accepted (the contrast expected an error)")
	}
	inside := "Besöks-ID;Brukare;Utförare;;Starttid;Sluttid;Insatser;Attesterad\n" +
		"B1;K1;P1;2;2024-04-03 08:00;2024-04-03 08:30;Städ;ja\n"
	vs, err := ReadVisitsCSVWith(strings.NewReader(inside), opts)
	if err == nil {
		t.Errorf("RefuseUnknown: column 4 has no header but holds %q on line 2; read without a word: %d visit(s), staff %d (one)", "2", len(vs), vs[0].Staff)
	}
}
