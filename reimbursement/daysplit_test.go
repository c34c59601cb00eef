package reimbursement

import (
	"fmt"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the zones below on any machine

	"github.com/google/go-cmp/cmp"
	"github.com/hemtjanst/ersattning/calendar"
	"pgregory.net/rapid"
)

// genDaySchedule draws a schedule that cuts each kind of day at up to five
// random minutes into bands of three names, a band possibly wrapping past
// midnight and neighbouring pieces possibly of one band, with eves and
// days before a holiday sometimes distinguished.
func genDaySchedule(t *rapid.T) *calendar.Schedule {
	kinds := []string{"weekday", "saturday", "sunday", "holiday"}
	eves := rapid.Bool().Draw(t, "evesAsHolidays")
	if !eves && rapid.Bool().Draw(t, "eve") {
		kinds = append(kinds, "eve")
	}
	if rapid.Bool().Draw(t, "beforeHoliday") {
		kinds = append(kinds, "before_holiday")
	}
	var rules []calendar.BandRule
	for _, k := range kinds {
		cuts := rapid.SliceOfNDistinct(rapid.IntRange(0, 1439), 1, 5, rapid.ID[int]).Draw(t, k+"Cuts")
		slices.Sort(cuts)
		for i, from := range cuts {
			to := 1440
			switch {
			case i+1 < len(cuts):
				to = cuts[i+1]
			case len(cuts) > 1 && cuts[0] > 0:
				to = cuts[0] // the last piece wraps past midnight to the first cut
			case cuts[0] > 0:
				// One cut, not at midnight: two pieces of one band.
				rules = append(rules, calendar.BandRule{Band: "natt", Days: []string{k}, From: 0, To: calendar.Clock(from)})
			}
			band := rapid.SampledFrom([]string{"dag", "kväll", "natt"}).Draw(t, "band")
			rules = append(rules, calendar.BandRule{Band: band, Days: []string{k}, From: calendar.Clock(from), To: calendar.Clock(to)})
		}
	}
	s, err := calendar.NewSchedule(rules, eves)
	if err != nil {
		t.Fatalf("NewSchedule(%v): %v", rules, err)
	}
	return s
}

// splitReference is how a visit was split before the days were cut in
// advance: Schedule.Split day by day, from the visit's start in the
// month's location (as buildVisit has it) to its end as it comes, every
// day by the schedule of the version of the date it starts on.
func splitReference(in *monthIndex, start, end time.Time) []calendar.Segment {
	loc := in.period.Location
	start = start.In(loc)
	vi := in.versionOn(calendar.DateOf(start))
	var segs []calendar.Segment
	for from := start; from.Before(end); {
		d := calendar.DateOf(from)
		until := d.AddDays(1).In(loc)
		if !until.After(from) {
			until = end // the clock went back across midnight from after it
		}
		if until.After(end) {
			until = end
		}
		segs, _ = in.versions[vi].schedule.Split(segs, from, until, loc)
		from = until
	}
	return segs
}

// segmentText renders segments with their location, so that a segment of
// the right instant in another zone differs.
func segmentText(segs []calendar.Segment) []string {
	var out []string
	for _, sg := range segs {
		out = append(out, fmt.Sprintf("%d %s %s %s %s %s", sg.Band, sg.Date, sg.Kind,
			sg.Start.Format(time.RFC3339Nano), sg.End.Format(time.RFC3339Nano), sg.Start.Location()))
	}
	return out
}

