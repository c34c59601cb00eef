package calendar_test

import (
	"fmt"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
)

// A visit from 21:40 to 22:20 on a weekday falls in two bands of the
// default schedule: 20 minutes of evening (kväll), 20 of night (natt).
func ExampleSchedule_Split() {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	s := calendar.DefaultSchedule()
	start := time.Date(2024, time.March, 12, 21, 40, 0, 0, loc)
	segs, _ := s.Split(nil, start, start.Add(40*time.Minute), loc)
	for _, sg := range segs {
		fmt.Println(sg.Date, sg.Kind, s.BandName(sg.Band), sg.Duration())
	}
	// Output:
	// 2024-03-12 weekday kväll 20m0s
	// 2024-03-12 weekday natt 20m0s
}

// Midsummer Eve is a Friday. By default it is a weekday; a schedule that
// counts eves as holidays puts the same visit in the weekend band.
func ExampleSchedule_Split_midsummerEve() {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	start := time.Date(2024, time.June, 21, 10, 0, 0, 0, loc)
	end := start.Add(45 * time.Minute)
	fmt.Println(calendar.HolidayOn(calendar.DateOf(start)))

	for _, eves := range []bool{false, true} {
		s, _ := calendar.NewSchedule(calendar.DefaultRules(), eves)
		segs, _ := s.Split(nil, start, end, loc)
		fmt.Printf("eves as holidays %v: %s %s %v\n", eves, segs[0].Kind, s.BandName(segs[0].Band), segs[0].Duration())
	}
	// Output:
	// midsommarafton
	// eves as holidays false: weekday dag 45m0s
	// eves as holidays true: holiday helg 45m0s
}

func ExamplePeriod_Overlap() {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	april, _ := calendar.Month(2024, time.April, loc)
	decision := calendar.DateRange{From: calendar.MustParseDate("2024-04-10")}
	in, days := april.Overlap(decision)
	fmt.Println(in, days, "of", april.Days())
	// Output: 2024-04-10..2024-04-30 21 of 30
}
