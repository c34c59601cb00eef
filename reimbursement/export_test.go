package reimbursement

// WithoutVisitSlots returns o with every visit building its environment
// rather than taking an alike visit's (Options.noVisitSlots), for the
// tests outside the package that the two settle alike.
func WithoutVisitSlots(o Options) Options {
	o.noVisitSlots = true
	return o
}
