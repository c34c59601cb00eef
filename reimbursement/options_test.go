package reimbursement

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hemtjanst/ersattning/models"
)

// TestOptionsOutOfRange: an option out of its range is an error naming
// it, its value and the range, from Settle and SettleCustomers alike.
// Found by a vendor's trial: MaxStaff 1000 acted as 100 (a visit of 500
// staff reported "fler än rimliga 100"), MaxStaff -5 as the default 4,
// MaxGrantedPerDay 20000 as 14 400 and Workers -1 as one per CPU, all
// without a word.
func TestOptionsOutOfRange(t *testing.T) {
	book := mustBook(t, doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "448", "params": {"require_decision": false}}`))
	ds := data()
	ds.Visits = []models.Visit{visit("2024-04-02 10:00", "2024-04-02 10:30", "Dusch", func(v *models.Visit) { v.Staff = 2 })}
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{MaxStaff: 1000}, "reimbursement: Options.MaxStaff is 1000; allowed: 1 to 100, or 0 for the default 4"},
		{Options{MaxStaff: -5}, "reimbursement: Options.MaxStaff is -5; allowed: 1 to 100, or 0 for the default 4"},
		{Options{MaxGrantedPerDay: 20000}, "reimbursement: Options.MaxGrantedPerDay is 20000; allowed: 1 to 14400 minutes, or 0 for the default 1440"},
		{Options{MaxGrantedPerDay: -1}, "reimbursement: Options.MaxGrantedPerDay is -1; allowed: 1 to 14400 minutes, or 0 for the default 1440"},
		{Options{MaxVisit: 40 * 24 * time.Hour}, "reimbursement: Options.MaxVisit is 960h0m0s; allowed: more than 0 up to 744h0m0s (31 days), or 0 for the default 24h0m0s"},
		{Options{MaxVisit: -time.Nanosecond}, "reimbursement: Options.MaxVisit is -1ns; allowed: more than 0 up to 744h0m0s (31 days), or 0 for the default 24h0m0s"},
		{Options{Workers: -1}, "reimbursement: Options.Workers is -1; allowed: 1 to 1024, or 0 for one per CPU"},
		{Options{Workers: 100000}, "reimbursement: Options.Workers is 100000; allowed: 1 to 1024, or 0 for one per CPU"},
		// Every field out of range is named, in the order of Options.
		{Options{Workers: -1, MaxStaff: 101}, "reimbursement: Options.Workers is -1; allowed: 1 to 1024, or 0 for one per CPU\n" +
			"reimbursement: Options.MaxStaff is 101; allowed: 1 to 100, or 0 for the default 4"},
	} {
		if err := c.opts.Validate(); err == nil || err.Error() != c.want {
			t.Errorf("%+v: Validate: %v, want %s", c.opts, err, c.want)
		}
		if s, err := Settle(context.Background(), book, ds, april2024, c.opts); err == nil || err.Error() != c.want {
			t.Errorf("%+v: Settle: %v (total %v), want %s", c.opts, err, s, c.want)
		}
		called := false
		_, err := SettleCustomers(context.Background(), book, data(), ds.ByCustomer(), april2024, c.opts, func(*Settlement) error {
			called = true
			return nil
		})
		if err == nil || err.Error() != c.want || called {
			t.Errorf("%+v: SettleCustomers: %v (a customer settled: %t), want %s", c.opts, err, called, c.want)
		}
	}
	// At the ends of the ranges, and zero, the visit is settled: 30 min
	// × 448 kr/h ÷ 60 = 224.00 kr, for one of its two staff (no decision
	// orders two: the other is extra_staff); with MaxStaff 1 its two
	// staff are implausible and nothing is paid.
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{}, "224.00"},
		{Options{MaxStaff: 100, MaxGrantedPerDay: 14400, MaxVisit: 31 * 24 * time.Hour, Workers: MaxWorkers}, "224.00"},
		{Options{MaxStaff: 2, MaxGrantedPerDay: 1, MaxVisit: 30 * time.Minute, Workers: 1}, "224.00"},
		{Options{MaxStaff: 1}, "0"},
	} {
		if err := c.opts.Validate(); err != nil {
			t.Errorf("%+v: Validate: %v", c.opts, err)
		}
		s, err := Settle(context.Background(), book, ds, april2024, c.opts)
		if err != nil {
			t.Errorf("%+v: Settle: %v", c.opts, err)
			continue
		}
		if diff := cmp.Diff(c.want, s.Total.String()); diff != "" {
			t.Errorf("%+v: total (-want +got):\n%s", c.opts, diff)
		}
	}
}

// TestLimitsNegative: a negative loader limit is an error naming it,
// once for a book of many files; it took the default (found by a
// vendor's trial of Options, checked here the same way).
func TestLimitsNegative(t *testing.T) {
	src := doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "448", "params": {"require_decision": false}}`)
	l := Loader{Limits: Limits{MaxZones: -1, MaxExprBytes: -2000}}
	want := "reimbursement: Limits.MaxExprBytes is -2000; allowed: 1 or more, or 0 for the default\n" +
		"reimbursement: Limits.MaxZones is -1; allowed: 1 or more, or 0 for the default"
	if _, err := l.ParseVersion(strings.NewReader(src), "test.json"); err == nil || err.Error() != want {
		t.Errorf("ParseVersion: %v, want %s", err, want)
	}
	if _, err := l.LoadBook(fstest.MapFS{"taxa/a.json": {Data: []byte(src)}, "taxa/b.json": {Data: []byte(src)}}, "taxa"); err == nil || err.Error() != want {
		t.Errorf("LoadBook: %v, want %s", err, want)
	}
	if _, err := (Loader{Limits: Limits{MaxZones: 1000}}).ParseVersion(strings.NewReader(src), "test.json"); err != nil {
		t.Errorf("ParseVersion within limits: %v", err)
	}
}

// TestWriteTextNegativeExplain: a negative number of explanations is an
// error, not none.
func TestWriteTextNegativeExplain(t *testing.T) {
	book := mustBook(t, doc(`{"name": "omsorg", "strategy": "performed_time", "when": "category == 'care'", "rate": "448", "params": {"require_decision": false}}`))
	s := settle(t, book, data())
	const want = "reimbursement: WriteText: TextOptions.Explain is -1; allowed: 0 (no explanations) or more"
	var b bytes.Buffer
	if err := s.WriteText(&b, TextOptions{Explain: -1}); err == nil || err.Error() != want {
		t.Errorf("WriteText: %v, want %s", err, want)
	}
	if b.Len() != 0 {
		t.Errorf("WriteText wrote %q before its error", b.String())
	}
}
