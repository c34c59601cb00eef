package calendar

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The movable holidays of twelve years, from the published Swedish
// almanac: långfredagen, påskdagen, Kristi himmelsfärdsdag, pingstdagen,
// midsommarafton and alla helgons dag.
var movable = []struct {
	year                                                         int
	goodFriday, easter, ascension, whitsun, midsummerEve, saints string
}{
	{2019, "2019-04-19", "2019-04-21", "2019-05-30", "2019-06-09", "2019-06-21", "2019-11-02"},
	{2020, "2020-04-10", "2020-04-12", "2020-05-21", "2020-05-31", "2020-06-19", "2020-10-31"},
	{2021, "2021-04-02", "2021-04-04", "2021-05-13", "2021-05-23", "2021-06-25", "2021-11-06"},
	{2022, "2022-04-15", "2022-04-17", "2022-05-26", "2022-06-05", "2022-06-24", "2022-11-05"},
	{2023, "2023-04-07", "2023-04-09", "2023-05-18", "2023-05-28", "2023-06-23", "2023-11-04"},
	{2024, "2024-03-29", "2024-03-31", "2024-05-09", "2024-05-19", "2024-06-21", "2024-11-02"},
	{2025, "2025-04-18", "2025-04-20", "2025-05-29", "2025-06-08", "2025-06-20", "2025-11-01"},
	{2026, "2026-04-03", "2026-04-05", "2026-05-14", "2026-05-24", "2026-06-19", "2026-10-31"},
	{2027, "2027-03-26", "2027-03-28", "2027-05-06", "2027-05-16", "2027-06-25", "2027-11-06"},
	{2028, "2028-04-14", "2028-04-16", "2028-05-25", "2028-06-04", "2028-06-23", "2028-11-04"},
	{2029, "2029-03-30", "2029-04-01", "2029-05-10", "2029-05-20", "2029-06-22", "2029-11-03"},
	{2030, "2030-04-19", "2030-04-21", "2030-05-30", "2030-06-09", "2030-06-21", "2030-11-02"},
}

func TestMovableHolidays(t *testing.T) {
	for _, y := range movable {
		want := map[string]Holiday{
			y.goodFriday: GoodFriday, y.easter: EasterSunday, y.ascension: AscensionDay,
			y.whitsun: WhitSunday, y.midsummerEve: MidsummerEve, y.saints: AllSaintsDay,
		}
		for date, h := range want {
			if got := HolidayOn(MustParseDate(date)); got != h {
				t.Errorf("HolidayOn(%s) = %q, want %q", date, got, h)
			}
		}
		if got := Easter(y.year).String(); got != y.easter {
			t.Errorf("Easter(%d) = %s, want %s", y.year, got, y.easter)
		}
	}
}

func TestHolidays2024(t *testing.T) {
	got, err := Holidays(2024)
	if err != nil {
		t.Fatal(err)
	}
	d := MustParseDate
	want := []HolidayDate{
		{d("2024-01-01"), NewYearsDay},
		{d("2024-01-06"), Epiphany},
		{d("2024-03-29"), GoodFriday},
		{d("2024-03-30"), EasterEve},
		{d("2024-03-31"), EasterSunday},
		{d("2024-04-01"), EasterMonday},
		{d("2024-05-01"), MayDay},
		{d("2024-05-09"), AscensionDay},
		{d("2024-05-18"), WhitsunEve},
		{d("2024-05-19"), WhitSunday},
		{d("2024-06-06"), NationalDay},
		{d("2024-06-21"), MidsummerEve},
		{d("2024-06-22"), MidsummerDay},
		{d("2024-11-02"), AllSaintsDay},
		{d("2024-12-24"), ChristmasEve},
		{d("2024-12-25"), ChristmasDay},
		{d("2024-12-26"), BoxingDay},
		{d("2024-12-31"), NewYearsEve},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Holidays(2024) (-want +got):\n%s", diff)
	}
}

func TestHolidaysRange(t *testing.T) {
	for _, y := range []int{MinYear - 1, MaxYear + 1} {
		if _, err := Holidays(y); err == nil {
			t.Errorf("Holidays(%d): no error", y)
		}
	}
	for y := MinYear; y <= MaxYear; y++ {
		hs, _ := Holidays(y)
		if len(hs) != 18 {
			t.Fatalf("Holidays(%d): %d entries, want 18", y, len(hs))
		}
		for i, h := range hs {
			if h.Date.Year != y || (i > 0 && h.Date.Before(hs[i-1].Date)) {
				t.Fatalf("Holidays(%d)[%d] = %v out of order or year", y, i, h)
			}
		}
		// Fixed weekdays by the law's definitions.
		if w := hs[slicesIndex(hs, MidsummerDay)].Date.Weekday(); w != time.Saturday {
			t.Fatalf("%d: midsommardagen on %s", y, w)
		}
		if w := hs[slicesIndex(hs, AllSaintsDay)].Date.Weekday(); w != time.Saturday {
			t.Fatalf("%d: alla helgons dag on %s", y, w)
		}
		if w := hs[slicesIndex(hs, EasterSunday)].Date.Weekday(); w != time.Sunday {
			t.Fatalf("%d: påskdagen on %s", y, w)
		}
	}
}

func slicesIndex(hs []HolidayDate, h Holiday) int {
	for i, x := range hs {
		if x.Holiday == h {
			return i
		}
	}
	return -1
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		date string
		want DayKind
	}{
		{"2024-06-21", Eve},           // midsommarafton, a Friday
		{"2024-06-22", PublicHoliday}, // midsommardagen, a Saturday
		{"2024-06-20", Weekday},       // Thursday
		{"2024-06-23", Sunday},
		{"2024-06-15", Saturday},
		{"2024-12-24", Eve},
		{"2024-05-01", PublicHoliday},
		{"2024-05-08", Weekday}, // the day before Ascension is still a weekday by the calendar
	}
	for _, tt := range tests {
		if got := KindOf(MustParseDate(tt.date)); got != tt.want {
			t.Errorf("KindOf(%s) = %s, want %s", tt.date, got, tt.want)
		}
	}
	if !IsBeforeHoliday(MustParseDate("2024-05-08")) || IsBeforeHoliday(MustParseDate("2024-05-07")) {
		t.Error("IsBeforeHoliday around Ascension 2024-05-09 is wrong")
	}
}

func TestHolidayString(t *testing.T) {
	if got := MidsummerEve.String(); got != "midsommarafton" {
		t.Errorf("MidsummerEve.String() = %q", got)
	}
	if !ChristmasEve.IsEve() || ChristmasDay.IsEve() || NoHoliday.IsEve() {
		t.Error("IsEve is wrong")
	}
}
