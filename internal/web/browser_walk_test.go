package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// errorCollector runs before every page's own scripts (CDP, so the page's CSP does not apply to
// it) and keeps what a reader's console would show: script errors, console.error calls and
// Content-Security-Policy violations.
const errorCollector = `window.__twErrors = [];
addEventListener("error", e => __twErrors.push("error: " + (e.message || (e.target && (e.target.src || e.target.href)) || e.type)), true);
addEventListener("unhandledrejection", e => __twErrors.push("rejection: " + e.reason));
addEventListener("securitypolicyviolation", e => __twErrors.push("csp: " + e.violatedDirective + " " + e.blockedURI));
const __twCE = console.error; console.error = (...a) => { __twErrors.push("console: " + a.join(" ")); __twCE(...a); };`

// ScreenshotDir is where the browser tests keep a screenshot of every page they walk: the
// TWINNING_SCREENSHOTS folder, or twinning-screenshots in the system's temporary folder.
func ScreenshotDir() string {
	if d := os.Getenv("TWINNING_SCREENSHOTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "twinning-screenshots")
}

// TestBrowserWalk walks the main pages in Persian, English and Russian in a real Chromium: each has the right
// lang and dir, no console error, and a screenshot kept in ScreenshotDir; the Persian page of
// Isfahan shows Samarkand among its partners with a Jalali date in Persian digits, the Russian
// one Russian labels and a Russian date; and a staff
// form refused for bad input shows the error beside the field and keeps what was typed.
func TestBrowserWalk(t *testing.T) {
	ctx := newBrowser(t)
	f := newPageFixture(t)
	dir := ScreenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	inject := chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: errorCollector})
		return chromedp.Void{}, err
	})
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), inject); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) any {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	text := func() string { s, _ := eval(`document.body.innerText`).(string); return s }
	shot := func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	visit := func(lang, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(f.ts.URL+"/"+lang+path), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s%s: %v", lang, path, err)
		}
		if got := eval(`document.documentElement.lang`); got != lang {
			t.Errorf("/%s%s: lang = %v", lang, path, got)
		}
		wantDir := "ltr"
		if lang == "fa" {
			wantDir = "rtl"
		}
		if got := eval(`document.documentElement.dir`); got != wantDir {
			t.Errorf("/%s%s: dir = %v, want %s", lang, path, got, wantDir)
		}
		if errs, _ := eval(`window.__twErrors || ["the error collector did not run"]`).([]any); len(errs) > 0 {
			t.Errorf("/%s%s: console errors: %v", lang, path, errs)
		}
		name := lang + strings.NewReplacer("/", "_", "?", "_", "=", "-", "&", "_").Replace(path)
		shot(strings.TrimSuffix(name, "_"))
	}
	pages := []string{"/", "/cities/Q42053", fmt.Sprintf("/agreements/%d", f.agreement.ID), "/cities/Q42053/report",
		"/search?q=Samarkand", "/path?from=Q42053&to=Q5753", "/calendar", "/about"}
	for _, lang := range []string{"fa", "en", "ru"} {
		for _, p := range pages {
			visit(lang, p)
			if lang == "ru" && p == "/cities/Q42053" {
				body := text()
				for _, want := range []string{"Города-партнёры", "Samarkand", "21 июля 2021 г."} {
					if !strings.Contains(body, want) {
						t.Errorf("the Russian page of Isfahan does not show %q", want)
					}
				}
			}
			if lang == "fa" && p == "/cities/Q42053" {
				body := text()
				if !strings.Contains(body, "سمرقند") {
					t.Error("the Persian page of Isfahan does not show Samarkand")
				}
				if !strings.Contains(body, "۳۰ تیر ۱۴۰۰") {
					t.Error("the Persian page of Isfahan does not show the Jalali signing date in Persian digits (۳۰ تیر ۱۴۰۰)")
				}
			}
		}
	}

	// A staff form: sign in, submit a city with a country that does not exist.
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CreateUser(context.Background(), &auth.User{Name: "editor", Role: auth.RoleAdmin, Password: h}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(f.ts.URL+"/fa/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "editor"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
	)
	if err != nil {
		t.Fatalf("signing in: %v", err)
	}
	// Wait until the sign-in has answered and the browser has left the form.
	for i := 0; ; i++ {
		if p, _ := eval(`document.readyState === "complete" ? location.pathname : ""`).(string); p != "" && p != "/fa/signin" {
			break
		}
		if i == 100 {
			t.Fatal("the sign-in did not leave the form")
		}
		time.Sleep(50 * time.Millisecond)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(f.ts.URL+"/fa/staff/cities/new"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="country"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="names.fa"]`), "شهر آزمون"),
		chromedp.SendKeys(chromedp.CSS(`input[name="country"]`), "ZZ"),
		chromedp.Submit(chromedp.CSS(`input[name="country"]`)),
		chromedp.WaitVisible(chromedp.CSS(".field-error")),
	)
	if err != nil {
		t.Fatalf("the staff form: %v", err)
	}
	if got := eval(`document.querySelector('input[name="names.fa"]').value`); got != "شهر آزمون" {
		t.Errorf("the refused form lost the typed name: %v", got)
	}
	if got, _ := eval(`document.getElementById(document.querySelector('input[name="country"]').getAttribute("aria-describedby")).textContent`).(string); !strings.Contains(got, "ZZ") {
		t.Errorf("the error beside the country field is %q", got)
	}
	if errs, _ := eval(`window.__twErrors || []`).([]any); len(errs) > 0 {
		t.Errorf("staff form: console errors: %v", errs)
	}
	shot("fa_staff_city_form_error")
	visit("fa", "/account")
	visit("ru", "/staff/activities/new")
	if body := text(); !strings.Contains(body, "Участники: число людей от каждого города") || !strings.Contains(body, "Название (на русском)") && !strings.Contains(body, "Заголовок (на русском)") {
		t.Error("the Russian activity form does not ask for participants or a Russian title")
	}
	visit("ru", fmt.Sprintf("/agreements/%d/report?from=2020&to=2026", f.agreement.ID))
	if n, _ := f.db.Count(context.Background(), twin.KindCity); n != 3 {
		t.Errorf("the refused form wrote a city: %d cities", n)
	}
	t.Logf("screenshots in %s", dir)
}
