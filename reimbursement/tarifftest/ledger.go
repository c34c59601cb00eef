package tarifftest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// CheckLedger verifies that the settlement s of the dataset ds under the
// book b for the period p accounts for every unit of work: each is on a
// line (Line.Units) or in the not-paid list with its reason, and the two
// add up. It returns every break of the ledger at once (errors.Join),
// each naming the record.
//
// The rules, record by record:
//
//   - A visit accounts for its staff minutes: b.VisitMinutes × its staff
//     count. The minutes its refs carry on lines of minutes plus the
//     minutes the not-paid list reports for it equal them, or are zero
//     when the visit is paid per visit (on a line of visits), reported by
//     a component that counts visits, or of a category whose granted time
//     a line of its customer pays (granted time pays for the visits; a
//     line of several items, a level's, for the category of each; not
//     a line of absence or one_off, which pays part of an item, nor a
//     line of a component that stacks, which pays on top).
//     A visit is settled whole by the version of the date it starts on,
//     the part after midnight included. Every visit is on a line or in
//     the list, unless granted time covers it (only a visit the
//     settlement prices: approved, in the month, with a task and some
//     minutes, on a day a decision in force grants its category). A line of visits that pays part of a visit (the night
//     part, the rest paid by the hour) carries the minutes it covers;
//     they count as paid.
//   - A decision item accounts for its days in force in the period,
//     version by version: for each component that pays or reports it, the
//     days on its lines plus those it reports, plus the days the version
//     reports without a component (an unknown zone), equal the item's days
//     under the version; components joined by instead_of (one takes the
//     parts of the month it matches, a zone's, from the other) account
//     for them together. Days under no version are reported no_tariff. An
//     item no component touches and nothing reports is accepted: its
//     category is paid by the visits (performed time). A decision whose
//     execution has not started is reported once. A component that stacks
//     ("stacks": true) pays on top of another and accounts for no minutes
//     of a visit another component accounts for; of one no other
//     component accounts for, it does, beside what the version reports of
//     the visit (staff beyond those paid for, hours none pays); one that
//     accounts for more of a visit than the others together (a standard
//     time stacked on the night part performed time pays) accounts for
//     the visit, the others' minutes among its own; one that
//     counts visits and reports one accounts for it as such a component
//     does. An absence component
//     (strategy absence) accounts for the item's paused days only; a
//     one-off payment (one_off) pays an event on top and accounts for no
//     days.
//   - A listing accounts for its days in the period in the same way.
//   - An alarm event is on a line or in the list.
//
// A record reported implausible or unresolved needs nothing more.
func CheckLedger(s *reimbursement.Settlement, ds *models.Dataset, b *reimbursement.Book, p calendar.Period) error {
	l := newLedger(s)
	l.absences = ds.Absences
	l.strategy, l.group, l.stacks = map[account]string{}, map[account]string{}, map[account]bool{}
	l.zones, l.customers = map[string][]string{}, map[string]*models.Customer{}
	for i := range ds.Customers {
		l.customers[ds.Customers[i].ID] = &ds.Customers[i]
	}
	for _, v := range b.Versions() {
		l.zones[v.Name()] = v.Zones()
		for _, c := range v.Components() {
			l.strategy[account{v.Name(), c.Name()}] = c.Strategy()
			l.group[account{v.Name(), c.Name()}] = c.Name()
			l.stacks[account{v.Name(), c.Name()}] = c.Stacks()
		}
		// Join each component with those it replaces, to a fixed point.
		for changed := true; changed; {
			changed = false
			for _, c := range v.Components() {
				for _, other := range c.InsteadOf() {
					a, o := l.group[account{v.Name(), c.Name()}], l.group[account{v.Name(), other}]
					if o == "" || a == o {
						continue
					}
					root := min(a, o)
					for k, g := range l.group {
						if k.version == v.Name() && (g == a || g == o) && g != root {
							l.group[k] = root
							changed = true
						}
					}
				}
			}
		}
	}
	var errs []error
	category := map[string]models.Category{}
	for _, t := range ds.Tasks {
		category[strings.TrimSpace(t.Local)] = t.Category
	}
	// The categories each (customer, provider) is granted, by decision,
	// for a visit's day.
	l.decisions = map[[2]string][]*models.Decision{}
	for i := range ds.Decisions {
		d := &ds.Decisions[i]
		k := [2]string{d.Customer, d.Provider}
		l.decisions[k] = append(l.decisions[k], d)
	}
	// A line of granted items pays for the visits of its category and
	// of the category of each item on it (a level's line pays a pool of
	// several), unless it pays only part of an item: an absence
	// component its paused days, a one-off payment an event on top; or
	// its component stacks.
	itemCategory := map[[2]string]models.Category{}
	for i := range ds.Decisions {
		d := &ds.Decisions[i]
		for j := range d.Items {
			itemCategory[[2]string{d.ID, reimbursement.ItemName(&d.Items[j])}] = d.Items[j].Category
		}
	}
	for _, ln := range s.Lines {
		if st := l.strategy[account{ln.Version, ln.Component}]; st == "absence" || st == "one_off" {
			continue
		}
		// A component that stacks pays on top of what pays the
		// visits, not for them (a supplement by level on performed
		// time).
		if l.stacks[account{ln.Version, ln.Component}] {
			continue
		}
		for _, u := range ln.Units {
			if u.Kind != reimbursement.RecordDecision {
				continue
			}
			mark(l.grantLines, [2]string{ln.Customer, ln.Provider}, ln.Category)
			if cat, ok := itemCategory[[2]string{u.ID, u.Item}]; ok {
				mark(l.grantLines, [2]string{ln.Customer, ln.Provider}, cat)
			}
		}
	}
	for i := range ds.Visits {
		errs = append(errs, l.checkVisit(&ds.Visits[i], b, p, category))
	}
	for i := range ds.Decisions {
		errs = append(errs, l.checkDecision(&ds.Decisions[i], s, p)...)
	}
	for i := range ds.Listings {
		li := &ds.Listings[i]
		k := record{reimbursement.RecordListing, li.ID, ""}
		if l.excused(k) {
			continue
		}
		r, n := p.Overlap(li.Dates())
		if n == 0 {
			if !l.mentioned(k) {
				errs = append(errs, fmt.Errorf("listing %s: outside the period and not reported", li.ID))
			}
			continue
		}
		errs = append(errs, l.checkDays(k, li.Customer, r, s)...)
	}
	for i := range ds.AlarmEvents {
		k := record{reimbursement.RecordAlarmEvent, ds.AlarmEvents[i].ID, ""}
		if !l.mentioned(k) {
			errs = append(errs, fmt.Errorf("alarm event %s: on no line and in no list", k.id))
		}
	}
	return errors.Join(errs...)
}

