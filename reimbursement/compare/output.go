package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
	"github.com/hemtjanst/ersattning/reimbursement/internal/csvdialect"
	"github.com/hemtjanst/ersattning/reimbursement/internal/textsafe"
)

// WriteJSON writes the comparison as indented JSON. A nil report or
// writer is an error, as for WriteCSV and WriteText.
func (c *Report) WriteJSON(w io.Writer) error {
	if err := c.writable("WriteJSON", w); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writable refuses a nil report or writer, as the settlement's writers
// do, rather than panic on the first write.
func (c *Report) writable(method string, w io.Writer) error {
	if c == nil || w == nil {
		return fmt.Errorf("compare: %s: no writer or no report", method)
	}
	return nil
}

// csvColumns are the columns WriteCSV writes. Like the settlement's and
// the invoice basis's CSV, the header and the key column are stable
// English machine keys (as the JSON has them), for programs and for
// formulas that look rows up; the name column holds the Swedish text a
// reader reads.
var csvColumns = []string{"section", "key", "name", "base", "proposed", "difference", "percent", "zone", "provider", "unit", "value", "rounding"}

// csvRow is a row of WriteCSV's table; the numbers are written by the
// dialect, the texts guarded by it.
type csvRow struct {
	section, key, name              string
	base, proposed, difference, pct string
	zone, provider, unit, value     string
	rounding                        string
}

// WriteCSV writes everything WriteText shows as one table of rows, in
// the dialect f: reimbursement.PlainCSV for programs (commas, decimal
// points, UTF-8, LF) or ExcelCSV for Swedish Excel (semicolons, decimal
// commas, a byte-order mark, CRLF), as the settlement's CSV is written.
// The columns are section, key, name, base, proposed, difference,
// percent, zone, provider, unit, value and rounding; the header and the section and
// key cells are machine keys, the name cells Swedish text. A program
// keeps the rows it wants by section, in this order:
//
//	version                  key: base or proposed; name: a tariff version that side settled by, as
//	                         VersionsText writes it (Report.BaseVersions, ProposedVersions)
//	warning                  name: a warning (Report.Warnings)
//	budget_limit             key: within, over or not_judged; name: the verdict (BudgetVerdict.String);
//	                         value: the limit, unit kr or percent (only with Options.Budget)
//	total                    the budget; base, proposed, difference, percent; unit kr
//	fee_total                the customers' fees (only with fee schedules); unit kr
//	distribution             key: customer_threshold (unit kr), customers_gaining, customers_losing,
//	                         customers_within (unit customers), provider_threshold (unit percent),
//	                         providers_gaining, providers_losing, providers_within (unit providers),
//	                         fees_rising, fees_falling (unit customer_months, with fee schedules);
//	                         value: the threshold or the count; name: what it counts, in Swedish
//	month                    key: the month
//	provider                 key: the provider, name: its name (the base side's)
//	component                key: the component
//	provider_component       key: the component, name: the provider's name, provider: the provider
//	zone                     key: the zone
//	ownership                key: own or private, name: egen regi or privat regi
//	customer                 key: the customer, zone and provider: the customer's
//	provider_difference      key and provider: a provider the sides name or own differently;
//	                         name: both names and ownerships (Report.ProviderDifferences)
//	not_paid                 key: the reason (no_tariff), name: its Swedish wording (Reason.Swedish);
//	                         a row of unit records and a row of unit minutes per reason, and one
//	                         of unit days where decision items or listings were not paid
//	fee                      key: the customer, name: the month; unit kr
//	fee_not_counted          key: a customer, name: the month and the granted item a fee schedule
//	                         did not count, with why (beyond fee.MaxGrantedPerDay); base and
//	                         proposed: 1 where that side left it out, else 0; provider: the
//	                         item's provider; unit records
//	largest                  key: a customer of the largest changes, largest first; zone, provider
//	largest_line_base        key: that customer; name: the line as LineText writes it;
//	                         base: the line's amount; zone, provider: the line's
//	largest_line_proposed    the same with the amount in proposed; each customer's base lines
//	                         and then its proposed lines follow its largest row
//	largest_line_base_records, largest_line_proposed_records
//	                         after each such line that has records behind it (Line.Units): key:
//	                         the customer; name: the records as UnitsText names them (the first
//	                         five with their minutes or days, the rest counted);
//	                         value: how many records; zone, provider: the line's; unit records
//	largest_not_paid         key: a customer of the largest changes; name: a record of it that
//	                         one side leaves unpaid and the other does not, or both leave unpaid
//	                         otherwise (a row for each side, each with that side's reasons,
//	                         each with its minutes and days: SideUnpaid.Also; CustomerDiff.NotPaid,
//	                         at most 10 rows a customer); base and proposed: 1 where that side
//	                         leaves it unpaid, else 0; provider: the record's provider; unit records
//
// The rows of amounts (total to customer, fee, largest) have base,
// proposed, difference and percent (empty where the base is zero) in
// kronor, unit kr, and rounding: how much of the difference is rounding
// (Change.Rounding, "varav avrundning"; empty where none, and on fee
// rows); not_paid has records, minutes or days in base, proposed
// and difference. The text columns are guarded as the format says (see
// reimbursement.PlainCSV and ExcelCSV); the number columns are not. A
// nil report or writer is an error.
func (c *Report) WriteCSV(w io.Writer, f reimbursement.Format) error {
	if err := c.writable("WriteCSV", w); err != nil {
		return err
	}
	if f != reimbursement.PlainCSV && f != reimbursement.ExcelCSV {
		return fmt.Errorf("compare: WriteCSV: format %v is not a CSV dialect (PlainCSV or ExcelCSV)", f)
	}
	cw, err := csvdialect.NewWriter(w, f == reimbursement.ExcelCSV)
	if err != nil {
		return err
	}
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	t := cw.Text
	write := func(r csvRow) {
		_ = cw.Write([]string{t(r.section), t(r.key), t(r.name), r.base, r.proposed, r.difference, r.pct, t(r.zone), t(r.provider), t(r.unit), r.value, r.rounding})
	}
	amounts := func(section string, ch Change) csvRow {
		r := csvRow{section: section, key: ch.Key, name: ch.Name, base: cw.Number(ch.Base), proposed: cw.Number(ch.Proposed),
			difference: cw.Number(ch.Difference), zone: ch.Zone, provider: ch.Provider, unit: "kr"}
		if ch.Percent != nil {
			r.pct = cw.Number(*ch.Percent)
		}
		if ch.Rounding != nil {
			r.rounding = cw.Number(*ch.Rounding)
		}
		return r
	}
	for side, vs := range [][]reimbursement.VersionRef{c.BaseVersions, c.ProposedVersions} {
		for _, v := range vs {
			write(csvRow{section: "version", key: sideKeys[side], name: VersionsText([]reimbursement.VersionRef{v})})
		}
	}
	for _, warning := range c.Warnings {
		write(csvRow{section: "warning", name: warning})
	}
	if v := c.Budget; v != nil {
		unit := "kr"
		if v.Limit.Percent {
			unit = "percent"
		}
		write(csvRow{section: "budget_limit", key: string(v.Outcome), name: v.String(), unit: unit, value: cw.Number(v.Limit.Amount)})
	}
	write(amounts("total", c.Total))
	if c.FeeTotal != nil {
		write(amounts("fee_total", *c.FeeTotal))
	}
	for _, d := range c.distribution() {
		value := strconv.Itoa(d.count)
		if d.threshold != nil {
			value = cw.Number(*d.threshold)
		}
		write(csvRow{section: "distribution", key: d.key, name: d.name, unit: d.unit, value: value})
	}
	for _, s := range c.sections() {
		for _, ch := range s.rows {
			write(amounts(s.key, ch))
		}
	}
	for _, p := range c.ProviderDifferences {
		write(csvRow{section: "provider_difference", key: p.Provider, name: c.ProviderDifferenceText(p), provider: p.Provider})
	}
	for _, u := range c.NotPaid {
		write(csvRow{section: "not_paid", key: u.Reason.String(), name: u.Reason.Swedish(), base: strconv.Itoa(u.BaseRecords),
			proposed: strconv.Itoa(u.ProposedRecords), difference: strconv.Itoa(u.ProposedRecords - u.BaseRecords), unit: "records"})
		write(csvRow{section: "not_paid", key: u.Reason.String(), name: u.Reason.Swedish(), base: strconv.FormatInt(u.BaseMinutes, 10),
			proposed: strconv.FormatInt(u.ProposedMinutes, 10), difference: strconv.FormatInt(u.ProposedMinutes-u.BaseMinutes, 10), unit: "minutes"})
		if u.BaseDays != 0 || u.ProposedDays != 0 {
			write(csvRow{section: "not_paid", key: u.Reason.String(), name: u.Reason.Swedish(), base: strconv.Itoa(u.BaseDays),
				proposed: strconv.Itoa(u.ProposedDays), difference: strconv.Itoa(u.ProposedDays - u.BaseDays), unit: "days"})
		}
	}
	for _, f := range c.Fees {
		write(amounts("fee", feeChange(f)))
	}
	for _, n := range c.feesNotCounted() {
		b, p := bit(n.base), bit(n.proposed)
		write(csvRow{section: "fee_not_counted", key: n.customer, name: n.period + ": " + n.text, base: strconv.Itoa(b),
			proposed: strconv.Itoa(p), difference: strconv.Itoa(p - b), provider: n.provider, unit: "records"})
	}
	for _, l := range c.Largest {
		write(amounts("largest", l.Change))
	}
	// Each line's records follow it: the number in value, their names
	// (UnitsText) in name.
	records := func(section, key string, ln *reimbursement.Line) {
		if u := UnitsText(ln); u != "" {
			write(csvRow{section: section, key: key, name: u, zone: ln.Zone, provider: ln.Provider, unit: "records", value: strconv.Itoa(len(ln.Units))})
		}
	}
	for _, l := range c.Largest {
		for _, ln := range l.BaseLines {
			write(csvRow{section: "largest_line_base", key: l.Key, name: LineText(&ln), base: cw.Number(ln.Amount), zone: ln.Zone,
				provider: ln.Provider, unit: "kr"})
			records("largest_line_base_records", l.Key, &ln)
		}
		for _, ln := range l.ProposedLines {
			write(csvRow{section: "largest_line_proposed", key: l.Key, name: LineText(&ln), proposed: cw.Number(ln.Amount), zone: ln.Zone,
				provider: ln.Provider, unit: "kr"})
			records("largest_line_proposed_records", l.Key, &ln)
		}
	}
	for _, l := range c.Largest {
		for _, u := range l.NotPaid {
			// 1 where a side leaves the record unpaid: both, for a record
			// left unpaid otherwise by both (found by review: written as
			// paid on the other side).
			b, p := bit(u.Side == "base" || u.Otherwise), bit(u.Side == "proposed" || u.Otherwise)
			write(csvRow{section: "largest_not_paid", key: l.Key, name: sideRecordText(u), base: strconv.Itoa(b), proposed: strconv.Itoa(p),
				difference: strconv.Itoa(p - b), provider: u.Unpaid.Provider, unit: "records"})
		}
	}
	cw.Flush()
	return cw.Error()
}

// unpaidText names a record not paid and why, as a settlement's text
// does: "besök v09 2024-04-18, 40 min: ingen komponent i taxan".
func unpaidText(u reimbursement.Unpaid) string {
	text := u.Kind.Swedish() + " " + u.ID
	if u.Item != "" {
		text += "/" + u.Item
	}
	if !u.Date.IsZero() {
		text += " " + u.Date.String()
	}
	if u.Minutes > 0 {
		text += ", " + minutes(u.Minutes)
	}
	if u.Days > 0 {
		text += ", " + days(u.Days)
	}
	return text + ": " + u.Reason.Swedish()
}

// sideRecordText names a record of a largest change not paid, as
// unpaidText does, with its minutes and days of each other reason
// (SideUnpaid.Also) beside: "beslut b1/Dusch 2024-04-01, 300 minuter, 10
// dagar: ingen taxa i kraft; 150 minuter, 5 dagar: uppehåll som inte
// ersätts".
func sideRecordText(u SideUnpaid) string {
	text := unpaidText(u.Unpaid)
	for _, a := range u.Also {
		var parts []string
		if a.Minutes > 0 {
			parts = append(parts, minutes(a.Minutes))
		}
		if a.Days > 0 {
			parts = append(parts, days(a.Days))
		}
		ext := strings.Join(parts, ", ")
		if ext != "" {
			ext += ": "
		}
		text += "; " + ext + a.Reason.Swedish()
	}
	return text
}

// SideUnpaidText says in Swedish, as the text report does, which side
// leaves a record of a largest change (CustomerDiff.NotPaid) unpaid: "inte
// betalt i förslag (betalt i nuvarande): besök v09 …", or, where the
// other side leaves it unpaid otherwise (listed beside it), "inte betalt
// i förslag (annorlunda i nuvarande): beslut b3/Dusch …".
func (c *Report) SideUnpaidText(u SideUnpaid) string {
	not, paid := c.Proposed, c.Base
	if u.Side == "base" {
		not, paid = c.Base, c.Proposed
	}
	if u.Otherwise {
		return fmt.Sprintf("inte betalt i %s (annorlunda i %s): %s", not, paid, sideRecordText(u))
	}
	return fmt.Sprintf("inte betalt i %s (betalt i %s): %s", not, paid, sideRecordText(u))
}

// VersionsText names tariff versions in Swedish, as the text report
// does, each with the first 12 digits of its document's digest (which
// tells two editions of one name apart): "Taxa 2024 (taxa.json, från
// 2024-01-01, kontrollsumma 2f3be4f47001), Taxa 2024b (taxa-b.json,
// 2024-04-16–2024-12-31, kontrollsumma f384fa5e3430)"; "inga" for none.
func VersionsText(vs []reimbursement.VersionRef) string {
	if len(vs) == 0 {
		return "inga"
	}
	var parts []string
	for _, v := range vs {
		var about []string
		if v.File != "" {
			about = append(about, v.File)
		}
		if v.ValidTo.IsZero() {
			about = append(about, "från "+v.ValidFrom.String())
		} else {
			about = append(about, v.ValidFrom.String()+"–"+v.ValidTo.String())
		}
		if v.Digest != "" {
			about = append(about, "kontrollsumma "+v.Digest[:min(12, len(v.Digest))])
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", v.Name, strings.Join(about, ", ")))
	}
	return strings.Join(parts, ", ")
}

// section is a breakdown of the report: its CSV section key, its Swedish
// title and its rows.
type section struct {
	key, title string
	rows       []Change
}

// sections returns the breakdowns in the order the outputs write them.
func (c *Report) sections() []section {
	owners := c.Ownerships
	return []section{{"month", "Per månad", c.Months}, {"provider", "Per utförare", c.Providers}, {"component", "Per komponent", c.Components},
		{"provider_component", "Per utförare och komponent", c.ProviderComponents}, {"zone", "Per zon", c.Zones},
		{"ownership", "Per regi", owners}, {"customer", "Per brukare", c.Customers}}
}

// count is a row of the distribution: a threshold or a count.
type count struct {
	key, name, unit string
	threshold       *decimal.Decimal
	count           int
}

// distribution returns the rows of Distribution, named in Swedish.
func (c *Report) distribution() []count {
	d := c.Distribution
	ct, pt := d.CustomerThreshold, d.ProviderThreshold
	out := []count{
		{key: "customer_threshold", name: "gräns för brukare, kr", unit: "kr", threshold: &ct},
		{key: "customers_gaining", name: fmt.Sprintf("brukare som får mer än %s kr mer", ct), unit: "customers", count: d.CustomersGaining},
		{key: "customers_losing", name: fmt.Sprintf("brukare som får mer än %s kr mindre", ct), unit: "customers", count: d.CustomersLosing},
		{key: "customers_within", name: fmt.Sprintf("brukare inom ±%s kr", ct), unit: "customers", count: d.CustomersUnchanged},
		{key: "provider_threshold", name: "gräns för utförare, %", unit: "percent", threshold: &pt},
		{key: "providers_gaining", name: fmt.Sprintf("utförare som får mer än %s %% mer", pt), unit: "providers", count: d.ProvidersGaining},
		{key: "providers_losing", name: fmt.Sprintf("utförare som får mer än %s %% mindre", pt), unit: "providers", count: d.ProvidersLosing},
		{key: "providers_within", name: fmt.Sprintf("utförare inom ±%s %%", pt), unit: "providers", count: d.ProvidersUnchanged},
	}
	if c.FeeTotal != nil {
		out = append(out,
			count{key: "fees_rising", name: "brukarmånader med högre avgift", unit: "customer_months", count: d.FeesRising},
			count{key: "fees_falling", name: "brukarmånader med lägre avgift", unit: "customer_months", count: d.FeesFalling})
	}
	return out
}

// feeNotCounted is a granted item a side's fee schedule did not count
// (fee.Fee.NotCounted), and the sides that left it out.
type feeNotCounted struct {
	customer, period, provider, text string
	base, proposed                   bool
}

// feesNotCounted returns the items the fees of either side did not
// count, in the order of Fees and, within a fee, as the base and then the
// proposal list them.
func (c *Report) feesNotCounted() []feeNotCounted {
	var out []feeNotCounted
	for _, f := range c.Fees {
		at := map[string]int{}
		for side, fe := range []*fee.Fee{f.Base, f.Proposed} {
			if fe == nil {
				continue
			}
			for _, u := range fe.NotCounted {
				text := fmt.Sprintf("%s %s/%s (%s)", u.Kind.Swedish(), u.ID, u.Item, u.Detail) // as a settlement's text names it
				i, ok := at[text]
				if !ok {
					i, at[text] = len(out), len(out)
					out = append(out, feeNotCounted{customer: f.Customer, period: f.Period, provider: u.Provider, text: text})
				}
				if side == 0 {
					out[i].base = true
				} else {
					out[i].proposed = true
				}
			}
		}
	}
	return out
}

// days is "n dagar", "1 dag", or "" for none.
func days(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1 dag"
	}
	return strconv.Itoa(n) + " dagar"
}

// bit is 1 for true, 0 for false.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

func feeChange(f FeeChange) Change {
	ch := Change{Key: f.Customer, Name: f.Period, Difference: f.Difference}
	if f.Base != nil {
		ch.Base = f.Base.Amount
	}
	if f.Proposed != nil {
		ch.Proposed = f.Proposed.Amount
	}
	return newChange(ch.Key, ch.Name, ch.Base.Decimal, ch.Proposed.Decimal)
}

// WriteText writes a readable report of the comparison, in Swedish;
// control characters in names from the data are escaped. A nil report or
// writer is an error.
func (c *Report) WriteText(out io.Writer) error {
	if err := c.writable("WriteText", out); err != nil {
		return err
	}
	w := &bytes.Buffer{}
	t := textsafe.Text
	fmt.Fprintf(w, "Jämförelse %s → %s, %s\n", t(c.Base), t(c.Proposed), strings.Join(c.Periods, ", "))
	for _, side := range []struct {
		name     string
		versions []reimbursement.VersionRef
	}{{c.Base, c.BaseVersions}, {c.Proposed, c.ProposedVersions}} {
		fmt.Fprintf(w, "%s: %s\n", t(side.name), t(VersionsText(side.versions)))
	}
	fmt.Fprintln(w)
	for _, warning := range c.Warnings {
		fmt.Fprintf(w, "VARNING: %s\n", t(warning))
	}
	if len(c.Warnings) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Budget: %s kr → %s kr, %s kr (%s)%s\n", c.Total.Base.String(), c.Total.Proposed.String(), signed(c.Total), percentText(c.Total), ofWhichRounding(c.Total))
	if c.Budget != nil {
		fmt.Fprintf(w, "%s\n", t(c.Budget.String()))
	}
	if c.FeeTotal != nil {
		fmt.Fprintf(w, "Avgifter: %s kr → %s kr, %s kr (%s)\n", c.FeeTotal.Base.String(), c.FeeTotal.Proposed.String(), signed(*c.FeeTotal), percentText(*c.FeeTotal))
	}
	d := c.Distribution
	fmt.Fprintf(w, "Brukare, gräns ±%[1]s kr: %[2]d får mer, %[3]d får mindre, %[4]d inom ±%[1]s kr\n", d.CustomerThreshold, d.CustomersGaining, d.CustomersLosing, d.CustomersUnchanged)
	fmt.Fprintf(w, "Utförare, gräns ±%[1]s %%: %[2]d får mer, %[3]d får mindre, %[4]d inom ±%[1]s %%\n", d.ProviderThreshold, d.ProvidersGaining, d.ProvidersLosing, d.ProvidersUnchanged)
	if c.FeeTotal != nil {
		fmt.Fprintf(w, "Brukarmånader med ändrad avgift: %d högre, %d lägre\n", d.FeesRising, d.FeesFalling)
	}
	table := func(title string, list []Change, label func(Change) string) {
		fmt.Fprintf(w, "\n%s\n", title)
		var buf bytes.Buffer
		tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
		// No padding at the ends of lines, where a row has no rounding.
		defer func() {
			for line := range strings.Lines(buf.String()) {
				fmt.Fprintln(w, strings.TrimRight(line, " \n"))
			}
		}()
		// A column of rounding only where a row has some: the part of its
		// difference that is the rounding of lines, not rates.
		if !slices.ContainsFunc(list, func(ch Change) bool { return ch.Rounding != nil }) {
			fmt.Fprintf(tw, "\t%s\t%s\tskillnad\t%%\t\n", t(c.Base), t(c.Proposed))
			for _, ch := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", t(label(ch)), ch.Base.String(), ch.Proposed.String(), signed(ch), percentText(ch))
			}
			tw.Flush()
			return
		}
		fmt.Fprintf(tw, "\t%s\t%s\tskillnad\t%%\tvarav avrundning\t\n", t(c.Base), t(c.Proposed))
		for _, ch := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", t(label(ch)), ch.Base.String(), ch.Proposed.String(), signed(ch), percentText(ch), roundingText(ch))
		}
		tw.Flush()
	}
	for _, s := range c.sections() {
		label := c.rowLabel
		if s.key == "ownership" { // by the Swedish name alone: "egen regi"
			label = func(ch Change) string { return ch.Name }
		}
		table(s.title, s.rows, label)
	}
	if len(c.ProviderDifferences) > 0 {
		fmt.Fprintf(w, "\nUtförare som skiljer sig mellan %s och %s (raderna har namnet i %s)\n", t(c.Base), t(c.Proposed), t(c.Base))
		for _, p := range c.ProviderDifferences {
			fmt.Fprintf(w, "  %s: %s\n", t(p.Provider), t(c.ProviderDifferenceText(p)))
		}
	}
	if len(c.NotPaid) > 0 {
		// Days only where a reason has them (items and listings), and
		// no padding at the ends of lines.
		withDays := slices.ContainsFunc(c.NotPaid, func(u UnpaidChange) bool { return u.BaseDays != 0 || u.ProposedDays != 0 })
		var table bytes.Buffer
		tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
		if withDays {
			fmt.Fprintf(w, "\nInte betalt, per skäl (poster, minuter, dagar)\n")
			fmt.Fprintf(tw, "\t%s\t\t\t%s\t\t\t\n", t(c.Base), t(c.Proposed))
		} else {
			fmt.Fprintf(w, "\nInte betalt, per skäl (poster, minuter)\n")
			fmt.Fprintf(tw, "\t%s\t\t%s\t\t\n", t(c.Base), t(c.Proposed))
		}
		for _, u := range c.NotPaid {
			if withDays {
				fmt.Fprintf(tw, "%s\t%d\t%d min\t%s\t%d\t%d min\t%s\t\n", u.Reason.Swedish(), u.BaseRecords, u.BaseMinutes, days(u.BaseDays),
					u.ProposedRecords, u.ProposedMinutes, days(u.ProposedDays))
			} else {
				fmt.Fprintf(tw, "%s\t%d\t%d min\t%d\t%d min\t\n", u.Reason.Swedish(), u.BaseRecords, u.BaseMinutes, u.ProposedRecords, u.ProposedMinutes)
			}
		}
		tw.Flush()
		for line := range strings.Lines(table.String()) {
			fmt.Fprintln(w, strings.TrimRight(line, " \n"))
		}
	}
	if len(c.Fees) > 0 {
		var fees []Change
		for _, f := range c.Fees {
			fees = append(fees, feeChange(f))
		}
		table("Brukarnas avgifter per månad", fees, c.rowLabel)
	}
	if nc := c.feesNotCounted(); len(nc) > 0 {
		fmt.Fprintf(w, "\nInte räknat i avgiften (över rimlighetsgränsen)\n")
		for _, n := range nc {
			where := "i båda"
			switch {
			case !n.proposed:
				where = "bara i " + c.Base
			case !n.base:
				where = "bara i " + c.Proposed
			}
			fmt.Fprintf(w, "  brukare %s, %s: %s (%s)\n", t(n.customer), n.period, t(n.text), t(where))
		}
	}
	for _, l := range c.Largest {
		fmt.Fprintf(w, "\nStörsta förändring: brukare %s, %s kr → %s kr (%s kr, %s)%s\n", t(c.rowLabel(l.Change)), l.Base.String(), l.Proposed.String(),
			signed(l.Change), percentText(l.Change), ofWhichRounding(l.Change))
		for _, side := range []struct {
			name  string
			lines []reimbursement.Line
		}{{c.Base, l.BaseLines}, {c.Proposed, l.ProposedLines}} {
			fmt.Fprintf(w, "  %s:\n", t(side.name))
			if len(side.lines) == 0 {
				fmt.Fprintf(w, "    (inga rader)\n")
			}
			for i := range side.lines {
				fmt.Fprintf(w, "    %s\n", t(LineText(&side.lines[i])))
				if u := UnitsText(&side.lines[i]); u != "" {
					fmt.Fprintf(w, "      %s\n", t(u))
				}
			}
		}
		for _, u := range l.NotPaid {
			fmt.Fprintf(w, "  %s\n", t(c.SideUnpaidText(u)))
		}
		if l.NotPaidMore > 0 {
			fmt.Fprintf(w, "  och %d poster till som den ena sidan lämnar obetalda, eller båda på olika sätt\n", l.NotPaidMore)
		}
	}
	_, err := out.Write(w.Bytes())
	return err
}

