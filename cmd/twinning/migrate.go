package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/twinning/twinning/internal/store"
)

func init() {
	register(verb{name: "migrate", summary: "Bring the database schema up to this build's version", run: runMigrate})
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "[--db DSN]")
	dsn := dbFlag(fs, e)
	if _, err := parseArgs(fs, args, 0, 0); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := db.SchemaVersion(ctx)
	for _, m := range applied {
		fmt.Fprintln(e.stdout, "applied", m)
	}
	// What an interrupted first start may have left unbuilt.
	if built, err := db.EnsureSearchIndexes(ctx); err != nil {
		return err
	} else if built {
		fmt.Fprintln(e.stdout, "built the search indexes")
	}
	fmt.Fprintf(e.stdout, "schema at version %d (%s)\n", v, db.Dialect())
	_ = slog.Default
	return nil
}