// granted reports whether a decision of the visit's customer with its
// provider, in force on the date the visit starts, grants category cat.
func (l *ledger) granted(v *models.Visit, cat models.Category, loc *time.Location) bool {
	day := calendar.DateOf(v.Start.In(loc))
	for _, d := range l.decisions[[2]string{v.Customer, v.Provider}] {
		if r, ok := d.InForce(); ok && r.Contains(day) {
			for i := range d.Items {
				if d.Items[i].Category == cat {
					return true
				}
			}
		}
	}
	return false
}

// record names a unit of the ledger.
type record struct {
	kind reimbursement.RecordKind
	id   string
	item string
}

// account is what one version and component (either may be "") pays and
// reports of a record.
type account struct{ version, component string }

type amounts struct {
	paidMinutes, unpaidMinutes int64
	paidDays, unpaidDays       int
}

type ledger struct {
	decisions map[[2]string][]*models.Decision // by customer and provider
	accounts  map[record]map[account]*amounts
	// onVisitLine: the visit is on a line of visits.
	onVisitLine map[string]bool
	// excuses: records reported implausible or unresolved.
	excuses map[record]bool
	// grantLines: customer, provider and category of lines that pay
	// decision items; visitLines: of lines that pay visits, by version.
	grantLines map[[2]string]map[models.Category]bool
	visitLines map[[3]string]map[models.Category]bool
	// strategy: of each version's components; absences: the dataset's.
	strategy map[account]string
	absences []models.Absence
	// group: of each version's components, the first component of the
	// components joined by instead_of, which share a record's days (one
	// takes the parts it matches, the other pays the rest).
	group map[account]string
	// stacks are the components that pay on top of others ("stacks"):
	// they account for no minutes of a visit.
	stacks map[account]bool
	// zones: the zones each version knows; customers: the dataset's, by
	// id. A record's days in a zone its version does not know are
	// reported unknown_zone for the version as a whole.
	zones     map[string][]string
	customers map[string]*models.Customer
}

func newLedger(s *reimbursement.Settlement) *ledger {
	l := &ledger{accounts: map[record]map[account]*amounts{}, onVisitLine: map[string]bool{}, excuses: map[record]bool{},
		grantLines: map[[2]string]map[models.Category]bool{}, visitLines: map[[3]string]map[models.Category]bool{}}
	for _, ln := range s.Lines {
		for _, u := range ln.Units {
			a := l.at(record{u.Kind, u.ID, u.Item}, account{ln.Version, ln.Component})
			if ln.Unit == reimbursement.Minutes || (ln.Unit == reimbursement.Visits && u.Kind == reimbursement.RecordVisit) {
				a.paidMinutes += u.Minutes
			}
			a.paidDays += u.Days
			switch u.Kind {
			case reimbursement.RecordVisit:
				if ln.Unit == reimbursement.Visits {
					l.onVisitLine[u.ID] = true
				}
				mark(l.visitLines, [3]string{ln.Customer, ln.Provider, ln.Version}, ln.Category)
			}
		}
	}
	for _, u := range s.NotPaid {
		k := record{u.Kind, u.ID, u.Item}
		if u.Reason == reimbursement.Implausible || u.Reason == reimbursement.Unresolved {
			l.excuses[k] = true
			l.excuses[record{u.Kind, u.ID, ""}] = true
		}
		a := l.at(k, account{u.Version, u.Component})
		a.unpaidMinutes += u.Minutes
		a.unpaidDays += u.Days
	}
	return l
}

