// Package tarifftest generates realistic home-care data with rapid and
// checks the properties a settlement must have, so that an economist can
// verify a tariff, or a change of tariff, on thousands of generated
// populations before a committee decides it.
//
// A property test draws a dataset and settles it:
//
//	rapid.Check(t, func(t *rapid.T) {
//		ds := tarifftest.Dataset(tarifftest.Config{Period: april}).Draw(t, "dataset")
//		s, err := reimbursement.Settle(context.Background(), book, ds, april, reimbursement.Options{})
//		if err != nil {
//			t.Fatal(err)
//		}
//		if err := s.CheckSums(); err != nil {
//			t.Fatal(err)
//		}
//	})
//
// Generated data is always valid: Dataset's output passes
// models.Dataset.Validate.
//
// # Populations like the municipality's own
//
// A verdict on generated data is only as good as the data is like the
// municipality's. Two ways make it so. Config.Shape weights the draw: the
// zones customers live in, the ownership of providers, the categories
// decisions grant and the sizes of monthly granted times, from the
// municipality's statistics or read from a real month with ShapeOf:
//
//	cfg := tarifftest.Config{Period: april, Shape: tarifftest.ShapeOf(real)}
//
// Resample instead draws customers, with replacement, from a real dataset
// with all their decisions and visits, so the population keeps the
// municipality's own visiting patterns:
//
//	ds := tarifftest.Resample(real, 200).Draw(t, "population")
//
// # Verifying a change of tariff
//
// CheckBoundedChange draws a population, compares the current and the
// proposed tariff over it (package compare) and judges the comparison
// against Limits: the budget in kronor or percent, with a floor as well as
// a ceiling ("the total rises by 2–4 %"), each customer's fee, each
// provider's total, and the reimbursement paid for each customer, a fall
// or a rise in kronor or percent ("no customer loses more than 5 %"):
//
//	two, four, five := decimal.NewFromInt(2), decimal.NewFromInt(4), decimal.NewFromInt(5)
//	rapid.Check(t, func(t *rapid.T) {
//		tarifftest.CheckBoundedChange(t, tarifftest.Config{Period: april}, proposal,
//			tarifftest.Limits{MinBudgetIncreasePercent: &two, MaxBudgetIncreasePercent: &four,
//				MaxCustomerDecreasePercent: &five})
//	})
//
// A breach fails with the smallest counterexample rapid finds, in Swedish
// as a committee reads it: the breach with its amounts, what the dataset
// holds, and for the customers behind the breach the zone, the provider
// and its ownership, the records (the first 20), and the lines under both
// tariffs (as compare.LineText writes them) with the records each line
// pays. A listing paid 1140 kr a month instead of 1200, from the 16th of
// April (15 × 1200 ÷ 30 = 600.00, 15 × 1140 ÷ 30 = 570.00), against a
// bound of 4 %:
//
//	ersättningen för brukare k1 minskar med 5.00 % (600.00 → 570.00 kr, -30.00 kr); gränsen är en minskning med högst 4 %
//	motexempel: 1 brukare hos 1 utförare; 1 inskrivning
//	brukare k1: zon landsbygd; utförare p1 Hemsjukvården (egen regi)
//	  inskrivning l1 hos p1: hemsjukvård 2024-04-16 – tills vidare
//	  nu: 1 rad, 600.00 kr
//	    2024-04  p1  listning hemsjukvård (Blandad 2024): 15 dagar × 1200 kr/månad ÷ 30 = 600.00 – inskrivning l1 (15 dagar)
//	  förslag: 1 rad, 570.00 kr
//	    2024-04  p1  listning hemsjukvård (Blandad 2024): 15 dagar × 1140 kr/månad ÷ 30 = 570.00 – inskrivning l1 (15 dagar)
//
// rapid's log of the draw shows the dataset as JSON, one record a line,
// which models.ReadDataset reads back: saved to a file, the
// counterexample can be compared with the command or settled again.
// CheckBounded judges a comparison made otherwise (of a real month) in the
// same words; FindCounterexample returns the breach instead of failing.
package tarifftest

