package news

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// pad makes a text long enough to be a feed's full article rather than a teaser.
func pad(s, filler string) string {
	for len([]rune(s)) < 700 {
		s += "\n" + filler
	}
	return s
}

const (
	faFiller = "گزارش کامل این رویداد در ادامه آمده است و خبرنگار ما جزئیات بیشتری را منتشر خواهد کرد."
	enFiller = "Our correspondent will publish more details of the day as they become known to the newsroom."
)

var (
	// A: a signing the registry has as proposed (status change), full text in two feeds.
	storyA = pad("تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند امضا شد.\nشهرداران اصفهان و سمرقند روز گذشته در سمرقند تفاهم‌نامه خواهرخواندگی دو شهر را امضا کردند.", faFiller)
	// B: a proposal between cities the registry does not pair (new agreement), link only.
	storyB = "The proposal to twin Tabriz and Kazan was first made in 2019 by Rustam Minnikhanov, the President of Tatarstan."
	// C: a festival of a city with a known partner present (new activity), link only.
	storyC = "سی و چهارمین جشنواره صنایع دستی شیراز با حضور هیئتی از تبریز برگزار شد."
	// D: no twinning signal.
	storyD = pad("Rain is expected in Isfahan on Monday, the weather office said.", enFiller)
	// E: what the registry already has (known).
	storyE = pad("Isfahan and Samarkand are sister cities.", enFiller)
)

// site is the test's publisher: Persian and English feeds, article pages, and the feeds that
// misbehave. It counts every request by path and keeps the User-Agents it saw.
type site struct {
	mu     sync.Mutex
	hits   map[string]int
	agents map[string]bool
	srv    *httptest.Server
}

func (s *site) count(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[r.URL.Path]++
	s.agents[r.UserAgent()] = true
}

