// Package invoice turns a settlement into what a provider is paid by: the
// invoice basis (fakturaunderlag) per provider and month, as CSV (plain or
// for Swedish Excel) and as a printable HTML page, and the electronic
// invoice Swedish public bodies receive, Peppol BIS Billing 3.0 in UBL 2.1,
// with a validator of the EN 16931, Peppol and Swedish rules it can check
// in Go: Validate returns the fatal rules an invoice breaks, as the
// official validators judge it, and Check the warnings too.
//
// A worked case, from the tests: Tyresö 2021 pays private providers
// 388 kr/h and 282 kr a month for an alarm, with 1.5 % VAT compensation
// (momskompensation) on both. The private provider's March 2021 basis has
// customer t2 (450 min × 388.00 ÷ 60 = 2910.00; alarm 282.00;
// compensation 3192.00 × 1.5 % = 47.88) and t3 (125 min = 808.33; alarm
// from 16 March, 16 ÷ 31 × 282.00 = 145.55; compensation 953.88 × 1.5 %
// = 14.31): subtotal 4145.88, VAT compensation 62.19, total 4208.07, the
// provider's total in the settlement to the öre.
//
// # VAT
//
// Home care is social care, exempt from VAT (mervärdesskattelagen; EU VAT
// directive article 132.1 g): every line of the Peppol invoice is in VAT
// category E at 0 % with the exemption reason VATEX-EU-132-1G, and the
// VAT total is 0.00. The VAT compensation a municipality pays private
// providers is not VAT: it is part of the price that compensates for the
// input VAT a provider of exempt services cannot deduct. Tariffs express
// it as a percentage adjustment (kind surcharge) over other components;
// its lines have the unit kr and a rate in %. The invoice basis shows it
// as its own subtotal; the Peppol invoice carries each such line as a
// document-level charge (BG-21) in category E, with the base amount and
// percentage when they reconcile with the amount, or, in an invoice of
// such lines alone (a correction of the VAT compensation), as invoice
// lines, since an invoice has at least one (BR-16).
//
// # Öre
//
// An invoice's amounts are whole öre: EN 16931 allows two decimals
// (BR-DEC). The basis keeps the settlement's amounts as they are, so a
// tariff rounding to three or four decimals gives a basis (CSV, HTML) of
// its fractions of an öre, and Basis.Peppol refuses it, naming each line
// whose amount is not whole öre, rather than round it away from the
// settlement.
//
// # Records behind a line
//
// Line.Records holds the ids of the visits, decisions and other records a
// line pays for, from the settlement line's Units ("visit:t2-v01",
// "decision:b1/Dusch"); a settlement read back from an older JSON without
// units gives none: the CSV's records column is then empty, and the HTML
// page and the Peppol invoice (an item property "Underlag") leave it out.
//
// # Corrections
//
// Correct compares the settlement issued for a month, read back from its
// JSON, with a fresh settlement of the month on the current data (visits
// registered after the lock date, approved late or corrected) and gives
// the debit and credit lines (efterreglering) per provider, customer and
// component, with their reasons and the records now paid or no longer
// paid. Issued plus correction is the fresh settlement.
// Correction.Build gives its invoice basis per provider: numbered apart
// from the month's invoice, by default as that invoice with "-korr"
// (2021-03-privat-korr), and referring to it (Basis.Corrects), which the
// Peppol invoice writes as the preceding invoice (BillingReference,
// BT-25). It is an invoice of the difference, negative when the provider
// owes money back; a credit note (type 381) is not written.
package invoice

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// Party is a party to an invoice: the provider as seller (leverantör) or
// the municipality as buyer (köpare).
type Party struct {
	Name string
	// OrgNumber is the organisationsnummer, "212000-0142".
	OrgNumber string
	// VATNumber is the momsregistreringsnummer, "SE212000014201".
	VATNumber string
	// FSkatt states that the seller is approved for F-tax (Godkänd för
	// F-skatt); the Peppol invoice carries it as the seller's tax
	// registration (BT-32).
	FSkatt bool
	// PeppolID is the Peppol participant id, scheme:value
	// ("0007:2120000142"), the invoice's electronic address: a scheme of
	// four digits (an EAS code) and a value, neither empty, without
	// spaces; Build and Basis.Peppol refuse another. Without it the
	// organisation number under scheme 0007 is used.
	PeppolID string
	// Street, PostalCode and City are the postal address; Country is the
	// ISO 3166 code, "SE" when empty.
	Street, PostalCode, City, Country string
	// Bankgiro and Plusgiro are the accounts the seller is paid to.
	Bankgiro, Plusgiro string
}

