package main

import (
	"fmt"
	"io"
	"os"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/invoice"
)

// runCorrect settles a month again on the current data and writes the
// correction (efterreglering) against the settlement that was issued; with
// -out also its invoice basis and a Peppol invoice per private provider,
// numbered as invoice.Correction.Build numbers it: the month's number
// with "-korr", referring to the month's invoice (BT-25).
func runCorrect(args []string, stdout, stderr io.Writer) error {
	fs, p := newFlags("correct", "-issued settlement.json -month 2024-03 -tariffs DIR -data dataset.json [flags]", stderr)
	var f settleFlags
	f.register(fs)
	issuedFile := fs.String("issued", "", "the settlement issued for the month, as settle -format json wrote it")
	format := fs.String("format", "text", "text, csv or excel (Swedish Excel)")
	out := fs.String("out", "", "a directory to write the correction, its invoice basis and Peppol invoices to")
	var inv invoiceFlags
	inv.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(fs, *format, []string{"text", "csv", "excel"}, *out != ""); err != nil {
		return err
	}
	if err := inv.check(fs); err != nil {
		return err
	}
	if *out != "" && inv.issue == "" {
		// Before settling: the correction's invoice needs its own date
		// (invoice.Options.IssueDate), which the command does not take
		// from the clock, so that a run gives the same files tomorrow.
		fmt.Fprintf(fs.Output(), "ersattning correct: -out needs -issue-date, the day the correction is issued (2024-06-10)\n")
		return errUsage
	}
	if *issuedFile == "" {
		fs.Usage()
		return errUsage
	}
	in, err := os.Open(*issuedFile)
	if err != nil {
		return err
	}
	issued, err := reimbursement.ReadSettlement(in, *issuedFile)
	in.Close()
	if err != nil {
		return err
	}
	if err := issued.CheckSums(); err != nil {
		return fmt.Errorf("%s: the settlement does not add up: %w", *issuedFile, err)
	}
	fresh, ds, err := f.settle(p)
	if err != nil {
		return err
	}
	c, err := invoice.Correct(issued, fresh)
	if err != nil {
		return err
	}
	p.printf("correction of %s: %s, %s kr", c.Period, count(len(c.Lines), "line"), c.Difference)
	if *out != "" {
		bases, err := c.Build(ds, inv.options())
		if err != nil {
			return err
		}
		err = writeFiles(*out, p, map[string]func(io.Writer) error{
			"efterreglering.txt":                c.WriteText,
			"efterreglering.csv":                func(w io.Writer) error { return c.WriteCSV(w, reimbursement.PlainCSV) },
			"efterreglering-excel.csv":          func(w io.Writer) error { return c.WriteCSV(w, reimbursement.ExcelCSV) },
			"efterreglering-underlag.html":      func(w io.Writer) error { return invoice.WriteHTML(w, bases...) },
			"efterreglering-underlag.csv":       func(w io.Writer) error { return invoice.WriteCSV(w, reimbursement.PlainCSV, bases...) },
			"efterreglering-underlag-excel.csv": func(w io.Writer) error { return invoice.WriteCSV(w, reimbursement.ExcelCSV, bases...) },
		})
		if err != nil {
			return err
		}
		return writePeppol(*out, bases, inv, p)
	}
	switch *format {
	case "text":
		return c.WriteText(stdout)
	case "csv":
		return c.WriteCSV(stdout, reimbursement.PlainCSV)
	case "excel":
		return c.WriteCSV(stdout, reimbursement.ExcelCSV)
	}
	return fmt.Errorf("-format %q: want text, csv or excel", *format)
}
