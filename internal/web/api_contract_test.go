package web

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/store"
)

// TestQueryParametersRefused: each route accepts exactly the query parameters it declares;
// any other is a 400 with a field error naming it, and nothing is silently ignored.
func TestQueryParametersRefused(t *testing.T) {
	t.Parallel()
	ts, db := newTestServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: agreement, status: 201},
		{name: "institutions have no name filter", method: "GET", path: "/api/v1/institutions?q=nomatch", status: 400, contains: []string{`"q":"Unknown query parameter.`}},
		{name: "cities have no status", method: "GET", path: "/api/v1/cities?status=signed", status: 400, contains: []string{`"status"`}},
		{name: "agreements have no country", method: "GET", path: "/api/v1/agreements?country=ZZ", status: 400, contains: []string{`"country"`}},
		{name: "countries take nothing", method: "GET", path: "/api/v1/countries?limit=5", status: 400, contains: []string{`"limit"`}},
		{name: "in Persian", method: "GET", path: "/api/v1/agreements?country=ZZ", headers: map[string]string{"Accept-Language": "fa"}, status: 400, contains: []string{"پارامتر ناشناخته"}},
		{name: "a status outside the list", method: "GET", path: "/api/v1/agreements?status=happy", status: 400, contains: []string{`"status"`}},
		{name: "repeated", method: "GET", path: "/api/v1/agreements?status=signed&status=ended", status: 400, contains: []string{`"status"`}},
		{name: "a declared filter works", method: "GET", path: "/api/v1/agreements?status=signed&kind=sister&city=Q42053&limit=5", status: 200, contains: []string{`"Q5753"`}},
		{name: "and narrows", method: "GET", path: "/api/v1/agreements?status=ended", status: 200, absent: []string{`"Q5753"`}},
		{name: "a search has no cursor", method: "GET", path: "/api/v1/cities?q=Isfahan&after=1", status: 400, contains: []string{`"after"`}},
		{name: "a search keeps the other filters", method: "GET", path: "/api/v1/cities?q=Isfahan&wikidata=Q5753", status: 200, absent: []string{`"Q42053"`}},
		{name: "and finds", method: "GET", path: "/api/v1/cities?q=Isfahan&wikidata=Q42053&country=IR", status: 200, contains: []string{`"Q42053"`}},
		{name: "cliques min", method: "GET", path: "/api/v1/graph/cliques?min=abc", status: 400, contains: []string{`"min"`}},
		{name: "communities need a city", method: "GET", path: "/api/v1/graph/communities", status: 400, contains: []string{`"city"`}},
		{name: "a limit over the bound", method: "GET", path: "/api/v1/cities?limit=5000", status: 400, contains: []string{`"limit"`}},
		{name: "writes take no query", method: "POST", path: "/api/v1/cities?dry_run=1", body: isfahan, status: 400, contains: []string{`"dry_run"`}},
		{name: "pages keep their own parameters", method: "GET", path: "/en/cities/Q42053?utm_source=mail", noAuth: true, status: 200},
	})

	// limit=abc and an undeclared parameter are refused on every API route the same way.
	s := New(Options{DB: db})
	for _, rt := range s.routes {
		if rt.api == nil || rt.method != "GET" {
			continue
		}
		path := strings.ReplaceAll(rt.pattern, "{id}", "1")
		queries := []string{"zzz=1"}
		if slices.ContainsFunc(rt.query, func(p param) bool { return p.name == "limit" }) {
			queries = append(queries, "limit=abc", "limit=-1")
		}
		for _, q := range queries {
			resp, body := do(t, ts, call{method: "GET", path: path + "?" + q})
			name, _, _ := strings.Cut(q, "=")
			var e errorBody
			json.Unmarshal([]byte(body), &e)
			if resp.StatusCode != 400 || e.Error.Fields[name] == "" {
				t.Errorf("GET %s?%s = %d, want 400 with a field error for %s: %s", path, q, resp.StatusCode, name, body)
			}
		}
	}
}

// TestAPIErrorsAreJSON: unknown API paths and wrong methods answer the JSON error document,
// translated, not the mux's plain text.
func TestAPIErrorsAreJSON(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	for _, c := range []struct {
		method, path, lang string
		status             int
		allow              string
	}{
		{"GET", "/api/v1/nope", "fa", 404, ""},
		{"GET", "/api/v2/cities", "en", 404, ""},
		{"DELETE", "/api/v1/cities", "en", 405, "GET, HEAD, POST"},
		{"PUT", "/api/v1/agreements/1", "fa", 405, "GET, HEAD, PATCH, DELETE"},
	} {
		resp, body := do(t, ts, call{method: c.method, path: c.path, headers: map[string]string{"Accept-Language": c.lang}})
		var e errorBody
		if resp.StatusCode != c.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &e) != nil || e.Error.Message == "" {
			t.Errorf("%s %s = %d %s %s, want %d and the JSON error", c.method, c.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, c.status)
		}
		if got := resp.Header.Get("Content-Language"); got != c.lang {
			t.Errorf("%s %s: Content-Language %q, want %q", c.method, c.path, got, c.lang)
		}
		if c.allow != "" && resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, resp.Header.Get("Allow"), c.allow)
		}
	}
}

