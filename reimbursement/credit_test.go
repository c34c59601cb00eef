package reimbursement

import (
	"fmt"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// creditCase has n care visits of an hour from 18:30 on the weekdays of
// April (a second later each round), paid by the hour in the day band
// only and per visit: each visit's evening half hour is no hourly
// component's, so the per-visit line (or, for a declined visit, what the
// per-visit component reports of it) accounts for those minutes.
func creditCase(t testing.TB, n int, declined bool) (*Book, *models.Dataset) {
	book := mustBook(t, doc(`
		{"name": "dag", "strategy": "performed_time", "when": "category == \"care\" && band == \"dag\"", "rate": "400", "params": {"declined_share": "0.5"}},
		{"name": "besök", "strategy": "per_visit", "when": "category == \"care\"", "rate": "100"}`))
	ds := data()
	ds.Decisions = []models.Decision{careDecision("b1")}
	var days []calendar.Date
	for day := calendar.MustParseDate("2024-04-02"); day.Month == time.April; day = day.AddDays(1) {
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, day)
		}
	}
	for i := range n {
		day := days[i%len(days)]
		s := time.Date(day.Year, day.Month, day.Day, 18, 30, 0, 0, stockholm).Add(time.Duration(i/len(days)) * time.Second)
		ds.Visits = append(ds.Visits, models.Visit{ID: fmt.Sprintf("v%07d", i), Customer: "k1", Provider: "egen", Start: s,
			End: s.Add(time.Hour), Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true, Declined: declined})
	}
	return book, ds
}

// Every visit's minutes outside the paid hours are credited to its own
// unit on the per-visit line, once: 10 000 visits (finding the unit by a
// scan of every line's units per visit grew 3.5× per doubling).
func TestCreditWholeVisit(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 500
	}
	book, ds := creditCase(t, n, false)
	s, err := Settle(t.Context(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	credited, byHour := map[string]int64{}, map[string]int64{}
	for _, l := range s.Lines {
		for _, u := range l.Units {
			switch l.Component {
			case "besök":
				credited[u.ID] += u.Minutes
			case "dag":
				byHour[u.ID] += u.Minutes
			}
		}
	}
	// Each minute of a visit is on exactly one line: the day band's by the
	// hour, the evening's credited to the visit.
	for i := range ds.Visits {
		v := &ds.Visits[i]
		want, ok := book.VisitMinutes(v, april2024.Location)
		if !ok {
			t.Fatalf("%s: no minutes", v.ID)
		}
		if c, h := credited[v.ID], byHour[v.ID]; c <= 0 || h <= 0 || c+h != want {
			t.Fatalf("%s: %d minutes credited on the per-visit line and %d paid by the hour, want both and %d in all", v.ID, c, h, want)
		}
	}
	for _, u := range s.NotPaid {
		if u.Reason == OutsidePaidHours {
			t.Fatalf("reported outside the paid hours: %+v", u)
		}
	}
}

// A declined visit the per-visit component does not pay is reported by it
// once, with the minutes the hourly component does not pay credited to
// that report: each visit's minutes are its day-band minutes on the
// hourly line and the rest on the per-visit report, to the minute.
func TestCreditWholeVisitDeclined(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 500
	}
	book, ds := creditCase(t, n, true)
	s, err := Settle(t.Context(), book, ds, april2024, Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	byHour := map[string]int64{}
	for _, l := range s.Lines {
		for _, u := range l.Units {
			if l.Component == "dag" {
				byHour[u.ID] += u.Minutes
			}
		}
	}
	reported, times := map[string]int64{}, map[string]int{}
	for _, u := range s.NotPaid {
		if u.Reason == OutsidePaidHours {
			t.Fatalf("reported outside the paid hours: %+v", u)
		}
		if u.Kind == RecordVisit && u.Component == "besök" {
			reported[u.ID] += u.Minutes
			times[u.ID]++
		}
	}
	if len(reported) != n {
		t.Fatalf("%d visits reported by besök, want %d", len(reported), n)
	}
	for i := range ds.Visits {
		v := &ds.Visits[i]
		want, ok := book.VisitMinutes(v, april2024.Location)
		if !ok {
			t.Fatalf("%s: no minutes", v.ID)
		}
		if r, h := reported[v.ID], byHour[v.ID]; times[v.ID] != 1 || r <= 0 || h <= 0 || r+h != want {
			t.Fatalf("%s: reported %d times by besök with %d minutes, %d paid by the hour; want once, both and %d in all",
				v.ID, times[v.ID], r, h, want)
		}
	}
}
