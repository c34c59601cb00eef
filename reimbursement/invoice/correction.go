package invoice

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/csvdialect"
	"github.com/hemtjanst/ersattning/reimbursement/internal/textsafe"
)

// CorrectionReason says why a correction line is there. The zero value
// is CorrectionUnknown.
type CorrectionReason uint8

// The reasons for a correction line.
const (
	CorrectionUnknown CorrectionReason = iota
	Added                              // the line is new: nothing was paid for it
	Removed                            // the line is gone: what was paid is credited
	QuantityChanged                    // the quantity changed (late registrations, corrected visits or decisions)
	AmountChanged                      // the same quantity is priced otherwise (a rate, a share, a surcharge's base)
)

var correctionReasons = []string{"unknown", "added", "removed", "quantity_changed", "amount_changed"}

// String returns the reason's name, e.g. "quantity_changed".
func (r CorrectionReason) String() string {
	if int(r) < len(correctionReasons) {
		return correctionReasons[r]
	}
	return fmt.Sprintf("correction_reason(%d)", r)
}

// MarshalText implements encoding.TextMarshaler.
func (r CorrectionReason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Swedish returns the reason as the text report writes it: "ny rad",
// "borttagen rad", "ändrat antal", "ändrat belopp".
func (r CorrectionReason) Swedish() string {
	switch r {
	case Added:
		return "ny rad"
	case Removed:
		return "borttagen rad"
	case QuantityChanged:
		return "ändrat antal"
	case AmountChanged:
		return "ändrat belopp"
	}
	return r.String()
}

// Correction is an efterreglering: what changes in a month already
// settled and invoiced when it is settled again on the current data —
// visits registered after the lock date, visits approved late, decisions
// corrected afterwards. Its lines are debits (positive: the provider is
// owed more) and credits (negative), per provider, customer and
// component; the issued settlement's lines with the correction's lines
// add up, per provider, customer and component, to the fresh
// settlement's.
type Correction struct {
	Period string `json:"period"`
	// Versions are the tariff versions of the fresh settlement.
	Versions []reimbursement.VersionRef `json:"versions"`
	// Providers are the providers of both settlements, for the
	// correction's own invoice basis (Settlement).
	Providers []reimbursement.ProviderTotal `json:"providers"`
	// Issued, Fresh and Difference are the totals of the issued and the
	// fresh settlement and of the correction.
	Issued     reimbursement.Amount `json:"issued"`
	Fresh      reimbursement.Amount `json:"fresh"`
	Difference reimbursement.Amount `json:"difference"`
	// Lines in order of provider, customer, version and component.
	Lines []CorrectionLine `json:"lines"`
}

// CorrectionLine is one line of a correction: a settlement line's
// identity (provider, customer, version, component, kind, category, zone,
// band, unit, rate, factor), its quantity and amount as issued and as
// settled now, the differences, the reason, the records settled now
// that the issued settlement did not pay (Paid), or paid and now does
// not (Unpaid), for the customer and provider, and the records of the
// line whose paid minutes or days changed (Changes).
type CorrectionLine struct {
	// Line is the line as settled now, its Quantity and Amount replaced
	// by the differences: what is debited (positive) or credited.
	reimbursement.Line
	// IssuedQuantity and IssuedAmount are the line's as issued.
	IssuedQuantity, IssuedAmount reimbursement.Amount
	Reason                       CorrectionReason
	// Paid are the records of the customer and provider that the issued
	// settlement did not pay and the fresh one pays on a line, as
	// "visit:t2-v09 (after_lock)" or, a decision's item,
	// "decision:t3-b1/Dusch (absent)", with the issued reason; Unpaid
	// those it paid on a line and the fresh one does not, with the fresh
	// reason. A record in neither settlement's lines is in neither list. The lines of one customer and provider share these
	// slices: copy one before changing it.
	Paid, Unpaid []string
	// Changes are the records behind the change of this line: each record
	// (visit, decision item, listing, event) the issued line or the fresh
	// one names (Line.Units) whose paid minutes or days differ, or that
	// one of them does not name, in order of kind, id and item. A visit
	// taken out of the data, or added to it, is named here, where Paid
	// and Unpaid, which follow what the settlements did not pay, do not.
	// Changes is nil when the issued or the fresh line, where the
	// settlement has it, records no units: a settlement read back from an
	// older JSON without the units behind each line tells nothing of its
	// records, and comparing with nothing would call every unit of the
	// other side added or removed. (A line only one settlement has is
	// compared with no line: its records are all added, or all removed.)
	// The CSV's and the report's changes are then empty.
	Changes []UnitChange `json:"changes,omitempty"`
}

// UnitChange is a record whose part of a line a correction changes: what
// of it the issued line paid and what the fresh line pays, in minutes or
// days as the lines' units have them (UnitRef). A record that one of the
// lines does not name has false there.
type UnitChange struct {
	Kind reimbursement.RecordKind `json:"kind"`
	ID   string                   `json:"id"`
	Item string                   `json:"item,omitempty"`
	// InIssued and InFresh report whether the issued and the fresh line
	// name the record.
	InIssued bool `json:"in_issued"`
	InFresh  bool `json:"in_fresh"`
	// The minutes and days of the record each line pays.
	IssuedMinutes int64 `json:"issued_minutes,omitempty"`
	FreshMinutes  int64 `json:"fresh_minutes,omitempty"`
	IssuedDays    int   `json:"issued_days,omitempty"`
	FreshDays     int   `json:"fresh_days,omitempty"`
}

// String writes the change as the CSV and text reports show it, as Paid
// names a record: kind:id[/item], then in brackets whether the fresh line
// adds or drops the record and the minutes or days, issued→fresh where
// both lines name it: "visit:t2-v09 (added, 50 min)", "visit:t1-v12
// (removed, 50 min)", "visit:t3-v01 (65→60 min)",
// "decision:t3-b2/Trygghetslarm (31→16 days)".
func (u UnitChange) String() string { return u.text(false) }

// text writes the change as String does, or, swedish, as the text
// report does: "besök t2-v09 (tillkommer, 50 min)", "besök t1-v12 (faller
// bort, 50 min)", "beslut t3-b2/Trygghetslarm (31→16 dagar)".
func (u UnitChange) text(swedish bool) string {
	var b strings.Builder
	if swedish {
		b.WriteString(u.Kind.Swedish())
		b.WriteByte(' ')
	} else {
		b.WriteString(u.Kind.String())
		b.WriteByte(':')
	}
	b.WriteString(u.ID)
	if u.Item != "" {
		b.WriteByte('/')
		b.WriteString(u.Item)
	}
	added, removed := "added", "removed"
	if swedish {
		added, removed = "tillkommer", "faller bort"
	}
	var parts []string
	switch {
	case !u.InIssued:
		parts = append(parts, added)
	case !u.InFresh:
		parts = append(parts, removed)
	}
	amount := func(issued, fresh int64, unit string) {
		switch {
		case issued == 0 && fresh == 0:
		case !u.InIssued:
			parts = append(parts, fmt.Sprintf("%d %s", fresh, unit))
		case !u.InFresh:
			parts = append(parts, fmt.Sprintf("%d %s", issued, unit))
		default:
			parts = append(parts, fmt.Sprintf("%d→%d %s", issued, fresh, unit))
		}
	}
	amount(u.IssuedMinutes, u.FreshMinutes, "min")
	days := "days"
	if swedish {
		days = "dagar"
	}
	amount(int64(u.IssuedDays), int64(u.FreshDays), days)
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	return b.String()
}

// Credit reports whether the line takes money back; false for a nil
// line.
func (l *CorrectionLine) Credit() bool { return l != nil && l.Amount.IsNegative() }

// lineKey is what makes two settlement lines the same line. The rate
// and the factor are there by value (canonical): a settlement read back
// from its JSON writes them as they were written, "388.00", and another
// may write the same rate "388"; no factor is a factor of 1.
type lineKey struct {
	provider, customer, version, component, kind, category, zone, band, unit, rate, factor string
	divisor                                                                                int64
}

func keyOf(l reimbursement.Line) lineKey {
	factor := decimal.NewFromInt(1)
	if l.Factor != nil {
		factor = l.Factor.Decimal
	}
	return lineKey{l.Provider, l.Customer, l.Version, l.Component, l.Kind.String(), l.Category.String(), l.Zone, l.Band,
		l.Unit.String(), canonical(l.Rate.Decimal), canonical(factor), l.Divisor}
}

// canonical writes a decimal's value, the same for every way of writing
// it: without trailing zeros and exponent ("388.00", "388" and
// "3.880E2" are "388"; "-0.00" is "0").
func canonical(d decimal.Decimal) string {
	return d.String() // decimal.Decimal's String drops trailing zeros, unlike Amount's
}

// Correct compares the settlement that was issued for a month (read back
// from its JSON) with a fresh settlement of the same month on the current
// data (with the lock date lifted, or moved) and returns the correction:
// a line for every settlement line whose quantity or amount differs, with
// the difference. It returns an error when the months differ, or when
// either settlement does not add up (Settlement.CheckSums): an issued
// settlement read back from JSON that was edited or cut short would carry
// its error into the correction; when either holds totals only, as
// SettleCustomers returns (reimbursement.ErrTotalsOnly: Merge what its
// sink received); and when either is nil.
func Correct(issued, fresh *reimbursement.Settlement) (*Correction, error) {
	switch {
	case issued == nil:
		return nil, errors.New("invoice: Correct: no issued settlement (nil)")
	case fresh == nil:
		return nil, errors.New("invoice: Correct: no fresh settlement (nil)")
	}
	if issued.Period != fresh.Period {
		return nil, fmt.Errorf("invoice: correction of %s by a settlement of %s", issued.Period, fresh.Period)
	}
	for _, p := range []struct {
		name string
		s    *reimbursement.Settlement
	}{{"issued", issued}, {"fresh", fresh}} {
		if p.s.TotalsOnly() {
			return nil, fmt.Errorf("invoice: Correct: the %s settlement: %w", p.name, reimbursement.ErrTotalsOnly)
		}
	}
	if err := issued.CheckSums(); err != nil {
		return nil, fmt.Errorf("invoice: the issued settlement does not add up: %w", err)
	}
	if err := fresh.CheckSums(); err != nil {
		return nil, fmt.Errorf("invoice: the fresh settlement does not add up: %w", err)
	}
	c := &Correction{Period: issued.Period, Versions: fresh.Versions, Issued: issued.Total, Fresh: fresh.Total,
		Difference: reimbursement.AmountOf(fresh.Total.Sub(issued.Total.Decimal))}
	was, wasOrder := byKey(issued.Lines)
	now, nowOrder := byKey(fresh.Lines)
	for _, k := range nowOrder {
		l := now[k]
		old, ok := was[k]
		switch {
		case !ok:
			c.add(l.Line, zeroLike(l.Quantity), zeroLike(l.Amount), Added, changes(nil, &l))
		case !old.Quantity.Equal(l.Quantity):
			c.add(l.Line, old.Quantity, old.Amount, QuantityChanged, changes(&old, &l))
		case !old.Amount.Equal(l.Amount):
			c.add(l.Line, old.Quantity, old.Amount, AmountChanged, changes(&old, &l))
		}
	}
	for _, k := range wasOrder {
		if _, ok := now[k]; !ok {
			l := was[k]
			gone := l.Line
			gone.Quantity, gone.Amount, gone.Units = zeroLike(l.Quantity), zeroLike(l.Amount), nil
			c.add(gone, l.Quantity, l.Amount, Removed, changes(&l, nil))
		}
	}
	c.records(issued, fresh)
	c.providers(issued, fresh)
	slices.SortStableFunc(c.Lines, func(a, b CorrectionLine) int {
		return cmp.Or(strings.Compare(a.Provider, b.Provider), strings.Compare(a.Customer, b.Customer),
			strings.Compare(a.Version, b.Version), strings.Compare(a.Component, b.Component), cmp.Compare(a.Reason, b.Reason))
	})
	return c, nil
}

// keyed is the lines of one identity added up, and whether each of them
// recorded its units (a settlement of an older JSON format does not).
type keyed struct {
	reimbursement.Line
	unitsRecorded bool
}

// byKey gathers lines by their identity, adding up the quantities and
// amounts of lines that share one, and returns the keys in order of
// first appearance.
func byKey(lines []reimbursement.Line) (map[lineKey]keyed, []lineKey) {
	m := map[lineKey]keyed{}
	var order []lineKey
	for _, l := range lines {
		k := keyOf(l)
		if prev, ok := m[k]; ok {
			prev.Quantity = reimbursement.AmountOf(prev.Quantity.Add(l.Quantity.Decimal))
			prev.Amount = reimbursement.AmountOf(prev.Amount.Add(l.Amount.Decimal))
			prev.Units = append(slices.Clip(prev.Units), l.Units...) // a copy: the settlement's stays as it is
			prev.unitsRecorded = prev.unitsRecorded && len(l.Units) > 0
			m[k] = prev
			continue
		}
		m[k] = keyed{l, len(l.Units) > 0}
		order = append(order, k)
	}
	return m, order
}

// changes returns the changes of the records behind a line between its
// issued and its fresh side (nil where the settlement has no such line),
// or nil when a side that exists did not record its units: a settlement
// read back from an older JSON, without them, would make every unit of
// the other side look added or removed.
func changes(issued, fresh *keyed) []UnitChange {
	var was, now []reimbursement.UnitRef
	if issued != nil {
		if !issued.unitsRecorded {
			return nil
		}
		was = issued.Units
	}
	if fresh != nil {
		if !fresh.unitsRecorded {
			return nil
		}
		now = fresh.Units
	}
	return unitChanges(was, now)
}

// zeroLike returns zero with a's scale, so "0.00" prints as kronor.
func zeroLike(a reimbursement.Amount) reimbursement.Amount {
	return reimbursement.AmountOf(decimal.New(0, a.Exponent()))
}

// add appends the correction of line l (as settled now) from what was
// issued: the differences of quantity and amount, and the records behind
// them.
func (c *Correction) add(l reimbursement.Line, qty, amount reimbursement.Amount, r CorrectionReason, changes []UnitChange) {
	cl := CorrectionLine{Line: l, IssuedQuantity: qty, IssuedAmount: amount, Reason: r, Changes: changes}
	cl.Quantity = reimbursement.AmountOf(l.Quantity.Sub(qty.Decimal))
	cl.Amount = reimbursement.AmountOf(l.Amount.Sub(amount.Decimal))
	cl.Explanation = l.Explanation
	c.Lines = append(c.Lines, cl)
}

// unitChanges returns the records of the units of an issued line and of
// the fresh line that are paid differently (see CorrectionLine.Changes),
// in order of kind, id and item. A record named twice in one line's
// units (lines of one identity added up by byKey) counts with the sum.
func unitChanges(issued, fresh []reimbursement.UnitRef) []UnitChange {
	type record struct {
		kind     reimbursement.RecordKind
		id, item string
	}
	byRecord := map[record]*UnitChange{}
	var order []*UnitChange
	at := func(u reimbursement.UnitRef) *UnitChange {
		r := record{u.Kind, u.ID, u.Item}
		ch := byRecord[r]
		if ch == nil {
			ch = &UnitChange{Kind: u.Kind, ID: u.ID, Item: u.Item}
			byRecord[r] = ch
			order = append(order, ch)
		}
		return ch
	}
	for _, u := range issued {
		ch := at(u)
		ch.InIssued = true
		ch.IssuedMinutes += u.Minutes
		ch.IssuedDays += u.Days
	}
	for _, u := range fresh {
		ch := at(u)
		ch.InFresh = true
		ch.FreshMinutes += u.Minutes
		ch.FreshDays += u.Days
	}
	var out []UnitChange
	for _, ch := range order {
		if ch.InIssued != ch.InFresh || ch.IssuedMinutes != ch.FreshMinutes || ch.IssuedDays != ch.FreshDays {
			out = append(out, *ch)
		}
	}
	slices.SortFunc(out, func(a, b UnitChange) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID), strings.Compare(a.Item, b.Item))
	})
	return out
}

