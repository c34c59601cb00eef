package invoice

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

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
// settled now, the differences, the reason and the records settled now
// that the issued settlement did not pay (Paid), or paid and now does
// not (Unpaid), for the customer and provider.
type CorrectionLine struct {
	// Line is the line as settled now, its Quantity and Amount replaced
	// by the differences: what is debited (positive) or credited.
	reimbursement.Line
	// IssuedQuantity and IssuedAmount are the line's as issued.
	IssuedQuantity, IssuedAmount reimbursement.Amount
	Reason                       CorrectionReason
	// Paid are the records of the customer and provider that the issued
	// settlement did not pay and the fresh one does, as "visit:t2-v09
	// (after_lock)"; Unpaid those it paid and the fresh one does not, with
	// the fresh reason. The lines of one customer and provider share these
	// slices: copy one before changing it.
	Paid, Unpaid []string
}

// Credit reports whether the line takes money back.
func (l *CorrectionLine) Credit() bool { return l.Amount.IsNegative() }

// lineKey is what makes two settlement lines the same line.
type lineKey struct {
	provider, customer, version, component, kind, category, zone, band, unit, rate, factor string
	divisor                                                                                int64
}

func keyOf(l reimbursement.Line) lineKey {
	k := lineKey{l.Provider, l.Customer, l.Version, l.Component, l.Kind.String(), l.Category.String(), l.Zone, l.Band,
		l.Unit.String(), l.Rate.String(), "", l.Divisor}
	if l.Factor != nil {
		k.factor = l.Factor.String()
	}
	return k
}

