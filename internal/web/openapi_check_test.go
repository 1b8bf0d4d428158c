package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// The tests check the server against its own OpenAPI document: every API answer any test of
// this package receives passes through specChecked, which validates it with kin-openapi's
// openapi3filter (a library nobody here wrote) against /api/v1/openapi.json. An undocumented
// status, media type or field shape fails the test that received it.

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

// loadSpec loads the document the server serves, once per test binary (it depends only on the
// route table).
func loadSpec(t testing.TB, s *Server) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		b, err := json.Marshal(s.openAPIDoc())
		if err != nil {
			specErr = err
			return
		}
		l := openapi3.NewLoader()
		specDoc, specErr = l.LoadFromData(b)
	})
	if specErr != nil {
		t.Fatalf("loading the OpenAPI document: %v", specErr)
	}
	return specDoc
}

// specChecked is s's handler with every API answer validated against the document.
func specChecked(t testing.TB, s *Server) http.Handler {
	t.Helper()
	doc := loadSpec(t, s)
	h := s.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/healthz" {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := checkAnswer(doc, s, r, rec); err != nil {
			t.Errorf("%s %s answered %d, which the OpenAPI document does not allow: %v\n%s", r.Method, r.URL.RequestURI(), rec.Code, err, clip(rec.Body.String()))
		}
	})
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// checkAnswer validates one answer against the operation that served it.
func checkAnswer(doc *openapi3.T, s *Server, r *http.Request, rec *httptest.ResponseRecorder) error {
	_, pattern := s.mux.Handler(r)
	if pattern == "" {
		// Not routed: the JSON error document with 404 or 405.
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			return errf("an unrouted request answered %d", rec.Code)
		}
		var e errorBody
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
			return errf("an unrouted request did not get the JSON error document")
		}
		return nil
	}
	if r.Method == http.MethodHead {
		return nil
	}
	method, path, _ := strings.Cut(pattern, " ")
	path = pathParam.ReplaceAllString(path, "{$1}")
	item := doc.Paths.Value(path)
	if item == nil {
		return errf("path %s is not in the document", path)
	}
	op := item.GetOperation(method)
	if op == nil {
		return errf("%s %s is not in the document", method, path)
	}
	params := map[string]string{}
	ps, vs := strings.Split(path, "/"), strings.Split(r.URL.Path, "/")
	for i, seg := range ps {
		if strings.HasPrefix(seg, "{") && i < len(vs) {
			params[strings.Trim(seg, "{}")] = vs[i]
		}
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Options: opts,
		Route: &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: rec.Code, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts})
}

func errf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// TestOpenAPIDocumentValid checks that the served document is a valid OpenAPI 3.1 document
// (every schema, parameter and reference), as kin-openapi's validator reads it.
func TestOpenAPIDocumentValid(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/openapi.json"})
	doc, err := openapi3.NewLoader().LoadFromData([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
}

// TestSpecCheckCatchesDrift shows that the check fails on what it is there to catch: an
// undocumented status, a body of the wrong shape, an undocumented media type, a plain-text error.
func TestSpecCheckCatchesDrift(t *testing.T) {
	t.Parallel()
	ts, db := newTestServer(t)
	_ = ts
	s := New(Options{DB: db})
	doc := loadSpec(t, s)
	answer := func(method, target string, status int, ctype, body string) error {
		r := httptest.NewRequest(method, target, nil)
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", ctype)
		rec.WriteHeader(status)
		rec.WriteString(body)
		return checkAnswer(doc, s, r, rec)
	}
	const js = "application/json; charset=utf-8"
	if err := answer("GET", "/api/v1/cities", 200, js, `{"items":[],"next":""}`); err != nil {
		t.Fatalf("a good answer was refused: %v", err)
	}
	for name, err := range map[string]error{
		"undocumented status":   answer("GET", "/api/v1/cities", 418, js, `{"items":[],"next":""}`),
		"201 for a computation": answer("POST", "/api/v1/extract", 201, js, `{}`),
		"items not a list":      answer("GET", "/api/v1/cities", 200, js, `{"items":{},"next":""}`),
		"a field of a wrong type": answer("GET", "/api/v1/agreements/1", 200, js,
			`{"id":1,"version":"1","cities":["Q1","Q2"],"kind":"sister","status":"signed"}`),
		"a status outside its enum": answer("GET", "/api/v1/agreements/1", 200, js,
			`{"id":1,"version":1,"cities":["Q1","Q2"],"kind":"sister","status":"happy"}`),
		"an undocumented media type": answer("GET", "/api/v1/cities/1/neighbourhood", 200, "text/html", `<p>`),
		"a plain-text 404":           answer("GET", "/api/v1/nope", 404, "text/plain", "404 page not found"),
	} {
		if err == nil {
			t.Errorf("%s passed the check", name)
		}
	}
}
