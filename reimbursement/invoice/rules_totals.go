package invoice

import (
	"strings"

	"github.com/shopspring/decimal"
)

// sum adds the numbers at path below each of ns, reporting whether all
// parsed.
func sum(ns []*node, path string) decimal.Decimal {
	var s decimal.Decimal
	for _, n := range ns {
		if d, ok := n.number(path); ok {
			s = s.Add(d)
		}
	}
	return s
}

// docAllowancesCharges returns the document-level allowances and charges.
func (c *checker) docAllowancesCharges() (allowances, charges []*node) {
	for _, ac := range c.root.all("cac:AllowanceCharge") {
		if ac.value("cbc:ChargeIndicator") == "true" {
			charges = append(charges, ac)
		} else {
			allowances = append(allowances, ac)
		}
	}
	return allowances, charges
}

// equal fails rule unless the total at path of t equals want; a missing
// optional total counts as zero when want is zero.
func (c *checker) equal(rule string, t *node, path string, want decimal.Decimal, what string) {
	got, ok := t.number(path)
	if !ok && t.one(path) == nil && want.IsZero() {
		return
	}
	if !ok || !got.Equal(want) {
		n := t.one(path)
		if n == nil {
			n = t
		}
		c.fail(rule, n, "%s is %s, want %s", what, t.value(path), want)
	}
}

// totals checks BR-CO-10 to BR-CO-16, BR-CO-18 and BR-CO-25.
func (c *checker) totals() {
	r := c.root
	t := r.one("cac:LegalMonetaryTotal")
	if t == nil {
		return
	}
	lines := sum(r.all("cac:InvoiceLine"), "cbc:LineExtensionAmount")
	allowances, charges := c.docAllowancesCharges()
	a, ch := sum(allowances, "cbc:Amount"), sum(charges, "cbc:Amount")
	c.equal("BR-CO-10", t, "cbc:LineExtensionAmount", lines, "the sum of line net amounts")
	c.equal("BR-CO-11", t, "cbc:AllowanceTotalAmount", a, "the sum of allowances")
	c.equal("BR-CO-12", t, "cbc:ChargeTotalAmount", ch, "the sum of charges")
	le, _ := t.number("cbc:LineExtensionAmount")
	at, _ := t.number("cbc:AllowanceTotalAmount")
	ct, _ := t.number("cbc:ChargeTotalAmount")
	c.equal("BR-CO-13", t, "cbc:TaxExclusiveAmount", le.Sub(at).Add(ct), "the total without VAT")
	var vat decimal.Decimal
	for _, tt := range r.all("cac:TaxTotal") {
		if len(tt.all("cac:TaxSubtotal")) == 0 {
			continue
		}
		c.equal("BR-CO-14", tt, "cbc:TaxAmount", sum(tt.all("cac:TaxSubtotal"), "cbc:TaxAmount"), "the VAT total")
		vat, _ = tt.number("cbc:TaxAmount")
	}
	if len(r.all("cac:TaxTotal/cac:TaxSubtotal")) == 0 {
		c.fail("BR-CO-18", r, "no VAT breakdown (cac:TaxTotal/cac:TaxSubtotal)")
	}
	excl, _ := t.number("cbc:TaxExclusiveAmount")
	c.equal("BR-CO-15", t, "cbc:TaxInclusiveAmount", excl.Add(vat), "the total with VAT")
	incl, _ := t.number("cbc:TaxInclusiveAmount")
	prepaid, _ := t.number("cbc:PrepaidAmount")
	rounding, _ := t.number("cbc:PayableRoundingAmount")
	c.equal("BR-CO-16", t, "cbc:PayableAmount", incl.Sub(prepaid).Add(rounding), "the amount due")
	if due, _ := t.number("cbc:PayableAmount"); due.IsPositive() && r.value("cbc:DueDate") == "" && r.value("cac:PaymentTerms/cbc:Note") == "" {
		c.fail("BR-CO-25", r, "an amount due of %s without a due date or payment terms", due)
	}
}

// decimals checks that every amount (an element with a currencyID, but
// the price, whose decimals are free) has at most two decimals (the
// BR-DEC rules), is a number, and is in the invoice's currency
// (PEPPOL-EN16931-R051).
func (c *checker) decimals() {
	cur := c.root.value("cbc:DocumentCurrencyCode")
	c.root.walk(func(n *node) {
		id, ok := n.attrs["currencyID"]
		if !ok {
			return
		}
		if cur != "" && id != cur {
			c.fail("PEPPOL-EN16931-R051", n, "currency %s, want the invoice's %s", id, cur)
		}
		d, err := decimal.NewFromString(strings.TrimSpace(n.text))
		switch {
		case err != nil:
			c.fail("BR-DEC", n, "%q is not a decimal number", strings.TrimSpace(n.text))
		case n.name != "cbc:PriceAmount" && d.Exponent() < -2:
			c.fail("BR-DEC", n, "%s has more than two decimals", strings.TrimSpace(n.text))
		}
	})
}
