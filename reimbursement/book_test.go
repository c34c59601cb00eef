package reimbursement

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
)

// TestVersionOnMatchesScan holds Book.VersionOn's binary search to a scan
// of every version, over books of consecutive and gapped versions, the
// last open-ended or not, on days before, inside, between and after them.
func TestVersionOnMatchesScan(t *testing.T) {
	base := calendar.DateOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	rapid.Check(t, func(t *rapid.T) {
		var vs []*Version
		day := rapid.IntRange(0, 5).Draw(t, "start")
		for i := range rapid.IntRange(0, 8).Draw(t, "versions") {
			v := &Version{name: string(rune('a' + i)), validFrom: base.AddDays(day)}
			day += rapid.IntRange(0, 10).Draw(t, "length")
			v.validTo = base.AddDays(day)
			day += rapid.IntRange(1, 4).Draw(t, "gap")
			vs = append(vs, v)
		}
		if len(vs) > 0 && rapid.Bool().Draw(t, "open") {
			vs[len(vs)-1].validTo = calendar.Date{}
		}
		b := &Book{versions: vs}
		for d := -2; d < day+3; d++ {
			on := base.AddDays(d)
			var want *Version
			for _, v := range vs {
				if !on.Before(v.validFrom) && (v.validTo.IsZero() || !on.After(v.validTo)) {
					want = v
				}
			}
			if got := b.VersionOn(on); got != want {
				t.Fatalf("VersionOn(%s) = %v, want %v", on, got, want)
			}
		}
	})
}

// TestNewBookRefusesNilAndZeroVersions: a nil Version or a zero one,
// which holds no schedule and no tariff, is refused with an error naming
// it, where settling with it dereferenced its missing schedule.
func TestNewBookRefusesNilAndZeroVersions(t *testing.T) {
	v, err := ParseVersion(strings.NewReader(doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "448"}`)), "t.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, vs := range map[string][]*Version{"nil": {nil}, "zero": {{}}, "loaded and nil": {v, nil}, "loaded and zero": {v, {}}} {
		if b, err := NewBook(vs...); err == nil || !strings.Contains(err.Error(), "nil or not loaded") {
			t.Errorf("%s: NewBook = %v, %v; want an error naming the version", name, b, err)
		}
	}
}

// LoadBook says why it found no tariff: the directory does not exist, or
// holds only subdirectories, each a book of its own (found by a trial and
// an attack).
func TestLoadBookSaysWhyNoTariff(t *testing.T) {
	fsys := fstest.MapFS{"skr/granted/a.json": {Data: []byte("{}")}, "skr/performed/b.json": {Data: []byte("{}")}}
	for dir, want := range map[string]string{
		"missing": "missing: no such directory",
		"skr":     "skr: no tariff files (*.json) in the directory; its subdirectories are not read, each is a book of its own: granted, performed",
	} {
		if _, err := LoadBook(fsys, dir); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", dir, err, want)
		}
	}
}
