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
	rec      recorder // of the evaluation running, when explaining
	items    map[memoKey[itemEnv]]result
	visits   map[memoKey[visitEnv]]result
	listings map[memoKey[listingEnv]]result
	events   map[memoKey[eventEnv]]result
	adjust   map[memoKey[adjustmentEnv]]result
	// visitMemos and itemMemos number the distinct environments of the
	// segments and visits, and of the granted items, each version met,
	// and hold its components' matches by number (see memo).
	visitMemos []*memo[visitEnv]
	itemMemos  []*memo[itemEnv]
	// pays holds wouldPaySegmentIn's answers by the component and the
	// addresses of the segment's environments, which a case keeps while
	// it is settled: cleared with each case (see worker.settleCase).
	pays map[paysKey]paysResult
}

// paysResult is an answer of wouldPaySegmentIn.
type paysResult struct {
	ok  bool
	err error
}

// paysKey is a question of wouldPaySegmentIn.
type paysKey struct {
	c             *Component
	env, visitEnv *visitEnv
}

// memo numbers the distinct environments of one kind of unit that a
// version's components met, normalised for the version, and holds each
// component's match for each number (see matchUnits): a case looks up
// the few distinct environments of its units by a cheap print and one
// comparison, not by hashing them, and a match by indexing, not by a
// map of programs and environments.
type memo[E comparable] struct {
	v    *Version
	ids  map[E]int32
	envs []E // by number
	// slots holds, by print, the number + 1 of the environments of that
	// print found last; 0 when none.
	slots [memoSlots]int32
	// res[id*comps + comp.index] is the match of component comp for
	// the environment numbered id.
	res   []memoResult
	comps int
	same  func(a, b *E) bool
}

// memoResult is a result, once known.
type memoResult struct {
	known bool
	r     result
}

// memoSlots is the size of a memo's table of prints.
const (
	memoSlotBits = 12
	memoSlots    = 1 << memoSlotBits
)

// maxMemoResults bounds the results a memo holds (about 5 MB).
const maxMemoResults = 1 << 16

// memoOf returns the memo of version v in memos, made on first need.
func memoOf[E comparable](memos *[]*memo[E], v *Version, same func(a, b *E) bool) *memo[E] {
	for _, m := range *memos {
		if m.v == v {
			return m
		}
	}
	m := &memo[E]{v: v, ids: map[E]int32{}, comps: len(v.components), same: same}
	*memos = append(*memos, m)
	return m
}

// visitMemo returns the memo of version v's visit environments.
func (ev *evaluator) visitMemo(v *Version) *memo[visitEnv] {
	return memoOf(&ev.visitMemos, v, sameVisitEnv)
}

// itemMemo returns the memo of version v's item environments.
func (ev *evaluator) itemMemo(v *Version) *memo[itemEnv] {
	return memoOf(&ev.itemMemos, v, func(a, b *itemEnv) bool { return *a == *b })
}

// room makes room for n more environments: it clears the memo when
// fewer fit in its bounds, and reports false when n alone does not (the
// units are then evaluated through the evaluator's maps). Call it only
// between cases: the numbers of the case being settled must stay valid.
func (m *memo[E]) room(n int) bool {
	if n > maxMemo/4 || n*m.comps > maxMemoResults/4 {
		return false
	}
	if len(m.envs)+n > maxMemo || (len(m.envs)+n)*m.comps > maxMemoResults {
		m.reset()
	}
	return true
}

// reset forgets every environment and match.
func (m *memo[E]) reset() {
	clear(m.ids)
	m.envs, m.res = m.envs[:0], m.res[:0]
	m.slots = [memoSlots]int32{}
}

// intern returns the number of env, whose print is print, numbering it
// if it is new: at most as many as room made room for.
func (m *memo[E]) intern(env *E, print uint64) int32 {
	// Two slots a print (Fibonacci hashing), the one found last first.
	h := (print * 0x9e3779b97f4a7c15) >> (64 - memoSlotBits)
	s, t := &m.slots[h], &m.slots[h^1]
	if id := *s - 1; id >= 0 && m.same(&m.envs[id], env) {
		return id
	}
	if id := *t - 1; id >= 0 && m.same(&m.envs[id], env) {
		*s, *t = *t, *s
		return id
	}
	*t = *s
	id, ok := m.ids[*env]
	if !ok {
		id = int32(len(m.envs))
		m.ids[*env] = id
		m.envs = append(m.envs, *env)
		m.res = append(m.res, make([]memoResult, m.comps)...)
	}
	*s = id + 1
	return id
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
		// The evaluator's, cleared: no evaluation runs inside another,
		// and the result keeps the lookups, not the recorder.
		rec = &ev.rec
		rec.lookups = nil
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
