// Package store keeps Twinning's registry in SQLite (the embedded default) or PostgreSQL, through
// one database/sql implementation. Every record is a JSON document beside the few columns that
// queries filter, join or enforce on; the differences between the two engines live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/twinning/twinning/internal/twin"
)

// DB is an open registry.
type DB struct {
	w       *sql.DB // the writer: one connection on SQLite
	r       *sql.DB // readers: a pool (the same pool as w on PostgreSQL)
	d       dialect
	stmts   *stmtCache // the readers' prepared statements (SQLite; pgx caches its own)
	dsn     string
	Now     func() time.Time
	domains sync.Map // code → twin.Domain, the vocabulary cache
	dvMu    sync.Mutex
	dvConn  *sql.Conn // SQLite: the connection DataVersion asks

	// OnChange, when set, is called once after each committed write transaction with the
	// records it changed.
	OnChange func(changes []Changed)
	// OnWrite, when set, is told of every write transaction: how long it took and whether it
	// failed (metrics).
	OnWrite func(d time.Duration, err error)

	health writeHealth

	// keyBuilding, while this process builds the search table's key index, is closed when
	// that is done: a search waits for it rather than scan the whole table (see Search).
	keyBuilding atomic.Pointer[chan struct{}]

	Cities       *Table[twin.City]
	Agreements   *Table[twin.Agreement]
	Institutions *Table[twin.Institution]
	Links        *Table[twin.Link]
	Activities   *Table[twin.Activity]
	People       *Table[twin.Person]
	Networks     *Table[twin.Network]
	Proposals    *Table[twin.Proposal]
}

// IsPostgres reports whether dsn selects PostgreSQL rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database dsn names (a file path for SQLite, a postgres:// URL for
// PostgreSQL). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (db *DB, err error) {
	defer wrap(&err, "store.Open")
	db = &DB{dsn: dsn, Now: func() time.Time { return time.Now().UTC() }}
	if IsPostgres(dsn) {
		db.d = postgres
		if db.w, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		db.w.SetMaxOpenConns(16)
		db.w.SetMaxIdleConns(16)
		db.r = db.w
	} else {
		db.d = sqlite
		// Pragmas in a stated order: busy_timeout first, then WAL, foreign keys, synchronous.
		base := "file:" + dsn + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
		if db.w, err = sql.Open("sqlite", base+"&_txlock=immediate"); err != nil {
			return nil, err
		}
		db.w.SetMaxOpenConns(1)
		db.w.SetMaxIdleConns(1)
		db.w.SetConnMaxLifetime(0)
		if db.r, err = sql.Open("sqlite", base+"&_pragma=query_only(1)"); err != nil {
			db.w.Close()
			return nil, err
		}
		n := max(4, runtime.NumCPU()*2) + 1 // + the one DataVersion keeps
		db.r.SetMaxOpenConns(n)
		db.r.SetMaxIdleConns(n)
	}
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.d.cacheStmts {
		db.stmts = &stmtCache{pool: db.r, m: map[string]*sql.Stmt{}}
	}
	db.initTables()
	return db, nil
}

// Close releases the connections.
func (db *DB) Close() error {
	db.stmts.close()
	db.dvMu.Lock()
	if db.dvConn != nil {
		db.dvConn.Close()
		db.dvConn = nil
	}
	db.dvMu.Unlock()
	var err error
	if db.r != nil && db.r != db.w {
		err = db.r.Close()
	}
	if db.w != nil {
		err = errors.Join(err, db.w.Close())
	}
	return err
}

// Dialect names the engine: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Tx is a write transaction with the one clock reading all its changes share.
type Tx struct {
	tx      *sql.Tx
	db      *DB
	now     time.Time
	actor   string
	audit   bool
	changed []Changed
	stmts   map[string]*sql.Stmt // prepared in this transaction, closed with it
	domains map[string]bool      // vocabulary added in this transaction
}

