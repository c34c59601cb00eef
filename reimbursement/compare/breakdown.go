package compare

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// The breakdowns (the budget's and the months' rounding parts,
// Providers, ProviderComponents, Customers with their zones and
// providers, Components, Zones, Ownerships) are made in one pass over
// each side's lines, not one a breakdown: each part of the lines (Run's
// are a month of a side each, the base's added up while the proposal
// settles) adds its lines up by provider and component and by provider,
// customer and zone (cells), and the cells are then added up into every
// breakdown's rows. Every sum is exact, so the rows are the same
// whatever the parts and whichever part is added first, and the rows are
// sorted by key: the report does not depend on the workers.

// cell is what some lines of one side add up to: their amounts and
// their rounding part.
type cell struct {
	sum exact.Sum
	rem rounding
}

// addLine adds a line: its amount (made exact once: fits when it fits an
// int64) and its remainder.
func (w *cell) addLine(l *reimbursement.Line, amount exact.Fixed, fits bool, r *remainder) {
	if fits {
		w.sum.AddFixed(amount)
	} else {
		w.sum.Add(l.Amount.Decimal)
	}
	w.rem.add(r)
}

// part is a stretch of the lines of one settlement of one side, added
// up.
type part struct {
	side   int // 0 base, 1 proposed
	month  int // the settlement's index in its side's
	lo, hi int // its lines, s.Lines[lo:hi]
	// pcs hold the lines by provider and component: a cell for each
	// component of each run of a provider's lines.
	pcs []pcCell
	// runs hold the lines by provider, customer and zone: a cell for
	// each run of lines of the same three, in the order of the lines
	// (a customer's lines come together, by provider).
	runs []run
}

type pcCell struct {
	provider, component string
	cell
}

type run struct {
	provider, customer, zone string
	lo, hi                   int // the run's lines
	row                      int // the customer's row, set when the parts are added up
	cell
}

// add adds up the part's lines of s; neg negates their remainders (the
// base's, see lineRemainder).
func (p *part) add(s *reimbursement.Settlement, neg bool) {
	// Room for a run a customer total (a customer with a provider) of
	// the settlement, in proportion to the part's lines: a run is a
	// customer with a provider in one zone, so that room is grown only
	// where a customer's zone changes in the month. (Counted in a pass
	// of their own, the runs of a month of 100 000 visits cost 4.3 M
	// instructions, both sides.)
	n := len(s.Customers)
	if lines := p.hi - p.lo; lines < len(s.Lines) {
		n = n*lines/len(s.Lines) + 1
	}
	p.runs = make([]run, 0, n)
	var comps keyIndex // the current provider's components, to its cells in pcs
	r := -1            // the current run
	for i := p.lo; i < p.hi; i++ {
		l := &s.Lines[i]
		amount, fits := exact.Of(l.Amount.Decimal)
		rem := lineRemainderOf(l, neg, amount, fits)
		if r < 0 || l.Customer != p.runs[r].customer || l.Provider != p.runs[r].provider || l.Zone != p.runs[r].zone {
			if r >= 0 {
				p.runs[r].hi = i
			}
			if r < 0 || l.Provider != p.runs[r].provider {
				comps.reset()
			}
			p.runs = append(p.runs, run{provider: l.Provider, customer: l.Customer, zone: l.Zone, lo: i})
			r = len(p.runs) - 1
		}
		p.runs[r].addLine(l, amount, fits, &rem)
		k, ok := comps.get(l.Component)
		if !ok {
			k = len(p.pcs)
			p.pcs = append(p.pcs, pcCell{provider: l.Provider, component: l.Component})
			comps.put(l.Component, k)
		}
		p.pcs[k].addLine(l, amount, fits, &rem)
	}
	if r >= 0 {
		p.runs[r].hi = p.hi
	}
}

// keyIndex finds an index by a string key: by comparing, among few keys
// (a provider's components), and by a map once there are more.
type keyIndex struct {
	keys []string
	at   []int
	m    map[string]int
}

// linearKeys is how many keys a keyIndex compares before it hashes.
const linearKeys = 16

func (x *keyIndex) reset() {
	x.keys, x.at, x.m = x.keys[:0], x.at[:0], nil
}

func (x *keyIndex) get(k string) (int, bool) {
	if x.m != nil {
		i, ok := x.m[k]
		return i, ok
	}
	for j, key := range x.keys {
		if key == k {
			return x.at[j], true
		}
	}
	return 0, false
}

func (x *keyIndex) put(k string, i int) {
	if x.m != nil {
		x.m[k] = i
		return
	}
	if len(x.keys) < linearKeys {
		x.keys, x.at = append(x.keys, k), append(x.at, i)
		return
	}
	x.m = make(map[string]int, 2*linearKeys)
	for j, key := range x.keys {
		x.m[key] = x.at[j]
	}
	x.m[k] = i
}

