package models

import (
	"errors"
	"strings"
	"testing"
)

// Check digits worked by hand (Luhn: from the right, every second digit
// doubled, digit sums added, the total a multiple of ten):
//
//	556677-8899: 5→1 5 6→3 6 7→5 7 8→7 8 9→9 = 51, + 9 = 60 ✓
//	5050-1055 (bankgiro): 5 0→0 5 0→0 1 0→0 5 5→1 from the left, doubled
//	  from the second digit from the right: 5+1+0+2+0+1+0+1 = 10 ✓
//	19121212-1212: 1212121212: 1→2 2 1→2 2 1→2 2 1→2 2 1→2 2 = 20 ✓
func TestProviderIDs(t *testing.T) {
	ok := Provider{ID: "p", Ownership: Private, OrgNumber: "556677-8899", VATNumber: "SE556677889901",
		Bankgiro: "5050-1055", PeppolID: "0007:5566778899"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid provider: %v", err)
	}
	sole := Provider{ID: "p", Ownership: Private, OrgNumber: "19121212-1212"}
	if err := sole.Validate(); err != nil {
		t.Fatalf("sole trader: %v", err)
	}
	for _, tc := range []struct {
		name  string
		p     Provider
		field string
	}{
		{"org check digit", Provider{OrgNumber: "556677-8898"}, "org_number"},
		{"org length", Provider{OrgNumber: "55667788"}, "org_number"},
		{"org letters", Provider{OrgNumber: "55667A-8899"}, "org_number"},
		{"vat suffix", Provider{VATNumber: "SE556677889902"}, "vat_number"},
		{"vat other org", Provider{OrgNumber: "556677-8899", VATNumber: "SE212000014201"}, "vat_number"},
		{"bankgiro digit", Provider{Bankgiro: "5050-1056"}, "bankgiro"},
		{"bankgiro short", Provider{Bankgiro: "505-10"}, "bankgiro"},
		{"plusgiro digit", Provider{Plusgiro: "4711"}, "plusgiro"},
		{"peppol form", Provider{PeppolID: "5566778899"}, "peppol_id"},
		{"peppol 0007 digit", Provider{PeppolID: "0007:5566778898"}, "peppol_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.ID, tc.p.Ownership = "p", Private
			err := tc.p.Validate()
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tc.field {
				t.Fatalf("Validate() = %v, want an error on %s", err, tc.field)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q does not name %s", err, tc.field)
			}
		})
	}
}

func TestNormalizeOrgNumber(t *testing.T) {
	for in, want := range map[string]string{"556677-8899": "5566778899", "5566778899": "5566778899", "191212121212": "1212121212"} {
		got, err := NormalizeOrgNumber(in)
		if err != nil || got != want {
			t.Errorf("NormalizeOrgNumber(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
