package reimbursement

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// probe evaluates every component's rate over the combinations of zone,
// ownership, category, band and role the tariff can meet, wherever its
// when is true, so that a table missing a key that some combination needs
// is found when the tariff is loaded, not in the middle of a settlement.
// It reports through bad at most a few missing combinations per
// component. It also notes the categories some visit component pays
// (Version.paidByVisits).
func probe(v *Version, bad func(path, component string, err error)) {
	v.paidByVisits = map[models.Category]bool{}
	var ev evaluator
	ev.init(false)
	owners := []string{models.OwnOperation.String(), models.Private.String()}
	var cats []string
	for _, c := range models.Categories() {
		cats = append(cats, c.String())
	}
	roles := []string{""}
	for r := models.CareStaff; r <= models.OccupationalTherapist; r++ {
		roles = append(roles, r.String())
	}
	// A day kind on which each band occurs.
	bandKinds := map[string]string{}
	for _, k := range []calendar.DayKind{calendar.Weekday, calendar.Saturday, calendar.Sunday, calendar.PublicHoliday, calendar.Eve, calendar.BeforeHoliday} {
		for c := calendar.Clock(0); c < 1440; c += 15 {
			if b, ok := v.schedule.BandAt(k, c); ok {
				if _, seen := bandKinds[v.schedule.BandName(b)]; !seen {
					bandKinds[v.schedule.BandName(b)] = k.String()
				}
			}
		}
	}
	for i, comp := range v.components {
		if pricesItself(comp.strategy) {
			continue
		}
		var envs []envWith
		for _, zone := range v.zones {
			for _, own := range owners {
				base := baseEnv{Zone: zone, Ownership: own}
				switch comp.strategy.Unit() {
				case unitItem:
					for _, c := range cats {
						envs = append(envs, itemEnv{baseEnv: base, Category: c})
					}
				case unitSegment, unitVisit:
					for _, c := range cats {
						for _, band := range v.schedule.Bands() {
							for _, r := range roles {
								role, _ := models.ParseRole(r)
								envs = append(envs, visitEnv{baseEnv: base, Category: c, Band: band, DayKind: bandKinds[band],
									Role: r, Licensed: role.Licensed(), Staff: 1,
									StartBand: band, EndBand: band, LongestBand: band, Bands: band, PlannedBand: band})
							}
						}
					}
				case unitListing:
					for _, k := range []models.ListingKind{models.ListingHomeHealthCare, models.ListingRehabilitation} {
						envs = append(envs, listingEnv{baseEnv: base, Kind: k.String()})
					}
				case unitEvent:
					for _, band := range v.schedule.Bands() {
						envs = append(envs, eventEnv{baseEnv: base, Band: band, DayKind: bandKinds[band]})
					}
				}
			}
		}
		var missing []string
		seen := map[string]bool{}
		for _, env := range envs {
			w := ev.eval(comp.when, env)
			if w.err != nil || !w.ok {
				continue
			}
			if ve, ok := env.(visitEnv); ok {
				c, _ := models.ParseCategory(ve.Category)
				v.paidByVisits[c] = true
			}
			r := ev.eval(comp.rate, env)
			if r.err == nil || !errors.Is(r.err, ErrMissingKey) && !strings.Contains(r.err.Error(), ErrMissingKey.Error()) {
				continue
			}
			msg := r.err.Error()
			if seen[msg] {
				continue
			}
			seen[msg] = true
			if len(missing) < 3 {
				missing = append(missing, fmt.Sprintf("%s (when %s)", msg, describeEnv(env)))
			}
		}
		if len(missing) > 0 {
			bad(fmt.Sprintf("components[%d].rate", i), comp.name, fmt.Errorf("%w needed: %s", ErrMissingKey, strings.Join(missing, "; ")))
		}
	}
}

func describeEnv(env any) string {
	var parts []string
	for _, in := range inputsOf(env) {
		if in.Name == "staff" || in.Name == "day_kind" || in.Name == "licensed" {
			continue
		}
		parts = append(parts, in.Name+"="+in.Value)
	}
	return strings.Join(parts, ", ")
}
