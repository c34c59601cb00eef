package models

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// enum describes the names of a typed enumeration: names[i] is the name
// of value i (names[0] is the unknown zero value) and aliases maps
// further accepted spellings, such as the Swedish terms, to values.
type enum struct {
	kind    string
	names   []string
	aliases map[string]int
}

func (e enum) name(i int) string {
	if uint(i) < uint(len(e.names)) {
		return e.names[i]
	}
	return e.unknown(i) // apart, so that name is inlined into the String methods
}

// unknown names a value outside the enumeration: "category(42)".
//
//go:noinline
func (e enum) unknown(i int) string { return fmt.Sprintf("%s(%d)", e.kind, i) }

func (e enum) parse(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, n := range e.names[1:] {
		if t == n {
			return i + 1, nil
		}
	}
	if i, ok := e.aliases[t]; ok {
		return i, nil
	}
	msg := fmt.Sprintf("unknown %s %q (want one of %s", e.kind, s, strings.Join(e.names[1:], ", "))
	if len(e.aliases) > 0 {
		msg += "; also accepted: " + strings.Join(slices.Sorted(maps.Keys(e.aliases)), ", ")
	}
	return 0, errors.New(msg + ")")
}

// Ownership is the form of operation of a provider (regiform). The zero
// value is OwnershipUnknown.
type Ownership uint8

// The forms of operation.
const (
	OwnershipUnknown Ownership = iota
	OwnOperation               // egen regi: the municipality's own operation
	Private                    // privat (enskild) regi: a contracted provider
)

var ownershipEnum = enum{"ownership", []string{"unknown", "own", "private"}, map[string]int{
	"egen_regi": 1, "egen regi": 1, "own_operation": 1,
	"privat_regi": 2, "privat regi": 2, "enskild_regi": 2, "enskild regi": 2, "privat": 2,
}}

// Swedish returns the form of operation as Swedish reports write it:
// "egen regi", "privat regi", "okänd regi" for OwnershipUnknown.
func (o Ownership) Swedish() string {
	switch o {
	case OwnOperation:
		return "egen regi"
	case Private:
		return "privat regi"
	}
	return "okänd regi"
}

// ParseOwnership parses "own" or "private" (or egen_regi, privat_regi).
func ParseOwnership(s string) (Ownership, error) {
	i, err := ownershipEnum.parse(s)
	return Ownership(i), err
}

// String returns "own", "private" or "unknown".
func (o Ownership) String() string { return ownershipEnum.name(int(o)) }

// MarshalText implements encoding.TextMarshaler.
func (o Ownership) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Ownership) UnmarshalText(b []byte) (err error) { *o, err = ParseOwnership(string(b)); return }

// Category is the kind of service a task, a granted item or a visit
// belongs to; tariffs price by it. The zero value is CategoryUnknown.
type Category uint8

// The service categories.
const (
	CategoryUnknown Category = iota
	Service                  // service: städ, tvätt, inköp
	Care                     // omsorg, omvårdnad: dusch, påklädning, måltider, tillsyn
	HomeHealthCare           // hemsjukvård by licensed staff
	DelegatedHSL             // delegerad HSL: health-care tasks delegated to care staff
	Rehabilitation           // hemrehabilitering
	Alarm                    // trygghetslarm and larmutryckning
	MealDelivery             // matdistribution
	Escort                   // ledsagning
	Relief                   // avlösning
)

var categoryEnum = enum{"category", []string{
	"unknown", "service", "care", "home_health_care", "delegated_hsl", "rehabilitation",
	"alarm", "meal_delivery", "escort", "relief",
}, map[string]int{
	"omsorg": 2, "omvårdnad": 2, "hemsjukvård": 3, "delegerad_hsl": 4, "hsl": 4,
	"hemrehabilitering": 5, "rehab": 5, "trygghetslarm": 6, "larm": 6,
	"matdistribution": 7, "ledsagning": 8, "avlösning": 9,
}}

