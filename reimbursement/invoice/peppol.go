package invoice

import (
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// The Peppol BIS Billing 3.0 specification and process identifiers.
const (
	BillingCustomization     = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	BillingProfile           = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
	SelfBillingCustomization = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"
	SelfBillingProfile       = "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"
)

// The invoice type codes (UNCL 1001) the package writes.
const (
	CommercialInvoice  = "380" // the provider invoices the municipality
	SelfBilledInvoice  = "389" // the municipality issues the invoice on the provider's behalf (självfakturering)
	exemptCategory     = "E"
	defaultExemptCode  = "VATEX-EU-132-1G"
	defaultExemptText  = "Social omsorg (hemtjänst), undantagen från skatteplikt enligt mervärdesskattelagen"
	roundingChargeText = "Avrundning enligt taxan"
	adjustmentText     = "Justering av beloppet"
)

// PeppolOptions choose the variant of the UBL invoice.
type PeppolOptions struct {
	// SelfBilling writes the self-billing variant (type 389) that the
	// municipality issues; otherwise the provider's invoice (type 380).
	SelfBilling bool
	// ExemptionReason and ExemptionCode state why the supply is exempt
	// from VAT (BT-120, BT-121); empty takes the defaults, social care
	// under the VAT act and VATEX-EU-132-1G.
	ExemptionReason, ExemptionCode string
}

// Peppol returns the basis as a Peppol BIS Billing 3.0 invoice (UBL 2.1).
// Every settlement line becomes an invoice line (quantities in MIN with a
// price per 60 minutes, DAY with a monthly price per the month's days, C62
// per visit or occurrence), except the percentage lines (VAT compensation
// and other surcharges), which become document-level charges, or
// allowances when negative; in a basis of percentage lines alone (a
// correction of the VAT compensation only) they become invoice lines of
// quantity 1 (−1 for a credit) at their amount, as an invoice has at
// least one line (BR-16). All is in VAT category E. The payable amount
// is the sum of the lines and charges, the basis's total.
//
// It returns an error, and no invoice, when the basis cannot be one: a
// line whose amount is not whole öre (a tariff that rounds to three or
// four decimals), as an invoice's amounts have at most two decimals
// (BR-DEC) and rounding them would part the invoice from the settlement;
// a party's Peppol id that is not scheme:identifier (see Party); a basis
// without lines (BR-16).
func (b *Basis) Peppol(opts PeppolOptions) (*UBLInvoice, error) {
	if b == nil {
		return nil, errors.New("invoice: Peppol of a nil basis")
	}
	if err := b.peppolReady(); err != nil {
		return nil, err
	}
	seller, err := ublParty(b.Seller, true)
	if err != nil {
		return nil, fmt.Errorf("invoice: %s: seller %w", b.name(), err)
	}
	buyer, err := ublParty(b.Buyer, false)
	if err != nil {
		return nil, fmt.Errorf("invoice: %s: buyer %w", b.name(), err)
	}
	inv := &ublDoc{
		XMLNSCac: nsCac, XMLNSCbc: nsCbc, XMLNS: nsInvoice,
		CustomizationID: BillingCustomization, ProfileID: BillingProfile,
		ID: b.Number, IssueDate: b.IssueDate.String(), DueDate: b.DueDate.String(),
		InvoiceTypeCode: CommercialInvoice, DocumentCurrencyCode: b.Currency,
		BuyerReference: b.BuyerReference,
		InvoicePeriod:  &ublPeriod{StartDate: b.PeriodStart.String(), EndDate: b.PeriodEnd.String()},
		Supplier:       ublPartyWrap{Party: seller},
		Customer:       ublPartyWrap{Party: buyer},
	}
	if opts.SelfBilling {
		inv.CustomizationID, inv.ProfileID, inv.InvoiceTypeCode = SelfBillingCustomization, SelfBillingProfile, SelfBilledInvoice
	}
	if b.OrderReference != "" {
		inv.OrderReference = &ublRef{ID: b.OrderReference}
	}
	inv.Note = fmt.Sprintf("Fakturaunderlag hemtjänst %s, utförare %s", b.Period, b.Provider)
	if b.Corrects != "" {
		inv.BillingReference = &ublBillingRef{Invoice: ublRef{ID: b.Corrects}}
		inv.Note = fmt.Sprintf("Efterreglering av faktura %s: fakturaunderlag hemtjänst %s, utförare %s", b.Corrects, b.Period, b.Provider)
	}
	inv.PaymentMeans = ublPayment(b.Seller, b.Number)
	cat := ublTaxCategory{ID: exemptCategory, Percent: "0", TaxScheme: ublScheme{ID: "VAT"}}
	cur := b.Currency
	// Percentage lines are charges, unless they are all there is.
	charged := slices.ContainsFunc(b.Customers, func(c Customer) bool {
		return slices.ContainsFunc(c.Lines, func(l Line) bool { return l.Unit != reimbursement.Kronor })
	})
	var lines, allowances, charges decimal.Decimal
	for _, c := range b.Customers {
		for _, l := range c.Lines {
			switch {
			case l.Unit == reimbursement.Kronor && charged:
				ac := ublCharge(l, cur, cat)
				if ac.ChargeIndicator {
					charges = charges.Add(l.Amount.Decimal)
				} else {
					allowances = allowances.Sub(l.Amount.Decimal)
				}
				inv.AllowanceCharges = append(inv.AllowanceCharges, ac)
				continue
			case l.Unit == reimbursement.Kronor:
				inv.Lines = append(inv.Lines, ublAmountLine(len(inv.Lines)+1, l, cur, cat))
			default:
				inv.Lines = append(inv.Lines, ublLine(len(inv.Lines)+1, l, cur, cat))
			}
			lines = lines.Add(l.Amount.Decimal)
		}
	}
	exclusive := lines.Sub(allowances).Add(charges)
	reason := cmp.Or(opts.ExemptionReason, defaultExemptText)
	code := cmp.Or(opts.ExemptionCode, defaultExemptCode)
	inv.TaxTotal = []ublTaxTotal{{TaxAmount: money(decimal.Zero, cur), Subtotals: []ublTaxSubtotal{{
		TaxableAmount: money(exclusive, cur), TaxAmount: money(decimal.Zero, cur),
		Category: ublTaxCategory{ID: exemptCategory, Percent: "0", ExemptionReasonCode: code, ExemptionReason: reason, TaxScheme: ublScheme{ID: "VAT"}},
	}}}}
	t := ublTotals{LineExtension: money(lines, cur), TaxExclusive: money(exclusive, cur), TaxInclusive: money(exclusive, cur),
		Payable: money(exclusive, cur)}
	if !allowances.IsZero() {
		a := money(allowances, cur)
		t.AllowanceTotal = &a
	}
	if !charges.IsZero() {
		c := money(charges, cur)
		t.ChargeTotal = &c
	}
	inv.Totals = t
	return &UBLInvoice{doc: inv}, nil
}

// maxAmountErrors is how many lines of more than two decimals Peppol's
// error names; the rest are counted (a tariff rounding to three decimals
// gives most of a month's lines).
const maxAmountErrors = 10

// name names the basis in errors: by its invoice number, or, without
// one, by its provider and month (found by a vendor's trial: an empty
// basis of no number was "invoice: : the basis has no line").
func (b *Basis) name() string {
	if strings.TrimSpace(b.Number) != "" {
		return b.Number
	}
	if b.Provider == "" {
		return fmt.Sprintf("the basis of %q (no invoice number, no provider)", b.Period)
	}
	return fmt.Sprintf("provider %s, %s (no invoice number)", b.Provider, b.Period)
}

// peppolReady returns an error naming each line (the first
// maxAmountErrors) whose amount is not whole öre, or one saying that the
// basis has no line.
func (b *Basis) peppolReady() error {
	var errs []error
	lines, bad := 0, 0
	for _, c := range b.Customers {
		for _, l := range c.Lines {
			lines++
			if twoDecimals(l.Amount.Decimal) {
				continue
			}
			if bad++; bad <= maxAmountErrors {
				errs = append(errs, fmt.Errorf("invoice: %s: line %s: amount %s has more than two decimals; a Peppol invoice's amounts have at most two (BR-DEC), and rounding would part the invoice from the settlement: settle with a tariff that rounds to 2 decimals",
					b.name(), lineName(b.Provider, l), l.Amount))
			}
		}
	}
	if bad > maxAmountErrors {
		errs = append(errs, fmt.Errorf("invoice: %s: and %d more lines of more than two decimals", b.name(), bad-maxAmountErrors))
	}
	if lines == 0 {
		errs = append(errs, fmt.Errorf("invoice: %s: the basis has no line, and an invoice has at least one (BR-16)", b.name()))
	}
	return errors.Join(errs...)
}

// lineName names a line as the settlement's explanations do: provider /
// customer / component / kind / category / zone / band, the empty ones
// left out.
func lineName(provider string, l Line) string {
	parts := []string{cmp.Or(l.Provider, provider), l.Customer, l.Component}
	for _, p := range []string{l.Kind.String(), categoryText(l), l.Zone, l.Band} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " / ")
}

