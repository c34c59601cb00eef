package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
)

// budgetLimit is how much the budget may rise: kronor, or percent of the
// current budget.
type budgetLimit struct {
	amount  decimal.Decimal
	percent bool
}

// parseBudget reads "50000kr", "50000 kr", "50000" (kronor) or "2%"; a
// negative limit ("-2%") asks the budget to fall by at least that much.
func parseBudget(s string) (*budgetLimit, error) {
	if s == "" {
		return nil, nil
	}
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	l := &budgetLimit{}
	switch {
	case strings.HasSuffix(t, "%"):
		l.percent, t = true, strings.TrimSuffix(t, "%")
	case strings.HasSuffix(strings.ToLower(t), "kr"):
		t = t[:len(t)-2]
	}
	d, err := decimal.NewFromString(strings.Replace(strings.Replace(t, "−", "-", 1), ",", ".", 1))
	if err != nil {
		return nil, badFlag("-budget %q: want kronor (50000kr) or percent (2%%), or a fall (-2%%)", s)
	}
	l.amount = d
	return l, nil
}

// check reports whether the comparison keeps the limit, and how it
// reads. A report with warnings keeps no limit: its totals do not compare
// like with like (see compare.Report.Warnings).
func (l *budgetLimit) check(c *compare.Report) (bool, string) {
	diff, base := c.Total.Difference.Decimal, c.Total.Base.Decimal
	sign := "+"
	if l.amount.IsNegative() {
		sign = ""
	}
	ok, text := diff.LessThanOrEqual(l.amount), fmt.Sprintf("budget %s kr → %s kr (%s kr): limit %s%s kr", c.Total.Base, c.Total.Proposed,
		c.Total.Difference, sign, l.amount)
	if l.percent {
		ok = diff.Mul(decimal.NewFromInt(100)).LessThanOrEqual(l.amount.Mul(base.Abs()))
		text = fmt.Sprintf("budget %s kr → %s kr (%s kr): limit %s%s %%", c.Total.Base, c.Total.Proposed, c.Total.Difference, sign, l.amount)
	}
	if len(c.Warnings) > 0 {
		return false, text + "; not judged, the tariffs do not cover the same records: " + c.Warnings[0]
	}
	return ok, text
}

// runCompare compares a proposed tariff with the current one over the
// months and writes the report; with -budget it fails when the budget
// rises beyond the limit.
func runCompare(args []string, stdout, stderr io.Writer) error {
	fs, p := newFlags("compare", "-base DIR -proposed DIR -data dataset.json -months 2024-01,2024-02 [flags]", stderr)
	base := fs.String("base", "", "the directory of the current tariff")
	proposed := fs.String("proposed", "", "the directory of the proposed tariff")
	baseName := fs.String("base-name", "nuvarande", "what to call the current tariff")
	proposedName := fs.String("proposed-name", "förslag", "what to call the proposed tariff")
	var data, proposedData, monthList list
	fs.Var(&data, "data", "a dataset (.json) or visits (.csv); repeat or separate with commas")
	fs.Var(&proposedData, "proposed-data", "the data as the proposed tariff describes it, when it differs")
	fs.Var(&monthList, "months", "the months to compare, 2024-01,2024-02")
	format := fs.String("format", "text", "text, csv, excel (Swedish Excel), json or html")
	out := fs.String("out", "", "a file to write the report to instead of stdout")
	budget := fs.String("budget", "", "how much the budget may rise: 50000kr or 2%")
	customerThreshold := fs.String("customer-threshold", "", "kronor beyond which a customer counts as gaining or losing (default 100)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(fs, *format, []string{"text", "csv", "excel", "json", "html"}, false); err != nil {
		return err
	}
	if *base == "" || *proposed == "" {
		fs.Usage()
		return errUsage
	}
	limit, err := parseBudget(*budget)
	if err != nil {
		return err
	}
	periods, err := months(monthList)
	if err != nil {
		return badFlag("-months: %v", err)
	}
	opts := compare.Options{}
	if *customerThreshold != "" {
		d, err := decimal.NewFromString(*customerThreshold)
		if err != nil || d.IsNegative() {
			return badFlag("-customer-threshold %q: want kronor, not negative", *customerThreshold)
		}
		opts.CustomerThreshold = &d
	}
	bs, ps := compare.Side{Name: *baseName}, compare.Side{Name: *proposedName}
	if bs.Book, err = loadBook(*base); err != nil {
		return err
	}
	if ps.Book, err = loadBook(*proposed); err != nil {
		return err
	}
	if bs.Data, err = loadData(data, p); err != nil {
		return err
	}
	ps.Data = bs.Data
	if len(proposedData) > 0 {
		if ps.Data, err = loadData(proposedData, p); err != nil {
			return err
		}
	}
	p.printf("comparing %d months under %s and %s…", len(periods), bs.Name, ps.Name)
	c, err := compare.Run(context.Background(), bs, ps, periods, opts)
	if err != nil {
		return err
	}
	p.printf("compared: %d customers, %d providers", len(c.Customers), len(c.Providers))
	for _, w := range c.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w) // also with -q: it says the report is not whole
	}
	var buf bytes.Buffer
	if err := writeReport(&buf, *format, c, limit); err != nil {
		return err
	}
	if *out != "" {
		err = os.WriteFile(*out, buf.Bytes(), 0o644)
		p.printf("wrote %s", *out)
	} else {
		_, err = stdout.Write(buf.Bytes())
	}
	if err != nil {
		return err
	}
	if limit != nil {
		ok, text := limit.check(c)
		if !ok {
			return fmt.Errorf("over budget: %s", text)
		}
		p.printf("within budget: %s", text)
	}
	return nil
}

func writeReport(w io.Writer, format string, c *compare.Report, limit *budgetLimit) error {
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
		return writeCompareHTML(w, c, limit)
	}
	return fmt.Errorf("-format %q: want text, csv, excel, json or html", format)
}