func mark[K comparable](m map[K]map[models.Category]bool, k K, c models.Category) {
	if m[k] == nil {
		m[k] = map[models.Category]bool{}
	}
	m[k][c] = true
}

func (l *ledger) at(k record, a account) *amounts {
	m := l.accounts[k]
	if m == nil {
		m = map[account]*amounts{}
		l.accounts[k] = m
	}
	x := m[a]
	if x == nil {
		x = &amounts{}
		m[a] = x
	}
	return x
}

func (l *ledger) mentioned(k record) bool { return len(l.accounts[k]) > 0 }
func (l *ledger) excused(k record) bool   { return l.excuses[k] }

func (l *ledger) checkVisit(v *models.Visit, b *reimbursement.Book, p calendar.Period, category map[string]models.Category) error {
	k := record{reimbursement.RecordVisit, v.ID, ""}
	if l.excused(k) {
		return nil
	}
	m, _ := b.VisitMinutes(v, p.Location)
	want := m * int64(v.StaffCount())
	var got, own, stacked int64
	reportedByComponent := false
	for a, x := range l.accounts[k] {
		if a.component != "" && x.unpaidMinutes == 0 && x.paidMinutes == 0 && l.strategy[a] == "per_visit" {
			reportedByComponent = true // by one that counts visits
		}
		if l.stacks[a] {
			// Paid on top: the minutes are another component's, unless
			// no other accounts for them (a supplement alone matched).
			stacked = max(stacked, x.paidMinutes+x.unpaidMinutes)
			continue
		}
		got += x.paidMinutes + x.unpaidMinutes
		if a.component != "" {
			own += x.paidMinutes + x.unpaidMinutes
		}
	}
	switch {
	case own == 0:
		// No component but supplements accounts for the visit's
		// minutes: theirs, beside what the version reports of the
		// visit (staff present beyond those paid, hours none pays).
		got += stacked
	case stacked > got:
		// A whole visit paid on top of a part another pays (a
		// standard time stacked on performed time of the night): its
		// minutes are the visit's, the others' among them.
		got = stacked
	}
	var cat models.Category
	if len(v.Tasks) > 0 {
		cat = category[strings.TrimSpace(v.Tasks[0])]
	}
	// Only a visit the settlement prices can be covered by granted time;
	// one it refuses before (outside the month, not approved, without a
	// task, of no time) must be reported, and so must one of a day no
	// decision in force grants its category on.
	covered := v.Approved && p.Contains(v.Start) && len(v.Tasks) > 0 && want > 0 &&
		l.grantLines[[2]string{v.Customer, v.Provider}][cat] && l.granted(v, cat, p.Location)
	switch {
	case !l.mentioned(k) && !covered:
		return fmt.Errorf("visit %s: on no line and in no list", v.ID)
	case got == want:
		return nil
	case got == 0 && (l.onVisitLine[v.ID] || reportedByComponent || covered):
		return nil
	}
	return fmt.Errorf("visit %s: %d staff minutes accounted (paid and not paid), want %d", v.ID, got, want)
}

func (l *ledger) checkDecision(d *models.Decision, s *reimbursement.Settlement, p calendar.Period) []error {
	dk := record{reimbursement.RecordDecision, d.ID, ""}
	if l.excused(dk) {
		return nil
	}
	r, ok := d.InForce()
	if !ok {
		if _, n := p.Overlap(calendar.DateRange{From: d.ValidFrom, To: d.ValidTo}); n > 0 && !l.mentioned(dk) {
			return []error{fmt.Errorf("decision %s: not started and not reported", d.ID)}
		}
		return nil
	}
	in, n := p.Overlap(r)
	if n == 0 {
		return nil
	}
	var errs []error
	seen := map[string]bool{}
	for i := range d.Items {
		k := record{reimbursement.RecordDecision, d.ID, reimbursement.ItemName(&d.Items[i])}
		if seen[k.item] || l.excused(k) {
			continue
		}
		seen[k.item] = true
		// Items of one name are accounted together.
		count := 0
		for j := range d.Items {
			if reimbursement.ItemName(&d.Items[j]) == k.item {
				count++
			}
		}
		errs = append(errs, l.checkDaysTimes(k, d.Customer, in, s, count, func(day calendar.Date) int {
			paused := 0
			for j := range d.Items {
				if reimbursement.ItemName(&d.Items[j]) == k.item {
					paused += d.GrantedWithin(j, p, calendar.DateRange{From: day, To: day}, l.absences).PausedDays
				}
			}
			return paused
		})...)
	}
	return errs
}

