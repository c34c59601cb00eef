// Package fee computes what home-care customers pay (avgift) under a
// municipality's fee schedule (avgiftstaxa), capped by the national
// maximum fee (maxtaxa) and by each customer's own headroom
// (avgiftsutrymme, what the customer can pay after the reserved amount,
// förbehållsbelopp).
//
// A Schedule charges either an hourly fee on the granted hours (timtaxa)
// or a fee by level of granted hours, and optionally monthly fees for a
// safety alarm and for home health care, prorated by the days in force.
// Schedule.Fees returns each customer's Fee for a month: its items, their
// sum by the schedule (Tariff), the maxtaxa of the year (0.5392 ×
// prisbasbelopp ÷ 12, socialtjänstlagen 8 kap. 5 §), the headroom when
// the customer has one (models.Customer.FeeHeadroom), and the least of
// them as Amount, with LimitedBy naming the bound that gave it. Fees are
// whole kronor, each item rounded half up once. The library knows the
// prisbasbelopp of 2020–2026 (Prisbasbelopp); a schedule gives that of a
// later year, "prisbasbelopp": {"2027": ...}, for next year's fees before
// a release knows it (Schedule.Prisbasbelopp), and a month of a year
// neither knows is an error (ErrUnknownYear).
//
// A worked case, from ExampleSchedule_Fees: an hourly fee of 300 kr and a
// customer granted 10 hours of care in April 2024 (600 minutes) owe 10 ×
// 300 = 3 000 kr by the schedule; the maxtaxa of 2024 is 0.5392 × 57 300
// ÷ 12 = 2 574.68 → 2 575 kr, so the customer pays 2 575 kr, limited by
// maxtaxa; a customer with a headroom of 1 200 kr pays 1 200 kr, limited
// by the headroom.
//
// A granted item beyond the plausibility limit MaxGrantedPerDay (the
// default of reimbursement.Options.MaxGrantedPerDay, a whole day's
// minutes a day), such as 153 722 867 280 912 941 minutes a month where
// an id was pasted, is a data error a settlement reports implausible
// and pays nothing for. Fees counts none of its minutes either and lists
// it in Fee.NotCounted, in the settlement's words (an item that shares
// its name with others of the decision named by its place among them,
// "insats 2 av 3"), rather than charge for it (counted in int, those minutes wrapped around to a fee of
// -768 614 336 404 564 590 kr). A decision that validation refuses (an
// item of negative minutes) is an error.
//
// Package compare uses a schedule per side to show what a tariff change
// does to the fees as well as to the payments.
package fee