// records names, on the lines of each customer and provider, what the
// fresh settlement pays that the issued one did not, and the reverse.
func (c *Correction) records(issued, fresh *reimbursement.Settlement) {
	type who struct{ provider, customer string }
	// A record of a customer and provider, by its fields: ids may hold
	// any character, "/" too, so no text joining them tells two apart.
	type record struct {
		kind               reimbursement.RecordKind
		id, item           string
		provider, customer string
	}
	unpaid := func(s *reimbursement.Settlement) map[record]reimbursement.Unpaid {
		m := map[record]reimbursement.Unpaid{}
		for _, u := range s.NotPaid {
			m[record{u.Kind, u.ID, u.Item, u.Provider, u.Customer}] = u
		}
		return m
	}
	was, now := unpaid(issued), unpaid(fresh)
	// onLine: the records a settlement's lines pay. A record that was not
	// paid and is not in the fresh data at all (a visit of another month
	// taken out of it) is not paid now, and one newly in the data that
	// the fresh settlement does not pay was not lost (found by trial:
	// January's visits, taken out of a February correction, were listed
	// as paid).
	// A settlement read back from an older JSON has lines and names no
	// units on any (nil): it tells nothing, and every record is taken to
	// be on a line. A settlement of no lines pays nothing (found by
	// attack: it was taken for an older JSON, and a record gone from
	// the data was listed as paid by a settlement that paid nothing).
	onLine := func(s *reimbursement.Settlement) map[record]bool {
		m := map[record]bool{}
		for i := range s.Lines {
			l := &s.Lines[i]
			for _, u := range l.Units {
				m[record{u.Kind, u.ID, u.Item, l.Provider, l.Customer}] = true
			}
		}
		if len(m) == 0 && len(s.Lines) > 0 {
			return nil
		}
		return m
	}
	paidBefore, paidNow := onLine(issued), onLine(fresh)
	on := func(m map[record]bool, k record) bool { return m == nil || m[k] }
	name := func(u reimbursement.Unpaid) string {
		if u.Item != "" {
			return fmt.Sprintf("%s:%s/%s (%s)", u.Kind, u.ID, u.Item, u.Reason)
		}
		return fmt.Sprintf("%s:%s (%s)", u.Kind, u.ID, u.Reason)
	}
	paid, lost := map[who][]string{}, map[who][]string{}
	for k, u := range was {
		if _, still := now[k]; !still && on(paidNow, k) {
			w := who{u.Provider, u.Customer}
			paid[w] = append(paid[w], name(u))
		}
	}
	for k, u := range now {
		if _, before := was[k]; !before && on(paidBefore, k) {
			w := who{u.Provider, u.Customer}
			lost[w] = append(lost[w], name(u))
		}
	}
	// Sorted once a provider and customer, and shared by their lines
	// (clipped, so that appending to one line's copies it).
	for _, m := range []map[who][]string{paid, lost} {
		for w, recs := range m {
			slices.Sort(recs)
			m[w] = slices.Clip(recs)
		}
	}
	for i := range c.Lines {
		l := &c.Lines[i]
		w := who{l.Provider, l.Customer}
		l.Paid, l.Unpaid = paid[w], lost[w]
	}
}

