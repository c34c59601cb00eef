package reimbursement

import (
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/reimbursement/internal/exact"
)

// Rounding per unit (rounding "per": "unit"): some tariffs round the
// amount of each visit, item-month or listing-month and pay a line as the
// sum of those rounded amounts. Strategies that add units up into groups
// name each unit (groups.add); a quantity emitted on its own is one
// unit.

// addID adds n to the quantity of unit id in group gr, when the tariff
// rounds per unit.
func (gr *group) addID(id string, n int64) {
	if gr.ids == nil {
		gr.ids = map[string]int64{}
	}
	gr.ids[id] += n
}

// unitAmounts sets q's rounded unit amounts from the units of group gr.
func (gr *group) unitAmounts(s *scope, q *quantity) {
	if len(gr.ids) == 0 {
		return
	}
	r, div := s.Version.rounding, q.Unit.divisor(s.Period)
	var sum decimal.Decimal
	for _, id := range sortedKeys(gr.ids) {
		sum = sum.Add(unitAmount(r, exact.IntDecimal(gr.ids[id]), q.Rate, q.Factor, q.Scaled, div))
	}
	q.unitAmount, q.units = sum, len(gr.ids)
}

// unitAmount is one unit's amount, n × rate × factor ÷ div, rounded; the
// factor counts only when scaled (a factor of zero pays nothing).
func unitAmount(r Rounding, n, rate, factor decimal.Decimal, scaled bool, div int64) decimal.Decimal {
	return r.Quotient(exact.NumeratorDecimal(n, rate, factor, scaled), div)
}
