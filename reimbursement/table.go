package reimbursement

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
)

// wildcard is the table key that matches any value at its level.
const wildcard = "*"

// rateTable is a named lookup table of rates (a prislista) keyed by one or
// more attributes: category, zone, band, ownership, role... Its rates are
// exact decimals. A rateTable is immutable once loaded.
type rateTable struct {
	Name string
	// Keys names the attribute of each level, outermost first.
	Keys []string
	// Unit documents what the rates are ("kr/h", "kr/besök", "kr/månad").
	Unit string
	root *tableNode
	// wild: the table has a wildcard, and root is made by determinize.
	wild bool
	// used holds the values written at each level, in the order
	// written, for the check of every combination (see crossGap).
	used [][]string
}

type tableNode struct {
	value    decimal.Decimal
	children map[string]*tableNode
}

// tableDoc is a table as written in a tariff file: the rates nest one JSON
// object per key, and a leaf is a decimal written as a string ("414.80")
// or a number.
type tableDoc struct {
	Keys  []string        `json:"keys"`
	Unit  string          `json:"unit,omitempty"`
	Doc   string          `json:"doc,omitempty"`
	Rates json.RawMessage `json:"rates"`
}

// ErrMissingKey is wrapped by a failed table lookup.
var ErrMissingKey = errors.New("no rate for key")

// Lookup returns the rate for the given keys, one per level; a level
// written "*" in the table matches any key.
func (t *rateTable) Lookup(keys ...string) (decimal.Decimal, error) {
	if len(keys) != len(t.Keys) {
		return decimal.Decimal{}, fmt.Errorf("table %q: %d keys given, want %d (%s)", t.Name, len(keys), len(t.Keys), strings.Join(t.Keys, ", "))
	}
	if v, ok := t.root.find(keys); ok {
		return v, nil
	}
	return decimal.Decimal{}, fmt.Errorf("table %q: %w %s", t.Name, ErrMissingKey, describeKeys(t.Keys, keys))
}

func describeKeys(names, keys []string) string {
	parts := make([]string, len(keys))
	for i := range keys {
		parts[i] = names[i] + "=" + keys[i]
	}
	return strings.Join(parts, ", ")
}

// find looks keys up in a table made by determinize: one child a level,
// the key's or else the wildcard's, without going back.
func (n *tableNode) find(keys []string) (decimal.Decimal, bool) {
	for _, k := range keys {
		c, ok := n.children[k]
		if !ok {
			if c, ok = n.children[wildcard]; !ok {
				return decimal.Decimal{}, false
			}
		}
		n = c
	}
	return n.value, n.children == nil
}

// determinize returns the table of root that find reads without going
// back, or nil when making it would do more than budget steps. A lookup
// in the table as written tries a level's own key first and, when no
// rate lies below it, the wildcard ("*"): its cost is the table's size
// when the key's branch is a dead end, and a check of every combination
// (crossGap) would cost combinations × size (found by attack: 186
// KB loaded in 2–6 s). A node of the result stands for a list of nodes
// of the table in the order a lookup tries them; its child of a key is
// the list of each node's child of that key, then its wildcard's, and
// its wildcard child the list of their wildcards. Lists met twice are
// made once. A table without wildcards comes out as it is written.
func determinize(root *tableNode, budget int) *tableNode {
	ids := map[*tableNode]int{}
	made := map[string]*tableNode{}
	var key []byte
	var det func(list []*tableNode) *tableNode
	det = func(list []*tableNode) *tableNode {
		for _, n := range list {
			if budget -= 1 + len(n.children); budget < 0 {
				return nil
			}
		}
		if list[0].children == nil {
			return list[0] // a rate: the first the lookup reaches
		}
		key = key[:0]
		for _, n := range list {
			id, ok := ids[n]
			if !ok {
				id = len(ids)
				ids[n] = id
			}
			key = fmt.Appendf(key, "%d,", id)
		}
		if d, ok := made[string(key)]; ok {
			return d
		}
		d := &tableNode{children: map[string]*tableNode{}}
		made[string(key)] = d
		var names []string
		seen := map[string]bool{}
		for _, n := range list {
			for k := range n.children {
				if k != wildcard && !seen[k] {
					seen[k] = true
					names = append(names, k)
				}
			}
		}
		slices.Sort(names)
		// Each key's list is made of every node's child and wildcard.
		if budget -= (len(names) + 1) * len(list); budget < 0 {
			return nil
		}
		for _, k := range append(names, wildcard) {
			var sub []*tableNode
			for _, n := range list {
				// A node's own key first, then its wildcard; for the
				// wildcard child, the wildcards alone.
				for _, c := range []*tableNode{n.children[k], n.children[wildcard]} {
					if c != nil && !slices.Contains(sub, c) {
						sub = append(sub, c)
					}
				}
			}
			if len(sub) == 0 {
				continue
			}
			c := det(sub)
			if c == nil {
				return nil
			}
			d.children[k] = c
		}
		return d
	}
	return det([]*tableNode{root})
}

