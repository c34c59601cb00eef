// Package set holds Small, the set of the few values a customer usually
// has (items, names, zones, providers) that stays constant time per value
// however many a hostile dataset gives it.
package set

import "slices"

// Small is a set: its first eight members are compared in turn, more are
// looked up in a map, so that a customer of thousands of items or
// providers is not compared value by value. The zero Small is empty.
type Small[T comparable] struct {
	few  [8]T
	n    int
	many map[T]struct{}
}

// Add adds x and reports whether it was new.
func (s *Small[T]) Add(x T) bool {
	if s.many != nil {
		if _, ok := s.many[x]; ok {
			return false
		}
		s.many[x] = struct{}{}
		return true
	}
	if slices.Contains(s.few[:s.n], x) {
		return false
	}
	if s.n < len(s.few) {
		s.few[s.n] = x
		s.n++
		return true
	}
	s.many = make(map[T]struct{}, 2*len(s.few))
	for _, y := range s.few {
		s.many[y] = struct{}{}
	}
	s.many[x] = struct{}{}
	return true
}
