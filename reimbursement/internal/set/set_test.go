package set

import (
	"testing"

	"pgregory.net/rapid"
)

// TestSmallMatchesMap holds Small to a map over sequences that revisit
// values, short ones and ones past its eight compared in turn.
func TestSmallMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s Small[int]
		want := map[int]bool{}
		for i, x := range rapid.SliceOfN(rapid.IntRange(0, 30), 0, 60).Draw(t, "values") {
			if got := s.Add(x); got != !want[x] {
				t.Fatalf("Add #%d of %d = %v, want %v", i, x, got, !want[x])
			}
			want[x] = true
		}
	})
}
