package compare

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/fee"
)

// outputs returns the report as text, plain CSV, Excel CSV and JSON.
func outputs(t *testing.T, c *Report) map[string]string {
	t.Helper()
	var text, plain, excel, js bytes.Buffer
	for _, err := range []error{c.WriteText(&text), c.WriteCSV(&plain, reimbursement.PlainCSV), c.WriteCSV(&excel, reimbursement.ExcelCSV), c.WriteJSON(&js)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return map[string]string{"text": text.String(), "CSV": plain.String(), "Excel CSV": excel.String(), "JSON": js.String()}
}

// The budget verdict is part of the report, in every output, and is
// exactly one of within, over and not judged (found by a trial: it was
// only on stderr and in the HTML, and said "over budget" beside "not
// judged"). April 2024, granted time: base k1 600 min × 448 ÷ 60 =
// 4480.00, k2 120 × 470 ÷ 60 = 940.00, 5420.00 in all; at rates × 1.10,
// k1 600 × 492.80 ÷ 60 = 4928.00, k2 120 × 517.00 ÷ 60 = 1034.00,
// 5962.00: +542.00 kr, +10.00 % (542 ÷ 5420). Back from the dearer to the
// base: −542.00 kr, −9.09 % (542 ÷ 5962 = 9.0909…).
func TestBudgetVerdict(t *testing.T) {
	base := mustBook(t, doc(granted))
	dearer := mustBook(t, doc(strings.Replace(granted, `zone)"`, `zone) * 1.10"`, 1)))
	ds := compareData()
	for _, tc := range []struct {
		name           string
		from, to       *reimbursement.Book
		limit          Budget
		want           Outcome
		wantText, line string
		change         string // in percent of the base, for a limit in percent
	}{
		// +542.00 ≤ 542: within, to the öre.
		// The change in kronor is said beside a verdict in kronor, as the
		// change in percent is beside one in percent (found by a trial:
		// "över gränsen" did not say by how much).
		{"542 kr", base, dearer, Budget{Amount: dec("542")}, Within, "Budgetgräns: en ökning med högst 542 kr – inom gränsen (förändringen +542.00 kr)", "budget_limit,within,", ""},
		{"541.99 kr", base, dearer, Budget{Amount: dec("541.99")}, Over, "Budgetgräns: en ökning med högst 541.99 kr – över gränsen (förändringen +542.00 kr)", "budget_limit,over,", ""},
		// 542 × 100 = 54200 ≤ 10 × 5420 = 54200: within; 9.99 × 5420 = 54145.8: over.
		// The change, 542 × 100 ÷ 5420 = 10.0000 %, is said beside the
		// verdict: rounded to two decimals, as the report's percentages
		// are, a change of 1.0323 % read "+1.03 %" beside "över gränsen"
		// of a limit of 1.03 %.
		{"10 %", base, dearer, Budget{Amount: dec("10"), Percent: true}, Within, "Budgetgräns: en ökning med högst 10 % – inom gränsen (förändringen +10.0000 %)", ",percent,10,\n", "10"},
		{"9.99 %", base, dearer, Budget{Amount: dec("9.99"), Percent: true}, Over, "Budgetgräns: en ökning med högst 9.99 % – över gränsen (förändringen +10.0000 %)", ",percent,9.99,\n", "10"},
		// A limit below zero asks for a fall: a rise is over it.
		{"-1 % on a rise", base, dearer, Budget{Amount: dec("-1"), Percent: true}, Over, "Budgetgräns: en minskning med minst 1 % – över gränsen (förändringen +10.0000 %)", "budget_limit,over,", "10"},
		// −542.00 ≤ −542: within; ≤ −542.01: not.
		{"-542 kr", dearer, base, Budget{Amount: dec("-542")}, Within, "Budgetgräns: en minskning med minst 542 kr – inom gränsen (förändringen -542.00 kr)", ",kr,-542,\n", ""},
		{"-542.01 kr", dearer, base, Budget{Amount: dec("-542.01")}, Over, "Budgetgräns: en minskning med minst 542.01 kr – över gränsen (förändringen -542.00 kr)", ",kr,-542.01,\n", ""},
		// −54200 ≤ −9.09 × 5962 = −54194.58: within; −9.1 × 5962 = −54254.2: over.
		// −54200 ÷ 5962 = −9.09090… → −9.0909 %.
		{"-9.09 %", dearer, base, Budget{Amount: dec("-9.09"), Percent: true}, Within, "en minskning med minst 9.09 % – inom gränsen (förändringen -9.0909 %)", "budget_limit,within,", "-9.0909"},
		{"-9.1 %", dearer, base, Budget{Amount: dec("-9.1"), Percent: true}, Over, "en minskning med minst 9.1 % – över gränsen (förändringen -9.0909 %)", "budget_limit,over,", "-9.0909"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			limit := tc.limit
			c, err := Run(t.Context(), Side{Name: "nu", Book: tc.from, Data: ds}, Side{Name: "förslag", Book: tc.to, Data: ds},
				[]calendar.Period{april2024}, Options{Budget: &limit})
			if err != nil {
				t.Fatal(err)
			}
			want := &BudgetVerdict{Limit: tc.limit, Outcome: tc.want}
			if tc.change != "" {
				ch := dec(tc.change)
				want.Change = &ch
			} else {
				// 5962.00 − 5420.00 = +542.00, or back, −542.00.
				ch := reimbursement.AmountOf(dec("542.00"))
				if tc.from == dearer {
					ch = reimbursement.AmountOf(dec("-542.00"))
				}
				want.ChangeKronor = &ch
			}
			if d := cmp.Diff(want, c.Budget); d != "" {
				t.Errorf("verdict (-want +got):\n%s", d)
			}
			out := outputs(t, c)
			mustContain(t, "text", out["text"], tc.wantText)
			mustContain(t, "CSV", out["CSV"], tc.line, tc.wantText)
			mustContain(t, "JSON", out["JSON"], `"outcome": "`+string(tc.want)+`"`)
			mustLack(t, "text", out["text"], "ej bedömd")
		})
	}
	// Without a limit, no verdict anywhere.
	c, err := Run(t.Context(), Side{Name: "nu", Book: base, Data: ds}, Side{Name: "förslag", Book: dearer, Data: ds},
		[]calendar.Period{april2024}, Options{})
	if err != nil || c.Budget != nil {
		t.Fatalf("no limit: verdict %+v, %v", c.Budget, err)
	}
	for name, out := range outputs(t, c) {
		mustLack(t, name, out, "Budgetgräns", "budget_limit", `"budget"`)
	}
}

