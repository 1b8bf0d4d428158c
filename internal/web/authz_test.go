package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

// The roles of the authorization matrix, each with its credential.
const (
	anonymous  = "anonymous"
	adminToken = "admin-token" // TWINNING_ADMIN_TOKEN
	adminUser  = "admin-user"  // an admin account's personal token
	cityIn     = "city-in"     // editor of the first city of the agreement under test
	cityOut    = "city-out"    // editor of an unrelated city
	instEd     = "institution" // editor of an institution of the first city
	reviewer   = "reviewer"    // moderator
	plain      = "plain-user"  // a signed-in citizen, through the session cookie and CSRF header
)

var matrixRoles = []string{anonymous, adminToken, adminUser, cityIn, cityOut, instEd, reviewer, plain}

const testPassword = "a long test password"

// authzFixture is a registry with three cities, two institutions, an agreement, one account per
// role and a server in front of it.
type authzFixture struct {
	t         *testing.T
	srv       *Server
	ts        *httptest.Server
	db        *store.DB
	ctx       context.Context
	a, b, c   *twin.City
	i1, i2    int64
	ab        int64
	users     map[string]*auth.User
	bearer    map[string]string // role → bearer token
	plainJar  *http.Client
	plainCSRF string
	seq       int
}

func newAuthzFixture(t *testing.T) *authzFixture {
	t.Helper()
	db := storetest.Open(t)
	srv := New(Options{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AdminToken: testToken})
	ts := httptest.NewServer(specChecked(t, srv))
	t.Cleanup(ts.Close)
	f := &authzFixture{t: t, srv: srv, ts: ts, db: db, ctx: twin.WithActor(context.Background(), "fixture"),
		users: map[string]*auth.User{}, bearer: map[string]string{adminToken: testToken}}
	f.a = f.city("Isfahan", "IR", "Q42053")
	f.b = f.city("Samarkand", "UZ", "Q5753")
	f.c = f.city("Porto", "PT", "Q36433")
	f.i1 = f.institution("University of Isfahan", f.a)
	f.i2 = f.institution("Samarkand State University", f.b)
	ag, err := db.Agreements.Create(f.ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Kind: "sister", Status: "signed"})
	if err != nil {
		t.Fatal(err)
	}
	f.ab = ag.ID
	f.user(adminUser, auth.RoleAdmin, nil, nil)
	f.user(cityIn, auth.RoleCityEditor, []int64{f.a.ID}, nil)
	f.user(cityOut, auth.RoleCityEditor, []int64{f.c.ID}, nil)
	f.user(instEd, auth.RoleInstEditor, nil, []int64{f.i1})
	f.user(reviewer, auth.RoleReviewer, nil, nil)
	f.user(plain, auth.RoleUser, nil, nil)
	for _, role := range []string{adminUser, cityIn, cityOut, instEd, reviewer} {
		secret := auth.NewToken()
		if _, err := db.CreateToken(f.ctx, f.users[role].ID, "matrix", auth.Digest(secret)); err != nil {
			t.Fatal(err)
		}
		f.bearer[role] = secret
	}
	f.plainJar, f.plainCSRF = f.signIn(plain, testPassword)
	return f
}

func (f *authzFixture) city(name, country, qid string) *twin.City {
	f.t.Helper()
	c, err := f.db.Cities.Create(f.ctx, &twin.City{Names: twin.Names{"en": name}, Country: country, Wikidata: qid})
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *authzFixture) institution(name string, c *twin.City) int64 {
	f.t.Helper()
	in, err := f.db.Institutions.Create(f.ctx, &twin.Institution{Names: twin.Names{"en": name}, Type: "university", City: c.Ref()})
	if err != nil {
		f.t.Fatal(err)
	}
	return in.ID
}

func (f *authzFixture) user(name, role string, cities, insts []int64) *auth.User {
	f.t.Helper()
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		f.t.Fatal(err)
	}
	u, err := f.db.CreateUser(f.ctx, &auth.User{Name: name, Role: role, Cities: cities, Institutions: insts, Password: h})
	if err != nil {
		f.t.Fatal(err)
	}
	f.users[name] = u
	return u
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// signIn signs in through the page and returns a client holding the session cookie, and the
// CSRF token its API writes must carry.
func (f *authzFixture) signIn(name, password string) (*http.Client, string) {
	f.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(f.ts.URL + "/en/signin")
	if err != nil {
		f.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfInput.FindStringSubmatch(string(b))
	if m == nil {
		f.t.Fatalf("no CSRF token on the sign-in page: %s", b)
	}
	resp, err = c.PostForm(f.ts.URL+"/en/signin", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}, "next": {"/en/about"}})
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/en/about" {
		f.t.Fatalf("signing in as %s: %d at %s", name, resp.StatusCode, resp.Request.URL)
	}
	resp, err = c.Get(f.ts.URL + "/api/v1/me")
	if err != nil {
		f.t.Fatal(err)
	}
	var me meAnswer
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if me.Name != name || me.CSRF == "" {
		f.t.Fatalf("/api/v1/me after signing in: %+v", me)
	}
	return c, me.CSRF
}

// call makes a request as role and returns the status and the body.
func (f *authzFixture) call(role, method, path, body string, hdr map[string]string) (int, string) {
	f.t.Helper()
	st, b, _ := f.callHeader(role, method, path, body, hdr)
	return st, b
}