// Options are what an invoice needs beyond the settlement and the
// dataset: the municipality, its reference, numbers and dates.
type Options struct {
	// Buyer is the municipality (kommunen) that pays.
	Buyer Party
	// BuyerReference is the municipality's reference (BT-10), often a
	// person or a reference code the municipality gave; Peppol requires
	// it or OrderReference.
	BuyerReference string
	// OrderReference is the municipality's order (beställning) number
	// (BT-13), if any.
	OrderReference string
	// Sellers add to or override, per provider id, what the dataset's
	// provider gives: the address, F-tax approval, any field. Their
	// organisation, VAT, bankgiro and plusgiro numbers, and the Buyer's,
	// are checked as a dataset's provider's are: a wrong one is an error
	// of Build naming the party and the field.
	Sellers map[string]Party
	// VATCompensation names the components that are VAT compensation
	// (momskompensation). When nil, a line in kr at a percentage whose
	// component name or label contains "moms" is VAT compensation.
	VATCompensation []string
	// Number gives the invoice number of a provider's invoice; nil gives
	// "<period>-<provider>", "2021-03-privat", and for a correction (see
	// Corrects) the number of the invoice it corrects with "-korr",
	// "2021-03-privat-korr". A number empty or blank for a provider is an
	// error of Build naming the provider.
	Number func(provider string) string
	// Corrects gives the number of the invoice a provider's correction
	// (efterreglering) corrects, and makes each basis Build returns a
	// correction of it (Basis.Corrects); nil for a month's invoices.
	// Correction.Build sets it when it is nil. A number empty or blank
	// for a provider is an error of Build naming the provider: a
	// correction refers to the invoice it corrects.
	Corrects func(provider string) string
	// IssueDate is the invoice date; zero means the first day after the
	// settled month, except for a correction (Corrects), which needs a
	// date of its own: zero is an error of Build. DueDate is zero for
	// IssueDate plus 30 days. Build refuses an IssueDate before the
	// month's last day (a correction's: on it or before) and a DueDate
	// before the IssueDate.
	IssueDate, DueDate calendar.Date
	// Currency is the ISO 4217 code of the amounts, "SEK" when empty.
	Currency string
}

// Basis is the invoice basis (fakturaunderlag) of one provider for one
// month: the parties, the lines per customer and component, subtotals,
// the VAT compensation and the total.
type Basis struct {
	// Period is the settled month, "2021-03"; PeriodStart and PeriodEnd
	// its first and last day.
	Period                 string
	PeriodStart, PeriodEnd calendar.Date
	// Number is the invoice number; IssueDate and DueDate the invoice
	// date and the day it is due.
	Number string
	// Corrects is the number of the invoice a correction (efterreglering)
	// corrects, which the Peppol invoice refers to as the preceding
	// invoice (BillingReference, BT-25); "" for a month's invoice.
	Corrects           string
	IssueDate, DueDate calendar.Date
	// Currency is the ISO 4217 code of the amounts.
	Currency string
	// Provider is the provider's id (utförare) and Ownership its
	// ownership.
	Provider  string
	Ownership models.Ownership
	// Seller is the provider, Buyer the municipality, with the buyer's
	// reference and order number.
	Seller, Buyer                  Party
	BuyerReference, OrderReference string
	// Versions are the tariff versions the settlement used.
	Versions []string
	// Customers in order of id, each with its lines: the customers with
	// lines with the provider. A customer the settlement counts in
	// ProviderTotal.Customers but pays nothing (whose only record, a
	// visit not approved, say, is not paid) has no lines and is not
	// here; the settlement's text report counts them.
	Customers []Customer
	// Subtotal is the sum of the lines that are not VAT compensation,
	// VATCompensation the sum of those that are, Total both.
	Subtotal, VATCompensation, Total reimbursement.Amount
}

// Customer is one customer's part of an invoice basis.
type Customer struct {
	// ID is the customer (brukare) and Zone the zone of the customer's
	// first line.
	ID    string
	Zone  string
	Lines []Line
	// Subtotal is the sum of the customer's lines that are not VAT
	// compensation, VATCompensation the sum of those that are, Total both.
	Subtotal, VATCompensation, Total reimbursement.Amount
}

