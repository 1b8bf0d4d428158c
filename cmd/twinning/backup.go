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
		// PostgreSQL has its own consistent dump; the registry's data and accounts are all in it.
		pgDump, err := exec.LookPath("pg_dump")
		if err != nil {
			return errors.New("backing up PostgreSQL needs pg_dump (from the postgresql-client package) on the PATH")
		}
		libpq, schema := store.LibpqURL(*dsn)
		args := []string{"--format=custom", "--file", out}
		if schema != "" {
			args = append(args, "--schema", schema)
		}
		cmd := exec.CommandContext(ctx, pgDump, append(args, libpq)...)
		cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
		if err := cmd.Run(); err != nil {
			os.Remove(out)
			return fmt.Errorf("pg_dump: %w", err)
		}
		fmt.Fprintf(e.stdout, "wrote %s (pg_restore restores it)\n", out)
		return nil
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
	if err := db.BackupTo(ctx, abs); err != nil {
		os.Remove(abs)
		return err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d bytes); serve it with --db %s\n", out, st.Size(), out)
	return nil
}
