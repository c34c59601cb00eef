package invoice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/reimbursement"
)

func privatXML(t *testing.T, opts PeppolOptions) string {
	t.Helper()
	_, _, bases := tyreso(t)
	var buf bytes.Buffer
	writeInvoice(t, &buf, bases[1], opts)
	return buf.String()
}

// writeInvoice writes b's Peppol invoice to w.
func writeInvoice(t testing.TB, w io.Writer, b *Basis, opts PeppolOptions) {
	t.Helper()
	inv, err := b.Peppol(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.WriteXML(w); err != nil {
		t.Fatal(err)
	}
}

// ruleIDs returns the ids of the rules err breaks, in order.
func ruleIDs(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("not a list of rules: %v", err)
	}
	var ids []string
	for _, e := range joined.Unwrap() {
		var re *RuleError
		if !errors.As(e, &re) {
			t.Fatalf("not a rule: %v", e)
		}
		ids = append(ids, re.Rule)
	}
	return ids
}

// The private provider's invoice for March 2021 (the basis worked in
// TestBuildTyreso): four invoice lines, two charges of VAT compensation.
//
//	lines    2910.00 + 282.00 + 808.33 + 145.55 = 4145.88 (BR-CO-10)
//	charges  47.88 + 14.31                      =   62.19 (BR-CO-12)
//	without VAT 4145.88 + 62.19 = 4208.07 (BR-CO-13); VAT 0.00 in
//	category E; with VAT and due 4208.07, the provider's total.
//
// Line arithmetic (R120): 450 MIN × 388.00 ÷ 60 = 2910.00; 31 DAY ×
// 282.00 ÷ 31 = 282.00; 125 × 388.00 ÷ 60 = 808.333 → 808.33; 16 × 282.00
// ÷ 31 = 145.548 → 145.55. Charges (R040): 3192.00 × 1.5 % = 47.88;
// 953.88 × 1.5 % = 14.3082, within 0.02 of 14.31.
func TestPeppolTyreso(t *testing.T) {
	x := privatXML(t, PeppolOptions{})
	if err := Validate(strings.NewReader(x)); err != nil {
		t.Fatalf("the generated invoice breaks rules:\n%v", err)
	}
	for _, want := range []string{
		`<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>`,
		`<cbc:LineExtensionAmount currencyID="SEK">4145.88</cbc:LineExtensionAmount>`,
		`<cbc:ChargeTotalAmount currencyID="SEK">62.19</cbc:ChargeTotalAmount>`,
		`<cbc:TaxExclusiveAmount currencyID="SEK">4208.07</cbc:TaxExclusiveAmount>`,
		`<cbc:PayableAmount currencyID="SEK">4208.07</cbc:PayableAmount>`,
		`<cbc:InvoicedQuantity unitCode="MIN">450</cbc:InvoicedQuantity>`,
		`<cbc:BaseQuantity unitCode="DAY">31</cbc:BaseQuantity>`,
		`<cbc:EndpointID schemeID="0007">5566778899</cbc:EndpointID>`,
		`<cbc:CompanyID schemeID="0007">2120000142</cbc:CompanyID>`,
		`<cbc:TaxExemptionReasonCode>VATEX-EU-132-1G</cbc:TaxExemptionReasonCode>`,
		`<cbc:ID>SE:BANKGIRO</cbc:ID>`,
		`<cbc:ID>50501055</cbc:ID>`,
		`<cbc:MultiplierFactorNumeric>1.5</cbc:MultiplierFactorNumeric>`,
		`<cbc:BaseAmount currencyID="SEK">953.88</cbc:BaseAmount>`,
	} {
		if !strings.Contains(x, want) {
			t.Errorf("invoice lacks %s", want)
		}
	}
	golden(t, "privat-2021-03.xml", []byte(x))
}

func TestPeppolSelfBilling(t *testing.T) {
	x := privatXML(t, PeppolOptions{SelfBilling: true})
	if err := Validate(strings.NewReader(x)); err != nil {
		t.Fatalf("the self-billed invoice breaks rules:\n%v", err)
	}
	if !strings.Contains(x, "<cbc:InvoiceTypeCode>389</cbc:InvoiceTypeCode>") || !strings.Contains(x, SelfBillingCustomization) {
		t.Error("not a self-billed invoice")
	}
}

