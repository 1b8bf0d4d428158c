package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
)

const testToken = "test-token-0123456789"

// newTestServer starts the application on a fresh registry: SQLite, or a PostgreSQL schema
// when TWINNING_TEST_POSTGRES is set.
func newTestServer(t testing.TB) (*httptest.Server, *store.DB) {
	t.Helper()
	db := storetest.Open(t)
	s := New(Options{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AdminToken: testToken})
	ts := httptest.NewServer(specChecked(t, s))
	t.Cleanup(ts.Close)
	return ts, db
}

type call struct {
	name, method, path, body string
	headers                  map[string]string
	noAuth                   bool
	status                   int
	contains                 []string // substrings of the answer
	absent                   []string
}

func do(t testing.TB, ts *httptest.Server, c call) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
	if !c.noAuth {
		req.Header.Set("Authorization", "Bearer "+testToken)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.headers {
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

func runCalls(t *testing.T, ts *httptest.Server, calls []call) {
	t.Helper()
	for _, c := range calls {
		resp, body := do(t, ts, c)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %s %s = %d, want %d: %s", c.name, c.method, c.path, resp.StatusCode, c.status, body)
			continue
		}
		for _, s := range c.contains {
			if !strings.Contains(body, s) {
				t.Errorf("%s: answer lacks %q: %s", c.name, s, body)
			}
		}
		for _, s := range c.absent {
			if strings.Contains(body, s) {
				t.Errorf("%s: answer has %q: %s", c.name, s, body)
			}
		}
	}
}

const isfahan = `{"names":{"fa":"اصفهان","en":"Isfahan"},"country":"IR","lat":32.65,"lon":51.67,"wikidata":"Q42053"}`
const samarkand = `{"names":{"fa":"سمرقند","en":"Samarkand"},"country":"UZ","lat":39.65,"lon":66.97,"wikidata":"Q5753"}`
const agreement = `{"cities":["Q42053","Q5753"],"kind":"sister","status":"signed","signed":{"calendar":"jalali","value":"1400-04-30"},"domains":["archaeology","tourism"]}`

func TestAPIScenario(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	runCalls(t, ts, []call{
		{name: "create Isfahan", method: "POST", path: "/api/v1/cities", body: isfahan, status: 201, contains: []string{`"wikidata":"Q42053"`, `"version":1`}},
		{name: "create Samarkand", method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
		{name: "anonymous write", method: "POST", path: "/api/v1/cities", body: `{"names":{"en":"X"},"country":"IR"}`, noAuth: true, status: 401},
		{name: "wrong token", method: "POST", path: "/api/v1/cities", body: `{"names":{"en":"X"},"country":"IR"}`, noAuth: true, headers: map[string]string{"Authorization": "Bearer nope"}, status: 401},
		{name: "agreement", method: "POST", path: "/api/v1/agreements", body: agreement, status: 201,
			contains: []string{`"start":"2021-07-21"`, `"precision":"day"`, `"cities":["Q42053","Q5753"]`}},
		{name: "read by Wikidata id", method: "GET", path: "/api/v1/cities/Q42053", status: 200, contains: []string{"اصفهان"}},
		{name: "partners", method: "GET", path: "/api/v1/cities/Q42053/partners", status: 200, contains: []string{"Q5753", `"status":"signed"`}},
		{name: "find by Persian name", method: "GET", path: "/api/v1/cities?q=%D8%B3%D9%85%D8%B1%D9%82%D9%86%D8%AF", status: 200, contains: []string{"Q5753"}, absent: []string{"Q42053"}},
		{name: "unknown city", method: "GET", path: "/api/v1/cities/Q1", status: 404, contains: []string{`"code":"not_found"`}},
		{name: "impossible date in Persian", method: "POST", path: "/api/v1/agreements", headers: map[string]string{"Accept-Language": "fa"},
			body: strings.Replace(agreement, "1400-04-30", "1404-12-30", 1), status: 400, contains: []string{`"signed":"تاریخ`, "وجود ندارد"}},
		{name: "impossible date in English", method: "POST", path: "/api/v1/agreements", headers: map[string]string{"Accept-Language": "en-GB"},
			body: strings.Replace(agreement, "1400-04-30", "1393-07-31", 1), status: 400, contains: []string{"does not exist in this calendar"}},
		{name: "wrong type", method: "POST", path: "/api/v1/agreements", body: `{"cities":"Q1"}`, status: 400, contains: []string{`"cities":"Wrong type: expected array."`}},
		{name: "unknown field", method: "POST", path: "/api/v1/cities", body: `{"names":{"en":"X"},"country":"IR","mayor":"Y"}`, status: 400, contains: []string{`"mayor":"Unknown field."`}},
		{name: "unknown partner", method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q42053","Q404"],"status":"signed"}`, status: 400, contains: []string{`"cities[1]"`}},
		{name: "broken JSON", method: "POST", path: "/api/v1/cities", body: `{"names":`, status: 400, contains: []string{`"code":"bad_json"`}},
		{name: "not found agreement", method: "GET", path: "/api/v1/agreements/999", status: 404},
		{name: "bad id", method: "GET", path: "/api/v1/agreements/abc", status: 404},
		{name: "bad cursor", method: "GET", path: "/api/v1/cities?after=x", status: 400, contains: []string{`"after"`}},
		{name: "bad limit", method: "GET", path: "/api/v1/agreements?limit=-4", status: 400},
		{name: "dates", method: "GET", path: "/api/v1/dates?calendar=jalali&value=1397", status: 200, contains: []string{`"start":"2018-03-21"`, `"end":"2019-03-20"`}},
		{name: "dates invalid", method: "GET", path: "/api/v1/dates?calendar=jalali&value=1404-12-30", status: 400},
		{name: "health", method: "GET", path: "/healthz", noAuth: true, status: 200, contains: []string{`"ok"`}},
	})
	// Nothing bad was written.
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/agreements"})
	if n := strings.Count(body, `"kind":"sister"`); n != 1 {
		t.Errorf("%d agreements after bad input, want 1: %s", n, body)
	}
}

func TestIfMatch(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: agreement, status: 201},
	})
	resp, _ := do(t, ts, call{method: "GET", path: "/api/v1/agreements/1"})
	tag := resp.Header.Get("ETag")
	if tag != `"1"` {
		t.Fatalf("ETag = %q", tag)
	}
	runCalls(t, ts, []call{
		{name: "no If-Match", method: "PATCH", path: "/api/v1/agreements/1", body: `{"status":"suspended"}`, status: 428},
		{name: "garbage If-Match", method: "PATCH", path: "/api/v1/agreements/1", body: `{"status":"suspended"}`, headers: map[string]string{"If-Match": `"not-the-version"`}, status: 412},
		{name: "current", method: "PATCH", path: "/api/v1/agreements/1", body: `{"status":"suspended","notes":{"en":"paused for elections"}}`, headers: map[string]string{"If-Match": tag}, status: 200, contains: []string{`"version":2`, `"status":"suspended"`, `"domains":["archaeology","tourism"]`}},
		{name: "stale", method: "PATCH", path: "/api/v1/agreements/1", body: `{"status":"signed"}`, headers: map[string]string{"If-Match": tag}, status: 412},
		{name: "stale did not write", method: "GET", path: "/api/v1/agreements/1", status: 200, contains: []string{`"status":"suspended"`}},
		{name: "illegal move", method: "PATCH", path: "/api/v1/agreements/1", body: `{"status":"proposed"}`, headers: map[string]string{"If-Match": `"2"`}, status: 400, contains: []string{`"status"`}},
		{name: "remove a field with null", method: "PATCH", path: "/api/v1/agreements/1", body: `{"notes":null}`, headers: map[string]string{"If-Match": `"2"`}, status: 200, absent: []string{"elections"}},
		{name: "history", method: "GET", path: "/api/v1/agreements/1/history", status: 200, contains: []string{`"action":"create"`, `"action":"update"`, `"actor":"admin-token"`}},
		{name: "delete stale", method: "DELETE", path: "/api/v1/agreements/1", headers: map[string]string{"If-Match": `"1"`}, status: 412},
		{name: "delete", method: "DELETE", path: "/api/v1/agreements/1", headers: map[string]string{"If-Match": `"3"`}, status: 204},
		{name: "gone", method: "GET", path: "/api/v1/agreements/1", status: 404},
		{name: "restore", method: "POST", path: "/api/v1/agreements/1/restore", status: 200, contains: []string{`"version":5`}},
	})
}

