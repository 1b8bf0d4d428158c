package web

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/twinning/twinning/internal/auth"
)

// TestBrowserProposals walks a citizen's proposal end to end in a real Chromium, in Persian and
// English, at a desktop's and a phone's width: the form pre-filled from a city, a refusal that
// keeps what was typed, the private follow page, the reviewer's queue where it is published
// with a reason (the cities offered by name as one types), the support button, the public list, and the follow page with the reason.
// Every step leaves a screenshot in ScreenshotDir (proposals_<lang>_<width>_<step>.png), none
// scrolls sideways, and none logs a console error.
func TestBrowserProposals(t *testing.T) {
	newBrowser(t) // skips without Chromium
	f := newPageFixture(t)
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CreateUser(context.Background(), &auth.User{Name: "moderator", Role: auth.RoleReviewer, Password: h}); err != nil {
		t.Fatal(err)
	}
	dir := ScreenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	words := map[string]map[string]string{
		"fa": {"title": "هفتهٔ فیلم اصفهان در سمرقند", "partner": "سمرقند", "reason": "پیشنهاد خوبی است؛ با دفتر سمرقند در میان می‌گذاریم.", "sent": "پیشنهاد شما رسید", "supporters": "۱ حامی"},
		"en": {"title": "An Isfahan film week in Samarkand", "partner": "Samarkand", "reason": "A good idea; we are taking it to Samarkand's office.", "sent": "your proposal has been received", "supporters": "1 supporter"},
	}
	for _, lang := range []string{"fa", "en"} {
		for _, width := range []int64{1366, 390} {
			t.Run(lang+"_"+itoa(width), func(t *testing.T) {
				ctx := newBrowser(t)
				w := map[string]string{}
				for k, v := range words[lang] {
					w[k] = v
				}
				w["title"] += " " + itoa(width) // each run finds its own proposal
				prefix := "proposals_" + lang + "_" + itoa(width) + "_"
				eval := func(js string) any {
					v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
					if err != nil {
						t.Fatalf("%s: %v", js, err)
					}
					return v
				}
				text := func() string { s, _ := eval(`document.body.innerText`).(string); return s }
				start := time.Now()
				shot := func(step string) {
					t.Helper()
					t.Logf("%s at %v", step, time.Since(start))
					if sideways, _ := eval(`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`).(bool); sideways {
						t.Errorf("%s: the page scrolls sideways at %d px", step, width)
					}
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, prefix+step+".png"), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				settle := func(notPath string) {
					for i := 0; ; i++ {
						if p, _ := eval(`document.readyState === "complete" ? location.pathname : ""`).(string); p != "" && p != notPath {
							return
						}
						if i == 100 {
							t.Fatalf("the browser stayed on %s", notPath)
						}
						time.Sleep(50 * time.Millisecond)
					}
				}
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900),
					chromedp.Navigate(f.ts.URL+"/"+lang+"/cities/Q42053"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
					t.Fatal(err)
				}
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.proposals-of a.button`)), chromedp.WaitVisible(chromedp.CSS(`input[name="title"]`))); err != nil {
					t.Fatalf("the city page's proposal link: %v", err)
				}
				if got, _ := eval(`document.querySelector('input[name="city_a"]').value`).(string); got == "" {
					t.Error("the form is not pre-filled with the city")
				}
				// The partner city is offered by its name as one types, never by its id.
				if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`input[name="city_b"]`), w["partner"])); err != nil {
					t.Fatal(err)
				}
				offered := ""
				for i := 0; i < 100 && offered == ""; i++ {
					time.Sleep(50 * time.Millisecond)
					offered, _ = eval(`(() => { const l = document.querySelector('input[name="city_b"]').list; return l ? [...l.options].map(o => o.value).join("|") : ""; })()`).(string)
				}
				if !strings.Contains("|"+offered+"|", "|"+w["partner"]+"|") || regexp.MustCompile(`(^|\|)Q?[0-9]+(\||$)`).MatchString(offered) {
					t.Errorf("the partner city field offers %q, want names only, %q among them", offered, w["partner"])
				}
				shot("1_form")
				// A refusal: no title.
				err := chromedp.Do(ctx,
					chromedp.SetValue(chromedp.CSS(`input[name="city_b"]`), w["partner"]),
					chromedp.SetValue(chromedp.CSS(`textarea[name="body"]`), w["title"]+"\n"+w["title"]),
					chromedp.SetValue(chromedp.CSS(`input[name="contact"]`), "citizen@example.org"),
					chromedp.Click(chromedp.CSS(`.proposal-form button`)),
					chromedp.WaitVisible(chromedp.CSS(".error-summary")),
				)
				if err != nil {
					t.Fatalf("the refused form: %v", err)
				}
				if got, _ := eval(`document.querySelector('input[name="contact"]').value`).(string); got != "citizen@example.org" {
					t.Errorf("the refused form lost the contact: %q", got)
				}
				if got, _ := eval(`document.querySelector('input[name="title"]').getAttribute("aria-invalid")`).(string); got != "true" {
					t.Error("the title is not marked invalid")
				}
				shot("2_refused")
				err = chromedp.Do(ctx,
					chromedp.SetValue(chromedp.CSS(`input[name="title"]`), w["title"]),
					chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "festival"),
					chromedp.Click(chromedp.CSS(`input[name="domains"][value="film"]`)),
					chromedp.Click(chromedp.CSS(`.proposal-form button`)),
					chromedp.WaitVisible(chromedp.CSS(".follow a")),
				)
				if err != nil {
					t.Fatalf("sending: %v", err)
				}
				if !strings.Contains(text(), w["sent"]) {
					t.Error("no thanks on the follow page")
				}
				follow, _ := eval(`document.querySelector(".follow a").href`).(string)
				shot("3_sent")
				// The reviewer publishes it with a reason.
				err = chromedp.Do(ctx,
					chromedp.Navigate(f.ts.URL+"/"+lang+"/signin"),
					chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
					chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "moderator"),
					chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
					chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
				)
				if err != nil {
					t.Fatal(err)
				}
				settle("/" + lang + "/signin")
				if err := chromedp.Do(ctx, chromedp.Navigate(f.ts.URL+"/"+lang+"/staff/"), chromedp.WaitVisible(chromedp.CSS("main h1")),
					chromedp.Click(chromedp.CSS(`a.button[href$="/staff/proposals"]`)), chromedp.WaitVisible(chromedp.CSS(".queue"))); err != nil {
					t.Fatalf("the queue from the staff home: %v", err)
				}
				if !strings.Contains(text(), "citizen@example.org") {
					t.Error("the reviewer does not see the contact")
				}
				shot("4_queue")
				first := `.queue-item:first-child `
				err = chromedp.Do(ctx,
					chromedp.SetValue(chromedp.CSS(first+`select[name="status"]`), "published"),
					chromedp.SetValue(chromedp.CSS(first+`textarea[name="reason"]`), w["reason"]),
					chromedp.Click(chromedp.CSS(first+`.moderate-form button`)),
					chromedp.WaitVisible(chromedp.CSS(".notice")),
				)
				if err != nil {
					t.Fatalf("publishing: %v", err)
				}
				shot("5_published")
				// Support it from its page.
				if err := chromedp.Do(ctx, chromedp.Navigate(f.ts.URL+"/"+lang+"/proposals"), chromedp.WaitVisible(chromedp.CSS("ul.proposals"))); err != nil {
					t.Fatalf("the list: %v", err)
				}
				shot("6_list")
				href, _ := eval(`[...document.querySelectorAll("ul.proposals a.ptitle")].find(a => a.textContent.trim() === ` + strconv.Quote(w["title"]) + `).href`).(string)
				if err := chromedp.Do(ctx, chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("#support button"))); err != nil {
					t.Fatalf("the proposal from the list: %v", err)
				}
				shot("7_proposal")
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#support button")), chromedp.WaitVisible(chromedp.CSS("#support .notice"))); err != nil {
					t.Fatalf("support: %v", err)
				}
				if !strings.Contains(text(), w["supporters"]) {
					t.Errorf("the count after supporting: %s", text())
				}
				shot("8_supported")
				// The proposer's follow page shows the reason.
				if err := chromedp.Do(ctx, chromedp.Navigate(follow), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(text(), w["reason"]) {
					t.Error("the follow page does not show the reason")
				}
				shot("9_follow")
				if errs, _ := eval(`window.__twErrors || []`).([]any); len(errs) > 0 {
					t.Errorf("console errors: %v", errs)
				}
			})
		}
	}
}
