package reimbursement

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// duplicatesPairwise is duplicates as it was: every pair of visits of one
// start compared field by field, the task lists cloned, trimmed and sorted
// per pair.
func duplicatesPairwise(ci *caseInput, loc *time.Location) []Duplicate {
	same := func(a, b *models.Visit) bool {
		if !a.Start.Equal(b.Start) || !a.End.Equal(b.End) || a.Role != b.Role || a.StaffCount() != b.StaffCount() {
			return false
		}
		norm := func(ts []string) []string {
			out := make([]string, len(ts))
			for i, t := range ts {
				out[i] = strings.TrimSpace(t)
			}
			slices.Sort(out)
			return slices.Compact(out)
		}
		return slices.Equal(norm(a.Tasks), norm(b.Tasks))
	}
	var out []Duplicate
	vs := ci.visits
	used := make([]bool, len(vs))
	for k := range vs {
		if used[k] {
			continue
		}
		ids := []string{vs[k].ID}
		for l := k + 1; l < len(vs); l++ {
			if !used[l] && same(vs[k], vs[l]) {
				used[l] = true
				ids = append(ids, vs[l].ID)
			}
		}
		if len(ids) > 1 {
			slices.Sort(ids)
			out = append(out, Duplicate{Customer: ci.customer.ID, Provider: ci.provider.ID,
				Date: calendar.DateOf(vs[k].Start.In(loc)), Visits: ids})
		}
	}
	slices.SortFunc(out, func(a, b Duplicate) int { return cmp.Or(a.Date.Compare(b.Date), slices.Compare(a.Visits, b.Visits)) })
	return out
}

// Grouping the visits of one start by key finds the duplicates comparing
// every pair finds: visits that differ in end (to the nanosecond), role,
// staff count or tasks (as a set of trimmed codes, with codes that would
// run together if written without their lengths) are not duplicates.
func TestDuplicatesMatchPairwise(t *testing.T) {
	loc := april2024.Location
	base := time.Date(2024, 4, 3, 8, 0, 0, 0, loc)
	var x dupScratch // kept from check to check, as a worker keeps it from case to case
	rapid.Check(t, func(t *rapid.T) {
		ci := &caseInput{customer: &models.Customer{ID: "k1"}, provider: &models.Provider{ID: "egen"}}
		task := rapid.SampledFrom([]string{"Dusch", " Dusch", "a b", "a", "b", "1:a", ""})
		for i := range rapid.IntRange(0, 12).Draw(t, "visits") {
			start := base.Add(time.Duration(rapid.IntRange(0, 1).Draw(t, "start")) * time.Hour)
			end := start.Add(time.Duration(rapid.SampledFrom([]int64{int64(30 * time.Minute), int64(30*time.Minute + 1)}).Draw(t, "length")))
			if rapid.Bool().Draw(t, "other zone") {
				end = end.In(time.UTC) // the same instant written in another zone
			}
			v := &models.Visit{ID: fmt.Sprint("v", i), Customer: "k1", Provider: "egen", Start: start, End: end,
				Role:  models.Role(rapid.IntRange(0, 1).Draw(t, "role")),
				Staff: rapid.IntRange(1, 2).Draw(t, "staff")}
			for range rapid.IntRange(0, 3).Draw(t, "tasks") {
				v.Tasks = append(v.Tasks, task.Draw(t, "task"))
			}
			ci.visits = append(ci.visits, v)
		}
		slices.SortStableFunc(ci.visits, func(a, b *models.Visit) int { return a.Start.Compare(b.Start) })
		if diff := gocmp.Diff(duplicatesPairwise(ci, loc), duplicates(ci, loc, &x)); diff != "" {
			t.Fatalf("(-pairwise +grouped):\n%s", diff)
		}
	})
}

// 20 000 visits of one start, a thousand of each kind: found in one pass
// (pairwise, 40 000 took 16 s).
func TestDuplicatesManySameStart(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	loc := april2024.Location
	start := time.Date(2024, 4, 3, 8, 0, 0, 0, loc)
	ci := &caseInput{customer: &models.Customer{ID: "k1"}, provider: &models.Provider{ID: "egen"}}
	for i := range n {
		ci.visits = append(ci.visits, &models.Visit{ID: fmt.Sprintf("v%06d", i), Start: start,
			End: start.Add(time.Duration(1+i%20) * time.Minute), Tasks: []string{"Dusch"}, Role: models.CareStaff})
	}
	got := duplicates(ci, loc, &dupScratch{})
	if len(got) != 20 {
		t.Fatalf("%d duplicates, want 20 (one per length)", len(got))
	}
	for _, d := range got {
		if len(d.Visits) != n/20 {
			t.Errorf("%d visits in %v..., want %d", len(d.Visits), d.Visits[:2], n/20)
		}
	}
}

// Tasks are compared as sets of trimmed codes: the order and repeats of
// a list do not count, and two codes are not one code with a space.
func TestDuplicatesTaskSets(t *testing.T) {
	loc := april2024.Location
	start := time.Date(2024, 4, 3, 8, 0, 0, 0, loc)
	ci := &caseInput{customer: &models.Customer{ID: "k1"}, provider: &models.Provider{ID: "egen"}}
	for i, tasks := range [][]string{{"a b"}, {"a", "b"}, {"b", " a", "b"}, {"1:a"}, {"1:a", "1:a"}} {
		ci.visits = append(ci.visits, &models.Visit{ID: fmt.Sprint("v", i), Start: start, End: start.Add(time.Hour), Tasks: tasks})
	}
	want := []Duplicate{
		{Customer: "k1", Provider: "egen", Date: calendar.MustParseDate("2024-04-03"), Visits: []string{"v1", "v2"}},
		{Customer: "k1", Provider: "egen", Date: calendar.MustParseDate("2024-04-03"), Visits: []string{"v3", "v4"}},
	}
	if diff := gocmp.Diff(want, duplicates(ci, loc, &dupScratch{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// 20 000 visits of one start in 10 000 pairs (the same end two by two):
// 10 000 duplicates of two, gathered in one pass over the group.
func TestDuplicatesManyPairsOneStart(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	loc := april2024.Location
	start := time.Date(2024, 4, 3, 8, 0, 0, 0, loc)
	ci := &caseInput{customer: &models.Customer{ID: "k1"}, provider: &models.Provider{ID: "egen"}}
	for i := range n {
		ci.visits = append(ci.visits, &models.Visit{ID: fmt.Sprintf("v%06d", i), Start: start,
			End: start.Add(time.Duration(1+i/2) * time.Second), Tasks: []string{"Dusch"}, Role: models.CareStaff})
	}
	got := duplicates(ci, loc, &dupScratch{})
	if len(got) != n/2 {
		t.Fatalf("%d duplicates, want %d", len(got), n/2)
	}
	for k, d := range got {
		if want := []string{fmt.Sprintf("v%06d", 2*k), fmt.Sprintf("v%06d", 2*k+1)}; !slices.Equal(d.Visits, want) {
			t.Fatalf("duplicate %d: %v, want %v", k, d.Visits, want)
		}
	}
}
