package web

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// TestGraphFollowsAnotherServer: two servers share one PostgreSQL database; an agreement one of
// them writes reaches the other's graph through Watch.
func TestGraphFollowsAnotherServer(t *testing.T) {
	if storetest.Engine() != "postgres" {
		t.Skip("several servers share one database only on PostgreSQL: set TWINNING_TEST_POSTGRES")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := storetest.DSN(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}
	a, b := open(), open()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, c := range []*twin.City{{Names: twin.Names{"en": "Isfahan"}, Country: "IR", Wikidata: "Q42053"}, {Names: twin.Names{"en": "Samarkand"}, Country: "UZ", Wikidata: "Q5753"}} {
		if _, err := a.Cities.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	ib, err := NewIntel(ctx, b, log)
	if err != nil {
		t.Fatal(err)
	}
	go ib.Watch(ctx, 50*time.Millisecond)
	ag, err := a.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor := func(want bool, what string) {
		deadline := time.Now().Add(10 * time.Second)
		for ib.Graph().Has(ag.CityIDs[0], ag.CityIDs[1]) != want {
			if time.Now().After(deadline) {
				t.Fatalf("the other server's graph did not learn of the %s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor(true, "new agreement")
	if err := a.Agreements.Delete(ctx, ag.ID, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(false, "deleted agreement")
}
