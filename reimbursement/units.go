package reimbursement

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// Building the units of one case: the month cut into runs of one version
// and zone, granted items over those runs, visits split into band
// segments, listings and events.

// buildSlices splits the month into runs of one version and zone.
func (c *caseState) buildSlices() {
	p := c.w.in.period
	for day := 1; day <= p.Days(); day++ {
		d := calendar.Date{Year: p.Year, Month: p.Month, Day: day}
		vi := c.w.in.dayVersion[day-1]
		zone := c.in.customer.ZoneOn(d)
		if n := len(c.slices); n > 0 && c.slices[n-1].vi == vi && c.slices[n-1].zone == zone {
			c.slices[n-1].dates.To = d
			continue
		}
		c.slices = append(c.slices, slice{vi: vi, zone: zone, dates: calendar.DateRange{From: d, To: d}})
	}
}

func (c *caseState) knowsZone(vi int, zone string) bool {
	return slices.Contains(c.w.in.versions[vi].zones, zone)
}

func (c *caseState) buildItems() {
	p := c.w.in.period
	absences := c.w.in.absences[c.in.customer.ID]
	for _, d := range c.in.decisions {
		if _, ok := d.InForce(); !ok {
			if _, n := p.Overlap(calendar.DateRange{From: d.ValidFrom, To: d.ValidTo}); n > 0 {
				c.notPaid(RecordDecision, d.ID, calendar.Date{}, NotStarted, 0, "execution has not started")
			}
			continue
		}
		for i := range d.Items {
			// Granted time is rounded once per item and version; the
			// zones within a version share it out (see shareOut).
			for _, run := range c.versionRuns() {
				whole := d.GrantedWithin(i, p, run.dates, absences)
				if whole.Days == 0 {
					continue
				}
				parts := make([]models.Grant, len(run.slices))
				for j, s := range run.slices {
					parts[j] = d.GrantedWithin(i, p, s.dates, absences)
				}
				shareOut(&d.Items[i], whole, parts, p.Days())
				for j, s := range run.slices {
					if parts[j].Days > 0 {
						c.addItem(d, i, s, parts[j])
					}
				}
			}
		}
	}
}

// versionRun is the slices of one version (or of no version, vi −1).
type versionRun struct {
	vi     int
	dates  calendar.DateRange
	slices []slice
}

func (c *caseState) versionRuns() []versionRun {
	var runs []versionRun
	for _, s := range c.slices {
		if n := len(runs); n > 0 && runs[n-1].vi == s.vi {
			runs[n-1].dates.To = s.dates.To
			runs[n-1].slices = append(runs[n-1].slices, s)
			continue
		}
		runs = append(runs, versionRun{vi: s.vi, dates: s.dates, slices: []slice{s}})
	}
	return runs
}

// shareOut divides whole.Minutes, rounded once, among the parts in
// proportion to their exact minutes, by largest remainder (ties to the
// earlier part), so that the parts add up to the whole.
func shareOut(item *models.GrantedItem, whole models.Grant, parts []models.Grant, monthDays int) {
	left := whole.Minutes
	rems := make([]int, len(parts))
	for j := range parts {
		num, den := item.Prorate(parts[j].PaidDays, monthDays)
		parts[j].Minutes = num / den
		rems[j] = num % den
		left -= parts[j].Minutes
	}
	for left > 0 {
		best := -1
		for j := range parts {
			if parts[j].PaidDays > 0 && (best < 0 || rems[j] > rems[best]) {
				best = j
			}
		}
		if best < 0 {
			break
		}
		parts[best].Minutes++
		rems[best] = -1
		left--
	}
	for j := range parts {
		parts[j].StaffMinutes = parts[j].Minutes * item.Staff()
	}
}

