package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// TestBrowserCityOnPhoneAndDesktop: the city page in Persian and English, at a phone's and a
// desktop's width. The partner table shows every partner's vitality on screen, each calendar of
// a date on one line; the page never scrolls sideways; every label of the charts and of the
// map is at least 12 pixels as rendered; the attention list names its partnerships with their
// reasons. Screenshots: city_<lang>_<width>.png in ScreenshotDir.
func TestBrowserCityOnPhoneAndDesktop(t *testing.T) {
	newBrowser(t) // skips without Chromium
	f := newPageFixture(t)
	ctx := context.Background()
	// A quiet partnership with promises, for the attention list.
	if _, err := f.db.Cities.Create(ctx, &twin.City{Wikidata: "Q5826", Names: twin.Names{"fa": "شیآن", "en": "Xi'an"}, Country: "CN", Lat: fl(34.27), Lon: fl(108.9)}); err != nil {
		t.Fatal(err)
	}
	signed := twin.PartialDate{Calendar: "gregorian", Value: "1989-05-07"}
	if _, err := f.db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5826"}, Kind: twin.KindSister, Status: twin.StatusSigned,
		Signed: &signed, Domains: []string{"culture", "trade"}, Parties: []twin.Party{{Role: twin.RoleSignatory, Name: twin.Names{"en": "Mayor"}}}}); err != nil {
		t.Fatal(err)
	}
	old := twin.PartialDate{Calendar: "gregorian", Value: "2019-04"}
	a, _ := f.db.Partners(ctx, f.isfahan.ID)
	for _, p := range a {
		if p.City.Wikidata == "Q5826" {
			if _, err := f.db.Activities.Create(ctx, &twin.Activity{Agreement: p.Agreement.ID, Kind: "exhibition", Title: twin.Names{"en": "Photographs"}, Start: &old, Domains: []string{"film"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := ScreenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fa", "en"} {
		for _, width := range []int64{390, 1366} {
			t.Run(fmt.Sprintf("%s_%d", lang, width), func(t *testing.T) {
				bctx := newBrowser(t)
				if err := chromedp.Do(bctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(f.ts.URL+"/"+lang+"/cities/Q42053"),
					chromedp.WaitVisible(chromedp.CSS("table.partners"))); err != nil {
					t.Fatal(err)
				}
				eval := func(js string) any {
					t.Helper()
					v, err := chromedp.Run(bctx, chromedp.Evaluate[any](js))
					if err != nil {
						t.Fatalf("%s: %v", js, err)
					}
					return v
				}
				if sideways, _ := eval(`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`).(bool); sideways {
					t.Error("the page scrolls sideways")
				}
				// Every partner's vitality is on screen, not cut off or scrolled away.
				hidden := eval(`[...document.querySelectorAll("table.partners tbody tr")].filter(tr => {
					const b = tr.querySelector("td.vitality .badge"); if (!b) return false;
					const r = b.getBoundingClientRect();
					return r.width === 0 || r.left < 0 || r.right > innerWidth + 1;
				}).map(tr => tr.querySelector("th").innerText)`)
				if l, _ := hidden.([]any); len(l) > 0 {
					t.Errorf("vitality off screen for %v", l)
				}
				// A date is two lines at most: the reader's calendar on one, the other beneath.
				broken := eval(`[...document.querySelectorAll("table.partners .date time, table.partners .date .alt")].filter(el => {
					const rg = document.createRange(); rg.selectNodeContents(el);
					return new Set([...rg.getClientRects()].map(r => Math.round(r.top))).size > 1;
				}).map(el => el.textContent)`)
				if l, _ := broken.([]any); len(l) > 0 {
					t.Errorf("dates broken over lines: %v", l)
				}
				if n, _ := eval(`document.querySelectorAll("table.partners .date time").length`).(float64); n == 0 {
					t.Error("no signing date in the partner table")
				}
				// Chart labels and values, and the map's labels, as rendered.
				small := eval(`[...document.querySelectorAll(".chart .lbl, .chart .val")].filter(el => !el.classList.contains("vh") && el.textContent.trim() !== "")
					.map(el => parseFloat(getComputedStyle(el).fontSize)).filter(px => px < 12)`)
				if l, _ := small.([]any); len(l) > 0 {
					t.Errorf("chart labels under 12 px: %v", l)
				}
				if n, _ := eval(`document.querySelectorAll(".chart .lbl").length`).(float64); n == 0 {
					t.Error("no chart labels")
				}
				mapPx, _ := eval(`(() => {
					const svg = document.querySelector("figure.map svg"); const vb = svg.viewBox.baseVal; const r = svg.getBoundingClientRect();
					const scale = Math.min(r.width / vb.width, r.height / vb.height);
					const shown = [...svg.querySelectorAll("g.labels")].filter(g => getComputedStyle(g).display !== "none");
					if (shown.length !== 1) return -shown.length;
					return parseFloat(shown[0].getAttribute("font-size")) * scale;
				})()`).(float64)
				if mapPx < 12 {
					t.Errorf("map labels are %.1f px (a negative number: that many label sets shown)", mapPx)
				}
				body, _ := eval(`document.querySelector("section.attention").innerText`).(string)
				want := map[string]string{"fa": "فعالیتی ثبت نشده است", "en": "No activity since 2019"}[lang]
				if !strings.Contains(body, want) {
					t.Errorf("the attention list does not say %q: %s", want, body)
				}
				png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("city_%s_%d.png", lang, width)), png, 0o644); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// TestBrowserPicker: a city editor fills the activity form by names in a real Chromium, right
// to left on a phone and left to right on a desktop. The agreement picker offers, as they type
// a partner's name, only their city's agreement with it; the link picker offers the links of
// the institution typed, named by their two institutions; choosing puts the name in the field
// and its number beside (and, for the agreement, names its cities in the direction's
// choices), and the saved activity holds the chosen agreement and link.
// Screenshots: picker_<lang>_<width>_<step>.png.
func TestBrowserPicker(t *testing.T) {
	newBrowser(t) // skips without Chromium
	f := newPickerFixture(t)
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CreateUser(context.Background(), &auth.User{Name: "isf-editor", Role: auth.RoleCityEditor, Cities: []int64{f.isfahan.ID}, Password: h}); err != nil {
		t.Fatal(err)
	}
	dir := ScreenshotDir()
	words := map[string]map[string]string{
		"fa": {"partner": "سمرقند", "agreement": "اصفهان – سمرقند", "other": "سمرقند – پورتو", "inst": "دانشگاه هنر اصفهان", "link": "دانشگاه هنر اصفهان – دانشگاه دولتی سمرقند",
			"direction": "اصفهان ← سمرقند"},
		"en": {"partner": "Samarkand", "agreement": "Isfahan – Samarkand", "other": "Samarkand – Porto", "inst": "Isfahan University of Art", "link": "Isfahan University of Art – Samarkand State University",
			"direction": "Isfahan → Samarkand"},
	}
	for _, c := range []struct {
		lang  string
		width int64
	}{{"fa", 390}, {"en", 1366}} {
		t.Run(fmt.Sprintf("%s_%d", c.lang, c.width), func(t *testing.T) {
			w := words[c.lang]
			bctx := newBrowser(t)
			eval := func(js string) any {
				t.Helper()
				v, err := chromedp.Run(bctx, chromedp.Evaluate[any](js))
				if err != nil {
					t.Fatalf("%s: %v", js, err)
				}
				return v
			}
			shot := func(step string) {
				t.Helper()
				png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("picker_%s_%d_%s.png", c.lang, c.width, step)), png, 0o644)
			}
			waitFor := func(what, js string) {
				t.Helper()
				for i := 0; ; i++ {
					if ok, _ := eval(js).(bool); ok {
						return
					}
					if i == 100 {
						t.Fatalf("waited in vain for %s", what)
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
			err := chromedp.Do(bctx, chromedp.EmulateViewport(c.width, 900),
				chromedp.Navigate(f.ts.URL+"/"+c.lang+"/signin"),
				chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
				chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "isf-editor"),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
				chromedp.Submit(chromedp.CSS(`input[name="password"]`)))
			if err != nil {
				t.Fatal(err)
			}
			waitFor("the sign-in", `document.readyState === "complete" && !location.pathname.endsWith("/signin")`)
			if err := chromedp.Do(bctx, chromedp.Navigate(f.ts.URL+"/"+c.lang+"/staff/activities/new"), chromedp.WaitVisible(chromedp.CSS(`input[name="agreement"]`))); err != nil {
				t.Fatal(err)
			}
			// The agreement, by the partner's name.
			if err := chromedp.Do(bctx, chromedp.SendKeys(chromedp.CSS(`input[name="agreement"]`), w["partner"])); err != nil {
				t.Fatal(err)
			}
			options := func(name string) string {
				s, _ := eval(`[...document.getElementById(document.querySelector('input[name="` + name + `"]').getAttribute("list")).options].map(o => o.value).join("|")`).(string)
				return s
			}
			waitFor("the agreements offered", `(() => { const l = document.querySelector('input[name="agreement"]').list; return !!l && l.options.length > 0; })()`)
			if got := options("agreement"); got != w["agreement"] {
				t.Errorf("agreements offered to Isfahan's editor: %q, want only %q (not %q)", got, w["agreement"], w["other"])
			}
			choose := func(name, value string) {
				t.Helper()
				eval(`(() => { const i = document.querySelector('input[name="` + name + `"]'); i.value = ` + fmt.Sprintf("%q", value) + `; i.dispatchEvent(new Event("input", {bubbles: true})); })()`)
			}
			choose("agreement", w["agreement"])
			if got, _ := eval(`document.querySelector('input[name="agreement#id"]').value`).(string); got != itoa(f.agreement.ID) {
				t.Errorf("choosing the agreement kept number %q, want %d", got, f.agreement.ID)
			}
			// The direction now names the agreement's cities, and tells the server which.
			named, _ := eval(`document.querySelector('select[name="direction"] option[value="a_to_b"]').textContent.replace(/[\u2068\u2069]/g, "")`).(string)
			namedFor, _ := eval(`document.querySelector('input[name="direction#for"]').value`).(string)
			if named != w["direction"] || namedFor != itoa(f.agreement.ID) {
				t.Errorf("after choosing the agreement the direction reads %q for %q, want %q for %d", named, namedFor, w["direction"], f.agreement.ID)
			}
			// The link, by one institution's name: its links, named by both institutions.
			if err := chromedp.Do(bctx, chromedp.SendKeys(chromedp.CSS(`input[name="link"]`), w["inst"])); err != nil {
				t.Fatal(err)
			}
			waitFor("the links offered", `(() => { const l = document.querySelector('input[name="link"]').list; return !!l && l.options.length > 0; })()`)
			if got := options("link"); !strings.Contains(got, w["link"]) {
				t.Errorf("links offered: %q, want %q among them", got, w["link"])
			}
			shot("1_offered")
			choose("link", w["link"])
			err = chromedp.Do(bctx,
				chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "visit"),
				chromedp.SetValue(chromedp.CSS(`input[name="title.`+c.lang+`"]`), "picker "+c.lang),
				chromedp.Submit(chromedp.CSS(`input[name="title.`+c.lang+`"]`)))
			if err != nil {
				t.Fatal(err)
			}
			waitFor("the saved form", `document.readyState === "complete" && location.search.includes("saved=1")`)
			shot("2_saved")
			if got, _ := eval(`document.querySelector('input[name="link"]').value`).(string); got != w["link"] {
				t.Errorf("the saved form shows the link as %q", got)
			}
			acts, err := f.db.Activities.List(context.Background(), twin.Filter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range acts.Items {
				if a.Title[c.lang] == "picker "+c.lang {
					found = a.Agreement == f.agreement.ID && a.Link == f.linkSam.ID
				}
			}
			if !found {
				t.Error("the saved activity does not hold the chosen agreement and link")
			}
		})
	}
}