// checkIDs returns the ids of the rules doc breaks as Check reports them:
// the fatal rules, then the warnings, each marked " (warning)". The
// fatal ones are Validate's.
func checkIDs(t *testing.T, doc string) []string {
	t.Helper()
	warnings, err := Check(strings.NewReader(doc))
	ids := ruleIDs(t, err)
	if d := cmp.Diff(ids, ruleIDs(t, Validate(strings.NewReader(doc)))); d != "" {
		t.Errorf("Check's fatal rules are not Validate's (-Check +Validate):\n%s", d)
	}
	for _, w := range warnings {
		if !w.Warning {
			t.Errorf("%v among the warnings", w)
		}
		ids = append(ids, w.Rule+" (warning)")
	}
	return ids
}

// Each broken invoice breaks the rules named, and no other; a warning
// is marked so, and is no error of Validate.
func TestValidateFindsBrokenRules(t *testing.T) {
	x := privatXML(t, PeppolOptions{})
	for _, tc := range []struct {
		name     string
		old, new string
		want     []string
	}{
		{"payable", `<cbc:PayableAmount currencyID="SEK">4208.07<`, `<cbc:PayableAmount currencyID="SEK">4208.70<`, []string{"BR-CO-16"}},
		{"line amount", `<cbc:LineExtensionAmount currencyID="SEK">808.33<`, `<cbc:LineExtensionAmount currencyID="SEK">808.43<`,
			[]string{"PEPPOL-EN16931-R120", "BR-CO-10", "BR-E-08"}},
		{"buyer reference", `<cbc:BuyerReference>Socialförvaltningen 4711</cbc:BuyerReference>`, ``, []string{"PEPPOL-EN16931-R003"}},
		// A Swedish organisation number under scheme 0007 has a valid
		// check digit (PEPPOL-COMMON-R049, fatal); the seller's, scheme
		// or not, should have one (SE-R-013, a warning).
		{"org check digit", `<cbc:CompanyID schemeID="0007">5566778899<`, `<cbc:CompanyID schemeID="0007">5566778898<`,
			[]string{"PEPPOL-COMMON-R049", "SE-R-013 (warning)"}},
		{"three decimals", `<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>
    <cac:TaxSubtotal>`, `<cbc:TaxAmount currencyID="SEK">0.000</cbc:TaxAmount>
    <cac:TaxSubtotal>`, []string{"BR-DEC"}},
		{"currency", `<cbc:ChargeTotalAmount currencyID="SEK">`, `<cbc:ChargeTotalAmount currencyID="EUR">`, []string{"PEPPOL-EN16931-R051"}},
		{"unit", `unitCode="MIN">450<`, `unitCode="MINUTE">450<`, []string{"PEPPOL-EN16931-R130", "BR-CL-23"}},
		{"base unit", `<cbc:BaseQuantity unitCode="DAY">31<`, `<cbc:BaseQuantity unitCode="MON">31<`, []string{"PEPPOL-EN16931-R130"}},
		{"charge", `<cbc:Amount currencyID="SEK">47.88</cbc:Amount>`, `<cbc:Amount currencyID="SEK">47.98</cbc:Amount>`,
			[]string{"PEPPOL-EN16931-R040", "BR-CO-12", "BR-E-08"}},
		{"type", `<cbc:InvoiceTypeCode>380<`, `<cbc:InvoiceTypeCode>389<`, []string{"INVOICE-SB-01"}},
		{"bankgiro", `<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>5050</cbc:ID>`, []string{"SE-R-009 (warning)"}},
		{"empty note", `<cbc:Note>`, `<cbc:Note></cbc:Note><cbc:Note>`, []string{"PEPPOL-EN16931-R002", "PEPPOL-EN16931-R008"}},
		{"vat prefix", `<cbc:CompanyID>SE556677889901</cbc:CompanyID>`, `<cbc:CompanyID>556677889901</cbc:CompanyID>`, []string{"BR-CO-09"}},
		// Amounts are plain decimals of at most two decimals, as written,
		// whatever their value: 4208.070 is 4208.07 with three decimals,
		// and 4.20807E3 is 4208.07 in exponent notation, which
		// xs:decimal is not. An amount that is no number is reported
		// once, and the totals that add it up are not judged on a
		// guess: 8.0833E2 on a line is not summed as 808.33 or as 0.
		{"three decimals, same value", `<cbc:PayableAmount currencyID="SEK">4208.07<`, `<cbc:PayableAmount currencyID="SEK">4208.070<`,
			[]string{"BR-DEC"}},
		{"three decimals on a line", `<cbc:LineExtensionAmount currencyID="SEK">808.33<`, `<cbc:LineExtensionAmount currencyID="SEK">808.333<`,
			[]string{"BR-CO-10", "BR-DEC", "BR-E-08"}},
		{"exponent", `<cbc:PayableAmount currencyID="SEK">4208.07<`, `<cbc:PayableAmount currencyID="SEK">4.20807E3<`, []string{"BR-DEC"}},
		{"exponent on a line", `<cbc:LineExtensionAmount currencyID="SEK">808.33<`, `<cbc:LineExtensionAmount currencyID="SEK">8.0833E2<`,
			[]string{"BR-DEC"}},
		{"exponent charge", `<cbc:Amount currencyID="SEK">47.88</cbc:Amount>`, `<cbc:Amount currencyID="SEK">4.788e1</cbc:Amount>`,
			[]string{"BR-DEC"}},
		{"hexadecimal", `<cbc:PayableAmount currencyID="SEK">4208.07<`, `<cbc:PayableAmount currencyID="SEK">0x1070<`, []string{"BR-DEC"}},
		{"amount without currency", `<cbc:PayableAmount currencyID="SEK">4208.07<`, `<cbc:PayableAmount>4208.07<`, []string{"UBL"}},
		{"exponent quantity", `unitCode="MIN">450<`, `unitCode="MIN">4.5E2<`, []string{"UBL"}},
		{"exponent percentage", `<cbc:MultiplierFactorNumeric>1.5<`, `<cbc:MultiplierFactorNumeric>15E-1<`, []string{"UBL"}},
		// Plain decimals as xs:decimal writes them are numbers.
		{"plus sign", `<cbc:PayableAmount currencyID="SEK">4208.07<`, `<cbc:PayableAmount currencyID="SEK">+4208.07<`, nil},
		{"no integer digit", `<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>
    <cac:TaxSubtotal>`, `<cbc:TaxAmount currencyID="SEK">.00</cbc:TaxAmount>
    <cac:TaxSubtotal>`, nil},
		// Dates are YYYY-MM-DD and exist (PEPPOL-EN16931-F001); a period
		// with a date that is none is not judged by BR-29.
		{"month 13", `<cbc:IssueDate>2021-04-01<`, `<cbc:IssueDate>2021-13-45<`, []string{"PEPPOL-EN16931-F001"}},
		{"30 February", `<cbc:EndDate>2021-03-31<`, `<cbc:EndDate>2021-02-30<`, []string{"PEPPOL-EN16931-F001"}},
		{"short date", `<cbc:DueDate>2021-05-01<`, `<cbc:DueDate>2021-5-1<`, []string{"PEPPOL-EN16931-F001"}},
		{"date with zone", `<cbc:StartDate>2021-03-01<`, `<cbc:StartDate>2021-03-01Z<`, []string{"PEPPOL-EN16931-F001"}},
		{"date and time", `<cbc:IssueDate>2021-04-01<`, `<cbc:IssueDate>2021-04-01T00:00:00<`, []string{"PEPPOL-EN16931-F001"}},
		{"period backwards", `<cbc:EndDate>2021-03-31<`, `<cbc:EndDate>2021-02-28<`, []string{"BR-29"}},
		// An electronic address has a scheme (BR-62 for the seller, BR-63
		// for the buyer) from the code list (BR-CL-25).
		{"seller endpoint scheme", `<cbc:EndpointID schemeID="0007">5566778899<`, `<cbc:EndpointID>5566778899<`, []string{"BR-62"}},
		{"buyer endpoint scheme", `<cbc:EndpointID schemeID="0007">2120000142<`, `<cbc:EndpointID>2120000142<`, []string{"BR-63"}},
		{"empty endpoint scheme", `<cbc:EndpointID schemeID="0007">5566778899<`, `<cbc:EndpointID schemeID="">5566778899<`, []string{"BR-CL-25"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(x, tc.old) {
				t.Fatalf("the invoice lacks %q", tc.old)
			}
			got := checkIDs(t, strings.Replace(x, tc.old, tc.new, 1))
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("rules (-want +got):\n%s", d)
			}
		})
	}
}

