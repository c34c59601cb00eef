package reimbursement

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hemtjanst/ersattning/models"
)

// A run that fails (here the sink: a closed pipe, a full disk) while the
// iterator is waiting for input (a pipe, a network that stalled) after a
// full batch does not return, and cancelling ctx does not end it either:
// the deferred stop(true) waits for the reader, which waits on customers,
// and nothing there watches ctx. The doc: "Once ctx is cancelled, no
// customer is handed to sink, and the run stops with ctx's error soon
// after, even while customers is waiting for input (a pipe, a network)".
func TestAttack79SinkErrorWhileIteratorWaitsHangsPastCancel(t *testing.T) {
	book := mixedBook(t)
	ds := benchDataset(8, 2)
	parts := splitByCustomer(ds)
	release, waiting := make(chan struct{}), make(chan struct{})
	defer close(release)
	const workers = 1 // batches of 4*workers customers
	customers := func(yield func(*models.Dataset, error) bool) {
		for _, p := range parts[:4*workers] {
			if !yield(p, nil) {
				return
			}
		}
		close(waiting)
		<-release // the export stalls
	}
	full := errors.New("the disk is full")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := SettleCustomers(ctx, book, ds, customers, april2024, Options{Workers: workers},
			func(*Settlement) error { return full })
		done <- err
	}()
	<-waiting
	select {
	case err := <-done:
		t.Logf("returned: %v", err)
		return
	case <-time.After(2 * time.Second):
	}
	cancel()
	select {
	case err := <-done:
		t.Errorf("returned only once cancelled: %v", err)
	case <-time.After(3 * time.Second):
		t.Errorf("SettleCustomers failed (sink: %v) yet did not return, not even 3 s after ctx was cancelled: it waits for the stalled iterator", full)
	}
}

// Cancelled while a batch is being handed on (or settled), with the
// iterator waiting for input: the run returns through the paths that
// wait for the reader (wait stays true), so it does not stop "soon
// after" the cancel, as the doc promises "even while customers is
// waiting for input (a pipe, a network)"; it waits as long as the
// export stalls.
func TestAttack79CancelDuringBatchWhileIteratorWaitsHangs(t *testing.T) {
	book := mixedBook(t)
	ds := benchDataset(8, 2)
	parts := splitByCustomer(ds)
	release, waiting := make(chan struct{}), make(chan struct{})
	defer close(release)
	const workers = 1
	customers := func(yield func(*models.Dataset, error) bool) {
		for _, p := range parts[:4*workers] {
			if !yield(p, nil) {
				return
			}
		}
		close(waiting)
		<-release // the export stalls
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	sunk := 0
	go func() {
		_, err := SettleCustomers(ctx, book, ds, customers, april2024, Options{Workers: workers},
			func(*Settlement) error {
				if sunk++; sunk == 1 {
					<-waiting // the reader now waits for input
					cancel()
				}
				return nil
			})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("SettleCustomers: %v, want context.Canceled", err)
		}
	case <-time.After(3 * time.Second):
		t.Errorf("ctx cancelled while the iterator waits for input: SettleCustomers has not returned 3 s later")
	}
}
