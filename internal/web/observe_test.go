package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
)

// syncBuffer is a log sink the server's goroutines may write to concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func observedServer(t *testing.T, db *store.DB, trust string) (*httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	proxies, err := ParseTrustedProxies(trust)
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{DB: db, Log: slog.New(LogHandler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		AdminToken: testToken, TrustProxy: proxies, MetricsToken: "metrics-secret-0123"})
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, logs
}

func get(t *testing.T, url string, h map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	// Untrusted: a client's own X-Request-Id is not believed.
	ts, logs := observedServer(t, db, "")
	resp, _ := get(t, ts.URL+"/api/v1/cities?limit=1", map[string]string{"X-Request-Id": "forged-id"})
	id := resp.Header.Get("X-Request-Id")
	if id == "" || id == "forged-id" {
		t.Errorf("untrusted client: X-Request-Id %q, want a new id", id)
	}
	if !strings.Contains(logs.String(), `"request_id":"`+id+`"`) {
		t.Errorf("the request's log line lacks its id %s:\n%s", id, logs.String())
	}
	// Trusted proxy (the test client is on loopback): its id is kept.
	ts2, logs2 := observedServer(t, db, "127.0.0.1/8, ::1")
	resp, _ = get(t, ts2.URL+"/api/v1/cities?limit=1", map[string]string{"X-Request-Id": "proxy-abc.123"})
	if got := resp.Header.Get("X-Request-Id"); got != "proxy-abc.123" {
		t.Errorf("trusted proxy's id: got %q", got)
	}
	if !strings.Contains(logs2.String(), "proxy-abc.123") {
		t.Error("the proxy's request id is not in the log")
	}
	// Two requests never share an id.
	a, _ := get(t, ts.URL+"/healthz", nil)
	b, _ := get(t, ts.URL+"/healthz", nil)
	if a.Header.Get("X-Request-Id") == b.Header.Get("X-Request-Id") {
		t.Error("two requests got the same id")
	}
}