// Changed names one record a transaction wrote.
type Changed struct {
	Kind string
	ID   int64
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return txq{t}.ExecContext(ctx, t.db.d.rebind(q), args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return txq{t}.QueryRowContext(ctx, t.db.d.rebind(q), args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return txq{t}.QueryContext(ctx, t.db.d.rebind(q), args...)
}

// stmt returns the transaction's prepared statement for q (SQLite parses a statement again on
// every call otherwise, a third of a point read's time), or nil to run q directly.
func (t *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if !t.db.d.cacheStmts {
		return nil
	}
	if s := t.stmts[q]; s != nil {
		return s
	}
	if len(t.stmts) >= maxCachedStmts {
		return nil
	}
	s, err := t.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil // the direct call reports the error
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = s
	return s
}

// txq runs already-rebound SQL in a transaction through its prepared statements.
type txq struct{ t *Tx }

func (q txq) QueryContext(ctx context.Context, s string, args ...any) (*sql.Rows, error) {
	if st := q.t.stmt(ctx, s); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.t.tx.QueryContext(ctx, s, args...)
}

func (q txq) QueryRowContext(ctx context.Context, s string, args ...any) *sql.Row {
	if st := q.t.stmt(ctx, s); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.t.tx.QueryRowContext(ctx, s, args...)
}

func (q txq) ExecContext(ctx context.Context, s string, args ...any) (sql.Result, error) {
	if st := q.t.stmt(ctx, s); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.t.tx.ExecContext(ctx, s, args...)
}

// maxCachedStmts bounds each statement cache: queries with IN lists of every length would
// otherwise fill it.
const maxCachedStmts = 512

// stmtCache keeps the readers' prepared statements; database/sql prepares each on a
// connection the first time it runs there.
type stmtCache struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	s, full := c.m[q], len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if s != nil || full {
		return s
	}
	s, err := c.pool.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[q]; old != nil {
		s.Close()
		return old
	}
	c.m[q] = s
	return s
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.m {
		s.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// Write runs fn in one write transaction: everything fn does is committed together or not at all.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	return db.write(ctx, true, fn)
}

// WriteQuiet is Write without the per-record audit entries: for bulk loads, which log once.
func (db *DB) WriteQuiet(ctx context.Context, fn func(*Tx) error) error {
	return db.write(ctx, false, fn)
}

func (db *DB) write(ctx context.Context, audit bool, fn func(*Tx) error) (err error) {
	defer func() { db.health.note(err, db.Now()) }()
	if db.OnWrite != nil {
		defer func(start time.Time) { db.OnWrite(time.Since(start), err) }(time.Now())
	}
	stx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	t := &Tx{tx: stx, db: db, now: db.Now(), actor: twin.ActorFrom(ctx), audit: audit}
	if err := fn(t); err != nil {
		stx.Rollback()
		return translate(err)
	}
	if err := t.notify(ctx); err != nil {
		stx.Rollback()
		return translate(err)
	}
	if err := stx.Commit(); err != nil {
		return translate(err)
	}
	if db.OnChange != nil && len(t.changed) > 0 {
		db.OnChange(t.changed)
	}
	return nil
}

// WriteHealth says whether writes are failing for want of space: since when, the last failure
// and its reason. The first write that commits clears it, so recovery needs no restart.
type WriteHealth struct {
	Failing     bool
	Since, Last time.Time
	Reason      string
}

type writeHealth struct {
	mu sync.Mutex
	h  WriteHealth
}

func (w *writeHealth) note(err error, now time.Time) {
	full := twin.ErrorCode(err) == twin.ESTORAGE
	if err != nil && !full {
		return // a refused or conflicting write says nothing of the storage
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case full && !w.h.Failing:
		w.h = WriteHealth{Failing: true, Since: now, Last: now, Reason: twin.ESTORAGE}
	case full:
		w.h.Last = now
	case w.h.Failing:
		w.h = WriteHealth{}
	}
}

// WriteHealth reports whether writes are failing for want of space.
func (db *DB) WriteHealth() WriteHealth {
	db.health.mu.Lock()
	defer db.health.mu.Unlock()
	return db.health.h
}

// query and queryRow run queries on the reader pool.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return dbq{db}.QueryContext(ctx, db.d.rebind(q), args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return dbq{db}.QueryRowContext(ctx, db.d.rebind(q), args...)
}

// wrap adds the operation's name to a non-domain error, keeping domain errors as they are.
func wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	var e *twin.Error
	if errors.As(*errp, &e) {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// Redact returns dsn with any password replaced, for logs and messages.
func Redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// LibpqURL turns a registry URL into one the PostgreSQL command-line tools (pg_dump,
// pg_restore) accept: pgx's run-time parameters such as search_path are not libpq's, so they
// are taken out, and the registry's schema (when search_path names one) is returned apart.
func LibpqURL(dsn string) (libpq, schema string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, ""
	}
	q := u.Query()
	schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// PoolStats are the writer pool's connection statistics (on PostgreSQL the one pool).
func (db *DB) PoolStats() sql.DBStats { return db.w.Stats() }
