// Package exrun runs the municipal examples: each example directory holds
// an example.json manifest naming its dataset, its tariff books and the
// months to settle, and its main package embeds the directory and calls
// Main.
package exrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"slices"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // the examples settle in Europe/Stockholm on any machine

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// Manifest is an example's example.json.
type Manifest struct {
	Title   string    `json:"title"`
	Dataset string    `json:"dataset"`
	Books   []BookRef `json:"books"`
	Months  []string  `json:"months"`
	// Explain is how many lines of each settlement the report explains.
	Explain int `json:"explain,omitempty"`
}

// BookRef names a tariff book: a directory of tariff versions.
type BookRef struct {
	Name string `json:"name"`
	Dir  string `json:"dir"`
}

// Run is one book settled for one month.
type Run struct {
	Book       string
	Month      string
	Settlement *reimbursement.Settlement
}

// SettleAll reads the manifest in fsys and settles every month under
// every book, in the manifest's order.
func SettleAll(fsys fs.FS) (*Manifest, []Run, error) {
	b, err := fs.ReadFile(fsys, "example.json")
	if err != nil {
		return nil, nil, err
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, nil, fmt.Errorf("example.json: %w", err)
	}
	ds, err := models.ReadDatasetFS(fsys, m.Dataset)
	if err != nil {
		return nil, nil, err
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return nil, nil, err
	}
	var runs []Run
	for _, br := range m.Books {
		book, err := reimbursement.LoadBook(fsys, br.Dir)
		if err != nil {
			return nil, nil, err
		}
		for _, month := range m.Months {
			p, err := calendar.ParseMonth(month, loc)
			if err != nil {
				return nil, nil, err
			}
			s, err := reimbursement.Settle(context.Background(), book, ds, p, reimbursement.Options{})
			if err != nil {
				return nil, nil, err
			}
			runs = append(runs, Run{Book: br.Name, Month: month, Settlement: s})
		}
	}
	if len(runs) == 0 {
		return nil, nil, errors.New("example.json: no books or no months")
	}
	return &m, runs, nil
}

// Main settles the example in fsys and prints its reports to standard
// output, then, when there is more than one run, the totals per provider
// side by side. It exits with status 1 on an error.
func Main(fsys fs.FS) {
	log.SetFlags(0)
	if err := Write(os.Stdout, fsys); err != nil {
		log.Fatal(err)
	}
}

// Write is Main writing to w.
func Write(w io.Writer, fsys fs.FS) error {
	m, runs, err := SettleAll(fsys)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s\n\n", m.Title)
	for _, r := range runs {
		fmt.Fprintf(w, "=== %s, %s\n", r.Book, r.Month)
		if err := r.Settlement.WriteText(w, reimbursement.TextOptions{Lines: true, Explain: m.Explain}); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if len(runs) > 1 {
		return writeComparison(w, runs)
	}
	return nil
}

// writeComparison prints each provider's total under every run and the
// difference from the first run.
func writeComparison(w io.Writer, runs []Run) error {
	fmt.Fprintln(w, "=== Totals per provider (kr), and the change from the first column")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "provider\t")
	for _, r := range runs {
		fmt.Fprintf(tw, "%s %s\t", r.Book, r.Month)
	}
	for _, r := range runs[1:] {
		fmt.Fprintf(tw, "Δ %s %s\t", r.Book, r.Month)
	}
	fmt.Fprintln(tw)
	var providers []string
	for _, r := range runs {
		for _, p := range r.Settlement.Providers {
			if !slices.Contains(providers, p.Provider) {
				providers = append(providers, p.Provider)
			}
		}
	}
	amount := func(r Run, provider string) decimal.Decimal {
		for _, p := range r.Settlement.Providers {
			if p.Provider == provider {
				return p.Amount.Decimal
			}
		}
		return decimal.Decimal{}
	}
	row := func(name string, get func(Run) decimal.Decimal) {
		fmt.Fprintf(tw, "%s\t", name)
		for _, r := range runs {
			fmt.Fprintf(tw, "%s\t", get(r).StringFixed(2))
		}
		base := get(runs[0])
		for _, r := range runs[1:] {
			fmt.Fprintf(tw, "%s\t", get(r).Sub(base).StringFixed(2))
		}
		fmt.Fprintln(tw)
	}
	for _, p := range providers {
		row(p, func(r Run) decimal.Decimal { return amount(r, p) })
	}
	row("total", func(r Run) decimal.Decimal { return r.Settlement.Total.Decimal })
	return tw.Flush()
}