// A seller known by name only cannot be identified (BR-CO-26), states no
// VAT or tax registration for its exempt supply (BR-E-02) and cannot be
// reached (PEPPOL-EN16931-R020).
func TestValidateAnonymousSeller(t *testing.T) {
	_, _, bases := tyreso(t)
	b := *bases[1]
	b.Seller = Party{Name: "Okänd AB"}
	var buf bytes.Buffer
	writeInvoice(t, &buf, &b, PeppolOptions{})
	got := ruleIDs(t, Validate(&buf))
	if d := cmp.Diff([]string{"BR-CO-26", "BR-E-02", "PEPPOL-EN16931-R020"}, got); d != "" {
		t.Errorf("rules (-want +got):\n%s", d)
	}
}

func TestValidateNotXML(t *testing.T) {
	if err := Validate(strings.NewReader("<Invoice><a>")); err == nil {
		t.Fatal("no error for broken XML")
	}
	err := Validate(strings.NewReader("<CreditNote/>"))
	if ids := ruleIDs(t, err); len(ids) != 1 || ids[0] != "UBL" {
		t.Fatalf("CreditNote: %v", err)
	}
}

func FuzzValidate(f *testing.F) {
	if golden, err := os.ReadFile("testdata/privat-2021-03.xml"); err == nil {
		f.Add(golden)
	}
	f.Add([]byte("<Invoice/>"))
	f.Add([]byte(`<Invoice xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>1</cbc:ID></Invoice>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = Validate(bytes.NewReader(b))
	})
}

// BenchmarkPeppol builds, writes and validates the private provider's
// invoice of the Tyresö month.
func BenchmarkPeppol(b *testing.B) {
	book, ds, p := inputs(b)
	s, err := reimbursement.Settle(context.Background(), book, ds, p, reimbursement.Options{NoExplain: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		bases, err := Build(s, ds, testOptions())
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		writeInvoice(b, &buf, bases[1], PeppolOptions{})
		if err := Validate(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

// hostileXML returns the three shapes of document that made Validate
// quadratic or exhausted its memory (found by attack): n sibling
// elements (each numbered by scanning the ones before: 160 000 took
// 48 s), an element's text cut by n comments (the text concatenated
// piece by piece: 40 000 took 21 s), and n children of an element with a
// 100 KB name (each child's path held the name: 10 000 allocated 2 GB).
func hostileXML(n int) map[string][]byte {
	const head = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">`
	long := strings.Repeat("x", 100_000)
	return map[string][]byte{
		"siblings":  []byte(head + strings.Repeat("<a/>", n) + "</Invoice>"),
		"comments":  []byte(head + "<a>" + strings.Repeat(strings.Repeat("t", 64)+"<!---->", n) + "</a></Invoice>"),
		"long name": []byte(head + "<" + long + ">" + strings.Repeat("<b/>", n) + "</" + long + "></Invoice>"),
	}
}

// Validate's memory is linear in the document: each hostile document
// with four times the elements allocates under five times as much (a
// linear cost gives at most four, a quadratic one sixteen), and under 200
// bytes per byte, about what encoding/xml's own tokens cost for elements
// of four bytes (<a/>), so that a million-node invoice, the most parse
// takes, stays under a gigabyte. Before, the long name's 10 000 paths took
// 2 GB for 240 KB. Time is measured by BenchmarkValidateHostile.
func TestValidateHostileMemory(t *testing.T) {
	alloc := func(doc []byte) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_ = Validate(bytes.NewReader(doc))
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := hostileXML(10_000), hostileXML(40_000)
	for name := range small {
		s, l := alloc(small[name]), alloc(large[name])
		if l > 5*s || l > 200*uint64(len(large[name])) {
			t.Errorf("%s: %d bytes allocated for %d elements (%d bytes), %d for four times the elements (%d bytes)",
				name, s, 10_000, len(small[name]), l, len(large[name]))
		}
	}
}

// BenchmarkValidateHostile validates the hostile documents at growing
// sizes: ns/element stays flat where it grew with the size.
func BenchmarkValidateHostile(b *testing.B) {
	for _, n := range []int{10_000, 40_000, 160_000} {
		for name, doc := range hostileXML(n) {
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				for b.Loop() {
					_ = Validate(bytes.NewReader(doc))
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/element")
			})
		}
	}
}

// What Validate says is bounded: 150 empty elements break R008 150 times;
// the first MaxRuleErrors are listed and a last rule, MORE, counts the
// other 50 (150 − 100), and a name of 100 000 bytes is shown by its first
// 48 and its length.
func TestValidateSaysLittle(t *testing.T) {
	long := strings.Repeat("n", 100_000)
	doc := `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><` + long + `>` +
		strings.Repeat("<e/>", 150) + `</` + long + `></Invoice>`
	err := Validate(strings.NewReader(doc))
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("not a list of rules: %v", err)
	}
	rules := joined.Unwrap()
	if len(rules) != MaxRuleErrors+1 {
		t.Fatalf("%d rules listed, want %d and MORE", len(rules), MaxRuleErrors)
	}
	var last *RuleError
	if !errors.As(rules[len(rules)-1], &last) || last.Rule != "MORE" {
		t.Fatalf("last rule %v, want MORE", rules[len(rules)-1])
	}
	// The document breaks more rules than the 150 (the required fields
	// are missing), so MORE counts at least 50.
	var more int
	if _, err := fmt.Sscanf(last.Msg, "%d more broken rules", &more); err != nil || more < 50 {
		t.Errorf("MORE says %q", last.Msg)
	}
	if n := len(err.Error()); n > 100*300 {
		t.Errorf("the error is %d bytes", n)
	}
	want := "/Invoice/" + strings.Repeat("n", 48) + "… (100000 bytes)[1]/e[1]"
	found := false
	for _, e := range rules {
		var re *RuleError
		if errors.As(e, &re) && re.Rule == "PEPPOL-EN16931-R008" {
			found = true
			if re.Path != want {
				t.Errorf("path %q, want %q", re.Path, want)
			}
			break
		}
	}
	if !found {
		t.Error("no R008 listed")
	}
}

