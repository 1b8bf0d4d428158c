package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/twin"
)

// second opens another connection to db's database, as another process would.
func second(t *testing.T, db *DB) *DB {
	t.Helper()
	o, err := Open(context.Background(), db.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func has(cs []Changed, kind string, id int64) bool {
	return slices.Contains(cs, Changed{kind, id})
}

// TestFollowSeesOtherWriters: a cursor taken on one connection returns what another
// connection (another server, `twinning import`) committed afterwards, and nothing twice.
func TestFollowSeesOtherWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	other := second(t, db)
	before := mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	cur, err := db.Following(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cs, _, err := db.Follow(ctx, cur); err != nil || len(cs) != 0 {
		t.Fatalf("Follow with nothing new = %v, %v", cs, err)
	}
	c := mkCity(t, other, "سمرقند", "Samarkand", "UZ", "Q5753")
	a, err := other.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	cs, reload, err := db.Follow(ctx, cur)
	if err != nil || reload {
		t.Fatal(err, reload)
	}
	if !has(cs, "city", c.ID) || !has(cs, "agreement", a.ID) || has(cs, "city", before.ID) {
		t.Fatalf("Follow = %v, want the other connection's city %d and agreement %d only", cs, c.ID, a.ID)
	}
	if cs, _, _ := db.Follow(ctx, cur); len(cs) != 0 {
		t.Fatalf("a second Follow returned %v again", cs)
	}
}

// TestFollowManyReloads: more changes than a batch ask the follower to reload.
func TestFollowManyReloads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	cur, err := db.Following(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *Tx) error {
		for i := 0; i <= FollowBatch; i++ {
			if err := tx.logChange(ctx, "agreement", int64(i+1), 1, "update", nil, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, reload, err := db.Follow(ctx, cur); err != nil || !reload {
		t.Fatalf("Follow after %d changes: reload %v, %v", FollowBatch+1, reload, err)
	}
	if cs, reload, _ := db.Follow(ctx, cur); len(cs) != 0 || reload {
		t.Fatalf("after the reload Follow still returns %v, %v", cs, reload)
	}
}

// TestFollowLateCommit: on PostgreSQL a transaction that took a lower change id commits after
// one with a higher id was read; the follower still returns it (the gap is kept until every
// transaction that could fill it has ended), and a rolled-back gap is closed.
func TestFollowLateCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	if db.Dialect() != "postgres" {
		t.Skip("SQLite commits one writer at a time: ids follow commit order")
	}
	other := second(t, db)
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	mkCity(t, db, "سمرقند", "Samarkand", "UZ", "Q5753")
	mkCity(t, db, "پاریس", "Paris", "FR", "Q90")
	cur, err := db.Following(ctx)
	if err != nil {
		t.Fatal(err)
	}
	late := func(cities []string, commit bool) (got chan *twin.Agreement, unblock func()) {
		got, release, written := make(chan *twin.Agreement, 1), make(chan struct{}), make(chan struct{})
		// A failing test lets the transaction end, or the schema's cleanup would wait for it.
		var once sync.Once
		t.Cleanup(func() { once.Do(func() { close(release) }) })
		go func() {
			var a *twin.Agreement
			err := other.Write(ctx, func(tx *Tx) error {
				var err error
				if a, err = other.Agreements.CreateTx(ctx, tx, &twin.Agreement{Cities: cities, Status: "signed"}); err != nil {
					return err
				}
				close(written)
				<-release
				if !commit {
					return errors.New("rolled back")
				}
				return nil
			})
			if err != nil {
				a = nil
			}
			got <- a
		}()
		<-written
		return got, func() { once.Do(func() { close(release) }) }
	}
	// A holds a change id and has not committed; B, later, commits; the follower reads B.
	gotA, releaseA := late([]string{"Q42053", "Q5753"}, true)
	b, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q90"}, Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	cs, _, err := db.Follow(ctx, cur)
	if err != nil || !has(cs, "agreement", b.ID) {
		t.Fatalf("Follow = %v, %v; want agreement %d", cs, err, b.ID)
	}
	if cur.Gaps() == 0 {
		t.Fatal("the uncommitted lower id is not kept as a gap")
	}
	releaseA()
	a := <-gotA
	if a == nil {
		t.Fatal("the late transaction failed")
	}
	cs, _, err = db.Follow(ctx, cur)
	if err != nil || !has(cs, "agreement", a.ID) {
		t.Fatalf("after the late commit Follow = %v, %v; want agreement %d", cs, err, a.ID)
	}
	// A rolled-back transaction leaves a gap that closes once it has ended.
	gotC, releaseC := late([]string{"Q5753", "Q90"}, false)
	if _, err := db.Agreements.Update(ctx, b.ID, 0, func(a *twin.Agreement) error { a.Status = "suspended"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Follow(ctx, cur); err != nil {
		t.Fatal(err)
	}
	releaseC()
	if <-gotC != nil {
		t.Fatal("the transaction was not rolled back")
	}
	// The gap closes once every transaction that could hold it has ended; a write
	// transaction elsewhere in the cluster (another test loading a dataset) may hold it open
	// longer, which costs one read per pass and loses nothing.
	deadline := time.Now().Add(30 * time.Second)
	for cur.Gaps() > 0 {
		cs, _, err := db.Follow(ctx, cur)
		if err != nil || len(cs) != 0 {
			t.Fatalf("Follow after a rollback = %v, %v", cs, err)
		}
		if time.Now().After(deadline) {
			var others int
			if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()").Scan(&others); err != nil {
				t.Fatal(err)
			}
			if others > 0 {
				t.Logf("the rolled-back gap is still open: %d other write transactions run in the cluster", others)
				return
			}
			t.Fatalf("the rolled-back gap is still open (%d ids) with no other transaction running", cur.Gaps())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestListenHearsWrites: on PostgreSQL a write on one connection reaches another's listener.
func TestListenHearsWrites(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	if db.Dialect() != "postgres" {
		t.Skip("LISTEN/NOTIFY is PostgreSQL's")
	}
	other := second(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	heard := make(chan struct{}, 100)
	go other.Listen(ctx, func() { heard <- struct{}{} }, nil)
	select { // the first call says the listener is connected
	case <-heard:
	case <-time.After(30 * time.Second):
		t.Fatal("the listener never connected")
	}
	mkCity(t, db, "اصفهان", "Isfahan", "IR", "Q42053")
	select {
	case <-heard:
	case <-time.After(30 * time.Second):
		t.Fatal("no notification of the write")
	}
}

// BenchmarkFollowIdle: one pass of a follower when nothing was written (every server pays it
// every poll).
func BenchmarkFollowIdle(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	mkCity(b, db, "اصفهان", "Isfahan", "IR", "Q42053")
	cur, err := db.Following(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := db.Follow(ctx, cur); err != nil {
			b.Fatal(err)
		}
	}
}