// twoDecimals reports whether d is whole öre: an amount an invoice can
// carry as it is (808.330 can, as 808.33; 808.333 cannot).
func twoDecimals(d decimal.Decimal) bool { return d.Equal(d.Round(2)) }

// ublParty writes a party: its endpoint (the Peppol id, or the
// organisation number under 0007), address, tax registrations (the
// seller's VAT number and F-tax approval) and legal entity. It returns an
// error for a Peppol id that is not scheme:identifier.
func ublParty(p Party, seller bool) (ublPartyT, error) {
	if err := checkPeppolID(p.PeppolID); err != nil {
		return ublPartyT{}, err
	}
	org := strings.ReplaceAll(p.OrgNumber, "-", "")
	if d, err := models.NormalizeOrgNumber(p.OrgNumber); err == nil {
		org = d
	}
	out := ublPartyT{PostalAddress: ublAddress{Street: p.Street, City: p.City, PostalZone: p.PostalCode,
		Country: ublCountry{Code: cmp.Or(p.Country, "SE")}},
		LegalEntity: ublLegal{Name: p.Name}}
	if scheme, id, ok := strings.Cut(p.PeppolID, ":"); ok {
		out.EndpointID = &ublID{SchemeID: scheme, Value: id}
	} else if org != "" {
		out.EndpointID = &ublID{SchemeID: "0007", Value: org}
	}
	if org != "" {
		out.Identification = &ublIdent{ID: ublID{SchemeID: "0007", Value: org}}
		out.LegalEntity.CompanyID = &ublID{SchemeID: "0007", Value: org}
	}
	if p.Name != "" {
		out.Name = &ublName{Name: p.Name}
	}
	if seller && p.VATNumber != "" {
		out.TaxSchemes = append(out.TaxSchemes, ublPartyTax{CompanyID: p.VATNumber, TaxScheme: ublScheme{ID: "VAT"}})
	}
	if seller && p.FSkatt {
		out.TaxSchemes = append(out.TaxSchemes, ublPartyTax{CompanyID: "Godkänd för F-skatt", TaxScheme: ublScheme{ID: "TAX"}})
	}
	return out, nil
}