// parseTable builds a table from its document. domains gives, for the key
// names whose values the tariff knows (zone, band, ownership...), the
// values a key may take. Problems are reported through bad, each with
// the path below the table where it lies. Its work is linear in the
// table's size, within lim.MaxTableEntries entries; a table with
// wildcards is made into one looked up a key a level (determinize,
// within determinizeSteps × lim.MaxTableEntries steps). Whether the
// table prices what settlement looks up is checked once the components
// are compiled and probed (see tableGaps).
//
// sets are the domains as sets (domainSets), made once for all of a
// version's tables (made a table, the sets of 1 000 zones cost 750 MB
// for 14 000 tables, found by attack); nil makes them here.
func parseTable(name string, doc tableDoc, domains map[string][]string, sets map[string]map[string]bool, lim Limits,
	bad func(path string, err error)) *rateTable {
	t := &rateTable{Name: name, Keys: doc.Keys, Unit: doc.Unit}
	if len(name) > lim.MaxLiteralBytes {
		bad("", fmt.Errorf("%w: a table name of %d bytes; at most %d", ErrLimit, len(name), lim.MaxLiteralBytes))
		return nil
	}
	if !checkKeyNames(doc.Keys, lim, bad) {
		return nil
	}
	if len(doc.Rates) == 0 {
		bad("rates", errors.New("missing"))
		return nil
	}
	if sets == nil {
		sets = domainSets(domains)
	}
	known := make([]map[string]bool, len(doc.Keys)) // the domain of each level, if known
	for i, k := range doc.Keys {
		known[i] = sets[k]
	}
	used := make([]map[string]bool, len(doc.Keys)) // values seen at each level
	usedOrder := make([][]string, len(doc.Keys))
	entries := 0
	over := false
	var build func(raw json.RawMessage, level int, path string) *tableNode
	build = func(raw json.RawMessage, level int, path string) *tableNode {
		if over {
			return nil
		}
		if level == len(doc.Keys) {
			v, err := parseRate(raw, lim)
			if err != nil {
				bad(path, err)
				return nil
			}
			return &tableNode{value: v}
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			bad(path, fmt.Errorf("want an object keyed by %s", doc.Keys[level]))
			return nil
		}
		if entries += len(m); entries > lim.MaxTableEntries {
			bad(path, fmt.Errorf("%w: more than %d entries in one table", ErrLimit, lim.MaxTableEntries))
			over = true
			return nil
		}
		n := &tableNode{children: make(map[string]*tableNode, len(m))}
		for _, k := range sortedKeys(m) {
			if len(k) > lim.MaxLiteralBytes {
				bad(path, fmt.Errorf("%w: a key of %d bytes; at most %d", ErrLimit, len(k), lim.MaxLiteralBytes))
				continue
			}
			if known[level] != nil && k != wildcard && !known[level][k] {
				bad(path+"."+k, unknownKey(doc.Keys[level], k, domains[doc.Keys[level]]))
				continue
			}
			t.wild = t.wild || k == wildcard
			if k != wildcard && !used[level][k] {
				if used[level] == nil {
					used[level] = map[string]bool{}
				}
				used[level][k] = true
				usedOrder[level] = append(usedOrder[level], k)
			}
			if c := build(m[k], level+1, path+"."+k); c != nil {
				n.children[k] = c
			}
		}
		return n
	}
	t.root = build(doc.Rates, 0, "rates")
	if t.root == nil || over {
		return nil
	}
	// Looked up without going back, each lookup costs a step a key; a
	// table without wildcards is looked up so as it is written.
	if t.wild {
		if t.root = determinize(t.root, determinizeSteps*lim.MaxTableEntries); t.root == nil {
			bad("rates", fmt.Errorf("%w: the table's wildcards (\"*\") combine into more than %d entries to look up; write fewer of them below keys of their own",
				ErrLimit, determinizeSteps*lim.MaxTableEntries))
			return nil
		}
	}
	t.used = usedOrder
	return t
}

// determinizeSteps bounds the work of determinize, in nodes and keys
// visited, per entry the table may hold (Limits.MaxTableEntries): a
// table without wildcards takes about two steps an entry.
const determinizeSteps = 8

