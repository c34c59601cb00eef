package reimbursement

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// backtrack is a lookup in a table as it is written: a level's own key
// first, then, when no rate lies below it, the wildcard. determinize must
// give the tables it makes the same rates.
func backtrack(n *tableNode, keys []string) (decimal.Decimal, bool) {
	if len(keys) == 0 {
		return n.value, n.children == nil
	}
	if c, ok := n.children[keys[0]]; ok {
		if v, ok := backtrack(c, keys[1:]); ok {
			return v, true
		}
	}
	if c, ok := n.children[wildcard]; ok {
		return backtrack(c, keys[1:])
	}
	return decimal.Decimal{}, false
}

// A table with wildcards, dead ends and keys of their own looks every
// key up to the rate the table as written gives, and finds none where it
// finds none.
func TestPropertyDeterminizedTable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		depth := rapid.IntRange(1, 4).Draw(t, "depth")
		names := []string{"a", "b", wildcard}
		next := 0
		var gen func(level int) *tableNode
		gen = func(level int) *tableNode {
			if level == depth {
				next++
				return &tableNode{value: decimal.NewFromInt(int64(next))}
			}
			n := &tableNode{children: map[string]*tableNode{}}
			for _, k := range names {
				if rapid.IntRange(0, 2).Draw(t, "has") > 0 {
					n.children[k] = gen(level + 1)
				}
			}
			return n
		}
		root := gen(0)
		det := determinize(root, 1<<20)
		if det == nil {
			t.Fatal("over the budget")
		}
		var all func(keys []string)
		all = func(keys []string) {
			if len(keys) == depth {
				want, wok := backtrack(root, keys)
				got, gok := det.find(keys)
				if wok != gok || !want.Equal(got) {
					t.Fatalf("keys %v: %v %v, want %v %v", keys, got, gok, want, wok)
				}
				return
			}
			for _, k := range []string{"a", "b", "c"} {
				all(append(keys, k))
			}
		}
		all(nil)
	})
}

// A table whose wildcards lead a lookup into dead ends below keys of
// their own, level after level, is refused within the bound of
// determinize rather than checked combination by combination, each
// lookup going back through the dead ends (found by attack: 13 levels,
// 11 000 keys at the last, 186 KB, loaded in 2–6 s).
func TestDeadEndWildcardsRefused(t *testing.T) {
	const levels, last = 13, 11000
	var deadEnd func(i int) string
	deadEnd = func(i int) string {
		if i == levels-1 {
			return "{}"
		}
		s := deadEnd(i + 1)
		return `{"a":` + s + `,"*":` + s + `}`
	}
	var chain func(i int) string
	chain = func(i int) string {
		if i == levels-1 {
			var b strings.Builder
			b.WriteString(`{"a":"1","*":"1"`)
			for j := range last {
				fmt.Fprintf(&b, `,"b%d":"1"`, j)
			}
			return b.String() + "}"
		}
		return `{"a":` + deadEnd(i+1) + `,"*":` + chain(i+1) + `}`
	}
	keys := make([]string, levels)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", i)
	}
	var errs []string
	doc := tableDoc{Keys: keys, Rates: json.RawMessage(chain(0))}
	tab := parseTable("w", doc, nil, nil, Limits{}.withDefaults(), func(path string, err error) { errs = append(errs, path+": "+err.Error()) })
	if tab != nil || len(errs) != 1 || !strings.Contains(errs[0], `rates: over the limit: the table's wildcards ("*") combine into more than 160000 entries`) {
		t.Errorf("table %v, errors %q", tab != nil, errs)
	}
}