// providers adds up the correction by provider, for each provider of
// either settlement that has correction lines.
func (c *Correction) providers(issued, fresh *reimbursement.Settlement) {
	known := map[string]reimbursement.ProviderTotal{}
	for _, s := range []*reimbursement.Settlement{issued, fresh} {
		for _, p := range s.Providers {
			known[p.Provider] = reimbursement.ProviderTotal{Provider: p.Provider, Name: p.Name, Ownership: p.Ownership}
		}
	}
	sums := map[string]decimal.Decimal{}
	customers := map[string]map[string]bool{}
	for _, l := range c.Lines {
		sums[l.Provider] = sums[l.Provider].Add(l.Amount.Decimal)
		if customers[l.Provider] == nil {
			customers[l.Provider] = map[string]bool{}
		}
		customers[l.Provider][l.Customer] = true
	}
	for _, id := range slices.Sorted(maps.Keys(sums)) {
		p := known[id]
		p.Provider, p.Amount, p.Customers = id, reimbursement.AmountOf(sums[id]), len(customers[id])
		c.Providers = append(c.Providers, p)
	}
}

// Settlement returns the correction in the shape of a settlement: its
// lines are the correction's (the differences), each naming the records
// behind its difference (CorrectionLine.Changes) with the minutes or days
// each changes by, and none when no record changed or a settlement
// records no units, its totals (of each customer with each provider, in
// order of customer, then provider, as Settle's; of each provider; of
// the whole) their sums, without key figures. A line's amount is the
// difference of two amounts each rounded, not its quantity × rate
// rounded again (−0.49 = 0.48 − 0.97 where −32.33 kr × 1.5 % is −0.48),
// so Settlement.CheckSums, which checks that arithmetic, and Merge,
// which checks it, can refuse it.
// Correction.Build makes of it the correction's invoice basis per
// provider, to be written as CSV and HTML and sent as a Peppol invoice
// (negative when the provider owes money back); Build of it alone cannot
// tell it from a month's and numbers it as the month's invoice. It
// returns nil for a nil correction.
func (c *Correction) Settlement() *reimbursement.Settlement {
	if c == nil {
		return nil
	}
	s := &reimbursement.Settlement{Period: c.Period, Versions: c.Versions, Total: c.Difference, Providers: c.Providers}
	for _, l := range c.Lines {
		// The records behind the difference, each with the minutes or
		// days it changes by; none when no record changed or a side
		// records none (Changes nil). Named by the fresh line's records,
		// a line credited in full named none, and a line that gained a
		// visit named every visit (found by attack).
		line := l.Line
		line.Units = nil
		for _, ch := range l.Changes {
			line.Units = append(line.Units, reimbursement.UnitRef{Kind: ch.Kind, ID: ch.ID, Item: ch.Item,
				Minutes: ch.FreshMinutes - ch.IssuedMinutes, Days: ch.FreshDays - ch.IssuedDays})
		}
		s.Lines = append(s.Lines, line)
	}
	// Each customer with lines has its total, or CheckSums and Merge
	// refuse the settlement (found by attack).
	type pair struct{ customer, provider string }
	sums := map[pair]decimal.Decimal{}
	for _, l := range c.Lines {
		k := pair{l.Customer, l.Provider}
		sums[k] = sums[k].Add(l.Amount.Decimal)
	}
	for _, k := range slices.SortedFunc(maps.Keys(sums), func(a, b pair) int {
		return cmp.Or(strings.Compare(a.customer, b.customer), strings.Compare(a.provider, b.provider))
	}) {
		s.Customers = append(s.Customers, reimbursement.CustomerTotal{Customer: k.customer, Provider: k.provider, Amount: reimbursement.AmountOf(sums[k])})
	}
	return s
}

