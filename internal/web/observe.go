package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// reqInfo is what the outermost middleware learns of a request: its id and, through the
// trusted proxies, the client's address and scheme.
type reqInfo struct {
	id    string
	ip    string
	https bool
	route string // the route pattern that served it, for metrics ("GET /api/v1/cities/{id}")
}

type reqInfoKey struct{}

type dbStats = sql.DBStats

func infoFrom(ctx context.Context) *reqInfo {
	ri, _ := ctx.Value(reqInfoKey{}).(*reqInfo)
	return ri
}

// RequestID is the id of the request ctx belongs to ("" outside a request).
func RequestID(ctx context.Context) string {
	if ri := infoFrom(ctx); ri != nil {
		return ri.id
	}
	return ""
}

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR prefixes
// ("127.0.0.1, 10.0.0.0/8") whose X-Forwarded-For, X-Forwarded-Proto and X-Request-Id are
// believed.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.trustProxy {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// clientAddr is the client's address: the peer's, unless the peer is a trusted proxy, in
// which case the rightmost X-Forwarded-For address that is not itself a trusted proxy.
func (s *Server) clientAddr(r *http.Request) (ip string, viaProxy bool) {
	peer := peerAddr(r)
	if !peer.IsValid() {
		return r.RemoteAddr, false
	}
	if !s.trusted(peer) {
		return peer.String(), false
	}
	xff := r.Header.Values("X-Forwarded-For")
	hops := strings.Split(strings.Join(xff, ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(h)
		if err != nil {
			break
		}
		if !s.trusted(a) || i == 0 {
			return a.Unmap().String(), true
		}
	}
	return peer.String(), false
}

// validRequestID accepts a proxy's request id when it is short and plain.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.:", c)) {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// observe is the outermost middleware: it gives the request its id (a trusted proxy's
// X-Request-Id, or a new one), returned in the X-Request-Id header and carried by every log
// line of the request; it settles the client's address and scheme through the trusted
// proxies; and it counts the request by route pattern and status, with its duration.
func (s *Server) observe(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &reqInfo{}
		peerTrusted := s.trusted(peerAddr(r))
		if id := r.Header.Get("X-Request-Id"); peerTrusted && validRequestID(id) {
			ri.id = id
		} else {
			ri.id = newRequestID()
		}
		ri.ip, _ = s.clientAddr(r)
		ri.https = r.TLS != nil || (peerTrusted && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
		w.Header().Set("X-Request-Id", ri.id)
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri))
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		route := ri.route
		if route == "" {
			route = "unmatched"
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		s.metrics.GetOrCreateCounter(fmt.Sprintf(`twinning_http_requests_total{route=%q,code="%d"}`, route, status)).Inc()
		s.metrics.GetOrCreatePrometheusHistogram(fmt.Sprintf(`twinning_http_request_duration_seconds{route=%q}`, route)).UpdateDuration(start)
	})
}

// routed records which route pattern serves a request, for the metrics.
func routed(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ri := infoFrom(r.Context()); ri != nil {
			ri.route = pattern
		}
		h(w, r)
	}
}

// metricsPage answers /metrics in the Prometheus text format: to clients on this machine that
// come without a proxy, or to anyone with the metrics token.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	if !s.mayReadMetrics(r) {
		// The API's error document, in the reader's language, saying how to get in.
		lang := apiLang(r)
		var b errorBody
		b.Error.Code = twin.EFORBIDDEN
		b.Error.Message = i18n.T(lang, "error.metrics_forbidden", nil)
		w.Header().Set("Content-Language", lang)
		writeJSON(w, http.StatusForbidden, b)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.WritePrometheus(w)
	metrics.WriteProcessMetrics(w)
}

func (s *Server) mayReadMetrics(r *http.Request) bool {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && s.metricsToken != "" {
		return subtle.ConstantTimeCompare([]byte(tok), []byte(s.metricsToken)) == 1
	}
	// A proxy on this machine forwards strangers: forwarded requests need the token.
	forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != ""
	return peerAddr(r).IsLoopback() && !forwarded
}

// registerMetrics adds the gauges read at scrape time: the database pool.
func (s *Server) registerMetrics() {
	stat := func(f func(st dbStats) float64) func() float64 {
		return func() float64 { return f(s.db.PoolStats()) }
	}
	s.metrics.GetOrCreateGauge("twinning_db_connections_open", stat(func(st dbStats) float64 { return float64(st.OpenConnections) }))
	s.metrics.GetOrCreateGauge("twinning_db_connections_in_use", stat(func(st dbStats) float64 { return float64(st.InUse) }))
	s.metrics.GetOrCreateGauge("twinning_db_connections_idle", stat(func(st dbStats) float64 { return float64(st.Idle) }))
	s.metrics.GetOrCreateGauge("twinning_db_connection_waits_total", stat(func(st dbStats) float64 { return float64(st.WaitCount) }))
	s.metrics.GetOrCreateGauge("twinning_db_connection_wait_seconds_total", stat(func(st dbStats) float64 { return st.WaitDuration.Seconds() }))
}

// observeGraph records one change to the in-memory graph: a full rebuild or an update.
func (s *Server) observeGraph(full bool, d time.Duration) {
	kind := "update"
	if full {
		kind = "rebuild"
	}
	s.metrics.GetOrCreateCounter(`twinning_graph_changes_total{kind="` + kind + `"}`).Inc()
	s.metrics.GetOrCreatePrometheusHistogram(`twinning_graph_change_seconds{kind="` + kind + `"}`).Update(d.Seconds())
}

// ObserveWrite records one write transaction of the store: its duration and outcome.
func (s *Server) ObserveWrite(d time.Duration, err error) {
	outcome := "ok"
	switch {
	case err == nil:
	case twin.ErrorCode(err) == twin.EINTERNAL:
		outcome = "error"
	default:
		outcome = "refused" // the input broke a rule: the database did its job
	}
	s.metrics.GetOrCreatePrometheusHistogram(`twinning_db_write_seconds{outcome="` + outcome + `"}`).Update(d.Seconds())
}

// logHandler adds the request id of the context to every record logged with one.
type logHandler struct{ slog.Handler }

// LogHandler wraps h so that every log line written with a request's context (the *Context
// logging calls) carries the request's id as request_id.
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h} }

func (h logHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := RequestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{h.Handler.WithAttrs(as)}
}
func (h logHandler) WithGroup(name string) slog.Handler { return logHandler{h.Handler.WithGroup(name)} }
