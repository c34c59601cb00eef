package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/invoice"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// settleFlags are the flags settle and explain share.
type settleFlags struct {
	month, tariffs, lock string
	data                 list
	encoding             models.Encoding
	strict, ledger       bool
}

func (f *settleFlags) settle(p *progress) (*reimbursement.Settlement, *models.Dataset, error) {
	if f.tariffs == "" {
		return nil, nil, fmt.Errorf("no tariffs: give -tariffs DIR")
	}
	if f.month == "" {
		return nil, nil, badFlag("-month: not given: give the month to settle, -month 2024-01")
	}
	period, err := parseMonth(f.month)
	if err != nil {
		return nil, nil, badFlag("-month: %v", err)
	}
	opts := reimbursement.Options{}
	if f.lock != "" {
		if opts.Lock, err = parseLock(f.lock); err != nil {
			return nil, nil, err
		}
	}
	p.printf("tariffs: %s", f.tariffs)
	book, err := loadFlagBook("tariffs", f.tariffs, "")
	if err != nil {
		return nil, nil, err
	}
	ds, err := loadData(f.data, f.encoding, p)
	if err != nil {
		return nil, nil, err
	}
	p.printf("settling %s…", f.month)
	s, err := reimbursement.Settle(context.Background(), book, ds, period, opts)
	if err != nil {
		return nil, nil, err
	}
	p.printf("settled %s: %s, %s kr, %d not paid", s.Period, count(len(s.Lines), "line"), s.Total, reimbursement.UnpaidRecords(s.NotPaid))
	if n := warnUnpriced(p.w, s); n > 0 && f.strict {
		// A job that runs unattended cannot read a warning (found by
		// trial: a zone unknown to the tariff exited 0 and the invoices
		// were written without the customer).
		return nil, nil, fmt.Errorf("-strict: %d records the tariff could not price; nothing is written", n)
	}
	if f.ledger {
		// The ledger a controller checks, from the command line too
		// (only Go could ask it, found by trial).
		if err := s.CheckSums(); err != nil {
			return nil, nil, fmt.Errorf("-ledger: %w", err)
		}
		if err := tarifftest.CheckLedger(s, ds, book, period); err != nil {
			return nil, nil, fmt.Errorf("-ledger: %w", err)
		}
		fmt.Fprintf(p.w, "ledger: every visit minute, granted item-day, listing-day and alarm event of %s is on one line or not paid with its reason; the lines add up\n", s.Period)
	}
	return s, ds, nil
}

// warnUnpriced says on w, even with -q, how many records were not paid
// because the tariff could not price them (unknown zone, no tariff in
// force, an expression that failed), with the first one's detail: a
// zone written "Tätort" where the tariff has "tätort" left most of a
// month unpaid without a word (found by a trial). It returns how many
// records that is, each once (reimbursement.UnpaidRecords) whatever its
// reasons: an item with no tariff in force for the first half of the
// month and an unknown zone for the second is one, though it is said
// under both reasons.
func warnUnpriced(w io.Writer, s *reimbursement.Settlement) int {
	// Records, not entries: an item spanning a change of tariff version
	// has an entry for each version (reimbursement.UnpaidRecords).
	var all []reimbursement.Unpaid
	by := map[reimbursement.Reason][]reimbursement.Unpaid{}
	for _, u := range s.NotPaid {
		if u.Reason.Unpriced() {
			all = append(all, u)
			by[u.Reason] = append(by[u.Reason], u)
		}
	}
	for _, r := range slices.Sorted(maps.Keys(by)) {
		u := by[r][0]
		fmt.Fprintf(w, "warning: %d not paid, %s (%s); the first: %s %s %s/%s %s\n", reimbursement.UnpaidRecords(by[r]), r.Swedish(), r,
			u.Kind.Swedish(), clean(u.ID), clean(u.Provider), clean(u.Customer), clean(u.Detail))
	}
	return reimbursement.UnpaidRecords(all)
}

func (f *settleFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.month, "month", "", "the month to settle, 2024-03")
	fs.StringVar(&f.tariffs, "tariffs", "", "the directory of tariff versions (JSON)")
	fs.StringVar(&f.lock, "lock", "", "the month's lock date, 2024-04-05T23:59: registrations after that minute are not paid")
	fs.Var(&f.data, "data", "a dataset (.json) or visits (.csv); repeat or separate with commas")
	fs.TextVar(&f.encoding, "encoding", models.EncodingDetect, encodingUsage)
	fs.BoolVar(&f.ledger, "ledger", false, "check that every unit is on one line or not paid with its reason, and that the lines add up (tarifftest.CheckLedger, Settlement.CheckSums); exit 1 if not")
	fs.BoolVar(&f.strict, "strict", false, "exit 1, writing nothing, when the tariff could not price a record (unknown zone, no tariff in force, rate error)")
}

