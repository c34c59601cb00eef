package models

import (
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
)

// checkUnique reports through record each of n records whose id (id(i))
// an earlier record has, naming the first record with it, in the order
// of the records; empty ids are left to Validate.
//
// A map of a month's million visit ids costs a lookup and an insertion
// of some cache misses each (measured: about 520 ns a visit), and one
// open-addressed table of them still a miss a visit, since the table is
// larger than the caches (about 120 ns a visit). So the ids are hashed
// in one pass, in the order of the records, and spread by the top bits
// of their hashes into parts of about a thousand ids each (see
// uniqueParts), and each part is checked in a table small enough to stay
// in the first-level cache. An id's records all fall in one part, in
// their order, so each part finds its duplicates as one table of all the
// ids would.
func checkUnique(n int, id func(int) string, coll string, record func(string, int, string, error)) {
	if n > math.MaxInt32/2 {
		indexIDs(n, id, coll, record)
		return
	}
	checkUniqueParts(n, id, coll, record, uniqueParts(n))
}

// uniqueParts returns the number of bits of a hash that choose an id's
// part when checking n ids: parts of about partIDs ids, at most
// 1<<maxPartBits parts.
func uniqueParts(n int) int {
	const partIDs, maxPartBits = 1 << 10, 16
	if n <= partIDs {
		return 0
	}
	return min(bits.Len(uint(n-1))-bits.Len(partIDs-1), maxPartBits)
}

// checkUniqueParts is checkUnique with the ids spread into 1<<partBits
// parts.
func checkUniqueParts(n int, id func(int) string, coll string, record func(string, int, string, error), partBits int) {
	for _, d := range partsDuplicates(n, id, maphash.MakeSeed(), partBits) {
		i, prev := d[0], d[1]
		record(coll, i, id(i), fieldError("id", &duplicateError{id: id(i), coll: coll, prev: prev}))
	}
}

// partsDuplicates returns the records of n whose ids an earlier record
// has, with the first record of each such id, in the order of the
// records: the ids are hashed, spread into parts by the top partBits
// bits of the hash, keeping their order within a part, and each part is
// checked in its own table, one table reused. A record is spread as one
// word, the top half of its hash over its number; the bits of the half
// below the part's choose its slot and are its tag.
func partsDuplicates(n int, id func(int) string, seed maphash.Seed, partBits int) [][2]int {
	parts := 1 << partBits
	shift := 64 - partBits // a shift of 64 gives 0: one part
	hashed := make([]uint64, 0, n)
	start := make([]int32, parts+1) // start[p+1] counts part p, then start[p] is where it begins
	for i := range n {
		if k := id(i); k != "" {
			e := maphash.String(seed, k)>>32<<32 | uint64(i)
			hashed = append(hashed, e)
			start[e>>shift+1]++
		}
	}
	spread := hashed // one part: in the order of the records already
	if parts > 1 {
		for p := range parts {
			start[p+1] += start[p]
		}
		spread = make([]uint64, len(hashed))
		next := slices.Clone(start[:parts])
		for _, e := range hashed {
			p := e >> shift
			spread[next[p]] = e
			next[p]++
		}
	}
	var dups [][2]int
	var t idTable
	for p := range parts {
		part := spread[start[p]:start[p+1]]
		t.reset(len(part))
		for _, e := range part {
			h, i := e<<partBits>>partBits>>32, int(uint32(e))
			if prev, ok := t.insert(h, uint32(h), i, id); ok {
				dups = append(dups, [2]int{i, prev})
			}
		}
	}
	slices.SortFunc(dups, func(a, b [2]int) int { return a[0] - b[0] })
	return dups
}

// idTable is a set of ids of records, open-addressed with linear
// probing and at most half full. A slot holds a record's index + 1 (0
// for an empty slot) and a tag from its id's hash, so that a probe reads
// an id only when the tags agree.
type idTable struct {
	slots []idSlot
}

type idSlot struct {
	tag   uint32
	index int32
}

// reset empties the table and sizes it for n ids: 2n slots or more, a
// power of two, reusing its memory when that is large enough.
func (t *idTable) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(t.slots) >= size {
		t.slots = t.slots[:size]
		clear(t.slots)
		return
	}
	t.slots = make([]idSlot, size)
}

// insert adds record i (id gives the ids of the records) and returns
// false, or, when an earlier record has its id, returns its index and
// true, adding nothing. The probe starts at the low bits of h, the id's
// hash; tag is other bits of it. The ids are read only when the tags
// agree.
func (t *idTable) insert(h uint64, tag uint32, i int, id func(int) string) (int, bool) {
	mask := uint64(len(t.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		s := &t.slots[p]
		if s.index == 0 {
			*s = idSlot{tag: tag, index: int32(i + 1)}
			return 0, false
		}
		if prev := int(s.index - 1); s.tag == tag && id(prev) == id(i) {
			return prev, true
		}
	}
}