func (c *caseState) addItem(d *models.Decision, i int, s slice, g models.Grant) {
	item := &d.Items[i]
	if s.vi < 0 {
		c.notPaid(RecordDecision, d.ID, g.InForce.From, NoTariff, int64(g.StaffMinutes), fmt.Sprintf("item %d, %s", i, g.InForce))
		return
	}
	if !c.knowsZone(s.vi, s.zone) {
		c.notPaid(RecordDecision, d.ID, g.InForce.From, UnknownZone, int64(g.StaffMinutes), fmt.Sprintf("zone %q", s.zone))
		return
	}
	c.granted[s.vi][item.Category] += int64(g.StaffMinutes)
	env := itemEnv{baseEnv: c.base(s.zone), Category: item.Category.String(), Task: item.Task,
		KSI: item.KSI.String(), Per: item.Per.String(), DoubleStaffing: item.DoubleStaffing, Decision: d.ID}
	if item.Per == models.FrequencyUnknown {
		env.Per = ""
	}
	c.units[s.vi].items = append(c.units[s.vi].items, itemUnit{Decision: d, Item: item, Grant: g, Zone: s.zone, Env: env})
}

// decisionFor reports whether a decision of the case grants the category
// on d, and whether it orders double staffing for it.
func (c *caseState) decisionFor(cat models.Category, d calendar.Date) (has, double bool) {
	for _, dec := range c.in.decisions {
		r, ok := dec.InForce()
		if !ok || !r.Contains(d) {
			continue
		}
		for i := range dec.Items {
			if dec.Items[i].Category == cat {
				has = true
				double = double || dec.Items[i].DoubleStaffing
			}
		}
	}
	return has, double
}

func (c *caseState) buildVisits() {
	in := c.w.in
	loc := in.period.Location
	for pos, v := range c.in.visits {
		start := v.Start.In(loc)
		date := calendar.DateOf(start)
		if !in.period.Contains(start) {
			c.notPaid(RecordVisit, v.ID, date, OutsidePeriod, 0, "")
			continue
		}
		if !v.Approved {
			c.notPaid(RecordVisit, v.ID, date, NotApproved, 0, "")
			continue
		}
		if !in.lock.IsZero() && v.Registered.After(in.lock) {
			c.notPaid(RecordVisit, v.ID, date, AfterLock, 0, "registered "+v.Registered.In(loc).Format("2006-01-02 15:04"))
			continue
		}
		if len(v.Tasks) == 0 {
			c.notPaid(RecordVisit, v.ID, date, NoTask, 0, "")
			continue
		}
		vi := in.versionOn(date)
		if vi < 0 {
			c.notPaid(RecordVisit, v.ID, date, NoTariff, 0, "")
			continue
		}
		ver := in.versions[vi]
		zone := c.in.customer.ZoneOn(date)
		if !c.knowsZone(vi, zone) {
			c.notPaid(RecordVisit, v.ID, date, UnknownZone, 0, fmt.Sprintf("zone %q", zone))
			continue
		}
		cat := in.tasks.Category(v.Tasks[0])
		has, double := c.decisionFor(cat, date)
		staff := 1
		if v.StaffCount() >= 2 && double {
			staff = 2
		}
		segs := c.splitVisit(v, start)
		if len(segs) == 0 {
			continue
		}
		total := ver.time.minutes(v.End.Sub(v.Start))
		startBand := segs[0].Band
		extra := int64(0)
		if m := int64(ver.time.Minimum[startBand]); total < m {
			extra = m - total
		}
		env := visitEnv{baseEnv: c.base(zone), Category: cat.String(), Task: v.Tasks[0], Tasks: joinTasks(v.Tasks),
			Role: roleName(v.Role), Licensed: v.Role.Licensed(), Staff: v.StaffCount(), Declined: v.Declined,
			Edited: v.Edited, Band: ver.schedule.BandName(startBand), DayKind: segs[0].Kind.String(),
			DoubleStaffingOrdered: double}
		c.units[vi].visits = append(c.units[vi].visits, visitUnit{Visit: v, Category: cat, Band: env.Band, Date: date,
			Minutes: total + extra, Staff: staff, HasDecision: has, Zone: zone, Env: env, pos: pos})
		if v.Declined {
			c.figures.DeclinedVisits++
		} else {
			c.performed[vi][cat] += total * int64(staff)
		}
		// Each segment gets the minutes between the rounded times of its
		// ends, so the segments add up to the visit's rounded time.
		var elapsed time.Duration
		for i, sg := range segs {
			before := ver.time.minutes(elapsed)
			elapsed += sg.Duration()
			m := ver.time.minutes(elapsed) - before
			if i == 0 {
				m += extra
			}
			svi := in.versionOn(sg.Date)
			if svi < 0 {
				c.notPaid(RecordVisit, v.ID, sg.Date, NoTariff, m*int64(staff), "the part after midnight")
				continue
			}
			senv := env
			senv.Band = in.versions[svi].schedule.BandName(sg.Band)
			senv.DayKind = sg.Kind.String()
			szone := c.in.customer.ZoneOn(sg.Date)
			senv.Zone = szone
			c.units[svi].segments = append(c.units[svi].segments, segmentUnit{Visit: v, Category: cat, Band: senv.Band,
				Date: sg.Date, Start: sg.Start, Minutes: m, Staff: staff, HasDecision: has, Zone: szone, Env: senv, pos: pos})
		}
	}
}

