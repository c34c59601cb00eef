package invoice

import "encoding/xml"

// The UBL 2.1 namespaces.
const (
	nsInvoice = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCac     = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCbc     = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// UBLInvoice is a Peppol BIS Billing 3.0 invoice (UBL 2.1) built by
// Basis.Peppol, ready to be written with WriteXML; Validate checks the
// XML. Its content is the basis's: it has no other accessors.
type UBLInvoice struct {
	doc *ublDoc
}

// ublDoc is a UBL 2.1 Invoice as Peppol BIS Billing 3.0 profiles it, with
// the elements this package writes, in the order the schema wants.
type ublDoc struct {
	XMLName              xml.Name             `xml:"Invoice"`
	XMLNS                string               `xml:"xmlns,attr"`
	XMLNSCac             string               `xml:"xmlns:cac,attr"`
	XMLNSCbc             string               `xml:"xmlns:cbc,attr"`
	CustomizationID      string               `xml:"cbc:CustomizationID"`
	ProfileID            string               `xml:"cbc:ProfileID"`
	ID                   string               `xml:"cbc:ID"`
	IssueDate            string               `xml:"cbc:IssueDate"`
	DueDate              string               `xml:"cbc:DueDate,omitempty"`
	InvoiceTypeCode      string               `xml:"cbc:InvoiceTypeCode"`
	Note                 string               `xml:"cbc:Note,omitempty"`
	DocumentCurrencyCode string               `xml:"cbc:DocumentCurrencyCode"`
	BuyerReference       string               `xml:"cbc:BuyerReference,omitempty"`
	InvoicePeriod        *ublPeriod           `xml:"cac:InvoicePeriod"`
	OrderReference       *ublRef              `xml:"cac:OrderReference"`
	BillingReference     *ublBillingRef       `xml:"cac:BillingReference"`
	Supplier             ublPartyWrap         `xml:"cac:AccountingSupplierParty"`
	Customer             ublPartyWrap         `xml:"cac:AccountingCustomerParty"`
	PaymentMeans         []ublPaymentMeans    `xml:"cac:PaymentMeans"`
	AllowanceCharges     []ublAllowanceCharge `xml:"cac:AllowanceCharge"`
	TaxTotal             []ublTaxTotal        `xml:"cac:TaxTotal"`
	Totals               ublTotals            `xml:"cac:LegalMonetaryTotal"`
	Lines                []ublInvoiceLine     `xml:"cac:InvoiceLine"`
}

type ublPeriod struct {
	StartDate string `xml:"cbc:StartDate"`
	EndDate   string `xml:"cbc:EndDate"`
}

type ublRef struct {
	ID string `xml:"cbc:ID"`
}

// ublBillingRef is the preceding invoice (BG-3) a correction refers to.
type ublBillingRef struct {
	Invoice ublRef `xml:"cac:InvoiceDocumentReference"`
}

type ublPartyWrap struct {
	Party ublPartyT `xml:"cac:Party"`
}

type ublPartyT struct {
	EndpointID     *ublID        `xml:"cbc:EndpointID"`
	Identification *ublIdent     `xml:"cac:PartyIdentification"`
	Name           *ublName      `xml:"cac:PartyName"`
	PostalAddress  ublAddress    `xml:"cac:PostalAddress"`
	TaxSchemes     []ublPartyTax `xml:"cac:PartyTaxScheme"`
	LegalEntity    ublLegal      `xml:"cac:PartyLegalEntity"`
}

type ublID struct {
	SchemeID string `xml:"schemeID,attr,omitempty"`
	Value    string `xml:",chardata"`
}

type ublIdent struct {
	ID ublID `xml:"cbc:ID"`
}

type ublName struct {
	Name string `xml:"cbc:Name"`
}

type ublAddress struct {
	Street     string     `xml:"cbc:StreetName,omitempty"`
	City       string     `xml:"cbc:CityName,omitempty"`
	PostalZone string     `xml:"cbc:PostalZone,omitempty"`
	Country    ublCountry `xml:"cac:Country"`
}

type ublCountry struct {
	Code string `xml:"cbc:IdentificationCode"`
}

type ublPartyTax struct {
	CompanyID string    `xml:"cbc:CompanyID"`
	TaxScheme ublScheme `xml:"cac:TaxScheme"`
}

type ublScheme struct {
	ID string `xml:"cbc:ID"`
}

type ublLegal struct {
	Name      string `xml:"cbc:RegistrationName"`
	CompanyID *ublID `xml:"cbc:CompanyID"`
}

type ublPaymentMeans struct {
	Code      string      `xml:"cbc:PaymentMeansCode"`
	PaymentID string      `xml:"cbc:PaymentID,omitempty"`
	Account   *ublAccount `xml:"cac:PayeeFinancialAccount"`
}

type ublAccount struct {
	ID     string     `xml:"cbc:ID"`
	Branch *ublBranch `xml:"cac:FinancialInstitutionBranch"`
}

type ublBranch struct {
	ID string `xml:"cbc:ID"`
}

type ublAllowanceCharge struct {
	ChargeIndicator bool            `xml:"cbc:ChargeIndicator"`
	Reason          string          `xml:"cbc:AllowanceChargeReason,omitempty"`
	Percent         string          `xml:"cbc:MultiplierFactorNumeric,omitempty"`
	Amount          ublAmount       `xml:"cbc:Amount"`
	BaseAmount      *ublAmount      `xml:"cbc:BaseAmount"`
	TaxCategory     *ublTaxCategory `xml:"cac:TaxCategory"`
}

type ublAmount struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type ublTaxTotal struct {
	TaxAmount ublAmount        `xml:"cbc:TaxAmount"`
	Subtotals []ublTaxSubtotal `xml:"cac:TaxSubtotal"`
}

type ublTaxSubtotal struct {
	TaxableAmount ublAmount      `xml:"cbc:TaxableAmount"`
	TaxAmount     ublAmount      `xml:"cbc:TaxAmount"`
	Category      ublTaxCategory `xml:"cac:TaxCategory"`
}

type ublTaxCategory struct {
	ID                  string    `xml:"cbc:ID"`
	Percent             string    `xml:"cbc:Percent"`
	ExemptionReasonCode string    `xml:"cbc:TaxExemptionReasonCode,omitempty"`
	ExemptionReason     string    `xml:"cbc:TaxExemptionReason,omitempty"`
	TaxScheme           ublScheme `xml:"cac:TaxScheme"`
}

type ublTotals struct {
	LineExtension  ublAmount  `xml:"cbc:LineExtensionAmount"`
	TaxExclusive   ublAmount  `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusive   ublAmount  `xml:"cbc:TaxInclusiveAmount"`
	AllowanceTotal *ublAmount `xml:"cbc:AllowanceTotalAmount"`
	ChargeTotal    *ublAmount `xml:"cbc:ChargeTotalAmount"`
	Payable        ublAmount  `xml:"cbc:PayableAmount"`
}

type ublInvoiceLine struct {
	ID               string               `xml:"cbc:ID"`
	Quantity         ublQty               `xml:"cbc:InvoicedQuantity"`
	LineExtension    ublAmount            `xml:"cbc:LineExtensionAmount"`
	AllowanceCharges []ublAllowanceCharge `xml:"cac:AllowanceCharge"`
	Item             ublItem              `xml:"cac:Item"`
	Price            ublPrice             `xml:"cac:Price"`
}

type ublQty struct {
	UnitCode string `xml:"unitCode,attr"`
	Value    string `xml:",chardata"`
}

type ublItem struct {
	Description string         `xml:"cbc:Description,omitempty"`
	Name        string         `xml:"cbc:Name"`
	SellersID   *ublIdent      `xml:"cac:SellersItemIdentification"`
	Category    ublTaxCategory `xml:"cac:ClassifiedTaxCategory"`
	Properties  []ublProperty  `xml:"cac:AdditionalItemProperty"`
}

type ublProperty struct {
	Name  string `xml:"cbc:Name"`
	Value string `xml:"cbc:Value"`
}

type ublPrice struct {
	Amount       ublAmount `xml:"cbc:PriceAmount"`
	BaseQuantity *ublQty   `xml:"cbc:BaseQuantity"`
}
