package tarifftest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/internal/grantitem"
)

// A counterexample is read by an economist and shown to a committee: it
// says, in Swedish, what the dataset holds and, for the customers behind
// a breach (the first three), the records (the first 20 of each
// customer's) and every line under both tariffs.

// Caps on what one breach shows: a shrunk counterexample is far smaller,
// a comparison of a real month may not be.
const (
	maxCustomersShown = 3
	maxRecordsShown   = 20
	maxUnitsShown     = 6
)

// summary counts the records of a dataset: "motexempel: 1 brukare hos 1
// utförare; 2 beslut, 2 besök, 1 inskrivning".
func summary(ds *models.Dataset) string {
	var parts []string
	for _, n := range []struct {
		n         int
		one, many string
	}{
		{len(ds.Decisions), "beslut", "beslut"},
		{len(ds.Visits), "besök", "besök"},
		{len(ds.Listings), "inskrivning", "inskrivningar"},
		{len(ds.Absences), "uppehåll", "uppehåll"},
		{len(ds.AlarmEvents), "larmutryckning", "larmutryckningar"},
	} {
		if n.n > 0 {
			parts = append(parts, count(n.n, n.one, n.many))
		}
	}
	records := "inga beslut, besök eller andra poster"
	if len(parts) > 0 {
		records = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("motexempel: %s hos %s; %s", count(len(ds.Customers), "brukare", "brukare"),
		count(len(ds.Providers), "utförare", "utförare"), records)
}

// describe shows the customers behind a breach, the first
// maxCustomersShown of them: each customer's zone, providers and records
// (from ds, when given) and the lines and unpaid records under both
// tariffs. A report without settlements (made by hand) shows nothing.
func describe(c *compare.Report, ds *models.Dataset, customers []string) string {
	if len(customers) == 0 || len(c.BaseSettlements)+len(c.ProposedSettlements) == 0 {
		return ""
	}
	var b strings.Builder
	for i, id := range customers {
		if i == maxCustomersShown {
			fmt.Fprintf(&b, "\n… och %s till", count(len(customers)-i, "brukare", "brukare"))
			break
		}
		describeCustomer(&b, c, ds, id)
	}
	return b.String()
}

func describeCustomer(b *strings.Builder, c *compare.Report, ds *models.Dataset, id string) {
	var row *compare.Change
	for i := range c.Customers {
		if c.Customers[i].Key == id {
			row = &c.Customers[i]
		}
	}
	fmt.Fprintf(b, "\nbrukare %s", id)
	if ds != nil {
		writeCustomerHeader(b, c, ds, id)
		writeRecords(b, ds, id)
	} else if row != nil {
		fmt.Fprintf(b, ": zon %s; utförare %s", row.Zone, providersText(c, nil, customerProviders(c, id, row)))
	}
	for _, side := range []struct {
		name        string
		settlements []*reimbursement.Settlement
		amount      func(*compare.Change) reimbursement.Amount
	}{
		{c.Base, c.BaseSettlements, func(ch *compare.Change) reimbursement.Amount { return ch.Base }},
		{c.Proposed, c.ProposedSettlements, func(ch *compare.Change) reimbursement.Amount { return ch.Proposed }},
	} {
		var lines []*reimbursement.Line
		var unpaid []*reimbursement.Unpaid
		for _, s := range side.settlements {
			for i := range s.Lines {
				if s.Lines[i].Customer == id {
					lines = append(lines, &s.Lines[i])
				}
			}
			for i := range s.NotPaid {
				if u := &s.NotPaid[i]; u.Customer == id && u.Reason != reimbursement.OutsidePeriod {
					unpaid = append(unpaid, u)
				}
			}
		}
		total := "0.00"
		if row != nil {
			total = side.amount(row).String()
		}
		if len(lines) == 0 {
			fmt.Fprintf(b, "\n  %s: inga rader (%s kr)", side.name, total)
		} else {
			fmt.Fprintf(b, "\n  %s: %s, %s kr", side.name, count(len(lines), "rad", "rader"), total)
		}
		for _, l := range lines {
			fmt.Fprintf(b, "\n    %s%s", compare.LineText(l), unitsText(l.Units))
		}
		if len(unpaid) > 0 {
			fmt.Fprintf(b, "\n  %s, inte betalt:", side.name)
			for _, u := range unpaid {
				fmt.Fprintf(b, "\n    %s", unpaidText(u))
			}
		}
	}
}

// writeCustomerHeader writes the customer's zone, with the moves by
// date, and the providers of the customer's records, by id, with their
// ownership.
func writeCustomerHeader(b *strings.Builder, c *compare.Report, ds *models.Dataset, id string) {
	for _, cu := range ds.Customers {
		if cu.ID != id {
			continue
		}
		fmt.Fprintf(b, ": zon %s", cu.Zone)
		moves := slices.Clone(cu.ZoneChanges)
		slices.SortStableFunc(moves, func(x, y models.ZoneChange) int { return x.From.Compare(y.From) })
		for _, z := range moves {
			fmt.Fprintf(b, ", %s från %s", z.Zone, z.From)
		}
	}
	r := recordsOf(ds, id)
	var providers []string
	for _, d := range r.decisions {
		providers = append(providers, d.Provider)
	}
	for _, v := range r.visits {
		providers = append(providers, v.Provider)
	}
	for _, l := range r.listings {
		providers = append(providers, l.Provider)
	}
	for _, e := range r.events {
		providers = append(providers, e.Provider)
	}
	if len(providers) == 0 {
		b.WriteString("; ingen utförare")
		return
	}
	slices.Sort(providers)
	fmt.Fprintf(b, "; utförare %s", providersText(c, ds, slices.Compact(providers)))
}

// customerRecords are one customer's records, each kind in the order of
// time and then of id, whatever their order in the dataset.
type customerRecords struct {
	decisions []models.Decision
	visits    []models.Visit
	listings  []models.Listing
	absences  []models.Absence
	events    []models.AlarmEvent
}

func recordsOf(ds *models.Dataset, id string) customerRecords {
	idx := indexByCustomer(ds)
	r := customerRecords{decisions: idx.decisions[id], visits: idx.visits[id], listings: idx.listings[id],
		absences: idx.absences[id], events: idx.events[id]}
	slices.SortStableFunc(r.decisions, func(x, y models.Decision) int {
		return cmp.Or(x.ValidFrom.Compare(y.ValidFrom), strings.Compare(x.ID, y.ID))
	})
	slices.SortStableFunc(r.visits, func(x, y models.Visit) int {
		return cmp.Or(x.Start.Compare(y.Start), strings.Compare(x.ID, y.ID))
	})
	slices.SortStableFunc(r.listings, func(x, y models.Listing) int {
		return cmp.Or(x.From.Compare(y.From), strings.Compare(x.ID, y.ID))
	})
	slices.SortStableFunc(r.absences, func(x, y models.Absence) int {
		return cmp.Or(x.From.Compare(y.From), strings.Compare(x.ID, y.ID))
	})
	slices.SortStableFunc(r.events, func(x, y models.AlarmEvent) int {
		return cmp.Or(x.Time.Compare(y.Time), strings.Compare(x.ID, y.ID))
	})
	return r
}

// providersText names providers with their ownership, from ds or, without
// it, from the base side's settlements: "p1 Utförare 1 (privat regi)";
// with how the proposal names or owns one otherwise.
// customerProviders returns the providers of customer id in the
// settlements of either side, sorted: the report's provider column joins
// them with "+", which an id may hold too (found by attack: provider
// "vård+omsorg" was named as two). Without settlements, the column's
// parts.
func customerProviders(c *compare.Report, id string, row *compare.Change) []string {
	var ids []string
	for _, ss := range [][]*reimbursement.Settlement{c.BaseSettlements, c.ProposedSettlements} {
		for _, s := range ss {
			for _, ct := range s.Customers {
				if ct.Customer == id && !slices.Contains(ids, ct.Provider) {
					ids = append(ids, ct.Provider)
				}
			}
		}
	}
	if len(ids) == 0 {
		return strings.Split(row.Provider, "+")
	}
	slices.Sort(ids)
	return ids
}

func providersText(c *compare.Report, ds *models.Dataset, ids []string) string {
	var out []string
	for _, id := range ids {
		text := id
		if ds != nil {
			for _, p := range ds.Providers {
				if p.ID == id {
					text = fmt.Sprintf("%s %s (%s)", id, p.Name, p.Ownership.Swedish())
				}
			}
		} else {
		found:
			for _, s := range c.BaseSettlements {
				for _, p := range s.Providers {
					if p.Provider == id {
						text = fmt.Sprintf("%s %s (%s)", id, p.Name, p.Ownership.Swedish())
						break found
					}
				}
			}
		}
		for _, pd := range c.ProviderDifferences {
			if pd.Provider == id {
				text += ", " + c.ProviderDifferenceText(pd)
			}
		}
		out = append(out, text)
	}
	return strings.Join(out, ", ")
}

// writeRecords writes the customer's records, one a line: decisions,
// visits, listings, absences and alarm calls, each in the order of time.
func writeRecords(b *strings.Builder, ds *models.Dataset, id string) {
	categories := map[string]models.Category{}
	for _, t := range ds.Tasks {
		categories[t.Local] = t.Category
	}
	r := recordsOf(ds, id)
	var records []string
	for _, d := range r.decisions {
		records = append(records, decisionText(&d))
	}
	for _, v := range r.visits {
		records = append(records, visitText(&v, categories))
	}
	for _, l := range r.listings {
		records = append(records, fmt.Sprintf("inskrivning %s hos %s: %s", l.ID, l.Provider, withTerm(l.Kind.Swedish(), span(l.From, l.To))))
	}
	for _, a := range r.absences {
		records = append(records, fmt.Sprintf("uppehåll %s: %s", a.ID, withTerm(a.Reason.Swedish(), span(a.From, a.To))))
	}
	for _, e := range r.events {
		s := fmt.Sprintf("larmutryckning %s hos %s: %s", e.ID, e.Provider, e.Time.Format("2006-01-02 15:04"))
		if e.Kind != "" {
			s += ", " + e.Kind
		}
		records = append(records, s)
	}
	if len(records) == 0 {
		b.WriteString("\n  inga beslut, besök eller andra poster")
	}
	for i, r := range records {
		if i == maxRecordsShown {
			fmt.Fprintf(b, "\n  … och %s till", count(len(records)-i, "post", "poster"))
			break
		}
		b.WriteString("\n  " + r)
	}
}

// withTerm writes a record's term before its dates, or the dates alone
// for a kind or reason without one (ListingUnknown, ReasonUnknown).
func withTerm(term, dates string) string {
	if term == "" {
		return dates
	}
	return term + " " + dates
}

// categoryText writes a category after a task, "Dusch (omsorg)", and
// nothing for CategoryUnknown.
func categoryText(c models.Category) string {
	if s := c.Swedish(); s != "" {
		return " (" + s + ")"
	}
	return ""
}

// span writes a range of dates, open or closed: "2024-02-01 – tills
// vidare", "2024-02-03 – 2024-02-10".
func span(from, to calendar.Date) string {
	if to.IsZero() {
		return from.String() + " – tills vidare"
	}
	return from.String() + " – " + to.String()
}

// decisionText writes a decision with its items: "beslut k001-b1 hos
// p1, 2024-02-01 – tills vidare, verkställt 2024-02-01: Städ (service)
// 5 min 1 gång per dag".
func decisionText(d *models.Decision) string {
	started := "ej verkställt"
	if !d.ExecutionStarted.IsZero() {
		started = "verkställt " + d.ExecutionStarted.String()
	}
	// In the order of what they grant, not of where they are written
	// (found by attack: the text depended on the items' order).
	order := make([]*models.GrantedItem, len(d.Items))
	for i := range d.Items {
		order[i] = &d.Items[i]
	}
	slices.SortStableFunc(order, grantitem.Compare)
	var items []string
	for _, it := range order {
		name := it.Task
		if name == "" && !it.KSI.IsZero() {
			name = it.KSI.String()
		} else if !it.KSI.IsZero() {
			name += " [" + it.KSI.String() + "]"
		}
		s := name + categoryText(it.Category)
		switch {
		case it.Subscription:
			s += " abonnemang"
		case it.MinutesPerMonth > 0:
			s += fmt.Sprintf(" %d min per månad", it.MinutesPerMonth)
		default:
			s += fmt.Sprintf(" %d min %s per %s", it.Minutes, count(it.Times, "gång", "gånger"), it.Per.Swedish())
		}
		if it.DoubleStaffing {
			s += ", dubbelbemanning"
		}
		items = append(items, strings.TrimPrefix(s, " "))
	}
	s := fmt.Sprintf("beslut %s hos %s, %s, %s", d.ID, d.Provider, span(d.ValidFrom, d.ValidTo), started)
	if len(items) > 0 {
		s += ": " + strings.Join(items, "; ")
	}
	return s
}

// visitText writes a visit: "besök k001-v001 hos p1: 2024-02-03
// 18:15–18:20 (5 min 28 s), Dusch (omsorg), 2 personal, avböjt".
func visitText(v *models.Visit, categories map[string]models.Category) string {
	end := v.End.Format("15:04")
	if calendar.DateOf(v.End) != calendar.DateOf(v.Start) {
		end = v.End.Format("2006-01-02 15:04")
	}
	d := v.End.Sub(v.Start)
	length := fmt.Sprintf("%d min", int64(d/time.Minute))
	if s := int64(d%time.Minute) / int64(time.Second); s > 0 {
		length += fmt.Sprintf(" %d s", s)
	}
	var tasks []string
	for _, t := range v.Tasks {
		tasks = append(tasks, t+categoryText(categories[t]))
	}
	s := fmt.Sprintf("besök %s hos %s: %s–%s (%s)", v.ID, v.Provider, v.Start.Format("2006-01-02 15:04"), end, length)
	if len(tasks) > 0 {
		s += ", " + strings.Join(tasks, ", ")
	}
	if v.Role.Licensed() { // care staff, the usual, go unnamed
		s += ", " + v.Role.Swedish()
	}
	if v.StaffCount() > 1 {
		s += fmt.Sprintf(", %d personal", v.StaffCount())
	}
	if v.PlannedMinutes > 0 {
		s += fmt.Sprintf(", planerat %d min", v.PlannedMinutes)
	}
	if v.Declined {
		s += ", avböjt"
	}
	if !v.Approved {
		s += ", ej attesterat"
	}
	return s
}

// unitsText names the records a line pays: " – besök k001-v001 (5 min),
// inskrivning k001-l1 (29 dagar)".
func unitsText(units []reimbursement.UnitRef) string {
	if len(units) == 0 {
		return ""
	}
	var parts []string
	for i, u := range units {
		if i == maxUnitsShown {
			parts = append(parts, fmt.Sprintf("och %d till", len(units)-i))
			break
		}
		s := u.Kind.Swedish() + " " + u.ID
		if u.Item != "" {
			s += "/" + u.Item
		}
		switch {
		case u.Minutes > 0:
			s += fmt.Sprintf(" (%d min)", u.Minutes)
		case u.Days > 0:
			s += fmt.Sprintf(" (%s)", count(u.Days, "dag", "dagar"))
		}
		parts = append(parts, s)
	}
	return " – " + strings.Join(parts, ", ")
}

// unpaidText writes a record not paid as the settlement's text output
// does: "besök k001-v003 2024-02-05: ej attesterat, 14 min".
func unpaidText(u *reimbursement.Unpaid) string {
	s := u.Kind.Swedish() + " " + u.ID
	if u.Item != "" {
		s += "/" + u.Item
	}
	if !u.Date.IsZero() {
		s += " " + u.Date.String()
	}
	s += ": " + u.Reason.Swedish()
	if u.Component != "" {
		s += " (" + u.Component + ")"
	}
	if u.Minutes > 0 {
		s += fmt.Sprintf(", %d min", u.Minutes)
	}
	if u.Days > 0 {
		s += ", " + count(u.Days, "dag", "dagar")
	}
	if u.Detail != "" {
		s += ", " + u.Detail
	}
	return s
}

// logged is a drawn dataset as rapid logs it: rapid writes a draw with
// %#v, which for a models.Dataset is a Go struct dump (a KSI code as
// ksi.Code{target:[3]uint8{…}}); logged writes it as JSON instead.
type logged struct{ ds *models.Dataset }

// GoString writes the dataset as JSON, one record a line, in the form
// models.ReadDataset reads.
func (l logged) GoString() string { return datasetJSON(l.ds) }

// datasetJSON writes ds as a JSON object with one record a line: each
// collection's records in the order of the dataset, the collections in
// the order of models.Dataset's fields.
func datasetJSON(ds *models.Dataset) string {
	whole, err := json.Marshal(ds)
	if err != nil {
		return fmt.Sprintf("(the dataset does not write as JSON: %v)", err)
	}
	var fields map[string][]json.RawMessage
	if err := json.Unmarshal(whole, &fields); err != nil {
		return string(whole)
	}
	order := []string{"tasks", "customers", "providers", "decisions", "visits", "listings", "absences", "alarm_events"}
	for k := range fields {
		if !slices.Contains(order, k) { // a field added to models.Dataset and not here
			return string(whole)
		}
	}
	var b bytes.Buffer
	b.WriteString("{")
	first := true
	for _, k := range order {
		records, ok := fields[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, "\n %q: [", k)
		for i, r := range records {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n  ")
			b.Write(r)
		}
		if len(records) > 0 {
			b.WriteString("\n ")
		}
		b.WriteString("]")
	}
	b.WriteString("\n}")
	return b.String()
}
