package grantitem

import (
	"math"
	"testing"

	"github.com/hemtjanst/ersattning/models"
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
		for i := range d.Items {
			if why := Implausible(d, i, 1440); why != "" {
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
