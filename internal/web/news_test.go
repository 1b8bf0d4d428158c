package web

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// send makes an API call with a signed-in client (cookie and CSRF header), or anonymously
// when c is nil.
func send(t *testing.T, ts string, c *http.Client, csrf, method, path, body string, hdr ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, ts+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if csrf != "" {
		req.Header.Set(csrfHeader, csrf)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestNewsInbox(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	// Four articles as the poller records them: a new agreement (the seed article), the same
	// story from another agency, an already known one, and one without a signal.
	mk := func(u, title, text, hash string, signal int, reasons []store.Reason) *store.Article {
		a := &store.Article{URL: u, ItemKey: u, Title: title, Lang: "fa", Published: "2021-10-20", Text: text, TextHash: hash, Signal: signal, Reasons: reasons}
		if _, err := f.db.AddArticle(f.ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	a1 := mk(seedURL, "خواهرخواندگی اصفهان و سمرقند", f.seed, "h1", store.SignalNewAgreement,
		[]store.Reason{{Signal: "new_agreement", Cities: []string{"Q42053", "Q5753"}, Names: []string{"اصفهان", "سمرقند"}, Status: "signed"}})
	mk("https://agency2.example/isfahan", "خواهرخواندگی اصفهان و سمرقند", f.seed, "h1", store.SignalNewAgreement, nil)
	a2 := mk("https://agency.example/known", "Isfahan and Samarkand", "Isfahan and Samarkand are sister cities.", "h2", store.SignalKnown, nil)
	mk("https://agency.example/weather", "Weather", "Rain in Isfahan.", "h3", store.SignalNone, nil)

	rc, rcsrf := f.signIn(reviewer, testPassword)
	pc, pcsrf := f.signIn(plain, testPassword)
	ec, ecsrf := f.signIn(cityIn, testPassword)
	ts := f.ts.URL

	// Who may read the inbox: reviewers and admins.
	if st, _ := send(t, ts, nil, "", "GET", "/api/v1/inbox", ""); st != http.StatusUnauthorized {
		t.Errorf("anonymous inbox = %d", st)
	}
	for name, c := range map[string]*http.Client{"plain": pc, "city editor": ec} {
		if st, _ := send(t, ts, c, "", "GET", "/api/v1/inbox", ""); st != http.StatusForbidden {
			t.Errorf("%s inbox = %d", name, st)
		}
	}
	st, body := send(t, ts, rc, "", "GET", "/api/v1/inbox", "")
	var list struct{ Items []store.Article }
	if st != 200 || json.Unmarshal([]byte(body), &list) != nil {
		t.Fatalf("inbox = %d %s", st, body)
	}
	if len(list.Items) != 2 || list.Items[0].ID != a1.ID || list.Items[1].ID != a2.ID || list.Items[0].SignalName != "new_agreement" ||
		len(list.Items[0].Also) != 1 || list.Items[0].Also[0] != "https://agency2.example/isfahan" {
		t.Fatalf("inbox = %s", body)
	}
	if st, body := send(t, ts, rc, "", "GET", "/api/v1/inbox?limit=0", "", "Accept-Language", "fa"); st != http.StatusBadRequest {
		t.Errorf("limit=0 = %d %s", st, body)
	}
	st, body = send(t, ts, f.adminClient(), "", "GET", "/api/v1/inbox", "")
	if st != 200 || !strings.Contains(body, seedURL) {
		t.Errorf("admin inbox = %d", st)
	}

	// The inbox page opens each article on the review page, filled in and read.
	_, page := f.get(rc, "/fa/staff/inbox")
	for _, want := range []string{"صندوق خبرها", "پیمان تازه", "از پیش در ثبت", "اصفهان – سمرقند: پیمانی که در ثبت نیست (امضاشده)",
		"/fa/staff/extract?article=" + strconv.FormatInt(a1.ID, 10), "https://agency2.example/isfahan"} {
		if !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("the inbox page lacks %q", want)
		}
	}
	if strings.Contains(page, "agency.example/weather") {
		t.Error("an article without a signal is shown")
	}
	st, review := f.get(rc, "/fa/staff/extract?article="+strconv.FormatInt(a1.ID, 10))
	if st != 200 {
		t.Fatalf("review page = %d", st)
	}
	v := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(review, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	if v.Get("text") != a1.Title+"\n\n"+f.seed || v.Get("url") != seedURL || v.Get("published") != "2021-10-20" || !strings.Contains(review, `id="f-agreement-0"`) {
		t.Errorf("the review page is not filled with the article: url %q published %q text kept %v", v.Get("url"), v.Get("published"), v.Get("text") == a1.Title+"\n\n"+f.seed)
	}
	if st, _ := f.get(pc, "/fa/staff/inbox"); st != http.StatusForbidden {
		t.Errorf("a citizen's inbox page = %d", st)
	}

	// Dismissing: not for citizens; remembered for the whole story.
	path := "/api/v1/inbox/" + strconv.FormatInt(a1.ID, 10) + "/dismiss"
	if st, _ := send(t, ts, pc, pcsrf, "POST", path, ""); st != http.StatusForbidden {
		t.Errorf("a citizen dismissed: %d", st)
	}
	if st, _ := send(t, ts, ec, ecsrf, "POST", path, ""); st != http.StatusForbidden {
		t.Errorf("a city editor dismissed: %d", st)
	}
	if st, body := send(t, ts, rc, rcsrf, "POST", path, ""); st != 200 || !strings.Contains(body, `"dismissed_by":"`+reviewer+`"`) {
		t.Fatalf("dismiss = %d %s", st, body)
	}
	_, body = send(t, ts, rc, "", "GET", "/api/v1/inbox", "")
	if strings.Contains(body, "isfahan") || !strings.Contains(body, "agency.example/known") {
		t.Errorf("after dismissal: %s", body)
	}
	_, body = send(t, ts, rc, "", "GET", "/api/v1/inbox?dismissed=true", "")
	if !strings.Contains(body, seedURL) {
		t.Errorf("dismissed list: %s", body)
	}
	// The page's dismiss button, with its CSRF token.
	st, _ = f.post(rc, rcsrf, "/en/staff/inbox/"+strconv.FormatInt(a2.ID, 10)+"/dismiss", url.Values{})
	if st != 200 {
		t.Errorf("dismiss through the page = %d", st)
	}
	if _, page := f.get(rc, "/en/staff/inbox"); !strings.Contains(page, "Nothing to review") {
		t.Error("the inbox page still lists dismissed articles")
	}
	if st, _ := send(t, ts, rc, rcsrf, "POST", "/api/v1/inbox/99999/dismiss", ""); st != http.StatusNotFound {
		t.Errorf("dismissing no article = %d", st)
	}
}

func TestNewsFeedsAdmin(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	f.user("boss", auth.RoleAdmin, nil, nil)
	ac := f.adminClient()
	rc, rcsrf := f.signIn(reviewer, testPassword)
	ts := f.ts.URL

	st, body := send(t, ts, ac, "", "POST", "/api/v1/feeds", `{"url":"ftp://agency.example/rss"}`, "Accept-Language", "fa")
	if st != http.StatusBadRequest || !strings.Contains(body, "نشانی خوراک نیست") {
		t.Errorf("a bad feed address = %d %s", st, body)
	}
	st, body = send(t, ts, ac, "", "POST", "/api/v1/feeds", `{"url":"https://agency.example/rss","lang":"de"}`)
	if st != http.StatusBadRequest || !strings.Contains(body, `"lang"`) {
		t.Errorf("a bad language = %d %s", st, body)
	}
	if st, _ := send(t, ts, rc, rcsrf, "POST", "/api/v1/feeds", `{"url":"https://agency.example/rss"}`); st != http.StatusForbidden {
		t.Errorf("a reviewer added a feed: %d", st)
	}
	st, body = send(t, ts, ac, "", "POST", "/api/v1/feeds", `{"url":"https://agency.example/rss","lang":"en"}`)
	var fd store.Feed
	if st != http.StatusCreated || json.Unmarshal([]byte(body), &fd) != nil || fd.ID == 0 || fd.Lang != "en" || fd.CreatedBy != "admin-token" {
		t.Fatalf("add feed = %d %s", st, body)
	}
	if st, _ := send(t, ts, ac, "", "POST", "/api/v1/feeds", `{"url":"https://agency.example/rss#top"}`); st != http.StatusConflict {
		t.Errorf("the same feed twice = %d", st)
	}
	if st, _ := send(t, ts, rc, "", "GET", "/api/v1/feeds", ""); st != http.StatusForbidden {
		t.Errorf("a reviewer listed feeds: %d", st)
	}
	if st, body := send(t, ts, ac, "", "GET", "/api/v1/feeds", ""); st != 200 || !strings.Contains(body, "https://agency.example/rss") || strings.Contains(body, "etag") {
		t.Errorf("list feeds = %d %s", st, body)
	}

	// The staff page: admins only.
	bc, bcsrf := f.signIn("boss", testPassword)
	if st, _ := f.get(rc, "/fa/staff/feeds"); st != http.StatusForbidden {
		t.Errorf("a reviewer's feeds page = %d", st)
	}
	st, page := f.get(bc, "/fa/staff/feeds")
	if st != 200 || !strings.Contains(page, "https://agency.example/rss") || !strings.Contains(page, "هنوز نه") || !strings.Contains(page, "انگلیسی") {
		t.Errorf("feeds page = %d", st)
	}
	st, page = f.post(bc, bcsrf, "/fa/staff/feeds", url.Values{"url": {"agency.example"}, "lang": {"fa"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(page), "«agency.example» نشانی خوراک نیست") {
		t.Errorf("a bad address through the page = %d", st)
	}
	st, page = f.post(bc, bcsrf, "/fa/staff/feeds", url.Values{"url": {"https://city.example/news.atom"}, "lang": {"fa"}})
	if st != 200 || !strings.Contains(page, "https://city.example/news.atom") {
		t.Errorf("add through the page = %d", st)
	}
	if st, _ := send(t, ts, ac, "", "DELETE", "/api/v1/feeds/"+strconv.FormatInt(fd.ID, 10), ""); st != http.StatusNoContent {
		t.Errorf("remove feed = %d", st)
	}
	if st, _ := send(t, ts, ac, "", "DELETE", "/api/v1/feeds/"+strconv.FormatInt(fd.ID, 10), ""); st != http.StatusNotFound {
		t.Errorf("remove a removed feed = %d", st)
	}
	feeds, _ := f.db.Feeds(f.ctx)
	if len(feeds) != 1 || feeds[0].URL != "https://city.example/news.atom" || feeds[0].CreatedBy != "boss" {
		t.Errorf("feeds left: %+v", feeds)
	}
	st, _ = f.post(bc, bcsrf, "/en/staff/feeds/"+strconv.FormatInt(feeds[0].ID, 10)+"/remove", url.Values{})
	if feeds, _ := f.db.Feeds(f.ctx); st != 200 || len(feeds) != 0 {
		t.Errorf("remove through the page = %d, %d left", st, len(feeds))
	}
}

// get fetches a page with client c.
func (f *extractFixture) get(c *http.Client, path string) (int, string) {
	f.t.Helper()
	resp, err := c.Get(f.ts.URL + path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// bearer adds the provisioning token to every request.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// adminClient calls the API with the provisioning token (admin rights).
func (f *extractFixture) adminClient() *http.Client {
	return &http.Client{Transport: bearer{testToken}}
}

// TestNewsFeedsChecked: what the API and the feeds page do with what checking an address
// finds (internal/news reads it; here a stand-in answers as it does): a page naming several
// feeds is refused with them as candidates, the page offering them as choices and keeping
// what was typed; a host that does not answer is refused with the reason unless the admin
// asks to add it unread.
func TestNewsFeedsChecked(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	f.user("boss", auth.RoleAdmin, nil, nil)
	var mu sync.Mutex
	checked := 0
	f.srv.feedAdder = func(ctx context.Context, rawURL, lang string, check bool) (*store.Feed, error) {
		if check {
			mu.Lock()
			checked++
			mu.Unlock()
			switch rawURL {
			case "https://agency.example/":
				return nil, twin.Problem("url", "feed_several", map[string]any{"value": rawURL, "candidates": []store.FeedCandidate{
					{URL: "https://agency.example/top.xml", Title: "Top stories"}, {URL: "https://agency.example/world.atom", Title: "World"}}})
			case "https://down.example/rss":
				return nil, twin.Problem("url", "feed_unreachable", map[string]any{"value": rawURL, "reason": "no answer in time"})
			}
		}
		return f.db.AddFeed(ctx, rawURL, lang)
	}
	ac := f.adminClient()
	ts := f.ts.URL

	st, body := send(t, ts, ac, "", "POST", "/api/v1/feeds", `{"url":"https://agency.example/"}`)
	var e struct {
		Error struct {
			Code    string            `json:"code"`
			Fields  map[string]string `json:"fields"`
			Details map[string]struct {
				Key    string `json:"key"`
				Params struct {
					Candidates []store.FeedCandidate `json:"candidates"`
				} `json:"params"`
			} `json:"details"`
		} `json:"error"`
	}
	if st != http.StatusBadRequest || json.Unmarshal([]byte(body), &e) != nil || e.Error.Details["url"].Key != "feed_several" ||
		len(e.Error.Details["url"].Params.Candidates) != 2 || e.Error.Details["url"].Params.Candidates[1].URL != "https://agency.example/world.atom" ||
		!strings.Contains(e.Error.Fields["url"], "several feeds") {
		t.Errorf("a page naming two feeds = %d %s", st, body)
	}
	st, body = send(t, ts, ac, "", "POST", "/api/v1/feeds", `{"url":"https://down.example/rss"}`, "Accept-Language", "ru")
	if st != http.StatusBadRequest || !strings.Contains(body, "не удалось прочитать: no answer in time") {
		t.Errorf("an unreachable host = %d %s", st, body)
	}
	if st, body := send(t, ts, ac, "", "POST", "/api/v1/feeds", `{"url":"https://down.example/rss","check":false}`); st != http.StatusCreated {
		t.Errorf("added unchecked = %d %s", st, body)
	}

	bc, bcsrf := f.signIn("boss", testPassword)
	st, page := f.post(bc, bcsrf, "/en/staff/feeds", url.Values{"url": {"https://agency.example/"}, "lang": {"en"}})
	page = html.UnescapeString(page)
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `value="https://agency.example/"`) ||
		!strings.Contains(page, `name="choice" value="https://agency.example/top.xml"`) || !strings.Contains(page, "Top stories") ||
		!strings.Contains(page, `name="choice" value="https://agency.example/world.atom"`) || !strings.Contains(page, "names several feeds") {
		t.Errorf("a page naming two feeds, through the page = %d\n%s", st, page)
	}
	// Choosing one adds it.
	st, _ = f.post(bc, bcsrf, "/en/staff/feeds", url.Values{"url": {"https://agency.example/"}, "choice": {"https://agency.example/world.atom"}, "lang": {"en"}})
	if fd, err := f.db.FeedByRef(f.ctx, "https://agency.example/world.atom"); st != 200 || err != nil || fd.Lang != "en" {
		t.Errorf("a choice added = %d %v", st, err)
	}
	if err := f.db.RemoveFeed(f.ctx, mustFeed(t, f, "https://down.example/rss").ID); err != nil {
		t.Fatal(err)
	}
	st, page = f.post(bc, bcsrf, "/fa/staff/feeds", url.Values{"url": {"https://down.example/rss"}, "lang": {"fa"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(page), "«https://down.example/rss» خوانده نشد") || !strings.Contains(page, `name="nocheck"`) {
		t.Errorf("an unreachable host through the page = %d", st)
	}
	mu.Lock()
	before := checked
	mu.Unlock()
	st, _ = f.post(bc, bcsrf, "/fa/staff/feeds", url.Values{"url": {"https://down.example/rss"}, "lang": {"fa"}, "nocheck": {"1"}})
	mu.Lock()
	defer mu.Unlock()
	if _, err := f.db.FeedByRef(f.ctx, "https://down.example/rss"); st != 200 || err != nil || checked != before {
		t.Errorf("added unchecked through the page = %d %v, %d checks", st, err, checked-before)
	}
}

func mustFeed(t *testing.T, f *extractFixture, ref string) *store.Feed {
	t.Helper()
	fd, err := f.db.FeedByRef(f.ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	return fd
}
