package compare

import (
	"fmt"
	"hash/maphash"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// What each side leaves unpaid: the records, minutes and days by
// reason, counted once a record.

// unpaidCounts are what one side did not pay, by reason: records,
// minutes and days, and whether any was counted.
type unpaidCounts struct {
	counted [256]bool
	records [256]int
	minutes [256]int64
	days    [256]int
}

// unpaidOf counts what the settlements of one side did not pay, by
// reason.
func unpaidOf(ss []*reimbursement.Settlement) *unpaidCounts {
	out := &unpaidCounts{}
	// A record of another month is not paid only if it is outside every
	// month compared: counted in each month it is not of, a comparison of
	// April and May listed every visit of both as not paid, and one of
	// June twice (found by trial). A record beyond the plausibility
	// limits, which every month reports before its date is asked, counts
	// once (three times in three months, found by attack).
	type record = reimbursement.RecordKey
	outside := map[record]int{}
	// The most records of a kind, id and item one month reported as
	// implausible, and their minutes: two items of one name in a decision
	// are two records a month (counted as one, found by attack).
	type most struct {
		n, days int
		minutes int64
	}
	implausible := map[record]most{}
	for _, s := range ss {
		month := map[record]most{}
		for i := range s.NotPaid {
			u := &s.NotPaid[i]
			if u.Reason == reimbursement.Implausible {
				k := u.Record()
				m := month[k]
				month[k] = most{m.n + 1, m.days + u.Days, m.minutes + u.Minutes}
			}
		}
		for k, m := range month {
			if m.n > implausible[k].n {
				implausible[k] = m
			}
		}
	}
	for _, m := range implausible {
		out.minutes[reimbursement.Implausible] += m.minutes
		out.days[reimbursement.Implausible] += m.days
	}
	for _, s := range ss {
		for i := range s.NotPaid {
			if u := &s.NotPaid[i]; u.Reason == reimbursement.OutsidePeriod {
				outside[u.Record()]++
			}
		}
	}
	skip := func(i int, u *reimbursement.Unpaid) bool {
		return u.Reason == reimbursement.OutsidePeriod && (outside[u.Record()] < len(ss) || i > 0) // of a month compared, or counted at the first
	}
	// The entries counted, by reason: a record is counted once however
	// many entries it has (UnpaidRecords), a decision item spanning a
	// change of version was counted once for each version (56 → 61
	// records of equal minutes and days, found by trial).
	months := make([][]reimbursement.Unpaid, len(ss))
	for i, s := range ss {
		months[i] = s.NotPaid
	}
	records := newRecordCounter(months)
	for i, s := range ss {
		for j := range s.NotPaid {
			u := &s.NotPaid[j]
			if skip(i, u) {
				continue
			}
			records.add(i, j)
			r := u.Reason
			out.counted[r] = true
			if r == reimbursement.Implausible {
				continue // its minutes and days counted above
			}
			out.minutes[r] += u.Minutes
			out.days[r] += u.Days
		}
	}
	out.records = records.byReason()
	return out
}

// reasonRecord is a record (RecordKey) not paid for a reason.
type reasonRecord struct {
	reason reimbursement.Reason
	reimbursement.RecordKey
}

// recordCounter counts the records of entries of what was not paid by
// reason, each reason's as reimbursement.UnpaidRecords counts the
// entries of that reason, month by month, but all in one pass and
// without the entries copied into a slice a reason: each record once
// however many entries it has, a decision item's (an entry with an Item)
// as many times as the most entries one version of one month reports
// for it. The records are kept in a table of their own, each by its
// first entry's month and position, not in a map keyed by their ids: a
// month has as many records as entries, nearly, and a table without
// pointers costs the collector nothing to scan or write.
type recordCounter struct {
	months  [][]reimbursement.Unpaid
	hash    func(reasonRecord) uint64
	slots   []recordSlot        // open addressing, by hash; a power of two
	entries map[itemEntries]int // a decision item's entries by month and version
}

// recordSlot is a record of recordCounter: the hash of its reason and
// key, its first entry (index 0: an empty slot) and its count.
type recordSlot struct {
	hash         uint64
	month, index int32 // of its first entry, the index + 1
	most         int32
	reason       reimbursement.Reason
}

type itemEntries struct {
	record  reasonRecord
	month   int
	version string
}

// newRecordCounter returns a counter of the entries of months, room made
// for all of them.
func newRecordCounter(months [][]reimbursement.Unpaid) *recordCounter {
	n := 0
	for _, m := range months {
		n += len(m)
	}
	size := 8
	for size < 2*n {
		size *= 2
	}
	seed := maphash.MakeSeed()
	return &recordCounter{months: months, hash: func(k reasonRecord) uint64 { return maphash.Comparable(seed, k) }, slots: make([]recordSlot, size)}
}

// add adds the jth entry of month i.
func (x *recordCounter) add(i, j int) {
	u := &x.months[i][j]
	k := reasonRecord{u.Reason, u.Record()}
	h := x.hash(k)
	mask := uint64(len(x.slots) - 1)
	s := &x.slots[h&mask]
	for p := h; ; {
		if s.index == 0 {
			*s = recordSlot{hash: h, month: int32(i), index: int32(j + 1), reason: u.Reason}
			break
		}
		if s.hash == h && s.reason == u.Reason {
			if f := &x.months[s.month][s.index-1]; f.Kind == u.Kind && f.ID == u.ID && f.Item == u.Item {
				break
			}
		}
		p++
		s = &x.slots[p&mask]
	}
	if u.Item == "" {
		s.most = 1
		return
	}
	if x.entries == nil {
		x.entries = map[itemEntries]int{}
	}
	e := itemEntries{k, i, u.Version}
	x.entries[e]++
	s.most = max(s.most, int32(x.entries[e]))
}

// byReason returns the records counted, by reason.
func (x *recordCounter) byReason() (n [256]int) {
	for i := range x.slots {
		if s := &x.slots[i]; s.index != 0 {
			n[s.reason] += int(s.most)
		}
	}
	return n
}

// notPaid counts what each side did not pay by reason (unpaid, base and
// proposed), and warns where one side leaves more unpaid than the other
// for want of a tariff, a zone or a rate.
func (c *Report) notPaid(unpaid [2]*unpaidCounts) {
	b, p := unpaid[0], unpaid[1]
	for r := range b.counted {
		if b.counted[r] || p.counted[r] {
			c.NotPaid = append(c.NotPaid, UnpaidChange{Reason: reimbursement.Reason(r), BaseRecords: b.records[r], ProposedRecords: p.records[r],
				BaseMinutes: b.minutes[r], ProposedMinutes: p.minutes[r], BaseDays: b.days[r], ProposedDays: p.days[r]})
		}
	}
	for _, u := range c.NotPaid {
		switch u.Reason {
		case reimbursement.NoTariff, reimbursement.UnknownZone, reimbursement.RateError:
		default:
			continue
		}
		// The days not paid of items and listings are said too: a listing
		// has no minutes (found by audit: "(0 minuter)").
		if u.BaseRecords == u.ProposedRecords {
			each := extent(u.BaseMinutes, u.BaseDays) + " i vardera"
			if u.BaseMinutes != u.ProposedMinutes || u.BaseDays != u.ProposedDays {
				each = fmt.Sprintf("%s i %s; %s i %s", extent(u.BaseMinutes, u.BaseDays), c.Base, extent(u.ProposedMinutes, u.ProposedDays), c.Proposed)
			}
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s och %s lämnar båda %s (%s) med skälet %s: totalerna för båda saknar det som skulle betalas för dem",
				c.Base, c.Proposed, unpaidRecords(u.BaseRecords), each, u.Reason.Swedish()))
			continue
		}
		for _, side := range []struct {
			name, other           string
			records, otherRecords int
			minutes               int64
			days                  int
		}{{c.Proposed, c.Base, u.ProposedRecords, u.BaseRecords, u.ProposedMinutes, u.ProposedDays},
			{c.Base, c.Proposed, u.BaseRecords, u.ProposedRecords, u.BaseMinutes, u.BaseDays}} {
			if side.records > side.otherRecords {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s lämnar %s (%s) med skälet %s, mot %d i %s: %s täcker inte det som %s betalar, och totalerna jämför inte lika med lika",
					side.name, unpaidRecords(side.records), extent(side.minutes, side.days), u.Reason.Swedish(), side.otherRecords, side.other, side.name, side.other))
			}
		}
	}
}

// extent returns minutes, and days where there are any: "876 minuter,
// 28 dagar", "0 minuter, 29 dagar", "1 minut".
func extent(m int64, days int) string {
	switch days {
	case 0:
		return minutes(m)
	case 1:
		return minutes(m) + ", 1 dag"
	}
	return fmt.Sprintf("%s, %d dagar", minutes(m), days)
}

// minutes returns "1 minut" or "n minuter".
func minutes(n int64) string {
	if n == 1 {
		return "1 minut"
	}
	return fmt.Sprintf("%d minuter", n)
}

// unpaidRecords returns "1 post obetald" or "n poster obetalda" (not
// "1 post obetalda").
func unpaidRecords(n int) string {
	if n == 1 {
		return "1 post obetald"
	}
	return fmt.Sprintf("%d poster obetalda", n)
}
