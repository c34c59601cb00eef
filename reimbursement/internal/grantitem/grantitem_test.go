package grantitem

import (
	"math"
	"testing"

	"github.com/hemtjanst/ersattning/models"
	"pgregory.net/rapid"
)

func TestBeyond(t *testing.T) {
	for _, c := range []struct {
		name string
		it   models.GrantedItem
		want string
	}{
		// 60 × 24 = 1 440, a whole day: within.
		{"whole day", models.GrantedItem{Minutes: 60, Times: 24, Per: models.PerDay}, ""},
		{"a minute more", models.GrantedItem{Minutes: 1441, Times: 1, Per: models.PerDay}, "1441 min × 1 per dag, mer än 1440 minuter om dagen"},
		// 7 × 1 440 = 10 080 a week.
		{"week", models.GrantedItem{Minutes: 1440, Times: 7, Per: models.PerWeek}, ""},
		{"week over", models.GrantedItem{Minutes: 1440, Times: 8, Per: models.PerWeek}, "1440 min × 8 per vecka, mer än 1440 minuter om dagen"},
		// 31 × 1 440 = 44 640 a month.
		{"month", models.GrantedItem{Minutes: 44640, Times: 1, Per: models.PerMonth}, ""},
		{"month over", models.GrantedItem{MinutesPerMonth: 44641}, "44641 minuter per månad, mer än 1440 om dagen"},
		{"subscription", models.GrantedItem{Subscription: true}, ""},
		// A pasted id for minutes and times: no product is formed.
		{"no overflow", models.GrantedItem{Minutes: math.MaxInt, Times: math.MaxInt, Per: models.PerDay},
			"9223372036854775807 min × 9223372036854775807 per dag, mer än 1440 minuter om dagen"},
		// Each within 31 × 1 440 = 44 640, the product 1 000 000 not.
		{"each within, product not", models.GrantedItem{Minutes: 1000, Times: 1000, Per: models.PerMonth},
			"1000 min × 1000 per månad, mer än 1440 minuter om dagen"},
	} {
		if got := Beyond(&c.it, 1440); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	// At the largest limit the doc allows, the largest factors that pass
	// the first two comparisons multiply without overflow:
	// (31 × 2^20)² ≈ 1.06 × 10^15.
	big := int64(31 << 20)
	it := models.GrantedItem{Minutes: int(big), Times: int(big), Per: models.PerMonth}
	if got := Beyond(&it, 1<<20); got == "" {
		t.Errorf("(31 × 2^20)² minutes a month passed a limit of 2^20 a day")
	}
}

// Items of one name are numbered by what they grant, not by where they
// are written.
func TestImplausibleNamesThePlace(t *testing.T) {
	small := models.GrantedItem{Task: "Städ", Category: models.Service, MinutesPerMonth: 60}
	huge := models.GrantedItem{Task: " Städ", Category: models.Service, MinutesPerMonth: 44641}
	other := models.GrantedItem{Task: "Dusch", Category: models.Care, MinutesPerMonth: 44641}
	for _, items := range [][]models.GrantedItem{{small, huge, other}, {huge, other, small}} {
		d := &models.Decision{Items: items}
		got := map[string]string{}
		var ps Places
		for i := range d.Items {
			why := Implausible(d, i, 1440, nil)
			if withPlaces := Implausible(d, i, 1440, &ps); withPlaces != why {
				t.Errorf("item %d: %q from Places, %q from Alike", i, withPlaces, why)
			}
			if why != "" {
				got[Name(&d.Items[i])] = why
			}
		}
		// 60 < 44 641 a month: the huge Städ is the second of two.
		want := map[string]string{"Städ": "insats 2 av 2: 44641 minuter per månad, mer än 1440 om dagen",
			"Dusch": "44641 minuter per månad, mer än 1440 om dagen"}
		if len(got) != 2 || got["Städ"] != want["Städ"] || got["Dusch"] != want["Dusch"] {
			t.Errorf("%v: got %q, want %q", items, got, want)
		}
	}
}

// Places gives for every item what Alike gives (how many items of the
// decision share its name, and its place among them by what they grant,
// then where they are written), for decisions of items drawn from a few
// names, categories and amounts, alike ones among them; and it is asked
// of two decisions in turn.
func TestPlacesAsAlike(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		item := rapid.Custom(func(t *rapid.T) models.GrantedItem {
			return models.GrantedItem{Task: rapid.SampledFrom([]string{"Städ", " Städ", "Dusch", ""}).Draw(t, "task"),
				Category: rapid.SampledFrom([]models.Category{models.Service, models.Care}).Draw(t, "category"),
				Minutes:  rapid.IntRange(0, 3).Draw(t, "minutes"), Times: rapid.IntRange(0, 2).Draw(t, "times"),
				MinutesPerMonth: rapid.IntRange(0, 2).Draw(t, "per month")}
		})
		ds := []*models.Decision{{Items: rapid.SliceOfN(item, 0, 40).Draw(t, "a")}, {Items: rapid.SliceOfN(item, 0, 40).Draw(t, "b")}}
		var ps Places
		for range 2 {
			for _, d := range ds {
				for i := range d.Items {
					s1, a1 := Alike(d, &d.Items[i])
					if s2, a2 := ps.Of(d, i); s1 != s2 || a1 != a2 {
						t.Fatalf("item %d of %v: Places %d of %d, Alike %d of %d", i, d.Items, a2, s2, a1, s1)
					}
				}
			}
		}
	})
}
