package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
)

// Two servers started together on one empty database both migrate it: neither may fail on
// the other's half-made schema, and the schema ends at the build's version once.
func TestMigrateTwoServersAtOnce(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	dbs := make([]*store.DB, 3)
	for i := range dbs {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.Migrate(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d: %v", i, err)
		}
	}
	v, err := dbs[0].SchemaVersion(ctx)
	if err != nil || v != dbs[0].KnownVersion() {
		t.Errorf("schema version %d (%v), want %d", v, err, dbs[0].KnownVersion())
	}
}

// The lock excludes: while one holder has it, a second Lock waits until it is released.
func TestLockExcludes(t *testing.T) {
	t.Parallel()
	if storetest.Engine() != "postgres" {
		t.Skip("on SQLite the single writer serializes; Lock is a no-op")
	}
	a := storetest.Open(t)
	ctx := context.Background()
	unlock, err := a.Lock(ctx, "first-start")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		u, err := a.Lock(ctx, "first-start")
		if err == nil {
			u()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a second Lock was granted while the first was held")
	case <-time.After(300 * time.Millisecond):
	}
	unlock()
	<-got
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := store.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil || !store.Unavailable(err) {
		t.Errorf("connecting to a closed port: %v, Unavailable=%v; want an unavailable error", err, store.Unavailable(err))
	}
	if store.Unavailable(context.Canceled) {
		t.Error("a cancelled request is not an unavailable database")
	}
}