// ParseCategory parses a category name ("service", "care",
// "home_health_care", "delegated_hsl", "rehabilitation", "alarm",
// "meal_delivery", "escort", "relief") or its Swedish term (omsorg,
// hemsjukvård, delegerad_hsl, hemrehabilitering, trygghetslarm...).
func ParseCategory(s string) (Category, error) {
	i, err := categoryEnum.parse(s)
	return Category(i), err
}

// Categories returns every known category in order.
func Categories() []Category {
	out := make([]Category, 0, len(categoryEnum.names)-1)
	for i := 1; i < len(categoryEnum.names); i++ {
		out = append(out, Category(i))
	}
	return out
}

// String returns the category's name, e.g. "delegated_hsl".
func (c Category) String() string { return categoryEnum.name(int(c)) }

// categorySwedish are the categories' Swedish terms, by Category.
var categorySwedish = [...]string{"", "service", "omsorg", "hemsjukvård", "delegerad HSL", "hemrehabilitering",
	"trygghetslarm", "matdistribution", "ledsagning", "avlösning"}

// Swedish returns the category's Swedish term, as reports for people
// write it: "omsorg" for Care, "delegerad HSL" for DelegatedHSL; ""
// for CategoryUnknown, and the name for a category it has no term for.
func (c Category) Swedish() string {
	if int(c) < len(categorySwedish) {
		return categorySwedish[c]
	}
	return c.String()
}

// MarshalText implements encoding.TextMarshaler.
func (c Category) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Category) UnmarshalText(b []byte) (err error) { *c, err = ParseCategory(string(b)); return }

// Role is the role of the staff who performed a visit. The zero value is
// RoleUnknown.
type Role uint8

// The staff roles.
const (
	RoleUnknown           Role = iota
	CareStaff                  // undersköterska, vårdbiträde: omsorgspersonal
	Nurse                      // sjuksköterska (legitimerad)
	DistrictNurse              // distriktssköterska (legitimerad)
	Physiotherapist            // fysioterapeut (legitimerad)
	OccupationalTherapist      // arbetsterapeut (legitimerad)
)

var roleEnum = enum{"role", []string{
	"unknown", "care_staff", "nurse", "district_nurse", "physiotherapist", "occupational_therapist",
}, map[string]int{
	"omsorgspersonal": 1, "undersköterska": 1, "usk": 1, "vårdbiträde": 1, "sjuksköterska": 2, "ssk": 2,
	"distriktssköterska": 3, "dsk": 3, "fysioterapeut": 4, "sjukgymnast": 4, "arbetsterapeut": 5,
}}

// ParseRole parses a role name or its Swedish term.
func ParseRole(s string) (Role, error) {
	i, err := roleEnum.parse(s)
	return Role(i), err
}

// String returns the role's name, e.g. "district_nurse".
func (r Role) String() string { return roleEnum.name(int(r)) }

// Swedish returns the role as Swedish reports write it: "omsorgspersonal",
// "sjuksköterska", "distriktssköterska", "fysioterapeut",
// "arbetsterapeut"; "" for RoleUnknown.
func (r Role) Swedish() string {
	return [...]string{"", "omsorgspersonal", "sjuksköterska", "distriktssköterska", "fysioterapeut", "arbetsterapeut", ""}[min(int(r), 6)]
}

// Licensed reports whether the role is licensed health-care staff
// (legitimerad personal).
func (r Role) Licensed() bool { return r >= Nurse && r <= OccupationalTherapist }

// MarshalText implements encoding.TextMarshaler.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Role) UnmarshalText(b []byte) (err error) { *r, err = ParseRole(string(b)); return }

// ListingKind is what a customer is enrolled for (listning). The zero
// value is ListingUnknown.
type ListingKind uint8

// The kinds of listing.
const (
	ListingUnknown        ListingKind = iota
	ListingHomeHealthCare             // inskriven i hemsjukvård
	ListingRehabilitation             // inskriven i hemrehabilitering
)

var listingEnum = enum{"listing kind", []string{"unknown", "home_health_care", "rehabilitation"},
	map[string]int{"hemsjukvård": 1, "hemrehabilitering": 2}}

