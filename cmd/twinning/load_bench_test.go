package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/registry"
)

// BenchmarkLoadBundle measures the first start: the whole world dataset into an empty SQLite
// registry (go test -bench LoadBundle -benchtime 1x ./cmd/twinning).
func BenchmarkLoadBundle(b *testing.B) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for b.Loop() {
		db, err := openDB(ctx, filepath.Join(b.TempDir(), "load.db"), log)
		if err != nil {
			b.Fatal(err)
		}
		counts, err := registry.LoadBundle(ctx, db, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.EnsureSearchIndexes(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(counts[dataset.TypeCity]+counts[dataset.TypeAgreement]), "records")
		db.Close()
	}
}
