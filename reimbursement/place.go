package reimbursement

import (
	"slices"
	"strings"
	"sync"
)

// Memory the workers reuse from case to case, and the placer, which
// puts each case's lines and records not paid in their place in the
// output.

// arena holds values of a case in chunks whose addresses do not move,
// reused from case to case: line accumulators, the environments of a
// case's segments and of its explained lines.
type arena[T any] struct {
	chunks [][]T
	n      int // values in use
}

// arenaChunk is the number of values in a chunk of an arena.
const arenaChunk = 32

// next returns room for one more value; its previous contents are
// garbage.
func (a *arena[T]) next() *T {
	if a.n == len(a.chunks)*arenaChunk {
		a.chunks = append(a.chunks, make([]T, arenaChunk))
	}
	p := a.at(a.n)
	a.n++
	return p
}

// at returns the value numbered i.
func (a *arena[T]) at(i int) *T { return &a.chunks[i/arenaChunk][i%arenaChunk] }

// reset makes every value free again for the next case.
func (a *arena[T]) reset() { a.n = 0 }

// slab hands out memory that outlives the case it is taken for: the
// slices and values a settlement's output keeps (its lines, their units
// and factors, what was not paid). It carves them from chunks and never
// takes any back, so that a case costs no allocation of its own for
// them; a chunk lives as long as anything carved from it.
type slab[T any] struct {
	free  []T
	chunk int // the size of the last chunk
}

// slabChunk is the largest number of values in a chunk of a slab; a
// slice of more than an eighth of it is allocated on its own. A slab's
// first chunk holds 4 values (or the slice asked for) and each next one
// twice the one before, so that a settlement of one small customer (see
// SettleCustomers) does not carve its one case from a chunk of 512.
const slabChunk = 512

// take returns a slice of n zero values, its capacity n, so that
// appending to it copies.
func (s *slab[T]) take(n int) []T {
	if n == 0 {
		return nil
	}
	if n > len(s.free) {
		if n > slabChunk/8 {
			return make([]T, n)
		}
		s.chunk = min(max(2*s.chunk, n, 4), slabChunk)
		s.free = make([]T, s.chunk)
	}
	p := s.free[:n:n]
	s.free = s.free[n:]
	return p
}

// open returns an empty slice over the free memory of s, with room for
// at least n values, for a case to append its values to in place; commit
// then takes what was appended from s. Values appended beyond the room
// go to memory of their own, as append gives it.
func (s *slab[T]) open(n int) []T {
	if len(s.free) < n {
		s.chunk = min(max(2*s.chunk, n, 4), slabChunk)
		s.free = make([]T, max(s.chunk, n))
	}
	return s.free[:0]
}

// commit returns p, a slice open returned and values were appended to,
// its capacity its length; when p is still in the memory of s, the
// memory it holds is taken from s, so that nothing else is carved from
// it.
func (s *slab[T]) commit(p []T) []T {
	if len(p) == 0 {
		return nil
	}
	if len(s.free) > 0 && &p[0] == &s.free[0] {
		s.free = s.free[len(p):]
	}
	return p[:len(p):len(p)]
}

// caseOut is a buffer a case gathers its lines and what it did not pay
// in: a worker's, reused from case to case, so that what a case writes
// is written once to memory that is warm, and once to its place in the
// settlement (see placer), rather than to memory of its own and then
// copied.
type caseOut struct {
	lines  []Line
	unpaid []Unpaid
	// owner is the worker whose buffer it is; nil for a case's memory of
	// its own (see placer.put).
	owner *worker
}

// empty empties o for another case, and returns it. No record of the
// case it held is kept alive by it.
func (o *caseOut) empty() *caseOut {
	clear(o.lines)
	clear(o.unpaid)
	o.lines, o.unpaid = o.lines[:0], o.unpaid[:0]
	return o
}

// caseBufs is the most buffers a worker makes (see placer.put).
const caseBufs = 256

// placer puts the cases' lines and what they did not pay into the
// settlement's arrays, in order of provider, then customer, as the
// workers settle them. The workers take the cases in that order; a
// case settled before one ahead of it waits in its buffer, and is placed
// by the worker that places the one ahead, which hands the buffer back.
// A worker that runs so far ahead that it has no buffer to spare leaves
// such a case in memory of its own, as every case was before. The
// arrays are sized, once the first 64th of the cases is placed, for the
// whole settlement as the cases placed foretell it and an eighth more,
// and grown again only when that falls short; the last case's growth is
// exact.
type placer struct {
	// order holds the cases' numbers in the output's order.
	order []int
	// mu guards the rest, and the workers' free buffers (worker.bufs).
	mu sync.Mutex
	// waiting holds, by place, the cases settled and not yet placed;
	// next is the place of the next case to place.
	waiting []*caseOut
	next    int
	lines   []Line
	unpaid  []Unpaid
}

func newPlacer(in *input) *placer {
	// The cases are in order of customer, then provider.
	order := make([]int, len(in.cases))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return strings.Compare(in.cases[a].provider.ID, in.cases[b].provider.ID)
	})
	return &placer{order: order, waiting: make([]*caseOut, len(order))}
}

// take sets w.cur to a free buffer of w's for its next case.
func (p *placer) take(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(w.bufs); n > 0 {
		w.cur = w.bufs[n-1]
		w.bufs = w.bufs[:n-1]
		return
	}
	w.made++
	w.cur = &caseOut{owner: w, lines: make([]Line, 0, caseLines), unpaid: make([]Unpaid, 0, caseUnpaid)}
}

// caseLines and caseUnpaid are the room a worker's buffer is made with:
// a case of the benchmark's month has ten or eleven lines and five
// records not paid; a case with more grows it.
const caseLines, caseUnpaid = 16, 8

// put places the case at place k, which w settled in o, and the cases
// after it that were waiting for it, and hands the buffers placed back
// to their workers, emptied.
func (p *placer) put(k int, w *worker, o *caseOut) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k != p.next && len(w.bufs) == 0 && w.made >= caseBufs && o.owner != nil {
		// The case waits in memory of its own; w keeps its buffer.
		own := &caseOut{lines: w.out.lines.copyOf(o.lines), unpaid: w.out.unpaid.copyOf(o.unpaid)}
		w.bufs = append(w.bufs, o.empty())
		o = own
	}
	p.waiting[k] = o
	for p.next < len(p.waiting) && p.waiting[p.next] != nil {
		o := p.waiting[p.next]
		p.waiting[p.next] = nil
		p.next++
		p.lines = append(room(p.lines, len(o.lines), p.next, len(p.order)), o.lines...)
		p.unpaid = append(room(p.unpaid, len(o.unpaid), p.next, len(p.order)), o.unpaid...)
		if o.owner != nil {
			o.owner.bufs = append(o.owner.bufs, o.empty())
		}
	}
}

// room returns s with room for n more values, the n of the placed-th of
// cases cases (see placer): s itself when it has it.
func room[T any](s []T, n, placed, cases int) []T {
	need := len(s) + n
	if need <= cap(s) {
		return s
	}
	size := need
	switch {
	case placed >= cases:
	case placed*64 >= cases:
		size = need * cases / placed
		size += size/8 + 16
	default:
		size = max(2*cap(s), need, 16)
	}
	t := make([]T, len(s), size)
	copy(t, s)
	return t
}

// copyOf returns a copy of src in memory of s; nil when src is empty.
func (s *slab[T]) copyOf(src []T) []T {
	p := s.take(len(src))
	copy(p, src)
	return p
}
