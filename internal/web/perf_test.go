package web

import (
	"context"
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// The Go runtime's profiles are for admins: an anonymous reader is asked to sign in, a user
// who is not an admin is refused, an admin's personal token and the provisioning token get them.
func TestPprofAdminOnly(t *testing.T) {
	t.Parallel()
	ts, db := newTestServer(t)
	ctx := context.Background()
	tokenOf := func(name, role string) string {
		u, err := db.CreateUser(ctx, &auth.User{Name: name, Role: role, Password: "not-a-real-hash"})
		if err != nil {
			t.Fatal(err)
		}
		tok := auth.NewToken()
		if _, err := db.CreateToken(ctx, u.ID, "profiling", auth.Digest(tok)); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	editor, admin := tokenOf("reviewer1", auth.RoleReviewer), tokenOf("admin1", auth.RoleAdmin)
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	runCalls(t, ts, []call{
		{name: "anonymous", method: "GET", path: "/debug/pprof/", noAuth: true, status: 401, absent: []string{"goroutine"}},
		{name: "anonymous heap", method: "GET", path: "/debug/pprof/heap", noAuth: true, status: 401},
		{name: "wrong token", method: "GET", path: "/debug/pprof/", headers: bearer("tw_wrong-token-0123456789012345678901234567"), noAuth: true, status: 401},
		{name: "not an admin", method: "GET", path: "/debug/pprof/", headers: bearer(editor), noAuth: true, status: 403, absent: []string{"goroutine"}},
		{name: "admin's token", method: "GET", path: "/debug/pprof/", headers: bearer(admin), noAuth: true, status: 200, contains: []string{"goroutine", "heap"}},
		{name: "provisioning token", method: "GET", path: "/debug/pprof/goroutine?debug=1", status: 200, contains: []string{"goroutine profile"}},
	})
}

// Answers kept for anonymous readers follow every write at once: a city page, its partners and
// the city as JSON show a new partner, a new name and a removed agreement on the next read, and
// a signed-in reader is never served an anonymous answer.
func TestCachedAnswersFollowWrites(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	city := func(fa, en, qid string) string {
		return `{"names":{"fa":"` + fa + `","en":"` + en + `"},"country":"IR","lat":32.6,"lon":51.6,"wikidata":"` + qid + `"}`
	}
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: city("اصفهان", "Isfahan", "Q42053"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("سمرقند", "Samarkand", "Q5753"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("کوالالامپور", "Kuala Lumpur", "Q1865"), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q42053","Q5753"],"status":"signed"}`, status: 201},
	})
	anon := func(name, path string, contains, absent []string) call {
		return call{name: name, method: "GET", path: path, noAuth: true, status: 200, contains: contains, absent: absent}
	}
	for range 2 { // the second read comes from the cache
		runCalls(t, ts, []call{
			anon("partners", "/api/v1/cities/Q42053/partners", []string{"Q5753"}, []string{"Q1865"}),
			anon("page", "/en/cities/Q42053", []string{"Samarkand"}, []string{"Kuala Lumpur"}),
			anon("city", "/api/v1/cities/Q42053", []string{`"en":"Isfahan"`}, nil),
		})
	}
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q42053","Q1865"],"status":"proposed"}`, status: 201},
		{method: "PATCH", path: "/api/v1/cities/Q42053", body: `{"names":{"en":"Esfahan"}}`, headers: map[string]string{"If-Match": `"1"`}, status: 200},
		{method: "DELETE", path: "/api/v1/agreements/1", headers: map[string]string{"If-Match": `"1"`}, status: 204},
	})
	runCalls(t, ts, []call{
		anon("partners after writes", "/api/v1/cities/Q42053/partners", []string{"Q1865"}, []string{"Q5753"}),
		anon("page after writes", "/en/cities/Q42053", []string{"Kuala Lumpur", "Esfahan"}, []string{"Samarkand"}),
		anon("city after writes", "/api/v1/cities/Q42053", []string{`"en":"Esfahan"`}, []string{`"en":"Isfahan"`}),
	})
}

