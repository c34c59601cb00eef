package reimbursement

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// TestEnvInputs holds the written-out inputs of every environment to the
// reflective inputsOfReflect: the same names, values and order, whichever
// fields are set. A field added to an environment and not to its inputs
// method fails here.
func TestEnvInputs(t *testing.T) {
	for _, env := range []any{itemEnv{}, visitEnv{}, listingEnv{}, eventEnv{}} {
		typ := reflect.TypeOf(env)
		t.Run(typ.Name(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				v := reflect.New(typ).Elem()
				fill(t, v, "")
				e := v.Interface()
				// Empty and nil alike: an explanation without inputs
				// writes none either way (inputs,omitempty); a listing
				// with every field empty drew one and the other.
				if diff := cmp.Diff(inputsOfReflect(e), inputsOf(e), cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("inputs differ from the reflective ones (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// fill sets each string, bool and int field of v, embedded ones
// included, to a drawn value, the zero value among them.
func fill(t *rapid.T, v reflect.Value, at string) {
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), at+v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.Struct:
			fill(t, f, name+".")
		case reflect.String:
			f.SetString(rapid.SampledFrom([]string{"", "x", "natt", "k|y"}).Draw(t, name))
		case reflect.Bool:
			f.SetBool(rapid.Bool().Draw(t, name))
		case reflect.Int:
			f.SetInt(int64(rapid.IntRange(-2, 3).Draw(t, name)))
		}
	}
}

// TestSameVisitEnv holds sameVisitEnv to ==, sameInCase to == for
// environments of one case (bases equal but for the zone), and envPrint
// to giving equal environments equal prints: two environments equal but
// for one field, any one, or for none.
func TestSameVisitEnv(t *testing.T) {
	var leaves [][]int // the index paths of visitEnv's fields
	var walk func(typ reflect.Type, at []int)
	walk = func(typ reflect.Type, at []int) {
		for i := range typ.NumField() {
			path := append(append([]int(nil), at...), i)
			if f := typ.Field(i); f.Type.Kind() == reflect.Struct {
				walk(f.Type, path)
			} else if f.Type.Kind() != reflect.Pointer {
				leaves = append(leaves, path)
			}
		}
	}
	walk(reflect.TypeOf(visitEnv{}), nil)
	rapid.Check(t, func(t *rapid.T) {
		var a visitEnv
		fill(t, reflect.ValueOf(&a).Elem(), "a.")
		b := a
		if k := rapid.IntRange(-1, len(leaves)-1).Draw(t, "field"); k >= 0 {
			f := reflect.ValueOf(&b).Elem().FieldByIndex(leaves[k])
			switch f.Kind() {
			case reflect.String:
				f.SetString(f.String() + "·")
			case reflect.Bool:
				f.SetBool(!f.Bool())
			case reflect.Int:
				f.SetInt(f.Int() + 1)
			}
		}
		if got, want := sameVisitEnv(&a, &b), a == b; got != want {
			t.Fatalf("sameVisitEnv = %v, == gives %v:\n%+v\n%+v", got, want, a, b)
		}
		// Environments of one case differ in their base at most in the
		// zone: sameInCase is == for them.
		ab, bb := a.baseEnv, b.baseEnv
		ab.Zone, bb.Zone = "", ""
		if got, want := sameInCase(&a, &b), a == b; ab == bb && got != want {
			t.Fatalf("sameInCase = %v, == gives %v:\n%+v\n%+v", got, want, a, b)
		}
		if a == b && envPrint(&a) != envPrint(&b) {
			t.Fatalf("equal environments with different prints:\n%+v", a)
		}
	})
}

// TestVisitInputs holds the inputs of a line of visits, read field by
// field, to those of any environments: the same names in the same order,
// the same values, "–" and "varies" alike, more than maxEnvs included.
func TestVisitInputs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s envSet
		for range rapid.IntRange(2, 40).Draw(t, "units") {
			var e visitEnv
			fill(t, reflect.ValueOf(&e).Elem(), "")
			s.add(&e, nil)
		}
		if len(s.envs) < 2 {
			return
		}
		fast, ok := s.visitInputs(nil)
		if !ok {
			t.Fatal("visitInputs refused visit environments")
		}
		if diff := cmp.Diff(s.anyInputs(), fast); diff != "" {
			t.Fatalf("inputs (-any +visit):\n%s", diff)
		}
	})
}

// TestVisitDiff holds visitDiff to the texts of visitFields: a field's
// bit is set exactly when the two environments write it differently,
// for environments alike in some fields and not in others.
func TestVisitDiff(t *testing.T) {
	if len(visitFields) > 32 {
		t.Fatalf("%d visit fields do not fit visitDiff's bits", len(visitFields))
	}
	rapid.Check(t, func(t *rapid.T) {
		var a, b visitEnv
		fill(t, reflect.ValueOf(&a).Elem(), "a.")
		fill(t, reflect.ValueOf(&b).Elem(), "b.")
		if rapid.Bool().Draw(t, "alike") {
			b = a
			fill(t, reflect.ValueOf(&b.baseEnv).Elem(), "b.")
		}
		d := visitDiff(&a, &b)
		for f, vf := range visitFields {
			if differ := vf.value(&a) != vf.value(&b); differ != (d&(1<<f) != 0) {
				t.Fatalf("field %s: texts %q and %q, visitDiff says differ %v", vf.name, vf.value(&a), vf.value(&b), !differ)
			}
		}
	})
}

// TestVisitTexts holds visitEnv.texts to the value functions of
// visitFields, field by field, and the fields of visit and item
// environments to visitFieldCount and itemFieldCount.
func TestVisitTexts(t *testing.T) {
	if len(visitFields) != visitFieldCount || len(fieldsOf(reflect.TypeOf(visitEnv{}))) != visitFieldCount {
		t.Fatalf("%d visit fields, visitFieldCount %d", len(visitFields), visitFieldCount)
	}
	// An item environment's inputs are written in room of itemFieldCount.
	if n := len(fieldsOf(reflect.TypeOf(itemEnv{}))); n != itemFieldCount {
		t.Fatalf("%d item fields, itemFieldCount %d", n, itemFieldCount)
	}
	rapid.Check(t, func(t *rapid.T) {
		var e visitEnv
		fill(t, reflect.ValueOf(&e).Elem(), "")
		var texts [visitFieldCount]string
		e.texts(&texts)
		for f, vf := range visitFields {
			if want := vf.value(&e); texts[f] != want {
				t.Fatalf("field %s: texts writes %q, its value function %q", vf.name, texts[f], want)
			}
		}
	})
}