// checkPeppolID returns an error unless id is empty or a Peppol
// participant id scheme:identifier: a scheme of four digits (an EAS
// code, 0007, 0088) and an identifier, neither empty, no space in either
// (":5566778899" would be an electronic address without a scheme, which
// BR-62 forbids, and "0007:" one without an address).
func checkPeppolID(id string) error {
	if id == "" {
		return nil
	}
	scheme, value, ok := strings.Cut(id, ":")
	var what string
	switch {
	case !ok:
		what = "no scheme"
	case scheme == "":
		what = "the scheme is empty"
	case value == "":
		what = "the identifier is empty"
	case len(scheme) != 4 || strings.Trim(scheme, "0123456789") != "":
		what = "the scheme is not four digits"
	case strings.ContainsFunc(id, unicode.IsSpace):
		what = "a space in it"
	default:
		return nil
	}
	return fmt.Errorf("Peppol id %q: %s; want scheme:identifier, as 0007:5566778899", id, what)
}

// ublPayment writes a credit transfer (means 30) to the seller's bankgiro
// and plusgiro, with the invoice number as the payment reference.
func ublPayment(p Party, ref string) []ublPaymentMeans {
	var out []ublPaymentMeans
	for _, g := range []struct{ number, branch string }{{p.Bankgiro, "SE:BANKGIRO"}, {p.Plusgiro, "SE:PLUSGIRO"}} {
		if g.number == "" {
			continue
		}
		out = append(out, ublPaymentMeans{Code: "30", PaymentID: ref,
			Account: &ublAccount{ID: strings.ReplaceAll(g.number, "-", ""), Branch: &ublBranch{ID: g.branch}}})
	}
	return out
}

