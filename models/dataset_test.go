package models

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hemtjanst/ersattning/calendar"
)

func TestReadDataset(t *testing.T) {
	ds, err := ReadDatasetFS(os.DirFS("testdata"), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	counts := []int{len(ds.Tasks), len(ds.Customers), len(ds.Providers), len(ds.Decisions), len(ds.Visits), len(ds.Listings), len(ds.Absences), len(ds.AlarmEvents)}
	if diff := cmp.Diff([]int{3, 2, 2, 2, 2, 1, 1, 1}, counts); diff != "" {
		t.Errorf("record counts (-want +got):\n%s", diff)
	}
	if ds.Providers[1].Ownership != Private || ds.Decisions[0].Items[1].Category != Care || !ds.Decisions[0].Items[1].DoubleStaffing {
		t.Errorf("fields not decoded: %+v %+v", ds.Providers[1], ds.Decisions[0].Items[1])
	}
	if got := ds.Visits[0].End.Sub(ds.Visits[0].Start); got != 40*time.Minute {
		t.Errorf("visit v1 lasts %v", got)
	}
	if z := ds.Customers[1].ZoneOn(calendar.MustParseDate("2024-04-15")); z != "landsbygd" {
		t.Errorf("zone before move = %s", z)
	}
	if z := ds.Customers[1].ZoneOn(calendar.MustParseDate("2024-04-16")); z != "tätort" {
		t.Errorf("zone after move = %s", z)
	}
}

// broken applies edits to the sample dataset's text.
func broken(t *testing.T, edits ...string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i < len(edits); i += 2 {
		if !strings.Contains(s, edits[i]) {
			t.Fatalf("edit %q not found", edits[i])
		}
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	return s
}

func TestDatasetErrors(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  []string
		is    error
	}{
		{
			name:  "visit ends before it starts",
			edits: []string{`"end": "2024-04-12T22:20:00+02:00"`, `"end": "2024-04-12T21:20:00+02:00"`},
			want:  []string{"models: data.json:31:94: visits[0] (id v1): end: 2024-04-12T21:20:00+02:00 is before start 2024-04-12T21:40:00+02:00"},
		},
		{
			name:  "unknown customer and task",
			edits: []string{`"id": "v2", "customer": "k2"`, `"id": "v2", "customer": "k9"`, `"tasks": ["Dusch"], "role": "care_staff", "declined"`, `"tasks": ["Bad"], "role": "care_staff", "declined"`},
			want:  []string{`data.json:32:18: visits[1] (id v2): customer: unknown reference: no customer "k9"`, `data.json:32:135: visits[1] (id v2): tasks[0]: unknown task code "Bad"`},
			is:    ErrUnknownReference,
		},
		{
			name:  "provider in another case",
			edits: []string{`"id": "v2", "customer": "k2", "provider": "omsorg-ab"`, `"id": "v2", "customer": "k2", "provider": "Omsorg-AB "`},
			want:  []string{`visits[1] (id v2): provider: unknown reference: no provider "Omsorg-AB "; did you mean "omsorg-ab"?`},
			is:    ErrUnknownReference,
		},
		{
			name:  "overlapping decisions",
			edits: []string{`"items": [{"category": "care", "minutes_per_month": 600}]`, `"items": [{"category": "care", "minutes_per_month": 600}]}, {"id": "b3", "customer": "k2", "provider": "egen", "valid_from": "2024-06-01", "items": [{"category": "care", "minutes_per_month": 60}]`},
			want:  []string{`decisions[2] (id b3): valid_from: overlapping decisions: grants care on 2024-06-01..2024-12-31, as decision "b2" does`},
			is:    ErrOverlap,
		},
		{
			name:  "duplicate id and bad item",
			edits: []string{`{"id": "k2", "zone": "landsbygd"`, `{"id": "k1", "zone": "landsbygd"`, `"minutes": 30, "times": 2, "per": "week"`, `"minutes": 30, "times": 0, "per": "week", "minutes_per_month": 5`},
			want:  []string{`data.json:9:6: customers[1] (id k1): id: duplicate id: "k1" is also customers[0]`, "decisions[0] (id b1): items[0].minutes_per_month: given together with minutes, times or per"},
			is:    ErrDuplicateID,
		},
		{
			name:  "unknown field",
			edits: []string{`"approved": true}`, `"aproved": true}`},
			want:  []string{`data.json:31:184: visits[0] (id v1): aproved: unknown field`},
		},
		// A time that did not decode was told in the layout of
		// encoding/json's time.Time: 'parsing time "2024-04-12T21:40:00"
		// as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'
		// (found by attack).
		{
			name:  "local time without an offset",
			edits: []string{`"start": "2024-04-12T21:40:00+02:00"`, `"start": "2024-04-12T21:40:00"`},
			want:  []string{`data.json:31:65: visits[0] (id v1): start: invalid time "2024-04-12T21:40:00": no UTC offset: want RFC 3339 with the UTC offset, as 2024-03-12T08:00:00+01:00 (Z for UTC): a local time without an offset is read from a visits CSV only`},
		},
		{
			name:  "time with a space and an hour out of range",
			edits: []string{`"start": "2024-04-12T21:40:00+02:00"`, `"start": "2024-04-12 21:40:00+02:00"`, `"start": "2024-04-15T09:00:00+02:00"`, `"start": "2024-04-15T24:00:00+02:00"`},
			want: []string{`data.json:31:65: visits[0] (id v1): start: invalid time "2024-04-12 21:40:00+02:00": want RFC 3339 with the UTC offset`,
				`data.json:32:70: visits[1] (id v2): start: invalid time "2024-04-15T24:00:00+02:00": hour out of range: want RFC 3339 with the UTC offset`},
		},
		// A day the month lacks was "day out of range", where a visits
		// CSV says which month is short.
		{
			name:  "time on a day the month lacks",
			edits: []string{`"start": "2024-04-12T21:40:00+02:00"`, `"start": "2024-02-30T21:40:00+01:00"`},
			want:  []string{`data.json:31:65: visits[0] (id v1): start: invalid time "2024-02-30T21:40:00+01:00": 2024-02 has 29 days`},
		},
		{
			name:  "time empty or a number",
			edits: []string{`"start": "2024-04-12T21:40:00+02:00"`, `"start": ""`, `"start": "2024-04-15T09:00:00+02:00"`, `"start": 1713164400`},
			want: []string{`data.json:31:65: visits[0] (id v1): start: empty time: want RFC 3339 with the UTC offset`,
				`data.json:32:70: visits[1] (id v2): start: a time is a string: want RFC 3339 with the UTC offset`},
		},
		{
			name:  "bad enum",
			edits: []string{`"ownership": "private"`, `"ownership": "public"`},
			want:  []string{`unknown ownership "public" (want one of own, private; also accepted: egen regi, egen_regi, enskild regi, enskild_regi, own_operation, privat, privat regi, privat_regi)`},
		},
		{
			name:  "syntax",
			edits: []string{`"tasks": [`, `"tasks": [[`},
			want:  []string{"data.json:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDatasetFS(fstest.MapFS{"data.json": {Data: []byte(broken(t, tt.edits...))}}, "data.json")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) is false", tt.is)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("not an *InputError: %T", err)
			}
		})
	}
}

