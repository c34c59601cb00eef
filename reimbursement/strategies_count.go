package reimbursement

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// The strategies that count visits, days, events and activities.

// ---- per_visit -----------------------------------------------------------

// perVisit pays an amount per matching visit, by the zone and the band of
// the visit's start (home visits by licensed staff, night visits).
// require_decision (default false) and declined_share work as for
// performed_time; a declined visit's share is of the visit amount.
type perVisit struct{}

func (perVisit) Unit() unitKind { return unitVisit }

func (perVisit) Params() []paramSpec {
	return []paramSpec{
		{Name: "require_decision", Kind: paramBool, Doc: "pay only visits a decision covers (default false)"},
		{Name: "declined_share", Kind: paramExpr, Min: shareMin, Max: shareMax, Doc: "share of a declined visit paid"},
	}
}

func (perVisit) Settle(s *scope) error {
	needDecision := requireDecision(s, false)
	g, declined := newGroups(s), newGroups(s)
	shares := map[string]decimal.Decimal{}
	reported := map[*models.Visit]bool{}
	for _, u := range s.Visits {
		q := quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		if u.Visit.Declined {
			if err := payDeclined(s, declined, shares, u.Env, q, 1, u.Visit, u.Date, reported); err != nil {
				return err
			}
			continue
		}
		if needDecision && !u.HasDecision {
			s.NotPaid(Unpaid{Kind: RecordVisit, ID: u.Visit.ID, Date: u.Date, Reason: NoDecision,
				Detail: fmt.Sprintf("no decision grants %s on %s", u.Category, u.Date)})
			continue
		}
		g.add(q, u.rateKey, 1)
	}
	g.emit(s, Visits)
	declined.emitDeclined(s, Visits, shares)
	return nil
}

// ---- per_listing -------------------------------------------------------

// perListing pays an amount per enrolled journal (listning) per month,
// prorated by the days enrolled: days × rate ÷ days in the month.
type perListing struct{}

func (perListing) Unit() unitKind        { return unitListing }
func (perListing) Params() []paramSpec   { return nil }
func (perListing) Settle(s *scope) error { return settleListings(s) }

