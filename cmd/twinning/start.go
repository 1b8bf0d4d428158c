package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/mattn/go-isatty"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// firstStart loads the bundled world dataset into an empty registry, in one transaction: an
// interrupted load leaves the registry empty and the next start tries again. A registry that
// already holds cities, or has loaded the bundle before, is left alone. It reports whether it
// loaded the bundle.
func firstStart(ctx context.Context, db *store.DB, e *env, log *slog.Logger, ms *metrics.Set) (bool, error) {
	loaded, err := db.Setting(ctx, registry.BundleSetting)
	if err != nil {
		return false, err
	}
	n, err := db.Count(ctx, twin.KindCity)
	if err != nil {
		return false, err
	}
	if loaded != "" || n > 0 {
		return false, nil
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
	// The load allocates much and keeps little: the collector runs a quarter as often (the
	// memory limit still bounds the heap), and what it used goes back to the system after.
	gc := debug.SetGCPercent(400)
	counts, err := registry.LoadBundle(ctx, db, func(kind string, done int) {
		loadedNow.Add(1000) // told every 1,000 records of a kind
		switch {
		case tty:
			fmt.Fprintf(e.stdout, "\r  %-10s %7d", kind, done)
		case done%10000 == 0:
			fmt.Fprintf(e.stdout, "  %-10s %7d\n", kind, done)
		}
	})
	debug.SetGCPercent(gc)
	debug.FreeOSMemory()
	if tty {
		fmt.Fprintln(e.stdout)
	}
	if err != nil {
		return false, fmt.Errorf("loading the bundled dataset: %w", err)
	}
	fmt.Fprintf(e.stdout, "Loaded %d countries, %d cities, %d agreements, %d networks in %s.\n",
		counts[dataset.TypeCountry], counts[dataset.TypeCity], counts[dataset.TypeAgreement], counts[dataset.TypeNetwork], time.Since(start).Round(time.Millisecond))
	log.Info("bundled dataset loaded", "bundle", dataset.BundleVersion(), "duration", time.Since(start))
	took := time.Since(start).Seconds()
	ms.GetOrCreateGauge("twinning_first_load_seconds", func() float64 { return took })
	return true, nil
}

// finishLoad builds what a bulk load leaves for after its commit, while the server answers:
// the search index's own indexes (searches answer the same meanwhile, only slower; an
// interrupted build is done again at the next start) and the query planner's statistics.
func finishLoad(ctx context.Context, db *store.DB, log *slog.Logger, loaded bool) {
	start := time.Now()
	built, err := db.EnsureSearchIndexes(ctx)
	if ctx.Err() != nil {
		log.Info("building the search indexes stopped with the server; the next start goes on")
		return
	}
	if err != nil {
		log.Error("building the search indexes", "err", err)
		return
	}
	if built {
		log.Info("search indexes built", "duration", time.Since(start).Round(time.Millisecond))
	}
	if built || loaded {
		if err := db.Analyze(ctx); err != nil {
			log.Error("refreshing the planner's statistics", "err", err)
			return
		}
		log.Info("planner statistics refreshed", "duration", time.Since(start).Round(time.Millisecond))
	}
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