// Build returns the correction's invoice basis per provider: Build of
// c.Settlement(), each basis a correction of the invoice of the month
// (Basis.Corrects), numbered, unless opts.Number says otherwise, as that
// invoice with "-korr" (2021-03-privat-korr, correcting 2021-03-privat),
// so that the buyer does not take it for the month's invoice sent again.
// The invoice corrected is opts.Corrects's, or, when it is nil, the
// month's as Build numbers it without opts.Number ("<period>-<provider>").
// A month invoiced with opts.Number of its own needs opts.Corrects to
// give those numbers: Build refuses a correction numbered as the invoice
// it corrects, and one for which opts.Corrects gives no number (empty or
// blank: a lookup of the month's numbers that misses the provider), and
// one without opts.IssueDate, the day it is issued (the month's default,
// the day after it, is the date of the invoice corrected). A second
// correction of a month needs a number of its own, from opts.Number. The Peppol invoice of a basis is an invoice
// (type 380, or 389 self-billed) of the difference, negative when the
// provider owes money back, referring to the invoice it corrects
// (BillingReference, BT-25); a credit note (type 381) is not written.
func (c *Correction) Build(ds *models.Dataset, opts Options) ([]*Basis, error) {
	if c == nil {
		return nil, errors.New("invoice: Build: no correction (nil)")
	}
	if opts.Corrects == nil {
		period := c.Period
		opts.Corrects = func(provider string) string { return period + "-" + provider }
	}
	return Build(c.Settlement(), ds, opts)
}

