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
// name) and hold decimal rates; "*" matches any key: a lookup takes a
// level's own key when a rate lies below it, and the wildcard otherwise
// (a table whose wildcards combine into more than 8 × MaxTableEntries
// entries to look up is refused). Loading checks
// everything it can know and returns every problem at once as *TariffError
// values naming the file, line, path and component, with the line:column
// inside a failing expression (at most 100 per file; ParseVersion,
// LoadVersion and LoadBook, or a Loader with its own Limits):
//
//   - the cost of loading is bounded by Limits, each checked before the
//     work it bounds: document size, JSON nesting, expression length and
//     bracket nesting (before the expression is parsed), literal length and
//     digits, the length of names, labels, zones, bands and the source,
//     table entries, zones, bands (MaxBands: distinct band names, the
//     default schedule's four too), components, adjustments,
//     absence ladder steps and levels (MaxSteps), the combinations a check
//     may enumerate and the evaluations of the whole probe; a refusal
//     wraps ErrLimit. Parsing is linear in the size of the document;
//   - JSON: unknown fields, a key written twice in one object (without
//     regard to case, as encoding/json matches fields, so that a table
//     cannot key "Tätort" and "tätort" apart either), data after the
//     document, a truncated document, text that is not UTF-8 or a lone
//     surrogate escape, dates and clock times that do not exist; a UTF-8
//     BOM is accepted;
//   - expressions: the allow-list and types (below); string literals
//     compared with a field, used as a table key or asked of bands
//     (has(bands, 'natt')) must be values the tariff knows (zones, bands,
//     kinds of day, ownership, categories, roles, listing kinds, per,
//     levels, component names), and an error names the nearest; a kind
//     of day the schedule never gives a unit (eve or before_holiday where
//     no rule names it, eve where eves count as holidays) is refused with
//     the reason. So is every string known at load that stands there: one
//     built of literals by lower, upper and trim, computed as settlement
//     would (band == upper('natt') is band "NATT", refused at upper), and
//     each branch of a conditional or side of ?? (minutes > 30 ? 'dag' :
//     'NOSUCH', refused at 'NOSUCH'); a value built of a field or of attr
//     is left to settlement. Strings are not concatenated: + works on
//     numbers only. A field seen through lower, upper or trim takes its
//     values so changed: lower(band) == 'Natt' is refused ("lower(band)
//     is never "Natt"; did you mean "natt"?");
//   - tables: decimal rates (negative ones refused). A table must price
//     every combination of keys settlement can look up, and nothing more:
//     a table some component's expressions read is held to what the probe
//     (below) looks up in it, each rate evaluated only where its
//     component's when holds and each band only on the kinds of day the
//     schedule gives it. So a table by kind of day and band as
//     municipalities publish it ({"weekday": {"dag", "kväll", "natt"},
//     "saturday": {"helg", "natt"}, ...}) loads, as does a table of
//     landsbygd read under "zone == 'landsbygd'"; a combination the probe
//     reaches without a rate is refused, naming the table, the keys, the
//     component and the expression. A table the probe cannot vouch for
//     must price every combination of the values its keys take (every
//     zone, band and ownership; for other keys the values it writes),
//     and the error says why: no expression reads it (Version.Lookup may
//     ask it anything), or an expression (a component's, or an
//     adjustment's when) reading it also reads what the probe cannot
//     enumerate (task,
//     customer...; a cap's granted or performed minutes, which it tries
//     at 0, 60 and 44 640 only) or was not reached within the probe's
//     budget; the checks of all such tables share twice MaxCombinations
//     lookups. While
//     the version has other errors the probe does not run, and a table an
//     expression reads is checked once they are mended. A "*" written
//     only to fill a combination no unit has hides the gap when one does:
//     write a wildcard only where one rate is meant;
//   - the probe evaluates every component over the units the tariff can
//     meet, enumerating only the attributes its expressions read, each
//     over every value data can give it: every band on every kind of day
//     the schedule gives (looked up at each rule's from and to), staff
//     counts up to 100 (the ceiling of Options.MaxStaff), visits of
//     several bands (a start, end, longest band and the bands touched
//     apart from the segment's) and unplanned ones (planned_band ""),
//     items with and without a subscription and of each per, providers
//     registered for VAT or not (see probe.go for how the combinations
//     stay few): a missing table key, a division by zero, a negative rate
//     (unless the component says "deduction": true), and a parameter
//     outside its bounds (a share outside 0–1, a cap outside the minutes
//     it bounds) are load errors. An adjustment's when is evaluated so
//     too, at every zone, ownership and VAT registration: one that fails
//     at some of them (a missing key, a division by zero) is refused,
//     naming them, rather than reported rate_error for each customer
//     there; one that reads the customer, provider, period, contract or
//     attributes is left to settlement;
//   - strategies check their parameters (bounds, choices, parameters one
//     branch needs; absence reasons read as models.ParseAbsenceReason reads
//     them);
//   - two components of one kind of unit (a visit's minutes, a visit, a
//     granted item, a listing, an event) that can both pay one are
//     refused unless one says "stacks": true (it pays on top) or
//     "instead_of": [...] (it replaces the components named for the units
//     it matches); a visit paid by the minute and per visit is paid both
//     ways by design. So are two components that pay minutes of one visit,
//     one whole (standard_time, planned_time) and one by its band segments
//     (performed_time), where the visit one matches has a segment the
//     other matches (a standard time of visits that start in the day and
//     performed time of the night both pay the night half of a visit
//     21:30–22:30); such a pair is refused too where the probe cannot
//     tell (their whens read task codes), unless the parts of their whens
//     it can read (the conjuncts of a && b that read none of those
//     fields) never both hold. Where a when reads what the probe cannot enumerate
//     (task and KSI codes, ids, the period, the provider's contract and
//     attributes, an event's kind, a visit's minutes and planned minutes,
//     bands otherwise than by has(bands, x) of an x known at load:
//     'natt', lower('NATT'), c ? 'natt' : 'dag') it cannot decide;
//     settlement checks those pairs and reports a unit both match
//     paid_twice.
//
// A Book holds the versions of one municipality and rejects gaps and
// overlaps. A day is priced by the version in force on it: granted
// item-days, listing-days and events by their own day's version, and a
// visit whole by the version, the zone and the decisions of the date it
// starts on, the part after midnight into a day another version takes
// over, the customer moves, or the next month begins included, so that one
// visit is never paid under two models at once. An item's granted minutes
// are rounded once for the month and shared out by largest remainder,
// first among the zones of the month and then among the versions of each
// zone, so that a version boundary or a move moves minutes, never makes or
// loses one, and a version boundary moves nothing between zones; so are a
// per_activity item's activities and its minutes on days paused by an
// absence (shared again among the steps of an absence ladder), and an item
// renewed by a decision alike in all but its dates is rounded once with
// it, as one decision's would be; min_days is judged on the month's days;
// a cap is the month's, each version paying under what earlier versions of
// the month left of it (the component's minutes paid before, capped or
// not: a cap added on the 16th counts the minutes paid from the 1st), and minimum_execution's performed share is the
// month's. A cap that reads other components' paid minutes
// (performed['omsorg'] × 0.17) reads the month's, the later versions'
// included: such a month is settled again, each pass reading the later
// versions' minutes from the last, until two passes agree (or, after 96
// settlements of a version, Settle returns ErrUnsettled). A cap counts the
// minutes paid earlier in the month as performed time, once a segment, by
// its component, or by another for a segment no component of its version
// continuing that one would pay, for the visits its component would pay,
// and the minutes its own component paid on another strategy (granted,
// standard or planned time; see capUsedBefore). The paid minutes a cap reads
// are summed across versions by component: the one a component names in
// "continues", else the one of the same name (the last before, when
// versions between lack it), else, for a component renamed without saying
// so, the one left with the same strategy, when and cap on both sides (see
// componentIDs). Caps that read each other
// in a circle across versions that share a month are refused by NewBook,
// and so is a month whose versions times the passes its caps may take
// (the chain's length + 2, when a cap reads minutes a later version pays:
// the chain's length + 1 to settle it, one more that agrees) exceed 96.
// Another version's item counts toward a month-wide rule when the
// component would pay it there (see wouldPay). An expression that fails
// when asked about another version's unit never means "would not pay":
// a cap counts its own component's minutes as they were paid, whatever
// the later version's when says of them (a band the later version's
// table lacks), and any other such failure (whether another component's
// minutes count, an item's days or granted time in a month-wide rule, the
// month's rate in the first zone) makes the component pay the customer
// nothing under that version, reported rate_error with the reason. A
// unit of another version in a zone the version does not price (its
// zones renamed) is one it would not pay, as its own there is reported
// unknown_zone: its expressions are not asked about it. A
// unit on which an instead_of component's when fails is not paid by the
// components it replaces; it is reported rate_error. A granted item no component
// matched is reported once the month is settled, and not when a version of
// the month paid visits of its category. An absence ladder's steps share
// the month's paused minutes of the item in its zone: the minutes the
// days in force grant beyond the paid days', so that paid and paused add
// up to the grant rounded once. A component renamed
// beside a new one of its strategy must say which it continues
// ("continues": "omsorg"): unsaid, it continues neither. A record paid the
// whole month (prorate none, or min_days reached) is paid by each version
// for its days, and by the first version it is in force under for the days
// of versions under which it is in force on no day and for the days no
// version covers on which no record the component would pay is in force
// (a book that begins on the 16th pays a listing from the 16th the whole
// month; a record in force before it is reported no_tariff for those
// days, which count toward min_days). A customer who moves within the
// month is paid so at the rate of the zone of the first day, by each
// version that prices that zone; one that does not (its zones renamed)
// pays at the zone of its own days, whose rates, conditions and
// adjustments its load checked.
// Version and Component are read-only views of a compiled version, safe
// to share between goroutines.
//
// # Expressions
//
// Each component chooses its units with a when expression and prices them
// with a rate expression, in the expr language, compiled once per version
// against the environment of the kind of unit its strategy counts.
// Strings may be written in single quotes, so a tariff file needs no \":
// "category == 'care'", "table('timpris', zone)". Arithmetic is decimal:
// number literals are decimals and the operators are overloaded, so
// table('omsorg', category, zone) * 1.015 is exact, inside round, min and
// max too; no float64 may appear. A quotient, and a product of more than
// 20 places (an indexation chain of many factors), keeps 20 places
// (DivisionPlaces), rounded half away from zero; a result of 10¹⁸ or
// more is an error, so that every number a settlement writes reads back.
// Numbers are compared by value, with in too: table('timpris', category,
// zone) in [448, 480] holds for the rate 448.00, and staff in [1, 2] is
// staff == 1 || staff == 2 (a list of integer fields too, staff in
// [minutes]); a string or a boolean is tested in a list of
// its kind (declined in [false]). An in or a comparison that would
// compare numbers or lists by representation ([x] in [[448]], [x] ==
// [448], a list mixing strings and numbers, an operand that is a string
// on one branch and a number on the other) is refused at load, naming the
// first operand that is no number at its position ("true is a boolean,
// not a number"; of a conditional of mixed type, its branch that is no
// number). The number operators work on decimals and the integer
// fields staff, minutes and planned_minutes, unary minus too (-(staff *
// 100), refused on a string, a boolean or a map: "operator - works on
// numbers…: contract is a string, not a number"); unary plus on a literal is
// the literal (+1). Every argument of a function is checked at load by
// the kind its parameter takes, numbers for min, max and round, strings
// for table's keys, has, has_task, attr, the string builtins and the
// operands of contains, startsWith and endsWith; one of the wrong kind,
// or of mixed type (c ? 1 : 'care'), is refused at its position: "table's
// key 1 is a number or a string (mixed), not a string". An expression may use decimal literals,
// strings, booleans and arrays of them, + − × ÷, comparisons, and, or,
// not, in, contains, startsWith, endsWith, ?? and a ? b : c, the functions
// table, min, max, round, has (has_task) and attr, the string builtins
// lower, upper, trim, hasPrefix and hasSuffix, and performed['name'] in a
// cap (the minutes a component listed before the capped one paid: a cap
// of its own component, of a later one or in a circle is refused at
// load, where it would read 0 and pay nothing); nothing else (no map, filter, reduce, ranges, closures, variables
// or method calls), so that evaluating an expression costs at most a
// constant times its length; it has at most MaxExprNodes nodes. It sees
// only the names below, nothing of the evaluation and nothing that
// depends on Options: a tariff can be wrong, never dangerous.
// round(x, n) rounds x to n places (a whole number 0–20) half away from
// zero, whatever the tariff's rounding mode: round(table('timpris',
// category, zone) * 1.029, 2) indexes a rate by 2.9 % to whole öre,
// 468.00 × 1.029 = 481.572 → 481.57 (examples/taxeforslag-2027), and in
// a half_even tariff round(514.5, 0) is 515, not 514.
//
//	every unit   customer, provider, ownership ("own", "private"), zone, period ("2024-04"),
//	             contract, vat_registered, attributes (attr(attributes, 'klass'))
//	item         category, task, ksi, per ("day", "week", "month", ""), double_staffing,
//	             subscription, decision, level (strategy level only; see below)
//	segment,     category, task, tasks ("Dusch|Tillsyn"; has(tasks, 'Dusch')), role,
//	visit        licensed, staff, declined, edited, band, day_kind, double_staffing_ordered;
//	             the whole visit: start_band, end_band, longest_band, bands (has(bands,
//	             'natt')), minutes, planned_minutes, planned_band
//	listing      kind ("home_health_care", "rehabilitation")
//	event        kind, band, day_kind
//	cap          category, granted (minutes), performed['component'] (minutes an earlier component paid)
//
// Every environment has customer, provider, ownership ("own",
// "private"), zone, period, and the provider's contract, vat_registered
// and attributes: attr(attributes, 'klass') reads a free attribute of the
// provider ("" when it has none; a provider has at most
// models.MaxAttributes, each key and value of at most
// models.MaxAttributeBytes), in a when, a rate or as a table key, so
// that contracts are told apart without provider ids in the tariff.
// Granted items add category, task, ksi, per, double_staffing, decision,
// subscription (an item without minutes, such as a safety alarm) and, for
// level, level: the name of the level of the day, which the when sees as
// the rate does. The level of a day is that of the granted hours, a
// month, of the items in force on it that the component's when matches
// at some level (its pool: category == 'care' && level == '2' pools the
// care items); an item is paid on the days its when holds at the day's
// level (a when that fails reports the item rate_error, as on any unit,
// only where it decides something: at a level of one of the item's
// days, the item's hours still in the pool, or at some level when it
// holds at none; not at a level the customer never reaches), and each
// of its other days, not paused, is reported not paid (no_component,
// "dagar på nivå 1, där komponentens villkor inte gäller"), which
// another component may pay: two level components split by level == '1'
// and level == '2' pay a month that reaches level 2 on the 16th half
// each. An expression of any other strategy that reads
// level (it would see "") is refused at load; two level components whose
// whens read level are taken to see the same level of a day only with
// the same levels, the same pool and no component taking units from
// either, and otherwise refused at load when each holds at some level of
// one item, or when their whens also read what the load check cannot
// enumerate (task: settlement would tell them apart a whole item at a
// time); a level component whose when reads level cannot take units
// instead_of another (precedence takes whole items). Each such component
// accounts for every day of an item it pays a day of, in every zone and
// version, reporting the days at other levels. The hours of a month are
// the items' minutes over the whole calendar month settled
// (models.GrantedItem.MonthlyMinutes, × 2 for double staffing), so a
// daily or weekly frequency has fewer in February: 2 × 35 min a week is
// 290 min (4.8333 h) in February and 300 (5 h) in April, a level apart
// at a band edge of 5 h; minutes_per_month are the same every month
// (examples/nivabeslut-2024). A level's line pays its whole pool, whose
// units it names, and pays for the visits of each item's category, as
// granted time does (unless it stacks: a supplement on top of the hours
// pays for no visit). A day's category is that of the items paid on it
// when they are of one and none when of several (the first item's would
// put the others' money under it), and days of one level, rate, zone and
// category make one line: a care item all month and a service item from
// the 2nd are a care line of one day and a line of none, whichever
// versions the month falls under. A part of the month whose every day
// is paused has a line of no days. Visits and their band segments add category and task (of
// the visit's first task code, which decides its category), tasks (the
// codes joined by "|", the first, then the others in code order), role, licensed, staff, declined, edited, band and day_kind (of the
// segment; for per_visit, of the band its band param chooses: the start's,
// the end's, or the longest band on the day the visit spends most of it),
// and the facts of the
// whole visit, the same in each segment: start_band, end_band,
// longest_band, bands (every band it touches: has(bands, 'natt')),
// minutes (its rounded length), planned_minutes and planned_band (0 and
// "" when unknown). So a night visit is whatever the tariff says: one
// that starts in the night (start_band == 'natt'), one with any part in
// it (has(bands, 'natt')), or the night part of a visit whose earlier
// part is hourly time (band != 'natt' for the hourly component).
//
// A component that names others in "instead_of" takes the units it
// matches from them: a visit paid a standard time is not also paid by the
// hourly component ("instead_of": ["utförd tid"]). The units are its own:
// a component of band segments takes the segments it matches from a
// component of segments (a visit's night part, its evening part staying
// hourly) and their whole visits from a component of whole visits; one
// of granted items takes an item's part of the month in one zone and
// tariff version, not the whole item. "stacks": true says a component
// pays on top of the others on purpose.
//
// The rounding rule's "per" is "line" (the default: each line rounded
// once) or "unit": each visit, item-month or listing-month is rounded and
// a line is the sum of its rounded units, as its explanation says. A rate
// whose expression divides (standard minutes × hourly rate ÷ 60) is
// rounded to the tariff's scale by its mode before it is used, so a line
// shows the rate its amount comes from; an explained line says the rate
// before the rounding where that changed it (Explanation.UnroundedRates:
// 10 × 448 ÷ 60 = 74.6666… → 74.67, "avrundat   74.666666… kr/besök →
// 74.67" in its text). A rate of other arithmetic is
// exact, shown without the trailing zeros its operands gave it beyond
// the tariff's scale (at least two decimals): 439.00 × 1.25 is shown
// 548.75, not 548.7500.
//
// # Strategies
//
// A strategy counts the units a component matched; the component's
// "params" configure it. Built in, with their parameters (an expression
// parameter is evaluated in the unit's environment):
//
//	granted_time       granted minutes (beviljad tid), prorated by days from the start of
//	                   execution, less paused days.
//	  absence_ladder   shares for the days of an absence, counted from its first day:
//	                   [{"days": 1, "share": "1"}, {"days": 4, "share": "0.5"}], at most
//	                   Limits.MaxSteps (100) steps; default none
//	  absence_reasons  the absence reasons the ladder pays; default all
//	performed_time     performed minutes (utförd tid) of each band segment after time rounding.
//	  cap              expression in granted, performed['component'], category...: the most
//	                   minutes paid per category, applied in chronological order; default none
//	  require_decision pay only visits a decision covers; default true
//	  declined_share   share (0–1) of a declined visit's minutes paid; default nothing
//	minimum_execution  granted time in full when performed ÷ granted (utförandegrad) reaches
//	                   threshold, else by below. The share is rounded half up to four decimals
//	                   (a percentage with two, as reports state it) before it is compared and
//	                   paid: 0.59996 reaches 0.60; 30 of 399 min is 0.0752, and "share" pays
//	                   399 × 0.0752, not exactly 30 minutes (225.04 kr for 225.00 at 450 kr/h).
//	  threshold        required: the least performed share, e.g. "0.80"
//	  below            required: "performed" (performed time, at most granted), "deduction"
//	                   (granted × (1 − deduction)) or "share" (granted × the share reached).
//	                   The share is the component's: the minutes of the visits that fall to the
//	                   parts of the items it pays in the month, over those parts' granted time.
//	                   A visit under a decision falls to the version's item parts of its
//	                   category in force on its date in its zone (of the item of its task, as
//	                   the task map writes it, when one is there), whichever component pays
//	                   them, so that it falls to one: the first taking what its granted time has
//	                   room for, the next the rest, the last what remains. A visit reported
//	                   no_decision counts for none. "performed" pays each part the minutes that
//	                   fall to it: a part's granted time is the month's shared by days, so a
//	                   part may be paid more than it. Not checked: a visit of a task no item
//	                   grants that a visit component also pays (performed_time for an ungranted
//	                   task of the category) falls to the items too, and is paid twice.
//	  deduction        the share deducted when below is "deduction"
//	per_visit          an amount per visit (per insats), by zone and band.
//	  band             the band a visit counts in: "start" (default), "end" or "longest"
//	  require_decision default false; declined_share as for performed_time, of the visit amount
//	standard_time      a standard time (schablontid) per performed visit, whatever it lasted.
//	  minutes          required: standard minutes 0–1440, e.g. "table('standardtid', task)" or "10"
//	  require_decision default true; declined visits are not paid (see planned_time)
//	planned_time       the planned minutes (planerad tid) of a visit, at a share.
//	  share            share (0–1) paid, e.g. "table('bomtid', task)"; default 1
//	  require_decision default true; a visit without planned minutes is not paid
//	absence            granted time for the days of an absence, beside any other strategy.
//	  ladder           required: as absence_ladder
//	  reasons          hospital, short_term_care, other, death (dödsfall), end_of_decision;
//	                   default all
//	one_off            an amount once per event in the data (startersättning).
//	  on               required: "decision_start", "first_decision" (a new customer) or
//	                   "provider_change" (the previous decision is with another provider)
//	per_listing        an amount per enrolled journal (listning) per month.
//	  prorate          "days" (default: days × rate ÷ days in the month), "none" (any day
//	                   pays the month) or "min_days" (the month when in force min_days days,
//	                   else nothing)
//	  min_days         a whole number of days, for prorate min_days
//	fixed_monthly      an amount per customer per month (a safety alarm, often a
//	                   subscription item without minutes); prorate and min_days as per_listing
//	per_occurrence     an amount per event (alarm call, meal delivery)
//	level              a monthly amount by the level of granted hours (nivåbeslut), each day at the level of the hours in force that day;
//	                   when and rate see the day's level as level (see above).
//	  levels           required: [{"name": "1", "from_hours": "0"}, ...]
//	per_activity       a price per granted activity (KSI price lists), prorated by days
//
// Strategies are Go code inside this package, not a plug-in interface: a
// strategy takes part in the ledger (every unit paid once or reported not
// paid), in the load-time checks of its parameters and in the
// explanations, and those promises are only as good as the code that
// keeps them. A tariff composes the built-in strategies with expressions;
// a new way of paying is a new strategy here, with its tests.
// examples/tariff-cookbook shows each construct
// above as a small tariff with its amounts worked out by hand. The
// schema of the tariff document is tariff.schema.json (JSON Schema
// 2020-12), kept in step with the loader by a test.
//
// The expression compiler and evaluator (expr.go, check.go, eval.go) stay
// in this package too rather than in an internal package of their own:
// they are compiled against the environments of the engine's units and
// memoised by the engine per distinct environment, so a package boundary
// would only export those internals to itself.
//
// # Settlement: the path of a visit
//
// Settle validates the dataset and indexes it: one case per customer and
// provider, each with its decisions, visits, listings and events, and the
// version in force on each day of the month (settle.go, index.go). A
// worker (worker.go) takes a case and builds its units (units.go): each visit is rounded to whole
// minutes by the version's time rounding and cut into segments at band
// boundaries and midnight (its clip of the segments each version's
// schedule cut its days into once for the month, daysplit.go; a day of a
// clock change is cut per visit by calendar.Split); granted items become
// item-days less pauses. Each component of the version matches units with its when
// expression and hands them to its strategy (lines.go, strategies*.go),
// which counts quantities — minutes, visits, days, events — and emits them
// with their rate. Equal quantities of a customer are added up as integers
// into one line, multiplied once and rounded once by the tariff's rule
// (Rounding.Quotient rounds the exact quotient); totals are sums of lines
// (lines.go assemble). What is not paid is reported with its Reason. The
// output does not depend on the order of the input records, nor on the
// number of workers.
//
// What keeps this fast: Settle indexes the dataset while it validates
// it; a worker keeps its working state from case to case (line
// accumulators, groups, scratch slices, the environments of explained
// lines, the buffer of its lines and of what it did not pay, which are
// copied straight to their place in the output as soon as the cases
// ahead of it in the output's order are placed: place.go), so a case allocates
// about what its output holds; a visit's
// band segments are its clip of its days' segments, cut once for the
// month and compared as integer offsets; the environments of a version's
// segments, visits and granted items are numbered in the version's memo,
// found by a cheap print and one comparison, and each component matches
// each number once for the month (eval.go memo; not a per_visit
// component whose band is "end" or "longest", which sees a visit on the
// kind of day of that band, the visit's own and not its number's), and without
// explanations a visit's environment leaves out the task codes no
// expression of the month reads, so that fewer are numbered; the
// sums, products and quotients of quantities, rates, amounts and totals
// are computed in int64 where the numbers fit (package internal/exact)
// and with decimal.Decimal where they do not, with the same exact result
// (property tests hold the two to each other). BenchmarkSettle measures
// the engine against a hand-written program on the same month; README
// gives the figures.
//
// The ledger: every unit of work is on a line or reported not paid. A
// line's Units name the records behind it (visits, decision items,
// listings, events) with the minutes or days it pays of each; Unpaid
// entries carry the minutes or days not paid with their Reason, including
// the minutes of a visit in hours no component pays (outside_paid_hours:
// a component pays its category, in other bands or days only, and none
// in the band and kind of day of those minutes; no_component is the
// minutes of a visit no component pays in any hours, or of one refused on
// another condition, role, licensed, staff…, in hours a component pays
// its category in, for other staff say; a component of whole visits
// counts as paying its category in every band. The rule is the same
// whether the minutes are the whole visit or a part of one partly paid,
// and a visit with minutes of both kinds has a record of each. Where the
// check of a tariff cannot decide a component of visits, one reading a
// field it cannot enumerate such as task or customer, it cannot tell the
// hours no component pays: the minutes of such hours are
// outside_paid_hours in a visit partly paid, and a whole visit not paid
// is no_component),
// of staff present beyond those paid for (extra_staff), absence days an
// absence ladder does not pay (absent; also the paused days of an item's
// days no version prices, whose entry for no_tariff or unknown_zone counts
// the days not paused and their minutes, so that each entry's minutes are
// those of its days and every day is reported once) and visits of no time
// (zero_length). tarifftest.CheckLedger gives the rules. Options sets
// plausibility limits (MaxVisit, MaxGrantedPerDay, MaxStaff): a record
// beyond them is reported implausible before anything of it is counted,
// which also keeps every integer of the quantity path far from overflow;
// a limit beyond its ceiling, or negative, is refused (Options.Validate),
// not settled under the ceiling.
// Visits that agree in everything but their id are listed in
// Settlement.PossibleDuplicates (see Duplicate).
//
// A component whose strategy fails for a case (an expression that
// divides by zero for one customer, a standard time beyond a day, a
// quantity too large to count) pays nothing of that case, never a part:
// what the strategy did before it failed is undone — the lines it added
// to, what it reported not paid, the minutes it paid that a later cap
// reads as performed['name'] — and each unit it was handed is reported
// not paid instead, rate_error (overflow for a quantity too large), with
// the version, the component and the error as Detail. Each record names
// the unit with what the component accounts for of it: of a visit paid
// by its band segments, the minutes of the staff paid for, in one record
// (those of staff beyond are reported extra_staff); of a whole visit
// paid by its minutes (a standard or a planned time) the minutes of
// every staff member present, as such a component names them on its
// line (those of the staff paid for) and extra_staff (those of staff
// beyond), or in any report of a visit it does not pay (declined, no
// planned time, no decision): the minutes of staff beyond those paid
// for are in the ledger once, and the visit's band segments, paid or
// not, do not report them extra_staff again (unless the component
// stacks: its report of a visit it does not pay says what it leaves
// unpaid on top, and the base's extra_staff stands); of one paid per
// visit none, as such a
// component reports a visit it does not pay, the minutes of its parts
// that other components do not pay credited to it; of a decision item its granted
// minutes and days, only its paused days for absence, none for one_off;
// of a listing its days. The units stay the failing component's: the
// components it replaces (instead_of), or that match the same unit where
// the tariff does not say which pays, do not pay them in its place, and
// they are not reported again as matched by no component. The visits of
// a category whose granted time the failed items would have paid (granted
// time pays for the visits) are reported for the same reason and
// component, with their minutes. No record names a component alone
// (RecordComponent is not reported). A rate that fails for one unit as it
// is matched reports that unit alone, in the same way, a whole visit
// without minutes, as another component may pay it: it is credited
// those no component of its band segments paid or reported.
//
// A worked case, from ExampleSettle: Huddinge 2021 pays performed time
// capped by the decision at 501 kr/h. A customer granted 60 minutes in
// March 2021 receives visits of 45 and 30 minutes. The cap cuts the last
// 15 minutes of the month, so the line is 60 min × 501.00 kr/h ÷ 60 =
// 501.00 kr, the second visit is reported as above_cap for 15 minutes,
// and the performed share is 75 ÷ 60 = 1.2500.
//
// Settlement.WriteJSON, WriteCSV (the lines, PlainCSV for programs or
// ExcelCSV for opening in Swedish Excel: semicolons, decimal commas, a
// byte-order mark, and text Excel would read as a number or date, such as
// the period, written as a formula that gives the text back) and WriteText (a report) write the result; a Writer writes the
// lines in either dialect, or whole settlements as JSON lines, one
// settlement after another as one document, the sink of SettleCustomers.
// ReadSettlement reads a settlement back from its JSON, refusing a key
// given twice, a field a settlement has none of and data after it, each
// error at its line and path; Settlement.CheckSums checks a settlement
// read back before
// it is used (Merge and invoice.Correct do): every line of the month, its
// divisor and rate unit its unit's, its amount its formula's, and the
// totals their lines' sums. Every line carries an
// Explanation unless Options.NoExplain is set; Line.WriteExplanation
// writes it for a controller: the rule, the inputs, every unit with the
// minutes or days the line pays of it and their sum, the lookups, the
// steps (a granted item's proration with its rounding: 30 × 3 × 25
// betalda dagar ÷ 7 = 321.42… → 321 min (halvt uppåt till hel minut) ×
// 2 personal = 642 personalminuter) and the formula. Settle and the comparison
// in package compare take a context.Context and stop soon after it is
// cancelled; a nil one is an error, as a nil book is. SettleEach settles
// one dataset under several books and months, validating it once rather
// than once a settlement (about a seventh of a settlement's work) and
// grouping and sorting its records by customer once (about a twelfth):
// what a comparison of tariffs does.
//
// A month too large to hold is settled customer by customer:
// SettleCustomers takes an iterator of per-customer datasets (a streamed
// export: models.Dataset.WithVisits of visits read one at a time from an
// export sorted by customer; or models.Dataset.ByCustomer of a month held
// in memory, which can also pick the customers to settle again), hands
// each customer's
// settlement to a sink as it is computed, and returns the month's totals.
// A customer's settlement depends on nothing outside its own records, the
// shared task codes and providers, and the tariff, so shards settled apart
// and put together by Merge give the bytes of one Settle, and customers
// whose data changed, settled again and put back by Replace, give the
// bytes of Settle of the month on the new data. A customer whose data is
// bad is left out and named in the error returned at the end, together
// with the totals of the others, so that one run finds them all (at
// MaxBadCustomers the run stops).
//
// # Optional values
//
// One idiom throughout: a field whose zero value is a meaningful value
// (a threshold of 0, a factor of 0) is a pointer, and nil means "not set"
// (Line.Factor nil is a factor of 1; KeyFigures.PerformedShare nil means
// no granted time). A field whose zero value means nothing takes a default
// at zero and says so (Options.Workers 0 is one worker per CPU; the zero
// Rounding rounds half up to whole kronor). A value out of a field's
// range is an error that names the field, the value and the range
// (Options.Validate), never quietly a default or a ceiling.
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
