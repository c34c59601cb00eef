package reimbursement_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// repositoryTariffs returns the tariff files of the repository: every
// examples/*/tariffs and the tariffs of reimbursement/testdata.
func repositoryTariffs(tb testing.TB) []string {
	tb.Helper()
	var files []string
	for _, root := range []string{"../examples", "testdata"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "bad" {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".json") && (root == "testdata" && filepath.Dir(p) == "testdata" || strings.Contains(p, "/tariffs/")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if len(files) < 20 {
		tb.Fatalf("%d tariffs found", len(files))
	}
	return files
}

// BenchmarkLoadTariffs loads every tariff of the repository once per
// iteration: the cost of loading, the probe included, of tariffs written
// in practice.
func BenchmarkLoadTariffs(b *testing.B) {
	files := repositoryTariffs(b)
	docs := make([][]byte, len(files))
	for i, f := range files {
		var err error
		if docs[i], err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, d := range docs {
			if _, err := reimbursement.ParseVersion(strings.NewReader(string(d)), files[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(files)), "ns/tariff")
}
