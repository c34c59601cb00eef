package compare

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// partLines is the most lines a part of breakdowns has (a variable, for
// tests to cut the lines finely).
var partLines = 4096

// breakdowns adds up the lines of both sides into every breakdown of c
// as Run does (see addUp), but cut into parts of partLines lines, added
// up on workers cores (Run adds up a side's months a part each, the
// base's while the proposal settles: see sideWork).
func (c *Report) breakdowns(workers int) *breakdown {
	parts := append(partsOf(0, c.BaseSettlements, partLines), partsOf(1, c.ProposedSettlements, partLines)...)
	tasks := make([]func(), len(parts))
	for i := range parts {
		p := &parts[i]
		tasks[i] = func() { p.add(c.settlements(p.side)[p.month], p.side == 0) }
	}
	parallel(workers, tasks)
	return c.addUp(parts, workers)
}

// simpleChanges is a breakdown as it was first written, kept to hold
// the one pass of breakdowns to: the lines of both sides added up by a
// key of each line, one pass a breakdown, in decimal.Decimal, and their
// rounding parts by simpleRoundingParts.
func simpleChanges[K comparable](c *Report, key func(*reimbursement.Settlement, *reimbursement.Line) K, compare func(a, b K) int,
	label func(K) (key, name, provider string)) []Change {
	type row struct {
		sum [2]decimal.Decimal
		has [2]bool
		rem rounding
	}
	rows := map[K]*row{}
	var keys []K
	for side, ss := range [2][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
		for _, s := range ss {
			for i := range s.Lines {
				l := &s.Lines[i]
				k := key(s, l)
				w := rows[k]
				if w == nil {
					w = &row{}
					rows[k] = w
					keys = append(keys, k)
				}
				w.sum[side] = w.sum[side].Add(l.Amount.Decimal)
				w.has[side] = true
				r := lineRemainder(l, side == 0)
				w.rem.add(&r)
			}
		}
	}
	slices.SortFunc(keys, compare)
	value := func(w *row, side int) decimal.Decimal {
		if w.has[side] {
			return w.sum[side]
		}
		return decimal.New(0, w.sum[1-side].Exponent())
	}
	out := []Change{} // an empty breakdown is [] in the JSON, not null
	var parts []*rounding
	scale := int32(2)
	for _, k := range keys {
		w := rows[k]
		key, name, provider := label(k)
		ch := newChange(key, name, value(w, 0), value(w, 1))
		ch.Provider = provider
		out = append(out, ch)
		parts = append(parts, &w.rem)
		scale = max(scale, -ch.Difference.Exponent())
	}
	for i, r := range simpleRoundingParts(parts, scale) {
		out[i].Rounding = r
	}
	return out
}

// all returns u's remainders, one a divisor.
func (u *rounding) all() []remainder {
	var out []remainder
	u.each(func(r *remainder) { out = append(out, *r) })
	return out
}

