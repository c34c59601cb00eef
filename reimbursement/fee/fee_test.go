package fee

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// The published maxtaxa for home care, kr a month, against 0.5392 ×
// prisbasbelopp ÷ 12 rounded to whole kronor.
func TestMaxtaxa(t *testing.T) {
	published := map[int]string{
		2020: "2125", // 0.5392 × 47 300 ÷ 12 = 2 125.35
		2021: "2139", // 0.5392 × 47 600 ÷ 12 = 2 138.83
		2022: "2170", // 0.5392 × 48 300 ÷ 12 = 2 170.28
		2023: "2359", // 0.5392 × 52 500 ÷ 12 = 2 359.00
		2024: "2575", // 0.5392 × 57 300 ÷ 12 = 2 574.68
		2025: "2642", // 0.5392 × 58 800 ÷ 12 = 2 642.08
		2026: "2660", // 0.5392 × 59 200 ÷ 12 = 2 660.05
	}
	for year, want := range published {
		got, err := Maxtaxa(year)
		if err != nil || got.String() != want {
			t.Errorf("Maxtaxa(%d) = %s, %v; want %s", year, got, err, want)
		}
	}
	if _, err := Maxtaxa(2019); !errors.Is(err, ErrUnknownYear) {
		t.Errorf("Maxtaxa(2019): %v", err)
	}
}

// Håbo 2024: fees by granted hours a month.
const habo = fixture.HaboFees

func TestFeesByLevel(t *testing.T) {
	fs, err := Read(strings.NewReader(habo))
	if err != nil {
		t.Fatal(err)
	}
	ds := data()
	headroom := dec("1000")
	ds.Customers = append(ds.Customers, models.Customer{ID: "k3", Zone: "tätort", FeeHeadroom: &headroom})
	grant := func(id, cust string, from string, item models.GrantedItem) models.Decision {
		return models.Decision{ID: id, Customer: cust, Provider: "egen", ValidFrom: d(from), ExecutionStarted: d(from),
			Items: []models.GrantedItem{item}}
	}
	care := func(minutes int) models.GrantedItem {
		return models.GrantedItem{Task: "Dusch", Category: models.Care, MinutesPerMonth: minutes}
	}
	ds.Decisions = []models.Decision{
		// k1: 299 minutes = 4.98 h → level 0 h: 386; an alarm from 16 April: 250 × 15 ÷ 30 = 125; 511.
		grant("b1", "k1", "2024-01-01", care(299)),
		grant("b1-larm", "k1", "2024-04-16", models.GrantedItem{Task: "Larm", Category: models.Alarm, Minutes: 1, Times: 1, Per: models.PerMonth}),
		// k2: 2100 minutes = 35 h → level 35 h: 2575 = maxtaxa 2024, limited by the tariff.
		grant("b2", "k2", "2024-01-01", care(2100)),
		// k3: 900 minutes = 15 h → 1802, above the headroom of 1000.
		grant("b3", "k3", "2024-01-01", care(900)),
	}
	fees, err := fs.Fees(ds, april2024)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Customer  string
		Minutes   int64
		Tariff    string
		Amount    string
		LimitedBy string
	}
	var got []row
	for _, f := range fees {
		got = append(got, row{f.Customer, f.GrantedMinutes, f.Tariff.String(), f.Amount.String(), f.LimitedBy.String()})
	}
	want := []row{
		{"k1", 299, "511", "511", "tariff"},
		{"k2", 2100, "2575", "2575", "tariff"},
		{"k3", 900, "1802", "1000", "headroom"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFeesHourly(t *testing.T) {
	rate := dec("350")
	hhc := dec("300")
	fs := &Schedule{Name: "timtaxa", HourlyFee: &rate, HomeHealthCareFee: &hhc}
	ds := data()
	ds.Decisions = []models.Decision{
		// k1: 30 min × 2 a day over April, in hospital 10–14 April (5 days): 60 × 25 = 1500 min;
		// 1500 × 350 ÷ 60 = 8750 kr > maxtaxa 2575.
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, Minutes: 30, Times: 2, Per: models.PerDay}}},
		// k2: 100 min of service = 583.33 → 583 kr; listed for home health care 21–30 April: 300 × 10 ÷ 30 = 100; 683.
		{ID: "b2", Customer: "k2", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, MinutesPerMonth: 100}}},
	}
	ds.Absences = []models.Absence{{ID: "a1", Customer: "k1", From: d("2024-04-10"), To: d("2024-04-14"), Reason: models.Hospital}}
	ds.Listings = []models.Listing{{ID: "l1", Customer: "k2", Provider: "egen", Kind: models.ListingHomeHealthCare, From: d("2024-04-21")}}
	fees, err := fs.Fees(ds, april2024)
	if err != nil {
		t.Fatal(err)
	}
	if f := fees[0]; f.GrantedMinutes != 1500 || f.Tariff.String() != "8750" || f.Amount.String() != "2575" || f.LimitedBy != ByMaxtaxa {
		t.Errorf("k1: %+v", f)
	}
	if f := fees[1]; f.Tariff.String() != "683" || len(f.Items) != 2 || f.Items[1].Amount.String() != "100" {
		t.Errorf("k2: %+v", f)
	}
	jan2019, _ := calendar.Month(2019, time.January, stockholm)
	if _, err := fs.Fees(ds, jan2019); !errors.Is(err, ErrUnknownYear) {
		t.Errorf("2019: %v", err)
	}
}

func TestFeeScheduleErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`{"name": "x"}`, "give hourly_fee or levels"},
		{`{"name": "x", "hourly_fee": "1", "levels": [{"from_hours": "0", "fee": "1"}]}`, "not both"},
		{`{"name": "x", "levels": [{"from_hours": "1", "fee": "1"}]}`, "the first level must start at 0"},
		{`{"name": "x", "levels": [{"from_hours": "0", "fee": "1"}, {"from_hours": "0", "fee": "2"}]}`, "does not rise"},
		{`{"name": "x", "hourly_fee": "-1"}`, "negative"},
		{`{"name": "x", "hourly": "1"}`, "unknown field"},
		// Each error names the line and the field: the fee of the second
		// level is on line 4.
		{"{\"name\": \"x\",\n \"levels\": [\n  {\"from_hours\": \"0\", \"fee\": \"1\"},\n  {\"from_hours\": \"2\", \"fee\": \"-1\"}]}",
			"fee: schedule, line 4: levels[1].fee: negative"},
		{"{\"name\": \"x\",\n\n \"hourly\": \"1\"}", `fee: schedule, line 3: hourly: json: unknown field "hourly"`},
		{"{\"name\": \"x\",\n \"hourly_fee\": true}", "fee: schedule, line 2: hourly_fee: "},
		{"{\"name\": \"x\",\n \"hourly_fee\": \"300\",}", "fee: schedule, line 2: "},
		{"{\"name\": \"x\", \"hourly_fee\": \"300\"}\n{}", "fee: schedule, line 2: data after the end of the document"},
		{"{\"name\": \"x\", \"name\": \"y\", \"hourly_fee\": \"300\"}", `key "name" written twice`},
		// What a schedule cannot mean is refused when it is read: amounts
		// in öre below a million kronor, levels within a month of hours.
		{`{"name": "x", "hourly_fee": "300.005"}`, "line 1: hourly_fee: 300.005 has more than two decimals"},
		{`{"name": "x", "hourly_fee": "1e9999"}`, "hourly_fee: 100000000000000000000000… (10000 characters) kr is not below 1000000"},
		{`{"name": "x", "levels": [{"from_hours": "0", "fee": "1"}, {"from_hours": "800", "fee": "2"}]}`, "levels[1].from_hours: 800 hours is more than a month has (744)"},
		{`{"name": "x", "levels": [{"from_hours": "0", "fee": "1"}, {"from_hours": "2.125", "fee": "2"}]}`, "levels[1].from_hours: 2.125 has more than two decimals"},
		{`{"name": "x", "alarm_fee": "-1", "hourly_fee": "1"}`, "alarm_fee: negative"},
		{strings.Repeat("[", 20), "nested deeper than 8 levels"},
		// Found by attack: a null fee was taken for 0 kr, an empty list of
		// levels beside an hourly fee for no levels.
		{`{"name": "x", "levels": [{"from_hours": "0", "fee": null}, {"from_hours": "5", "fee": "300"}]}`, "levels[0].fee: missing (or null): give a number"},
		{`{"name": "x", "levels": [{"fee": "100"}]}`, "levels[0].from_hours: missing (or null)"},
		{`{"name": "x", "hourly_fee": "1", "levels": []}`, "levels: an empty list"},
		{`{"name": "` + strings.Repeat("x", 1<<20) + `", "hourly_fee": "1"}`, "larger than 1048576 bytes"},
	} {
		if _, err := Read(strings.NewReader(tt.src)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.src, err, tt.want)
		}
	}
}

