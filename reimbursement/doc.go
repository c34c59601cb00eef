// Package reimbursement computes what a municipality pays its home-care
// providers (ersättning till utförare) under a tariff: versioned tariff
// documents, an expression rule layer, pluggable strategies and settlements
// that explain every amount.
//
// # Tariffs
//
// A tariff version is a JSON document written by the municipality. It
// names the decision it comes from, the zones it prices, its band schedule
// (calendar.DefaultRules unless it gives its own), its rounding rule, how a
// visit's time becomes minutes, lookup tables of rates and components:
//
//	{
//	  "name": "Huddinge 2021",
//	  "valid_from": "2021-01-01",
//	  "source": "VON 2021: 501 kr/h = 302 + 21 + 19 + 21 + 138",
//	  "currency": "SEK",
//	  "zones": ["Huddinge"],
//	  "rounding": {"scale": 2, "mode": "half_up"},
//	  "time_rounding": {"mode": "nearest", "minimum_minutes": {"natt": 15}},
//	  "tables": {"timpris": {"keys": [], "unit": "kr/h", "rates": "501.00"}},
//	  "components": [{
//	    "name": "utförd tid", "strategy": "performed_time",
//	    "when": "category in [\"service\", \"care\"]",
//	    "rate": "table(\"timpris\")",
//	    "params": {"cap": "granted"}
//	  }],
//	  "adjustments": [{"name": "moms", "kind": "surcharge", "components": ["utförd tid"],
//	    "when": "ownership == \"private\"", "percent": "1.5"}]
//	}
//
// Tables nest one JSON object per key ("category", "zone", "band",
// "ownership", "role", "level" or any name) and hold decimal rates; "*"
// matches any key. Loading (ParseVersion, LoadVersion, LoadBook) checks
// everything and returns every problem at once as *TariffError values
// naming the file, line, path and component, with the line:column inside a
// failing expression: unknown fields and strategies, expressions that do
// not parse or type-check, rates that are not decimals or are negative, and
// tables missing a key some combination of zone, ownership, category,
// band or role needs. A Book holds the versions of one municipality and
// rejects gaps and overlaps; a day is priced by the version in force on it.
//
// # Expressions
//
// Components choose their units with a when expression and price them
// with a rate expression, in the expr language, compiled once per version
// against a typed environment (ItemEnv, VisitEnv, ListingEnv, EventEnv,
// CapEnv). Arithmetic is decimal: number literals are decimals and the
// operators are overloaded, so table("omsorg", category, zone) * 1.015 is
// exact; no float64 may appear. Only table, min, max, round, has_task and
// a few string builtins are available, and an expression has at most
// MaxExprNodes nodes: a tariff can be wrong, never dangerous.
//
// # Strategies
//
// A Strategy counts the units a component matched. Built in:
//
//	granted_time       granted minutes, prorated by days from the start of execution, less pauses;
//	                   absence_ladder pays paused days at falling shares
//	performed_time     performed minutes by band after time rounding; cap (e.g. "granted", or
//	                   "performed[\"sol\"] * 0.17") applied in chronological order; declined_share
//	minimum_execution  granted time in full when performed ÷ granted reaches threshold; below it
//	                   performed time, a deduction, or granted × share
//	per_visit          an amount per visit, by zone and the band of its start
//	per_listing        an amount per enrolled journal per month, prorated by days
//	fixed_monthly      an amount per customer per month (alarm), prorated by days
//	per_occurrence     an amount per event (alarm call, meal delivery)
//	level              a monthly amount by the band of granted hours (nivåbeslut)
//	per_activity       a price per granted activity (KSI price lists), prorated by days
//
// Register adds a strategy of one's own.
//
// # Settlement
//
// Settle takes a Book, a models.Dataset and a calendar.Period. Quantities
// are added up as integers per line, multiplied once and rounded once by
// the tariff's rule (Rounding.Quotient rounds the exact quotient); totals
// are sums of lines. The output is the same whatever the order of the
// input records.
//
// The ledger: every unit of work is on a line or reported not paid. A
// line's Units name the records behind it (visits, decision items,
// listings, events) with the minutes or days it pays of each; Unpaid
// entries carry the minutes or days not paid with their Reason, including
// the minutes of a visit in hours no component pays (outside_paid_hours),
// of staff present beyond those paid for (extra_staff), absence days an
// absence ladder does not pay (absent) and visits of no time
// (zero_length). tarifftest.CheckLedger gives the rules. Options sets
// plausibility limits (MaxVisit, MaxGrantedPerDay, MaxStaff): a record
// beyond them is reported implausible before anything of it is counted,
// which also keeps every integer of the quantity path far from overflow.
// Visits that agree in everything but their id are listed in
// Settlement.PossibleDuplicates (see Duplicate).
//
// A worked case, from ExampleSettle: Huddinge 2021 pays performed time
// capped by the decision at 501 kr/h. A customer granted 60 minutes in
// March 2021 receives visits of 45 and 30 minutes. The cap cuts the last
// 15 minutes of the month, so the line is 60 min × 501.00 kr/h ÷ 60 =
// 501.00 kr, the second visit is reported as above_cap for 15 minutes,
// and the performed share is 75 ÷ 60 = 1.25.
//
// Settlement.WriteJSON, WriteCSV (the invoice basis) and WriteText (a
// report) write the result; every line carries an Explanation unless
// Options.NoExplain is set.
//
// # Comparing tariffs and customer fees
//
// Compare settles the same months under a current and a proposed tariff
// (Side: a book, the data and an optional FeeSchedule) and reports the
// budget, months, providers, components and customers, the distribution
// of gains and losses, the largest changes with both explanations, and
// each customer's fee under both, capped by Maxtaxa and the customer's
// headroom. Package tarifftest turns the same comparison into a property
// test over generated populations.
package reimbursement