// A visit is split into the segments Schedule.Split gives it day by day,
// whatever the schedules, the versions of the days, the zone (Stockholm's
// clock changes, a zone without them, zones whose clocks change at
// midnight) and the visit's length and seconds.
func TestPropertySplitByDayPlans(t *testing.T) {
	zones := []string{"Europe/Stockholm", "UTC", "America/Santiago", "America/Havana", "Australia/Lord_Howe"}
	locs := map[string]*time.Location{}
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		locs[name] = loc
	}
	rapid.Check(t, func(t *rapid.T) {
		loc := locs[rapid.SampledFrom(zones).Draw(t, "zone")]
		year := rapid.IntRange(2023, 2025).Draw(t, "year")
		month := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		p, err := calendar.Month(year, month, loc)
		if err != nil {
			t.Fatal(err)
		}
		in := &monthIndex{period: p}
		for range rapid.IntRange(1, 3).Draw(t, "versions") {
			in.versions = append(in.versions, &Version{schedule: genDaySchedule(t)})
		}
		for d := range p.Days() + spillDays {
			in.dayVersion = append(in.dayVersion, rapid.IntRange(-1, len(in.versions)-1).Draw(t, fmt.Sprintf("day%dVersion", d+1)))
		}
		in.indexDays()
		day := rapid.IntRange(0, p.Days()-1).Draw(t, "startDay")
		in.dayVersion[day] = max(in.dayVersion[day], 0) // the day a visit starts on has a version
		start := in.midnight[day].Add(time.Duration(rapid.Int64Range(0, 24*3600-1).Draw(t, "startSecond")) * time.Second)
		if calendar.DateOf(start).Sub(p.FirstDay()) != day {
			start = in.midnight[day] // a day shorter than 24 hours
		}
		// Up to five days long, so that visits reach the days after the
		// month that no version or midnight is known for.
		end := start.Add(time.Duration(rapid.Int64Range(0, 5*24*3600).Draw(t, "seconds")) * time.Second)
		if rapid.Bool().Draw(t, "utc") {
			start, end = start.UTC(), end.UTC() // as a visit's times may come
		}
		if got, want := in.dateOf(end), calendar.DateOf(end.In(loc)); got != want {
			t.Fatalf("dateOf(%s) = %s, want %s", end, got, want)
		}
		want := segmentText(splitReference(in, start, end))
		got := segmentText(in.split(nil, start, end, in.offset(start), in.offset(end), in.dayOf(start), in.dayVersion[day]))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("split %s–%s (-Schedule.Split +day plans):\n%s", start, end, diff)
		}
	})
}

// Every day of a month in Stockholm is cut in advance but the two of the
// clock changes, which Schedule.Split cuts per visit.
func TestDayPlansSkipClockChanges(t *testing.T) {
	p, err := calendar.Month(2024, time.March, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	in := &monthIndex{period: p, versions: []*Version{{schedule: calendar.DefaultSchedule()}}}
	in.indexDays()
	var skipped []int
	for i, plan := range in.plans[0] {
		if plan.segs == nil {
			skipped = append(skipped, i+1)
		}
	}
	// 31 March 2024 is the spring change; index 30 is that day.
	if want := []int{31}; !slices.Equal(skipped, want) {
		t.Errorf("days not cut in advance: %v, want %v", skipped, want)
	}
}

// On the autumn change a band boundary can lie in the repeated hour, and a
// visit that starts in its second pass, after the boundary's first, gets
// the segments Schedule.Split gives it: a day of a clock change is left
// to Schedule.Split, which reads each pass by the wall clock. Stockholm
// went from 03:00 back to 02:00 on 27 October 2024; the boundary is 02:30
// and the visit starts at 02:15 CET.
func TestDayPlansRepeatedHour(t *testing.T) {
	p, err := calendar.Month(2024, time.October, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	s, err := calendar.NewSchedule([]calendar.BandRule{
		{Band: "natt", Days: []string{"all"}, From: 19 * 60, To: 2*60 + 30},
		{Band: "dag", Days: []string{"all"}, From: 2*60 + 30, To: 19 * 60}}, false)
	if err != nil {
		t.Fatal(err)
	}
	in := &monthIndex{period: p, versions: []*Version{{schedule: s}}}
	for range p.Days() + spillDays {
		in.dayVersion = append(in.dayVersion, 0)
	}
	in.indexDays()
	start := time.Date(2024, 10, 27, 1, 15, 0, 0, time.UTC) // 02:15 CET, the second pass
	end := start.Add(2 * time.Hour)
	want := segmentText(splitReference(in, start.In(stockholm), end))
	got := segmentText(in.split(nil, start.In(stockholm), end, in.offset(start), in.offset(end), in.dayOf(start), 0))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-Schedule.Split +day plans):\n%s", diff)
	}
}

