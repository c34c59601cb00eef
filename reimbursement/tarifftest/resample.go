package tarifftest

import (
	"fmt"
	"slices"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
)

// Resample returns a generator of datasets drawn from a real one: between
// one and maxCustomers customers, each a copy of a customer of real drawn
// with replacement, with all the customer's decisions, visits, listings,
// absences and alarm events. Copies are renamed (k7 becomes k7#2, its
// visit v1 becomes v1#2), so a customer drawn twice is two customers; the
// tasks and providers are real's own. A population drawn this way has the
// municipality's own mix of zones, providers, decisions and visiting
// patterns, in the months real covers; rapid shrinks a counterexample to
// the fewest customers, the first of real preferred.
//
// real must be valid (models.Dataset.Validate); the copies then are too.
func Resample(real *models.Dataset, maxCustomers int) *rapid.Generator[*models.Dataset] {
	if len(real.Customers) == 0 {
		panic("tarifftest: Resample of a dataset without customers")
	}
	maxCustomers = max(maxCustomers, 1)
	idx := indexByCustomer(real)
	return rapid.Custom(func(t *rapid.T) *models.Dataset {
		out := &models.Dataset{Tasks: slices.Clone(real.Tasks), Providers: slices.Clone(real.Providers)}
		n := rapid.IntRange(1, maxCustomers).Draw(t, "customers")
		for i := range n {
			c := real.Customers[rapid.IntRange(0, len(real.Customers)-1).Draw(t, fmt.Sprintf("customer%d", i))]
			idx.copyInto(out, c, fmt.Sprintf("#%d", i+1))
		}
		return out
	})
}

// byCustomer holds a dataset's records by customer id.
type byCustomer struct {
	decisions map[string][]models.Decision
	visits    map[string][]models.Visit
	listings  map[string][]models.Listing
	absences  map[string][]models.Absence
	events    map[string][]models.AlarmEvent
}

func indexByCustomer(ds *models.Dataset) byCustomer {
	b := byCustomer{decisions: map[string][]models.Decision{}, visits: map[string][]models.Visit{},
		listings: map[string][]models.Listing{}, absences: map[string][]models.Absence{}, events: map[string][]models.AlarmEvent{}}
	for _, d := range ds.Decisions {
		b.decisions[d.Customer] = append(b.decisions[d.Customer], d)
	}
	for _, v := range ds.Visits {
		b.visits[v.Customer] = append(b.visits[v.Customer], v)
	}
	for _, l := range ds.Listings {
		b.listings[l.Customer] = append(b.listings[l.Customer], l)
	}
	for _, a := range ds.Absences {
		b.absences[a.Customer] = append(b.absences[a.Customer], a)
	}
	for _, e := range ds.AlarmEvents {
		b.events[e.Customer] = append(b.events[e.Customer], e)
	}
	return b
}

// copyInto adds a copy of customer c and its records to out, every id
// given the suffix.
func (b byCustomer) copyInto(out *models.Dataset, c models.Customer, suffix string) {
	orig, id := c.ID, c.ID+suffix
	c.ID = id
	c.ZoneChanges = slices.Clone(c.ZoneChanges)
	out.Customers = append(out.Customers, c)
	for _, d := range b.decisions[orig] {
		d.ID, d.Customer = d.ID+suffix, id
		d.Items = slices.Clone(d.Items)
		out.Decisions = append(out.Decisions, d)
	}
	for _, v := range b.visits[orig] {
		v.ID, v.Customer = v.ID+suffix, id
		v.Tasks = slices.Clone(v.Tasks)
		out.Visits = append(out.Visits, v)
	}
	for _, l := range b.listings[orig] {
		l.ID, l.Customer = l.ID+suffix, id
		out.Listings = append(out.Listings, l)
	}
	for _, a := range b.absences[orig] {
		a.ID, a.Customer = a.ID+suffix, id
		out.Absences = append(out.Absences, a)
	}
	for _, e := range b.events[orig] {
		e.ID, e.Customer = e.ID+suffix, id
		out.AlarmEvents = append(out.AlarmEvents, e)
	}
}