func TestWritesRefusedWithoutCredential(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Migrate(ctx)
	ts := httptest.NewServer(specChecked(t, New(Options{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})))
	defer ts.Close()
	runCalls(t, ts, []call{{method: "POST", path: "/api/v1/cities", body: isfahan, headers: map[string]string{"Authorization": "Bearer "}, status: 401, contains: []string{"writes_disabled"}}})
}

// TestOpenAPIMatchesRouter checks that every route the server serves is in the document and
// every path of the document is routed.
func TestOpenAPIMatchesRouter(t *testing.T) {
	t.Parallel()
	ts, db := newTestServer(t)
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/openapi.json"})
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	s := New(Options{DB: db})
	served := map[string]bool{}
	for _, rt := range s.routes {
		if rt.api == nil {
			continue
		}
		key := strings.ToLower(rt.method) + " " + rt.pattern
		served[key] = true
		if _, ok := doc.Paths[rt.pattern][strings.ToLower(rt.method)]; !ok {
			t.Errorf("route %s is not in the OpenAPI document", key)
		}
	}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	for p, ops := range doc.Paths {
		for m := range ops {
			if !served[m+" "+p] {
				t.Errorf("documented %s %s is not routed", m, p)
			}
			// And the router answers it with something other than 404/405 for the route.
			path := param.ReplaceAllString(p, "1")
			req, _ := http.NewRequest(strings.ToUpper(m), ts.URL+path, strings.NewReader("{}"))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == 405 || (resp.StatusCode == 404 && !strings.Contains(p, "{")) {
				t.Errorf("%s %s answered %d", m, path, resp.StatusCode)
			}
		}
	}
}
