package ksi

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	want := MustParse("SME PH ZZ")
	for _, s := range []string{"SME PH ZZ", "sme ph zz", "SMEPHZZ", "  SME  PH\tZZ ", "Sme Ph Zz"} {
		got, err := Parse(s)
		if err != nil {
			t.Errorf("Parse(%q): %v", s, err)
			continue
		}
		if got != want {
			t.Errorf("Parse(%q) = %v, want %v", s, got, want)
		}
	}
	if want.Target() != "SME" || want.ActionType() != "PH" || want.Means() != "ZZ" || want.String() != "SME PH ZZ" {
		t.Errorf("axes of %v are wrong", want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, msg string
		pos     int
	}{
		{"", "0 letters", -1},
		{"SME PH Z", "6 letters", -1},
		{"SME PH ZZZ", "more than seven", 9},
		{"SME-PH-ZZ", "unexpected character '-'", 3},
		{"SMÖ PH ZZ", "unexpected character", 2},
		{"SM EPH ZZ", "grouped wrongly", -1},
		{"SME P1 ZZ", "unexpected character '1'", 5},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want *ParseError", tt.in, err)
			continue
		}
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tt.msg) || pe.Pos != tt.pos {
			t.Errorf("Parse(%q) = %v (pos %d), want %q at %d", tt.in, err, pe.Pos, tt.msg, tt.pos)
		}
	}
}

func TestCompare(t *testing.T) {
	a, b, c := MustParse("SME PH ZZ"), MustParse("SME RB ZZ"), MustParse("WZZ AX ZZ")
	if a.Compare(b) >= 0 || b.Compare(c) >= 0 || c.Compare(a) <= 0 || a.Compare(a) != 0 {
		t.Error("Compare does not order by target, action type, means")
	}
	if !c.Unspecified() || a.Unspecified() {
		t.Error("Unspecified is wrong")
	}
}

func TestActionTypes(t *testing.T) {
	info, ok := LookupActionType("RB")
	if !ok || info.Swedish != "praktiskt stöd" {
		t.Errorf("RB = %+v, %v", info, ok)
	}
	if _, ok := LookupActionType("QQ"); ok {
		t.Error("QQ is known")
	}
	if _, err := Parse("SME QQ ZZ"); err != nil {
		t.Errorf("an unknown action type is still a valid code: %v", err)
	}
	if n := len(ActionTypes()); n != 8 {
		t.Errorf("%d action types, want 8", n)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"SME PH ZZ", "smephzz", "SME-PH-ZZ", "", " W Z Z A X Z Z", "ÅÄÖ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("Parse(%q): error %v does not wrap ErrSyntax", s, err)
			}
			return
		}
		// A parsed code formats to a canonical form that parses to itself.
		again, err := Parse(c.String())
		if err != nil || again != c {
			t.Fatalf("Parse(%q) = %v, but Parse(%q) = %v, %v", s, c, c.String(), again, err)
		}
		if len(c.String()) != 9 {
			t.Fatalf("String() = %q, want 9 bytes", c.String())
		}
	})
}
