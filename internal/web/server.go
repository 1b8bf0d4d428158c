// Package web is Twinning's HTTP server: the middleware (request ids and trusted proxies,
// security headers, body limits, identity, CSRF), sign-in and sessions, the JSON API under
// /api/v1, the OpenAPI document, health and metrics. The human pages under /fa, /en and /ru are
// internal/ui's: web serves them, handing ui what only the server knows (ui.Server, filled in
// pageserver.go). Every route, pages' included, is one line of the table in routes.go (its
// handler lives beside its subject: api.go, graph.go, ui's pages_city.go, ...); the mux, the
// check of each request's query, the OpenAPI document and the authorization matrix test are
// all built from that table, so they cannot drift apart. API handlers return their error as
// page handlers do, and one function (classify, respond.go) maps every error code of the
// domain (twin.Codes, through httpx.StatusOf) to its status.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/exchange"
	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/registry"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/ui"
)

// Server holds what the handlers need.
type Server struct {
	db  *store.DB
	log *slog.Logger
	// adminToken is the bearer token of provisioning scripts (TWINNING_ADMIN_TOKEN).
	adminToken string
	version    string
	mux        *http.ServeMux
	routes     []route

	intel *intel.Intel
	// pages serves the human pages (internal/ui).
	pages *ui.Pages
	// reg runs the registry's multi-record operations over db.
	reg *registry.Registry
	// answers keeps the most asked anonymous answers until the data changes (respcache.go).
	answers respCache
	// snapshots are the whole registry's exports for anonymous readers (snapshot.go).
	snapshots exchange.Snapshots
	// exportCities bounds the neighbourhoods anonymous readers export (cities).
	exportCities int
	// signins limits sign-in attempts per client address.
	signins *auth.Limiter
	// csrfKey is the installation's CSRF secret, read from the database once.
	csrfKey    []byte
	csrfKeyMu  sync.Mutex
	sessionTTL time.Duration
	// trustProxy lists the proxies whose X-Forwarded-* and X-Request-Id headers are believed.
	trustProxy []netip.Prefix
	// metrics holds the server's Prometheus metrics; metricsToken opens /metrics beyond loopback.
	metrics      *metrics.Set
	metricsToken string
	// feedAdder adds a news feed (Options.AddFeed).
	feedAdder func(ctx context.Context, rawURL, lang string, check bool) (*store.Feed, error)
	// Search answers /api/v1/search; set by New to the store-backed search.
	Search func(ctx context.Context, q string, kinds []string, limit int, lang string) (any, error)
}

// Options configure a Server.
type Options struct {
	DB         *store.DB
	Log        *slog.Logger
	AdminToken string
	Version    string
	// Intel, when set, serves the graph, suggestions and vitality.
	Intel *intel.Intel
	// TrustProxy lists the reverse proxies whose X-Forwarded-For, X-Forwarded-Proto and
	// X-Request-Id headers are believed (see ParseTrustedProxies); none by default.
	TrustProxy []netip.Prefix
	// Metrics is the set /metrics shows (a new one when nil); MetricsToken, when set, lets a
	// client that sends it as a bearer token read /metrics from anywhere.
	Metrics      *metrics.Set
	MetricsToken string
	// AddFeed adds a news feed, reading its address first when check is set (cmd wires
	// internal/news's AddFeed, which web may not import); when nil, the address is added as
	// given, unread.
	AddFeed func(ctx context.Context, rawURL, lang string, check bool) (*store.Feed, error)
}

// New returns a Server with every route registered.
func New(o Options) *Server {
	s := &Server{db: o.DB, log: o.Log, adminToken: o.AdminToken, version: o.Version, intel: o.Intel, reg: registry.New(o.DB),
		signins: auth.NewLimiter(6*time.Second, 10), sessionTTL: 12 * time.Hour,
		trustProxy: o.TrustProxy, metrics: o.Metrics, metricsToken: o.MetricsToken, exportCities: anonymousExportCities}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.feedAdder = o.AddFeed
	if s.feedAdder == nil {
		s.feedAdder = func(ctx context.Context, rawURL, lang string, _ bool) (*store.Feed, error) {
			return s.db.AddFeed(ctx, rawURL, lang)
		}
	}
	s.snapshots.Log = s.log
	if s.metrics == nil {
		s.metrics = metrics.NewSet()
	}
	s.registerMetrics()
	if s.intel != nil {
		s.intel.OnGraph(s.observeGraph)
	}
	s.Search = s.searchRecords
	s.pages = ui.New(s.db, s.log, s.intel, s.reg, s.pageServer())
	s.mux = http.NewServeMux()
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		h := rt.handler
		if rt.api != nil {
			h = s.checkQuery(rt, s.serveAPI(rt.api))
		}
		if rt.write {
			h = s.requireWriter(rt, h)
		}
		if cachedRoute(rt) {
			h = s.cached(h)
		}
		s.mux.HandleFunc(rt.method+" "+rt.pattern, routed(rt.method+" "+rt.pattern, h))
	}
	return s
}

// Handler is the whole application with its middleware.
func (s *Server) Handler() http.Handler {
	return s.observe(s.recoverPanics(s.logRequests(s.secure(s.limitBodies(s.identify(s.csrfGuard(s.apiFallback(s.mux))))))))
}

// healthAnswer is the answer of /healthz.
type healthAnswer struct {
	Status   string `json:"status"` // ok, degraded, unavailable
	Version  string `json:"version,omitempty"`
	Database string `json:"database,omitempty"` // sqlite, postgres
	// Writes is "failing" while writes fail for want of space (then Status is "degraded").
	Writes        string         `json:"writes,omitempty"`
	WritesFailing *writesFailing `json:"writes_failing,omitempty"`
}

// writesFailing says since when writes fail, and why.
type writesFailing struct {
	Reason string    `json:"reason"`
	Since  time.Time `json:"since"`
	Last   time.Time `json:"last"`
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Reachable(ctx); err != nil {
		s.log.ErrorContext(r.Context(), "health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, healthAnswer{Status: "unavailable"})
		return nil
	}
	ans := healthAnswer{Status: "ok", Version: s.version, Database: s.db.Dialect(), Writes: "ok"}
	// Reads still work when writes fail for want of space: the server is degraded, not down,
	// until a write commits again.
	if h := s.db.WriteHealth(); h.Failing {
		ans.Status, ans.Writes = "degraded", "failing"
		ans.WritesFailing = &writesFailing{Reason: h.Reason, Since: h.Since, Last: h.Last}
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// secure sets the security headers every answer carries.
func (s *Server) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if isHTTPS(r) {
			hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		h.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (s *Server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		s.log.DebugContext(r.Context(), "request", append(logAttrs(r), "status", sw.status, "bytes", sw.bytes, "duration", time.Since(start))...)
	})
}

func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", append(logAttrs(r), "panic", v, "stack", string(debug.Stack()))...)
				s.fail(w, r, twin.Errorf(twin.EINTERNAL, "panic: %v", v))
			}
		}()
		h.ServeHTTP(w, r)
	})
}
