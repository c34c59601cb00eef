package invoice

import (
	"bytes"
	"context"
	"testing"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// TestSelfBillingNotJudgedBySwedishRules: a self-billed invoice (type
// 389, CustomizationID ...poacc:selfbilling:3.0) is judged as the official
// self-billing Schematron judges it, which carries no Swedish rule
// (OpenPEPPOL/peppol-bis-invoice-3, rules/sch/PEPPOL-EN16931-UBL-SB.sch:
// "National rules that were in general invoice profile are not included
// in the self billing and need to be reviewed and added by each
// country"); the billing invoice of the same seller is judged by SE-R-001
// (string-length(normalize-space(CompanyID)) = 14) and SE-R-002
// (string(number(substring(CompanyID, 3, 12))) != 'NaN'), both fatal.
// BR-CO-09 (a country code prefix) holds for "SE" in both. Found by
// attack: Validate refused the 389 that the official validation accepts.
func TestSelfBillingNotJudgedBySwedishRules(t *testing.T) {
	book, ds, p := inputs(t)
	s, err := reimbursement.Settle(context.Background(), book, ds, p, reimbursement.Options{NoExplain: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, vat := range []string{"SE55667788990", "SE5566778899AB"} {
		opts := testOptions()
		seller := opts.Sellers["privat"]
		seller.VATNumber = vat
		opts.Sellers = map[string]Party{"privat": seller}
		bases, err := Build(s, ds, opts)
		if err != nil {
			t.Fatal(err)
		}
		var x bytes.Buffer
		writeInvoice(t, &x, bases[1], PeppolOptions{SelfBilling: true})
		// The billing variant breaks SE-R-001/SE-R-002 officially, and
		// Validate says so; that is right.
		var xb bytes.Buffer
		writeInvoice(t, &xb, bases[1], PeppolOptions{})
		if Validate(bytes.NewReader(xb.Bytes())) == nil {
			t.Errorf("VAT %s: the billing invoice passes Validate, but SE-R-001/002 reject it", vat)
		}
		if err := Validate(bytes.NewReader(x.Bytes())); err != nil {
			t.Errorf("VAT %s: the self-billed invoice (389, selfbilling:3.0) is rejected by Validate, but the official self-billing Schematron has no SE-R rules and accepts it:\n%v", vat, err)
		}
	}
}
