package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/mattn/go-isatty"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// firstStart loads the bundled world dataset into an empty registry, in one transaction: an
// interrupted load leaves the registry empty and the next start tries again. A registry that
// already holds cities, or has loaded the bundle before, is left alone.
func firstStart(ctx context.Context, db *store.DB, e *env, log *slog.Logger, ms *metrics.Set) error {
	loaded, err := db.Setting(ctx, "bundle")
	if err != nil {
		return err
	}
	n, err := db.Count(ctx, twin.KindCity)
	if err != nil {
		return err
	}
	if loaded != "" || n > 0 {
		return nil
	}
	start := time.Now()
	fmt.Fprintf(e.stdout, "First start: loading the world's twinnings (bundle %s)...\n", dataset.BundleVersion())
	// On a terminal the counter rewrites its line; in a log, a line every 10,000 records.
	tty := false
	if f, ok := e.stdout.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd())
	}
	var loadedNow atomic.Int64
	ms.GetOrCreateGauge("twinning_first_load_records", func() float64 { return float64(loadedNow.Load()) })
	counts, err := loadBundle(ctx, db, func(kind string, done int) {
		loadedNow.Add(1)
		switch {
		case tty:
			fmt.Fprintf(e.stdout, "\r  %-10s %7d", kind, done)
		case done%10000 == 0:
			fmt.Fprintf(e.stdout, "  %-10s %7d\n", kind, done)
		}
	})
	if tty {
		fmt.Fprintln(e.stdout)
	}
	if err != nil {
		return fmt.Errorf("loading the bundled dataset: %w", err)
	}
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Loaded %d countries, %d cities, %d agreements, %d networks in %s.\n",
		counts[dataset.TypeCountry], counts[dataset.TypeCity], counts[dataset.TypeAgreement], counts[dataset.TypeNetwork], time.Since(start).Round(time.Millisecond))
	log.Info("bundled dataset loaded", "bundle", dataset.BundleVersion(), "duration", time.Since(start))
	took := time.Since(start).Seconds()
	ms.GetOrCreateGauge("twinning_first_load_seconds", func() float64 { return took })
	return nil
}

// loadBundle writes the embedded dataset into the registry in one quiet transaction.
func loadBundle(ctx context.Context, db *store.DB, progress func(kind string, done int)) (map[string]int, error) {
	counts := map[string]int{}
	err := db.WriteQuiet(ctx, func(t *store.Tx) error {
		err := t.BulkIndex(ctx, func() error {
			return dataset.Decode(dataset.Bundle(), func(r dataset.Record) error {
				var err error
				switch r.Type {
				case dataset.TypeCountry:
					err = t.PutCountry(ctx, *r.Country)
				case dataset.TypeCity:
					_, err = db.Cities.CreateTx(ctx, t, r.City)
				case dataset.TypeAgreement:
					_, err = db.Agreements.CreateTx(ctx, t, r.Agreement)
				case dataset.TypeNetwork:
					_, err = db.Networks.CreateTx(ctx, t, r.Network)
				}
				if err != nil {
					return fmt.Errorf("line %d (%s): %w", r.Line, r.Type, err)
				}
				counts[r.Type]++
				if progress != nil && counts[r.Type]%1000 == 0 {
					progress(r.Type, counts[r.Type])
				}
				return ctx.Err()
			})
		})
		if err != nil {
			return err
		}
		if err := t.FixSequences(ctx); err != nil {
			return err
		}
		return t.SetSetting(ctx, "bundle", dataset.BundleVersion())
	})
	return counts, err
}

// startIntel builds the in-memory graph and keeps it current on this server's writes and on
// everyone else's: another server on the same database, or `twinning import` into the file
// being served, is followed through the log of changes (every two seconds, and at once on
// PostgreSQL's notifications).
func startIntel(ctx context.Context, db *store.DB, log *slog.Logger) (*intel.Intel, error) {
	start := time.Now()
	in, err := intel.New(ctx, db, log)
	if err != nil {
		return nil, err
	}
	db.OnChange = in.Changed
	go in.Watch(ctx, 2*time.Second)
	log.Info("graph loaded", "cities", in.Graph().Len(), "duration", time.Since(start).Round(time.Millisecond))
	return in, nil
}
