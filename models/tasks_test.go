package models

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/ksi"
)

func TestTaskMapCSV(t *testing.T) {
	in := "# lokala insatskoder\nlokal kod;KSI-kod;kategori;benämning\n" +
		"Städ;;service;Städning\n" +
		"Klä;SME PH ZZ;omsorg;Träning i att klä sig\n"
	m, err := ReadTaskMapCSV(strings.NewReader(in), ksi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	got, ok := m.Lookup(" Klä ")
	want := LocalTask{Local: "Klä", KSI: ksi.MustParse("SME PH ZZ"), Category: Care, Title: "Träning i att klä sig"}
	if diff := cmp.Diff(want, got); !ok || diff != "" {
		t.Errorf("Lookup(Klä) (-want +got):\n%s", diff)
	}
	if c := m.Category("Städ\t"); c != Service {
		t.Errorf("Category(Städ) = %v", c)
	}
	for _, code := range []string{"Dusch", "städ"} {
		if _, ok := m.Lookup(code); ok {
			t.Errorf("%s found (codes are compared with case)", code)
		}
	}
	var none *TaskMap
	if c := none.Category("Städ"); c != CategoryUnknown {
		t.Errorf("nil map: %v", c)
	}
}

// TestTaskMapCSVComments: a line whose first character is # is a comment,
// before the header or among the records, as ReadTaskMapCSV says; a code
// that begins with # is written quoted.
func TestTaskMapCSVComments(t *testing.T) {
	in := "sep=;\n# lokala insatskoder\nlokal kod;kategori\n" +
		"# Städ;service\n" +
		"\"#12\";omsorg\n"
	m, err := ReadTaskMapCSV(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Lookup("# Städ"); ok || len(m.Tasks()) != 1 {
		t.Errorf("the comment read as a task: %v", m.Tasks())
	}
	if c := m.Category("#12"); c != Care {
		t.Errorf("Category(#12) = %v", c)
	}
}

func TestTaskMapErrors(t *testing.T) {
	in := "local,ksi,category\n" +
		"Städ,,service\n" +
		"Dusch,SMA RB ZZ,care\n" + // not in the default catalogue
		" Städ ,,service\n" +
		"Inköp,XX,service\n" +
		"Tvätt,,\n" +
		"Bad,,badrum\n"
	_, err := ReadTaskMapCSV(strings.NewReader(in), ksi.DefaultCatalog())
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"3: tasks[1] (id Dusch): ksi: SMA RB ZZ: KSI code not in the catalogue",
		`4: tasks[2] (id Städ): local: duplicate id: "Städ" (first at line 2)`,
		`5:7: tasks[3] (id Inköp): ksi: ksi: invalid KSI code "XX"`,
		`6: tasks[4] (id Tvätt): category: task "Tvätt" has no category`,
		`7:6: tasks[5] (id Bad): category: unknown category "badrum"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\ndoes not contain %q", err, w)
		}
	}
}

func TestTaskMapErrorsIs(t *testing.T) {
	_, err := NewTaskMap([]LocalTask{{Local: "A", Category: Care, KSI: ksi.MustParse("SMA RB ZZ")}, {Local: "A ", Category: Care}}, ksi.DefaultCatalog())
	if !errors.Is(err, ksi.ErrUnknownCode) || !errors.Is(err, ErrDuplicateID) {
		t.Errorf("errors.Is fails for ErrUnknownCode or ErrDuplicateID: %v", err)
	}
}

func TestTaskMapJSON(t *testing.T) {
	in := `[
  {"local": "Larm", "category": "alarm"},
  {"local": "Larm", "category": "alarm"}
]`
	_, err := ReadTaskMapJSON(strings.NewReader(in), nil)
	if err == nil || !strings.Contains(err.Error(), `models: 3: tasks[1] (id Larm): local: duplicate id: "Larm" (first at line 2)`) {
		t.Errorf("err = %v", err)
	}
	m, err := ReadTaskMapJSON(strings.NewReader(`[{"local":"Klä","ksi":"sme ph zz","category":"care"}]`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Lookup("Klä"); got.KSI != ksi.MustParse("SME PH ZZ") {
		t.Errorf("KSI = %v", got.KSI)
	}
	for doc, want := range map[string]string{
		`[{"local":"x","category":"care","colour":"red"}]`: `1:33: tasks[0] (id x): colour: unknown field`,
		`[{"local":"x","category":"care","Local":"y"}]`:    `1:33: duplicate field "Local" (first on line 1)`,
		`[{"local":"x","category":"vård"}]`:                `1:26: tasks[0] (id x): category: unknown category "vård"`,
		`{"local":"x"}`:                                    `1:1: want an array at the top level`,
		`[{"local":"x","category":"care"}] []`:             `1:35: data after the JSON document`,
		"[{\"local\":\"x\xff\",\"category\":\"care\"}]":    `invalid UTF-8 in string`,
		`[{"local":"x\ud800","category":"care"}]`:          `lone surrogate \ud800`,
		"\ufeff" + `[{"local":"Klä","category":"care"},]`:  `1:36: invalid character ']' looking for a value`,
	} {
		_, err := ReadTaskMapJSON(strings.NewReader(doc), nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", doc, err, want)
		}
	}
}

func FuzzReadTaskMapJSON(f *testing.F) {
	f.Add(`[{"local": "Klä", "ksi": "SME PH ZZ", "category": "care"}]`)
	f.Add(`[{"local": "a", "category": "x"}, {"local": "a", "category": "x"}]`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, doc string) {
		m, err := ReadTaskMapJSON(strings.NewReader(doc), ksi.DefaultCatalog())
		if err != nil {
			return
		}
		for _, task := range m.Tasks() {
			if got, ok := m.Lookup(task.Local); !ok || got != task {
				t.Fatalf("task %q not found by Lookup", task.Local)
			}
		}
	})
}

func FuzzReadTaskMapCSV(f *testing.F) {
	f.Add("lokal kod;KSI-kod;kategori\nKlä;SME PH ZZ;omsorg\n")
	f.Add("local,category\na,care\na ,care\n")
	f.Fuzz(func(t *testing.T, in string) {
		m, err := ReadTaskMapCSV(strings.NewReader(in), ksi.DefaultCatalog())
		if err != nil {
			return
		}
		for _, task := range m.Tasks() {
			if got, ok := m.Lookup(task.Local); !ok || got != task || task.Category == CategoryUnknown {
				t.Fatalf("task %+v not found by Lookup", task)
			}
		}
	})
}

// TestTaskCodeOneNormalisation: a code that validation accepts is the
// code settlement finds, whatever white space surrounds it.
func TestTaskCodeOneNormalisation(t *testing.T) {
	ds := &Dataset{
		Tasks:     []LocalTask{{Local: "HSL", Category: DelegatedHSL}, {Local: " Dusch", Category: Care}},
		Customers: []Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []Provider{{ID: "p1", Ownership: OwnOperation}},
		Visits: []Visit{{ID: "v1", Customer: "k1", Provider: "p1", Tasks: []string{" HSL ", "Dusch\t"},
			Start: time.Date(2024, 4, 2, 8, 0, 0, 0, stockholm), End: time.Date(2024, 4, 2, 8, 30, 0, 0, stockholm)}},
	}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	m, err := ds.TaskMap()
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]Category{" HSL ": DelegatedHSL, "Dusch\t": Care, "hsl": CategoryUnknown} {
		if got := m.Category(code); got != want {
			t.Errorf("Category(%q) = %v, want %v", code, got, want)
		}
	}
}

// TestKnownCodes: the cache of known task codes answers as the task map
// does, for codes met again, codes of one slot and codes the map holds
// only trimmed or folded.
func TestKnownCodes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tasks, err := NewTaskMap([]LocalTask{{Local: "Dusch", Category: Care}, {Local: "Städ", Category: Service}, {Local: "ab", Category: Care}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var k knownCodes
		for _, code := range rapid.SliceOf(rapid.StringMatching(`[ ]?(Dusch|dusch|DUSCH|Städ|städ|ab|aB|bb|ba|b|a|Dusc)[ ]?`)).Draw(t, "codes") {
			if got, want := k.has(tasks, code), knownTask(tasks, code); got != want {
				t.Fatalf("has(%q) = %v, the map says %v", code, got, want)
			}
		}
	})
}

// TestTrimSpace holds the fast path of trimSpace to strings.TrimSpace:
// text whose ends are white space in or outside ASCII (U+0085, U+00A0,
// U+3000), control characters that are not white space, DEL, invalid
// UTF-8, and any string rapid draws from those pieces.
func TestTrimSpace(t *testing.T) {
	pieces := []string{"", " ", "\t", "\r\n", "\v\f", "\u0085", "\u00a0", "\u3000", "\x01", "\x7f", "\xff", "a", "Ö", "Städ", "!", "~"}
	for _, a := range pieces {
		for _, b := range pieces {
			for _, c := range pieces {
				if s := a + b + c; trimSpace(s) != strings.TrimSpace(s) {
					t.Errorf("trimSpace(%q) = %q, want %q", s, trimSpace(s), strings.TrimSpace(s))
				}
			}
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		s := strings.Join(rapid.SliceOf(rapid.SampledFrom(pieces)).Draw(t, "pieces"), "")
		if trimSpace(s) != strings.TrimSpace(s) {
			t.Fatalf("trimSpace(%q) = %q, want %q", s, trimSpace(s), strings.TrimSpace(s))
		}
	})
}

// TestUnknownTaskCodeMeant: a task code unknown to the task map names the
// code it differs from only in case (found by trial: no hint).
func TestUnknownTaskCodeMeant(t *testing.T) {
	ds := &Dataset{Tasks: []LocalTask{{Local: "Dusch", Category: Care}, {Local: "Städ", Category: Service}},
		Customers: []Customer{{ID: "k1", Zone: "tätort"}}, Providers: []Provider{{ID: "egen", Name: "Egen regi", Ownership: OwnOperation}},
		Decisions: []Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: calendar.NewDate(2024, time.January, 1),
			Items: []GrantedItem{{Task: "STÄD", Category: Service, MinutesPerMonth: 60}, {Task: "Tvätt", Category: Service, MinutesPerMonth: 60}}}}}
	err := ds.Validate()
	for _, want := range []string{`items[0].task: unknown task code "STÄD"; did you mean "Städ"?`, `items[1].task: unknown task code "Tvätt"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %s", err, want)
		}
	}
	if strings.Contains(err.Error(), `"Tvätt"; did you mean`) {
		t.Errorf("a hint for a code nothing resembles: %v", err)
	}
}
