// Package csvdialect writes the two CSV dialects of the module's outputs:
// plain RFC 4180 for programs (commas, decimal points, UTF-8 without a
// byte-order mark, LF line ends) and what Swedish Excel opens with a
// double click (semicolons, decimal commas, UTF-8 with a byte-order mark
// so that å, ä and ö survive, CRLF line ends). Package reimbursement,
// invoice and compare write their tables through it, so that the
// dialects are one thing.
package csvdialect

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// Writer is a csv.Writer of one dialect.
type Writer struct {
	*csv.Writer
	excel bool
}

// NewWriter returns a Writer of the dialect to w; for Excel it first
// writes the byte-order mark.
func NewWriter(w io.Writer, excel bool) (*Writer, error) {
	cw := csv.NewWriter(w)
	if excel {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
		cw.Comma, cw.UseCRLF = ';', true
	}
	return &Writer{Writer: cw, excel: excel}, nil
}

// Number returns a decimal number (an amount, whose String writes it with
// a point: "-12.50") as the dialect writes it: for Excel with a decimal
// comma ("-12,50").
func (w *Writer) Number(n fmt.Stringer) string {
	if w.excel {
		return strings.Replace(n.String(), ".", ",", 1)
	}
	return n.String()
}
