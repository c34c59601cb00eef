package reimbursement

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// Caps across a month's versions are kept by component, numbered across
// the versions (componentIDs): found by attack, each of these paid
// another amount than one version does. Rate 600 kr/h is 10 kr a minute.

// versionFrom is the test tariff src as a version named name from date
// from.
func versionFrom(src, from, name string) string {
	return strings.Replace(strings.Replace(src, `"valid_from": "2024-01-01"`, `"valid_from": "`+from+`"`, 1), `"name": "Test 2024"`, `"name": "`+name+`"`, 1)
}

// performedCaps is a care component omsorg (named care) and an HSL
// component capped at performed[care] × share.
func performedCaps(care, share string) string {
	return `{"name": "` + care + `", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}},
	  {"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	   "params": {"require_decision": false, "cap": "performed['` + care + `'] * ` + share + `"}}`
}

// hslMonth has 300 min of care on 3 and on 20 April and HSL of 90 min on
// 4 April, and on 22 April when more is true.
func hslMonth(more bool) *models.Dataset {
	ds := data()
	ds.Decisions = nil
	ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 13:00", "Dusch"), visit("2024-04-20 08:00", "2024-04-20 13:00", "Dusch"),
		visit("2024-04-04 08:00", "2024-04-04 09:30", "HSL")}
	if more {
		ds.Visits = append(ds.Visits, visit("2024-04-22 08:00", "2024-04-22 09:30", "HSL"))
	}
	return ds
}

// TestCapReadsARenamedComponent: the later version renames the care
// component and its HSL cap reads the new name. The month's care is 600
// min, 600 × 0.17 = 102 min of HSL: the 90 min are paid, 900.00 (the
// first version read only its own 300 min of care: 51 min, 510.00).
func TestCapReadsARenamedComponent(t *testing.T) {
	book := mustBook(t, doc(performedCaps("omsorg", "0.17")), versionFrom(doc(performedCaps("omsorg 2024b", "0.17")), "2024-04-16", "Test 2024b"))
	if got := amounts(t, book, hslMonth(false))["hsl tätort"]; got != "900.00" {
		t.Errorf("hsl %s, want 900.00", got)
	}
}

// TestCapRaisedMidMonth: the HSL cap is raised from 17 % to 20 % of care
// on 16 April. The first version pays its 90 min (under 0.17 × 600 =
// 102); the second the month's 0.20 × 600 = 120 less those 90, 30 of its
// 90 min: 120 min, 1 200.00 (keyed by the cap's text, the second version
// paid its 90 in full, 1 800.00).
func TestCapRaisedMidMonth(t *testing.T) {
	book := mustBook(t, doc(performedCaps("omsorg", "0.17")), versionFrom(doc(performedCaps("omsorg", "0.20")), "2024-04-16", "Test 2024b"))
	got := amounts(t, book, hslMonth(true))
	if diff := cmp.Diff(map[string]string{"hsl tätort": "1200.00", "omsorg tätort": "6000.00", "not paid above_cap": "60"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// twoCaps pays care by task in two components, each capped at the
// granted time; tillsyn's declined share is read from a table when fail
// is true, which has no row for k1.
func twoCaps(fail bool) string {
	share := ""
	if fail {
		share = `, "declined_share": "table('andel', customer)"`
	}
	src := doc(`{"name": "dusch", "strategy": "performed_time", "when": "category == 'care' && task == 'Dusch'", "rate": "600", "params": {"cap": "granted"}},
	  {"name": "tillsyn", "strategy": "performed_time", "when": "category == 'care' && task == 'Tillsyn'", "rate": "600",
	   "params": {"cap": "granted"` + share + `}}`)
	return strings.Replace(src, `"tables": {`, `"tables": {"andel": {"keys": ["customer"], "rates": {"k2": "0.5"}},`, 1)
}

// TestTwoCapsOfOneCategoryAcrossVersions: two components each capped at
// the granted time, 300 min a month, keep a cap each in a month two
// versions share. Dusch 200 min on 3 April and 100 on 20 April, Tillsyn
// 200 on 4 April: 300 + 200 min, 5 000.00, as under one version (keyed by
// the cap's text, each drew on the other's: dusch paid 2 000.00).
func TestTwoCapsOfOneCategoryAcrossVersions(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}}
	ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 11:20", "Dusch"), visit("2024-04-20 08:00", "2024-04-20 09:40", "Dusch"),
		visit("2024-04-04 08:00", "2024-04-04 11:20", "Tillsyn")}
	for name, book := range map[string]*Book{"one version": mustBook(t, twoCaps(false)),
		"two versions": mustBook(t, twoCaps(false), versionFrom(twoCaps(false), "2024-04-16", "Test 2024b"))} {
		if diff := cmp.Diff(map[string]string{"dusch tätort": "3000.00", "tillsyn tätort": "2000.00"}, amounts(t, book, ds)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}

// TestFailingComponentKeepsAnothersCap: a component that fails for a
// customer (tillsyn's declined share has no row for k1) undoes its own
// use of the month's caps only. Granted 300 min; Dusch 200 min on 3 and
// on 20 April: 300 paid, 3 000.00, 100 above the cap (the failure also
// cleared dusch's first 200 min of the cap, and 400 were paid, 4 000.00).
func TestFailingComponentKeepsAnothersCap(t *testing.T) {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}}
	ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 11:20", "Dusch"), visit("2024-04-20 08:00", "2024-04-20 11:20", "Dusch"),
		visit("2024-04-04 08:00", "2024-04-04 08:30", "Tillsyn", func(v *models.Visit) { v.Declined = true })}
	for name, book := range map[string]*Book{"one version": mustBook(t, twoCaps(true)),
		"two versions": mustBook(t, twoCaps(true), versionFrom(twoCaps(true), "2024-04-16", "Test 2024b"))} {
		got := amounts(t, book, ds)
		if got["dusch tätort"] != "3000.00" || got["not paid above_cap"] != "100" {
			t.Errorf("%s: %v; want dusch 3000.00 and 100 min above the cap", name, got)
		}
	}
}