// TestReadManyErrors lists at most 20 errors and counts the rest, in
// time linear in the document: 300 000 empty levels under the megabyte
// took three minutes and gave an error of 23 MB (found by attack).
func TestReadManyErrors(t *testing.T) {
	doc := `{"name": "x", "levels": [` + strings.Repeat("{},", 299999) + `{}]}`
	_, err := Read(strings.NewReader(doc))
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	if n := strings.Count(msg, "\n") + 1; n != 21 || !strings.HasSuffix(msg, "fee: schedule: 599980 errors more") || len(msg) > 4000 {
		t.Errorf("%d lines, %d bytes, ends %q", n, len(msg), msg[max(0, len(msg)-60):])
	}
}

// TestFeesRefusesWhatReadRefuses: a schedule made in Go has not been
// read, and Fees checks it (found by attack: no levels panicked, levels
// out of order charged the wrong level, a negative hourly fee a negative
// fee), and refuses a nil schedule or dataset and a negative headroom.
func TestFeesRefusesWhatReadRefuses(t *testing.T) {
	ds := data()
	for _, tc := range []struct {
		name string
		fs   *Schedule
		want string
	}{
		{"nil", nil, "fee: no schedule (nil)"},
		{"empty", &Schedule{Name: "x"}, "hourly_fee: give hourly_fee or levels"},
		{"out of order", &Schedule{Name: "x", Levels: []Level{{dec("0"), dec("100")}, {dec("20"), dec("300")}, {dec("5"), dec("200")}}},
			"levels[2].from_hours: 5 does not rise"},
		{"negative", &Schedule{Name: "x", HourlyFee: ptr(dec("-100"))}, "hourly_fee: negative"},
	} {
		if _, err := tc.fs.Fees(ds, april2024); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	fs := &Schedule{Name: "x", HourlyFee: ptr(dec("300"))}
	if _, err := fs.Fees(nil, april2024); err == nil || err.Error() != "fee: Fees: no dataset (nil)" {
		t.Errorf("nil dataset: %v", err)
	}
	bad := data()
	bad.Customers[0].FeeHeadroom = ptr(dec("-50"))
	if _, err := fs.Fees(bad, april2024); err == nil || !strings.Contains(err.Error(), "customers[0] (id k1): fee_headroom: -50 kr: negative") {
		t.Errorf("negative headroom: %v", err)
	}
	// Beyond 10^12 kr, as Validate of the dataset refuses it: Fees took
	// it (found by review), its own checks a copy of Validate's but this.
	bad.Customers[0].FeeHeadroom = ptr(dec("1e13"))
	if _, err := fs.Fees(bad, april2024); err == nil || !strings.Contains(err.Error(), "customers[0] (id k1): fee_headroom: 10000000000000 kr: want less than 1000000000000") {
		t.Errorf("headroom 1e13: %v", err)
	}
}

// TestReadNil refuses a nil reader with an error, and a byte-order mark
// is read past.
func TestReadNil(t *testing.T) {
	if _, err := Read(nil); err == nil || err.Error() != "fee: Read: no document (a nil reader)" {
		t.Errorf("Read(nil) = %v", err)
	}
	if _, err := Read(strings.NewReader("\ufeff" + `{"name": "x", "hourly_fee": "300"}`)); err != nil {
		t.Errorf("with a byte-order mark: %v", err)
	}
	if err := (*Schedule)(nil).Validate(); err == nil {
		t.Error("a nil schedule is valid")
	}
}

func FuzzRead(f *testing.F) {
	f.Add(habo)
	f.Add(`{"name": "x", "hourly_fee": "300", "alarm_fee": "250"}`)
	f.Add(`{"name": "x", "levels": [{"from_hours": "0", "fee": "1e3"}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		fs, err := Read(strings.NewReader(doc))
		if err != nil {
			return
		}
		if err := fs.Validate(); err != nil {
			t.Fatalf("ReadFeeSchedule returned an invalid schedule: %v", err)
		}
		if _, err := fs.Fees(data(), april2024); err != nil {
			t.Fatalf("a valid schedule cannot compute fees: %v", err)
		}
	})
}

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return loc
}()

var april2024, _ = calendar.Month(2024, time.April, stockholm)

var d = calendar.MustParseDate

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

// data returns customers k1 and k2 of one provider, egen.
func data() *models.Dataset {
	return &models.Dataset{
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}, {ID: "k2", Zone: "landsbygd"}},
		Providers: []models.Provider{{ID: "egen", Name: "Egen regi", Ownership: models.OwnOperation}},
	}
}

// TestLevelComparedExactly: a customer granted 151 min a month, 151 ÷ 60
// = 2.5167 h, is below a level from 2.52 h and pays the level from 0 h,
// 100 kr; compared by the hours rounded to 2.52, 500 kr was charged
// (found by attack).
func TestLevelComparedExactly(t *testing.T) {
	s, err := Read(strings.NewReader(`{"name":"n","source":"s","levels":[{"from_hours":"0","fee":"100"},{"from_hours":"2.52","fee":"500"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	april, _ := calendar.Month(2024, time.April, stockholm)
	ds := &models.Dataset{
		Tasks:     []models.LocalTask{{Local: "Dusch", Category: models.Care}},
		Customers: []models.Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []models.Provider{{ID: "p1", Name: "Omsorg AB", Ownership: models.Private}},
		Decisions: []models.Decision{{ID: "b", Customer: "k1", Provider: "p1",
			ValidFrom: calendar.MustParseDate("2024-01-01"), ExecutionStarted: calendar.MustParseDate("2024-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 151}}}},
	}
	fees, err := s.Fees(ds, april)
	if err != nil {
		t.Fatal(err)
	}
	if f := fees[0]; f.Tariff.String() != "100" || f.Items[0].Detail != "2.51 h granted: level from 0 h" {
		t.Errorf("151 min = 2.5167 h < 2.52 h: want the 0 h level (100 kr), shown as 2.51 h; got %s, %q", f.Tariff, f.Items[0].Detail)
	}
}

// A fee headroom in fractions of öre is refused by Fees, as Validate of
// the dataset refuses it: on the old code a headroom of 12.345 kr capped
// a month's fee (600 min a month at 300 kr/h, 600 ÷ 60 × 300 = 3000
// kr) at 12.345 kr, no amount of money; 12.340 is whole öre and caps
// it at 12.34.
func TestFeesRefusesHeadroomBelowOre(t *testing.T) {
	fs := &Schedule{Name: "x", HourlyFee: ptr(dec("300"))}
	bad := data()
	bad.Customers[0].FeeHeadroom = ptr(dec("12.345"))
	if _, err := fs.Fees(bad, april2024); err == nil || !strings.Contains(err.Error(), "customers[0] (id k1): fee_headroom: 12.345 is not whole öre") {
		t.Errorf("headroom 12.345: %v", err)
	}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "fee_headroom: 12.345 is not whole öre") {
		t.Errorf("Validate, headroom 12.345: %v", err)
	}
	good := data()
	good.Tasks = []models.LocalTask{{Local: "Dusch", Category: models.Care}}
	good.Decisions = []models.Decision{{ID: "b", Customer: "k1", Provider: "egen",
		ValidFrom: calendar.MustParseDate("2024-01-01"), ExecutionStarted: calendar.MustParseDate("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	good.Customers[0].FeeHeadroom = ptr(dec("12.340"))
	fees, err := fs.Fees(good, april2024)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fees {
		if f.Customer == good.Customers[0].ID && !f.Amount.Decimal.Equal(dec("12.34")) {
			t.Errorf("headroom 12.340: fee %s, want 12.34", f.Amount)
		}
	}
}

// A schedule gives the prisbasbelopp of a year the library does not know,
// so that next year's fees can be worked out: a month of 2027 was
// ErrUnknownYear, with no way round it but a new release (found by
// attack). The 60 000 kr here is illustrative, not the government's.
func TestSchedulePrisbasbelopp(t *testing.T) {
	fs, err := Read(strings.NewReader(`{"name": "timtaxa 2027", "hourly_fee": "300",
 "prisbasbelopp": {"2027": 60000, "2026": 59200}}`))
	if err != nil {
		t.Fatal(err)
	}
	ds := data()
	// k1: 600 minutes of care = 10 h × 300 = 3 000 kr; the maxtaxa of
	// 2027 by the schedule's amount is 0.5392 × 60 000 ÷ 12 = 2 696.00 →
	// 2 696 kr, which limits it; k2: 100 min of service = 100 × 300 ÷ 60
	// = 500 kr.
	ds.Decisions = []models.Decision{
		{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: d("2026-01-01"), ExecutionStarted: d("2026-01-01"),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}},
		{ID: "b2", Customer: "k2", Provider: "egen", ValidFrom: d("2026-01-01"), ExecutionStarted: d("2026-01-01"),
			Items: []models.GrantedItem{{Task: "Städ", Category: models.Service, MinutesPerMonth: 100}}},
	}
	jan2027, _ := calendar.Month(2027, time.January, stockholm)
	fees, err := fs.Fees(ds, jan2027)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fees {
		got = append(got, f.Customer+" "+f.Tariff.String()+" "+f.Maxtaxa.String()+" "+f.Amount.String()+" "+f.LimitedBy.String())
	}
	if diff := cmp.Diff([]string{"k1 3000 2696 2696 maxtaxa", "k2 500 2696 500 tariff"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// December 2026 is the library's own: 0.5392 × 59 200 ÷ 12 = 2 660.05 → 2 660.
	dec2026, _ := calendar.Month(2026, time.December, stockholm)
	if fees, err := fs.Fees(ds, dec2026); err != nil || fees[0].Maxtaxa.String() != "2660" {
		t.Errorf("December 2026: %v, %v", fees, err)
	}
	// A year the schedule does not give either is still unknown, and
	// the error says how to give it.
	jan2028, _ := calendar.Month(2028, time.January, stockholm)
	if _, err := fs.Fees(ds, jan2028); !errors.Is(err, ErrUnknownYear) || !strings.Contains(err.Error(), `"prisbasbelopp": {"2028": ...}`) {
		t.Errorf("2028: %v", err)
	}
	// A year the library knows must have its own amount; an amount of no
	// kronor, one past the bound and a year past the calendar's are refused.
	_, err = Read(strings.NewReader(`{"hourly_fee": "300",
 "prisbasbelopp": {"2024": 57000, "2027": 0, "2028": 10000000, "2300": 60000}}`))
	for _, want := range []string{
		"line 2: prisbasbelopp.2024: 57000 kr, but the prisbasbelopp of 2024 is 57300 kr",
		"prisbasbelopp.2027: 0 kr: want whole kronor above 0 and below 10000000",
		"prisbasbelopp.2028: 10000000 kr: want whole kronor above 0 and below 10000000",
		"prisbasbelopp.2300: a year of 1900–2200",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	if _, err := Read(strings.NewReader(`{"hourly_fee": "300", "prisbasbelopp": {"2027": 60000.5}}`)); err == nil {
		t.Error("a prisbasbelopp of öre read")
	}
	// A key is a year as 2027: "02027" is not 2027 (it silently replaced
	// the amount of "2027"), and a key that is no number is named itself,
	// on its own line (it was named as the key before it).
	_, err = Read(strings.NewReader(`{"hourly_fee": "300", "prisbasbelopp": {
 "2027": 60000,
 "02027": 61000,
 "x": 1}}`))
	for _, want := range []string{
		`line 3: prisbasbelopp.02027: "02027" is not a year: write it as 2027`,
		`line 4: prisbasbelopp.x: "x" is not a year: write it as 2027`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}
