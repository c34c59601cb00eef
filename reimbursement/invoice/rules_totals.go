package invoice

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// sum adds the numbers at path below each of ns, reporting whether the
// sum can be judged: false when one of them is not a number (see
// node.addend).
func sum(ns []*node, path string) (decimal.Decimal, bool) {
	var s decimal.Decimal
	all := true
	for _, n := range ns {
		d, ok := n.addend(path)
		all = all && ok
		s = s.Add(d)
	}
	return s, all
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
// optional total counts as zero when want is zero. A total that is not a
// number is not judged: decimals reports it (BR-DEC).
func (c *checker) equal(rule string, t *node, path string, want decimal.Decimal, what string) {
	if _, ok := t.addend(path); !ok {
		return
	}
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

// totals checks BR-CO-10 to BR-CO-16, BR-CO-18 and BR-CO-25. The VAT
// total (BR-CO-14, BR-CO-15) is that of the tax total with the VAT
// breakdown, in the invoice's currency; a tax total without breakdown,
// the VAT total in the VAT accounting currency (BT-111), takes no part.
// A total computed from an amount that is not a number is not judged
// (decimals reports the amount).
func (c *checker) totals() {
	r := c.root
	t := r.one("cac:LegalMonetaryTotal")
	if t == nil {
		return
	}
	lines, okL := sum(r.all("cac:InvoiceLine"), "cbc:LineExtensionAmount")
	allowances, charges := c.docAllowancesCharges()
	a, okA := sum(allowances, "cbc:Amount")
	ch, okC := sum(charges, "cbc:Amount")
	if okL {
		c.equal("BR-CO-10", t, "cbc:LineExtensionAmount", lines, "the sum of line net amounts")
	}
	if okA {
		c.equal("BR-CO-11", t, "cbc:AllowanceTotalAmount", a, "the sum of allowances")
	}
	if okC {
		c.equal("BR-CO-12", t, "cbc:ChargeTotalAmount", ch, "the sum of charges")
	}
	le, ok1 := t.addend("cbc:LineExtensionAmount")
	at, ok2 := t.addend("cbc:AllowanceTotalAmount")
	ct, ok3 := t.addend("cbc:ChargeTotalAmount")
	if ok1 && ok2 && ok3 {
		c.equal("BR-CO-13", t, "cbc:TaxExclusiveAmount", le.Sub(at).Add(ct), "the total without VAT")
	}
	var vat decimal.Decimal
	okV := true
	for _, tt := range r.all("cac:TaxTotal") {
		if len(tt.all("cac:TaxSubtotal")) == 0 {
			continue
		}
		if s, ok := sum(tt.all("cac:TaxSubtotal"), "cbc:TaxAmount"); ok {
			c.equal("BR-CO-14", tt, "cbc:TaxAmount", s, "the VAT total")
		}
		vat, okV = tt.addend("cbc:TaxAmount")
	}
	if len(r.all("cac:TaxTotal/cac:TaxSubtotal")) == 0 {
		c.fail("BR-CO-18", r, "no VAT breakdown (cac:TaxTotal/cac:TaxSubtotal)")
	}
	if excl, ok := t.addend("cbc:TaxExclusiveAmount"); ok && okV {
		c.equal("BR-CO-15", t, "cbc:TaxInclusiveAmount", excl.Add(vat), "the total with VAT")
	}
	incl, ok1 := t.addend("cbc:TaxInclusiveAmount")
	prepaid, ok2 := t.addend("cbc:PrepaidAmount")
	rounding, ok3 := t.addend("cbc:PayableRoundingAmount")
	if ok1 && ok2 && ok3 {
		c.equal("BR-CO-16", t, "cbc:PayableAmount", incl.Sub(prepaid).Add(rounding), "the amount due")
	}
	if due, _ := t.number("cbc:PayableAmount"); due.IsPositive() && r.value("cbc:DueDate") == "" && r.value("cac:PaymentTerms/cbc:Note") == "" {
		c.fail("BR-CO-25", r, "an amount due of %s without a due date or payment terms", due)
	}
}

// taxTotals checks the tax totals: exactly one with the VAT breakdown
// (PEPPOL-EN16931-R053), in the invoice's currency, and one without it,
// the VAT total in the VAT accounting currency (BT-111), exactly when that
// currency (cbc:TaxCurrencyCode, BT-6) is given (R054); a VAT accounting
// currency differs from the invoice's (R005), has its total (BR-53), and
// that total has the sign of the VAT total in the invoice's currency,
// both at most or both at least zero (R055). R055 is judged when both
// totals are there and numbers: a missing one is BR-53's or R054's, a
// total that is no number BR-DEC's.
func (c *checker) taxTotals() {
	r := c.root
	var with, without []*node
	for _, tt := range r.all("cac:TaxTotal") {
		if tt.one("cac:TaxSubtotal") != nil {
			with = append(with, tt)
		} else {
			without = append(without, tt)
		}
	}
	if len(with) != 1 {
		n := r
		if len(with) > 1 {
			n = with[1]
		}
		c.fail("PEPPOL-EN16931-R053", n, "%d tax totals with a VAT breakdown (cac:TaxSubtotal), want exactly one", len(with))
	}
	tcNode := r.one("cbc:TaxCurrencyCode")
	switch {
	case tcNode == nil && len(without) > 0:
		c.fail("PEPPOL-EN16931-R054", without[0], "%d tax totals without a VAT breakdown and no VAT accounting currency (cbc:TaxCurrencyCode), want none", len(without))
	case tcNode != nil && len(without) != 1:
		n := r
		if len(without) > 1 {
			n = without[1]
		}
		c.fail("PEPPOL-EN16931-R054", n, "%d tax totals without a VAT breakdown, want one, the VAT total in the VAT accounting currency (BT-111)", len(without))
	}
	if tcNode == nil {
		return
	}
	tc, doc := normalizeSpace(tcNode.text), normalizeSpace(r.value("cbc:DocumentCurrencyCode"))
	if tc == doc {
		c.fail("PEPPOL-EN16931-R005", tcNode, "the VAT accounting currency %s is the invoice's currency", tc)
	}
	var inTC, inDoc []decimal.Decimal
	found := false
	for _, a := range r.all("cac:TaxTotal/cbc:TaxAmount") {
		id := a.attrs["currencyID"]
		if id == tc {
			found = true
		}
		v, ok := plainDecimal(xmlTrim(a.text))
		if !ok {
			continue
		}
		if id == tc {
			inTC = append(inTC, v)
		}
		if id == doc {
			inDoc = append(inDoc, v)
		}
	}
	if !found {
		c.fail("BR-53", tcNode, "no VAT total in the VAT accounting currency %s (a cac:TaxTotal/cbc:TaxAmount with currencyID %s, BT-111)", tc, tc)
	}
	// As the Schematron compares node sets: some total in each currency
	// at most zero, or some in each at least zero.
	some := func(ds []decimal.Decimal, f func(decimal.Decimal) bool) bool { return slices.ContainsFunc(ds, f) }
	notPos := func(d decimal.Decimal) bool { return !d.IsPositive() }
	notNeg := func(d decimal.Decimal) bool { return !d.IsNegative() }
	if len(inTC) > 0 && len(inDoc) > 0 && !(some(inTC, notPos) && some(inDoc, notPos)) && !(some(inTC, notNeg) && some(inDoc, notNeg)) {
		c.fail("PEPPOL-EN16931-R055", tcNode, "the VAT total in %s (%s) and the VAT total in %s (%s) have opposite signs", tc, inTC[0], doc, inDoc[0])
	}
}

// r051 reports whether PEPPOL-EN16931-R051 wants n in the invoice's
// currency: the amounts it names, the VAT total of the tax total with
// the breakdown and the VAT amount of each breakdown (BT-117, added in
// release 3.0.19), but not the VAT total in the VAT accounting currency
// (BT-111, the tax total without breakdown).
func r051(n *node) bool {
	switch n.name {
	case "cbc:Amount", "cbc:BaseAmount", "cbc:PriceAmount", "cbc:TaxableAmount", "cbc:LineExtensionAmount",
		"cbc:TaxExclusiveAmount", "cbc:TaxInclusiveAmount", "cbc:AllowanceTotalAmount", "cbc:ChargeTotalAmount",
		"cbc:PrepaidAmount", "cbc:PayableRoundingAmount", "cbc:PayableAmount":
		return true
	case "cbc:TaxAmount":
		p := n.parent
		return p != nil && (p.name == "cac:TaxSubtotal" || p.name == "cac:TaxTotal" && p.one("cac:TaxSubtotal") != nil)
	}
	return false
}

// decimals checks that every amount (an element with a currencyID, and
// every cbc:…Amount, which UBL gives one) is a plain decimal number
// (plainDecimal: no exponent) of at most two decimals as written, but the
// price, whose decimals are free (the BR-DEC rules), and has a currency
// (UBL) of ISO 4217 (BR-CL-03, for the amounts EN 16931 names), the
// invoice's (PEPPOL-EN16931-R051, for the amounts r051 names); that
// quantities and percentages are plain decimal numbers (UBL); and that
// dates are YYYY-MM-DD and exist (PEPPOL-EN16931-F001).
func (c *checker) decimals() {
	cur := c.root.value("cbc:DocumentCurrencyCode")
	c.root.walk(func(n *node) {
		switch n.name {
		case "cbc:InvoicedQuantity", "cbc:BaseQuantity", "cbc:MultiplierFactorNumeric", "cbc:Percent":
			if v := xmlTrim(n.text); v != "" {
				if _, ok := plainDecimal(v); !ok {
					c.fail("UBL", n, "%q is not a decimal number (xs:decimal: digits and a point, no exponent)", v)
				}
			}
			return
		case "cbc:IssueDate", "cbc:DueDate", "cbc:TaxPointDate", "cbc:StartDate", "cbc:EndDate", "cbc:ActualDeliveryDate":
			if _, ok := isoDate(n.text); !ok {
				c.fail("PEPPOL-EN16931-F001", n, "the date %q is not a date written YYYY-MM-DD", n.text)
			}
			return
		}
		id, ok := n.attrs["currencyID"]
		if !ok && !(strings.HasPrefix(n.name, "cbc:") && strings.HasSuffix(n.name, "Amount")) {
			return
		}
		if !ok {
			c.fail("UBL", n, "an amount without its currency (currencyID)")
		} else {
			if !currencies[normalizeSpace(id)] && (r051(n) || n.name == "cbc:TaxAmount") {
				c.fail("BR-CL-03", n, "currency %q is not in the code list", id)
			}
			if cur != "" && id != cur && r051(n) {
				c.fail("PEPPOL-EN16931-R051", n, "currency %s, want the invoice's %s", id, cur)
			}
		}
		v := xmlTrim(n.text)
		d, ok := plainDecimal(v)
		switch {
		case !ok:
			c.fail("BR-DEC", n, "%q is not a plain decimal number (digits and a point, no exponent)", v)
		case n.name != "cbc:PriceAmount" && d.Exponent() < -2:
			c.fail("BR-DEC", n, "%s has more than two decimals", v)
		}
	})
}

// isoDate returns the date s writes, when s is exactly YYYY-MM-DD and the
// date exists: the test of PEPPOL-EN16931-F001 (ten characters, castable
// to xs:date), which a time zone or spaces fail.
func isoDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