// runSettle settles a month and writes the report, or with -out every
// output: the settlement as JSON and CSV, the invoice basis as CSV,
// Swedish Excel CSV and HTML, and a Peppol invoice per private provider.
func runSettle(args []string, stdout, stderr io.Writer) error {
	fs, p := newFlags("settle", "-month 2024-03 -tariffs DIR -data dataset.json [flags]", stderr)
	var f settleFlags
	f.register(fs)
	format := fs.String("format", "text", "what to write to stdout without -out: text, lines, csv, excel, json, basis-csv, basis-excel, html")
	out := fs.String("out", "", "a directory to write every output to")
	var inv invoiceFlags
	inv.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(fs, *format, settleFormats, *out != ""); err != nil {
		return err
	}
	if err := inv.check(fs); err != nil {
		return err
	}
	s, ds, err := f.settle(p)
	if err != nil {
		return err
	}
	// The invoice bases only where they are written: a report of the
	// settlement does not wait on the invoices' parties.
	var bases []*invoice.Basis
	if *out != "" || slices.Contains([]string{"basis-csv", "basis-excel", "html"}, *format) {
		if bases, err = invoice.Build(s, ds, inv.options()); err != nil {
			return err
		}
	}
	if *out == "" {
		return writeSettlement(stdout, *format, s, bases)
	}
	return writeAll(*out, s, bases, inv, p)
}

// settleFormats are what settle writes to stdout (writeSettlement).
var settleFormats = []string{"text", "lines", "csv", "excel", "json", "basis-csv", "basis-excel", "html"}

func writeSettlement(w io.Writer, format string, s *reimbursement.Settlement, bases []*invoice.Basis) error {
	switch format {
	case "text":
		return s.WriteText(w, reimbursement.TextOptions{})
	case "lines":
		return s.WriteText(w, reimbursement.TextOptions{Lines: true})
	case "csv":
		return s.WriteCSV(w, reimbursement.PlainCSV)
	case "excel":
		return s.WriteCSV(w, reimbursement.ExcelCSV)
	case "json":
		return s.WriteJSON(w)
	case "basis-csv":
		return invoice.WriteCSV(w, reimbursement.PlainCSV, bases...)
	case "basis-excel":
		return invoice.WriteCSV(w, reimbursement.ExcelCSV, bases...)
	case "html":
		return invoice.WriteHTML(w, bases...)
	}
	return fmt.Errorf("-format %q: want text, lines, csv, excel, json, basis-csv, basis-excel or html", format)
}

// writeAll writes every output into dir, and a Peppol invoice per private
// provider with lines into dir/peppol, each checked by invoice.Validate.
// Own operation (egen regi) is paid inside the municipality and not
// invoiced.
func writeAll(dir string, s *reimbursement.Settlement, bases []*invoice.Basis, inv invoiceFlags, p *progress) error {
	err := writeFiles(dir, p, map[string]func(io.Writer) error{
		"report.txt":                func(w io.Writer) error { return writeSettlement(w, "lines", s, bases) },
		"settlement.json":           func(w io.Writer) error { return writeSettlement(w, "json", s, bases) },
		"settlement.csv":            func(w io.Writer) error { return writeSettlement(w, "csv", s, bases) },
		"settlement-excel.csv":      func(w io.Writer) error { return writeSettlement(w, "excel", s, bases) },
		"fakturaunderlag.csv":       func(w io.Writer) error { return writeSettlement(w, "basis-csv", s, bases) },
		"fakturaunderlag-excel.csv": func(w io.Writer) error { return writeSettlement(w, "basis-excel", s, bases) },
		"fakturaunderlag.html":      func(w io.Writer) error { return writeSettlement(w, "html", s, bases) },
	})
	if err != nil {
		return err
	}
	return writePeppol(dir, bases, inv, p)
}

// writeFiles writes each file of dir by its writer, in order of name.
func writeFiles(dir string, p *progress, files map[string]func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		var buf bytes.Buffer
		if err := files[name](&buf); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
		p.printf("wrote %s", filepath.Join(dir, name))
	}
	return nil
}

// writePeppol writes a Peppol invoice per private provider with lines
// into dir/peppol, checks each, and lists the rules they break and the
// invoices it could not make (amounts of fractions of an öre, from a
// tariff rounding to more than two decimals). With -no-peppol it writes
// nothing, not even the directory.
func writePeppol(dir string, bases []*invoice.Basis, inv invoiceFlags, p *progress) error {
	if inv.noPeppol {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(dir, "peppol"), 0o755); err != nil {
		return err
	}
	broken, refused := 0, 0
	for _, b := range bases {
		if b.Ownership != models.Private || len(b.Customers) == 0 {
			continue
		}
		ubl, err := b.Peppol(invoice.PeppolOptions{SelfBilling: inv.selfBilling})
		if err != nil {
			refused++
			for _, e := range flatten(err) {
				fmt.Fprintln(p.w, e) // each names the invoice
			}
			continue
		}
		var buf bytes.Buffer
		if err := ubl.WriteXML(&buf); err != nil {
			return err
		}
		name := filepath.Join(dir, "peppol", b.Number+".xml")
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return err
		}
		p.printf("wrote %s", name)
		// Warnings (SE-R-010, a plusgiro of nine characters) are said
		// and the invoice kept, as Peppol keeps it; fatal rules fail
		// the run.
		warnings, err := invoice.Check(bytes.NewReader(buf.Bytes()))
		for _, w := range warnings {
			fmt.Fprintf(p.w, "%s: %v\n", name, w)
		}
		if err != nil {
			broken++
			for _, e := range flatten(err) {
				fmt.Fprintf(p.w, "%s: %v\n", name, e)
			}
		}
	}
	var errs []error
	if refused > 0 {
		errs = append(errs, fmt.Errorf("%d Peppol invoices not written (the reasons are listed above)", refused))
	}
	if broken > 0 {
		errs = append(errs, fmt.Errorf("%d Peppol invoices break rules (listed above): give the providers' organisation numbers and Peppol ids in the dataset, and -buyer-*, or -no-peppol for the reports only", broken))
	}
	return errors.Join(errs...)
}

