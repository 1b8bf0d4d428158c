package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/twinning/twinning/internal/store/storetest"
)

// hostileName is a city name that tries to run a script and to reverse the text after it.
const hostileName = "<script>alert(1)</script>\u202Eevil"

// TestBrowserHostileName stores a city whose name holds a script tag and a right-to-left
// override, and opens its page in both languages: the name shows as text, no dialog opens,
// and no bidirectional control reaches the page to reorder the text around the name.
func TestBrowserHostileName(t *testing.T) {
	ctx := newBrowser(t)
	db := storetest.Open(t)
	ts := httptest.NewServer(specChecked(t, New(Options{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AdminToken: testToken})))
	t.Cleanup(ts.Close)
	body, _ := json.Marshal(map[string]any{"names": map[string]string{"en": hostileName, "fa": hostileName}, "country": "IR", "aliases": []string{hostileName}})
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/cities", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var city struct {
		ID    int64             `json:"id"`
		Names map[string]string `json:"names"`
	}
	json.NewDecoder(resp.Body).Decode(&city)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("creating the city: %d", resp.StatusCode)
	}
	const shown = "<script>alert(1)</script>evil"
	if city.Names["en"] != shown || city.Names["fa"] != shown {
		t.Fatalf("stored names keep controls: %+q", city.Names)
	}
	var dialogs atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			go chromedp.Do(ctx, chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := cdp.Call(ctx, tg, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{})
				return chromedp.Void{}, err
			}))
		}
	}); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) any {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	for _, lang := range []string{"en", "fa"} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/%s/cities/%d", ts.URL, lang, city.ID)),
			chromedp.WaitVisible(chromedp.CSS("main h1")),
		)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // a script, were one to run, would have run by now
		h1, _ := eval(`document.querySelector("main h1").textContent`).(string)
		text, _ := eval(`document.body.innerText`).(string)
		title, _ := eval(`document.title`).(string)
		controls := eval(`/[\u202A-\u202E\u2066-\u2069]/.test(document.documentElement.outerHTML)`)
		scripts := eval(`[...document.scripts].filter(s => s.textContent.includes("alert")).length`)
		if !strings.Contains(h1, shown) {
			t.Errorf("%s: the heading is %q, want the name as text %q", lang, h1, shown)
		}
		if !strings.HasPrefix(title, shown) {
			t.Errorf("%s: the title is %q", lang, title)
		}
		if controls != false {
			t.Errorf("%s: a bidirectional control reached the page", lang)
		}
		if scripts != float64(0) {
			t.Errorf("%s: the name became a script element", lang)
		}
		// The text around the name keeps its order: the name reads forwards, never "live".
		if strings.Contains(text, "live") || !strings.Contains(text, shown) {
			t.Errorf("%s: the page text is reordered or lacks the name", lang)
		}
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d script dialogs opened", n)
	}
}
