package invoice

import (
	"strings"

	"github.com/shopspring/decimal"
)

// The VAT rules of EN 16931, as rules/sch/CEN-EN16931-UBL.sch of the
// Peppol validation artefacts tests them (the file as stored at commit
// 009926d6d03e0ee65ef3244d3fe1b04204168695, the one BR-CL-23's list
// comes from): the VAT breakdown (BR-45 to BR-48, BR-CO-17) and, for each
// VAT category, the rules of its breakdown, rates and exemption reasons.
//
// A category is a cac:TaxCategory or cac:ClassifiedTaxCategory whose
// normalize-space(cbc:ID) is the code and, where the Schematron asks it,
// whose scheme is VAT (cac:TaxScheme/cbc:ID, upper-cased and spaces
// normalized). Amounts and rates are compared as xs:decimal compares
// them, by value: 25.0 is 25. An amount or rate that is not a number is
// reported once, by BR-DEC or UBL, and the rules that compute with it are
// not judged (the Schematron stops on it with an error); a missing one
// fails the rules whose test fails on an empty value, as the Schematron's
// does (xs:decimal(()) = 0 is false).

// vatCategory is a VAT category (UNCL 5305) and the shape of its rules
// BR-X-01 and BR-X-05 to BR-X-10, X its rule prefix.
type vatCategory struct {
	code, rule, name string
	// once: BR-X-01 asks exactly one breakdown of the category when a
	// line, an allowance, a charge or a breakdown is of it (E, Z, AE, K,
	// G, O); otherwise (S, L, M) at least one when a line, allowance or
	// charge is, and none when none is.
	once bool
	// vatOnly: BR-X-01 counts only categories of the VAT scheme (all but
	// BR-S-01, which counts any).
	vatOnly bool
	rate    rateTest // BR-X-05 to BR-X-07
	// exempt: the breakdown has an exemption reason or code (BR-X-10);
	// otherwise it has neither.
	exempt bool
	// byRate: BR-X-08 compares the breakdown's taxable amount, to 1, with
	// the lines, allowances and charges of its rate, and BR-X-09 its tax
	// amount, to 1, with taxable amount × rate (S, L, M); otherwise
	// BR-X-08 compares exactly with those of the category, and BR-X-09
	// asks a tax amount of 0.
	byRate bool
	// used: BR-S-08 also asks that a line, allowance or charge of the
	// breakdown's rate exists.
	used bool
}

// rateTest is the rate a line, allowance or charge of a category has
// (BR-X-05 to BR-X-07).
type rateTest int

const (
	rateZero        rateTest = iota // xs:decimal(cbc:Percent) = 0
	ratePositive                    // (cbc:Percent) > 0
	rateNonNegative                 // (cbc:Percent) >= 0
	rateAbsent                      // not(cbc:Percent)
)

// vatCategories5305 are the categories whose rules are checked: all of
// UNCL 5305 that EN 16931 allows but B (split payment, Italy).
var vatCategories5305 = []vatCategory{
	{code: "S", rule: "BR-S", name: "standard rated", rate: ratePositive, byRate: true, used: true},
	{code: "Z", rule: "BR-Z", name: "zero rated", once: true, vatOnly: true, rate: rateZero},
	{code: "E", rule: "BR-E", name: "exempt from VAT", once: true, vatOnly: true, rate: rateZero, exempt: true},
	{code: "AE", rule: "BR-AE", name: "reverse charge", once: true, vatOnly: true, rate: rateZero, exempt: true},
	{code: "K", rule: "BR-IC", name: "intra-community supply", once: true, vatOnly: true, rate: rateZero, exempt: true},
	{code: "G", rule: "BR-G", name: "export outside the EU", once: true, vatOnly: true, rate: rateZero, exempt: true},
	{code: "O", rule: "BR-O", name: "not subject to VAT", once: true, vatOnly: true, rate: rateAbsent, exempt: true},
	{code: "L", rule: "BR-IG", name: "IGIC (Canary Islands)", vatOnly: true, rate: rateNonNegative, byRate: true},
	{code: "M", rule: "BR-IP", name: "IPSI (Ceuta and Melilla)", vatOnly: true, rate: rateNonNegative, byRate: true},
}