// invoiceFlags are what an invoice needs beyond the data.
type invoiceFlags struct {
	buyer              invoice.Party
	buyerRef, orderRef string
	issue              string
	issueDate          calendar.Date // issue as check parsed it
	selfBilling        bool
	noPeppol           bool
	fskatt             list
}

func (f *invoiceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.buyer.Name, "buyer-name", "", "the municipality's name, as invoices name the buyer")
	fs.StringVar(&f.buyer.OrgNumber, "buyer-org", "", "the municipality's organisation number, 212000-0142")
	fs.StringVar(&f.buyer.PeppolID, "buyer-peppol", "", "the municipality's Peppol id, 0007:2120000142")
	fs.StringVar(&f.buyer.Street, "buyer-street", "", "the municipality's street address")
	fs.StringVar(&f.buyer.PostalCode, "buyer-postcode", "", "the municipality's postal code")
	fs.StringVar(&f.buyer.City, "buyer-city", "", "the municipality's city")
	fs.StringVar(&f.buyerRef, "buyer-ref", "", "the municipality's reference (Peppol requires it or -order-ref)")
	fs.StringVar(&f.orderRef, "order-ref", "", "the municipality's order number")
	fs.StringVar(&f.issue, "issue-date", "", "the invoice date, 2024-04-01 (default: the day after the month; a correction's, with correct -out, must be given)")
	fs.BoolVar(&f.selfBilling, "self-billing", false, "write self-billed Peppol invoices (type 389) the municipality issues")
	fs.BoolVar(&f.noPeppol, "no-peppol", false, "with -out, write the reports and invoice bases but no Peppol invoices (for a controller's reading; no buyer needed)")
	fs.Var(&f.fskatt, "fskatt", "provider ids approved for F-tax (Godkänd för F-skatt)")
}

// check parses -issue-date, refusing one that is not a date, which
// options would otherwise have to drop: a mistyped date gave the default
// silently. Whether the date can be the invoice's is invoice.Build's to
// say.
func (f *invoiceFlags) check(fs *flag.FlagSet) error {
	if f.issue == "" {
		return nil
	}
	d, err := calendar.ParseDate(f.issue)
	if err != nil {
		fmt.Fprintf(fs.Output(), "ersattning %s: -issue-date %q: want a date, 2024-04-01\n", fs.Name(), f.issue)
		return errUsage
	}
	f.issueDate = d
	return nil
}

// options returns the invoice options of the flags, which check has
// accepted and parsed.
func (f invoiceFlags) options() invoice.Options {
	o := invoice.Options{Buyer: f.buyer, BuyerReference: f.buyerRef, OrderReference: f.orderRef, Sellers: map[string]invoice.Party{}}
	for _, id := range f.fskatt {
		o.Sellers[id] = invoice.Party{FSkatt: true}
	}
	o.IssueDate = f.issueDate
	return o
}

// parseLock reads -lock, a Swedish local time, refusing one the clocks
// skip (2024-03-31T02:30) or repeat (2024-10-27T02:30) rather than moving
// it an hour. The lock is the end of the minute it names: a visit
// registered at 23:59:30 is registered by 2024-04-05T23:59, not after it
// (it was reported "registrerat efter låsdatum", registered 23:59 after a
// lock of 23:59: found by attack).
func parseLock(s string) (time.Time, error) {
	const layout = "2006-01-02T15:04"
	t, err := time.ParseInLocation(layout, s, stockholm)
	switch {
	case err != nil:
		return time.Time{}, fmt.Errorf("-lock %q: want 2024-05-05T23:59", s)
	case t.Format(layout) != s:
		return time.Time{}, fmt.Errorf("-lock %q: the clocks skip that time in Sweden", s)
	case t.Add(-time.Hour).Format(layout) == s || t.Add(time.Hour).Format(layout) == s:
		return time.Time{}, fmt.Errorf("-lock %q: the clocks pass that time twice in Sweden; give another minute", s)
	}
	return t.Add(time.Minute - time.Nanosecond), nil
}