// TestCapChainBackwardsAcrossFourVersions: caps that read each other
// backwards through four versions (V1 e reads d, V2 d reads c, V3 c
// reads b, V4 b reads a) settle in as many passes as the chain is long:
// 100 min each of e, c and a (care) and of d and b (HSL), every cap
// reached, 1 000.00 each (a bound of two passes a version paid e nothing).
// Each component pays a task of its own, so that no cap counts minutes
// another paid for visits it would pay (see capUsedBefore).
func TestCapChainBackwardsAcrossFourVersions(t *testing.T) {
	pair := func(first, firstTask, second, secondTask string) string {
		return doc(`{"name": "` + first + `", "strategy": "performed_time", "when": "task == '` + firstTask + `'", "rate": "600", "params": {"require_decision": false}},
	  {"name": "` + second + `", "strategy": "performed_time", "when": "task == '` + secondTask + `'", "rate": "600",
	   "params": {"require_decision": false, "cap": "performed['` + first + `']"}}`)
	}
	book := mustBook(t, pair("d", "HSL", "e", "Dusch"),
		versionFrom(pair("c", "Tillsyn", "d", "HSL"), "2024-04-09", "V2"),
		versionFrom(pair("b", "Ögondroppar", "c", "Tillsyn"), "2024-04-16", "V3"),
		versionFrom(pair("a", "Påklädning", "b", "Ögondroppar"), "2024-04-24", "V4"))
	ds := data()
	ds.Decisions = nil
	ds.Tasks = append(ds.Tasks, models.LocalTask{Local: "Påklädning", Category: models.Care}, models.LocalTask{Local: "Ögondroppar", Category: models.DelegatedHSL})
	ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 09:40", "Dusch"), visit("2024-04-10 08:00", "2024-04-10 09:40", "HSL"),
		visit("2024-04-17 08:00", "2024-04-17 09:40", "Tillsyn"), visit("2024-04-25 08:00", "2024-04-25 09:40", "Påklädning"),
		visit("2024-04-26 08:00", "2024-04-26 09:40", "Ögondroppar")}
	want := map[string]string{"a tätort": "1000.00", "b tätort": "1000.00", "c tätort": "1000.00", "d tätort": "1000.00", "e tätort": "1000.00"}
	if diff := cmp.Diff(want, amounts(t, book, ds)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCapCircleAcrossVersionsRefused: caps that read each other across
// versions in a circle (V1 b reads a, V2 a reads b) have no settlement,
// and the book is refused, naming the circle.
func TestCapCircleAcrossVersionsRefused(t *testing.T) {
	v1 := doc(`{"name": "a", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}},
	  {"name": "b", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	   "params": {"require_decision": false, "cap": "performed['a']"}}`)
	v2 := versionFrom(doc(`{"name": "b", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600", "params": {"require_decision": false}},
	  {"name": "a", "strategy": "performed_time", "when": "category == 'care'", "rate": "600",
	   "params": {"require_decision": false, "cap": "performed['b']"}}`), "2024-04-16", "Test 2024b")
	_, err := NewBook(mustVersion(t, v1), mustVersion(t, v2))
	want := `caps read each other's paid minutes in a circle across the versions, which has no settlement: "a" of "Test 2024b" → "b" of "Test 2024" → "a" of "Test 2024b"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("NewBook: %v; want an error containing %s", err, want)
	}
}

// TestContinues: a component renamed beside a new one of its strategy
// says which one it continues ("continues"), and its cap reads the
// month's minutes of both names. omsorg (first version) is continued by
// sol (from 16 April), beside a new night component natt; HSL is capped
// at 17 % of omsorg, then of sol. Care 300 min on 3 and 20 April (day),
// HSL 90 min on 4 April: 600 × 0.17 = 102 ≥ 90, 900.00 (unsaid, neither
// natt nor sol continued omsorg, and the first version's cap read its
// own 300 min: 51, 510.00).
func TestContinues(t *testing.T) {
	v1 := doc(performedCaps("omsorg", "0.17"))
	v2 := func(continues string) string {
		return versionFrom(doc(`{"name": "natt", "strategy": "performed_time", "when": "category == 'care' && band == 'natt'", "rate": "600", "params": {"require_decision": false}},
	  {"name": "sol", "strategy": "performed_time", "when": "category == 'care' && band != 'natt'", "rate": "600", "params": {"require_decision": false}`+continues+`},
	  {"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	   "params": {"require_decision": false, "cap": "performed['sol'] * 0.17"}}`), "2024-04-16", "Test 2024b")
	}
	book := mustBook(t, v1, v2(`, "continues": "omsorg"`))
	if got := amounts(t, book, hslMonth(false))["hsl tätort"]; got != "900.00" {
		t.Errorf("hsl %s, want 900.00", got)
	}
	for _, tc := range []struct{ first, second, want string }{
		{v2(`, "continues": "omsorg"`), "", `"omsorg": "Test 2024b" is the book's first version, which continues none`},
		{v1, v2(`, "continues": "dag"`), `"dag": no component of that name in "Test 2024", the version before`},
	} {
		vs := []*Version{mustVersion(t, tc.first)}
		if tc.second != "" {
			vs = append(vs, mustVersion(t, tc.second))
		}
		if _, err := NewBook(vs...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewBook: %v; want an error containing %s", err, tc.want)
		}
	}
}

// TestCapOfAComponentRenamedBesideAContinuedOne: a component renamed
// without saying so, the one left with its strategy and cap, keeps its own
// cap, not the pool of every cap of that expression (found by attack).
// First version: omsorg (Dusch) and sol (Tillsyn), each capped at the
// granted 300 min; second, from 16 April: sol (Dusch, continues omsorg)
// and natt (Tillsyn). Dusch 200 min on 3 April, Tillsyn 100 min on 4
// April and 150 on 20 April: natt continues sol, 300 − 100 = 200 ≥ 150,
// 1 500.00 (drawing on the pool of "granted", 200 + 100 = 300, it paid
// nothing).
func TestCapOfAComponentRenamedBesideAContinuedOne(t *testing.T) {
	comp := func(name, task, extra string) string {
		return `{"name": "` + name + `", "strategy": "performed_time", "when": "category == 'care' && task == '` + task + `'", "rate": "600",
		  "params": {"require_decision": false, "cap": "granted"}` + extra + `}`
	}
	book := mustBook(t, doc(comp("omsorg", "Dusch", "")+", "+comp("sol", "Tillsyn", "")),
		versionFrom2b(comp("sol", "Dusch", `, "continues": "omsorg"`)+", "+comp("natt", "Tillsyn", ""), "2024-04-16"))
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}}
	ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 11:20", "Dusch"), visit("2024-04-04 08:00", "2024-04-04 09:40", "Tillsyn"),
		visit("2024-04-20 08:00", "2024-04-20 10:30", "Tillsyn")}
	want := map[string]string{"omsorg tätort": "2000.00", "sol tätort": "1000.00", "natt tätort": "1500.00"}
	if diff := cmp.Diff(want, amounts(t, book, ds)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMonthSettlingsBounded: a month whose caps read paid minutes a
// later version pays is settled in passes over every version of the
// month until two agree, the chain of caps' length + 1 to settle and one
// more to agree (capDepth), and NewBook refuses a book whose month would
// take more than maxMonthSettlings (96) version settlements. Found by
// probe: 30 versions in April and a chain of 198 caps settled one
// customer of 40 visits in 101 passes, 6.3 s against 3.4 ms under one
// version.
//
//   - split once, chain 46: 2 versions × 48 passes = 96, accepted;
//   - split once, chain 47: 2 × 49 = 98, refused;
//   - 24 versions, chain 2: 4 × 24 = 96, accepted;
//   - 25 versions, chain 2: 4 × 25 = 100, refused;
//   - 31 versions (one a day in March), chain 1: 3 × 31 = 93, accepted;
//   - 30 versions of April and caps that read no component: accepted;
//   - a chain of 40 brought on the 16th beside an uncapped c0: no cap
//     reads a later version's minutes, one pass, accepted (by the chain's
//     length alone it was refused, found by attack);
//   - a chain of 50 dropped on the 16th: its c1 reads the later version's
//     c0, and the bound, by the chain's length (2 × 52 = 104), refuses
//     it, though it would settle in 3 passes: a bound kept simple rather
//     than tight.
func TestMonthSettlingsBounded(t *testing.T) {
	// chain is n care and HSL components, alternately, each from the
	// first capped at the paid minutes of the one before it.
	chain := func(n int) string {
		var cs []string
		for i := range n + 1 {
			cat := []string{"care", "delegated_hsl"}[i%2]
			c := fmt.Sprintf(`{"name": "c%02d", "strategy": "performed_time", "when": "category == '%s'", "rate": "600", "stacks": true, "params": {"require_decision": false`, i, cat)
			if i > 0 {
				c += fmt.Sprintf(`, "cap": "performed['c%02d']"`, i-1)
			}
			cs = append(cs, c+"}}")
		}
		return doc(strings.Join(cs, ",\n"))
	}
	book := func(versions, n int, month string) error {
		vs := []*Version{mustVersion(t, chain(n))}
		for day := 2; day <= versions; day++ {
			vs = append(vs, mustVersion(t, versionFrom(chain(n), fmt.Sprintf("%s-%02d", month, day), fmt.Sprintf("V%02d", day))))
		}
		_, err := NewBook(vs...)
		return err
	}
	for _, tc := range []struct {
		name            string
		versions, chain int
		month           string
		want            string // "" for a book accepted
	}{
		{"split once, chain 46", 2, 46, "2024-04", ""},
		{"split once, chain 47", 2, 47, "2024-04", `test.json: valid_from: 2 versions share 2024-04 and caps read paid minutes, a later version's among them, through a chain of 47 (from "c47" of "V02"): settling a customer's month could take 49 passes over its 2 versions, 98 settlements, more than 96`},
		{"24 versions, chain 2", 24, 2, "2024-04", ""},
		{"25 versions, chain 2", 25, 2, "2024-04", "25 versions share 2024-04 and caps read paid minutes, a later version's among them, through a chain of 2"},
		{"31 versions, chain 1", 31, 1, "2024-03", ""},
		{"30 versions, no cap", 30, 0, "2024-04", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := book(tc.versions, tc.chain, tc.month)
			var te *TariffError
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("NewBook: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &te)):
				t.Fatalf("NewBook: %v; want a *TariffError containing %s", err, tc.want)
			}
		})
	}
	if _, err := NewBook(mustVersion(t, chain(0)), mustVersion(t, versionFrom(chain(40), "2024-04-16", "V16"))); err != nil {
		t.Errorf("a chain brought on the 16th: %v", err)
	}
	if _, err := NewBook(mustVersion(t, chain(50)), mustVersion(t, versionFrom(chain(0), "2024-04-16", "V16"))); err == nil {
		t.Errorf("a chain dropped on the 16th: accepted; the bound by the chain's length refuses it")
	}
}

