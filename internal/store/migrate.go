package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

//go:embed migrations
var migrationsFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationsFS, db.d.migrations)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationsFS.ReadFile(path.Join(db.d.migrations, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// KnownVersion is the newest schema version this build knows.
func (db *DB) KnownVersion() int {
	ms, _ := db.migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion is the schema version the database is at (0 when empty).
func (db *DB) SchemaVersion(ctx context.Context) (v int, err error) {
	defer wrap(&err, "SchemaVersion")
	if _, err := db.w.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"); err != nil {
		return 0, err
	}
	err = db.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// Reachable reads the schema version through the readers, never waiting for the writer (which
// a long write, such as building the search indexes after a first start, may hold): the
// database answers reads.
func (db *DB) Reachable(ctx context.Context) (err error) {
	defer wrap(&err, "Reachable")
	var v int
	return db.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
}

// Migrate applies the pending migrations, each in its own transaction, and refuses a database
// whose schema is newer than this build knows. It returns the versions applied.
func (db *DB) Migrate(ctx context.Context) (applied []string, err error) {
	defer wrap(&err, "Migrate")
	// Two servers started together must not both create the schema.
	unlock, err := db.Lock(ctx, "migrate")
	if err != nil {
		return nil, err
	}
	defer unlock()
	cur, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := db.migrations()
	if err != nil {
		return nil, err
	}
	if known := db.KnownVersion(); cur > known {
		return nil, twin.Errorf(twin.ECONFLICT, "the database schema is version %d but this build knows only up to %d: upgrade twinning", cur, known)
	}
	for _, m := range ms {
		if m.version <= cur {
			continue
		}
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		// Read the version again inside the transaction: on SQLite it holds the write lock from
		// its start (BEGIN IMMEDIATE), so a second process migrating the same file at the same
		// moment finds this migration applied instead of applying it twice.
		var now int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&now); err != nil {
			tx.Rollback()
			return applied, err
		}
		if now >= m.version {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("%s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, db.d.rebind("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)"), m.version, m.name, ts(db.Now())); err != nil {
			tx.Rollback()
			return applied, err
		}
		if err := tx.Commit(); err != nil {
			return applied, err
		}
		applied = append(applied, m.name)
	}
	return applied, nil
}