// maxRecords is how many of a line's records the writers name: every
// line of a customer and provider lists the same records, so a customer
// of thousands of lines and changed records would otherwise write
// thousands times thousands. The rest are counted; all are in
// CorrectionLine and in the two settlements' not-paid lists.
const maxRecords = 20

// joinChanges writes the first maxRecords changes as joinRecords writes
// records.
func joinChanges(changes []UnitChange, more string) string {
	texts := make([]string, 0, min(len(changes), maxRecords+1))
	for _, ch := range changes[:min(len(changes), maxRecords+1)] {
		texts = append(texts, ch.text(more == fleraPoster))
	}
	s := joinRecords(texts, more)
	if len(changes) > maxRecords {
		s = fmt.Sprintf(more, strings.Join(texts[:maxRecords], " "), len(changes)-maxRecords)
	}
	return s
}

// The counts of the records not named: in the CSV for programs, and in
// the text report for people.
const (
	moreRecords = "%s … and %d more"
	fleraPoster = "%s … och %d till"
)

// joinRecords joins the first maxRecords records, and counts the rest
// in the words of more (moreRecords, fleraPoster); in the text report's
// words (fleraPoster), each record as swedishRecord writes it.
func joinRecords(recs []string, more string) string {
	if more == fleraPoster {
		sv := make([]string, min(len(recs), maxRecords))
		for i := range sv {
			sv[i] = swedishRecord(recs[i])
		}
		recs = append(sv, recs[len(sv):]...)
	}
	if len(recs) <= maxRecords {
		return strings.Join(recs, " ")
	}
	return fmt.Sprintf(more, strings.Join(recs[:maxRecords], " "), len(recs)-maxRecords)
}

