package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

// The README shows the quickstart's output; this keeps the two the same.
func TestOutputMatchesREADME(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	main()
	w.Close()
	os.Stdout = stdout
	got := <-done

	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```text\n")
	if !ok {
		t.Fatal("README has no ```text block")
	}
	want, _, _ := strings.Cut(block, "```")
	if strings.TrimSpace(want) != strings.TrimSpace(got) {
		t.Errorf("README's quickstart output is stale; the quickstart prints:\n%s", got)
	}
}
