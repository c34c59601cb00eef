package tarifftest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// CheckOrderIndependent settles ds and a shuffled copy of it (drawn from
// t) and verifies that the outputs are the same to the byte.
func CheckOrderIndependent(t *rapid.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) error {
	a, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{})
	if err != nil {
		return err
	}
	s, err := reimbursement.Settle(context.Background(), b, Shuffled(t, ds), p, reimbursement.Options{Workers: 1})
	if err != nil {
		return err
	}
	if err := CheckSameOutput(a, s); err != nil {
		return fmt.Errorf("the order of the input records changes the output: %w", err)
	}
	return nil
}

// CheckGrantedCap verifies that no customer is paid more performed
// minutes of a category by component (its ordinary lines) than the
// customer's decisions with the provider grant in the period: the
// promise of a performed_time component with "cap": "granted". Declined
// visits, which declined_share pays on lines of kind "declined", are
// outside the cap (see performed_time) and are not counted.
func CheckGrantedCap(s *reimbursement.Settlement, ds *models.Dataset, p calendar.Period, component string) error {
	type key struct {
		customer, provider string
		category           models.Category
	}
	paid := map[key]int64{}
	var keys []key
	for _, l := range s.Lines {
		if l.Component != component || l.Kind != reimbursement.KindPlain || l.Unit != reimbursement.Minutes {
			continue
		}
		k := key{l.Customer, l.Provider, l.Category}
		if _, ok := paid[k]; !ok {
			keys = append(keys, k)
		}
		paid[k] += l.Quantity.IntPart()
	}
	for _, k := range keys {
		cat := k.category
		if granted := grantedMinutes(ds, k.customer, k.provider, cat, p); paid[k] > granted {
			return fmt.Errorf("customer %s with %s: %s paid %d min of %s, %d granted", k.customer, k.provider, component, paid[k], cat, granted)
		}
	}
	return nil
}

func grantedMinutes(ds *models.Dataset, customer, provider string, cat models.Category, p calendar.Period) int64 {
	var n int64
	for i := range ds.Decisions {
		d := &ds.Decisions[i]
		if d.Customer != customer || d.Provider != provider {
			continue
		}
		for j, it := range d.Items {
			if it.Category == cat {
				n += int64(d.Granted(j, p, ds.Absences).StaffMinutes)
			}
		}
	}
	return n
}

// CheckPerformedMonotonic lengthens one visit of ds (drawn from t) and
// verifies that no performed_time component of the book pays fewer
// minutes for it, and, for such a component with one rate in every band
// or without a cap, not less money. (With a cap and rates by band a
// longer visit can push a dearer one past the cap: the promise is then
// about minutes only.)
func CheckPerformedMonotonic(t *rapid.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) error {
	if len(ds.Visits) == 0 {
		return nil
	}
	i := rapid.IntRange(0, len(ds.Visits)-1).Draw(t, "visit to lengthen")
	extra := time.Duration(rapid.IntRange(1, 120).Draw(t, "extra minutes")) * time.Minute
	longer := *ds
	longer.Visits = slices.Clone(ds.Visits)
	longer.Visits[i].End = longer.Visits[i].End.Add(extra)
	before, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{NoExplain: true})
	if err != nil {
		return err
	}
	after, err := reimbursement.Settle(context.Background(), b, &longer, p, reimbursement.Options{NoExplain: true})
	if err != nil {
		return err
	}
	for _, v := range b.Versions() {
		for _, c := range v.Components() {
			if c.Strategy() != "performed_time" {
				continue
			}
			mb, ma := sumMinutes(before, c.Name()), sumMinutes(after, c.Name())
			if ma < mb {
				return fmt.Errorf("visit %s longer by %v: %s pays %d min, %d before", ds.Visits[i].ID, extra, c.Name(), ma, mb)
			}
			if c.HasParam("cap") && c.RateByBand() {
				continue
			}
			ab, aa := sumAmount(before, c.Name()), sumAmount(after, c.Name())
			if aa.LessThan(ab) {
				return fmt.Errorf("visit %s longer by %v: %s pays %s kr, %s before", ds.Visits[i].ID, extra, c.Name(), aa, ab)
			}
		}
	}
	return nil
}

func sumMinutes(s *reimbursement.Settlement, component string) int64 {
	var n int64
	for _, m := range PaidMinutes(s, component) {
		for _, x := range m {
			n += x
		}
	}
	return n
}

func sumAmount(s *reimbursement.Settlement, component string) decimal.Decimal {
	var sum decimal.Decimal
	for _, l := range s.Lines {
		if l.Component == component {
			sum = sum.Add(l.Amount.Decimal)
		}
	}
	return sum
}