// Found by trial: a cap added on 16 April to a component the first
// version paid uncapped counted none of the month's minutes paid before
// it (with any cap in the first version it counted them). Care 300 min on
// 3 and on 20 April; HSL 50 min on 4 April and 40 min on 22 April; the
// second version caps HSL at 10 % of care. The month's cap is 600 × 0.10
// = 60 min, 50 of them paid before the 16th: the second version pays 10
// of its 40, 60 min × 10 kr = 600.00, as one version of the second
// document pays (it paid its 40 in full, 900.00).
func TestCapAddedMidMonthCountsTheMinutesBefore(t *testing.T) {
	uncapped := performedCaps("omsorg", "1")
	uncapped = strings.Replace(uncapped, `, "cap": "performed['omsorg'] * 1"`, "", 1)
	capped := performedCaps("omsorg", "0.10")
	ds := data()
	ds.Decisions = nil
	ds.Visits = []models.Visit{visit("2024-04-03 08:00", "2024-04-03 13:00", "Dusch"), visit("2024-04-20 08:00", "2024-04-20 13:00", "Dusch"),
		visit("2024-04-04 08:00", "2024-04-04 08:50", "HSL"), visit("2024-04-22 08:00", "2024-04-22 08:40", "HSL")}
	for name, book := range map[string]*Book{
		"one version (capped)": mustBook(t, doc(capped)),
		"capped from 16 April": mustBook(t, doc(uncapped), versionFrom(doc(capped), "2024-04-16", "Test 2024b")),
	} {
		if got := amounts(t, book, ds); got["hsl tätort"] != "600.00" || got["not paid above_cap"] != "30" {
			t.Errorf("%s: hsl %s, %s min above the cap; want 600.00 and 30", name, got["hsl tätort"], got["not paid above_cap"])
		}
	}
}

// Found by attack: a cap added on the 16th to a component split or
// renamed there counted none of the minutes the first version had paid
// uncapped (it looked for minutes paid under a cap of its expression).
// Care 60 min twice a week: 60 × 2 × 30 ÷ 7 = 514.29 → 514 min in April;
// 300 min performed before the 16th, 300 after. The month's cap is 514:
// 300 paid before, 214 after, 514 × 501 ÷ 60 = 4 291.90 and 86 min above
// the cap, as one version of the second document pays (5 010.00 was paid,
// nothing above the cap).
func TestCapAddedToASplitComponent(t *testing.T) {
	v1 := `{"name": "hemtjänst", "strategy": "performed_time", "when": "category in ['service', 'care']", "rate": "501"}`
	v2 := `{"name": "service", "strategy": "performed_time", "when": "category == 'service'", "rate": "501", "params": {"cap": "granted"}},
	  {"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "501", "params": {"cap": "granted"}}`
	renamed := `{"name": "omsorg", "strategy": "performed_time", "when": "category in ['service', 'care']", "rate": "501", "params": {"cap": "granted"}}`
	same := `{"name": "hemtjänst", "strategy": "performed_time", "when": "category in ['service', 'care']", "rate": "501", "params": {"cap": "granted"}}`
	ds := careTwiceAWeek()
	for name, book := range map[string]*Book{
		"one version":          mustBook(t, doc(v2)),
		"cap added, same name": mustBook(t, doc(v1), versionFrom2b(same, "2024-04-16")),
		"cap added, split":     mustBook(t, doc(v1), versionFrom2b(v2, "2024-04-16")),
		"cap added, renamed":   mustBook(t, doc(v1), versionFrom2b(renamed, "2024-04-16")),
	} {
		got := amounts(t, book, ds)
		var total decimal.Decimal
		for k, v := range got {
			if !strings.HasPrefix(k, "not paid") {
				total = total.Add(decimal.RequireFromString(v))
			}
		}
		if total.StringFixed(2) != "4291.90" || got["not paid above_cap"] != "86" {
			t.Errorf("%s: %v; want 4291.90 paid in all, 86 min above the cap", name, got)
		}
	}
}

