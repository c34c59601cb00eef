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

// FuzzDataset builds a dataset from fuzzed bytes, a JSON document and a
// CSV export merged into it, and validates it: nothing may panic, every
// error must be an *InputError, and a dataset that validates must keep
// the promises settlement relies on (references resolve, every task code
// has a category). The corpus in testdata/bad seeds it.
func FuzzDataset(f *testing.F) {
	base, err := os.ReadFile("testdata/dataset.json")
	if err != nil {
		f.Fatal(err)
	}
	export, err := os.ReadFile("testdata/besok-export-cp1252.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base, export, uint8(0))
	f.Add(base, []byte("id;brukare;utförare;starttid;sluttid;insatser;attesterad\nc1;k1;egen;2024-04-20 08:00;2024-04-20 08:30;Städ;ja\n"), uint8(0))
	if files, err := os.ReadDir("testdata/bad"); err == nil {
		for _, e := range files {
			b, err := os.ReadFile(filepath.Join("testdata/bad", e.Name()))
			if err != nil {
				continue
			}
			if strings.HasSuffix(e.Name(), ".csv") {
				f.Add(base, b, uint8(0))
			} else {
				f.Add(b, []byte(nil), uint8(1))
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc, csv []byte, mode uint8) {
		ds, err := ReadDataset(bytes.NewReader(doc))
		if err != nil {
			mustInputErrors(t, err)
			ds = &Dataset{}
		}
		if len(csv) > 0 {
			opts := CSVOptions{File: "f.csv", Location: stockholm, Encoding: Encoding(mode % 3), Approved: Approval(mode / 3 % 3)}
			vs, err := ReadVisitsCSVWith(bytes.NewReader(csv), opts)
			if err != nil {
				mustInputErrors(t, err)
			}
			ds.Visits = append(ds.Visits, vs...)
		}
		if err := ds.Validate(); err != nil {
			mustInputErrors(t, err)
			return
		}
		tasks, err := ds.TaskMap()
		if err != nil {
			t.Fatalf("valid dataset without a task map: %v", err)
		}
		customers, providers := map[string]bool{}, map[string]bool{}
		for _, c := range ds.Customers {
			customers[c.ID] = true
		}
		for _, p := range ds.Providers {
			providers[p.ID] = true
		}
		for _, v := range ds.Visits {
			if !customers[v.Customer] || !providers[v.Provider] {
				t.Fatalf("visit %s: unresolved reference", v.ID)
			}
			for _, code := range v.Tasks {
				if tasks.Category(code) == CategoryUnknown {
					t.Fatalf("visit %s: task %q has no category", v.ID, code)
				}
			}
		}
		for _, d := range ds.Decisions {
			if !customers[d.Customer] || !providers[d.Provider] {
				t.Fatalf("decision %s: unresolved reference", d.ID)
			}
		}
	})
}

// mustInputErrors fails unless every error joined in err is an
// *InputError.
func mustInputErrors(t *testing.T, err error) {
	t.Helper()
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			mustInputErrors(t, e)
		}
		return
	}
	if _, ok := err.(*InputError); !ok {
		t.Fatalf("not an *InputError: %T %v", err, err)
	}
}
