package models

import (
	"bytes"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// oldPos is lineIndex.pos as it was, counting from the start of the line
// each time.
func oldPos(data []byte, off int) (line, col int) {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	off = max(0, min(off, len(data)))
	i := sort.SearchInts(starts, off+1) - 1
	return i + 1, utf8.RuneCount(data[starts[i]:off]) + 1
}

// TestLinePosMatchesCount: the checkpoints give every offset, asked in
// any order, the line and column of a count from the start of its line,
// in text with multibyte characters, invalid UTF-8 and long lines.
func TestLinePosMatchesCount(t *testing.T) {
	pieces := []string{"a", "\n", "ö", "€", "𝄞", "\xff", "\xc3", "\xe2\x82", "\xf0\x9d\x84", "\xed\xa0\x80",
		strings.Repeat("x", 700), strings.Repeat("ö", 300), strings.Repeat("€\xe2", 200)}
	rapid.Check(t, func(t *rapid.T) {
		data := []byte(strings.Join(rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 60).Draw(t, "text"), ""))
		offs := rapid.SliceOfN(rapid.IntRange(-2, len(data)+2), 1, 50).Draw(t, "offsets")
		x := &lineIndex{data: data}
		for _, off := range offs {
			line, col := x.pos(off)
			wantLine, wantCol := oldPos(data, off)
			if line != wantLine || col != wantCol {
				t.Fatalf("pos(%d) = %d:%d, want %d:%d", off, line, col, wantLine, wantCol)
			}
		}
	})
}

// TestLinePosLongLine: columns of 10 000 offsets along one line of 2 MB
// (a minified document) are not each counted from the start of the line.
func TestLinePosLongLine(t *testing.T) {
	n := 1 << 20
	if testing.Short() {
		n = 64 << 10
	}
	x := &lineIndex{data: bytes.Repeat([]byte("ö"), n)}
	for k := range 10000 {
		off := k * n / 10000 * 2
		if line, col := x.pos(off); line != 1 || col != off/2+1 {
			t.Fatalf("pos(%d) = %d:%d, want 1:%d", off, line, col, off/2+1)
		}
	}
}
