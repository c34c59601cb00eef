package compare

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// splitReport compares April 2024 of testdata/split (trial81's
// boundary.json) under the one-version tariff and a proposal whose
// second version, from 16 April, raises omsorg tätort 448.00 → 461.44
// kr/h, nattbesök tätort 250 → 275 kr and larm 95.50 → 99.00 kr.
func splitReport(t testing.TB) *Report {
	t.Helper()
	return splitRun(t, "proposed", os.DirFS("testdata/split"), "boundary.json")
}

// splitRun compares April 2024 of the dataset file name of data under
// testdata/split's base tariff and its proposal directory proposal.
func splitRun(t testing.TB, proposal string, data fs.FS, name string) *Report {
	t.Helper()
	fsys := os.DirFS("testdata/split")
	base, err := reimbursement.LoadBook(fsys, "base")
	if err != nil {
		t.Fatal(err)
	}
	prop, err := reimbursement.LoadBook(fsys, proposal)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := models.ReadDatasetFS(data, name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Run(context.Background(), Side{Name: "nuvarande", Book: base, Data: ds}, Side{Name: "förslag", Book: prop, Data: ds},
		[]calendar.Period{april2024}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// m3 (landsbygd) has no rate that changes: its delegated HSL, h1 23
// min on the 3rd and h2 20 min on the 20th, is one line now, 43 × 448 ÷
// 60 = 321.0667 → 321.07, and two under the proposal, 23 × 448 ÷ 60 =
// 171.7333 → 171.73 and 20 × 448 ÷ 60 = 149.3333 → 149.33, = 321.06:
// −0.01, all of it rounding: (321.06 − 321.0667) − (321.07 − 321.0667)
// = −0.01. Its service, 193 min at 470 kr/h, is 1511.8333 → 1511.83
// (−0.0033) on one line and 97 + 96 min, 759.8333 → 759.83 (−0.0033)
// and 752.00 (0) on two: rounding 0. m1's omsorg 300 min × 448 ÷ 60 =
// 2240.00 becomes 150 × 448 ÷ 60 = 1120.00 and 150 × 461.44 ÷ 60 =
// 1153.60, exact: no
// rounding. The outputs say how much of each difference is rounding.
func TestRoundingPartOfSplit(t *testing.T) {
	c := splitReport(t)
	rounding := func(list []Change, key string) string {
		t.Helper()
		for _, ch := range list {
			if ch.Key == key {
				if ch.Rounding == nil {
					return "none"
				}
				return ch.Rounding.String()
			}
		}
		t.Fatalf("no row %q", key)
		return ""
	}
	for _, tc := range []struct {
		what, got, want string
	}{
		{"customer m3", rounding(c.Customers, "m3"), "-0.01"},
		{"customer m1", rounding(c.Customers, "m1"), "none"},
		{"component hsl", rounding(c.Components, "hsl"), "-0.01"},
		{"zone landsbygd", rounding(c.Zones, "landsbygd"), "-0.01"},
		{"provider egen", rounding(c.Providers, "egen"), "-0.01"},
		{"month", rounding(c.Months, "2024-04"), "-0.01"},
		{"ownership own", rounding(c.Ownerships, "own"), "-0.01"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: rounding %s, want %s", tc.what, tc.got, tc.want)
		}
	}
	if c.Total.Rounding == nil || c.Total.Rounding.String() != "-0.01" {
		t.Errorf("total rounding %v, want -0.01", c.Total.Rounding)
	}
	var text, csv, excel, js bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "text", text.String(), "+110.21 kr (+1.47 %), varav avrundning -0.01 kr\n", "varav avrundning\n",
		"    m3 (landsbygd, egen)    1832.90  1832.89     -0.01   0.00 %             -0.01\n",
		"       m1 (tätort, egen)    2865.00  2936.10    +71.10  +2.48 %\n")
	if err := c.WriteCSV(&csv, reimbursement.PlainCSV); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "csv", csv.String(), "section,key,name,base,proposed,difference,percent,zone,provider,unit,value,rounding\n",
		"customer,m3,,1832.90,1832.89,-0.01,0.00,landsbygd,egen,kr,,-0.01\n", "customer,m1,,2865.00,2936.10,71.10,2.48,tätort,egen,kr,,\n")
	if err := c.WriteCSV(&excel, reimbursement.ExcelCSV); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "excel csv", excel.String(), "customer;m3;;1832,90;1832,89;-0,01;0,00;landsbygd;egen;kr;;-0,01\r\n")
	if err := c.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, ch := range back.Customers {
		if got := ch.Rounding != nil; got != (ch.Key == "m3") {
			t.Errorf("JSON customer %s rounding %v", ch.Key, ch.Rounding)
		}
	}
}