// A report with warnings is not judged, whatever the amounts, and says
// only that and why: not "över gränsen" beside it. The proposal starting
// 15 April pays 0.00 of the base's 5420.00 (see
// TestRunWarnsOfDaysWithoutATariff): −100 %, within a limit of +2 % by
// the amounts, but it leaves 4 records unpaid for want of a tariff.
func TestBudgetNotJudgedWithWarnings(t *testing.T) {
	base := mustBook(t, doc(granted))
	late := mustBook(t, strings.Replace(doc(`{"name": "sol", "strategy": "performed_time", "when": "category in ['service', 'care']",
	  "rate": "table('timpris', category, zone)"}`), `"valid_from": "2024-01-01"`, `"valid_from": "2024-04-15"`, 1))
	ds := compareData()
	for _, limit := range []Budget{{Amount: dec("2"), Percent: true}, {Amount: dec("-1000000")}} {
		c, err := Run(t.Context(), Side{Name: "nu", Book: base, Data: ds}, Side{Name: "förslag", Book: late, Data: ds},
			[]calendar.Period{april2024}, Options{Budget: &limit})
		if err != nil {
			t.Fatal(err)
		}
		warning := "förslag lämnar 4 poster obetalda (876 minuter, 28 dagar) med skälet ingen taxa i kraft, mot 0 i nu: förslag täcker inte det som nu betalar, och totalerna jämför inte lika med lika"
		want := &BudgetVerdict{Limit: limit, Outcome: NotJudged, Why: "jämförelsen har en varning: " + warning}
		if d := cmp.Diff(want, c.Budget); d != "" {
			t.Errorf("verdict (-want +got):\n%s", d)
		}
		out := outputs(t, c)
		mustContain(t, "text", out["text"], "Budgetgräns: "+limit.String()+" – ej bedömd: jämförelsen har en varning: förslag lämnar 4 poster")
		mustContain(t, "CSV", out["CSV"], "budget_limit,not_judged,")
		mustContain(t, "JSON", out["JSON"], `"outcome": "not_judged"`)
		for name, o := range out {
			mustLack(t, name, o, "över gränsen", "inom gränsen", `"outcome": "over"`, "budget_limit,over")
		}
	}
	// Of several warnings, how many is said and the first quoted.
	c := &Report{Warnings: []string{"a", "b", "c"}}
	if v := c.Judge(Budget{Amount: dec("0")}); v.Outcome != NotJudged || v.Why != "jämförelsen har 3 varningar, den första: a" {
		t.Errorf("three warnings: %+v", v)
	}
}

