package compare

import (
	"fmt"
	"strings"

	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// The human-readable outputs (WriteText, the name column of WriteCSV,
// the command's HTML) are in Swedish, in the terms of the repository's
// glossary (README.md): utförare for provider, brukare for customer,
// egen regi and privat regi for the ownerships, komponent, zon, avgift.
// The machine keys stay as the settlement writes them (own, private,
// no_tariff, care): in JSON, and in the key column and the header of the
// CSV, so that a program reads a comparison as it reads a settlement.

// reasonTexts are the Swedish wordings of the reasons something is not
// paid, by reimbursement.Reason, as they read after "skäl:".
var reasonTexts = map[reimbursement.Reason]string{
	reimbursement.ReasonUnknown:    "okänt skäl",
	reimbursement.OutsidePeriod:    "utanför månaden",
	reimbursement.NotApproved:      "ej attesterat",
	reimbursement.NoTask:           "ingen insats angiven",
	reimbursement.NoDecision:       "inget biståndsbeslut",
	reimbursement.NoTariff:         "ingen taxa i kraft",
	reimbursement.UnknownZone:      "okänd zon",
	reimbursement.Declined:         "avböjt besök",
	reimbursement.AboveCap:         "över taket",
	reimbursement.NoComponent:      "ingen komponent i taxan",
	reimbursement.NotStarted:       "ej verkställt",
	reimbursement.RateError:        "fel vid beräkning av taxan",
	reimbursement.AfterLock:        "registrerat efter låsdatum",
	reimbursement.OutsidePaidHours: "utanför ersatt tid",
	reimbursement.ZeroLength:       "ingen tid efter avrundning",
	reimbursement.Implausible:      "orimligt värde",
	reimbursement.Absent:           "uppehåll som inte ersätts",
	reimbursement.ExtraStaff:       "personal utöver beslutet",
	reimbursement.Unresolved:       "okänd brukare eller utförare",
	reimbursement.Overflow:         "för stort tal",
	reimbursement.BelowMinimum:     "färre dagar än komponentens minimum",
	reimbursement.NoPlannedTime:    "ingen planerad tid",
	reimbursement.PaidTwice:        "betalas av annan komponent",
}

// ReasonText returns the Swedish wording of why something was not paid,
// as the comparison's text, CSV and HTML print it: "ingen taxa i kraft"
// for no_tariff, "okänd zon" for unknown_zone, "ej attesterat" for
// not_approved, "uppehåll som inte ersätts" for absent. A reason it has no wording for is
// returned as its code.
func ReasonText(r reimbursement.Reason) string {
	if t, ok := reasonTexts[r]; ok {
		return t
	}
	return r.String()
}

// OwnershipText returns the Swedish name of an ownership, as the keys of
// Report.Ownerships hold it: "egen regi" for own, "privat regi" for
// private, "okänd regi" for unknown; any other key as it is.
func OwnershipText(key string) string {
	switch key {
	case models.OwnOperation.String():
		return "egen regi"
	case models.Private.String():
		return "privat regi"
	case models.OwnershipUnknown.String():
		return "okänd regi"
	}
	return key
}

// categoryTexts are the Swedish names of the service categories, the
// terms models.ParseCategory also reads.
var categoryTexts = map[models.Category]string{
	models.Service:        "service",
	models.Care:           "omsorg",
	models.HomeHealthCare: "hemsjukvård",
	models.DelegatedHSL:   "delegerad HSL",
	models.Rehabilitation: "hemrehabilitering",
	models.Alarm:          "trygghetslarm",
	models.MealDelivery:   "matdistribution",
	models.Escort:         "ledsagning",
	models.Relief:         "avlösning",
}

// kindTexts are the Swedish names of the kinds of line.
var kindTexts = map[reimbursement.LineKind]string{
	reimbursement.KindAbsence:   "frånvaro",
	reimbursement.KindDeclined:  "avböjt besök",
	reimbursement.KindPerformed: "utförd tid",
	reimbursement.KindDeduction: "avdrag",
	reimbursement.KindShare:     "utförandegrad",
}

// lineLabel returns a line's label in Swedish: the component, then the
// kind of line and the category where the line has them ("natt avböjt
// besök omsorg").
func lineLabel(l *reimbursement.Line) string {
	parts := []string{l.Component}
	if l.Kind != reimbursement.KindPlain {
		t, ok := kindTexts[l.Kind]
		if !ok {
			t = l.Kind.String()
		}
		parts = append(parts, t)
	}
	if l.Category != models.CategoryUnknown {
		t, ok := categoryTexts[l.Category]
		if !ok {
			t = l.Category.String()
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

// LineText returns a line behind one of the largest changes as the
// outputs print it: month, provider, the line's label in Swedish
// (component, kind of line, category: "natt avböjt besök omsorg") and its
// formula, or its amount where it has no explanation:
// "2024-04  egen  sol omsorg: 600 min × 448.00 kr/h ÷ 60 = 4480.00".
func LineText(l *reimbursement.Line) string {
	formula := l.Amount.String()
	if l.Explanation != nil {
		formula = l.Explanation.Formula
	}
	return fmt.Sprintf("%s  %s  %s: %s", l.Period, l.Provider, lineLabel(l), formula)
}

// ProviderDifferenceText says in Swedish how the two sides name or own a
// provider of ProviderDifferences: `namn "Privat AB" i nu, "Omsorg Nord
// AB" i förslag; privat regi i nu, egen regi i förslag`.
func (c *Report) ProviderDifferenceText(p ProviderDifference) string {
	var parts []string
	if p.BaseName != p.ProposedName {
		parts = append(parts, fmt.Sprintf("namn %q i %s, %q i %s", p.BaseName, c.Base, p.ProposedName, c.Proposed))
	}
	if p.BaseOwnership != p.ProposedOwnership {
		parts = append(parts, fmt.Sprintf("%s i %s, %s i %s", OwnershipText(p.BaseOwnership.String()), c.Base,
			OwnershipText(p.ProposedOwnership.String()), c.Proposed))
	}
	return strings.Join(parts, "; ")
}
