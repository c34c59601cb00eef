package models

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestCheckUniqueMatchesMap: the id table reports exactly the
// duplicates a map finds, each naming the first record with its id, in
// the order of the records.
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
		indexIDs(len(ids), id, "visits", collect(&want))
		checkUnique(len(ids), id, "visits", collect(&got))
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("duplicates differ (-map +table):\n%s", d)
		}
	})
}
