package models

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// readCorpusCase reads one file of testdata/bad as the corpus says: a JSON
// file as a dataset named bad.json, a CSV file as visits named bad.csv
// merged into testdata/dataset.json and validated.
func readCorpusCase(t testing.TB, name string, data []byte) error {
	if strings.HasSuffix(name, ".json") {
		_, err := ReadDatasetFS(fstest.MapFS{"bad.json": {Data: data}}, "bad.json")
		return err
	}
	ds, err := ReadDatasetFS(os.DirFS("testdata"), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := ReadVisitsCSVWith(bytes.NewReader(data), CSVOptions{File: "bad.csv", Location: stockholm})
	if err != nil {
		return err
	}
	ds.Visits = append(ds.Visits, vs...)
	return ds.Validate()
}

// TestBadCorpus reads every malformed or hostile dataset in testdata/bad
// and checks the error it gives against testdata/bad/want.txt.
func TestBadCorpus(t *testing.T) {
	table, err := os.ReadFile("testdata/bad/want.txt")
	if err != nil {
		t.Fatal(err)
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\t`, "\t", `\x01`, "\x01")
	listed := map[string]bool{"want.txt": true}
	for _, line := range strings.Split(string(table), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("want.txt: no tab in %q", line)
		}
		listed[name] = true
		want = unescape.Replace(want)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/bad", name))
			if err != nil {
				t.Fatal(err)
			}
			err = readCorpusCase(t, name, data)
			if err == nil {
				t.Fatalf("no error, want %q", want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error\n%v\ndoes not contain\n%s", err, want)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("not an *InputError: %T", err)
			}
		})
	}
	files, err := os.ReadDir("testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !listed[f.Name()] {
			t.Errorf("testdata/bad/%s is not in want.txt", f.Name())
		}
	}
	if len(listed) < 41 {
		t.Errorf("%d cases, want at least 40", len(listed)-1)
	}
}
