// Command ersattning settles home-care reimbursement (ersättning i
// hemtjänsten) for people who do not write Go: it checks tariffs, settles
// a month and writes the invoice basis and Peppol invoices, compares a
// proposed tariff with the current one, explains one customer's lines, and
// corrects a month already invoiced (efterreglering).
// It is built only on the library's public API.
//
//	go install github.com/hemtjanst/ersattning/examples/ersattning@latest
//	(or from a clone of the repository: go run ./examples/ersattning ...)
//
//	ersattning check    DIR...
//	ersattning settle   -month 2021-03 -tariffs DIR -data dataset.json [-data visits.csv] [-out DIR] [-format text|excel|...]
//	ersattning compare  -base DIR -proposed DIR -data dataset.json -months 2024-01,2024-02 [-budget 2%] [-format text|csv|excel|json|html]
//	ersattning explain  -month 2021-03 -tariffs DIR -data dataset.json -customer t2
//	ersattning correct  -issued settlement.json -month 2021-03 -tariffs DIR -data dataset.json
//
// Data files are datasets in JSON, merged in order and validated once
// as one dataset (models.ReadDatasetParts: a file may refer to another's
// customers; a task, customer or provider given alike in several files
// is kept once, given otherwise an error naming both files; every error
// names its file, line and the record's index in its own file), or
// visits in CSV (a time-registration export read by
// models.ReadVisitsCSVWith, errors naming file and line), added to the
// merged dataset; -encoding utf-8|windows-1252
// states the CSV files' encoding where detection refuses it. Times are
// in Europe/Stockholm. Progress goes to stderr; -q silences it. The exit
// code is 0 on success, 1 when the input or a check fails, 2 on a usage
// error.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // settle in Europe/Stockholm on any machine
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage: ersattning <command> [flags]

commands:
  check    DIR...   load tariff directories and list every problem
  settle            settle a month: report, CSV, JSON, invoice basis, Peppol XML
  compare           compare a proposed tariff with the current one over months
  explain           explain one customer's lines in a month
  correct           settle a month again and write the correction against the issued settlement

Run ersattning <command> -h for the flags of a command.
`

// errUsage marks an error in the command line: exit code 2.
var errUsage = errors.New("usage")

// flagError is a flag's value the command cannot take: said, and exit
// code 2, as for any error in the command line.
type flagError struct{ msg string }

func (e flagError) Error() string        { return e.msg }
func (e flagError) Is(target error) bool { return target == errUsage }

// badFlag returns a flagError.
func badFlag(format string, args ...any) error { return flagError{fmt.Sprintf(format, args...)} }

// run runs the command line args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "check":
		err = runCheck(args[1:], stdout, stderr)
	case "settle":
		err = runSettle(args[1:], stdout, stderr)
	case "compare":
		err = runCompare(args[1:], stdout, stderr)
	case "explain":
		err = runExplain(args[1:], stdout, stderr)
	case "correct":
		err = runCorrect(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "ersattning: unknown command %q\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		if err != errUsage { // errUsage alone: the usage is printed
			fmt.Fprintf(stderr, "ersattning %s: %v\n", args[0], err)
		}
		return 2
	default:
		fmt.Fprintf(stderr, "ersattning %s: %v\n", args[0], err)
		return 1
	}
}