func settleListings(s *scope) error {
	g := newGroups(s)
	for _, u := range s.Listings {
		cat := models.HomeHealthCare
		if u.Listing.Kind == models.ListingRehabilitation {
			cat = models.Rehabilitation
		}
		q := quantity{Category: cat, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		g.add(q, u.rateKey, int64(u.Days))
		if s.Explain() {
			g.step(q, u.rateKey, fmt.Sprintf("listing %s enrolled %s: %d of %d days", u.Listing.ID, u.Dates, u.Days, s.Period.Days()))
		}
	}
	g.emit(s, Days)
	return nil
}

// ---- fixed_monthly -----------------------------------------------------

// fixedMonthly pays an amount per customer per month for matching granted
// items (a safety alarm), prorated by the days any of them is in force:
// days × rate ÷ days in the month. Pauses do not stop it.
type fixedMonthly struct{}

func (fixedMonthly) Unit() unitKind      { return unitItem }
func (fixedMonthly) Params() []paramSpec { return nil }

func (fixedMonthly) Settle(s *scope) error {
	type acc struct {
		q    quantity
		days calendar.DaySet // the days in force
	}
	var keys []groupKey
	accs := map[groupKey]*acc{}
	for _, u := range s.Items {
		q := quantity{Category: u.Item.Category, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: u.Env}
		k := groupKey{q.Category, q.Zone, "", q.Rate.String()}
		a, ok := accs[k]
		if !ok {
			a = &acc{q: q}
			accs[k] = a
			keys = append(keys, k)
		}
		a.days.AddRange(u.Grant.InForce)
	}
	for _, k := range keys {
		a := accs[k]
		q := a.q
		q.Unit = Days
		days := a.days.Len()
		q.Quantity = decimal.NewFromInt(int64(days))
		if s.Explain() {
			q.Steps = []string{fmt.Sprintf("in force %d of %d days", days, s.Period.Days())}
		}
		s.Emit(q)
	}
	return nil
}

// ---- per_occurrence ----------------------------------------------------

// perOccurrence pays an amount per matching event (an alarm call
// answered, a meal delivered), by zone and the band of its time.
type perOccurrence struct{}

func (perOccurrence) Unit() unitKind      { return unitEvent }
func (perOccurrence) Params() []paramSpec { return nil }

func (perOccurrence) Settle(s *scope) error {
	g := newGroups(s)
	for _, u := range s.Events {
		g.add(quantity{Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}, u.rateKey, 1)
	}
	g.emit(s, Occurrences)
	return nil
}

// ---- level -------------------------------------------------------------

// level pays a fixed monthly amount by the level (nivå) the customer's
// granted hours fall in. levels lists the bands by their lower bound in
// hours per month; the rate expression sees the band's name as level,
// e.g. table("nivå", level). The hours are the matching items' granted
// time over a whole month (staff hours); the amount is prorated by the
// days any matching item is in force.
type level struct{}

func (level) Unit() unitKind     { return unitItem }
func (level) PricesItself() bool { return true }

func (level) Params() []paramSpec {
	return []paramSpec{{Name: "levels", Kind: paramLevels, Required: true, Doc: "bands of granted hours per month"}}
}

func (level) Settle(s *scope) error {
	monthDays := s.Period.Days()
	var minutes int64
	var days calendar.DaySet
	var names []string
	seen := map[*models.GrantedItem]bool{}
	for _, u := range s.Items {
		if !seen[u.Item] {
			seen[u.Item] = true
			minutes += int64(u.Item.MonthlyMinutes(monthDays) * u.Item.Staff())
		}
		days.AddRange(u.Grant.InForce)
		if n := itemName(u.Item); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	hours := decimal.NewFromInt(minutes).DivRound(decimal.NewFromInt(60), 4)
	bands := s.Component.param("levels").Levels()
	band := bands[0]
	for _, b := range bands {
		if hours.GreaterThanOrEqual(b.FromHours) {
			band = b
		}
	}
	u := s.Items[0]
	env := u.Env
	env.Level = band.Name
	rate, lookups, err := s.Rate(env)
	if err != nil {
		return err
	}
	n := days.Len()
	q := quantity{Category: u.Item.Category, Zone: u.Zone, Unit: Days, Rate: rate, Lookups: lookups, Env: env,
		Quantity: decimal.NewFromInt(int64(n))}
	if s.Explain() {
		q.Steps = []string{fmt.Sprintf("granted %s h a month (%s) → level %s (from %s h); in force %d of %d days",
			hours, strings.Join(names, ", "), band.Name, band.FromHours, n, monthDays)}
	}
	s.Emit(q)
	return nil
}

// ---- per_activity --------------------------------------------------------

// perActivity pays a price per granted activity (pris per insats): the
// occurrences of each matching item on the days it is in force, less
// pauses (times × days, ÷ 7 for a weekly frequency, ÷ days in the month
// for a monthly one, rounded half up once), twice for an item ordered
// with double staffing, at the rate, usually a price list by KSI code:
// table("aktivitet", ksi). Items granted as minutes per month have no
// occurrences and are reported unpaid.
type perActivity struct{}

func (perActivity) Unit() unitKind      { return unitItem }
func (perActivity) Params() []paramSpec { return nil }

func (perActivity) Settle(s *scope) error {
	g := newGroups(s)
	for _, u := range s.Items {
		if u.Item.MinutesPerMonth > 0 {
			s.NotPaid(Unpaid{Kind: RecordDecision, ID: u.Decision.ID, Date: u.Grant.InForce.From, Reason: NoComponent,
				Minutes: int64(u.Grant.StaffMinutes), Detail: itemName(u.Item) + " is granted as minutes per month, not as activities"})
			continue
		}
		n := u.Item.OccurrencesFor(u.Grant.PaidDays, s.Period.Days()) * u.Item.Staff()
		q := quantity{Category: u.Item.Category, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		g.add(q, u.rateKey, int64(n))
		if s.Explain() {
			g.step(q, u.rateKey, fmt.Sprintf("decision %s, %s: %d × per %s, %d paid days, %d staff → %d activities",
				u.Decision.ID, itemName(u.Item), u.Item.Times, u.Item.Per, u.Grant.PaidDays, u.Item.Staff(), n))
		}
	}
	g.emit(s, Occurrences)
	return nil
}
