package reimbursement

// ---- absence -------------------------------------------------------------

// absence pays planned care during an absence (frånvaro), beside any
// other strategy: a municipality that pays performed time still pays a
// falling share of the granted time during an unplanned hospital stay or
// after a death at home. ladder gives the shares, counted from the first
// day of the absence (even in an earlier month): [{"days": 1, "share":
// "1"}, {"days": 4, "share": "0.5"}] pays the first day in full, days
// 2–5 at half, later days nothing. reasons limits it to some absence
// reasons ("hospital", "short_term_care", "other", "death",
// "end_of_decision"; default all). A day counts while the item is in
// force: the decision of a customer who died ends after the ladder's
// days. The granted minutes of the paid days are those of the matching
// items, once per staff member ordered, on lines of kind "absence".
type absence struct{}

func (absence) Unit() unitKind { return unitItem }

func (absence) Params() []paramSpec {
	return []paramSpec{
		{Name: "ladder", Kind: paramLadder, Required: true, Doc: "shares paid for the days of an absence"},
		{Name: "reasons", Kind: paramStrings, Canon: canonicalReason, Choices: absenceReasons, Doc: "absence reasons paid; default all"},
	}
}

var absenceReasons = []string{"hospital", "short_term_care", "other", "death", "end_of_decision"}

func (absence) Settle(s *scope) error {
	ladder, reasons := s.Component.param("ladder"), s.Component.param("reasons")
	for i := range s.Items {
		if err := payLadder(s, &s.Items[i], ladder, reasons); err != nil {
			return err
		}
	}
	return nil
}

// itemPart: an absence component accounts for an item's paused days only
// (see itemPart).
func (absence) itemPart(u *itemUnit, monthDays int) (int64, int) {
	return int64(u.pausedMinutes * u.Item.Staff()), u.Grant.PausedDays
}
