package reimbursement

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

func init() {
	for name, s := range map[string]strategy{
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
		if err := register(name, s); err != nil {
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
	byBand bool // keep bands apart (Component.ByBand)
	keys   []groupKey
	qty    map[groupKey]int64
	first  map[groupKey]quantity
	steps  map[groupKey][]string
}

func newGroups(s *scope) *groups {
	return &groups{byBand: s.Component.byBand,
		qty: map[groupKey]int64{}, first: map[groupKey]quantity{}, steps: map[groupKey][]string{}}
}

// key returns the group of q at rate (q.Rate as a string). Bands share a
// group unless the component's rate reads the band, as they share a line.
func (g *groups) key(q quantity, rate string) groupKey {
	if !g.byBand {
		return groupKey{q.Category, q.Zone, "", rate}
	}
	return groupKey{q.Category, q.Zone, q.Band, rate}
}

// add adds n to the group of q; rateKey is q.Rate as a string.
func (g *groups) add(q quantity, rateKey string, n int64) {
	k := g.key(q, rateKey)
	if _, ok := g.qty[k]; !ok {
		g.keys = append(g.keys, k)
		g.first[k] = q
	}
	g.qty[k] += n
}

func (g *groups) step(q quantity, rateKey, s string) {
	k := g.key(q, rateKey)
	g.steps[k] = append(g.steps[k], s)
}

func (g *groups) emit(s *scope, unit Unit) {
	for _, k := range g.keys {
		q := g.first[k]
		q.Unit = unit
		q.Quantity = decimal.NewFromInt(g.qty[k])
		q.Steps = append(q.Steps, g.steps[k]...)
		q.rateKey = k.rate
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

func (grantedTime) Unit() unitKind { return unitItem }

func (grantedTime) Params() []paramSpec {
	return []paramSpec{
		{Name: "absence_ladder", Kind: paramLadder, Doc: "shares paid for the days of an absence"},
		{Name: "absence_reasons", Kind: paramStrings, Canon: canonicalReason, Doc: "absence reasons the ladder applies to; default all"},
	}
}

func (grantedTime) Settle(s *scope) error {
	for _, u := range s.Items {
		payItem(s, u, "")
		if err := payAbsences(s, u); err != nil {
			return err
		}
	}
	return nil
}

// payItem emits the granted minutes of one item unit.
func payItem(s *scope, u itemUnit, step string) {
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

func itemQuantity(u itemUnit) quantity {
	return quantity{Category: u.Item.Category, Zone: u.Zone, Unit: Minutes, Rate: u.Rate, Lookups: u.Lookups, Env: u.Env}
}

// explainEnv returns env when the settlement explains its lines, nil
// otherwise, so bulk runs do not box an environment per unit.
func explainEnv[E any](s *scope, env E) any {
	if s.Explain() {
		return env
	}
	return nil
}

func describeGrant(u itemUnit) string {
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
func payAbsences(s *scope, u itemUnit) error {
	ladder := s.Component.param("absence_ladder")
	if ladder == nil || u.Grant.PausedDays == 0 {
		return nil
	}
	reasons := s.Component.param("absence_reasons")
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
		q.Kind = KindAbsence
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

func (performedTime) Unit() unitKind { return unitSegment }

func (performedTime) Params() []paramSpec {
	return []paramSpec{
		{Name: "cap", Kind: paramCapExpr, Min: "0", Max: capMax, Doc: "most minutes payable per category"},
		{Name: "require_decision", Kind: paramBool, Doc: "pay only visits a decision covers (default true)"},
		{Name: "declined_share", Kind: paramExpr, Min: shareMin, Max: shareMax, Doc: "share of a declined visit paid"},
	}
}

func requireDecision(s *scope, def bool) bool {
	if p := s.Component.param("require_decision"); p != nil {
		return p.Bool()
	}
	return def
}

func (performedTime) Settle(s *scope) error {
	needDecision := requireDecision(s, true)
	g := newGroups(s)
	declined := newGroups(s)
	declinedShare := map[string]decimal.Decimal{}
	reported := map[*models.Visit]bool{}
	type paid struct {
		u *segmentUnit
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
				s.NotPaid(Unpaid{Kind: RecordVisit, ID: u.Visit.ID, Date: u.Date, Reason: NoDecision, Minutes: m,
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
	capParam := s.Component.param("cap")
	for i, cat := range cats {
		segs := byCat[i]
		var total int64
		for _, p := range segs {
			total += p.m
		}
		limit := total
		var capStep string
		if capParam != nil {
			env := capEnv{baseEnv: s.Base(segs[0].u.Zone), Category: cat.String(),
				Granted: decimal.NewFromInt(s.Granted(cat))}
			if s.Version.uses["performed"] {
				env.Performed = s.c.paidDecimals()
			}
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
			s.NotPaid(Unpaid{Kind: RecordVisit, ID: v.ID, Date: calendar.DateOf(v.Start.In(s.Period.Location)), Reason: AboveCap,
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

func segQuantity(s *scope, u *segmentUnit) quantity {
	return quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainEnv(s, u.Env)}
}

// payDeclined counts a declined visit's quantity at the share the
// component's declined_share gives, or reports it unpaid.
func payDeclined(s *scope, g *groups, shares map[string]decimal.Decimal, env visitEnv, q quantity, n int64,
	v *models.Visit, d calendar.Date, reported map[*models.Visit]bool) error {
	p := s.Component.param("declined_share")
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
			s.NotPaid(Unpaid{Kind: RecordVisit, ID: v.ID, Date: d, Reason: Declined, Minutes: n,
				Detail: "declined by the customer; the tariff pays no share"})
		}
		return nil
	}
	q.Kind = KindDeclined
	q.Factor = share
	k := g.key(q, q.Rate.String()+"×"+share.String()) // declined visits are few
	if _, ok := g.qty[k]; !ok {
		g.keys = append(g.keys, k)
		g.first[k] = q
		shares[k.rate] = share
	}
	g.qty[k] += n
	return nil
}

func (g *groups) emitDeclined(s *scope, unit Unit, shares map[string]decimal.Decimal) {
	for _, k := range g.keys {
		q := g.first[k]
		q.Unit = unit
		q.Quantity = decimal.NewFromInt(g.qty[k])
		if s.Explain() {
			step := fmt.Sprintf("declined visits paid at share %s", shares[k.rate])
			if src := s.Component.param("declined_share").Source; src != shares[k.rate].String() {
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

func (minimumExecution) Unit() unitKind { return unitItem }

func (minimumExecution) Params() []paramSpec {
	return []paramSpec{
		{Name: "threshold", Kind: paramExpr, Required: true, Min: shareMin, Max: shareMax, Doc: "least performed share for full payment, e.g. 0.80"},
		{Name: "below", Kind: paramString, Required: true, Choices: []string{"performed", "deduction", "share"}},
		{Name: "deduction", Kind: paramExpr, Min: shareMin, Max: shareMax, Doc: "share deducted below the threshold (below: deduction)"},
	}
}

// checkParams requires deduction exactly when below is "deduction".
func (minimumExecution) checkParams(param func(string) *param, bad func(string, error)) {
	below := param("below")
	if below == nil {
		return
	}
	switch d := param("deduction"); {
	case below.String() == "deduction" && d == nil:
		bad("deduction", errors.New("missing: below is \"deduction\""))
	case below.String() != "deduction" && d != nil:
		bad("deduction", fmt.Errorf("given, but below is %q: it would never be used", below.String()))
	}
}

// canonicalReason reads an absence reason as datasets do
// (models.ParseAbsenceReason) and returns its one canonical spelling.
func canonicalReason(s string) (string, error) {
	r, err := models.ParseAbsenceReason(s)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}

func (minimumExecution) Settle(s *scope) error {
	below := s.Component.param("below").String()
	if below == "deduction" && s.Component.param("deduction") == nil {
		return fmt.Errorf("below is deduction but no deduction is given")
	}
	var cats []models.Category
	for _, u := range s.Items {
		if !slices.Contains(cats, u.Item.Category) {
			cats = append(cats, u.Item.Category)
		}
	}
	for _, cat := range cats {
		var items []itemUnit
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
		threshold, err := s.Eval(s.Component.param("threshold"), items[0].Env)
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
				q.Kind = KindPerformed
				q.Quantity = decimal.NewFromInt(pay)
				if s.Explain() {
					q.Steps = []string{describeGrant(u), fmt.Sprintf("%s < threshold %s: performed time paid, at most the granted time", head, plain(threshold))}
				}
				s.Emit(q)
			}
		case "deduction":
			d, err := s.Eval(s.Component.param("deduction"), items[0].Env)
			if err != nil {
				return err
			}
			if d.IsNegative() || d.GreaterThan(one) {
				return fmt.Errorf("deduction %s is not 0–1", d)
			}
			for _, u := range items {
				q := itemQuantity(u)
				q.Kind = KindDeduction
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
				q.Kind = KindShare
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
