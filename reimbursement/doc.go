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
// matches any key. Loading (ParseVersion, LoadVersion, LoadBook, or a
// Loader with its own Limits) checks everything that can be known before a
// settlement and returns every problem at once (at most 100 per file) as
// *TariffError values naming the file, line, path and component, with the
// line:column inside a failing expression:
//
//   - the cost of loading is bounded by Limits, each checked before the
//     work it bounds: document size, JSON nesting, expression length and
//     bracket nesting (before the expression is parsed), literal length and
//     digits, table entries, zones, and the combinations a check may
//     enumerate; a refusal wraps ErrLimit. Parsing is linear in the size of
//     the document;
//   - JSON: unknown fields, a key written twice in one object, data after
//     the document, a truncated document, dates and clock times that do not
//     exist; a UTF-8 BOM is accepted;
//   - expressions: the allow-list and types (below); string literals
//     compared with a field or used as a table key must be values the
//     tariff knows (zones, bands, kinds of day, ownership, categories,
//     roles, listing kinds, levels, component names), and an error names
//     the nearest;
//   - tables: decimal rates (negative ones refused), every zone, band and
//     ownership priced;
//   - the probe evaluates every component over the units the tariff can
//     meet, enumerating only the attributes its expressions read: a
//     missing table key, a division by zero, a negative rate (unless the
//     component says "deduction": true), and a parameter outside its
//     bounds (a share outside 0–1, a cap outside the minutes it bounds) are
//     load errors;
//   - strategies check their parameters (bounds, choices, parameters one
//     branch needs; absence reasons read as models.ParseAbsenceReason reads
//     them);
//   - two components that can both pay one unit are refused unless one
//     says "stacks": true (it pays on top) or "instead_of": [...] (it
//     replaces the components named for the units it matches). Where a when
//     reads task codes the probe cannot decide; settlement checks those
//     pairs.
//
// A Book holds the versions of one municipality and rejects gaps and
// overlaps; a day is priced by the version in force on it.
//
// # Expressions
//
// Components choose their units with a when expression and price them
// with a rate expression, in the expr language, compiled once per version
// against a typed environment (ItemEnv, VisitEnv, ListingEnv, EventEnv,
// CapEnv). Arithmetic is decimal: number literals are decimals and the
// operators are overloaded, so table("omsorg", category, zone) * 1.015 is
// exact, inside round, min and max too; no float64 may appear. An
// expression sees only the documented fields of its environment (nothing
// of the evaluation, nothing that depends on Options). It may use decimal
// literals, strings, booleans and arrays of them, + − × ÷, comparisons,
// and, or, not, in, contains, startsWith, endsWith, ?? and a ? b : c, the
// functions table, min, max, round and has_task, the string builtins
// lower, upper, trim, hasPrefix and hasSuffix, and performed["name"] in a
// cap; nothing else (no map, filter, reduce, ranges, closures, variables
// or method calls), so that evaluating an expression costs at most a
// constant times its length. A tariff can be wrong, never dangerous.
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
// are sums of lines. Everything not paid is reported with its Reason. The
// output is the same whatever the order of the input records.
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
