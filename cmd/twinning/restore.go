package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/store"
)

func init() {
	register(verb{name: "restore", summary: "Bring a backup made by `twinning backup` back as the registry", run: runRestore})
}

const restoreUsage = `[--db DSN] FILE

SQLite: FILE is checked (a sound Twinning registry, not from a newer schema), copied beside
the database and swapped in by one rename; the database it replaces is kept as
DB.pre-restore-TIME. The server must be stopped: restore refuses while one uses the file.
PostgreSQL: FILE (a pg_dump custom archive) is restored with pg_restore, in one transaction,
into the empty database --db names; a database that already holds tables is refused.`

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore", restoreUsage)
	dsn := dbFlag(fs, e)
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if store.IsPostgres(*dsn) {
		return restorePostgres(ctx, e, *dsn, pos[0])
	}
	return restoreSQLite(ctx, e, *dsn, pos[0])
}

// checkSQLiteBackup refuses what is not a whole SQLite backup of a registry (a PostgreSQL
// archive, a copy with an unfinished journal, another file) and returns its schema version.
func checkSQLiteBackup(ctx context.Context, backup string) (int, error) {
	if backupEngine(backup) == "postgres" {
		return 0, fmt.Errorf("refusing to restore: %s is a PostgreSQL backup (a pg_dump archive); restore it into an empty PostgreSQL database (--db postgres://...). A backup goes back into the engine it came from", backup)
	}
	if _, err := os.Stat(backup + "-journal"); err == nil {
		return 0, fmt.Errorf("refusing to restore: %s has an unfinished journal beside it (%s-journal): it is a copy interrupted half-way, not a backup", backup, backup)
	}
	v, err := store.CheckBackup(ctx, backup)
	if err != nil {
		return 0, fmt.Errorf("refusing to restore: %w", err)
	}
	return v, nil
}

// copyDurably copies the backup into tmp, synced to disk, and closes tmp.
func copyDurably(tmp *os.File, backup string) error {
	src, err := os.Open(backup)
	if err != nil {
		tmp.Close()
		return err
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copying the backup: %w", err)
	}
	return nil
}

// restoreSQLite brings a SQLite backup back as the file target, the registry it replaces kept
// beside it, refusing while a server holds target.
func restoreSQLite(ctx context.Context, e *env, target, backup string) error {
	v, err := checkSQLiteBackup(ctx, backup)
	if err != nil {
		return err
	}
	dir := filepath.Dir(target)
	kept := ""
	if _, err := os.Stat(target); err == nil {
		release, ok, err := lockFile(target, true)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("a server is using %s: stop it, then restore", target)
		}
		defer release()
		kept = fmt.Sprintf("%s.pre-restore-%s", target, time.Now().UTC().Format("20060102T150405Z"))
	}
	// Copy next to the target, make it durable, then swap by renames: at every moment the
	// target path holds either the old registry or the whole restored one.
	tmp, err := os.CreateTemp(dir, filepath.Base(target)+".restoring-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := copyDurably(tmp, backup); err != nil {
		return err
	}
	if kept != "" {
		// The old database's WAL and shared-memory files go with it, so it stays whole.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(target+suffix, kept+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("setting the current database aside: %w", err)
			}
		}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	fmt.Fprintf(e.stdout, "restored %s (schema version %d) as %s\n", backup, v, target)
	if kept != "" {
		fmt.Fprintf(e.stdout, "the registry it replaced is kept as %s\n", kept)
	}
	return nil
}

func restorePostgres(ctx context.Context, e *env, dsn, backup string) error {
	if backupEngine(backup) == "sqlite" {
		return fmt.Errorf("refusing to restore: %s is a SQLite backup; restore it as a SQLite file (--db FILE.db). A backup goes back into the engine it came from", backup)
	}
	pgRestore, err := exec.LookPath("pg_restore")
	if err != nil {
		return errors.New("restoring PostgreSQL needs pg_restore (from the postgresql-client package) on the PATH")
	}
	if _, err := os.Stat(backup); err != nil {
		return err
	}
	v, err := dumpSchemaVersion(ctx, pgRestore, backup)
	if err != nil {
		return fmt.Errorf("refusing to restore: %w", err)
	}
	if known := store.KnownVersionFor(dsn); v > known {
		return fmt.Errorf("refusing to restore: %s", store.NewerSchema(v, known))
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	empty, err := db.Empty(ctx)
	db.Close()
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("refusing to restore: the database %s already holds tables; restore into a new, empty database", store.Redact(dsn))
	}
	libpq, _ := store.LibpqURL(dsn)
	cmd := exec.CommandContext(ctx, pgRestore, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", "--dbname", libpq, backup)
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_restore (nothing was restored: it runs in one transaction): %w", err)
	}
	fmt.Fprintf(e.stdout, "restored %s (schema version %d) into %s\n", backup, v, store.Redact(dsn))
	return nil
}

// dumpSchemaVersion reads the schema version recorded in a pg_dump archive, from the rows of
// its schema_migrations table, without restoring anything.
func dumpSchemaVersion(ctx context.Context, pgRestore, backup string) (int, error) {
	out, err := exec.CommandContext(ctx, pgRestore, "--data-only", "--table=schema_migrations", "--file=-", backup).Output()
	if err != nil {
		return 0, fmt.Errorf("%s is not a pg_dump archive pg_restore can read: %w", backup, err)
	}
	v, inCopy := 0, false
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "COPY ") && strings.Contains(line, "schema_migrations"):
			inCopy = true
		case line == `\.`:
			inCopy = false
		case inCopy:
			f, _, _ := strings.Cut(line, "\t")
			if n, err := strconv.Atoi(f); err == nil && n > v {
				v = n
			}
		}
	}
	if v == 0 {
		return 0, fmt.Errorf("%s holds no Twinning schema version", backup)
	}
	return v, nil
}

// backupEngine tells a SQLite database from a pg_dump custom archive by their first bytes:
// "sqlite", "postgres", or "" for anything else (checked further by the restore).
func backupEngine(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	switch {
	case strings.HasPrefix(string(head[:n]), "SQLite format 3\x00"):
		return "sqlite"
	case strings.HasPrefix(string(head[:n]), "PGDMP"):
		return "postgres"
	}
	return ""
}
