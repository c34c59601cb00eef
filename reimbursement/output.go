package reimbursement

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"
)

// plain formats d with as many decimals as it carries: amounts keep their
// rounding scale ("3507.00"), rates the decimals they were written with
// ("414.80"), quantities none ("420").
func plain(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}

// The JSON form of a settlement: decimals are strings with the decimals
// they carry, field names and order are stable.
type (
	jsonSettlement struct {
		Period    string          `json:"period"`
		Versions  []VersionRef    `json:"versions"`
		Total     string          `json:"total"`
		Providers []jsonProvider  `json:"providers"`
		Customers []jsonCustomer  `json:"customers"`
		Lines     []jsonLine      `json:"lines"`
		NotPaid   []Unpaid        `json:"not_paid"`
		Figures   *jsonKeyFigures `json:"key_figures"`
	}
	jsonKeyFigures struct {
		GrantedMinutes   int64   `json:"granted_minutes"`
		PerformedMinutes int64   `json:"performed_minutes"`
		PerformedShare   *string `json:"performed_share"`
		DeclinedVisits   int     `json:"declined_visits"`
	}
	jsonProvider struct {
		Provider  string `json:"provider"`
		Name      string `json:"name"`
		Ownership string `json:"ownership"`
		Customers int    `json:"customers"`
		Amount    string `json:"amount"`
		jsonKeyFigures
	}
	jsonCustomer struct {
		Customer string `json:"customer"`
		Provider string `json:"provider"`
		Amount   string `json:"amount"`
		jsonKeyFigures
	}
	jsonLine struct {
		Period      string           `json:"period"`
		Provider    string           `json:"provider"`
		Customer    string           `json:"customer"`
		Version     string           `json:"version"`
		Component   string           `json:"component"`
		Label       string           `json:"label,omitempty"`
		Kind        string           `json:"kind,omitempty"`
		Category    string           `json:"category,omitempty"`
		Zone        string           `json:"zone"`
		Band        string           `json:"band,omitempty"`
		Quantity    string           `json:"quantity"`
		Unit        string           `json:"unit"`
		Rate        string           `json:"rate"`
		RateUnit    string           `json:"rate_unit"`
		Factor      string           `json:"factor,omitempty"`
		Divisor     int64            `json:"divisor"`
		Amount      string           `json:"amount"`
		Explanation *jsonExplanation `json:"explanation,omitempty"`
	}
	jsonExplanation struct {
		Version   string       `json:"version"`
		Source    string       `json:"source"`
		File      string       `json:"file,omitempty"`
		Component string       `json:"component"`
		Strategy  string       `json:"strategy"`
		When      string       `json:"when,omitempty"`
		Rate      string       `json:"rate,omitempty"`
		Inputs    []Input      `json:"inputs,omitempty"`
		Lookups   []jsonLookup `json:"lookups,omitempty"`
		Steps     []string     `json:"steps,omitempty"`
		Formula   string       `json:"formula"`
		Rounding  string       `json:"rounding"`
	}
	jsonLookup struct {
		Table string   `json:"table"`
		Keys  []string `json:"keys"`
		Value string   `json:"value"`
	}
)

func figuresJSON(k KeyFigures) jsonKeyFigures {
	j := jsonKeyFigures{GrantedMinutes: k.GrantedMinutes, PerformedMinutes: k.PerformedMinutes, DeclinedVisits: k.DeclinedVisits}
	if k.PerformedShare != nil {
		s := plain(*k.PerformedShare)
		j.PerformedShare = &s
	}
	return j
}

// KeyFigures returns the key figures of the whole settlement.
func (s *Settlement) KeyFigures() KeyFigures {
	var k KeyFigures
	for _, p := range s.Providers {
		k.add(p.KeyFigures)
	}
	k.computeShare()
	return k
}

// MarshalJSON writes the settlement in its stable JSON form: decimals as
// strings carrying their decimals ("3507.00"), fields in a fixed order.
func (s *Settlement) MarshalJSON() ([]byte, error) {
	kf := figuresJSON(s.KeyFigures())
	j := jsonSettlement{Period: s.Period, Versions: s.Versions, Total: plain(s.Total), NotPaid: s.NotPaid, Figures: &kf,
		Providers: []jsonProvider{}, Customers: []jsonCustomer{}, Lines: []jsonLine{}}
	if j.NotPaid == nil {
		j.NotPaid = []Unpaid{}
	}
	for _, p := range s.Providers {
		j.Providers = append(j.Providers, jsonProvider{p.Provider, p.Name, p.Ownership, p.Customers, plain(p.Amount), figuresJSON(p.KeyFigures)})
	}
	for _, c := range s.Customers {
		j.Customers = append(j.Customers, jsonCustomer{c.Customer, c.Provider, plain(c.Amount), figuresJSON(c.KeyFigures)})
	}
	for _, l := range s.Lines {
		j.Lines = append(j.Lines, toJSONLine(l))
	}
	return json.Marshal(j)
}

func toJSONLine(l Line) jsonLine {
	jl := jsonLine{Period: l.Period, Provider: l.Provider, Customer: l.Customer, Version: l.Version, Component: l.Component, Label: l.Label,
		Kind: l.Kind, Category: l.Category, Zone: l.Zone, Band: l.Band, Quantity: plain(l.Quantity), Unit: l.Unit,
		Rate: plain(l.Rate), RateUnit: l.RateUnit, Divisor: l.Divisor, Amount: plain(l.Amount)}
	if l.Factor != nil {
		jl.Factor = plain(*l.Factor)
	}
	if e := l.Explanation; e != nil {
		je := &jsonExplanation{Version: e.Version, Source: e.Source, File: e.File, Component: e.Component,
			Strategy: e.Strategy, When: e.When, Rate: e.Rate, Inputs: e.Inputs, Steps: e.Steps, Formula: e.Formula, Rounding: e.Rounding}
		for _, lk := range e.Lookups {
			je.Lookups = append(je.Lookups, jsonLookup{lk.Table, lk.Keys, plain(lk.Value)})
		}
		jl.Explanation = je
	}
	return jl
}