// taxCategory returns a category's code, normalize-space(cbc:ID), and
// whether its scheme is VAT.
func taxCategory(cat *node) (code string, vat bool) {
	for _, s := range cat.all("cac:TaxScheme/cbc:ID") {
		if normalizeSpace(strings.ToUpper(s.text)) == "VAT" {
			vat = true
		}
	}
	return normalizeSpace(raw(cat, "cbc:ID")), vat
}

// indicator reads cbc:ChargeIndicator: charge, and whether it is true or
// false (another value is UBL's error, and the rules that sum by it are
// not judged).
func indicator(ac *node) (charge, ok bool) {
	switch ac.value("cbc:ChargeIndicator") {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// rateKey is a rate as a map key: its value, 25.0 and 25 alike.
func rateKey(d decimal.Decimal) string { return d.String() }

// vatSums are the sums BR-X-08 compares the breakdowns with, made in one
// pass over the lines and document-level allowances and charges: by
// category, and by category and rate. A sum that cannot be judged (an
// amount or, by rate, a rate that is not a number, or an allowance or
// charge that is neither) is marked unknown.
type vatSums struct {
	byCat        map[string]decimal.Decimal
	unknownCat   map[string]bool
	byRate       map[string]map[string]decimal.Decimal
	unknownRate  map[string]bool
	usedRate     map[string]map[string]bool // a line or allowance/charge (any level) of the category and rate exists
	unknownUsed  map[string]bool
	relevantCode map[string]bool
}

func (c *checker) vatSums() *vatSums {
	s := &vatSums{byCat: map[string]decimal.Decimal{}, unknownCat: map[string]bool{}, byRate: map[string]map[string]decimal.Decimal{},
		unknownRate: map[string]bool{}, usedRate: map[string]map[string]bool{}, unknownUsed: map[string]bool{}, relevantCode: map[string]bool{}}
	for _, vc := range vatCategories5305 {
		s.relevantCode[vc.code] = true
	}
	// add adds amount to the sums of the codes and rates of cats (a line's
	// classified categories, an allowance's or charge's categories).
	add := func(cats []*node, amount decimal.Decimal, known, sum bool) {
		codes := map[string]bool{}
		for _, cat := range cats {
			if code, _ := taxCategory(cat); s.relevantCode[code] {
				codes[code] = true
			}
		}
		for code := range codes {
			if sum {
				s.byCat[code] = s.byCat[code].Add(amount)
				s.unknownCat[code] = s.unknownCat[code] || !known
			}
			rates := map[string]bool{}
			for _, cat := range cats {
				if cat.one("cbc:Percent") == nil {
					continue
				}
				p, ok := cat.number("cbc:Percent")
				if !ok {
					s.unknownRate[code], s.unknownUsed[code] = true, true
					continue
				}
				rates[rateKey(p)] = true
			}
			for k := range rates {
				if s.usedRate[code] == nil {
					s.usedRate[code] = map[string]bool{}
				}
				s.usedRate[code][k] = true
				if !sum {
					continue
				}
				if s.byRate[code] == nil {
					s.byRate[code] = map[string]decimal.Decimal{}
				}
				s.byRate[code][k] = s.byRate[code][k].Add(amount)
				s.unknownRate[code] = s.unknownRate[code] || !known
			}
		}
	}
	for _, l := range c.root.all("cac:InvoiceLine") {
		a, ok := l.addend("cbc:LineExtensionAmount")
		add(l.all("cac:Item/cac:ClassifiedTaxCategory"), a, ok, true)
	}
	c.root.walk(func(ac *node) {
		if ac.name != "cac:AllowanceCharge" {
			return
		}
		cats := ac.all("cac:TaxCategory")
		if len(cats) == 0 {
			return
		}
		doc := ac.parent == c.root
		a, ok := ac.addend("cbc:Amount")
		charge, okI := indicator(ac)
		if !okI {
			if doc {
				add(cats, decimal.Zero, false, true)
			} else {
				add(cats, decimal.Zero, true, false)
			}
			return
		}
		if !charge {
			a = a.Neg()
		}
		add(cats, a, ok, doc)
	})
	return s
}

// vat checks the VAT breakdown and the rules of each VAT category.
func (c *checker) vat() {
	r := c.root
	var subtotals []*node
	for _, tt := range r.all("cac:TaxTotal") {
		subtotals = append(subtotals, tt.all("cac:TaxSubtotal")...)
	}
	for _, st := range subtotals {
		c.breakdown(st)
	}
	// Every category in the document, by where it is.
	var classified, acCats, breakdownCats []*node
	r.walk(func(n *node) {
		switch {
		case n.name == "cac:ClassifiedTaxCategory":
			classified = append(classified, n)
		case n.name == "cac:TaxCategory" && n.parent != nil && n.parent.name == "cac:AllowanceCharge":
			acCats = append(acCats, n)
		}
	})
	for _, st := range subtotals {
		breakdownCats = append(breakdownCats, st.all("cac:TaxCategory")...)
	}
	sums := c.vatSums()
	for _, vc := range vatCategories5305 {
		c.vatCategory(vc, classified, acCats, breakdownCats, sums)
	}
	c.notSubject(classified, acCats, breakdownCats)
	// BR-E-02: an exempt line asks for the seller's tax registration or
	// its tax representative's VAT identifier.
	for _, cat := range classified {
		if code, vat := taxCategory(cat); code == exemptCategory && vat {
			if r.one("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID") == nil && !repVAT(r) {
				seller := r.one("cac:AccountingSupplierParty/cac:Party")
				if seller == nil {
					seller = r
				}
				c.fail("BR-E-02", seller,
					"an exempt invoice without the seller's VAT identifier or tax registration (cac:PartyTaxScheme/cbc:CompanyID)")
			}
			break
		}
	}
}

// repVAT reports whether the seller's tax representative has a VAT
// identifier.
func repVAT(r *node) bool {
	for _, ts := range r.all("cac:TaxRepresentativeParty/cac:PartyTaxScheme") {
		if _, vat := taxCategory(ts); vat && ts.one("cbc:CompanyID") != nil {
			return true
		}
	}
	return false
}

// breakdown checks a VAT breakdown (BG-23): its amounts and category
// (BR-45 to BR-48) and its tax amount (BR-CO-17).
func (c *checker) breakdown(st *node) {
	if st.one("cbc:TaxableAmount") == nil {
		c.fail("BR-45", st, "the VAT breakdown has no taxable amount (cbc:TaxableAmount)")
	}
	if st.one("cbc:TaxAmount") == nil {
		c.fail("BR-46", st, "the VAT breakdown has no VAT amount (cbc:TaxAmount)")
	}
	var percents []*node
	hasID, isO := false, false
	for _, cat := range st.all("cac:TaxCategory") {
		code, vat := taxCategory(cat)
		if !vat {
			continue
		}
		hasID = hasID || cat.one("cbc:ID") != nil
		isO = isO || code == "O"
		percents = append(percents, cat.all("cbc:Percent")...)
	}
	if !hasID {
		c.fail("BR-47", st, "the VAT breakdown has no VAT category (cac:TaxCategory/cbc:ID of the scheme VAT)")
	}
	if len(percents) == 0 && !isO {
		c.fail("BR-48", st, "the VAT breakdown has no VAT rate (cac:TaxCategory/cbc:Percent), and is not of category O")
	}
	// BR-CO-17: (round(rate) = 0 and round(tax) = 0) or (round(rate) != 0
	// and |tax| − 1 < round(|taxable| × rate ÷ 100 × 100) ÷ 100 < |tax| + 1)
	// or (no rate and round(tax) = 0); round() rounds half up.
	if len(percents) > 1 {
		return // xs:decimal of several rates is the Schematron's error
	}
	tax, okT := optNumber(st, "cbc:TaxAmount")
	taxable, okB := optNumber(st, "cbc:TaxableAmount")
	if !okT || !okB {
		return
	}
	roundsToZero := func(d *decimal.Decimal) bool { return d != nil && xpathRound(*d).IsZero() }
	if len(percents) == 0 {
		if !roundsToZero(tax) {
			c.fail("BR-CO-17", st, "the VAT amount %s of a breakdown without a rate is not 0", show(tax))
		}
		return
	}
	rate, ok := plainDecimal(xmlTrim(percents[0].text))
	if !ok {
		return // UBL
	}
	if xpathRound(rate).IsZero() {
		if !roundsToZero(tax) {
			c.fail("BR-CO-17", st, "the VAT amount %s at the rate %s is not 0", show(tax), rate)
		}
		return
	}
	if !taxWithin(tax, taxable, rate) {
		c.fail("BR-CO-17", st, "the VAT amount %s is not the taxable amount %s × %s %% (%s), to within 1", show(tax), show(taxable), rate, expectedTax(taxable, rate))
	}
}

// optNumber returns the number at path, nil when there is none, and
// whether it can be judged: false when it is there and no number.
func optNumber(n *node, path string) (*decimal.Decimal, bool) {
	m := n.one(path)
	if m == nil {
		return nil, true
	}
	d, ok := plainDecimal(xmlTrim(m.text))
	if !ok {
		return nil, false
	}
	return &d, true
}

func show(d *decimal.Decimal) string {
	if d == nil {
		return "(missing)"
	}
	return d.String()
}

// xpathRound is XPath's round(): to the nearest whole number, a half
// towards positive infinity.
func xpathRound(d decimal.Decimal) decimal.Decimal {
	return d.Add(decimal.New(5, -1)).Floor()
}

// expectedTax is round(|taxable| × rate ÷ 100 × 100) ÷ 100, the VAT
// amount BR-CO-17 and BR-S-09 compare with.
func expectedTax(taxable *decimal.Decimal, rate decimal.Decimal) string {
	if taxable == nil {
		return "unknown"
	}
	return xpathRound(taxable.Abs().Mul(rate)).Div(decimal.NewFromInt(100)).String()
}

// taxWithin is the test of BR-CO-17 and BR-S-09: |tax| − 1 < round(|taxable|
// × rate ÷ 100 × 100) ÷ 100 < |tax| + 1; false when an amount is missing.
func taxWithin(tax, taxable *decimal.Decimal, rate decimal.Decimal) bool {
	if tax == nil || taxable == nil {
		return false
	}
	want := xpathRound(taxable.Abs().Mul(rate)).Div(decimal.NewFromInt(100))
	one := decimal.NewFromInt(1)
	return tax.Abs().Sub(one).LessThan(want) && tax.Abs().Add(one).GreaterThan(want)
}

// vatCategory checks the rules of one category: BR-X-01 (its breakdowns),
// BR-X-05 to BR-X-07 (the rates of its lines, allowances and charges),
// BR-X-08 to BR-X-10 (each of its breakdowns: the taxable amount, the
// VAT amount, the exemption reason).
func (c *checker) vatCategory(vc vatCategory, classified, acCats, breakdownCats []*node, sums *vatSums) {
	is := func(cat *node, vatOnly bool) bool {
		code, vat := taxCategory(cat)
		return code == vc.code && (vat || !vatOnly)
	}
	count := func(cats []*node) int {
		n := 0
		for _, cat := range cats {
			if is(cat, vc.vatOnly) {
				n++
			}
		}
		return n
	}
	used, breakdowns := count(classified)+count(acCats), count(breakdownCats)
	switch {
	case vc.once && (used > 0 || breakdowns > 0) && breakdowns != 1:
		c.fail(vc.rule+"-01", c.root, "%d VAT breakdowns of category %s (%s), want exactly one when a line, allowance or charge is of it",
			breakdowns, vc.code, vc.name)
	case !vc.once && used > 0 && breakdowns == 0:
		c.fail(vc.rule+"-01", c.root, "lines, allowances or charges of category %s (%s) without a VAT breakdown of it", vc.code, vc.name)
	case !vc.once && used == 0 && breakdowns > 0:
		c.fail(vc.rule+"-01", c.root, "a VAT breakdown of category %s (%s) without a line, allowance or charge of it", vc.code, vc.name)
	}

	// BR-X-05 to BR-X-07: the rates, for categories of the scheme VAT.
	for _, cat := range classified {
		if is(cat, true) && cat.parent != nil && cat.parent.name == "cac:Item" && cat.parent.parent != nil && cat.parent.parent.name == "cac:InvoiceLine" {
			c.rate(vc, vc.rule+"-05", cat, "a line")
		}
	}
	for _, cat := range acCats {
		if !is(cat, true) {
			continue
		}
		switch charge, ok := indicator(cat.parent); {
		case ok && charge:
			c.rate(vc, vc.rule+"-07", cat, "a charge")
		case ok:
			c.rate(vc, vc.rule+"-06", cat, "an allowance")
		}
	}

	// BR-X-08 to BR-X-10, for each breakdown of the category (of the
	// scheme VAT) in a tax total of the invoice.
	for _, cat := range breakdownCats {
		if !is(cat, true) {
			continue
		}
		st := cat.parent
		if vc.exempt && cat.one("cbc:TaxExemptionReason") == nil && cat.one("cbc:TaxExemptionReasonCode") == nil {
			c.fail(vc.rule+"-10", cat, "category %s (%s) without an exemption reason or code", vc.code, vc.name)
		}
		if !vc.exempt && (cat.one("cbc:TaxExemptionReason") != nil || cat.one("cbc:TaxExemptionReasonCode") != nil) {
			c.fail(vc.rule+"-10", cat, "category %s (%s) with an exemption reason or code", vc.code, vc.name)
		}
		taxable, okB := optNumber(st, "cbc:TaxableAmount")
		tax, okT := optNumber(st, "cbc:TaxAmount")
		at := st.one("cbc:TaxableAmount")
		if at == nil {
			at = st
		}
		if !vc.byRate {
			want := sums.byCat[vc.code]
			if okB && !sums.unknownCat[vc.code] && (taxable == nil || !taxable.Equal(want)) {
				c.fail(vc.rule+"-08", at, "the taxable amount of category %s is %s, want the lines − allowances + charges of it, %s", vc.code, show(taxable), want)
			}
			if okT && (tax == nil || !tax.IsZero()) {
				c.fail(vc.rule+"-09", cat, "the VAT amount of category %s (%s) is %s, want 0", vc.code, vc.name, show(tax))
			}
			continue
		}
		// By rate: "every $rate in xs:decimal(cbc:Percent)", nothing to
		// judge when the breakdown has no rate (BR-48 says so).
		percents := cat.all("cbc:Percent")
		if len(percents) != 1 {
			continue
		}
		rate, ok := plainDecimal(xmlTrim(percents[0].text))
		if !ok {
			continue // UBL
		}
		k := rateKey(rate)
		if !sums.unknownRate[vc.code] && !sums.unknownUsed[vc.code] && okB {
			want := sums.byRate[vc.code][k]
			one := decimal.NewFromInt(1)
			switch {
			case vc.used && !sums.usedRate[vc.code][k]:
				c.fail(vc.rule+"-08", at, "a VAT breakdown of category %s at %s %% without a line, allowance or charge of that rate", vc.code, rate)
			case taxable == nil || !taxable.Sub(one).LessThan(want) || !taxable.Add(one).GreaterThan(want):
				c.fail(vc.rule+"-08", at, "the taxable amount of category %s at %s %% is %s, want the lines − allowances + charges of it, %s (to within 1)",
					vc.code, rate, show(taxable), want)
			}
		}
		if okT && okB && !taxWithin(tax, taxable, rate) {
			c.fail(vc.rule+"-09", cat, "the VAT amount of category %s is %s, want the taxable amount %s × %s %% = %s (to within 1)",
				vc.code, show(tax), show(taxable), rate, expectedTax(taxable, rate))
		}
	}
}

// rate checks the rate of a line's, allowance's or charge's category.
func (c *checker) rate(vc vatCategory, rule string, cat *node, what string) {
	p := cat.one("cbc:Percent")
	if vc.rate == rateAbsent {
		if p != nil {
			c.fail(rule, cat, "%s of category %s (%s) has a VAT rate, want none", what, vc.code, vc.name)
		}
		return
	}
	if p == nil {
		c.fail(rule, cat, "%s of category %s (%s) has no VAT rate", what, vc.code, vc.name)
		return
	}
	d, ok := plainDecimal(xmlTrim(p.text))
	if !ok {
		return // UBL
	}
	switch {
	case vc.rate == rateZero && !d.IsZero():
		c.fail(rule, cat, "%s of category %s (%s) has the VAT rate %s, want 0", what, vc.code, vc.name, d)
	case vc.rate == ratePositive && !d.IsPositive():
		c.fail(rule, cat, "%s of category %s (%s) has the VAT rate %s, want more than 0", what, vc.code, vc.name, d)
	case vc.rate == rateNonNegative && d.IsNegative():
		c.fail(rule, cat, "%s of category %s (%s) has the VAT rate %s, want 0 or more", what, vc.code, vc.name, d)
	}
}

// notSubject checks BR-O-11 to BR-O-14: an invoice with a VAT breakdown
// of category O has no other breakdown, and no line, allowance or charge
// of another category (of the scheme VAT).
func (c *checker) notSubject(classified, acCats, breakdownCats []*node) {
	other := func(cats []*node, keep func(*node) bool) *node {
		for _, cat := range cats {
			if code, vat := taxCategory(cat); vat && code != "O" && keep(cat) {
				return cat
			}
		}
		return nil
	}
	every := func(*node) bool { return true }
	hasO := false
	for _, cat := range breakdownCats {
		if code, vat := taxCategory(cat); vat && code == "O" {
			hasO = true
		}
	}
	if !hasO {
		return
	}
	if n := other(breakdownCats, every); n != nil {
		c.fail("BR-O-11", n, "a VAT breakdown of category %s beside one of category O (not subject to VAT)", normalizeSpace(raw(n, "cbc:ID")))
	}
	if n := other(classified, every); n != nil {
		c.fail("BR-O-12", n, "a line of category %s in an invoice not subject to VAT (a breakdown of category O)", normalizeSpace(raw(n, "cbc:ID")))
	}
	if n := other(acCats, func(cat *node) bool { ch, ok := indicator(cat.parent); return ok && !ch }); n != nil {
		c.fail("BR-O-13", n, "an allowance of category %s in an invoice not subject to VAT (a breakdown of category O)", normalizeSpace(raw(n, "cbc:ID")))
	}
	if n := other(acCats, func(cat *node) bool { ch, ok := indicator(cat.parent); return ok && ch }); n != nil {
		c.fail("BR-O-14", n, "a charge of category %s in an invoice not subject to VAT (a breakdown of category O)", normalizeSpace(raw(n, "cbc:ID")))
	}
}
