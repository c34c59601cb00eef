package models

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// A line longer than the reader's buffer (64 KiB) with multibyte text is
// read like a short one, wherever a character falls on the buffer's
// edge; the bytes of a bad one are still named at their line and column.
// (The UTF-8 check asked for room for a whole character and failed with
// "short buffer" when bufio offered less.)
func TestCSVLongMultibyteLines(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		char := rapid.SampledFrom([]string{"ö", "€", "𝄞"}).Draw(t, "char")
		pad := rapid.IntRange(0, 3).Draw(t, "pad")
		n := rapid.IntRange(1<<16/len(char)-4, 1<<17/len(char)).Draw(t, "chars")
		note := strings.Repeat("a", pad) + strings.Repeat(char, n)
		var b bytes.Buffer
		b.WriteString("id;customer;provider;start;end;tasks;approved;anteckning\n")
		for i := range 3 {
			fmt.Fprintf(&b, "v%d;k1;egen;2024-04-0%d 08:00;2024-04-0%d 08:20;Dusch;ja;%s\n", i, i+1, i+1, note)
		}
		vs, err := ReadVisitsCSV(bytes.NewReader(b.Bytes()), probeLoc)
		if err != nil {
			t.Fatalf("%d × %q after %d bytes: %v", n, char, pad, err)
		}
		if len(vs) != 3 {
			t.Fatalf("%d visits, want 3", len(vs))
		}
		// A byte that is not UTF-8 after the long note, on line 3.
		bad := bytes.Replace(b.Bytes(), []byte("v2;k1"), []byte("v2;k\xff"), 1)
		_, err = ReadVisitsCSV(bytes.NewReader(bad), probeLoc)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Line != 4 || ie.Column != 5 || !strings.Contains(err.Error(), "invalid UTF-8") {
			t.Fatalf("a bad byte at 4:5: %v", err)
		}
	})
}

// A line past maxLineBytes (a file that is no CSV, a column of pasted
// data) ends the reading with an error at its line, column 1, without
// being held: on the old code a line of 100 MB was read whole, taking
// 672 MB, and one of some gigabytes would have taken the process's
// memory, in VisitsCSV, whose memory is not to grow with the file. A
// line of maxLineBytes is still read.
func TestCSVLineTooLong(t *testing.T) {
	const header = "id;customer;provider;start;end;tasks;approved;anteckning\r\n"
	file := func(note int) []byte {
		var b bytes.Buffer
		b.WriteString(header)
		b.WriteString("v1;k1;egen;2024-04-01 08:00;2024-04-01 08:20;Dusch;ja;x\r\n")
		rec := "v2;k1;egen;2024-04-01 09:00;2024-04-01 09:20;Dusch;ja;"
		b.WriteString(rec + strings.Repeat("a", note-len(rec)-2) + "\r\n")
		b.WriteString("v3;k1;egen;2024-04-01 10:00;2024-04-01 10:20;Dusch;ja;x\r\n")
		return b.Bytes()
	}
	opts := CSVOptions{File: "lång.csv", Location: probeLoc}
	vs, err := ReadVisitsCSVWith(bytes.NewReader(file(maxLineBytes)), opts)
	if err != nil || len(vs) != 3 {
		t.Fatalf("a line of %d bytes: %d visits, %v", maxLineBytes, len(vs), err)
	}
	const long = 64 << 20
	data := file(long)
	want := "models: lång.csv:3:1: the line runs on over a megabyte"
	_, err = ReadVisitsCSVWith(bytes.NewReader(data), opts)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Line != 3 || ie.Column != 1 || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("ReadVisitsCSVWith: %v, want %s", err, want)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var got []string
	for v, err := range VisitsCSV(bytes.NewReader(data), opts) {
		if err != nil {
			got = append(got, err.Error())
		} else {
			got = append(got, v.ID)
		}
	}
	runtime.ReadMemStats(&after)
	if len(got) != 2 || got[0] != "v1" || !strings.HasPrefix(got[1], want) {
		t.Errorf("VisitsCSV yielded %q, want v1 and %s", got, want)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("VisitsCSV of a line of %d MiB allocated %d MiB", long>>20, n>>20)
	}
}
