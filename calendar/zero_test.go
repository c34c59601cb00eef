package calendar

import (
	"testing"
	"time"
)

// The zero values of the package's types answer without panicking (found
// by calling every exported method on them with zero arguments): a Period without a location
// read its instants with time.Date(…, nil) and panicked; AddRange of the
// zero DateRange shifted by day 0 − 1; BandName of the zero Schedule
// indexed past its bands. A Period without a location is still refused by
// Validate, and so by every settlement.
func TestZeroValuesAnswer(t *testing.T) {
	var p Period
	if err := p.Validate(); err == nil {
		t.Error("the zero Period validates")
	}
	_, _, _ = p.Start(), p.End(), p.Contains(time.Time{}) // no panic
	// A month without a location is read in UTC.
	april := Period{Year: 2024, Month: time.April}
	start, end := time.Date(2024, time.April, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, time.May, 1, 0, 0, 0, 0, time.UTC)
	if !april.Start().Equal(start) || !april.End().Equal(end) || !april.Contains(start) || april.Contains(end) {
		t.Errorf("April 2024 without a location: [%v, %v), want [%v, %v)", april.Start(), april.End(), start, end)
	}
	var s DaySet
	s.AddRange(DateRange{})
	if s != 0 {
		t.Errorf("AddRange of the zero DateRange added days %b", s)
	}
	s.AddRange(DateRange{From: Date{2024, time.April, 3}, To: Date{2024, time.April, 4}})
	if s.Len() != 2 || !s.Has(3) || !s.Has(4) {
		t.Errorf("AddRange of 3–4 April: %b", s)
	}
	// A first day written 0 is none: "0 April" to 2 April is 1–2 April
	// (it shifted by −1 and panicked).
	var t2 DaySet
	t2.AddRange(DateRange{From: Date{2024, time.April, 0}, To: Date{2024, time.April, 2}})
	if t2.Len() != 2 || !t2.Has(1) || !t2.Has(2) {
		t.Errorf("AddRange of 0–2 April: %b", t2)
	}
	var sch Schedule
	if n := sch.BandName(0); n != "" {
		t.Errorf("BandName(0) of the zero Schedule: %q", n)
	}
	if len(sch.Bands()) != 0 {
		t.Errorf("the zero Schedule has bands %v", sch.Bands())
	}
}
