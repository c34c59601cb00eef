package invoice

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/textsafe"
)

// CSVFormat is the dialect of the CSV WriteCSV writes.
type CSVFormat uint8

// The CSV dialects.
const (
	// PlainCSV is RFC 4180: commas, decimal points, UTF-8 without a BOM,
	// LF line ends; for programs.
	PlainCSV CSVFormat = iota
	// ExcelCSV is what Swedish Excel opens with a double click:
	// semicolons, decimal commas, UTF-8 with a byte-order mark (so å, ä
	// and ö survive), CRLF line ends.
	ExcelCSV
)

// csvColumns are the columns of the invoice basis as CSV.
var csvColumns = []string{"row", "invoice", "period", "provider", "org_number", "customer", "zone", "component", "label",
	"kind", "category", "band", "quantity", "unit", "rate", "rate_unit", "factor", "amount", "vat_compensation", "records"}

// WriteCSV writes the invoice bases as one table: a header and, for each
// basis, a row per line ("line"), a row per customer with its total
// ("customer"), and the basis's "subtotal", "vat_compensation" and
// "total" rows; a program reading it keeps the rows it wants by the first
// column. Numbers are written as the settlement has them ("-12.50", in
// ExcelCSV "-12,50"); text cells a spreadsheet would take for a formula
// (starting with =, +, -, @, a tab or a carriage return) get a leading
// apostrophe, number cells never do.
func WriteCSV(w io.Writer, f CSVFormat, bases ...*Basis) error {
	if f == ExcelCSV {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if f == ExcelCSV {
		cw.Comma, cw.UseCRLF = ';', true
	}
	num := func(a reimbursement.Amount) string {
		if f == ExcelCSV {
			return strings.Replace(a.String(), ".", ",", 1)
		}
		return a.String()
	}
	c := textsafe.Cell
	_ = cw.Write(csvColumns)
	for _, b := range bases {
		head := []string{b.Number, b.Period, c(b.Provider), c(b.Seller.OrgNumber)}
		row := func(kind, customer, zone string, rest ...string) {
			r := append(append([]string{kind}, head...), c(customer), c(zone))
			_ = cw.Write(append(r, rest...))
		}
		total := func(kind, customer, zone string, a reimbursement.Amount) {
			row(kind, customer, zone, "", "", "", "", "", "", "", "", "", "", num(a), "", "")
		}
		for _, cu := range b.Customers {
			for _, l := range cu.Lines {
				factor := ""
				if l.Factor != nil {
					factor = num(*l.Factor)
				}
				row("line", l.Customer, l.Zone, c(l.Component), c(l.Label), l.Kind.String(), categoryText(l), c(l.Band),
					num(l.Quantity), l.Unit.String(), num(l.Rate), c(l.RateUnit), factor, num(l.Amount), yesNo(l.VATCompensation),
					c(strings.Join(l.Records, " ")))
			}
			total("customer", cu.ID, cu.Zone, cu.Total)
		}
		total("subtotal", "", "", b.Subtotal)
		total("vat_compensation", "", "", b.VATCompensation)
		total("total", "", "", b.Total)
	}
	cw.Flush()
	return cw.Error()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// categoryText is a line's category, nothing for a line without one.
func categoryText(l Line) string {
	if l.Category == 0 {
		return ""
	}
	return l.Category.String()
}
