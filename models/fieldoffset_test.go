package models

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// oldFieldOffset is fieldOffset as it was, called for each error: it
// searches the record from its start for the key its field starts with.
func oldFieldOffset(data []byte, r span, field string) (int, bool) {
	name, _, _ := strings.Cut(field, ".")
	name, _, _ = strings.Cut(name, "[")
	if name == "" {
		return 0, false
	}
	rec := data[r.start:r.end]
	key := []byte(strconv.Quote(name))
	for from := 0; ; {
		i := bytes.Index(rec[from:], key)
		if i < 0 {
			return 0, false
		}
		at := from + i
		rest := bytes.TrimLeft(rec[at+len(key):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return r.start + at, true
		}
		from = at + len(key)
	}
}

// TestValidationErrorsPlacedAsBefore: ReadDataset places the errors of
// Validate, many of one record and member among them, where a search of
// the record for each error placed them.
func TestValidationErrorsPlacedAsBefore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds := probeDataset(rapid.IntRange(0, 4).Draw(t, "visits"), rapid.Bool().Draw(t, "bad customer"))
		ids := rapid.SampledFrom([]string{"", "b1", "ö\"items\":", `{"items":[`, "€€"})
		for i := range rapid.IntRange(0, 3).Draw(t, "decisions") {
			d := ds.Decisions[0]
			d.ID = ids.Draw(t, "id") + strconv.Itoa(i)
			d.Customer = rapid.SampledFrom([]string{"k1", "nobody", ""}).Draw(t, "customer")
			d.Items = nil
			for range rapid.IntRange(0, 5).Draw(t, "items") {
				d.Items = append(d.Items, GrantedItem{Task: rapid.SampledFrom([]string{"Dusch", "Okänd", ""}).Draw(t, "task"),
					Category: Care, Minutes: rapid.IntRange(-1, 30).Draw(t, "minutes"), Times: 1, Per: PerDay})
			}
			ds.Decisions = append(ds.Decisions, d)
		}
		for range rapid.IntRange(0, 3).Draw(t, "zone changes") {
			ds.Customers[0].ZoneChanges = append(ds.Customers[0].ZoneChanges, ZoneChange{From: ds.Decisions[0].ValidFrom,
				Zone: rapid.SampledFrom([]string{"", "z"}).Draw(t, "zone")})
		}
		data, err := json.Marshal(ds)
		if rapid.Bool().Draw(t, "indent") {
			data, err = json.MarshalIndent(ds, "", " ")
		}
		if err != nil {
			t.Fatal(err)
		}
		_, err = ReadDataset(bytes.NewReader(data))
		doc := &jsonDoc{data: data}
		members, serr := scanDocument(doc, '{')
		if serr != nil {
			t.Fatal(serr)
		}
		records := map[string][]span{}
		for _, m := range members {
			records[m.key] = m.elems
		}
		eachError(err, func(ie *InputError) {
			rs := records[ie.Record]
			if ie.Index < 0 || ie.Index >= len(rs) {
				return
			}
			line, col := rs[ie.Index].line, 0
			if off, ok := oldFieldOffset(data, rs[ie.Index], ie.Field); ok {
				line, col = oldPos(data, off)
			}
			if ie.Line != line || ie.Column != col {
				t.Fatalf("%v: at %d:%d, want %d:%d", ie, ie.Line, ie.Column, line, col)
			}
		})
	})
}

// TestItemErrorsAfterLongID: 6 000 errors of one decision, each placed
// at its "items", after an id of 1 MB that a search for the key would go
// through 6 000 times (each escaped quote of the id a false start).
func TestItemErrorsAfterLongID(t *testing.T) {
	n, id := 6000, 1<<19
	if testing.Short() {
		n, id = 600, 1<<16
	}
	ds := probeDataset(0, false)
	ds.Decisions[0].ID = "ID"
	ds.Decisions[0].Items = slices.Repeat([]GrantedItem{{Task: "Okänd", Category: Care, Minutes: 1, Times: 1, Per: PerMonth}}, n)
	data, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"ID"`), []byte(`"`+strings.Repeat(`\"`, id)+`"`), 1)
	_, err = ReadDataset(bytes.NewReader(data))
	col := utf8.RuneCount(data[:bytes.Index(data, []byte(`"items":`))]) + 1
	count := 0
	eachError(err, func(ie *InputError) {
		if ie.Record == "decisions" && strings.HasPrefix(ie.Field, "items[") {
			count++
			if ie.Line != 1 || ie.Column != col {
				t.Fatalf("%s: at %d:%d, want 1:%d", ie.Field, ie.Line, ie.Column, col)
			}
		}
	})
	if count != n {
		t.Fatalf("%d errors of items, want %d", count, n)
	}
}
