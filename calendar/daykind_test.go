package calendar

import "testing"

// Every kind parses from its name and from its Swedish names, and a
// weekday's own name is refused with a hint.
func TestParseDayKind(t *testing.T) {
	for s, want := range map[string]DayKind{"weekday": Weekday, "saturday": Saturday, "sunday": Sunday, "holiday": PublicHoliday,
		"eve": Eve, "before_holiday": BeforeHoliday, "vardag": Weekday, "lördag": Saturday, "söndag": Sunday, "helgdag": PublicHoliday,
		"afton": Eve, "vardag_före_helgdag": BeforeHoliday, "dag_före_helgdag": BeforeHoliday} {
		if got, err := ParseDayKind(s); err != nil || got != want {
			t.Errorf("ParseDayKind(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for k := Weekday; k < dayKindCount; k++ {
		if got, err := ParseDayKind(k.String()); err != nil || got != k {
			t.Errorf("ParseDayKind(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := ParseDayKind("fredag"); err == nil {
		t.Error("fredag parsed")
	}
}