// swedishRecord writes a record as CorrectionLine.Paid names it,
// "visit:t2-v09 (after_lock)", in the text report's Swedish: "besök
// t2-v09 (registrerat efter låsdatum)". The kind is what comes before the first ":"
// and the reason the last bracket; the id and item between are kept as
// they are. A record in another form is returned unchanged.
func swedishRecord(rec string) string {
	kindText, rest, ok := strings.Cut(rec, ":")
	open := strings.LastIndex(rest, " (")
	if !ok || open < 0 || !strings.HasSuffix(rest, ")") {
		return rec
	}
	var kind reimbursement.RecordKind
	var reason reimbursement.Reason
	if kind.UnmarshalText([]byte(kindText)) != nil || reason.UnmarshalText([]byte(rest[open+2:len(rest)-1])) != nil {
		return rec
	}
	return kind.Swedish() + " " + rest[:open] + " (" + reason.Swedish() + ")"
}

// checkArgs returns an error for a nil correction or writer, which the
// writers would otherwise panic on.
func (c *Correction) checkArgs(fn string, w io.Writer) error {
	switch {
	case c == nil:
		return fmt.Errorf("invoice: Correction.%s: no correction (nil)", fn)
	case w == nil:
		return fmt.Errorf("invoice: Correction.%s: a nil writer", fn)
	}
	return nil
}

