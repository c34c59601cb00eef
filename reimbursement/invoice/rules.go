package invoice

import (
	"errors"
	"fmt"
	"io"

	"github.com/shopspring/decimal"
)

// RuleError is a broken business rule of EN 16931, Peppol BIS Billing 3.0
// or the Swedish Peppol rules: the rule's id (BR-CO-10,
// PEPPOL-EN16931-R120, SE-R-013), the element (a path with positions,
// /Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount[1]) and its line in
// the XML, what is wrong, and whether the rule is only a warning.
type RuleError struct {
	Rule string // the rule's id
	Path string // the element
	Line int    // the element's line in the XML
	Msg  string // what is wrong
	// Warning is true for a rule the official Schematron flags
	// "warning" (SE-R-003, SE-R-004, SE-R-007 to SE-R-013): the Peppol
	// validators report it and accept the document all the same. It is
	// false for a fatal rule, which makes the document invalid. Validate
	// returns only fatal rules; Check returns the warnings apart.
	Warning bool
}

// Error implements the error interface. A warning says so after its id:
// "invoice: SE-R-010 (warning): line 75: …".
func (e *RuleError) Error() string {
	if e == nil {
		return "invoice: <nil> rule error"
	}
	rule := e.Rule
	if e.Warning {
		rule += " (warning)"
	}
	return fmt.Sprintf("invoice: %s: line %d: %s: %s", rule, e.Line, e.Path, e.Msg)
}

// Validate reads a UBL 2.1 invoice and checks the business rules this
// package can check in Go, as the official validators judge them: it
// returns the fatal rules the document breaks, and nil for a document
// that breaks none, whatever warnings it has (Check returns those).
//
// The rules: the required fields (BR-01 to BR-16, BR-21 to BR-27 and
// those of allowances and charges), the schemes of the electronic
// addresses (BR-62, BR-63), the totals (BR-CO-10 to BR-CO-16, computed
// with the tax total that has the VAT breakdown, the one in the
// invoice's currency), the decimals of amounts (BR-DEC), the VAT
// breakdown (BR-45 to BR-48; BR-CO-17, the VAT amount is the taxable
// amount × the rate, rounded to two decimals, to within 1 as the
// Schematron allows), the VAT categories S, Z, E, AE, K, G, O, L and M
// (BR-X-01: a line, allowance or charge of a category has a breakdown of
// it; BR-X-05 to BR-X-07: the rates of lines, allowances and charges, 0
// for Z, E, AE, K and G, above 0 for S, at least 0 for L and M, none for
// O; BR-X-08: the taxable amount is the lines − allowances + charges of
// the category, exactly, or of the category and rate to within 1 for S,
// L and M; BR-X-09: the VAT amount, 0 or the rate's; BR-X-10: the
// exemption reason; BR-O-11 to BR-O-14; BR-E-02; X is S, Z, E, AE, IC for
// K, G, O, IG for L, IP for M; see rules_vat.go), the code lists of the
// codes it meets (BR-CL-01, BR-CL-03 to BR-CL-05, BR-CL-14, BR-CL-17,
// BR-CL-19 and BR-CL-20 for the reason codes of allowances and charges,
// BR-CL-22, BR-CL-23, BR-CL-25, against the lists in rules_codes.go),
// the VAT accounting currency (BR-53: its
// total is given), the Peppol rules on identifiers, references,
// currencies (PEPPOL-EN16931-R051: the amounts it names are in the
// invoice's currency, the VAT total in the accounting currency, BT-111,
// not), tax
// totals (PEPPOL-EN16931-R053, R054, R055, R005: one tax total with the
// breakdown, and one without it, BT-111, exactly when a VAT accounting
// currency is given, which differs from the invoice's and whose total
// has the sign of the invoice's), dates (PEPPOL-EN16931-F001:
// YYYY-MM-DD, a date that exists) and line arithmetic
// (PEPPOL-EN16931-R*; R046: the net price is the gross price less the
// price allowance), the Peppol checks of identifiers by scheme
// (PEPPOL-COMMON-R040 GLN 0088, R041 Norwegian 0192, R049 Swedish 0007,
// R050 Australian 0151) and the Swedish rules (SE-R-001 to SE-R-013:
// VAT, organisation, bankgiro and plusgiro numbers, F-skatt, VAT rates,
// payment means; SE-R-003, 004 and 007 to 013 are warnings), which the
// official validation asks of the billing specification only, not of a
// self-billed invoice. Four ids
// are this package's own: UBL (the document is not a UBL invoice, or
// breaks the UBL schema where this package looks: an amount without its
// currencyID, a quantity or percentage that is not a decimal number),
// BR-DEC (an amount that is not a plain decimal number, digits and a
// point as xs:decimal writes them, "4.20807E3" is not one, or that is
// written with more than two decimals, "4208.070"; EN 16931 names one
// BR-DEC rule per amount), INVOICE-SB-01 (type code 389 goes with the
// self-billing specification and only with it) and MORE (the count of
// broken rules past the first [MaxRuleErrors], which are not listed). A
// value that is not a number is reported once, by BR-DEC or UBL: the
// rules that would compute with it (totals, line arithmetic, VAT) are not
// judged. It returns the broken fatal rules, joined, each a *RuleError
// (Warning false); an error of another type means the XML could not be
// read. What it says
// is bounded whatever the document: at most MaxRuleErrors rules, and
// names and values of over 64 bytes shortened, with their length, in
// paths and messages. It is no substitute for the official
// Schematron, which also checks the UBL schema and rules this package
// leaves out (among them BR-X-02 to BR-X-04 on the parties' VAT
// identifiers, but for BR-E-02, BR-IC-11 and BR-IC-12 on delivery, and
// category B).
func Validate(r io.Reader) error {
	if r == nil {
		return errors.New("invoice: Validate: no document (a nil reader)")
	}
	_, err := Check(r)
	return err
}