// WriteJSON writes the settlement as indented JSON.
func (s *Settlement) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// CSVColumns are the columns of the invoice basis WriteCSV writes.
var CSVColumns = []string{"period", "provider", "customer", "version", "component", "label", "kind", "category", "zone", "band",
	"quantity", "unit", "rate", "rate_unit", "factor", "divisor", "amount"}

// WriteCSV writes the invoice basis (faktureringsunderlag): one row per
// line, with the columns of CSVColumns.
func (s *Settlement) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, l := range s.Lines {
		factor := ""
		if l.Factor != nil {
			factor = plain(*l.Factor)
		}
		if err := cw.Write([]string{l.Period, l.Provider, l.Customer, l.Version, l.Component, l.Label, l.Kind, l.Category, l.Zone,
			l.Band, plain(l.Quantity), l.Unit, plain(l.Rate), l.RateUnit, factor, strconv.FormatInt(l.Divisor, 10),
			plain(l.Amount)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// TextOptions choose what WriteText prints.
type TextOptions struct {
	// Lines prints every line, grouped by provider and customer.
	Lines bool
	// Explain prints the explanation of the first Explain lines.
	Explain int
}

// WriteText writes a readable report: totals per provider, the key
// figures, optionally the lines and explanations, and what was not paid.
func (s *Settlement) WriteText(w io.Writer, opts TextOptions) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "Ersättning %s\n", s.Period)
	for _, v := range s.Versions {
		fmt.Fprintf(ew, "Tariff: %s (from %s; %s)\n  %s\n", v.Name, v.ValidFrom, v.Rounding, v.Source)
	}
	fmt.Fprintln(ew)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "provider\townership\tcustomers\tgranted min\tperformed min\tshare\tdeclined\tamount kr\t")
	for _, p := range s.Providers {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%d\t%s\t\n", p.Provider, p.Ownership, p.Customers,
			p.GrantedMinutes, p.PerformedMinutes, shareText(p.PerformedShare), p.DeclinedVisits, plain(p.Amount))
	}
	k := s.KeyFigures()
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%s\t%d\t%s\t\n", len(s.Customers), k.GrantedMinutes, k.PerformedMinutes,
		shareText(k.PerformedShare), k.DeclinedVisits, plain(s.Total))
	tw.Flush()
	if opts.Lines {
		fmt.Fprintln(ew)
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "provider\tcustomer\tcomponent\tkind\tcategory\tzone\tband\tquantity\trate\tamount")
		for _, l := range s.Lines {
			rate := plain(l.Rate) + " " + l.RateUnit
			if l.Factor != nil {
				rate += " × " + plain(*l.Factor)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s %s\t%s\t%s\n", l.Provider, l.Customer, l.Component, l.Kind,
				l.Category, l.Zone, l.Band, plain(l.Quantity), l.Unit, rate, plain(l.Amount))
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
		fmt.Fprintf(ew, "\nNot paid (%d):\n", len(s.NotPaid))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, u := range s.NotPaid {
			min := ""
			if u.Minutes > 0 {
				min = fmt.Sprintf("%d min", u.Minutes)
			}
			fmt.Fprintf(tw, "  %s %s\t%s/%s\t%s\t%s\t%s\t%s\n", u.Kind, u.ID, u.Provider, u.Customer, u.Date, u.Reason, min, u.Detail)
		}
		tw.Flush()
	}
	return ew.err
}

// WriteExplanation writes the line's explanation in readable form; it
// writes nothing for a line without one.
func (l *Line) WriteExplanation(out io.Writer) error {
	e := l.Explanation
	if e == nil {
		return nil
	}
	w := &errWriter{w: out}
	fmt.Fprintf(w, "Line %s / %s / %s", l.Provider, l.Customer, l.Component)
	for _, part := range []string{l.Kind, l.Category, l.Zone, l.Band} {
		if part != "" {
			fmt.Fprintf(w, " / %s", part)
		}
	}
	fmt.Fprintf(w, ": %s kr\n", plain(l.Amount))
	fmt.Fprintf(w, "  tariff    %s (%s)\n", e.Version, e.File)
	fmt.Fprintf(w, "  strategy  %s\n", e.Strategy)
	if e.When != "" {
		fmt.Fprintf(w, "  when      %s\n", e.When)
	}
	if e.Rate != "" {
		fmt.Fprintf(w, "  rate      %s\n", e.Rate)
	}
	if len(e.Inputs) > 0 {
		var parts []string
		for _, in := range e.Inputs {
			parts = append(parts, in.Name+"="+in.Value)
		}
		fmt.Fprintf(w, "  inputs    %s\n", strings.Join(parts, ", "))
	}
	for _, lk := range e.Lookups {
		fmt.Fprintf(w, "  lookup    %s[%s] = %s\n", lk.Table, strings.Join(lk.Keys, ", "), plain(lk.Value))
	}
	for _, st := range e.Steps {
		fmt.Fprintf(w, "  step      %s\n", st)
	}
	fmt.Fprintf(w, "  formula   %s\n", e.Formula)
	fmt.Fprintf(w, "  rounding  %s\n", e.Rounding)
	return w.err
}

func shareText(s *decimal.Decimal) string {
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
