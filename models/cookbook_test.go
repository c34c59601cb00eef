package models

import (
	"strings"
	"testing"
	"time"
)

func TestProviderAttributes(t *testing.T) {
	tests := []struct {
		name string
		p    Provider
		want string // a fragment of the error, "" for none
	}{
		{"plain", Provider{ID: "a", Ownership: Private, Contract: "service", VATRegistered: true,
			Attributes: map[string]string{"klass": "B"}}, ""},
		{"contract padded", Provider{ID: "a", Ownership: Private, Contract: " service"}, "contract"},
		{"control in value", Provider{ID: "a", Ownership: Private, Attributes: map[string]string{"klass": "B\n"}}, "attributes.klass"},
		{"separator in key", Provider{ID: "a", Ownership: Private, Attributes: map[string]string{"a=b": "x"}}, `key "a=b"`},
		{"empty key", Provider{ID: "a", Ownership: Private, Attributes: map[string]string{"": "x"}}, "empty key"},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one naming %q", tt.name, err, tt.want)
		}
	}
}

func TestVisitPlanned(t *testing.T) {
	start := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	v := Visit{ID: "v", Customer: "k", Provider: "p", Start: start, End: start, PlannedStart: &start, PlannedMinutes: 30}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	v.PlannedMinutes = -1
	if err := v.Validate(); err == nil || !strings.Contains(err.Error(), "planned_minutes") {
		t.Errorf("negative planned minutes: %v", err)
	}
}

func TestSubscriptionItem(t *testing.T) {
	alarm := GrantedItem{Category: Alarm, Subscription: true}
	if err := alarm.Validate(); err != nil {
		t.Fatal(err)
	}
	if num, _ := alarm.Prorate(31, 31); num != 0 {
		t.Errorf("a subscription grants %d minutes", num)
	}
	alarm.Minutes = 10
	if err := alarm.Validate(); err == nil || !strings.Contains(err.Error(), "subscription") {
		t.Errorf("subscription with minutes: %v", err)
	}
}

func TestAbsenceReasonsDeath(t *testing.T) {
	for s, want := range map[string]AbsenceReason{"death": Death, "dödsfall": Death, "end_of_decision": DecisionEnded, "avslutat beslut": DecisionEnded} {
		got, err := ParseAbsenceReason(s)
		if err != nil || got != want {
			t.Errorf("ParseAbsenceReason(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
}
