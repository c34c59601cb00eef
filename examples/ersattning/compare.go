package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

// budgetNumber is the number of a -budget: digits, a sign, and at most
// two decimals after a comma or a point.
var budgetNumber = regexp.MustCompile(`^[+-]?[0-9]{1,12}([.,][0-9]{1,2})?$`)

// parseBudget reads "50000kr", "50 000 kr" (kronor) or "2%"; a number
// without its unit is refused; a negative limit ("-2%") asks the budget
// to fall by at least that much.
func parseBudget(s string) (*compare.Budget, error) {
	if s == "" {
		return nil, nil
	}
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	b := &compare.Budget{}
	switch {
	case strings.HasSuffix(t, "%"):
		b.Percent, t = true, strings.TrimSuffix(t, "%")
	case strings.HasSuffix(strings.ToLower(t), "kr"):
		t = t[:len(t)-2]
	case budgetNumber.MatchString(strings.Replace(t, "−", "-", 1)):
		// "2" could be 2 kr or 2 %: read either way, the verdict would
		// judge another limit than the one meant (found by a trial).
		return nil, badFlag("-budget %.40q: say the unit: %skr or %s%%", s, t, t)
	}
	t = strings.Replace(t, "−", "-", 1)
	// Digits, a sign, and at most two decimals after a comma or a point:
	// "50,000" is fifty thousand to some readers and fifty to others, so
	// it is refused rather than read either way.
	if !budgetNumber.MatchString(t) {
		return nil, badFlag("-budget %.40q: want kronor (50000kr, 50 000 kr) or percent (2%%, 2,5%%), or a fall (-2%%): digits with at most two decimals, no thousands separator but a space", s)
	}
	d, err := decimal.NewFromString(strings.Replace(t, ",", ".", 1))
	if err != nil {
		return nil, badFlag("-budget %.40q: want kronor (50000kr) or percent (2%%), or a fall (-2%%)", s)
	}
	b.Amount = d
	return b, nil
}