// unitCodes are the UN/ECE recommendation 20 codes of the quantities.
var unitCodes = map[reimbursement.Unit]string{reimbursement.Minutes: "MIN", reimbursement.Visits: "C62",
	reimbursement.Occurrences: "C62", reimbursement.Days: "DAY"}

// ublLine writes a settlement line as an invoice line: the quantity in
// its unit, the net price rate × factor per divisor units (60 minutes,
// the month's days), a rounding charge or allowance where the tariff's
// rounding leaves the amount more than nothing off quantity × price ÷
// base quantity rounded to öre. A negative rate or factor turns the
// quantity's sign instead, as the price may not be negative (BR-27).
func ublLine(n int, l Line, cur string, cat ublTaxCategory) ublInvoiceLine {
	price := l.Rate.Decimal
	if l.Factor != nil {
		price = price.Mul(l.Factor.Decimal)
	}
	qty := l.Quantity.Decimal
	if price.IsNegative() {
		price, qty = price.Neg(), qty.Neg()
	}
	base := decimal.NewFromInt(max(l.Divisor, 1))
	code := cmp.Or(unitCodes[l.Unit], "C62")
	out := ublInvoiceLine{ID: fmt.Sprint(n), Quantity: ublQty{UnitCode: code, Value: qty.String()},
		LineExtension: money(l.Amount.Decimal, cur),
		Item:          ublItem{Name: l.Name(), Description: lineDescription(l), SellersID: &ublIdent{ID: ublID{Value: l.Component}}, Category: cat},
		Price:         ublPrice{Amount: money(trimZeros(price), cur)}}
	if l.Divisor > 1 {
		out.Price.BaseQuantity = &ublQty{UnitCode: code, Value: base.String()}
	}
	out.Item.Properties = lineProperties(l)
	exact := qty.Mul(price).DivRound(base, 2)
	if diff := l.Amount.Sub(exact); !diff.IsZero() {
		reason := roundingChargeText
		if qty.IsZero() {
			reason = adjustmentText // a correction of the amount alone
		}
		out.AllowanceCharges = []ublAllowanceCharge{{ChargeIndicator: diff.IsPositive(), Reason: reason,
			Amount: money(diff.Abs(), cur)}}
	}
	return out
}

// ublAmountLine writes a percentage line as an invoice line of its
// amount, in an invoice that has no other line: quantity 1 (−1 when the
// amount is negative, as the price may not be: BR-27) at the amount,
// with its base and percentage as an item property.
func ublAmountLine(n int, l Line, cur string, cat ublTaxCategory) ublInvoiceLine {
	qty := decimal.NewFromInt(1)
	if l.Amount.IsNegative() {
		qty = qty.Neg()
	}
	pct := l.Rate.Decimal
	if l.Factor != nil {
		pct = pct.Mul(l.Factor.Decimal)
	}
	out := ublInvoiceLine{ID: fmt.Sprint(n), Quantity: ublQty{UnitCode: "C62", Value: qty.String()},
		LineExtension: money(l.Amount.Decimal, cur),
		Item:          ublItem{Name: l.Name(), Description: lineDescription(l), SellersID: &ublIdent{ID: ublID{Value: l.Component}}, Category: cat},
		Price:         ublPrice{Amount: money(l.Amount.Abs(), cur)}}
	out.Item.Properties = append(lineProperties(l),
		ublProperty{Name: "Beräkning", Value: fmt.Sprintf("%s kr × %s %%", l.Quantity, trimZeros(pct))})
	return out
}

