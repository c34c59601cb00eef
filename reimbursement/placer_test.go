package reimbursement

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestPlacerOrder puts cases out of order, from two workers, one of them
// without a buffer to spare: the output holds each case's lines and
// records in the output's order, every buffer goes back to its worker
// emptied, and the case that waited in memory of its own leaves its
// worker the buffer it was settled in.
func TestPlacerOrder(t *testing.T) {
	p := &placer{order: []int{0, 1, 2, 3}, waiting: make([]*caseOut, 4)}
	a, b := &worker{}, &worker{}
	settled := func(w *worker, name string, lines int) *caseOut {
		p.take(w)
		o := w.cur
		for i := range lines {
			o.lines = append(o.lines, Line{Customer: name, Divisor: int64(i)})
		}
		o.unpaid = append(o.unpaid, Unpaid{ID: name})
		return o
	}
	p.put(1, b, settled(b, "k1", 2)) // waits in b's buffer
	b.made = caseBufs                // b may make no more buffers
	kept := settled(b, "k2", 1)
	p.put(2, b, kept) // waits in memory of its own
	if len(b.bufs) != 1 || b.bufs[0] != kept {
		t.Fatalf("b's free buffers %v, want the one k2 was settled in", b.bufs)
	}
	if len(kept.lines) != 0 || len(kept.unpaid) != 0 {
		t.Errorf("the buffer handed back holds %d lines and %d records", len(kept.lines), len(kept.unpaid))
	}
	p.put(0, a, settled(a, "k0", 1)) // places k0, k1 and k2
	p.put(3, a, settled(a, "k3", 0))
	want := []Line{{Customer: "k0"}, {Customer: "k1"}, {Customer: "k1", Divisor: 1}, {Customer: "k2"}}
	if d := cmp.Diff(want, p.lines, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	wantUnpaid := []Unpaid{{ID: "k0"}, {ID: "k1"}, {ID: "k2"}, {ID: "k3"}}
	if d := cmp.Diff(wantUnpaid, p.unpaid); d != "" {
		t.Errorf("not paid (-want +got):\n%s", d)
	}
	if p.next != 4 || len(a.bufs) != 1 || len(b.bufs) != 2 {
		t.Errorf("next %d, a has %d free buffers (want 1), b %d (want 2)", p.next, len(a.bufs), len(b.bufs))
	}
	for _, o := range append(a.bufs, b.bufs...) {
		for _, l := range o.lines[:cap(o.lines)] {
			if l.Customer != "" {
				t.Errorf("a free buffer keeps a line of %s", l.Customer)
			}
		}
	}
}

// TestPlacerRoom checks the sizes room grows to: doubling among the
// first 64th of the cases, then the whole settlement as the cases placed
// foretell it and an eighth more (+16), exact for the last case.
func TestPlacerRoom(t *testing.T) {
	for _, c := range []struct {
		name                string
		len, cap, n, placed int
		cases, want         int
	}{
		{"fits", 10, 20, 10, 5, 6400, 20},
		{"first cases double", 10, 10, 4, 5, 6400, 20},
		{"first case", 0, 0, 3, 1, 6400, 16},
		// 100 lines from 100 of 6 400 cases: 6 400 foretold, + 800 + 16.
		{"foretold", 90, 90, 10, 100, 6400, 7216},
		{"last case exact", 7216, 7216, 5, 6400, 6400, 7221},
	} {
		got := cap(room(make([]Line, c.len, c.cap), c.n, c.placed, c.cases))
		if got != c.want {
			t.Errorf("%s: capacity %d, want %d", c.name, got, c.want)
		}
	}
}

// TestSettleSameForAnyWorkers settles a month of 400 customers with 1,
// 2, 3 and 16 workers: the workers place their cases' lines and records
// in the output as they go (see placer), in whatever order they finish,
// and the JSON is the same byte for byte. With 16 workers on few cores
// most cases finish before the ones ahead of them and wait.
func TestSettleSameForAnyWorkers(t *testing.T) {
	v, err := LoadVersion(os.DirFS("testdata"), "mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	book, err := NewBook(v)
	if err != nil {
		t.Fatal(err)
	}
	ds := benchDataset(400, 12)
	var want string
	for _, workers := range []int{1, 2, 3, 16} {
		s, err := Settle(context.Background(), book, ds, april2024, Options{NoExplain: true, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := s.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if workers == 1 {
			want = b.String()
			continue
		}
		if d := cmp.Diff(want, b.String()); d != "" {
			t.Errorf("workers %d: the JSON differs from one worker's (-1 +%d):\n%s", workers, workers, d)
		}
	}
}
