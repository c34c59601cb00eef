// Package grantitem holds what settlement and fees both say of a granted
// item (insats) of a decision: its name, its order among the items of
// its decision, and the plausibility rule (reimbursement.Options.MaxGrantedPerDay,
// fee.MaxGrantedPerDay), so that the two name and report the same items
// in the same words.
package grantitem

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hemtjanst/ersattning/models"
)

// Name is how a settlement names a granted item: its task code
// (trimmed), else its KSI code, else its category.
func Name(it *models.GrantedItem) string {
	switch {
	case it.Task != "":
		return strings.TrimSpace(it.Task)
	case !it.KSI.IsZero():
		return it.KSI.String()
	}
	return it.Category.String()
}

// Compare orders granted items by what they grant, not by where they are
// written: category, name, KSI code, frequency, minutes, times, minutes a
// month, staff.
func Compare(x, y *models.GrantedItem) int {
	// In turn: cmp.Or would compare every field, KSI codes written out,
	// of every pair.
	if c := cmp.Compare(x.Category, y.Category); c != 0 {
		return c
	}
	if c := strings.Compare(strings.TrimSpace(x.Task), strings.TrimSpace(y.Task)); c != 0 {
		return c // as Name has them: " Dusch" is Dusch
	}
	if x.KSI != y.KSI {
		if c := strings.Compare(x.KSI.String(), y.KSI.String()); c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(x.Per, y.Per), cmp.Compare(x.Minutes, y.Minutes), cmp.Compare(x.Times, y.Times),
		cmp.Compare(x.MinutesPerMonth, y.MinutesPerMonth), cmp.Compare(x.Staff(), y.Staff()))
}

// Alike returns how many items of decision d have the name of item it
// (one of d's items), and the place of it among them, from 1, in the
// order of what they grant (Compare), not of where they are written:
// numbered by where, items written in another order were explained
// otherwise (found by attack). Items that grant alike are numbered by
// where, and read alike.
func Alike(d *models.Decision, it *models.GrantedItem) (same, at int) {
	name := Name(it)
	self := -1 // where it is written: among items that grant alike
	for i := range d.Items {
		if &d.Items[i] == it {
			self = i
			break
		}
	}
	at = 1
	for i := range d.Items {
		o := &d.Items[i]
		if Name(o) != name {
			continue
		}
		same++
		if c := Compare(o, it); c < 0 || c == 0 && i < self {
			at++
		}
	}
	return same, at
}

// Places holds what Alike gives for every item of one decision at a
// time, worked out at once: Alike asked for each item of a decision of n
// items of one name compares n × n (a decision of 20 000 items, each
// explained or reported implausible). The zero Places is ready to use;
// it keeps the places of the decision asked of last.
type Places struct {
	d        *models.Decision
	same, at []int
}

// Reset forgets the decision asked of last, keeping the memory.
func (p *Places) Reset() { p.d = nil }

// Of returns what Alike(d, &d.Items[i]) returns.
func (p *Places) Of(d *models.Decision, i int) (same, at int) {
	if p.d != d || len(p.same) != len(d.Items) {
		p.d = d
		p.same, p.at = places(d, p.same[:0], p.at[:0])
	}
	return p.same[i], p.at[i]
}

// places returns Alike's counts and places for every item of d: the
// items of each name sorted by what they grant (Compare), then by where
// they are written.
func places(d *models.Decision, same, at []int) ([]int, []int) {
	if len(d.Items) <= 16 {
		// A decision of a few items, as nearly all are: Alike for each,
		// without the map and groups.
		for i := range d.Items {
			s, a := Alike(d, &d.Items[i])
			same, at = append(same, s), append(at, a)
		}
		return same, at
	}
	byName := map[string][]int{}
	var names []string
	for i := range d.Items {
		n := Name(&d.Items[i])
		if _, ok := byName[n]; !ok {
			names = append(names, n)
		}
		byName[n] = append(byName[n], i)
	}
	same, at = append(same, make([]int, len(d.Items))...), append(at, make([]int, len(d.Items))...)
	for _, n := range names {
		group := byName[n]
		slices.SortStableFunc(group, func(a, b int) int { return Compare(&d.Items[a], &d.Items[b]) })
		for k, i := range group {
			same[i], at[i] = len(group), k+1
		}
	}
	return same, at
}

// Implausible says, as a not-paid detail, why item i of decision d is
// beyond the plausibility limit perDay (see Beyond), or returns "". An
// item that shares its name with others of the decision is named by its
// place among them ("insats 2 av 3: …"), as an explanation names it,
// from ps (which may be nil: Alike then).
func Implausible(d *models.Decision, i int, perDay int64, ps *Places) string {
	why := Beyond(&d.Items[i], perDay)
	if why == "" {
		return ""
	}
	same, at := 0, 0
	if ps != nil {
		same, at = ps.Of(d, i)
	} else {
		same, at = Alike(d, &d.Items[i])
	}
	if same > 1 {
		return fmt.Sprintf("insats %d av %d: %s", at, same, why)
	}
	return why
}

// Beyond says, in Swedish as a settlement's not-paid detail says it, why a
// granted item grants more than perDay minutes a day on average over its
// frequency's days (a month counts 31), or returns "" for an item within
// the limit. A subscription item grants no minutes and is always within
// it. Minutes and times are compared with the limit before they are
// multiplied, so no product can overflow for any perDay up to 1<<20
// (settlement's ceiling is 14 400).
func Beyond(it *models.GrantedItem, perDay int64) string {
	var days int64 // the frequency's days
	switch {
	case it.Subscription:
		return ""
	case it.MinutesPerMonth > 0:
		if int64(it.MinutesPerMonth) > 31*perDay {
			return fmt.Sprintf("%d minuter per månad, mer än %d om dagen", it.MinutesPerMonth, perDay)
		}
		return ""
	case it.Per == models.PerDay:
		days = 1
	case it.Per == models.PerWeek:
		days = 7
	default:
		days = 31
	}
	m, t := int64(it.Minutes), int64(it.Times)
	if m > days*perDay || t > days*perDay || m*t > days*perDay {
		return fmt.Sprintf("%d min × %d per %s, mer än %d minuter om dagen", it.Minutes, it.Times, it.Per.Swedish(), perDay)
	}
	return ""
}
