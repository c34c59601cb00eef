// Package ersattning is the overview of a Go library that computes what
// Swedish municipalities pay home-care providers (hemtjänst, delegated
// home health care, home rehabilitation, safety alarms) under their
// reimbursement models, and what a change of tariff would do to that
// money. It is a pure library: no I/O but what the caller hands it, exact
// decimal money, deterministic output.
//
// # The packages
//
//	calendar       Swedish public holidays and eves, kinds of day, time-of-day band
//	               schedules (dag, kväll, natt, helg), splitting a visit into band
//	               segments with real elapsed time, settlement months
//	ksi            KSI activity codes (Socialstyrelsen's Klassifikation av
//	               socialtjänstens insatser och aktiviteter) and catalogues
//	models         customers, providers, decisions with granted items, visits, listings,
//	               absences, alarm events, local task codes (TaskMap); JSON and CSV
//	               readers (Swedish time-registration exports); validation
//	reimbursement  tariff versions and books, the expression rule layer, the built-in
//	               strategies, settlements with explanations; JSON, CSV and text output
//	reimbursement/fee
//	               customers' fees (avgifter) capped by the maxtaxa
//	reimbursement/compare
//	               a current and a proposed tariff settled over the same months
//	reimbursement/tarifftest
//	               rapid generators and property checks for verifying a tariff
//	reimbursement/invoice
//	               the invoice basis (fakturaunderlag) per provider as CSV and HTML,
//	               Peppol BIS Billing 3.0 invoices and their rules, corrections
//	               (efterreglering) of a month already invoiced
//	examples/ersattning
//	               the command: check, settle, compare, explain, correct
//
// Imports flow one way: calendar and ksi import nothing of the project,
// models imports them, reimbursement imports calendar, ksi and models, fee and
// invoice import reimbursement, compare imports fee, and tarifftest
// imports compare. The cut follows the users:
// a municipal system that only settles needs reimbursement alone; an
// economist's comparison and the fee rules are packages of their own
// because they build on settlements and need nothing inside the engine.
// Strategies stay inside reimbursement rather than behind an exported
// plug-in interface, because each one keeps the engine's promises (every
// unit paid once or reported, parameters checked at load, every amount
// explained); see the package documentation of reimbursement for what
// lives where and the path of a visit through it.
//
// # The whole flow
//
//	tariff, err := reimbursement.LoadVersion(os.DirFS("tariffs"), "2024.json")
//	book, err := reimbursement.NewBook(tariff)
//	ds, err := models.ReadDatasetFS(os.DirFS("data"), "2024-04.json")
//	loc, _ := time.LoadLocation("Europe/Stockholm")
//	april, err := calendar.Month(2024, time.April, loc)
//	s, err := reimbursement.Settle(context.Background(), book, ds, april, reimbursement.Options{})
//	s.WriteText(os.Stdout, reimbursement.TextOptions{Lines: true})
//
// With the quickstart's sample tariff (go run ./examples/quickstart), a
// customer in tätort granted a shower of 30 minutes three times a week with
// two staff, in hospital 8–12 April 2024, is paid for 25 of April's 30
// days: 30 × 3 × 25 ÷ 7 = 321.43, rounded to 321 minutes, times two staff
// = 642 minutes at 448.00 kr/h, 642 × 448 ÷ 60 = 4 793.60 kr; the private
// provider receives 6 % VAT compensation on top, 287.62 kr.
//
// The end-to-end tests of this package settle every example in examples/
// and compare the results with golden files in testdata/.
package ersattning
