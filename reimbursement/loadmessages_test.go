package reimbursement

import (
	"strings"
	"testing"
)

// Load errors that tell a tariff author how to write what was meant
// (found by attack): each is the whole error of a tariff with that one
// problem.
func TestLoadMessages(t *testing.T) {
	monthly := func(minDays string) string {
		return doc(`{"name": "u", "strategy": "fixed_monthly", "rate": "500", "params": {"prorate": "min_days", "min_days": ` + minDays + `}}`)
	}
	level := func(from string) string {
		return doc(`{"name": "u", "strategy": "level", "rate": "100", "params": {"levels": [{"name": "1", "from_hours": "0"}, {"name": "2", "from_hours": "` + from + `"}]}}`)
	}
	moms := func(percent string) string {
		return doc(`{"name": "u", "strategy": "performed_time", "rate": "500"}`,
			`"adjustments": [{"name": "moms", "kind": "surcharge", "components": ["u"], "when": "ownership == 'private'", "percent": "`+percent+`"}]`)
	}
	execution := func(threshold string) string {
		return doc(`{"name": "u", "strategy": "minimum_execution", "rate": "500", "params": {"threshold": "` + threshold + `", "below": "performed"}}`)
	}
	for _, tt := range []struct{ name, src, want string }{
		{"min_days a JSON number", monthly(`10`),
			`reimbursement: test.json:16: components[0].params.min_days (u): want a whole number of days written as a string: "10", not 10`},
		{"min_days a word", monthly(`"fifteen"`),
			`reimbursement: test.json:16: components[0].params.min_days (u): "fifteen" is not a whole number of days: write it like "15" (1–31)`},
		{"min_days not whole", monthly(`"15.5"`),
			`reimbursement: test.json:16: components[0].params.min_days (u): 15.5 is not a whole number of days (1–31)`},
		{"min_days out of bounds", monthly(`"40"`),
			`reimbursement: test.json:16: components[0].params.min_days (u): 40 is outside 1–31`},
		{"percent with its sign", moms("6%"),
			`reimbursement: test.json:16: adjustments[0].percent (moms): "6%" is not a number: percent is a percentage 0–100 written without the sign; write 6 % as "6"`},
		{"percent with a comma", moms("1,5"),
			`reimbursement: test.json:16: adjustments[0].percent (moms): "1,5" is not a number: percent is a percentage 0–100 written without the sign; write 1.5 % as "1.5"`},
		{"percent a word", moms("sex"),
			`reimbursement: test.json:16: adjustments[0].percent (moms): "sex" is not a number: percent is a percentage 0–100 written without the sign, "6" for 6 % or "1.5" for 1.5 %`},
		{"from_hours with a comma", level("4,5"),
			`reimbursement: test.json:16: components[0].params.levels (u): levels[1] (level "2"): from_hours "4,5" is not a number of hours: decimals are written with a point, 4.5`},
		{"from_hours a word", level("fyra"),
			`reimbursement: test.json:16: components[0].params.levels (u): levels[1] (level "2"): from_hours "fyra" is not a number of hours`},
		// The rate reads level: a levels parameter in error is the one
		// problem, not also "reads level, which only the level strategy
		// sets (a level component sees level "")".
		{"from_hours with a comma, rate by level", strings.Replace(level("5,0"), `"rate": "100"`, `"rate": "level == '2' ? 3360 : 1120"`, 1),
			`reimbursement: test.json:16: components[0].params.levels (u): levels[1] (level "2"): from_hours "5,0" is not a number of hours: decimals are written with a point, 5.0`},
		{"first level not at 0, when by level", strings.Replace(strings.Replace(level("5"), `"from_hours": "0"`, `"from_hours": "1"`, 1), `"rate": "100"`, `"when": "level != '1'", "rate": "100"`, 1),
			`reimbursement: test.json:16: components[0].params.levels (u): the first level must start at from_hours 0`},
		// A table keyed by level names the levels of the tariff's level
		// components, as a table keyed by ownership names the two
		// ownerships: a row of a level none has is refused, with the
		// levels known (it was accepted and never read).
		{"table row of no level", strings.Replace(strings.Replace(level("5"), `"rate": "100"`, `"rate": "table('nivå', level)"`, 1),
			`"månad": {"keys": [], "rates": "1200"}`, `"månad": {"keys": [], "rates": "1200"}, "nivå": {"keys": ["level"], "rates": {"1": "1120", "2": "3360", "nivå 2": "1"}}`, 1),
			`reimbursement: test.json:14: tables.nivå.rates.nivå 2: unknown level "nivå 2" (the tariff knows 1, 2)`},
		{"from_hours negative", level("-1"),
			`reimbursement: test.json:16: components[0].params.levels (u): levels[1] (level "2"): from_hours -1 is negative`},
		{"threshold as a percentage", execution("80"),
			`reimbursement: test.json:16: components[0].params.threshold (u): 80 is outside 0–1: a share is written as a decimal, 0.80 for 80 %`},
		{"threshold as a percentage with decimals", execution("12.5"),
			`reimbursement: test.json:16: components[0].params.threshold (u): 12.5 is outside 0–1: a share is written as a decimal, 0.125 for 12.5 %`},
		{"threshold above 100", execution("150"),
			`reimbursement: test.json:16: components[0].params.threshold (u): 150 is outside 0–1`},
		{"day kind fredag", doc(`{"name": "u", "strategy": "performed_time", "rate": "500"}`,
			`"schedule": {"rules": [{"band": "dag", "days": ["all"], "from": "00:00", "to": "24:00"}, {"band": "x", "days": ["fredag"], "from": "19:00", "to": "22:00"}]}`),
			`reimbursement: test.json:16: schedule.rules[1].days: calendar: schedule: rule 1: days: unknown day kind "fredag": want all, weekday, saturday, sunday, holiday, eve or before_holiday (Monday to Friday are each a weekday: a schedule tells the kinds of day apart, not the days of the week)`},
		{"day kind typo", doc(`{"name": "u", "strategy": "performed_time", "rate": "500"}`,
			`"schedule": {"rules": [{"band": "dag", "days": ["weekdays", "saturday", "sunday", "holiday"], "from": "00:00", "to": "24:00"}]}`),
			`reimbursement: test.json:16: schedule.rules[0].days: calendar: schedule: rule 0: days: unknown day kind "weekdays": want all, weekday, saturday, sunday, holiday, eve or before_holiday`},
		{"table rate with a comma, one error", strings.Replace(doc(`{"name": "u", "strategy": "performed_time", "rate": "table('pris')"}`),
			`"månad": {"keys": [], "rates": "1200"}`, `"månad": {"keys": [], "rates": "1200"}, "pris": {"keys": [], "rates": "452,50"}`, 1),
			`reimbursement: test.json:14: tables.pris.rates: "452,50" is not a decimal: decimals are written with a point, 452.50`},
		{"absence ladder share as a percentage", doc(`{"name": "u", "strategy": "absence", "rate": "500", "params": {"ladder": [{"days": 1, "share": "100%"}]}}`),
			`reimbursement: test.json:16: components[0].params.ladder (u): step 0: share "100%" is not a decimal: a share is written as a decimal 0–1, "1.00" for 100 %`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseVersion(strings.NewReader(tt.src), "test.json")
			if err == nil {
				t.Fatal("loaded")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
}