// Where the clock goes back across midnight from after it, a visit's
// split ends and its dates are the wall clock's. St John's went from
// 00:00:59 NDT on 7 November 2010 back to 23:01 NST on the 6th; a visit
// from 22:00 NDT lasting four hours looped for ever, and 23:30 NST was
// dated the 7th by the day table.
func TestDayPlansClockBackAcrossMidnight(t *testing.T) {
	loc, err := time.LoadLocation("America/St_Johns")
	if err != nil {
		t.Fatal(err)
	}
	p, err := calendar.Month(2010, time.November, loc)
	if err != nil {
		t.Fatal(err)
	}
	in := &monthIndex{period: p, versions: []*Version{{schedule: calendar.DefaultSchedule()}}}
	for range p.Days() + spillDays {
		in.dayVersion = append(in.dayVersion, 0)
	}
	in.indexDays()
	start := time.Date(2010, 11, 6, 22, 0, 0, 0, loc)
	end := start.Add(4 * time.Hour)
	if diff := cmp.Diff(segmentText(splitReference(in, start, end)), segmentText(in.split(nil, start, end, in.offset(start), in.offset(end), in.dayOf(start), 0))); diff != "" {
		t.Errorf("(-Schedule.Split +day plans):\n%s", diff)
	}
	at := time.Date(2010, 11, 7, 3, 0, 0, 0, time.UTC) // 23:30 NST on the 6th
	if got, want := in.dateOf(at), calendar.DateOf(at.In(loc)); got != want {
		t.Errorf("dateOf(%v) = %s, want %s", at, got, want)
	}
}

// TestSubIsTimeSub: sub gives Time.Sub's difference of two instants
// without clock readings, near each other, centuries apart (where
// Time.Sub saturates) and in different locations.
func TestSubIsTimeSub(t *testing.T) {
	locs := []*time.Location{time.UTC, stockholm, time.FixedZone("", -9*3600-30*60)}
	rapid.Check(t, func(t *rapid.T) {
		at := func(name string) time.Time {
			sec := rapid.OneOf(rapid.Int64Range(-1e12, 1e12), rapid.Int64Range(1.7e9, 1.8e9),
				rapid.Int64Range(1.7e9+maxSubSeconds-2, 1.7e9+maxSubSeconds+2)).Draw(t, name+"Sec")
			ns := rapid.Int64Range(0, 999_999_999).Draw(t, name+"Nsec")
			return time.Unix(sec, ns).In(locs[rapid.IntRange(0, len(locs)-1).Draw(t, name+"Loc")])
		}
		a, b := at("a"), at("b")
		if rapid.Bool().Draw(t, "near") {
			b = a.Add(time.Duration(rapid.Int64Range(-48*3600e9, 48*3600e9).Draw(t, "d")))
		}
		if got, want := sub(a, b), a.Sub(b); got != want {
			t.Fatalf("sub(%v, %v) = %v, Time.Sub %v", a, b, got, want)
		}
	})
}

// TestPropertyDayOf: dayOf finds the day of the month's table an instant
// lies in as a scan of the midnights by Time.Before does, in zones with
// clock changes (Lord Howe's of half an hour), for instants in the month
// and days or centuries outside it.
func TestPropertyDayOf(t *testing.T) {
	zones := []string{"Europe/Stockholm", "UTC", "America/Santiago", "Australia/Lord_Howe"}
	rapid.Check(t, func(t *rapid.T) {
		loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := calendar.Month(rapid.IntRange(2023, 2025).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month")), loc)
		if err != nil {
			t.Fatal(err)
		}
		in := &monthIndex{period: p}
		in.indexDays()
		from := in.midnight[0]
		off := rapid.OneOf(rapid.Int64Range(-3*86400, 40*86400), rapid.Int64Range(-1e12, 1e12)).Draw(t, "second")
		at := from.Add(time.Duration(off)*time.Second + time.Duration(rapid.Int64Range(0, 999_999_999).Draw(t, "nanosecond")))
		if rapid.Bool().Draw(t, "onMidnight") {
			at = in.midnight[rapid.IntRange(0, len(in.midnight)-1).Draw(t, "midnight")]
		}
		want := -1
		for i := range len(in.midnight) - 1 {
			if !at.Before(in.midnight[i]) && at.Before(in.midnight[i+1]) {
				want = i
			}
		}
		if got := in.dayOf(at.In(loc)); got != want {
			t.Fatalf("dayOf(%v) = %d, the scan %d", at, got, want)
		}
	})
}

// dateOf is dateAt for any instant: the date of t in the month's
// location.
func (in *monthIndex) dateOf(t time.Time) calendar.Date { return in.dateAt(in.dayOf(t), t) }
