package calendar

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// splitZones are the zones intervals are drawn in: Stockholm mostly, and
// zones whose clocks change at midnight (Santiago, Havana), by half an
// hour (Lord Howe) or never (UTC).
var splitZones = []*time.Location{stockholm, stockholm, stockholm, mustLoad("America/Santiago"), mustLoad("America/Havana"),
	mustLoad("Australia/Lord_Howe"), time.UTC}

// genInterval draws an interval of up to three days starting anywhere in
// 2023–2025, so that holidays and both clock changes are reached, and the
// zone it is split in.
func genInterval(t *rapid.T) (time.Time, time.Time, *time.Location) {
	loc := splitZones[rapid.IntRange(0, len(splitZones)-1).Draw(t, "zone")]
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, loc)
	start := base.Add(time.Duration(rapid.Int64Range(0, 3*365*24*60).Draw(t, "startMinute")) * time.Minute)
	end := start.Add(time.Duration(rapid.Int64Range(0, 3*24*60).Draw(t, "lengthMinutes")) * time.Minute)
	return start, end, loc
}

func genSchedule(t *rapid.T) *Schedule {
	if rapid.Bool().Draw(t, "defaultSchedule") {
		return DefaultSchedule()
	}
	s, err := NewSchedule(DefaultRules(), true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The segments of a split tile the interval: each starts where the last
// ended, none is empty, and the durations add up to end − start.
func TestSplitTilesInterval(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		start, end, loc := genInterval(t)
		segs, err := s.Split(nil, start, end, loc)
		if err != nil {
			t.Fatal(err)
		}
		at := start
		var total time.Duration
		for i, sg := range segs {
			if !sg.Start.Equal(at) {
				t.Fatalf("segment %d starts %v, previous ended %v", i, sg.Start, at)
			}
			if !sg.End.After(sg.Start) {
				t.Fatalf("segment %d is empty or reversed: %v–%v", i, sg.Start, sg.End)
			}
			if DateOf(sg.Start) != sg.Date {
				t.Fatalf("segment %d dated %s but starts %v", i, sg.Date, sg.Start)
			}
			total += sg.Duration()
			at = sg.End
		}
		if !at.Equal(end) && len(segs) > 0 {
			t.Fatalf("last segment ends %v, interval ends %v", at, end)
		}
		if total != end.Sub(start) {
			t.Fatalf("durations sum to %v, interval is %v", total, end.Sub(start))
		}
	})
}

// Splitting [a, c) gives the same total per band as splitting [a, b) and
// [b, c) for any inner point b.
func TestSplitAdditive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		start, end, loc := genInterval(t)
		mid := start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start)/time.Minute)).Draw(t, "midMinute")) * time.Minute)
		whole, _ := s.Split(nil, start, end, loc)
		parts, _ := s.Split(nil, start, mid, loc)
		parts, _ = s.Split(parts, mid, end, loc)
		w := make([]time.Duration, len(s.Bands()))
		p := make([]time.Duration, len(s.Bands()))
		Durations(w, whole)
		Durations(p, parts)
		for b := range w {
			if w[b] != p[b] {
				t.Fatalf("band %s: whole %v, halves %v", s.BandName(b), w[b], p[b])
			}
		}
	})
}

// Every segment's band is the band the schedule gives for its start.
func TestSplitBandsMatchSchedule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		start, end, loc := genInterval(t)
		segs, _ := s.Split(nil, start, end, loc)
		for _, sg := range segs {
			b, ok := s.BandAt(sg.Kind, Clock(sg.Start.Hour()*60+sg.Start.Minute()))
			if !ok || b != sg.Band {
				t.Fatalf("segment at %v has band %s, schedule says %s", sg.Start, s.BandName(sg.Band), s.BandName(b))
			}
		}
	})
}