// tyresoScale settles Tyresö's March 2021 under its tariff rounded to
// scale decimals and builds the bases.
func tyresoScale(t *testing.T, scale int) (*reimbursement.Settlement, []*Basis) {
	t.Helper()
	_, ds, march := inputs(t)
	b, err := os.ReadFile("testdata/tariffs/tyreso-2021.json")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), `"scale": 2`, fmt.Sprintf(`"scale": %d`, scale), 1)
	if src == string(b) {
		t.Fatal("the tariff has no scale 2 to replace")
	}
	book, err := reimbursement.LoadBook(fstest.MapFS{"tariffs/tyreso-2021.json": {Data: []byte(src)}}, "tariffs")
	if err != nil {
		t.Fatal(err)
	}
	s, err := reimbursement.Settle(context.Background(), book, ds, march, reimbursement.Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	bases, err := Build(s, ds, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	return s, bases
}

// A tariff rounding to three decimals gives amounts of fractions of an
// öre, which an invoice cannot carry (BR-DEC: two decimals at most) and
// rounding would part from the settlement: Peppol refuses the basis,
// naming each such line and its amount (found by attack: they were
// written with three decimals, without an error). The private provider's
// March 2021 at scale 3:
//
//	t2: 450 min × 388.00 ÷ 60 = 2910.000, alarm 31 × 282.00 ÷ 31 = 282.000,
//	    compensation (2910.000 + 282.000) × 1.5 % = 47.880: whole öre
//	t3: 125 min × 388.00 ÷ 60 = 808.3333… → 808.333
//	    alarm 16 × 282.00 ÷ 31 = 145.5483… → 145.548
//	    compensation (808.333 + 145.548) × 1.5 % = 953.881 × 0.015
//	    = 14.308215 → 14.308
//
// The basis keeps the settlement's amounts (its CSV and HTML show them);
// the invoice of t2 alone, whose amounts are whole öre though written
// with three decimals, is written with two (2910.00, 282.00, 47.88;
// payable 2910.00 + 282.00 + 47.88 = 3239.88) and keeps the rules.
func TestPeppolRefusesFractionsOfÖre(t *testing.T) {
	_, bases := tyresoScale(t, 3)
	b := bases[1]
	if b.Total.String() != "4208.069" {
		t.Errorf("the basis's total is %s, want 2910.000 + 282.000 + 47.880 + 808.333 + 145.548 + 14.308 = 4208.069", b.Total)
	}
	inv, err := b.Peppol(PeppolOptions{})
	if inv != nil || err == nil {
		t.Fatalf("Peppol of amounts of three decimals: %v, %v; want an error", inv, err)
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("not a list of lines: %v", err)
	}
	var got []string
	for _, e := range joined.Unwrap() {
		got = append(got, e.Error())
	}
	const tail = " has more than two decimals; a Peppol invoice's amounts have at most two (BR-DEC), and rounding would part the invoice from the settlement: settle with a tariff that rounds to 2 decimals"
	want := []string{
		"invoice: 2021-03-privat: line privat / t3 / hemtjänst / service / Tyresö: amount 808.333" + tail,
		"invoice: 2021-03-privat: line privat / t3 / larm / alarm / Tyresö: amount 145.548" + tail,
		"invoice: 2021-03-privat: line privat / t3 / momskompensation / Tyresö: amount 14.308" + tail,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}

	t2 := *b
	t2.Customers = b.Customers[:1]
	var buf bytes.Buffer
	writeInvoice(t, &buf, &t2, PeppolOptions{})
	x := buf.String()
	if err := Validate(strings.NewReader(x)); err != nil {
		t.Errorf("t2's invoice breaks rules: %v", err)
	}
	mustContainAll(t, x, `<cbc:LineExtensionAmount currencyID="SEK">2910.00</cbc:LineExtensionAmount>`,
		`<cbc:LineExtensionAmount currencyID="SEK">282.00</cbc:LineExtensionAmount>`,
		`<cbc:Amount currencyID="SEK">47.88</cbc:Amount>`, `<cbc:BaseAmount currencyID="SEK">3192.00</cbc:BaseAmount>`,
		`<cbc:PayableAmount currencyID="SEK">3239.88</cbc:PayableAmount>`)
	if strings.Contains(x, ".000<") {
		t.Errorf("an amount of three decimals:\n%s", x)
	}

	// Many such lines are named up to ten, and the rest counted: t3's
	// hemtjänst line twelve times is twelve lines of 808.333.
	many := *b
	many.Customers = []Customer{{ID: "t3", Lines: slices.Repeat(b.Customers[1].Lines[:1], 12)}}
	_, err = many.Peppol(PeppolOptions{})
	if err == nil || strings.Count(err.Error(), "amount 808.333") != 10 ||
		!strings.Contains(err.Error(), "invoice: 2021-03-privat: and 2 more lines of more than two decimals") {
		t.Errorf("twelve lines of three decimals: %v", err)
	}
}

// plainDecimal reads what xs:decimal writes, and keeps the decimals as
// written; nothing else is a number.
func TestPlainDecimal(t *testing.T) {
	for in, want := range map[string]string{"4208.07": "4208.07", "+4208.07": "4208.07", "-12": "-12", ".50": "0.50", "-.5": "-0.5",
		"3.": "3", "4208.070": "4208.070", "007": "7"} {
		d, ok := plainDecimal(in)
		if !ok || reimbursement.AmountOf(d).String() != want {
			t.Errorf("plainDecimal(%q) = %s, %v; want %s", in, reimbursement.AmountOf(d), ok, want)
		}
	}
	for _, in := range []string{"", "+", "-", ".", "4.20807E3", "1e3", "0x10", "1.2.3", "1 000", " 1", "1,5", "++1", "NaN", "Inf", "١٢"} {
		if d, ok := plainDecimal(in); ok {
			t.Errorf("plainDecimal(%q) = %s, a number", in, d)
		}
	}
}

// A name or address XML cannot carry, from options no one validated, is
// an error naming the element, and nothing is written (found by attack:
// the encoder wrote U+FFFD in its place, and Validate passed).
func TestWriteXMLRefusesWhatXMLCannotCarry(t *testing.T) {
	_, _, bases := tyreso(t)
	for _, name := range []string{"Omsorg\x01Norr AB", "Omsorg Norr AB\uFFFE", "Omsorg \xffNorr"} {
		b := *bases[0]
		b.Buyer.Name = name
		inv, err := b.Peppol(PeppolOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		err = inv.WriteXML(&buf)
		if err == nil || !strings.Contains(err.Error(), "Invoice/cac:AccountingCustomerParty") || buf.Len() != 0 {
			t.Errorf("buyer %q: %v, %d bytes written; want an error naming the buyer's element and nothing written", name, err, buf.Len())
		}
	}
}
