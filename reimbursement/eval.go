package reimbursement

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
)

// result is the outcome of evaluating one expression in one environment.
type result struct {
	ok      bool // a boolean expression's value
	dec     decimal.Decimal
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
	// memos number the distinct visit environments of each version met
	// and hold its components' results by number (see visitMemo).
	memos []*visitMemo
}

// visitMemo numbers the distinct visit environments a version's
// components met, normalised for the version, and holds each
// component's results for each number: a case looks up the few
// distinct environments of its units (see worker.distinctEnvs) by a
// cheap print and one comparison, not by hashing them, and a result by
// indexing, not by a map of programs.
type visitMemo struct {
	v    *Version
	ids  map[visitEnv]int32
	envs []visitEnv // by number
	// slots holds, by print, the number + 1 of the environments of that
	// print found last; 0 when none.
	slots [memoSlots]int32
	// res[id*progs + 2*comp.index] is the result of the when of
	// component comp for environment number id, + 1 of its rate.
	res   []memoResult
	progs int
}

// memoResult is a result, once known.
type memoResult struct {
	known bool
	r     result
}

// memoSlots is the size of visitMemo's table of prints.
const (
	memoSlotBits = 12
	memoSlots    = 1 << memoSlotBits
)

// maxMemoResults bounds the results a visitMemo holds (about 5 MB).
const maxMemoResults = 1 << 16

// memo returns the memo of version v.
func (ev *evaluator) memo(v *Version) *visitMemo {
	for _, m := range ev.memos {
		if m.v == v {
			return m
		}
	}
	m := &visitMemo{v: v, ids: map[visitEnv]int32{}, progs: 2 * len(v.components)}
	ev.memos = append(ev.memos, m)
	return m
}

// room clears the memo when fewer than n more environments fit in its
// bounds. Call it only between cases: the numbers of the case being
// settled must stay valid.
func (m *visitMemo) room(n int) {
	if len(m.envs)+n > maxMemo || (len(m.envs)+n)*m.progs > maxMemoResults {
		clear(m.ids)
		m.envs, m.res = m.envs[:0], m.res[:0]
		m.slots = [memoSlots]int32{}
	}
}

// intern returns the number of env, whose envPrint is print, numbering
// it if it is new.
func (m *visitMemo) intern(env *visitEnv, print uint64) int32 {
	// Two slots a print (Fibonacci hashing), the one found last first.
	h := (print * 0x9e3779b97f4a7c15) >> (64 - memoSlotBits)
	s, t := &m.slots[h], &m.slots[h^1]
	if id := *s - 1; id >= 0 && sameVisitEnv(&m.envs[id], env) {
		return id
	}
	if id := *t - 1; id >= 0 && sameVisitEnv(&m.envs[id], env) {
		*s, *t = *t, *s
		return id
	}
	*t = *s
	id, ok := m.ids[*env]
	if !ok {
		id = int32(len(m.envs))
		m.ids[*env] = id
		m.envs = append(m.envs, *env)
		m.res = append(m.res, make([]memoResult, m.progs)...)
	}
	*s = id + 1
	return id
}

// memoEval returns the result of the version's program p, numbered prog
// (see visitMemo.res), for the environment numbered id in m, evaluating
// it in env the first time.
func memoEval[E envWith](m *visitMemo, ev *evaluator, p *vm.Program, prog int, id int32, env E) result {
	slot := &m.res[int(id)*m.progs+prog]
	if !slot.known {
		slot.known, slot.r = true, runIn(ev, p, env)
	}
	return slot.r
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
	r := runIn(ev, prog, env)
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

func (ev *evaluator) run(prog *vm.Program, env envWith) result { return runIn(ev, prog, env) }

// runIn evaluates prog in env, of its own type where the caller knows
// it: the environment is then copied into an interface once, with its
// recorder, rather than twice.
func runIn[E envWith](ev *evaluator, prog *vm.Program, env E) (r result) {
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
// expression names, in the order the environment declares them.
func inputsOf(env any) []Input {
	if e, ok := env.(interface{ inputs() []Input }); ok {
		return e.inputs()
	}
	return inputsOfReflect(env)
}

// inputsOfReflect is inputsOf for any environment, found by reflection.
func inputsOfReflect(env any) []Input {
	if env == nil {
		return nil
	}
	v := reflect.ValueOf(env)
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []Input
	for _, f := range fieldsOf(v.Type()) {
		fv := v.FieldByIndex(f.index)
		if fv.IsZero() {
			continue
		}
		out = append(out, Input{Name: f.name, Value: formatField(fv)})
	}
	return out
}

// envField is a field of an environment that expressions see: where it
// is in the struct and its expression name.
type envField struct {
	index []int
	name  string
}

// envFieldPlans holds the fields of each environment type, found once by
// reflection: an explained settlement describes the units of every line.
var envFieldPlans sync.Map // reflect.Type → []envField

func fieldsOf(t reflect.Type) []envField {
	if fs, ok := envFieldPlans.Load(t); ok {
		return fs.([]envField)
	}
	var fs []envField
	var walk func(t reflect.Type, at []int)
	walk = func(t reflect.Type, at []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			index := append(slices.Clip(at), i)
			if f.Anonymous {
				walk(f.Type, index)
				continue
			}
			if name := f.Tag.Get("expr"); name != "" && name != recorderName {
				fs = append(fs, envField{index: index, name: name})
			}
		}
	}
	walk(t, nil)
	envFieldPlans.Store(t, fs)
	return fs
}

// formatField writes a field's value as fmt.Sprint would.
func formatField(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	}
	return fmt.Sprint(v.Interface())
}
