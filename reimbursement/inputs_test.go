package reimbursement

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// visitInputsReference is visitInputs as it was written first: the
// environments in turn, each field's values gathered as they come, a
// field placed where its first value is met.
func visitInputsReference(s *envSet) []Input {
	var envs []*visitEnv
	for _, e := range s.envs {
		envs = append(envs, e.(*visitEnv))
	}
	var order []int
	values := make([][]string, len(visitFields))
	add := func(f int, v string) {
		if !slices.Contains(values[f], v) {
			values[f] = append(values[f], v)
		}
	}
	for i, e := range envs {
		for f := range visitFields {
			v := visitFields[f].value(e)
			switch {
			case v == "" && len(values[f]) > 0:
				add(f, "–")
			case v == "":
			case len(values[f]) == 0:
				order = append(order, f)
				if i > 0 {
					add(f, "–")
				}
				add(f, v)
			default:
				add(f, v)
			}
		}
	}
	out := make([]Input, 0, len(order))
	for _, f := range order {
		out = append(out, Input{Name: visitFields[f].name, Value: s.joinValues(values[f])})
	}
	return out
}

// TestVisitInputsMatchReference: a line's visit inputs, read field by
// field over its environments, are those of the environments read in
// turn: the same values, "–" where an environment has none, "varies"
// past four, " | …" when more environments were seen than kept, and the
// same order, for sets of 2 to 32 environments alike in some fields and
// not in others, with the worker's scratch reused from set to set.
func TestVisitInputsMatchReference(t *testing.T) {
	var x explainScratch
	rapid.Check(t, func(t *rapid.T) {
		pick := func(name string, vs ...string) string { return rapid.SampledFrom(vs).Draw(t, name) }
		n := rapid.IntRange(2, maxEnvs).Draw(t, "envs")
		var s envSet
		for i := range n {
			e := &visitEnv{baseEnv: baseEnv{Customer: "k1", Provider: "p1", Zone: pick("zone", "tätort", "landsbygd", ""),
				Period: "2024-04", Contract: pick("contract", "", "lov")}}
			e.Category = pick("category", "care", "service", "")
			e.Task = pick("task", "", "Dusch", "Städ", "Tillsyn", "Inköp", "Larm")
			e.Band = pick("band", "dag", "kväll", "natt", "helg", "", "–") // a tariff may name a band "–"
			e.DayKind = pick("dayKind", "weekday", "saturday", "sunday")
			e.Declined = rapid.Bool().Draw(t, "declined")
			e.Minutes = rapid.IntRange(0, 6).Draw(t, "minutes")
			e.Staff = rapid.IntRange(1, 2).Draw(t, "staff")
			if i > 0 && rapid.Bool().Draw(t, "likeBefore") {
				*e = *s.envs[len(s.envs)-1].(*visitEnv)
				e.Band = pick("otherBand", "dag", "natt")
			}
			s.envs = append(s.envs, e)
		}
		s.more = rapid.Bool().Draw(t, "more")
		want := visitInputsReference(&s)
		got, ok := s.visitInputs(&x)
		if !ok {
			t.Fatal("not read as visit environments")
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("inputs differ (-reference +visitInputs):\n%s", d)
		}
		for _, in := range got {
			if vs := strings.Split(in.Value, valueSep); len(vs) != len(slices.Compact(slices.Clone(vs))) {
				t.Fatalf("a value twice: %q", in.Value)
			}
		}
	})
}

