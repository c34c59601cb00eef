package models

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
)

// TestGrantedTooLarge: an item of 153 722 867 280 912 941 minutes a
// month (a pasted id; Validate accepts it, a settlement reports it
// implausible) was prorated in int: 153 722 867 280 912 941 × 30 days =
// 4 611 686 018 427 388 230, and 2 × that + 30 = 9 223 372 036 854 776 490
// passes 2^63 − 1, so April's grant came out at -153 722 867 280 912 918
// minutes and fee.Fees charged -768 614 336 404 564 590 kr (found by
// attack). The grant now has no minutes and an error naming the item.
func TestGrantedTooLarge(t *testing.T) {
	april, err := calendar.Month(2024, time.April, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	dec := Decision{ID: "b1", Customer: "k1", Provider: "p", ValidFrom: calendar.NewDate(2024, time.January, 1),
		ExecutionStarted: calendar.NewDate(2024, time.January, 1),
		Items: []GrantedItem{
			{Task: "Dusch", Category: Care, MinutesPerMonth: 153_722_867_280_912_941},
			{Task: "Dusch", Category: Care, Minutes: 1e9, Times: 1e9, Per: PerDay},
		}}
	if err := dec.Validate(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{
		"models: decisions (id b1): items[0].minutes_per_month: too large to count: 153722867280912941 minutes a month over 30 days of a 30-day month is more minutes than an int holds (9223372036854775807)",
		"models: decisions (id b1): items[1].minutes: too large to count: 1000000000 min × 1000000000 times per day over 30 days of a 30-day month is more minutes than an int holds (9223372036854775807)",
	} {
		g := dec.Granted(i, april, nil)
		if !errors.Is(g.Err, ErrTooLarge) || g.Err.Error() != want {
			t.Errorf("item %d: %v\nwant %s", i, g.Err, want)
		}
		if diff := cmp.Diff(Grant{InForce: april.Dates(), Days: 30, PaidDays: 30}, g, cmpopts.IgnoreFields(Grant{}, "Err")); diff != "" {
			t.Errorf("item %d (-want +got):\n%s", i, diff)
		}
		it := &dec.Items[i]
		num, den := it.Prorate(30, 30)
		if got := [...]int{it.MinutesFor(30, 30), num, den, it.OccurrencesFor(30, 30), it.MonthlyMinutes(30)}; got != [...]int{0, 0, 1, 0, 0} {
			t.Errorf("item %d: MinutesFor, Prorate, OccurrencesFor, MonthlyMinutes = %v, want 0, 0 ÷ 1, 0, 0", i, got)
		}
		if err := it.Countable(30, 30); !errors.Is(err, ErrTooLarge) {
			t.Errorf("item %d: Countable: %v", i, err)
		}
	}

	// The largest item countable over a whole 30-day month, two staff:
	// 2 × (m × 30) + 30 ≤ 2^63 − 1 for m = (2^63 − 31) ÷ 60 =
	// 153 722 867 280 912 929; it grants m minutes, 2m staff minutes. One
	// minute more is too large.
	m := (math.MaxInt - 30) / 60
	dec.Items = []GrantedItem{{Category: Care, MinutesPerMonth: m, DoubleStaffing: true}, {Category: Care, MinutesPerMonth: m + 1}}
	if g := dec.Granted(0, april, nil); g.Err != nil || g.Minutes != m || g.StaffMinutes != 2*m {
		t.Errorf("%d minutes a month: %+v", m, g)
	}
	if g := dec.Granted(1, april, nil); g.Err == nil || g.Minutes != 0 {
		t.Errorf("%d minutes a month: %+v", m+1, g)
	}

	// A month of no days, or days below zero, divides by nothing and
	// counts nothing: 0, with an error, not a panic.
	it := GrantedItem{Minutes: 10, Times: 1, Per: PerMonth}
	if n, err := it.MinutesFor(10, 0), it.Countable(10, 0); n != 0 || err == nil ||
		err.Error() != "models: minutes: 10 min × 1 times per month cannot be prorated over 10 days of a month of 0 days" || errors.Is(err, ErrTooLarge) {
		t.Errorf("a month of 0 days: %d, %v", n, err)
	}
	if err := it.Countable(-1, 30); err == nil {
		t.Error("-1 days: countable")
	}
}

// TestCountedByBigInt holds the counts of granted items, of any size, to
// the same arithmetic in math/big: an item Countable accepts has the
// exact minutes, rounded half up, and staff minutes; one it refuses has
// some product beyond an int, and gives 0, never a number that wrapped
// around.
func TestCountedByBigInt(t *testing.T) {
	size := rapid.OneOf(rapid.IntRange(1, 2000), rapid.IntRange(1, math.MaxInt), rapid.IntRange(math.MaxInt/1000, math.MaxInt/2))
	rapid.Check(t, func(t *rapid.T) {
		var it GrantedItem
		if rapid.Bool().Draw(t, "monthly") {
			it.MinutesPerMonth = size.Draw(t, "minutes_per_month")
		} else {
			it.Minutes, it.Times = size.Draw(t, "minutes"), size.Draw(t, "times")
			it.Per = rapid.SampledFrom([]Frequency{PerDay, PerWeek, PerMonth}).Draw(t, "per")
		}
		it.DoubleStaffing = rapid.Bool().Draw(t, "double")
		monthDays := rapid.IntRange(28, 31).Draw(t, "month days")
		days := rapid.IntRange(0, monthDays).Draw(t, "days")

		fits := true
		limit := big.NewInt(math.MaxInt)
		check := func(x *big.Int) *big.Int {
			if x.Cmp(limit) > 0 {
				fits = false
			}
			return x
		}
		n := func(v int) *big.Int { return big.NewInt(int64(v)) }
		var num, den *big.Int
		switch {
		case it.MinutesPerMonth > 0:
			num, den = check(new(big.Int).Mul(n(it.MinutesPerMonth), n(days))), n(monthDays)
		default:
			num = check(new(big.Int).Mul(check(new(big.Int).Mul(n(it.Minutes), n(it.Times))), n(days)))
			den = n(map[Frequency]int{PerDay: 1, PerWeek: 7, PerMonth: monthDays}[it.Per])
		}
		twice := check(new(big.Int).Add(new(big.Int).Mul(num, big.NewInt(2)), den))
		minutes := new(big.Int).Quo(twice, new(big.Int).Mul(den, big.NewInt(2)))
		staff := check(new(big.Int).Mul(minutes, n(it.Staff())))

		err := it.Countable(days, monthDays)
		if (err == nil) != fits {
			t.Fatalf("Countable(%d, %d) of %+v: %v; by big.Int the count fits: %v", days, monthDays, it, err, fits)
		}
		gotNum, gotDen := it.Prorate(days, monthDays)
		if !fits {
			if gotNum != 0 || gotDen != 1 || it.MinutesFor(days, monthDays) != 0 || it.OccurrencesFor(days, monthDays) != 0 {
				t.Fatalf("an uncountable item counts %d ÷ %d, %d minutes", gotNum, gotDen, it.MinutesFor(days, monthDays))
			}
			return
		}
		if gotNum != int(num.Int64()) || gotDen != int(den.Int64()) || it.MinutesFor(days, monthDays) != int(minutes.Int64()) {
			t.Fatalf("%d ÷ %d, %d minutes; by big.Int %s ÷ %s, %s", gotNum, gotDen, it.MinutesFor(days, monthDays), num, den, minutes)
		}
		c, cerr := it.count(days, monthDays)
		if cerr != nil || c.staffMinutes != int(staff.Int64()) {
			t.Fatalf("staff minutes %d, %v; by big.Int %s", c.staffMinutes, cerr, staff)
		}
	})
}

// TestGrantedNoSuchItem: an index that names no item of the decision
// panicked with index out of range (found by a vendor's trial:
// Granted(99, ...) of a decision of three items); it gives a Grant of
// nothing with an error naming the decision and the item, from Granted,
// GrantedWithin and GrantedPaused alike, whether or not the decision is
// in force in the month.
func TestGrantedNoSuchItem(t *testing.T) {
	april, err := calendar.Month(2024, time.April, stockholm)
	if err != nil {
		t.Fatal(err)
	}
	inForce := Decision{ID: "b1", Customer: "k1", Provider: "p", ValidFrom: calendar.NewDate(2024, time.January, 1),
		ExecutionStarted: calendar.NewDate(2024, time.January, 1),
		Items:            []GrantedItem{{Task: "Dusch", Category: Care, Minutes: 30, Times: 1, Per: PerDay}}}
	ended := inForce
	ended.ValidTo = calendar.NewDate(2024, time.February, 29)
	var none Decision
	for _, c := range []struct {
		d    *Decision
		i    int
		want string
	}{
		{&inForce, 99, "models: decisions (id b1): items[99]: no such item: the decision has 1 items, items[0] to items[0]"},
		{&inForce, 1, "models: decisions (id b1): items[1]: no such item: the decision has 1 items, items[0] to items[0]"},
		{&inForce, -1, "models: decisions (id b1): items[-1]: no such item: the decision has 1 items, items[0] to items[0]"},
		{&ended, 5, "models: decisions (id b1): items[5]: no such item: the decision has 1 items, items[0] to items[0]"},
		{&none, 0, "models: decisions: items[0]: no such item: the decision has no items"},
	} {
		for name, g := range map[string]Grant{
			"Granted":       c.d.Granted(c.i, april, nil),
			"GrantedWithin": c.d.GrantedWithin(c.i, april, april.Dates(), nil),
			"GrantedPaused": c.d.GrantedPaused(c.i, april, april.Dates(), Paused(april, c.d.Customer, nil)),
		} {
			if !errors.Is(g.Err, ErrNoItem) || g.Err.Error() != c.want {
				t.Errorf("%s(%d): %v\nwant %s", name, c.i, g.Err, c.want)
			}
			if diff := cmp.Diff(Grant{}, g, cmpopts.IgnoreFields(Grant{}, "Err")); diff != "" {
				t.Errorf("%s(%d) (-want +got):\n%s", name, c.i, diff)
			}
		}
	}
	// Item 0 of the decision in force: 30 min × 1 a day × 30 days = 900.
	if g := inForce.Granted(0, april, nil); g.Err != nil || g.Minutes != 900 {
		t.Errorf("item 0: %+v, want 900 minutes", g)
	}
}
