package web

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds a Chromium to drive, or "".
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile. It skips the test when none is
// installed, unless TWINNING_TEST_BROWSER=1 says the browser tests must run (CI), and when
// TWINNING_TEST_BROWSER=0 says they must not (a quick run on a machine that has Chromium).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("TWINNING_TEST_BROWSER") == "0" {
		t.Skip("TWINNING_TEST_BROWSER=0: browser test skipped")
	}
	bin := chromiumPath()
	if bin == "" {
		if os.Getenv("TWINNING_TEST_BROWSER") == "1" {
			t.Fatal("TWINNING_TEST_BROWSER=1 but no Chromium is installed (apt-get install chromium)")
		}
		t.Skip("no Chromium at /usr/bin/chromium: browser test skipped (install chromium, or set TWINNING_TEST_BROWSER=1 to make this a failure)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// TestBrowserPersianCityPage loads the Persian city page in a real browser: the page lays out
// right to left, does not scroll sideways, and its skip link appears on focus.
func TestBrowserPersianCityPage(t *testing.T) {
	ctx := newBrowser(t)
	f := newPageFixture(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.ts.URL+"/fa/cities/Q42053"),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
	)
	if err != nil {
		t.Fatal(err)
	}
	eval := func(js string) any {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	dir := eval(`getComputedStyle(document.body).direction`)
	fontFamily := eval(`getComputedStyle(document.body).fontFamily`)
	sideways := eval(`document.documentElement.scrollWidth > document.documentElement.clientWidth`)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	// A headless page has no window focus, and :focus styles apply only with it.
	focusEmulation := chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return chromedp.Void{}, err
	})
	if err := chromedp.Do(ctx, focusEmulation, chromedp.Focus(chromedp.CSS("a.skip"))); err != nil {
		t.Fatal(err)
	}
	skipVisible := eval(`(() => { const r = document.querySelector("a.skip").getBoundingClientRect(); return r.width > 20 && r.left >= 0 && r.right <= innerWidth && r.top >= 0; })()`)
	if dir != "rtl" {
		t.Errorf("body direction = %v, want rtl", dir)
	}
	if sideways != false {
		t.Error("the page scrolls sideways")
	}
	if skipVisible != true {
		t.Error("the focused skip link is not on screen")
	}
	out, err := os.CreateTemp("", "twinning-fa-city-*.png")
	if err != nil {
		t.Fatal(err)
	}
	out.Write(png)
	out.Close()
	t.Logf("screenshot: %s (%d bytes); font: %v", out.Name(), len(png), fontFamily)
}
