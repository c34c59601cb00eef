package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// decodeArray decodes the JSON document data, an array of records, into
// dst and returns the line of each record. Every problem is an
// *InputError naming the file, the line and column, and the record
// (collection coll, its index).
func decodeArray[T any](data []byte, file, coll string, dst *[]T) ([]int, error) {
	doc := &jsonDoc{data: data, file: file}
	members, err := scanDocument(doc, '[')
	if err != nil {
		return nil, err
	}
	m := members[0]
	if err := decodeRecords(doc, coll, m, dst); err != nil {
		return nil, err
	}
	return spanLines(m.elems), nil
}

func spanLines(elems []span) []int {
	lines := make([]int, len(elems))
	for i, e := range elems {
		lines[i] = e.line
	}
	return lines
}

// decodeRecords decodes the array m into dst with unknown fields
// disallowed. It decodes the whole array at once and, only when that
// fails, record by record, to report every record that does not decode
// with its position.
func decodeRecords[T any](doc *jsonDoc, coll string, m member, dst *[]T) error {
	if m.null {
		return nil
	}
	if !m.array {
		ie := doc.errAt(m.value.start, errors.New("want an array"))
		ie.Field = coll
		return ie
	}
	// The scan counted the records: encoding/json appends them to a
	// slice of that room instead of growing one by doubling, copying
	// and clearing the records at every step.
	*dst = make([]T, 0, len(m.elems))
	if decodeStrict(doc.data[m.value.start:m.value.end], dst) == nil {
		return nil
	}
	*dst = make([]T, len(m.elems))
	var errs []error
	for i, e := range m.elems {
		if err := decodeStrict(doc.data[e.start:e.end], &(*dst)[i]); err != nil {
			errs = append(errs, recordError(doc, coll, i, e, reflect.TypeFor[T](), err))
		}
	}
	if len(errs) == 0 { // cannot happen: the array did not decode
		return doc.errAt(m.value.start, errors.New("array does not decode"))
	}
	return joinErrors(errs...)
}

// decodeStrict decodes one JSON value with unknown fields disallowed.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// recordError places a decoding error of record i (at e, of type typ) in
// the document.
func recordError(doc *jsonDoc, coll string, i int, e span, typ reflect.Type, err error) *InputError {
	off := e.start
	ie := &InputError{Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off += int(se.Offset)
		ie.Err = errors.New(strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		off += int(te.Offset)
		ie.Field = te.Field
		// encoding/json names the field without the index of an array
		// it is in ("items.minutes" for items[1].minutes) and places
		// the error after the value: locate finds the value.
		if path, o := locate(doc.data[e.start:e.end], typ, false); path != "" {
			ie.Field, off = path, e.start+o
		}
		ie.Err = fmt.Errorf("cannot use %s as %s", te.Value, te.Type)
	default:
		// encoding/json gives no offset for an unknown field: it is the
		// first key of that name in the record, which has no duplicate
		// keys.
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			n, _ := unquoteField(name)
			ie.Field = n
			if path, o := locate(doc.data[e.start:e.end], typ, true); path != "" {
				ie.Field, off = path, e.start+o // where it is: items[0].minuter
			} else if j := bytes.Index(doc.data[e.start:e.end], []byte(name)); j >= 0 {
				off += j
			}
			ie.Err = errors.New("unknown field")
		} else {
			// A field's UnmarshalText failed: find which.
			path, o := locate(doc.data[e.start:e.end], typ, false)
			ie.Field, off = path, e.start+o
			if te, ok := timeError(err); ok {
				ie.Err = te
			}
		}
	}
	line, col := doc.pos(off)
	ie.File, ie.Line, ie.Column, ie.Record, ie.Index = doc.file, line, col, coll, i
	ie.ID = recordID(doc.data[e.start:e.end], coll)
	return ie
}

// timeError says what a time in JSON must be, for a time that did not
// decode: encoding/json's time.Time speaks of its layout ("parsing time
// "2024-03-31T02:30:00" as "2006-01-02T15:04:05Z07:00": cannot parse ""
// as "Z07:00"", for a local time without its offset, found by attack),
// which names nothing a vendor's export writes. False for another error.
func timeError(err error) (error, bool) {
	const want = "want RFC 3339 with the UTC offset, as 2024-03-12T08:00:00+01:00 (Z for UTC): a local time without an offset is read from a visits CSV only"
	var pe *time.ParseError
	switch {
	case errors.As(err, &pe) && pe.Value == "":
		return errors.New("empty time: " + want), true
	case errors.As(err, &pe) && dayMissing(pe.Value) != "":
		// "day out of range" for 2024-02-30: say which month is short,
		// as a visits CSV and a date in JSON do.
		return fmt.Errorf("invalid time %q: %s", pe.Value, dayMissing(pe.Value)), true
	case errors.As(err, &pe) && pe.LayoutElem == "Z07:00" && pe.ValueElem == "":
		return fmt.Errorf("invalid time %q: no UTC offset: %s", pe.Value, want), true
	case errors.As(err, &pe) && pe.Message != "":
		return fmt.Errorf("invalid time %q%s: %s", pe.Value, pe.Message, want), true
	case errors.As(err, &pe):
		return fmt.Errorf("invalid time %q: %s", pe.Value, want), true
	case strings.HasPrefix(err.Error(), "Time.UnmarshalJSON: input is not a JSON string"):
		return errors.New("a time is a string: " + want), true
	}
	return nil, false
}

func unquoteField(q string) (string, bool) {
	var s string
	if json.Unmarshal([]byte(q), &s) != nil {
		return q, false
	}
	return s, true
}

// recordID returns the id of a record (the member "id", or "local" for a
// task) when it is a string, for errors about a record that did not
// decode.
func recordID(b []byte, coll string) string {
	var r map[string]json.RawMessage
	if json.Unmarshal(b, &r) != nil {
		return ""
	}
	key := "id"
	if coll == "tasks" {
		key = "local"
	}
	var id string
	if json.Unmarshal(r[key], &id) != nil {
		return ""
	}
	return id
}
