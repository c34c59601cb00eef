package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// generator makes the month's records customer by customer: customer i's
// records depend on i alone, so any customer can be made again without
// the others.
type generator struct {
	cfg   config
	month calendar.Period
}

func newGenerator(cfg config, month calendar.Period) *generator {
	return &generator{cfg: cfg, month: month}
}

var tasks = []models.LocalTask{
	{Local: "Städ", Category: models.Service}, {Local: "Inköp", Category: models.Service},
	{Local: "Dusch", Category: models.Care}, {Local: "Tillsyn", Category: models.Care},
	{Local: "Påklädning", Category: models.Care}, {Local: "Ögondroppar", Category: models.DelegatedHSL},
	{Local: "Larm", Category: models.Alarm},
}

// visitTasks weights the tasks of visits: mostly care, some service, a
// little delegated health care.
var visitTasks = []string{"Dusch", "Tillsyn", "Påklädning", "Tillsyn", "Dusch", "Städ", "Inköp", "Ögondroppar"}

var zones = []string{"tätort", "tätort", "tätort", "landsbygd", "glesbygd"}

// shared is what every customer refers to: the task codes and providers.
func (g *generator) shared() *models.Dataset {
	ds := &models.Dataset{Tasks: tasks}
	for i := range g.cfg.providers {
		own := models.Private
		if i%3 == 0 {
			own = models.OwnOperation
		}
		ds.Providers = append(ds.Providers, models.Provider{ID: fmt.Sprintf("p%04d", i), Name: fmt.Sprintf("Utförare %d", i), Ownership: own})
	}
	return ds
}

func (g *generator) rand(i int) *rand.Rand { return rand.New(rand.NewPCG(2024, uint64(i))) }

// customer returns customer i with its decision and alarm; visits are
// made by visits.
func (g *generator) customer(i int) *models.Dataset {
	r := g.rand(i)
	id := fmt.Sprintf("k%07d", i)
	prov := fmt.Sprintf("p%04d", r.IntN(g.cfg.providers))
	from := calendar.Date{Year: 2023, Month: time.June, Day: 1}
	ds := &models.Dataset{Customers: []models.Customer{{ID: id, Zone: zones[r.IntN(len(zones))]}}}
	ds.Decisions = []models.Decision{{ID: id + "-b", Customer: id, Provider: prov, ValidFrom: from, ExecutionStarted: from,
		Items: []models.GrantedItem{
			{Task: "Städ", Category: models.Service, Minutes: 60, Times: 2, Per: models.PerMonth},
			{Task: "Dusch", Category: models.Care, Minutes: 20 + 5*r.IntN(8), Times: 2 + r.IntN(3), Per: models.PerDay},
			{Task: "Larm", Category: models.Alarm, Minutes: 1, Times: 1, Per: models.PerMonth},
		}}}
	if r.IntN(15) == 0 {
		d := calendar.Date{Year: 2024, Month: time.April, Day: 1 + r.IntN(25)}
		ds.Absences = []models.Absence{{ID: id + "-a", Customer: id, From: d, To: d.AddDays(r.IntN(6)), Reason: models.Hospital}}
	}
	ds.Visits = g.visits(r, id, prov)
	return ds
}

func (g *generator) visits(r *rand.Rand, customer, provider string) []models.Visit {
	loc := g.month.Location
	out := make([]models.Visit, 0, g.cfg.visits)
	for j := range g.cfg.visits {
		day := 1 + r.IntN(30)
		hour := []int{7, 8, 9, 10, 12, 14, 16, 18, 19, 21, 22, 23}[r.IntN(12)]
		start := time.Date(2024, time.April, day, hour, r.IntN(60), 0, 0, loc)
		task := visitTasks[r.IntN(len(visitTasks))]
		out = append(out, models.Visit{ID: fmt.Sprintf("%s-%03d", customer, j), Customer: customer, Provider: provider,
			Start: start, End: start.Add(time.Duration(5+r.IntN(50))*time.Minute + time.Duration(r.IntN(60))*time.Second),
			Tasks: []string{task}, Role: models.CareStaff, Approved: r.IntN(50) != 0, Declined: r.IntN(40) == 0})
	}
	return out
}

func (g *generator) customers() iter.Seq2[*models.Dataset, error] {
	return customersOf(g.cfg.customers, g.customer)
}

// writeVisitsCSV writes every customer's visits to the file name, in
// customer order.
func (g *generator) writeVisitsCSV(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "customer", "provider", "start", "end", "tasks", "role", "approved", "declined"}); err != nil {
		return err
	}
	const layout = "2006-01-02T15:04:05Z07:00"
	for i := range g.cfg.customers {
		for _, v := range g.customer(i).Visits {
			if err := cw.Write([]string{v.ID, v.Customer, v.Provider, v.Start.Format(layout), v.End.Format(layout),
				v.Tasks[0], v.Role.String(), strconv.FormatBool(v.Approved), strconv.FormatBool(v.Declined)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// lineSink writes each customer's lines to one CSV table (the columns
// of Settlement.WriteCSV) and counts them.
type lineSink struct {
	w         *bufio.Writer
	lw        *reimbursement.Writer
	progress  io.Writer
	customers int
	done      int
	lines     int
}

func newLineSink(w io.Writer, progress io.Writer, customers int) *lineSink {
	bw := bufio.NewWriterSize(w, 1<<20)
	return &lineSink{w: bw, lw: reimbursement.NewWriter(bw, reimbursement.PlainCSV), progress: progress, customers: customers}
}

func (s *lineSink) write(part *reimbursement.Settlement) error {
	if err := s.lw.Write(part); err != nil {
		return err
	}
	s.lines += len(part.Lines)
	s.done++
	if s.done%50000 == 0 {
		fmt.Fprintf(s.progress, "%d of %d customers settled\n", s.done, s.customers)
	}
	return nil
}

func (s *lineSink) flush() error {
	if err := s.lw.Flush(); err != nil {
		return err
	}
	return s.w.Flush()
}

// customersFromCSV reads the visits back from the CSV file, one customer
// at a time (the file is grouped by customer), and joins each customer's
// visits to the rest of the customer's generated records.
func (g *generator) customersFromCSV(r io.Reader, file string) iter.Seq2[*models.Dataset, error] {
	return func(yield func(*models.Dataset, error) bool) {
		visits := models.VisitsCSV(r, models.CSVOptions{File: file, Location: g.month.Location})
		next, stop := iter.Pull2(visits)
		defer stop()
		v, err, ok := next()
		for i := range g.cfg.customers {
			ds := g.customer(i)
			id := ds.Customers[0].ID
			ds.Visits = ds.Visits[:0]
			for ok && err == nil && v.Customer == id {
				ds.Visits = append(ds.Visits, v)
				v, err, ok = next()
			}
			if err != nil {
				yield(nil, err)
				return
			}
			// The ids are in order (k0000000, k0000001…): a visit of an
			// earlier customer, or of none, is found here, at its line,
			// not after every customer left is settled without visits.
			if ok && v.Customer <= id {
				yield(nil, fmt.Errorf("%s:%d: visit %s of customer %s: after customer %s's visits: the file is not grouped by customer in order",
					file, v.Source.Line, v.ID, v.Customer, id))
				return
			}
			if !yield(ds, nil) {
				return
			}
		}
		if ok {
			yield(nil, fmt.Errorf("%s:%d: visit %s of customer %s: not a customer of the month", file, v.Source.Line, v.ID, v.Customer))
		}
	}
}