// callHeader is call that also returns the answer's header.
func (f *authzFixture) callHeader(role, method, path, body string, hdr map[string]string) (int, string, http.Header) {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	c := http.DefaultClient
	switch role {
	case anonymous:
	case plain:
		c = f.plainJar
		req.Header.Set(csrfHeader, f.plainCSRF)
	default:
		req.Header.Set("Authorization", "Bearer "+f.bearer[role])
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// fresh creates a new record of kind in the first city's scope (the first institution's, for
// links and activities) and returns its id.
func (f *authzFixture) fresh(kind string) int64 {
	f.t.Helper()
	f.seq++
	n := strconv.Itoa(f.seq)
	var id int64
	var err error
	switch kind {
	case "city":
		var c *twin.City
		c, err = f.db.Cities.Create(f.ctx, &twin.City{Names: twin.Names{"en": "Town " + n}, Country: "IR"})
		if c != nil {
			id = c.ID
		}
	case "agreement":
		var a *twin.Agreement
		a, err = f.db.Agreements.Create(f.ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Kind: "friendship", Status: "proposed"})
		if a != nil {
			id = a.ID
		}
	case "institution":
		id = f.institution("Museum "+n, f.a)
	case "link":
		var l *twin.Link
		l, err = f.db.Links.Create(f.ctx, &twin.Link{Institutions: []int64{f.i1, f.i2}, Agreement: f.ab})
		if l != nil {
			id = l.ID
		}
	case "activity":
		var a *twin.Activity
		a, err = f.db.Activities.Create(f.ctx, &twin.Activity{Agreement: f.ab, Kind: "event", Title: twin.Names{"en": "Festival " + n}, Institutions: []int64{f.i1}})
		if a != nil {
			id = a.ID
		}
	case "person":
		var p *twin.Person
		p, err = f.db.People.Create(f.ctx, &twin.Person{Names: twin.Names{"en": "Mayor " + n}, Contact: "mayor" + n + "@example.org",
			Titles: []twin.Title{{Title: twin.Names{"en": "Mayor"}, City: "Q42053"}}})
		if p != nil {
			id = p.ID
		}
	case "network":
		var nw *twin.Network
		nw, err = f.db.Networks.Create(f.ctx, &twin.Network{Names: twin.Names{"en": "Network " + n}, Kind: "city_network", Members: []twin.Member{{City: "Q42053"}}})
		if nw != nil {
			id = nw.ID
		}
	case "proposal":
		var p *twin.Proposal
		p, err = f.db.Proposals.Create(f.ctx, &twin.Proposal{Title: twin.Names{"en": "Exchange " + n}, Cities: []string{"Q42053"}, Contact: "citizen" + n + "@example.org"})
		if p != nil {
			id = p.ID
		}
	case "document":
		var d twin.Document
		d, err = f.db.AddDocument(f.ctx, f.ab, twin.Document{Name: "mou " + n + ".pdf", Kind: "mou", Type: "application/pdf"}, []byte("%PDF-1.4 "+n))
		id = d.ID
	case "user":
		id = f.user("someone"+n, auth.RoleUser, nil, nil).ID
	case "token":
		var tok *auth.Token
		tok, err = f.db.CreateToken(f.ctx, f.users[plain].ID, "script "+n, auth.Digest(auth.NewToken()))
		if tok != nil {
			id = tok.ID
		}
	case "feed":
		var fd *store.Feed
		fd, err = f.db.AddFeed(f.ctx, "https://feeds.example/"+n+".xml", "fa")
		if fd != nil {
			id = fd.ID
		}
	case "article":
		a := &store.Article{URL: "https://news.example/" + n, ItemKey: "k" + n, Title: "News " + n, Lang: "en", Text: "Story " + n,
			TextHash: "h" + n, Signal: store.SignalNewAgreement}
		_, err = f.db.AddArticle(f.ctx, a)
		id = a.ID
	default:
		f.t.Fatalf("no fresh %s", kind)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// version returns a record's current version, deleted or not; for accounts and tokens, a
// fingerprint of their state.
func (f *authzFixture) version(kind string, id int64) string {
	if tb, ok := f.tables()[twin.Kind(kind)]; ok {
		return fmt.Sprint(tb.Version(f.ctx, id))
	}
	switch kind {
	case "user":
		u, err := f.db.User(f.ctx, id)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprintf("%s %v %v %s", u.Role, u.Disabled, u.Updated, u.Password)
	case "document":
		_, _, _, err := f.db.Document(f.ctx, id)
		return fmt.Sprint(err)
	case "token":
		tok, err := f.db.Token(f.ctx, id)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprint(tok.Revoked)
	case "feed":
		fd, err := f.db.FeedByRef(f.ctx, fmt.Sprint(id))
		if err != nil {
			return err.Error()
		}
		return fd.URL
	case "article":
		a, err := f.db.Article(f.ctx, id)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprint(a.Dismissed)
	}
	return ""
}

// snapshot sums up the registry: live records per table, accounts, tokens, vocabulary and the
// newest audit entry. Any write a request makes changes it.
func (f *authzFixture) snapshot() string {
	f.t.Helper()
	var b strings.Builder
	for _, k := range twin.Kinds {
		n, err := f.db.Count(f.ctx, k)
		if err != nil {
			f.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d ", k.Plural(), n)
	}
	us, _ := f.db.Users(f.ctx)
	ts, _ := f.db.Tokens(f.ctx, 0)
	revoked := 0
	for _, t := range ts {
		if !t.Revoked.IsZero() {
			revoked++
		}
	}
	ds, _ := f.db.Domains(f.ctx)
	cs, _, _ := f.db.Changes(f.ctx, store.ChangeFilter{Limit: 1})
	fs, _ := f.db.Feeds(f.ctx)
	all, open, _ := f.db.CountArticles(f.ctx)
	fmt.Fprintf(&b, "users=%d tokens=%d/%d domains=%d feeds=%d articles=%d/%d", len(us), len(ts), revoked, len(ds), len(fs), all, open)
	for _, c := range cs {
		fmt.Fprintf(&b, " last=%s/%d v%d %s by %s at %s", c.Kind, c.ID, c.Version, c.Action, c.Actor, c.At.Format(time.RFC3339Nano))
	}
	return b.String()
}

// writeCase says how to exercise one write route and who may.
type writeCase struct {
	allowed []string
	// target is the kind of record {id} names ("" for collection routes); fixed, when set,
	// names the record instead of a fresh one.
	target string
	fixed  func(f *authzFixture) int64
	// deleted makes the target deleted first (restore routes).
	deleted bool
	body    func(f *authzFixture, role string) string
	ifMatch bool
}

var admins = []string{adminToken, adminUser}

func with(roles ...string) []string { return append(slices.Clone(admins), roles...) }

var everyoneSignedIn = []string{adminToken, adminUser, cityIn, cityOut, instEd, reviewer, plain}

func constBody(s string) func(*authzFixture, string) string {
	return func(*authzFixture, string) string { return s }
}

// writeCases declares the expected answer of every write route. A write route missing here
// fails TestAuthorizationMatrix, so no new route escapes it.
func writeCases() map[string]writeCase {
	cs := map[string]writeCase{}
	type res struct {
		coll, kind   string
		create, edit func(*authzFixture, string) string
		creators     []string
		editors      []string
		deleters     []string
		editFixed    func(f *authzFixture) int64
	}
	resources := []res{
		{coll: "cities", kind: "city",
			create: func(f *authzFixture, role string) string {
				return `{"names":{"en":"New ` + role + `"},"country":"IR"}`
			},
			edit:     constBody(`{"population":1000}`),
			creators: with(cityIn, cityOut), editors: with(cityIn), deleters: admins,
			editFixed: func(f *authzFixture) int64 { return f.a.ID }},
		{coll: "agreements", kind: "agreement",
			create:   constBody(`{"cities":["Q42053","Q5753"],"kind":"cooperation","status":"proposed"}`),
			edit:     constBody(`{"notes":{"en":"a note"}}`),
			creators: with(cityIn), editors: with(cityIn), deleters: with(cityIn)},
		{coll: "institutions", kind: "institution",
			create:   constBody(`{"names":{"en":"Chamber of Commerce"},"type":"chamber_of_commerce","city":"Q42053"}`),
			edit:     constBody(`{"website":"https://example.org/"}`),
			creators: with(cityIn), editors: with(cityIn, instEd), deleters: with(cityIn),
			editFixed: func(f *authzFixture) int64 { return f.i1 }},
		{coll: "links", kind: "link",
			create: func(f *authzFixture, role string) string {
				return fmt.Sprintf(`{"institutions":[%d,%d],"agreement":%d,"domains":["education"]}`, f.i1, f.i2, f.ab)
			},
			edit:     constBody(`{"status":"inactive"}`),
			creators: with(cityIn, instEd), editors: with(cityIn, instEd), deleters: with(cityIn, instEd)},
		{coll: "activities", kind: "activity",
			create: func(f *authzFixture, role string) string {
				return fmt.Sprintf(`{"agreement":%d,"kind":"visit","title":{"en":"A visit"},"institutions":[%d]}`, f.ab, f.i1)
			},
			edit:     constBody(`{"description":{"en":"It went well."}}`),
			creators: with(cityIn, instEd), editors: with(cityIn, instEd), deleters: with(cityIn, instEd)},
		{coll: "people", kind: "person",
			create:   constBody(`{"names":{"en":"A Deputy"},"titles":[{"title":{"en":"Deputy mayor"},"city":"Q42053"}]}`),
			edit:     constBody(`{"aliases":["Deputy"]}`),
			creators: with(cityIn), editors: with(cityIn), deleters: with(cityIn)},
		{coll: "networks", kind: "network",
			create:   constBody(`{"names":{"en":"Silk Road Cities"},"kind":"city_network","members":[{"city":"Q42053"}]}`),
			edit:     constBody(`{"website":"https://example.org/"}`),
			creators: admins, editors: admins, deleters: admins},
		{coll: "proposals", kind: "proposal",
			// Anyone, signed in or not, proposes: POST /api/v1/proposals is an open route
			// (TestProposeAnonymously), not a write route.
			edit:    constBody(`{"body":{"en":"More detail."}}`),
			editors: with(reviewer), deleters: with(reviewer)},
	}
	for _, r := range resources {
		base := "/api/v1/" + r.coll
		if r.creators != nil {
			cs["POST "+base] = writeCase{allowed: r.creators, body: r.create}
		}
		cs["PATCH "+base+"/{id}"] = writeCase{allowed: r.editors, target: r.kind, fixed: r.editFixed, body: r.edit, ifMatch: true}
		cs["DELETE "+base+"/{id}"] = writeCase{allowed: r.deleters, target: r.kind, ifMatch: true}
		cs["POST "+base+"/{id}/restore"] = writeCase{allowed: admins, target: r.kind, deleted: true}
	}
	cs["POST /api/v1/activities/{id}/confirm"] = writeCase{allowed: with(cityIn), target: "activity", body: constBody(`{"city":"Q42053"}`)}
	cs["POST /api/v1/proposals/{id}/status"] = writeCase{allowed: with(reviewer), target: "proposal", body: constBody(`{"status":"published"}`)}
	cs["POST /api/v1/agreements/{id}/documents"] = writeCase{allowed: with(cityIn), target: "agreement",
		body: constBody(`{"name":"mou.pdf","kind":"mou","lang":"fa","data":"JVBERi0xLjQgdGhlIG1lbW9yYW5kdW0K"}`)}
	cs["DELETE /api/v1/documents/{id}"] = writeCase{allowed: with(cityIn), target: "document"}
	cs["POST /api/v1/me/password"] = writeCase{allowed: []string{adminUser, cityIn, cityOut, instEd, reviewer, plain},
		body: constBody(`{"current":"` + testPassword + `","new":"` + testPassword + `"}`)}
	cs["POST /api/v1/domains"] = writeCase{allowed: admins, body: func(f *authzFixture, role string) string {
		return `{"code":"d_` + strings.ReplaceAll(role, "-", "_") + `","names":{"en":"A domain"}}`
	}}
	cs["POST /api/v1/users"] = writeCase{allowed: admins, body: func(f *authzFixture, role string) string {
		return `{"name":"new-` + role + `","role":"user","password":"` + testPassword + `"}`
	}}
	cs["PATCH /api/v1/users/{id}"] = writeCase{allowed: admins, target: "user", ifMatch: true, body: constBody(`{"role":"reviewer"}`)}
	cs["POST /api/v1/users/{id}/password"] = writeCase{allowed: admins, target: "user", body: constBody(`{"password":"another long password"}`)}
	cs["POST /api/v1/tokens"] = writeCase{allowed: everyoneSignedIn, body: func(f *authzFixture, role string) string {
		if role == adminToken {
			return `{"name":"for a script","user":"` + plain + `"}`
		}
		return `{"name":"for a script"}`
	}}
	cs["DELETE /api/v1/tokens/{id}"] = writeCase{allowed: with(plain), target: "token"}
	cs["POST /api/v1/feeds"] = writeCase{allowed: admins, body: func(f *authzFixture, role string) string {
		return `{"url":"https://agency.example/` + role + `.rss","lang":"en"}`
	}}
	cs["DELETE /api/v1/feeds/{id}"] = writeCase{allowed: admins, target: "feed"}
	cs["POST /api/v1/inbox/{id}/dismiss"] = writeCase{allowed: with(reviewer), target: "article"}
	cs["POST /api/v1/extract/accept"] = writeCase{allowed: with(reviewer), body: func(f *authzFixture, role string) string {
		return `{"text":"شهرداران اصفهان و سمرقند تفاهم‌نامه خواهرخواندگی دو شهر را امضا کردند.","url":"https://example.org/news/` + role + `","accept":[{"ref":"agreement:0"}]}`
	}}
	return cs
}

// TestAuthorizationMatrix runs every write route of the route table as every role: allowed
// roles get a 2xx; anonymous requests 401 and wrong roles 403, and those leave the registry
// exactly as it was.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	cases := writeCases()
	seen := map[string]bool{}
	for _, rt := range f.srv.routes {
		if !rt.write {
			continue
		}
		key := rt.method + " " + rt.pattern
		seen[key] = true
		wc, ok := cases[key]
		if !ok {
			t.Errorf("%s is a write route the authorization matrix does not cover: add it to writeCases", key)
			continue
		}
		for _, role := range matrixRoles {
			t.Run(key+" as "+role, func(t *testing.T) {
				f.t = t
				f.check(t, key, rt, wc, role)
			})
		}
	}
	for key := range cases {
		if !seen[key] {
			t.Errorf("writeCases names %s, which is not a write route", key)
		}
	}
}

func (f *authzFixture) check(t *testing.T, key string, rt route, wc writeCase, role string) {
	path := rt.pattern
	var id int64
	if wc.target != "" {
		if wc.fixed != nil {
			id = wc.fixed(f)
		} else {
			id = f.fresh(wc.target)
		}
		if wc.deleted {
			f.deleteRecord(wc.target, id)
		}
		path = strings.Replace(path, "{id}", strconv.FormatInt(id, 10), 1)
	}
	body := ""
	if wc.body != nil {
		body = wc.body(f, role)
	}
	hdr := map[string]string{}
	if wc.ifMatch {
		hdr["If-Match"] = `"` + f.version(wc.target, id) + `"`
		if wc.target == "user" {
			u, _ := f.db.User(f.ctx, id)
			hdr["If-Match"] = etag(u.Version)
		}
	}
	before, beforeVersion := f.snapshot(), f.version(wc.target, id)
	status, answer := f.call(role, rt.method, path, body, hdr)
	allowed := slices.Contains(wc.allowed, role)
	switch {
	case allowed && (status < 200 || status > 299):
		t.Errorf("%s as %s = %d, want 2xx: %s", key, role, status, answer)
	case !allowed:
		want := http.StatusForbidden
		if role == anonymous {
			want = http.StatusUnauthorized
		}
		if status != want {
			t.Errorf("%s as %s = %d, want %d: %s", key, role, status, want, answer)
		}
		if after := f.snapshot(); after != before {
			t.Errorf("%s as %s changed the registry:\n before %s\n after  %s", key, role, before, after)
		}
		if v := f.version(wc.target, id); v != beforeVersion {
			t.Errorf("%s as %s changed the record: version %s → %s", key, role, beforeVersion, v)
		}
	case allowed && rt.method != "DELETE" && wc.target != "user" && wc.target != "token" && !strings.HasPrefix(key, "POST /api/v1/users") && !strings.HasPrefix(key, "POST /api/v1/tokens"):
		// The audit log names the author.
		cs, _, _ := f.db.Changes(f.ctx, store.ChangeFilter{Limit: 1})
		name := role
		if len(cs) == 1 && cs[0].Actor != name && !(role == adminToken && cs[0].Actor == "admin-token") && !strings.HasPrefix(key, "POST /api/v1/domains") {
			t.Errorf("%s as %s: the audit log names %q", key, role, cs[0].Actor)
		}
	}
}

func (f *authzFixture) deleteRecord(kind string, id int64) {
	f.t.Helper()
	if tb, ok := f.tables()[twin.Kind(kind)]; ok {
		if err := tb.Delete(f.ctx, id, 0); err != nil {
			f.t.Fatal(err)
		}
	}
}

// recordTable is what the fixture asks of every kind's table.
type recordTable interface {
	Version(ctx context.Context, id int64) int64
	Delete(ctx context.Context, id, version int64) error
}

// tables are the store's tables by kind.
func (f *authzFixture) tables() map[twin.Kind]recordTable {
	db := f.db
	return map[twin.Kind]recordTable{
		twin.KindCity: db.Cities, twin.KindAgreement: db.Agreements, twin.KindInstitution: db.Institutions,
		twin.KindLink: db.Links, twin.KindActivity: db.Activities, twin.KindPerson: db.People,
		twin.KindNetwork: db.Networks, twin.KindProposal: db.Proposals,
	}
}

// TestPrivateFields checks who reads a person's and a proposal's contact: admins and editors in
// scope (reviewers, for proposals), never anonymous readers, citizens or editors elsewhere —
// in the record, in lists and in the history.
func TestPrivateFields(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	person, proposal := f.fresh("person"), f.fresh("proposal")
	// Only a published proposal is everyone's to read (TestProposalVisibility).
	if _, err := f.db.ModerateProposal(f.ctx, proposal, 0, "published", ""); err != nil {
		t.Fatal(err)
	}
	sees := map[string]map[string]bool{
		"people":    {adminToken: true, adminUser: true, cityIn: true},
		"proposals": {adminToken: true, adminUser: true, cityIn: true, reviewer: true},
	}
	for coll, id := range map[string]int64{"people": person, "proposals": proposal} {
		for _, role := range matrixRoles {
			for _, path := range []string{
				fmt.Sprintf("/api/v1/%s/%d", coll, id),
				fmt.Sprintf("/api/v1/%s?limit=100", coll),
				fmt.Sprintf("/api/v1/%s/%d/history", coll, id),
			} {
				status, body := f.call(role, "GET", path, "", nil)
				if status != 200 {
					t.Fatalf("%s as %s = %d: %s", path, role, status, body)
				}
				if got := strings.Contains(body, "@example.org"); got != sees[coll][role] {
					t.Errorf("%s as %s: contact shown = %v, want %v", path, role, got, sees[coll][role])
				}
			}
		}
	}
	status, body := f.call(anonymous, "GET", "/api/v1/changes?kind=person", "", nil)
	if status != 200 || strings.Contains(body, "@example.org") {
		t.Errorf("the audit log shows contacts to anonymous readers: %d %s", status, body)
	}
	if status, _ := f.call(cityIn, "GET", "/api/v1/changes?kind=user", "", nil); status != http.StatusForbidden {
		t.Errorf("account changes to an editor: %d", status)
	}
}

// TestTwoEditorsConflict: two editors of the same agreement read it; the first saves, the
// second's save is refused with 412 and changes nothing; the audit log names the first.
func TestTwoEditorsConflict(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	other := f.user("editor-b", auth.RoleCityEditor, []int64{f.b.ID}, nil)
	secret := auth.NewToken()
	if _, err := f.db.CreateToken(f.ctx, other.ID, "b", auth.Digest(secret)); err != nil {
		t.Fatal(err)
	}
	f.bearer["editor-b"] = secret
	path := fmt.Sprintf("/api/v1/agreements/%d", f.ab)
	for _, role := range []string{cityIn, "editor-b"} {
		if status, _ := f.call(role, "GET", path, "", nil); status != 200 {
			t.Fatal(status)
		}
	}
	if status, body := f.call(cityIn, "PATCH", path, `{"notes":{"en":"first"}}`, map[string]string{"If-Match": `"1"`}); status != 200 {
		t.Fatalf("the first save: %d %s", status, body)
	}
	before := f.snapshot()
	req, _ := http.NewRequest("PATCH", f.ts.URL+path, strings.NewReader(`{"notes":{"en":"second"}}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("If-Match", `"1"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusPreconditionFailed || resp.Header.Get("ETag") != `"2"` {
		t.Errorf("the second save: %d, ETag %s; want 412 with the current version", resp.StatusCode, resp.Header.Get("ETag"))
	}
	if f.snapshot() != before {
		t.Error("the stale save changed the registry")
	}
	if status, _ := f.call("editor-b", "PATCH", path, `{"notes":{"en":"second"}}`, nil); status != http.StatusPreconditionRequired {
		t.Errorf("a PATCH without If-Match: %d, want 428", status)
	}
	a, _ := f.db.Agreements.Get(f.ctx, f.ab)
	if a.Notes["en"] != "first" {
		t.Errorf("notes = %q", a.Notes["en"])
	}
	// What the loser needs to see: the change since version 1, by whom, each field before and after.
	c, err := f.db.Agreements.Conflict(f.ctx, f.ab, 1)
	if err != nil || c.Current.Version != 2 || len(c.Since) != 1 || c.Since[0].Actor != cityIn {
		t.Fatalf("conflict: %+v %v", c, err)
	}
	// (Who made a change is shown to staff, the other editor included: TestAuditActorsForStaff.)
	_, body := f.call("editor-b", "GET", fmt.Sprintf("/api/v1/changes?kind=agreement&id=%d", f.ab), "", nil)
	if !strings.Contains(body, `"actor":"city-in"`) || !strings.Contains(body, `"notes":{"after":{"en":"first"}}`) {
		t.Errorf("the audit log: %s", body)
	}
}

// TestCookieWritesNeedCSRF: an API write with the session cookie and no X-CSRF-Token is
// refused and changes nothing; a form post without its token too.
func TestCookieWritesNeedCSRF(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	before := f.snapshot()
	req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/proposals", strings.NewReader(`{"title":{"en":"x"},"cities":["Q42053"]}`))
	resp, err := f.plainJar.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cookie write without the CSRF header: %d", resp.StatusCode)
	}
	resp, err = f.plainJar.PostForm(f.ts.URL+"/en/signout", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form without its CSRF token: %d", resp.StatusCode)
	}
	if f.snapshot() != before {
		t.Error("a forged request changed the registry")
	}
	// The session still works, then ends on sign-out.
	if status, _ := f.call(plain, "GET", "/api/v1/me", "", nil); status != 200 {
		t.Errorf("me: %d", status)
	}
}

// TestSignInLockout: five wrong passwords lock the account for 15 minutes, whatever comes next;
// the lock is in the database and runs out.
func TestSignInLockout(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	try := func(pw string) int {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		resp, _ := c.Get(f.ts.URL + "/fa/signin")
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := csrfInput.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatal("no CSRF token")
		}
		resp, err := c.PostForm(f.ts.URL+"/fa/signin", url.Values{"csrf": {m[1]}, "name": {reviewer}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := 0; i < auth.MaxFailures; i++ {
		if s := try("wrong password"); s != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, s)
		}
	}
	if s := try(testPassword); s != http.StatusUnauthorized {
		t.Errorf("the right password on a locked account: %d", s)
	}
	u, _ := f.db.UserByName(f.ctx, reviewer)
	if !u.LockedUntil.After(f.db.Now()) {
		t.Fatal("the account is not locked in the database")
	}
	now := f.db.Now
	f.db.Now = func() time.Time { return now().Add(auth.LockFor + time.Minute) }
	defer func() { f.db.Now = now }()
	if s := try(testPassword); s != http.StatusOK {
		t.Errorf("the right password after the lock ran out: %d", s)
	}
}

// TestTokens: a token is shown once, works as a bearer credential, is stored only as a digest,
// and stops working when revoked or when its user is disabled.
func TestTokens(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	status, body := f.call(cityIn, "POST", "/api/v1/tokens", `{"name":"import script"}`, nil)
	var tok tokenAnswer
	if status != 201 || json.Unmarshal([]byte(body), &tok) != nil || !strings.HasPrefix(tok.Secret, "tw_") {
		t.Fatalf("create: %d %s", status, body)
	}
	f.bearer["script"] = tok.Secret
	if status, body := f.call("script", "GET", "/api/v1/me", "", nil); status != 200 || !strings.Contains(body, `"name":"city-in"`) {
		t.Errorf("me with the new token: %d %s", status, body)
	}
	if _, body := f.call(cityIn, "GET", "/api/v1/tokens", "", nil); strings.Contains(body, tok.Secret) || strings.Contains(body, auth.Digest(tok.Secret)) {
		t.Error("the token list shows the token")
	}
	if status, _ := f.call(cityIn, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), "", nil); status != 204 {
		t.Errorf("revoke: %d", status)
	}
	if status, _ := f.call("script", "GET", "/api/v1/me", "", nil); status != 401 {
		t.Errorf("a revoked token: %d", status)
	}
	if _, err := f.db.UpdateUser(f.ctx, f.users[instEd].ID, func(u *auth.User) error { u.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if status, _ := f.call(instEd, "POST", "/api/v1/proposals", `{"title":{"en":"x"},"cities":["Q42053"]}`, nil); status != 401 {
		t.Errorf("a disabled user's token: %d", status)
	}
}

// TestProposalsAndConfirmations: a citizen's proposal starts as submitted, and fields the
// server owns are refused by name; each city's editor confirms an activity once, confirmations cannot be typed in a PATCH, and
// both sides show in the activity.
func TestProposalsAndConfirmations(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	for _, owned := range []string{`"status":"accepted"`, `"supporters":1000`, `"history":[]`, `"reason":"x"`, `"id":7`} {
		if status, body := f.call(plain, "POST", "/api/v1/proposals", `{"title":{"en":"x"},"cities":["Q42053"],`+owned+`}`, nil); status != 400 || !strings.Contains(body, "unknown_field") {
			t.Errorf("a proposal saying %s: %d %s", owned, status, body)
		}
	}
	_, body := f.call(plain, "POST", "/api/v1/proposals", `{"title":{"en":"x"},"cities":["Q42053"]}`, nil)
	if !strings.Contains(body, `"status":"submitted"`) || !strings.Contains(body, `"supporters":0`) {
		t.Errorf("a citizen's proposal: %s", body)
	}
	editorB := f.user("editor-b", auth.RoleCityEditor, []int64{f.b.ID}, nil)
	secret := auth.NewToken()
	f.db.CreateToken(f.ctx, editorB.ID, "b", auth.Digest(secret))
	f.bearer["editor-b"] = secret
	act := f.fresh("activity")
	path := fmt.Sprintf("/api/v1/activities/%d", act)
	forged := `{"confirmations":[{"city":"Q5753","user":"editor-b","at":"2024-01-01T00:00:00Z"}]}`
	// Confirmations are the server's: typing one is refused and changes nothing.
	if status, body := f.call(cityIn, "PATCH", path, forged, map[string]string{"If-Match": `"1"`}); status != 400 || !strings.Contains(body, `"confirmations":{"key":"read_only"}`) {
		t.Errorf("a PATCH typing a confirmation: %d %s", status, body)
	}
	if v := f.version("activity", act); v != "1" {
		t.Errorf("the refused PATCH moved the activity to version %s", v)
	}
	for _, role := range []string{cityIn, "editor-b", "editor-b"} {
		if status, body := f.call(role, "POST", path+"/confirm", "", nil); status != 200 {
			t.Fatalf("confirm as %s: %d %s", role, status, body)
		}
	}
	a, _ := f.db.Activities.Get(f.ctx, act)
	if len(a.Confirmations) != 2 || a.Confirmations[0].City != "Q42053" || a.Confirmations[1].City != "Q5753" || a.Confirmations[1].User != "editor-b" {
		t.Errorf("confirmations: %+v", a.Confirmations)
	}
	if _, body := f.call(anonymous, "GET", path, "", nil); !strings.Contains(body, `"city":"Q42053"`) || !strings.Contains(body, `"city":"Q5753"`) {
		t.Errorf("the activity does not show both confirmations: %s", body)
	}
	if status, _ := f.call(cityIn, "POST", path+"/confirm", `{"city":"Q5753"}`, nil); status != http.StatusForbidden {
		t.Errorf("confirming for the partner city: %d", status)
	}
}

// TestSecurityHeaders checks the headers of a page, behind TLS and not.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	req, _ := http.NewRequest("GET", f.ts.URL+"/en/signin", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := resp.Header
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Permissions-Policy": "camera=()"} {
		if !strings.Contains(h.Get(name), want) {
			t.Errorf("%s = %q", name, h.Get(name))
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	if h.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
	// A client's own X-Forwarded-Proto is not believed: only a trusted proxy's is.
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS because an untrusted client said https")
	}
	behind := httptest.NewServer(New(Options{DB: f.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AdminToken: testToken,
		TrustProxy: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}).Handler())
	defer behind.Close()
	req, _ = http.NewRequest("GET", behind.URL+"/en/signin", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS behind a TLS proxy")
	}
	for _, c := range resp.Cookies() {
		if !c.HttpOnly || !c.Secure {
			t.Errorf("cookie %s behind TLS: HttpOnly %v Secure %v", c.Name, c.HttpOnly, c.Secure)
		}
	}
	big := strings.Repeat("x", maxFormBody+1)
	resp, err = http.Post(f.ts.URL+"/en/signin", "application/x-www-form-urlencoded", strings.NewReader("name="+big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized form: %d", resp.StatusCode)
	}
}

// crossRefs adds a second partnership far from the fixture's (Paris–Rome, with an institution
// in each city and a link between them), Porto–Samarkand, and a network of Isfahan alone.
type crossRefs struct {
	paris, rome *twin.City
	ip, ir      int64 // institutions in Paris and Rome
	pr, cb      int64 // agreements Paris–Rome, Porto–Samarkand
	lpr, nw     int64 // the Paris–Rome link, the network
}

func (f *authzFixture) crossRefs() *crossRefs {
	f.t.Helper()
	x := &crossRefs{paris: f.city("Paris", "FR", "Q90"), rome: f.city("Rome", "IT", "Q220")}
	x.ip, x.ir = f.institution("Louvre", x.paris), f.institution("Sapienza", x.rome)
	for _, p := range []struct {
		id     *int64
		cities []string
	}{{&x.pr, []string{"Q90", "Q220"}}, {&x.cb, []string{"Q36433", "Q5753"}}} {
		a, err := f.db.Agreements.Create(f.ctx, &twin.Agreement{Cities: p.cities, Kind: "sister", Status: "signed"})
		if err != nil {
			f.t.Fatal(err)
		}
		*p.id = a.ID
	}
	l, err := f.db.Links.Create(f.ctx, &twin.Link{Institutions: []int64{x.ip, x.ir}, Agreement: x.pr})
	if err != nil {
		f.t.Fatal(err)
	}
	x.lpr = l.ID
	nw, err := f.db.Networks.Create(f.ctx, &twin.Network{Names: twin.Names{"en": "Isfahan's network"}, Kind: "city_network", Members: []twin.Member{{City: "Q42053"}}})
	if err != nil {
		f.t.Fatal(err)
	}
	x.nw = nw.ID
	return x
}

// crossCase is a write whose references do not agree with each other, or reach beyond the
// writer's scope. want gives each role's status; roles left out get 401 (anonymous) or 403.
type crossCase struct {
	name, method, path string
	target             func(f *authzFixture, x *crossRefs) int64 // the {id} of a PATCH, fresh per role
	body               func(f *authzFixture, x *crossRefs) string
	want               map[string]int
	key                string // the field error key a 400 carries
}

// statuses spells out a cross case's answers: bad roles get 400 (inconsistent references),
// ok roles 2xx.
func statuses(bad, ok []string) map[string]int {
	m := map[string]int{}
	for _, r := range bad {
		m[r] = http.StatusBadRequest
	}
	for _, r := range ok {
		m[r] = http.StatusOK
	}
	return m
}

func crossCases() []crossCase {
	activity := func(extra string) func(f *authzFixture, x *crossRefs) string {
		return func(f *authzFixture, x *crossRefs) string {
			return `{"kind":"visit","title":{"en":"A visit"},` + extra + `}`
		}
	}
	// An activity under Isfahan–Samarkand naming the Isfahan institution, and a link between
	// the two cities' institutions, made afresh for each role.
	freshActivity := func(f *authzFixture, x *crossRefs) int64 { return f.fresh("activity") }
	freshLink := func(f *authzFixture, x *crossRefs) int64 { return f.fresh("link") }
	return []crossCase{
		{name: "activity on Isfahan–Samarkand with a Paris–Rome link", method: "POST", path: "/api/v1/activities",
			body: func(f *authzFixture, x *crossRefs) string {
				return activity(fmt.Sprintf(`"agreement":%d,"link":%d`, f.ab, x.lpr))(f, x)
			},
			want: statuses(with(cityIn), nil), key: "link_agreement"},
		{name: "link of Paris and Rome institutions under Isfahan–Samarkand", method: "POST", path: "/api/v1/links",
			body: func(f *authzFixture, x *crossRefs) string {
				return fmt.Sprintf(`{"institutions":[%d,%d],"agreement":%d}`, x.ip, x.ir, f.ab)
			},
			want: statuses(with(cityIn), nil), key: "outside_partnership"},
		{name: "link of two Isfahan-side institutions under Isfahan–Samarkand", method: "POST", path: "/api/v1/links",
			body: func(f *authzFixture, x *crossRefs) string {
				return fmt.Sprintf(`{"institutions":[%d,%d],"agreement":%d}`, f.i1, f.institution("Isfahan Museum", f.a), f.ab)
			},
			want: statuses(with(cityIn, instEd), nil), key: "two_sides"},
		{name: "link of Paris and Rome institutions, no agreement", method: "POST", path: "/api/v1/links",
			body: func(f *authzFixture, x *crossRefs) string {
				return fmt.Sprintf(`{"institutions":[%d,%d]}`, x.ip, x.ir)
			},
			want: map[string]int{adminToken: 201, adminUser: 201}},
		{name: "activity on Porto–Samarkand naming an Isfahan institution", method: "POST", path: "/api/v1/activities",
			body: func(f *authzFixture, x *crossRefs) string {
				return activity(fmt.Sprintf(`"agreement":%d,"institutions":[%d]`, x.cb, f.i1))(f, x)
			},
			// Naming its institution gives the institution editor no reach into Porto–Samarkand,
			// nor does it give Isfahan's editor any.
			want: statuses(with(cityOut, instEd), nil), key: "outside_partnership"},
		{name: "activity on Isfahan–Samarkand naming no institution", method: "POST", path: "/api/v1/activities",
			body: func(f *authzFixture, x *crossRefs) string {
				return activity(fmt.Sprintf(`"agreement":%d`, f.ab))(f, x)
			},
			want: map[string]int{adminToken: 201, adminUser: 201, cityIn: 201}},
		{name: "activity on a Paris–Rome link naming an Isfahan institution", method: "POST", path: "/api/v1/activities",
			body: func(f *authzFixture, x *crossRefs) string {
				return activity(fmt.Sprintf(`"link":%d,"institutions":[%d]`, x.lpr, f.i1))(f, x)
			},
			want: statuses(with(instEd), nil), key: "outside_partnership"},
		{name: "activity on Isfahan–Samarkand held in a city not in the registry", method: "POST", path: "/api/v1/activities",
			body: func(f *authzFixture, x *crossRefs) string {
				return activity(fmt.Sprintf(`"agreement":%d,"place":"Q999999"`, f.ab))(f, x)
			},
			want: statuses(with(cityIn), nil), key: "unknown_city"},
		{name: "activity on Isfahan–Samarkand counting Paris's participants", method: "POST", path: "/api/v1/activities",
			body: func(f *authzFixture, x *crossRefs) string {
				return activity(fmt.Sprintf(`"agreement":%d,"participants":{"Q90":3}`, f.ab))(f, x)
			},
			want: statuses(with(cityIn), nil), key: "outside_partnership"},
		{name: "network activity naming a Paris institution", method: "POST", path: "/api/v1/activities",
			body: func(f *authzFixture, x *crossRefs) string {
				return activity(fmt.Sprintf(`"network":%d,"institutions":[%d]`, x.nw, x.ip))(f, x)
			},
			want: statuses(admins, nil), key: "outside_partnership"},
		{name: "activity moved onto a Paris–Rome link", method: "PATCH", path: "/api/v1/activities/{id}", target: freshActivity,
			body: func(f *authzFixture, x *crossRefs) string { return fmt.Sprintf(`{"link":%d}`, x.lpr) },
			want: statuses(with(cityIn, instEd), nil), key: "link_agreement"},
		{name: "activity moved to Paris–Rome", method: "PATCH", path: "/api/v1/activities/{id}", target: freshActivity,
			body: func(f *authzFixture, x *crossRefs) string {
				return fmt.Sprintf(`{"agreement":%d,"institutions":null}`, x.pr)
			},
			// Consistent, but the record as it will be is no longer the editors' to change.
			want: statuses(nil, admins)},
		{name: "link moved under Paris–Rome", method: "PATCH", path: "/api/v1/links/{id}", target: freshLink,
			body: func(f *authzFixture, x *crossRefs) string { return fmt.Sprintf(`{"agreement":%d}`, x.pr) },
			want: statuses(with(cityIn, instEd), nil), key: "outside_partnership"},
		{name: "agreement with a link moves a city", method: "PATCH", path: "/api/v1/agreements/{id}",
			target: func(f *authzFixture, x *crossRefs) int64 {
				a, err := f.db.Agreements.Create(f.ctx, &twin.Agreement{Cities: []string{"Q42053", "Q5753"}, Kind: "cooperation", Status: "signed"})
				if err != nil {
					f.t.Fatal(err)
				}
				if _, err := f.db.Links.Create(f.ctx, &twin.Link{Institutions: []int64{f.i1, f.i2}, Agreement: a.ID}); err != nil {
					f.t.Fatal(err)
				}
				return a.ID
			},
			body: constCross(`{"cities":["Q42053","Q36433"]}`),
			want: statuses(with(cityIn), nil), key: "in_use"},
		{name: "linked institution moves to Porto", method: "PATCH", path: "/api/v1/institutions/{id}",
			target: func(f *authzFixture, x *crossRefs) int64 {
				id := f.institution("Isfahan Art University", f.a)
				if _, err := f.db.Links.Create(f.ctx, &twin.Link{Institutions: []int64{id, f.i2}, Agreement: f.ab}); err != nil {
					f.t.Fatal(err)
				}
				return id
			},
			body: constCross(`{"city":"Q36433"}`),
			want: statuses(with(cityIn), nil), key: "in_use"},
		{name: "link with an activity changes its institutions", method: "PATCH", path: "/api/v1/links/{id}",
			target: func(f *authzFixture, x *crossRefs) int64 {
				id := f.fresh("link")
				if _, err := f.db.Activities.Create(f.ctx, &twin.Activity{Link: id, Kind: "visit", Title: twin.Names{"en": "Lecture"}}); err != nil {
					f.t.Fatal(err)
				}
				return id
			},
			body: func(f *authzFixture, x *crossRefs) string {
				return fmt.Sprintf(`{"institutions":[%d,%d]}`, f.institution("Isfahan Library", f.a), f.i2)
			},
			want: statuses(with(cityIn, instEd), nil), key: "in_use"},
		{name: "proposal on Isfahan–Samarkand naming Porto", method: "POST", path: "/api/v1/proposals",
			body: func(f *authzFixture, x *crossRefs) string {
				return fmt.Sprintf(`{"title":{"en":"An exchange"},"agreement":%d,"cities":["Q36433"]}`, f.ab)
			},
			// Anyone proposes, with or without an account (issue 15): the anonymous too are
			// refused for the reference, not for want of an account.
			want: statuses(append([]string{anonymous}, everyoneSignedIn...), nil), key: "outside_partnership"},
		{name: "Isfahan's official with a title at a Paris institution", method: "POST", path: "/api/v1/people",
			body: func(f *authzFixture, x *crossRefs) string {
				return fmt.Sprintf(`{"names":{"en":"An envoy"},"titles":[{"title":{"en":"Envoy"},"city":"Q42053","institution":%d}]}`, x.ip)
			},
			want: statuses(with(cityIn), nil), key: "institution_city"},
	}
}

func constCross(s string) func(*authzFixture, *crossRefs) string {
	return func(*authzFixture, *crossRefs) string { return s }
}

// TestCrossReferenceMatrix runs writes whose references disagree with each other, or reach
// beyond the writer's scope, as every role: references that disagree are refused with a field
// error (400) for everyone, admins included; a record beyond the writer's scope, as it is or as
// it would be, is refused with 403; and a refused write leaves the registry as it was.
func TestCrossReferenceMatrix(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	x := f.crossRefs()
	for _, c := range crossCases() {
		for _, role := range matrixRoles {
			t.Run(c.name+" as "+role, func(t *testing.T) {
				f.t = t
				path, hdr, id := c.path, map[string]string{}, int64(0)
				kind := ""
				if c.target != nil {
					id = c.target(f, x)
					kind = strings.TrimSuffix(strings.TrimPrefix(c.path, "/api/v1/"), "/{id}")
					kind = map[string]string{"activities": "activity", "links": "link", "agreements": "agreement", "institutions": "institution"}[kind]
					path = strings.Replace(path, "{id}", strconv.FormatInt(id, 10), 1)
					hdr["If-Match"] = `"` + f.version(kind, id) + `"`
				}
				body := c.body(f, x)
				before, beforeVersion := f.snapshot(), f.version(kind, id)
				status, answer := f.call(role, c.method, path, body, hdr)
				want, ok := c.want[role]
				switch {
				case ok:
				case role == anonymous:
					want = http.StatusUnauthorized
				default:
					want = http.StatusForbidden
				}
				if want == http.StatusOK && c.method == "POST" {
					want = http.StatusCreated
				}
				if status != want {
					t.Fatalf("%s %s as %s = %d, want %d: %s", c.method, path, role, status, want, answer)
				}
				if status < 300 {
					return
				}
				if status == http.StatusBadRequest && !strings.Contains(answer, `"key":"`+c.key+`"`) {
					t.Errorf("the answer does not name the field error %q: %s", c.key, answer)
				}
				if after := f.snapshot(); after != before {
					t.Errorf("a refused write changed the registry:\n before %s\n after  %s", before, after)
				}
				if v := f.version(kind, id); v != beforeVersion {
					t.Errorf("a refused write moved the record from version %s to %s", beforeVersion, v)
				}
			})
		}
	}
}

// TestCrossReferenceForms checks that the staff forms are held to the same rules as the API:
// references that disagree show a field error and save nothing; a record outside the editor's
// scope is refused.
func TestCrossReferenceForms(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	x := f.crossRefs()
	c, _ := f.signIn(cityIn, testPassword)
	post := func(values url.Values) (int, string) {
		t.Helper()
		resp, err := c.Get(f.ts.URL + "/en/staff/activities/new")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := csrfInput.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatalf("no CSRF token on the form: %d", resp.StatusCode)
		}
		values.Set("csrf", m[1])
		values.Set("version", "0")
		resp, err = c.PostForm(f.ts.URL+"/en/staff/activities/new", values)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ = io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	before := f.snapshot()
	status, body := post(url.Values{"agreement": {strconv.FormatInt(f.ab, 10)}, "link": {strconv.FormatInt(x.lpr, 10)},
		"kind": {"visit"}, "title.en": {"A visit"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.T("en", "field.link_agreement", map[string]any{"value": x.lpr})) {
		t.Errorf("a form naming a Paris–Rome link under Isfahan–Samarkand = %d", status)
	}
	status, _ = post(url.Values{"agreement": {strconv.FormatInt(x.pr, 10)}, "kind": {"visit"}, "title.en": {"A visit"}})
	if status != http.StatusForbidden {
		t.Errorf("a form for an activity of Paris–Rome by Isfahan's editor = %d", status)
	}
	if after := f.snapshot(); after != before {
		t.Errorf("refused forms changed the registry:\n before %s\n after  %s", before, after)
	}
	if status, body := post(url.Values{"agreement": {strconv.FormatInt(f.ab, 10)}, "kind": {"visit"}, "title.en": {"A visit"}}); status != 200 {
		t.Errorf("a good form = %d: %s", status, body)
	}
}
