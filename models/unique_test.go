package models

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestCheckUniqueMatchesMap: the id table, whole or in parts, reports
// exactly the duplicates a map finds, each naming the first record with
// its id, in the order of the records.
func TestCheckUniqueMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ids := rapid.SliceOfN(rapid.StringMatching(`|[a-c]{1,2}|v[0-9]{1,3}`), 0, 300).Draw(t, "ids")
		id := func(i int) string { return ids[i] }
		var want, got []string
		collect := func(into *[]string) func(string, int, string, error) {
			return func(coll string, i int, id string, err error) {
				*into = append(*into, fmt.Sprintf("%s[%d] %s: %v", coll, i, id, err))
			}
		}
		// Up to 16 parts, so that parts of a few ids, empty ones and
		// one with all the ids are all met.
		partBits := rapid.IntRange(0, 4).Draw(t, "partBits")
		indexIDs(len(ids), id, "visits", collect(&want))
		checkUniqueParts(len(ids), id, "visits", collect(&got), partBits)
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("duplicates differ (-map +table):\n%s", d)
		}
	})
}

// TestUniqueParts: about a thousand ids a part, and no more parts than
// the bits allow.
func TestUniqueParts(t *testing.T) {
	for _, c := range []struct{ n, bits int }{
		{0, 0}, {1, 0}, {1024, 0}, {1025, 1}, {2048, 1}, {2049, 2}, {1 << 20, 10}, {1<<20 + 1, 11}, {1 << 30, 16},
	} {
		if got := uniqueParts(c.n); got != c.bits {
			t.Errorf("uniqueParts(%d) = %d, want %d", c.n, got, c.bits)
		}
	}
}
