package reimbursement

import (
	"cmp"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/textsafe"
)

// The ledger: every visit minute, granted item-day, listing-day and event
// of the month is either on a line (Line.Units) or in the not-paid list
// with its reason (Unpaid). tarifftest.CheckLedger states the rules and
// checks them.

// compareUnits orders unit references by kind, id and item (ids as
// text, byte by byte).
func compareUnits(a, b *UnitRef) int {
	// In turn, not with cmp.Or, which would compare every field of every
	// pair.
	if a.Kind != b.Kind {
		return cmp.Compare(a.Kind, b.Kind)
	}
	if c := strings.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	return strings.Compare(a.Item, b.Item)
}

// sortUnits returns refs sorted by kind, id and item, the refs of one
// record merged (their minutes and days added), in memory of dst: a
// line's units. It sorts the refs' positions in order (packed with
// bytes of their ids where it can: see unitScratch.sortPacked), in
// scratch kept for the next line, rather than the refs, seven words
// each, and moves each ref once, into dst; refs in order are copied as
// they are. refs is left as it was.
func sortUnits(dst *slab[UnitRef], refs []UnitRef, scratch *unitScratch) []UnitRef {
	if len(refs) == 0 {
		return nil
	}
	out := dst.take(len(refs))
	n := 0
	put := func(r *UnitRef) {
		if n > 0 {
			if last := &out[n-1]; r.Kind == last.Kind && r.ID == last.ID && r.Item == last.Item {
				last.Minutes += r.Minutes
				last.Days += r.Days
				return
			}
		}
		out[n] = *r
		n++
	}
	inOrder := true
	for i := 1; i < len(refs) && inOrder; i++ {
		inOrder = compareUnits(&refs[i-1], &refs[i]) <= 0
	}
	switch {
	case inOrder:
		for i := range refs {
			put(&refs[i])
		}
	case scratch.sortPacked(refs):
		// Refs whose packed id bytes differ have different ids: only
		// those of equal bytes can be one record's, and are compared.
		for i, k := range scratch.packed {
			if r := &refs[k&packedPos]; i > 0 && k>>16 != scratch.packed[i-1]>>16 {
				out[n] = *r
				n++
			} else {
				put(r)
			}
		}
	default:
		at := scratch.order[:0]
		for i := range refs {
			at = append(at, int32(i))
		}
		scratch.order = at
		slices.SortFunc(at, func(i, j int32) int { return compareUnits(&refs[i], &refs[j]) })
		for _, i := range at {
			put(&refs[i])
		}
	}
	clear(out[n:]) // no id kept alive past the line's units
	return out[:n:n]
}

// unitScratch is the room sortUnits sorts a line's refs in, reused from
// line to line.
type unitScratch struct {
	order  []int32
	packed []uint64
}

// packedPos is the bits of a packed key (see unitScratch.sortPacked)
// that hold the ref's position.
const packedPos = 1<<16 - 1

// sortPacked puts in s.packed the positions of refs in order of id and
// item, and reports whether it could: refs must be of one kind and
// fewer than 1<<16. As the function sortPacked sorts a case's visits,
// each ref is one uint64, sorted with no comparison function: six bytes
// of its id above its position, the bytes after the prefix every id of
// refs shares (a customer's visits' ids share the customer's), zeros
// past the id's end (see idBytes). An id's bytes below another's mean it
// sorts before it; refs whose bytes tie are then put in order by
// compareUnits.
func (s *unitScratch) sortPacked(refs []UnitRef) bool {
	if len(refs) > packedPos+1 {
		return false
	}
	first := refs[0].ID
	shared := len(first)
	for i := 1; i < len(refs); i++ {
		if refs[i].Kind != refs[0].Kind {
			return false
		}
		if id := refs[i].ID; !strings.HasPrefix(id, first[:shared]) {
			shared = commonPrefix(first[:shared], id)
		}
	}
	packed := s.packed[:0]
	for i := range refs {
		packed = append(packed, idBytes(refs[i].ID, shared)<<16|uint64(i))
	}
	slices.Sort(packed)
	for i := 0; i < len(packed); {
		j := i + 1
		for j < len(packed) && packed[j]>>16 == packed[i]>>16 {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(packed[i:j], func(a, b uint64) int { return compareUnits(&refs[a&packedPos], &refs[b&packedPos]) })
		}
		i = j
	}
	s.packed = packed
	return true
}

