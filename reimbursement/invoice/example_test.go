package invoice_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/invoice"
)

// Tyresö, March 2021: the private provider's invoice basis and its Peppol
// invoice, which keeps every rule Validate checks.
func ExampleBuild() {
	fsys := os.DirFS("testdata")
	book, _ := reimbursement.LoadBook(fsys, "tariffs")
	ds, _ := models.ReadDatasetFS(fsys, "dataset.json")
	loc, _ := time.LoadLocation("Europe/Stockholm")
	march, _ := calendar.Month(2021, time.March, loc)
	s, err := reimbursement.Settle(context.Background(), book, ds, march, reimbursement.Options{NoExplain: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	bases, err := invoice.Build(s, ds, invoice.Options{
		Buyer:          invoice.Party{Name: "Tyresö kommun", OrgNumber: "212000-0142"},
		BuyerReference: "Socialförvaltningen",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range bases {
		fmt.Printf("%s: %d customers, %s + VAT compensation %s = %s kr\n", b.Number, len(b.Customers), b.Subtotal, b.VATCompensation, b.Total)
	}
	inv, err := bases[1].Peppol(invoice.PeppolOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var xml strings.Builder
	_ = inv.WriteXML(&xml)
	fmt.Println("rules broken:", invoice.Validate(strings.NewReader(xml.String())))
	// Output:
	// 2021-03-egen: 2 customers, 4798.00 + VAT compensation 0.00 = 4798.00 kr
	// 2021-03-privat: 2 customers, 4145.88 + VAT compensation 62.19 = 4208.07 kr
	// rules broken: <nil>
}

// The same invoice with a plusgiro number of nine digits: the Peppol
// validators warn (SE-R-010: a plusgiro has 2 to 8 characters) and accept
// it, so Validate returns nil, and Check returns the warning apart.
func ExampleCheck() {
	fsys := os.DirFS("testdata")
	book, _ := reimbursement.LoadBook(fsys, "tariffs")
	ds, _ := models.ReadDatasetFS(fsys, "dataset.json")
	loc, _ := time.LoadLocation("Europe/Stockholm")
	march, _ := calendar.Month(2021, time.March, loc)
	s, err := reimbursement.Settle(context.Background(), book, ds, march, reimbursement.Options{NoExplain: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	bases, err := invoice.Build(s, ds, invoice.Options{
		Buyer:          invoice.Party{Name: "Tyresö kommun", OrgNumber: "212000-0142"},
		BuyerReference: "Socialförvaltningen",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A plusgiro number of nine digits, set on the basis after Build
	// (which refuses one given in Options.Sellers, as a dataset's): Peppol
	// takes it with a warning.
	bases[1].Seller.Plusgiro = "12345678-9"
	inv, err := bases[1].Peppol(invoice.PeppolOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var xml strings.Builder
	_ = inv.WriteXML(&xml)
	warnings, err := invoice.Check(strings.NewReader(xml.String()))
	fmt.Println("rules broken:", err)
	for _, w := range warnings {
		fmt.Println(w.Rule, w.Warning, w.Msg)
	}
	fmt.Println("valid:", invoice.Validate(strings.NewReader(xml.String())) == nil)
	// Output:
	// rules broken: <nil>
	// SE-R-010 true plusgiro "123456789" has 9 characters, want 2 to 8
	// valid: true
}