import (
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// Config shapes the generated data. The zero value of a field takes the
// default given in its comment.
type Config struct {
	// Period is the month the visits fall in; it must be set.
	Period calendar.Period
	// Zones customers live in (default tätort, landsbygd).
	Zones []string
	// Tasks are the local task codes visits and decisions use (default
	// DefaultTasks).
	Tasks []models.LocalTask
	// MaxCustomers and MaxProviders bound the population (defaults 8 and
	// 3); at least one of each is drawn. A negative Max field is an
	// error: Dataset panics naming it.
	MaxCustomers, MaxProviders int
	// MaxVisits bounds the visits per customer (default 40).
	MaxVisits int
	// FrequenciesOnly gives every granted item a time and a frequency
	// (30 minutes twice a week), never one total time a month, as
	// activity-based (KSI) decisions do.
	FrequenciesOnly bool
	// Shape, when set, weights the population like a municipality's own
	// (zones, ownership, categories, decision sizes); see Shape, ShapeOf,
	// and Resample for drawing from a real dataset instead.
	Shape *Shape
}

// DefaultTasks are the task codes generated data uses unless told
// otherwise: two of service, two of care, one each of delegated HSL, home
// health care and alarm.
var DefaultTasks = []models.LocalTask{
	{Local: "Städ", Category: models.Service},
	{Local: "Inköp", Category: models.Service},
	{Local: "Dusch", Category: models.Care},
	{Local: "Tillsyn", Category: models.Care},
	{Local: "Ögondroppar", Category: models.DelegatedHSL},
	{Local: "Sjuksköterskebesök", Category: models.HomeHealthCare},
	{Local: "Larm", Category: models.Alarm},
}

func (c Config) withDefaults() Config {
	if c.Shape != nil && c.Shape.Zones != nil {
		c.Zones = pool(c.Shape.Zones)
	}
	if len(c.Zones) == 0 {
		c.Zones = []string{"tätort", "landsbygd"}
	}
	if len(c.Tasks) == 0 {
		c.Tasks = DefaultTasks
	}
	if c.MaxCustomers <= 0 {
		c.MaxCustomers = 8
	}
	if c.MaxProviders <= 0 {
		c.MaxProviders = 3
	}
	if c.MaxVisits <= 0 {
		c.MaxVisits = 40
	}
	return c
}

// Dataset returns a generator of valid datasets shaped by c: customers
// across the zones, providers of both ownerships, decisions with granted
// items and frequencies (some started late, some not at all), visits
// spread over the day and the week with realistic durations, some
// declined, not approved or double staffed, listings, absences and alarm
// events.
func Dataset(c Config) *rapid.Generator[*models.Dataset] {
	for _, f := range []struct {
		name       string
		value, def int
	}{{"MaxCustomers", c.MaxCustomers, 8}, {"MaxProviders", c.MaxProviders, 3}, {"MaxVisits", c.MaxVisits, 40}} {
		if f.value < 0 {
			panic(fmt.Sprintf("tarifftest: Config.%s is %d; allowed: 1 or more, or 0 for the default %d", f.name, f.value, f.def))
		}
	}
	c = c.withDefaults()
	if c.Period.Location == nil {
		panic("tarifftest: Config.Period is not set")
	}
	if c.Shape != nil {
		if err := c.Shape.validate(); err != nil {
			panic(err.Error())
		}
	}
	return rapid.Custom(func(t *rapid.T) *models.Dataset {
		return draw(t, c)
	})
}

// byCategory groups task codes by category.
func byCategory(tasks []models.LocalTask) (map[models.Category][]string, []models.Category) {
	m := map[models.Category][]string{}
	var cats []models.Category
	for _, task := range tasks {
		cat := task.Category
		if _, ok := m[cat]; !ok {
			cats = append(cats, cat)
		}
		m[cat] = append(m[cat], task.Local)
	}
	return m, cats
}

func draw(t *rapid.T, c Config) *models.Dataset {
	p := c.Period
	first := p.FirstDay()
	ds := &models.Dataset{Tasks: append([]models.LocalTask(nil), c.Tasks...)}
	tasks, cats := byCategory(c.Tasks)

	nProviders := rapid.IntRange(1, c.MaxProviders).Draw(t, "providers")
	for i := range nProviders {
		own := c.Shape.ownership(t, fmt.Sprintf("provider%d_private", i))
		ds.Providers = append(ds.Providers, models.Provider{ID: fmt.Sprintf("p%d", i+1), Name: fmt.Sprintf("Utförare %d", i+1), Ownership: own})
	}
	nCustomers := rapid.IntRange(1, c.MaxCustomers).Draw(t, "customers")
	for i := range nCustomers {
		id := fmt.Sprintf("k%03d", i+1)
		cu := models.Customer{ID: id, Zone: rapid.SampledFrom(c.Zones).Draw(t, id+"_zone")}
		if len(c.Zones) > 1 && rapid.IntRange(0, 9).Draw(t, id+"_moves") == 9 {
			cu.ZoneChanges = drawMoves(t, c, id, p)
		}
		ds.Customers = append(ds.Customers, cu)
		provider := ds.Providers[rapid.IntRange(0, nProviders-1).Draw(t, id+"_provider")].ID

		granted, doubleCats := drawDecisions(t, c, ds, id, provider, tasks, cats)

		// Visits: mostly of granted categories, with the customer's
		// provider.
		for j := range rapid.IntRange(0, c.MaxVisits).Draw(t, id+"_visits") {
			vid := fmt.Sprintf("%s-v%03d", id, j+1)
			var cat models.Category
			if len(granted) > 0 && rapid.IntRange(0, 9).Draw(t, vid+"_ungranted") < 9 {
				cat = rapid.SampledFrom(granted).Draw(t, vid+"_category")
			} else {
				cat = rapid.SampledFrom(cats).Draw(t, vid+"_category")
			}
			ds.Visits = append(ds.Visits, drawVisit(t, vid, id, provider, cat, tasks[cat], p, doubleCats[cat]))
		}
		if rapid.IntRange(0, 4).Draw(t, id+"_listed") == 4 {
			from := first.AddDays(rapid.IntRange(-30, p.Days()-1).Draw(t, id+"_listing_from"))
			l := models.Listing{ID: id + "-l1", Customer: id, Provider: provider, Kind: models.ListingHomeHealthCare, From: from}
			if rapid.Bool().Draw(t, id+"_rehab") {
				l.Kind = models.ListingRehabilitation
			}
			if rapid.Bool().Draw(t, id+"_listing_ends") {
				l.To = from.AddDays(rapid.IntRange(0, 45).Draw(t, id+"_listing_length"))
			}
			ds.Listings = append(ds.Listings, l)
		}
		if rapid.IntRange(0, 5).Draw(t, id+"_absent") == 5 {
			from := first.AddDays(rapid.IntRange(-5, p.Days()-1).Draw(t, id+"_absence_from"))
			ds.Absences = append(ds.Absences, models.Absence{ID: id + "-a1", Customer: id, From: from,
				To:     from.AddDays(rapid.IntRange(0, 14).Draw(t, id+"_absence_length")),
				Reason: rapid.SampledFrom([]models.AbsenceReason{models.Hospital, models.ShortTermCare, models.OtherAbsence}).Draw(t, id+"_reason")})
		}
		for j := range rapid.IntRange(0, 3).Draw(t, id+"_alarms") {
			eid := fmt.Sprintf("%s-e%d", id, j+1)
			ds.AlarmEvents = append(ds.AlarmEvents, models.AlarmEvent{ID: eid, Customer: id, Provider: provider,
				Time: p.Start().Add(time.Duration(rapid.Int64Range(0, int64(p.End().Sub(p.Start())/time.Minute)-1).Draw(t, eid+"_minute")) * time.Minute)})
		}
	}
	return ds
}

// drawDecisions draws a customer's decisions into ds and returns the
// categories they grant and those granted with double staffing.
func drawDecisions(t *rapid.T, c Config, ds *models.Dataset, id, provider string, tasks map[models.Category][]string,
	cats []models.Category) ([]models.Category, map[models.Category]bool) {
	p := c.Period
	first := p.FirstDay()
	// Decisions: each grants categories no other decision of the
	// customer grants, so none overlap.
	var granted []models.Category
	doubleCats := map[models.Category]bool{}
	free := append([]models.Category(nil), cats...)
	for j := range rapid.IntRange(0, 2).Draw(t, id+"_decisions") {
		if len(free) == 0 {
			break
		}
		did := fmt.Sprintf("%s-b%d", id, j+1)
		dec := models.Decision{ID: did, Customer: id, Provider: provider,
			ValidFrom: first.AddDays(rapid.IntRange(-60, p.Days()-1).Draw(t, did+"_from"))}
		// Draws shrink towards 0: the plain case comes first, so the
		// smallest counterexample is the plainest one.
		switch rapid.IntRange(0, 9).Draw(t, did+"_started") {
		case 9: // not started
		case 7, 8:
			dec.ExecutionStarted = dec.ValidFrom.AddDays(rapid.IntRange(0, 20).Draw(t, did+"_start_delay"))
		default:
			dec.ExecutionStarted = dec.ValidFrom
		}
		if rapid.IntRange(0, 4).Draw(t, did+"_ends") == 4 {
			dec.ValidTo = dec.ValidFrom.AddDays(rapid.IntRange(0, 60).Draw(t, did+"_length"))
			if !dec.ExecutionStarted.IsZero() && dec.ExecutionStarted.After(dec.ValidTo) {
				dec.ExecutionStarted = dec.ValidTo
			}
		}
		n := rapid.IntRange(1, min(2, len(free))).Draw(t, did+"_categories")
		for k := range n {
			ci := c.Shape.category(t, free, fmt.Sprintf("%s_category%d", did, k))
			if ci < 0 {
				break
			}
			cat := free[ci]
			free = append(free[:ci], free[ci+1:]...)
			granted = append(granted, cat)
			dec.Items = append(dec.Items, drawItem(t, fmt.Sprintf("%s_item%d", did, k), cat, tasks[cat], c.FrequenciesOnly, c.Shape))
			if dec.Items[len(dec.Items)-1].DoubleStaffing {
				doubleCats[cat] = true
			}
		}
		if len(dec.Items) == 0 { // the shape weights no category left
			break
		}
		ds.Decisions = append(ds.Decisions, dec)
	}
	return granted, doubleCats
}

func drawItem(t *rapid.T, label string, cat models.Category, tasks []string, frequenciesOnly bool, shape *Shape) models.GrantedItem {
	it := models.GrantedItem{Task: rapid.SampledFrom(tasks).Draw(t, label+"_task"), Category: cat}
	if !frequenciesOnly && rapid.IntRange(0, 3).Draw(t, label+"_monthly") == 3 {
		it.MinutesPerMonth = shape.monthlyMinutes(t, label+"_minutes_per_month")
	} else {
		it.Minutes = 5 * rapid.IntRange(1, 12).Draw(t, label+"_minutes")
		it.Times = rapid.IntRange(1, 4).Draw(t, label+"_times")
		it.Per = rapid.SampledFrom([]models.Frequency{models.PerDay, models.PerWeek, models.PerMonth}).Draw(t, label+"_per")
	}
	it.DoubleStaffing = cat == models.Care && rapid.IntRange(0, 9).Draw(t, label+"_double") == 9
	return it
}

// visitHours weights the hour a visit starts: mornings and evenings are
// busy, nights quiet.
var visitHours = []int{7, 7, 8, 8, 8, 9, 9, 10, 11, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 23, 2}

func drawVisit(t *rapid.T, id, customer, provider string, cat models.Category, tasks []string, p calendar.Period, double bool) models.Visit {
	day := rapid.IntRange(1, p.Days()).Draw(t, id+"_day")
	hour := rapid.SampledFrom(visitHours).Draw(t, id+"_hour")
	minute := rapid.IntRange(0, 59).Draw(t, id+"_minute")
	start := time.Date(p.Year, p.Month, day, hour, minute, rapid.IntRange(0, 59).Draw(t, id+"_second"), 0, p.Location)
	if start.Before(p.Start()) || !start.Before(p.End()) {
		// time.Date moved a wall clock the zone skips out of the month
		// (Pacific/Kiritimati skipped 31 December 1994): its last hour.
		start = p.End().Add(-time.Hour)
	}
	minutes := rapid.SampledFrom([]int{3, 5, 8, 10, 12, 15, 20, 25, 30, 35, 45, 60, 90}).Draw(t, id+"_length")
	v := models.Visit{ID: id, Customer: customer, Provider: provider, Start: start,
		End:      start.Add(time.Duration(minutes)*time.Minute + time.Duration(rapid.IntRange(0, 59).Draw(t, id+"_extra_seconds"))*time.Second),
		Tasks:    []string{rapid.SampledFrom(tasks).Draw(t, id+"_task")},
		Role:     models.CareStaff,
		Declined: rapid.IntRange(0, 19).Draw(t, id+"_declined") == 19,
		Approved: rapid.IntRange(0, 19).Draw(t, id+"_unapproved") != 19,
	}
	// Most visits were planned, for a length of their own (a declined
	// visit was planned for the time it was not given): a tariff paying
	// planned time (avböjda besök at a share of it) is then verified on
	// generated data too, not only on visits without planned time.
	if rapid.IntRange(0, 3).Draw(t, id+"_unplanned") != 0 {
		v.PlannedMinutes = rapid.SampledFrom([]int{10, 15, 20, 30, 45, 60}).Draw(t, id+"_planned")
	}
	if cat == models.HomeHealthCare {
		v.Role = rapid.SampledFrom([]models.Role{models.Nurse, models.DistrictNurse}).Draw(t, id+"_role")
	}
	if double && rapid.Bool().Draw(t, id+"_staff") {
		v.Staff = 2
	}
	return v
}

// drawMoves draws a customer's moves between zones in the period: one,
// and sometimes a second on an earlier day.
func drawMoves(t *rapid.T, c Config, id string, p calendar.Period) []models.ZoneChange {
	first := p.FirstDay()
	day := rapid.IntRange(1, p.Days()-1).Draw(t, id+"_move_day")
	moves := []models.ZoneChange{{From: first.AddDays(day), Zone: rapid.SampledFrom(c.Zones).Draw(t, id+"_new_zone")}}
	if day > 1 && rapid.IntRange(0, 2).Draw(t, id+"_moves_twice") == 2 {
		moves = append([]models.ZoneChange{{
			From: first.AddDays(rapid.IntRange(1, day-1).Draw(t, id+"_first_move_day")),
			Zone: rapid.SampledFrom(c.Zones).Draw(t, id+"_first_zone"),
		}}, moves...)
	}
	return moves
}
