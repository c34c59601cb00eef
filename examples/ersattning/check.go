package main

import (
	"errors"
	"fmt"
	"io"
)

// runCheck loads each tariff directory and lists every problem, one a
// line, each naming its file, line and path.
func runCheck(args []string, stdout, stderr io.Writer) error {
	fs, _ := newFlags("check", "DIR...", stderr)
	if err := fs.Parse(args); err != nil { // its arguments are the directories
		return errUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	problems := 0
	for _, dir := range fs.Args() {
		book, err := loadBook(dir)
		if err != nil {
			for _, e := range flatten(err) {
				fmt.Fprintf(stdout, "%s: %v\n", dir, e)
				problems++
			}
			continue
		}
		for _, v := range book.Versions() {
			to := "open"
			if !v.ValidTo().IsZero() {
				to = v.ValidTo().String()
			}
			n := len(v.Components())
			noun := "components"
			if n == 1 {
				noun = "component"
			}
			fmt.Fprintf(stdout, "%s: ok: %s (%s), %s – %s, %d %s\n", dir, v.Name(), v.File(), v.ValidFrom(), to, n, noun)
		}
	}
	switch {
	case problems == 1:
		return errors.New("1 problem")
	case problems > 1:
		return fmt.Errorf("%d problems", problems)
	}
	return nil
}

// flatten returns the errors joined in err, recursively.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	var out []error
	if err != nil {
		out = append(out, err)
	}
	return out
}
