package reimbursement

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// The absence ladder as it was first written, kept to hold absencesByDay
// to: every day of the item against every absence.

// simpleAbsenceOn returns the absence covering d; when several do, the
// first.
func simpleAbsenceOn(as []models.Absence, d calendar.Date) (models.Absence, bool) {
	for _, a := range as {
		if a.Dates().Contains(d) {
			return a, true
		}
	}
	return models.Absence{}, false
}

func simpleLadderDays(as []models.Absence, inForce calendar.DateRange, steps []ladderStep, reasons *param) map[int]int {
	daysAt := map[int]int{}
	for d := inForce.From; !d.After(inForce.To); d = d.AddDays(1) {
		a, ok := simpleAbsenceOn(as, d)
		if !ok || (reasons != nil && !slices.Contains(reasons.Strings(), a.Reason.String())) {
			continue
		}
		day := d.Sub(a.From) + 1
		at := 0
		for i, st := range steps {
			at += st.Days
			if day <= at {
				daysAt[i]++
				break
			}
		}
	}
	return daysAt
}

// drawSortedAbsences draws a customer's absences the way a settlement
// holds them (sorted by start, then id): overlapping, crossing month
// ends, open-ended, some starting on the same day, a few with no start.
func drawSortedAbsences(t *rapid.T, customer string) []models.Absence {
	base := d("2024-02-01")
	var as []models.Absence
	for i := range rapid.IntRange(0, 14).Draw(t, "absences") {
		a := models.Absence{ID: fmt.Sprintf("a%02d", rapid.IntRange(0, 99).Draw(t, "id")) + fmt.Sprint(i), Customer: customer,
			From:   base.AddDays(rapid.IntRange(0, 120).Draw(t, "from")),
			Reason: rapid.SampledFrom([]models.AbsenceReason{models.Hospital, models.ShortTermCare, models.OtherAbsence}).Draw(t, "reason")}
		switch rapid.IntRange(0, 11).Draw(t, "shape") {
		case 0: // open-ended
		case 1: // no start
			a.To, a.From = a.From, calendar.Date{}
		case 2: // backwards
			a.To = a.From.AddDays(-1)
		default:
			a.To = a.From.AddDays(rapid.IntRange(0, 50).Draw(t, "length"))
		}
		as = append(as, a)
	}
	slices.SortFunc(as, func(a, b models.Absence) int { return cmp.Or(a.From.Compare(b.From), strings.Compare(a.ID, b.ID)) })
	return as
}

// TestAbsencesByDayBySimple holds absencesByDay, over a month and over
// any part of one, and ladderDays to the day-by-day versions above.
func TestAbsencesByDayBySimple(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		as := drawSortedAbsences(t, "k1")
		p, _ := calendar.Month(2024, time.Month(rapid.IntRange(2, 5).Draw(t, "month")), stockholm)
		from := rapid.IntRange(1, p.Days()).Draw(t, "in force from")
		r := calendar.DateRange{From: calendar.NewDate(p.Year, p.Month, from),
			To: calendar.NewDate(p.Year, p.Month, rapid.IntRange(from, p.Days()).Draw(t, "in force to"))}
		for _, r := range []calendar.DateRange{r, p.Dates()} {
			on := absencesByDay(r, as)
			for day := 1; day <= 31; day++ {
				dt := calendar.Date{Year: p.Year, Month: p.Month, Day: day}
				k, ok := on.absence(day)
				want, wantOK := simpleAbsenceOn(as, dt)
				if !r.Contains(dt) {
					wantOK = false
				}
				if ok != wantOK || (ok && as[k] != want) {
					t.Fatalf("%s in %s: absence %d %v, day by day %+v %v", dt, r, k, ok, want, wantOK)
				}
			}
		}

		var steps []ladderStep
		for range rapid.IntRange(0, 4).Draw(t, "steps") {
			steps = append(steps, ladderStep{Days: rapid.IntRange(0, 12).Draw(t, "step days"), Share: decimal.NewFromInt(1)})
		}
		var reasons *param
		if rapid.Bool().Draw(t, "reasons") {
			reasons = &param{list: rapid.SliceOfDistinct(rapid.SampledFrom([]string{"hospital", "short_term_care", "other"}),
				func(s string) string { return s }).Draw(t, "reason list")}
		}
		s := &scope{Period: p, Customer: &models.Customer{ID: "k1"},
			c: &caseState{w: &worker{in: &input{dataIndex: dataIndex{absences: map[string][]models.Absence{"k1": as}}}}}}
		u := &itemUnit{Grant: models.Grant{InForce: r, Days: r.Days()}}
		got, want := ladderDays(s, u, steps, reasons), simpleLadderDays(as, r, steps, reasons)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("ladderDays %v, day by day %v", got, want)
		}
	})
}

