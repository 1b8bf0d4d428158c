package web

import (
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSearchNamesAgreements: «اصفهان سمرقند» and "Isfahan Samarkand" find their agreement
// first, named by its two cities in the language of Accept-Language; type=agreement with one
// city's name finds its agreements; snippets start and end on word boundaries.
func TestSearchNamesAgreements(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	search := func(q, typ, lang string) httpx.SearchResult {
		t.Helper()
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/search?q="+url.QueryEscape(q)+"&type="+typ, nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var r httpx.SearchResult
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %s", q, b)
		}
		return r
	}
	for _, c := range []struct{ q, lang, title string }{
		{"اصفهان سمرقند", "fa", "اصفهان – سمرقند"},
		{"Isfahan Samarkand", "en", "Isfahan – Samarkand"},
		{"Isfahan Samarkand", "fa", "اصفهان – سمرقند"},
	} {
		r := search(c.q, "", c.lang)
		if len(r.Items) == 0 || r.Items[0].Kind != "agreement" || r.Items[0].ID != f.agreement.ID || r.Items[0].Title != c.title {
			t.Errorf("%s (%s): %+v", c.q, c.lang, r.Items)
		}
	}
	r := search("Isfahan", "agreement", "en")
	if len(r.Items) != 2 {
		t.Errorf("type=agreement for Isfahan: %+v", r.Items)
	}
	text := strings.Repeat("The mayors met again in the old bazaar of the city ", 6) + "to discuss a festival " + strings.Repeat("with music and many guests from abroad ", 8)
	snip, _ := highlight(text, "festival")
	body := strings.Trim(snip, "…")
	if !utf8.ValidString(snip) || strings.HasPrefix(body, " ") || strings.HasSuffix(body, " ") {
		t.Errorf("snippet: %q", snip)
	}
	for _, w := range strings.Fields(body) {
		if !strings.Contains(text, " "+w+" ") && !strings.HasPrefix(text, w+" ") {
			t.Errorf("snippet cuts a word: %q in %q", w, snip)
		}
	}
}
