package reimbursement

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
)

// result is the outcome of evaluating one expression in one environment.
type result struct {
	ok      bool // a boolean expression's value
	dec     decimal.Decimal
	key     string // dec as a string, to key groups by rate
	lookups []Lookup
	err     error
}

type memoKey[E comparable] struct {
	prog *vm.Program
	env  E
}

// maxMemo bounds each memo table; a full table is cleared.
const maxMemo = 1 << 16

// evaluator evaluates expressions for one goroutine, remembering each
// result per program and distinct environment.
type evaluator struct {
	vm       vm.VM
	explain  bool
	items    map[memoKey[itemEnv]]result
	visits   map[memoKey[visitEnv]]result
	listings map[memoKey[listingEnv]]result
	events   map[memoKey[eventEnv]]result
	adjust   map[memoKey[adjustmentEnv]]result
}

func (ev *evaluator) init(explain bool) {
	ev.explain = explain
	ev.items = map[memoKey[itemEnv]]result{}
	ev.visits = map[memoKey[visitEnv]]result{}
	ev.listings = map[memoKey[listingEnv]]result{}
	ev.events = map[memoKey[eventEnv]]result{}
	ev.adjust = map[memoKey[adjustmentEnv]]result{}
}

type memoEnv interface {
	comparable
	envWith
}

func evalIn[E memoEnv](ev *evaluator, m map[memoKey[E]]result, prog *vm.Program, env E) result {
	k := memoKey[E]{prog, env}
	if r, ok := m[k]; ok {
		return r
	}
	r := ev.run(prog, env)
	if len(m) >= maxMemo {
		clear(m)
	}
	m[k] = r
	return r
}

// eval evaluates prog in env, memoised where env is comparable.
func (ev *evaluator) eval(prog *vm.Program, env envWith) result {
	switch e := env.(type) {
	case itemEnv:
		return evalIn(ev, ev.items, prog, e)
	case visitEnv:
		return evalIn(ev, ev.visits, prog, e)
	case listingEnv:
		return evalIn(ev, ev.listings, prog, e)
	case eventEnv:
		return evalIn(ev, ev.events, prog, e)
	case adjustmentEnv:
		return evalIn(ev, ev.adjust, prog, e)
	}
	return ev.run(prog, env)
}

func (ev *evaluator) run(prog *vm.Program, env envWith) (r result) {
	var rec *recorder
	if ev.explain {
		rec = &recorder{}
	}
	out, err := ev.vm.Run(prog, env.withRecorder(rec))
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			err = errors.New(fe.Message)
		}
		r.err = errors.New(firstLine(err.Error()))
		return r
	}
	switch x := out.(type) {
	case bool:
		r.ok = x
	case decimal.Decimal:
		r.dec = x
		r.key = x.String()
	default:
		r.err = fmt.Errorf("expression gave %T", out)
	}
	if rec != nil {
		r.lookups = rec.lookups
	}
	return r
}

func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

// inputsOf lists the non-empty fields of an environment by their
// expression names.
func inputsOf(env any) []Input {
	if env == nil {
		return nil
	}
	var out []Input
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				walk(v.Field(i))
				continue
			}
			name := f.Tag.Get("expr")
			if name == "" || name == recorderName {
				continue
			}
			fv := v.Field(i)
			if fv.IsZero() {
				continue
			}
			out = append(out, Input{Name: name, Value: fmt.Sprint(fv.Interface())})
		}
	}
	v := reflect.ValueOf(env)
	if v.Kind() == reflect.Struct {
		walk(v)
	}
	return out
}
