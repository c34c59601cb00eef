// Package jsonpos finds the line of every value in a JSON document by its
// path, so that errors about decoded data can name the line they come
// from.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Lines maps paths to 1-based lines. A path is written the way the
// library names fields in errors: keys joined by dots, array indexes in
// brackets: "components[1].rate", "tables.timpris.rates".
type Lines map[string]int

// Index returns the line of every value in data. It returns what it found
// before the first syntax error, if any.
func Index(data []byte) Lines {
	out := Lines{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	walk(dec, data, "", out)
	return out
}

// Line returns the line of path, or of its nearest ancestor that has one,
// or 0.
func (l Lines) Line(path string) int {
	for {
		if n, ok := l[path]; ok {
			return n
		}
		i := max(bytes.LastIndexByte([]byte(path), '.'), bytes.LastIndexByte([]byte(path), '['))
		if i <= 0 {
			return l[""]
		}
		path = path[:i]
	}
}

func lineAt(data []byte, off int64) int {
	for int(off) < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return bytes.Count(data[:min(int(off), len(data))], []byte("\n")) + 1
}

// walk reads one value at path; it reports false on a syntax error.
func walk(dec *json.Decoder, data []byte, path string, out Lines) bool {
	out[path] = lineAt(data, dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return false
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return false
			}
			key, _ := k.(string)
			child := key
			if path != "" {
				child = path + "." + key
			}
			if !walk(dec, data, child, out) {
				return false
			}
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if !walk(dec, data, path+"["+strconv.Itoa(i)+"]", out) {
				return false
			}
		}
		_, err = dec.Token()
	}
	return err == nil
}
