package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// stockholm is where the months are settled.
var stockholm = mustLocation("Europe/Stockholm")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in: this cannot happen
	}
	return loc
}

// list is a flag that may be given more than once.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }

// Set adds a value; a comma-separated value adds each part.
func (l *list) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// newFlags returns a flag set that reports to stderr and a progress
// printer that a -q flag silences.
func newFlags(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *progress) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: ersattning %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	p := &progress{w: stderr}
	fs.BoolVar(&p.quiet, "q", false, "no progress on stderr")
	return fs, p
}

// parse parses the flags, returning errUsage on a bad command line.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		// Everything after it would be ignored: a second data file
		// given without its own -data (a shell glob: -data *.json), and
		// any flag after it.
		fmt.Fprintf(fs.Output(), "ersattning %s: unexpected argument %q: give each data file its own -data (or separate them with commas); flags after it were not read\n",
			fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// checkFormat refuses, as a usage error before any work, a -format not in
// formats, and one given beside an -out directory, which gets every
// format (outDir).
func checkFormat(fs *flag.FlagSet, format string, formats []string, outDir bool) error {
	if !slices.Contains(formats, format) {
		fmt.Fprintf(fs.Output(), "ersattning %s: -format %q: want %s\n", fs.Name(), format, strings.Join(formats, ", "))
		return errUsage
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "format" })
	if outDir && given {
		fmt.Fprintf(fs.Output(), "ersattning %s: -format has no effect with -out, which writes every format\n", fs.Name())
		return errUsage
	}
	return nil
}

// progress prints what a long run is doing to stderr.
type progress struct {
	w     io.Writer
	quiet bool
}

func (p *progress) printf(format string, args ...any) {
	if !p.quiet {
		fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// count writes n and the noun, plural but for one: "1 provider", "12
// providers".
func count(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d %s", n, noun)
}

// loadBook loads the tariff versions in dir.
func loadBook(dir string) (*reimbursement.Book, error) {
	return reimbursement.LoadBook(os.DirFS(dir), ".")
}

// encodingUsage describes the -encoding flag.
const encodingUsage = "the character encoding of the visits CSV files: detect, utf-8 or windows-1252 (state it for a file detection refuses)"

// loadData reads the data files: the JSON datasets and the CSV files of
// visits, merged, the CSV files' visits after the JSON files' records,
// and validated once as a whole (models.ReadDatasetParts: a file may
// refer to the customers of another; a task, customer or provider given
// alike in two files is kept once; a CSV visit's error names its file
// and line).
func loadData(files []string, enc models.Encoding, p *progress) (*models.Dataset, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no data: give -data dataset.json")
	}
	var parts, csvs []models.DatasetPart
	for _, name := range files {
		if strings.ToLower(filepath.Ext(name)) == ".csv" {
			f, err := os.Open(name)
			if err != nil {
				return nil, err
			}
			v, err := models.ReadVisitsCSVWith(f, models.CSVOptions{File: name, Location: stockholm, Encoding: enc})
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			csvs = append(csvs, models.DatasetPart{File: name, Visits: v})
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		parts = append(parts, models.DatasetPart{File: name, R: bytes.NewReader(b)})
	}
	// Each error names its file, line and record.
	ds, err := models.ReadDatasetParts(append(parts, csvs...)...)
	if err != nil {
		return nil, err
	}
	p.printf("data: %s, %s, %s, %s", count(len(ds.Customers), "customer"), count(len(ds.Providers), "provider"),
		count(len(ds.Decisions), "decision"), count(len(ds.Visits), "visit"))
	return ds, nil
}

// parseMonth parses a month written 2024-01, its error naming the value
// and, for a value of that form outside the calendar's years, why.
func parseMonth(m string) (calendar.Period, error) {
	p, err := calendar.ParseMonth(m, stockholm)
	if err != nil {
		why := "want YYYY-MM, as 2024-01"
		if _, form := time.Parse("2006-01", m); form == nil {
			// Of the form, but not of the calendar's years: 1800-01
			// was told to be written as 2024-01, which it is.
			why = strings.TrimPrefix(err.Error(), "calendar: ")
		}
		return p, fmt.Errorf("month %q: %s", m, why)
	}
	return p, nil
}