// commonPrefix returns the length of the longest prefix a and b share,
// comparing eight bytes at a time.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if x := leWord(a[i:]) ^ leWord(b[i:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8 // the lowest byte is the first
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// idBytes returns the six bytes of id from byte from, the first highest,
// zeros past the id's end: for ids that share their first from bytes, an
// id's bytes are below another's only when the id sorts before it, byte
// by byte (an id that ends within the six reads as itself padded with
// zeros, and is a prefix of any id it ties with).
func idBytes(id string, from int) uint64 {
	switch n := len(id) - from; {
	case n >= 8:
		return beWord(id[from:]) >> 16
	case len(id) >= 8:
		// The n bytes from from are the last n of the id's last eight,
		// shifted to the top with zeros below them (a shift by 64 gives
		// 0: no bytes).
		return beWord(id[len(id)-8:]) << (8 * (8 - n)) >> 16
	}
	var w uint64
	for k := from; k < from+6; k++ {
		w <<= 8
		if k < len(id) {
			w |= uint64(id[k])
		}
	}
	return w
}

// leWord returns the first eight bytes of s, the first lowest (one load).
func leWord(s string) uint64 {
	b := s[:8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// beWord returns the first eight bytes of s, the first highest.
func beWord(s string) uint64 {
	b := s[:8]
	return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
}

// envSet holds the distinct environments of a line's units, up to
// maxEnvs, for its explanation's inputs.
type envSet struct {
	envs []any
	seen map[any]struct{} // envs, for lookup once there are several
	more bool             // more distinct environments than maxEnvs were seen
}

const maxEnvs = 32

// add adds e, an environment (a comparable struct), unless the set holds
// it. Most lines have one or a few: those are compared in turn, more are
// looked up in a map.
func (s *envSet) add(e any, x *explainScratch) {
	if e == nil || s.more {
		return
	}
	if s.envs == nil && x != nil {
		s.envs = x.block()
	}
	// Visit environments, the most numerous, are compared by value
	// through a pointer, whichever form they come in; one given by value
	// is copied to the heap only when the set takes it. A type switch,
	// as an assertion to the value with ok would clear a copy of one, 352
	// bytes, for every environment that is not.
	switch v := e.(type) {
	case *visitEnv:
		if !s.hasVisit(v) {
			s.addVisit(v)
		}
		return
	case visitEnv:
		if !s.hasVisit(&v) {
			p := new(visitEnv)
			*p = v
			s.addVisit(p)
		}
		return
	}
	if s.seen != nil {
		if _, ok := s.seen[e]; ok {
			return
		}
	} else if slices.Contains(s.envs, e) {
		return
	}
	if len(s.envs) == maxEnvs {
		s.more = true
		return
	}
	s.envs = append(s.envs, e)
	switch {
	case s.seen != nil:
		s.seen[e] = struct{}{}
	case len(s.envs) > 4:
		s.seen = make(map[any]struct{}, maxEnvs)
		for _, x := range s.envs {
			s.seen[x] = struct{}{}
		}
	}
}

// addVisit adds p, a visit environment the set does not hold, unless
// the set is full.
func (s *envSet) addVisit(p *visitEnv) {
	if len(s.envs) == maxEnvs {
		s.more = true
		return
	}
	s.envs = append(s.envs, p)
}

// hasVisit reports whether the set holds a visit environment equal to p.
func (s *envSet) hasVisit(p *visitEnv) bool {
	// The units of a line mostly share a few environments of the case's
	// table (rawEnvs): the same pointer is looked for first, then an
	// equal environment.
	for _, x := range s.envs {
		if q, ok := x.(*visitEnv); ok && q == p {
			return true
		}
	}
	for _, x := range s.envs {
		if q, ok := x.(*visitEnv); ok && sameVisitEnv(p, q) {
			return true
		}
	}
	return false
}

// merge adds the environments of o, which s may take over: o is not
// used after. That more than maxEnvs were seen carries over.
func (s *envSet) merge(o *envSet, x *explainScratch) {
	if o == nil {
		return
	}
	if len(s.envs) == 0 && !s.more {
		*s = *o
		*o = envSet{}
		return
	}
	for _, e := range o.envs {
		s.add(e, x)
	}
	s.more = s.more || o.more
}

// inputs describes the line's units: an input the units agree on has its
// value; one they differ in lists the values, sorted and joined by " | ",
// or says how many there are. A value a unit leaves empty shows as "–".
func (s *envSet) inputs(x *explainScratch) []Input {
	switch len(s.envs) {
	case 0:
		return nil
	case 1:
		// The two environments of most lines are written straight into
		// the memory the results keep (see explainScratch.open).
		if x != nil {
			switch e := s.envs[0].(type) {
			case *visitEnv:
				return x.commit(e.appendInputs(x.open(visitFieldCount)))
			case itemEnv:
				return x.commit(e.appendInputs(x.open(itemFieldCount)))
			}
		}
		return inputsOf(s.envs[0])
	}
	if in, ok := s.visitInputs(x); ok {
		return in
	}
	return s.anyInputs()
}

// anyInputs is inputs for environments of any kind.
func (s *envSet) anyInputs() []Input {
	var names []string
	values := map[string][]string{} // distinct values by name
	addValue := func(name, v string) {
		if vs := values[name]; !slices.Contains(vs, v) {
			values[name] = append(vs, v)
		}
	}
	for i, e := range s.envs {
		ins := inputsOf(e)
		for _, in := range ins {
			if _, ok := values[in.Name]; !ok {
				names = append(names, in.Name)
				if i > 0 {
					addValue(in.Name, "–") // earlier units had no value for it
				}
			}
			addValue(in.Name, in.Value)
		}
		for _, n := range names {
			if !slices.ContainsFunc(ins, func(in Input) bool { return in.Name == n }) {
				addValue(n, "–")
			}
		}
	}
	out := make([]Input, 0, len(names))
	for _, n := range names {
		out = append(out, Input{Name: n, Value: s.joinValues(values[n])})
	}
	return out
}

// visitInputs is inputs for a set of visit environments only, read
// field by field (see visitFields); ok is false for any other set. The
// fields alike in every environment, as most are, are found by
// comparing each environment with the first (visitDiff) and written
// once; only the others are written for every environment and
// collected. The inputs come in the order of the first environment
// that has a value for them, then of the fields.
func (s *envSet) visitInputs(x *explainScratch) (_ []Input, ok bool) {
	if x == nil {
		x = &explainScratch{}
	}
	envs := x.envs[:0]
	for _, e := range s.envs {
		p, ok := e.(*visitEnv)
		if !ok {
			return nil, false
		}
		envs = append(envs, p)
	}
	x.envs = envs
	var differ uint32 // bit f: field f is not alike in all
	for _, e := range envs[1:] {
		if e != envs[0] {
			differ |= visitDiff(envs[0], e)
		}
	}
	// The inputs whose first value is the first environment's go
	// straight into the memory the results keep, in the order of the
	// fields; late holds the others, which come after them.
	out, late, vals := x.open(visitFieldCount), x.found[:0], x.vals[:0]
	var texts [visitFieldCount]string
	envs[0].texts(&texts)
	for f, v0 := range texts {
		if differ&(1<<f) == 0 {
			if v0 != "" {
				out = append(out, Input{Name: visitFields[f].name, Value: v0})
			}
			continue
		}
		value := visitFields[f].value
		// The distinct values, and "–" when some environment has none.
		vals = vals[:0]
		first, empty := -1, false
		for j, e := range envs {
			switch v := value(e); {
			case v == "":
				empty = true
			case first < 0:
				first = j
				vals = append(vals, v)
			case !slices.Contains(vals, v):
				vals = append(vals, v)
			}
		}
		if empty && !slices.Contains(vals, "–") { // a value may be written "–" too
			vals = append(vals, "–")
		}
		if first == 0 {
			out = append(out, Input{Name: visitFields[f].name, Value: s.joinIn(vals, x)})
		} else {
			late = append(late, foundInput{first: first, field: f, value: s.joinIn(vals, x)})
		}
	}
	if len(late) > 1 {
		slices.SortStableFunc(late, func(a, b foundInput) int { return cmp.Compare(a.first, b.first) })
	}
	for _, in := range late {
		out = append(out, Input{Name: visitFields[in.field].name, Value: in.value})
	}
	clear(late) // no value kept alive by the scratch
	x.found, x.vals = late[:0], vals[:0]
	return x.commit(out), true
}

// foundInput is a field of a set of visit environments that has a
// value: the first environment with one, and its values written out.
type foundInput struct {
	first, field int
	value        string
}

// valueSep joins the values of an input the units of a line differ in:
// spaced, unlike the "|" inside a value that lists (bands, tasks,
// attributes), so that "dag|kväll | kväll" reads as two values.
const valueSep = " | "

// joinValues writes the distinct values of an input: sorted and joined
// by valueSep, or how many when there are more than four.
func (s *envSet) joinValues(vs []string) string { return s.joinIn(vs, nil) }

// joinIn is joinValues with the worker's scratch x, nil for none: the
// text is written into its buffer, and a text written before for
// another line is taken again rather than allocated anew (a case's
// lines mostly differ in a few bands, days, tasks and minutes).
func (s *envSet) joinIn(vs []string, x *explainScratch) string {
	if len(vs) > 4 { // counted, neither sorted nor joined
		if len(vs) < len(variesText) {
			return variesText[len(vs)]
		}
		return variesOf(len(vs))
	}
	// Sorted in place by insertion: the few values cost less so than
	// by slices.Sort.
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j] < vs[j-1]; j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
	if x == nil {
		v := strings.Join(vs, valueSep)
		if len(vs) > 1 && s.more {
			v += valueSep + "…"
		}
		return v
	}
	b := x.text[:0]
	for i, v := range vs {
		if i > 0 {
			b = append(b, valueSep...)
		}
		b = append(b, v...)
	}
	if len(vs) > 1 && s.more {
		b = append(b, valueSep+"…"...)
	}
	x.text = b
	if v, ok := x.joined[string(b)]; ok {
		return v
	}
	if x.joined == nil || len(x.joined) >= maxJoined {
		x.joined = make(map[string]string)
	}
	v := string(b)
	x.joined[v] = v
	return v
}

// maxJoined bounds the texts of joinIn a worker keeps: past it, it
// starts anew.
const maxJoined = 1024

// variesOf is the text of an input of n values, n more than four.
func variesOf(n int) string { return "varierar (" + strconv.Itoa(n) + " värden)" }

// variesText holds variesOf of the counts a line can have, past four:
// up to its maxEnvs environments' values, and "–".
var variesText = func() (t [maxEnvs + 2]string) {
	for n := 5; n < len(t); n++ {
		t[n] = variesOf(n)
	}
	return t
}()

// explainScratch is a worker's memory for explanations, reused from line
// to line: blocks of room for a line's environments (see envSet.add),
// and the working slices of visitInputs.
type explainScratch struct {
	blocks arena[[maxEnvs]any]
	envs   []*visitEnv
	// kept is the memory the lines' inputs are written into (see open);
	// found and vals are visitInputs' working slices.
	kept  slab[Input]
	found []foundInput
	vals  []string
	// joined holds the texts of joinIn, by themselves; text is its
	// buffer.
	joined map[string]string
	text   []byte
}

// open returns room for a line's inputs, at most n, in memory the
// results keep, for them to be appended to in place; commit takes them
// at their length. A line's explanation then costs no allocation for
// them, no copy, nor room for inputs it does not have.
func (x *explainScratch) open(n int) []Input { return x.kept.open(n) }

// commit returns the inputs appended to a slice open returned, taken
// from the memory the results keep; none are an empty list.
func (x *explainScratch) commit(in []Input) []Input {
	if len(in) == 0 {
		return []Input{}
	}
	return x.kept.commit(in)
}

// block returns room for maxEnvs environments, for the case being
// settled.
func (x *explainScratch) block() []any { return x.blocks.next()[:0:maxEnvs] }

// reset makes every block free again when a case is settled.
func (x *explainScratch) reset() { x.blocks.reset() }

// unitsWidth is the width the units of a line's explanation are
// wrapped at.
const unitsWidth = 100

// unitsIndent is the indent of an explanation's rows after the first of
// one label ("  enheter    ").
const unitsIndent = "             "

// writeUnits writes a line's units for its explanation, every one of
// them (nothing is cut off: the explanation is where a controller
// recomputes the line), in the order of Line.Units (by kind, then id and
// item as text, byte by byte: "v12" before "v2"), each kind on a row of
// its own, wrapped at unitsWidth:
//
//	enheter    besök v1 20 min, v12 20 min, v2 25 min
//	           beslut b1 (Dusch) 600 min på 30 dagar
//	summa      645 min (4 poster) = radens antal
//
// A unit shows the minutes of it the line pays on a line of minutes,
// its days on a line of days, and otherwise what it has of either. With
// more than one unit, or units that do not add up to the line's
// quantity, a row "summa" adds them up and compares the sum with the
// quantity: on a line of minutes they add up to it; days on a line of
// days may not (a day that two records of a fixed monthly payment share
// counts once, a month paid whole counts the month's days), and the row
// says so, the steps giving the rule.
func writeUnits(w io.Writer, l *Line) {
	refs := l.Units
	if len(refs) == 0 {
		return
	}
	row := "  enheter    "
	var entries []string
	flush := func() {
		line := row
		fresh := true // nothing after the label and kind yet
		for i, e := range entries {
			if i < len(entries)-1 {
				e += ","
			}
			if !fresh && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(e) > unitsWidth {
				fmt.Fprintln(w, line)
				line, fresh = unitsIndent+"  ", true
			}
			if !fresh || !strings.HasSuffix(line, " ") {
				line += " "
			}
			line += e
			fresh = false
		}
		fmt.Fprintln(w, line)
		row, entries = unitsIndent, entries[:0]
	}
	var minutes int64
	var days int
	for i, r := range refs {
		if i > 0 && r.Kind != refs[i-1].Kind {
			flush()
		}
		if len(entries) == 0 {
			row += r.Kind.Swedish()
		}
		e := unitName(r.ID)
		if r.Item != "" {
			e += " (" + unitName(r.Item) + ")"
		}
		switch {
		case l.Unit == Minutes || (l.Unit != Days && r.Minutes != 0):
			e += fmt.Sprintf(" %d min", r.Minutes)
			if r.Days != 0 {
				e += fmt.Sprintf(" på %s", daysText(r.Days))
			}
		case l.Unit == Days || r.Days != 0:
			e += " " + daysText(r.Days)
		}
		entries = append(entries, e)
		minutes += r.Minutes
		days += r.Days
	}
	flush()
	// The sum, in the line's unit, compared with the quantity as numbers
	// (written "1 dag" and "1 dagar", one day never agreed, found by
	// attack). A line of occurrences whose records are decision items
	// counts activities (times × days, see the steps), not records: no
	// sum is claimed for it.
	var sum string
	var n int64
	switch l.Unit {
	case Minutes:
		n, sum = minutes, fmt.Sprintf("%d min", minutes)
	case Days:
		n, sum = int64(days), daysText(days)
	case Visits, Occurrences:
		if slices.ContainsFunc(refs, func(r UnitRef) bool { return r.Kind == RecordDecision || r.Kind == RecordListing }) {
			return
		}
		n, sum = int64(len(refs)), fmt.Sprintf("%d %s", len(refs), l.Unit)
	default:
		return
	}
	agrees := l.Quantity.Decimal.Equal(decimal.NewFromInt(n))
	qty := l.Quantity.String() + " " + l.Unit.String()
	if l.Unit == Days {
		qty = l.Quantity.String() + " dagar"
		if l.Quantity.Decimal.Equal(decimal.NewFromInt(1)) {
			qty = l.Quantity.String() + " dag"
		}
	}
	if len(refs) == 1 && agrees {
		return
	}
	if l.Unit != Visits && l.Unit != Occurrences {
		if len(refs) == 1 {
			sum += " (1 post)"
		} else {
			sum += fmt.Sprintf(" (%d poster)", len(refs))
		}
	}
	if agrees {
		fmt.Fprintf(w, "  summa      %s = radens antal\n", sum)
		return
	}
	fmt.Fprintf(w, "  summa      %s; radens antal är %s, se steg\n", sum, qty)
}

// unitName is a record's id or item as an explanation lists it: as it
// is, or quoted (strconv.Quote) when it is empty or holds what would
// make the list read otherwise (a space, a comma, a semicolon, a
// parenthesis, a quote) or a character a terminal could be tricked by.
func unitName(s string) string {
	if s == "" || strings.ContainsAny(s, " ,;()\"") || textsafe.Text(s) != s {
		return strconv.Quote(s)
	}
	return s
}

// duplicates finds the visits of a case that look like one visit
// registered twice (see Duplicate). The case's visits are sorted by start;
// those of one start are grouped by visitKey, so that n visits of one
// start cost n keys, not n² comparisons. The keys are written into one
// buffer and looked up without a copy: with the scratch x kept from case
// to case, a group costs a string per distinct visit in it, and the ids
// only of the duplicates.
func duplicates(ci *caseInput, loc *time.Location, x *dupScratch) []Duplicate {
	var out []Duplicate
	vs := ci.visits
	classes, class, count, at, key, tasks := x.classes, x.class, x.count, x.at, x.key, x.tasks
	defer func() { x.class, x.count, x.at, x.key, x.tasks = class, count, at, key, tasks }()
	for i := 0; i < len(vs); {
		j := i + 1
		for j < len(vs) && vs[j].Start.Equal(vs[i].Start) {
			j++
		}
		if j == i+1 {
			i = j // a visit of its own start: no duplicate
			continue
		}
		if classes == nil {
			classes = map[string]int{}
			x.classes = classes
		}
		clear(classes)
		class, count = class[:0], count[:0]
		for k := i; k < j; k++ {
			key, tasks = visitKey(key[:0], tasks[:0], vs[k])
			c, ok := classes[string(key)]
			if !ok {
				c = len(count)
				classes[string(key)] = c
				count = append(count, 0)
			}
			class = append(class, c)
			count[c]++
		}
		// The ids of the classes of two or more, each class its part of
		// one slice: at[c] is where class c's next id goes.
		at = at[:0]
		total := 0
		for _, n := range count {
			if n < 2 {
				at = append(at, -1)
				continue
			}
			at = append(at, total)
			total += n
		}
		if total > 0 {
			ids := make([]string, total)
			for k := i; k < j; k++ {
				if c := class[k-i]; at[c] >= 0 {
					ids[at[c]] = vs[k].ID
					at[c]++
				}
			}
			date := calendar.DateOf(vs[i].Start.In(loc))
			for c, n := range count {
				if n >= 2 {
					same := ids[at[c]-n : at[c] : at[c]]
					slices.Sort(same)
					out = append(out, Duplicate{Customer: ci.customer.ID, Provider: ci.provider.ID, Date: date, Visits: same})
				}
			}
		}
		i = j
	}
	slices.SortFunc(out, func(a, b Duplicate) int { return cmp.Or(a.Date.Compare(b.Date), slices.Compare(a.Visits, b.Visits)) })
	return out
}

// dupScratch is the working memory of duplicates, kept from case to case:
// within a group of visits of one start, the class of each key, the class
// of each visit, the visits of each class and where each class's ids go;
// a visit's key and its tasks.
type dupScratch struct {
	classes          map[string]int
	class, count, at []int
	key              []byte
	tasks            []string
}

// visitKey appends to b what two visits of one start must share to be
// the same visit registered twice: end, role, staff count and tasks as a
// set (each trimmed, sorted in tasks, the caller's buffer), each task
// written with its length so that no two sets share a key.
func visitKey(b []byte, tasks []string, v *models.Visit) ([]byte, []string) {
	for _, t := range v.Tasks {
		tasks = append(tasks, strings.TrimSpace(t))
	}
	slices.Sort(tasks)
	tasks = slices.Compact(tasks)
	b = strconv.AppendInt(b, v.End.Unix(), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(v.End.Nanosecond()), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(v.Role), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(v.StaffCount()), 10)
	for _, t := range tasks {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(len(t)), 10)
		b = append(b, ':')
		b = append(b, t...)
	}
	return b, tasks
}

// implausibleVisit says why a visit exceeds the plausibility limits, or
// returns "".
func (l limits) implausibleVisit(v *models.Visit, d time.Duration) string {
	if d > l.maxVisit {
		return fmt.Sprintf("varar %s, längre än det längsta rimliga besöket (%s)", d.Round(time.Minute), l.maxVisit)
	}
	if v.Staff > l.maxStaff {
		return fmt.Sprintf("personal %d, fler än rimliga %d", v.Staff, l.maxStaff)
	}
	return ""
}
