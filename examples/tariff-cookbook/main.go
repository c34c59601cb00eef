// Command tariff-cookbook settles March 2024 under the small tariffs of
// the cookbook, one directory per construct a municipality writes as
// data: night visits, planned time, standard times, absences, one-off
// payments, monthly amounts, provider attributes and rounding. See
// README.md for each construct with its amounts worked out by hand.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // settles in Europe/Stockholm on any machine

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

//go:embed */dataset.json */tariffs/*.json
var files embed.FS

// constructs are the cookbook's directories, in the README's order.
var constructs = []string{
	"01-night-visits", "02-planned-time", "03-standard-times", "04-absence",
	"05-one-off", "06-monthly", "07-provider-attributes", "08-rounding", "10-day-and-band",
}

// settle settles March 2024 in the construct's directory of fsys under
// the tariff file (a book of one version).
func settle(fsys fs.FS, construct, tariff string) (*reimbursement.Settlement, error) {
	v, err := reimbursement.LoadVersion(fsys, path.Join(construct, "tariffs", tariff))
	if err != nil {
		return nil, err
	}
	book, err := reimbursement.NewBook(v)
	if err != nil {
		return nil, err
	}
	ds, err := models.ReadDatasetFS(fsys, path.Join(construct, "dataset.json"))
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return nil, err
	}
	p, err := calendar.Month(2024, time.March, loc)
	if err != nil {
		return nil, err
	}
	return reimbursement.Settle(context.Background(), book, ds, p, reimbursement.Options{})
}

// tariffs returns the tariff files of a construct, sorted.
func tariffs(fsys fs.FS, construct string) ([]string, error) {
	names, err := fs.Glob(fsys, path.Join(construct, "tariffs", "*.json"))
	for i, n := range names {
		names[i] = path.Base(n)
	}
	return names, err
}

// write prints every construct's settlements: the lines, what was not
// paid and the total.
func write(w io.Writer, fsys fs.FS) error {
	for _, c := range constructs {
		names, err := tariffs(fsys, c)
		if err != nil {
			return err
		}
		for _, t := range names {
			s, err := settle(fsys, c, t)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "=== %s, %s: %s\n", c, strings.TrimSuffix(t, ".json"), s.Versions[0].Name)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			for _, l := range s.Lines {
				factor := ""
				if l.Factor != nil {
					factor = "× " + l.Factor.String()
				}
				category := ""
				if l.Category != models.CategoryUnknown {
					category = l.Category.String()
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s %s\t%s %s\t%s\t%s\t\n", l.Provider, l.Customer, l.Component, l.Kind,
					category, l.Quantity, l.Unit, l.Rate, l.RateUnit, factor, l.Amount)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, u := range s.NotPaid {
				fmt.Fprintf(w, "  not paid: %s %s (%s) %s\n", u.Kind, u.ID, u.Reason, u.Detail)
			}
			fmt.Fprintf(w, "  total %s kr\n\n", s.Total)
		}
	}
	return nil
}

func main() {
	if err := write(os.Stdout, files); err != nil {
		log.Fatal(err)
	}
}
