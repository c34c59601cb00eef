package reimbursement

import (
	"slices"
	"strings"
	"time"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
)

// visitFacts sets the facts of the whole visit in its environment: the
// bands of its start and end, the band it spends most time in, the bands
// it touches, its length and its planned time, all by the schedule of vi,
// the version of the date the visit starts on (by which segs, its band
// segments, were split).
func (c *caseState) visitFacts(env *visitEnv, v *models.Visit, vi int, segs []calendar.Segment, minutes int64) {
	in := c.w.in
	schedule := in.versions[vi].schedule
	name := func(sg calendar.Segment) string { return schedule.BandName(sg.Band) }
	// Only the facts some version of the month reads are set: the others
	// would split memoised evaluations and crowd explanations.
	uses := func(n names) bool { return in.reads.has(n) }
	if uses(readsStartBand) {
		env.StartBand = name(segs[0])
	}
	if uses(readsEndBand) {
		env.EndBand = name(segs[len(segs)-1])
	}
	if uses(readsLongestBand) || uses(readsBands) {
		bandFacts(env, segs, name)
	}
	if uses(readsMinutes) {
		env.Minutes = int(minutes)
	}
	if uses(readsPlannedMinutes) {
		env.PlannedMinutes = v.PlannedMinutes
	}
	if uses(readsPlannedBand) && v.PlannedStart != nil {
		t := v.PlannedStart.In(in.period.Location)
		if b, ok := schedule.BandAt(schedule.DayKind(calendar.DateOf(t)), calendar.Clock(t.Hour()*60+t.Minute())); ok {
			env.PlannedBand = schedule.BandName(b)
		}
	}
}

// longestKind returns the kind of day on which the visit of segments segs
// spends most of its time in band, the band it spends most time in
// (bandFacts' LongestBand; ties to the earlier day): a night visit into a
// holiday counts as the holiday's when most of its night is.
func longestKind(segs []calendar.Segment, band int) calendar.DayKind {
	var kbuf [8]calendar.DayKind
	var tbuf [8]time.Duration
	kinds, spent := kbuf[:0], tbuf[:0]
	for _, sg := range segs {
		if sg.Band != band {
			continue
		}
		i := slices.Index(kinds, sg.Kind)
		if i < 0 {
			i = len(kinds)
			kinds, spent = append(kinds, sg.Kind), append(spent, 0)
		}
		spent[i] += sg.Duration()
	}
	if len(kinds) == 0 {
		return segs[0].Kind
	}
	most := 0
	for i := range spent {
		if spent[i] > spent[most] {
			most = i
		}
	}
	return kinds[most]
}

// bandFacts sets the band a visit spends most time in (ties to the
// earlier) and the bands it touches.
func bandFacts(env *visitEnv, segs []calendar.Segment, name func(calendar.Segment) string) {
	var nbuf [8]string
	var sbuf [8]time.Duration
	names, spent := nbuf[:0], sbuf[:0]
	for _, sg := range segs {
		n := name(sg)
		i := 0
		for i < len(names) && names[i] != n {
			i++
		}
		if i == len(names) {
			names = append(names, n)
			spent = append(spent, 0)
		}
		spent[i] += sg.Duration()
	}
	longest := 0
	for i := range spent {
		if spent[i] > spent[longest] {
			longest = i
		}
	}
	env.LongestBand = names[longest]
	if len(names) == 1 {
		env.Bands = names[0]
	} else {
		env.Bands = strings.Join(names, listSeparator)
	}
}
