package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/twinning/twinning/internal/news"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/web"
)

func init() {
	register(verb{name: "serve", summary: "Run the web application and the JSON API", run: runServe})
}

// defaultMemoryLimit is the server's soft memory limit unless GOMEMLIMIT says otherwise.
const defaultMemoryLimit = 120 << 20

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[flags]\n\nEvery flag may be given as an environment variable instead, named in its help; a flag\non the command line wins.")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dsn := dbFlag(fs, e)
	logFormat := fs.String("log-format", "auto", "log format: text, json or auto")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	trustProxy := fs.String("trust-proxy", "", "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For, X-Forwarded-Proto and X-Request-Id are believed (none by default)")
	metricsToken := fs.String("metrics-token", "", "a bearer token that opens /metrics beyond loopback (without it, /metrics answers only this machine)")
	feedInterval := fs.Duration("feed-interval", news.DefaultInterval, "how often each news feed is polled (30m, 1h); 0 stops polling")
	publicURL := fs.String("public-url", "", "this registry's public address (https://twinning.example.org), named in the User-Agent of feed requests")
	adminToken := fs.String("admin-token", "", "bearer token with admin rights for provisioning scripts; with no token and no account, writes are refused")
	if err := flagsFromEnv(fs, e); err != nil {
		return err
	}
	if _, err := parseArgs(fs, args, 0, 0); err != nil {
		return err
	}
	if *feedInterval < 0 || *feedInterval > 0 && *feedInterval < time.Minute {
		return fmt.Errorf("--feed-interval %s: at least 1m (or 0 to stop polling)", *feedInterval)
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
	logConfig(log, fs)
	proxies, err := web.ParseTrustedProxies(*trustProxy)
	if err != nil {
		return fmt.Errorf("--trust-proxy: %w", err)
	}
	if *publicURL != "" {
		if u, err := url.Parse(*publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--public-url %q: an absolute http or https address (https://twinning.example.org)", *publicURL)
		}
	}
	if err := tryAddr(*addr); err != nil {
		return err
	}
	db, err := openDBRetry(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if !store.IsPostgres(*dsn) {
		// `twinning restore` refuses to swap the file while a server holds this.
		if release, _, err := lockFile(*dsn, false); err == nil {
			defer release()
		}
	}
	// Servers started together on an empty database load the bundle once: the others wait.
	unlock, err := db.Lock(ctx, "first-start")
	if err != nil {
		return err
	}
	metricSet := metrics.NewSet()
	loaded, err := firstStart(ctx, db, e, log, metricSet)
	unlock()
	if err != nil {
		return err
	}
	token := *adminToken
	if token == "" {
		warnNoWriter(ctx, db, log)
	}
	// What a first start's load leaves (the search indexes, the key first) is built on the
	// writer while the graph is read.
	go finishLoad(ctx, db, log, loaded)
	intel, err := startIntel(ctx, db, log)
	if err != nil {
		return err
	}
	// One polite fetcher for the poller and the feeds admins add, so that a host is paced
	// across both.
	fetch := newsFetcher(*publicURL)
	srv := web.New(web.Options{DB: db, Log: log, AdminToken: token, Version: buildVersion(), Intel: intel,
		TrustProxy: proxies, Metrics: metricSet, MetricsToken: *metricsToken,
		AddFeed: func(ctx context.Context, rawURL, lang string, check bool) (*store.Feed, error) {
			return news.AddFeed(ctx, db, fetch, rawURL, lang, check)
		}})
	db.OnWrite = srv.ObserveWrite
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	log.Info("listening", "url", fmt.Sprintf("http://%s/", ln.Addr()), "database", db.Dialect())
	fmt.Fprintf(e.stdout, "Twinning is running at http://%s/\n", ln.Addr())
	var poller *news.Poller
	if *feedInterval > 0 {
		poller = &news.Poller{DB: db, Fetch: fetch, Interval: *feedInterval, Log: log}
	}
	return serveUntilDone(ctx, log, hs, ln, poller)
}

// serveUntilDone serves on ln and polls the news feeds (when poller is not nil) until ctx
// ends, then lets requests in flight and the poller finish, for at most 20 s.
func serveUntilDone(ctx context.Context, log *slog.Logger, hs *http.Server, ln net.Listener, poller *news.Poller) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// News feeds are polled in the background: never in a request's way, and a hanging feed
	// holds only its own slot.
	polled := make(chan struct{})
	if poller != nil {
		go func() { defer close(polled); poller.Run(ctx) }()
	} else {
		close(polled)
		log.Info("news feeds are not polled (--feed-interval 0)")
	}
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
	select { // the poller stops with ctx; let it record what it was doing
	case <-polled:
	case <-sctx.Done():
	}
	return nil
}

// tryAddr tries the address before the database is touched: a mistyped --addr or a port in
// use is said at once, without a database made and the world loaded for nothing. It is let
// go again until the server is ready, so that while it waits for its database or loads the
// world, connections are refused (a proxy in front turns to another server) rather than left
// waiting.
func tryAddr(addr string) error {
	probe, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	probe.Close()
	return nil
}

// warnNoWriter warns, for a server without an admin token, when no account exists: nobody
// can write until one does.
func warnNoWriter(ctx context.Context, db *store.DB, log *slog.Logger) {
	if users, err := db.Users(ctx); err == nil && len(users) == 0 {
		log.Warn("no account exists and TWINNING_ADMIN_TOKEN is not set: writes are refused until one does (twinning user add NAME --role admin)")
	}
}
