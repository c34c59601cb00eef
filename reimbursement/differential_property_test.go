package reimbursement_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
	"github.com/hemtjanst/ersattning/reimbursement/tarifftest"
)

// The differential property draws a tariff (one version or two in the
// month, each with a schedule of its own: bands across midnight, eves
// and days before a holiday, time rounding with band minimums, rounding
// per unit or per line at 0–4 decimals) whose components read the
// visit's fields in unusual combinations (minutes in a when, the task in
// the rate only, staff, zone, planned minutes, the bands of the whole
// visit, rates of many decimals divided; caps of granted time and of
// what an earlier component paid), and a dataset with staff of
// up to three, several tasks a visit, planned minutes, visits across
// midnight, band boundaries and the clock changes, and settles it
// several ways that must agree to the byte: explained and not (less the
// explanations), with and without the visit environment cache
// (Options.noVisitSlots), the records in another order on two workers,
// the customers settled in parts drawn and merged, and streamed
// (SettleCustomers). The explained settlement adds up (CheckSums) and,
// where no component stacks (the ledger judges a visit whole, and a
// supplement may pay the part another leaves), accounts for every unit
// (tarifftest.CheckLedger). A drawn component the load refuses as
// paying what another does is made to stack; a tariff refused otherwise
// is skipped (a few in a hundred). It found a per_visit component with
// band end or longest matching a visit by another's match (see
// TestPerVisitBandChoiceDayKindOfAlikeVisits). Run it longer with
// -rapid.checks (15 000 take some five minutes).
func TestPropertyDifferential(t *testing.T) {
	loaded, refused := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		p := drawAttackPeriod(t)
		b, srcs, ok := drawAttackBook(t, p)
		if !ok {
			refused++
			t.Skip("tariff refused")
		}
		loaded++
		// Now and then a customer of many visits, more environments
		// than the visit slots hold.
		visits := rapid.SampledFrom([]int{10, 10, 10, 90}).Draw(t, "visits")
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 3, MaxProviders: 2, MaxVisits: visits}).Draw(t, "dataset")
		enrichAttack(t, ds, p)
		if err := ds.Validate(); err != nil {
			t.Fatalf("enriched dataset: %v", err)
		}
		if err := checkDifferential(t, b, ds, p); err != "" {
			if f := *differentialDump; f != "" {
				j, err := json.Marshal(ds)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, j, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f+".tariffs", []byte(strings.Join(srcs, "\n")), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Fatalf("%s\ntariffs:\n%s", err, strings.Join(srcs, "\n"))
		}
	})
	t.Logf("%d tariffs loaded, %d refused", loaded, refused)
}

// withClockReadings returns a copy of ds whose visits' times carry
// monotonic clock readings, as times from time.Now do: a settlement
// subtracts such times by Time.Sub rather than by their wall clocks (see
// visitDuration), and must come out the same.
func withClockReadings(ds *models.Dataset) *models.Dataset {
	c := *ds
	c.Visits = slices.Clone(ds.Visits)
	base := time.Now()
	for i := range c.Visits {
		v := &c.Visits[i]
		v.Start, v.End = base.Add(v.Start.Sub(base)), base.Add(v.End.Sub(base))
	}
	return &c
}

