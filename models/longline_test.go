package models

import (
	"bytes"
	"errors"
	"fmt"
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
