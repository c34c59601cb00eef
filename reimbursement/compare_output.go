package reimbursement

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// MarshalJSON writes the change and its lines under both tariffs.
func (d CustomerDiff) MarshalJSON() ([]byte, error) {
	change, err := json.Marshal(d.Change)
	if err != nil {
		return nil, err
	}
	base, prop := []jsonLine{}, []jsonLine{}
	for _, l := range d.BaseLines {
		base = append(base, toJSONLine(l))
	}
	for _, l := range d.ProposedLines {
		prop = append(prop, toJSONLine(l))
	}
	return json.Marshal(struct {
		Change        json.RawMessage `json:"change"`
		BaseLines     []jsonLine      `json:"base_lines"`
		ProposedLines []jsonLine      `json:"proposed_lines"`
	}{change, base, prop})
}

// WriteJSON writes the comparison as indented JSON.
func (c *Comparison) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// CompareCSVColumns are the columns WriteCSV writes.
var CompareCSVColumns = []string{"section", "key", "name", "base", "proposed", "difference", "percent"}

// WriteCSV writes the comparison as rows of section (total, month,
// provider, component, customer, fee), key, name, base, proposed,
// difference and percent.
func (c *Comparison) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CompareCSVColumns); err != nil {
		return err
	}
	row := func(section string, ch Change) {
		pct := ""
		if ch.Percent != nil {
			pct = plain(*ch.Percent)
		}
		_ = cw.Write([]string{section, ch.Key, ch.Name, plain(ch.Base), plain(ch.Proposed), plain(ch.Difference), pct})
	}
	row("total", c.Total)
	for _, s := range []struct {
		name string
		list []Change
	}{{"month", c.Months}, {"provider", c.Providers}, {"component", c.Components}, {"customer", c.Customers}} {
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
	return newChange(ch.Key, ch.Name, ch.Base, ch.Proposed)
}

// WriteText writes a readable report of the comparison.
func (c *Comparison) WriteText(out io.Writer) error {
	w := &errWriter{w: out}
	fmt.Fprintf(w, "Jämförelse %s → %s, %v\n\n", c.Base, c.Proposed, c.Periods)
	fmt.Fprintf(w, "Budget: %s kr → %s kr, %s kr (%s)\n", plain(c.Total.Base), plain(c.Total.Proposed), signed(c.Total), percentText(c.Total))
	if c.FeeTotal != nil {
		fmt.Fprintf(w, "Fees:   %s kr → %s kr, %s kr (%s)\n", plain(c.FeeTotal.Base), plain(c.FeeTotal.Proposed), signed(*c.FeeTotal), percentText(*c.FeeTotal))
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
		fmt.Fprintf(tw, "\t%s\t%s\tdifference\t%%\t\n", c.Base, c.Proposed)
		for _, ch := range list {
			name := ch.Key
			if ch.Name != "" {
				name += " " + ch.Name
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", name, plain(ch.Base), plain(ch.Proposed), signed(ch), percentText(ch))
		}
		tw.Flush()
	}
	table("Per month", c.Months)
	table("Per provider", c.Providers)
	table("Per component", c.Components)
	table("Per customer", c.Customers)
	if len(c.Fees) > 0 {
		var fees []Change
		for _, f := range c.Fees {
			fees = append(fees, feeChange(f))
		}
		table("Customer fees (avgift) per month", fees)
	}
	for _, l := range c.Largest {
		fmt.Fprintf(w, "\nLargest change: customer %s, %s → %s kr (%s kr)\n", l.Key, plain(l.Base), plain(l.Proposed), signed(l.Change))
		for _, side := range []struct {
			name  string
			lines []Line
		}{{c.Base, l.BaseLines}, {c.Proposed, l.ProposedLines}} {
			fmt.Fprintf(w, "  %s:\n", side.name)
			for _, ln := range side.lines {
				formula := plain(ln.Amount)
				if ln.Explanation != nil {
					formula = ln.Explanation.Formula
				}
				fmt.Fprintf(w, "    %s  %s %s %s: %s\n", ln.Period, ln.Component, ln.Kind, ln.Category, formula)
			}
		}
	}
	return w.err
}

func signed(c Change) string {
	if c.Difference.IsPositive() {
		return "+" + plain(c.Difference)
	}
	return plain(c.Difference)
}

func percentText(c Change) string {
	if c.Percent == nil {
		return "–"
	}
	if c.Percent.IsPositive() {
		return "+" + plain(*c.Percent) + " %"
	}
	return plain(*c.Percent) + " %"
}
