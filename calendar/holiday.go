package calendar

import (
	"fmt"
	"sync"
	"time"
)

// MinYear and MaxYear bound the years the holiday rules are computed for.
const (
	MinYear = 1900
	MaxYear = 2200
)

// Holiday names a Swedish public holiday (allmän helgdag) under Lag
// (1989:253) om allmänna helgdagar, or one of the eves (aftnar) that
// contracts often treat like a holiday. The zero value is NoHoliday.
//
// Sundays are public holidays by the law too, but they are a kind of day of
// their own here (see DayKind); Holiday names only the dated ones.
type Holiday uint8

// The holidays and eves. The Swedish name is the String value.
const (
	NoHoliday    Holiday = iota
	NewYearsDay          // nyårsdagen, 1 January
	Epiphany             // trettondedag jul, 6 January
	GoodFriday           // långfredagen, the Friday before Easter Sunday
	EasterSunday         // påskdagen
	EasterMonday         // annandag påsk
	MayDay               // första maj
	AscensionDay         // Kristi himmelsfärdsdag, 39 days after Easter Sunday
	WhitSunday           // pingstdagen, 49 days after Easter Sunday
	NationalDay          // Sveriges nationaldag, 6 June
	MidsummerDay         // midsommardagen, the Saturday 20–26 June
	AllSaintsDay         // alla helgons dag, the Saturday 31 October–6 November
	ChristmasDay         // juldagen, 25 December
	BoxingDay            // annandag jul, 26 December
	EasterEve            // påskafton (eve)
	WhitsunEve           // pingstafton (eve)
	MidsummerEve         // midsommarafton (eve), the Friday 19–25 June
	ChristmasEve         // julafton (eve), 24 December
	NewYearsEve          // nyårsafton (eve), 31 December
	holidayCount
)

var holidayNames = [holidayCount]string{
	"", "nyårsdagen", "trettondedag jul", "långfredagen", "påskdagen", "annandag påsk",
	"första maj", "Kristi himmelsfärdsdag", "pingstdagen", "Sveriges nationaldag",
	"midsommardagen", "alla helgons dag", "juldagen", "annandag jul",
	"påskafton", "pingstafton", "midsommarafton", "julafton", "nyårsafton",
}

// String returns the Swedish name of the holiday.
func (h Holiday) String() string {
	if h >= holidayCount {
		return fmt.Sprintf("Holiday(%d)", h)
	}
	return holidayNames[h]
}

// IsEve reports whether h is an eve (afton) rather than a public holiday.
func (h Holiday) IsEve() bool { return h >= EasterEve && h < holidayCount }

// HolidayDate is a holiday or eve on its date in a given year.
type HolidayDate struct {
	Date    Date
	Holiday Holiday
}

// Easter returns the date of Easter Sunday (påskdagen) in the Gregorian
// calendar, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{Year: year, Month: time.Month(month), Day: day}
}

// firstSaturday returns the Saturday in [from, from+6].
func firstSaturday(from Date) Date {
	return from.AddDays((int(time.Saturday) - int(from.Weekday()) + 7) % 7)
}

// Holidays returns the public holidays and eves of year in date order. It
// returns an error for a year outside MinYear–MaxYear. The rules are those
// in force since 2005 (nationaldagen replaced annandag pingst); the library
// applies them to every year, as settlement of earlier years is out of
// scope.
func Holidays(year int) ([]HolidayDate, error) {
	if year < MinYear || year > MaxYear {
		return nil, fmt.Errorf("calendar: holidays of %d: year outside %d–%d", year, MinYear, MaxYear)
	}
	return holidaysOf(year), nil
}

func holidaysOf(year int) []HolidayDate {
	easter := Easter(year)
	midsummer := firstSaturday(Date{year, time.June, 20})
	out := []HolidayDate{
		{Date{year, time.January, 1}, NewYearsDay},
		{Date{year, time.January, 6}, Epiphany},
		{easter.AddDays(-2), GoodFriday},
		{easter.AddDays(-1), EasterEve},
		{easter, EasterSunday},
		{easter.AddDays(1), EasterMonday},
		{Date{year, time.May, 1}, MayDay},
		{easter.AddDays(39), AscensionDay},
		{easter.AddDays(48), WhitsunEve},
		{easter.AddDays(49), WhitSunday},
		{Date{year, time.June, 6}, NationalDay},
		{midsummer.AddDays(-1), MidsummerEve},
		{midsummer, MidsummerDay},
		{firstSaturday(Date{year, time.October, 31}), AllSaintsDay},
		{Date{year, time.December, 24}, ChristmasEve},
		{Date{year, time.December, 25}, ChristmasDay},
		{Date{year, time.December, 26}, BoxingDay},
		{Date{year, time.December, 31}, NewYearsEve},
	}
	// Ascension Day or Whitsun can never coincide with 1 May or 6 June in a
	// way that reorders more than neighbours; a stable insertion sort keeps
	// the list in date order for every year.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Date.Before(out[j-1].Date); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// HolidayOn returns the holiday or eve that falls on d, or NoHoliday. When a
// public holiday and an eve fall on the same date (Whitsun Eve can fall on
// 6 June) the public holiday wins. Dates outside MinYear–MaxYear have no
// holidays.
func HolidayOn(d Date) Holiday {
	if d.Year < MinYear || d.Year > MaxYear {
		return NoHoliday
	}
	found := NoHoliday
	for _, h := range yearTable(d.Year) {
		if h.Date == d && (found == NoHoliday || found.IsEve()) {
			found = h.Holiday
		}
	}
	return found
}

// holidayTable holds the holidays of every supported year, computed once.
var holidayTable = sync.OnceValue(func() [][]HolidayDate {
	t := make([][]HolidayDate, MaxYear-MinYear+1)
	for y := MinYear; y <= MaxYear; y++ {
		t[y-MinYear] = holidaysOf(y)
	}
	return t
})

func yearTable(year int) []HolidayDate { return holidayTable()[year-MinYear] }
