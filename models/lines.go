package models

import (
	"bytes"
	"io"
	"io/fs"
	"sort"
	"unicode/utf8"
)

// lineIndex finds the line and column of a byte offset in a text without
// rescanning it: the offsets of the line starts are collected once, on
// first use, and searched.
type lineIndex struct {
	data   []byte
	starts []int
}

// pos returns the 1-based line and column (in characters) of byte offset
// off.
func (x *lineIndex) pos(off int) (line, col int) {
	x.build()
	off = max(0, min(off, len(x.data)))
	i := sort.SearchInts(x.starts, off+1) - 1
	return i + 1, utf8.RuneCount(x.data[x.starts[i]:off]) + 1
}

// column returns the column in characters of the byte column byteCol
// (1-based) of line, as encoding/csv reports positions.
func (x *lineIndex) column(line, byteCol int) int {
	x.build()
	if line < 1 || line > len(x.starts) {
		return byteCol
	}
	_, col := x.pos(x.starts[line-1] + byteCol - 1)
	return col
}

func (x *lineIndex) build() {
	if x.starts != nil {
		return
	}
	x.starts = append(x.starts, 0)
	for i, c := range x.data {
		if c == '\n' {
			x.starts = append(x.starts, i+1)
		}
	}
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