// checkDifferential settles ds under b in the ways that must agree and
// returns what differs, "" when nothing does.
func checkDifferential(t *rapid.T, b *reimbursement.Book, ds *models.Dataset, p calendar.Period) string {
	ctx := context.Background()
	run := func(ds *models.Dataset, o reimbursement.Options) *reimbursement.Settlement {
		s, err := reimbursement.Settle(ctx, b, ds, p, o)
		if err != nil {
			t.Fatalf("Settle: %v", err)
		}
		return s
	}
	explained := run(ds, reimbursement.Options{Workers: 1})
	want := jsonText(t, explained)
	if err := explained.CheckSums(); err != nil {
		return err.Error()
	}
	// The ledger judges a visit whole: a supplement ("stacks") paying
	// the part of a visit another component leaves is beyond it.
	stacks := false
	for _, v := range b.Versions() {
		for _, c := range v.Components() {
			stacks = stacks || c.Stacks()
		}
	}
	if err := tarifftest.CheckLedger(explained, ds, b, p); err != nil && !stacks {
		var buf bytes.Buffer
		if err := explained.WriteText(&buf, reimbursement.TextOptions{}); err != nil {
			t.Fatal(err)
		}
		return "ledger: " + err.Error() + "\n" + buf.String()
	}
	if d := cmp.Diff(want, jsonText(t, run(ds, reimbursement.WithoutVisitSlots(reimbursement.Options{Workers: 1})))); d != "" {
		return "explained, without the visit slots (-with +without):\n" + d
	}
	if d := cmp.Diff(want, jsonText(t, run(tarifftest.Shuffled(t, ds), reimbursement.Options{Workers: 2}))); d != "" {
		return "explained, records shuffled (-given order +shuffled):\n" + d
	}
	if d := cmp.Diff(want, jsonText(t, run(withClockReadings(ds), reimbursement.Options{Workers: 1}))); d != "" {
		return "explained, visit times with clock readings (-without +with):\n" + d
	}
	bare := *explained
	bare.Lines = slices.Clone(explained.Lines)
	for i := range bare.Lines {
		bare.Lines[i].Explanation = nil
	}
	wantBulk := jsonText(t, &bare)
	bulk := run(ds, reimbursement.Options{NoExplain: true, Workers: 1})
	if d := cmp.Diff(wantBulk, jsonText(t, bulk)); d != "" {
		return "bulk (-explained less explanations +bulk):\n" + d
	}
	if d := cmp.Diff(wantBulk, jsonText(t, run(ds, reimbursement.WithoutVisitSlots(reimbursement.Options{NoExplain: true, Workers: 1})))); d != "" {
		return "bulk, without the visit slots (-with +without):\n" + d
	}
	if d := cmp.Diff(wantBulk, jsonText(t, run(tarifftest.Shuffled(t, ds), reimbursement.Options{NoExplain: true, Workers: 2}))); d != "" {
		return "bulk, records shuffled (-given order +shuffled):\n" + d
	}
	// Each customer alone, in a partition drawn, merged.
	var parts []*reimbursement.Settlement
	shards := rapid.IntRange(1, len(ds.Customers)).Draw(t, "shards")
	groups := make([][]*models.Dataset, shards)
	for c, err := range ds.ByCustomer() {
		if err != nil {
			t.Fatal(err)
		}
		i := rapid.IntRange(0, shards-1).Draw(t, "shard")
		groups[i] = append(groups[i], c)
	}
	for _, g := range groups {
		part := &models.Dataset{Tasks: ds.Tasks, Providers: ds.Providers}
		for _, c := range g {
			part.Customers = append(part.Customers, c.Customers...)
			part.Decisions = append(part.Decisions, c.Decisions...)
			part.Visits = append(part.Visits, c.Visits...)
			part.Listings = append(part.Listings, c.Listings...)
			part.Absences = append(part.Absences, c.Absences...)
			part.AlarmEvents = append(part.AlarmEvents, c.AlarmEvents...)
		}
		if len(part.Customers) > 0 {
			parts = append(parts, run(part, reimbursement.Options{Workers: 1}))
		}
	}
	merged, err := reimbursement.Merge(parts...)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if d := cmp.Diff(want, jsonText(t, merged)); d != "" {
		return "customers settled in parts, merged (-whole +merged):\n" + d
	}
	var sunk []*reimbursement.Settlement
	if _, err := reimbursement.SettleCustomers(ctx, b, ds, ds.ByCustomer(), p, reimbursement.Options{NoExplain: true, Workers: 2},
		func(s *reimbursement.Settlement) error { sunk = append(sunk, s); return nil }); err != nil {
		t.Fatalf("SettleCustomers: %v", err)
	}
	streamed, err := reimbursement.Merge(sunk...)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if d := cmp.Diff(wantBulk, jsonText(t, streamed)); d != "" {
		return "streamed, merged (-whole +streamed):\n" + d
	}
	return ""
}