// simpleRoundingParts is roundingParts as it was first written, kept to
// hold it to: every row's part divided in decimal.Decimal.
func simpleRoundingParts(rows []*rounding, scale int32) []*reimbursement.Amount {
	l := int64(1)
	for _, u := range rows {
		if u == nil {
			continue
		}
		for _, p := range u.all() {
			l = l / gcd(l, p.div) * p.div
		}
	}
	den := decimal.NewFromInt(l)
	// Each row's part × 10^scale = num ÷ l, num = floor × l + rem with
	// 0 ≤ rem < l: floor whole öre (at scale) and rem ÷ l of one.
	type row struct {
		floor int64
		rem   decimal.Decimal
	}
	rs := make([]row, len(rows))
	var total decimal.Decimal
	var floors int64
	for i, u := range rows {
		if u == nil || u.n == 0 {
			continue
		}
		var num exact.Sum
		for _, p := range u.all() {
			if f, ok := p.num.Fixed(); ok {
				if n, ok := f.Mul(exact.Int(l / p.div)); ok {
					num.AddFixed(n)
					continue
				}
			}
			num.Add(p.num.Value().Mul(decimal.NewFromInt(l / p.div)))
		}
		if num.IsZero() {
			continue
		}
		n := num.Value()
		total = total.Add(n)
		q, r := n.Shift(scale).QuoRem(den, 0)
		if r.Sign() < 0 {
			q, r = q.Sub(decimal.NewFromInt(1)), r.Add(den)
		}
		rs[i] = row{q.IntPart(), r}
		floors += rs[i].floor
	}
	t := reimbursement.Rounding{Scale: scale, Mode: reimbursement.HalfUp}.Quotient(total, l)
	give := t.Shift(scale).IntPart() - floors // 0 ≤ give ≤ the rows with a remainder
	if give > 0 {
		order := make([]int, 0, len(rows))
		for i := range rs {
			if rs[i].rem.Sign() > 0 {
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Or(rs[b].rem.Cmp(rs[a].rem), cmp.Compare(a, b)) })
		for _, i := range order[:min(int(give), len(order))] {
			rs[i].floor++
		}
	}
	out := make([]*reimbursement.Amount, len(rows))
	for i, r := range rs {
		if r.floor != 0 {
			a := reimbursement.AmountOf(decimal.New(r.floor, -scale))
			out[i] = &a
		}
	}
	return out
}

// simpleBreakdowns sets the breakdowns of c as breakdowns does, each by
// simpleChanges.
func simpleBreakdowns(c *Report) {
	str := func(names map[string]string) func(string) (string, string, string) {
		return func(k string) (string, string, string) { return k, names[k], "" }
	}
	for _, r := range simpleChanges(c, func(*reimbursement.Settlement, *reimbursement.Line) string { return "" }, strings.Compare, str(nil)) {
		c.Total.Rounding = r.Rounding
	}
	for _, r := range simpleChanges(c, func(s *reimbursement.Settlement, _ *reimbursement.Line) string { return s.Period }, strings.Compare, str(nil)) {
		if i := slices.IndexFunc(c.Months, func(m Change) bool { return m.Key == r.Key }); i >= 0 {
			c.Months[i].Rounding = r.Rounding
		}
	}
	names := c.providerNames()
	c.Providers = simpleChanges(c, func(_ *reimbursement.Settlement, l *reimbursement.Line) string { return l.Provider }, strings.Compare, str(names))
	c.ProviderComponents = simpleChanges(c, func(_ *reimbursement.Settlement, l *reimbursement.Line) providerComponent {
		return providerComponent{l.Provider, l.Component}
	}, func(a, b providerComponent) int {
		return cmp.Or(strings.Compare(a.provider, b.provider), strings.Compare(a.component, b.component))
	}, func(k providerComponent) (string, string, string) { return k.component, names[k.provider], k.provider })
	c.Customers = simpleChanges(c, func(_ *reimbursement.Settlement, l *reimbursement.Line) string { return l.Customer }, strings.Compare, str(nil))
	simplePlaceCustomers(c)
	c.Components = simpleChanges(c, func(_ *reimbursement.Settlement, l *reimbursement.Line) string { return l.Component }, strings.Compare, str(nil))
	c.Zones = simpleChanges(c, func(_ *reimbursement.Settlement, l *reimbursement.Line) string { return l.Zone }, strings.Compare, str(nil))
	owner := ownerships(c.BaseSettlements, c.ProposedSettlements)
	c.Ownerships = simpleChanges(c, func(s *reimbursement.Settlement, l *reimbursement.Line) string {
		return owner[s][l.Provider].String()
	}, strings.Compare, str(ownershipNames))
}

