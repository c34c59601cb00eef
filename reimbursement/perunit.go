package reimbursement

import (
	"github.com/shopspring/decimal"
)

// Rounding per unit (rounding "per": "unit"): some tariffs round the
// amount of each visit, item-month or listing-month and pay a line as the
// sum of those rounded amounts. Strategies that add units up into groups
// name each unit (groups.add); a quantity emitted on its own is one
// unit.

// addID adds n to the quantity of unit id in group k, when the tariff
// rounds per unit.
func (g *groups) addID(k groupKey, id string, n int64) {
	if !g.perUnit {
		return
	}
	if g.ids == nil {
		g.ids = map[groupKey]map[string]int64{}
	}
	m := g.ids[k]
	if m == nil {
		m = map[string]int64{}
		g.ids[k] = m
	}
	m[id] += n
}

// unitAmounts sets q's rounded unit amounts from the units of group k.
func (g *groups) unitAmounts(s *scope, k groupKey, q *quantity) {
	if !g.perUnit || len(g.ids[k]) == 0 {
		return
	}
	r, div := s.Version.rounding, q.Unit.divisor(s.Period)
	var sum decimal.Decimal
	for _, id := range sortedKeys(g.ids[k]) {
		sum = sum.Add(unitAmount(r, decimal.NewFromInt(g.ids[k][id]), q.Rate, q.Factor, q.Scaled, div))
	}
	q.unitAmount, q.units = sum, len(g.ids[k])
}

// unitAmount is one unit's amount, n × rate × factor ÷ div, rounded; the
// factor counts only when scaled (a factor of zero pays nothing).
func unitAmount(r Rounding, n, rate, factor decimal.Decimal, scaled bool, div int64) decimal.Decimal {
	num := n.Mul(rate)
	if scaled {
		num = num.Mul(factor)
	}
	return r.Quotient(num, div)
}
