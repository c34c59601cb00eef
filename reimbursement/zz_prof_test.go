package reimbursement

import (
	"context"
	"os"
	"testing"
)

func BenchmarkZZBulk(b *testing.B) {
	v, err := LoadVersion(os.DirFS("testdata"), "mixed.json")
	if err != nil {
		b.Fatal(err)
	}
	book, _ := NewBook(v)
	ds := benchDataset(20000, 50)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Settle(context.Background(), book, ds, april2024, Options{NoExplain: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkZZFew(b *testing.B) {
	v, err := LoadVersion(os.DirFS("testdata"), "mixed.json")
	if err != nil {
		b.Fatal(err)
	}
	book, _ := NewBook(v)
	ds := benchDataset(50000, 2)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Settle(context.Background(), book, ds, april2024, Options{NoExplain: true, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