// runCompare compares a proposed tariff with the current one over the
// months and writes the report; with -budget the report carries the
// verdict, and the command fails when the budget is over the limit or not
// judged. Every error names the flag, the value given and the side.
func runCompare(args []string, stdout, stderr io.Writer) error {
	fs, p := newFlags("compare", "-base DIR -proposed DIR -data dataset.json -months 2024-01,2024-02 [flags]", stderr)
	base := fs.String("base", "", "the directory of the current tariff (the base side)")
	proposed := fs.String("proposed", "", "the directory of the proposed tariff (the proposed side)")
	baseName := fs.String("base-name", "nuvarande", "what to call the current tariff")
	proposedName := fs.String("proposed-name", "förslag", "what to call the proposed tariff")
	var data, proposedData, monthList list
	fs.Var(&data, "data", "a dataset (.json) or visits (.csv); repeat or separate with commas")
	fs.Var(&proposedData, "proposed-data", "the data as the proposed tariff describes it, when it differs")
	var encoding models.Encoding
	fs.TextVar(&encoding, "encoding", models.EncodingDetect, encodingUsage)
	fs.Var(&monthList, "months", "the months to compare, 2024-01,2024-02")
	format := fs.String("format", "text", "text, csv, excel (Swedish Excel), json or html")
	out := fs.String("out", "", "a file to write the report to instead of stdout")
	budget := fs.String("budget", "", "how much the budget may rise: 50000kr or 2%")
	customerThreshold := fs.String("customer-threshold", "", "kronor beyond which a customer counts as gaining or losing (default 100)")
	largest := fs.String("largest", "", "how many of the largest changes by customer to show with their lines (default 5)")
	fees := fs.String("fees", "", "a fee schedule (avgiftstaxa, .json) for both sides: the customers' fees are compared too")
	baseFees := fs.String("base-fees", "", "the base side's fee schedule, when the sides' differ")
	proposedFees := fs.String("proposed-fees", "", "the proposed side's fee schedule, when the sides' differ")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(fs, *format, []string{"text", "csv", "excel", "json", "html"}, false); err != nil {
		return err
	}
	bs, ps := compare.Side{Name: *baseName}, compare.Side{Name: *proposedName}
	baseSide, proposedSide := fmt.Sprintf("base side %q", bs.Name), fmt.Sprintf("proposed side %q", ps.Name)
	switch {
	case *base == "":
		return badFlag("-base: not given: give the directory of the current tariff (the base side)")
	case *proposed == "":
		return badFlag("-proposed: not given: give the directory of the proposed tariff (the proposed side)")
	case strings.TrimSpace(bs.Name) == "":
		return badFlag("-base-name %q: give the base side a name", bs.Name)
	case strings.TrimSpace(ps.Name) == "":
		return badFlag("-proposed-name %q: give the proposed side a name", ps.Name)
	case bs.Name == ps.Name:
		return badFlag("-base-name %q and -proposed-name %q: the sides need different names, or the report cannot tell them apart", bs.Name, ps.Name)
	}
	limit, err := parseBudget(*budget)
	if err != nil {
		return err
	}
	periods, err := compareMonths(monthList)
	if err != nil {
		return err
	}
	opts := compare.Options{Budget: limit}
	if *customerThreshold != "" {
		d, err := decimal.NewFromString(*customerThreshold)
		if err != nil || d.IsNegative() {
			return badFlag("-customer-threshold %q: want kronor, not negative", *customerThreshold)
		}
		opts.CustomerThreshold = &d
	}
	if *largest != "" {
		n, err := strconv.Atoi(*largest)
		if err != nil || n < 0 {
			return badFlag("-largest %q: want a number of customers, 0 or more", *largest)
		}
		opts.Largest = &n
	}
	switch {
	case *fees != "" && *baseFees != "":
		return badFlag("-fees %q and -base-fees %q: give -fees for both sides, or -base-fees and -proposed-fees for each", *fees, *baseFees)
	case *fees != "" && *proposedFees != "":
		return badFlag("-fees %q and -proposed-fees %q: give -fees for both sides, or -base-fees and -proposed-fees for each", *fees, *proposedFees)
	case *fees != "":
		if bs.Fees, err = loadFees("-fees", *fees, "both sides"); err != nil {
			return err
		}
		ps.Fees = bs.Fees
	default:
		if *baseFees != "" {
			if bs.Fees, err = loadFees("-base-fees", *baseFees, baseSide); err != nil {
				return err
			}
		}
		if *proposedFees != "" {
			if ps.Fees, err = loadFees("-proposed-fees", *proposedFees, proposedSide); err != nil {
				return err
			}
		}
	}
	if len(data) == 0 {
		return badFlag("-data: not given: give the data of both sides, -data dataset.json (and -proposed-data where the proposed side's differs)")
	}
	if bs.Book, err = loadFlagBook("base", *base, baseSide); err != nil {
		return err
	}
	if ps.Book, err = loadFlagBook("proposed", *proposed, proposedSide); err != nil {
		return err
	}
	dataSides := "both sides"
	if len(proposedData) > 0 {
		dataSides = baseSide
	}
	if bs.Data, err = loadData(data, encoding, p); err != nil {
		return fmt.Errorf("-data %q (%s): %w", data.String(), dataSides, err)
	}
	ps.Data = bs.Data
	if len(proposedData) > 0 {
		if ps.Data, err = loadData(proposedData, encoding, p); err != nil {
			return fmt.Errorf("-proposed-data %q (%s): %w", proposedData.String(), proposedSide, err)
		}
	}
	p.printf("comparing %s under %s and %s…", count(len(periods), "month"), bs.Name, ps.Name)
	c, err := compare.Run(context.Background(), bs, ps, periods, opts)
	if se := (*compare.SideError)(nil); errors.As(err, &se) {
		// Name the flags whose values the side was made of.
		flags := fmt.Sprintf("-base %q, -data %q", *base, data.String())
		if se.Side == "proposed" {
			flags = fmt.Sprintf("-proposed %q, -data %q", *proposed, data.String())
			if len(proposedData) > 0 {
				flags = fmt.Sprintf("-proposed %q, -proposed-data %q", *proposed, proposedData.String())
			}
		}
		where := fmt.Sprintf("%s side %q (%s)", se.Side, se.Name, flags)
		if se.Period != "" {
			where += ", " + se.Period
		}
		return fmt.Errorf("%s: %w", where, se.Err)
	}
	if err != nil {
		return err
	}
	p.printf("compared: %s, %s", count(len(c.Customers), "customer"), count(len(c.Providers), "provider"))
	for _, w := range c.Warnings {
		fmt.Fprintf(stderr, "varning: %s\n", w) // also with -q: it says the report is not whole
	}
	var buf bytes.Buffer
	if err := writeReport(&buf, *format, c); err != nil {
		return err
	}
	if *out != "" {
		if err = os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("-out %q: %w", *out, err)
		}
		p.printf("wrote %s", *out)
	} else if _, err = stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	if v := c.Budget; v != nil {
		// The verdict is in the report; said again here, and the exit
		// code is 1 unless it is within the limit.
		if v.Outcome != compare.Within {
			return fmt.Errorf("-budget %q: %s", *budget, v)
		}
		p.printf("-budget %q: %s", *budget, v)
	}
	return nil
}

