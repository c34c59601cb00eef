package reimbursement

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

func init() {
	for name, s := range map[string]Strategy{
		"granted_time":      grantedTime{},
		"performed_time":    performedTime{},
		"minimum_execution": minimumExecution{},
		"per_visit":         perVisit{},
		"per_listing":       perListing{},
		"fixed_monthly":     fixedMonthly{},
		"per_occurrence":    perOccurrence{},
		"level":             level{},
		"per_activity":      perActivity{},
	} {
		if err := Register(name, s); err != nil {
			panic(err)
		}
	}
}

var one = decimal.NewFromInt(1)

// groupKey identifies the line a unit's quantity goes to.
type groupKey struct {
	cat        models.Category
	zone, band string
	rate       string
}

// groups adds up integer quantities by line in order of first appearance.
type groups struct {
	keys  []groupKey
	qty   map[groupKey]int64
	first map[groupKey]Quantity
	steps map[groupKey][]string
}

func newGroups() *groups {
	return &groups{qty: map[groupKey]int64{}, first: map[groupKey]Quantity{}, steps: map[groupKey][]string{}}
}

// add adds n to the group of q; rateKey is q.Rate as a string.
func (g *groups) add(q Quantity, rateKey string, n int64) {
	k := groupKey{q.Category, q.Zone, q.Band, rateKey}
	if _, ok := g.qty[k]; !ok {
		g.keys = append(g.keys, k)
		g.first[k] = q
	}
	g.qty[k] += n
}

func (g *groups) step(q Quantity, rateKey, s string) {
	k := groupKey{q.Category, q.Zone, q.Band, rateKey}
	g.steps[k] = append(g.steps[k], s)
}

func (g *groups) emit(s *Scope, unit QuantityUnit) {
	for _, k := range g.keys {
		q := g.first[k]
		q.Unit = unit
		q.Quantity = decimal.NewFromInt(g.qty[k])
		q.Steps = append(q.Steps, g.steps[k]...)
		s.Emit(q)
	}
}

// ---- granted_time ----------------------------------------------------

// grantedTime pays the granted minutes (beviljad tid) of the matching
// items: prorated by the days from the start of execution to the end of
// the decision, less paused days. With absence_ladder, paused days are
// paid at a falling share: [{"days": 1, "share": "1"}, {"days": 4,
// "share": "0.5"}] pays the first day of an absence in full, days 2–5 at
// half, later days nothing. absence_reasons limits the ladder to some
// reasons ("hospital", "short_term_care", "other").
type grantedTime struct{}

func (grantedTime) Unit() Unit { return UnitItem }

func (grantedTime) Params() []ParamSpec {
	return []ParamSpec{
		{Name: "absence_ladder", Kind: ParamLadder, Doc: "shares paid for the days of an absence"},
		{Name: "absence_reasons", Kind: ParamStrings, Doc: "absence reasons the ladder applies to; default all"},
	}
}

func (grantedTime) Settle(s *Scope) error {
	for _, u := range s.Items {
		payItem(s, u, "")
		if err := payAbsences(s, u); err != nil {
			return err
		}
	}
	return nil
}

// payItem emits the granted minutes of one item unit.
func payItem(s *Scope, u ItemUnit, step string) {
	q := itemQuantity(u)
	q.Quantity = decimal.NewFromInt(int64(u.Grant.StaffMinutes))
	if s.Explain() {
		q.Steps = append(q.Steps, describeGrant(u))
		if step != "" {
			q.Steps = append(q.Steps, step)
		}
	}
	s.Emit(q)
}

func itemQuantity(u ItemUnit) Quantity {
	return Quantity{Category: u.Item.Category, Zone: u.Zone, Unit: Minutes, Rate: u.Rate, Lookups: u.Lookups, Env: u.Env}
}

// explainEnv returns env when the settlement explains its lines, nil
// otherwise, so bulk runs do not box an environment per unit.
func explainEnv[E any](s *Scope, env E) any {
	if s.Explain() {
		return env
	}
	return nil
}

func describeGrant(u ItemUnit) string {
	it := u.Item
	var what string
	if it.MinutesPerMonth > 0 {
		what = fmt.Sprintf("%d min per month", it.MinutesPerMonth)
	} else {
		what = fmt.Sprintf("%d min × %d per %s", it.Minutes, it.Times, it.Per)
	}
	if it.DoubleStaffing {
		what += ", double staffed"
	}
	g := u.Grant
	return fmt.Sprintf("decision %s, %s: %s; in force %s (%d days), %d paused → %d staff min",
		u.Decision.ID, itemName(it), what, g.InForce, g.Days, g.PausedDays, g.StaffMinutes)
}

