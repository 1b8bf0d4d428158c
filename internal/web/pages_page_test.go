package web

import (
	"compress/gzip"
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/ui"
)

// fixture is a small registry: Isfahan, Samarkand and Porto, two agreements, an institution and
// an activity, created through the store as the application would.
type fixture struct {
	ts        *httptest.Server
	db        *store.DB
	agreement *twin.Agreement
	isfahan   *twin.City
}

func fl(v float64) *float64 { return &v }

func newPageFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := openFixtureDB(t, "pages.db")
	mk := func(c *twin.City) *twin.City {
		out, err := db.Cities.Create(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	isf := mk(&twin.City{Wikidata: "Q42053", Names: twin.Names{"fa": "اصفهان", "en": "Isfahan"}, Country: "IR", Lat: fl(32.65), Lon: fl(51.67), Population: 1961260,
		Sources: []twin.Source{{Dataset: "wikidata-p190-2021", URL: "https://www.wikidata.org/wiki/Q42053", Note: "Wikidata P190, CC0"}}})
	mk(&twin.City{Wikidata: "Q5753", Names: twin.Names{"fa": "سمرقند", "en": "Samarkand", "uz": "Samarqand"}, Country: "UZ", Lat: fl(39.65), Lon: fl(66.96)})
	mk(&twin.City{Wikidata: "Q36433", Names: twin.Names{"fa": "پورتو", "en": "Porto"}, Country: "PT", Lat: fl(41.15), Lon: fl(-8.61)})
	signed, _ := calendar.Parse(calendar.Jalali, "1400-04-30")
	a, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Kind: twin.KindSister, Status: twin.StatusSigned,
		Signed: &signed, Domains: []string{"archaeology", "film"},
		Parties: []twin.Party{{Role: twin.RoleSignatory, Name: twin.Names{"fa": "شهردار اصفهان", "en": "Mayor of Isfahan"}}},
		Claims:  []twin.Claim{{Source: twin.Source{Dataset: "wikipedia-twin-towns-2026", URL: "https://en.wikipedia.org/wiki/List"}, OneSided: true, Note: "only Samarkand's list"}},
		Sources: []twin.Source{{Title: "Isfahan municipality", URL: "https://isfahan.ir/"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Agreements.Create(ctx, &twin.Agreement{Cities: []string{"Q42053", "Q36433"}, Kind: twin.KindSister, Status: twin.StatusProposed}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Institutions.Create(ctx, &twin.Institution{Names: twin.Names{"fa": "دانشگاه اصفهان", "en": "University of Isfahan"}, Type: "university", City: "Q42053"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	start := calendar.FromTime(now.AddDate(0, -2, 0), calendar.Gregorian, calendar.Month)
	if _, err := db.Activities.Create(ctx, &twin.Activity{Agreement: a.ID, Kind: "festival", Title: twin.Names{"fa": "جشنواره فیلم کودک", "en": "Children's film festival"},
		Start: &start, Domains: []string{"film"}, Direction: "both"}); err != nil {
		t.Fatal(err)
	}
	return &fixture{ts: serveFixture(t, db), db: db, agreement: a, isfahan: isf}
}

// openFixtureDB opens a fresh, migrated SQLite registry named name in the test's directory,
// closed when the test ends.
func openFixtureDB(t *testing.T, name string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// serveFixture serves the application, graph intelligence included, over db until the test ends.
func serveFixture(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(specChecked(t, newIntelApp(t, db)))
	t.Cleanup(ts.Close)
	return ts
}

// get fetches a page as a browser would (gzip accepted) and returns it decoded.
func (f *fixture) get(t *testing.T, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, _ := io.ReadAll(r)
	return resp, string(b)
}

func mustContain(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
}

func TestCityPagePersian(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	resp, body := f.get(t, nil, "/fa/cities/Q42053")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	mustContain(t, "the Persian city page", body,
		`<html lang="fa" dir="rtl">`,
		"<title>اصفهان · ",
		"سمرقند", "پورتو", // partner names
		"۳۰ تیر ۱۴۰۰",     // the signing date in Jalali with Persian digits
		"۲۱ ژوئیهٔ ۲۰۲۱",  // and in Gregorian beside it
		`class="vit vit-`, // the vitality badge
		"دانشگاه اصفهان", "جشنواره فیلم کودک",
		"۱٬۹۶۱٬۲۶۰", // population in Persian digits
		`href="/en/cities/Q42053"`,
		`<svg viewBox=`, "/static/",
	)
	if strings.Contains(body, "21 July 2021") {
		t.Error("the Persian page shows an English date")
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Error("the page is not gzipped")
	}
}

func TestCityPageEnglish(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	resp, body := f.get(t, nil, "/en/cities/Q42053")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, "the English city page", body, `<html lang="en" dir="ltr">`, "Samarkand", "Porto", "21 July 2021", "30 Tir 1400", "Needs attention")
	if _, body := f.get(t, nil, "/en/cities/"+"1"); !strings.Contains(body, "Isfahan") {
		t.Error("the internal id does not address the city")
	}
	if resp, _ := f.get(t, nil, "/en/cities/Q999999"); resp.StatusCode != 404 {
		t.Errorf("unknown city: %d", resp.StatusCode)
	}
}

func TestAgreementPage(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	resp, body := f.get(t, nil, "/fa/agreements/"+itoa(f.agreement.ID))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	mustContain(t, "the agreement page", body,
		"شهردار اصفهان",              // the signatory
		"۳۰ تیر ۱۴۰۰",                // signing date
		"باستان‌شناسی", "انجام‌نشده", // archaeology promised, missing
		"فیلم و سینما", "انجام‌شده", // film delivered
		"یک‌سویه", "فهرست‌های شهرهای خواهرخواندهٔ ویکی‌پدیا", // the one-sided claim with its source, named in Persian
		"Isfahan municipality",
	)
}

func TestOtherPages(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	// The fixture's activity began two months ago: its year in each calendar, whatever today is.
	began := time.Now().UTC().AddDate(0, -2, 0)
	jy, _, _ := calendar.FromTime(began, calendar.Jalali, calendar.Year).Fields()
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/fa/", []string{`dir="rtl"`, "۳", "اصفهان", `action="/fa/search"`}},
		{"/en/", []string{`dir="ltr"`, "Isfahan"}},
		{"/fa/search?q=" + url.QueryEscape("سمرقند"), []string{"سمرقند", `href="/fa/cities/Q5753"`}},
		{"/en/search?q=Samarqand", []string{"Samarkand"}},
		{"/fa/path?from=" + url.QueryEscape("سمرقند") + "&to=Porto", []string{"سمرقند", "پورتو", "اصفهان", "۲ گام"}},
		{"/en/about", []string{"Data from Wikipedia, CC BY-SA 4.0; coordinates © OpenStreetMap contributors, ODbL; Wikidata CC0; Natural Earth (public domain); i18n-iso-countries (MIT); world-atlas (ISC); Vazirmatn font (OFL)"}},
		{"/fa/calendar?year=" + strconv.Itoa(jy), []string{"فروردین", "اسفند", "جشنواره فیلم کودک"}},
		{"/en/calendar?year=" + strconv.Itoa(began.Year()), []string{"January", "Children&#39;s film festival"}},
		{"/fa/institutions/1", []string{"دانشگاه اصفهان", "دانشگاه"}},
		{"/en/activities/1", []string{"Children&#39;s film festival", "Festival"}},
		{"/fa/cities/Q42053/report", []string{"گزارش", "جشنواره فیلم کودک", "سمرقند"}},
	} {
		resp, body := f.get(t, nil, tc.path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", tc.path, resp.StatusCode)
			continue
		}
		mustContain(t, tc.path, body, tc.want...)
		if !regexp.MustCompile(`<title>[^<]+</title>`).MatchString(body) {
			t.Errorf("%s has no title", tc.path)
		}
	}
	if resp, body := f.get(t, nil, "/fa/no/such/page"); resp.StatusCode != 404 || !strings.Contains(body, `<html lang="fa" dir="rtl">`) {
		t.Errorf("an unknown page: %d", resp.StatusCode)
	}
	if resp, _ := f.get(t, nil, "/"); resp.Request.URL.Path != "/fa/" {
		t.Errorf("/ went to %s", resp.Request.URL.Path)
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	_, body := f.get(t, nil, "/fa/")
	m := regexp.MustCompile(`href="(/static/[0-9a-f]{12}/app\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no checksummed stylesheet URL in the page")
	}
	resp, css := f.get(t, nil, m[1])
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("stylesheet: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet type %q", resp.Header.Get("Content-Type"))
	}
	fonts := regexp.MustCompile(`url\((/static/[0-9a-f]{12}/fonts/Vazirmatn-Regular\.woff2)\)`).FindStringSubmatch(css)
	if fonts == nil {
		t.Fatal("the stylesheet does not name the font by its checksummed URL")
	}
	if resp, _ := f.get(t, nil, fonts[1]); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "font/woff2" {
		t.Errorf("font: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := f.get(t, nil, "/static/000000000000/app.css"); resp.StatusCode != 404 {
		t.Errorf("a wrong checksum answers %d", resp.StatusCode)
	}
	if !strings.Contains(css, "@media print") {
		t.Error("no print stylesheet")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

const staffPassword = "a long staff password 4 tests"

// staffClient creates an account with role (over cities, for a city editor) and signs it in
// through the sign-in page, returning a client that keeps the session cookie.
func (f *fixture) staffClient(t *testing.T, name, role string, cities ...int64) *http.Client {
	t.Helper()
	h, err := auth.HashPassword(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CreateUser(context.Background(), &auth.User{Name: name, Role: role, Cities: cities, Password: h}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	_, body := f.get(t, c, "/fa/signin")
	resp, err := c.PostForm(f.ts.URL+"/fa/signin", url.Values{"csrf": {csrfFrom(t, body)}, "name": {name}, "password": {staffPassword}, "next": {"/fa/staff/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if role != auth.RoleUser && resp.Request.URL.Path != "/fa/staff/" {
		t.Fatalf("sign-in ended at %s (%d)", resp.Request.URL.Path, resp.StatusCode)
	}
	return c
}

func csrfFrom(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token in the form")
	}
	return m[1]
}

func postForm(t *testing.T, c *http.Client, u string, v url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestStaffOnly(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	if resp, _ := f.get(t, nil, "/fa/staff/"); resp.Request.URL.Path != "/fa/signin" {
		t.Errorf("the workspace without a session went to %s", resp.Request.URL.Path)
	}
	if resp, _ := f.get(t, f.staffClient(t, "reader", auth.RoleUser), "/fa/staff/cities/new"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a plain user reached a staff form: %d", resp.StatusCode)
	}
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	if _, body := f.get(t, c, "/fa/staff/"); !strings.Contains(body, `href="/fa/staff/agreements/new"`) {
		t.Error("the workspace does not offer new agreements")
	}
	_, body := f.get(t, c, "/fa/cities/Q42053")
	if !strings.Contains(body, `href="/fa/staff/cities/1/edit"`) {
		t.Error("the city page offers staff no edit link")
	}
	m := regexp.MustCompile(`href="(/fa/staff/agreements/new\?[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the city page offers staff no new agreement")
	}
	if _, body := f.get(t, c, html.UnescapeString(m[1])); !strings.Contains(body, `name="cities[0]" value="اصفهان"`) || !strings.Contains(body, `name="cities[0]#id" value="Q42053"`) {
		t.Error("the new agreement does not start from the city")
	}
}

func TestFormErrorsChangeNothing(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	_, body := f.get(t, c, "/fa/staff/cities/new")
	before, _ := f.db.Count(context.Background(), twin.KindCity)
	resp, body := postForm(t, c, f.ts.URL+"/fa/staff/cities/new", url.Values{
		"csrf": {csrfFrom(t, body)}, "version": {"0"},
		"names.fa": {"بخارا"}, "lat": {"۱۲۰"}, "lon": {"64.4"}, "country": {""},
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, "the form with errors", body,
		`<p class="field-error" id="f-lat-err">`+i18n.T("fa", "field.out_of_range", map[string]any{"min": -90, "max": 90}),
		`<p class="field-error" id="f-country-err">`+i18n.T("fa", "field.required", nil),
		`value="بخارا"`, // the input is kept
		`aria-invalid="true"`,
	)
	if after, _ := f.db.Count(context.Background(), twin.KindCity); after != before {
		t.Errorf("bad input created a city: %d → %d", before, after)
	}
	// Good input, with a Jalali date in Persian digits on an agreement, is saved.
	_, body = f.get(t, c, "/fa/staff/agreements/new")
	resp, body = postForm(t, c, f.ts.URL+"/fa/staff/agreements/new", url.Values{
		"csrf": {csrfFrom(t, body)}, "version": {"0"},
		"cities[0]": {"Samarkand"}, "cities[1]": {"پورتو"}, "kind": {"friendship"}, "status": {"signed"},
		"signed.calendar": {"jalali"}, "signed.value": {"۱۴۰۲/۲/۵"}, "domains": {"tourism", "culture"},
	})
	if resp.StatusCode != 200 || !strings.Contains(resp.Request.URL.Path, "/edit") {
		t.Fatalf("saving: %d at %s: %s", resp.StatusCode, resp.Request.URL, body)
	}
	as, _ := f.db.Agreements.List(context.Background(), twin.Filter{}.With(twin.FilterKind, "friendship"))
	if len(as.Items) != 1 || as.Items[0].Signed.Value != "1402-02-05" || as.Items[0].Cities[0] != "Q5753" {
		t.Fatalf("saved %+v", as.Items)
	}
}

func TestStaleFormGetsConflict(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	path := "/en/staff/cities/" + itoa(f.isfahan.ID) + "/edit"
	_, body := f.get(t, c, path)
	tok := csrfFrom(t, body)
	if !strings.Contains(body, `name="version" value="1"`) {
		t.Fatal("the form does not carry the version")
	}
	// Someone else changes the city meanwhile.
	if _, err := f.db.Cities.Update(twin.WithActor(context.Background(), "colleague"), f.isfahan.ID, 1, func(c *twin.City) error {
		c.Population = 2000000
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	resp, body := postForm(t, c, f.ts.URL+path, url.Values{"csrf": {tok}, "version": {"1"},
		"names.fa": {"اصفهان"}, "names.en": {"Isfahan, the half of the world"}, "country": {"IR"}, "lat": {"32.65"}, "lon": {"51.67"}, "wikidata": {"Q42053"},
		"population": {"1961260"}, "sources[0].url": {"https://www.wikidata.org/wiki/Q42053"}, "sources[0].dataset": {"wikidata-p190-2021"}})
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, "the conflict page", body, "Someone else changed this record", "colleague", "2,000,000",
		`value="Isfahan, the half of the world"`, `name="version" value="2"`)
	got, _ := f.db.Cities.Get(context.Background(), f.isfahan.ID)
	if got.Names["en"] != "Isfahan" || got.Population != 2000000 {
		t.Errorf("the stale form changed the record: %+v", got)
	}
	// The colleague's population, a field the reader had not touched, is now in the form:
	// saving the form as shown keeps both changes.
	if !strings.Contains(body, `name="population" value="2000000"`) {
		t.Error("the conflict form does not take in the other's untouched change")
	}
	resp, _ = postForm(t, c, f.ts.URL+path, url.Values{"csrf": {tok}, "version": {"2"},
		"names.fa": {"اصفهان"}, "names.en": {"Isfahan, the half of the world"}, "country": {"IR"}, "lat": {"32.65"}, "lon": {"51.67"},
		"wikidata": {"Q42053"}, "population": {"2000000"}})
	if resp.StatusCode != 200 {
		t.Fatalf("saving the merged form: %d", resp.StatusCode)
	}
	got, _ = f.db.Cities.Get(context.Background(), f.isfahan.ID)
	if got.Names["en"] != "Isfahan, the half of the world" || got.Population != 2000000 {
		t.Errorf("an update was lost: %+v", got)
	}
	// History shows both changes.
	_, body = f.get(t, c, "/en/staff/cities/"+itoa(f.isfahan.ID)+"/history")
	mustContain(t, "the history", body, "colleague", "Population", "1,961,260", "2,000,000")
}

// TestHistorySaysValues: a record's history says each value as the pages do, in the reader's
// language: a choice by its name, a date in the reader's calendar and digits, a city and an
// agreement by their names, a title in each of its languages; never the stored JSON or codes.
func TestHistorySaysValues(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	_, body := f.get(t, c, "/fa/staff/activities/new")
	resp, body := postForm(t, c, f.ts.URL+"/fa/staff/activities/new", url.Values{"csrf": {csrfFrom(t, body)}, "version": {"0"},
		"agreement": {itoa(f.agreement.ID)}, "kind": {"exhibition"}, "title.fa": {"نمایشگاه صنایع دستی"}, "title.en": {"Handicrafts fair"},
		"start.calendar": {"jalali"}, "start.value": {"۱۴۰۴/۰۶/۱۵"}, "direction": {"a_to_b"}, "direction#for": {itoa(f.agreement.ID)},
		"place": {"Q5753"}, "domains": {"handicrafts"}, "participants": {"سمرقند: ۳۰\nIsfahan 12"},
		"outputs[0].kind": {"book"}, "outputs[0].title.fa": {"کاتالوگ نمایشگاه"}})
	if resp.StatusCode != 200 || !strings.Contains(resp.Request.URL.Path, "/edit") {
		t.Fatalf("creating the activity: %d at %s: %s", resp.StatusCode, resp.Request.URL, body)
	}
	_, body = f.get(t, c, strings.TrimSuffix(resp.Request.URL.Path, "/edit")+"/history")
	mustContain(t, "the Persian history", body,
		"نمایشگاه",                    // the kind by its name
		"۱۵ شهریور ۱۴۰۴",              // the date in Jalali, Persian digits
		"<ins>سمرقند، ",               // the place by its name (and its country)
		"اصفهان – سمرقند",             // the agreement by its cities
		"نمایشگاه صنایع دستی (فارسی)", // the title in each language
		"Handicrafts fair (انگلیسی)",
		"صنایع دستی",                  // the domain by its name
		"اصفهان\u2069 ← \u2068سمرقند", // the direction, by the agreement's cities
		"اصفهان: ۱۲، سمرقند: ۳۰",      // the participants, by the cities' names
		"کتاب: کاتالوگ نمایشگاه",      // the joint productions as the page lists them
	)
	for _, raw := range []string{"exhibition", "a_to_b", "Q5753", `{&#34;`, `[{`, "1404-06-15", "handicrafts"} {
		if strings.Contains(body, raw) {
			t.Errorf("the Persian history shows %q as stored", raw)
		}
	}
}

func TestCSRFRequired(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	before, _ := f.db.Count(context.Background(), twin.KindCity)
	resp, _ := postForm(t, c, f.ts.URL+"/fa/staff/cities/new", url.Values{"names.fa": {"بخارا"}, "country": {"UZ"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", resp.StatusCode)
	}
	resp, _ = postForm(t, c, f.ts.URL+"/fa/staff/cities/new", url.Values{"csrf": {"00ff"}, "names.fa": {"بخارا"}, "country": {"UZ"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a wrong CSRF token: %d", resp.StatusCode)
	}
	if after, _ := f.db.Count(context.Background(), twin.KindCity); after != before {
		t.Error("a forged form created a city")
	}
}

// formValues reads a form's fields from a page as a browser would submit them.
func formValues(body string) url.Values {
	v := url.Values{}
	form := body
	if i := strings.Index(body, `class="record-form"`); i >= 0 {
		form = body[i:]
	}
	for _, m := range regexp.MustCompile(`<input([^>]*)>`).FindAllStringSubmatch(form, -1) {
		attrs := m[1]
		name := regexp.MustCompile(`name="([^"]*)"`).FindStringSubmatch(attrs)
		val := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(attrs)
		if name == nil {
			continue
		}
		if strings.Contains(attrs, `type="checkbox"`) || strings.Contains(attrs, `type="radio"`) {
			if !strings.Contains(attrs, " checked") {
				continue
			}
		}
		x := ""
		if val != nil {
			x = html.UnescapeString(val[1])
		}
		v.Add(html.UnescapeString(name[1]), x)
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		if o := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); o != nil {
			v.Add(m[1], html.UnescapeString(o[1]))
		}
	}
	return v
}

// TestFormKeepsWhatItDoesNotShow edits records through their forms and checks that names in
// other languages, source notes and claims survive.
func TestFormKeepsWhatItDoesNotShow(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	ctx := context.Background()
	sam, _ := f.db.City(ctx, "Q5753")
	path := "/en/staff/cities/" + itoa(sam.ID) + "/edit"
	_, body := f.get(t, c, path)
	v := formValues(body)
	v.Set("names.en", "Samarqand")
	if resp, body := postForm(t, c, f.ts.URL+path, v); resp.StatusCode != 200 {
		t.Fatalf("saving: %d: %s", resp.StatusCode, body)
	}
	got, _ := f.db.City(ctx, "Q5753")
	if got.Names["en"] != "Samarqand" || got.Names["uz"] != "Samarqand" || got.Names["fa"] != "سمرقند" {
		t.Errorf("names after the edit: %v", got.Names)
	}
	path = "/en/staff/cities/" + itoa(f.isfahan.ID) + "/edit"
	_, body = f.get(t, c, path)
	v = formValues(body)
	v.Set("population", "۲٬۰۰۰٬۰۰۰")
	if resp, body := postForm(t, c, f.ts.URL+path, v); resp.StatusCode != 200 {
		t.Fatalf("saving: %d: %s", resp.StatusCode, body)
	}
	isf, _ := f.db.City(ctx, "Q42053")
	if isf.Population != 2000000 || len(isf.Sources) != 1 || isf.Sources[0].Note != "Wikidata P190, CC0" {
		t.Errorf("after the edit: population %d, sources %+v", isf.Population, isf.Sources)
	}
	path = "/fa/staff/agreements/" + itoa(f.agreement.ID) + "/edit"
	_, body = f.get(t, c, path)
	v = formValues(body)
	if v.Get("signed.calendar") != "jalali" || v.Get("signed.value") != "۱۴۰۰-۰۴-۳۰" || v.Get("cities[0]") != "اصفهان" || v.Get("cities[0]#id") != "Q42053" {
		t.Fatalf("the agreement form shows %v", v)
	}
	v.Set("notes.fa", "یادداشت تازه")
	if resp, body := postForm(t, c, f.ts.URL+path, v); resp.StatusCode != 200 {
		t.Fatalf("saving: %d: %s", resp.StatusCode, body)
	}
	a, _ := f.db.Agreements.Get(ctx, f.agreement.ID)
	if a.Notes["fa"] != "یادداشت تازه" || len(a.Claims) != 1 || !a.Claims[0].OneSided || len(a.Parties) != 1 || a.Signed.Value != "1400-04-30" {
		t.Errorf("the agreement after the edit: %+v", a)
	}
}

// TestFormsLabelled checks every visible input of every staff form, and of the public forms,
// for a label.
func TestFormsLabelled(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	paths := []string{"/fa/search", "/fa/path", "/en/"}
	for _, k := range ui.StaffOrder {
		paths = append(paths, "/fa/staff/"+k.Plural()+"/new")
	}
	paths = append(paths, "/fa/staff/agreements/"+itoa(f.agreement.ID)+"/edit")
	control := regexp.MustCompile(`<(input|select|textarea)\b([^>]*)>`)
	for _, p := range paths {
		resp, body := f.get(t, c, p)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
			continue
		}
		for _, m := range control.FindAllStringSubmatch(body, -1) {
			attrs := m[2]
			if strings.Contains(attrs, `type="hidden"`) {
				continue
			}
			id := regexp.MustCompile(`\bid="([^"]+)"`).FindStringSubmatch(attrs)
			wrapped := strings.Contains(attrs, `type="checkbox"`) || strings.Contains(attrs, `type="radio"`)
			if wrapped {
				continue // inside their <label>
			}
			if id == nil || !strings.Contains(body, `for="`+id[1]+`"`) {
				t.Errorf("%s: a %s without a label: %s", p, m[1], attrs)
			}
		}
		if strings.Count(body, "<h1") != 1 {
			t.Errorf("%s has %d h1 headings", p, strings.Count(body, "<h1"))
		}
	}
}

// TestCityPageWeight keeps a city page with everything it loads, fonts apart, under 150 KB
// as transferred.
func TestCityPageWeight(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	size := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return len(b), resp.Header.Get("Content-Encoding")
	}
	_, page := f.get(t, nil, "/fa/cities/Q42053")
	total, enc := size("/fa/cities/Q42053")
	if enc != "gzip" {
		t.Error("the page is not compressed")
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if seen[m[1]] || strings.HasSuffix(m[1], ".woff2") {
			continue
		}
		seen[m[1]] = true
		n, _ := size(m[1])
		total += n
	}
	if total > 150*1024 {
		t.Errorf("the city page weighs %d bytes with what it loads", total)
	}
	t.Logf("city page with its static files, fonts apart: %d bytes", total)
}

// TestCityFieldShowsName: a staff form's city field shows the city's name in the form's
// language, never its Wikidata id; saved as shown it keeps the city, and a name typed over it
// is resolved anew.
func TestCityFieldShowsName(t *testing.T) {
	t.Parallel()
	f := newPageFixture(t)
	ctx := context.Background()
	c := f.staffClient(t, "editor", auth.RoleAdmin)
	act, err := f.db.Activities.Create(ctx, &twin.Activity{Agreement: f.agreement.ID, Kind: "exhibition", Title: twin.Names{"fa": "نمایشگاه"}, Place: "Q5753"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/fa/staff/activities/" + itoa(act.ID) + "/edit"
	_, body := f.get(t, c, path)
	v := formValues(body)
	if v.Get("place") != "سمرقند" || v.Get("place#id") != "Q5753" || strings.Contains(body, `value="Q5753" type="text"`) {
		t.Fatalf("the place field shows %q (#id %q)", v.Get("place"), v.Get("place#id"))
	}
	v.Set("title.en", "Exhibition")
	if resp, body := postForm(t, c, f.ts.URL+path, v); resp.StatusCode != 200 {
		t.Fatalf("saving as shown: %d: %s", resp.StatusCode, body)
	}
	if got, _ := f.db.Activities.Get(ctx, act.ID); got.Place != "Q5753" || got.Title["en"] != "Exhibition" {
		t.Errorf("saved as shown: place %q, title %v", got.Place, got.Title)
	}
	_, body = f.get(t, c, path)
	v = formValues(body)
	v.Set("place", "پورتو") // typed over the name: the kept id no longer applies
	if resp, body := postForm(t, c, f.ts.URL+path, v); resp.StatusCode != 200 {
		t.Fatalf("saving another place: %d: %s", resp.StatusCode, body)
	}
	if got, _ := f.db.Activities.Get(ctx, act.ID); got.Place != "Q36433" {
		t.Errorf("a typed name: place %q, want Q36433", got.Place)
	}
}
