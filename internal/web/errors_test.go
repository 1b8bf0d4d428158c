package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// TestErrorCodesHaveStatuses: every code of the domain's list has one status and a message in
// every language, and the status table knows no code outside the list (the OpenAPI document's
// enum is that list).
func TestErrorCodesHaveStatuses(t *testing.T) {
	t.Parallel()
	for _, code := range twin.Codes {
		if _, ok := statusOf[code]; !ok {
			t.Errorf("error code %q has no HTTP status in statusOf", code)
		}
		for _, lang := range i18n.Langs {
			if msg := i18n.T(lang, "error."+code, nil); msg == "" || msg == "error."+code {
				t.Errorf("error code %q has no message in %s", code, lang)
			}
		}
	}
	for code := range statusOf {
		if !slices.Contains(twin.Codes, code) {
			t.Errorf("statusOf maps %q, which is not in twin.Codes", code)
		}
	}
}

// TestUnmappedErrorCodeIs500: an error code nobody gave a status is a mistake of ours: the API
// and the pages answer 500 (never 400, which would blame the client), say "internal", and log
// the code.
func TestUnmappedErrorCodeIs500(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	s := New(Options{DB: storetest.Open(t), Log: slog.New(slog.NewTextHandler(&buf, nil))})
	stray := twin.Errorf("nobody_mapped_this", "a code without a status")

	w := httptest.NewRecorder()
	s.serveAPI(func(http.ResponseWriter, *http.Request) error { return stray })(w, httptest.NewRequest("GET", "/api/v1/anything", nil))
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), `"code":"internal"`) {
		t.Errorf("API: %d %s, want 500 with code internal", w.Code, w.Body)
	}

	w = httptest.NewRecorder()
	s.pageHandler("en", func(*http.Request, *page) error { return stray })(w, httptest.NewRequest("GET", "/en/anything", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("page: %d, want 500", w.Code)
	}
	if n := strings.Count(buf.String(), "nobody_mapped_this"); n != 2 || !strings.Contains(buf.String(), "level=ERROR") {
		t.Errorf("the log names the unmapped code %d times, want 2 at ERROR:\n%s", n, buf.String())
	}
}
