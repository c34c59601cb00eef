package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// locate finds the part of the JSON value b, read as a value of type typ,
// that does not decode: it returns the field path ("items[1].per") and
// the offset of that part in b. encoding/json names neither when a
// field's UnmarshalText fails (an unknown ownership, a malformed date),
// so the reader asks each member and element in turn. With strict, a
// member no field takes is such a part (encoding/json names an unknown
// field without its path: "minuter" for items[0].minuter, found by
// trial).
func locate(b []byte, typ reflect.Type, strict bool) (path string, off int) {
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
		s.object(func(k keyRef, keyAt span) {
			start := s.i
			s.value()
			if found || s.err != nil {
				return
			}
			name := k.text()
			f, ok := fieldByJSONName(typ, name)
			if !ok && strict {
				found, path, off = true, name, keyAt.start
				return
			}
			if !ok || decodes(b[start:s.i], f.Type, strict) {
				return
			}
			found = true
			sub, o := locate(b[start:s.i], f.Type, strict)
			path, off = joinPath(name, sub), start+o
		})
	case typ.Kind() == reflect.Slice && b[s.i] == '[':
		for i, e := range s.array(true) {
			if !decodes(b[e.start:e.end], typ.Elem(), strict) {
				sub, o := locate(b[e.start:e.end], typ.Elem(), strict)
				return joinPath(fmt.Sprintf("[%d]", i), sub), e.start + o
			}
		}
	}
	return path, off
}

// decodes reports whether b decodes as a value of type typ; with strict,
// every member taken by a field.
func decodes(b []byte, typ reflect.Type, strict bool) bool {
	d := json.NewDecoder(bytes.NewReader(b))
	if strict {
		d.DisallowUnknownFields()
	}
	return d.Decode(reflect.New(typ).Interface()) == nil
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