// What is not paid counts records, not entries: a decision item or a
// listing that spans the version change of 16 April is reported once
// for each version under the proposal, and was counted twice (trial81:
// "ingen komponent i taxan" 56 → 61 records of equal minutes and days).
// testdata/split/notpaid.json is boundary.json with decision d9 of m1 with two items "Larm" (an
// alarm category no component pays), 10 min × 4 a month each, the
// whole month, and listing l9 of m3, rehabilitation (no component
// either), 3–20 April. Under both tariffs: 3 records (d9/Larm twice,
// two items of one name; l9 once), 2 × 40 = 80 minutes, 2 × 30 + 18 =
// 78 days.
func TestNotPaidCountsRecords(t *testing.T) {
	c := splitRun(t, "proposed", os.DirFS("testdata/split"), "notpaid.json") // boundary.json and the records above
	var got []UnpaidChange
	for _, u := range c.NotPaid {
		if u.Reason == reimbursement.NoComponent {
			got = append(got, u)
		}
	}
	want := []UnpaidChange{{Reason: reimbursement.NoComponent, BaseRecords: 3, ProposedRecords: 3, BaseMinutes: 80, ProposedMinutes: 80,
		BaseDays: 78, ProposedDays: 78}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("not paid (-want +got):\n%s", d)
	}
	var text bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "text", text.String(), "ingen komponent i taxan          3  80 min  78 dagar        3  80 min  78 dagar\n")
}

// A largest change names the records one side leaves unpaid and the
// other pays (found by trial81: only the totals by reason showed them).
// testdata/split/proposed-narrow pays hembesök only to the district
// nurse from 16 April; the quickstart's k4 has visit v09 of a nurse on
// the 18th, 40 min, paid 420 kr now and not under the proposal: k4 1440.00
// (listing 15 × 1200 ÷ 30 = 600.00, 2 × 420 = 840.00) → 1020.00 (600.00 +
// 420.00), −420.00.
func TestLargestNamesNewlyUnpaid(t *testing.T) {
	c := splitRun(t, "proposed-narrow", os.DirFS("../../examples/quickstart"), "dataset.json")
	var k4 *CustomerDiff
	for i := range c.Largest {
		if c.Largest[i].Key == "k4" {
			k4 = &c.Largest[i]
		}
	}
	if k4 == nil || k4.Difference.String() != "-420.00" {
		t.Fatalf("k4 not among the largest changes, or not -420.00: %+v", k4)
	}
	if len(k4.NotPaid) != 1 || k4.NotPaid[0].Side != "proposed" || k4.NotPaid[0].Unpaid.ID != "v09" || k4.NotPaidMore != 0 {
		t.Errorf("k4's records not paid by one side: %+v", k4.NotPaid)
	}
	var text, csv bytes.Buffer
	if err := c.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "text", text.String(), "  inte betalt i förslag (betalt i nuvarande): besök v09 2024-04-18, 40 minuter: ingen komponent i taxan\n")
	if err := c.WriteCSV(&csv, reimbursement.PlainCSV); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "csv", csv.String(), `largest_not_paid,k4,"besök v09 2024-04-18, 40 minuter: ingen komponent i taxan",0,1,1,,,egen,records,,`+"\n")
}

