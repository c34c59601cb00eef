package reimbursement

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// SettleEach gives, for each book and period, the bytes Settle gives,
// the dataset validated once: two tariffs (the mixed test tariff and the
// peer's) over March and April 2024, a month of 40 customers' April
// visits (March's settlements report them outside the period).
func TestSettleEachAsSettle(t *testing.T) {
	peerVersion, err := LoadVersion(os.DirFS("testdata"), "peer.json")
	if err != nil {
		t.Fatal(err)
	}
	peer, err := NewBook(peerVersion)
	if err != nil {
		t.Fatal(err)
	}
	books := []*Book{mixedBook(t), peer}
	march, err := calendar.Month(2024, time.March, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	periods := []calendar.Period{march, april2024}
	ds := benchDataset(40, 6)
	// Out of order, and with duplicates, which the settlements of every
	// book and month find as Settle does, though only the first puts the
	// records in order (see dataIndex).
	slices.Reverse(ds.Visits)
	for i := range 3 {
		v := ds.Visits[i*5]
		v.ID += "-dubblett"
		ds.Visits = append(ds.Visits, v)
	}
	for _, opts := range []Options{{}, {NoExplain: true, Workers: 1}} {
		out, err := SettleEach(t.Context(), books, ds, periods, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != len(books) {
			t.Fatalf("%d books' settlements, want %d", len(out), len(books))
		}
		for i, b := range books {
			if len(out[i]) != len(periods) {
				t.Fatalf("book %d: %d settlements, want %d", i, len(out[i]), len(periods))
			}
			for j, p := range periods {
				want, err := Settle(t.Context(), b, ds, p, opts)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(jsonOf(t, want), jsonOf(t, out[i][j])); diff != "" {
					t.Errorf("book %d, %s (-Settle +SettleEach):\n%s", i, p, diff)
				}
			}
		}
	}
}

// An invalid dataset gives Settle's errors and no settlement; so does
// every argument Settle refuses; no book or no period validates the
// dataset and settles nothing.
func TestSettleEachRefuses(t *testing.T) {
	book := mixedBook(t)
	ds := benchDataset(5, 3)
	bad := withUnknownTask(ds)
	_, want := Settle(t.Context(), book, bad, april2024, Options{})
	out, err := SettleEach(t.Context(), []*Book{book, book}, bad, []calendar.Period{april2024}, Options{})
	if want == nil || err == nil || err.Error() != want.Error() || len(out[0])+len(out[1]) != 0 {
		t.Errorf("invalid dataset: %v with %v, want Settle's %v and none", err, out, want)
	}
	if out, err := SettleEach(t.Context(), nil, bad, []calendar.Period{april2024}, Options{}); err == nil || len(out) != 0 {
		t.Errorf("no book, invalid dataset: %v, %v", out, err)
	}
	if out, err := SettleEach(t.Context(), []*Book{book}, ds, nil, Options{}); err != nil || len(out) != 1 || len(out[0]) != 0 {
		t.Errorf("no period: %v, %v; want one book's empty list", out, err)
	}
	for name, err := range map[string]error{
		"nil context": func() error {
			//lint:ignore SA1012 the nil context is the point
			_, err := SettleEach(nil, []*Book{book}, ds, []calendar.Period{april2024}, Options{})
			return err
		}(),
		"nil book": func() error {
			_, err := SettleEach(t.Context(), []*Book{book, nil}, ds, []calendar.Period{april2024}, Options{})
			return err
		}(),
		"nil dataset": func() error {
			_, err := SettleEach(t.Context(), []*Book{book}, nil, []calendar.Period{april2024}, Options{})
			return err
		}(),
		"bad period": func() error {
			_, err := SettleEach(t.Context(), []*Book{book}, ds, []calendar.Period{april2024, {Year: 2024, Month: 13}}, Options{})
			return err
		}(),
		"bad options": func() error {
			_, err := SettleEach(t.Context(), []*Book{book}, ds, []calendar.Period{april2024}, Options{Workers: -1})
			return err
		}(),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := SettleEach(ctx, []*Book{book}, ds, []calendar.Period{april2024}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// The first error stops the run, period by period and book by book, and
// the settlements before it are returned: a book whose caps do not settle
// (see TestCapsThatDoNotSettle) after a sound one, over March and April,
// fails in April, after the sound book's April: two settlements of the
// first, one (March) of the second.
func TestSettleEachStopsAtTheFirstError(t *testing.T) {
	first, second, ds := fixture.CapsThatDoNotSettle()
	unsettled := mustBook(t, first, second)
	sound := mustBook(t, doc(fixture.CapComponent("a", "Dusch", "")+", "+fixture.CapComponent("b", "Tillsyn", "")))
	march, err := calendar.Month(2024, time.March, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	out, err := SettleEach(t.Context(), []*Book{sound, unsettled}, ds, []calendar.Period{march, april2024}, Options{})
	if !errors.Is(err, ErrUnsettled) {
		t.Fatalf("%v, want ErrUnsettled", err)
	}
	if len(out) != 2 || len(out[0]) != 2 || len(out[1]) != 1 {
		t.Fatalf("settlements by book: %d and %d, want 2 and 1", len(out[0]), len(out[1]))
	}
	// The sound book's April: Dusch 100 min × 600 ÷ 60 = 1 000.00 and
	// Tillsyn the same: 2 000.00.
	if got := out[0][1].Total.StringFixed(2); got != "2000.00" || !strings.HasPrefix(out[1][0].Period, "2024-03") {
		t.Errorf("sound April total %s, want 2000.00; the second book's one settlement is of %s, want 2024-03", got, out[1][0].Period)
	}
}

// SettleEach indexes the dataset once (see dataIndex), not once a
// settlement: each settlement after the first allocates what settling a
// month of an indexed dataset allocates (its book's month indexed, the
// units, the lines), not the dataset's index again, counted in
// allocations (which no timing affects). On a month of 200 customers,
// 2 000 visits, the dataset's index is about 170 allocations, a
// settlement of it about 5 300; settled under three books, the second
// and third cost a settlement of the index each, where each had made
// the index of its own.
func TestSettleEachIndexesOnce(t *testing.T) {
	book := mixedBook(t)
	ds := benchDataset(200, 10)
	opts := Options{NoExplain: true, Workers: 1}
	each := func(books ...*Book) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := SettleEach(t.Context(), books, ds, []calendar.Period{april2024}, opts); err != nil {
				t.Fatal(err)
			}
		})
	}
	one, three := each(book), each(book, book, book)
	var data *dataIndex
	indexing := testing.AllocsPerRun(3, func() {
		data = &dataIndex{}
		if err := data.index(ds, nil); err != nil {
			t.Fatal(err)
		}
	})
	settling := testing.AllocsPerRun(3, func() {
		if _, err := settleIndexed(t.Context(), indexWith(book, april2024, data), opts); err != nil {
			t.Fatal(err)
		}
	})
	extra := (three - one) / 2
	t.Logf("a book after the first %.0f allocations; the dataset's index %.0f, a settlement of it %.0f", extra, indexing, settling)
	if extra > settling+indexing/2 {
		t.Errorf("a book after the first allocates %.0f, more than a settlement of an indexed dataset (%.0f) and half its index (%.0f): indexed again", extra, settling, indexing)
	}
}
