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
// included; with fee schedules, Fees and FeeTotal show each customer's
// fee (avgift) under both. NotPaid counts by reason what each side did
// not pay, and Warnings say where a side leaves records unpaid for want
// of a tariff version, a zone or a rate, more than the other or as many:
// such a report does not compare like with like, or leaves out of both
// totals what the municipality will pay. The settlements compared are
// kept in the Report, month by month, for any further breakdown. Months
// are compared in calendar order whatever the order given; a month given
// twice, or one Period.Validate refuses, is refused. Ownerships take each
// line's provider's ownership on its own side.
//
// Report.WriteText writes a readable report, WriteCSV a table in
// section rows for programs or for Swedish Excel (reimbursement.PlainCSV,
// ExcelCSV), WriteJSON everything.
//
// A worked case, from ExampleRun: Huddinge's 2021 model pays performed
// time capped by the decision at 501 kr/h; the proposal pays 5 % more
// per hour. A customer granted 120 minutes receives one visit of 90: 90 ×
// 501 ÷ 60 = 751.50 kr now, 90 × 526.05 ÷ 60 = 789.075 → 789.08 kr under
// the proposal, +37.58 kr (+5.00 %) for the provider; the customer's fee
// by an hourly fee of 300 kr, 120 ÷ 60 × 300 = 600 kr, does not change.
//
// Run costs its two settlements and little more (BenchmarkCompare).
// Package tarifftest checks a proposal against limits and properties on
// generated data.
package compare
