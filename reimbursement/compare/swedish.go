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

// lineLabel returns a line's label in Swedish: the component, then the
// kind of line and the category where the line has them ("natt avböjt
// besök omsorg").
func lineLabel(l *reimbursement.Line) string {
	parts := []string{l.Component}
	if l.Kind != reimbursement.KindPlain {
		parts = append(parts, l.Kind.Swedish())
	}
	if l.Category != models.CategoryUnknown {
		parts = append(parts, l.Category.Swedish())
	}
	return strings.Join(parts, " ")
}

// LineText returns a line behind one of the largest changes as the
// outputs print it: month, provider, the line's label in Swedish
// (component, kind of line, category: "natt avböjt besök omsorg"), its
// tariff version, and its formula (Line.Formula): "2024-04  egen  sol
// omsorg (Taxa 2024): 600 min × 448.00 kr/h ÷ 60 = 4480.00".
//
// Where the tariff rounded the line's rate after its division and the
// explanation says the rate before (Explanation.UnroundedRates: the
// lines of the largest changes are explained), it follows, to six
// decimals and "…" where it has more: "… 2 besök × 74.67 kr/besök =
// 149.34 (priset 74.666666… kr/besök avrundat till 74.67)" (found by a
// trial: what the rounding did could not be seen).
func LineText(l *reimbursement.Line) string {
	text := fmt.Sprintf("%s  %s  %s (%s): %s", l.Period, l.Provider, lineLabel(l), l.Version, l.Formula())
	if e := l.Explanation; e != nil && len(e.UnroundedRates) > 0 {
		var rates []string
		for _, r := range e.UnroundedRates {
			rates = append(rates, unroundedText(r))
		}
		text += fmt.Sprintf(" (priset %s %s avrundat till %s)", strings.Join(rates, " och "), l.RateUnit, l.Rate)
	}
	return text
}

// unroundedText writes a rate before its rounding to six decimals, with
// "…" where it has more: "74.666666…".
func unroundedText(r reimbursement.Amount) string {
	if t := r.Truncate(6); !t.Equal(r.Decimal) {
		return t.StringFixed(6) + "…"
	}
	return r.String()
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
		parts = append(parts, fmt.Sprintf("%s i %s, %s i %s", p.BaseOwnership.Swedish(), c.Base,
			p.ProposedOwnership.Swedish(), c.Proposed))
	}
	return strings.Join(parts, "; ")
}

// maxUnitsShown is how many of the records behind a line UnitsText
// lists; the others are counted.
const maxUnitsShown = 5

// UnitsText names in Swedish the records behind a line of the largest
// changes (Line.Units, in their order: by kind, id and item), each with
// the minutes or days the line pays of it, as the explanation lists
// them: "poster: beslut b1/Dusch 600 min på 30 dagar". A line of more
// than five records lists the first five and counts the rest: "12
// poster: besök v01 60 min, besök v02 45 min, besök v03 60 min, besök
// v04 30 min, besök v05 60 min och 7 till". "" for a line with none (an
// adjustment's). The outputs write it under the line (found by a trial:
// the records were only in the JSON and from the explain command).
func UnitsText(l *reimbursement.Line) string {
	if len(l.Units) == 0 {
		return ""
	}
	var b strings.Builder
	if n := len(l.Units); n > maxUnitsShown {
		fmt.Fprintf(&b, "%d poster: ", n)
	} else {
		b.WriteString("poster: ")
	}
	for i, u := range l.Units[:min(len(l.Units), maxUnitsShown)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(u.Kind.Swedish() + " " + u.ID)
		if u.Item != "" {
			b.WriteString("/" + u.Item)
		}
		switch {
		case l.Unit == reimbursement.Minutes || (l.Unit != reimbursement.Days && u.Minutes != 0):
			fmt.Fprintf(&b, " %d min", u.Minutes)
			if u.Days != 0 {
				b.WriteString(" på " + days(u.Days))
			}
		case l.Unit == reimbursement.Days || u.Days != 0:
			b.WriteString(" " + days(u.Days))
		}
	}
	if more := len(l.Units) - maxUnitsShown; more > 0 {
		fmt.Fprintf(&b, " och %d till", more)
	}
	return b.String()
}