// row is a row of a breakdown: the sums of its lines on each side, and
// its rounding part, which sums its lines' remainders of both sides (the
// base's negated).
type row struct {
	sum [2]exact.Sum
	has [2]bool
	rem rounding
}

// table is a breakdown's rows by key, in the order the keys were met.
type table[K comparable] struct {
	at   map[K]int
	keys []K
	rows []row
}

// grow makes room for n rows.
func (t *table[K]) grow(n int) {
	t.at = make(map[K]int, n)
	t.keys, t.rows = slices.Grow(t.keys, n), slices.Grow(t.rows, n)
}

// add adds a cell of side to the row of key k, and returns the row's
// index.
func (t *table[K]) add(k K, side int, c *cell) int {
	i, ok := t.at[k]
	if !ok {
		if t.at == nil {
			t.at = map[K]int{}
		}
		i = len(t.rows)
		t.at[k] = i
		t.keys = append(t.keys, k)
		t.rows = append(t.rows, row{})
	}
	w := &t.rows[i]
	w.sum[side].AddSum(&c.sum)
	w.has[side] = true
	w.rem.addAll(&c.rem)
	return i
}

// minChunk is the fewest rows changes makes on a core of its own (a
// variable, for tests to cut the rows finely).
var minChunk = 512

// changes returns a change per row, in the order of compare, on workers
// cores; label
// gives a key's Key, Name and Provider. A key present on one side only
// has zero on the other, at that side's scale ("0.00" beside "89754.30",
// as a settlement writes kronor). order, when not nil, receives the
// rows' indexes in the changes' order.
func (t *table[K]) changes(compare func(a, b K) int, label func(K) (key, name, provider string), order *[]int, workers int) []Change {
	idx := make([]int, len(t.rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return compare(t.keys[a], t.keys[b]) })
	// A side without lines of a key has zero at the other's scale.
	value := func(w *row, side int) decimal.Decimal {
		if w.has[side] {
			return w.sum[side].Value()
		}
		return decimal.New(0, w.sum[1-side].Value().Exponent())
	}
	out := make([]Change, len(idx))
	// The changes of many rows (the customers') are made on the
	// workers' cores, each its own rows.
	chunk := len(idx)
	if workers > 1 && len(idx) >= 2*minChunk {
		chunk = max(minChunk, (len(idx)+workers-1)/workers)
	}
	var tasks []func()
	for lo := 0; lo < len(idx); lo += chunk {
		tasks = append(tasks, func() {
			for k := lo; k < min(lo+chunk, len(idx)); k++ {
				w := &t.rows[idx[k]]
				key, name, provider := label(t.keys[idx[k]])
				out[k] = newChange(key, name, value(w, 0), value(w, 1))
				out[k].Provider = provider
			}
		})
	}
	parallel(workers, tasks)
	parts := make([]*rounding, len(idx))
	scale := int32(2)
	for k, i := range idx {
		parts[k] = &t.rows[i].rem
		// The rounding parts are shown to the öre, or to the most
		// decimals of a difference where that has more: the budget's,
		// whichever breakdown.
		scale = max(scale, -out[k].Difference.Exponent())
	}
	for i, r := range roundingParts(parts, scale) {
		out[i].Rounding = r
	}
	if order != nil {
		*order = idx
	}
	return out
}

// partsOf cuts the lines of the settlements ss of side into parts of at
// most size lines, month by month, in the order of the lines.
func partsOf(side int, ss []*reimbursement.Settlement, size int) []part {
	var out []part
	for j, s := range ss {
		for lo := 0; lo < len(s.Lines); lo += size {
			out = append(out, part{side: side, month: j, lo: lo, hi: lo + min(size, len(s.Lines)-lo)})
		}
	}
	return out
}

// settlements returns the settlements of side, 0 base or 1 proposed.
func (c *Report) settlements(side int) []*reimbursement.Settlement {
	if side == 0 {
		return c.BaseSettlements
	}
	return c.ProposedSettlements
}

type providerComponent struct{ provider, component string }

// place is a customer's zones and providers.
type place struct{ zones, providers names }

// breakdown is the breakdowns made of the parts: see addUp.
type breakdown struct {
	parts []part
	// customers are the customer rows' indexes in c.Customers, by row.
	customers []int
}