// Check is Validate that also returns the warnings: the rules the
// official Schematron flags "warning", which the Peppol validators
// report without refusing the document (a plusgiro number of nine
// characters, SE-R-010; an organisation number whose check digit is
// wrong, SE-R-013). err is what Validate returns: nil when no fatal rule
// is broken, however many warnings there are; the broken fatal rules,
// joined, each a *RuleError; or an error of another type when the XML
// cannot be read (and then no warnings). Each warning is a *RuleError
// with Warning set. Like the fatal rules, at most MaxRuleErrors warnings
// are listed, and a last one, MORE (a warning too), counts the others.
func Check(r io.Reader) (warnings []*RuleError, err error) {
	if r == nil {
		return nil, errors.New("invoice: Check: no document (a nil reader)")
	}
	root, err := parse(r)
	if err != nil {
		return nil, err
	}
	c := &checker{root: root}
	if root.name != "Invoice" || root.space != nsInvoice {
		c.fail("UBL", root, "the root is %s, want an Invoice in the UBL 2.1 namespace", root.name)
		return c.result()
	}
	c.required()
	c.lines()
	c.allowancesCharges()
	c.totals()
	c.taxTotals()
	c.decimals()
	c.vat()
	c.codes()
	c.peppol()
	c.identifiers()
	c.sweden()
	return c.result()
}

// MaxRuleErrors is the most broken rules Validate lists, and the most
// warnings Check lists: a document of a million empty elements breaks a
// million rules, and the list would be larger than the document.
const MaxRuleErrors = 100

type checker struct {
	root *node
	// errs and warns are the fatal rules and the warnings listed;
	// broken and warned count them, listed or not.
	errs, warns    []*RuleError
	broken, warned int
}

// fail reports a broken fatal rule.
func (c *checker) fail(rule string, n *node, format string, args ...any) {
	c.add(false, rule, n, format, args...)
}

// warn reports a broken rule that the Schematron flags "warning".
func (c *checker) warn(rule string, n *node, format string, args ...any) {
	c.add(true, rule, n, format, args...)
}

func (c *checker) add(warning bool, rule string, n *node, format string, args ...any) {
	list, count := &c.errs, &c.broken
	if warning {
		list, count = &c.warns, &c.warned
	}
	*count++
	if len(*list) >= MaxRuleErrors {
		return
	}
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clip(s)
		}
	}
	e := &RuleError{Rule: rule, Msg: fmt.Sprintf(format, args...), Warning: warning}
	if n != nil {
		e.Path, e.Line = n.path(), n.line
	}
	*list = append(*list, e)
}