// rowLabel is how the text names a row: the key and name ("priv Privat
// AB"), a customer's zone and provider ("k2 (landsbygd, priv)"), a
// provider's component ("priv sol"), a provider's name on the proposed
// side where it differs ("priv Privat AB (förslag: Omsorg Nord AB)").
func (c *Report) rowLabel(ch Change) string {
	name := ch.Key
	if ch.Name != "" {
		name += " " + ch.Name
	}
	switch {
	case ch.Zone != "":
		name += " (" + ch.Zone + ", " + ch.Provider + ")"
	case ch.Provider != "": // a provider's component
		name = ch.Provider + " " + ch.Key
	case ch.ProposedName != "":
		name += " (" + c.Proposed + ": " + ch.ProposedName + ")"
	}
	return name
}

// plus is a with its sign, "+" where positive.
func plus(a reimbursement.Amount) string {
	if a.IsPositive() {
		return "+" + a.String()
	}
	return a.String()
}

func signed(c Change) string { return plus(c.Difference) }

func percentText(c Change) string {
	if c.Percent == nil {
		return "–"
	}
	return plus(*c.Percent) + " %"
}

// roundingText is a row's rounding part, signed, or "" where it has none.
func roundingText(c Change) string {
	if c.Rounding == nil {
		return ""
	}
	return plus(*c.Rounding)
}

// ofWhichRounding is ", varav avrundning −0.01 kr" where a change has a
// rounding part (Change.Rounding), else "".
func ofWhichRounding(c Change) string {
	if c.Rounding == nil {
		return ""
	}
	return ", varav avrundning " + roundingText(c) + " kr"
}
