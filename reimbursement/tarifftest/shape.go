package tarifftest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/models"
)

// Shape weights a generated population so that it looks like a
// municipality's own: how its customers spread over the zones, how many
// providers are private, which categories decisions grant and how large a
// decision's monthly time is. Weights are relative (7, 2, 1 is 70 %, 20 %
// and 10 %); a nil map or slice keeps the generator's uniform draw. Take
// the weights from the municipality's statistics, or from a real dataset
// with ShapeOf.
//
//	cfg := tarifftest.Config{Period: april, Shape: &tarifftest.Shape{
//		Zones:      map[string]int{"tätort": 7, "landsbygd": 2, "skärgård": 1},
//		Ownership:  map[models.Ownership]int{models.OwnOperation: 3, models.Private: 1},
//		Categories: map[models.Category]int{models.Care: 5, models.Service: 3, models.Alarm: 2},
//		MonthlyMinutes: []tarifftest.SizeBand{{From: 60, To: 600, Weight: 3}, {From: 600, To: 3000, Weight: 1}},
//	}}
type Shape struct {
	// Zones weights the zones customers live in; it replaces
	// Config.Zones.
	Zones map[string]int
	// Ownership weights the ownership of the drawn providers.
	Ownership map[models.Ownership]int
	// Categories weights the categories decisions grant (among the
	// categories of Config.Tasks).
	Categories map[models.Category]int
	// MonthlyMinutes weights the size of a granted item given as one
	// total time a month, by bands of minutes.
	MonthlyMinutes []SizeBand
}

// SizeBand is a band of granted minutes a month, [From, To), with its
// weight.
type SizeBand struct {
	From, To, Weight int
}

// maxPool bounds the weights' sum: a pool holds one entry per unit of
// weight.
const maxPool = 10000

// pool returns the keys of weights, each repeated by its weight, in key
// order, so that a uniform draw from it is a weighted draw.
func pool[K cmp.Ordered](weights map[K]int) []K {
	var out []K
	for _, k := range slices.Sorted(maps.Keys(weights)) {
		for range min(max(weights[k], 0), maxPool) {
			out = append(out, k)
		}
	}
	return out
}

// validate reports weights that cannot be drawn from.
func (s *Shape) validate() error {
	var problems []string
	if s.Zones != nil && len(pool(s.Zones)) == 0 {
		problems = append(problems, "Zones has no positive weight")
	}
	if s.Ownership != nil && len(pool(s.Ownership)) == 0 {
		problems = append(problems, "Ownership has no positive weight")
	}
	for i, b := range s.MonthlyMinutes {
		if b.From < 15 || b.To <= b.From || b.Weight < 0 {
			problems = append(problems, fmt.Sprintf("MonthlyMinutes[%d]: want 15 ≤ From < To and a weight ≥ 0", i))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("tarifftest: shape: %s", strings.Join(problems, "; "))
	}
	return nil
}

// ownership draws a provider's ownership.
func (s *Shape) ownership(t *rapid.T, label string) models.Ownership {
	if s == nil || s.Ownership == nil {
		if rapid.Bool().Draw(t, label) {
			return models.Private
		}
		return models.OwnOperation
	}
	return rapid.SampledFrom(pool(s.Ownership)).Draw(t, label)
}

// category draws the index of a category among free, weighted; -1 when
// no category left has a positive weight.
func (s *Shape) category(t *rapid.T, free []models.Category, label string) int {
	if s == nil || s.Categories == nil {
		return rapid.IntRange(0, len(free)-1).Draw(t, label)
	}
	var idx []int
	for i, c := range free {
		for range min(max(s.Categories[c], 0), maxPool) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return -1
	}
	return rapid.SampledFrom(idx).Draw(t, label)
}

// monthlyMinutes draws a monthly granted time, a multiple of 15.
func (s *Shape) monthlyMinutes(t *rapid.T, label string) int {
	if s == nil || len(s.MonthlyMinutes) == 0 {
		return 15 * rapid.IntRange(1, 120).Draw(t, label)
	}
	var idx []int
	for i, b := range s.MonthlyMinutes {
		for range min(max(b.Weight, 0), maxPool) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return 15 * rapid.IntRange(1, 120).Draw(t, label)
	}
	b := s.MonthlyMinutes[rapid.SampledFrom(idx).Draw(t, label+"_band")]
	return 15 * rapid.IntRange((b.From+14)/15, max((b.To-1)/15, (b.From+14)/15)).Draw(t, label)
}

// ShapeOf reads the shape of a real dataset: its customers per zone, its
// providers per ownership, its granted items per category and the sizes
// of its monthly granted times in bands of 0–5, 5–10, 10–25, 25–50 and 50
// hours and more (the size bands of a level tariff, nivåbeslut).
func ShapeOf(ds *models.Dataset) *Shape {
	s := &Shape{Zones: map[string]int{}, Ownership: map[models.Ownership]int{}, Categories: map[models.Category]int{}}
	for _, c := range ds.Customers {
		s.Zones[c.Zone]++
	}
	for _, p := range ds.Providers {
		s.Ownership[p.Ownership]++
	}
	bands := []SizeBand{{From: 15, To: 300}, {From: 300, To: 600}, {From: 600, To: 1500}, {From: 1500, To: 3000}, {From: 3000, To: 6000}}
	for _, d := range ds.Decisions {
		for _, it := range d.Items {
			s.Categories[it.Category]++
			if it.MinutesPerMonth <= 0 {
				continue
			}
			for i := range bands {
				if it.MinutesPerMonth < bands[i].To || i == len(bands)-1 {
					bands[i].Weight++
					break
				}
			}
		}
	}
	for _, b := range bands {
		if b.Weight > 0 {
			s.MonthlyMinutes = append(s.MonthlyMinutes, b)
		}
	}
	return s
}
