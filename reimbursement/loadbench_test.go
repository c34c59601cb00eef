package reimbursement_test

import (
	"os"
	"strings"
	"testing"

	"github.com/hemtjanst/ersattning/reimbursement"
)

// BenchmarkLoadTariffs loads every tariff of the repository once per
// iteration: the cost of loading, the probe included, of tariffs written
// in practice.
func BenchmarkLoadTariffs(b *testing.B) {
	files := reimbursement.RepositoryTariffs(b)
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
