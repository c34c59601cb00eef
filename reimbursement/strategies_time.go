package reimbursement

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// The strategies that pay a visit by a time other than its performed
// time: a standard time per task, or the planned time.

// ---- standard_time -------------------------------------------------------

// standardTime pays each matching performed visit a standard time
// (schablontid) whatever it lasted: minutes is an expression in the
// visit's environment giving the standard minutes, e.g.
// "table('standardtid', task)" (cleaning 45, laundry 30, shopping 40...)
// or "10" for a check-in visit (trygghetsbesök); it is rounded half up to
// whole minutes and counted once per staff member paid (twice when the
// decision orders double staffing). The rate is per hour, as for
// performed time. require_decision (default true) leaves unpaid the
// visits no decision covers; declined visits are not paid (pay them with
// planned_time). So that the hourly component does not pay the same
// visits, the component names it in instead_of.
type standardTime struct{}

func (standardTime) Unit() unitKind { return unitVisit }

func (standardTime) Params() []paramSpec {
	return []paramSpec{
		{Name: "minutes", Kind: paramExpr, Required: true, Min: "0", Max: "1440", Doc: "standard minutes per visit, e.g. table('standardtid', task)"},
		{Name: "require_decision", Kind: paramBool, Doc: "pay only visits a decision covers (default true)"},
	}
}

func (standardTime) Settle(s *scope) error {
	needDecision := requireDecision(s, true)
	p := s.Component.param("minutes")
	g := newGroups(s)
	for i := range s.Visits {
		u := &s.Visits[i]
		if u.Visit.Declined {
			wholeVisitNotPaid(s, u, Declined, "avböjt av brukaren; normtid betalas för utförda besök")
			continue
		}
		if needDecision && !u.HasDecision {
			wholeVisitNotCovered(s, u)
			continue
		}
		m, err := s.evalVisit(p, *u.Env)
		if err != nil {
			return err
		}
		if m.IsNegative() || m.GreaterThan(decimal.NewFromInt(24*60)) {
			return fmt.Errorf("minutes %s for visit %s is not 0–1440", m, u.Visit.ID)
		}
		std := m.Round(0).IntPart()
		q := quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups, Env: explainVisit(s, u.Env)}
		g.add(&q, std*int64(u.Staff), UnitRef{Kind: RecordVisit, ID: u.Visit.ID, Minutes: u.Minutes * int64(u.Staff)})
		reportExtraStaff(s, u)
		if s.Explain() {
			g.step(&q, fmt.Sprintf("%s: normtid %d min per besök × %d personal (%s), oavsett besökets längd",
				u.Env.Task, std, u.Staff, p.Source))
		}
	}
	return g.emit(s, Minutes)
}

// ---- planned_time --------------------------------------------------------

// plannedTime pays the planned minutes (planerad tid) of each matching
// visit, at a share: declined visits and visits cancelled at the door
// (avböjda besök) are paid at a share of the time they were planned for,
// the share differing by task. share is an expression in the visit's
// environment, e.g. "table('bomtid', task)", between 0 and 1 (default 1).
// A visit without planned minutes is reported unpaid (no_planned_time).
// The planned minutes count once per staff member paid. The line is of
// kind "declined" for declined visits. So that performed time does not
// also count them, the component names the hourly component in
// instead_of; its when is usually "declined".
type plannedTime struct{}

func (plannedTime) Unit() unitKind { return unitVisit }

func (plannedTime) Params() []paramSpec {
	return []paramSpec{
		{Name: "share", Kind: paramExpr, Min: shareMin, Max: shareMax, Doc: "share of the planned time paid, 0–1 (default 1)"},
		{Name: "require_decision", Kind: paramBool, Doc: "pay only visits a decision covers (default true)"},
	}
}

