package reimbursement

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
	"github.com/shopspring/decimal"
)

// benchDataset generates a month the size of a large municipality (see
// fixture.Month).
func benchDataset(customers, visitsPerCustomer int) *models.Dataset {
	return fixture.Month(customers, visitsPerCustomer)
}

// BenchmarkSettle settles a generated month of 1,000,000 visits (20,000
// customers × 50) under the mixed test tariff, which uses every strategy,
// and, in the same run and on the same month, two yardsticks:
//
//   - floor: the least work any settlement must do — per approved visit,
//     the zone and an öre rate looked up, minutes × rate accumulated in
//     int64 per (provider, customer, category) in a map;
//   - peer: the straightforward hand-written decimal program — the same
//     loop aggregating integer minutes, then one decimal multiply, divide
//     and round per line.
//
// Each reports ns, allocations and bytes per visit, and allocations per
// line of its output (the yardsticks' lines are their map entries); bulk
// and explained also report their ratio to both yardsticks (x-peer,
// x-floor), measured in the same process on the same month: with -count,
// Go runs each sub-benchmark that many times in a row, and a ratio divides
// by the yardstick's last run. A third run of the engine, bulk-peer-tariff,
// settles the month under the peer's own tariff (testdata/peer.json),
// whose lines equal the peer's to the öre (TestEngineAgreesWithPeer): its
// ratio is the engine's cost for the peer's arithmetic, the tariff's many
// strategies aside. Run with -count 3: the machine is noisy.
func BenchmarkSettle(b *testing.B) {
	v, err := LoadVersion(os.DirFS("testdata"), "mixed.json")
	if err != nil {
		b.Fatal(err)
	}
	book, _ := NewBook(v)
	pv, err := LoadVersion(os.DirFS("testdata"), "peer.json")
	if err != nil {
		b.Fatal(err)
	}
	peerBook, _ := NewBook(pv)
	const customers, perCustomer = 20000, 50
	ds := benchDataset(customers, perCustomer)
	visits := float64(len(ds.Visits))
	var floor, peer float64 // ns per visit of the yardsticks in this run
	perVisit := func(b *testing.B, name string, run func() int) float64 {
		var ns float64
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			n, lines := 0, 0
			for b.Loop() {
				lines = run()
				n++
			}
			runtime.ReadMemStats(&after)
			ns = float64(b.Elapsed().Nanoseconds()) / float64(n) / visits
			b.ReportMetric(ns, "ns/visit")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n)/visits, "allocs/visit")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n)/visits, "B/visit")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n)/float64(max(1, lines)), "allocs/line")
			if peer > 0 && floor > 0 {
				b.ReportMetric(ns/peer, "x-peer")
				b.ReportMetric(ns/floor, "x-floor")
			}
		})
		return ns
	}
	y := newYardstick(ds)
	floor = perVisit(b, "floor", func() int { return len(y.floor()) })
	peer = perVisit(b, "peer", func() int { return len(y.peer()) })
	for _, bc := range []struct {
		name string
		book *Book
		opts Options
	}{
		{"bulk", book, Options{NoExplain: true}},
		{"explained", book, Options{}},
		{"bulk-peer-tariff", peerBook, Options{NoExplain: true}},
	} {
		perVisit(b, bc.name, func() int {
			s, err := Settle(context.Background(), bc.book, ds, april2024, bc.opts)
			if err != nil {
				b.Fatal(err)
			}
			return len(s.Lines)
		})
	}
}

// yardstick holds what the hand-written programs of BenchmarkSettle need,
// prepared once: the category of each task and the hourly rate in öre and
// as a decimal by category and zone (the mixed tariff's timpris table).
type yardstick struct {
	visits   []models.Visit
	zone     map[string]string
	category map[string]models.Category
	öre      map[[2]string]int64
	rate     map[[2]string]decimal.Decimal
}

type yardKey struct {
	provider, customer string
	category           models.Category
}

func newYardstick(ds *models.Dataset) *yardstick {
	y := &yardstick{visits: ds.Visits, zone: map[string]string{}, category: map[string]models.Category{},
		öre: map[[2]string]int64{}, rate: map[[2]string]decimal.Decimal{}}
	for _, c := range ds.Customers {
		y.zone[c.ID] = c.Zone
	}
	for _, t := range ds.Tasks {
		y.category[t.Local] = t.Category
	}
	for cat, byZone := range map[string][2]string{"service": {"439.00", "470.00"}, "care": {"448.00", "480.00"},
		"delegated_hsl": {"448.00", "448.00"}, "home_health_care": {"520.00", "520.00"}, "alarm": {"300.00", "300.00"}} {
		for i, zone := range []string{"tätort", "landsbygd"} {
			r := decimal.RequireFromString(byZone[i])
			y.rate[[2]string{cat, zone}] = r
			y.öre[[2]string{cat, zone}] = r.Shift(2).IntPart()
		}
	}
	return y
}

// minutes is a visit's approved minutes, rounded to the nearest minute;
// 0 for a visit that is not paid.
func (y *yardstick) minutes(v *models.Visit) int64 {
	if !v.Approved || v.Declined || len(v.Tasks) == 0 {
		return 0
	}
	return int64((v.End.Sub(v.Start) + 30*time.Second) / time.Minute)
}

// floor accumulates minutes × öre rate in int64 per line.
func (y *yardstick) floor() map[yardKey]int64 {
	acc := map[yardKey]int64{}
	for i := range y.visits {
		v := &y.visits[i]
		m := y.minutes(v)
		if m == 0 {
			continue
		}
		cat := y.category[v.Tasks[0]]
		acc[yardKey{v.Provider, v.Customer, cat}] += m * y.öre[[2]string{cat.String(), y.zone[v.Customer]}]
	}
	return acc
}

// peer aggregates integer minutes per line, then prices each line with
// one decimal multiply, divide and round.
func (y *yardstick) peer() map[yardKey]decimal.Decimal {
	minutes := map[yardKey]int64{}
	for i := range y.visits {
		v := &y.visits[i]
		if m := y.minutes(v); m > 0 {
			minutes[yardKey{v.Provider, v.Customer, y.category[v.Tasks[0]]}] += m
		}
	}
	out := make(map[yardKey]decimal.Decimal, len(minutes))
	sixty := decimal.NewFromInt(60)
	for k, m := range minutes {
		rate := y.rate[[2]string{k.category.String(), y.zone[k.customer]}]
		out[k] = decimal.NewFromInt(m).Mul(rate).DivRound(sixty, 2)
	}
	return out
}