func lineDescription(l Line) string {
	parts := []string{"Brukare " + l.Customer}
	for _, p := range []string{l.Zone, l.Category.Swedish(), l.Band, l.Kind.Swedish()} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func lineProperties(l Line) []ublProperty {
	props := []ublProperty{{Name: "Brukare", Value: l.Customer}}
	if l.Zone != "" {
		props = append(props, ublProperty{Name: "Zon", Value: l.Zone})
	}
	if l.Band != "" {
		props = append(props, ublProperty{Name: "Tidsband", Value: l.Band})
	}
	if len(l.Records) > 0 {
		props = append(props, ublProperty{Name: "Underlag", Value: strings.Join(l.Records, " ")})
	}
	return props
}

// ublCharge writes a percentage line (VAT compensation, a surcharge or a
// deduction) as a document-level charge or allowance in category E, with
// its base and percentage when amount = base × percentage ÷ 100 within
// the öre rule PEPPOL-EN16931-R040 allows.
func ublCharge(l Line, cur string, cat ublTaxCategory) ublAllowanceCharge {
	ac := ublAllowanceCharge{ChargeIndicator: !l.Amount.IsNegative(), Reason: l.Name() + " – brukare " + l.Customer,
		Amount: money(l.Amount.Abs(), cur), TaxCategory: &cat}
	pct := l.Rate.Decimal
	if l.Factor != nil {
		pct = pct.Mul(l.Factor.Decimal)
	}
	pct, base := pct.Abs(), l.Quantity.Abs()
	if twoDecimals(base) && base.Mul(pct).Div(decimal.NewFromInt(100)).Sub(l.Amount.Abs()).Abs().LessThanOrEqual(slack) {
		ac.Percent, ac.BaseAmount = pct.String(), ptr(money(base, cur))
	}
	return ac
}

// trimZeros drops the trailing zeros a product of decimals carries
// (439.00 × 0.9000 = 395.1000 becomes 395.1, written 395.10).
func trimZeros(d decimal.Decimal) decimal.Decimal {
	t, err := decimal.NewFromString(d.String())
	if err != nil {
		return d
	}
	return t
}

// slack is the difference of rounding the Peppol rules allow between an
// amount and its computation.
var slack = decimal.New(2, -2)

func ptr[T any](v T) *T { return &v }

// xmlText returns an error for the first string in v, a value of the
// UBL document, that XML 1.0 cannot carry, naming its element by path.
func xmlText(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		for i, r := range s {
			if _, n := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && n == 1 {
				return fmt.Errorf("%s: invalid UTF-8 at byte %d of %q", path, i, s)
			}
			if !xmlChar(r) {
				return fmt.Errorf("%s: character %U at byte %d of %q, which XML cannot carry", path, r, i, s)
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return xmlText(v.Elem(), path)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := xmlText(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
			if name == "" || name == "-" {
				name = f.Name
			}
			if err := xmlText(v.Field(i), path+"/"+name); err != nil {
				return err
			}
		}
	}
	return nil
}

// xmlChar reports whether XML 1.0 can carry r (its production Char).
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// money writes an amount of whole öre with two decimals (808.330 as
// 808.33, 12 as 12.00). It never rounds: Peppol refuses an amount of
// more decimals before it comes here, and one that did would be written
// as it is, for Validate to find (BR-DEC).
func money(d decimal.Decimal, cur string) ublAmount {
	if twoDecimals(d) {
		return ublAmount{Currency: cur, Value: d.StringFixed(2)}
	}
	return ublAmount{Currency: cur, Value: kronor(d).String()}
}

// WriteXML writes the invoice as indented UBL 2.1 XML with its XML
// declaration. Text XML 1.0 cannot carry (a control character, U+FFFE,
// invalid UTF-8: a name or an address from options or data never
// validated) is an error naming the element, before anything is
// written; the encoder would write U+FFFD in its place (found by attack).
func (inv *UBLInvoice) WriteXML(w io.Writer) error {
	if inv == nil || inv.doc == nil {
		return errors.New("invoice: WriteXML: no invoice (make one with Basis.Peppol)")
	}
	if w == nil {
		return errors.New("invoice: WriteXML: a nil writer")
	}
	if err := xmlText(reflect.ValueOf(inv.doc).Elem(), "Invoice"); err != nil {
		return fmt.Errorf("invoice: WriteXML: %w", err)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	e := xml.NewEncoder(w)
	e.Indent("", "  ")
	if err := e.Encode(inv.doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
