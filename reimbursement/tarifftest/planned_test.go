package tarifftest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/reimbursement"
)

// Generated visits carry planned minutes, declined ones too, so that a
// tariff paying declined visits a share of their planned time (the
// cookbook's 02-planned-time, a proposal trial128 verified) is exercised
// by the generated data: before, no generated visit had planned time,
// every planned_time component paid nothing on it, and its properties
// held vacuously. A planned_time line is drawn, and its amount is its
// planned minutes at 480 kr/h × 0.5 (one visit planned 30 min: 30 × 480
// ÷ 60 × 0.5 = 120.00, so amount = planned minutes × 4). The description
// of a visit says its planned minutes.
func TestDatasetPlansVisits(t *testing.T) {
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	april, _ := calendar.Month(2024, time.April, stockholm)
	v, err := reimbursement.ParseVersion(strings.NewReader(`{"name": "Planerad", "valid_from": "2024-01-01",
  "source": "test", "currency": "SEK", "zones": ["tätort", "landsbygd"],
  "rounding": {"scale": 2}, "time_rounding": {"mode": "nearest"},
  "components": [
    {"name": "tid", "strategy": "performed_time", "rate": "480", "params": {"require_decision": false}},
    {"name": "avböjt", "strategy": "planned_time", "when": "declined", "rate": "480", "instead_of": ["tid"],
     "params": {"require_decision": false, "share": "0.5"}}]}`), "planned.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := reimbursement.NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	paid, described := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		ds := Dataset(Config{Period: april}).Draw(t, "ds")
		s, err := reimbursement.Settle(context.Background(), b, ds, april, reimbursement.Options{NoExplain: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range s.Lines {
			if l.Component != "avböjt" {
				continue
			}
			paid++
			// 480 kr/h ÷ 60 × 0.5 = 4 kr a planned minute, exactly.
			if want := reimbursement.AmountOf(l.Quantity.Mul(decimal.NewFromInt(4))); !l.Amount.Equal(want) {
				t.Fatalf("line %v: %s kr for %s min, want %s", l.Units, l.Amount, l.Quantity, want)
			}
		}
		for i := range ds.Visits {
			if ds.Visits[i].PlannedMinutes > 0 && strings.Contains(visitText(&ds.Visits[i], nil), "planerat ") {
				described++
			}
		}
	})
	if paid == 0 || described == 0 {
		t.Errorf("100 generated datasets: %d planned_time lines, %d visits described with planned minutes; want some of each", paid, described)
	}
}
