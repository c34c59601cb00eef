package reimbursement

import (
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/models"
	"pgregory.net/rapid"
)

// A worker's table of task codes gives what the task map and trimming
// give, for codes met again, codes that share a slot (more codes than
// slots, codes of one length and ends), codes with white space around
// them or none at all, and after the worker moves to an input of another
// task map.
func TestPropertyTaskSlots(t *testing.T) {
	cats := []models.Category{models.Service, models.Care, models.DelegatedHSL, models.HomeHealthCare}
	rapid.Check(t, func(t *rapid.T) {
		codes := rapid.SliceOfNDistinct(rapid.StringMatching(`[ ]?[A-D]{0,2}[a-z]{0,3}[ ]?`), 1, 3*taskSlotCount, rapid.ID[string]).Draw(t, "codes")
		var maps []*models.TaskMap
		for m := range 2 {
			var tasks []models.LocalTask
			seen := map[string]bool{}
			for i, c := range codes {
				k := strings.TrimSpace(c)
				if k == "" || seen[k] || (i+m)%3 == 0 {
					continue // some codes are in neither map, some in one
				}
				seen[k] = true
				tasks = append(tasks, models.LocalTask{Local: k, Category: cats[(i+m)%len(cats)]})
			}
			tm, err := models.NewTaskMap(tasks, nil)
			if err != nil {
				t.Fatal(err)
			}
			maps = append(maps, tm)
		}
		w := &worker{in: &input{dataIndex: dataIndex{tasks: maps[0]}}}
		for i, n := 0, rapid.IntRange(1, 2000).Draw(t, "lookups"); i < n; i++ {
			if rapid.IntRange(0, 50).Draw(t, "switch") == 0 {
				w.in = &input{dataIndex: dataIndex{tasks: maps[rapid.IntRange(0, 1).Draw(t, "map")]}}
			}
			code := codes[rapid.IntRange(0, len(codes)-1).Draw(t, "code")]
			cat, trimmed := w.task(code)
			if want := w.in.tasks.Category(code); cat != want || trimmed != strings.TrimSpace(code) {
				t.Fatalf("task(%q) = %v, %q; want %v, %q", code, cat, trimmed, want, strings.TrimSpace(code))
			}
		}
	})
}
