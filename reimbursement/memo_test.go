package reimbursement

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestVisitMemoIntern holds a visitMemo's numbering to a map's: equal
// environments get one number, different ones different numbers, over
// pools of environments whose prints collide (they differ only in the
// customer, which the print leaves out) and through resets.
func TestVisitMemoIntern(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := &Version{components: make([]*Component, rapid.IntRange(0, 3).Draw(t, "components"))}
		m := (&evaluator{}).visitMemo(v)
		pool := rapid.IntRange(1, 3000).Draw(t, "pool")
		want := map[visitEnv]int32{}
		for i := range rapid.IntRange(1, 5000).Draw(t, "n") {
			if rapid.IntRange(0, 500).Draw(t, "room") == 0 {
				m.reset()
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
			if len(m.res) != len(m.envs)*m.comps {
				t.Fatalf("%d results for %d environments of %d components", len(m.res), len(m.envs), m.comps)
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

// TestMemoRoom checks the memo's bounds: a case of more environments
// than a quarter of them is not numbered, and a memo that would outgrow
// them is cleared first.
func TestMemoRoom(t *testing.T) {
	v := &Version{components: make([]*Component, 4)}
	m := (&evaluator{}).visitMemo(v)
	if m.room(maxMemoResults/4/4 + 1) {
		t.Fatal("room for more environments than a quarter of the bound")
	}
	const full = maxMemoResults/4/4*3 + 1 // a quarter more does not fit
	for i := range full {
		e := visitEnv{Staff: i}
		if !m.room(1) {
			t.Fatalf("no room for one environment after %d", i)
		}
		m.intern(&e, envPrint(&e))
	}
	if n := len(m.envs); n != full {
		t.Fatalf("%d environments, want %d", n, full)
	}
	if !m.room(maxMemoResults/4/4) || len(m.envs) != 0 || len(m.res) != 0 {
		t.Fatalf("a full memo was not cleared: %d environments, %d results", len(m.envs), len(m.res))
	}
}
