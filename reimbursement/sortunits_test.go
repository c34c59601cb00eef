package reimbursement

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestSortUnits holds sortUnits, which sorts refs of one kind by six
// bytes of each id after the prefix the line's ids share (packed with
// the ref's position in a uint64), to sorting the refs themselves by
// compareUnits and merging those of one record: on ids drawn from pieces
// that make shared prefixes shorter and longer than eight bytes, ids that
// are prefixes of others, ids shorter and longer than eight bytes, ids
// that tie in the six bytes and differ after them, and zero bytes (which
// pad a short id's bytes); on refs of one kind and of several (which
// are sorted by comparing them).
func TestSortUnits(t *testing.T) {
	pieces := []string{"k000123-", "kund-0000000001-", "0", "1", "9", "\x00", "\x01", "abcdefgh", "abcdefgi", "abcdeg", "ö", "-", "\xff"}
	var scratch unitScratch // kept from check to check, as a worker keeps it
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "n")
		kinds := []RecordKind{RecordVisit}
		if rapid.Bool().Draw(t, "kinds") {
			kinds = []RecordKind{RecordVisit, RecordDecision, RecordAlarmEvent}
		}
		prefix := rapid.SampledFrom([]string{"", "k000123-", "kund-0000000001-0"}).Draw(t, "prefix")
		refs := make([]UnitRef, n)
		for i := range refs {
			refs[i] = UnitRef{
				Kind:    rapid.SampledFrom(kinds).Draw(t, "kind"),
				ID:      prefix + strings.Join(rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 4).Draw(t, "id"), ""),
				Item:    rapid.SampledFrom([]string{"", "Städ", "Dusch"}).Draw(t, "item"),
				Minutes: rapid.Int64Range(0, 100).Draw(t, "minutes"),
				Days:    rapid.IntRange(0, 3).Draw(t, "days"),
			}
		}
		was := slices.Clone(refs)
		// By hand: sorted by kind, id and item, the refs of a record
		// merged.
		sorted := slices.Clone(refs)
		slices.SortStableFunc(sorted, func(a, b UnitRef) int { return compareUnits(&a, &b) })
		var want []UnitRef
		for _, r := range sorted {
			if k := len(want) - 1; k >= 0 && want[k].Kind == r.Kind && want[k].ID == r.ID && want[k].Item == r.Item {
				want[k].Minutes += r.Minutes
				want[k].Days += r.Days
				continue
			}
			want = append(want, r)
		}
		var dst slab[UnitRef]
		got := sortUnits(&dst, refs, &scratch)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("sortUnits (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(was, refs); diff != "" {
			t.Fatalf("refs changed (-was +now):\n%s", diff)
		}
	})
}

// TestCommonPrefix holds commonPrefix, which compares eight bytes at a
// time, to comparing byte by byte, on texts of pieces that differ at
// every place of a word.
func TestCommonPrefix(t *testing.T) {
	pieces := []string{"a", "b", "abcdefgh", "abcdefgi", "\x00", "ö", "kund-0000000001-"}
	rapid.Check(t, func(t *rapid.T) {
		prefix := strings.Join(rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 4).Draw(t, "prefix"), "")
		a := prefix + strings.Join(rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 4).Draw(t, "a"), "")
		b := prefix + strings.Join(rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 4).Draw(t, "b"), "")
		want := 0
		for want < min(len(a), len(b)) && a[want] == b[want] {
			want++
		}
		if got := commonPrefix(a, b); got != want {
			t.Fatalf("commonPrefix(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}
