package models

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// slowValidate is Visit.Validate as it was before its fast paths (every
// id through requireFields, every task code through checkTaskCode),
// joined by errors.Join: the reference TestVisitValidateFastPaths holds
// validate to.
func slowValidate(v *Visit) error {
	errs := requireFields("id", v.ID, "customer", v.Customer, "provider", v.Provider)
	if v.Start.IsZero() {
		errs = append(errs, fieldError("start", errors.New("missing")))
	}
	if v.End.IsZero() {
		errs = append(errs, fieldError("end", errors.New("missing")))
	} else if v.End.Before(v.Start) {
		errs = append(errs, fieldError("end", fmt.Errorf("%s is before start %s",
			v.End.Format(time.RFC3339Nano), v.Start.Format(time.RFC3339Nano))))
	}
	if v.Staff < 0 {
		errs = append(errs, fieldError("staff", errors.New("negative")))
	}
	if v.PlannedMinutes < 0 || v.PlannedMinutes > 24*60 {
		errs = append(errs, fieldError("planned_minutes", fmt.Errorf("%d is not 0–1440", v.PlannedMinutes)))
	}
	for i, t := range v.Tasks {
		if strings.TrimSpace(t) == "" {
			errs = append(errs, fieldError(fmt.Sprintf("tasks[%d]", i), errors.New("empty task code")))
		} else if err := checkTaskCode(t); err != nil {
			errs = append(errs, fieldError(fmt.Sprintf("tasks[%d]", i), err))
		}
	}
	return errors.Join(errs...)
}

// TestVisitValidateFastPaths holds Visit.validate, whose ids that are
// plain ASCII skip requireFields and whose task codes a task map holds
// (remembered from visit to visit in one visitMemo, as checkVisits
// does) skip checkTaskCode, and whose customer and provider the memo
// found plain for a visit before (often the visit before's, drawn again)
// are not checked again, to the checks in full (slowValidate): the
// same message for ids of 0 to 20 bytes that are empty, blank, spaced at
// either end, of control characters, DEL, bytes above ASCII, invalid
// UTF-8, zero-width and right-to-left characters, and task codes the map
// holds, holds only trimmed (ASCII and Unicode white space around them),
// does not hold, or that are not clean text; and known exactly when the
// map holds every code.
func TestVisitValidateFastPaths(t *testing.T) {
	tasks, err := NewTaskMap([]LocalTask{{Local: "Dusch", Category: Care}, {Local: "Städ", Category: Service}, {Local: "a", Category: Care},
		{Local: "Inköp|x", Category: Service}}, nil)
	if err == nil {
		t.Fatal("a code holding '|' made a task map")
	}
	tasks, err = NewTaskMap([]LocalTask{{Local: "Dusch", Category: Care}, {Local: "Städ", Category: Service}, {Local: "a", Category: Care}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	idPieces := []string{"", "k", "k000123-", "0", " ", "\t", "\x00", "\x1f", "\x7f", "\x80", "\xff", "ö", "\u00a0", "\u200b", "\u202e", "~", "abcdefgh"}
	codes := []string{"", " ", "Dusch", " Dusch", "Dusch ", "Dusch\u00a0", "\u3000Städ", "Städ", "städ", "a", "b", "a|b", "\x01", "Dus\u200bch", "\xff", "\t", "Dusc"}
	var known visitMemo // kept from visit to visit, as checkVisits keeps it
	var prevCustomer, prevProvider string
	start := time.Date(2024, 4, 2, 8, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		id := func(name string) string {
			return strings.Join(rapid.SliceOfN(rapid.SampledFrom(idPieces), 0, 3).Draw(t, name), "")
		}
		if rapid.IntRange(0, 9).Draw(t, "new memo") == 0 {
			known = visitMemo{} // as a chunk of checkVisits begins
		}
		customer, provider := id("customer"), id("provider")
		if rapid.Bool().Draw(t, "customer as before") {
			customer = prevCustomer
		}
		if rapid.Bool().Draw(t, "provider as before") {
			provider = prevProvider
		}
		prevCustomer, prevProvider = customer, provider
		v := &Visit{ID: id("id"), Customer: customer, Provider: provider, Start: start,
			End:   start.Add(time.Duration(rapid.IntRange(-30, 90).Draw(t, "minutes")) * time.Minute),
			Tasks: rapid.SliceOfN(rapid.SampledFrom(codes), 0, 3).Draw(t, "tasks")}
		if rapid.Bool().Draw(t, "no start") {
			v.Start = time.Time{}
		}
		allKnown, err := v.validate(tasks, &known)
		want := slowValidate(v)
		if fmt.Sprint(err) != fmt.Sprint(want) {
			t.Fatalf("validate:\n%v\nwant:\n%v", err, want)
		}
		if err := v.Validate(); fmt.Sprint(err) != fmt.Sprint(want) {
			t.Fatalf("Validate:\n%v\nwant:\n%v", err, want)
		}
		holds := true
		for _, c := range v.Tasks {
			_, ok := tasks.Lookup(c)
			holds = holds && ok
		}
		if allKnown != holds {
			t.Fatalf("known = %v for tasks %q, the map holding each: %v", allKnown, v.Tasks, holds)
		}
	})
}
