package compare

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// Each line of a largest change is followed by the records behind it
// (Line.Units) in the text, the CSV and (see the command's tests) the
// HTML, the first MaxUnitsShown with their minutes or days and the rest
// counted (found by a trial: they were only in the JSON and from the
// explain command). April 2024: k1 is granted 600 min of care (b1, 30
// days) and receives seven visits of 30 minutes, v1–v7. Granted time
// pays 600 × 448 ÷ 60 = 4480.00 on one line of one record; performed time
// at rates × 1.10 pays 7 × 30 = 210 min × 492.80 ÷ 60 = 1724.80 on one
// line of seven.
func TestLargestLinesNameTheirRecords(t *testing.T) {
	base := mustBook(t, doc(granted))
	performed := mustBook(t, doc(`{"name": "sol", "strategy": "performed_time", "when": "category in [\"service\", \"care\"]",
	  "rate": "table(\"timpris\", category, zone) * 1.10"}`))
	ds := compareData()
	ds.Visits = nil
	for i := range 7 {
		v := visit(fmt.Sprintf("2024-04-%02d 10:00", i+2), fmt.Sprintf("2024-04-%02d 10:30", i+2), "Dusch")
		v.ID = fmt.Sprintf("v%d", i+1)
		ds.Visits = append(ds.Visits, v)
	}
	one := 1
	c, err := Run(t.Context(), Side{Name: "nu", Book: base, Data: ds}, Side{Name: "förslag", Book: performed, Data: ds},
		[]calendar.Period{april2024}, Options{Largest: &one})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Largest) != 1 || c.Largest[0].Key != "k1" || len(c.Largest[0].ProposedLines) != 1 {
		t.Fatalf("largest: %+v", c.Largest)
	}
	if got := c.Largest[0].ProposedLines[0].Amount.String(); got != "1724.80" {
		t.Fatalf("k1's performed line pays %s, want 1724.80", got)
	}
	baseRecords := "poster: beslut b1/Dusch 600 min på 30 dagar"
	proposedRecords := "7 poster: besök v1 30 min, besök v2 30 min, besök v3 30 min, besök v4 30 min, besök v5 30 min och 2 till"
	if d := cmp.Diff([]string{baseRecords, proposedRecords},
		[]string{UnitsText(&c.Largest[0].BaseLines[0]), UnitsText(&c.Largest[0].ProposedLines[0])}); d != "" {
		t.Errorf("UnitsText (-want +got):\n%s", d)
	}
	out := outputs(t, c)
	mustContain(t, "text", out["text"],
		"4480.00\n      "+baseRecords+"\n",
		"1724.80\n      "+proposedRecords+"\n")
	mustContain(t, "CSV", out["CSV"],
		"\nlargest_line_base_records,k1,"+baseRecords+",,,,,tätort,egen,records,1,\n",
		"\nlargest_line_proposed_records,k1,\""+proposedRecords+"\",,,,,tätort,egen,records,7,\n") // quoted: it has commas
	mustContain(t, "Excel CSV", out["Excel CSV"],
		"\r\nlargest_line_proposed_records;k1;"+proposedRecords+";;;;;tätort;egen;records;7;\r\n")
	// A line's records row follows the line itself.
	lines := strings.Split(out["CSV"], "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "largest_line_proposed_records,") && !strings.HasPrefix(lines[i-1], "largest_line_proposed,k1,") {
			t.Errorf("the records row follows %q", lines[i-1])
		}
	}
	// A line without records (an adjustment's) has no records row, and
	// a line of days names them alone.
	if got := UnitsText(&reimbursement.Line{}); got != "" {
		t.Errorf("no units: %q", got)
	}
	listing := reimbursement.Line{Unit: reimbursement.Days, Units: []reimbursement.UnitRef{{Kind: reimbursement.RecordListing, ID: "l1", Days: 1}}}
	if got := UnitsText(&listing); got != "poster: inskrivning l1 1 dag" {
		t.Errorf("a listing: %q", got)
	}
}