// result returns the warnings and the fatal rules, each list closed by
// MORE when rules were left out.
func (c *checker) result() ([]*RuleError, error) {
	if more := c.warned - len(c.warns); more > 0 {
		c.warns = append(c.warns, &RuleError{Rule: "MORE", Path: "/", Msg: fmt.Sprintf("%d more warnings, not listed", more), Warning: true})
	}
	if more := c.broken - len(c.errs); more > 0 {
		c.errs = append(c.errs, &RuleError{Rule: "MORE", Path: "/", Msg: fmt.Sprintf("%d more broken rules, not listed", more)})
	}
	errs := make([]error, len(c.errs))
	for i, e := range c.errs {
		errs[i] = e
	}
	return c.warns, errors.Join(errs...)
}

// need fails rule unless n has a non-empty value at path.
func (c *checker) need(rule string, n *node, path, what string) {
	if n.value(path) == "" {
		c.fail(rule, n, "%s (%s) is missing", what, path)
	}
}

// needNode fails rule unless n has an element at path.
func (c *checker) needNode(rule string, n *node, path, what string) {
	if n.one(path) == nil {
		c.fail(rule, n, "%s (%s) is missing", what, path)
	}
}

func (c *checker) required() {
	r := c.root
	c.need("BR-01", r, "cbc:CustomizationID", "the specification identifier")
	c.need("BR-02", r, "cbc:ID", "the invoice number")
	c.need("BR-03", r, "cbc:IssueDate", "the issue date")
	c.need("BR-04", r, "cbc:InvoiceTypeCode", "the invoice type code")
	c.need("BR-05", r, "cbc:DocumentCurrencyCode", "the currency code")
	seller := r.one("cac:AccountingSupplierParty/cac:Party")
	buyer := r.one("cac:AccountingCustomerParty/cac:Party")
	if seller == nil || buyer == nil {
		c.fail("BR-06", r, "the seller or the buyer is missing")
		return
	}
	c.need("BR-06", seller, "cac:PartyLegalEntity/cbc:RegistrationName", "the seller's name")
	if seller.value("cac:PartyIdentification/cbc:ID") == "" && seller.value("cac:PartyLegalEntity/cbc:CompanyID") == "" &&
		!hasVAT(seller) {
		c.fail("BR-CO-26", seller, "the seller has neither an identifier, a legal registration nor a VAT identifier")
	}
	for _, ts := range seller.all("cac:PartyTaxScheme") {
		if id := ts.value("cbc:CompanyID"); ts.value("cac:TaxScheme/cbc:ID") == "VAT" && !countryPrefixed(id) {
			c.fail("BR-CO-09", ts, "VAT identifier %q does not start with a country code", id)
		}
	}
	c.need("BR-07", buyer, "cac:PartyLegalEntity/cbc:RegistrationName", "the buyer's name")
	c.needNode("BR-08", seller, "cac:PostalAddress", "the seller's postal address")
	c.need("BR-09", seller, "cac:PostalAddress/cac:Country/cbc:IdentificationCode", "the seller's country code")
	c.needNode("BR-10", buyer, "cac:PostalAddress", "the buyer's postal address")
	c.need("BR-11", buyer, "cac:PostalAddress/cac:Country/cbc:IdentificationCode", "the buyer's country code")
	t := r.one("cac:LegalMonetaryTotal")
	c.need("BR-12", t, "cbc:LineExtensionAmount", "the sum of line net amounts")
	c.need("BR-13", t, "cbc:TaxExclusiveAmount", "the total without VAT")
	c.need("BR-14", t, "cbc:TaxInclusiveAmount", "the total with VAT")
	c.need("BR-15", t, "cbc:PayableAmount", "the amount due")
	if t == nil {
		c.fail("BR-12", r, "the document totals (cac:LegalMonetaryTotal) are missing")
	}
	if len(r.all("cac:InvoiceLine")) == 0 {
		c.fail("BR-16", r, "the invoice has no line")
	}
	if p := r.one("cac:InvoicePeriod"); p != nil {
		s, e := p.value("cbc:StartDate"), p.value("cbc:EndDate")
		if s == "" && e == "" {
			c.fail("BR-CO-19", p, "the invoicing period has neither start nor end date")
		}
		// Compared as dates; one that is none is PEPPOL-EN16931-F001's.
		start, okS := isoDate(s)
		end, okE := isoDate(e)
		if okS && okE && end.Before(start) {
			c.fail("BR-29", p, "the period ends %s before it starts %s", e, s)
		}
	}
	// An electronic address names its scheme (BR-62, BR-63);
	// PEPPOL-EN16931-R010 and R020 require the addresses.
	for _, e := range []struct{ party, rule, who string }{{"cac:AccountingSupplierParty", "BR-62", "seller"},
		{"cac:AccountingCustomerParty", "BR-63", "buyer"}} {
		if ep := r.one(e.party + "/cac:Party/cbc:EndpointID"); ep != nil {
			if _, ok := ep.attrs["schemeID"]; !ok {
				c.fail(e.rule, ep, "the %s's electronic address has no scheme identifier (schemeID)", e.who)
			}
		}
	}
}

