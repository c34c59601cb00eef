package invoice

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/models"
)

// exempt checks the rules of VAT category E (BR-E-01 to BR-E-10).
func (c *checker) exempt() {
	r := c.root
	var lineE, acE []*node
	for _, l := range r.all("cac:InvoiceLine") {
		if cat := l.one("cac:Item/cac:ClassifiedTaxCategory"); cat != nil && cat.value("cbc:ID") == exemptCategory {
			lineE = append(lineE, l)
			if p, _ := cat.number("cbc:Percent"); !p.IsZero() {
				c.fail("BR-E-05", cat, "an exempt line has the VAT rate %s, want 0", p)
			}
		}
	}
	for _, ac := range r.all("cac:AllowanceCharge") {
		if cat := ac.one("cac:TaxCategory"); cat != nil && cat.value("cbc:ID") == exemptCategory {
			acE = append(acE, ac)
			if p, _ := cat.number("cbc:Percent"); !p.IsZero() {
				rule := "BR-E-06"
				if ac.value("cbc:ChargeIndicator") == "true" {
					rule = "BR-E-07"
				}
				c.fail(rule, cat, "an exempt allowance or charge has the VAT rate %s, want 0", p)
			}
		}
	}
	var breakdown *node
	for _, st := range r.all("cac:TaxTotal/cac:TaxSubtotal") {
		if st.value("cac:TaxCategory/cbc:ID") == exemptCategory {
			breakdown = st
		}
	}
	if len(lineE)+len(acE) == 0 && breakdown == nil {
		return
	}
	if breakdown == nil {
		c.fail("BR-E-01", r, "exempt lines or charges without a VAT breakdown in category E")
		return
	}
	seller := r.one("cac:AccountingSupplierParty/cac:Party")
	if len(seller.all("cac:PartyTaxScheme")) == 0 && r.one("cac:TaxRepresentativeParty") == nil {
		c.fail("BR-E-02", seller, "an exempt invoice without the seller's VAT identifier or tax registration (cac:PartyTaxScheme)")
	}
	want, known := sum(lineE, "cbc:LineExtensionAmount")
	for _, ac := range acE {
		a, ok := ac.addend("cbc:Amount")
		known = known && ok
		if ac.value("cbc:ChargeIndicator") == "true" {
			want = want.Add(a)
		} else {
			want = want.Sub(a)
		}
	}
	if known {
		c.equal("BR-E-08", breakdown, "cbc:TaxableAmount", want, "the taxable amount of category E")
	}
	if v, _ := breakdown.number("cbc:TaxAmount"); !v.IsZero() {
		c.fail("BR-E-09", breakdown, "the VAT amount of category E is %s, want 0", v)
	}
	cat := breakdown.one("cac:TaxCategory")
	if cat.value("cbc:TaxExemptionReason") == "" && cat.value("cbc:TaxExemptionReasonCode") == "" {
		c.fail("BR-E-10", cat, "category E without an exemption reason or code")
	}
}

// The code lists, as far as this package checks them: the codes it writes
// and the common ones around them. A code outside them may be valid.
var (
	// UNCL 1001 invoice type codes EN 16931 allows for invoices.
	invoiceTypes = []string{"71", "80", "82", "84", "102", "130", "202", "203", "204", "211", "218", "219", "295", "325", "326",
		"331", "380", "382", "383", "384", "385", "386", "387", "388", "389", "390", "393", "394", "395", "456", "457", "527",
		"553", "575", "623", "633", "751", "780", "817", "870", "875", "876", "877", "935"}
	currencies = []string{"SEK", "EUR", "NOK", "DKK", "ISK", "GBP", "USD", "CHF", "PLN"}
	countries  = []string{"SE", "NO", "DK", "FI", "IS", "DE", "NL", "BE", "FR", "GB", "IE", "AT", "PL", "EE", "LV", "LT", "ES", "IT", "PT"}
	// UNCL 5305 VAT categories of EN 16931.
	vatCategories = []string{"S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B"}
	// UN/ECE recommendation 20 units the package writes and common ones.
	units = []string{"MIN", "HUR", "DAY", "WEE", "MON", "ANN", "C62", "EA", "H87", "E48", "KMT", "KGM", "LTR"}
	// Electronic address schemes (EAS) of Nordic participants.
	endpointSchemes = []string{"0007", "0088", "0192", "0184", "0037", "0216", "9955", "0208", "0060", "0002"}
)

// codes checks the codes against the lists (BR-CL-*).
func (c *checker) codes() {
	r := c.root
	check := func(rule string, n *node, v string, list []string, what string) {
		if v != "" && !slices.Contains(list, v) {
			c.fail(rule, n, "%s %q is not in the code list", what, v)
		}
	}
	check("BR-CL-01", r.one("cbc:InvoiceTypeCode"), r.value("cbc:InvoiceTypeCode"), invoiceTypes, "invoice type code")
	check("BR-CL-04", r.one("cbc:DocumentCurrencyCode"), r.value("cbc:DocumentCurrencyCode"), currencies, "currency")
	r.walk(func(n *node) {
		switch n.name {
		case "cbc:IdentificationCode":
			check("BR-CL-14", n, strings.TrimSpace(n.text), countries, "country code")
		case "cbc:InvoicedQuantity", "cbc:BaseQuantity":
			check("BR-CL-23", n, n.attrs["unitCode"], units, "unit code")
		case "cbc:EndpointID":
			// Present and empty is no scheme of the list either (the
			// Peppol rule tests @schemeID against the list; BR-62 and
			// BR-63 only that it exists).
			if scheme, ok := n.attrs["schemeID"]; ok && !slices.Contains(endpointSchemes, scheme) {
				c.fail("BR-CL-25", n, "endpoint scheme %q is not in the code list", scheme)
			}
		case "cac:TaxCategory", "cac:ClassifiedTaxCategory":
			check("BR-CL-17", n, n.value("cbc:ID"), vatCategories, "VAT category")
			if code := n.value("cbc:TaxExemptionReasonCode"); code != "" && !strings.HasPrefix(code, "VATEX-") {
				c.fail("BR-CL-22", n, "exemption reason code %q is not a VATEX code", code)
			}
		}
	})
}

