package reimbursement

import "testing"

// UnpaidRecords counts each record once: an item reported for two
// versions of a month, or in two months, is one record; two items of
// one name in a decision, two entries of one version, are two.
func TestUnpaidRecords(t *testing.T) {
	item := func(id, item, version string) Unpaid {
		return Unpaid{Kind: RecordDecision, ID: id, Item: item, Version: version}
	}
	april := []Unpaid{item("d1", "Larm", "v1"), item("d1", "Larm", "v2"), // one item, two versions: 1
		item("d2", "Städ", "v1"), item("d2", "Städ", "v1"), item("d2", "Städ", "v2"), item("d2", "Städ", "v2"), // two items of one name: 2
		{Kind: RecordListing, ID: "l1", Version: "v1"}, {Kind: RecordListing, ID: "l1", Version: "v2"}, // 1
		{Kind: RecordVisit, ID: "v1"}, {Kind: RecordVisit, ID: "v2"}} // 2
	may := []Unpaid{item("d1", "Larm", "v2"), {Kind: RecordListing, ID: "l1", Version: "v2"}} // the same records in May
	if n := UnpaidRecords(april); n != 6 {
		t.Errorf("April: %d records, want 6", n)
	}
	if n := UnpaidRecords(april, may); n != 6 {
		t.Errorf("April and May: %d records, want 6", n)
	}
	if n := UnpaidRecords(); n != 0 {
		t.Errorf("nothing: %d records", n)
	}
}

// A visit not paid for two reasons (extra staff not paid, and minutes
// above the cap: two entries of one version) is one record; the rule of
// the most entries one version of one month reports is for decision
// items alone (two items of one name in a decision). The command's
// "N not paid" passes every reason at once and said 2.
func TestUnpaidRecordsVisitTwoReasons(t *testing.T) {
	month := []Unpaid{
		{Kind: RecordVisit, ID: "v1", Version: "v", Reason: ExtraStaff, Minutes: 30},
		{Kind: RecordVisit, ID: "v1", Version: "v", Reason: AboveCap, Minutes: 10},
	}
	if n := UnpaidRecords(month); n != 1 {
		t.Errorf("one visit: %d records", n)
	}
}
