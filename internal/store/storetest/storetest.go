// Package storetest opens fresh, migrated registries for tests: a SQLite file in a temporary
// folder, or, when TWINNING_TEST_POSTGRES holds a connection URL, a fresh schema in that
// PostgreSQL database. Every package's tests run the same way on both engines; with the
// variable set, an unreachable PostgreSQL fails the test instead of skipping it.
package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/twinning/twinning/internal/store"
)

var seq atomic.Int64

// Engine names the engine tests run on: "postgres" when TWINNING_TEST_POSTGRES is set.
func Engine() string {
	if os.Getenv("TWINNING_TEST_POSTGRES") != "" {
		return "postgres"
	}
	return "sqlite"
}

// DSN returns a connection string for a fresh, empty database and registers its cleanup.
func DSN(t testing.TB) string {
	t.Helper()
	pg := os.Getenv("TWINNING_TEST_POSTGRES")
	if pg == "" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("t%d_%d", os.Getpid(), seq.Add(1))
	admin, err := store.Open(ctx, pg)
	if err != nil {
		t.Fatalf("TWINNING_TEST_POSTGRES is set but PostgreSQL is unreachable: %v", err)
	}
	if err := admin.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
		t.Fatal(err)
	}
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(pg, "?") {
		sep = "&"
	}
	return pg + sep + "search_path=" + schema
}

// Open returns a fresh, migrated registry, closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}