// TestBreakdownsBySimple holds the one pass of breakdowns to
// simpleBreakdowns, a pass a breakdown: on lines of a few providers,
// customers, zones and components, empty ids and ids with a NUL among
// them, in runs and not, over several months, of amounts of two to four
// decimals and of more digits than an int64 holds, with factors and
// divisors of every kind; the lines cut into parts of 1 to 7 lines and
// added up on 1 to 4 workers, or in one part, and the rows' changes made
// 1 or 3 rows a core, or all on one. Ownerships differ by side and
// month.
func TestBreakdownsBySimple(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pick := func(names ...string) *rapid.Generator[string] { return rapid.SampledFrom(names) }
		provider := pick("p1", "p2", "", "p\x00", "egen")
		customer := pick("k1", "k2", "k10", "", "k\x00x")
		zone := pick("tätort", "landsbygd", "")
		component := pick("sol", "hsl", "", "c\x00")
		amount := rapid.Custom(func(t *rapid.T) reimbursement.Amount {
			switch rapid.IntRange(0, 9).Draw(t, "amount kind") {
			case 0:
				return roundAmt(fmt.Sprintf("%d123456789012345678.%02d", rapid.IntRange(1, 9).Draw(t, "big"), rapid.IntRange(0, 99).Draw(t, "öre")))
			case 1:
				return roundAmt(fmt.Sprintf("%d.%04d", rapid.IntRange(-500, 500).Draw(t, "kr"), rapid.IntRange(0, 9999).Draw(t, "frac")))
			}
			return roundAmt(fmt.Sprintf("%d.%02d", rapid.IntRange(-5000, 5000).Draw(t, "kr"), rapid.IntRange(0, 99).Draw(t, "öre")))
		})
		periods := []string{"2024-02", "2024-03", "2024-04"}
		settlements := func(label string) []*reimbursement.Settlement {
			var ss []*reimbursement.Settlement
			for m := range rapid.IntRange(0, 3).Draw(t, label+" months") {
				s := &reimbursement.Settlement{Period: periods[m]}
				for _, p := range []string{"p1", "p2", "egen"} {
					s.Providers = append(s.Providers, reimbursement.ProviderTotal{Provider: p, Name: p + " " + label,
						Ownership: models.Ownership(rapid.IntRange(0, 2).Draw(t, "ownership"))})
				}
				var l reimbursement.Line
				for range rapid.IntRange(0, 40).Draw(t, label+" lines") {
					// Often the line before's provider, customer and zone.
					if l.Period == "" || rapid.IntRange(0, 2).Draw(t, "new run") == 0 {
						l.Provider, l.Customer, l.Zone = provider.Draw(t, "provider"), customer.Draw(t, "customer"), zone.Draw(t, "zone")
					}
					l.Period, l.Component = s.Period, component.Draw(t, "component")
					l.Quantity = roundAmt(rapid.SampledFrom([]string{"7", "90", "2.5", "4793.60", "12345678901234567890"}).Draw(t, "quantity"))
					l.Rate = roundAmt(rapid.SampledFrom([]string{"448", "414.80", "6.5", "0"}).Draw(t, "rate"))
					l.Factor = nil
					if f := rapid.SampledFrom([]string{"", "0.5", "0.3333"}).Draw(t, "factor"); f != "" {
						a := roundAmt(f)
						l.Factor = &a
					}
					l.Divisor = rapid.SampledFrom([]int64{0, 1, 60, 100, 29, 30, 31}).Draw(t, "divisor")
					l.Amount = amount.Draw(t, "amount")
					s.Lines = append(s.Lines, l)
				}
				ss = append(ss, s)
			}
			return ss
		}
		c := &Report{BaseSettlements: settlements("base"), ProposedSettlements: settlements("proposed")}
		for _, p := range periods {
			c.Months = append(c.Months, Change{Key: p})
		}
		want := &Report{BaseSettlements: c.BaseSettlements, ProposedSettlements: c.ProposedSettlements, Months: slices.Clone(c.Months)}
		simpleBreakdowns(want)
		defer func(n, m int) { partLines, minChunk = n, m }(partLines, minChunk)
		partLines = rapid.SampledFrom([]int{1, 2, 7, 4096}).Draw(t, "part lines")
		minChunk = rapid.SampledFrom([]int{1, 3, 512}).Draw(t, "rows a core")
		c.breakdowns(rapid.IntRange(1, 4).Draw(t, "workers"))
		if d := gocmp.Diff(want, c, gocmp.AllowUnexported(Report{})); d != "" {
			t.Fatalf("breakdowns (-simple +one pass):\n%s", d)
		}
	})
}