// checkKeyNames checks a table's key names: no more than rates can nest
// (lim.MaxJSONDepth), each within lim.MaxLiteralBytes, not empty, none
// twice.
func checkKeyNames(keys []string, lim Limits, bad func(path string, err error)) bool {
	if len(keys) > lim.MaxJSONDepth {
		bad("keys", fmt.Errorf("%w: %d keys; rates nest at most %d deep", ErrLimit, len(keys), lim.MaxJSONDepth))
		return false
	}
	seen := make(map[string]bool, len(keys))
	for i, k := range keys {
		switch {
		case len(k) > lim.MaxLiteralBytes:
			bad(fmt.Sprintf("keys[%d]", i), fmt.Errorf("%w: a key name of %d bytes; at most %d", ErrLimit, len(k), lim.MaxLiteralBytes))
		case strings.TrimSpace(k) == "":
			bad(fmt.Sprintf("keys[%d]", i), errors.New("empty key name"))
		case seen[k]:
			bad(fmt.Sprintf("keys[%d]", i), fmt.Errorf("key %.40q named twice", k))
		default:
			seen[k] = true
			continue
		}
		return false
	}
	return true
}

// unknownKey is the error for a table key k at a level named key whose
// values the tariff knows.
func unknownKey(key, k string, known []string) error {
	if near := nearest(k, known); near != "" {
		return fmt.Errorf("unknown %s %q; did you mean %q?", key, k, near)
	}
	return fmt.Errorf("unknown %s %q (the tariff knows %s)", key, k, knownList(known))
}

// domainSets returns each domain's values as a set.
func domainSets(domains map[string][]string) map[string]map[string]bool {
	sets := make(map[string]map[string]bool, len(domains))
	for k, dom := range domains {
		set := make(map[string]bool, len(dom))
		for _, v := range dom {
			set[v] = true
		}
		sets[k] = set
	}
	return sets
}

// coverAll are the keys whose every known value a table must price when
// its completeness is checked combination by combination (crossGap):
// the tariff's zones and bands, both ownerships. Other keys known to the
// tariff (category, role...) need cover only the values the table uses.
var coverAll = map[string]bool{"zone": true, "band": true, "ownership": true}

// crossGap checks a table combination by combination: every combination
// of the values each level must cover (the tariff's domain for zone,
// band, ownership; the values written anywhere at that level otherwise)
// must have a rate. It returns the first five without one, wrapping
// ErrMissingKey, an error wrapping ErrLimit when there are more than
// lim.MaxCombinations combinations, or nil. It is the check of a table
// the probe cannot vouch for (see tableGaps): one no expression reads,
// or one read where the probe cannot tell what settlement looks up.
// Its work is at most lim.MaxCombinations lookups, a step a key each,
// and it takes them from budget, which the checks of all of a version's
// tables share: within the budget it returns an error wrapping ErrLimit
// and does no lookup (found by attack: 14 221 small tables of 10 000
// combinations each, none read, took 25 s and 9.7 GB to load).
func crossGap(t *rateTable, domains map[string][]string, lim Limits, budget *int) error {
	need := make([][]string, len(t.Keys))
	combos := 1
	for i, k := range t.Keys {
		if dom, ok := domains[k]; ok && coverAll[k] {
			need[i] = dom
		} else {
			need[i] = t.used[i]
		}
		if n := len(need[i]); n > 0 {
			if combos > lim.MaxCombinations/n {
				return fmt.Errorf("%w: checking that every combination of %s has a rate would take more than %d lookups",
					ErrLimit, strings.Join(t.Keys, ", "), lim.MaxCombinations)
			}
			combos *= n
		}
	}
	if combos > *budget {
		*budget = -1 // spent: this error says so, and no more tables are checked
		return fmt.Errorf("%w: checking that every combination of the keys of this and the tables before it has a rate would take more than %d lookups in all; write fewer tables the load check must check so (see the reason)",
			ErrLimit, tableCheckBudget*lim.MaxCombinations)
	}
	*budget -= combos
	var missing []string
	var check func(level int, keys []string)
	check = func(level int, keys []string) {
		if len(missing) >= 5 {
			return
		}
		if level == len(need) {
			if _, ok := t.root.find(keys); !ok {
				missing = append(missing, describeKeys(t.Keys, keys))
			}
			return
		}
		for _, v := range need[level] {
			check(level+1, append(keys, v))
		}
	}
	check(0, nil)
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrMissingKey, strings.Join(missing, "; "))
	}
	return nil
}

// parseRate reads a rate written as a JSON string or number, exactly,
// within the limits on its digits.
func parseRate(raw json.RawMessage, lim Limits) (decimal.Decimal, error) {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return decimal.Decimal{}, err
		}
	}
	v, err := parseDecimal(strings.TrimSpace(s), lim)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if v.IsNegative() {
		return decimal.Decimal{}, fmt.Errorf("negative rate %s", v)
	}
	return v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// tablesRead returns the tables prog looks up, by the literal names its