func itemName(it *models.GrantedItem) string {
	switch {
	case it.Task != "":
		return it.Task
	case !it.KSI.IsZero():
		return it.KSI.String()
	}
	return it.Category.String()
}

// payAbsences pays the paused days of an item by the absence ladder.
func payAbsences(s *Scope, u ItemUnit) error {
	ladder := s.Component.Param("absence_ladder")
	if ladder == nil || u.Grant.PausedDays == 0 {
		return nil
	}
	reasons := s.Component.Param("absence_reasons")
	daysAt := map[int]int{} // ladder step → days
	for d := u.Grant.InForce.From; !d.After(u.Grant.InForce.To); d = d.AddDays(1) {
		a, ok := absenceOn(s.Absences(), d)
		if !ok || (reasons != nil && !slices.Contains(reasons.Strings(), a.Reason.String())) {
			continue
		}
		// Count from the first day of the absence, even in an earlier month.
		day := d.Sub(a.From) + 1
		at := 0
		for i, st := range ladder.Ladder() {
			at += st.Days
			if day <= at {
				daysAt[i]++
				break
			}
		}
	}
	monthDays := s.Period.Days()
	for i, st := range ladder.Ladder() {
		days := daysAt[i]
		if days == 0 || st.Share.IsZero() {
			continue
		}
		q := itemQuantity(u)
		q.Kind = "absence"
		q.Factor = st.Share
		q.Quantity = decimal.NewFromInt(int64(u.Item.MinutesFor(days, monthDays) * u.Item.Staff()))
		if s.Explain() {
			q.Steps = []string{fmt.Sprintf("decision %s, %s: %d paused days on ladder step %d paid at share %s",
				u.Decision.ID, itemName(u.Item), days, i+1, st.Share)}
		}
		s.Emit(q)
	}
	return nil
}

// absenceOn returns the absence covering d; when several do, the one that
// started first, so a day is counted once.
func absenceOn(as []models.Absence, d calendar.Date) (models.Absence, bool) {
	for _, a := range as {
		if a.Dates().Contains(d) {
			return a, true
		}
	}
	return models.Absence{}, false
}

// ---- performed_time --------------------------------------------------

// performedTime pays the performed minutes (utförd tid) of the matching
// visit segments, in their bands, after time rounding. A double-staffed
// visit counts twice only when the decision orders double staffing.
//
// cap is an expression in CapEnv giving the most minutes payable per
// category, e.g. "granted" (capped by the decision) or
// "performed[\"sol\"] * 0.17" (at most 17 % of what component sol paid);
// it is rounded down to whole minutes and applied in chronological order,
// so the minutes beyond it are the last performed in the month.
// require_decision (default true) leaves unpaid the visits no decision
// covers. declined_share is an expression giving the share of a declined
// visit's minutes that is paid (default: nothing).
type performedTime struct{}

func (performedTime) Unit() Unit { return UnitSegment }

func (performedTime) Params() []ParamSpec {
	return []ParamSpec{
		{Name: "cap", Kind: ParamCapExpr, Doc: "most minutes payable per category"},
		{Name: "require_decision", Kind: ParamBool, Doc: "pay only visits a decision covers (default true)"},
		{Name: "declined_share", Kind: ParamExpr, Doc: "share of a declined visit paid"},
	}
}

func requireDecision(s *Scope, def bool) bool {
	if p := s.Component.Param("require_decision"); p != nil {
		return p.Bool()
	}
	return def
}

