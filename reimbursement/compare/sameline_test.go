package compare

import (
	"bytes"
	"encoding/json"
	"testing"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// sameLine compares two lines' fields where they are equal (each
// amount's text the same), and writes them out otherwise: for any two
// lines drawn from a few values of each field, amounts of one value at
// other decimals among them ("1.5", "1.50"), it says what comparing
// their JSON without explanations says, and the fields it compares say
// equal only of lines whose JSON is equal.
func TestSameLineAsJSON(t *testing.T) {
	amounts := []string{"1.5", "1.50", "15", "0", "0.00", "-2.25", "448.00", "1E+1"}
	draw := func(t *rapid.T, name string) reimbursement.Line {
		pick := func(label string, values ...string) string { return rapid.SampledFrom(values).Draw(t, name+"."+label) }
		amount := func(label string) reimbursement.Amount {
			return reimbursement.AmountOf(dec(pick(label, amounts...)))
		}
		l := reimbursement.Line{Period: pick("period", "2024-04", "2024-05"), Provider: pick("provider", "p1", "p2"),
			Customer: pick("customer", "k1", "k2"), Version: pick("version", "v1"), Component: pick("component", "omsorg", "service"),
			Label: pick("label", "", "Omsorg"), Kind: rapid.SampledFrom([]reimbursement.LineKind{reimbursement.KindPlain, reimbursement.KindDeclined}).Draw(t, name+".kind"),
			Category: rapid.SampledFrom([]models.Category{models.Care, models.Service}).Draw(t, name+".category"),
			Zone:     pick("zone", "tätort", "landsbygd"), Band: pick("band", "", "dag"), Quantity: amount("quantity"), Rate: amount("rate"),
			RateUnit: pick("rate_unit", "kr/h"), Divisor: rapid.SampledFrom([]int64{1, 60}).Draw(t, name+".divisor"), Amount: amount("amount")}
		if rapid.Bool().Draw(t, name+".scaled") {
			f := amount("factor")
			l.Factor = &f
		}
		for i := range rapid.IntRange(0, 2).Draw(t, name+".units") {
			l.Units = append(l.Units, reimbursement.UnitRef{Kind: reimbursement.RecordVisit, ID: pick("unit", "b1", "b2"),
				Minutes: int64(rapid.IntRange(0, 1).Draw(t, name+".minutes")) * int64(i+1)})
		}
		if rapid.Bool().Draw(t, name+".explained") {
			l.Explanation = &reimbursement.Explanation{Formula: pick("formula", "a", "b")}
		}
		return l
	}
	rapid.Check(t, func(t *rapid.T) {
		a := draw(t, "a")
		b := a
		switch rapid.IntRange(0, 2).Draw(t, "b") {
		case 1: // another line
			b = draw(t, "b")
		case 2: // another amount, perhaps the same value at other decimals
			b.Amount = reimbursement.AmountOf(dec(rapid.SampledFrom(amounts).Draw(t, "b.amount")))
		}
		ja, jb := a, b
		ja.Explanation, jb.Explanation = nil, nil
		x, err := json.Marshal(ja)
		if err != nil {
			t.Fatal(err)
		}
		y, err := json.Marshal(jb)
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.Equal(x, y)
		if got := sameLine(a, b); got != want {
			t.Fatalf("sameLine %v, JSON equal %v:\n%s\n%s", got, want, x, y)
		}
		if sameFields(&a, &b) && !want {
			t.Fatalf("the fields compared equal, the JSON not:\n%s\n%s", x, y)
		}
	})
}