// compareMonths parses -months, each error naming the flag, the value
// given and the sides (both: the months are compared on both).
func compareMonths(names list) ([]calendar.Period, error) {
	if len(names) == 0 {
		return nil, badFlag("-months: not given: give the months to compare on both sides, -months 2024-01,2024-02")
	}
	var out []calendar.Period
	for _, m := range names {
		p, err := parseMonth(m)
		if err != nil {
			return nil, badFlag("-months %q (both sides): %v", names.String(), err)
		}
		if slices.Contains(out, p) {
			return nil, badFlag("-months %q (both sides): month %s given twice: its amounts would count twice", names.String(), p)
		}
		out = append(out, p)
	}
	return out, nil
}

// loadFlagBook loads the tariff directory dir given to -flag, for a side
// of a comparison when side is not "", each error naming the flag, the
// directory and the side.
func loadFlagBook(flag, dir, side string) (*reimbursement.Book, error) {
	what := fmt.Sprintf("-%s %q", flag, dir)
	if side != "" {
		what += " (" + side + ")"
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, iofs.ErrNotExist):
		return nil, fmt.Errorf("%s: no such directory", what)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", what, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("%s: not a directory: give the directory of the tariff's versions (*.json)", what)
	}
	book, err := loadBook(dir)
	if te := (*reimbursement.TariffError)(nil); errors.As(err, &te) && te.File == "." && te.Line == 0 && te.Path == "" {
		// An error of the directory itself: "." says nothing.
		return nil, fmt.Errorf("%s: %w", what, te.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return book, nil
}

func writeReport(w io.Writer, format string, c *compare.Report) error {
	switch format {
	case "text":
		return c.WriteText(w)
	case "csv":
		return c.WriteCSV(w, reimbursement.PlainCSV)
	case "excel":
		return c.WriteCSV(w, reimbursement.ExcelCSV)
	case "json":
		return c.WriteJSON(w)
	case "html":
		return writeCompareHTML(w, c)
	}
	return fmt.Errorf("-format %q: want text, csv, excel, json or html", format)
}

// loadFees reads the fee schedule file of flag name for side; an error
// names the flag, the file, the side, and the line and field in it.
func loadFees(name, file, side string) (*fee.Schedule, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s %q (%s): %w", name, file, side, err)
	}
	defer f.Close()
	s, err := fee.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s %q (%s): %w", name, file, side, err)
	}
	return s, nil
}
