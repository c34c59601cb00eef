package models

import "testing"

// The Swedish names reports write: every value, the unknown ones
// included, has one.
func TestSwedishNames(t *testing.T) {
	for f, want := range map[Frequency]string{FrequencyUnknown: "okänd", PerDay: "dag", PerWeek: "vecka", PerMonth: "månad", Frequency(9): "okänd"} {
		if got := f.Swedish(); got != want {
			t.Errorf("Frequency(%d).Swedish() = %q, want %q", f, got, want)
		}
	}
	for r, want := range map[Role]string{RoleUnknown: "", CareStaff: "omsorgspersonal", Nurse: "sjuksköterska", DistrictNurse: "distriktssköterska",
		Physiotherapist: "fysioterapeut", OccupationalTherapist: "arbetsterapeut", Role(200): ""} {
		if got := r.Swedish(); got != want {
			t.Errorf("Role(%d).Swedish() = %q, want %q", r, got, want)
		}
	}
	for k, want := range map[ListingKind]string{ListingUnknown: "", ListingHomeHealthCare: "hemsjukvård", ListingRehabilitation: "hemrehabilitering", ListingKind(9): ""} {
		if got := k.Swedish(); got != want {
			t.Errorf("ListingKind(%d).Swedish() = %q, want %q", k, got, want)
		}
	}
	for a, want := range map[AbsenceReason]string{ReasonUnknown: "", Hospital: "sjukhusvistelse", ShortTermCare: "korttidsboende", OtherAbsence: "annan frånvaro",
		Death: "dödsfall", DecisionEnded: "avslutat beslut", AbsenceReason(255): ""} {
		if got := a.Swedish(); got != want {
			t.Errorf("AbsenceReason(%d).Swedish() = %q, want %q", a, got, want)
		}
	}
	for o, want := range map[Ownership]string{OwnershipUnknown: "okänd regi", OwnOperation: "egen regi", Private: "privat regi"} {
		if got := o.Swedish(); got != want {
			t.Errorf("Ownership(%d).Swedish() = %q, want %q", o, got, want)
		}
	}
}
