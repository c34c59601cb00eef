// Command national-month settles a generated month the size of Sweden's
// home care — about 240 000 customers and 20 million visits — customer by
// customer with reimbursement.SettleCustomers, and reports the wall time,
// the CPU time and the peak resident memory.
//
//	go run ./examples/national-month                       # 2 000 customers, a quick look
//	go run ./examples/national-month -customers 240000 -visits 83
//	go run ./examples/national-month -customers 240000 -visits 83 -csv /tmp/visits.csv
//
// Each customer's records are generated from the customer's number alone
// (a fixed seed), so the month never needs to be held in memory. With
// -csv the visits are first written to a visits CSV file, grouped by
// customer, and then read back from it while settling, so that the
// figures include reading the CSV. The lines go to -out as CSV (the
// invoice basis), or nowhere.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"log"
	"os"
	"runtime"
	"strings"
	"time"
	_ "time/tzdata" // settle in Europe/Stockholm on any machine

	"github.com/hemtjanst/ersattning/calendar"
	"github.com/hemtjanst/ersattning/models"
	"github.com/hemtjanst/ersattning/reimbursement"
)

//go:embed tariff.json
var tariff string

func main() {
	log.SetFlags(0)
	cfg := config{}
	flag.IntVar(&cfg.customers, "customers", 2000, "customers in the month")
	flag.IntVar(&cfg.visits, "visits", 83, "visits per customer")
	flag.IntVar(&cfg.providers, "providers", 300, "providers")
	flag.StringVar(&cfg.csv, "csv", "", "write the visits to this CSV file first and settle from it")
	flag.StringVar(&cfg.out, "out", "", "write the lines to this CSV file")
	flag.IntVar(&cfg.workers, "workers", 0, "customers settled in parallel (0: one per CPU)")
	flag.Parse()
	if err := run(context.Background(), cfg, os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	customers, visits, providers, workers int
	csv, out                              string
}

func run(ctx context.Context, cfg config, stdout, progress io.Writer) error {
	if cfg.customers < 1 || cfg.visits < 0 || cfg.providers < 1 {
		return errors.New("national-month: -customers and -providers must be positive, -visits not negative")
	}
	start := time.Now()
	v, err := reimbursement.ParseVersion(strings.NewReader(tariff), "tariff.json")
	if err != nil {
		return err
	}
	book, err := reimbursement.NewBook(v)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return err
	}
	april, err := calendar.Month(2024, time.April, loc)
	if err != nil {
		return err
	}
	g := newGenerator(cfg, april)
	customers := g.customers()
	if cfg.csv != "" {
		if err := g.writeVisitsCSV(cfg.csv); err != nil {
			return err
		}
		fmt.Fprintf(progress, "wrote %s in %s\n", cfg.csv, time.Since(start).Round(time.Millisecond))
		f, err := os.Open(cfg.csv)
		if err != nil {
			return err
		}
		defer f.Close()
		customers = g.customersFromCSV(f, cfg.csv)
	}
	out := io.Discard
	if cfg.out != "" {
		f, err := os.Create(cfg.out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	sink := newLineSink(out, progress, cfg.customers)
	settleStart := time.Now()
	total, err := reimbursement.SettleCustomers(ctx, book, g.shared(), customers, april,
		reimbursement.Options{NoExplain: true, Workers: cfg.workers}, sink.write)
	if err != nil {
		return err
	}
	if err := sink.flush(); err != nil {
		return err
	}
	report(stdout, cfg, total, sink, time.Since(settleStart), time.Since(start))
	return nil
}

// report prints the month's totals and what settling it cost.
func report(w io.Writer, cfg config, total *reimbursement.Settlement, sink *lineSink, settle, wall time.Duration) {
	cpu, peak := usage()
	k := total.KeyFigures
	fmt.Fprintf(w, "Month %s: %d customers, %d visits, %d providers, %d lines\n",
		total.Period, cfg.customers, cfg.customers*cfg.visits, len(total.Providers), sink.lines)
	fmt.Fprintf(w, "Total %s kr; granted %d min, performed %d min, performed share %s\n",
		total.Total, k.GrantedMinutes, k.PerformedMinutes, share(k.PerformedShare))
	fmt.Fprintf(w, "Settling %s, wall %s, CPU %s on %d CPUs, peak RSS %d MiB\n",
		settle.Round(time.Millisecond), wall.Round(time.Millisecond), cpu.Round(time.Millisecond),
		runtime.GOMAXPROCS(0), peak>>20)
}

func share(a *reimbursement.Amount) string {
	if a == nil {
		return "–"
	}
	return a.String()
}

// customersOf turns a generator function into the iterator
// SettleCustomers reads.
func customersOf(n int, gen func(i int) *models.Dataset) iter.Seq2[*models.Dataset, error] {
	return func(yield func(*models.Dataset, error) bool) {
		for i := range n {
			if !yield(gen(i), nil) {
				return
			}
		}
	}
}
