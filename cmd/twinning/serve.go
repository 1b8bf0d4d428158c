package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/twinning/twinning/internal/web"
)

func init() {
	register(verb{name: "serve", summary: "Run the web application and the JSON API", run: runServe})
}

// defaultMemoryLimit is the server's soft memory limit unless GOMEMLIMIT says otherwise.
const defaultMemoryLimit = 120 << 20

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--addr HOST:PORT] [--db DSN]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dsn := dbFlag(fs, e)
	logFormat := fs.String("log-format", "auto", "log format: text, json or auto")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(e.stderr, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	if e.getenv("GOMEMLIMIT") == "" {
		// A soft limit: the collector works harder near it instead of letting the heap double
		// (the world's registry lives in well under half of it). GOMEMLIMIT sets another.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	db, err := openDB(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := firstStart(ctx, db, e, log); err != nil {
		return err
	}
	token := e.getenv("TWINNING_ADMIN_TOKEN")
	if token == "" {
		if users, err := db.Users(ctx); err == nil && len(users) == 0 {
			log.Warn("no account exists and TWINNING_ADMIN_TOKEN is not set: writes are refused until one does (twinning user add NAME --role admin)")
		}
	}
	intel, err := startIntel(ctx, db, log)
	if err != nil {
		return err
	}
	srv := web.New(web.Options{DB: db, Log: log, AdminToken: token, Version: version, Intel: intel})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	log.Info("listening", "url", fmt.Sprintf("http://%s/", ln.Addr()), "database", db.Dialect())
	fmt.Fprintf(e.stdout, "Twinning is running at http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: letting requests in flight finish")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