// addUp adds the parts, added up, into every breakdown's rows, and sets
// the breakdowns of c: the budget's and the months' rounding parts,
// Providers, ProviderComponents, Customers with their zones and
// providers, Components, Zones and Ownerships.
func (c *Report) addUp(parts []part, workers int) *breakdown {
	var total, months, providers, components, zones, owned, customers table[string]
	var pcs table[providerComponent]
	// As many customers as runs at most.
	runs := 0
	for i := range parts {
		runs += len(parts[i].runs)
	}
	customers.grow(runs)
	places := make([]place, 0, runs)
	owner := ownerships(c.BaseSettlements, c.ProposedSettlements)
	for pi := range parts {
		p := &parts[pi]
		s := c.settlements(p.side)[p.month]
		// A line's ownership is its provider's in the settlement it is
		// a line of: a proposal that brings a provider into egen regi
		// moves its amount from private to own between the sides.
		own := owner[s]
		for i := range p.pcs {
			x := &p.pcs[i]
			total.add("", p.side, &x.cell)
			months.add(s.Period, p.side, &x.cell)
			providers.add(x.provider, p.side, &x.cell)
			components.add(x.component, p.side, &x.cell)
			pcs.add(providerComponent{x.provider, x.component}, p.side, &x.cell)
			owned.add(own[x.provider].String(), p.side, &x.cell)
		}
		for i := range p.runs {
			x := &p.runs[i]
			k := customers.add(x.customer, p.side, &x.cell)
			if k == len(places) {
				places = append(places, place{})
			}
			places[k].zones.add(x.zone)
			places[k].providers.add(x.provider)
			x.row = k
			zones.add(x.zone, p.side, &x.cell)
		}
	}
	plain := func(names map[string]string) func(string) (string, string, string) {
		return func(k string) (string, string, string) { return k, names[k], "" }
	}
	// The rounding parts of the budget and of each month, from the same
	// lines as every other breakdown's.
	for _, r := range total.changes(strings.Compare, plain(nil), nil, workers) {
		c.Total.Rounding = r.Rounding
	}
	for _, r := range months.changes(strings.Compare, plain(nil), nil, workers) {
		if i := slices.IndexFunc(c.Months, func(m Change) bool { return m.Key == r.Key }); i >= 0 {
			c.Months[i].Rounding = r.Rounding
		}
	}
	names := c.providerNames()
	c.Providers = providers.changes(strings.Compare, plain(names), nil, workers)
	c.ProviderComponents = pcs.changes(func(a, b providerComponent) int {
		return cmp.Or(strings.Compare(a.provider, b.provider), strings.Compare(a.component, b.component))
	}, func(k providerComponent) (string, string, string) { return k.component, names[k.provider], k.provider }, nil, workers)
	var order []int
	c.Customers = customers.changes(strings.Compare, plain(nil), &order, workers)
	b := &breakdown{parts: parts, customers: make([]int, len(order))}
	// Each customer's zones and providers in the months compared, the
	// distinct ones of its lines of both sides, sorted, joined by "+".
	for i, k := range order {
		c.Customers[i].Zone, c.Customers[i].Provider = places[k].zones.joined(), places[k].providers.joined()
		b.customers[k] = i
	}
	c.Components = components.changes(strings.Compare, plain(nil), nil, workers)
	c.Zones = zones.changes(strings.Compare, plain(nil), nil, workers)
	c.Ownerships = owned.changes(strings.Compare, plain(ownershipNames), nil, workers)
	return b
}

// linesOf appends the lines of the customers chosen (by position in
// c.Customers, to their places in c.Largest) to their largest changes,
// base and proposed, in the order of the settlements: from the runs of
// the parts, not by looking at every line.
func (c *Report) linesOf(b *breakdown, chosen map[int]int) {
	for pi := range b.parts {
		p := &b.parts[pi]
		s := c.settlements(p.side)[p.month]
		for i := range p.runs {
			x := &p.runs[i]
			at, ok := chosen[b.customers[x.row]]
			if !ok {
				continue
			}
			d := &c.Largest[at]
			if p.side == 0 {
				d.BaseLines = append(d.BaseLines, s.Lines[x.lo:x.hi]...)
			} else {
				d.ProposedLines = append(d.ProposedLines, s.Lines[x.lo:x.hi]...)
			}
		}
	}
}

// ownerships returns each settlement's providers' ownership.
func ownerships(sides ...[]*reimbursement.Settlement) map[*reimbursement.Settlement]map[string]models.Ownership {
	owner := map[*reimbursement.Settlement]map[string]models.Ownership{}
	for _, ss := range sides {
		for _, s := range ss {
			m := make(map[string]models.Ownership, len(s.Providers))
			for _, p := range s.Providers {
				m[p.Provider] = p.Ownership
			}
			owner[s] = m
		}
	}
	return owner
}

// parallel runs the tasks on workers goroutines, and returns when all
// have returned. A task's panic is raised again in the caller's
// goroutine, the first in the tasks' order, as if run there.
func parallel(workers int, tasks []func()) {
	panics := make([]any, len(tasks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, len(tasks))) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(tasks); i = int(next.Add(1) - 1) {
				func() {
					defer func() { panics[i] = recover() }()
					tasks[i]()
				}()
			}
		})
	}
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// background runs f on a goroutine of its own when beside, and returns a
// function that waits for it to return (at once when not beside: f has
// run). A panic of f is raised again by the wait, in its caller's
// goroutine.
func background(beside bool, f func()) (wait func()) {
	if !beside {
		f()
		return func() {}
	}
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		f()
	}()
	return func() {
		if p := <-done; p != nil {
			panic(p)
		}
	}
}
