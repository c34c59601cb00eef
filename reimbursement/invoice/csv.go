package invoice

import (
	"fmt"
	"io"
	"strings"

	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/internal/csvdialect"
)

// csvColumns are the columns of the invoice basis as CSV.
var csvColumns = []string{"row", "invoice", "period", "provider", "org_number", "customer", "zone", "component", "label",
	"kind", "category", "band", "quantity", "unit", "rate", "rate_unit", "factor", "amount", "vat_compensation", "records", "version"}

// WriteCSV writes the invoice bases as one table: a header and, for each
// basis, a row per line ("line"), a row per customer with its total
// ("customer"), and the basis's "subtotal", "vat_compensation" and
// "total" rows; a program reading it keeps the rows it wants by the first
// column. A line names the records behind it and its tariff version (in a
// month two versions share, two lines of one component and rate read
// alike without it, found by trial). f is reimbursement.PlainCSV, for programs, or
// reimbursement.ExcelCSV, for Swedish Excel (semicolons, decimal commas,
// a byte-order mark, CRLF). Numbers are written as the settlement has
// them ("-12.50", in ExcelCSV "-12,50"); text cells are guarded as the
// format says (see reimbursement.PlainCSV and ExcelCSV: the period and
// the organisation number, which Excel would read as a date and a number,
// are written in ExcelCSV as formulas that give the text back), number
// cells never are. A nil writer or basis is an error, before anything is
// written.
func WriteCSV(w io.Writer, f reimbursement.Format, bases ...*Basis) error {
	if f != reimbursement.PlainCSV && f != reimbursement.ExcelCSV {
		return fmt.Errorf("invoice: WriteCSV: format %v is not a CSV dialect (PlainCSV or ExcelCSV)", f)
	}
	if err := checkArgs("WriteCSV", w, bases); err != nil {
		return err
	}
	cw, err := csvdialect.NewWriter(w, f == reimbursement.ExcelCSV)
	if err != nil {
		return err
	}
	c := cw.Text
	_ = cw.Write(csvColumns)
	for _, b := range bases {
		head := []string{c(b.Number), c(b.Period), c(b.Provider), c(b.Seller.OrgNumber)}
		row := func(kind, customer, zone string, rest ...string) {
			r := append(append([]string{c(kind)}, head...), c(customer), c(zone))
			_ = cw.Write(append(r, rest...))
		}
		total := func(kind, customer, zone string, a reimbursement.Amount) {
			row(kind, customer, zone, "", "", "", "", "", "", "", "", "", "", cw.Number(a), "", "", "")
		}
		for _, cu := range b.Customers {
			for _, l := range cu.Lines {
				factor := ""
				if l.Factor != nil {
					factor = cw.Number(*l.Factor)
				}
				row("line", l.Customer, l.Zone, c(l.Component), c(l.Label), c(l.Kind.String()), c(categoryText(l)), c(l.Band),
					cw.Number(l.Quantity), c(l.Unit.String()), cw.Number(l.Rate), c(l.RateUnit), factor, cw.Number(l.Amount), c(yesNo(l.VATCompensation)),
					c(strings.Join(l.Records, " ")), c(l.Version))
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

// checkArgs returns an error for a nil writer or a nil basis, which a
// writer of bases would otherwise panic on, before it writes anything.
func checkArgs(fn string, w io.Writer, bases []*Basis) error {
	if w == nil {
		return fmt.Errorf("invoice: %s: a nil writer", fn)
	}
	for i, b := range bases {
		if b == nil {
			return fmt.Errorf("invoice: %s: basis %d is nil", fn, i+1)
		}
	}
	return nil
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