// table calls give (the only names the compiler allows; after the
// recorder patch the name is the second argument).
func tablesRead(prog *vm.Program) []string {
	if prog == nil {
		return nil
	}
	var out []string
	node := prog.Node()
	ast.Walk(&node, visitorFunc(func(n *ast.Node) {
		call, ok := (*n).(*ast.CallNode)
		if !ok {
			return
		}
		if id, ok := call.Callee.(*ast.IdentifierNode); !ok || id.Value != "table" {
			return
		}
		for _, a := range call.Arguments[:min(2, len(call.Arguments))] {
			if s, ok := a.(*ast.StringNode); ok {
				if !slices.Contains(out, s.Value) {
					out = append(out, s.Value)
				}
				return
			}
		}
	}))
	return out
}

// exprAt is an expression of a version: of component comp, its when or
// rate (field) or its parameter param; of adjustment -1-comp, its when.
type exprAt struct {
	comp         int
	field, param string
}

// path returns the expression's path in the document, components[2].rate.
func (e exprAt) path() string {
	switch {
	case e.comp < 0:
		return fmt.Sprintf("adjustments[%d].%s", -1-e.comp, e.field)
	case e.param != "":
		return fmt.Sprintf("components[%d].params.%s", e.comp, e.param)
	}
	return fmt.Sprintf("components[%d].%s", e.comp, e.field)
}

// tableReader is an expression that looks a table up, with the name of
// its component or adjustment.
type tableReader struct {
	at   exprAt
	name string
}

// tableReaders returns, by table name, the compiled expressions of v
// that look each table up.
func tableReaders(v *Version) map[string][]tableReader {
	out := map[string][]tableReader{}
	if len(v.tables) == 0 {
		return out
	}
	add := func(prog *vm.Program, at exprAt, name string) {
		for _, t := range tablesRead(prog) {
			out[t] = append(out[t], tableReader{at, name})
		}
	}
	for i, comp := range v.components {
		add(comp.when, exprAt{comp: i, field: "when"}, comp.name)
		add(comp.rate, exprAt{comp: i, field: "rate"}, comp.name)
		for _, name := range sortedKeys(comp.params) {
			add(comp.params[name].prog, exprAt{comp: i, param: name}, comp.name)
		}
	}
	for i, a := range v.adjustments {
		add(a.when, exprAt{comp: -1 - i, field: "when"}, a.name)
	}
	return out
}

// tableGaps reports, through bad, the tables of v that may lack a rate
// settlement looks up, once the components are compiled.
//
// A table need price only what settlement can look up: a rate table
// keyed by kind of day and band as municipalities publish it (helg on
// Saturdays, never dag) must not be refused for the Saturday dag the
// schedule never gives, nor a table of the rural zone for the town a
// component's when leaves out. The probe finds that: it evaluates every
// expression at every point data can give the fields it reads, the rate
// only where the component's when holds, and reports each lookup that
// fails with the table, the keys, the component and the expression. So a
// table the probe evaluated every reader of so ("" in cover) is
// vouched for, and nothing more is asked of it.
//
// A table it cannot vouch for is checked combination by combination
// (crossGap), with the reason: one no expression reads (Version.Lookup
// may look up any key); one read by an expression (a component's or an
// adjustment's when) that reads what the probe cannot enumerate (task,
// customer: its errors are left to settlement), or that the probe did not
// reach (its budget spent, an error of its own). When the probe did not
// run (probed false: the version has other errors), a table some
// expression names is left to the probe that runs once they are mended,
// rather than refused for combinations settlement may never look up.
// The work is at most tableCheckBudget × lim.MaxCombinations lookups in
// all, the tables not vouched for sharing them (the first beyond them is
// refused, and no more are checked), and a walk of each compiled
// expression.
func tableGaps(v *Version, named map[string]bool, cover map[exprAt]string, probed bool, domains map[string][]string,
	lim Limits, bad func(path, component string, err error)) {
	readers := tableReaders(v)
	budget := tableCheckBudget * lim.MaxCombinations
	for _, name := range sortedKeys(v.tables) {
		t := v.tables[name]
		why := ""
		switch rs := readers[name]; {
		case !probed && named[name]:
			continue
		case len(rs) == 0:
			why = "no expression reads the table"
		default:
			for _, r := range rs {
				w, ok := cover[r.at]
				switch {
				case !ok:
					w = "the load check did not reach it"
				}
				if w != "" {
					why = fmt.Sprintf("%s (%s) reads the table where the load check cannot tell which keys settlement looks up: %s", r.at.path(), r.name, w)
					break
				}
			}
			if why == "" {
				continue // vouched for by the probe
			}
		}
		if err := crossGap(t, domains, lim, &budget); err != nil {
			bad("tables."+name+".rates", "", fmt.Errorf("%w (%s, so every combination of the values its keys take must have a rate)", err, why))
		}
		if budget < 0 {
			return
		}
	}
}

// tableCheckBudget is how many times lim.MaxCombinations lookups the
// combination-by-combination checks of a version's tables may take in
// all, as the probe of a version may evaluate twice as many expressions
// as one component's.
const tableCheckBudget = 2