func (c *checker) lines() {
	for _, l := range c.root.all("cac:InvoiceLine") {
		c.need("BR-21", l, "cbc:ID", "the line identifier")
		c.need("BR-22", l, "cbc:InvoicedQuantity", "the invoiced quantity")
		if q := l.one("cbc:InvoicedQuantity"); q != nil && q.attrs["unitCode"] == "" {
			c.fail("BR-23", q, "the unit of measure code is missing")
		}
		c.need("BR-24", l, "cbc:LineExtensionAmount", "the line net amount")
		c.need("BR-25", l, "cac:Item/cbc:Name", "the item name")
		c.need("BR-26", l, "cac:Price/cbc:PriceAmount", "the item net price")
		if p, ok := l.number("cac:Price/cbc:PriceAmount"); ok && p.IsNegative() {
			c.fail("BR-27", l.one("cac:Price/cbc:PriceAmount"), "the item net price %s is negative", p)
		}
		c.need("BR-CO-04", l, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "the line's VAT category")
		for _, ac := range l.all("cac:AllowanceCharge") {
			c.allowanceCharge(ac, "BR-41", "BR-42", "", false)
		}
		c.lineArithmetic(l)
		c.grossPrice(l)
	}
}

// lineArithmetic checks PEPPOL-EN16931-R120, R121 and R130: the line net
// amount is quantity × price ÷ base quantity + charges − allowances, to
// 0.02, with a positive base quantity in the invoiced quantity's unit.
func (c *checker) lineArithmetic(l *node) {
	q, okQ := l.number("cbc:InvoicedQuantity")
	p, okP := l.number("cac:Price/cbc:PriceAmount")
	net, okN := l.number("cbc:LineExtensionAmount")
	base := decimal.NewFromInt(1)
	if b := l.one("cac:Price/cbc:BaseQuantity"); b != nil {
		v, ok := l.number("cac:Price/cbc:BaseQuantity")
		if !ok || !v.IsPositive() {
			c.fail("PEPPOL-EN16931-R121", b, "the base quantity %q must be a positive number", xmlTrim(b.text))
			return
		}
		base = v
		if u, qu := b.attrs["unitCode"], l.one("cbc:InvoicedQuantity"); u != "" && qu != nil && u != qu.attrs["unitCode"] {
			c.fail("PEPPOL-EN16931-R130", b, "the base quantity's unit %s is not the invoiced quantity's %s", u, qu.attrs["unitCode"])
		}
	}
	if !okQ || !okP || !okN {
		return
	}
	want := q.Mul(p).DivRound(base, 10)
	for _, ac := range l.all("cac:AllowanceCharge") {
		a, ok := ac.addend("cbc:Amount")
		if !ok {
			return // not a number: BR-DEC
		}
		if ac.value("cbc:ChargeIndicator") == "true" {
			want = want.Add(a)
		} else {
			want = want.Sub(a)
		}
	}
	if net.Sub(want).Abs().GreaterThan(slack) {
		c.fail("PEPPOL-EN16931-R120", l.one("cbc:LineExtensionAmount"),
			"the line net amount %s is not quantity × price ÷ base quantity + charges − allowances = %s", net, want.Round(2))
	}
}

