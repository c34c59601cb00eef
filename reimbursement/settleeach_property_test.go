package reimbursement_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// SettleEach of a shuffled generated dataset gives, for each book and
// month, the bytes Settle gives of the dataset in its order: the books a
// month split between two versions on a drawn day, the mixed tariff and
// its partial variant; the months the dataset's, the one before it and
// the same month in another location, in a drawn order (the first
// settlement puts each case's records in order for all of them; see
// SettleEach). A visit copied at the same start makes visits of one
// start, whose duplicates each settlement looks for.
func TestPropertySettleEachAsSettle(t *testing.T) {
	src, err := os.ReadFile("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	first, err := reimbursement.ParseVersion(strings.NewReader(string(src)), "mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	books := []*reimbursement.Book{load(t, "mixed.json"), partialBook(t)}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		p := genPeriod(t)
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 4}).Draw(t, "dataset")
		if n := len(ds.Visits); n > 0 {
			v := ds.Visits[rapid.IntRange(0, n-1).Draw(t, "copied visit")]
			v.ID += "-kopia"
			ds.Visits = append(ds.Visits, v)
		}
		from := calendar.NewDate(p.Year, p.Month, rapid.IntRange(2, p.Days()).Draw(t, "split day"))
		doc := strings.Replace(strings.Replace(string(src), `"valid_from": "2024-01-01"`, `"valid_from": "`+from.String()+`"`, 1),
			`"name": "Blandad 2024"`, `"name": "Blandad 2024b"`, 1)
		second, err := reimbursement.ParseVersion(strings.NewReader(doc), "mixed-b.json")
		if err != nil {
			t.Fatal(err)
		}
		split, err := reimbursement.NewBook(first, second)
		if err != nil {
			t.Fatal(err)
		}
		bs := append([]*reimbursement.Book{split}, books...)
		elsewhere, _ := calendar.Month(p.Year, p.Month, rapid.SampledFrom([]*time.Location{time.UTC, tokyo}).Draw(t, "location"))
		before, _ := calendar.Month(p.Year, p.Month-1, p.Location)
		periods := rapid.SampledFrom([][]calendar.Period{{elsewhere, p}, {p, elsewhere}, {before, p}, {elsewhere, before, p}}).Draw(t, "months")
		opts := reimbursement.Options{NoExplain: rapid.Bool().Draw(t, "no explanations"), Workers: rapid.IntRange(1, 3).Draw(t, "workers")}
		out, err := reimbursement.SettleEach(t.Context(), bs, tarifftest.Shuffled(t, ds), periods, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range bs {
			for j, q := range periods {
				want, err := reimbursement.Settle(t.Context(), b, ds, q, opts)
				if err != nil {
					t.Fatal(err)
				}
				var x, y bytes.Buffer
				if err := want.WriteJSON(&x); err != nil {
					t.Fatal(err)
				}
				if err := out[i][j].WriteJSON(&y); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(x.Bytes(), y.Bytes()) {
					t.Fatalf("book %d, %s in %s: SettleEach of the shuffled dataset is not Settle's of it in order", i, q, q.Location)
				}
			}
		}
	})
}