// correctionColumns are the columns of a correction as CSV.
var correctionColumns = []string{"period", "provider", "customer", "version", "component", "label", "kind", "category", "zone", "band",
	"unit", "rate", "rate_unit", "factor", "issued_quantity", "settled_quantity", "quantity_difference", "issued_amount", "settled_amount",
	"amount_difference", "reason", "paid", "unpaid", "changes"}

// WriteCSV writes the correction: a row per line with its identity, its
// rate with the rate's unit ("kr/h", "%") and factor, the quantity and
// amount as issued, as settled now and the differences (negative for
// credits; a header of "quantity" for the difference was read as the new
// quantity, found by trial), the
// reason, and the records behind the change: paid and unpaid as
// CorrectionLine's Paid and Unpaid, changes as its Changes (each as
// UnitChange.String writes it; the first maxRecords of each, the rest
// counted), in
// the dialect f: reimbursement.PlainCSV for programs or ExcelCSV for
// Swedish Excel. Text cells are guarded as the format says (see
// reimbursement.PlainCSV and ExcelCSV); number cells are not.
func (c *Correction) WriteCSV(w io.Writer, f reimbursement.Format) error {
	if f != reimbursement.PlainCSV && f != reimbursement.ExcelCSV {
		return fmt.Errorf("invoice: Correction.WriteCSV: format %v is not a CSV dialect (PlainCSV or ExcelCSV)", f)
	}
	if err := c.checkArgs("WriteCSV", w); err != nil {
		return err
	}
	cw, err := csvdialect.NewWriter(w, f == reimbursement.ExcelCSV)
	if err != nil {
		return err
	}
	_ = cw.Write(correctionColumns)
	t := cw.Text
	for _, l := range c.Lines {
		factor := ""
		if l.Factor != nil {
			factor = cw.Number(*l.Factor)
		}
		_ = cw.Write([]string{t(l.Period), t(l.Provider), t(l.Customer), t(l.Version), t(l.Component), t(l.Label), t(l.Kind.String()),
			t(categoryText(Line{Line: l.Line})), t(l.Zone), t(l.Band), t(l.Unit.String()), cw.Number(l.Rate), t(l.RateUnit), factor,
			cw.Number(l.IssuedQuantity), cw.Number(reimbursement.AmountOf(l.IssuedQuantity.Add(l.Quantity.Decimal))), cw.Number(l.Quantity),
			cw.Number(l.IssuedAmount), cw.Number(reimbursement.AmountOf(l.IssuedAmount.Add(l.Amount.Decimal))), cw.Number(l.Amount), t(l.Reason.String()),
			t(joinRecords(l.Paid, moreRecords)), t(joinRecords(l.Unpaid, moreRecords)), t(joinChanges(l.Changes, moreRecords))})
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes the correction as a readable report in Swedish: the
// totals, then a row per line with its reason, its changes and the
// records behind it (the first maxRecords, the rest counted), named in
// Swedish ("besök t2-v09 (registrerat efter låsdatum)", "besök t2-v09
// (tillkommer, 50 min)") where the CSV and JSON keep the machine keys;
// control characters in the data are escaped.
func (c *Correction) WriteText(w io.Writer) error {
	if err := c.checkArgs("WriteText", w); err != nil {
		return err
	}
	var b strings.Builder
	sign := ""
	if c.Difference.IsPositive() {
		sign = "+"
	}
	fmt.Fprintf(&b, "Efterreglering %s: %s kr fakturerat, %s kr nu, %s%s kr\n\n", c.Period, c.Issued, c.Fresh, sign, c.Difference)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "utförare\tbrukare\tkomponent\tantal\tbelopp kr\torsak\tändringar\tposter")
	t := textsafe.Text
	for _, l := range c.Lines {
		recs := joinRecords(l.Paid, fleraPoster)
		if len(l.Unpaid) > 0 {
			recs = strings.TrimSpace(recs + " betalas inte längre: " + joinRecords(l.Unpaid, fleraPoster))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t%s\t%s\t%s\t%s\n", t(l.Provider), t(l.Customer), t(l.Component), l.Quantity, l.Unit,
			l.Amount, l.Reason.Swedish(), t(joinChanges(l.Changes, fleraPoster)), t(recs))
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}
