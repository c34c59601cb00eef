package reimbursement

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/models"
	"pgregory.net/rapid"
)

// TestSortVisits holds sortVisits to sorting by Time.Compare, then id,
// and to saying when visits share a start (scratch.ties): starts that
// tie, starts in other locations, and starts centuries from the
// reference, where the integer keys saturate and tie. Cases of
// starts within the month alone take the packed keys of sortPacked; a
// start before the reference or centuries away, the general sort.
func TestSortVisits(t *testing.T) {
	ref := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	locs := []*time.Location{time.UTC, time.FixedZone("x", 3600), time.FixedZone("y", -5*3600)}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 60).Draw(t, "n")
		kinds := rapid.IntRange(1, 4).Draw(t, "kinds") // 1, 2: within the month alone
		var visits []*models.Visit
		for range n {
			var at time.Time
			switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
			case 0: // within the month, to the minute: ties
				at = ref.Add(time.Duration(rapid.IntRange(0, 30).Draw(t, "min")) * time.Minute)
			case 1: // within the month, to the nanosecond
				at = ref.Add(time.Duration(rapid.Int64Range(0, int64(720*time.Hour)).Draw(t, "ns")))
			case 2: // centuries away
				at = time.Date(rapid.IntRange(-3000, 9000).Draw(t, "year"), 1, 1, 0, 0, rapid.IntRange(0, 3).Draw(t, "sec"), 0, time.UTC)
			default: // the far ends of time
				at = time.Unix(rapid.Int64Range(-1<<62, 1<<62).Draw(t, "unix"), 0)
			}
			at = at.In(locs[rapid.IntRange(0, len(locs)-1).Draw(t, "loc")])
			visits = append(visits, &models.Visit{ID: fmt.Sprintf("v%02d", rapid.IntRange(0, 99).Draw(t, "id")), Start: at})
		}
		want := slices.Clone(visits)
		slices.SortStableFunc(want, func(a, b *models.Visit) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		got := slices.Clone(visits)
		var scratch visitScratch
		sortVisits(got, ref, &scratch)
		for i := range got {
			if !got[i].Start.Equal(want[i].Start) || got[i].ID != want[i].ID {
				t.Fatalf("position %d: got %s %s, want %s %s", i, got[i].ID, got[i].Start, want[i].ID, want[i].Start)
			}
		}
		// Visits of one start must be looked at for duplicates:
		// scratch.ties is false only when none share a start, whether
		// the visits came sorted or not.
		tied := false
		for i := 1; i < len(want); i++ {
			tied = tied || want[i].Start.Equal(want[i-1].Start)
		}
		if tied && !scratch.ties {
			t.Fatal("visits of one start, and ties is false")
		}
		var again visitScratch
		if sortVisits(slices.Clone(want), ref, &again); tied && !again.ties {
			t.Fatal("visits of one start, given sorted, and ties is false")
		}
		for _, k := range scratch.keys[:cap(scratch.keys)] {
			if k.v != nil {
				t.Fatal("the scratch keeps a visit")
			}
		}
		for _, v := range scratch.visits[:cap(scratch.visits)] {
			if v != nil {
				t.Fatal("the scratch keeps a visit")
			}
		}
	})
}
