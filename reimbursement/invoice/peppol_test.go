package invoice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/reimbursement"
)

func privatXML(t *testing.T, opts PeppolOptions) string {
	t.Helper()
	_, _, bases := tyreso(t)
	var buf bytes.Buffer
	if err := bases[1].Peppol(opts).WriteXML(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
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

// Each broken invoice breaks the rules named, and no other.
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
		{"org check digit", `<cbc:CompanyID schemeID="0007">5566778899<`, `<cbc:CompanyID schemeID="0007">5566778898<`, []string{"SE-R-013"}},
		{"three decimals", `<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>
    <cac:TaxSubtotal>`, `<cbc:TaxAmount currencyID="SEK">0.000</cbc:TaxAmount>
    <cac:TaxSubtotal>`, []string{"BR-DEC"}},
		{"currency", `<cbc:ChargeTotalAmount currencyID="SEK">`, `<cbc:ChargeTotalAmount currencyID="EUR">`, []string{"PEPPOL-EN16931-R051"}},
		{"unit", `unitCode="MIN">450<`, `unitCode="MINUTE">450<`, []string{"PEPPOL-EN16931-R130", "BR-CL-23"}},
		{"base unit", `<cbc:BaseQuantity unitCode="DAY">31<`, `<cbc:BaseQuantity unitCode="MON">31<`, []string{"PEPPOL-EN16931-R130"}},
		{"charge", `<cbc:Amount currencyID="SEK">47.88</cbc:Amount>`, `<cbc:Amount currencyID="SEK">47.98</cbc:Amount>`,
			[]string{"PEPPOL-EN16931-R040", "BR-CO-12", "BR-E-08"}},
		{"type", `<cbc:InvoiceTypeCode>380<`, `<cbc:InvoiceTypeCode>389<`, []string{"INVOICE-SB-01"}},
		{"bankgiro", `<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>5050</cbc:ID>`, []string{"SE-R-009"}},
		{"empty note", `<cbc:Note>`, `<cbc:Note></cbc:Note><cbc:Note>`, []string{"PEPPOL-EN16931-R002", "PEPPOL-EN16931-R008"}},
		{"vat prefix", `<cbc:CompanyID>SE556677889901</cbc:CompanyID>`, `<cbc:CompanyID>556677889901</cbc:CompanyID>`, []string{"BR-CO-09"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(x, tc.old) {
				t.Fatalf("the invoice lacks %q", tc.old)
			}
			got := ruleIDs(t, Validate(strings.NewReader(strings.Replace(x, tc.old, tc.new, 1))))
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
	if err := b.Peppol(PeppolOptions{}).WriteXML(&buf); err != nil {
		t.Fatal(err)
	}
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
		if err := bases[1].Peppol(PeppolOptions{}).WriteXML(&buf); err != nil {
			b.Fatal(err)
		}
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