// ParseListingKind parses "home_health_care" or "rehabilitation".
func ParseListingKind(s string) (ListingKind, error) {
	i, err := listingEnum.parse(s)
	return ListingKind(i), err
}

// String returns the kind's name.
func (k ListingKind) String() string { return listingEnum.name(int(k)) }

// Swedish returns what the customer is enrolled for as Swedish reports
// write it: "hemsjukvård", "hemrehabilitering"; "" for ListingUnknown.
func (k ListingKind) Swedish() string {
	return [...]string{"", "hemsjukvård", "hemrehabilitering", ""}[min(int(k), 3)]
}

// MarshalText implements encoding.TextMarshaler.
func (k ListingKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *ListingKind) UnmarshalText(b []byte) (err error) {
	*k, err = ParseListingKind(string(b))
	return
}

// AbsenceReason is why a decision is paused (uppehåll). The zero value is
// ReasonUnknown.
type AbsenceReason uint8

// The reasons for an absence.
const (
	ReasonUnknown AbsenceReason = iota
	Hospital                    // sjukhusvistelse
	ShortTermCare               // korttidsboende
	OtherAbsence                // annan frånvaro
	Death                       // dödsfall: the customer died; the absence runs from the day of death
	DecisionEnded               // avslutat beslut: the decision ended at short notice
)

var reasonEnum = enum{"absence reason", []string{"unknown", "hospital", "short_term_care", "other", "death", "end_of_decision"},
	map[string]int{"sjukhus": 1, "korttidsboende": 2, "korttid": 2, "annan": 3, "dödsfall": 4, "avslutat beslut": 5, "avslut": 5}}

// ParseAbsenceReason parses "hospital", "short_term_care", "other",
// "death" or "end_of_decision", or a Swedish alias (sjukhus, korttid,
// annan, dödsfall, avslutat beslut).
func ParseAbsenceReason(s string) (AbsenceReason, error) {
	i, err := reasonEnum.parse(s)
	return AbsenceReason(i), err
}

// String returns the reason's name.
func (r AbsenceReason) String() string { return reasonEnum.name(int(r)) }

// Swedish returns the reason as Swedish reports write it:
// "sjukhusvistelse", "korttidsboende", "annan frånvaro", "dödsfall",
// "avslutat beslut"; "" for ReasonUnknown.
func (r AbsenceReason) Swedish() string {
	return [...]string{"", "sjukhusvistelse", "korttidsboende", "annan frånvaro", "dödsfall", "avslutat beslut", ""}[min(int(r), 6)]
}

// MarshalText implements encoding.TextMarshaler.
func (r AbsenceReason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *AbsenceReason) UnmarshalText(b []byte) (err error) {
	*r, err = ParseAbsenceReason(string(b))
	return
}

// Frequency is the unit of a granted item's frequency. The zero value is
// FrequencyUnknown.
type Frequency uint8

// The frequency units.
const (
	FrequencyUnknown Frequency = iota
	PerDay                     // gånger per dag
	PerWeek                    // gånger per vecka
	PerMonth                   // gånger per månad
)

var frequencyEnum = enum{"frequency", []string{"unknown", "day", "week", "month"},
	map[string]int{"dag": 1, "vecka": 2, "månad": 3}}

// ParseFrequency parses "day", "week" or "month" (dag, vecka, månad).
func ParseFrequency(s string) (Frequency, error) {
	i, err := frequencyEnum.parse(s)
	return Frequency(i), err
}

// String returns the unit's name.
func (f Frequency) String() string { return frequencyEnum.name(int(f)) }

// Swedish returns the unit as Swedish reports write it after "per":
// "dag", "vecka", "månad", "okänd" for FrequencyUnknown.
func (f Frequency) Swedish() string {
	switch f {
	case PerDay:
		return "dag"
	case PerWeek:
		return "vecka"
	case PerMonth:
		return "månad"
	}
	return "okänd"
}

// MarshalText implements encoding.TextMarshaler.
func (f Frequency) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *Frequency) UnmarshalText(b []byte) (err error) { *f, err = ParseFrequency(string(b)); return }
