package compare

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// Budget is a limit on how much the budget (Report.Total) may change
// from the base to the proposal: Amount kronor, or with Percent, Amount
// percent of the base's budget. A limit of zero or more is the most the
// budget may rise (50000 kr, 2 %); one below zero asks it to fall by at
// least that much (-2 %: a fall of 2 % or more).
type Budget struct {
	Amount  decimal.Decimal `json:"amount"`
	Percent bool            `json:"percent"`
}

// String returns the limit in Swedish: "en ökning med högst 2 %", "en
// minskning med minst 50000 kr".
func (b Budget) String() string {
	unit := "kr"
	if b.Percent {
		unit = "%"
	}
	if b.Amount.IsNegative() {
		return fmt.Sprintf("en minskning med minst %s %s", b.Amount.Neg(), unit)
	}
	return fmt.Sprintf("en ökning med högst %s %s", b.Amount, unit)
}

// Outcome is what a budget limit says of a comparison.
type Outcome string

// The outcomes.
const (
	// Within: the budget changes no more than the limit allows.
	Within Outcome = "within"
	// Over: the budget rises more than the limit allows, or, for a limit
	// below zero, falls less.
	Over Outcome = "over"
	// NotJudged: the report has warnings (Report.Warnings): its totals do
	// not compare like with like, so it keeps no limit and breaks none.
	NotJudged Outcome = "not_judged"
)

// Text returns the outcome in Swedish: "inom gränsen", "över gränsen",
// "ej bedömd".
func (o Outcome) Text() string {
	switch o {
	case Within:
		return "inom gränsen"
	case Over:
		return "över gränsen"
	case NotJudged:
		return "ej bedömd"
	}
	return string(o)
}

// BudgetVerdict is the comparison judged against a budget limit. It is
// one of Within, Over and NotJudged, never two: a report with warnings is
// not judged, and says only that and why.
type BudgetVerdict struct {
	Limit   Budget  `json:"limit"`
	Outcome Outcome `json:"outcome"`
	// Why says, in Swedish, why the budget is not judged: how many
	// warnings the report has, and the first. Empty when judged.
	Why string `json:"why,omitempty"`
	// Change is, for a limit in percent that was judged, the budget's
	// change in percent of the base rounded half up to four decimals
	// (the report's own percentages have two), or to as many more as
	// put it on the side of the limit the exact change is on: a rise of
	// 1.0323 % is over a limit of 1.03 %, and printed "+1.03 %" beside it,
	// read as within (found by a trial); 1.03004 % is printed 1.03004, and
	// 1.030045 % over 1.03004 % is 1.03005, not 1.0300. Nil otherwise.
	Change *decimal.Decimal `json:"change_percent,omitempty"`
	// ChangeKronor is, for a limit in kronor that was judged, the
	// budget's change in kronor (Report.Total.Difference), said beside
	// the verdict as the change in percent is beside one in percent (found
	// by a trial: "en ökning med högst 50000 kr – över gränsen" did not
	// say by how much). Nil otherwise.
	ChangeKronor *reimbursement.Amount `json:"change_kr,omitempty"`
}

// String returns the verdict as the outputs print it, in Swedish:
// "Budgetgräns: en ökning med högst 2 % – inom gränsen (förändringen
// +1.0323 %)", "Budgetgräns: en ökning med högst 500 kr – över gränsen
// (förändringen +542.00 kr)", or "… – ej bedömd: " and why.
func (v BudgetVerdict) String() string {
	s := "Budgetgräns: " + v.Limit.String() + " – " + v.Outcome.Text()
	sign := func(d *decimal.Decimal) string {
		if d.IsPositive() {
			return "+"
		}
		return ""
	}
	if v.Change != nil {
		s += " (förändringen " + sign(v.Change) + v.Change.StringFixed(max(4, -v.Change.Exponent())) + " %)"
	}
	if v.ChangeKronor != nil {
		s += " (förändringen " + plus(*v.ChangeKronor) + " kr)"
	}
	if v.Why != "" {
		s += ": " + v.Why
	}
	return s
}

// Judge judges the report's budget against the limit b: Within when the
// difference is at most b.Amount kronor (or, with Percent, difference ×
// 100 at most b.Amount × |base|, exactly, not on the rounded Percent),
// Over when it is more, and NotJudged whenever the report has warnings,
// whatever the amounts. Run sets Report.Budget to it when
// Options.Budget is given.
func (c *Report) Judge(b Budget) BudgetVerdict {
	v := BudgetVerdict{Limit: b}
	if len(c.Warnings) > 0 {
		v.Outcome, v.Why = NotJudged, "jämförelsen har en varning: "+c.Warnings[0]
		if n := len(c.Warnings); n > 1 {
			v.Why = fmt.Sprintf("jämförelsen har %d varningar, den första: %s", n, c.Warnings[0])
		}
		return v
	}
	diff, limit := c.Total.Difference.Decimal, b.Amount
	if b.Percent {
		diff, limit = diff.Mul(decimal.NewFromInt(100)), b.Amount.Mul(c.Total.Base.Abs())
	}
	v.Outcome = Over
	if diff.LessThanOrEqual(limit) {
		v.Outcome = Within
	}
	if !b.Percent {
		ch := c.Total.Difference
		v.ChangeKronor = &ch
	}
	if b.Percent && !c.Total.Base.IsZero() {
		// Four decimals, or as many more as tell it from the limit it
		// was judged against: a rise of 1.03004 % is over 1.03 %, and
		// "+1.0300 %" beside "över gränsen" read as the limit itself.
		base := c.Total.Base.Abs()
		side := diff.Cmp(limit) // the exact change against the limit
		var ch decimal.Decimal
		for places := int32(4); places <= 16; places++ {
			if ch = diff.DivRound(base, places); ch.Cmp(b.Amount) == side {
				break // rounded, on the limit's side the exact change is
			}
		}
		v.Change = &ch
	}
	return v
}
