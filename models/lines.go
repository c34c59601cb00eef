package models

import (
	"bytes"
	"io"
	"io/fs"
	"sort"
	"unicode/utf8"
)

// lineIndex finds the line and column of a byte offset in a text without
// rescanning it: the offsets of the line starts, and checkpoints every
// checkpointGap bytes or so along a long line, are collected once, on
// first use, and searched. A column is counted in characters from the
// nearest checkpoint of the line (or its start), so it costs at most
// checkpointGap bytes however long the line (a minified document is one).
type lineIndex struct {
	data   []byte
	starts []int
	checks []checkpoint // in the order of the text
}

// checkpoint is the start of a character (as utf8.DecodeRune steps
// through a line) at byte offset off, col characters after the start of
// its line.
type checkpoint struct {
	off, col int
}

const checkpointGap = 1 << 10

// pos returns the 1-based line and column (in characters) of byte offset
// off.
func (x *lineIndex) pos(off int) (line, col int) {
	x.build()
	off = max(0, min(off, len(x.data)))
	i := sort.SearchInts(x.starts, off+1) - 1
	from := x.starts[i]
	k := sort.Search(len(x.checks), func(k int) bool { return x.checks[k].off > off }) - 1
	if k >= 0 && x.checks[k].off > from {
		from, col = x.checks[k].off, x.checks[k].col
	}
	return i + 1, col + runeCount(x.data[from:off]) + 1
}

func (x *lineIndex) build() {
	if x.starts != nil {
		return
	}
	x.starts = append(x.starts, 0)
	last, col := 0, 0 // the last line start or checkpoint, the column at i
	for i := 0; i < len(x.data); {
		if i-last >= checkpointGap {
			x.checks = append(x.checks, checkpoint{i, col})
			last = i
		}
		_, n := utf8.DecodeRune(x.data[i:])
		if x.data[i] == '\n' {
			x.starts = append(x.starts, i+1)
			last, col = i+1, 0
		} else {
			col++
		}
		i += n
	}
}

// runeCount is utf8.RuneCount without its copy of b (it counts a
// multibyte text as a string).
func runeCount(b []byte) (n int) {
	for ; len(b) > 0; n++ {
		_, size := utf8.DecodeRune(b)
		b = b[size:]
	}
	return n
}

// sizeHint returns the size of what r reads when r tells it
// (bytes.Reader, strings.Reader, os.File), or 0.
func sizeHint(r io.Reader) int {
	switch x := r.(type) {
	case interface{ Len() int }:
		return x.Len()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := x.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() < 1<<40 {
			return int(fi.Size())
		}
	}
	return 0
}

// readAll reads r to its end, in one allocation when r tells its size.
func readAll(r io.Reader) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(sizeHint(r) + bytes.MinRead)
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}