// TestDescribeGrantMatchesSprintf: describeGrant writes what formatting
// it with fmt does, for items of minutes per month or per occurrence,
// double staffed or not, any frequency and decision id, a unit that is
// its item's whole month: the proration of its paid days with the
// arithmetic of models.GrantedItem.MinutesFor, written out here again
// with big.Rat.
func TestDescribeGrantMatchesSprintf(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		it := &models.GrantedItem{Task: rapid.SampledFrom([]string{"Dusch", " Städ ", ""}).Draw(t, "task"),
			Category: models.Care, Minutes: rapid.IntRange(0, 600).Draw(t, "minutes"), Times: rapid.IntRange(0, 9).Draw(t, "times"),
			Per: models.Frequency(rapid.IntRange(0, 6).Draw(t, "per")), DoubleStaffing: rapid.Bool().Draw(t, "double")}
		if rapid.Bool().Draw(t, "perMonth") {
			it.MinutesPerMonth = rapid.IntRange(1, 9000).Draw(t, "minutesPerMonth")
		}
		monthDays := rapid.IntRange(28, 31).Draw(t, "monthDays")
		from := calendar.NewDate(2024, 4, rapid.IntRange(1, 30).Draw(t, "from"))
		days := rapid.IntRange(1, monthDays).Draw(t, "n")
		paused := rapid.IntRange(0, days).Draw(t, "paused")
		g := models.Grant{InForce: calendar.DateRange{From: from, To: from.AddDays(days - 1)}, Days: days, PausedDays: paused, PaidDays: days - paused}
		g.Minutes = it.MinutesFor(g.PaidDays, monthDays)
		g.StaffMinutes = g.Minutes * it.Staff()
		u := &itemUnit{Decision: &models.Decision{ID: rapid.StringMatching(`[a-zåäö0-9-]{0,12}`).Draw(t, "id")}, Item: it, Grant: g}
		per := map[models.Frequency]string{models.PerDay: "dag", models.PerWeek: "vecka", models.PerMonth: "månad"}[it.Per]
		if per == "" {
			per = "okänd"
		}
		what := fmt.Sprintf("%d min × %d per %s", it.Minutes, it.Times, per)
		if it.MinutesPerMonth > 0 {
			what = fmt.Sprintf("%d min per månad", it.MinutesPerMonth)
		}
		if it.DoubleStaffing {
			what += ", dubbelbemanning"
		}
		// The proration: the exact minutes, rounded half up once, times
		// the staff.
		var arith string
		var num, den int
		switch {
		case it.MinutesPerMonth > 0:
			num, den = it.MinutesPerMonth*g.PaidDays, monthDays
			arith = fmt.Sprintf("%d × %d betalda dagar", it.MinutesPerMonth, g.PaidDays)
		case it.Per == models.PerDay || it.Per == models.PerWeek || it.Per == models.PerMonth:
			num, den = it.Minutes*it.Times*g.PaidDays, map[models.Frequency]int{models.PerDay: 1, models.PerWeek: 7, models.PerMonth: monthDays}[it.Per]
			arith = fmt.Sprintf("%d × %d × %d betalda dagar", it.Minutes, it.Times, g.PaidDays)
		}
		if arith != "" {
			if den > 1 {
				arith += fmt.Sprintf(" ÷ %d", den)
			}
			q := new(big.Rat).SetFrac64(int64(num), int64(den))
			exactText := q.FloatString(2)
			if cut := new(big.Rat).SetFrac64(int64(num)*100/int64(den), 100); cut.Cmp(q) != 0 {
				exactText = cut.FloatString(2) + "…" // cut, not rounded
			} else {
				exactText = strings.TrimSuffix(strings.TrimRight(exactText, "0"), ".")
			}
			arith += " = " + exactText
			if !q.IsInt() {
				arith += fmt.Sprintf(" → %d", g.Minutes)
				if it.Staff() == 1 {
					arith += " personalminuter (halvt uppåt till hel minut)"
				} else {
					arith += " min (halvt uppåt till hel minut)"
				}
			} else if it.Staff() == 1 {
				arith += " personalminuter"
			} else {
				arith += " min"
			}
			if it.Staff() > 1 {
				arith += fmt.Sprintf(" × 2 personal = %d personalminuter", g.StaffMinutes)
			}
		} else {
			arith = fmt.Sprintf("%d personalminuter", g.StaffMinutes)
		}
		want := fmt.Sprintf("beslut %s, %s: %s; i kraft %s (%d dagar), %d med uppehåll → %s",
			u.Decision.ID, itemName(it), what, g.InForce, g.Days, g.PausedDays, arith)
		if got := describeGrant(u, monthDays); got != want {
			t.Fatalf("describeGrant = %q, want %q", got, want)
		}
	})
}

// TestCapStepMatchesSprintf: capStep writes what formatting it with fmt
// did, for caps of any sign and scale and any category.
func TestCapStepMatchesSprintf(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := decimal.New(rapid.Int64().Draw(t, "coef"), int32(rapid.IntRange(-6, 3).Draw(t, "exp")))
		cat := models.Category(rapid.IntRange(0, 12).Draw(t, "category"))
		src := rapid.SampledFrom([]string{"granted", `performed["omsorg"] * 0.17`, ""}).Draw(t, "source")
		total := rapid.Int64().Draw(t, "total")
		want := fmt.Sprintf("tak %s = %s min för %s; utfört %d min", src, v, cat.Swedish(), total)
		if got := capStep(src, v, cat, total); got != want {
			t.Fatalf("capStep = %q, want %q", got, want)
		}
	})
}