// Line is one line of an invoice basis: a settlement line, with whether it
// is VAT compensation and the records behind it.
type Line struct {
	reimbursement.Line
	// VATCompensation marks a line of VAT compensation (momskompensation).
	VATCompensation bool
	// Records are the records the line pays for, "visit:t2-v01", when
	// the settlement carries them; empty otherwise.
	Records []string
}

// Name returns the line's label, or its component's name without one;
// "" for a nil line.
func (l *Line) Name() string {
	if l == nil {
		return ""
	}
	return cmp.Or(l.Label, l.Component)
}

// ErrUnbalanced is returned when a provider's lines do not add up to its
// total in the settlement: the settlement was altered after Settle.
var ErrUnbalanced = errors.New("invoice: lines do not add up to the provider's total")

// Build returns the invoice basis of every provider of the settlement, in
// order of provider id. The dataset gives each provider's name,
// organisation number, VAT number, giro accounts and Peppol id; it may be
// nil. Each basis reconciles with the settlement to the öre: its total is
// the provider's total and the customers' totals are theirs.
//
// It returns an error when the settlement holds totals only, as
// reimbursement.SettleCustomers returns (reimbursement.ErrTotalsOnly:
// Merge what its sink received and build from that), when a provider's
// lines do not add up to its total (ErrUnbalanced), when the buyer's or a seller's Peppol id is not
// scheme:identifier (see Party.PeppolID), and, for a correction
// (Options.Corrects), when Corrects gives a provider no number (empty or
// blank), the correction the number of the invoice it corrects, or
// Options.IssueDate is zero (a correction is dated the day it is
// issued, which Build does not read from a clock), and when a date
// cannot be the invoice's (see Options.IssueDate), with the bases it
// could build.
func Build(s *reimbursement.Settlement, ds *models.Dataset, opts Options) ([]*Basis, error) {
	if s == nil {
		return nil, errors.New("invoice: Build: no settlement (nil)")
	}
	if s.TotalsOnly() {
		return nil, fmt.Errorf("invoice: Build: %w", reimbursement.ErrTotalsOnly)
	}
	period, err := calendar.ParseMonth(s.Period, time.UTC)
	if err != nil {
		return nil, fmt.Errorf("invoice: settlement period: %w", err)
	}
	known := map[string]models.Provider{}
	if ds != nil {
		for _, p := range ds.Providers {
			known[p.ID] = p
		}
	}
	byProvider := map[string][]reimbursement.Line{}
	for _, l := range s.Lines {
		byProvider[l.Provider] = append(byProvider[l.Provider], l)
	}
	var out []*Basis
	var errs []error
	if err := checkPeppolID(opts.Buyer.PeppolID); err != nil {
		errs = append(errs, fmt.Errorf("invoice: buyer: %w", err))
	}
	if err := partyIDs(opts.Buyer); err != nil {
		errs = append(errs, fmt.Errorf("invoice: Options.Buyer: %w", err))
	}
	if opts.Corrects != nil && opts.IssueDate.IsZero() {
		// A correction is dated the day it is made, months after the
		// month perhaps: the default, the day after the month, dated it
		// with the invoice it corrects, into a period the buyer may have
		// closed. Build reads no clock, so the caller says.
		errs = append(errs, errors.New("invoice: a correction needs Options.IssueDate, the day it is issued: Build reads no clock, and the day after the month is the date of the invoice it corrects"))
	} else if err := checkDates(period, opts); err != nil {
		errs = append(errs, err)
	}
	for _, pt := range s.Providers {
		if o, ok := opts.Sellers[pt.Provider]; ok {
			if err := partyIDs(o); err != nil {
				errs = append(errs, fmt.Errorf("invoice: provider %s: Options.Sellers: %w", pt.Provider, err))
			}
		}
		b := newBasis(s, period, pt, known[pt.Provider], opts)
		b.addLines(byProvider[pt.Provider], opts)
		if !b.Total.Equal(pt.Amount) {
			errs = append(errs, fmt.Errorf("%w: provider %s: lines %s, total %s", ErrUnbalanced, pt.Provider, b.Total, pt.Amount))
		}
		if err := checkPeppolID(b.Seller.PeppolID); err != nil {
			errs = append(errs, fmt.Errorf("invoice: provider %s: %w", pt.Provider, err))
		}
		if strings.TrimSpace(b.Number) == "" {
			// An invoice without a number (BT-1, required: BR-02) cannot
			// be booked, referred to or corrected.
			errs = append(errs, fmt.Errorf("invoice: provider %s: Options.Number gives no number (%q): give each provider's invoice a number, or nil Number for %q",
				pt.Provider, b.Number, s.Period+"-"+pt.Provider))
		} else if opts.Corrects != nil && strings.TrimSpace(b.Corrects) == "" {
			// A correction of no invoice: numbered "-korr", without a
			// preceding invoice (BillingReference), the buyer receives an
			// invoice of the difference that refers to nothing (found by
			// attack: a lookup of the month's numbers that missed one).
			errs = append(errs, fmt.Errorf("invoice: provider %s: Options.Corrects gives no number (%q) of the invoice the correction corrects: give the number of the provider's invoice of the month",
				pt.Provider, b.Corrects))
		} else if b.Corrects != "" && b.Number == b.Corrects {
			// One number for two invoices: the buyer's system takes the
			// second for the first sent again (found by a vendor's trial).
			errs = append(errs, fmt.Errorf("invoice: provider %s: the correction is numbered %q, as the invoice it corrects: give Options.Number another number, or nil for %q",
				pt.Provider, b.Number, b.Corrects+"-korr"))
		}
		out = append(out, b)
	}
	return out, errors.Join(errs...)
}

