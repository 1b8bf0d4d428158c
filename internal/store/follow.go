package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Following other writers. Every audited write adds rows to the changes table in the same
// transaction, so a server learns what other processes (another server, `twinning import`)
// committed by reading the rows beyond the highest id it has read: it follows what was
// applied, never a fingerprint taken afterwards.
//
// On SQLite one writer at a time commits, so ids appear in commit order and "beyond the
// highest id" is exact. On PostgreSQL ids come from a sequence before commit: a transaction
// holding a lower id may commit after one holding a higher id. A follower that sees such a gap
// keeps it, with the snapshot's xmax (every transaction that could hold the gap's ids has a
// smaller xid), and reads it again on each pass until the oldest running transaction is at or
// past that xmax: by then the gap's transactions have committed (their rows are visible) or
// rolled back (nothing to read), and the gap is closed for good.

// FollowBatch is the most changes Follow returns at once; beyond it the follower reloads.
const FollowBatch = 2000

// Cursor is how far a follower has read the log of changes.
type Cursor struct {
	High int64 // every change up to High has been read, but for the gaps
	gaps []gap
}

// gap is a run of ids below High that were not visible yet when High passed them.
type gap struct {
	lo, hi int64
	xmax   int64          // PostgreSQL: the first xid not yet started when the gap was seen
	seen   map[int64]bool // ids of the gap already returned
}

// Gaps reports how many ids the cursor is still waiting for (tests, logs).
func (c *Cursor) Gaps() int {
	n := 0
	for _, g := range c.gaps {
		n += int(g.hi-g.lo+1) - len(g.seen)
	}
	return n
}