func TestClientAddressThroughTrustedProxy(t *testing.T) {
	t.Parallel()
	proxies, _ := ParseTrustedProxies("10.0.0.0/8,192.0.2.7")
	s := &Server{trustProxy: proxies}
	for _, tc := range []struct{ peer, xff, want string }{
		{"203.0.113.9:4000", "198.51.100.1", "203.0.113.9"},                   // untrusted peer: its header is ignored
		{"10.1.2.3:4000", "198.51.100.1", "198.51.100.1"},                     // trusted proxy
		{"10.1.2.3:4000", "6.6.6.6, 198.51.100.1, 192.0.2.7", "198.51.100.1"}, // rightmost untrusted hop, not the spoofable leftmost
		{"10.1.2.3:4000", "", "10.1.2.3"},
		{"10.1.2.3:4000", "not-an-ip", "10.1.2.3"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got, _ := s.clientAddr(r); got != tc.want {
			t.Errorf("peer %s XFF %q: client %s, want %s", tc.peer, tc.xff, got, tc.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8, nonsense"); err == nil {
		t.Error("a malformed proxy list was accepted")
	}
	if p, _ := ParseTrustedProxies("::ffff:10.0.0.1"); len(p) != 1 || !p[0].Contains(netip.MustParseAddr("10.0.0.1")) {
		t.Errorf("a mapped IPv4 proxy: %v", p)
	}
}

// A change to the graph is counted in the metrics.
func TestGraphMetrics(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	in, err := intel.New(context.Background(), db, log)
	if err != nil {
		t.Fatal(err)
	}
	db.OnChange = in.Changed
	ts := httptest.NewServer(New(Options{DB: db, Log: log, AdminToken: testToken, Intel: in}).Handler())
	defer ts.Close()
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: `{"names":{"en":"Aton"},"country":"IR","wikidata":"Q1"}`, status: 201},
		{method: "POST", path: "/api/v1/cities", body: `{"names":{"en":"Beton"},"country":"UZ","wikidata":"Q2"}`, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q1","Q2"],"status":"signed"}`, status: 201},
	})
	_, body := get(t, ts.URL+"/metrics", nil)
	if !strings.Contains(body, `twinning_graph_changes_total{kind="update"} 1`) || !strings.Contains(body, `twinning_graph_change_seconds_bucket{kind="update"`) {
		t.Errorf("a new agreement's graph update is not in /metrics")
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ts, _ := observedServer(t, db, "")
	get(t, ts.URL+"/api/v1/cities?limit=1", nil)
	get(t, ts.URL+"/api/v1/cities/Q1", nil)
	get(t, ts.URL+"/no/such/page", nil)
	resp, body := get(t, ts.URL+"/metrics", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics from loopback: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`twinning_http_requests_total{route="GET /api/v1/cities",code="200"} 1`,
		`twinning_http_requests_total{route="GET /api/v1/cities/{id}",code="404"} 1`, // by pattern, not by URL
		`twinning_http_request_duration_seconds_bucket{route="GET /api/v1/cities",le=`,
		`twinning_db_connections_open`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "Q1") {
		t.Error("a raw URL became a metric label")
	}
	// Through a proxy on this machine: strangers need the token.
	resp, body = get(t, ts.URL+"/metrics", map[string]string{"X-Forwarded-For": "198.51.100.1", "Accept-Language": "fa"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("forwarded /metrics without a token: %d, want 403", resp.StatusCode)
	}
	// The refusal is the API's error document, in the reader's language, naming the token.
	if !strings.Contains(body, `"code":"forbidden"`) || !strings.Contains(body, "توکن آمار (TWINNING_METRICS_TOKEN)") {
		t.Errorf("the refusal of /metrics: %s", body)
	}
	resp, _ = get(t, ts.URL+"/metrics", map[string]string{"X-Forwarded-For": "198.51.100.1", "Authorization": "Bearer metrics-secret-0123"})
	if resp.StatusCode != 200 {
		t.Errorf("forwarded /metrics with the token: %d", resp.StatusCode)
	}
	resp, _ = get(t, ts.URL+"/metrics", map[string]string{"Authorization": "Bearer wrong"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a wrong metrics token: %d", resp.StatusCode)
	}
}

// While PostgreSQL cannot be reached, the API answers 503 with Retry-After and the request's
// id, a path between two known cities is not "unknown city", and it all recovers afterwards.
func TestDatabaseOutageIs503(t *testing.T) {
	if storetest.Engine() != "postgres" {
		t.Skip("needs PostgreSQL (TWINNING_TEST_POSTGRES)")
	}
	dsn := storetest.DSN(t)
	// A TCP relay between the server and PostgreSQL: cutting it is PostgreSQL going away.
	target := pgHostPort(t, os.Getenv("TWINNING_TEST_POSTGRES"))
	relay := newRelay(t, target)
	ctx := context.Background()
	db, err := store.Open(ctx, strings.Replace(dsn, target, relay.addr(), 1))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	in, err := intel.New(ctx, db, log)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(Options{DB: db, Log: log, Intel: in}).Handler())
	defer ts.Close()
	if resp, _ := get(t, ts.URL+"/api/v1/cities?limit=1", nil); resp.StatusCode != 200 {
		t.Fatalf("before the outage: %d", resp.StatusCode)
	}
	relay.cut()
	// A city named in a query that cannot be looked up is not an unknown city (400) either.
	for _, path := range []string{"/api/v1/cities?limit=1", "/api/v1/graph/path?from=Q42053&to=Q5753", "/api/v1/cities/Q42053", "/api/v1/agreements?city=Q42053"} {
		resp, body := get(t, ts.URL+path, nil)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s during the outage: %d %s, want 503 with Retry-After", path, resp.StatusCode, body)
			continue
		}
		var e errorBody
		json.Unmarshal([]byte(body), &e)
		if e.Error.Code != "unavailable" || e.Error.RequestID != resp.Header.Get("X-Request-Id") {
			t.Errorf("%s: body %s", path, body)
		}
	}
	for _, path := range []string{"/en/cities/Q42053", "/fa/agreements/1"} {
		if resp, _ := get(t, ts.URL+path, nil); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("page %s during the outage: %d, want 503 with Retry-After", path, resp.StatusCode)
		}
	}
	relay.restore()
	var last int
	for range 20 {
		resp, _ := get(t, ts.URL+"/api/v1/cities?limit=1", nil)
		if last = resp.StatusCode; last == 200 {
			break
		}
	}
	if last != 200 {
		t.Errorf("after the outage: %d, want the server to recover by itself", last)
	}
}

func pgHostPort(t *testing.T, dsn string) string {
	t.Helper()
	rest := dsn[strings.Index(dsn, "://")+3:]
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	hp, _, _ := strings.Cut(rest, "/")
	if !strings.Contains(hp, ":") {
		hp += ":5432"
	}
	return hp
}

// relay forwards TCP connections to target until cut, which closes every connection and
// refuses new ones until restore.
type relay struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	down   bool
}

