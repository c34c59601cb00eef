package reimbursement

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement/internal/fixture"
)

// SettleEach shares one index of the dataset, each case's records put in
// order by the first settlement (see dataIndex), among books and months
// whose monthIndex differs: a book of two versions, one of one and the
// peer's; months of other locations (UTC, New York, Tokyo) than the
// visits' and a first month years away from every visit (so that the
// first sort cannot pack offsets from its start; see sortPacked). Each
// settlement of every collection shuffled is, to the byte, Settle's of
// the dataset in order, visits of one start (copies, reported as possible
// duplicates) and visits over the month's ends included.
func TestSettleEachAnyOrderAnyLocation(t *testing.T) {
	src, err := os.ReadFile("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	second := strings.Replace(strings.Replace(string(src), `"valid_from": "2024-01-01"`, `"valid_from": "2024-04-16"`, 1),
		`"name": "Blandad 2024"`, `"name": "Blandad 2024b"`, 1)
	if second == string(src) {
		t.Fatal("mixed.json: valid_from or name not found")
	}
	peerVersion, err := LoadVersion(os.DirFS("testdata"), "peer.json")
	if err != nil {
		t.Fatal(err)
	}
	peer, err := NewBook(peerVersion)
	if err != nil {
		t.Fatal(err)
	}
	books := []*Book{mustBook(t, string(src), second), mixedBook(t), peer}
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	ny, tokyo := load("America/New_York"), load("Asia/Tokyo")
	month := func(y int, m time.Month, loc *time.Location) calendar.Period {
		p, err := calendar.Month(y, m, loc)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ordered := benchDataset(40, 8)
	for i := range 6 { // copies of visits: visits of one start
		v := ordered.Visits[i*11]
		v.ID += "-kopia"
		ordered.Visits = append(ordered.Visits, v)
	}
	k, pr := ordered.Decisions[0].Customer, ordered.Decisions[0].Provider
	over := func(id string, start, end time.Time) models.Visit {
		return models.Visit{ID: id, Customer: k, Provider: pr, Start: start, End: end, Tasks: []string{"Dusch"}, Role: models.CareStaff, Approved: true}
	}
	ordered.Visits = append(ordered.Visits,
		over("över-mars", time.Date(2024, 3, 31, 23, 30, 0, 0, stockholm), time.Date(2024, 4, 1, 0, 30, 0, 0, stockholm)),
		over("över-april", time.Date(2024, 4, 30, 23, 30, 0, 0, stockholm), time.Date(2024, 5, 1, 0, 30, 0, 0, stockholm)),
		over("new-york", time.Date(2024, 4, 1, 1, 30, 0, 0, ny), time.Date(2024, 4, 1, 2, 30, 0, 0, ny)))
	for n, periods := range [][]calendar.Period{
		{month(2024, time.April, stockholm), month(2024, time.April, time.UTC), month(2024, time.March, stockholm)},
		{month(2024, time.May, tokyo), month(2024, time.April, ny), month(2024, time.April, stockholm)},
		{month(2030, time.January, time.UTC), month(2024, time.April, stockholm)},
	} {
		ds := fixture.Shuffled(ordered, uint64(n))
		for _, opts := range []Options{{}, {NoExplain: true, Workers: 1}} {
			out, err := SettleEach(t.Context(), books, ds, periods, opts)
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range books {
				for j, p := range periods {
					want, err := Settle(t.Context(), b, ordered, p, opts)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(jsonOf(t, want), jsonOf(t, out[i][j])); diff != "" {
						t.Errorf("months %d, book %d, %s in %s (-Settle in order +SettleEach shuffled):\n%s", n, i, p, p.Location, diff)
					}
				}
			}
		}
	}
}