// Found by attack: a cap counted the minutes paid earlier in the month by
// component, so a third version forgot what the second had counted, two
// components renamed on the 16th each counted the other's minutes, and a
// merge paid by the name it kept. It counts the minutes paid earlier, by
// any component, for the visits it would pay. Care granted 300 min a
// month; 600 kr/h is 10 kr a minute.
//
//   - three versions: a (uncapped) to the 10th, b capped at granted from
//     the 11th, the same from the 21st; 200 min on the 3rd, 50 on the
//     12th, 200 on the 25th: 200 + 50 paid, 50 of the 200 on the 25th,
//     300 min, 3 000.00 (4 500.00 had been paid);
//   - a and b (Dusch, Tillsyn), each capped at granted, renamed dusch and
//     tillsyn on the 16th: 200 min of each before, 100 of each after: each
//     cap has 100 left, 600 min, 6 000.00 (4 000.00);
//   - dusch and tillsyn merged into one care component on the 16th, named
//     dusch or omsorg: Dusch 100 and Tillsyn 150 before, Dusch 150 after:
//     the cap has 50 left, 300 min, 3 000.00 whatever the name (as dusch
//     it had paid 4 000.00).
func TestCapCountsTheVisitsItWouldPay(t *testing.T) {
	comp := func(name, when, params string) string {
		return `{"name": "` + name + `", "strategy": "performed_time", "when": "` + when + `", "rate": "600"` + params + `}`
	}
	capped := `, "params": {"cap": "granted"}`
	ds := care300
	at := func(day, end, task string) models.Visit {
		return visit("2024-04-"+day+" 08:00", "2024-04-"+day+" "+end, task)
	}
	pair := func(a, b string) string {
		return comp(a, "task == 'Dusch'", capped) + ", " + comp(b, "task == 'Tillsyn'", capped)
	}
	care := func(name string) string { return comp(name, "category == 'care'", capped) }
	for _, tc := range []struct {
		name string
		book *Book
		ds   *models.Dataset
		want string
	}{
		{"three versions", mustBook(t, doc(comp("a", "category == 'care'", "")), versionFrom(doc(care("b")), "2024-04-11", "V2"), versionFrom(doc(care("b")), "2024-04-21", "V3")),
			ds(at("03", "11:20", "Dusch"), at("12", "08:50", "Dusch"), at("25", "11:20", "Dusch")), "3000.00"},
		{"a pair renamed", mustBook(t, doc(pair("a", "b")), versionFrom(doc(pair("dusch", "tillsyn")), "2024-04-16", "V2")),
			ds(at("03", "11:20", "Dusch"), at("04", "11:20", "Tillsyn"), at("20", "09:40", "Dusch"), at("21", "09:40", "Tillsyn")), "6000.00"},
		{"merged into dusch", mustBook(t, doc(pair("dusch", "tillsyn")), versionFrom(doc(care("dusch")), "2024-04-16", "V2")),
			ds(at("03", "09:40", "Dusch"), at("04", "10:30", "Tillsyn"), at("20", "10:30", "Dusch")), "3000.00"},
		{"merged into omsorg", mustBook(t, doc(pair("dusch", "tillsyn")), versionFrom(doc(care("omsorg")), "2024-04-16", "V2")),
			ds(at("03", "09:40", "Dusch"), at("04", "10:30", "Tillsyn"), at("20", "10:30", "Dusch")), "3000.00"},
	} {
		var total decimal.Decimal
		for _, l := range settle(t, tc.book, tc.ds).Lines {
			total = total.Add(l.Amount.Decimal)
		}
		if total.StringFixed(2) != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, total.StringFixed(2), tc.want)
		}
	}
}

// A month whose caps, through the minutes they read, pay more the less
// they paid the time before is settled again until two passes agree; when
// none do within NewBook's bound, Settle says so rather than give the
// last pass (a fixed point may exist, but passes do not reach it). a
// (first version, Dusch) is capped at b's minutes; from the 16th b
// (Tillsyn) is capped at 100 less c's minutes (at least 0), and c, new, pays Dusch, so
// c's month holds what a paid for Dusch before it. Dusch 100 min on the
// 3rd, Tillsyn 100 min on the 20th: with b at 0, a pays 0 and b 100; with
// b at 100, a pays 100 and b 0; and so on. No two of its 32 passes agree:
// ErrUnsettled, naming the customer. (No cap reads another in a circle:
// a reads b, b reads c.)
func TestCapsThatDoNotSettle(t *testing.T) {
	first, second, ds := fixture.CapsThatDoNotSettle()
	book := mustBook(t, first, second)
	_, err := Settle(t.Context(), book, ds, april2024, Options{})
	if !errors.Is(err, ErrUnsettled) || !strings.Contains(err.Error(), "customer k1 with egen, 2024-04: ") {
		t.Errorf("Settle: %v; want ErrUnsettled for customer k1 with egen", err)
	}
	// Streamed, the book's fault stops the run, not counted among the
	// customers with bad data (which leave the customer out and go on).
	part := *ds
	part.Tasks, part.Providers = nil, nil
	_, err = SettleCustomers(t.Context(), book, ds, func(yield func(*models.Dataset, error) bool) { yield(&part, nil) }, april2024, Options{},
		func(*Settlement) error { return nil })
	if !errors.Is(err, ErrUnsettled) || strings.Contains(err.Error(), "bad data") {
		t.Errorf("SettleCustomers: %v; want ErrUnsettled, not bad data", err)
	}
}

