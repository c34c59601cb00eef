package reimbursement

import (
	"errors"
	"fmt"
	"slices"
	"sort"

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
// valid_to and the next one's valid_from, returning every problem at once,
// and a nil or zero Version (one not made by LoadVersion or ParseVersion).
func NewBook(versions ...*Version) (*Book, error) {
	if len(versions) == 0 {
		return nil, errors.New("reimbursement: empty tariff book")
	}
	for i, v := range versions {
		// A Version is made by LoadVersion or ParseVersion, which give
		// it a schedule; a nil or zero one holds no tariff.
		if v == nil || v.schedule == nil {
			return nil, fmt.Errorf("reimbursement: NewBook: version %d is nil or not loaded (use LoadVersion or ParseVersion)", i)
		}
	}
	vs := slices.Clone(versions)
	slices.SortStableFunc(vs, func(a, b *Version) int { return a.validFrom.Compare(b.validFrom) })
	var errs []error
	for i := 1; i < len(vs); i++ {
		prev, next := vs[i-1], vs[i]
		where := func(err error) error {
			return &TariffError{File: next.file, Path: "valid_from", Err: err}
		}
		switch {
		case next.validFrom == prev.validFrom:
			errs = append(errs, where(fmt.Errorf("%w: %q and %q both start on %s", ErrOverlap, prev.name, next.name, next.validFrom)))
		case !prev.validTo.IsZero() && !prev.validTo.Before(next.validFrom):
			errs = append(errs, where(fmt.Errorf("%w: %q (to %s) and %q (from %s)", ErrOverlap, prev.name, prev.validTo, next.name, next.validFrom)))
		case !prev.validTo.IsZero() && prev.validTo.AddDays(1) != next.validFrom:
			errs = append(errs, where(fmt.Errorf("%w: nothing is in force %s..%s, between %q and %q",
				ErrGap, prev.validTo.AddDays(1), next.validFrom.AddDays(-1), prev.name, next.name)))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Close open ends at the next version; copies keep the caller's
	// versions untouched.
	for i := range vs {
		if vs[i].validTo.IsZero() && i+1 < len(vs) {
			c := *vs[i]
			c.validTo = vs[i+1].validFrom.AddDays(-1)
			vs[i] = &c
		}
	}
	return &Book{versions: vs}, nil
}

// Versions returns the versions in date order.
func (b *Book) Versions() []*Version { return slices.Clone(b.versions) }

// VersionOn returns the version in force on d, or nil. The versions are
// in date order and do not overlap, so the last one starting on or
// before d is found by binary search (a book of many versions is looked
// up once per unpaid visit).
func (b *Book) VersionOn(d calendar.Date) *Version {
	// i is the number of versions that start on or before d.
	i := sort.Search(len(b.versions), func(i int) bool { return d.Before(b.versions[i].validFrom) })
	if i == 0 {
		return nil
	}
	v := b.versions[i-1]
	if v.validTo.IsZero() || !d.After(v.validTo) {
		return v
	}
	return nil
}
