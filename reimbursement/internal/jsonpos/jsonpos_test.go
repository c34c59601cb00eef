package jsonpos

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIndex(t *testing.T) {
	doc := `{
  "name": "x",
  "components": [
    {"name": "a"},
    {
      "name": "b",
      "rate": "table(\"t\")"
    }
  ],
  "tables": {"t": {"rates": {"x": "1"}}}
}`
	got := Index([]byte(doc))
	want := Lines{
		"": 1, "name": 2, "components": 3, "components[0]": 4, "components[0].name": 4,
		"components[1]": 5, "components[1].name": 6, "components[1].rate": 7,
		"tables": 10, "tables.t": 10, "tables.t.rates": 10, "tables.t.rates.x": 10,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := got.Line("components[1].when"); n != 5 {
		t.Errorf("Line of a missing field = %d, want its object's line 5", n)
	}
	if n := got.Line("components[7].rate"); n != 3 {
		t.Errorf("Line of a missing element = %d, want the array's line 3", n)
	}
}

func FuzzIndex(f *testing.F) {
	f.Add(`{"a":[1,{"b":2}]}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, s string) {
		for p, n := range Index([]byte(s)) {
			if n < 1 {
				t.Fatalf("path %q has line %d", p, n)
			}
		}
	})
}