// Found by attack: a cap counted a segment once for each component that
// paid it, and ignored a whole-visit component of its version paying
// instead of it. Care granted 300 min a month; 10 kr a minute.
//
//   - omsorg capped at granted and a stacking supplement tillägg (60 kr/h,
//     1 kr a minute), in both versions of a month split on the 16th; 120
//     min on the 3rd and 180 on the 22nd: the 120 count once, omsorg pays
//     300 min, 3 000.00, tillägg 300.00: 3 300.00, as one version pays (the
//     120 counted twice, omsorg was paid 180 min: 2 100.00 in all);
//   - from the 16th a night component paying whole visits per_visit (500)
//     instead of omsorg; 60 min at 22:00 on the 3rd, paid by the first
//     version's omsorg, 600.00, and 300 min on the 22nd: the later omsorg
//     would not pay the night visit, so its cap has the 300, 3 000.00;
//     3 600.00 in all (3 000.00 had been paid, 60 min above the cap).
func TestCapCountsASegmentOnce(t *testing.T) {
	omsorg := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "granted"}}`
	tillägg := `{"name": "tillägg", "strategy": "performed_time", "when": "category == 'care'", "stacks": true, "rate": "60"}`
	natt := `{"name": "natt", "strategy": "per_visit", "when": "category == 'care' && band == 'natt'", "rate": "500", "instead_of": ["omsorg"]}`
	month := care300
	for _, tc := range []struct {
		name string
		book *Book
		ds   *models.Dataset
		want string
	}{
		{"stacking, one version", mustBook(t, doc(omsorg+", "+tillägg)),
			month(visit("2024-04-03 08:00", "2024-04-03 10:00", "Dusch"), visit("2024-04-22 08:00", "2024-04-22 11:00", "Dusch")), "3300.00"},
		{"stacking, split", mustBook(t, doc(omsorg+", "+tillägg), versionFrom2b(omsorg+", "+tillägg, "2024-04-16")),
			month(visit("2024-04-03 08:00", "2024-04-03 10:00", "Dusch"), visit("2024-04-22 08:00", "2024-04-22 11:00", "Dusch")), "3300.00"},
		{"a whole visit instead, split", mustBook(t, doc(omsorg), versionFrom2b(omsorg+", "+natt, "2024-04-16")),
			month(visit("2024-04-03 22:00", "2024-04-03 23:00", "Dusch"), visit("2024-04-22 08:00", "2024-04-22 13:00", "Dusch")), "3600.00"},
	} {
		if s := settle(t, tc.book, tc.ds); s.Total.String() != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, s.Total, tc.want)
		}
	}
}

// care300 grants k1 300 min of care a month and has the visits given.
func care300(visits ...models.Visit) *models.Dataset {
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 300}}}}
	ds.Visits = visits
	return ds
}

// Found by attack: a cap counted another component's minutes by its
// number alone. Care granted 300 min a month, 10 kr a minute, split on
// the 16th.
//
// A stacking supplement dropped on the 16th, omsorg's cap raised to
// granted + 200 = 500: omsorg paid 200 + 100 = 300 min before (100 above
// the first cap) and the supplement 400; the month's cap leaves 500 − 300
// = 200, all 200 min of the 22nd: 5 000.00, as with the supplement kept
// (the supplement's minutes were counted as a dropped component's:
// 4 000.00).
func TestCapNotASupplementDropped(t *testing.T) {
	omsorg := func(cap string) string {
		return `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "` + cap + `"}}`
	}
	tillägg := `{"name": "tillägg", "strategy": "performed_time", "when": "category == 'care'", "stacks": true, "rate": "60"}`
	ds := func() *models.Dataset {
		return care300(careAt("03", "08:00", "11:20", "Dusch"), careAt("05", "08:00", "11:20", "Dusch"), careAt("22", "08:00", "11:20", "Dusch"))
	}
	for _, tc := range []struct {
		name string
		book *Book
	}{
		{"supplement kept", mustBook(t, doc(omsorg("granted")+", "+tillägg), versionFrom2b(omsorg("granted + 200")+", "+tillägg, "2024-04-16"))},
		{"supplement dropped", mustBook(t, doc(omsorg("granted")+", "+tillägg), versionFrom2b(omsorg("granted + 200"), "2024-04-16"))},
	} {
		got := amounts(t, tc.book, ds())
		if got["omsorg tätort"] != "5000.00" {
			t.Errorf("%s: %v; want omsorg 5000.00", tc.name, got)
		}
	}
}

// A component for all care split on the 16th into omsorg (Dusch) and
// tillsyn (Tillsyn), each capped at granted: Tillsyn 200 min on the 4th
// and 200 on the 20th; tillsyn's cap counts the 200 the old omsorg paid
// for Tillsyn, 100 left: 3 000.00, as the later document alone pays and
// as when both parts are renamed (keeping the name omsorg for Dusch, the
// new tillsyn counted nothing: 4 000.00).
func TestCapSplitKeepingTheName(t *testing.T) {
	v1 := cappedCare("omsorg", "category == 'care'")
	kept := cappedCare("omsorg", "task == 'Dusch'") + ", " + cappedCare("tillsyn", "task == 'Tillsyn'")
	renamed := cappedCare("dusch", "task == 'Dusch'") + ", " + cappedCare("tillsyn", "task == 'Tillsyn'")
	ds := func() *models.Dataset {
		return care300(careAt("04", "08:00", "11:20", "Tillsyn"), careAt("20", "08:00", "11:20", "Tillsyn"))
	}
	wantTotals(t, "3000.00", ds, []namedBook{
		{"one version", mustBook(t, doc(kept))},
		{"split, renamed", mustBook(t, doc(v1), versionFrom2b(renamed, "2024-04-16"))},
		{"split, name kept", mustBook(t, doc(v1), versionFrom2b(kept, "2024-04-16"))},
	})
}

// omsorg (Dusch) and tillsyn (Tillsyn) merged on the 16th into omsorg for
// all care, tillsyn going on for night Tillsyn only: Tillsyn 200 min by
// day on the 4th, Dusch 200 on the 20th; omsorg's cap counts the 200
// tillsyn paid for a day visit it no longer pays, 100 left: 3 000.00, as
// with tillsyn dropped (4 000.00 had been paid).
func TestCapMergeWhileTheOtherGoesOnNarrowed(t *testing.T) {
	v1 := cappedCare("omsorg", "task == 'Dusch'") + ", " + cappedCare("tillsyn", "task == 'Tillsyn'")
	kept := cappedCare("omsorg", "category == 'care'") + ", " + cappedCare("tillsyn", "task == 'Tillsyn' && band == 'natt'")
	dropped := cappedCare("omsorg", "category == 'care'")
	ds := func() *models.Dataset {
		return care300(careAt("04", "08:00", "11:20", "Tillsyn"), careAt("20", "08:00", "11:20", "Dusch"))
	}
	wantTotals(t, "3000.00", ds, []namedBook{
		{"one version", mustBook(t, doc(kept))},
		{"merged, tillsyn dropped", mustBook(t, doc(v1), versionFrom2b(dropped, "2024-04-16"))},
		{"merged, tillsyn narrowed", mustBook(t, doc(v1), versionFrom2b(kept, "2024-04-16"))},
	})
}

// cappedCare is a care component name paying performed time where when
// holds, 600 kr/h, capped at the granted time.
func cappedCare(name, when string) string {
	return `{"name": "` + name + `", "strategy": "performed_time", "when": "` + when + `", "rate": "600", "params": {"cap": "granted"}}`
}

// namedBook is a book a test settles, named for its messages.
type namedBook struct {
	name string
	book *Book
}

// wantTotals settles ds under each book and wants the month's total.
func wantTotals(t *testing.T, want string, ds func() *models.Dataset, books []namedBook) {
	t.Helper()
	for _, b := range books {
		if s := settle(t, b.book, ds()); s.Total.String() != want {
			t.Errorf("%s: total %s; want %s; %v", b.name, s.Total, want, amounts(t, b.book, ds()))
		}
	}
}

// careAt is a visit of k1 on a day of April 2024.
func careAt(day, start, end, task string) models.Visit {
	return visit("2024-04-"+day+" "+start, "2024-04-"+day+" "+end, task)
}

// Found by attack: the paid minutes a cap reads (performed['sol']) took,
// from the other versions, all the component's minutes by its number,
// also for visits the reading version gives to another component. omsorg
// pays all care until the 16th, then sol (continuing omsorg) day care and
// a new natt night care; HSL is capped at 17 % of sol. Day care 300 min on
// the 3rd and on the 20th, night care 300 min from 22:00 on the 5th; HSL
// 150 min on the 22nd. sol's month is the 600 day minutes: 600 × 0.17 =
// 102 min of HSL, 1 020.00, 48 min above the cap, as the later document
// alone pays, and so with the name omsorg kept for day care (900 minutes
// had been read, night included: 153 ≥ 150, 1 500.00).
func TestPerformedReadsWhatTheReaderWouldPay(t *testing.T) {
	comps := func(day, continues string) string {
		return `{"name": "natt", "strategy": "performed_time", "when": "category == 'care' && band == 'natt'", "rate": "600", "params": {"require_decision": false}},
	  {"name": "` + day + `", "strategy": "performed_time", "when": "category == 'care' && band != 'natt'", "rate": "600", "params": {"require_decision": false}` + continues + `},
	  {"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	   "params": {"require_decision": false, "cap": "performed['` + day + `'] * 0.17"}}`
	}
	ds := data()
	ds.Decisions = nil
	ds.Visits = []models.Visit{careAt("03", "08:00", "13:00", "Dusch"), visit("2024-04-05 22:00", "2024-04-06 03:00", "Dusch"),
		careAt("20", "08:00", "13:00", "Dusch"), careAt("22", "08:00", "10:30", "HSL")}
	for name, book := range map[string]*Book{
		"the later document alone": mustBook(t, doc(comps("sol", ""))),
		"sol continues omsorg":     mustBook(t, doc(performedCaps("omsorg", "0.17")), versionFrom2b(comps("sol", `, "continues": "omsorg"`), "2024-04-16")),
		"omsorg narrowed to day":   mustBook(t, doc(performedCaps("omsorg", "0.17")), versionFrom2b(comps("omsorg", ""), "2024-04-16")),
	} {
		got := amounts(t, book, ds)
		if got["hsl tätort"] != "1020.00" || got["not paid above_cap"] != "48" {
			t.Errorf("%s: hsl %s, %s min above the cap; want 1020.00 and 48", name, got["hsl tätort"], got["not paid above_cap"])
		}
	}
}

