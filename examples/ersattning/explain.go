package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/hemtjanst/ersattning/models"
)

// runExplain settles a month and explains one customer's lines: the
// tariff, strategy, inputs, lookups, steps and arithmetic of each, and
// what was not paid for the customer and why.
func runExplain(args []string, stdout, stderr io.Writer) error {
	fs, p := newFlags("explain", "-month 2024-03 -tariffs DIR -data dataset.json -customer ID", stderr)
	var f settleFlags
	f.register(fs)
	customer := fs.String("customer", "", "the customer whose lines to explain")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *customer == "" {
		fs.Usage()
		return errUsage
	}
	s, ds, err := f.settle(p)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ds.Customers, func(c models.Customer) bool { return c.ID == *customer }) {
		// Not in the data at all, which "no lines" did not say (found by
		// trial: -customer B1 for b1).
		msg := fmt.Sprintf("customer %q is not in the data", *customer)
		for _, c := range ds.Customers {
			if strings.EqualFold(strings.TrimSpace(c.ID), strings.TrimSpace(*customer)) {
				msg += fmt.Sprintf("; did you mean %q?", c.ID)
				break
			}
		}
		return errors.New(msg)
	}
	found := 0
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.Customer != *customer {
			continue
		}
		if found > 0 {
			fmt.Fprintln(stdout)
		}
		found++
		if err := l.WriteExplanation(stdout); err != nil {
			return err
		}
	}
	for _, c := range s.Customers {
		if c.Customer == *customer {
			fmt.Fprintf(stdout, "\nSumma för brukare %s hos utförare %s: %s kr\n", clean(c.Customer), clean(c.Provider), c.Amount)
		}
	}
	unpaid := 0
	for _, u := range s.NotPaid {
		if u.Customer != *customer {
			continue
		}
		if unpaid == 0 {
			fmt.Fprintln(stdout, "\nInte betalt:")
		}
		unpaid++
		record := clean(u.ID)
		if u.Item != "" {
			record += "/" + clean(u.Item)
		}
		fmt.Fprintf(stdout, "  %s %s %s: %s", u.Kind.Swedish(), record, u.Date, u.Reason.Swedish())
		// The minutes and days not paid, as the settlement has them: a
		// listing or a decision item is accounted for in days (found by
		// trial: a listing no component matched showed no days).
		if u.Minutes > 0 {
			fmt.Fprintf(stdout, ", %d min", u.Minutes)
		}
		switch {
		case u.Days == 1:
			fmt.Fprint(stdout, ", 1 dag")
		case u.Days > 1:
			fmt.Fprintf(stdout, ", %d dagar", u.Days)
		}
		if u.Detail != "" {
			fmt.Fprintf(stdout, " (%s)", clean(u.Detail))
		}
		fmt.Fprintln(stdout)
	}
	if found == 0 && unpaid == 0 {
		return fmt.Errorf("customer %q has no lines and nothing unpaid in %s", *customer, s.Period)
	}
	return nil
}

// clean escapes the control characters of text from the data, as the
// library's reports do, so a terminal shows them and does not obey them.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