func newRelay(t *testing.T, target string) *relay {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); r.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			down := r.down
			r.mu.Unlock()
			if down {
				c.Close()
				continue
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			r.mu.Lock()
			r.conns = append(r.conns, c, u)
			r.mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.Copy(c, u); c.Close() }()
		}
	}()
	return r
}

func (r *relay) addr() string { return r.ln.Addr().String() }

func (r *relay) cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = true
	for _, c := range r.conns {
		c.Close()
	}
	r.conns = nil
}

func (r *relay) restore() { r.mu.Lock(); r.down = false; r.mu.Unlock() }

// Two servers on one PostgreSQL under a steady write load while PostgreSQL goes away and
// comes back: every answer is a success or a 503 (never a 500), no acknowledged write is lost,
// and both servers serve again afterwards without a restart.
func TestPostgresRestartUnderTwoServers(t *testing.T) {
	if storetest.Engine() != "postgres" {
		t.Skip("needs PostgreSQL (TWINNING_TEST_POSTGRES)")
	}
	dsn := storetest.DSN(t)
	target := pgHostPort(t, os.Getenv("TWINNING_TEST_POSTGRES"))
	relay := newRelay(t, target)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var servers []*httptest.Server
	for range 2 {
		db, err := store.Open(ctx, strings.Replace(dsn, target, relay.addr(), 1))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(New(Options{DB: db, Log: log, AdminToken: testToken}).Handler())
		defer ts.Close()
		servers = append(servers, ts)
	}
	var mu sync.Mutex
	acked := map[string]bool{}
	statuses := map[int]int{}
	write := func(i int) {
		ts := servers[i%2]
		q := fmt.Sprintf("Q%d", 99000000+i)
		body := fmt.Sprintf(`{"names":{"en":"Loadtown %d"},"country":"IR","wikidata":%q}`, i, q)
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/cities", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		mu.Lock()
		statuses[resp.StatusCode]++
		if resp.StatusCode == http.StatusCreated {
			acked[q] = true
		}
		mu.Unlock()
	}
	n := 0
	for phase := range 3 { // before, during, after the outage
		if phase == 1 {
			relay.cut()
		}
		if phase == 2 {
			relay.restore()
		}
		var wg sync.WaitGroup
		for range 30 {
			wg.Add(1)
			go func(i int) { defer wg.Done(); write(i) }(n)
			n++
		}
		wg.Wait()
	}
	for code, count := range statuses {
		if code != http.StatusCreated && code != http.StatusServiceUnavailable {
			t.Errorf("%d answers %d: want only 201 or 503", count, code)
		}
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Error("no write met the outage: the test proves nothing")
	}
	check, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	for q := range acked {
		if _, err := check.City(ctx, q); err != nil {
			t.Errorf("acknowledged city %s is lost: %v", q, err)
		}
	}
	for i, ts := range servers {
		if resp, _ := get(t, ts.URL+"/api/v1/cities?limit=1", nil); resp.StatusCode != 200 {
			t.Errorf("server %d after the outage: %d", i, resp.StatusCode)
		}
	}
}