// At most maxRecordsShown records a customer, by kind, id and item (ids
// as text: "v10" before "v2"), and how many more; a record both sides
// leave unpaid, or one reported once for each version, is not repeated.
func TestLargestNotPaidBounded(t *testing.T) {
	var base, prop []reimbursement.Unpaid
	for i := range 12 {
		base = append(base, reimbursement.Unpaid{Kind: reimbursement.RecordVisit, ID: fmt.Sprintf("v%d", i), Customer: "k1", Reason: reimbursement.NoComponent})
	}
	both := reimbursement.Unpaid{Kind: reimbursement.RecordVisit, ID: "w", Customer: "k1", Reason: reimbursement.NoComponent}
	base = append(base, both)
	prop = append(prop, both, reimbursement.Unpaid{Kind: reimbursement.RecordDecision, ID: "d1", Item: "Städ", Customer: "k1", Version: "a"},
		reimbursement.Unpaid{Kind: reimbursement.RecordDecision, ID: "d1", Item: "Städ", Customer: "k1", Version: "b"})
	c := &Report{BaseSettlements: []*reimbursement.Settlement{{NotPaid: base}}, ProposedSettlements: []*reimbursement.Settlement{{NotPaid: prop}},
		Largest: []CustomerDiff{{Change: Change{Key: "k1"}}}}
	c.largestNotPaid(map[string]int{"k1": 0})
	var got []string
	for _, u := range c.Largest[0].NotPaid {
		got = append(got, u.Side+":"+u.Unpaid.ID)
	}
	want := []string{"base:v0", "base:v1", "base:v10", "base:v11", "base:v2", "base:v3", "base:v4", "base:v5", "base:v6", "base:v7"}
	if d := cmp.Diff(want, got); d != "" || c.Largest[0].NotPaidMore != 3 {
		t.Errorf("records (-want +got):\n%s\nmore: %d, want 3", d, c.Largest[0].NotPaidMore)
	}
}

func unpaidItem(version string, days int) reimbursement.Unpaid {
	return reimbursement.Unpaid{Kind: reimbursement.RecordDecision, ID: "d1", Item: "Städ", Customer: "k1", Provider: "p1",
		Version: version, Reason: reimbursement.NoTariff, Days: days}
}

// A record is listed by month: decision item d1/Städ is left unpaid by
// the base in April (the proposal pays it) and by the proposal in May
// (the base pays it), so each side leaves it unpaid in a month the other
// pays; keyed by customer, kind, id and item alone it was in both sides'
// maps and listed for neither.
func TestLargestNotPaidByMonth(t *testing.T) {
	c := &Report{
		BaseSettlements: []*reimbursement.Settlement{{Period: "2024-04", NotPaid: []reimbursement.Unpaid{unpaidItem("v", 30)}},
			{Period: "2024-05"}},
		ProposedSettlements: []*reimbursement.Settlement{{Period: "2024-04"},
			{Period: "2024-05", NotPaid: []reimbursement.Unpaid{unpaidItem("v", 31)}}},
		Largest: []CustomerDiff{{Change: Change{Key: "k1"}}},
	}
	c.largestNotPaid(map[string]int{"k1": 0})
	if got := len(c.Largest[0].NotPaid); got != 2 {
		t.Errorf("%d records listed, want 2 (April: base does not pay; May: proposal does not pay): %+v", got, c.Largest[0].NotPaid)
	}
}

// A record spanning a change of version is listed with all its entries
// of the month: the proposal leaves d1/Städ unpaid all April, 15 days
// under v1 and 15 under v2, 30 days (the first entry alone said
// "15 dagar").
func TestLargestNotPaidSumsEntries(t *testing.T) {
	c := &Report{
		BaseSettlements: []*reimbursement.Settlement{{Period: "2024-04"}},
		ProposedSettlements: []*reimbursement.Settlement{{Period: "2024-04",
			NotPaid: []reimbursement.Unpaid{unpaidItem("v1", 15), unpaidItem("v2", 15)}}},
		Largest: []CustomerDiff{{Change: Change{Key: "k1"}}},
	}
	c.largestNotPaid(map[string]int{"k1": 0})
	if len(c.Largest[0].NotPaid) != 1 {
		t.Fatalf("%+v", c.Largest[0].NotPaid)
	}
	if d := c.Largest[0].NotPaid[0].Unpaid.Days; d != 30 {
		t.Errorf("listed with %d days not paid, want 30 (%s)", d, unpaidText(c.Largest[0].NotPaid[0].Unpaid))
	}
}

