package models

import (
	"fmt"
	"strings"
)

// validateIDs checks the provider's optional Swedish identifiers: the
// organisation number and the giro numbers by their Luhn check digit, the
// VAT number against the organisation number, the Peppol id by its scheme.
func (p *Provider) validateIDs() []error {
	var errs []error
	org := ""
	if p.OrgNumber != "" {
		d, err := NormalizeOrgNumber(p.OrgNumber)
		if err != nil {
			errs = append(errs, fieldError("org_number", err))
		}
		org = d
	}
	if p.VATNumber != "" {
		if err := checkVATNumber(p.VATNumber, org); err != nil {
			errs = append(errs, fieldError("vat_number", err))
		}
	}
	if p.Bankgiro != "" {
		if err := checkGiro(p.Bankgiro, 7, 8); err != nil {
			errs = append(errs, fieldError("bankgiro", err))
		}
	}
	if p.Plusgiro != "" {
		if err := checkGiro(p.Plusgiro, 2, 8); err != nil {
			errs = append(errs, fieldError("plusgiro", err))
		}
	}
	if p.PeppolID != "" {
		if err := checkPeppolID(p.PeppolID); err != nil {
			errs = append(errs, fieldError("peppol_id", err))
		}
	}
	return errs
}

// NormalizeOrgNumber returns the ten digits of a Swedish organisation
// number (organisationsnummer) written "556677-8899" or "5566778899", or
// of a sole trader's personnummer written with its century
// ("19121212-1212"), after checking its Luhn check digit.
func NormalizeOrgNumber(s string) (string, error) {
	d := strings.ReplaceAll(s, "-", "")
	if strings.Count(s, "-") > 1 || !allDigits(d) || (len(d) != 10 && len(d) != 12) {
		return "", fmt.Errorf("%q: want ten digits, as 556677-8899", s)
	}
	if len(d) == 12 {
		if d[:2] != "19" && d[:2] != "20" && d[:2] != "18" {
			return "", fmt.Errorf("%q: twelve digits must start with the century 18, 19 or 20", s)
		}
		d = d[2:]
	}
	if !luhn(d) {
		return "", fmt.Errorf("%q: the check digit does not match (Luhn)", s)
	}
	return d, nil
}

// checkVATNumber checks a Swedish VAT number: SE, the ten digits of the
// organisation number (org when known) and 01.
func checkVATNumber(s, org string) error {
	if len(s) != 14 || s[:2] != "SE" || !allDigits(s[2:]) || s[12:] != "01" {
		return fmt.Errorf("%q: want SE, the ten digits of the organisation number and 01, as SE556677889901", s)
	}
	if org != "" && s[2:12] != org {
		return fmt.Errorf("%q: does not hold the organisation number %s", s, org)
	}
	if !luhn(s[2:12]) {
		return fmt.Errorf("%q: the organisation number's check digit does not match (Luhn)", s)
	}
	return nil
}

// checkGiro checks a bankgiro (7–8 digits) or plusgiro (2–8 digits)
// number, hyphens allowed, by its check digit.
func checkGiro(s string, minDigits, maxDigits int) error {
	d := strings.ReplaceAll(s, "-", "")
	if !allDigits(d) || len(d) < minDigits || len(d) > maxDigits {
		return fmt.Errorf("%q: want %d to %d digits", s, minDigits, maxDigits)
	}
	if !luhn(d) {
		return fmt.Errorf("%q: the check digit does not match (Luhn)", s)
	}
	return nil
}

// checkPeppolID checks a Peppol participant id "scheme:value": a
// four-digit ICD scheme and a value; for 0007 (Swedish organisation
// numbers) the value must be a valid organisation number of ten digits.
func checkPeppolID(s string) error {
	scheme, value, ok := strings.Cut(s, ":")
	if !ok || len(scheme) != 4 || !allDigits(scheme) || value == "" || strings.ContainsAny(value, " \t\r\n") {
		return fmt.Errorf("%q: want scheme:value, as 0007:5566778899", s)
	}
	if scheme == "0007" {
		if len(value) != 10 || !allDigits(value) {
			return fmt.Errorf("%q: scheme 0007 takes ten digits", s)
		}
		if !luhn(value) {
			return fmt.Errorf("%q: the organisation number's check digit does not match (Luhn)", s)
		}
	}
	return nil
}

// luhn reports whether the digits end in a valid Luhn (mod 10) check digit.
func luhn(d string) bool {
	sum := 0
	for i := range len(d) {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