func (s *site) hit(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func page(title, body, canonical string) string {
	var paras strings.Builder
	for _, line := range strings.Split(body, "\n") {
		paras.WriteString("<p>" + line + "</p>\n")
	}
	link := ""
	if canonical != "" {
		link = `<link rel="canonical" href="` + canonical + `">`
	}
	return `<!doctype html><html><head><meta charset="utf-8"><title>` + title + `</title>` + link + `</head><body>
<nav><a href="/">Home</a> | <a href="/sport">Sport</a> | <a href="/weather">Weather</a></nav>
<article><h1>` + title + `</h1>` + paras.String() + `</article>
<footer>© Agency. All rights reserved. Contact us. Subscribe.</footer></body></html>`
}

func newSite(t *testing.T) *site {
	s := &site{hits: map[string]int{}, agents: map[string]bool{}}
	mux := http.NewServeMux()
	cp1256 := func(x string) string {
		out, err := charmap.Windows1256.NewEncoder().String(strings.ReplaceAll(x, "ی", "ي"))
		if err != nil {
			t.Fatalf("windows-1256: %v", err)
		}
		return out
	}
	// The Persian agency: RSS 2.0 in windows-1256, one full-text item and one link-only item.
	mux.HandleFunc("/fa/rss", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="windows-1256"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>`+cp1256("خبرگزاری آزمون")+`</title><link>/fa/</link>
<item><title>`+cp1256("امضای تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند")+`</title><link>/fa/news/1?utm_source=rss</link><guid>fa-1</guid>
<pubDate>Wed, 1 May 2024 09:30 +0330</pubDate><content:encoded><![CDATA[`+cp1256("<p>"+strings.ReplaceAll(storyA, "\n", "</p><p>")+"</p>")+`]]></content:encoded></item>
<item><title>`+cp1256("جشنواره صنایع دستی شیراز")+`</title><link>/fa/news/2</link><guid>fa-2</guid><pubDate>Thu, 02 May 2024 10:00:00 GMT</pubDate>
<description>`+cp1256("جشنواره")+`</description></item>
</channel></rss>`)
	})
	mux.HandleFunc("/fa/news/2", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("جشنواره صنایع دستی شیراز", storyC+"\n"+faFiller+"\n"+faFiller, s.srv.URL+"/fa/news/2?utm_medium=x"))
	})
	// The English agency: Atom in ISO-8859-1; a link-only item behind a redirect, a full-text
	// item with no signal, one with what the registry knows. It honours If-None-Match.
	mux.HandleFunc("/en/atom", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		if r.Header.Get("If-None-Match") == `"en-1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"en-1"`)
		w.Header().Set("Content-Type", "application/atom+xml")
		latin, _ := charmap.ISO8859_1.NewEncoder().String("Agence d'essai — Malmö")
		latin = strings.ReplaceAll(latin, "—", "-")
		fmt.Fprint(w, `<?xml version="1.0" encoding="ISO-8859-1"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>`+latin+`</title><link href="/en/"/>
<entry><id>en-b</id><title>Tabriz &amp; Kazan</title><link href="/en/old/tabriz-kazan"/><updated>2024-05-03T08:00:00Z</updated><summary>Tabriz</summary></entry>
<entry><id>en-d</id><title>Weather</title><link href="/en/weather"/><updated>2024-05-04</updated><content type="html">`+escape("<p>"+storyD+"</p>")+`</content></entry>
<entry><id>en-e</id><title>Sister cities</title><link href="/en/sisters"/><updated>2024-04-30T08:00:00Z</updated><content type="text">`+storyE+`</content></entry>
</feed>`)
	})
	mux.HandleFunc("/en/old/tabriz-kazan", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		http.Redirect(w, r, "/en/tabriz-kazan", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/en/tabriz-kazan", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		fmt.Fprint(w, page("Tabriz and Kazan", storyB+"\n"+enFiller+"\n"+enFiller+"\n"+enFiller, ""))
	})
	// A second agency carrying story A word for word (another URL): RSS 1.0.
	mux.HandleFunc("/agency2/rdf", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		item := s.srv.URL + "/agency2/a"
		if r.URL.Query().Get("edition") == "late" {
			item = s.srv.URL + "/agency2/late/a"
		}
		fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="`+s.srv.URL+`/agency2/"><title>Agency 2</title><link>`+s.srv.URL+`/agency2/</link></channel>
<item rdf:about="`+item+`"><title>امضای تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند</title><link>`+item+`</link><dc:date>2024-05-01</dc:date>
<content:encoded>`+escape(storyA)+`</content:encoded></item>
</rdf:RDF>`)
	})
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>cut off`)
	})
	mux.HandleFunc("/huge.xml", func(w http.ResponseWriter, r *http.Request) {
		s.count(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		chunk := []byte(strings.Repeat("<!-- padding padding padding -->\n", 1024))
		// Endless, no Content-Length: the reader must stop at its cap, not at the end.
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			if r.Context().Err() != nil {
				return
			}
		}
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// registry makes the cities the test's stories name, Isfahan–Samarkand as proposed and
// Shiraz–Tabriz as signed, and a gazetteer of them.
func registry(t *testing.T) (*store.DB, extract.Gazetteer) {
	db := storetest.Open(t)
	ctx := context.Background()
	var cities []*twin.City
	for _, c := range []struct{ q, fa, en, cc string }{
		{"Q42053", "اصفهان", "Isfahan", "IR"}, {"Q5753", "سمرقند", "Samarkand", "UZ"}, {"Q80053", "تبریز", "Tabriz", "IR"},
		{"Q900", "کازان", "Kazan", "RU"}, {"Q6397", "شیراز", "Shiraz", "IR"},
	} {
		city, err := db.Cities.Create(ctx, &twin.City{Wikidata: c.q, Names: twin.Names{"fa": c.fa, "en": c.en}, Country: c.cc, Population: 1_500_000})
		if err != nil {
			t.Fatal(err)
		}
		cities = append(cities, city)
	}
	for _, a := range []twin.Agreement{
		{Cities: []string{"Q42053", "Q5753"}, Kind: "sister", Status: "proposed"},
		{Cities: []string{"Q6397", "Q80053"}, Kind: "sister", Status: "signed"},
	} {
		if _, err := db.Agreements.Create(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	return db, extract.NewGazetteer(nil, cities)
}

func TestPollInbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newSite(t)
	// A host that accepts the connection and never answers.
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	}))
	t.Cleanup(func() { close(hang); slow.Close() })

	db, gaz := registry(t)
	fetch := NewFetcher(UserAgent("v9.9.9", "https://registry.example"))
	fetch.Pace, fetch.Timeout = 0, 5*time.Second
	p := &Poller{DB: db, Fetch: fetch, Gazetteer: gaz, Workers: 3}
	feeds := map[string]*store.Feed{}
	for _, f := range []struct{ name, url, lang string }{
		{"slow", slow.URL + "/rss", "fa"}, {"fa", s.srv.URL + "/fa/rss", "fa"}, {"en", s.srv.URL + "/en/atom", "en"},
		{"agency2", s.srv.URL + "/agency2/rdf", "fa"}, {"broken", s.srv.URL + "/broken.xml", "en"}, {"huge", s.srv.URL + "/huge.xml", "en"},
	} {
		feed, err := db.AddFeed(ctx, f.url, f.lang)
		if err != nil {
			t.Fatal(err)
		}
		feeds[f.name] = feed
	}
	if _, err := db.AddFeed(ctx, s.srv.URL+"/fa/rss#x", "fa"); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("the same feed added twice: %v", err)
	}

	rep, err := p.Poll(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]FeedReport{}
	for _, fr := range rep.Feeds {
		byURL[fr.Feed.URL] = fr
	}
	if len(byURL) != 6 {
		t.Fatalf("polled %d feeds, want 6", len(byURL))
	}
	// The slow, broken and huge feeds fail alone, each with its reason and a back-off.
	for name, want := range map[string]string{"slow": "deadline", "broken": "reading the feed", "huge": "too large"} {
		fr := byURL[feeds[name].URL]
		if !strings.Contains(fr.Err, want) {
			t.Errorf("%s feed: error %q, want %q", name, fr.Err, want)
		}
		if fr.Feed.Failures != 1 || fr.Feed.NextPoll == nil || fr.Feed.NextPoll.Sub(*fr.Feed.LastPoll) < DefaultInterval {
			t.Errorf("%s feed: failures %d, next poll %v: no back-off", name, fr.Feed.Failures, fr.Feed.NextPoll)
		}
	}
	if byURL[feeds["fa"].URL].Err != "" || len(byURL[feeds["fa"].URL].New) != 2 || len(byURL[feeds["en"].URL].New) != 3 {
		t.Errorf("fa: %+v; en: %+v", byURL[feeds["fa"].URL], byURL[feeds["en"].URL])
	}

	inbox, err := db.Inbox(ctx, store.InboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// Story A comes from two agencies polled at once: whichever copy was read first is the
	// article, the other is grouped under it.
	storyAt := map[string]string{"/fa/news/1": "/agency2/a", "/agency2/a": "/fa/news/1"}
	var got []string
	for _, a := range inbox {
		u := strings.TrimPrefix(a.URL, s.srv.URL)
		if _, ok := storyAt[u]; ok {
			u = "story A"
		}
		got = append(got, a.SignalName+" "+u)
	}
	want := []string{"new_agreement /en/tabriz-kazan", "status_change story A", "new_activity /fa/news/2", "known /en/sisters"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("inbox:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	a := inbox[1]
	if other := storyAt[strings.TrimPrefix(a.URL, s.srv.URL)]; len(a.Also) != 1 || a.Also[0] != s.srv.URL+other {
		t.Errorf("the same story from the second agency is not grouped: also = %v", a.Also)
	}
	if a.Lang != "fa" || a.Published != "2024-05-01" || !strings.Contains(a.Text, "سمرقند تفاهم‌نامه خواهرخواندگی") ||
		a.Title != "امضای تفاهم‌نامه خواهرخواندگی اصفهان و سمرقند" {
		t.Errorf("article A = %q %q %q %.80q", a.Lang, a.Published, a.Title, a.Text)
	}
	if r := a.Reasons[0]; r.Status != "signed" || r.Was != "proposed" || len(r.Cities) != 2 {
		t.Errorf("status change reason = %+v", r)
	}
	if b := inbox[0]; !strings.Contains(b.Text, "proposal to twin Tabriz and Kazan") || strings.Contains(b.Text, "All rights reserved") {
		t.Errorf("the page's main text was not taken: %q", b.Text)
	}
	if c := inbox[2]; c.Published != "2024-05-02" || c.Title != "جشنواره صنایع دستی شیراز" {
		t.Errorf("article C = %+v", c)
	}
	all, open, err := db.CountArticles(ctx)
	if err != nil || all != 6 || open != 4 {
		t.Errorf("articles recorded %d (want 6: five stories, one twice), open %d (want 4); %v", all, open, err)
	}
	for ua := range s.agents {
		if ua != "Twinning/v9.9.9 (+https://registry.example)" {
			t.Errorf("User-Agent %q", ua)
		}
	}

	// Dismissing the story dismisses its group; the dismissal stays through the next pass.
	ctx2 := twin.WithActor(ctx, "rita")
	if err := db.DismissArticle(ctx2, a.ID); err != nil {
		t.Fatal(err)
	}
	pages := s.hit("/fa/news/2") + s.hit("/en/tabriz-kazan")
	broken := s.hit("/broken.xml")
	// 45 minutes on: the feeds that answered are due again (every 30 minutes); those that
	// failed rest an hour.
	later := time.Now().Add(45 * time.Minute)
	p.Now = func() time.Time { return later }
	rep, err = p.Poll(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Feeds) != 3 || s.hit("/broken.xml") != broken {
		t.Errorf("second pass polled %d feeds (want the 3 that answered; the failed ones rest)", len(rep.Feeds))
	}
	for _, fr := range rep.Feeds {
		if len(fr.New) != 0 {
			t.Errorf("second pass: %s brought %d new articles", fr.Feed.URL, len(fr.New))
		}
		if fr.Feed.URL == feeds["en"].URL && !fr.NotModified {
			t.Error("the English feed was not asked conditionally (ETag)")
		}
	}
	if got := s.hit("/fa/news/2") + s.hit("/en/tabriz-kazan"); got != pages {
		t.Errorf("article pages fetched again: %d requests, were %d", got, pages)
	}
	inbox, err = db.Inbox(ctx, store.InboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 3 || inbox[0].URL != s.srv.URL+"/en/tabriz-kazan" {
		t.Errorf("after dismissal the inbox holds %d articles", len(inbox))
	}
	gone, err := db.Inbox(ctx, store.InboxQuery{Dismissed: true})
	if err != nil || len(gone) != 1 || gone[0].ID != a.ID || gone[0].DismissedBy != "rita" {
		t.Errorf("dismissed list = %+v, %v", gone, err)
	}

	// A feed added later that carries the dismissed story: it joins the dismissed group.
	late, err := db.AddFeed(ctx, s.srv.URL+"/agency2/rdf?edition=late", "fa")
	if err != nil {
		t.Fatal(err)
	}
	// Two hours on, the failed feeds are due again and fail once more: two failures in a row.
	if err := db.RemoveFeed(ctx, feeds["slow"].ID); err != nil {
		t.Fatal(err)
	}
	later = later.Add(75 * time.Minute)
	rep, err = p.Poll(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range rep.Feeds {
		if fr.Feed.URL == feeds["broken"].URL && (fr.Feed.Failures != 2 || fr.Feed.NextPoll.Sub(later) != 2*time.Hour) {
			t.Errorf("broken feed: %d failures in a row, next poll in %v; want 2 and 2h", fr.Feed.Failures, fr.Feed.NextPoll.Sub(later))
		}
	}
	if len(rep.Feeds) != 6 {
		t.Errorf("third pass polled %d feeds, want all 6", len(rep.Feeds))
	}
	var lateNew []*store.Article
	for _, fr := range rep.Feeds {
		if fr.Feed.ID == late.ID {
			lateNew = fr.New
		} else if len(fr.New) != 0 {
			t.Errorf("third pass: %s brought %d new articles", fr.Feed.URL, len(fr.New))
		}
	}
	if len(lateNew) != 1 || lateNew[0].GroupID != a.ID {
		t.Fatalf("the late copy of story A: %+v", lateNew)
	}
	if copyA, err := db.Article(ctx, lateNew[0].ID); err != nil || copyA.Dismissed == nil || copyA.DismissedBy != "rita" {
		t.Errorf("the late copy of a dismissed story is not dismissed: %+v %v", copyA, err)
	}
	rep, err = p.Poll(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Feeds) != 0 {
		t.Errorf("a pass right after polled %d feeds; none is due", len(rep.Feeds))
	}
	if n, _ := db.Inbox(ctx, store.InboxQuery{}); len(n) != 3 {
		t.Errorf("a dismissed story came back: inbox holds %d", len(n))
	}
	// A removed feed is forgotten; its articles stay.
	if err := db.RemoveFeed(ctx, feeds["fa"].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FeedByRef(ctx, feeds["fa"].URL); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Errorf("removed feed still found: %v", err)
	}
	if n, _ := db.Inbox(ctx, store.InboxQuery{}); len(n) != 3 {
		t.Errorf("removing a feed changed the inbox: %d", len(n))
	}
}

func TestFetcherLimits(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/busy":
			w.Header().Set("Retry-After", "7200")
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/big":
			w.Header().Set("Content-Length", "3000000000")
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	t.Cleanup(srv.Close)
	f := NewFetcher("Twinning/test")
	f.Pace = 0
	ctx := context.Background()
	if _, err := f.Get(ctx, srv.URL+"/loop", "", "", 100); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: %v", err)
	}
	var se *StatusError
	if _, err := f.Get(ctx, srv.URL+"/busy", "", "", 100); !errors.As(err, &se) || se.RetryAfter != 2*time.Hour {
		t.Errorf("503 with Retry-After: %v", err)
	}
	if _, err := f.Get(ctx, srv.URL+"/big", "", "", 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a body announced at 3 GB: %v", err)
	}
	if _, err := f.Get(ctx, "file:///etc/passwd", "", "", 100); err == nil {
		t.Error("a file URL was fetched")
	}

	// The pace: a second request to the same host waits its turn (here, an hour: the request
	// gives up first and never reaches the host); another host is not held up.
	f.Pace = time.Hour
	if _, err := f.Get(ctx, srv.URL+"/a", "", "", 100); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	before := hits
	mu.Unlock()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := f.Get(short, srv.URL+"/b", "", "", 100); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second request to one host within the pace: %v", err)
	}
	mu.Lock()
	after := hits
	mu.Unlock()
	if after != before {
		t.Error("the host was asked twice within the pace")
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	t.Cleanup(other.Close)
	if _, err := f.Get(ctx, other.URL+"/", "", "", 100); err != nil {
		t.Errorf("another host was held up: %v", err)
	}
}
