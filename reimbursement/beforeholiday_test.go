package reimbursement

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// A schedule that names before_holiday (a helgkväll before holidays)
// pays a Sunday before a Monday holiday as the Sunday it is (found by a
// tariff author: Sunday 5 January 2025, before Trettondedag jul, was
// paid dag at 480 kr/h instead of helg at 560).
func TestSundayBeforeHolidayStaysSunday(t *testing.T) {
	src, err := os.ReadFile("testdata/beforeholiday.json")
	if err != nil {
		t.Fatal(err)
	}
	b := mustBook(t, string(src))
	ds, err := models.ReadDataset(strings.NewReader(`{
 "tasks": [{"local": "Tillsyn", "category": "care"}],
 "customers": [{"id": "k1", "zone": "tätort"}],
 "providers": [{"id": "p1", "name": "Egen regi", "ownership": "own"}],
 "decisions": [{"id": "b1", "customer": "k1", "provider": "p1", "valid_from": "2024-01-01", "execution_started": "2024-01-01",
   "items": [{"task": "Tillsyn", "category": "care", "minutes": 60, "times": 1, "per": "day"}]}],
 "visits": [
  {"id": "v1", "customer": "k1", "provider": "p1", "start": "2025-01-05T12:00:00+01:00", "end": "2025-01-05T13:00:00+01:00", "tasks": ["Tillsyn"], "approved": true},
  {"id": "v2", "customer": "k1", "provider": "p1", "start": "2025-01-12T12:00:00+01:00", "end": "2025-01-12T13:00:00+01:00", "tasks": ["Tillsyn"], "approved": true},
  {"id": "v3", "customer": "k1", "provider": "p1", "start": "2025-01-05T20:00:00+01:00", "end": "2025-01-05T21:00:00+01:00", "tasks": ["Tillsyn"], "approved": true},
  {"id": "v4", "customer": "k1", "provider": "p1", "start": "2025-01-02T20:00:00+01:00", "end": "2025-01-02T21:00:00+01:00", "tasks": ["Tillsyn"], "approved": true}
 ]}`))
	if err != nil {
		t.Fatal(err)
	}
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	jan, err := calendar.Month(2025, time.January, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Settle(context.Background(), b, ds, jan, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// v1, v2 and v3 are Sunday visits between 07 and 22: helg, 3 × 60 =
	// 180 min × 560 ÷ 60 = 1 680.00. v4, Thursday 2 January 20–21, is an
	// ordinary weekday evening: 60 × 520 ÷ 60 = 520.00. Nothing is
	// helgkväll: no weekday of the month is before a holiday (Epiphany,
	// Monday 6 January, follows a Sunday).
	want := []row{
		{"k1", "u", "", "care", "tätort", "kväll", "60", "520", "", "520.00"},
		{"k1", "u", "", "care", "tätort", "helg", "180", "560", "", "1680.00"},
	}
	if diff := cmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}
