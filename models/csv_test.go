package models

import (
	"bytes"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

func TestReadVisitsCSV(t *testing.T) {
	in := "id,customer,provider,start,end,tasks,role,staff,declined,approved,registered\n" +
		"v1,k1,egen,2024-03-12 21:40,2024-03-12 22:20,Dusch|Tillsyn,undersköterska,2,nej,ja,2024-03-12 22:21\n" +
		"v2,k2,egen,2024-03-12T08:00:00Z,2024-03-12T08:30:00Z,,nurse,,true,false\n"
	got, err := ReadVisitsCSV(strings.NewReader(in), stockholm)
	if err != nil {
		t.Fatal(err)
	}
	want := []Visit{
		{ID: "v1", Customer: "k1", Provider: "egen", Source: Source{Line: 2},
			Start: time.Date(2024, 3, 12, 21, 40, 0, 0, stockholm), End: time.Date(2024, 3, 12, 22, 20, 0, 0, stockholm),
			Tasks: []string{"Dusch", "Tillsyn"}, Role: CareStaff, Staff: 2, Approved: true,
			Registered: time.Date(2024, 3, 12, 22, 21, 0, 0, stockholm)},
		{ID: "v2", Customer: "k2", Provider: "egen",
			Start: time.Date(2024, 3, 12, 8, 0, 0, 0, time.UTC), End: time.Date(2024, 3, 12, 8, 30, 0, 0, time.UTC),
			Role: Nurse, Declined: true, Source: Source{Line: 3}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := WriteVisitsCSV(&buf, got); err != nil {
		t.Fatal(err)
	}
	again, err := ReadVisitsCSV(&buf, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again, cmpopts.IgnoreFields(Visit{}, "Source"), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestReadVisitsCSVErrors(t *testing.T) {
	in := "id,customer,provider,start,end,role,staff,approved\n" +
		"v1,k1,egen,2024-03-12 21:40,2024-03-12 21:20,,,ja\n" +
		"v2,k1,egen,12/3/2024,2024-03-12 22:20,chef,x,kanske\n"
	_, err := ReadVisitsCSV(strings.NewReader(in), stockholm)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"models: 2:29: visits[0] (id v1): end: 2024-03-12T21:20:00+01:00 is before start 2024-03-12T21:40:00+01:00",
		`models: 3:12: visits[1] (id v2): start: invalid time "12/3/2024"`,
		`3:39: visits[1] (id v2): role: unknown role "chef"`,
		`3:44: visits[1] (id v2): staff: invalid number "x"`,
		`3:46: visits[1] (id v2): approved: invalid boolean "kanske"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
		}
	}
	if strings.Contains(err.Error(), "start: missing") {
		t.Errorf("a start that did not parse is reported twice:\n%v", err)
	}
	if _, err := ReadVisitsCSV(strings.NewReader("id,customer\n"), stockholm); err == nil || !strings.Contains(err.Error(), "provider: missing column") {
		t.Errorf("missing columns: %v", err)
	}
}

func FuzzReadVisitsCSV(f *testing.F) {
	f.Add("id,customer,provider,start,end,tasks\nv1,k1,p,2024-03-12 21:40,2024-03-12 22:20,Dusch|Städ\n")
	f.Add("id,customer,provider,start,end\nv1,k1,p,2024-03-31T01:30:00+01:00,2024-03-31T03:30:00+02:00\n")
	f.Add("\"id\",\"x\n")
	f.Fuzz(func(t *testing.T, in string) {
		visits, err := ReadVisitsCSV(strings.NewReader(in), stockholm)
		if err != nil {
			return
		}
		for _, v := range visits {
			if err := v.Validate(); err != nil {
				t.Fatalf("ReadVisitsCSV accepted an invalid visit %+v: %v", v, err)
			}
		}
	})
}