// grossPrice checks PEPPOL-EN16931-R046 on each price allowance
// (cac:Price/cac:AllowanceCharge) with a gross price (cbc:BaseAmount): the
// net price is the gross price less the allowance, exactly, as the
// Schematron tests it, "not(cbc:BaseAmount) or xs:decimal(../cbc:PriceAmount)
// = xs:decimal(cbc:BaseAmount) - xs:decimal(cbc:Amount)": no slack, and a
// missing price or allowance amount fails it too. An amount that is not a
// number is not judged (BR-DEC reports it).
func (c *checker) grossPrice(l *node) {
	for _, ac := range l.all("cac:Price/cac:AllowanceCharge") {
		if ac.one("cbc:BaseAmount") == nil {
			continue
		}
		gross, okG := optNumber(ac, "cbc:BaseAmount")
		allowance, okA := optNumber(ac, "cbc:Amount")
		net, okN := optNumber(ac.parent, "cbc:PriceAmount")
		if !okG || !okA || !okN {
			continue
		}
		if gross == nil || allowance == nil || net == nil || !net.Equal(gross.Sub(*allowance)) {
			c.fail("PEPPOL-EN16931-R046", ac, "the net price %s is not the gross price %s less the price allowance %s", show(net), show(gross), show(allowance))
		}
	}
}

func (c *checker) allowancesCharges() {
	for _, ac := range c.root.all("cac:AllowanceCharge") {
		if ac.value("cbc:ChargeIndicator") == "true" {
			c.allowanceCharge(ac, "BR-36", "BR-38", "BR-37", true)
		} else {
			c.allowanceCharge(ac, "BR-31", "BR-33", "BR-32", true)
		}
	}
}

// allowanceCharge checks an allowance or charge: its amount, its reason
// and, at document level, its VAT category; and PEPPOL-EN16931-R040 to
// R042 on its base amount and percentage.
func (c *checker) allowanceCharge(ac *node, amountRule, reasonRule, categoryRule string, document bool) {
	ind := ac.value("cbc:ChargeIndicator")
	if ind != "true" && ind != "false" {
		c.fail("UBL", ac, "ChargeIndicator %q must be true or false", ind)
	}
	c.need(amountRule, ac, "cbc:Amount", "the amount")
	if ac.value("cbc:AllowanceChargeReason") == "" && ac.value("cbc:AllowanceChargeReasonCode") == "" {
		c.fail(reasonRule, ac, "neither a reason nor a reason code")
	}
	if document {
		c.need(categoryRule, ac, "cac:TaxCategory/cbc:ID", "the VAT category")
	}
	// R041 and R042 ask whether the elements are there; R040 judges
	// their numbers, when they are numbers (decimals reports those that
	// are not).
	hasP, hasB := ac.one("cbc:MultiplierFactorNumeric") != nil, ac.one("cbc:BaseAmount") != nil
	pct, okP := ac.number("cbc:MultiplierFactorNumeric")
	base, okB := ac.number("cbc:BaseAmount")
	amount, okA := ac.number("cbc:Amount")
	switch {
	case hasP && !hasB:
		c.fail("PEPPOL-EN16931-R041", ac, "a percentage without a base amount")
	case hasB && !hasP:
		c.fail("PEPPOL-EN16931-R042", ac, "a base amount without a percentage")
	case okP && okB && okA && amount.Sub(base.Mul(pct).Div(decimal.NewFromInt(100))).Abs().GreaterThan(slack):
		c.fail("PEPPOL-EN16931-R040", ac, "the amount %s is not the base %s × %s %%", amount, base, pct)
	}
}

// hasVAT reports whether the party has a VAT identifier.
func hasVAT(party *node) bool {
	for _, ts := range party.all("cac:PartyTaxScheme") {
		if ts.value("cac:TaxScheme/cbc:ID") == "VAT" && ts.value("cbc:CompanyID") != "" {
			return true
		}
	}
	return false
}

// countryPrefixed reports whether a VAT identifier starts with two
// capital letters, the ISO 3166 code of its country (EL for Greece).
func countryPrefixed(id string) bool {
	return len(id) > 2 && id[0] >= 'A' && id[0] <= 'Z' && id[1] >= 'A' && id[1] <= 'Z'
}