func (plannedTime) Settle(s *scope) error {
	needDecision := requireDecision(s, true)
	p := s.Component.param("share")
	g := newGroups(s)
	for i := range s.Visits {
		u := &s.Visits[i]
		if u.Visit.PlannedMinutes == 0 {
			wholeVisitNotPaid(s, u, NoPlannedTime, "komponenten betalar planerad tid och besöket har ingen")
			continue
		}
		if needDecision && !u.HasDecision {
			wholeVisitNotCovered(s, u)
			continue
		}
		share, src := one, "1"
		if p != nil {
			var err error
			if share, err = s.evalVisit(p, *u.Env); err != nil {
				return err
			}
			src = p.Source
		}
		if !isShare(share) {
			return fmt.Errorf("share %s for visit %s is not 0–1", share, u.Visit.ID)
		}
		if share.IsZero() {
			wholeVisitNotPaid(s, u, Declined, "komponenten "+s.Component.name+" betalar ingen andel av den planerade tiden")
			continue
		}
		q := quantity{Category: u.Category, Zone: u.Zone, Band: u.Band, Rate: u.Rate, Lookups: u.Lookups,
			Env: explainVisit(s, u.Env)}
		q.scale(share)
		if u.Visit.Declined {
			q.Kind = KindDeclined
		}
		g.add(&q, int64(u.Visit.PlannedMinutes)*int64(u.Staff), UnitRef{Kind: RecordVisit, ID: u.Visit.ID, Minutes: u.Minutes * int64(u.Staff)})
		reportExtraStaff(s, u)
		if s.Explain() {
			// One step a visit, naming its planned minutes: the line
			// counts them, not the minutes its records carry, and says
			// "se steg" (found by trial128). A share written as the number
			// it is is said once.
			said := ""
			if src != share.String() {
				said = " (" + src + ")"
			}
			g.step(&q, fmt.Sprintf("besök %s, %s: planerad tid %d min × %d personal = %d min, betalas med andelen %s%s",
				u.Visit.ID, u.Env.Task, u.Visit.PlannedMinutes, u.Staff, int64(u.Visit.PlannedMinutes)*int64(u.Staff), share, said))
		}
	}
	return g.emit(s, Minutes)
}

// everyStaffReported notes that a report of visit u names the minutes of
// every staff member present (a visit declined, not covered, without
// planned time): those of the staff beyond the ones paid for are among
// them, and are not reported extra_staff again, by a component stacked
// on it or by the visit's segments (see matched.extraStaff). A report of
// a component that stacks says what it does not pay on top, not why the
// base does not pay: it notes nothing, and the base's extra_staff stands. They were:
// a standard time's no_decision of 2 × 60 min beside a night's performed
// time stacked on it, 30 min extra_staff, 150 min of a visit of 120.
func everyStaffReported(s *scope, u *visitUnit) {
	if !s.Component.stacks {
		s.c.w.matched.extraStaff[u.pos] = true
	}
}

// wholeVisitNotPaid reports visit u, which a component paying whole
// visits by their minutes does not pay, for reason r, with the minutes
// of every staff member present (see everyStaffReported).
func wholeVisitNotPaid(s *scope, u *visitUnit, r Reason, detail string) {
	s.NotPaid(Unpaid{Kind: RecordVisit, ID: u.Visit.ID, Date: u.Date, Reason: r, Minutes: u.Minutes * int64(u.Present), Detail: detail})
	everyStaffReported(s, u)
}

// wholeVisitNotCovered reports visit u, which no decision covers, as
// wholeVisitNotPaid does (scope.notCovered gives the reason).
func wholeVisitNotCovered(s *scope, u *visitUnit) {
	s.notCovered(u.Visit, u.Category, u.Minutes*int64(u.Present))
	everyStaffReported(s, u)
}

// reportExtraStaff reports the minutes of the staff present at a visit
// paid by the visit's minutes beyond those paid for (extra_staff), as the
// components of segments do: once a visit, though a stacked component
// pays it again (a standard time on top of performed time; see
// matched.extraStaff).
func reportExtraStaff(s *scope, u *visitUnit) {
	if done := s.c.w.matched.extraStaff; u.Present > u.Staff && !done[u.pos] {
		done[u.pos] = true
		s.NotPaid(Unpaid{Kind: RecordVisit, ID: u.Visit.ID, Date: u.Date, Reason: ExtraStaff, Minutes: u.Minutes * int64(u.Present-u.Staff),
			Detail: fmt.Sprintf("%d personal närvarande, %d betalas: dubbelbemanning är inte beviljad", u.Present, u.Staff)})
	}
}
