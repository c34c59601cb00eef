package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/csvdialect"
	"github.com/hemtjanst/ersattning/reimbursement/internal/textsafe"
)

// WriteJSON writes the comparison as indented JSON.
func (c *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// csvColumns are the columns WriteCSV writes.
var csvColumns = []string{"section", "key", "name", "base", "proposed", "difference", "percent", "zone", "provider"}

// WriteCSV writes the comparison as rows of section (total, month,
// provider, component, provider_component, zone, ownership, customer,
// fee), key, name, base, proposed, difference, percent, and for customers
// zone and provider (for provider_component rows, the key is the
// component and provider the provider), in the dialect f:
// reimbursement.PlainCSV for programs or ExcelCSV for Swedish Excel
// (semicolons, decimal commas, a byte-order mark). The report's warnings
// come first, as rows of section warning with the text as name. The text
// columns are guarded as the format says (see reimbursement.PlainCSV and
// ExcelCSV); the number columns are not.
func (c *Report) WriteCSV(w io.Writer, f reimbursement.Format) error {
	if f != reimbursement.PlainCSV && f != reimbursement.ExcelCSV {
		return fmt.Errorf("compare: WriteCSV: format %d is not a CSV dialect", f)
	}
	cw, err := csvdialect.NewWriter(w, f == reimbursement.ExcelCSV)
	if err != nil {
		return err
	}
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	row := func(section string, ch Change) {
		pct := ""
		if ch.Percent != nil {
			pct = cw.Number(*ch.Percent)
		}
		t := cw.Text
		_ = cw.Write([]string{t(section), t(ch.Key), t(ch.Name), cw.Number(ch.Base), cw.Number(ch.Proposed), cw.Number(ch.Difference), pct,
			t(ch.Zone), t(ch.Provider)})
	}
	for _, warning := range c.Warnings {
		_ = cw.Write([]string{cw.Text("warning"), "", cw.Text(warning), "", "", "", "", "", ""})
	}
	row("total", c.Total)
	for _, s := range []struct {
		name string
		list []Change
	}{{"month", c.Months}, {"provider", c.Providers}, {"component", c.Components}, {"provider_component", c.ProviderComponents},
		{"zone", c.Zones}, {"ownership", c.Ownerships}, {"customer", c.Customers}} {
		for _, ch := range s.list {
			row(s.name, ch)
		}
	}
	for _, f := range c.Fees {
		row("fee", feeChange(f))
	}
	cw.Flush()
	return cw.Error()
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

// WriteText writes a readable report of the comparison; control
// characters in names from the data are escaped.
func (c *Report) WriteText(out io.Writer) error {
	w := &bytes.Buffer{}
	t := textsafe.Text
	fmt.Fprintf(w, "Jämförelse %s → %s, %s\n\n", t(c.Base), t(c.Proposed), strings.Join(c.Periods, ", "))
	for _, warning := range c.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", t(warning))
	}
	if len(c.Warnings) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Budget: %s kr → %s kr, %s kr (%s)\n", c.Total.Base.String(), c.Total.Proposed.String(), signed(c.Total), percentText(c.Total))
	if c.FeeTotal != nil {
		fmt.Fprintf(w, "Fees:   %s kr → %s kr, %s kr (%s)\n", c.FeeTotal.Base.String(), c.FeeTotal.Proposed.String(), signed(*c.FeeTotal), percentText(*c.FeeTotal))
	}
	d := c.Distribution
	fmt.Fprintf(w, "Customers beyond ±%s kr: %d gain, %d lose, %d within\n", d.CustomerThreshold, d.CustomersGaining, d.CustomersLosing, d.CustomersUnchanged)
	fmt.Fprintf(w, "Providers beyond ±%s %%: %d gain, %d lose, %d within\n", d.ProviderThreshold, d.ProvidersGaining, d.ProvidersLosing, d.ProvidersUnchanged)
	if c.FeeTotal != nil {
		fmt.Fprintf(w, "Fees: %d customer-months rise, %d fall\n", d.FeesRising, d.FeesFalling)
	}
	table := func(title string, list []Change) {
		fmt.Fprintf(w, "\n%s\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "\t%s\t%s\tdifference\t%%\t\n", t(c.Base), t(c.Proposed))
		for _, ch := range list {
			name := ch.Key
			if ch.Name != "" {
				name += " " + ch.Name
			}
			switch {
			case ch.Zone != "":
				name += " (" + ch.Zone + ", " + ch.Provider + ")"
			case ch.Provider != "": // a provider's component
				name = ch.Provider + " " + ch.Key
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", t(name), ch.Base.String(), ch.Proposed.String(), signed(ch), percentText(ch))
		}
		tw.Flush()
	}
	table("Per month", c.Months)
	table("Per provider", c.Providers)
	table("Per component", c.Components)
	table("Per provider and component", c.ProviderComponents)
	table("Per zone", c.Zones)
	table("Per ownership", c.Ownerships)
	table("Per customer", c.Customers)
	if len(c.NotPaid) > 0 {
		fmt.Fprintf(w, "\nNot paid, by reason (records, minutes)\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "\t%s\t\t%s\t\t\n", t(c.Base), t(c.Proposed))
		for _, u := range c.NotPaid {
			fmt.Fprintf(tw, "%s\t%d\t%d min\t%d\t%d min\t\n", u.Reason, u.BaseRecords, u.BaseMinutes, u.ProposedRecords, u.ProposedMinutes)
		}
		tw.Flush()
	}
	if len(c.Fees) > 0 {
		var fees []Change
		for _, f := range c.Fees {
			fees = append(fees, feeChange(f))
		}
		table("Customer fees (avgift) per month", fees)
	}
	for _, l := range c.Largest {
		fmt.Fprintf(w, "\nLargest change: customer %s, %s → %s kr (%s kr)\n", t(l.Key), l.Base.String(), l.Proposed.String(), signed(l.Change))
		for _, side := range []struct {
			name  string
			lines []reimbursement.Line
		}{{c.Base, l.BaseLines}, {c.Proposed, l.ProposedLines}} {
			fmt.Fprintf(w, "  %s:\n", t(side.name))
			for _, ln := range side.lines {
				formula := ln.Amount.String()
				if ln.Explanation != nil {
					formula = ln.Explanation.Formula
				}
				label := []string{t(ln.Component)}
				if k := ln.Kind.String(); k != "" {
					label = append(label, k)
				}
				if ln.Category != models.CategoryUnknown {
					label = append(label, ln.Category.String())
				}
				fmt.Fprintf(w, "    %s  %s: %s\n", ln.Period, strings.Join(label, " "), t(formula))
			}
		}
	}
	_, err := out.Write(w.Bytes())
	return err
}

func signed(c Change) string {
	if c.Difference.IsPositive() {
		return "+" + c.Difference.String()
	}
	return c.Difference.String()
}

func percentText(c Change) string {
	if c.Percent == nil {
		return "–"
	}
	if c.Percent.IsPositive() {
		return "+" + c.Percent.String() + " %"
	}
	return c.Percent.String() + " %"
}
