package exchange

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/store"
)

// The benchmarks run on the bundled world, loaded once per process the way the first start
// loads it (cmd/twinning/start.go), on SQLite or on PostgreSQL (TWINNING_TEST_POSTGRES).
var world struct {
	once    sync.Once
	dsn     string
	csv     []byte
	rows    int
	err     error
	cleanup func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if world.cleanup != nil {
		world.cleanup()
	}
	os.Exit(code)
}

// freshDSN makes an empty database outside any test's cleanup, and the function that drops it.
func freshDSN(ctx context.Context, name string) (string, func(), error) {
	pg := os.Getenv("TWINNING_TEST_POSTGRES")
	if pg == "" {
		dir, err := os.MkdirTemp("", "twinning-bench-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, name+".db"), func() { os.RemoveAll(dir) }, nil
	}
	schema := fmt.Sprintf("bench_%s_%d_%d", name, os.Getpid(), time.Now().UnixNano()%1e9)
	admin, err := store.Open(ctx, pg)
	if err != nil {
		return "", nil, err
	}
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	sep := "?"
	if strings.Contains(pg, "?") {
		sep = "&"
	}
	return pg + sep + "search_path=" + schema, func() {
		admin.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		admin.Close()
	}, nil
}

func openMigrated(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	_, err = db.Migrate(ctx)
	return db, err
}

func worldDB(b *testing.B) (*store.DB, []byte) {
	b.Helper()
	ctx := context.Background()
	world.once.Do(func() {
		var dsn string
		dsn, world.cleanup, world.err = freshDSN(ctx, "world")
		if world.err != nil {
			return
		}
		db, err := openMigrated(ctx, dsn)
		if err != nil {
			world.err = err
			return
		}
		defer db.Close()
		if _, world.err = registry.LoadBundle(ctx, db, nil); world.err != nil {
			return
		}
		if _, world.err = db.EnsureSearchIndexes(ctx); world.err != nil {
			return
		}
		d, err := Gather(ctx, db, "", 0)
		if err != nil {
			world.err = err
			return
		}
		var buf bytes.Buffer
		world.err = WriteCSV(&buf, d)
		world.dsn, world.csv, world.rows = dsn, buf.Bytes(), len(d.Agreements)
	})
	if world.err != nil {
		b.Fatal(world.err)
	}
	db, err := store.Open(ctx, world.dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, world.csv
}

// BenchmarkImportCSV imports the world's agreements as CSV (its own export, ~34,600 rows):
// into the loaded world, where every row is matched and nothing changes ("match"), and into
// an empty registry with only the countries, where every city and agreement is created
// ("create").
func BenchmarkImportCSV(b *testing.B) {
	ctx := context.Background()
	db, file := worldDB(b)
	b.Run("match", func(b *testing.B) {
		for b.Loop() {
			rep, err := Import(ctx, db, bytes.NewReader(file), Options{Name: "world.csv"})
			if err != nil || rep.Total(OpCreate)+rep.Total(OpChange) != 0 {
				b.Fatalf("%v %s", err, rep.Summary())
			}
		}
		b.ReportMetric(float64(world.rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("create", func(b *testing.B) {
		countries, err := db.Countries(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var spent time.Duration
		for i := 0; i < b.N; i++ {
			dsn, drop, err := freshDSN(ctx, "create")
			if err != nil {
				b.Fatal(err)
			}
			fresh, err := openMigrated(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			WriteJSONL(&buf, &Data{Countries: countries})
			if _, err := Import(ctx, fresh, &buf, Options{}); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			rep, err := Import(ctx, fresh, bytes.NewReader(file), Options{Name: "world.csv"})
			spent += time.Since(start)
			if err != nil {
				b.Fatalf("%v", err)
			}
			if i == 0 {
				b.Logf("%s", strings.ReplaceAll(rep.Summary(), "\n", "; "))
			}
			fresh.Close()
			drop()
		}
		b.ReportMetric(float64(world.rows)*float64(b.N)/spent.Seconds(), "rows/s")
	})
}

// BenchmarkExportJSONL gathers the whole world from the store and writes it as JSON Lines.
func BenchmarkExportJSONL(b *testing.B) {
	ctx := context.Background()
	db, _ := worldDB(b)
	for b.Loop() {
		d, err := Gather(ctx, db, "", 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteJSONL(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
