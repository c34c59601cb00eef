// Package reimbursement computes what a municipality pays its home-care
// providers (ersättning till utförare) under a tariff: versioned tariff
// documents, an expression rule layer, built-in strategies composed by the
// tariff's expressions, and settlements that explain every amount.
//
// The API is small on purpose. A caller loads tariff versions
// (ParseVersion, LoadVersion, LoadBook), groups them in a Book, and calls
// Settle with a context, a models.Dataset and a calendar.Period. What
// comes back is a Settlement: Lines, totals, KeyFigures and NotPaid, all
// plain data with typed fields (Amount, LineKind, Unit, Reason,
// RecordKind, models.Category, models.Ownership) that marshal to stable
// JSON and read back to the same values. Everything else — the documents
// as written, the compiled expressions, the strategies and the units they
// count — is unexported.
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
//	    "when": "category in ['service', 'care']",
//	    "rate": "table('timpris')",
//	    "params": {"cap": "granted"}
//	  }],
//	  "adjustments": [{"name": "moms", "kind": "surcharge", "components": ["utförd tid"],
//	    "when": "ownership == 'private'", "percent": "1.5"}]
//	}
//
// Strings inside expressions may be written with single quotes, 'care',
// so that a tariff file needs no \" escapes. Tables nest one JSON object
// per key ("category", "zone", "band", "ownership", "role", "level" or any
// name) and hold decimal rates; "*" matches any key. Loading checks
// everything it can know and returns every problem at once as *TariffError
// values naming the file, line, path and component, with the line:column
// inside a failing expression (at most 100 per file; ParseVersion,
// LoadVersion and LoadBook, or a Loader with its own Limits):
//
//   - the cost of loading is bounded by Limits, each checked before the
//     work it bounds: document size, JSON nesting, expression length and
//     bracket nesting (before the expression is parsed), literal length and
//     digits, table entries, zones, components, the combinations a check
//     may enumerate and the evaluations of the whole probe; a refusal wraps
//     ErrLimit. Parsing is linear in the size of
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
// overlaps; a day is priced by the version in force on it. Version and Component are read-only views of a
// compiled version, safe to share between goroutines.
//
// # Expressions
//
// Each component chooses its units with a when expression and prices them
// with a rate expression, in the expr language, compiled once per version
// against the environment of the kind of unit its strategy counts.
// Arithmetic is decimal: number literals are decimals and the operators
// are overloaded, so table('omsorg', category, zone) * 1.015 is exact,
// inside round, min and max too; no float64 may appear. An expression may
// use decimal literals, strings, booleans and arrays of them, + − × ÷,
// comparisons, and, or, not, in, contains, startsWith, endsWith, ?? and
// a ? b : c, the functions table, min, max and round, has_task, the string
// builtins lower, upper, trim, hasPrefix and hasSuffix, and
// performed['name'] in a cap; nothing else (no map, filter, reduce,
// ranges, closures, variables or method calls), so that evaluating an
// expression costs at most a constant times its length; it has at most
// MaxExprNodes nodes. It sees only the names below, nothing of the
// evaluation and nothing that depends on Options: a tariff can be wrong,
// never dangerous.
//
//	every unit   customer, provider, ownership ("own", "private"), zone, period ("2024-04")
//	item         category, task, ksi, per ("day", "week", "month", ""), double_staffing,
//	             decision, level (strategy level only)
//	segment,     category, task, tasks ("Dusch|Tillsyn"; has_task(tasks, 'Dusch')), role,
//	visit        licensed, staff, declined, edited, band, day_kind, double_staffing_ordered
//	listing      kind ("home_health_care", "rehabilitation")
//	event        kind, band, day_kind
//	cap          category, granted (minutes), performed["component"] (minutes paid so far)
//
// # Strategies
//
// A component's strategy counts the units its when matched. The built-in
// strategies, with their parameters (in the component's "params"):
//
//	granted_time       granted minutes, prorated by days from the start of execution, less
//	                   pauses (item units).
//	                   absence_ladder   [{"days": 1, "share": "1"}, ...]: paused days paid at
//	                                    falling shares, in order; default none
//	                   absence_reasons  the absence reasons the ladder applies to; default all
//	performed_time     performed minutes by band after the tariff's time rounding (segments).
//	                   cap              an expression in the cap environment: the most minutes
//	                                    paid per customer, provider and category, applied in
//	                                    chronological order ("granted", "performed['sol'] * 0.17");
//	                                    default none
//	                   require_decision pay only visits a decision covers; default true
//	                   declined_share   the share of a declined visit's minutes paid; default 0
//	minimum_execution  granted time in full when performed ÷ granted reaches threshold (items).
//	                   threshold        required: the least performed share, e.g. 0.80
//	                   below            required: what is paid below it: "performed" (performed
//	                                    time), "deduction" (granted time × (1 − deduction)) or
//	                                    "share" (granted time × the performed share)
//	                   deduction        required with below "deduction": the share deducted
//	per_visit          an amount per visit, in the band of its start (visits).
//	                   require_decision as performed_time; default false
//	                   declined_share   as performed_time
//	per_listing        an amount per enrolled journal per month, prorated by days (listings)
//	fixed_monthly      an amount per customer per month (alarm), prorated by days (items)
//	per_occurrence     an amount per event (alarm call, meal delivery)
//	level              a monthly amount by the band of granted hours (nivåbeslut).
//	                   levels           required: [{"name": "1", "from_hours": "0"}, ...]
//	per_activity       a price per granted activity (KSI price lists), prorated by days
//
// Strategies are Go code inside this package, not a plug-in interface: a
// strategy takes part in the ledger (every unit paid once or reported not
// paid), in the load-time checks of its parameters and in the
// explanations, and those promises are only as good as the code that
// keeps them. A tariff composes the built-in strategies with expressions;
// a new way of paying is a new strategy here, with its tests.
//
// # Settlement: the path of a visit
//
// Settle validates the dataset and indexes it: one case per customer and
// provider, each with its decisions, visits, listings and events, and the
// version in force on each day of the month (settle.go). A worker takes a
// case and builds its units (units.go): each visit is rounded to whole
// minutes by the version's time rounding and cut into segments at band
// boundaries and midnight (calendar.Split), granted items become item-days
// less pauses. Each component of the version matches units with its when
// expression and hands them to its strategy (lines.go, strategies*.go),
// which counts quantities — minutes, visits, days, events — and emits them
// with their rate. Equal quantities of a customer are added up as integers
// into one line, multiplied once and rounded once by the tariff's rule
// (Rounding.Quotient rounds the exact quotient); totals are sums of lines
// (lines.go assemble). What is not paid is reported with its Reason. The
// output does not depend on the order of the input records, nor on the
// number of workers.
//
// A worked case, from ExampleSettle: Huddinge 2021 pays performed time
// capped by the decision at 501 kr/h. A customer granted 60 minutes in
// March 2021 receives visits of 45 and 30 minutes. The cap cuts the last
// 15 minutes of the month, so the line is 60 min × 501.00 kr/h ÷ 60 =
// 501.00 kr, the second visit is reported as above_cap for 15 minutes,
// and the performed share is 75 ÷ 60 = 1.2500.
//
// Settlement.WriteJSON, WriteCSV (the invoice basis) and WriteText (a
// report) write the result; every line carries an Explanation unless
// Options.NoExplain is set. Settle and the comparison in package compare
// take a context.Context and stop soon after it is cancelled.
//
// # Optional values
//
// One idiom throughout: a field whose zero value is a meaningful value
// (a threshold of 0, a factor of 0) is a pointer, and nil means "not set"
// (Line.Factor nil is a factor of 1; KeyFigures.PerformedShare nil means
// no granted time). A field whose zero value means nothing takes a default
// at zero and says so (Options.Workers 0 is one worker per CPU; the zero
// Rounding rounds half up to whole kronor).
//
// # The packages around it
//
// Package fee computes customers' fees (avgifter) capped by the maxtaxa;
// package compare settles the same months under a current and a proposed
// tariff and reports the budget, the distribution of changes, the largest
// changes with both explanations and the fees under both; package
// tarifftest turns that comparison into property tests over generated
// populations. They import this package; it imports none of them.
package reimbursement
