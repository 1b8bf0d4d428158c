package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// TestFeedsCommand: add, list, poll (printing what was found) and remove a feed from the
// command line.
func TestFeedsCommand(t *testing.T) {
	t.Parallel()
	story := "The proposal to twin Tabriz and Kazan was first made in 2019 by Rustam Minnikhanov, the President of Tatarstan. " +
		strings.Repeat("Our correspondent will publish more details of the day as they become known to the newsroom. ", 8)
	var mu sync.Mutex
	var agents []string
	var gone atomic.Bool // /gone answers 404 once set
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" && gone.Load() {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Test agency</title><link>/</link>
<item><title>Tabriz and Kazan</title><link>/tk</link><pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate><description>`+story+`</description></item>
<item><title>Weather</title><link>/w</link><description>`+strings.Repeat("Rain is expected on Monday, the weather office said. ", 40)+`</description></item></channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	dsn := filepath.Join(dir, "r.db")
	ctx := context.Background()
	cmd := func(args ...string) (string, string, error) {
		var out, errb bytes.Buffer
		e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
		err := run(ctx, append(args, "--db", dsn), e)
		return out.String(), errb.String(), err
	}
	if _, _, err := cmd("migrate"); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []twin.City{{Wikidata: "Q80053", Names: twin.Names{"en": "Tabriz", "fa": "تبریز"}, Country: "IR", Population: 1_500_000},
		{Wikidata: "Q900", Names: twin.Names{"en": "Kazan", "fa": "کازان"}, Country: "RU", Population: 1_200_000}} {
		if _, err := db.Cities.Create(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	if out, _, err := cmd("feeds", "add", srv.URL+"/rss", "--lang", "en"); err != nil || !strings.Contains(out, "feed 1: "+srv.URL+"/rss (en)") {
		t.Fatalf("feeds add: %q %v", out, err)
	}
	if _, _, err := cmd("feeds", "add", "ftp://x/rss"); err == nil || !strings.Contains(err.Error(), "url") {
		t.Errorf("a bad address was added: %v", err)
	}
	out, _, err := cmd("feeds", "poll")
	if err != nil || !strings.Contains(out, "2 items, 2 new") || !strings.Contains(out, "new_agreement 2024-05-03  Tabriz and Kazan  "+srv.URL+"/tk") ||
		!strings.Contains(out, "seen") {
		t.Errorf("feeds poll:\n%s%v", out, err)
	}
	mu.Lock()
	if len(agents) == 0 || !strings.HasPrefix(agents[0], "Twinning/") {
		t.Errorf("User-Agent %q", agents)
	}
	mu.Unlock()
	if out, _, _ := cmd("feeds", "poll"); !strings.Contains(out, "0 new, 2 read before") {
		t.Errorf("second poll:\n%s", out)
	}
	// A feed that cannot be read is said, and the exit status says so to a script. (Named by
	// another host name, so that the per-host pace does not make the poll wait between them.)
	goneURL := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/gone"
	if _, _, err := cmd("feeds", "add", goneURL, "--lang", "en"); err != nil {
		t.Fatal(err)
	}
	gone.Store(true)
	if out, _, err := cmd("feeds", "poll"); err == nil || !strings.Contains(err.Error(), "1 of 2 feeds could not be read") || !strings.Contains(out, goneURL+": failed") {
		t.Errorf("a poll with a failing feed: %q %v", out, err)
	}
	if _, _, err := cmd("feeds", "remove", goneURL); err != nil {
		t.Fatal(err)
	}
	if out, _, err := cmd("feeds", "list"); err != nil || !strings.Contains(out, "Test agency") || !strings.Contains(out, srv.URL+"/rss") {
		t.Errorf("feeds list:\n%s%v", out, err)
	}
	if out, _, err := cmd("feeds", "remove", srv.URL+"/rss"); err != nil || !strings.Contains(out, "feed 1 removed") {
		t.Errorf("feeds remove: %q %v", out, err)
	}
	if out, _, _ := cmd("feeds", "list"); strings.Contains(out, srv.URL) {
		t.Errorf("removed feed still listed:\n%s", out)
	}
	if _, _, err := cmd("serve", "--feed-interval", "10s"); err == nil || !strings.Contains(err.Error(), "feed-interval") {
		t.Errorf("serve with a 10 s feed interval: %v", err)
	}
}

// TestFeedsAddChecks: feeds add reads the address first: a page naming two feeds lists them
// to choose from, a missing page is refused with the reason, and --no-check adds it unread.
func TestFeedsAddChecks(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Agency</title>
<link rel="alternate" type="application/rss+xml" title="Top stories" href="/top.xml">
<link rel="alternate" type="application/atom+xml" title="World" href="world/atom"></head><body></body></html>`)
		case "/top.xml":
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Agency: top stories</title><link>/</link></channel></rss>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	dsn := filepath.Join(t.TempDir(), "r.db")
	cmd := func(args ...string) (string, error) {
		out, _, err := opsRun(context.Background(), nil, "", append(args, "--db", dsn)...)
		return out, err
	}
	migrated(t, dsn)
	out, err := cmd("feeds", "add", srv.URL+"/")
	if err == nil || !strings.Contains(err.Error(), "names 2 feeds: nothing added") ||
		!strings.Contains(out, "twinning feeds add "+srv.URL+"/top.xml    # Top stories") || !strings.Contains(out, "twinning feeds add "+srv.URL+"/world/atom    # World") {
		t.Errorf("a page with two feeds: %q %v", out, err)
	}
	if out, err := cmd("feeds", "add", srv.URL+"/top.xml"); err != nil || !strings.Contains(out, `feed 1: `+srv.URL+`/top.xml (fa) "Agency: top stories"`) {
		t.Errorf("the chosen feed: %q %v", out, err)
	}
	if _, err := cmd("feeds", "add", srv.URL+"/old.rss"); err == nil || !strings.Contains(err.Error(), "could not be read (HTTP 404 Not Found)") || !strings.Contains(err.Error(), "--no-check") {
		t.Errorf("a missing feed: %v", err)
	}
	if out, err := cmd("feeds", "add", srv.URL+"/old.rss", "--no-check"); err != nil || !strings.Contains(out, "feed 2: "+srv.URL+"/old.rss (fa); it is read") {
		t.Errorf("added without the check: %q %v", out, err)
	}
	if out, _ := cmd("feeds", "list"); strings.Count(out, srv.URL) != 2 {
		t.Errorf("feeds list:\n%s", out)
	}
}
