package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/compare"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

// activity is one KSI activity of the pilot with its standard time.
type activity struct {
	code     ksi.Code
	title    string
	local    string
	category string
	minutes  int
}

// activities reads aktiviteter.csv: kod, titel, lokal kod, kategori,
// standardtid (minutes), källa.
func activities(fsys fs.FS) (map[string]activity, error) {
	f, err := fsys.Open("aktiviteter.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("aktiviteter.csv: %w", err)
	}
	out := map[string]activity{} // by local task code
	for i, row := range rows[1:] {
		if len(row) < 5 {
			return nil, fmt.Errorf("aktiviteter.csv: row %d: want 6 columns", i+2)
		}
		code, err := ksi.Parse(row[0])
		if err != nil {
			return nil, fmt.Errorf("aktiviteter.csv: row %d: %w", i+2, err)
		}
		m, err := strconv.Atoi(strings.TrimSpace(row[4]))
		if err != nil || m <= 0 {
			return nil, fmt.Errorf("aktiviteter.csv: row %d: standard time %q is not a number of minutes", i+2, row[4])
		}
		out[row[2]] = activity{code: code, title: row[1], local: row[2], category: row[3], minutes: m}
	}
	return out, nil
}

// withStandardTimes returns the pilot's view of ds: every granted item
// becomes its KSI activity, found by its task code, with the activity's
// standard time instead of the individually assessed minutes. An item
// granted as minutes per month becomes that many minutes' worth of
// activities a month (at least one). The fees of the pilot are charged on
// these times.
func withStandardTimes(ds *models.Dataset, acts map[string]activity) (*models.Dataset, error) {
	out := *ds
	out.Decisions = make([]models.Decision, len(ds.Decisions))
	var errs []error
	for i, d := range ds.Decisions {
		d.Items = append([]models.GrantedItem(nil), d.Items...)
		for j := range d.Items {
			it := &d.Items[j]
			a, ok := acts[it.Task]
			if !ok {
				errs = append(errs, fmt.Errorf("decision %s item %d: task %q has no KSI activity", d.ID, j, it.Task))
				continue
			}
			it.KSI = a.code
			if it.MinutesPerMonth > 0 {
				it.Times = max(1, (it.MinutesPerMonth+a.minutes/2)/a.minutes)
				it.Per = models.PerMonth
				it.MinutesPerMonth = 0
			}
			it.Minutes = a.minutes
		}
		out.Decisions[i] = d
	}
	return &out, errors.Join(errs...)
}

// pilotMonths are the months of the trial: April–July 2023.
func pilotMonths() ([]calendar.Period, error) {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return nil, err
	}
	var out []calendar.Period
	for m := time.April; m <= time.July; m++ {
		p, err := calendar.Month(2023, m, loc)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// sides loads the current model and the pilot, with their fees.
func sides(fsys fs.FS) (current, pilot compare.Side, acts map[string]activity, err error) {
	ds, err := models.ReadDatasetFS(fsys, "dataset.json")
	if err != nil {
		return
	}
	acts, err = activities(fsys)
	if err != nil {
		return
	}
	pilotData, err := withStandardTimes(ds, acts)
	if err != nil {
		return
	}
	cur, err := reimbursement.LoadBook(fsys, "tariffs/current")
	if err != nil {
		return
	}
	pil, err := reimbursement.LoadBook(fsys, "tariffs/pilot")
	if err != nil {
		return
	}
	f, err := fsys.Open("fees.json")
	if err != nil {
		return
	}
	defer f.Close()
	fees, err := fee.Read(f)
	if err != nil {
		return
	}
	current = compare.Side{Name: "nuvarande modell", Book: cur, Data: ds, Fees: fees}
	pilot = compare.Side{Name: "KSI-pilot", Book: pil, Data: pilotData, Fees: fees}
	return current, pilot, acts, nil
}

// comparison settles April–July 2023 under both models.
func comparison(fsys fs.FS) (*compare.Report, error) {
	current, pilot, _, err := sides(fsys)
	if err != nil {
		return nil, err
	}
	months, err := pilotMonths()
	if err != nil {
		return nil, err
	}
	largest := 4
	return compare.Run(context.Background(), current, pilot, months, compare.Options{Largest: &largest})
}