// Correct compares the settlement that was issued for a month (read back
// from its JSON) with a fresh settlement of the same month on the current
// data (with the lock date lifted, or moved) and returns the correction:
// a line for every settlement line whose quantity or amount differs, with
// the difference. It returns an error when the months differ, or when
// either settlement does not add up (Settlement.CheckSums): an issued
// settlement read back from JSON that was edited or cut short would carry
// its error into the correction.
func Correct(issued, fresh *reimbursement.Settlement) (*Correction, error) {
	if issued.Period != fresh.Period {
		return nil, fmt.Errorf("invoice: correction of %s by a settlement of %s", issued.Period, fresh.Period)
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
			c.add(l, zeroLike(l.Quantity), zeroLike(l.Amount), Added)
		case !old.Quantity.Equal(l.Quantity):
			c.add(l, old.Quantity, old.Amount, QuantityChanged)
		case !old.Amount.Equal(l.Amount):
			c.add(l, old.Quantity, old.Amount, AmountChanged)
		}
	}
	for _, k := range wasOrder {
		if _, ok := now[k]; !ok {
			l := was[k]
			gone := l
			gone.Quantity, gone.Amount = zeroLike(l.Quantity), zeroLike(l.Amount)
			c.add(gone, l.Quantity, l.Amount, Removed)
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

// byKey gathers lines by their identity, adding up the quantities and
// amounts of lines that share one, and returns the keys in order of
// first appearance.
func byKey(lines []reimbursement.Line) (map[lineKey]reimbursement.Line, []lineKey) {
	m := map[lineKey]reimbursement.Line{}
	var order []lineKey
	for _, l := range lines {
		k := keyOf(l)
		if prev, ok := m[k]; ok {
			prev.Quantity = reimbursement.AmountOf(prev.Quantity.Add(l.Quantity.Decimal))
			prev.Amount = reimbursement.AmountOf(prev.Amount.Add(l.Amount.Decimal))
			m[k] = prev
			continue
		}
		m[k] = l
		order = append(order, k)
	}
	return m, order
}

// zeroLike returns zero with a's scale, so "0.00" prints as kronor.
func zeroLike(a reimbursement.Amount) reimbursement.Amount {
	return reimbursement.AmountOf(decimal.New(0, a.Exponent()))
}

// add appends the correction of line l (as settled now) from what was
// issued: the differences of quantity and amount.
func (c *Correction) add(l reimbursement.Line, qty, amount reimbursement.Amount, r CorrectionReason) {
	cl := CorrectionLine{Line: l, IssuedQuantity: qty, IssuedAmount: amount, Reason: r}
	cl.Quantity = reimbursement.AmountOf(l.Quantity.Sub(qty.Decimal))
	cl.Amount = reimbursement.AmountOf(l.Amount.Sub(amount.Decimal))
	cl.Explanation = l.Explanation
	c.Lines = append(c.Lines, cl)
}

// records names, on the lines of each customer and provider, what the
// fresh settlement pays that the issued one did not, and the reverse.
func (c *Correction) records(issued, fresh *reimbursement.Settlement) {
	type who struct{ provider, customer string }
	unpaid := func(s *reimbursement.Settlement) map[string]reimbursement.Unpaid {
		m := map[string]reimbursement.Unpaid{}
		for _, u := range s.NotPaid {
			m[u.Kind.String()+":"+u.ID+"/"+u.Provider+"/"+u.Customer] = u
		}
		return m
	}
	was, now := unpaid(issued), unpaid(fresh)
	paid, lost := map[who][]string{}, map[who][]string{}
	for k, u := range was {
		if _, still := now[k]; !still {
			w := who{u.Provider, u.Customer}
			paid[w] = append(paid[w], fmt.Sprintf("%s:%s (%s)", u.Kind, u.ID, u.Reason))
		}
	}
	for k, u := range now {
		if _, before := was[k]; !before {
			w := who{u.Provider, u.Customer}
			lost[w] = append(lost[w], fmt.Sprintf("%s:%s (%s)", u.Kind, u.ID, u.Reason))
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
// lines are the correction's (the differences), its totals their sums.
// Build makes of it the correction's invoice basis per provider, to be
// written as CSV and HTML and sent as a Peppol invoice (negative when the
// provider owes money back).
func (c *Correction) Settlement() *reimbursement.Settlement {
	s := &reimbursement.Settlement{Period: c.Period, Versions: c.Versions, Total: c.Difference, Providers: c.Providers}
	for _, l := range c.Lines {
		s.Lines = append(s.Lines, l.Line)
	}
	return s
}

// maxRecords is how many of a line's records the writers name: every
// line of a customer and provider lists the same records, so a customer
// of thousands of lines and changed records would otherwise write
// thousands times thousands. The rest are counted; all are in
// CorrectionLine and in the two settlements' not-paid lists.
const maxRecords = 20

// joinRecords joins the first maxRecords records, and counts the rest.
func joinRecords(recs []string) string {
	if len(recs) <= maxRecords {
		return strings.Join(recs, " ")
	}
	return fmt.Sprintf("%s … and %d more", strings.Join(recs[:maxRecords], " "), len(recs)-maxRecords)
}

// correctionColumns are the columns of a correction as CSV.
var correctionColumns = []string{"period", "provider", "customer", "version", "component", "label", "kind", "category", "zone", "band",
	"unit", "rate", "issued_quantity", "quantity", "issued_amount", "amount", "reason", "paid", "unpaid"}

// WriteCSV writes the correction: a row per line with the quantity and
// amount as issued and the differences (negative for credits), and the
// records behind the change (the first maxRecords, the rest counted), in
// the dialect f: reimbursement.PlainCSV for programs or ExcelCSV for
// Swedish Excel. Text cells are guarded as the format says (see
// reimbursement.PlainCSV and ExcelCSV); number cells are not.
func (c *Correction) WriteCSV(w io.Writer, f reimbursement.Format) error {
	if f != reimbursement.PlainCSV && f != reimbursement.ExcelCSV {
		return fmt.Errorf("invoice: Correction.WriteCSV: format %d is not a CSV dialect", f)
	}
	cw, err := csvdialect.NewWriter(w, f == reimbursement.ExcelCSV)
	if err != nil {
		return err
	}
	_ = cw.Write(correctionColumns)
	t := cw.Text
	for _, l := range c.Lines {
		_ = cw.Write([]string{t(l.Period), t(l.Provider), t(l.Customer), t(l.Version), t(l.Component), t(l.Label), t(l.Kind.String()),
			t(categoryText(Line{Line: l.Line})), t(l.Zone), t(l.Band), t(l.Unit.String()), cw.Number(l.Rate), cw.Number(l.IssuedQuantity),
			cw.Number(l.Quantity), cw.Number(l.IssuedAmount), cw.Number(l.Amount), t(l.Reason.String()),
			t(joinRecords(l.Paid)), t(joinRecords(l.Unpaid))})
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes the correction as a readable report: the totals, then
// a row per line with its reason and the records behind it (the first
// maxRecords, the rest counted); control characters in the data are
// escaped.
func (c *Correction) WriteText(w io.Writer) error {
	var b strings.Builder
	sign := ""
	if c.Difference.IsPositive() {
		sign = "+"
	}
	fmt.Fprintf(&b, "Efterreglering %s: %s kr issued, %s kr now, %s%s kr\n\n", c.Period, c.Issued, c.Fresh, sign, c.Difference)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "provider\tcustomer\tcomponent\tquantity\tamount kr\treason\trecords")
	t := textsafe.Text
	for _, l := range c.Lines {
		recs := joinRecords(l.Paid)
		if len(l.Unpaid) > 0 {
			recs = strings.TrimSpace(recs + " no longer paid: " + joinRecords(l.Unpaid))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t%s\t%s\t%s\n", t(l.Provider), t(l.Customer), t(l.Component), l.Quantity, l.Unit,
			l.Amount, l.Reason, t(recs))
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}