// A write by another process (`twinning import` beside a SQLite server, another server on one
// PostgreSQL database) never calls this server's hooks: the kept answers notice it through
// the store's data version.
func TestCachedAnswersFollowOtherWriters(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	open := func() *store.DB {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	db, other := open(), open()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	in, err := intel.New(context.Background(), db, log)
	if err != nil {
		t.Fatal(err)
	}
	db.OnChange = in.Changed
	ts := httptest.NewServer(New(Options{DB: db, Log: log, AdminToken: testToken, Intel: in}).Handler())
	t.Cleanup(ts.Close)
	ctx := context.Background()
	if _, err := other.Cities.Create(ctx, &twin.City{Wikidata: "Q42053", Names: twin.Names{"en": "Isfahan"}, Country: "IR"}); err != nil {
		t.Fatal(err)
	}
	in.RecheckData() // the next read checks the data version, as it would within a second
	runCalls(t, ts, []call{{name: "before", method: "GET", path: "/api/v1/cities/Q42053", noAuth: true, status: 200, contains: []string{"Isfahan"}}})
	c, err := other.City(ctx, "Q42053")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Cities.Update(ctx, c.ID, c.Version, func(c *twin.City) error { c.Names["en"] = "Esfahan"; return nil }); err != nil {
		t.Fatal(err)
	}
	in.RecheckData()
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/cities/Q42053", noAuth: true})
	if !strings.Contains(body, "Esfahan") {
		t.Errorf("after another process renamed the city, the city is still %s", body)
	}
}

// chainCalls writes a chain of six cities, ChainA (Q1) to ChainF (Q6), each twinned with the next.
func chainCalls() []call {
	var setup []call
	for i := range 6 {
		setup = append(setup, call{method: "POST", path: "/api/v1/cities", status: 201,
			body: `{"names":{"en":"Chain` + string(rune('A'+i)) + `"},"country":"IR","wikidata":"Q` + string(rune('1'+i)) + `"}`})
	}
	for i := range 5 {
		setup = append(setup, call{method: "POST", path: "/api/v1/agreements", status: 201,
			body: `{"cities":["Q` + string(rune('1'+i)) + `","Q` + string(rune('2'+i)) + `"],"status":"signed"}`})
	}
	return setup
}

// An anonymous reader's neighbourhood export stops three steps from the city; a signed-in one
// goes as deep as asked, up to the API's bound (10); a depth beyond that is refused for both.
func TestExportDepthCappedForAnonymous(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	runCalls(t, ts, chainCalls())
	runCalls(t, ts, []call{
		{name: "anonymous, depth 10", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=10", noAuth: true, status: 200,
			contains: []string{"ChainA", "ChainD"}, absent: []string{"ChainE", "ChainF"}},
		{name: "signed in, depth 10", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=10", status: 200,
			contains: []string{"ChainA", "ChainD", "ChainF"}},
		{name: "anonymous, depth 1000000", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=1000000", noAuth: true, status: 400},
		{name: "signed in, depth 1000000", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=1000000", status: 400},
		{name: "anonymous, depth 2", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=2", noAuth: true, status: 200,
			contains: []string{"ChainC"}, absent: []string{"ChainD"}},
	})
}

// Suggestions are kept per version of the graph and the city facts, and follow both: a city
// moved (its facts updated alone, not every city's) changes the distance given as a reason,
// and a new agreement takes a suggested city off the list.
func TestSuggestionsFollowWrites(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	city := func(en, country, qid string, lat, lon string) string {
		return `{"names":{"en":"` + en + `"},"country":"` + country + `","lat":` + lat + `,"lon":` + lon + `,"wikidata":"` + qid + `"}`
	}
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: city("Isfahan", "IR", "Q42053", "32.65", "51.67"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("Samarkand", "UZ", "Q5753", "39.65", "66.96"), status: 201},
		{method: "POST", path: "/api/v1/cities", body: city("Xian", "CN", "Q5826", "34.26", "108.94"), status: 201},
		{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q42053","Q5826"],"status":"signed"}`, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q5753","Q5826"],"status":"signed"}`, status: 201},
	})
	distance := func() (string, bool) {
		_, body := do(t, ts, call{method: "GET", path: "/api/v1/cities/Q42053/suggestions", noAuth: true})
		var ans struct {
			Items []httpx.Suggestion `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &ans); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		for _, sg := range ans.Items {
			if sg.City.Wikidata == "Q5753" {
				for _, r := range sg.Reasons {
					if r.Code == "distance" {
						return r.Detail, true
					}
				}
				return "", true
			}
		}
		return "", false
	}
	before, ok := distance()
	if !ok || before == "" {
		t.Fatalf("Samarkand is not suggested to Isfahan with a distance (%q, %v)", before, ok)
	}
	runCalls(t, ts, []call{{method: "PATCH", path: "/api/v1/cities/Q5753", body: `{"lat":32.7,"lon":51.7}`, headers: map[string]string{"If-Match": `"1"`}, status: 200}})
	if after, _ := distance(); after == before || after == "" || len(after) > 2 {
		t.Errorf("after Samarkand moved next to Isfahan, the distance reason says %q km (before: %q km)", after, before)
	}
	runCalls(t, ts, []call{{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q42053","Q5753"],"status":"signed"}`, status: 201}})
	if _, ok := distance(); ok {
		t.Error("Samarkand, now Isfahan's partner, is still suggested to it")
	}
}

// Many readers asking at once for the same kept answers, while writes go on, all get a whole
// answer, and once the writes are over everyone reads the last one.
func TestCachedAnswersUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	ts := newIntelServer(t)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: `{"names":{"en":"Isfahan"},"country":"IR","wikidata":"Q42053"}`, status: 201},
		{method: "POST", path: "/api/v1/cities", body: `{"names":{"en":"Samarkand"},"country":"UZ","wikidata":"Q5753"}`, status: 201},
		{method: "POST", path: "/api/v1/agreements", body: `{"cities":["Q42053","Q5753"],"status":"signed"}`, status: 201},
	})
	done := make(chan struct{})
	errs := make(chan string, 100)
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			paths := []string{"/api/v1/cities/Q42053/partners", "/en/cities/Q42053", "/api/v1/cities/Q42053"}
			for j := range 15 {
				resp, body := do(t, ts, call{method: "GET", path: paths[(i+j)%3], noAuth: true})
				if resp.StatusCode != 200 || !strings.Contains(body, "Q42053") && !strings.Contains(body, "Samarkand") {
					errs <- resp.Status + " " + body
				}
			}
		}()
	}
	for v := 2; v <= 6; v++ {
		runCalls(t, ts, []call{{method: "PATCH", path: "/api/v1/cities/Q5753", body: `{"population":` + string(rune('0'+v)) + `000}`,
			headers: map[string]string{"If-Match": `"` + string(rune('0'+v-1)) + `"`}, status: 200}})
	}
	for range 8 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Errorf("a reader got %.300s", e)
	}
	_, body := do(t, ts, call{method: "GET", path: "/api/v1/cities/Q42053/partners", noAuth: true})
	if !strings.Contains(body, `"population":6000`) {
		t.Errorf("after the writes, the partners are %s", body)
	}
}

