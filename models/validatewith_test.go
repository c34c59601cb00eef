package models

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// ValidateWith with the dataset's own task map is Validate, whichever
// codes the dataset lacks or its records add; with nil it is Validate of
// a dataset without task codes, so that every code is unknown.
func TestValidateWithIsValidate(t *testing.T) {
	base, err := ReadDatasetFS(os.DirFS("testdata"), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	errText := func(err error) string {
		if err == nil {
			return "<nil>"
		}
		return err.Error()
	}
	rapid.Check(t, func(t *rapid.T) {
		ds := *base
		ds.Tasks = nil
		for _, task := range base.Tasks {
			if rapid.Bool().Draw(t, "keep "+task.Local) {
				ds.Tasks = append(ds.Tasks, task)
			}
		}
		ds.Visits = slices.Clone(base.Visits)
		for i := range ds.Visits {
			if rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("unknown task %d", i)) == 0 {
				ds.Visits[i].Tasks = append(slices.Clone(ds.Visits[i].Tasks), "Okänd")
			}
		}
		tasks, err := ds.TaskMap()
		if err != nil {
			t.Fatal(err)
		}
		if want, got := errText(ds.Validate()), errText(ds.ValidateWith(tasks)); want != got {
			t.Fatalf("Validate\n%s\nValidateWith\n%s", want, got)
		}
		none := ds
		none.Tasks = nil
		if want, got := errText(none.Validate()), errText(ds.ValidateWith(nil)); want != got {
			t.Fatalf("Validate without tasks\n%s\nValidateWith(nil)\n%s", want, got)
		}
	})
}
