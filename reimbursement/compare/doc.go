// Package compare shows what a change of tariff would do to the money
// before a committee decides it: it settles the same months under the
// current tariff and a proposal, each with its data (most often the same
// dataset), and reports the difference, to the öre.
//
// Run takes two Sides, each a name, a reimbursement.Book, a dataset and
// optionally a fee.Schedule, and the months to compare. The Report holds
// the budget (what the municipality pays under each, Total), and the
// same difference broken down by month, by provider, by component, by
// provider and component together (where a component's change lands,
// provider by provider), by zone, by ownership (egen regi, privat regi)
// and by customer. Every breakdown adds up to the budget: each is the
// lines of both settlements summed by its key, exactly. Distribution
// counts the customers and providers that gain, lose or stay within
// Options' thresholds; Largest shows the customers with the largest
// changes with the lines behind them under both tariffs, explanations
// included (the months are settled without explanations, a third
// cheaper, and the customers of the largest changes again with them:
// a customer's lines depend on its records alone, and Run checks that
// they come out the same), and the records of each that one side leaves
// unpaid and the other does not, or both leave unpaid otherwise
// (CustomerDiff.NotPaid: a visit the proposal no longer pays, with its
// reason; a pause not paid now that the proposal leaves unpaid for want
// of a tariff, with each side's reasons, each with its minutes and days;
// at most 10 entries a customer);
// with fee schedules, Fees and FeeTotal show each customer's
// fee (avgift) under both, and the text and the CSV name each granted
// item a schedule did not count (fee.Fee.NotCounted; the CSV's section
// fee_not_counted). NotPaid counts by reason what each side did not
// pay, in records (each once, also one that spans a change of tariff
// version and is reported once for each), minutes and days, and
// Warnings say where a side leaves records unpaid for want of a tariff
// version, a zone or a rate, more than the other or as many:
// such a report does not compare like with like, or leaves out of both
// totals what the municipality will pay. The settlements compared are
// kept in the Report, month by month, for any further breakdown. Months
// are compared in calendar order whatever the order given; a month given
// twice, or one Period.Validate refuses, is refused. An error of one
// side is a *SideError, which says which side (base or proposed) and
// month.
//
// A worked case, from ExampleRun: Huddinge's 2021 model pays performed
// time capped by the decision at 501 kr/h; the proposal pays 5 % more
// per hour. A customer granted 120 minutes receives one visit of 90: 90 ×
// 501 ÷ 60 = 751.50 kr now, 90 × 526.05 ÷ 60 = 789.075 → 789.08 kr under
// the proposal, +37.58 kr (+5.00 %) for the provider; the customer's fee
// by an hourly fee of 300 kr, 120 ÷ 60 × 300 = 600 kr, does not change.
//
// # Rounding
//
// Every row (Change) of the budget, the months and the breakdowns says
// how much of its difference is rounding (Change.Rounding, "varav
// avrundning" in the text, the CSV's column rounding, the JSON's
// rounding): the proposal's rounded amounts less their unrounded ones,
// less the same of the base, where a line's unrounded amount is Quantity
// × Rate × Factor ÷ Divisor, the quotient the engine rounds into its
// Amount. It is computed exactly, line by line, and shown to the öre (to
// as many decimals as a difference of the breakdown has, where a
// tariff's rounding keeps more); a row without is written with none.
// The budget's is its exact part rounded half up. A breakdown's rows add up to it, as their amounts add
// up to the budget's: each row's exact part is rounded down to the öre,
// and the öre that leaves of the budget's go one each to the rows with
// the largest remainders, ties to the row first in the breakdown's order
// (largest remainder). Three customers whose parts are −0.0067 each (1
// minute at 448 kr/h, 7.4667 → 7.47, and at 449, 7.4833 → 7.48) make a
// budget of −0.02: rounded down, −0.01 each, −0.03, and the öre left goes
// to the first, 0.00, −0.01, −0.01 (each rounded on its own they showed
// −0.01, −0.03 in all). A row's part exact in öre keeps it, and the rate
// parts, Difference − Rounding, add up too. A tariff version that changes
// mid-month splits a customer's line into one per version, each rounded
// (see the reimbursement package on rounding), so a customer whose rates
// did not change can move: 43 minutes at 448 kr/h are 321.0667 → 321.07
// on one line and 171.7333 → 171.73 + 149.3333 → 149.33 = 321.06 on two,
// −0.01, all of it rounding. Package tarifftest's
// Limits.CustomerRoundingAside judges the customer limits net of it.
//
// # Providers whose sides differ
//
// Ownerships take each line's provider's ownership on its own side: a
// proposal that brings a provider into egen regi moves its amount from
// privat regi to egen regi. A provider's row (Providers,
// ProviderComponents) is named deterministically, whichever side was
// settled last: by the base side's name, as the first month in calendar
// order whose settlement lists the provider has it, and by the proposed
// side's only where the base side does not list the provider at all.
// Where the proposed side names it otherwise, the row's ProposedName
// holds that name, and every provider the two sides name or own
// differently is listed in ProviderDifferences with both names and both
// ownerships; the outputs show them. Such a difference is no warning: an
// insourcing proposal is a comparison like any other.
//
// # The budget verdict
//
// With Options.Budget, a limit in kronor or percent of the base's budget
// (below zero: a fall of at least that much), Run judges the budget and
// Report.Budget holds the verdict, which every output writes: within the
// limit, over it, or, when the report has warnings, not judged, with why;
// a judged verdict says the change in the limit's unit beside it ("över
// gränsen (förändringen +542.00 kr)", "inom gränsen (förändringen
// -10.1430 %)"). It is exactly one of these: a report with warnings is never also said
// to be over or within, since its totals do not compare like with like.
// Report.Judge judges a report against another limit.
//
// # Outputs
//
// Report.WriteText writes a readable report, WriteCSV the same content
// as one table of section rows, for programs or for Swedish Excel
// (reimbursement.PlainCSV; ExcelCSV with semicolons, decimal commas and a
// byte-order mark, as the settlement's CSV), WriteJSON everything. The
// command examples/ersattning writes an HTML report from the same Report.
// What a person reads is Swedish, in the terms of the repository's
// glossary (utförare, brukare, komponent, zon, egen regi and privat regi,
// avgift), reasons for not paying in Swedish words (Reason.Swedish: "ingen
// taxa i kraft" for no_tariff, "okänd zon" for unknown_zone) and the
// lines behind the largest changes by component, kind and category in
// Swedish (LineText: with the rate before the rounding where the tariff
// rounded it after its division, "2 besök × 74.67 kr/besök = 149.34
// (priset 74.666666… kr/besök avrundat till 74.67)", from the explained
// lines), each followed by the records behind it
// (UnitsText: "14 poster: besök v01 50 min, … och 9 till"); the
// warnings are Swedish sentences too. What a
// program reads keeps the stable English keys that the settlement's CSV
// and JSON use: the CSV header and its section and key columns, and the
// JSON (own, private, no_tariff); WriteCSV's documentation lists the
// sections.
//
// Run costs its two settlements and little more (BenchmarkCompare): it
// reads each side's lines once for every breakdown, adding up the base's
// while the proposal settles, and its output does not depend on how many
// workers (Options.Workers) do it.
// Package tarifftest checks a proposal against limits and properties on
// generated data.
package compare