// checkDates refuses dates no invoice of the month can have: an invoice
// dated before the month's last day bills care not yet given (the month
// is settled from what was done in it), a correction dated in its month
// or before corrects an invoice not yet issued, and a due date before the
// issue date is due before it is sent. Zero dates are Build's defaults
// (the day after the month, 30 days on), which always pass.
func checkDates(period calendar.Period, opts Options) error {
	issue, last := opts.IssueDate, period.LastDay()
	switch {
	case issue.IsZero():
		issue = last.AddDays(1)
	case opts.Corrects != nil && !last.Before(issue):
		return fmt.Errorf("invoice: Options.IssueDate %s: a correction of %s is dated after the month (%s or later), as the invoice it corrects", issue, period, last.AddDays(1))
	case issue.Before(last):
		return fmt.Errorf("invoice: Options.IssueDate %s: an invoice of %s is dated on its last day (%s) or after: before it, the month's care is not all given", issue, period, last)
	}
	if !opts.DueDate.IsZero() && opts.DueDate.Before(issue) {
		return fmt.Errorf("invoice: Options.DueDate %s is before the invoice date %s", opts.DueDate, issue)
	}
	return nil
}

func newBasis(s *reimbursement.Settlement, period calendar.Period, pt reimbursement.ProviderTotal, p models.Provider, opts Options) *Basis {
	b := &Basis{Period: s.Period, Provider: pt.Provider, Ownership: pt.Ownership,
		PeriodStart: period.FirstDay(), PeriodEnd: period.LastDay(),
		Currency: cmp.Or(opts.Currency, "SEK"), Buyer: opts.Buyer,
		BuyerReference: opts.BuyerReference, OrderReference: opts.OrderReference,
		IssueDate: opts.IssueDate, DueDate: opts.DueDate}
	b.Number = s.Period + "-" + pt.Provider
	if opts.Corrects != nil {
		b.Corrects = opts.Corrects(pt.Provider)
		b.Number = b.Corrects + "-korr"
	}
	if opts.Number != nil {
		b.Number = opts.Number(pt.Provider)
	}
	if b.IssueDate.IsZero() {
		b.IssueDate = period.LastDay().AddDays(1)
	}
	if b.DueDate.IsZero() {
		b.DueDate = b.IssueDate.AddDays(30)
	}
	b.Seller = merge(Party{Name: cmp.Or(p.Name, pt.Name, pt.Provider), OrgNumber: p.OrgNumber, VATNumber: p.VATNumber,
		PeppolID: p.PeppolID, Bankgiro: p.Bankgiro, Plusgiro: p.Plusgiro}, opts.Sellers[pt.Provider])
	for _, v := range s.Versions {
		b.Versions = append(b.Versions, v.Name)
	}
	return b
}