// TestRecordCounterByUnpaidRecords holds recordCounter, which counts the
// records of every reason in one pass, to reimbursement.UnpaidRecords of
// each reason's entries, month by month: on entries of a few kinds, ids,
// items and versions, over up to three months, decision items among them
// reported once or more for a version; with its own hash, and with one
// hash for every record.
func TestRecordCounterByUnpaidRecords(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		reasons := []reimbursement.Reason{reimbursement.AboveCap, reimbursement.NotApproved, reimbursement.NoTariff, reimbursement.Implausible}
		months := make([][]reimbursement.Unpaid, rapid.IntRange(1, 3).Draw(t, "months"))
		for i := range months {
			for range rapid.IntRange(0, 30).Draw(t, "entries") {
				u := reimbursement.Unpaid{Kind: reimbursement.RecordKind(rapid.IntRange(1, 3).Draw(t, "kind")),
					ID:      rapid.SampledFrom([]string{"a", "b", "c", ""}).Draw(t, "id"),
					Item:    rapid.SampledFrom([]string{"", "", "sol", "hsl"}).Draw(t, "item"),
					Version: rapid.SampledFrom([]string{"v1", "v2"}).Draw(t, "version"),
					Reason:  rapid.SampledFrom(reasons).Draw(t, "reason")}
				months[i] = append(months[i], u)
			}
		}
		x := newRecordCounter(months)
		if rapid.Bool().Draw(t, "colliding") {
			// Every record of one hash: told apart by their keys alone.
			x.hash = func(reasonRecord) uint64 { return 7 }
		}
		for i := range months {
			for j := range months[i] {
				x.add(i, j)
			}
		}
		got := x.byReason()
		for _, r := range reasons {
			of := make([][]reimbursement.Unpaid, len(months))
			for i, m := range months {
				for _, u := range m {
					if u.Reason == r {
						of[i] = append(of[i], u)
					}
				}
			}
			if want := reimbursement.UnpaidRecords(of...); got[r] != want {
				t.Fatalf("%s: %d records, UnpaidRecords %d", r, got[r], want)
			}
		}
	})
}

// TestLargestBySort holds largest, which picks the n largest changes in
// one pass, to sorting every customer by absolute difference, largest
// first, ties by id (as it was first written), and taking the first n
// up to the first without a change: on differences with ties, zeros,
// signs, scales and more digits than an int64 holds, n from 0 past the
// customers.
func TestLargestBySort(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		diff := rapid.SampledFrom([]string{"0", "0.00", "1.00", "-1.00", "1", "-2.50", "2.5", "0.01", "-0.01", "123456789012345678901.5", "-123456789012345678901.5"})
		c := &Report{}
		for i := range rapid.IntRange(0, 30).Draw(t, "customers") {
			d := dec(diff.Draw(t, "difference"))
			c.Customers = append(c.Customers, Change{Key: fmt.Sprintf("k%02d", i), Difference: reimbursement.AmountOf(d)})
		}
		n := rapid.IntRange(0, 35).Draw(t, "n")
		order := slices.Clone(c.Customers)
		slices.SortStableFunc(order, func(a, b Change) int {
			return cmp.Or(b.Difference.Abs().Cmp(a.Difference.Abs()), strings.Compare(a.Key, b.Key))
		})
		var want []string
		for _, ch := range order[:min(n, len(order))] {
			if ch.Difference.IsZero() {
				break
			}
			want = append(want, ch.Key)
		}
		c.largest(n, &breakdown{})
		var got []string
		for _, d := range c.Largest {
			got = append(got, d.Key)
		}
		if d := gocmp.Diff(want, got); d != "" {
			t.Fatalf("largest %d (-sorted +picked):\n%s", n, d)
		}
	})
}
