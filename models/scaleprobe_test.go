package models

// Scale probes of the readers and Validate: hostile but well-formed
// inputs at growing sizes. Run one at a time:
//
//	SCALE_PROBE=1 go test ./models -run 'TestScaleProbe/NAME' -v -timeout 120s

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/hemtjanst/ersattning/calendar"
)

const scaleBudget = 8 * time.Second

func probeSizes(def ...int) []int {
	s := os.Getenv("PROBE_SIZES")
	if s == "" {
		return def
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func runProbe(t *testing.T, name string, sizes []int, setup func(n int) (func(), int)) {
	t.Helper()
	var prevDur time.Duration
	var prevBytes uint64
	prevN := 0
	for _, n := range sizes {
		op, inBytes := setup(n)
		runtime.GC()
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		t0 := time.Now()
		op()
		dur := time.Since(t0)
		runtime.ReadMemStats(&b)
		bytesAlloc, allocs := b.TotalAlloc-a.TotalAlloc, b.Mallocs-a.Mallocs
		ratio := ""
		if prevDur > 0 {
			ratio = fmt.Sprintf("  time x%.2f, bytes x%.2f for n x%.2f", float64(dur)/float64(prevDur),
				float64(bytesAlloc)/float64(max(prevBytes, 1)), float64(n)/float64(prevN))
		}
		t.Logf("PROBE %-26s n=%-7d input %9d B %10.3f ms %12d B %10d allocs%s", name, n, inBytes, float64(dur.Microseconds())/1000,
			bytesAlloc, allocs, ratio)
		prevDur, prevBytes, prevN = dur, bytesAlloc, n
		if dur > scaleBudget {
			t.Logf("PROBE %-26s stopped: over the budget of %s", name, scaleBudget)
			break
		}
	}
}

var probeLoc = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return loc
}()

// probeDataset has one customer, one provider, a task and n visits; bad
// makes each visit refer to a customer that does not exist.
func probeDataset(n int, badCustomer bool) *Dataset {
	ds := &Dataset{
		Tasks:     []LocalTask{{Local: "Dusch", Category: Care}},
		Customers: []Customer{{ID: "k1", Zone: "tätort"}},
		Providers: []Provider{{ID: "egen", Name: "Egen", Ownership: OwnOperation}},
		Decisions: []Decision{{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-01-01"),
			ExecutionStarted: calendar.MustParseDate("2024-01-01"),
			Items:            []GrantedItem{{Task: "Dusch", Category: Care, Minutes: 30, Times: 1, Per: PerDay}}}},
	}
	s := time.Date(2024, 4, 1, 0, 0, 0, 0, probeLoc)
	for i := range n {
		c := "k1"
		if badCustomer {
			c = "nobody"
		}
		st := s.Add(time.Duration(i) * time.Minute)
		ds.Visits = append(ds.Visits, Visit{ID: fmt.Sprintf("v%07d", i), Customer: c, Provider: "egen", Start: st, End: st.Add(20 * time.Minute),
			Tasks: []string{"Dusch"}, Role: CareStaff, Approved: true})
	}
	return ds
}

func marshal(t testing.TB, ds *Dataset, indent bool) []byte {
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(ds, "", " ")
	} else {
		b, err = json.Marshal(ds)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestScaleProbe(t *testing.T) {
	if os.Getenv("SCALE_PROBE") == "" {
		t.Skip("scale probes: set SCALE_PROBE=1 (and PROBE_SIZES) to run")
	}
	// Baseline: a valid dataset of n visits, on one line.
	t.Run("read_valid_minified", func(t *testing.T) {
		runProbe(t, "read_valid_minified", probeSizes(10000, 20000, 40000, 80000), func(n int) (func(), int) {
			b := marshal(t, probeDataset(n, false), false)
			return func() {
				if _, err := ReadDataset(bytes.NewReader(b)); err != nil {
					t.Fatal(err)
				}
			}, len(b)
		})
	})
	// n visits of an unknown customer, the document on one line (as
	// json.Marshal writes it): every error's column is counted from the
	// start of the line.
	t.Run("read_errors_minified", func(t *testing.T) {
		runProbe(t, "read_errors_minified", probeSizes(2500, 5000, 10000, 20000, 40000), func(n int) (func(), int) {
			b := marshal(t, probeDataset(n, true), false)
			return func() {
				if _, err := ReadDataset(bytes.NewReader(b)); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})
	// The same with ASCII text only: no copy, still a count from the
	// start of the line.
	t.Run("read_errors_minified_ascii", func(t *testing.T) {
		runProbe(t, "read_errors_minified_ascii", probeSizes(2500, 5000, 10000, 20000, 40000), func(n int) (func(), int) {
			ds := probeDataset(n, true)
			ds.Customers[0].Zone = "tatort"
			b := marshal(t, ds, false)
			return func() {
				if _, err := ReadDataset(bytes.NewReader(b)); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})
	// The same, indented: a record per few lines.
	t.Run("read_errors_indented", func(t *testing.T) {
		runProbe(t, "read_errors_indented", probeSizes(2500, 5000, 10000, 20000, 40000), func(n int) (func(), int) {
			b := marshal(t, probeDataset(n, true), true)
			return func() {
				if _, err := ReadDataset(bytes.NewReader(b)); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})
	// n visits whose role does not decode, on one line: each record is
	// decoded alone and placed (locate, then the column).
	t.Run("read_decode_errors_minified", func(t *testing.T) {
		runProbe(t, "read_decode_errors_minified", probeSizes(2500, 5000, 10000, 20000, 40000), func(n int) (func(), int) {
			b := marshal(t, probeDataset(n, false), false)
			b = bytes.ReplaceAll(b, []byte(`"role":"care_staff"`), []byte(`"role":"juggler"`))
			return func() {
				if _, err := ReadDataset(bytes.NewReader(b)); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})
	// One decision of n items, each of an unknown task, on one line after
	// n valid visits: n errors, each placed at the decision's "items".
	t.Run("read_item_errors_minified", func(t *testing.T) {
		runProbe(t, "read_item_errors_minified", probeSizes(2500, 5000, 10000, 20000, 40000), func(n int) (func(), int) {
			ds := probeDataset(n, false)
			ds.Decisions[0].Items = nil
			for range n {
				ds.Decisions[0].Items = append(ds.Decisions[0].Items, GrantedItem{Task: "Okänd", Category: Care, Minutes: 1, Times: 1, Per: PerMonth})
			}
			// decisions after visits in the document
			b := marshal(t, ds, false)
			var m map[string]json.RawMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			buf.WriteString("{")
			for i, k := range []string{"tasks", "customers", "providers", "visits", "decisions"} {
				if i > 0 {
					buf.WriteString(",")
				}
				fmt.Fprintf(&buf, "%q:%s", k, m[k])
			}
			buf.WriteString("}")
			b = buf.Bytes()
			return func() {
				if _, err := ReadDataset(bytes.NewReader(b)); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})

	// Validate: n consecutive decisions of one customer (the fixed
	// overlap check), n open-ended overlapping ones (n errors), n zone
	// changes.
	t.Run("validate_decisions_consecutive", func(t *testing.T) {
		runProbe(t, "validate_decisions_consecutive", probeSizes(10000, 20000, 40000, 80000), func(n int) (func(), int) {
			ds := probeDataset(0, false)
			ds.Decisions = nil
			first := calendar.MustParseDate("2000-01-01")
			for i := range n {
				day := first.AddDays(i)
				ds.Decisions = append(ds.Decisions, Decision{ID: fmt.Sprintf("b%07d", i), Customer: "k1", Provider: "egen", ValidFrom: day, ValidTo: day,
					ExecutionStarted: day, Items: []GrantedItem{{Task: "Dusch", Category: Care, Minutes: 30, Times: 1, Per: PerDay}}})
			}
			return func() {
				if err := ds.Validate(); err != nil {
					t.Fatal(err)
				}
			}, 0
		})
	})
	t.Run("validate_decisions_open_overlapping", func(t *testing.T) {
		runProbe(t, "validate_decisions_open_overlap", probeSizes(10000, 20000, 40000, 80000), func(n int) (func(), int) {
			ds := probeDataset(0, false)
			ds.Decisions = nil
			first := calendar.MustParseDate("2000-01-01")
			for i := range n {
				day := first.AddDays(i)
				ds.Decisions = append(ds.Decisions, Decision{ID: fmt.Sprintf("b%07d", i), Customer: "k1", Provider: "egen", ValidFrom: day,
					ExecutionStarted: day, Items: []GrantedItem{{Task: "Dusch", Category: Care, Minutes: 30, Times: 1, Per: PerDay}}})
			}
			return func() {
				if err := ds.Validate(); err == nil {
					t.Fatal("no error")
				}
			}, 0
		})
	})
	t.Run("validate_zone_changes", func(t *testing.T) {
		runProbe(t, "validate_zone_changes", probeSizes(10000, 20000, 40000, 80000), func(n int) (func(), int) {
			ds := probeDataset(0, false)
			first := calendar.MustParseDate("1900-01-01")
			for i := range n {
				ds.Customers[0].ZoneChanges = append(ds.Customers[0].ZoneChanges, ZoneChange{From: first.AddDays(i), Zone: "z"})
			}
			return func() {
				if err := ds.Validate(); err != nil {
					t.Fatal(err)
				}
			}, 0
		})
	})
	// Granted of n items with n absences: each call reads every absence,
	// as it must without knowing the others (n × n); Paused once and
	// GrantedPaused per item is linear.
	itemsAbsences := func(n int) (Decision, []Absence, calendar.Period) {
		dec := Decision{ID: "b1", Customer: "k1", Provider: "egen", ValidFrom: calendar.MustParseDate("2024-01-01"),
			ExecutionStarted: calendar.MustParseDate("2024-01-01")}
		for range n {
			dec.Items = append(dec.Items, GrantedItem{Task: "Dusch", Category: Care, Minutes: 30, Times: 1, Per: PerDay})
		}
		var abs []Absence
		first := calendar.MustParseDate("2024-03-31").AddDays(-n)
		for i := range n {
			day := first.AddDays(i)
			abs = append(abs, Absence{ID: fmt.Sprintf("a%d", i), Customer: "k1", From: day, To: day, Reason: Hospital})
		}
		p, _ := calendar.Month(2024, time.April, probeLoc)
		return dec, abs, p
	}
	t.Run("granted_items_x_absences", func(t *testing.T) {
		runProbe(t, "granted_items_x_absences", probeSizes(500, 1000, 2000, 4000), func(n int) (func(), int) {
			dec, abs, p := itemsAbsences(n)
			return func() {
				for i := range dec.Items {
					dec.Granted(i, p, abs)
				}
			}, 0
		})
	})
	t.Run("granted_paused_items_x_absences", func(t *testing.T) {
		runProbe(t, "granted_paused_items_x_absences", probeSizes(500, 1000, 2000, 4000), func(n int) (func(), int) {
			dec, abs, p := itemsAbsences(n)
			return func() {
				paused := Paused(p, dec.Customer, abs)
				for i := range dec.Items {
					dec.GrantedPaused(i, p, p.Dates(), paused)
				}
			}, 0
		})
	})

	// CSV: n valid rows; n rows with a bad time; a header of n columns
	// all named id.
	csvRows := func(n int, bad bool) []byte {
		var b bytes.Buffer
		b.WriteString("id;customer;provider;start;end;tasks;approved\n")
		s := time.Date(2024, 4, 1, 0, 0, 0, 0, probeLoc)
		for i := range n {
			st := s.Add(time.Duration(i) * time.Minute)
			start := st.Format("2006-01-02 15:04")
			if bad {
				start = "2024-13-45 99:99"
			}
			fmt.Fprintf(&b, "v%07d;k1;egen;%s;%s;Dusch;ja\n", i, start, st.Add(20*time.Minute).Format("2006-01-02 15:04"))
		}
		return b.Bytes()
	}
	t.Run("csv_valid", func(t *testing.T) {
		runProbe(t, "csv_valid", probeSizes(10000, 20000, 40000, 80000), func(n int) (func(), int) {
			b := csvRows(n, false)
			return func() {
				if _, err := ReadVisitsCSV(bytes.NewReader(b), probeLoc); err != nil {
					t.Fatal(err)
				}
			}, len(b)
		})
	})
	t.Run("csv_errors", func(t *testing.T) {
		runProbe(t, "csv_errors", probeSizes(10000, 20000, 40000, 80000), func(n int) (func(), int) {
			b := csvRows(n, true)
			return func() {
				if _, err := ReadVisitsCSV(bytes.NewReader(b), probeLoc); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})
	t.Run("csv_dup_header", func(t *testing.T) {
		runProbe(t, "csv_dup_header", probeSizes(5000, 10000, 20000, 40000, 80000), func(n int) (func(), int) {
			b := []byte(strings.Repeat("id;", n) + "customer;provider;start;end;approved\n")
			return func() {
				if _, err := ReadVisitsCSV(bytes.NewReader(b), probeLoc); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})
	// A row of n columns with the bad field last: where() counts the
	// multibyte characters of the fields before it.
	t.Run("csv_wide_row_errors", func(t *testing.T) {
		runProbe(t, "csv_wide_row_errors", probeSizes(250, 500, 1000, 2000), func(n int) (func(), int) {
			var b bytes.Buffer
			for j := range n {
				fmt.Fprintf(&b, "x%d;", j)
			}
			b.WriteString("id;customer;provider;start;end;approved\n")
			for i := range n {
				b.WriteString(strings.Repeat("ö;", n))
				fmt.Fprintf(&b, "v%d;k1;egen;bad;bad;ja\n", i)
			}
			out := b.Bytes()
			return func() {
				if _, err := ReadVisitsCSV(bytes.NewReader(out), probeLoc); err == nil {
					t.Fatal("no error")
				}
			}, len(out)
		})
	})

	// One decision of n items of an unknown task whose id (written
	// before "items") is 100·n bytes, indented: fieldOffset searches the
	// record from its start for each error.
	t.Run("read_item_errors_long_id", func(t *testing.T) {
		runProbe(t, "read_item_errors_long_id", probeSizes(2500, 5000, 10000, 20000), func(n int) (func(), int) {
			ds := probeDataset(0, false)
			ds.Decisions[0].ID = strings.Repeat("b", 100*n)
			ds.Decisions[0].Items = nil
			for range n {
				ds.Decisions[0].Items = append(ds.Decisions[0].Items, GrantedItem{Task: "Okänd", Category: Care, Minutes: 1, Times: 1, Per: PerMonth})
			}
			b := marshal(t, ds, true)
			return func() {
				if _, err := ReadDataset(bytes.NewReader(b)); err == nil {
					t.Fatal("no error")
				}
			}, len(b)
		})
	})
}