// A provider's name in a row is the base side's, whichever side was
// settled last, and a name or ownership the proposed side gives it
// otherwise is shown (found by a trial: the name was the proposed side's,
// since it was read last). Both sides April 2024 on the same tariff:
// egen 600 min × 448 ÷ 60 = 4480.00, priv 120 × 470 ÷ 60 = 940.00; the
// proposal renames priv "Omsorg Nord AB" and takes it into egen regi.
func TestProviderNamesFromBase(t *testing.T) {
	book := mustBook(t, doc(granted))
	base, renamed := compareData(), compareData()
	renamed.Providers[1].Name, renamed.Providers[1].Ownership = "Omsorg Nord AB", models.OwnOperation
	run := func(b, p *models.Dataset, bn, pn string) *Report {
		t.Helper()
		c, err := Run(t.Context(), Side{Name: bn, Book: book, Data: b}, Side{Name: pn, Book: book, Data: p}, []calendar.Period{april2024}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := run(base, renamed, "nu", "förslag")
	priv := newChange("priv", "Privat AB", dec("940.00"), dec("940.00"))
	priv.ProposedName = "Omsorg Nord AB"
	if d := cmp.Diff([]Change{newChange("egen", "Egen regi", dec("4480.00"), dec("4480.00")), priv}, c.Providers); d != "" {
		t.Errorf("providers (-want +got):\n%s", d)
	}
	cross := []Change{newChange("sol", "Egen regi", dec("4480.00"), dec("4480.00")), newChange("sol", "Privat AB", dec("940.00"), dec("940.00"))}
	cross[0].Provider, cross[1].Provider, cross[1].ProposedName = "egen", "priv", "Omsorg Nord AB"
	if d := cmp.Diff(cross, c.ProviderComponents); d != "" {
		t.Errorf("provider components (-want +got):\n%s", d)
	}
	want := []ProviderDifference{{Provider: "priv", BaseName: "Privat AB", ProposedName: "Omsorg Nord AB", BaseOwnership: models.Private,
		ProposedOwnership: models.OwnOperation}}
	if d := cmp.Diff(want, c.ProviderDifferences); d != "" {
		t.Errorf("differences (-want +got):\n%s", d)
	}
	// Own 4480.00 → 5420.00, private 940.00 → 0.00: each side's ownership.
	if d := cmp.Diff([]Change{newChange("own", "egen regi", dec("4480.00"), dec("5420.00")), newChange("private", "privat regi", dec("940.00"), dec("0.00"))}, c.Ownerships); d != "" {
		t.Errorf("ownerships (-want +got):\n%s", d)
	}
	out := outputs(t, c)
	mustContain(t, "text", out["text"], "priv Privat AB (förslag: Omsorg Nord AB)", "Utförare som skiljer sig mellan nu och förslag (raderna har namnet i nu)",
		`  priv: namn "Privat AB" i nu, "Omsorg Nord AB" i förslag; privat regi i nu, egen regi i förslag`)
	mustContain(t, "CSV", out["CSV"], "provider,priv,Privat AB,940.00,940.00,0.00,0.00,,,kr,,\n",
		`provider_difference,priv,"namn ""Privat AB"" i nu, ""Omsorg Nord AB"" i förslag; privat regi i nu, egen regi i förslag",,,,,,priv,,,`+"\n")
	mustContain(t, "JSON", out["JSON"], `"proposed_name": "Omsorg Nord AB"`, `"base_ownership": "private"`, `"proposed_ownership": "own"`)
	// The same, run again: the same bytes.
	if again := outputs(t, run(base, renamed, "nu", "förslag")); again["JSON"] != out["JSON"] {
		t.Error("a second run gives other bytes")
	}
	// Sides swapped: the name is the new base's.
	c = run(renamed, base, "förslag", "nu")
	if p := c.Providers[1]; p.Name != "Omsorg Nord AB" || p.ProposedName != "Privat AB" {
		t.Errorf("swapped: name %q, proposed %q", p.Name, p.ProposedName)
	}
	// A provider of one side only takes that side's name, and differs in
	// nothing: k2 moves from priv to "ny" in the proposal.
	moved := compareData()
	moved.Providers = append(moved.Providers, models.Provider{ID: "ny", Name: "Ny AB", Ownership: models.Private})
	moved.Decisions[1].Provider, moved.Visits[1].Provider = "ny", "ny"
	c = run(base, moved, "nu", "förslag")
	var names []string
	for _, p := range c.Providers {
		names = append(names, p.Key+" "+p.Name+" "+p.ProposedName)
	}
	if d := cmp.Diff([]string{"egen Egen regi ", "ny Ny AB ", "priv Privat AB "}, names); d != "" || len(c.ProviderDifferences) != 0 {
		t.Errorf("moved (-want +got):\n%s; differences %+v", d, c.ProviderDifferences)
	}
}

// Errors of one side say which: base or proposed, by its name, and the
// month.
func TestSideError(t *testing.T) {
	b := mustBook(t, doc(granted))
	_, err := Run(t.Context(), Side{Name: "nu", Book: b, Data: compareData()}, Side{Name: "förslag", Data: compareData()}, []calendar.Period{april2024}, Options{})
	var se *SideError
	if !errors.As(err, &se) || se.Side != "proposed" || se.Name != "förslag" || se.Period != "" {
		t.Errorf("no book: %v", err)
	}
	if err == nil || err.Error() != `compare: proposed side "förslag": no book or no data` {
		t.Errorf("no book: %v", err)
	}
	// A fee schedule on one side only: every fee would seem to go
	// (found by attack: -base-fees alone showed every fee falling to 0).
	fees, err := fee.Read(strings.NewReader(`{"name": "timtaxa", "hourly_fee": "300"}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(t.Context(), Side{Name: "nu", Book: b, Data: compareData(), Fees: fees}, Side{Name: "förslag", Book: b, Data: compareData()}, []calendar.Period{april2024}, Options{})
	if !errors.As(err, &se) || se.Side != "proposed" || !strings.Contains(err.Error(), `compare: proposed side "förslag": no fee schedule, where nu has one`) {
		t.Errorf("fees on one side: %v", err)
	}
	// A customer listed twice in the base's data: its settlement fails.
	broken := compareData()
	broken.Customers = append(broken.Customers, broken.Customers[0])
	_, err = Run(t.Context(), Side{Name: "nu", Book: b, Data: broken}, Side{Name: "förslag", Book: b, Data: compareData()}, []calendar.Period{april2024}, Options{})
	if !errors.As(err, &se) || se.Side != "base" || se.Name != "nu" || se.Period != "2024-04" ||
		!strings.HasPrefix(err.Error(), `compare: base side "nu", 2024-04: `) {
		t.Errorf("a customer twice in the base's data: %v", err)
	}
}

// Every reason, kind of line, category and ownership has a Swedish
// term, and the labels of lines are Swedish.
func TestSwedishLabels(t *testing.T) {
	for r := reimbursement.ReasonUnknown; r <= reimbursement.PaidTwice; r++ {
		if got := r.Swedish(); got == r.String() || got == "" {
			t.Errorf("reason %s has no Swedish wording", r)
		}
	}
	for r, want := range map[reimbursement.Reason]string{reimbursement.NoTariff: "ingen taxa i kraft", reimbursement.UnknownZone: "okänd zon",
		reimbursement.RateError: "fel vid beräkning av taxan", reimbursement.NotApproved: "ej attesterat", reimbursement.Reason(200): "reason(200)"} {
		if got := r.Swedish(); got != want {
			t.Errorf("%s.Swedish() = %q, want %q", r, got, want)
		}
	}
	for k := reimbursement.KindAbsence; k <= reimbursement.KindShare; k++ {
		if got := k.Swedish(); got == "" || got == k.String() {
			t.Errorf("kind %s has no Swedish term", k)
		}
	}
	for _, c := range models.Categories() {
		if c.Swedish() == "" {
			t.Errorf("category %s has no Swedish term", c)
		}
	}
	for o, want := range map[models.Ownership]string{models.OwnOperation: "egen regi", models.Private: "privat regi", models.OwnershipUnknown: "okänd regi"} {
		if got := o.Swedish(); got != want {
			t.Errorf("%s.Swedish() = %q, want %q", o, got, want)
		}
	}
	// The line's version is named: in a month a version splits, two
	// lines of one component and rate are told apart by it (found by a
	// trial).
	l := reimbursement.Line{Period: "2024-04", Provider: "egen", Version: "Taxa 2024b", Component: "natt", Kind: reimbursement.KindDeclined, Category: models.Care,
		Amount: reimbursement.AmountOf(dec("125.00"))}
	if got, want := LineText(&l), "2024-04  egen  natt avböjt besök omsorg (Taxa 2024b): 125.00"; got != want {
		t.Errorf("LineText = %q, want %q", got, want)
	}
	// With its arithmetic, as Settle makes it: 1 visit × 250 × 0.5 = 125.
	l.Quantity, l.Unit, l.Rate, l.RateUnit, l.Divisor = reimbursement.AmountOf(dec("1")), reimbursement.Visits, reimbursement.AmountOf(dec("250")), "kr/besök", 1
	l.Factor = &reimbursement.Amount{Decimal: dec("0.5")}
	if got, want := LineText(&l), "2024-04  egen  natt avböjt besök omsorg (Taxa 2024b): 1 besök × 250 kr/besök × 0.5 = 125.00"; got != want {
		t.Errorf("LineText = %q, want %q", got, want)
	}
}

// Found by attack: the change beside a verdict, rounded to four
// decimals, could equal the limit it breaks. On a budget of 1 000 000.00
// kr a rise of 10 300.40 kr is 1 030 040 ÷ 1 000 000 = 1.03004 %, over
// 1.03 % (it read "+1.0300 %"); a fall of 19 999.60 kr is −1.99996 %,
// short of a fall of 2 % (it read "-2.0000 %"). A change equal to its
// limit is shown at four decimals.
func TestBudgetChangeToldFromItsLimit(t *testing.T) {
	for _, tc := range []struct{ base, diff, limit, want string }{
		{"1000000.00", "10300.40", "1.03", "en ökning med högst 1.03 % – över gränsen (förändringen +1.03004 %)"},
		{"1000000.00", "-19999.60", "-2", "en minskning med minst 2 % – över gränsen (förändringen -1.99996 %)"},
		{"1000000.00", "10300.00", "1.03", "en ökning med högst 1.03 % – inom gränsen (förändringen +1.0300 %)"},
		// Found by a second attack: rounded to four decimals, the change
		// fell on the other side of the limit. 1 030 045 ÷ 1 000 000 =
		// 1.030045 % is over 1.03004 % (it read +1.0300; now +1.03005); 1.030055 % is
		// within 1.03006 % (it read +1.0301); −1.999955 % is short of a
		// fall of 1.99996 % (it read −2.0000).
		{"1000000.00", "10300.45", "1.03004", "en ökning med högst 1.03004 % – över gränsen (förändringen +1.03005 %)"},
		{"1000000.00", "10300.55", "1.03006", "en ökning med högst 1.03006 % – inom gränsen (förändringen +1.030055 %)"},
		{"1000000.00", "-19999.55", "-1.99996", "en minskning med minst 1.99996 % – över gränsen (förändringen -1.999955 %)"},
	} {
		r := &Report{}
		r.Total.Base = reimbursement.AmountOf(dec(tc.base))
		r.Total.Difference = reimbursement.AmountOf(dec(tc.diff))
		if got := r.Judge(Budget{Amount: dec(tc.limit), Percent: true}).String(); !strings.HasSuffix(got, tc.want) {
			t.Errorf("%s on %s: %q, want it to end %q", tc.diff, tc.base, got, tc.want)
		}
	}
}