func (performedTime) Settle(s *Scope) error {
	needDecision := requireDecision(s, true)
	g := newGroups()
	declined := newGroups()
	declinedShare := map[string]decimal.Decimal{}
	reported := map[*models.Visit]bool{}
	type paid struct {
		u *SegmentUnit
		m int64
	}
	var byCat [][]paid
	var cats []models.Category
	for i := range s.Segments {
		u := &s.Segments[i]
		m := u.Minutes * int64(u.Staff)
		if u.Visit.Declined {
			if err := payDeclined(s, declined, declinedShare, u.Env, segQuantity(s, u), m, u.Visit, u.Date, reported); err != nil {
				return err
			}
			continue
		}
		if needDecision && !u.HasDecision {
			if !reported[u.Visit] {
				reported[u.Visit] = true
				s.NotPaid(Unpaid{Kind: "visit", ID: u.Visit.ID, Date: u.Date, Reason: NoDecision, Minutes: m,
					Detail: fmt.Sprintf("no decision grants %s on %s", u.Category, u.Date)})
			}
			continue
		}
		i := slices.Index(cats, u.Category)
		if i < 0 {
			i = len(cats)
			cats = append(cats, u.Category)
			byCat = append(byCat, nil)
		}
		byCat[i] = append(byCat[i], paid{u, m})
	}
	capParam := s.Component.Param("cap")
	for i, cat := range cats {
		segs := byCat[i]
		var total int64
		for _, p := range segs {
			total += p.m
		}
		limit := total
		var capStep string
		if capParam != nil {
			env := CapEnv{Base: s.Base(segs[0].u.Zone), Category: cat.String(),
				Granted: decimal.NewFromInt(s.Granted(cat)), Performed: s.c.paidDecimals()}
			v, err := s.Eval(capParam, env)
			if err != nil {
				return err
			}
			limit = max(0, v.Floor().IntPart())
			if s.Explain() {
				capStep = fmt.Sprintf("cap %s = %s min for %s; performed %d min", capParam.Source, v, cat, total)
			}
		}
		remaining := limit
		above := map[*models.Visit]int64{}
		var aboveOrder []*models.Visit
		for _, p := range segs {
			pay := min(p.m, remaining)
			remaining -= pay
			if pay > 0 {
				q := segQuantity(s, p.u)
				g.add(q, p.u.rateKey, pay)
				if capStep != "" {
					g.step(q, p.u.rateKey, capStep)
				}
			}
			if rest := p.m - pay; rest > 0 {
				if _, ok := above[p.u.Visit]; !ok {
					aboveOrder = append(aboveOrder, p.u.Visit)
				}
				above[p.u.Visit] += rest
			}
		}
		for _, v := range aboveOrder {
			s.NotPaid(Unpaid{Kind: "visit", ID: v.ID, Date: calendar.DateOf(v.Start.In(s.Period.Location)), Reason: AboveCap,
				Minutes: above[v], Detail: fmt.Sprintf("%s cap %d min reached", cat, limit)})
		}
		if capStep != "" && total > limit {
			for _, k := range g.keys {
				if k.cat == cat {
					g.steps[k] = append(g.steps[k], fmt.Sprintf("%d min above the cap not paid: the last performed in the month", total-limit))
					break
				}
			}
		}
	}
	g.emit(s, Minutes)
	declined.emitDeclined(s, Minutes, declinedShare)
	return nil
}

func segQuantity(s *Scope, u *SegmentUnit) Quantity {
	return Quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
}

// payDeclined counts a declined visit's quantity at the share the
// component's declined_share gives, or reports it unpaid.
func payDeclined(s *Scope, g *groups, shares map[string]decimal.Decimal, env VisitEnv, q Quantity, n int64,
	v *models.Visit, d calendar.Date, reported map[*models.Visit]bool) error {
	p := s.Component.Param("declined_share")
	share := decimal.Decimal{}
	if p != nil {
		var err error
		if share, err = s.Eval(p, env); err != nil {
			return err
		}
		if share.IsNegative() || share.GreaterThan(one) {
			return fmt.Errorf("declined_share %s for visit %s is not 0–1", share, v.ID)
		}
	}
	if share.IsZero() {
		if !reported[v] {
			reported[v] = true
			s.NotPaid(Unpaid{Kind: "visit", ID: v.ID, Date: d, Reason: Declined, Minutes: n,
				Detail: "declined by the customer; the tariff pays no share"})
		}
		return nil
	}
	q.Kind = "declined"
	q.Factor = share
	k := groupKey{q.Category, q.Zone, q.Band, q.Rate.String() + "×" + share.String()} // declined visits are few
	if _, ok := g.qty[k]; !ok {
		g.keys = append(g.keys, k)
		g.first[k] = q
		shares[k.rate] = share
	}
	g.qty[k] += n
	return nil
}

func (g *groups) emitDeclined(s *Scope, unit QuantityUnit, shares map[string]decimal.Decimal) {
	for _, k := range g.keys {
		q := g.first[k]
		q.Unit = unit
		q.Quantity = decimal.NewFromInt(g.qty[k])
		if s.Explain() {
			step := fmt.Sprintf("declined visits paid at share %s", shares[k.rate])
			if src := s.Component.Param("declined_share").Source; src != shares[k.rate].String() {
				step += " (" + src + ")"
			}
			q.Steps = []string{step}
		}
		s.Emit(q)
	}
}

// ---- minimum_execution -------------------------------------------------

