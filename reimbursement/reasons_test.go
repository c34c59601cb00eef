package reimbursement

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// A visit not paid is reported with the reason the tariff and the
// decisions give, dated by the day it starts (found by review):
//   - no component pays care in grantedSolPerformed, neither its visits
//     nor its granted time: a care visit is matched by no component,
//     whatever its decisions (not "not started" or "no decision");
//   - a component pays Saturday's care; the decision starts on Saturday;
//     a visit from Friday 23:00 to Saturday 01:00 is Friday's, which no
//     decision covers, and is reported so, on Friday.
func TestVisitReasonsFollowTheTariff(t *testing.T) {
	reasons := func(s *Settlement) []string {
		var out []string
		for _, u := range s.NotPaid {
			if u.Kind == RecordVisit {
				out = append(out, fmt.Sprintf("%s %s %d: %s", u.Date, u.Reason, u.Minutes, u.Detail)) // ids are numbered by the helper
			}
		}
		return out
	}
	care := func(id, from, to string, started bool) models.Decision {
		dec := models.Decision{ID: id, Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate(from),
			Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}
		if to != "" {
			dec.ValidTo = calendar.MustParseDate(to)
		}
		if started {
			dec.ExecutionStarted = dec.ValidFrom
		}
		return dec
	}
	for _, tc := range []struct {
		name      string
		component string
		decisions []models.Decision
		visits    []models.Visit
		want      []string
	}{
		{"not started, nothing pays care", grantedSolPerformed, []models.Decision{care("b2", "2024-04-01", "", false)},
			[]models.Visit{visit("2024-04-05 10:00", "2024-04-05 10:30", "Dusch")},
			[]string{"2024-04-05 no_component 30: besök av omsorg, ingen komponents villkor gäller"}},
		{"granted on some days, nothing pays care", grantedSolPerformed, []models.Decision{care("b1", "2024-01-01", "2024-04-10", true)},
			[]models.Visit{visit("2024-04-05 10:00", "2024-04-05 10:30", "Dusch"), visit("2024-04-20 10:00", "2024-04-20 10:30", "Dusch")},
			[]string{"2024-04-05 no_component 30: besök av omsorg, ingen komponents villkor gäller",
				"2024-04-20 no_component 30: besök av omsorg, ingen komponents villkor gäller"}},
		{"Saturday's care, a visit from Friday night", `{"name": "lör", "strategy": "performed_time", "when": "category == 'care' && day_kind == 'saturday'", "rate": "table('band', band)"}`,
			[]models.Decision{care("b1", "2024-04-06", "", true)},
			[]models.Visit{visit("2024-04-05 23:00", "2024-04-06 01:00", "Dusch")},
			// 60 min on Saturday matched but not covered; 60 on Friday matched by nothing.
			[]string{"2024-04-05 no_decision 60: inget beslut beviljar omsorg 2024-04-05",
				"2024-04-05 outside_paid_hours 60: ingen komponent betalar dessa timmar"}},
		// Found by attack: performed time reported no_decision for a
		// decision valid on the visit's day whose execution started later.
		{"performed time, not started yet", `{"name": "tid", "strategy": "performed_time", "when": "category == 'care'", "rate": "table('band', band)"}`,
			[]models.Decision{func() models.Decision {
				d := care("b1", "2024-04-01", "", false)
				d.ExecutionStarted = calendar.MustParseDate("2024-04-20")
				return d
			}()},
			[]models.Visit{visit("2024-04-18 10:00", "2024-04-18 10:30", "Dusch")},
			[]string{"2024-04-18 not_started 30: besök av omsorg, beviljat i beslut b1, som inte var verkställt 2024-04-18"}},
	} {
		ds := data()
		ds.Decisions, ds.Visits = tc.decisions, tc.visits
		s := settle(t, mustBook(t, doc(tc.component)), ds)
		if diff := cmp.Diff(tc.want, reasons(s)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// The minutes of a visit in hours no component pays its category in,
// though one pays it in others, are outside_paid_hours whether they are
// the whole visit or a part of it (found by a vendor's trial: a whole
// night visit was no_component, the night part of an evening one
// outside_paid_hours); no_component is for a visit no component would pay
// in any hours, or one refused in hours its category is paid in. A
// component the probe cannot decide (it reads task) keeps no_component.
// The default schedule: dag 07–19 and kväll 19–22 on weekdays, natt
// 22–07; 2024-04-05 is a Friday, 2024-04-08 a Monday.
func TestUnpaidHoursReasonsAgree(t *testing.T) {
	reasons := func(s *Settlement) []string {
		var out []string
		for _, u := range s.NotPaid {
			if u.Kind == RecordVisit {
				out = append(out, fmt.Sprintf("%s %s %d", u.Date, u.Reason, u.Minutes))
			}
		}
		return out
	}
	dec := models.Decision{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-04-01"),
		ExecutionStarted: calendar.MustParseDate("2024-04-01"),
		Items:            []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}
	nurse := func(v *models.Visit) { v.Role = models.Nurse }
	for _, tc := range []struct {
		name, component string
		visits          []models.Visit
		want            []string
	}{
		{"day and evening care", `{"name": "dk", "strategy": "performed_time", "when": "category == 'care' && band in ['dag', 'kväll']", "rate": "table('band', band)"}`,
			[]models.Visit{
				visit("2024-04-05 22:10", "2024-04-05 22:30", "Dusch"), // all night: 20 min
				visit("2024-04-05 21:50", "2024-04-05 22:30", "Dusch"), // 10 kväll paid, 22:00–22:30 = 30 night
				visit("2024-04-08 06:30", "2024-04-08 07:00", "Dusch"), // all night: 30 min
				visit("2024-04-08 10:00", "2024-04-08 10:45", "Städ"),  // service: nothing pays it, 45 min
			},
			[]string{"2024-04-05 outside_paid_hours 20", "2024-04-05 outside_paid_hours 30", "2024-04-08 outside_paid_hours 30",
				"2024-04-08 no_component 45"}},
		{"nurses' day care", `{"name": "sjuksköterska", "strategy": "performed_time", "when": "category == 'care' && band == 'dag' && role == 'nurse'", "rate": "table('band', band)"}`,
			[]models.Visit{
				visit("2024-04-08 10:00", "2024-04-08 10:30", "Dusch"),        // day, care staff: refused on role, 30 min
				visit("2024-04-08 10:00", "2024-04-08 10:20", "Dusch", nurse), // paid
				visit("2024-04-08 23:00", "2024-04-08 23:40", "Dusch", nurse), // night: no one pays care then, 40 min
			},
			[]string{"2024-04-08 no_component 30", "2024-04-08 outside_paid_hours 40"}},
		{"undecided: reads task", `{"name": "dusch", "strategy": "performed_time", "when": "category == 'care' && band == 'dag' && task == 'Dusch'", "rate": "table('band', band)"}`,
			[]models.Visit{visit("2024-04-08 23:00", "2024-04-08 23:40", "Dusch")},
			[]string{"2024-04-08 no_component 40"}},
	} {
		ds := data()
		ds.Decisions, ds.Visits = []models.Decision{dec}, tc.visits
		s := settle(t, mustBook(t, doc(tc.component)), ds)
		if diff := cmp.Diff(tc.want, reasons(s)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// The minutes of a visit no component paid get the reason of their hours
// and of what refused them, whether they are a whole visit or a part of
// one (found by review: with care paid by day for everyone and at night
// for nurses only, a care staff's visit wholly at night was no_component
// and the night part of one paid by day outside_paid_hours; both were
// refused on role). Minutes in hours a component pays their category in
// (for other staff, licensed staff, per visit…) are no_component; minutes
// in hours none pays it in, though one pays it in others,
// outside_paid_hours; a visit of both has a record of each. Only where
// the probe cannot decide a component (it reads task) and so cannot tell
// the hours no component pays are a part (outside_paid_hours) and a whole
// visit (no_component) told apart, as documented. The amounts are those
// of the paid minutes alone.
//
// The default schedule on weekdays: dag 07–19, kväll 19–22, natt 22–07;
// 2024-04-08 is a Monday. Every visit is k1's, care (Dusch), by care
// staff unless nurse; performed time pays minutes × rate / 60.
func TestRefusedMinutesOneReasonWholeOrPart(t *testing.T) {
	type record struct {
		ID, Date string
		Reason   Reason
		Minutes  int64
	}
	dec := models.Decision{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-04-01"),
		ExecutionStarted: calendar.MustParseDate("2024-04-01"),
		Items:            []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}
	nurse := func(v *models.Visit) { v.Role = models.Nurse }
	const day = `{"name": "dag", "strategy": "performed_time", "when": "category == 'care' && band == 'dag'", "rate": "400"}`
	for _, tc := range []struct {
		name, components string
		visits           func() []models.Visit // numbered v001… in order
		want             []record
		total            string
	}{
		{"night for nurses by role", day + `, {"name": "natt", "strategy": "performed_time", "when": "category == 'care' && band == 'natt' && role == 'nurse'", "rate": "500"}`,
			func() []models.Visit {
				return []models.Visit{
					visit("2024-04-08 23:00", "2024-04-08 23:30", "Dusch"),        // night, whole: refused on role
					visit("2024-04-09 06:30", "2024-04-09 07:30", "Dusch"),        // night 30 refused on role; day 30 paid: 200
					visit("2024-04-10 06:30", "2024-04-10 07:30", "Dusch", nurse), // night 30: 250, day 30: 200
					visit("2024-04-10 18:30", "2024-04-10 22:30", "Dusch"),        // day 30 paid: 200; evening 180 no one pays; night 30 refused on role
					visit("2024-04-11 21:30", "2024-04-11 22:30", "Dusch"),        // whole: evening 30 no one pays, night 30 refused on role
					visit("2024-04-12 20:00", "2024-04-12 20:30", "Dusch", nurse), // evening, whole: no one pays care then
				}
			},
			[]record{
				{"v001", "2024-04-08", NoComponent, 30},
				{"v002", "2024-04-09", NoComponent, 30}, // was outside_paid_hours
				{"v004", "2024-04-10", OutsidePaidHours, 180},
				{"v004", "2024-04-10", NoComponent, 30}, // was in outside_paid_hours 210
				{"v005", "2024-04-11", OutsidePaidHours, 30},
				{"v005", "2024-04-11", NoComponent, 30}, // was no_component 60
				{"v006", "2024-04-12", OutsidePaidHours, 30},
			},
			"850.00"}, // 200 + 450 + 200
		{"night for licensed staff", day + `, {"name": "natt", "strategy": "performed_time", "when": "category == 'care' && band == 'natt' && licensed", "rate": "500"}`,
			func() []models.Visit {
				return []models.Visit{
					visit("2024-04-08 23:00", "2024-04-08 23:30", "Dusch"),        // night, whole: not licensed
					visit("2024-04-09 06:30", "2024-04-09 07:30", "Dusch"),        // night 30 not licensed; day 30 paid: 200
					visit("2024-04-10 06:30", "2024-04-10 07:30", "Dusch", nurse), // licensed: 250 + 200
				}
			},
			[]record{
				{"v001", "2024-04-08", NoComponent, 30},
				{"v002", "2024-04-09", NoComponent, 30}, // was outside_paid_hours
			},
			"650.00"}, // 200 + 450
		// A component of whole visits pays its category in hours of the
		// visit, not of its minutes: the probe counts it as paying every
		// band, and the minutes of a visit it refused are no_component.
		{"night visits for nurses per visit", day + `, {"name": "nattbesök", "strategy": "per_visit", "when": "category == 'care' && band == 'natt' && role == 'nurse'", "rate": "300"}`,
			func() []models.Visit {
				return []models.Visit{
					visit("2024-04-08 23:00", "2024-04-08 23:30", "Dusch"),        // night, whole: refused on role
					visit("2024-04-09 06:30", "2024-04-09 07:30", "Dusch"),        // night 30 refused on role; day 30 paid: 200
					visit("2024-04-10 06:30", "2024-04-10 07:30", "Dusch", nurse), // per visit 300, its night minutes on that line; day 30: 200
					visit("2024-04-11 18:30", "2024-04-11 19:30", "Dusch"),        // day 30 paid: 200; evening 30: of a category paid per visit
					visit("2024-04-12 20:00", "2024-04-12 20:30", "Dusch"),        // evening, whole: likewise
				}
			},
			[]record{
				{"v001", "2024-04-08", NoComponent, 30},
				{"v002", "2024-04-09", NoComponent, 30}, // was outside_paid_hours
				{"v004", "2024-04-11", NoComponent, 30}, // was outside_paid_hours
				{"v005", "2024-04-12", NoComponent, 30},
			},
			"900.00"}, // 200 + 500 + 200
		// The probe cannot decide a component that reads task: it
		// cannot tell the hours no component pays care in, but knows the
		// nurses' night component pays care at night.
		{"undecided: day reads task", `{"name": "dag", "strategy": "performed_time", "when": "category == 'care' && band == 'dag' && task == 'Dusch'", "rate": "400"},
			{"name": "natt", "strategy": "performed_time", "when": "category == 'care' && band == 'natt' && role == 'nurse'", "rate": "500"}`,
			func() []models.Visit {
				return []models.Visit{
					visit("2024-04-08 23:00", "2024-04-08 23:30", "Dusch"), // night, whole: refused on role
					visit("2024-04-09 06:30", "2024-04-09 07:30", "Dusch"), // night 30 refused on role; day 30 paid: 200
					visit("2024-04-10 18:30", "2024-04-10 19:30", "Dusch"), // day 30 paid: 200; evening 30: hours not known paid
					visit("2024-04-11 20:00", "2024-04-11 20:30", "Dusch"), // evening, whole: cannot tell
				}
			},
			[]record{
				{"v001", "2024-04-08", NoComponent, 30},
				{"v002", "2024-04-09", NoComponent, 30}, // was outside_paid_hours
				{"v003", "2024-04-10", OutsidePaidHours, 30},
				{"v004", "2024-04-11", NoComponent, 30},
			},
			"400.00"},
	} {
		ds := data()
		ds.Decisions, ds.Visits = []models.Decision{dec}, tc.visits()
		s := settle(t, mustBook(t, doc(tc.components)), ds)
		var got []record
		for _, u := range s.NotPaid {
			if u.Kind == RecordVisit {
				got = append(got, record{u.ID, u.Date.String(), u.Reason, u.Minutes})
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: visits not paid (-want +got):\n%s", tc.name, diff)
		}
		if s.Total.String() != tc.total {
			t.Errorf("%s: total %s, want %s", tc.name, s.Total, tc.total)
		}
	}
}
