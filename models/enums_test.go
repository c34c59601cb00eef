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
	for o, want := range map[Ownership]string{OwnershipUnknown: "okänd regi", OwnOperation: "egen regi", Private: "privat regi"} {
		if got := o.Swedish(); got != want {
			t.Errorf("Ownership(%d).Swedish() = %q, want %q", o, got, want)
		}
	}
}