// Found by attack: the paid minutes a cap reads took from the other
// versions only the component's own, so a component widened on the 16th
// did not read what another had paid for the visits it took over. natt
// (night care) and omsorg (day care) until the 16th, then omsorg for all
// care; HSL capped at 17 % of omsorg. Day care 300 min on the 3rd and on
// the 20th, night care 300 on the 5th, HSL 150 on the 22nd: omsorg's
// month is 900 min, 153 ≥ 150, 1 500.00, as the later document alone pays
// (600 had been read: 102 min, 1 020.00).
func TestPerformedReadsWhatTheReaderTookOver(t *testing.T) {
	hsl := `{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	   "params": {"require_decision": false, "cap": "performed['omsorg'] * 0.17"}}`
	care := func(name, when string) string {
		return `{"name": "` + name + `", "strategy": "performed_time", "when": "` + when + `", "rate": "600", "params": {"require_decision": false}}`
	}
	v1 := care("natt", "category == 'care' && band == 'natt'") + ", " + care("omsorg", "category == 'care' && band != 'natt'") + ", " + hsl
	v2 := care("omsorg", "category == 'care'") + ", " + hsl
	ds := data()
	ds.Decisions = nil
	ds.Visits = []models.Visit{careAt("03", "08:00", "13:00", "Dusch"), visit("2024-04-05 22:00", "2024-04-06 03:00", "Dusch"),
		careAt("20", "08:00", "13:00", "Dusch"), careAt("22", "08:00", "10:30", "HSL")}
	for name, book := range map[string]*Book{
		"the later document alone": mustBook(t, doc(v2)),
		"widened on the 16th":      mustBook(t, doc(v1), versionFrom2b(v2, "2024-04-16")),
	} {
		if got := amounts(t, book, ds); got["hsl tätort"] != "1500.00" {
			t.Errorf("%s: hsl %s, want 1500.00", name, got["hsl tätort"])
		}
	}
}

