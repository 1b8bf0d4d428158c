package web

import (
	"bytes"
	"github.com/twinning/twinning/internal/httpx"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/ui"
)

// TestErrorCodesHaveStatuses: every code of the domain's list has one status and a message in
// every language, and the status table knows no code outside the list (the OpenAPI document's
// enum is that list).
func TestErrorCodesHaveStatuses(t *testing.T) {
	t.Parallel()
	for _, code := range twin.Codes {
		if _, ok := httpx.StatusOf[code]; !ok {
			t.Errorf("error code %q has no HTTP status in statusOf", code)
		}
		for _, lang := range i18n.Langs {
			if msg := i18n.T(lang, "error."+code, nil); msg == "" || msg == "error."+code {
				t.Errorf("error code %q has no message in %s", code, lang)
			}
		}
	}
	for code := range httpx.StatusOf {
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
	s.pages.PageHandler("en", func(*http.Request, *ui.Page) error { return stray })(w, httptest.NewRequest("GET", "/en/anything", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("page: %d, want 500", w.Code)
	}
	if n := strings.Count(buf.String(), "nobody_mapped_this"); n != 2 || !strings.Contains(buf.String(), "level=ERROR") {
		t.Errorf("the log names the unmapped code %d times, want 2 at ERROR:\n%s", n, buf.String())
	}
}

// TestPagesShowFailedReads: a page whose second read fails is the error page, not the page
// without what that read would have shown. A table that cannot be read stands for the failure
// (a database that goes away between two reads answers 503 the same way, see
// TestDatabaseOutageIs503).
func TestPagesShowFailedReads(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	net, err := f.db.Networks.Create(f.ctx, &twin.Network{Names: twin.Names{"en": "Silk Road Cities"}, Kind: "city_network",
		Members: []twin.Member{{City: f.a.Ref()}, {City: f.b.Ref()}}})
	if err != nil {
		t.Fatal(err)
	}
	act, err := f.db.Activities.Create(f.ctx, &twin.Activity{Network: net.ID, Kind: "visit", Title: twin.Names{"en": "A network visit"}})
	if err != nil {
		t.Fatal(err)
	}
	page := "/en/activities/" + strconv.FormatInt(act.ID, 10)
	if resp, body := get(t, f.ts.URL+page, nil); resp.StatusCode != 200 || !strings.Contains(body, "Silk Road Cities") {
		t.Fatalf("the activity page before: %d", resp.StatusCode)
	}
	c, csrf := f.signIn(reviewer, testPassword)
	f.reviewForm(c, csrf)

	rename := func(from, to string) {
		t.Helper()
		if err := f.db.Exec(f.ctx, "ALTER TABLE "+from+" RENAME TO "+to); err != nil {
			t.Fatal(err)
		}
	}
	rename("networks", "networks_away")
	resp, body := get(t, f.ts.URL+page, nil)
	rename("networks_away", "networks")
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(body, "A network visit") {
		t.Errorf("the activity page while its network cannot be read: %d, want the error page (500)", resp.StatusCode)
	}

	// The review page looks each city of the article up in the registry.
	rename("cities", "cities_away")
	status, body := f.post(c, csrf, "/fa/staff/extract", url.Values{"text": {f.seed}, "url": {seedURL}, "published": {"۱۴۰۰-۰۷-۲۸"}})
	rename("cities_away", "cities")
	if status != http.StatusInternalServerError {
		t.Errorf("the review page while the cities cannot be read: %d, want the error page (500)\n%s", status, clip(body))
	}
}
