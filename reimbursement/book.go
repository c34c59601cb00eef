package reimbursement

import (
	"errors"
	"fmt"
	"slices"

	"github.com/hemtjanst/ersattning/calendar"
)

// Book is a municipality's tariff book: its tariff versions in date
// order, each in force from its valid_from to its valid_to or, when that
// is open, to the day before the next version starts. A day is priced by
// the version in force on it. A Book is immutable and safe for concurrent
// use.
type Book struct {
	versions []*Version
}

// NewBook builds a book from versions in any order. It rejects two
// versions in force on the same day and a gap between a version's
// valid_to and the next one's valid_from, returning every problem at once.
func NewBook(versions ...*Version) (*Book, error) {
	if len(versions) == 0 {
		return nil, errors.New("reimbursement: empty tariff book")
	}
	vs := slices.Clone(versions)
	slices.SortStableFunc(vs, func(a, b *Version) int { return a.ValidFrom.Compare(b.ValidFrom) })
	var errs []error
	for i := 1; i < len(vs); i++ {
		prev, next := vs[i-1], vs[i]
		where := func(err error) error {
			return &TariffError{File: next.File, Path: "valid_from", Err: err}
		}
		switch {
		case next.ValidFrom == prev.ValidFrom:
			errs = append(errs, where(fmt.Errorf("%w: %q and %q both start on %s", ErrOverlap, prev.Name, next.Name, next.ValidFrom)))
		case !prev.ValidTo.IsZero() && !prev.ValidTo.Before(next.ValidFrom):
			errs = append(errs, where(fmt.Errorf("%w: %q (to %s) and %q (from %s)", ErrOverlap, prev.Name, prev.ValidTo, next.Name, next.ValidFrom)))
		case !prev.ValidTo.IsZero() && prev.ValidTo.AddDays(1) != next.ValidFrom:
			errs = append(errs, where(fmt.Errorf("%w: nothing is in force %s..%s, between %q and %q",
				ErrGap, prev.ValidTo.AddDays(1), next.ValidFrom.AddDays(-1), prev.Name, next.Name)))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Close open ends at the next version; copies keep the caller's
	// versions untouched.
	for i := range vs {
		if vs[i].ValidTo.IsZero() && i+1 < len(vs) {
			c := *vs[i]
			c.ValidTo = vs[i+1].ValidFrom.AddDays(-1)
			vs[i] = &c
		}
	}
	return &Book{versions: vs}, nil
}

// Versions returns the versions in date order.
func (b *Book) Versions() []*Version { return slices.Clone(b.versions) }

// VersionOn returns the version in force on d, or nil.
func (b *Book) VersionOn(d calendar.Date) *Version {
	for i := len(b.versions) - 1; i >= 0; i-- {
		v := b.versions[i]
		if !d.Before(v.ValidFrom) {
			if v.ValidTo.IsZero() || !d.After(v.ValidTo) {
				return v
			}
			return nil
		}
	}
	return nil
}
