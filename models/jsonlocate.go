package models

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// locate finds the part of the JSON value b, read as a value of type typ,
// that does not decode: it returns the field path ("items[1].per") and
// the offset of that part in b. encoding/json names neither when a
// field's UnmarshalText fails (an unknown ownership, a malformed date),
// so the reader asks each member and element in turn.
func locate(b []byte, typ reflect.Type) (path string, off int) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	s := &scanner{doc: &jsonDoc{data: b}, line: 1}
	s.ws()
	off = s.i
	if s.i >= len(b) {
		return "", off
	}
	switch {
	case typ.Kind() == reflect.Struct && b[s.i] == '{':
		found := false
		s.object(func(k keyRef, _ span) {
			start := s.i
			s.value()
			if found || s.err != nil {
				return
			}
			name := k.text()
			f, ok := fieldByJSONName(typ, name)
			if !ok || decodes(b[start:s.i], f.Type) {
				return
			}
			found = true
			sub, o := locate(b[start:s.i], f.Type)
			path, off = joinPath(name, sub), start+o
		})
	case typ.Kind() == reflect.Slice && b[s.i] == '[':
		for i, e := range s.array(true) {
			if !decodes(b[e.start:e.end], typ.Elem()) {
				sub, o := locate(b[e.start:e.end], typ.Elem())
				return joinPath(fmt.Sprintf("[%d]", i), sub), e.start + o
			}
		}
	}
	return path, off
}

// decodes reports whether b decodes as a value of type typ.
func decodes(b []byte, typ reflect.Type) bool {
	return json.Unmarshal(b, reflect.New(typ).Interface()) == nil
}

// fieldByJSONName returns the field of struct type typ that encoding/json
// decodes the member name into (names compared without regard to case).
func fieldByJSONName(typ reflect.Type, name string) (reflect.StructField, bool) {
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || tag == "-" {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// joinPath puts the path sub after name: "items" and "[1].per" give
// "items[1].per", "zone" and "" give "zone".
func joinPath(name, sub string) string {
	switch {
	case sub == "":
		return name
	case strings.HasPrefix(sub, "[") || name == "":
		return name + sub
	}
	return name + "." + sub
}