func (l *ledger) checkDays(k record, customer string, in calendar.DateRange, s *reimbursement.Settlement) []error {
	return l.checkDaysTimes(k, customer, in, s, 1, nil)
}

// checkDaysTimes checks the day accounts of a record of customer in
// force on the dates in (count records of one name: their days add up);
// paused gives the paused days of a decision's items on a day, which an
// absence component accounts for. Days in a zone the version does not
// know are the version's to report (unknown_zone): an absence component
// accounts for the paused days of the others, and a record no component
// accounts for (an item paid through its visits) is reported for those
// days alone.
func (l *ledger) checkDaysTimes(k record, customer string, in calendar.DateRange, s *reimbursement.Settlement, count int, paused func(calendar.Date) int) []error {
	byVersion, pausedByVersion := map[string]int{}, map[string]int{}
	unknown, pausedUnknown := map[string]int{}, map[string]int{} // days in a zone the version does not know
	c := l.customers[customer]
	for d := in.From; !d.After(in.To); d = d.AddDays(1) {
		v := versionOn(s, d)
		foreign := v != "" && c != nil && !slices.Contains(l.zones[v], c.ZoneOn(d))
		byVersion[v] += count
		if foreign {
			unknown[v] += count
		}
		if paused != nil {
			n := paused(d)
			pausedByVersion[v] += n
			if foreign {
				pausedUnknown[v] += n
			}
		}
	}
	accts := l.accounts[k]
	var errs []error
	for version, want := range byVersion {
		if version == "" {
			if got := accts[account{}]; got == nil || got.unpaidDays != want {
				errs = append(errs, fmt.Errorf("%s %s %s: %d days under no tariff version, not reported no_tariff", k.kind, k.id, k.item, want))
			}
			continue
		}
		versionWide := 0
		if x := accts[account{version: version}]; x != nil {
			versionWide = x.unpaidDays
		}
		components := 0
		// Components joined by instead_of share the record's days: their
		// days add up to the record's (checked after, by group).
		shared := map[string]int{}
		members := map[string][]string{}
		for a := range accts {
			if a.version == version && a.component != "" && l.strategy[a] != "one_off" && l.strategy[a] != "absence" {
				members[l.group[a]] = append(members[l.group[a]], a.component)
			}
		}
		for a, x := range accts {
			if a.version != version || a.component == "" || l.strategy[a] == "one_off" {
				continue
			}
			components++
			want := want
			wide := versionWide
			if l.strategy[a] == "absence" {
				want, wide = pausedByVersion[version], pausedUnknown[version]
			} else if g := l.group[a]; len(members[g]) > 1 {
				shared[g] += x.paidDays + x.unpaidDays
				continue
			}
			if got := x.paidDays + x.unpaidDays + wide; got != want {
				errs = append(errs, fmt.Errorf("%s %s %s: component %s of %s accounts for %d days (%d paid, %d not paid, %d reported for the version), want %d",
					k.kind, k.id, k.item, a.component, version, got, x.paidDays, x.unpaidDays, wide, want))
			}
		}
		for g, got := range shared {
			if got+versionWide != want {
				slices.Sort(members[g])
				errs = append(errs, fmt.Errorf("%s %s %s: components %s of %s, one instead of another, account for %d days together (%d reported for the version), want %d",
					k.kind, k.id, k.item, strings.Join(members[g], ", "), version, got+versionWide, versionWide, want))
			}
		}
		if components == 0 && versionWide != 0 && versionWide != want && versionWide != unknown[version] {
			errs = append(errs, fmt.Errorf("%s %s %s: %d days reported under %s, want %d", k.kind, k.id, k.item, versionWide, version, want))
		}
		if components == 0 && versionWide == 0 && k.kind == reimbursement.RecordListing {
			errs = append(errs, fmt.Errorf("listing %s: %d days under %s on no line and in no list", k.id, want, version))
		}
	}
	return errs
}

// versionOn returns the name of the settlement's version in force on d:
// the one of the latest start on or before d that has not ended, or "".
func versionOn(s *reimbursement.Settlement, d calendar.Date) string {
	name := ""
	var from calendar.Date
	for _, v := range s.Versions {
		if v.ValidFrom.After(d) || (!v.ValidTo.IsZero() && v.ValidTo.Before(d)) {
			continue
		}
		if name == "" || v.ValidFrom.After(from) {
			name, from = v.Name, v.ValidFrom
		}
	}
	return name
}