// TestVersionsEverywhere: If-Match lists, weak tags, accounts' versions, restoring a live
// record, and the audit entry of a create.
func TestVersionsEverywhere(t *testing.T) {
	t.Parallel()
	ts, db := newTestServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: agreement, status: 201},
		{name: "a list naming the current version", method: "PATCH", path: "/api/v1/agreements/1", body: `{"owner":"a"}`, headers: map[string]string{"If-Match": `"0", "1"`}, status: 200, contains: []string{`"version":2`}},
		{name: "a weak tag never matches", method: "PATCH", path: "/api/v1/agreements/1", body: `{"owner":"b"}`, headers: map[string]string{"If-Match": `W/"2"`}, status: 412},
		{name: "nor in a list", method: "DELETE", path: "/api/v1/agreements/1", headers: map[string]string{"If-Match": `"1", W/"2"`}, status: 412},
		{name: "a list of stale versions", method: "PATCH", path: "/api/v1/agreements/1", body: `{"owner":"b"}`, headers: map[string]string{"If-Match": `"1", "3"`}, status: 412},
		{name: "restore a live record", method: "POST", path: "/api/v1/agreements/1/restore", status: 409, contains: []string{`"code":"not_deleted"`}},
		{name: "nothing changed", method: "GET", path: "/api/v1/agreements/1", status: 200, contains: []string{`"version":2`, `"owner":"a"`}},
		{name: "an account", method: "POST", path: "/api/v1/users", body: `{"name":"sara","role":"user","password":"a long enough password"}`, status: 201, contains: []string{`"version":1`}},
		{name: "an account without If-Match", method: "PATCH", path: "/api/v1/users/1", body: `{"role":"reviewer"}`, status: 428},
		{name: "an account with a stale one", method: "PATCH", path: "/api/v1/users/1", body: `{"role":"reviewer"}`, headers: map[string]string{"If-Match": `"7"`}, status: 412},
		{name: "an account, current", method: "PATCH", path: "/api/v1/users/1", body: `{"role":"reviewer"}`, headers: map[string]string{"If-Match": `"1"`}, status: 200, contains: []string{`"role":"reviewer"`, `"version":2`}},
		{name: "the other admin's stale change", method: "PATCH", path: "/api/v1/users/1", body: `{"role":"admin"}`, headers: map[string]string{"If-Match": `"1"`}, status: 412},
		{name: "a password reset is 204", method: "POST", path: "/api/v1/users/1/password", body: `{"password":"another long password"}`, status: 204},
	})
	resp, _ := do(t, ts, call{method: "PATCH", path: "/api/v1/users/1", body: `{"disabled":false}`, headers: map[string]string{"If-Match": `"1"`}})
	if resp.StatusCode != 412 || resp.Header.Get("ETag") != `"3"` {
		t.Errorf("stale account change: %d, ETag %q; want 412 with the current ETag", resp.StatusCode, resp.Header.Get("ETag"))
	}
	// No audit entry for the refused restore; the create's entry carries the record's id.
	cs, _, err := db.Changes(t.Context(), store.ChangeFilter{Kind: "agreement", ID: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Action == "restore" {
			t.Errorf("a refused restore was audited: %+v", c)
		}
		if c.Action == "create" {
			var after struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal(c.After, &after)
			if after.ID != 1 {
				t.Errorf("the audit of the create records id %d, want 1", after.ID)
			}
		}
	}
	// A deleted record is restored once; a second restore is a 409 again.
	runCalls(t, ts, []call{
		{method: "DELETE", path: "/api/v1/agreements/1", headers: map[string]string{"If-Match": `"2"`}, status: 204},
		{method: "POST", path: "/api/v1/agreements/1/restore", status: 200, contains: []string{`"version":4`}},
		{method: "POST", path: "/api/v1/agreements/1/restore", status: 409},
	})
}

// TestSuccessStatuses: computations and changes of existing records answer 200, password
// changes 204, creations 201, as the document says (the spec check verifies each against it).
func TestSuccessStatuses(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: agreement, status: 201},
		{method: "POST", path: "/api/v1/activities", body: `{"agreement":1,"kind":"visit","title":{"en":"A visit"}}`, status: 201},
		{method: "POST", path: "/api/v1/proposals", body: `{"title":{"en":"Twin with Porto"},"cities":["Q42053"]}`, status: 201},
		{name: "extract computes", method: "POST", path: "/api/v1/extract", body: `{"text":"Isfahan and Samarkand signed a sister city agreement."}`, status: 200},
		{name: "confirm", method: "POST", path: "/api/v1/activities/1/confirm", body: `{"city":"Q42053"}`, status: 200},
		{name: "moderate", method: "POST", path: "/api/v1/proposals/1/status", body: `{"status":"published"}`, status: 200},
		{name: "moderate with a stale If-Match", method: "POST", path: "/api/v1/proposals/1/status", body: `{"status":"accepted"}`, headers: map[string]string{"If-Match": `"1"`}, status: 412},
	})
}

// TestHistoryAnyJSON: before and after in change answers are the JSON values themselves.
func TestHistoryAnyJSON(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "PATCH", path: "/api/v1/cities/1", body: `{"population":2000000,"aliases":["Sepahan"]}`, headers: map[string]string{"If-Match": `"1"`}, status: 200},
	})
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/cities/1/history"})
	var h struct {
		Items []struct {
			Fields map[string]struct {
				After any `json:"after"`
			} `json:"fields"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil || len(h.Items) != 2 {
		t.Fatalf("history: %v %s", err, body)
	}
	if _, ok := h.Items[1].Fields["population"].After.(float64); !ok {
		t.Errorf("population after = %#v, want a number", h.Items[1].Fields["population"].After)
	}
	if _, ok := h.Items[1].Fields["aliases"].After.([]any); !ok {
		t.Errorf("aliases after = %#v, want an array", h.Items[1].Fields["aliases"].After)
	}
}
