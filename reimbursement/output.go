package reimbursement

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/csvdialect"
	"github.com/hemtjanst/ersattning/reimbursement/internal/textsafe"
	"github.com/shopspring/decimal"
)

// plain formats d with as many decimals as it carries: amounts keep their
// rounding scale ("3507.00"), rates the decimals they were written with
// ("414.80"), quantities none ("420").
func plain(d decimal.Decimal) string { return Amount{d}.String() }

// WriteJSON writes the settlement as indented JSON. A nil settlement or
// writer is an error, as for WriteCSV (it wrote "null").
func (s *Settlement) WriteJSON(w io.Writer) error {
	if s == nil || w == nil {
		return errors.New("reimbursement: WriteJSON: no writer or no settlement")
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// csvColumns are the columns of the lines WriteCSV and a Writer write.
var csvColumns = []string{"period", "provider", "customer", "version", "component", "label", "kind", "category", "zone", "band",
	"quantity", "unit", "rate", "rate_unit", "factor", "divisor", "amount"}

// WriteCSV writes the settlement's lines (the faktureringsunderlag of
// every provider in one table) as a Writer of format f does, f PlainCSV
// (for programs) or ExcelCSV (for Swedish Excel): a header and one row per
// line, with the columns period, provider, customer, version, component,
// label, kind, category, zone, band, quantity, unit, rate, rate_unit,
// factor, divisor and amount. Text cells are guarded as the format says
// (see PlainCSV and ExcelCSV); number columns are written as numbers, so
// negative amounts stay numbers.
func (s *Settlement) WriteCSV(w io.Writer, f Format) error {
	if f != PlainCSV && f != ExcelCSV {
		return fmt.Errorf("reimbursement: WriteCSV: format %v is not a CSV dialect (PlainCSV or ExcelCSV; JSON lines are a Writer's)", f)
	}
	lw := NewWriter(w, f)
	if err := lw.Write(s); err != nil {
		return err
	}
	return lw.Flush()
}

// Format is what a Writer writes.
type Format uint8

// The formats of a Writer.
const (
	// PlainCSV is for programs: the columns of WriteCSV, commas and the
	// quoting of RFC 4180, decimal points, UTF-8 without a byte-order
	// mark, LF line ends. Text is written as it is, but a text cell a
	// spreadsheet would take for a formula (formula injection: it starts
	// with =, +, -, @, a tab or a carriage return), or that starts with an
	// apostrophe, gets a leading apostrophe: a program gets the text back
	// by removing one leading apostrophe where there is one.
	PlainCSV Format = iota
	// ExcelCSV is the same table for opening in Swedish Excel with a
	// double click (programs, and Excel's import from text, read
	// PlainCSV): semicolons, decimal commas, UTF-8 with a byte-order
	// mark (so å, ä and ö survive), CRLF line ends. A text cell Excel
	// would read as something else, a number, date, time, truth value
	// or formula (the customer 000123, which would lose its zeros, the
	// period 2024-04, which would become a date, "=1+1"), is written as a
	// formula that gives the text back, ="000123", so that Excel shows
	// and keeps the text (one too long for a formula, over some 8000
	// characters, gets a leading apostrophe instead); other text is
	// written as it is.
	ExcelCSV
	// JSONLines is one settlement a line, as WriteJSON writes it but
	// without indentation: everything of each customer, what was not paid
	// and the possible duplicates included. Decoding each line into a
	// Settlement and merging them (Merge) gives the settlement of the
	// month.
	JSONLines
)

// String returns the format's name, "PlainCSV", "ExcelCSV" or
// "JSONLines", or "Format(n)" for a value that is none of them.
func (f Format) String() string {
	switch f {
	case PlainCSV:
		return "PlainCSV"
	case ExcelCSV:
		return "ExcelCSV"
	case JSONLines:
		return "JSONLines"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// A Writer writes settlements as they come as one document: the
// settlements of SettleCustomers, customer by customer, for a month too
// large to hold (its Write is a sink for SettleCustomers). In the CSV
// formats it writes the header once, before the first line, and then
// each settlement's lines; what was not paid is in each settlement's
// NotPaid, and in JSONLines. It writes in the order the settlements come
// (SettleCustomers's: the order its iterator yields the customers), not
// in Settle's order of provider, then customer: to compare with a
// settlement of the whole month, merge the JSON lines (Merge) or sort.
// A Writer buffers: call Flush when the last
// settlement is written. Its first error is returned by every later
// call. The zero Writer writes nowhere; make one with NewWriter.
type Writer struct {
	w      io.Writer
	format Format
	cw     *csvdialect.Writer // made, and the header written, by the first line or Flush
	row    []string
	err    error
}

// NewWriter returns a Writer of format f to w.
func NewWriter(w io.Writer, f Format) *Writer {
	lw := &Writer{w: w, format: f}
	if f > JSONLines {
		lw.err = fmt.Errorf("reimbursement: Writer: unknown format %d", f)
	}
	return lw
}

// Write writes s: its lines, or in JSONLines all of it on one line.
func (lw *Writer) Write(s *Settlement) error {
	if lw == nil {
		return errors.New("reimbursement: Writer: nil; make one with NewWriter")
	}
	if lw.err != nil {
		return lw.err
	}
	switch {
	case lw.w == nil || s == nil:
		lw.err = errors.New("reimbursement: Writer: no writer or no settlement")
	case lw.format == JSONLines:
		b, err := json.Marshal(s)
		if err == nil {
			_, err = lw.w.Write(append(b, '\n'))
		}
		lw.err = err
	default:
		lw.writeLines(s.Lines)
	}
	return lw.err
}

// writeLines writes the header, first, and a row per line.
func (lw *Writer) writeLines(lines []Line) {
	if lw.cw == nil {
		if lw.cw, lw.err = csvdialect.NewWriter(lw.w, lw.format == ExcelCSV); lw.err != nil {
			return
		}
		if lw.err = lw.cw.Write(csvColumns); lw.err != nil {
			return
		}
	}
	c := lw.cw.Text
	for i := range lines {
		l := &lines[i]
		factor := ""
		if l.Factor != nil {
			factor = lw.cw.Number(*l.Factor)
		}
		lw.row = append(lw.row[:0], c(l.Period), c(l.Provider), c(l.Customer), c(l.Version), c(l.Component), c(l.Label),
			c(l.Kind.String()), c(categoryText(l.Category)), c(l.Zone), c(l.Band), lw.cw.Number(l.Quantity), c(l.Unit.String()),
			lw.cw.Number(l.Rate), c(l.RateUnit), factor, strconv.FormatInt(l.Divisor, 10), lw.cw.Number(l.Amount))
		if lw.err = lw.cw.Write(lw.row); lw.err != nil {
			return
		}
	}
}

// Flush writes what the Writer holds to its io.Writer, the header of an
// empty table included, and returns the first error of any call.
func (lw *Writer) Flush() error {
	if lw.err != nil || lw.w == nil {
		return cmp.Or(lw.err, errors.New("reimbursement: Writer: no writer"))
	}
	if lw.format == PlainCSV || lw.format == ExcelCSV {
		lw.writeLines(nil)
		if lw.err != nil {
			return lw.err
		}
		lw.cw.Flush()
		lw.err = lw.cw.Error()
	}
	return lw.err
}

// writeWithoutLines says, below the providers' totals, how many of the
// customers counted (ProviderTotal.Customers: every customer with a
// record with the provider) have no lines, and so are not in the
// provider's invoice basis, which lists the customers with lines; it
// writes nothing when every customer counted has lines (found by a
// vendor's trial: a customer with only a visit not approved was counted
// here and missing from the basis, without a word).
func writeWithoutLines(w io.Writer, s *Settlement) {
	type pair struct{ provider, customer string }
	lined := map[pair]bool{}
	for i := range s.Lines {
		lined[pair{s.Lines[i].Provider, s.Lines[i].Customer}] = true
	}
	without := map[string]int{}
	for _, c := range s.Customers {
		if !lined[pair{c.Provider, c.Customer}] {
			without[c.Provider]++
		}
	}
	if len(without) == 0 {
		return
	}
	var counts []string
	for _, p := range s.Providers {
		if n := without[p.Provider]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", textsafe.Text(p.Provider), n))
		}
	}
	fmt.Fprintf(w, "Brukare: alla med beslut, besök, listning eller larmhändelse hos utföraren.\n"+
		"Utan rader (inget betalt), och därför inte i fakturaunderlaget: %s.\n", strings.Join(counts, ", "))
}

// amountText returns how WriteText writes an amount: with the decimals of
// the settlement's rounding (the most of its versions', 2 when it names
// none), so that a provider paid nothing is 0.00 beside 274.00, not 0
// (found by a vendor's trial); an amount with more decimals (an edited
// JSON) is written as it is, not rounded.
func (s *Settlement) amountText() func(Amount) string {
	scale := int32(-1)
	for _, v := range s.Versions {
		scale = max(scale, v.Rounding.Scale)
	}
	if scale < 0 {
		scale = 2
	}
	return func(a Amount) string {
		if -a.Exponent() < scale {
			return a.StringFixed(scale)
		}
		return a.String()
	}
}

// TextOptions choose what WriteText prints.
type TextOptions struct {
	// Lines prints every line, grouped by provider and customer.
	Lines bool
	// Explain prints the explanation of the first Explain lines (0 or
	// more; a negative number is an error).
	Explain int
}

// WriteText writes a readable report in Swedish: the tariff versions
// with the days they are in force (från, and till when a version ends),
// totals per provider (utförare) with the customers counted (brukare,
// see ProviderTotal.Customers; those without lines, not in the invoice
// basis, are counted below the totals), the key figures (under them,
// the visits settled under Options.Lock without a registration time, when
// there are any: KeyFigures.UnregisteredVisits), optionally the
// lines and explanations (with the units behind each line), what was not
// paid (inte betalt) and the possible duplicates. The Swedish terms are those of Category,
// LineKind, Reason, RecordKind and Ownership; ids, tariff names, tariff
// file terms (band names, rounding modes) and the engine's explanation
// steps are written as they are. Amounts are written with a decimal
// point, as in the CSV and JSON outputs, and with the decimals of the
// settlement's rounding (0.00, not 0). Control characters in the data
// are escaped (\n, \x1b). A nil settlement or writer is an error, and
// so is a negative TextOptions.Explain.
func (s *Settlement) WriteText(w io.Writer, opts TextOptions) error {
	if s == nil || w == nil {
		return errors.New("reimbursement: WriteText: no writer or no settlement")
	}
	if opts.Explain < 0 {
		return fmt.Errorf("reimbursement: WriteText: TextOptions.Explain is %d; allowed: 0 (no explanations) or more", opts.Explain)
	}
	ew := &errWriter{w: w}
	t := textsafe.Text
	money := s.amountText()
	fmt.Fprintf(ew, "Ersättning %s\n", s.Period)
	for _, v := range s.Versions {
		// A version that ends says so: one that ends within the month
		// read as in force all of it (found by a vendor's trial).
		in := "från " + v.ValidFrom.String()
		if !v.ValidTo.IsZero() {
			in += " till " + v.ValidTo.String()
		}
		fmt.Fprintf(ew, "Taxa: %s (%s; avrundning %s)\n  %s\n", t(v.Name), in, v.Rounding.swedish(), t(v.Source))
	}
	fmt.Fprintln(ew)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "utförare\tregiform\tbrukare\tbeviljad min\tutförd min\tutförandegrad\tavböjda besök\tbelopp kr\t")
	for _, p := range s.Providers {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%d\t%s\t\n", t(p.Provider), p.Ownership.Swedish(), p.Customers,
			p.GrantedMinutes, p.PerformedMinutes, shareText(p.PerformedShare), p.DeclinedVisits, money(p.Amount))
	}
	k := s.KeyFigures
	// The total counts customers, not a customer once per provider.
	customers := map[string]bool{}
	for _, c := range s.Customers {
		customers[c.Customer] = true
	}
	fmt.Fprintf(tw, "totalt\t\t%d\t%d\t%d\t%s\t%d\t%s\t\n", len(customers), k.GrantedMinutes, k.PerformedMinutes,
		shareText(k.PerformedShare), k.DeclinedVisits, money(s.Total))
	tw.Flush()
	if n := k.UnregisteredVisits; n > 0 {
		// Found by a vendor's trial: a registration column the reader
		// did not know left every visit without a registration time,
		// and a visit registered after the lock was paid without a word.
		fmt.Fprintf(ew, "\n%d besök utan registreringstid, betalda trots låsdatum (registreringstiden är okänd: kontrollera att den läses)\n", n)
	}
	writeWithoutLines(ew, s)
	if opts.Lines {
		fmt.Fprintln(ew)
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		// In a month of several versions, each line names its own: two
		// lines of one component and rate looked like one line twice
		// (found by trial).
		versions := len(s.Versions) > 1
		head := "utförare\tbrukare\tkomponent\ttyp\tkategori\tzon\tband\tantal\tpris\tbelopp"
		if versions {
			head += "\ttaxa"
		}
		fmt.Fprintln(tw, head)
		for _, l := range s.Lines {
			rate := l.Rate.String() + " " + t(l.RateUnit)
			if l.Factor != nil {
				rate += " × " + l.Factor.String()
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s %s\t%s\t%s", t(l.Provider), t(l.Customer), t(l.Component), l.Kind.Swedish(),
				l.Category.Swedish(), t(l.Zone), t(l.Band), l.Quantity, l.Unit, rate, money(l.Amount))
			if versions {
				fmt.Fprintf(tw, "\t%s", t(l.Version))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	shown := 0
	for i := range s.Lines {
		if shown >= opts.Explain {
			break
		}
		l := &s.Lines[i]
		if l.Explanation == nil {
			continue
		}
		shown++
		fmt.Fprintln(ew)
		l.WriteExplanation(ew)
	}
	if len(s.NotPaid) > 0 {
		fmt.Fprintf(ew, "\nInte betalt (%d):\n", len(s.NotPaid))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		// Records of other months (a dataset of several months) are
		// counted on one row, not listed: the JSON and CSV list them.
		var outside int
		var outsideMin int64
		for _, u := range s.NotPaid {
			if u.Reason == OutsidePeriod {
				outside++
				outsideMin += u.Minutes
				continue
			}
			// The cells after the last one with text are left out, so a
			// row ends without the padding of empty ones.
			// A decision's item is named with it: "beslut d1/Städ" (two
			// rows of one decision told apart only in the JSON, found by
			// trial).
			record := u.Kind.Swedish() + " " + t(u.ID)
			if u.Item != "" {
				record += "/" + t(u.Item)
			}
			cells := []string{record, t(u.Provider) + "/" + t(u.Customer), u.Date.String(), u.Reason.Swedish(), "", t(u.Detail)}
			var amount []string
			if u.Minutes > 0 {
				amount = append(amount, fmt.Sprintf("%d min", u.Minutes))
			}
			if u.Days > 0 {
				amount = append(amount, daysText(u.Days))
			}
			cells[4] = strings.Join(amount, ", ")
			for cells[len(cells)-1] == "" {
				cells = cells[:len(cells)-1]
			}
			fmt.Fprintf(tw, "  %s\n", strings.Join(cells, "\t"))
		}
		if outside > 0 {
			fmt.Fprintf(tw, "  %d poster\t\t\t%s\t%d min\tav andra månader; JSON och CSV listar dem\n", outside, OutsidePeriod.Swedish(), outsideMin)
		}
		tw.Flush()
	}
	if len(s.PossibleDuplicates) > 0 {
		fmt.Fprintf(ew, "\nMöjliga dubbletter, betalda som registrerade (%d):\n", len(s.PossibleDuplicates))
		for _, d := range s.PossibleDuplicates {
			fmt.Fprintf(ew, "  %s/%s  %s  besök %s\n", t(d.Provider), t(d.Customer), d.Date, t(strings.Join(d.Visits, ", ")))
		}
	}
	return ew.err
}

// WriteExplanation writes the line's explanation in readable form, control
// characters escaped; it writes nothing for a line without one. A nil
// line or writer is an error. It lists every unit of the line (Line.Units,
// in their order, none left out) with the minutes or days the line pays
// of each, wrapped, and adds them up against the line's quantity (row
// "summa"), so that the line can be recomputed from the explanation
// alone; where the units differ in an input, it says that they share the
// line's one rate. A rate the tariff rounded after its division is
// shown before the rounding too (Explanation.UnroundedRates).
func (l *Line) WriteExplanation(out io.Writer) error {
	if l == nil || out == nil {
		return errors.New("reimbursement: WriteExplanation: no writer or no line")
	}
	e := l.Explanation
	if e == nil {
		return nil
	}
	w := &errWriter{w: out}
	t := textsafe.Text
	fmt.Fprintf(w, "Rad %s / %s / %s", t(l.Provider), t(l.Customer), t(l.Component))
	for _, part := range []string{l.Kind.Swedish(), l.Category.Swedish(), l.Zone, l.Band} {
		if part != "" {
			fmt.Fprintf(w, " / %s", t(part))
		}
	}
	fmt.Fprintf(w, ": %s kr\n", l.Amount)
	fmt.Fprintf(w, "  taxa       %s (%s)\n", t(e.Version), t(e.File))
	fmt.Fprintf(w, "  strategi   %s\n", t(e.Strategy))
	if e.When != "" {
		fmt.Fprintf(w, "  villkor    %s\n", t(e.When))
	}
	if e.Rate != "" {
		fmt.Fprintf(w, "  pris       %s\n", t(e.Rate))
	}
	// The rate before the tariff rounded it after its division, where
	// that changed it (found by a trial: what the rounding did was not
	// seen): "avrundat   74.666666… kr/besök → 74.67".
	if len(e.UnroundedRates) > 0 {
		var rates []string
		for _, r := range e.UnroundedRates {
			if x := r.Truncate(6); !x.Equal(r.Decimal) {
				rates = append(rates, x.StringFixed(6)+"…")
			} else {
				rates = append(rates, r.String())
			}
		}
		fmt.Fprintf(w, "  avrundat   %s %s → %s\n", strings.Join(rates, " och "), t(l.RateUnit), l.Rate)
	}
	if len(e.Inputs) > 0 {
		var parts []string
		for _, in := range e.Inputs {
			parts = append(parts, t(in.Name)+"="+inputValue(in.Value))
		}
		fmt.Fprintf(w, "  indata     %s\n", strings.Join(parts, ", "))
		// The inputs the units differ in (one band or another) do not
		// give them different rates: a line has one rate, and units of
		// different rates are on lines of their own.
		var differ []string
		for _, in := range e.Inputs {
			if strings.Contains(in.Value, valueSep) || strings.HasPrefix(in.Value, "varierar (") {
				differ = append(differ, t(in.Name))
			}
		}
		if len(differ) > 0 {
			rate := l.Rate.String() + " " + t(l.RateUnit)
			if l.Factor != nil {
				rate += " × " + l.Factor.String()
			}
			fmt.Fprintf(w, "             (enheterna skiljer sig i %s; raden har ett pris för alla: %s)\n", strings.Join(differ, ", "), rate)
		}
	}
	writeUnits(w, l)
	for _, lk := range e.Lookups {
		fmt.Fprintf(w, "  uppslag    %s[%s] = %s\n", t(lk.Table), t(strings.Join(lk.Keys, ", ")), lk.Value)
	}
	for _, st := range e.Steps {
		fmt.Fprintf(w, "  steg       %s\n", t(st))
	}
	fmt.Fprintf(w, "  formel     %s\n", t(e.Formula))
	fmt.Fprintf(w, "  avrundning %s\n", e.Rounding)
	return w.err
}

// categoryText is a line's category as reports print it: nothing for a
// line without one.
func categoryText(c models.Category) string {
	if c == models.CategoryUnknown {
		return ""
	}
	return c.String()
}

func shareText(s *Amount) string {
	if s == nil {
		return "–"
	}
	return s.Mul(decimal.NewFromInt(100)).StringFixed(1) + " %"
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, nil
}

// inputValue is an input's value as an explanation lists it: as it is,
// or quoted when it is empty or holds what would make the list read
// otherwise ("=", ", ") or a character a terminal could be tricked by
// (found by trial: provider "=1+1" read provider==1+1).
func inputValue(s string) string {
	if s == "" || strings.Contains(s, "=") || strings.Contains(s, ", ") || textsafe.Text(s) != s {
		return strconv.Quote(s)
	}
	return s
}
