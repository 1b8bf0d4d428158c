package news

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// newsroom is a news site as admins paste its addresses: a feed, pages declaring one feed,
// two feeds or none, a page whose site has a feed at a common path, a missing page and a host
// that does not answer in time.
func newsroom(t *testing.T) (*httptest.Server, func() int) {
	t.Helper()
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>IRNA English</title><link>/</link><item><title>x</title><link>/x</link></item></channel></rss>`
	atom := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>IRNA Atom</title><link href="/"/></feed>`
	page := func(head string) string {
		return `<!DOCTYPE html><html><head><title>IRNA</title>` + head + `</head><body><p>News</p></body></html>`
	}
	var mu sync.Mutex
	var asked []string
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/rss.xml", "/sub/feed.xml", "/b/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rss)
		case "/atom":
			fmt.Fprint(w, atom)
		case "/one":
			fmt.Fprint(w, page(`<link rel="alternate" type="application/rss+xml" title="All news" href="sub/feed.xml">`))
		case "/two":
			fmt.Fprint(w, page(`<link rel="alternate" type="application/rss+xml" title="All news" href="/rss.xml">
<link rel="alternate" type="application/atom+xml; charset=utf-8" title="Politics" href="https://politics.example/atom">
<link rel="alternate" type="application/rss+xml" href="/rss.xml#again">`))
		case "/none", "/b/page":
			fmt.Fprint(w, page(`<link rel="stylesheet" href="/s.css">`))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		case "/data.json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"news":[]}`)
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return len(asked) }
}

func problem(err error) (string, map[string]any) {
	fe, ok := twin.ErrorFields(err)["url"]
	if !ok {
		return "", nil
	}
	return fe.Key, fe.Params
}

// TestDiscover: what adding a feed finds at each kind of address.
func TestDiscover(t *testing.T) {
	t.Parallel()
	srv, _ := newsroom(t)
	f := NewFetcher("Twinning/test")
	f.Pace, f.Timeout = 0, 5*time.Second
	ctx := context.Background()

	// A feed is itself.
	got, err := f.Discover(ctx, srv.URL+"/rss.xml")
	if err != nil || got.URL != srv.URL+"/rss.xml" || got.Title != "IRNA English" || got.Format != "rss" {
		t.Errorf("a feed: %+v %v", got, err)
	}
	// A page declaring one feed: that feed, its relative address resolved, read for its title.
	got, err = f.Discover(ctx, srv.URL+"/one")
	if err != nil || got.URL != srv.URL+"/sub/feed.xml" || got.Title != "IRNA English" {
		t.Errorf("a page with one feed: %+v %v", got, err)
	}
	// A page declaring two: both offered, each once, nothing chosen.
	_, err = f.Discover(ctx, srv.URL+"/two")
	key, params := problem(err)
	cands, _ := params["candidates"].([]Candidate)
	if twin.ErrorCode(err) != twin.EINVALID || key != KeyFeedSeveral || len(cands) != 2 ||
		cands[0] != (Candidate{URL: srv.URL + "/rss.xml", Title: "All news"}) || cands[1] != (Candidate{URL: "https://politics.example/atom", Title: "Politics"}) {
		t.Errorf("a page with two feeds: %v %v", err, params)
	}
	// A page declaring none, on a site with a feed at a common path: found there.
	got, err = f.Discover(ctx, srv.URL+"/none")
	if err != nil || got.URL != srv.URL+"/rss.xml" {
		t.Errorf("a page with no declared feed: %+v %v", got, err)
	}
	// Neither a feed nor a page.
	if _, err := f.Discover(ctx, srv.URL+"/data.json"); func() string { k, _ := problem(err); return k }() != KeyFeedNone {
		t.Errorf("a JSON document: %v", err)
	}
	// A missing page: refused with the reason.
	_, err = f.Discover(ctx, srv.URL+"/gone")
	if key, params := problem(err); key != KeyFeedUnreachable || params["reason"] != "HTTP 404 Not Found" {
		t.Errorf("a 404: %v %v", err, params)
	}
	// A host that does not answer in time.
	slow := NewFetcher("Twinning/test")
	slow.Pace, slow.Timeout = 0, 50*time.Millisecond
	_, err = slow.Discover(ctx, srv.URL+"/slow")
	if key, params := problem(err); key != KeyFeedUnreachable || params["reason"] != "no answer in time" {
		t.Errorf("a slow host: %v %v", err, params)
	}
}

// TestDiscoverNoFeedAnywhere: a page naming no feed, on a site with none at the common
// paths, is refused after those few requests; a site answering every path with its home page
// is not taken for a feed.
func TestDiscoverNoFeedAnywhere(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		fmt.Fprint(w, `<html><head><title>Home</title></head><body>Welcome</body></html>`)
	}))
	t.Cleanup(srv.Close)
	f := NewFetcher("Twinning/test")
	f.Pace = 0
	_, err := f.Discover(context.Background(), srv.URL+"/news/today")
	if key, params := problem(err); key != KeyFeedNone || params["value"] != srv.URL+"/news/today" {
		t.Errorf("no feed anywhere: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := "/news/today /feed /rss /rss.xml /atom.xml"; strings.Join(asked, " ") != want {
		t.Errorf("asked %q, want %q", asked, want)
	}
}

// TestAddFeedChecked: adding stores the feed found with its title; refusals add nothing; an
// address already watched is refused before it is fetched; without the check the address is
// added as given.
func TestAddFeedChecked(t *testing.T) {
	t.Parallel()
	srv, asked := newsroom(t)
	db := storetest.Open(t)
	ctx := context.Background()
	f := NewFetcher("Twinning/test")
	f.Pace, f.Timeout = 0, 5*time.Second

	fd, err := AddFeed(ctx, db, f, srv.URL+"/one", "en", true)
	if err != nil || fd.URL != srv.URL+"/sub/feed.xml" || fd.Title != "IRNA English" || fd.Lang != "en" {
		t.Fatalf("add a page with one feed: %+v %v", fd, err)
	}
	for _, u := range []string{srv.URL + "/two", srv.URL + "/gone", srv.URL + "/data.json"} {
		if _, err := AddFeed(ctx, db, f, u, "en", true); twin.ErrorCode(err) != twin.EINVALID {
			t.Errorf("%s added: %v", u, err)
		}
	}
	n := asked()
	if _, err := AddFeed(ctx, db, f, srv.URL+"/sub/feed.xml", "fa", true); twin.ErrorCode(err) != twin.ECONFLICT || asked() != n {
		t.Errorf("a feed already watched: %v, %d requests", err, asked()-n)
	}
	if _, err := AddFeed(ctx, db, f, "ftp://x/rss", "fa", true); twin.ErrorCode(err) != twin.EINVALID || asked() != n {
		t.Errorf("a bad address: %v", err)
	}
	fd, err = AddFeed(ctx, db, f, srv.URL+"/gone", "fa", false)
	if err != nil || fd.URL != srv.URL+"/gone" || fd.Title != "" || asked() != n {
		t.Errorf("added without the check: %+v %v", fd, err)
	}
	feeds, _ := db.Feeds(ctx)
	if len(feeds) != 2 {
		t.Errorf("%d feeds stored, want 2", len(feeds))
	}
}