// partyIDs checks the Swedish identifiers of a party given in Options
// (organisation, VAT, bankgiro and plusgiro numbers: their check digits,
// the VAT number holding the organisation number) as models checks a
// dataset's provider's, so that a number given here is held to what one
// in the dataset is (found by attack: a seller's VAT number of 13
// characters from Options.Sellers reached a self-billed invoice, which
// the official validation does not judge by the Swedish rules). The
// Peppol id is checkPeppolID's.
func partyIDs(p Party) error {
	// Only the identifiers are judged: the id, name and ownership a
	// provider must have are given.
	pv := models.Provider{ID: "seller", Name: "seller", Ownership: models.Private,
		OrgNumber: p.OrgNumber, VATNumber: p.VATNumber, Bankgiro: p.Bankgiro, Plusgiro: p.Plusgiro}
	return pv.Validate()
}

// merge returns p with the non-empty fields of o.
func merge(p, o Party) Party {
	p.Name = cmp.Or(o.Name, p.Name)
	p.OrgNumber = cmp.Or(o.OrgNumber, p.OrgNumber)
	p.VATNumber = cmp.Or(o.VATNumber, p.VATNumber)
	p.FSkatt = p.FSkatt || o.FSkatt
	p.PeppolID = cmp.Or(o.PeppolID, p.PeppolID)
	p.Street = cmp.Or(o.Street, p.Street)
	p.PostalCode = cmp.Or(o.PostalCode, p.PostalCode)
	p.City = cmp.Or(o.City, p.City)
	p.Country = cmp.Or(o.Country, p.Country)
	p.Bankgiro = cmp.Or(o.Bankgiro, p.Bankgiro)
	p.Plusgiro = cmp.Or(o.Plusgiro, p.Plusgiro)
	return p
}

// addLines groups the provider's lines by customer, in the settlement's
// order, and adds up the subtotals.
func (b *Basis) addLines(lines []reimbursement.Line, opts Options) {
	var sub, comp decimal.Decimal
	for _, l := range lines {
		if len(b.Customers) == 0 || b.Customers[len(b.Customers)-1].ID != l.Customer {
			b.Customers = append(b.Customers, Customer{ID: l.Customer, Zone: l.Zone})
		}
		c := &b.Customers[len(b.Customers)-1]
		il := Line{Line: l, VATCompensation: isVATCompensation(l, opts.VATCompensation), Records: records(l.Units)}
		c.Lines = append(c.Lines, il)
		if il.VATCompensation {
			c.VATCompensation = add(c.VATCompensation, l.Amount)
			comp = comp.Add(l.Amount.Decimal)
		} else {
			c.Subtotal = add(c.Subtotal, l.Amount)
			sub = sub.Add(l.Amount.Decimal)
		}
		c.Total = add(c.Total, l.Amount)
	}
	slices.SortStableFunc(b.Customers, func(x, y Customer) int { return strings.Compare(x.ID, y.ID) })
	b.Subtotal, b.VATCompensation, b.Total = kronor(sub), kronor(comp), kronor(sub.Add(comp))
}

// records names the records behind a line, "visit:t2-v01",
// "decision:b1/Dusch", in the line's order of its units.
func records(units []reimbursement.UnitRef) []string {
	if len(units) == 0 {
		return nil
	}
	out := make([]string, 0, len(units))
	for _, u := range units {
		r := u.Kind.String() + ":" + u.ID
		if u.Item != "" {
			r += "/" + u.Item
		}
		if len(out) == 0 || out[len(out)-1] != r {
			out = append(out, r)
		}
	}
	return out
}

// add returns a + b in kronor.
func add(a, b reimbursement.Amount) reimbursement.Amount { return kronor(a.Add(b.Decimal)) }

// kronor returns d with two decimals at least, so sums print as kronor
// and öre; a tariff rounding to more decimals keeps them.
func kronor(d decimal.Decimal) reimbursement.Amount {
	if d.Exponent() > -2 {
		d = d.Round(2)
	}
	return reimbursement.AmountOf(d)
}

// isVATCompensation reports whether l is a line of VAT compensation: its
// component is one of names, or, without names, a percentage line whose
// component or label mentions "moms".
func isVATCompensation(l reimbursement.Line, names []string) bool {
	if names != nil {
		return slices.Contains(names, l.Component)
	}
	return l.Unit == reimbursement.Kronor &&
		(strings.Contains(strings.ToLower(l.Component), "moms") || strings.Contains(strings.ToLower(l.Label), "moms"))
}
