package reimbursement

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestVisitMemoIntern holds a visitMemo's numbering to a map's: equal
// environments get one number, different ones different numbers, over
// pools of environments whose prints collide (they differ only in the
// customer, which the print leaves out) and through the memo's clearing
// when full.
func TestVisitMemoIntern(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := &Version{components: make([]*Component, rapid.IntRange(0, 3).Draw(t, "components"))}
		m := (&evaluator{}).memo(v)
		pool := rapid.IntRange(1, 3000).Draw(t, "pool")
		want := map[visitEnv]int32{}
		for i := range rapid.IntRange(1, 5000).Draw(t, "n") {
			if rapid.IntRange(0, 500).Draw(t, "room") == 0 {
				m.room(maxMemo) // clears it
				clear(want)
			}
			k := rapid.IntRange(0, pool-1).Draw(t, "env")
			e := visitEnv{baseEnv: baseEnv{Customer: fmt.Sprintf("k%04d", k/7)}, Band: []string{"dag", "kväll", "natt"}[k%3],
				Staff: 1 + k%7/3}
			id := m.intern(&e, envPrint(&e))
			if w, ok := want[e]; ok && w != id {
				t.Fatalf("step %d: %+v numbered %d, before %d", i, e, id, w)
			}
			if !sameVisitEnv(&m.envs[id], &e) {
				t.Fatalf("step %d: number %d is %+v, not %+v", i, id, m.envs[id], e)
			}
			want[e] = id
			if len(m.res) != len(m.envs)*m.progs {
				t.Fatalf("%d results for %d environments of %d programs", len(m.res), len(m.envs), m.progs)
			}
		}
		seen := map[int32]bool{}
		for _, id := range want {
			if seen[id] {
				t.Fatalf("number %d given to two environments", id)
			}
			seen[id] = true
		}
	})
}
