package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/twinning/twinning/internal/store"
)

func init() {
	register(verb{name: "backup", summary: "Write a consistent copy of the database to FILE while the server runs", run: runBackup})
}

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "[--db DSN] FILE")
	dsn := dbFlag(fs, e)
	pos, err := parseArgs(fs, args, 1, 1)
	if err != nil {
		return err
	}
	out := pos[0]
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists: choose a new file, a backup never overwrites one", out)
	}
	if store.IsPostgres(*dsn) {
		return backupPostgres(ctx, e, *dsn, out)
	}
	if err := needDB(*dsn); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := writeThenRename(ctx, abs, func(tmp string) error { return db.BackupTo(ctx, tmp) }); err != nil {
		return err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d bytes); serve it with --db %s\n", out, st.Size(), out)
	return nil
}

// backupPostgres writes PostgreSQL's own consistent dump of the database at dsn to out.
func backupPostgres(ctx context.Context, e *env, dsn, out string) error {
	// PostgreSQL has its own consistent dump; the registry's data and accounts are all in it.
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		return errors.New("backing up PostgreSQL needs pg_dump (from the postgresql-client package) on the PATH")
	}
	libpq, schema := store.LibpqURL(dsn)
	err = writeThenRename(ctx, out, func(tmp string) error {
		args := []string{"--format=custom", "--file", tmp}
		if schema != "" {
			args = append(args, "--schema", schema)
		}
		cmd := exec.CommandContext(ctx, pgDump, append(args, libpq)...)
		cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("pg_dump: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (pg_restore restores it)\n", out)
	return nil
}

// writeThenRename has write make the backup under a temporary name beside out and gives it
// its name only once it is whole, so that a backup interrupted at any moment (Ctrl-C, a kill,
// a full disk) leaves nothing at out that could be taken for a backup; the partial file is
// removed, or, after a kill, left under its ".partial" name.
func writeThenRename(ctx context.Context, out string, write func(tmp string) error) error {
	tmp := fmt.Sprintf("%s.partial-%d", out, os.Getpid())
	os.Remove(tmp)
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		os.Remove(tmp + "-journal")
		if ctx.Err() != nil {
			return errors.New("backup interrupted; nothing was written")
		}
		return err
	}
	if f, err := os.Open(tmp); err == nil {
		err = f.Sync()
		f.Close()
		if err != nil {
			os.Remove(tmp)
			return err
		}
	}
	// A link, unlike a rename, fails if out appeared meanwhile: a backup never overwrites.
	// (A file system without links gets a rename after a last look.)
	if err := os.Link(tmp, out); errors.Is(err, os.ErrExist) {
		os.Remove(tmp)
		return fmt.Errorf("%s exists: choose a new file, a backup never overwrites one", out)
	} else if err != nil {
		if _, serr := os.Lstat(out); serr == nil {
			os.Remove(tmp)
			return fmt.Errorf("%s exists: choose a new file, a backup never overwrites one", out)
		}
		if err := os.Rename(tmp, out); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	os.Remove(tmp)
	if d, err := os.Open(filepath.Dir(out)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
