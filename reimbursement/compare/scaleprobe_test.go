package compare

// Scale probes of compare.Run and fee.Fees. Run one at a time:
//
//	SCALE_PROBE=1 go test ./reimbursement/compare -run 'TestScaleProbe/NAME' -v -timeout 120s

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

const scaleBudget = 8 * time.Second

func probeSizes(def ...int) []int {
	s := os.Getenv("PROBE_SIZES")
	if s == "" {
		return def
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func runProbe(t *testing.T, name string, sizes []int, setup func(n int) func()) {
	t.Helper()
	var prevDur time.Duration
	var prevBytes uint64
	prevN := 0
	for _, n := range sizes {
		op := setup(n)
		runtime.GC()
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		t0 := time.Now()
		op()
		dur := time.Since(t0)
		runtime.ReadMemStats(&b)
		bytesAlloc, allocs := b.TotalAlloc-a.TotalAlloc, b.Mallocs-a.Mallocs
		ratio := ""
		if prevDur > 0 {
			ratio = fmt.Sprintf("  time x%.2f, bytes x%.2f for n x%.2f", float64(dur)/float64(prevDur),
				float64(bytesAlloc)/float64(max(prevBytes, 1)), float64(n)/float64(prevN))
		}
		t.Logf("PROBE %-24s n=%-7d %10.3f ms %12d B %10d allocs%s", name, n, float64(dur.Microseconds())/1000, bytesAlloc, allocs, ratio)
		prevDur, prevBytes, prevN = dur, bytesAlloc, n
		if dur > scaleBudget {
			t.Logf("PROBE %-24s stopped: over the budget of %s", name, scaleBudget)
			break
		}
	}
}

func TestScaleProbe(t *testing.T) {
	if os.Getenv("SCALE_PROBE") == "" {
		t.Skip("scale probes: set SCALE_PROBE=1 (and PROBE_SIZES) to run")
	}
	const perf = `{"name": "städ", "strategy": "performed_time", "when": "category == \"service\"", "rate": "400", "params": {"require_decision": false}}`
	// One customer with n providers, a visit with each: compare.Run's
	// placeCustomers looks each line's provider up in the customer's
	// list of providers.
	providers := func(n int) *models.Dataset {
		ds := data()
		ds.Providers = nil
		s := time.Date(2024, 4, 2, 10, 0, 0, 0, stockholm)
		for i := range n {
			p := fmt.Sprintf("p%07d", i)
			ds.Providers = append(ds.Providers, models.Provider{ID: p, Name: p, Ownership: models.Private})
			st := s.Add(time.Duration(i) * time.Second)
			ds.Visits = append(ds.Visits, models.Visit{ID: fmt.Sprintf("v%07d", i), Customer: "k1", Provider: p, Start: st,
				End: st.Add(20 * time.Minute), Tasks: []string{"Städ"}, Role: models.CareStaff, Approved: true})
		}
		return ds
	}
	t.Run("compare_providers", func(t *testing.T) {
		b := mustBook(t, doc(perf))
		runProbe(t, "compare_providers", probeSizes(5000, 10000, 20000, 40000), func(n int) func() {
			ds := providers(n)
			return func() {
				if _, err := Run(context.Background(), Side{Name: "a", Book: b, Data: ds}, Side{Name: "b", Book: b, Data: ds},
					[]calendar.Period{april2024}, Options{Workers: 1}); err != nil {
					t.Fatal(err)
				}
			}
		})
	})
	// The two settlements alone, for contrast.
	t.Run("settle_providers_twice", func(t *testing.T) {
		b := mustBook(t, doc(perf))
		runProbe(t, "settle_providers_twice", probeSizes(5000, 10000, 20000, 40000), func(n int) func() {
			ds := providers(n)
			return func() {
				for range 2 {
					if _, err := reimbursement.Settle(context.Background(), b, ds, april2024, reimbursement.Options{Workers: 1}); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	})
	// fee.Fees: a decision of n items and n absences of its customer.
	t.Run("fees_items_x_absences", func(t *testing.T) {
		fs, err := fee.Read(strings.NewReader(haboFees))
		if err != nil {
			t.Fatal(err)
		}
		runProbe(t, "fees_items_x_absences", probeSizes(500, 1000, 2000, 4000), func(n int) func() {
			ds := fixture.ItemsAbsences(n)
			return func() {
				if _, err := fs.Fees(ds, april2024); err != nil {
					t.Fatal(err)
				}
			}
		})
	})
}
