package exrun

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestWrite(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, os.DirFS("../../norrtalje-2024")); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"=== Norrtälje, 2024-01",
		"=== Norrtälje, 2024-02",
		"=== Totals per provider (kr), and the change from the first column",
		// own operation 7392.00 in January, 6944.00 in February (see the example's README).
		"7392.00", "6944.00", "-448.00",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestManifestErrors(t *testing.T) {
	for name, manifest := range map[string]string{
		"unknown field": `{"title": "x", "datset": "d.json"}`,
		"no months":     `{"title": "x", "dataset": "d.json", "books": [{"name": "b", "dir": "t"}], "months": []}`,
	} {
		fsys := fstest.MapFS{"example.json": {Data: []byte(manifest)}, "d.json": {Data: []byte(`{}`)}}
		if _, _, err := SettleAll(fsys); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
