package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// CheckBackup opens a SQLite backup read-only and says whether this build may restore it: it
// must be a sound SQLite database (quick_check), a Twinning registry (it has a schema version),
// and not from a newer schema than this build knows. It returns the backup's schema version.
// Its errors are sentences that name the file, for the operator to read as they are.
func CheckBackup(ctx context.Context, path string) (version int, err error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var ok string
	if err := c.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil {
		return 0, fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if ok != "ok" {
		return 0, fmt.Errorf("%s is damaged: %s", path, ok)
	}
	if err := c.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil || version == 0 {
		return 0, fmt.Errorf("%s is not a Twinning registry (no schema version)", path)
	}
	if known := (&DB{d: sqlite}).KnownVersion(); version > known {
		return version, errors.New(NewerSchema(version, known))
	}
	return version, nil
}

// NewerSchema is the refusal of a database or backup from a schema newer than the build's.
func NewerSchema(version, known int) string {
	return fmt.Sprintf("the schema is version %d but this build knows only up to %d: upgrade twinning first", version, known)
}

// KnownVersionFor is the newest schema version this build knows for the dialect of dsn.
func KnownVersionFor(dsn string) int {
	if IsPostgres(dsn) {
		return (&DB{d: postgres}).KnownVersion()
	}
	return (&DB{d: sqlite}).KnownVersion()
}

// Empty reports whether the registry holds no tables yet (a fresh database to restore into).
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	q := "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
	if db.d.name == "sqlite" {
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
	}
	err := db.w.QueryRowContext(ctx, q).Scan(&n)
	return n == 0, err
}