// follower reads changes in one consistent snapshot: a read-only repeatable-read transaction
// on PostgreSQL (whose snapshot pg_current_snapshot describes), a read transaction on SQLite.
func (db *DB) followTx(ctx context.Context) (*sql.Tx, error) {
	if db.d.name == "postgres" {
		return db.r.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return db.r.BeginTx(ctx, nil)
}

// snapshot returns the transaction's xmin and xmax on PostgreSQL (zeros on SQLite).
func (db *DB) snapshot(ctx context.Context, tx *sql.Tx) (xmin, xmax int64, err error) {
	if db.d.name != "postgres" {
		return 0, 0, nil
	}
	err = tx.QueryRowContext(ctx, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, pg_snapshot_xmax(pg_current_snapshot())::text::bigint").Scan(&xmin, &xmax)
	return xmin, xmax, err
}

// Following returns a cursor at the present: changes committed later are what Follow returns.
// On PostgreSQL the ids of the last FollowBatch that are not visible yet start as gaps.
func (db *DB) Following(ctx context.Context) (cur *Cursor, err error) {
	defer wrap(&err, "Following")
	tx, err := db.followTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	_, xmax, err := db.snapshot(ctx, tx)
	if err != nil {
		return nil, err
	}
	cur = &Cursor{}
	var high sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(id) FROM changes").Scan(&high); err != nil {
		return nil, err
	}
	cur.High = high.Int64
	if db.d.name == "postgres" && cur.High > 0 {
		lo := max(cur.High-FollowBatch, 0) + 1
		ids, err := changeIDs(ctx, tx, db.d.rebind("SELECT id FROM changes WHERE id >= ? AND id <= ? ORDER BY id"), lo, cur.High)
		if err != nil {
			return nil, err
		}
		cur.addGaps(lo, ids, xmax)
	}
	return cur, tx.Commit()
}

func changeIDs(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// addGaps records the ids from lo up to the last of ids (ascending) that ids lacks.
func (c *Cursor) addGaps(lo int64, ids []int64, xmax int64) {
	next := lo
	for _, id := range ids {
		if id > next {
			c.gaps = append(c.gaps, gap{lo: next, hi: id - 1, xmax: xmax})
		}
		next = id + 1
	}
}

// Follow returns the records changed by the transactions committed since cur, by anyone, and
// moves cur past them. A record may be returned again (a follower applies changes by reading
// the record as it is now, so repeating is harmless). When more than FollowBatch changes
// arrived, reload is true and the changes are not listed: the follower reloads everything.
func (db *DB) Follow(ctx context.Context, cur *Cursor) (out []Changed, reload bool, err error) {
	defer wrap(&err, "Follow")
	tx, err := db.followTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	xmin, xmax, err := db.snapshot(ctx, tx)
	if err != nil {
		return nil, false, err
	}
	type row struct {
		id int64
		c  Changed
	}
	read := func(q string, args ...any) ([]row, error) {
		rows, err := tx.QueryContext(ctx, db.d.rebind(q), args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var rs []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.c.Kind, &r.c.ID); err != nil {
				return nil, err
			}
			rs = append(rs, r)
		}
		return rs, rows.Err()
	}
	// The gaps first: what committed late below the high-water mark, in one query for all
	// (a long transaction anywhere in the cluster keeps gaps open: they cost this one read).
	if len(cur.gaps) > 0 {
		conds, args := make([]string, len(cur.gaps)), make([]any, 0, 2*len(cur.gaps))
		for i, g := range cur.gaps {
			conds[i] = "(id >= ? AND id <= ?)"
			args = append(args, g.lo, g.hi)
		}
		rs, err := read("SELECT id, kind, record_id FROM changes WHERE "+strings.Join(conds, " OR ")+" ORDER BY id LIMIT "+fmt.Sprint(FollowBatch+1), args...)
		if err != nil {
			return nil, false, err
		}
		if len(rs) > FollowBatch {
			reload = true
		}
		kept := cur.gaps[:0]
		for _, g := range cur.gaps {
			for _, r := range rs {
				if r.id < g.lo || r.id > g.hi || g.seen[r.id] {
					continue
				}
				if g.seen == nil {
					g.seen = map[int64]bool{}
				}
				g.seen[r.id] = true
				out = append(out, r.c)
			}
			// Once every transaction that could hold the gap's ids has ended, what is not
			// visible now was rolled back: the gap is closed.
			if xmin < g.xmax && int64(len(g.seen)) < g.hi-g.lo+1 {
				kept = append(kept, g)
			}
		}
		cur.gaps = kept
	}
	// Then what lies beyond.
	rs, err := read("SELECT id, kind, record_id FROM changes WHERE id > ? ORDER BY id LIMIT "+fmt.Sprint(FollowBatch+1), cur.High)
	if err != nil {
		return nil, false, err
	}
	if len(rs) > FollowBatch {
		reload = true
		var high int64
		if err := tx.QueryRowContext(ctx, "SELECT MAX(id) FROM changes").Scan(&high); err != nil {
			return nil, false, err
		}
		if db.d.name == "postgres" {
			ids, err := changeIDs(ctx, tx, db.d.rebind("SELECT id FROM changes WHERE id > ? ORDER BY id"), cur.High)
			if err != nil {
				return nil, false, err
			}
			cur.addGaps(cur.High+1, ids, xmax)
		}
		cur.High = high
	} else {
		ids := make([]int64, len(rs))
		for i, r := range rs {
			ids[i] = r.id
			out = append(out, r.c)
		}
		if db.d.name == "postgres" {
			cur.addGaps(cur.High+1, ids, xmax)
		}
		if len(rs) > 0 {
			cur.High = rs[len(rs)-1].id
		}
	}
	if reload {
		out = nil
	}
	return out, reload, tx.Commit()
}

// notifyChannel is the PostgreSQL channel a write announces itself on.
const notifyChannel = "twinning_changes"

// Listen calls fn each time a write is committed on the database by any server (PostgreSQL's
// LISTEN/NOTIFY), until ctx ends, reconnecting with back-off when the connection is lost; fn is
// also called after each reconnection, since notifications may have been missed meanwhile. On
// SQLite, which has no such thing, it returns at once: followers poll.
func (db *DB) Listen(ctx context.Context, fn func(), onErr func(error)) {
	if db.d.name != "postgres" {
		return
	}
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := db.listen(ctx, fn, func() { wait = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		if onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func (db *DB) listen(ctx context.Context, fn, connected func()) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	connected()
	fn()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		fn()
	}
}

// notify announces a committed write to the listeners (inside the transaction: PostgreSQL
// delivers it at commit, and never for a rollback).
func (t *Tx) notify(ctx context.Context) error {
	if t.db.d.name != "postgres" || len(t.changed) == 0 {
		return nil
	}
	_, err := t.tx.ExecContext(ctx, "SELECT pg_notify('"+notifyChannel+"', '')")
	return err
}