// TestAbsencesByItems settles 2 400 service items of k1, paid by the
// absence ladder, against 2 400 absences of k1 before the month and three
// days in it (scale probe absences_x_items): every day of every item
// against every absence, twice over (paused days, then the ladder), took
// about 11 s. It settles 20 000 of each, with and without explanations:
// the ladder looked through every item unit of the case for each unit's
// peers (found by review: 10 000 items 0.45 s, 20 000 2.0 s, 40 000
// 8.6 s), and an explanation named each item by its place among those of
// its name by a look through the decision's items (explained, 10 000
// items 2.6 s, 20 000 11.6 s); now 0.18 s and 0.23 s at 20 000.
func TestAbsencesByItems(t *testing.T) {
	for _, c := range []struct {
		n    int
		opts Options
	}{{20000, Options{}}, {20000, Options{NoExplain: true}}} {
		n := c.n
		if testing.Short() {
			n /= 4
		}
		checkAbsencesByItems(t, fixture.ItemsAbsences(n), c.opts)
	}
}

func checkAbsencesByItems(t *testing.T, ds *models.Dataset, opts Options) {
	t.Helper()
	s, err := Settle(t.Context(), probeMixed(t), ds, april2024, opts)
	if err != nil {
		t.Fatal(err)
	}
	// An item of m minutes a month is granted for 27 of April's 30 days;
	// the ladder pays the first paused day (of absence anow) at share 1,
	// the other two at 0.5.
	var paid, step1, step2, wantPaid, want1, want2, wantPaused int64
	for _, l := range s.Lines {
		if l.Component != "service" {
			continue
		}
		q := l.Quantity.IntPart()
		switch {
		case l.Kind == KindPlain:
			paid += q
		case l.Kind == KindAbsence && l.Factor == nil: // share 1
			step1 += q
		case l.Kind == KindAbsence && l.Factor.Decimal.Equal(decimal.RequireFromString("0.5")):
			step2 += q
		}
	}
	for i := range ds.Decisions[0].Items {
		it := &ds.Decisions[0].Items[i]
		wantPaid += int64(it.MinutesFor(27, 30))
		want1 += int64(it.MinutesFor(1, 30))
		want2 += int64(it.MinutesFor(2, 30))
		// What the 30 days in force grant beyond the 27 paid days', so
		// that paid and paused add up to the month's grant rounded once
		// (15 min a month: 13.5 → 14 paid, 15 − 14 = 1 paused, not 1.5
		// → 2 of 16).
		wantPaused += int64(it.MinutesFor(30, 30) - it.MinutesFor(27, 30))
	}
	// The paused minutes are shared between the steps by largest
	// remainder: each step within a minute an item of its own days'
	// minutes rounded.
	items := int64(len(ds.Decisions[0].Items))
	if paid != wantPaid || step1+step2 != wantPaused || step1 < want1-items || step1 > want1+items || step2 < want2-items || step2 > want2+items {
		t.Errorf("paid %d, %d and %d minutes; want %d, and %d on the steps, near %d and %d", paid, step1, step2, wantPaid, wantPaused, want1, want2)
	}
}