func TestGranted(t *testing.T) {
	loc := time.UTC
	april, _ := calendar.Month(2024, time.April, loc) // 30 days
	d := calendar.MustParseDate
	dec := Decision{
		ID: "b", Customer: "k", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-04-10"),
		Items: []GrantedItem{
			{Category: Service, Minutes: 30, Times: 2, Per: PerWeek},
			{Category: Care, Minutes: 20, Times: 1, Per: PerDay, DoubleStaffing: true},
			{Category: Care, MinutesPerMonth: 600},
			{Category: Care, Minutes: 45, Times: 3, Per: PerMonth},
		},
	}
	hospital := []Absence{
		{ID: "a", Customer: "k", From: d("2024-04-15"), To: d("2024-04-18"), Reason: Hospital},
		{ID: "b", Customer: "k", From: d("2024-04-17"), To: d("2024-04-19"), Reason: ShortTermCare}, // overlaps a by two days
		{ID: "c", Customer: "other", From: d("2024-04-10"), To: d("2024-04-30"), Reason: Hospital},
	}
	inForce := calendar.DateRange{From: d("2024-04-10"), To: d("2024-04-30")}
	tests := []struct {
		name     string
		item     int
		absences []Absence
		want     Grant
	}{
		// 21 days (10th–30th): 30 × 2 × 21 ÷ 7 = 180.
		{"weekly", 0, nil, Grant{inForce, 21, 0, 21, 180, 180, nil}},
		// Paused 15th–19th (5 days, the overlap counted once): 30 × 2 × 16 ÷ 7 = 137.14 → 137.
		{"weekly paused", 0, hospital, Grant{inForce, 21, 5, 16, 137, 137, nil}},
		// 20 × 1 × 21 = 420 minutes, two staff: 840 staff minutes.
		{"daily double staffed", 1, nil, Grant{inForce, 21, 0, 21, 420, 840, nil}},
		// 600 × 21 ÷ 30 = 420.
		{"monthly total", 2, nil, Grant{inForce, 21, 0, 21, 420, 420, nil}},
		// 600 × 16 ÷ 30 = 320.
		{"monthly total paused", 2, hospital, Grant{inForce, 21, 5, 16, 320, 320, nil}},
		// 45 × 3 × 21 ÷ 30 = 94.5 → 95 (half up).
		{"per month half up", 3, nil, Grant{inForce, 21, 0, 21, 95, 95, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dec.Granted(tt.item, april, tt.absences)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	notStarted := dec
	notStarted.ExecutionStarted = calendar.Date{}
	if g := notStarted.Granted(0, april, nil); g != (Grant{}) {
		t.Errorf("not started: %+v", g)
	}
	ended := dec
	ended.ValidTo = d("2024-03-31")
	ended.ExecutionStarted = d("2024-01-01")
	if g := ended.Granted(0, april, nil); g.Minutes != 0 || g.Days != 0 {
		t.Errorf("ended before the period: %+v", g)
	}
}

func TestEnums(t *testing.T) {
	if c, err := ParseCategory("Hemsjukvård"); err != nil || c != HomeHealthCare {
		t.Errorf("ParseCategory(Hemsjukvård) = %v, %v", c, err)
	}
	if r, err := ParseRole("distriktssköterska"); err != nil || r != DistrictNurse || !r.Licensed() {
		t.Errorf("ParseRole = %v, %v", r, err)
	}
	if CareStaff.Licensed() {
		t.Error("care staff are not licensed")
	}
	if o, err := ParseOwnership("egen_regi"); err != nil || o != OwnOperation || o.String() != "own" {
		t.Errorf("ParseOwnership = %v, %v", o, err)
	}
	if _, err := ParseFrequency("fortnight"); err == nil {
		t.Error("fortnight: no error")
	}
	if got := Category(99).String(); got != "category(99)" {
		t.Errorf("out of range: %s", got)
	}
	if len(Categories()) != 9 {
		t.Errorf("Categories() = %v", Categories())
	}
}

// FuzzReadDataset feeds the dataset reader arbitrary documents: it must
// return a dataset or an error, never panic, and a dataset it returns
// must be valid.
func FuzzReadDataset(f *testing.F) {
	if b, err := os.ReadFile("testdata/dataset.json"); err == nil {
		f.Add(string(b))
	}
	f.Add(`{"customers": [{"id": "k1", "zone": "a"}], "visits": [{"id": "v", "customer": "k9"}]}`)
	f.Add(`{"decisions": [{"id": "b", "items": [{"category": "care", "minutes_per_month": -1}]}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		ds, err := ReadDataset(strings.NewReader(doc))
		if err != nil {
			return
		}
		if err := ds.Validate(); err != nil {
			t.Fatalf("ReadDataset returned an invalid dataset: %v", err)
		}
	})
}

// TestReadDatasetAccepts: a byte order mark, and a night visit across
// the October change given with its offsets (02:50 summer time to 02:10
// winter time is 20 minutes).
func TestReadDatasetAccepts(t *testing.T) {
	doc := "\ufeff" + broken(t,
		`"start": "2024-04-12T21:40:00+02:00", "end": "2024-04-12T22:20:00+02:00"`,
		`"start": "2024-10-27T02:50:00+02:00", "end": "2024-10-27T02:10:00+01:00"`)
	ds, err := ReadDataset(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if d := ds.Visits[0].End.Sub(ds.Visits[0].Start); d != 20*time.Minute {
		t.Errorf("visit lasts %v, want 20m", d)
	}
}
