package store

import (
	"context"
	"database/sql/driver"
)

// Lock holds a database-wide lock named name until unlock is called, so that work which must
// happen once (migrations, the first load of the bundled dataset) is not done by two servers
// started together on one database. On PostgreSQL it is a session advisory lock held on a
// dedicated connection: the second server waits, then finds the work done. On SQLite the
// single writer connection and busy_timeout already serialize writers, and Lock is a no-op.
func (db *DB) Lock(ctx context.Context, name string) (unlock func(), err error) {
	if db.d.name != "postgres" {
		return func() {}, nil
	}
	defer wrap(&err, "store.Lock")
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// The key is the schema's and the name's: registries in other schemas do not wait.
	var key int64
	if err := conn.QueryRowContext(ctx, "SELECT hashtextextended('twinning:' || current_schema() || ':' || $1, 0)", name).Scan(&key); err != nil {
		conn.Close()
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		conn.Close()
		return nil, err
	}
	return func() {
		// A fresh context: the lock must be released even when ctx was cancelled; closing a
		// connection that could not unlock ends its session, which releases the lock too.
		if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", key); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // discard: the session ends with it
		}
		conn.Close()
	}, nil
}

// lockKey holds, on PostgreSQL, a lock on name until the transaction ends, so that writers
// that check and then insert for the same name (a story's hash) take turns; on SQLite, whose
// writer is one at a time, it does nothing.
func (t *Tx) lockKey(ctx context.Context, name string) error {
	if t.db.d.name != "postgres" {
		return nil
	}
	_, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended('twinning:' || current_schema() || ':' || ?, 0))", name)
	return err
}