// TestAppendTexts holds the texts the explanations append to the String
// methods they stand for: dates of any year, month and day (the zero
// date among them), decimals of any sign, coefficient and exponent, and
// hours of any minutes.
func TestAppendTexts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := calendar.Date{Year: rapid.IntRange(-20, 10020).Draw(t, "year"), Month: time.Month(rapid.IntRange(0, 13).Draw(t, "month")),
			Day: rapid.IntRange(0, 120).Draw(t, "day")}
		if rapid.Bool().Draw(t, "zero") {
			d = calendar.Date{}
		}
		if got := string(appendDate([]byte("x"), d)); got != "x"+d.String() {
			t.Fatalf("appendDate = %q, want %q", got, "x"+d.String())
		}
		r := calendar.DateRange{From: d, To: d.AddDays(rapid.IntRange(0, 40).Draw(t, "days"))}
		if got := string(appendDateRange(nil, r)); got != r.String() {
			t.Fatalf("appendDateRange = %q, want %q", got, r.String())
		}
		coef := rapid.OneOf(rapid.Int64Range(-1000, 1000), rapid.Int64()).Draw(t, "coef")
		v := decimal.New(coef, int32(rapid.IntRange(-45, 6).Draw(t, "exp")))
		if rapid.Bool().Draw(t, "big") {
			v = v.Mul(decimal.New(coef, 0)) // more digits than an int64
		}
		if got := string(appendDecimal(nil, v)); got != v.String() {
			t.Fatalf("appendDecimal(%s) = %q", v.String(), got)
		}
		m := rapid.OneOf(rapid.Int64Range(-100000, 100000), rapid.Int64()).Draw(t, "minutes")
		if got, want := string(appendHours(nil, m)), hoursOf(m).String(); got != want {
			t.Fatalf("appendHours(%d) = %q, want %q", m, got, want)
		}
	})
}

// TestAdjustmentStep holds adjustmentStep to formatting it with fmt, as
// it was written: percents and bases of any sign and scale, any scale of
// the tariff's rounding, one or more components.
func TestAdjustmentStep(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := &adjustment{percent: decimal.New(rapid.Int64Range(-2000, 2000).Draw(t, "percent"), int32(rapid.IntRange(-3, 1).Draw(t, "pexp"))),
			components: rapid.SliceOfN(rapid.SampledFrom([]string{"hemtjänst", "larm", "natt"}), 1, 3).Draw(t, "components")}
		base := decimal.New(rapid.OneOf(rapid.Int64Range(-1000000, 1000000), rapid.Int64()).Draw(t, "base"), int32(rapid.IntRange(-6, 3).Draw(t, "bexp")))
		scale := int32(rapid.IntRange(0, 6).Draw(t, "scale"))
		in := rapid.SampledFrom([]string{"", " i zon B"}).Draw(t, "in")
		want := fmt.Sprintf("%s %% på beloppen för %s%s: %s kr", a.percent, strings.Join(a.components, ", "), in, base.StringFixed(scale))
		if got := adjustmentStep(a, in, base, scale); got != want {
			t.Fatalf("adjustmentStep = %q, want %q", got, want)
		}
	})
}

// TestLevelStep holds levelStep to formatting it with fmt, as it was
// written: any minutes, items, band and days.
func TestLevelStep(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.Int64Range(0, 1000000).Draw(t, "minutes")
		names := rapid.SliceOfN(rapid.SampledFrom([]string{"Dusch", "Städ", "omsorg"}), 0, 3).Draw(t, "names")
		band := levelBand{Name: rapid.SampledFrom([]string{"1", "2", "hög"}).Draw(t, "band"),
			FromHours: decimal.New(rapid.Int64Range(0, 10000).Draw(t, "from"), int32(rapid.IntRange(-2, 1).Draw(t, "fexp")))}
		n, monthDays := rapid.IntRange(0, 31).Draw(t, "days"), rapid.IntRange(28, 31).Draw(t, "monthDays")
		want := fmt.Sprintf("beviljat %s h i månaden (%s) → nivå %s (från %s h); %d av %d dagar på den",
			hoursOf(m), strings.Join(names, ", "), band.Name, band.FromHours, n, monthDays)
		if got := levelStep(m, names, band, n, monthDays); got != want {
			t.Fatalf("levelStep = %q, want %q", got, want)
		}
	})
}
