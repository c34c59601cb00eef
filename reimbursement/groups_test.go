package reimbursement

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
)

// TestSameGroupImpliesKey: a quantity sameGroup puts in a group has the
// group's key, whatever its rate and factor (one decimal, an equal one
// written otherwise, another) and its band, in groups by band or not.
func TestSameGroupImpliesKey(t *testing.T) {
	rates := []decimal.Decimal{decimal.RequireFromString("448"), decimal.RequireFromString("448.00"),
		decimal.RequireFromString("448"), decimal.RequireFromString("0.5"), {}}
	rapid.Check(t, func(t *rapid.T) {
		g := &groups{byBand: rapid.Bool().Draw(t, "byBand")}
		kinds, cats := []LineKind{KindPlain, KindDeclined}, []models.Category{models.Care, models.Service}
		zones, bands := []string{"tätort", "landsbygd"}, []string{"dag", "natt", ""}
		rate := func(name string) decimal.Decimal { return rates[rapid.IntRange(0, len(rates)-1).Draw(t, name)] }
		// f is drawn whole, q as f with some of its fields drawn anew.
		var f, q quantity
		for i, p := range []*quantity{&f, &q} {
			anew := func(field string) bool { return i == 0 || rapid.Bool().Draw(t, "new"+field) }
			if i == 1 {
				q = f
			}
			if anew("Kind") {
				p.Kind = rapid.SampledFrom(kinds).Draw(t, "kind")
			}
			if anew("Category") {
				p.Category = rapid.SampledFrom(cats).Draw(t, "category")
			}
			if anew("Zone") {
				p.Zone = rapid.SampledFrom(zones).Draw(t, "zone")
			}
			if anew("Band") {
				p.Band = rapid.SampledFrom(bands).Draw(t, "band")
			}
			if anew("Rate") {
				p.Rate = rate("rate")
			}
			if anew("Factor") {
				p.Factor, p.Scaled = decimal.Decimal{}, false
				if rapid.Bool().Draw(t, "scaled") {
					p.scale(rate("factor"))
				}
			}
		}
		if g.sameGroup(&q, &f) && g.key(&q) != g.key(&f) {
			t.Fatalf("sameGroup(%+v, %+v), but the keys differ", q, f)
		}
	})
}

// TestCategoryMinutes: the minutes by category add up as a map of them
// does, the categories come in order, and a reset leaves no minute of
// any category behind, over all 256 categories.
func TestCategoryMinutes(t *testing.T) {
	var m categoryMinutes
	rapid.Check(t, func(t *rapid.T) {
		want := map[models.Category]int64{}
		var total int64
		for range rapid.IntRange(0, 40).Draw(t, "adds") {
			c := models.Category(rapid.IntRange(0, 255).Draw(t, "category"))
			n := rapid.Int64Range(0, 1e6).Draw(t, "minutes")
			m.add(c, n)
			want[c] += n
			total += n
		}
		if got := m.sum(); got != total {
			t.Fatalf("sum %d, want %d", got, total)
		}
		last := -1
		for c := range m.used.each {
			if int(c) <= last || want[c] != m.by[c] {
				t.Fatalf("category %d (after %d): %d minutes, want %d", c, last, m.by[c], want[c])
			}
			last = int(c)
			delete(want, c)
		}
		if len(want) > 0 {
			t.Fatalf("categories not yielded: %v", want)
		}
		m.reset()
		if m != (categoryMinutes{}) {
			t.Fatal("reset left minutes or categories behind")
		}
	})
}