// A record both sides leave unpaid otherwise is listed for each (found
// by trial: decision b3/Dusch, paused 5 days by a hospital stay under
// the current tariff, 130 min, and not paid 15 days for want of a tariff
// under the proposal, 256 min, was left out as unpaid on both sides),
// the base first, each marked; one both leave unpaid alike is not.
func TestLargestNotPaidOtherwise(t *testing.T) {
	item := func(r reimbursement.Reason, minutes int64, days int) reimbursement.Unpaid {
		return reimbursement.Unpaid{Kind: reimbursement.RecordDecision, ID: "b3", Item: "Dusch", Customer: "k3", Provider: "p1",
			Reason: r, Minutes: minutes, Days: days}
	}
	alike := reimbursement.Unpaid{Kind: reimbursement.RecordVisit, ID: "v1", Customer: "k3", Reason: reimbursement.NotApproved, Minutes: 30}
	c := &Report{Base: "nuvarande", Proposed: "förslag",
		BaseSettlements:     []*reimbursement.Settlement{{Period: "2024-04", NotPaid: []reimbursement.Unpaid{item(reimbursement.Absent, 130, 5), alike}}},
		ProposedSettlements: []*reimbursement.Settlement{{Period: "2024-04", NotPaid: []reimbursement.Unpaid{item(reimbursement.NoTariff, 256, 15), alike}}},
		Largest:             []CustomerDiff{{Change: Change{Key: "k3"}}},
	}
	c.largestNotPaid(map[string]int{"k3": 0})
	want := []SideUnpaid{{Side: "base", Unpaid: item(reimbursement.Absent, 130, 5), Otherwise: true},
		{Side: "proposed", Unpaid: item(reimbursement.NoTariff, 256, 15), Otherwise: true}}
	if d := cmp.Diff(want, c.Largest[0].NotPaid); d != "" {
		t.Fatalf("records (-want +got):\n%s", d)
	}
	var got []string
	for _, u := range c.Largest[0].NotPaid {
		got = append(got, c.SideUnpaidText(u))
	}
	wantText := []string{"inte betalt i nuvarande (annorlunda i förslag): beslut b3/Dusch, 130 minuter, 5 dagar: uppehåll som inte ersätts",
		"inte betalt i förslag (annorlunda i nuvarande): beslut b3/Dusch, 256 minuter, 15 dagar: ingen taxa i kraft"}
	if d := cmp.Diff(wantText, got); d != "" {
		t.Errorf("texts (-want +got):\n%s", d)
	}
}

// The versions a side settled by are named once each, in order of the
// day they take effect, with their digests' first 12 digits: April under
// a and b, May under b.
func TestVersionsNamed(t *testing.T) {
	a := reimbursement.VersionRef{Name: "Taxa 2024", File: "taxa.json", Digest: "2f3be4f47001ccef75bc", ValidFrom: calendar.MustParseDate("2024-01-01"),
		ValidTo: calendar.MustParseDate("2024-04-15")}
	b := reimbursement.VersionRef{Name: "Taxa 2024b", File: "taxa-b.json", Digest: "f384fa5e3430fdcbfae6", ValidFrom: calendar.MustParseDate("2024-04-16")}
	got := versionsOf([]*reimbursement.Settlement{{Versions: []reimbursement.VersionRef{b, a}}, {Versions: []reimbursement.VersionRef{b}}})
	if d := cmp.Diff([]reimbursement.VersionRef{a, b}, got); d != "" {
		t.Errorf("versions (-want +got):\n%s", d)
	}
	const want = "Taxa 2024 (taxa.json, 2024-01-01–2024-04-15, kontrollsumma 2f3be4f47001), Taxa 2024b (taxa-b.json, från 2024-04-16, kontrollsumma f384fa5e3430)"
	if got := VersionsText(got); got != want {
		t.Errorf("VersionsText = %q\nwant %q", got, want)
	}
	if got := VersionsText(nil); got != "inga" {
		t.Errorf("VersionsText(nil) = %q, want inga", got)
	}
}