// minimumExecution pays the granted time in full when the performed share
// (utförandegrad: performed ÷ granted minutes, per category, rounded to
// four decimals) reaches threshold; below it, by below: "performed" pays
// the performed minutes (capped at granted), "deduction" pays granted time
// less the share deduction, "share" pays granted time × the achieved
// share.
type minimumExecution struct{}

func (minimumExecution) Unit() Unit { return UnitItem }

func (minimumExecution) Params() []ParamSpec {
	return []ParamSpec{
		{Name: "threshold", Kind: ParamExpr, Required: true, Doc: "least performed share for full payment, e.g. 0.80"},
		{Name: "below", Kind: ParamString, Required: true, Choices: []string{"performed", "deduction", "share"}},
		{Name: "deduction", Kind: ParamExpr, Doc: "share deducted below the threshold (below: deduction)"},
	}
}

func (minimumExecution) Settle(s *Scope) error {
	below := s.Component.Param("below").String()
	if below == "deduction" && s.Component.Param("deduction") == nil {
		return fmt.Errorf("below is deduction but no deduction is given")
	}
	var cats []models.Category
	for _, u := range s.Items {
		if !slices.Contains(cats, u.Item.Category) {
			cats = append(cats, u.Item.Category)
		}
	}
	for _, cat := range cats {
		var items []ItemUnit
		var granted int64
		for _, u := range s.Items {
			if u.Item.Category == cat {
				items = append(items, u)
				granted += int64(u.Grant.StaffMinutes)
			}
		}
		if granted == 0 {
			continue
		}
		performed := s.Performed(cat)
		share := shareOf(performed, granted)
		threshold, err := s.Eval(s.Component.Param("threshold"), items[0].Env)
		if err != nil {
			return err
		}
		head := fmt.Sprintf("%s: performed %d of %d granted min, share %s", cat, performed, granted, plain(share))
		if share.GreaterThanOrEqual(threshold) {
			for _, u := range items {
				payItem(s, u, fmt.Sprintf("%s ≥ threshold %s: granted time paid in full", head, plain(threshold)))
			}
			continue
		}
		switch below {
		case "performed":
			left := min(performed, granted)
			for _, u := range items {
				pay := min(left, int64(u.Grant.StaffMinutes))
				left -= pay
				q := itemQuantity(u)
				q.Kind = "performed"
				q.Quantity = decimal.NewFromInt(pay)
				if s.Explain() {
					q.Steps = []string{describeGrant(u), fmt.Sprintf("%s < threshold %s: performed time paid, at most the granted time", head, plain(threshold))}
				}
				s.Emit(q)
			}
		case "deduction":
			d, err := s.Eval(s.Component.Param("deduction"), items[0].Env)
			if err != nil {
				return err
			}
			if d.IsNegative() || d.GreaterThan(one) {
				return fmt.Errorf("deduction %s is not 0–1", d)
			}
			for _, u := range items {
				q := itemQuantity(u)
				q.Kind = "deduction"
				q.Quantity = decimal.NewFromInt(int64(u.Grant.StaffMinutes))
				q.Factor = one.Sub(d)
				if s.Explain() {
					q.Steps = []string{describeGrant(u), fmt.Sprintf("%s < threshold %s: granted time less %s", head, plain(threshold), plain(d))}
				}
				s.Emit(q)
			}
		case "share":
			for _, u := range items {
				q := itemQuantity(u)
				q.Kind = "share"
				q.Quantity = decimal.NewFromInt(int64(u.Grant.StaffMinutes))
				q.Factor = share
				if s.Explain() {
					q.Steps = []string{describeGrant(u), fmt.Sprintf("%s < threshold %s: granted time × share", head, plain(threshold))}
				}
				s.Emit(q)
			}
		}
	}
	return nil
}

// ---- per_visit -----------------------------------------------------------

// perVisit pays an amount per matching visit, by the zone and the band of
// the visit's start (home visits by licensed staff, night visits).
// require_decision (default false) and declined_share work as for
// performed_time; a declined visit's share is of the visit amount.
type perVisit struct{}

func (perVisit) Unit() Unit { return UnitVisit }

func (perVisit) Params() []ParamSpec {
	return []ParamSpec{
		{Name: "require_decision", Kind: ParamBool, Doc: "pay only visits a decision covers (default false)"},
		{Name: "declined_share", Kind: ParamExpr, Doc: "share of a declined visit paid"},
	}
}