// An anonymous reader's neighbourhood export is refused beyond the server's bound on cities
// (before anything but the walk is read), with the bound in the answer; a signed-in reader's is
// not bounded.
func TestExportNeighbourhoodBoundedForAnonymous(t *testing.T) {
	t.Parallel()
	s := newIntelApp(t, storetest.Open(t))
	s.exportCities = 3
	ts := httptest.NewServer(specChecked(t, s))
	t.Cleanup(func() { ts.Close(); s.Close() })
	runCalls(t, ts, chainCalls())
	runCalls(t, ts, []call{
		{name: "anonymous, 3 cities", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=2", noAuth: true, status: 200,
			contains: []string{"ChainA", "ChainC"}, absent: []string{"ChainD"}},
		{name: "anonymous, 4 cities", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=3", noAuth: true, status: 400,
			contains: []string{`"depth"`, `export_too_large`, `3`}},
		{name: "anonymous, 5 cities", method: "GET", path: "/api/v1/export?format=csv&city=Q3&depth=2", noAuth: true, status: 400},
		{name: "signed in, 6 cities", method: "GET", path: "/api/v1/export?format=jsonl&city=Q1&depth=10", status: 200,
			contains: []string{"ChainA", "ChainF"}},
	})
}

// An anonymous reader's export of the whole registry is a snapshot: made once for everyone, the
// same file until it is made again (at most every snapshotEvery, when the data changed),
// dated by Last-Modified, and without private fields; a signed-in reader's export is the
// registry as it is. Snapshots are files the server removes when it closes.
func TestExportSnapshotForAnonymous(t *testing.T) {
	t.Parallel()
	s := newIntelApp(t, storetest.Open(t))
	ts := httptest.NewServer(specChecked(t, s))
	t.Cleanup(ts.Close)
	runCalls(t, ts, []call{
		{method: "POST", path: "/api/v1/cities", body: isfahan, status: 201},
		{method: "POST", path: "/api/v1/people", body: `{"names":{"en":"Ms Contact"},"contact":"secret@example.org"}`, status: 201},
	})
	anon := func(name, format string, contains, absent []string) call {
		return call{name: name, method: "GET", path: "/api/v1/export?format=" + format, noAuth: true, status: 200, contains: contains, absent: absent}
	}
	runCalls(t, ts, []call{
		anon("first", "jsonl", []string{"Isfahan", "Ms Contact"}, []string{"secret@example.org"}),
		anon("csv", "csv", []string{"city_a"}, nil),
		{method: "POST", path: "/api/v1/cities", body: samarkand, status: 201},
		anon("same snapshot after a write", "jsonl", []string{"Isfahan"}, []string{"Samarkand"}),
		{name: "signed in", method: "GET", path: "/api/v1/export?format=jsonl", status: 200, contains: []string{"Samarkand", "secret@example.org"}},
	})
	resp, _ := do(t, ts, call{method: "GET", path: "/api/v1/export?format=jsonl", noAuth: true})
	lm, err := http.ParseTime(resp.Header.Get("Last-Modified"))
	if err != nil || time.Since(lm) > time.Minute {
		t.Errorf("Last-Modified = %q", resp.Header.Get("Last-Modified"))
	}
	// Making a snapshot again once it is old, and removing the folder on Close, are tested
	// in internal/exchange (TestSnapshots).
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// A search query longer than the store's bound is refused on q, in the API and on the search
// page, which says why in the reader's language.
func TestSearchQueryTooLong(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	long := strings.Repeat("san ", 80)
	runCalls(t, ts, []call{
		{name: "API", method: "GET", path: "/api/v1/search?q=" + url.QueryEscape(long), noAuth: true, status: 400, contains: []string{`"q"`, `too_long`}},
		{name: "cities", method: "GET", path: "/api/v1/cities?q=" + url.QueryEscape(long), noAuth: true, status: 400, contains: []string{`too_long`}},
		{name: "page", method: "GET", path: "/en/search?q=" + url.QueryEscape(long), noAuth: true, status: 200, contains: []string{"Too long (at most 300 characters)"}},
		{name: "a query of the longest length", method: "GET", path: "/api/v1/search?q=" + url.QueryEscape(long[:300]), noAuth: true, status: 200},
	})
}

// The health check answers while a long write holds the writer (building the search indexes
// after a first start takes seconds): reads work, so the server is healthy.
func TestHealthWhileWriting(t *testing.T) {
	t.Parallel()
	ts, db := newTestServer(t)
	started, hold, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.Write(context.Background(), func(*store.Tx) error { close(started); <-hold; return nil })
	}()
	<-started
	runCalls(t, ts, []call{{name: "healthz", method: "GET", path: "/healthz", noAuth: true, status: 200, contains: []string{`"status":"ok"`}}})
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
