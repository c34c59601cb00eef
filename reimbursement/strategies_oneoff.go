package reimbursement

import (
	"fmt"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// ---- one_off -------------------------------------------------------------

// oneOff pays an amount once when an event the tariff names happens in
// the data: a start payment (startersättning) when a new customer's first
// decision begins, or when a provider takes over a customer. on names the
// event, read from the decisions, never from invented records:
//
//	decision_start   a matching decision's execution starts in the month
//	first_decision   ... and no decision of the customer, with any
//	                 provider, started before it: a new customer
//	provider_change  ... and the customer's latest decision started
//	                 before it is with another provider
//
// The rate is the amount per event (kr/st), e.g. "table('timpris',
// 'care') * 4" for four hours at the care rate. A decision pays once,
// whatever its number of matching items; the environment is that of its
// first matching item. The dataset must hold the customer's earlier
// decisions for first_decision and provider_change to see them.
type oneOff struct{}

func (oneOff) Unit() unitKind { return unitItem }

func (oneOff) Params() []paramSpec {
	return []paramSpec{
		{Name: "on", Kind: paramString, Required: true, Choices: []string{"decision_start", "first_decision", "provider_change"},
			Doc: "the event paid: decision_start, first_decision or provider_change"},
	}
}

func (oneOff) Settle(s *scope) error {
	on := s.Component.param("on").String()
	paid := map[*models.Decision]bool{}
	g := newGroups(s)
	for _, u := range s.Items {
		r, _ := u.Decision.InForce()
		if paid[u.Decision] || u.Grant.InForce.From != r.From {
			continue // paid already, or the decision started before this unit
		}
		paid[u.Decision] = true
		prev := previousDecision(s.c.w.in.decisions[s.Customer.ID], u.Decision)
		what := fmt.Sprintf("beslut %s börjar %s", u.Decision.ID, r.From)
		switch {
		case on == "first_decision" && prev != nil:
			continue
		case on == "first_decision":
			what += ", brukarens första beslut"
		case on == "provider_change" && (prev == nil || prev.Provider == u.Decision.Provider):
			continue
		case on == "provider_change":
			what += fmt.Sprintf(", tar över från %s (beslut %s)", prev.Provider, prev.ID)
		}
		q := quantity{Category: u.Item.Category, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		g.add(&q, 1, UnitRef{Kind: RecordDecision, ID: u.Decision.ID, Item: u.name})
		if s.Explain() {
			g.step(&q, what+": "+on+" betalas en gång")
		}
	}
	return g.emit(s, Occurrences)
}

// itemPart: a one-off payment pays an event on top of what pays the
// item and accounts for none of its minutes or days (see itemPart).
func (oneOff) itemPart(*itemUnit, int) (int64, int) { return 0, 0 }

// previousDecision returns the customer's decision, with any provider,
// whose execution started last before d's (ties: the greater id before a
// smaller one is not earlier), or nil.
func previousDecision(all []*models.Decision, d *models.Decision) *models.Decision {
	start, _ := d.InForce()
	var prev *models.Decision
	var prevFrom calendar.Date
	for _, o := range all {
		r, ok := o.InForce()
		if o == d || !ok {
			continue
		}
		earlier := r.From.Before(start.From) || (r.From == start.From && o.ID < d.ID)
		if earlier && (prev == nil || r.From.After(prevFrom) || (r.From == prevFrom && o.ID > prev.ID)) {
			prev, prevFrom = o, r.From
		}
	}
	return prev
}
