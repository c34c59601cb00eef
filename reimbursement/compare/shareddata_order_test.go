package compare

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// The report does not depend on the order of the records, whether both
// sides share one dataset (reimbursement.SettleEach, which puts each
// case's records in order once for both sides and every month) or each
// has its own: one shuffled dataset shared, and two copies shuffled
// apart, give the bytes of the dataset in order, shared.
func TestRunSharedDataInAnyOrder(t *testing.T) {
	base, proposed := mixedSides(t, 60, 8)
	march, _ := calendar.Month(2024, time.March, stockholm)
	months := []calendar.Period{march, fixture.April2024}
	report := func(b, p Side) string { return reportJSON(t, b, p, months) }
	want := report(base, proposed)
	for seed := range uint64(2) {
		b, p := base, proposed
		b.Data = fixture.Shuffled(base.Data, seed)
		p.Data = b.Data
		if d := cmp.Diff(want, report(b, p)); d != "" {
			t.Errorf("seed %d, one dataset shuffled (-in order +shuffled):\n%s", seed, d)
		}
		p.Data = fixture.Shuffled(base.Data, seed+100)
		if d := cmp.Diff(want, report(b, p)); d != "" {
			t.Errorf("seed %d, copies shuffled apart (-in order +shuffled):\n%s", seed, d)
		}
	}
}