func (perVisit) Settle(s *Scope) error {
	needDecision := requireDecision(s, false)
	g, declined := newGroups(), newGroups()
	shares := map[string]decimal.Decimal{}
	reported := map[*models.Visit]bool{}
	for _, u := range s.Visits {
		q := Quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		if u.Visit.Declined {
			if err := payDeclined(s, declined, shares, u.Env, q, 1, u.Visit, u.Date, reported); err != nil {
				return err
			}
			continue
		}
		if needDecision && !u.HasDecision {
			s.NotPaid(Unpaid{Kind: "visit", ID: u.Visit.ID, Date: u.Date, Reason: NoDecision,
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

func (perListing) Unit() Unit            { return UnitListing }
func (perListing) Params() []ParamSpec   { return nil }
func (perListing) Settle(s *Scope) error { return settleListings(s) }

func settleListings(s *Scope) error {
	g := newGroups()
	for _, u := range s.Listings {
		cat := models.HomeHealthCare
		if u.Listing.Kind == models.ListingRehabilitation {
			cat = models.Rehabilitation
		}
		q := Quantity{Category: cat, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
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

func (fixedMonthly) Unit() Unit          { return UnitItem }
func (fixedMonthly) Params() []ParamSpec { return nil }

func (fixedMonthly) Settle(s *Scope) error {
	type acc struct {
		q    Quantity
		days uint32 // bit d-1 set: day d in force
	}
	var keys []groupKey
	accs := map[groupKey]*acc{}
	for _, u := range s.Items {
		q := Quantity{Category: u.Item.Category, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: u.Env}
		k := groupKey{q.Category, q.Zone, "", q.Rate.String()}
		a, ok := accs[k]
		if !ok {
			a = &acc{q: q}
			accs[k] = a
			keys = append(keys, k)
		}
		a.days |= daysMask(u.Grant.InForce)
	}
	for _, k := range keys {
		a := accs[k]
		q := a.q
		q.Unit = Days
		days := bits.OnesCount32(a.days)
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

func (perOccurrence) Unit() Unit          { return UnitEvent }
func (perOccurrence) Params() []ParamSpec { return nil }

func (perOccurrence) Settle(s *Scope) error {
	g := newGroups()
	for _, u := range s.Events {
		g.add(Quantity{Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}, u.rateKey, 1)
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

func (level) Unit() Unit         { return UnitItem }
func (level) PricesItself() bool { return true }

func (level) Params() []ParamSpec {
	return []ParamSpec{{Name: "levels", Kind: ParamLevels, Required: true, Doc: "bands of granted hours per month"}}
}

func (level) Settle(s *Scope) error {
	monthDays := s.Period.Days()
	var minutes int64
	var days uint32
	var names []string
	seen := map[*models.GrantedItem]bool{}
	for _, u := range s.Items {
		if !seen[u.Item] {
			seen[u.Item] = true
			minutes += int64(u.Item.MonthlyMinutes(monthDays) * u.Item.Staff())
		}
		days |= daysMask(u.Grant.InForce)
		if n := itemName(u.Item); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	hours := decimal.NewFromInt(minutes).DivRound(decimal.NewFromInt(60), 4)
	bands := s.Component.Param("levels").Levels()
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
	n := bits.OnesCount32(days)
	q := Quantity{Kind: "", Category: u.Item.Category, Zone: u.Zone, Unit: Days, Rate: rate, Lookups: lookups, Env: env,
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

func (perActivity) Unit() Unit          { return UnitItem }
func (perActivity) Params() []ParamSpec { return nil }

func (perActivity) Settle(s *Scope) error {
	g := newGroups()
	for _, u := range s.Items {
		if u.Item.MinutesPerMonth > 0 {
			s.NotPaid(Unpaid{Kind: "decision", ID: u.Decision.ID, Date: u.Grant.InForce.From, Reason: NoComponent,
				Minutes: int64(u.Grant.StaffMinutes), Detail: itemName(u.Item) + " is granted as minutes per month, not as activities"})
			continue
		}
		n := u.Item.OccurrencesFor(u.Grant.PaidDays, s.Period.Days()) * u.Item.Staff()
		q := Quantity{Category: u.Item.Category, Zone: u.Zone, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
		g.add(q, u.rateKey, int64(n))
		if s.Explain() {
			g.step(q, u.rateKey, fmt.Sprintf("decision %s, %s: %d × per %s, %d paid days, %d staff → %d activities",
				u.Decision.ID, itemName(u.Item), u.Item.Times, u.Item.Per, u.Grant.PaidDays, u.Item.Staff(), n))
		}
	}
	g.emit(s, Occurrences)
	return nil
}
