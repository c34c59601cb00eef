package reimbursement

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// The probe's points must cover every value the data can give a field an
// expression reads: each test below is a pair of components that both pay
// one unit only at a value the probe did not try, which loaded and paid
// the unit twice (found by attack), and pairs alike that must still load.

// loadErr loads a tariff and returns its error ("" when it loads).
func loadErr(t *testing.T, src string) string {
	t.Helper()
	_, err := ParseVersion(strings.NewReader(src), "test.json")
	if err == nil {
		return ""
	}
	return err.Error()
}

// wantRefused checks that src is refused with an error holding each of
// wants.
func wantRefused(t *testing.T, src string, wants ...string) {
	t.Helper()
	got := loadErr(t, src)
	if got == "" {
		t.Errorf("loaded; want refused with %q", wants)
		return
	}
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("error\n%s\ndoes not contain\n%s", got, w)
		}
	}
}

// noBandTable is doc without its band table, which prices the default
// schedule's bands only: for tariffs with schedules of their own.
func noBandTable(src string) string {
	return strings.Replace(src, `"band": {"keys": ["band"], "rates": {"dag": "400", "kväll": "450", "natt": "500", "helg": "475"}},`, ``, 1)
}

// A band that holds no quarter hour is probed: the bands change only at
// the rules' from and to, and the probe looks there. Components a (not
// kväll) and b (not dag) overlap only in morgon, 07:05–07:14; sampled
// every 15 minutes, morgon was never probed, the tariff loaded and a
// visit 07:05–07:14 was paid by both: 9 min × 600 kr/h ÷ 60 = 90.00,
// twice, 180.00. Declared (b instead of a), it is paid once: 90.00.
func TestProbeFindsABandBetweenQuarterHours(t *testing.T) {
	sched := `"schedule": {"rules": [
	  {"band": "dag", "days": ["all"], "from": "00:00", "to": "07:05"},
	  {"band": "morgon", "days": ["all"], "from": "07:05", "to": "07:14"},
	  {"band": "kväll", "days": ["all"], "from": "07:14", "to": "24:00"}]}`
	comps := func(decl string) string {
		return `{"name": "a", "strategy": "performed_time", "when": "category == 'care' && band != 'kväll'", "rate": "600", "params": {"require_decision": false}},
	{"name": "b", "strategy": "performed_time", "when": "category == 'care' && band != 'dag'", "rate": "600", "params": {"require_decision": false}` + decl + `}`
	}
	wantRefused(t, noBandTable(doc(comps(""), sched)), `components[1].when (b): pays the same segments as component "a"`, "band=morgon")

	s, err := calendar.NewSchedule([]calendar.BandRule{
		{Band: "dag", Days: []string{"all"}, From: 0, To: 425},
		{Band: "morgon", Days: []string{"all"}, From: 425, To: 434},
		{Band: "kväll", Days: []string{"all"}, From: 434, To: 1440}}, false)
	if err != nil {
		t.Fatal(err)
	}
	var want [][2]string
	for _, k := range []string{"weekday", "saturday", "sunday", "holiday"} {
		want = append(want, [2]string{"dag", k}, [2]string{"morgon", k}, [2]string{"kväll", k})
	}
	if diff := cmp.Diff(want, bandDays(s)); diff != "" {
		t.Errorf("bandDays (-want +got):\n%s", diff)
	}

	b := mustBook(t, noBandTable(doc(comps(`, "instead_of": ["a"]`), sched)))
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-02 07:05", "2024-04-02 07:14", "Dusch")}
	if diff := cmp.Diff([]row{{"k1", "b", "", "care", "tätort", "", "9", "600", "", "90.00"}}, rows(settle(t, b, ds))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// Staff is probed up to the most any settlement may pay
// (Options.MaxStaff's ceiling, 100), not 1 and 2 only. "staff != 2" and
// "staff > 1" both match a visit of 3 staff: it loaded, and the visit was
// paid 100 + 150 = 250.00; declared, it is paid 150.00 by flera alone. A
// rate 600 / (3 − staff) divides by zero for 3 staff: a load error, not a
// rate_error at settlement; so does 600 / (60 − staff), as a settlement
// with MaxStaff 60 may pay 60 staff.
func TestProbeTriesEveryStaffCount(t *testing.T) {
	comps := func(decl string) string {
		return `{"name": "ensam", "strategy": "per_visit", "when": "category == 'care' && staff != 2", "rate": "100"},
	{"name": "flera", "strategy": "per_visit", "when": "category == 'care' && staff > 1", "rate": "150"` + decl + `}`
	}
	wantRefused(t, doc(comps("")), `components[1].when (flera): pays the same visits as component "ensam"`, "staff=3")
	wantRefused(t, doc(`{"name": "x", "strategy": "per_visit", "when": "category == 'care'", "rate": "600 / (3 - staff)"}`),
		"components[0].rate (x): division by zero", "staff=3")
	wantRefused(t, doc(`{"name": "x", "strategy": "per_visit", "when": "category == 'care'", "rate": "600 / (60 - staff)"}`),
		"components[0].rate (x): division by zero", "staff=60")
	// Alike, but apart: both load.
	for _, src := range []string{
		`{"name": "ensam", "strategy": "per_visit", "when": "staff < 2", "rate": "100"}, {"name": "flera", "strategy": "per_visit", "when": "staff >= 2", "rate": "150"}`,
		`{"name": "x", "strategy": "per_visit", "rate": "600 / staff"}`,
		`{"name": "x", "strategy": "per_visit", "rate": "staff > 2.5 ? 600 / (staff - 2.5) : 1"}`,
	} {
		if err := loadErr(t, doc(src)); err != "" {
			t.Errorf("%s: %s", src, err)
		}
	}

	b := mustBook(t, doc(comps(`, "instead_of": ["ensam"]`)))
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch", func(v *models.Visit) { v.Staff = 3 })}
	if diff := cmp.Diff([]row{{"k1", "flera", "", "care", "tätort", "", "1", "150", "", "150.00"}}, rows(settle(t, b, ds))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// staffValues tries, where staff is only compared with number literals,
// 1 and the first count past each literal, one count of each run on which
// the comparisons agree; every count otherwise.
func TestStaffValues(t *testing.T) {
	decs := func(ss ...string) []decimal.Decimal {
		var out []decimal.Decimal
		for _, s := range ss {
			out = append(out, dec(s))
		}
		return out
	}
	every := make([]int, ceilingMaxStaff)
	for i := range every {
		every[i] = i + 1
	}
	for _, tt := range []struct {
		at   []decimal.Decimal
		any  bool
		want []int
	}{
		{nil, false, []int{1}},
		{decs("2"), false, []int{1, 2, 3}},               // staff ≥ 2, == 2: 1 | 2 | 3–100
		{decs("2.5"), false, []int{1, 3}},                // staff > 2.5: 1–2 | 3–100
		{decs("0", "150"), false, []int{1}},              // beyond the counts: all alike
		{decs("4", "-1", "1"), false, []int{1, 2, 4, 5}}, // 1 | 2–3 | 4 | 5–100
		{decs("2"), true, every},
	} {
		if diff := cmp.Diff(tt.want, staffValues(tt.at, tt.any)); diff != "" {
			t.Errorf("staffValues(%v, %v) (-want +got):\n%s", tt.at, tt.any, diff)
		}
	}
}

// Every staff count agrees with a count staffValues tries on every
// comparison with the literals: checked for each pair of literals of a
// set around the counts' ends and between them.
func TestStaffValuesCoverEveryCount(t *testing.T) {
	lits := []string{"-1", "0", "0.5", "1", "1.5", "2", "2.5", "3", "4", "49.9", "50", "99", "99.5", "100", "100.5", "101"}
	agree := func(s, t int, at []decimal.Decimal) bool {
		for _, c := range at {
			ds, dt := decimal.NewFromInt(int64(s)), decimal.NewFromInt(int64(t))
			if ds.LessThan(c) != dt.LessThan(c) || ds.LessThanOrEqual(c) != dt.LessThanOrEqual(c) || ds.Equal(c) != dt.Equal(c) {
				return false
			}
		}
		return true
	}
	for _, a := range lits {
		for _, b := range lits {
			at := []decimal.Decimal{dec(a), dec(b)}
			tried := staffValues(at, false)
			for s := 1; s <= ceilingMaxStaff; s++ {
				if !slices.ContainsFunc(tried, func(t int) bool { return agree(s, t, at) }) {
					t.Errorf("literals %s, %s: %d staff is like none of %v", a, b, s, tried)
				}
			}
		}
	}
}

// useOf tells a comparison of staff with a literal from other uses, and
// has(bands, 'band') from other reads of bands.
//
// has(bands, lower('NATT')) read bands otherwise: a table its component
// reads had to price every band, while has(bands, 'natt') loaded with
// one pricing the bands the probe reaches (TestProbeHasBandsKnownAtLoad).
func TestUseOf(t *testing.T) {
	type use struct {
		StaffAt  []string
		StaffAny bool
		HasBands []string
		BandsAny bool
	}
	for _, tt := range []struct {
		when string
		want use
	}{
		{"staff >= 2 && 3 != staff", use{StaffAt: []string{"2", "3"}}},
		{"staff * 2 > 5", use{StaffAny: true}},
		{"staff == staff", use{StaffAny: true}},
		// x in [a, b] with a number is dec_in(x, a, b): staff in a list of
		// literals is compared with each, a literal in a list holding
		// staff with staff.
		{"staff in [1, 2.5]", use{StaffAt: []string{"1", "2.5"}}},
		{"2 in [staff, 3] || staff in [+4]", use{StaffAt: []string{"2", "4"}}},
		{"staff in [1, staff]", use{StaffAny: true}},
		{"staff in [1, 2 * staff]", use{StaffAny: true}},
		{"has(bands, 'natt') || has_task(bands, 'dag')", use{HasBands: []string{"natt", "dag"}}},
		{"bands == 'natt'", use{BandsAny: true}},
		{"has(bands, 'natt') && bands != 'natt'", use{HasBands: []string{"natt"}, BandsAny: true}},
		// A band known at load, not only a literal, asks about each
		// value it can take; one not known at load reads bands otherwise.
		{"has(bands, lower('NATT'))", use{HasBands: []string{"natt"}}},
		{"has(bands, staff > 1 ? 'natt' : trim(' dag '))", use{StaffAt: []string{"1"}, HasBands: []string{"natt", "dag"}}},
		{"has(bands, staff > 1 ? 'natt' : attr(attributes, 'x'))", use{StaffAt: []string{"1"}, BandsAny: true}},
	} {
		v := mustVersion(t, doc(`{"name": "x", "strategy": "per_visit", "when": "`+tt.when+`", "rate": "1"}`))
		u := usesOf(v.components[0], envFields(visitEnv{})).when
		got := use{StaffAny: u.staffAny, HasBands: u.hasBands, BandsAny: u.bandsAny}
		for _, d := range u.staffAt {
			got.StaffAt = append(got.StaffAt, d.String())
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.when, diff)
		}
	}
}

// staff in [1, 2] is dec_in(staff, 1, 2): the probe read it as staff used
// otherwise and tried every count 1–100, so a component that also reads
// role, day_kind, zone and ownership was refused over MaxCombinations,
// while the same condition written (staff == 1 || staff == 2) loaded. It
// loads, and pays as the == form: visits of 1, 2 and 3 staff at 100 for
// 1 or 2 staff, else 7, are paid 100 + 100 + 7 = 207.00.
func TestProbeStaffInList(t *testing.T) {
	rest := ` && role in ['nurse', 'care_staff'] && day_kind != 'sunday' && zone == 'tätort' && ownership == 'own'`
	for _, cond := range []string{`(staff == 1 || staff == 2)`, `staff in [1, 2]`, `(1 in [staff] || 2 in [staff, 7])`} {
		src := doc(`{"name": "c", "strategy": "performed_time", "when": "category == 'care' && ` + cond + rest + `", "rate": "table('band', band)", "params": {"require_decision": false}}`)
		if err := loadErr(t, src); err != "" {
			t.Errorf("%s: %s", cond, err)
		}
	}
	ds := data()
	for i, n := range []int{1, 2, 3} {
		at := sprintf("2024-04-02 %02d:00", 8+2*i)
		ds.Visits = append(ds.Visits, visit(at, sprintf("2024-04-02 %02d:30", 8+2*i), "Dusch", func(v *models.Visit) {
			v.ID = sprintf("v%d", n)
			v.Staff = n
		}))
	}
	for _, cond := range []string{`(staff == 1 || staff == 2)`, `staff in [1, 2]`} {
		b := mustBook(t, doc(`{"name": "c", "strategy": "per_visit", "when": "category == 'care'", "rate": "`+cond+` ? 100 : 7"}`))
		total := decimal.Zero
		for _, l := range settle(t, b, ds).Lines {
			total = total.Add(l.Amount.Decimal)
		}
		if got := total.StringFixed(2); got != "207.00" {
			t.Errorf("%s ? 100 : 7: paid %s; want 207.00", cond, got)
		}
	}
}

// A boolean tested in a list of booleans (a constant list after expr's
// optimizer) is probed as the boolean: the division by zero for a
// declined (or licensed) visit of one staff is found at load.
func TestProbeTriesBooleansInAList(t *testing.T) {
	for rate, at := range map[string]string{
		"declined in [true] ? 600 / (staff - 1) : 100":       "declined=true",
		"licensed in [true, true] ? 600 / (staff - 1) : 100": "licensed=true",
		"(staff == 1) in [true] ? 600 / (staff - 1) : 100":   "staff=1",
		"!(declined in [false]) ? 600 / (staff - 1) : 100":   "declined=true",
	} {
		wantRefused(t, doc(`{"name": "x", "strategy": "per_visit", "when": "category == 'care'", "rate": "`+rate+`"}`),
			"components[0].rate (x): division by zero", at, "staff=1")
	}
}

// A visit's facts are probed for visits of several bands and unplanned
// visits, not as one band's: start_band = end_band = longest_band =
// bands = planned_band = band.
//
//   - "any part at night" and "starts outside the night" both match a
//     visit 21:45–22:15: it loaded, and was paid 300 + 200 = 500.00;
//   - "band natt" and "planned_band != band" both match an unplanned
//     night visit (planned_band ""): paid 300 + 200 = 500.00;
//   - a visit of three bands, Sunday 21:00 to Monday 20:00 (helg, natt,
//     dag, kväll), matches both of the last pair.
//
// Pairs apart on every visit still load: a component of whole visits
// sees band as the band its band parameter chooses, and a visit's
// longest band is one it touches.
func TestProbeTriesVisitsOfSeveralBands(t *testing.T) {
	for _, tt := range []struct{ a, b, want string }{
		{`"strategy": "per_visit", "when": "has(bands, 'natt')"`, `"strategy": "per_visit", "when": "start_band != 'natt'"`, "start_band=dag, end_band=dag, longest_band=dag, bands=dag|natt"},
		{`"strategy": "per_visit", "when": "band == 'natt'"`, `"strategy": "per_visit", "when": "planned_band != band"`, "band=natt"},
		{`"strategy": "per_visit", "when": "band == 'natt'"`, `"strategy": "per_visit", "when": "band == 'dag'", "params": {"band": "end"}`, "end_band=dag"},
		{`"strategy": "performed_time", "when": "band == 'natt'"`, `"strategy": "performed_time", "when": "band == 'natt' && start_band != end_band"`, "band=natt"},
		{`"strategy": "performed_time", "when": "has(bands, 'natt') && has(bands, 'dag') && has(bands, 'kväll')"`, `"strategy": "performed_time", "when": "start_band == 'helg'"`, "start_band=helg"},
	} {
		src := doc(`{"name": "a", ` + tt.a + `, "rate": "300"}, {"name": "b", ` + tt.b + `, "rate": "200"}`)
		wantRefused(t, src, `components[1].when (b): pays the same`, tt.want)
	}
	for _, tt := range []struct{ a, b string }{
		{`"strategy": "per_visit", "when": "band == 'natt'"`, `"strategy": "per_visit", "when": "start_band != 'natt'"`},
		{`"strategy": "per_visit", "when": "band == 'natt'", "params": {"band": "end"}`, `"strategy": "per_visit", "when": "end_band != 'natt'"`},
		{`"strategy": "per_visit", "when": "band == 'natt' && day_kind == 'sunday'", "params": {"band": "longest"}`, `"strategy": "per_visit", "when": "longest_band != 'natt'"`},
		{`"strategy": "performed_time", "when": "longest_band == 'natt'"`, `"strategy": "performed_time", "when": "!has(bands, 'natt')"`},
		{`"strategy": "performed_time", "when": "band == 'natt'"`, `"strategy": "performed_time", "when": "!has(bands, 'natt')"`},
		{`"strategy": "performed_time", "when": "has(bands, 'natt') && has(bands, 'dag')"`, `"strategy": "performed_time", "when": "!has(bands, 'dag')"`},
		{`"strategy": "performed_time", "when": "planned_band == ''"`, `"strategy": "performed_time", "when": "planned_band != ''"`},
	} {
		src := doc(`{"name": "a", ` + tt.a + `, "rate": "300"}, {"name": "b", ` + tt.b + `, "rate": "200"}`)
		if err := loadErr(t, src); err != "" {
			t.Errorf("%s / %s: %s", tt.a, tt.b, err)
		}
	}
}

// Every visit the default schedule can hold (its bands in any order,
// its end, longest band and segment among them, each on a kind of day
// the band occurs on) looks, to a check, like a point of visitShapes:
// alike in the band (and, where read, the kind of day) of each place the
// check reads and in each band has(bands, ...) asks about.
func TestVisitShapesCoverEveryVisit(t *testing.T) {
	v := mustVersion(t, doc(`{"name": "x", "strategy": "performed_time", "rate": "1"}`))
	pr := newProber(v, Limits{}.withDefaults(), func(string, string, error) {})
	var seqs [][]string // every sequence of distinct bands
	var grow func(seq []string)
	grow = func(seq []string) {
		if len(seq) > 0 {
			seqs = append(seqs, slices.Clone(seq))
		}
		for _, b := range pr.bands {
			if !slices.Contains(seq, b) {
				grow(append(seq, b))
			}
		}
	}
	grow(nil)
	kindsOf := func(b string) (out [][2]string) {
		for _, bd := range pr.bandDays {
			if bd[0] == b {
				out = append(out, bd)
			}
		}
		return out
	}
	type place = [roleCount][2]string
	look := func(cu checkUse, at place, has func(string) bool) string {
		var key []string
		for r := range roleCount {
			if cu.roles[r].read {
				key = append(key, at[r][0])
				if cu.roles[r].kind {
					key = append(key, at[r][1])
				}
			}
		}
		for _, b := range cu.hasBands {
			key = append(key, strconv.FormatBool(has(b)))
		}
		return strings.Join(key, " ")
	}
	checks := 0
	for mask := range 1 << roleCount {
		for _, kinds := range []bool{false, true} {
			for _, asked := range [][]string{nil, {"natt"}, {"dag", "natt"}, {"dag", "helg", "kväll", "natt"}} {
				cu := checkUse{reads: map[string]bool{"bands": len(asked) > 0}, hasBands: asked}
				for r := range roleCount {
					cu.roles[r].read = mask>>r&1 == 1
					cu.roles[r].kind = cu.roles[r].read && kinds
				}
				seen := map[string]bool{}
				d := pr.visitShapes(cu)
				if d.n > pr.lim.MaxCombinations {
					continue // refused by points
				}
				for i := range d.n {
					var p probePoint
					d.set(&p, i)
					seen[look(cu, place{{p.band, p.dayKind}, p.start, p.end, p.longest}, func(b string) bool { return hasIn(p.bands, b) })] = true
					if !strings.HasPrefix(p.bands, p.start[0]) || !hasIn(p.bands, p.band) || !hasIn(p.bands, p.end[0]) || !hasIn(p.bands, p.longest[0]) {
						t.Errorf("point %d: bands %s without its places %+v", i, p.bands, p)
					}
				}
				for _, seq := range seqs {
					for _, at := range visitsOf(seq, cu, kindsOf) {
						checks++
						if key := look(cu, at, func(b string) bool { return slices.Contains(seq, b) }); !seen[key] {
							t.Fatalf("roles %04b, kinds %v, asked %v: the visit %v %v (%s) is like no point", mask, kinds, asked, seq, at, key)
						}
					}
				}
			}
		}
	}
	t.Logf("%d visits checked", checks)
}

// visitsOf returns the places of the visits of the bands seq, in that
// order: the start in the first, the segment, the end and the longest
// band in any, each on each kind of day its band occurs on; those cu
// does not read (which it cannot tell apart) in the first band.
func visitsOf(seq []string, cu checkUse, kindsOf func(string) [][2]string) [][roleCount][2]string {
	var out [][roleCount][2]string
	var fill func(r visitRole, at [roleCount][2]string)
	fill = func(r visitRole, at [roleCount][2]string) {
		if r == roleCount {
			out = append(out, at)
			return
		}
		bands := seq
		if r == roleStart || !cu.roles[r].read {
			bands = seq[:1]
		}
		for _, b := range bands {
			kinds := kindsOf(b)
			if !cu.roles[r].kind {
				kinds = kinds[:1]
			}
			for _, bd := range kinds {
				at[r] = bd
				fill(r+1, at)
			}
		}
	}
	fill(0, [roleCount][2]string{})
	return out
}

// bands read otherwise than by has(bands, 'band') cannot be enumerated
// (the order of the bands counts): the pair is decided at settlement. A
// visit 21:45–22:15 has bands kväll|natt and starts in kväll: kvällnatt
// pays it, 300.00, and kväll reports it paid_twice, not paying 200.00
// more.
func TestProbeLeavesBandsReadAsTextToSettlement(t *testing.T) {
	v := mustVersion(t, doc(`{"name": "kvällnatt", "strategy": "per_visit", "when": "bands == 'kväll|natt'", "rate": "300"},
	 {"name": "kväll", "strategy": "per_visit", "when": "start_band == 'kväll'", "rate": "200"}`))
	if !v.mayOverlap(v.components[0], v.components[1]) {
		t.Error("the pair is not left to settlement")
	}
	b, _ := NewBook(v)
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-02 21:45", "2024-04-02 22:15", "Dusch")}
	s := settle(t, b, ds)
	if diff := cmp.Diff([]row{{"k1", "kvällnatt", "", "care", "tätort", "", "1", "300", "", "300.00"}}, rows(s)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]unpaidRow{{"v001", PaidTwice, 0}}, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A granted item's subscription and per are probed: subscription was
// held false, so "category alarm" and "subscription" both paid an alarm
// subscription, 282.00 + 150.00 = 432.00 for April; per was left to
// settlement, and is one of four values. A subscription has no per, so
// "subscription" and "per week" never meet. per is compared with its
// values as written in data: "vecka" is refused, as it matches nothing.
func TestProbeTriesSubscriptionsAndFrequencies(t *testing.T) {
	wantRefused(t, doc(`{"name": "larm", "strategy": "fixed_monthly", "when": "category == 'alarm'", "rate": "282"},
	 {"name": "abonnemang", "strategy": "fixed_monthly", "when": "subscription", "rate": "150"}`),
		`components[1].when (abonnemang): pays the same items as component "larm"`, "category=alarm", "subscription=true")
	wantRefused(t, doc(`{"name": "vecka", "strategy": "granted_time", "when": "per == 'week'", "rate": "400"},
	 {"name": "omsorg", "strategy": "granted_time", "when": "category == 'care' && per != 'day'", "rate": "448"}`),
		`components[1].when (omsorg): pays the same items as component "vecka"`, "per=week")
	if err := loadErr(t, doc(`{"name": "larm", "strategy": "fixed_monthly", "when": "subscription", "rate": "282"},
	 {"name": "vecka", "strategy": "fixed_monthly", "when": "per == 'week'", "rate": "100"}`)); err != "" {
		t.Error(err)
	}
	wantRefused(t, doc(`{"name": "vecka", "strategy": "granted_time", "when": "per == 'vecka'", "rate": "400"}`),
		`components[0].when (vecka): 1:8: per "vecka": unknown per (known: day, week, month)`)
}

// The provider's vat_registered is probed both ways: two components that
// both pay a VAT-registered private provider's visit are refused at
// load, not left to settlement.
func TestProbeTriesVATRegistration(t *testing.T) {
	wantRefused(t, doc(`{"name": "moms", "strategy": "per_visit", "when": "vat_registered", "rate": "10"},
	 {"name": "privat", "strategy": "per_visit", "when": "ownership == 'private'", "rate": "20"}`),
		`components[1].when (privat): pays the same visits as component "moms"`, "ownership=private", "vat_registered=true")
}

// An event's kind is free text: two components that read it are left to
// settlement, which pays an event both match once. It was probed as ""
// alone, as if decided: "kind mat" and "kind not larm" loaded, and a
// meal delivery was paid 50.00 + 60.00 = 110.00; now mat pays 50.00 and
// inte larm reports it paid_twice.
func TestProbeLeavesEventKindsToSettlement(t *testing.T) {
	v := mustVersion(t, doc(`{"name": "mat", "strategy": "per_occurrence", "when": "kind == 'mat'", "rate": "50"},
	 {"name": "inte larm", "strategy": "per_occurrence", "when": "kind != 'larm'", "rate": "60"}`))
	if !v.mayOverlap(v.components[0], v.components[1]) {
		t.Error("the pair is not left to settlement")
	}
	b, _ := NewBook(v)
	ds := data()
	ds.AlarmEvents = []models.AlarmEvent{{ID: "e1", Customer: "k1", Provider: "egen", Time: at("2024-04-02 10:00"), Kind: "mat"}}
	s := settle(t, b, ds)
	var got []string
	for _, l := range s.Lines {
		got = append(got, l.Component+" "+l.Amount.String())
	}
	if diff := cmp.Diff([]string{"mat 50.00"}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]unpaidRow{{"e1", PaidTwice, 0}}, unpaid(s)); diff != "" {
		t.Errorf("not paid (-want +got):\n%s", diff)
	}
}

// A kind of day the schedule never gives a unit is refused where it is
// written, as an unknown value is: the default schedule names neither
// eve nor before_holiday, so a Christmas Eve supplement loaded and was
// never paid (a visit 2024-12-24 10:00–10:30 was paid besök 200.00
// alone). With a schedule that names eve it loads, and the visit is paid
// 200.00 + 100.00 = 300.00.
func TestDayKindsTheScheduleNeverGives(t *testing.T) {
	supplement := func(kind string) string {
		return `{"name": "besök", "strategy": "per_visit", "when": "category == 'care'", "rate": "200"},
	{"name": "aftontillägg", "strategy": "per_visit", "when": "category == 'care' && ` + kind + `", "rate": "100", "stacks": true}`
	}
	wantRefused(t, doc(supplement("day_kind == 'eve'")),
		`test.json:17: components[1].when (aftontillägg): 1:35: day_kind "eve": no rule of the schedule names eve`)
	wantRefused(t, doc(supplement("day_kind in ['holiday', 'before_holiday']")),
		`test.json:17: components[1].when (aftontillägg): 1:47: day_kind "before_holiday": no rule of the schedule names before_holiday`)
	wantRefused(t, noBandTable(doc(supplement("day_kind == 'eve'"), `"schedule": {"rules": [{"band": "dag", "days": ["all"], "from": "00:00", "to": "24:00"}], "eves_as_holidays": true}`)),
		`components[1].when (aftontillägg): 1:35: day_kind "eve": the schedule counts eves as holidays (eves_as_holidays)`)
	wantRefused(t, strings.Replace(doc(supplement("table('afton', day_kind) > 0")), `"tables": {`, `"tables": {"afton": {"keys": ["day_kind"], "rates": {"eve": "1", "*": "0"}},`, 1),
		`tables.afton.rates.eve: unknown day_kind "eve"`)

	eve := `"schedule": {"rules": [
	  {"band": "dag", "days": ["weekday"], "from": "07:00", "to": "19:00"},
	  {"band": "kväll", "days": ["weekday"], "from": "19:00", "to": "22:00"},
	  {"band": "natt", "days": ["all"], "from": "22:00", "to": "07:00"},
	  {"band": "helg", "days": ["saturday", "sunday", "holiday", "eve"], "from": "07:00", "to": "22:00"}]}`
	b := mustBook(t, doc(supplement("day_kind == 'eve'"), eve))
	ds := data()
	ds.Visits = []models.Visit{visit("2024-12-24 10:00", "2024-12-24 10:30", "Dusch")}
	december, _ := calendar.Month(2024, time.December, stockholm)
	s, err := Settle(context.Background(), b, ds, december, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range s.Lines {
		got = append(got, l.Component+" "+l.Amount.String())
	}
	if diff := cmp.Diff([]string{"besök 200.00", "aftontillägg 100.00"}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// The literals a tariff compares a visit's band facts with are bands of
// its schedule, in has(bands, ...) too.
func TestBandFactLiteralsAreKnown(t *testing.T) {
	wantRefused(t, doc(`{"name": "a", "strategy": "per_visit", "when": "has(bands, 'nat')", "rate": "1"}`),
		`components[0].when (a): 1:12: band "nat": unknown band; did you mean "natt"?`)
	for _, f := range []string{"start_band", "end_band", "longest_band", "planned_band"} {
		wantRefused(t, doc(`{"name": "a", "strategy": "per_visit", "when": "`+f+` == 'Natt'", "rate": "1"}`),
			`components[0].when (a): 1:`+strconv.Itoa(len(f)+5)+`: `+f+` "Natt": unknown `+f+`; did you mean "natt"?`)
	}
}

// Every field an expression of a component can read is one the probe
// enumerates or one it knows it cannot (undecidableIn): a field added to
// an environment and forgotten here would be probed at one value, as
// subscription and an event's kind were.
func TestProbeCoversEveryField(t *testing.T) {
	v := mustVersion(t, doc(`{"name": "x", "strategy": "per_visit", "rate": "1"}`))
	pr := newProber(v, Limits{}.withDefaults(), func(string, string, error) {})
	for _, u := range []unitKind{unitItem, unitSegment, unitVisit, unitListing, unitEvent} {
		covered := map[string]bool{recorderName: true}
		for _, d := range pr.dimensions(u, []string{"1"}, newCheckUse(u)) {
			for _, f := range d.fields {
				covered[f] = true
			}
		}
		for f := range envFields(u.env()) {
			if !covered[f] && !undecidableIn(u, f) {
				t.Errorf("%s: the probe neither enumerates %s nor leaves it to settlement", u, f)
			}
		}
	}
}

// The probe of every tariff of the repository stays far within its
// budget, and README says what the largest needs.
func TestProbeCostOfTheRepositoryTariffs(t *testing.T) {
	files := repositoryTariffs(t)
	most, at := 0, ""
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v := mustVersion(t, string(src))
		if v.probed > most {
			most, at = v.probed, f
		}
	}
	t.Logf("%d tariffs; the largest probe, %s, evaluates %d expressions", len(files), at, most)
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`example tariff needs (\d+)\)`).FindSubmatch(readme)
	if m == nil || string(m[1]) != strconv.Itoa(most) {
		t.Errorf("README gives the largest example tariff's probe as %q, want %d", m, most)
	}
	lim := Limits{}.withDefaults()
	if most > 2*lim.MaxCombinations/10 {
		t.Errorf("the probe of %s takes %d of its budget of %d", at, most, 2*lim.MaxCombinations)
	}
}

// repositoryTariffs returns the tariff files of the repository: every
// examples/*/tariffs and the tariffs of reimbursement/testdata.
func repositoryTariffs(tb testing.TB) []string {
	tb.Helper()
	var files []string
	for _, root := range []string{"../examples", "testdata"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "bad" {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".json") && (filepath.Dir(p) == "testdata" || strings.Contains(p, "/tariffs/")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if len(files) < 20 {
		tb.Fatalf("%d tariffs found", len(files))
	}
	return files
}

// RepositoryTariffs is repositoryTariffs for the tests of package
// reimbursement_test.
var RepositoryTariffs = repositoryTariffs

// A cap reading a table under a condition on granted or performed
// minutes cannot be vouched for by the probe, which tries them at 0, 60
// and 44 640 minutes: the table is checked for every combination (found
// by attack: "granted > 100 && granted < 10000 ? table('capt',
// 'landsbygd') : …" loaded with no landsbygd rate and failed at
// settlement with 900 minutes granted).
func TestCapReadingGrantedChecksItsTables(t *testing.T) {
	src := strings.Replace(doc(`{"name": "u", "strategy": "performed_time", "when": "category == 'care'", "rate": "500",
	  "params": {"cap": "granted > 100 && granted < 10000 ? table('capt', 'landsbygd') : table('capt', 'tätort')"}}`),
		`"tables": {`, `"tables": {"capt": {"keys": ["zone"], "rates": {"tätort": "100000"}},`, 1)
	wantRefused(t, src, "tables.capt.rates", "zone=landsbygd", "granted or performed minutes")
}

// A component asking has(bands, x) of an x known at load that is not a
// literal was undecidable ("it reads bands (otherwise than by has(bands,
// …))"): a table of natt alone, read where band == 'natt', was refused
// for lacking dag, kväll and helg, which the literal form loads without.
func TestProbeHasBandsKnownAtLoad(t *testing.T) {
	for _, when := range []string{
		`has(bands, 'natt') && band == 'natt'`,
		`has(bands, lower('NATT')) && band == 'natt'`,
		`has(bands, staff > 1 ? lower('NATT') : 'natt') && band == 'natt'`,
	} {
		src := noBandTable(doc(`{"name": "x", "strategy": "performed_time", "when": "` + when + `", "rate": "table('t', band)", "params": {"require_decision": false}}`))
		src = strings.Replace(src, `"tables": {`, `"tables": {"t": {"keys": ["band"], "rates": {"natt": "1"}},`, 1)
		if e := loadErr(t, src); e != "" {
			t.Errorf("when %s: %s", when, e)
		}
	}
}
