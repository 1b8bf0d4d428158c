package intel

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/graph"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// twoServers opens two registries on one database (on SQLite two connections to one file, as
// two processes have), each with its graph kept current on its own writes.
func twoServers(t *testing.T) (dbs [2]*store.DB, intels [2]*Intel) {
	t.Helper()
	ctx := context.Background()
	dsn := storetest.DSN(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for i := range dbs {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	for i := 0; i < 8; i++ {
		c := &twin.City{Names: twin.Names{"en": fmt.Sprintf("Town %d", i)}, Country: "IR", Wikidata: fmt.Sprintf("Q%d", 1000+i)}
		if _, err := dbs[0].Cities.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for i, db := range dbs {
		in, err := New(ctx, db, log)
		if err != nil {
			t.Fatal(err)
		}
		db.OnChange = in.Changed
		intels[i] = in
	}
	return dbs, intels
}

func edgesOf(g *graph.Graph) []graph.Edge {
	es := g.Edges()
	for i := range es {
		es[i].Weight = 0
	}
	return es
}

// TestGraphsConverge: two servers write at the same moments, many times (creating, rejecting
// and deleting agreements), while each follows the other; afterwards both graphs are the
// graph a fresh server reads from the database. A follower that recorded a fingerprint after
// its own write, or read past a change committed late, would lose the other's agreements.
func TestGraphsConverge(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dbs, intels := twoServers(t)
	for _, in := range intels {
		go in.Watch(ctx, time.Millisecond)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for s := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := dbs[s]
			// Each server owns the pairs (i, j) with i+j of its parity, so the two never
			// write the same pair but write at the same moments. Each round creates an
			// agreement on every pair, rejects or deletes some, and the next round starts by
			// deleting what is left.
			var live []int64
			for round := range 4 {
				for _, id := range live {
					if err := db.Agreements.Delete(ctx, id, 0); err != nil {
						errs <- err
						return
					}
				}
				live = live[:0]
				for i := 0; i < 8; i++ {
					for j := i + 1; j < 8; j++ {
						if (i+j)%2 != s {
							continue
						}
						cities := []string{fmt.Sprintf("Q%d", 1000+i), fmt.Sprintf("Q%d", 1000+j)}
						status := "signed"
						if (i+j+round)%3 == 1 {
							status = "proposed" // to be rejected
						}
						a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: cities, Status: status})
						if err != nil {
							errs <- err
							return
						}
						switch (i + j + round) % 3 {
						case 0:
							live = append(live, a.ID)
						case 1:
							_, err = db.Agreements.Update(ctx, a.ID, 0, func(a *twin.Agreement) error { a.Status = twin.StatusRejected; return nil })
							live = append(live, a.ID)
						case 2:
							err = db.Agreements.Delete(ctx, a.ID, 0)
						}
						if err != nil {
							errs <- err
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Every write has committed: one more pass brings each server up to date.
	for _, in := range intels {
		if _, err := in.Follow(ctx); err != nil {
			t.Fatal(err)
		}
	}
	fresh, err := New(ctx, dbs[0], slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	want := edgesOf(fresh.Graph())
	if len(want) == 0 {
		t.Fatal("the test wrote no agreement")
	}
	for i, in := range intels {
		if got := edgesOf(in.Graph()); !slices.Equal(got, want) {
			t.Errorf("server %d's graph has %d edges, the database %d:\n got %v\nwant %v", i, len(got), len(want), got, want)
		}
	}
}

// TestGraphHearsNotifications: on PostgreSQL a server learns of another's write through
// LISTEN/NOTIFY, without waiting for its polling (here an hour).
func TestGraphHearsNotifications(t *testing.T) {
	t.Parallel()
	if storetest.Engine() != "postgres" {
		t.Skip("LISTEN/NOTIFY is PostgreSQL's: set TWINNING_TEST_POSTGRES")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dbs, intels := twoServers(t)
	go intels[1].Watch(ctx, time.Hour)
	// The first agreement may be written before the listener is connected (it then learns of
	// it on connecting); once it has, the second can only arrive by a notification.
	for i := 1; i <= 2; i++ {
		a, err := dbs[0].Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q1000", fmt.Sprintf("Q%d", 1000+i)}, Status: "signed"})
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); !intels[1].Graph().Has(a.CityIDs[0], a.CityIDs[1]); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the other server never heard of agreement %d", i)
			}
		}
	}
}
