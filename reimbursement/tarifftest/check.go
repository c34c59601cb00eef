package tarifftest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// CheckSameOutput verifies that two settlements are the same to the byte
// in their JSON form; it names the first line where they differ.
func CheckSameOutput(a, b *reimbursement.Settlement) error {
	ja, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		return err
	}
	jb, err := json.MarshalIndent(b, "", " ")
	if err != nil {
		return err
	}
	if bytes.Equal(ja, jb) {
		return nil
	}
	la, lb := bytes.Split(ja, []byte("\n")), bytes.Split(jb, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Errorf("outputs differ at JSON line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Errorf("outputs differ in length: %d and %d JSON lines", len(la), len(lb))
}

// Shuffled draws a copy of ds with every collection in a random order,
// for checking that a settlement does not depend on the order of its
// input records.
func Shuffled(t *rapid.T, ds *models.Dataset) *models.Dataset {
	out := *ds
	out.Tasks = rapid.Permutation(ds.Tasks).Draw(t, "tasks order")
	out.Customers = rapid.Permutation(ds.Customers).Draw(t, "customers order")
	out.Providers = rapid.Permutation(ds.Providers).Draw(t, "providers order")
	out.Decisions = rapid.Permutation(ds.Decisions).Draw(t, "decisions order")
	out.Visits = rapid.Permutation(ds.Visits).Draw(t, "visits order")
	out.Listings = rapid.Permutation(ds.Listings).Draw(t, "listings order")
	out.Absences = rapid.Permutation(ds.Absences).Draw(t, "absences order")
	out.AlarmEvents = rapid.Permutation(ds.AlarmEvents).Draw(t, "alarm events order")
	// Within records: the items of each decision, the zone changes of
	// each customer (copies, so ds is left as it was).
	for i := range out.Decisions {
		d := &out.Decisions[i]
		d.Items = rapid.Permutation(d.Items).Draw(t, "items order")
	}
	for i := range out.Customers {
		c := &out.Customers[i]
		c.ZoneChanges = rapid.Permutation(c.ZoneChanges).Draw(t, "zone changes order")
	}
	return &out
}

// CheckDeterministic settles ds and a shuffled copy of it (every
// collection, the items of every decision and the zone changes of every
// customer in a random order drawn from t), with and without
// explanations, and verifies that each pair writes the same JSON, CSV and
// text to the byte, and that explanations change no amount.
func CheckDeterministic(t *rapid.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) error {
	shuffled := Shuffled(t, ds)
	var totals [2]string
	for i, opts := range []reimbursement.Options{{}, {NoExplain: true}} {
		a, err := reimbursement.Settle(context.Background(), b, ds, p, opts)
		if err != nil {
			return err
		}
		opts.Workers = 1
		s, err := reimbursement.Settle(context.Background(), b, shuffled, p, opts)
		if err != nil {
			return err
		}
		for _, w := range writers {
			wa, ws := w.write(a), w.write(s)
			if wa != ws {
				return fmt.Errorf("the order of the input records changes the %s output (NoExplain %v): %w", w.name, opts.NoExplain,
					firstDifference(wa, ws))
			}
		}
		totals[i] = w0(a)
	}
	if totals[0] != totals[1] {
		return fmt.Errorf("explanations change the amounts:\n%s\n%s", totals[0], totals[1])
	}
	return nil
}

// writers are the outputs CheckDeterministic compares.
var writers = []struct {
	name  string
	write func(*reimbursement.Settlement) string
}{
	{"JSON", func(s *reimbursement.Settlement) string {
		var b bytes.Buffer
		_ = s.WriteJSON(&b)
		return b.String()
	}},
	{"CSV", func(s *reimbursement.Settlement) string {
		var b bytes.Buffer
		_ = s.WriteCSV(&b, reimbursement.PlainCSV)
		return b.String()
	}},
	{"text", func(s *reimbursement.Settlement) string {
		var b bytes.Buffer
		_ = s.WriteText(&b, reimbursement.TextOptions{Lines: true, Explain: len(s.Lines)})
		return b.String()
	}},
}

// w0 writes a settlement's amounts: its total, the providers' and the
// customers' totals and the lines in CSV.
func w0(s *reimbursement.Settlement) string {
	var b bytes.Buffer
	fmt.Fprintln(&b, s.Total)
	for _, p := range s.Providers {
		fmt.Fprintln(&b, p.Provider, p.Amount)
	}
	for _, c := range s.Customers {
		fmt.Fprintln(&b, c.Customer, c.Provider, c.Amount)
	}
	_ = s.WriteCSV(&b, reimbursement.PlainCSV)
	return b.String()
}

// firstDifference names the first line where a and b differ.
func firstDifference(a, b string) error {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Errorf("line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Errorf("%d and %d lines", len(la), len(lb))
}

// PaidMinutes returns the minutes a component paid each customer, by
// customer and category: the quantity of its base lines in minutes.
func PaidMinutes(s *reimbursement.Settlement, component string) map[string]map[models.Category]int64 {
	out := map[string]map[models.Category]int64{}
	for _, l := range s.Lines {
		if l.Component != component || l.Kind != reimbursement.KindPlain || l.Unit != reimbursement.Minutes {
			continue
		}
		if out[l.Customer] == nil {
			out[l.Customer] = map[models.Category]int64{}
		}
		out[l.Customer][l.Category] += l.Quantity.IntPart()
	}
	return out
}