func jsonText(t *rapid.T, s *reimbursement.Settlement) string {
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// drawAttackPeriod draws a month of 2024 with clock changes (March,
// October), holidays and eves (April: Easter Monday; June: midsummer;
// December: Christmas), or none of them (February).
func drawAttackPeriod(t *rapid.T) calendar.Period {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	m := rapid.SampledFrom([]time.Month{time.March, time.October, time.April, time.June, time.December, time.February}).Draw(t, "month")
	p, _ := calendar.Month(2024, m, loc)
	return p
}

// drawAttackBook draws one tariff version, or two whose second begins
// within p, and reports whether the book loaded.
func drawAttackBook(t *rapid.T, p calendar.Period) (*reimbursement.Book, []string, bool) {
	var srcs []string
	if rapid.IntRange(0, 2).Draw(t, "two versions") == 2 {
		day := rapid.IntRange(2, p.Days()).Draw(t, "second version from")
		from := calendar.Date{Year: p.Year, Month: p.Month, Day: day}
		srcs = append(srcs, drawTariff(t, "A", "2024-01-01", from.AddDays(-1).String()), drawTariff(t, "B", from.String(), ""))
	} else {
		srcs = append(srcs, drawTariff(t, "A", "2024-01-01", ""))
	}
	var vs []*reimbursement.Version
	for i, src := range srcs {
		v, err := reimbursement.ParseVersion(strings.NewReader(src), fmt.Sprintf("v%d.json", i+1))
		// Two components that may pay one unit: the second stacks.
		for try := 0; err != nil && try < 4; try++ {
			m := samePays.FindStringSubmatch(err.Error())
			if m == nil {
				break
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(src), &doc); err != nil {
				t.Fatal(err)
			}
			k, _ := strconv.Atoi(m[1])
			doc["components"].([]any)[k].(map[string]any)["stacks"] = true
			b, merr := json.Marshal(doc)
			if merr != nil {
				t.Fatal(merr)
			}
			src = string(b)
			srcs[i] = src
			v, err = reimbursement.ParseVersion(strings.NewReader(src), fmt.Sprintf("v%d.json", i+1))
		}
		if err != nil {
			if *attackVerbose {
				fmt.Fprintf(os.Stderr, "refused: %v\n", err)
			}
			return nil, srcs, false
		}
		vs = append(vs, v)
	}
	b, err := reimbursement.NewBook(vs...)
	if err != nil {
		if *attackVerbose {
			fmt.Fprintf(os.Stderr, "book refused: %v\n", err)
		}
		return nil, srcs, false
	}
	return b, srcs, true
}

// samePays finds the component a load refuses as paying what another
// does, or minutes of visits another may pay.
var samePays = regexp.MustCompile(`components\[(\d+)\]\.when \([^)]*\): (?:pays the same|pays minutes of the same|may pay minutes of the same)`)

// The differential property's flags: -differential.verbose writes why
// each tariff drawn that does not load was refused, and
// -differential.dump=FILE the dataset of a failing case as JSON to FILE
// (models.ReadDataset reads it) and its tariff documents, one a line, to
// FILE.tariffs.
var (
	attackVerbose    = flag.Bool("differential.verbose", false, "write why the tariffs TestPropertyDifferential draws that do not load were refused")
	differentialDump = flag.String("differential.dump", "", "write a failing case's dataset of TestPropertyDifferential to this file, its tariffs to the file .tariffs")
)

// visitWhens are conditions on a visit (or a segment of one) a
// component may be given, alone or two joined.
var visitWhens = []string{
	"true",
	"category == 'care'",
	"category in ['care', 'service']",
	"category != 'alarm'",
	"band == 'natt'",
	"band != 'dag'",
	"day_kind == 'holiday'",
	"day_kind in ['saturday', 'sunday']",
	"minutes > 30",
	"minutes >= 15 && minutes < 60",
	"staff >= 2",
	"staff == 3",
	"zone == 'tätort'",
	"planned_minutes > 0",
	"has_task(tasks, 'Dusch')",
	"task == 'Städ'",
	"role == 'nurse'",
	"licensed",
	"edited",
	"!declined",
	"double_staffing_ordered",
	"start_band == 'natt'",
	"has(bands, 'kväll')",
	"end_band == 'dag'",
	"longest_band == 'natt'",
}

// visitRates are rates of a component of visits.
var visitRates = []string{
	"448",
	"439.33",
	"1000 / 7",
	"448.123456 / 3",
	"table('band', band)",
	"task == 'Dusch' ? 510.5 : 480.25",
	"staff * 100.005",
	"minutes > 20 ? 400 : 500.5",
	"zone == 'tätort' ? 439 : 470.123",
	"day_kind == 'holiday' ? 600.001 : 450",
	"(edited ? 7 : 0) + 400",
	"100 + planned_minutes * 3.3",
	"table('band', band) * 1.0125",
	"487 / 60 * 61",
	"has_task(tasks, 'Inköp') ? 29.99 : 19.999",
	"start_band == 'natt' ? 700 : 450",
	"(licensed ? 13 : 0) + (double_staffing_ordered ? 11 : 0) + 420",
}

// drawTariff draws a tariff document named name, in force from from to
// to ("" for no end).
func drawTariff(t *rapid.T, name, from, to string) string {
	doc := map[string]any{
		"name": "Attack " + name, "valid_from": from, "source": "differential property", "currency": "SEK",
		"zones": []string{"tätort", "landsbygd"},
	}
	if to != "" {
		doc["valid_to"] = to
	}
	bands := []string{"dag", "kväll", "natt"}
	if rapid.Bool().Draw(t, name+" schedule") {
		var sched map[string]any
		sched, bands = drawSchedule(t, name, bands)
		doc["schedule"] = sched
	} else {
		bands = []string{"dag", "kväll", "natt", "helg"}
	}
	doc["rounding"] = map[string]any{
		"scale": rapid.IntRange(0, 4).Draw(t, name+" scale"),
		"mode":  rapid.SampledFrom([]string{"half_up", "half_even", "down"}).Draw(t, name+" mode"),
		"per":   rapid.SampledFrom([]string{"line", "unit"}).Draw(t, name+" per"),
	}
	tr := map[string]any{"mode": rapid.SampledFrom([]string{"nearest", "up", "down"}).Draw(t, name+" time mode")}
	if rapid.Bool().Draw(t, name+" minimum") {
		tr["minimum_minutes"] = map[string]int{rapid.SampledFrom(bands).Draw(t, name+" minimum band"): rapid.SampledFrom([]int{5, 15, 30}).Draw(t, name+" minimum minutes")}
	}
	doc["time_rounding"] = tr
	rates := map[string]string{"*": "450.00"}
	for _, b := range bands {
		rates[b] = rapid.SampledFrom([]string{"414.80", "430.05", "506.70", "475.25", "448.333"}).Draw(t, name+" rate "+b)
	}
	doc["tables"] = map[string]any{"band": map[string]any{"keys": []string{"band"}, "unit": "kr/h", "rates": rates}}
	var comps []map[string]any
	var names, kinds []string
	n := rapid.IntRange(1, 4).Draw(t, name+" components")
	for i := range n {
		label := fmt.Sprintf("%s c%d", name, i)
		cname := fmt.Sprintf("k%d", i)
		c := map[string]any{"name": cname}
		when := rapid.SampledFrom(visitWhens).Draw(t, label+" when")
		if rapid.IntRange(0, 2).Draw(t, label+" and") == 2 {
			when += " && " + rapid.SampledFrom(visitWhens).Draw(t, label+" when2")
		}
		c["when"] = when
		c["rate"] = rapid.SampledFrom(visitRates).Draw(t, label+" rate")
		params := map[string]any{}
		switch s := rapid.SampledFrom([]string{"performed_time", "performed_time", "per_visit", "standard_time", "planned_time"}).Draw(t, label+" strategy"); s {
		case "performed_time":
			c["strategy"] = s
			switch rapid.IntRange(0, 5).Draw(t, label+" cap") {
			case 4:
				params["cap"] = "granted"
			case 5:
				if i > 0 {
					// A cap on the minutes an earlier component paid.
					params["cap"] = "performed['k0'] * 0.5 + 10"
				}
			}
			params["require_decision"] = rapid.Bool().Draw(t, label+" require")
			if rapid.Bool().Draw(t, label+" declined") {
				params["declined_share"] = rapid.SampledFrom([]string{"0", "0.5", "0.75", "1"}).Draw(t, label+" share")
			}
		case "per_visit":
			c["strategy"] = s
			params["band"] = rapid.SampledFrom([]string{"start", "end", "longest"}).Draw(t, label+" band")
			params["require_decision"] = rapid.Bool().Draw(t, label+" require")
			if rapid.Bool().Draw(t, label+" declined") {
				params["declined_share"] = rapid.SampledFrom([]string{"0", "0.5", "1"}).Draw(t, label+" share")
			}
		case "standard_time":
			c["strategy"] = s
			params["minutes"] = rapid.SampledFrom([]string{"20", "task == 'Städ' ? 45 : 30", "minutes > 30 ? 40 : 25", "staff * 10"}).Draw(t, label+" minutes")
			params["require_decision"] = rapid.Bool().Draw(t, label+" require")
		case "planned_time":
			c["strategy"] = s
			params["share"] = rapid.SampledFrom([]string{"1", "0.5", "0.333"}).Draw(t, label+" share")
			params["require_decision"] = rapid.Bool().Draw(t, label+" require")
		}
		c["params"] = params
		// A component of whole visits that pays minutes and one of
		// their segments both pay a visit's minutes: where their whens
		// can both hold for a visit the load refuses them undeclared
		// (TestPerformedAndStandardTimeOverlapRefused), and the pair is
		// made to stack (drawAttackBook). Now and then the first takes
		// the visits from the other.
		wholeMinutes := c["strategy"] == "standard_time" || c["strategy"] == "planned_time"
		var clash []string
		for j, k := range kinds {
			if wholeMinutes && k == "performed_time" {
				clash = append(clash, names[j])
			}
		}
		switch r := rapid.IntRange(0, 3).Draw(t, label+" relation"); {
		case len(clash) > 0 && r == 0:
			c["instead_of"] = clash
		case i == 0:
		case r == 1 || r == 3:
			c["stacks"] = true
		case r == 2:
			c["instead_of"] = []string{rapid.SampledFrom(names).Draw(t, label+" instead of")}
		}
		comps = append(comps, c)
		names = append(names, cname)
		kinds = append(kinds, c["strategy"].(string))
	}
	// And the units of the other kinds, for the ledger.
	if rapid.Bool().Draw(t, name+" others") {
		comps = append(comps,
			map[string]any{"name": "service", "strategy": "granted_time", "when": "category == 'service'", "rate": "table('band', 'dag') / 3 * 2",
				"stacks": true},
			map[string]any{"name": "listning", "strategy": "per_listing", "rate": "1200.555"},
			map[string]any{"name": "larmsamtal", "strategy": "per_occurrence", "rate": "band == 'natt' ? 130.5 : 95.25"},
			map[string]any{"name": "larm", "strategy": "fixed_monthly", "when": "category == 'alarm'", "rate": "282 * 1.015"})
	}
	doc["components"] = comps
	if rapid.IntRange(0, 3).Draw(t, name+" adjustment") == 3 {
		doc["adjustments"] = []map[string]any{{"name": "moms", "kind": "surcharge", "components": []string{names[0]},
			"when": "ownership == 'private'", "percent": "1.5"}}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// drawSchedule draws a schedule's rules: each kind of day cut at up to
// four minutes into the bands, the last piece wrapping past midnight to
// the first cut, with eves and days before a holiday sometimes their
// own kinds.
func drawSchedule(t *rapid.T, name string, bands []string) (map[string]any, []string) {
	kinds := []string{"weekday", "saturday", "sunday", "holiday"}
	eves := rapid.Bool().Draw(t, name+" eves as holidays")
	if !eves && rapid.Bool().Draw(t, name+" eve") {
		kinds = append(kinds, "eve")
	}
	if rapid.Bool().Draw(t, name+" before holiday") {
		kinds = append(kinds, "before_holiday")
	}
	clock := func(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
	var rules []map[string]any
	for _, k := range kinds {
		cuts := rapid.SliceOfNDistinct(rapid.SampledFrom([]int{0, 60, 120, 150, 180, 360, 420, 1140, 1320, 1380, 1410}), 1, 4, rapid.ID[int]).Draw(t, name+" "+k+" cuts")
		slices.Sort(cuts)
		for i, from := range cuts {
			to := 1440
			switch {
			case i+1 < len(cuts):
				to = cuts[i+1]
			case len(cuts) > 1 && cuts[0] > 0:
				to = cuts[0]
			case cuts[0] > 0:
				rules = append(rules, map[string]any{"band": "natt", "days": []string{k}, "from": "00:00", "to": clock(from)})
			}
			rules = append(rules, map[string]any{"band": rapid.SampledFrom(bands).Draw(t, name+" band"), "days": []string{k},
				"from": clock(from), "to": clock(to)})
		}
	}
	var used []string
	for _, r := range rules {
		if b := r["band"].(string); !slices.Contains(used, b) {
			used = append(used, b)
		}
	}
	return map[string]any{"rules": rules, "eves_as_holidays": eves}, used
}

// enrichAttack draws into ds what the generator leaves out: staff of
// up to three, several tasks a visit, planned minutes and starts,
// edited visits, and visits moved to where the month's days are hard
// to cut: across midnight, on a band boundary, into the hours the clocks
// change, over the month's first or last midnight, hours long.
func enrichAttack(t *rapid.T, ds *models.Dataset, p calendar.Period) {
	var codes []string
	for _, task := range ds.Tasks {
		codes = append(codes, task.Local)
	}
	// The clock changes of 2024 in Europe/Stockholm: 31 March 02:00 →
	// 03:00, 27 October 03:00 → 02:00.
	loc := p.Location
	changes := []time.Time{time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), time.Date(2024, 10, 27, 1, 0, 0, 0, time.UTC)}
	for i := range ds.Visits {
		v := &ds.Visits[i]
		id := v.ID
		v.Staff = rapid.SampledFrom([]int{0, 0, 1, 2, 3}).Draw(t, id+" staff")
		if rapid.IntRange(0, 3).Draw(t, id+" more tasks") == 3 {
			v.Tasks = append(slices.Clone(v.Tasks), rapid.SampledFrom(codes).Draw(t, id+" task2"))
		}
		v.PlannedMinutes = rapid.SampledFrom([]int{0, 10, 30, 45}).Draw(t, id+" planned")
		v.Edited = rapid.IntRange(0, 3).Draw(t, id+" edited") == 3
		d := v.End.Sub(v.Start)
		switch rapid.IntRange(0, 9).Draw(t, id+" moved") {
		case 6: // across midnight
			day := rapid.IntRange(0, p.Days()).Draw(t, id+" midnight")
			at := p.FirstDay().AddDays(day).In(loc)
			v.Start = at.Add(-time.Duration(rapid.IntRange(1, 120).Draw(t, id+" before")) * time.Minute)
			d = time.Duration(rapid.IntRange(2, 240).Draw(t, id+" length")) * time.Minute
		case 7: // on a band boundary
			day := rapid.IntRange(1, p.Days()).Draw(t, id+" boundary day")
			at := rapid.SampledFrom([]int{60, 120, 150, 180, 360, 420, 1140, 1320, 1380, 1410}).Draw(t, id+" boundary")
			v.Start = time.Date(p.Year, p.Month, day, at/60, at%60, 0, 0, loc).Add(time.Duration(rapid.IntRange(-20, 20).Draw(t, id+" off")) * time.Minute)
		case 8: // the clock change
			v.Start = changes[rapid.IntRange(0, 1).Draw(t, id+" change")].Add(time.Duration(rapid.IntRange(-150, 150).Draw(t, id+" from change")) * time.Minute)
			d = time.Duration(rapid.IntRange(1, 300).Draw(t, id+" change length")) * time.Minute
		case 9: // hours long
			d = time.Duration(rapid.IntRange(60, 900).Draw(t, id+" hours")) * time.Minute
		}
		v.Start = v.Start.In(loc)
		v.End = v.Start.Add(d + time.Duration(rapid.IntRange(0, 59).Draw(t, id+" seconds"))*time.Second)
		if rapid.IntRange(0, 4).Draw(t, id+" planned start") == 4 {
			ps := v.Start.Add(time.Duration(rapid.IntRange(-30, 30).Draw(t, id+" planned off")) * time.Minute)
			v.PlannedStart = &ps
		}
	}
}

// A supplement pays on top of the others, as it would alone: under a
// tariff drawn as TestPropertyDifferential draws them, every component
// after the first made to stack (no instead_of, no adjustment), the
// lines are those of each component settled alone. The
// components of a case price the same units, its segments and visits,
// where they lie (a component's matched units are pointers to the
// case's own): one that left a rate, a factor or a band in a unit would
// move another's line.
func TestPropertySupplementsPayAsAlone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawAttackPeriod(t)
		src := drawTariff(t, "A", "2024-01-01", "")
		var doc map[string]any
		if err := json.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		delete(doc, "adjustments")
		comps := doc["components"].([]any)
		for i, c := range comps {
			c := c.(map[string]any)
			delete(c, "instead_of")
			delete(c, "stacks")
			if i > 0 {
				c["stacks"] = true
			}
		}
		book := func(comps []any) *reimbursement.Book {
			doc["components"] = comps
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			v, err := reimbursement.ParseVersion(bytes.NewReader(b), "v1.json")
			if err != nil {
				t.Skip("tariff refused")
			}
			bk, err := reimbursement.NewBook(v)
			if err != nil {
				t.Fatal(err)
			}
			return bk
		}
		all := book(comps)
		whole := map[string]bool{} // components of whole visits by the count
		for _, c := range all.Versions()[0].Components() {
			if c.Strategy() == "per_visit" {
				whole[c.Name()] = true
			}
		}
		var alone []*reimbursement.Book
		for _, c := range comps {
			c := c.(map[string]any)
			one := map[string]any{}
			for k, v := range c {
				if k != "stacks" {
					one[k] = v
				}
			}
			alone = append(alone, book([]any{one}))
		}
		ds := tarifftest.Dataset(tarifftest.Config{Period: p, MaxCustomers: 2, MaxProviders: 2, MaxVisits: 12}).Draw(t, "dataset")
		enrichAttack(t, ds, p)
		if err := ds.Validate(); err != nil {
			t.Fatalf("enriched dataset: %v", err)
		}
		lines := func(b *reimbursement.Book) []string {
			s, err := reimbursement.Settle(context.Background(), b, ds, p, reimbursement.Options{Workers: 1})
			if err != nil {
				t.Fatalf("Settle: %v", err)
			}
			var out []string
			for _, l := range s.Lines {
				// The explanation shows the inputs the month's
				// components read, the others' too.
				l.Version, l.Explanation = "", nil
				if whole[l.Component] {
					// A line of visits by the count names the minutes
					// of a visit no component of segments pays (its
					// night part); one of standard or planned time
					// names the visit's own, together or alone (see
					// TestHandWorkedStackedStandardTimeNamesVisitMinutes).
					l.Units = slices.Clone(l.Units)
					for i := range l.Units {
						l.Units[i].Minutes = 0
					}
				}
				j, err := json.Marshal(l)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, string(j))
			}
			return out
		}
		want := []string{}
		for _, b := range alone {
			want = append(want, lines(b)...)
		}
		got := append([]string{}, lines(all)...)
		slices.Sort(want)
		slices.Sort(got)
		if d := cmp.Diff(want, got); d != "" {
			var only []string
			for _, w := range want {
				if !slices.Contains(got, w) {
					only = append(only, "alone:    "+w)
				}
			}
			for _, g := range got {
				if !slices.Contains(want, g) {
					only = append(only, "together: "+g)
				}
			}
			t.Fatalf("(-each alone +together):\n%s\n%s\ntariff: %s", d, strings.Join(only, "\n"), src)
		}
	})
}
