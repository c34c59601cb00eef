package reimbursement

import (
	"bytes"
	"fmt"
	"io"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// Amount is an exact decimal that keeps the scale it carries: an amount in
// kronor rounded by the tariff's rule ("3507.00"), a rate as the tariff
// wrote it ("414.80"), a quantity of whole minutes ("420"). It is the one
// number type of a settlement's output: it prints, marshals and unmarshals
// with its own decimals, so a settlement's JSON reads back to the same
// values and writes the same bytes.
//
// The embedded decimal.Decimal gives the arithmetic (Add, Mul, Cmp...);
// results of that arithmetic are decimal.Decimal again. The zero value is
// 0.
type Amount struct {
	decimal.Decimal
}

// AmountOf returns d as an Amount.
func AmountOf(d decimal.Decimal) Amount { return Amount{d} }

// String returns the amount with as many decimals as it carries:
// "3507.00", "414.80", "420".
func (a Amount) String() string {
	var buf [48]byte
	return string(a.appendText(buf[:0]))
}

// appendText appends String's text to b.
func (a Amount) appendText(b []byte) []byte {
	if f, ok := exact.Of(a.Decimal); ok && f.Exp <= 0 && f.Exp >= -maxFastScale {
		return f.AppendText(b)
	}
	return append(b, a.stringDecimal()...)
}

// maxFastScale is the most decimals String writes itself; an amount with
// more (which only a program can make: read amounts have as many as
// they are written with) is written by the decimal.
const maxFastScale = 40

// stringDecimal is String by the decimal's own formatting, for any
// amount (TestAmountString holds String to it).
func (a Amount) stringDecimal() string {
	if e := a.Exponent(); e < 0 {
		return a.StringFixed(-e)
	}
	return a.Decimal.String()
}

// Format implements fmt.Formatter: %v and %s print String, other verbs
// are the decimal's.
func (a Amount) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v', 's':
		_, _ = io.WriteString(f, a.String())
	default:
		a.Decimal.Format(f, verb)
	}
}

// Equal reports whether a and b are the same number, whatever their
// scales (420 equals 420.00); compare String for the scale too.
func (a Amount) Equal(b Amount) bool { return a.Decimal.Equal(b.Decimal) }

// MarshalText implements encoding.TextMarshaler: the String form.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It reads a plain
// decimal ("-1428.40") and keeps its scale; exponents, signs other than a
// leading minus, and anything that is not a number are errors.
func (a *Amount) UnmarshalText(b []byte) error {
	if len(b) == 0 || len(b) > maxAmountText || bytes.ContainsAny(b, "eE+_ ") {
		return fmt.Errorf("reimbursement: amount %q: want a plain decimal such as 1428.40", truncate(b))
	}
	d, err := decimal.NewFromString(string(b))
	if err != nil {
		return fmt.Errorf("reimbursement: amount %q: want a plain decimal such as 1428.40", truncate(b))
	}
	a.Decimal = d
	return nil
}

// MarshalJSON writes the amount as a JSON string, "3507.00", so that no
// reader takes it for a binary floating-point number.
func (a Amount) MarshalJSON() ([]byte, error) {
	return []byte(`"` + a.String() + `"`), nil
}

// UnmarshalJSON reads what MarshalJSON writes. Its error quotes a value
// that is not a string in single quotes, as shopspring/decimal quotes
// what it refuses, so that ReadSettlement finds the value's line.
func (a *Amount) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("reimbursement: amount '%s': want a JSON string such as \"1428.40\"", truncate(b))
	}
	return a.UnmarshalText(b[1 : len(b)-1])
}

// maxAmountText bounds the text of an amount read back: no settlement
// writes one longer, and a longer one would only cost time to parse.
const maxAmountText = 64

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