// TestCapCountsMinutesAnotherStrategyPaid: care is paid on granted time,
// or a standard 20 min a visit, to the 15th and on performed time capped
// at the granted time from the 16th; the component keeps its name, and
// its cap is the month's. Granted 600 min; a 30 min visit every day.
// To the 15th: 600 × 15/30 = 300 min on granted time, or 15 × 20 = 300
// on standard time, 3 000.00. From the 16th: 15 × 30 = 450 min
// performed, the cap 600 − 300 = 300 min, 3 000.00, and 150 min above
// it. The month: 6 000.00, as one version of either pays (the minutes
// of other strategies were not counted: 4 500.00 were paid from the
// 16th, 750 of 600 granted minutes).
func TestCapCountsMinutesAnotherStrategyPaid(t *testing.T) {
	capped := versionFrom(doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "granted"}}`),
		"2024-04-16", "Test 2024b")
	ds := data()
	ds.Decisions = []models.Decision{{ID: "b", Customer: "k1", Provider: "egen", ValidFrom: d("2024-01-01"), ExecutionStarted: d("2024-01-01"),
		Items: []models.GrantedItem{{Task: "Dusch", Category: models.Care, MinutesPerMonth: 600}}}}
	for day := 1; day <= 30; day++ {
		ds.Visits = append(ds.Visits, visit(fmt.Sprintf("2024-04-%02d 08:00", day), fmt.Sprintf("2024-04-%02d 08:30", day), "Dusch"))
	}
	for name, first := range map[string]string{
		"granted_time":  `{"name": "omsorg", "strategy": "granted_time", "when": "category == 'care'", "rate": "600"}`,
		"standard_time": `{"name": "omsorg", "strategy": "standard_time", "when": "category == 'care'", "rate": "600", "params": {"minutes": "20"}}`,
	} {
		s := settle(t, mustBook(t, doc(first), capped), ds)
		got := map[string]string{}
		above := 0
		for _, l := range s.Lines {
			got[l.Version] = l.Amount.String()
		}
		for _, u := range s.NotPaid {
			if u.Reason == AboveCap {
				above += int(u.Minutes)
				if u.Detail != "taket för omsorg, 600 min, är nått" {
					t.Errorf("%s: %s", name, u.Detail)
				}
			}
		}
		if diff := cmp.Diff(map[string]string{"Test 2024": "3000.00", "Test 2024b": "3000.00"}, got); diff != "" || above != 150 {
			t.Errorf("%s: %d min above the cap, want 150; (-want +got):\n%s", name, above, diff)
		}
	}
}

// TestManyVersionsSettleTheirChain: a month NewBook accepts settles,
// whatever its versions: the passes count the one that agrees. With a
// version beginning each day from 2 to 22 April (22 versions, a chain of
// 1: HSL capped at the month's omsorg), 2 passes were given and the month
// was refused with ErrUnsettled; with 17 versions and a chain of 2, 3
// (found by attack). Each component pays 100 min × 10 kr = 1 000.00:
// omsorg's 100 min on 25 April, and each cap, the month's minutes of the
// component it reads, 100, lets its 100 min through.
func TestManyVersionsSettleTheirChain(t *testing.T) {
	chain := func(n int) string {
		cats := []string{"care", "delegated_hsl", "service"}
		var cs []string
		for i := range n + 1 {
			c := fmt.Sprintf(`{"name": "c%d", "strategy": "performed_time", "when": "category == '%s'", "rate": "600", "params": {"require_decision": false`, i, cats[i])
			if i > 0 {
				c += fmt.Sprintf(`, "cap": "performed['c%d']"`, i-1)
			}
			cs = append(cs, c+"}}")
		}
		return doc(strings.Join(cs, ",\n"))
	}
	for _, tc := range []struct{ versions, chain int }{{22, 1}, {31, 1}, {17, 2}, {24, 2}} {
		srcs := []string{chain(tc.chain)}
		for day := 2; day <= tc.versions; day++ {
			srcs = append(srcs, versionFrom(chain(tc.chain), fmt.Sprintf("2024-04-%02d", day), fmt.Sprintf("V%02d", day)))
		}
		if tc.versions == 31 { // April has 30 days: a version a day of March
			for i := range srcs {
				srcs[i] = strings.Replace(srcs[i], "2024-04-", "2024-03-", 1)
			}
		}
		ds := data()
		ds.Decisions = nil
		month := "04"
		if tc.versions == 31 {
			month = "03"
		}
		at := func(day, task string) models.Visit {
			return visit("2024-"+month+"-"+day+" 08:00", "2024-"+month+"-"+day+" 09:40", task)
		}
		ds.Visits = []models.Visit{at("25", "Dusch"), at("10", "HSL")}
		want := "2000.00"
		if tc.chain == 2 {
			ds.Visits = append(ds.Visits, at("01", "Städ"))
			want = "3000.00"
		}
		period := april2024
		if tc.versions == 31 {
			period, _ = calendar.Month(2024, time.March, fixture.Stockholm)
		}
		s, err := Settle(t.Context(), mustBook(t, srcs...), ds, period, Options{})
		if err != nil {
			t.Errorf("%d versions, chain %d: %v", tc.versions, tc.chain, err)
			continue
		}
		if s.Total.String() != want {
			t.Errorf("%d versions, chain %d: total %s, want %s", tc.versions, tc.chain, s.Total, want)
		}
	}
}

// TestPaidMinutesReadAcrossAStrategyChange: omsorg is paid on performed
// time to the 15th and on granted time, for items that are no
// subscription, from the 16th; HSL is capped at half the month's
// omsorg. Granted 300 min; care 200 min on 3 April, a visit edited by
// hand; HSL 200 min on 22 April. omsorg: 200 min + 300 × 15/30 = 150
// min, 3 500.00; the cap 0.5 × 350 = 175 min of HSL, 1 750.00. The
// granted-time when was run on the first half's segment, where the
// field it read as subscription was the visit's edited: 750.00 (found
// by attack).
func TestPaidMinutesReadAcrossAStrategyChange(t *testing.T) {
	hsl := `{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	  "params": {"require_decision": false, "cap": "performed['omsorg'] * 0.5"}}`
	first := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}}, ` + hsl
	second := `{"name": "omsorg", "strategy": "granted_time", "when": "category == 'care' && !subscription", "rate": "600"}, ` + hsl
	ds := care300(careAt("03", "08:00", "11:20", "Dusch"), careAt("22", "08:00", "11:20", "HSL"))
	ds.Visits[0].Edited = true
	got := amounts(t, mustBook(t, doc(first), versionFrom2b(second, "2024-04-16")), ds)
	if diff := cmp.Diff(map[string]string{"omsorg tätort": "3500.00", "hsl tätort": "1750.00", "not paid above_cap": "25"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestPaidMinutesReadASegmentOnce: a supplement (tillägg, 1 kr a minute,
// stacking on omsorg) goes on alone on the 16th, omsorg dropped or
// narrowed to day care; HSL is capped at half of tillägg's minutes. Care
// 200 min on 3 April (by day, or at night, 00:30–03:50, for the
// narrowing), HSL 200 min on 22 April. tillägg paid 200 min in the
// month: the cap 100 min, 1 000.00, and 100 min above it, as one version
// pays. The segment was read twice, tillägg's and omsorg's, which
// nothing continued to pay: 2 000.00 (found by attack).
func TestPaidMinutesReadASegmentOnce(t *testing.T) {
	hsl := `{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	  "params": {"require_decision": false, "cap": "performed['tillägg'] * 0.5"}}`
	omsorg := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"require_decision": false}}`
	day := strings.Replace(omsorg, "category == 'care'", "category == 'care' && band != 'natt'", 1)
	tillagg := `{"name": "tillägg", "strategy": "performed_time", "when": "category == 'care'", "rate": "60", "stacks": true, "params": {"require_decision": false}}`
	for name, tc := range map[string]struct {
		from, second string
	}{
		"dropped":  {"08:00", tillagg + ", " + hsl},
		"narrowed": {"00:30", day + ", " + tillagg + ", " + hsl},
	} {
		to := map[string]string{"08:00": "11:20", "00:30": "03:50"}[tc.from]
		ds := care300(careAt("03", tc.from, to, "Dusch"), careAt("22", "08:00", "11:20", "HSL"))
		got := amounts(t, mustBook(t, doc(omsorg+", "+tillagg+", "+hsl), versionFrom2b(tc.second, "2024-04-16")), ds)
		if got["hsl tätort"] != "1000.00" || got["not paid above_cap"] != "100" {
			t.Errorf("%s: hsl %s, %s min above the cap; want 1000.00 and 100", name, got["hsl tätort"], got["not paid above_cap"])
		}
	}
}

// TestMainMadeASupplementLeavesItsMinutesToTheCap: omsorg, the main care
// component capped at the granted time, becomes a supplement of 1 kr a
// minute on the 16th beside a new main component vård, both capped at
// the granted time. Granted 300 min; care 200 min on 3 and on 20 April.
// omsorg as the main one: 200 min, 2 000.00; vård: the month's cap less
// those 200, 100 min, 1 000.00; omsorg as the supplement: its cap less
// its own 200, 100 min × 1 kr, 100.00. vård counted none of the main
// minutes before it, which omsorg continued would pay: 2 000.00, 400
// main minutes against 300 granted (found by attack).
func TestMainMadeASupplementLeavesItsMinutesToTheCap(t *testing.T) {
	first := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "granted"}}`
	second := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "60", "stacks": true, "params": {"cap": "granted"}},
	  {"name": "vård", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "granted"}}`
	ds := care300(careAt("03", "08:00", "11:20", "Dusch"), careAt("20", "08:00", "11:20", "Dusch"))
	got := amounts(t, mustBook(t, doc(first), versionFrom2b(second, "2024-04-16")), ds)
	if diff := cmp.Diff(map[string]string{"omsorg tätort": "2100.00", "vård tätort": "1000.00", "not paid above_cap": "200"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMinimumExecutionBelowItsThresholdPaysTime: minimum_execution paid
// below its threshold pays time, which a cap counts and performed[]
// reads, as it does at the threshold (found by attack: counted for
// nothing, less work was paid more). Granted 300 min of care, threshold
// 0.8.
//
//   - Split on the 16th into performed time capped at the granted time:
//     care 10 min on 3 April and 200 on 20 April, a share of 210/300 =
//     0.70. To the 15th the item's 300 × 15/30 = 150 min: paid as the
//     performed time of its days, 10 min, 100.00 (it paid 150 of the
//     month's 210, 1 500.00, and the 16th's cap left 150 of the 200
//     performed then: 140 minutes paid twice, found by attack), or as
//     granted time less a deduction of 0.1, 150 × 10 × 0.9 = 1 350.00.
//     From the 16th the cap 300 − 10 = 290 holds the 200 min, 2 000.00,
//     or, after the 150 of the deduction, 300 − 150 = 150 of the 200
//     min, 1 500.00, 50 above it (it paid all 200, 2 000.00: 350 of 300
//     granted minutes).
//   - One version, HSL capped at half the care paid: care 200 min on 3
//     April, a share of 0.67, paid as performed time, 200 min, 2 000.00;
//     HSL 200 min on 22 April, the cap 100 min, 1 000.00 (it read 0).
func TestMinimumExecutionBelowItsThresholdPaysTime(t *testing.T) {
	capped := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "granted"}}`
	minimum := func(below string) string {
		return `{"name": "omsorg", "strategy": "minimum_execution", "when": "category == 'care'", "rate": "600", "params": {"threshold": "0.8", ` + below + `}}`
	}
	for name, tc := range map[string]struct {
		first string
		want  map[string]string
	}{
		"below, performed time": {minimum(`"below": "performed"`),
			map[string]string{"omsorg tätort performed": "100.00", "omsorg tätort": "2000.00"}},
		"below, a deduction": {minimum(`"below": "deduction", "deduction": "0.1"`),
			map[string]string{"omsorg tätort deduction": "1350.00", "omsorg tätort": "1500.00", "not paid above_cap": "50"}},
	} {
		ds := care300(careAt("03", "08:00", "08:10", "Dusch"), careAt("20", "08:00", "11:20", "Dusch"))
		if diff := cmp.Diff(tc.want, amounts(t, mustBook(t, doc(tc.first), versionFrom2b(capped, "2024-04-16")), ds)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	hsl := `{"name": "hsl", "strategy": "performed_time", "when": "category == 'delegated_hsl'", "rate": "600",
	  "params": {"require_decision": false, "cap": "performed['omsorg'] * 0.5"}}`
	ds := care300(careAt("03", "08:00", "11:20", "Dusch"), careAt("22", "08:00", "11:20", "HSL"))
	want := map[string]string{"omsorg tätort performed": "2000.00", "hsl tätort": "1000.00", "not paid above_cap": "100"}
	if diff := cmp.Diff(want, amounts(t, mustBook(t, doc(minimum(`"below": "performed"`)+", "+hsl)), ds)); diff != "" {
		t.Errorf("one version (-want +got):\n%s", diff)
	}
}

// TestCapCountsAComponentBroughtBack: omsorg is paid on granted time to
// the 10th, no version pays care from the 11th to the 20th (only service,
// städ, on performed or on granted time), and from the 21st omsorg is
// paid on performed time capped at the granted time: the omsorg brought
// back is the one dropped (by its name). Granted 300 min; care 300 min on
// 22 April. To the 10th: 300 × 10/30 = 100 min, 1 000.00; from the 21st
// the cap 300 − 100 = 200 min of the 300, 2 000.00, 100 above it.
// Numbered anew, it counted none of the first 100: 4 000.00, 400 of 300
// granted minutes; and städ on granted time was taken for omsorg renamed,
// by its strategy and cap, which kept omsorg's number from it (both
// found by attack).
//
// With care on granted time in between too (vård, renamed without saying
// so or continuing omsorg), the month pays 100 min a part: 1 000.00 +
// 1 000.00 + 1 000.00, 200 above the cap (5 000.00 had been paid).
func TestCapCountsAComponentBroughtBack(t *testing.T) {
	granted := func(name, cat, extra string) string {
		return `{"name": "` + name + `", "strategy": "granted_time", "when": "category == '` + cat + `'", "rate": "600"` + extra + `}`
	}
	capped := `{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "600", "params": {"cap": "granted"}}`
	for name, tc := range map[string]struct {
		between string
		want    map[string]string
	}{
		"service on performed time": {`{"name": "städ", "strategy": "performed_time", "when": "category == 'service'", "rate": "600"}`,
			map[string]string{"omsorg tätort": "3000.00", "not paid above_cap": "100"}},
		"service on granted time": {granted("städ", "service", ""),
			map[string]string{"omsorg tätort": "3000.00", "not paid above_cap": "100"}},
		"care renamed": {granted("vård", "care", ""),
			map[string]string{"omsorg tätort": "2000.00", "vård tätort": "1000.00", "not paid above_cap": "200"}},
		"care continuing": {granted("vård", "care", `, "continues": "omsorg"`),
			map[string]string{"omsorg tätort": "2000.00", "vård tätort": "1000.00", "not paid above_cap": "200"}},
	} {
		ds := care300(careAt("22", "08:00", "13:00", "Dusch"))
		book := mustBook(t, doc(granted("omsorg", "care", "")), versionFrom(doc(tc.between), "2024-04-11", "V11"), versionFrom(doc(capped), "2024-04-21", "V21"))
		if diff := cmp.Diff(tc.want, amounts(t, book, ds)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}