// peppol checks the Peppol BIS Billing 3.0 rules on profiles, references,
// endpoints, empty elements and tax totals.
func (c *checker) peppol() {
	r := c.root
	if p := r.value("cbc:ProfileID"); p == "" {
		c.fail("PEPPOL-EN16931-R001", r, "the business process (cbc:ProfileID) is missing")
	} else if !strings.HasPrefix(p, "urn:fdc:peppol.eu:2017:poacc:billing:") && !strings.HasPrefix(p, "urn:fdc:peppol.eu:2017:poacc:selfbilling:") {
		c.fail("PEPPOL-EN16931-R007", r.one("cbc:ProfileID"), "business process %q is not a Peppol billing process", p)
	}
	if id := r.value("cbc:CustomizationID"); id != "" && id != BillingCustomization && id != SelfBillingCustomization {
		c.fail("PEPPOL-EN16931-R004", r.one("cbc:CustomizationID"), "specification identifier %q is not BIS Billing 3.0", id)
	}
	if r.value("cbc:BuyerReference") == "" && r.value("cac:OrderReference/cbc:ID") == "" {
		c.fail("PEPPOL-EN16931-R003", r, "neither a buyer reference nor an order reference")
	}
	if r.value("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID") == "" {
		c.fail("PEPPOL-EN16931-R010", r, "the buyer's electronic address (cbc:EndpointID) is missing")
	}
	if r.value("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID") == "" {
		c.fail("PEPPOL-EN16931-R020", r, "the seller's electronic address (cbc:EndpointID) is missing")
	}
	if n := len(r.all("cbc:Note")); n > 1 {
		c.fail("PEPPOL-EN16931-R002", r.all("cbc:Note")[1], "%d notes on the document, want at most one", n)
	}
	if n := len(r.all("cac:TaxTotal")); n != 1 {
		c.fail("PEPPOL-EN16931-R053", r, "%d tax totals, want exactly one with its breakdown", n)
	}
	r.walk(func(n *node) {
		if len(n.kids) == 0 && strings.TrimSpace(n.text) == "" {
			c.fail("PEPPOL-EN16931-R008", n, "an empty element")
		}
	})
	self := r.value("cbc:InvoiceTypeCode") == SelfBilledInvoice
	if self != (r.value("cbc:CustomizationID") == SelfBillingCustomization) {
		c.fail("INVOICE-SB-01", r.one("cbc:InvoiceTypeCode"), "type code %s does not fit the specification %s",
			r.value("cbc:InvoiceTypeCode"), r.value("cbc:CustomizationID"))
	}
}

// sweden checks the Swedish rules for a seller in SE.
func (c *checker) sweden() {
	seller := c.root.one("cac:AccountingSupplierParty/cac:Party")
	if seller == nil || seller.value("cac:PostalAddress/cac:Country/cbc:IdentificationCode") != "SE" {
		return
	}
	for _, ts := range seller.all("cac:PartyTaxScheme") {
		id := ts.value("cbc:CompanyID")
		switch ts.value("cac:TaxScheme/cbc:ID") {
		case "VAT":
			if !strings.HasPrefix(id, "SE") {
				continue
			}
			if len(id) != 14 {
				c.fail("SE-R-001", ts, "Swedish VAT number %q has %d characters, want 14", id, len(id))
			} else if !digits(id[2:]) {
				c.fail("SE-R-002", ts, "Swedish VAT number %q: the last twelve characters must be digits", id)
			}
		case "TAX":
			if id != "Godkänd för F-skatt" {
				c.fail("SE-R-005", ts, "the seller's tax registration is %q, want \"Godkänd för F-skatt\"", id)
			}
		}
	}
	if le := seller.one("cac:PartyLegalEntity/cbc:CompanyID"); le != nil {
		id := strings.TrimSpace(le.text)
		switch {
		case !digits(id):
			c.fail("SE-R-003", le, "Swedish organisation number %q is not numeric", id)
		case len(id) != 10:
			c.fail("SE-R-004", le, "Swedish organisation number %q has %d characters, want 10", id, len(id))
		default:
			if _, err := models.NormalizeOrgNumber(id); err != nil {
				c.fail("SE-R-013", le, "Swedish organisation number %q: the check digit does not match", id)
			}
		}
	}
	for _, pm := range c.root.all("cac:PaymentMeans") {
		if pm.value("cbc:PaymentMeansCode") != "30" || pm.value("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") != "SE:BANKGIRO" {
			continue
		}
		id := pm.value("cac:PayeeFinancialAccount/cbc:ID")
		if !digits(id) {
			c.fail("SE-R-008", pm.one("cac:PayeeFinancialAccount/cbc:ID"), "bankgiro %q is not numeric", id)
		} else if len(id) != 7 && len(id) != 8 {
			c.fail("SE-R-009", pm.one("cac:PayeeFinancialAccount/cbc:ID"), "bankgiro %q has %d digits, want 7 or 8", id, len(id))
		}
	}
}

func digits(s string) bool {
	_, err := decimal.NewFromString(s)
	return s != "" && err == nil && !strings.ContainsAny(s, ".-+eE")
}
