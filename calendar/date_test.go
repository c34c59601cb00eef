package calendar

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDateArithmetic(t *testing.T) {
	d := MustParseDate("2024-02-28")
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("leap day: %s", got)
	}
	if got := d.AddDays(2).String(); got != "2024-03-01" {
		t.Errorf("after leap day: %s", got)
	}
	if got := MustParseDate("2024-03-01").Sub(MustParseDate("2024-02-01")); got != 29 {
		t.Errorf("days in February 2024: %d", got)
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 {
		t.Error("comparison is wrong")
	}
	if got := NewDate(2024, 1, 32); got != MustParseDate("2024-02-01") {
		t.Errorf("NewDate normalises to %s", got)
	}
	// A day the month lacks says so; told the form only, a reader of
	// "2024-04-31" saw nothing wrong (found by trial).
	for s, want := range map[string]string{
		"2024-02-30": `calendar: invalid date "2024-02-30": 2024-02 has 29 days`,
		"2023-02-29": `calendar: invalid date "2023-02-29": 2023-02 has 28 days`,
		"2024-04-31": `calendar: invalid date "2024-04-31": 2024-04 has 30 days`,
		"2024-04-00": `calendar: invalid date "2024-04-00": a month's days are numbered from 01`,
		"2024-13-01": `calendar: invalid date "2024-13-01": want YYYY-MM-DD`,
		"2024-4-1":   `calendar: invalid date "2024-4-1": want YYYY-MM-DD`,
		"1/4 2024":   `calendar: invalid date "1/4 2024": want YYYY-MM-DD`,
		// The form wrong, not the day (told "has 30 days", found by
		// attack).
		"2024-04-1x": `calendar: invalid date "2024-04-1x": want YYYY-MM-DD`,
		"2024-4-15 ": `calendar: invalid date "2024-4-15 ": want YYYY-MM-DD`,
		"2024-04-+5": `calendar: invalid date "2024-04-+5": want YYYY-MM-DD`,
		"+024-04-31": `calendar: invalid date "+024-04-31": want YYYY-MM-DD`,
	} {
		if _, err := ParseDate(s); err == nil || err.Error() != want {
			t.Errorf("ParseDate(%s): %v, want %s", s, err, want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		From Date `json:"from"`
		To   Date `json:"to,omitzero"`
	}
	b, err := json.Marshal(rec{From: MustParseDate("2024-01-10")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"from":"2024-01-10"}` {
		t.Errorf("Marshal = %s", b)
	}
	var r rec
	if err := json.Unmarshal([]byte(`{"from":"2024-01-10","to":"2024-01-31"}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.To != MustParseDate("2024-01-31") {
		t.Errorf("To = %s", r.To)
	}
	if err := json.Unmarshal([]byte(`{"from":"10/1/2024"}`), &r); err == nil {
		t.Error("bad date: no error")
	}
}

func TestPeriod(t *testing.T) {
	p, err := Month(2024, time.March, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	if p.Days() != 31 || p.String() != "2024-03" {
		t.Errorf("Days = %d, String = %s", p.Days(), p)
	}
	// March 2024 loses an hour to summer time: 31 × 24 − 1 = 743 hours.
	if got := p.End().Sub(p.Start()); got != 743*time.Hour {
		t.Errorf("length of March 2024 = %v, want 743h", got)
	}
	if !p.Contains(at("2024-03-31 23:59")) || p.Contains(at("2024-04-01 00:00")) || p.Contains(at("2024-02-29 23:59")) {
		t.Error("Contains is wrong at the edges")
	}
	tests := []struct {
		name  string
		r     DateRange
		want  DateRange
		wantN int
	}{
		{"inside", DateRange{MustParseDate("2024-03-10"), MustParseDate("2024-03-12")}, DateRange{MustParseDate("2024-03-10"), MustParseDate("2024-03-12")}, 3},
		{"open end", DateRange{From: MustParseDate("2024-03-10")}, DateRange{MustParseDate("2024-03-10"), MustParseDate("2024-03-31")}, 22},
		{"open start", DateRange{To: MustParseDate("2024-03-02")}, DateRange{MustParseDate("2024-03-01"), MustParseDate("2024-03-02")}, 2},
		{"before", DateRange{MustParseDate("2024-01-01"), MustParseDate("2024-02-29")}, DateRange{}, 0},
		{"around", DateRange{MustParseDate("2024-01-01"), MustParseDate("2024-12-31")}, p.Dates(), 31},
	}
	for _, tt := range tests {
		got, n := p.Overlap(tt.r)
		if diff := cmp.Diff(tt.want, got); diff != "" || n != tt.wantN {
			t.Errorf("%s: Overlap = %v, %d; want %v, %d", tt.name, got, n, tt.want, tt.wantN)
		}
	}
	if _, err := Month(2024, time.March, nil); err == nil {
		t.Error("nil location: no error")
	}
	if _, err := ParseMonth("2024-13", stockholm); err == nil {
		t.Error("ParseMonth(2024-13): no error")
	}
}

// In gives the first instant of a date in every zone, including where a
// clock change skips midnight (Santiago and Havana in spring, Asunción,
// Beirut), where midnight comes twice (Amman and Gaza, whose clocks went
// back from 01:00 to 00:00: the first midnight) and where a whole day is
// skipped (Apia, 30 December 2011): the
// instant lies on the date or, for a skipped date, after it, and the
// instant before it on an earlier date. time.Date alone gives 23:00 of
// the day before in Santiago on 3 September 2023.
func TestDateInFirstInstant(t *testing.T) {
	for _, name := range []string{"Europe/Stockholm", "UTC", "America/Santiago", "America/Havana", "America/Asuncion",
		"Asia/Beirut", "Asia/Amman", "Asia/Gaza", "Pacific/Apia", "Pacific/Kiritimati", "Australia/Lord_Howe", "America/Sao_Paulo"} {
		loc := mustLoad(name)
		for d := NewDate(1970, 1, 1); d.Year < 2038; d = d.AddDays(1) {
			got := d.In(loc)
			if got.Location() != loc {
				t.Fatalf("%s %s: In gives %v in %s", name, d, got, got.Location())
			}
			if DateOf(got).Before(d) || !DateOf(got.Add(-time.Nanosecond).In(loc)).Before(d) {
				t.Fatalf("%s %s: In gives %v, not the first instant of the date", name, d, got)
			}
		}
	}
	santiago := mustLoad("America/Santiago")
	if got, want := NewDate(2023, 9, 3).In(santiago), time.Date(2023, 9, 3, 1, 0, 0, 0, santiago); !got.Equal(want) {
		t.Errorf("3 September 2023 in Santiago starts %v, want %v", got, want)
	}
	// Amman went from 01:00 +03 back to 00:00 +02 on 29 October 2021:
	// the day starts at 00:00 +03, 21:00 UTC the day before.
	if got, want := NewDate(2021, 10, 29).In(mustLoad("Asia/Amman")), time.Date(2021, 10, 28, 21, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("29 October 2021 in Amman starts %v, want %v", got, want)
	}
}

// A Period written as a literal is checked by Validate as Month checks
// its arguments: month 14 of 2023 is not February 2024, month 0 is not
// December, and a period without a location is ErrNilLocation.
func TestPeriodValidate(t *testing.T) {
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	for _, tt := range []struct {
		p    Period
		want string // "" for valid
	}{
		{Period{Year: 2024, Month: time.February, Location: stockholm}, ""},
		{Period{Year: MinYear, Month: time.January, Location: time.UTC}, ""},
		{Period{Year: MaxYear, Month: time.December, Location: time.UTC}, ""},
		{Period{Year: 2023, Month: 14, Location: stockholm}, "calendar: period 2023-14: out of range (a month 1-12 of 1900-2200)"},
		{Period{Year: 2024, Month: 0, Location: stockholm}, "calendar: period 2024-00: out of range (a month 1-12 of 1900-2200)"},
		{Period{Year: 1899, Month: time.December, Location: stockholm}, "calendar: period 1899-12: out of range (a month 1-12 of 1900-2200)"},
		{Period{Year: 2024, Month: time.March}, "calendar: period 2024-03: no location (make it with Month)"},
		{Period{}, "calendar: period 0000-00: no location (make it with Month)"},
	} {
		err := tt.p.Validate()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%+v: Validate() = %q, want %q", tt.p, got, tt.want)
		}
		if tt.p.Location == nil && !errors.Is(err, ErrNilLocation) {
			t.Errorf("%+v: %v is not ErrNilLocation", tt.p, err)
		}
		if _, err := Month(tt.p.Year, tt.p.Month, tt.p.Location); (err == nil) != (tt.want == "") {
			t.Errorf("Month(%d, %d) = %v, Validate %q", tt.p.Year, tt.p.Month, err, tt.want)
		}
	}
}
