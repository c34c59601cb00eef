package calendar

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the machine's zoneinfo

	"github.com/google/go-cmp/cmp"
)

var stockholm = mustLoad("Europe/Stockholm")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, stockholm)
	if err != nil {
		panic(err)
	}
	return t
}

// bandSpan is a segment in readable form for comparisons.
type bandSpan struct {
	Band     string
	Date     string
	Kind     DayKind
	Duration time.Duration
}

func split(t *testing.T, s *Schedule, from, to string) []bandSpan {
	t.Helper()
	segs, err := s.Split(nil, at(from), at(to), stockholm)
	if err != nil {
		t.Fatalf("Split(%s, %s): %v", from, to, err)
	}
	return spansOf(s, segs)
}

// spansOf gives the band, date, kind and duration of each segment.
func spansOf(s *Schedule, segs []Segment) []bandSpan {
	var out []bandSpan
	for _, sg := range segs {
		out = append(out, bandSpan{s.BandName(sg.Band), sg.Date.String(), sg.Kind, sg.Duration()})
	}
	return out
}

func TestSplitDefault(t *testing.T) {
	s := DefaultSchedule()
	evesAsHolidays, err := NewSchedule(DefaultRules(), true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		schedule *Schedule
		from, to string
		want     []bandSpan
	}{
		{
			name: "weekday evening into night", schedule: s,
			from: "2024-03-12 21:40", to: "2024-03-12 22:20", // a Tuesday
			want: []bandSpan{
				{"kväll", "2024-03-12", Weekday, 20 * time.Minute},
				{"natt", "2024-03-12", Weekday, 20 * time.Minute},
			},
		},
		{
			name: "midsummer eve is a weekday by default", schedule: s,
			from: "2024-06-21 10:00", to: "2024-06-21 11:00",
			want: []bandSpan{{"dag", "2024-06-21", Weekday, time.Hour}},
		},
		{
			name: "midsummer eve as a holiday", schedule: evesAsHolidays,
			from: "2024-06-21 10:00", to: "2024-06-21 11:00",
			want: []bandSpan{{"helg", "2024-06-21", PublicHoliday, time.Hour}},
		},
		{
			name: "whole weekday", schedule: s,
			from: "2024-03-12 00:00", to: "2024-03-13 00:00",
			want: []bandSpan{
				{"natt", "2024-03-12", Weekday, 7 * time.Hour},
				{"dag", "2024-03-12", Weekday, 12 * time.Hour},
				{"kväll", "2024-03-12", Weekday, 3 * time.Hour},
				{"natt", "2024-03-12", Weekday, 2 * time.Hour},
			},
		},
		{
			// Sommartid starts 2024-03-31 02:00 → 03:00: the night from
			// 22:00 to 07:00 lasts 9 − 1 = 8 hours.
			name: "spring forward", schedule: s,
			from: "2024-03-30 22:00", to: "2024-03-31 07:00",
			want: []bandSpan{
				{"natt", "2024-03-30", Saturday, 2 * time.Hour},
				{"natt", "2024-03-31", PublicHoliday, 6 * time.Hour}, // påskdagen, 7 − 1 hours
			},
		},
		{
			// Sommartid ends 2024-10-27 03:00 → 02:00: 9 + 1 = 10 hours.
			name: "fall back", schedule: s,
			from: "2024-10-26 22:00", to: "2024-10-27 07:00",
			want: []bandSpan{
				{"natt", "2024-10-26", Saturday, 2 * time.Hour},
				{"natt", "2024-10-27", Sunday, 8 * time.Hour},
			},
		},
		{
			name: "friday evening into saturday", schedule: s,
			from: "2024-03-15 21:00", to: "2024-03-16 08:00",
			want: []bandSpan{
				{"kväll", "2024-03-15", Weekday, time.Hour},
				{"natt", "2024-03-15", Weekday, 2 * time.Hour},
				{"natt", "2024-03-16", Saturday, 7 * time.Hour},
				{"helg", "2024-03-16", Saturday, time.Hour},
			},
		},
		{name: "empty", schedule: s, from: "2024-03-12 10:00", to: "2024-03-12 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := split(t, tt.schedule, tt.from, tt.to)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Where the clock skips midnight, a night still splits at the first
// instant of the next date. In Santiago on 3 September 2023 the clock went
// from 00:00 to 01:00, so 2 September 22:00 to 3 September 07:00 lasts
// 9 − 1 = 8 hours: 2 on the Saturday, 6 on the Sunday (from 01:00).
// Split used to loop for ever here: time.Date gives 23:00 on the 2nd for
// midnight of the 3rd.
func TestSplitMidnightSkipped(t *testing.T) {
	santiago := mustLoad("America/Santiago")
	from := time.Date(2023, 9, 2, 22, 0, 0, 0, santiago)
	to := time.Date(2023, 9, 3, 7, 0, 0, 0, santiago)
	segs, err := DefaultSchedule().Split(nil, from, to, santiago)
	if err != nil {
		t.Fatal(err)
	}
	got := spansOf(DefaultSchedule(), segs)
	want := []bandSpan{
		{"natt", "2023-09-02", Saturday, 2 * time.Hour},
		{"natt", "2023-09-03", Sunday, 6 * time.Hour},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A band boundary the clock skips changes the band where the gap ends.
// Stockholm went from 02:00 to 03:00 on 31 March 2024: under a boundary
// at 02:30, a visit from 01:30 to 04:00 (1.5 real hours) is 30 minutes of
// the first band (01:30–02:00) and 60 of the second (03:00–04:00), as the
// wall clock reads them; time.Date moved the boundary to 03:30, which paid
// 60 and 30.
func TestSplitBoundaryInGap(t *testing.T) {
	s, err := NewSchedule([]BandRule{
		{Band: "natt", Days: []string{"all"}, From: 19 * 60, To: 2*60 + 30},
		{Band: "dag", Days: []string{"all"}, From: 2*60 + 30, To: 19 * 60}}, false)
	if err != nil {
		t.Fatal(err)
	}
	got := split(t, s, "2024-03-31 01:30", "2024-03-31 04:00")
	want := []bandSpan{
		{"natt", "2024-03-31", PublicHoliday, 30 * time.Minute},
		{"dag", "2024-03-31", PublicHoliday, 60 * time.Minute},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A band boundary whose wall time comes twice changes the band at its
// first pass after the segment starts. Stockholm went from 03:00 CEST
// back to 02:00 CET on 27 October 2024; under a boundary at 02:30, a visit
// from 02:00 to 02:50 CEST is 30 minutes of the first band and 20 of the
// second, one from 02:15 to 02:45 CET 15 and 15, and one across both
// passes has each band twice, as the wall clock reads it. time.Date gives
// the second pass: the first visit was all of the first band, the second
// ran in it to midnight, and the third changed band once.
func TestSplitBoundaryInRepeatedHour(t *testing.T) {
	s, err := NewSchedule([]BandRule{
		{Band: "natt", Days: []string{"all"}, From: 19 * 60, To: 2*60 + 30},
		{Band: "dag", Days: []string{"all"}, From: 2*60 + 30, To: 19 * 60}}, false)
	if err != nil {
		t.Fatal(err)
	}
	utc := func(h, m int) time.Time { return time.Date(2024, 10, 27, h, m, 0, 0, time.UTC) }
	for _, tt := range []struct {
		name       string
		start, end time.Time
		want       []bandSpan
	}{
		{"first pass", utc(0, 0), utc(0, 50), []bandSpan{
			{"natt", "2024-10-27", Sunday, 30 * time.Minute}, {"dag", "2024-10-27", Sunday, 20 * time.Minute}}},
		{"second pass", utc(1, 15), utc(1, 45), []bandSpan{
			{"natt", "2024-10-27", Sunday, 15 * time.Minute}, {"dag", "2024-10-27", Sunday, 15 * time.Minute}}},
		// 02:00–02:30 CEST natt, 02:30–03:00 CEST dag, then the clock
		// reads 02:00 again: 02:00–02:30 CET natt, 02:30–03:00 CET dag.
		{"across both", utc(0, 0), utc(2, 0), []bandSpan{
			{"natt", "2024-10-27", Sunday, 30 * time.Minute}, {"dag", "2024-10-27", Sunday, 30 * time.Minute},
			{"natt", "2024-10-27", Sunday, 30 * time.Minute}, {"dag", "2024-10-27", Sunday, 30 * time.Minute}}},
	} {
		segs, err := s.Split(nil, tt.start, tt.end, stockholm)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, spansOf(s, segs)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// Where the clock goes back across midnight from after it, Split ends.
// St John's went from 00:00:59 NDT on 7 November 2010 back to 23:01 NST
// on the 6th: a night from 22:00 NDT lasting four real hours tiles into
// segments that each end after they start. Split looped for ever here
// once it cut where the clock goes back.
func TestSplitClockBackAcrossMidnight(t *testing.T) {
	loc := mustLoad("America/St_Johns")
	start := time.Date(2010, 11, 6, 22, 0, 0, 0, loc)
	end := start.Add(4 * time.Hour)
	segs, err := DefaultSchedule().Split(nil, start, end, loc)
	if err != nil {
		t.Fatal(err)
	}
	at := start
	for i, sg := range segs {
		if !sg.Start.Equal(at) || !sg.End.After(sg.Start) || DateOf(sg.Start.In(loc)) != sg.Date {
			t.Fatalf("segment %d: %v–%v dated %s after %v", i, sg.Start, sg.End, sg.Date, at)
		}
		at = sg.End
	}
	if !at.Equal(end) || len(segs) > 10 {
		t.Fatalf("%d segments ending %v, want them to tile to %v", len(segs), at, end)
	}
}

func TestSplitErrors(t *testing.T) {
	s := DefaultSchedule()
	if _, err := s.Split(nil, at("2024-03-12 10:00"), at("2024-03-12 09:00"), stockholm); err == nil {
		t.Error("end before start: no error")
	}
	if _, err := s.Split(nil, at("2024-03-12 10:00"), at("2024-03-12 11:00"), nil); !errors.Is(err, ErrNilLocation) {
		t.Errorf("nil location: err = %v, want ErrNilLocation", err)
	}
}

func TestSplitDoesNotAllocate(t *testing.T) {
	s := DefaultSchedule()
	buf := make([]Segment, 0, 16)
	from, to := at("2024-03-15 21:00"), at("2024-03-16 08:00")
	allocs := testing.AllocsPerRun(100, func() {
		buf, _ = s.Split(buf[:0], from, to, stockholm)
	})
	if allocs != 0 {
		t.Errorf("Split into a buffer: %v allocations per run, want 0", allocs)
	}
}

func TestScheduleBeforeHolidayAndEve(t *testing.T) {
	rules := append(DefaultRules(),
		BandRule{Band: "helg", Days: []string{"eve"}, From: 7 * 60, To: 22 * 60},
		BandRule{Band: "kväll", Days: []string{"before_holiday"}, From: 7 * 60, To: 22 * 60},
	)
	// "all" in the night rule now covers eve and before_holiday too.
	s, err := NewSchedule(rules, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		date string
		want DayKind
	}{
		{"2024-06-21", Eve},           // midsommarafton
		{"2024-05-08", BeforeHoliday}, // day before Kristi himmelsfärd
		{"2024-05-09", PublicHoliday},
		{"2024-05-10", Weekday},
		{"2024-12-23", Weekday}, // the day before an eve is not before a holiday
		// A weekend day before a holiday stays a weekend day: Sunday
		// 5 January 2025 before Trettondedag jul (Monday), Saturday
		// 5 June 2027 before Sveriges nationaldag (Sunday), Sunday
		// 30 April 2028 before 1 May (Monday); Friday 5 June 2026
		// before the national day on a Saturday is before a holiday.
		{"2025-01-05", Sunday},
		{"2027-06-05", Saturday},
		{"2028-04-30", Sunday},
		{"2026-06-05", BeforeHoliday},
	} {
		if got := s.DayKind(MustParseDate(tt.date)); got != tt.want {
			t.Errorf("DayKind(%s) = %s, want %s", tt.date, got, tt.want)
		}
	}
	got := split(t, s, "2024-05-08 21:00", "2024-05-08 23:00")
	want := []bandSpan{
		{"kväll", "2024-05-08", BeforeHoliday, time.Hour},
		{"natt", "2024-05-08", BeforeHoliday, time.Hour},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if b, ok := s.BandAt(Eve, 12*60); !ok || s.BandName(b) != "helg" {
		t.Errorf("BandAt(eve, 12:00) = %d, %v", b, ok)
	}
	if _, ok := DefaultSchedule().BandAt(Eve, 12*60); ok {
		t.Error("BandAt(eve) in a schedule without eves: ok")
	}
}

func TestNewScheduleErrors(t *testing.T) {
	tests := []struct {
		name  string
		rules []BandRule
		want  []string
	}{
		{"no rules", nil, []string{"no rules"}},
		{
			"gap", []BandRule{{Band: "dag", Days: []string{"all"}, From: 7 * 60, To: 22 * 60}},
			[]string{"weekday: no band covers 00:00–07:00", "weekday: no band covers 22:00–24:00"},
		},
		{
			"overlap", []BandRule{
				{Band: "dygn", Days: []string{"all"}, From: 0, To: 1440},
				{Band: "natt", Days: []string{"sunday"}, From: 22 * 60, To: 7 * 60},
			},
			[]string{"sunday: bands overlap at 00:00–07:00", "sunday: bands overlap at 22:00–24:00"},
		},
		{
			"bad fields", []BandRule{{Band: "", Days: []string{"måndag"}, From: 60, To: 60}},
			[]string{"rule 0: band: empty band name", `rule 0: days: unknown day kind "måndag"`, "rule 0: to: empty range 01:00–01:00"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSchedule(tt.rules, false)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			var se *ScheduleError
			if !errors.As(err, &se) {
				t.Errorf("error is not a *ScheduleError: %T", err)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	for s, want := range map[string]Clock{"00:00": 0, "07:30": 450, "24:00": 1440} {
		if got, err := ParseClock(s); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "7:30", "24:01", "12:60", "ab:cd", "12-30"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q): no error", s)
		}
	}
}