// splitVisit splits a visit into band segments, each day by the schedule
// of the version in force on it.
func (c *caseState) splitVisit(v *models.Visit, start time.Time) []calendar.Segment {
	in := c.w.in
	loc := in.period.Location
	segs := c.w.segBuf[:0]
	from := start
	for from.Before(v.End) {
		d := calendar.DateOf(from)
		until := d.AddDays(1).In(loc)
		if until.After(v.End) {
			until = v.End
		}
		vi := in.versionOn(d)
		if vi < 0 {
			vi = in.versionOn(calendar.DateOf(start))
		}
		segs, _ = in.versions[vi].schedule.Split(segs, from, until, loc)
		from = until
	}
	if v.End.Equal(start) {
		// A visit of no time still has a band: that of its start.
		segs, _ = in.versions[in.versionOn(calendar.DateOf(start))].schedule.Split(segs, start, start.Add(time.Second), loc)
		segs[len(segs)-1].End = start
	}
	c.w.segBuf = segs
	return segs
}

func joinTasks(tasks []string) string {
	if len(tasks) == 1 {
		return tasks[0]
	}
	return strings.Join(tasks, "|")
}

func roleName(r models.Role) string {
	if r == models.RoleUnknown {
		return ""
	}
	return r.String()
}

func (c *caseState) buildListings() {
	for _, l := range c.in.listings {
		any := false
		for _, s := range c.slices {
			r, ok := s.dates.Intersect(l.Dates())
			if !ok {
				continue
			}
			any = true
			switch {
			case s.vi < 0:
				c.notPaid(RecordListing, l.ID, r.From, NoTariff, 0, r.String())
			case !c.knowsZone(s.vi, s.zone):
				c.notPaid(RecordListing, l.ID, r.From, UnknownZone, 0, fmt.Sprintf("zone %q", s.zone))
			default:
				env := listingEnv{baseEnv: c.base(s.zone), Kind: l.Kind.String()}
				c.units[s.vi].listings = append(c.units[s.vi].listings, listingUnit{Listing: l, Dates: r, Days: r.Days(), Zone: s.zone, Env: env})
			}
		}
		if !any {
			c.notPaid(RecordListing, l.ID, l.From, OutsidePeriod, 0, "")
		}
	}
}

func (c *caseState) buildEvents() {
	in := c.w.in
	for _, e := range c.in.events {
		t := e.Time.In(in.period.Location)
		d := calendar.DateOf(t)
		if !in.period.Contains(t) {
			c.notPaid(RecordAlarmEvent, e.ID, d, OutsidePeriod, 0, "")
			continue
		}
		vi := in.versionOn(d)
		if vi < 0 {
			c.notPaid(RecordAlarmEvent, e.ID, d, NoTariff, 0, "")
			continue
		}
		zone := c.in.customer.ZoneOn(d)
		if !c.knowsZone(vi, zone) {
			c.notPaid(RecordAlarmEvent, e.ID, d, UnknownZone, 0, fmt.Sprintf("zone %q", zone))
			continue
		}
		s := in.versions[vi].schedule
		kind := s.DayKind(d)
		band, _ := s.BandAt(kind, calendar.Clock(t.Hour()*60+t.Minute()))
		env := eventEnv{baseEnv: c.base(zone), Kind: e.Kind, Band: s.BandName(band), DayKind: kind.String()}
		c.units[vi].events = append(c.units[vi].events, eventUnit{Event: e, Band: env.Band, Date: d, Zone: zone, Env: env})
	}
}
