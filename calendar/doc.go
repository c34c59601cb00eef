// Package calendar knows the Swedish calendar as home-care tariffs use it:
// public holidays and eves, kinds of day, time-of-day band schedules
// (tidsband: dag, kväll, natt, helg), splitting a visit into band segments
// with real elapsed durations, and settlement periods.
//
// The public holidays follow Lag (1989:253) om allmänna helgdagar for any
// year from 1900 to 2200; the eves that contracts often treat as holidays
// (påskafton, pingstafton, midsommarafton, julafton, nyårsafton) are a kind
// of their own, so a tariff chooses whether they count.
//
// Every function that turns an instant into a date takes a *time.Location
// from the caller, normally Europe/Stockholm; the package never uses
// time.Local and never embeds the time zone database (a program that must
// run without one imports time/tzdata itself).
//
// # A worked case
//
// Under the default schedule (dag 07–19 and kväll 19–22 on weekdays, natt
// 22–07 every day, helg 07–22 on weekends and holidays), a visit on
// Tuesday 12 March 2024 from 21:40 to 22:20 splits into 20 minutes of
// kväll and 20 minutes of natt:
//
//	s := calendar.DefaultSchedule()
//	segs, _ := s.Split(nil, start, end, loc)
//	// 2024-03-12 weekday kväll 20m0s
//	// 2024-03-12 weekday natt 20m0s
//
// A night visit from 22:00 on 26 October 2024 to 07:00 the next morning
// lasts ten hours, not nine: the clocks go back at 03:00.
//
// A day starts at its first instant (Date.In): midnight, the first of two
// where the clock goes back across it (Asia/Amman on 29 October 2021,
// from 01:00 to 00:00), or, where the clock skips midnight
// (America/Santiago on 3 September 2023, from 00:00 to 01:00), the first
// wall-clock time the day has. Split cuts at that instant, so a night
// across such a change still tiles exactly, and a band boundary the clock
// skips changes the band where the gap ends.
package calendar
