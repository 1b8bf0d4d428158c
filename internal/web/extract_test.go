package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

const seedURL = "https://www.isfahan.ir/news/sister-samarkand"

// extractFixture is a registry with the four cities of the seed article, a reviewer, a city
// editor and a plain user, signed in through the page.
type extractFixture struct {
	*authzFixture
	seed string
}

func newExtractFixture(t *testing.T) *extractFixture {
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
	f.city("Hyderabad", "IN", "Q1361")
	f.user(reviewer, auth.RoleReviewer, nil, nil)
	f.user(plain, auth.RoleUser, nil, nil)
	f.user(cityIn, auth.RoleCityEditor, []int64{f.a.ID}, nil)
	b, err := os.ReadFile("../extract/testdata/isfahan-samarkand.fa.txt")
	if err != nil {
		t.Fatal(err)
	}
	return &extractFixture{authzFixture: f, seed: string(b)}
}

// post sends a form as the signed-in client c with its CSRF token.
func (f *extractFixture) post(c *http.Client, csrf, path string, v url.Values) (int, string) {
	f.t.Helper()
	if csrf != "" {
		v.Set("csrf", csrf)
	}
	resp, err := c.PostForm(f.ts.URL+path, v)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	markRe   = regexp.MustCompile(`<mark class="([^"]*)"[^>]*><a href="([^"]*)">([^<]*)</a></mark>`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="(text|url|published)" value="([^"]*)">`)
)

// reviewForm reads the article through the page and returns the review page and the apply
// form's hidden fields.
func (f *extractFixture) reviewForm(c *http.Client, csrf string) (string, url.Values) {
	f.t.Helper()
	status, body := f.post(c, csrf, "/fa/staff/extract", url.Values{"text": {f.seed}, "url": {seedURL}, "published": {"۱۴۰۰-۰۷-۲۸"}})
	if status != 200 {
		f.t.Fatalf("reading the article: %d\n%s", status, body)
	}
	v := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	if v.Get("text") != f.seed || v.Get("published") != "2021-10-20" {
		f.t.Fatalf("the apply form does not carry the article: published %q, text kept %v", v.Get("published"), v.Get("text") == f.seed)
	}
	return body, v
}

func TestExtractPageMarksEvidence(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	c, csrf := f.signIn(reviewer, testPassword)
	body, _ := f.reviewForm(c, csrf)
	marks := map[string]bool{}
	for _, m := range markRe.FindAllStringSubmatch(body, -1) {
		marks[html.UnescapeString(m[3])] = true
		if !strings.HasPrefix(m[2], "#f-") {
			t.Errorf("a mark links to %q", m[2])
		}
	}
	for _, want := range []string{"سمرقند", "اصفهان", "پورتو", "سال ۱۳۹۷"} {
		if !marks[want] {
			t.Errorf("no mark for %q", want)
		}
	}
	// The marked pieces and the text between them are the article, in order.
	art := regexp.MustCompile(`(?s)<div class="xarticle" dir="auto"[^>]*>(.*?)</div>`).FindStringSubmatch(body)
	if art == nil {
		t.Fatal("no article block with dir=auto")
	}
	plain := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(art[1], ""))
	if plain != f.seed {
		t.Error("the marked article is not the article")
	}
	for _, want := range []string{`id="f-agreement-0"`, `id="f-agreement-1"`, `id="f-agreement-2"`, `name="d.agreement:0"`,
		"Q42053", `href="/fa/cities/Q5753"`, "۱۳۹۷", "2018-03-21", `name="v.agreement:0.signed"`, fmt.Sprintf(`id="f-institution-%d"`, instIndex(t, f.seed, "embassy"))} {
		if !strings.Contains(body, want) {
			t.Errorf("the review page lacks %s", want)
		}
	}
	if !strings.Contains(body, "در فهرست شهرها نیست") { // Tashkent, the embassy's city
		t.Error("no word on cities outside the registry")
	}
}

func TestExtractAcceptWritesRecords(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	c, csrf := f.signIn(reviewer, testPassword)
	_, v := f.reviewForm(c, csrf)
	v.Set("d.agreement:0", "accept")                                                          // Isfahan–Samarkand, signed
	v.Set("d.agreement:1", "accept")                                                          // Isfahan–Porto, planned
	v.Set(fmt.Sprintf("d.institution:%d", instIndex(t, f.seed, "research_centre")), "accept") // the archaeology centre in Samarkand
	v.Set("d.person:2", "accept")
	v.Set("d.event:0", "accept")
	v.Set("d.domain:0", "accept")
	status, body := f.post(c, csrf, "/fa/staff/extract/apply", v)
	if status != 200 || !strings.Contains(body, "/fa/agreements/") {
		t.Fatalf("apply: %d\n%s", status, body)
	}
	list, _ := f.db.Agreements.List(f.ctx, twin.Filter{}.With(twin.FilterCity, f.a.ID))
	if len(list.Items) != 2 {
		t.Fatalf("%d agreements", len(list.Items))
	}
	for _, a := range list.Items {
		want := map[string]string{"Q5753": "signed", "Q36433": "proposed"}[a.Cities[1]]
		if a.Cities[0] != "Q42053" || a.Status != want {
			t.Errorf("agreement %v status %s", a.Cities, a.Status)
		}
		if len(a.Sources) == 0 || a.Sources[0].URL != seedURL || a.Sources[0].Dataset != "news" || a.Sources[0].Date != "2021-10-20" ||
			f.seed[a.Sources[0].Start:a.Sources[0].End] != a.Sources[0].Quote || !strings.Contains(a.Sources[0].Quote, "خواهرخواندگی") {
			t.Errorf("agreement %v sources %+v", a.Cities, a.Sources)
		}
		if a.Cities[1] == "Q5753" {
			roles := map[string]string{}
			for _, p := range a.Parties {
				roles[p.Role] = p.Name["fa"]
			}
			if a.Proposed == nil || a.Proposed.Value != "1397" || roles["proposer"] != "عظیم منوراف" || !strings.HasPrefix(roles["facilitator"], "سفارت") || len(a.Domains) == 0 {
				t.Errorf("Isfahan–Samarkand: proposed %v parties %v domains %v", a.Proposed, a.Parties, a.Domains)
			}
			if a.Signed == nil || a.Signed.Start != "2021-10-20" {
				t.Errorf("Isfahan–Samarkand: signed %v, want the article's date for a ceremony reported as it happens", a.Signed)
			}
		}
	}
	ins, _ := f.db.Institutions.List(f.ctx, twin.Filter{}.With(twin.FilterCity, f.b.ID))
	if len(ins.Items) != 1 || ins.Items[0].Type != "research_centre" || len(ins.Items[0].Sources) != 1 || ins.Items[0].Sources[0].URL != seedURL {
		t.Errorf("institutions of Samarkand: %+v", ins.Items)
	}
	n, _ := f.db.Count(f.ctx, twin.KindPerson)
	acts, _ := f.db.Count(f.ctx, twin.KindActivity)
	if n != 1 || acts != 1 {
		t.Errorf("%d people, %d activities", n, acts)
	}
	cs, _, _ := f.db.Changes(f.ctx, store.ChangeFilter{Limit: 1})
	if len(cs) != 1 || cs[0].Actor != reviewer {
		t.Errorf("the audit log names %+v", cs)
	}
	// Accepting again changes nothing: the same source is not added twice.
	before := f.snapshot()
	if status, body := f.post(c, csrf, "/fa/staff/extract/apply", v); status != 200 || !strings.Contains(body, "بدون تغییر") {
		t.Errorf("apply again: %d", status)
	}
	if f.snapshot() != before {
		t.Error("accepting the same facts again wrote")
	}
}

func TestExtractRejectWritesNothing(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	c, csrf := f.signIn(reviewer, testPassword)
	_, v := f.reviewForm(c, csrf)
	v.Set("d.agreement:0", "reject")
	before := f.snapshot()
	status, body := f.post(c, csrf, "/fa/staff/extract/apply", v)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "هیچ پیشنهادی پذیرفته نشده است") {
		t.Errorf("all rejected: %d", status)
	}
	if f.snapshot() != before {
		t.Error("rejecting wrote")
	}
}

func TestExtractAcceptNeedsReviewer(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	_, v := func() (string, url.Values) {
		c, csrf := f.signIn(reviewer, testPassword)
		return f.reviewForm(c, csrf)
	}()
	v.Set("d.agreement:0", "accept")
	before := f.snapshot()
	// A plain user and a city editor, through the page.
	for _, role := range []string{plain, cityIn} {
		c, csrf := f.signIn(role, testPassword)
		if status, _ := f.post(c, csrf, "/fa/staff/extract/apply", v); status != http.StatusForbidden {
			t.Errorf("apply as %s: %d", role, status)
		}
	}
	// Anonymous, through the page (with a CSRF seed) and the API.
	cj, _ := cookiejar.New(nil)
	jar := &http.Client{Jar: cj}
	resp, _ := jar.Get(f.ts.URL + "/fa/signin")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := csrfInput.FindStringSubmatch(string(b)); m != nil {
		if status, _ := f.post(jar, m[1], "/fa/staff/extract/apply", v); status != http.StatusUnauthorized {
			t.Errorf("apply anonymously: %d", status)
		}
	}
	body, _ := json.Marshal(acceptRequest{Text: f.seed, URL: seedURL, Accept: []acceptItem{{Ref: "agreement:0"}}})
	if status, _ := f.call(anonymous, "POST", "/api/v1/extract/accept", string(body), nil); status != http.StatusUnauthorized {
		t.Errorf("API anonymously: %d", status)
	}
	f.plainJar, f.plainCSRF = f.signIn(plain, testPassword)
	if status, _ := f.call(plain, "POST", "/api/v1/extract/accept", string(body), nil); status != http.StatusForbidden {
		t.Errorf("API as a plain user: %d", status)
	}
	// Without the CSRF token, a reviewer's form is refused too.
	c, _ := f.signIn(reviewer, testPassword)
	if status, _ := f.post(c, "", "/fa/staff/extract/apply", v); status != http.StatusForbidden {
		t.Errorf("apply without CSRF: %d", status)
	}
	if f.snapshot() != before {
		t.Error("a refused accept wrote")
	}
}

func TestExtractBadEditRollsBack(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	c, csrf := f.signIn(reviewer, testPassword)
	_, v := f.reviewForm(c, csrf)
	v.Set("d.agreement:1", "accept")
	v.Set("d.agreement:0", "edit")
	v.Set("v.agreement:0.status", "signed")
	v.Set("v.agreement:0.kind", "sister")
	v.Set("v.agreement:0.signed_calendar", "jalali")
	v.Set("v.agreement:0.signed", "1404-12-30")
	before := f.snapshot()
	status, body := f.post(c, csrf, "/fa/staff/extract/apply", v)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad date: %d", status)
	}
	if f.snapshot() != before {
		t.Error("a bad date wrote")
	}
	// The message is beside the field, and the reviewer's choices are kept.
	field := regexp.MustCompile(`(?s)name="v\.agreement:0\.signed" value="1404-12-30"[^>]*aria-invalid="true">\s*</div>\s*<p class="field-error"[^>]*>([^<]*)</p>`).FindStringSubmatch(body)
	if field == nil || !strings.Contains(html.UnescapeString(field[1]), "در این تقویم وجود ندارد") {
		t.Errorf("no Persian message beside the date: %v", field)
	}
	for _, want := range []string{`name="d.agreement:0" value="edit" checked`, `name="d.agreement:1" value="accept" checked`, `class="error-summary"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form again lacks %s", want)
		}
	}
}

func TestExtractAcceptAPI(t *testing.T) {
	t.Parallel()
	f := newExtractFixture(t)
	secret := auth.NewToken()
	if _, err := f.db.CreateToken(f.ctx, f.users[reviewer].ID, "news", auth.Digest(secret)); err != nil {
		t.Fatal(err)
	}
	f.bearer[reviewer] = secret
	req := acceptRequest{Text: f.seed, URL: seedURL, Published: "2021-10-20", Accept: []acceptItem{
		{Ref: "agreement:0", Values: map[string]string{"signed": "1400-07-28", "signed_calendar": "jalali"}},
		{Ref: "agreement:2"}, // Isfahan–Hyderabad, planned
		{Ref: fmt.Sprintf("institution:%d", instIndex(t, f.seed, "embassy"))}, // the embassy in Tashkent: not in the registry
	}}
	body, _ := json.Marshal(req)
	before := f.snapshot()
	status, answer := f.call(reviewer, "POST", "/api/v1/extract/accept", string(body), nil)
	if status != http.StatusBadRequest || !strings.Contains(answer, fmt.Sprintf(`"institution:%d.city"`, instIndex(t, f.seed, "embassy"))) {
		t.Errorf("an unknown city: %d %s", status, answer)
	}
	if f.snapshot() != before {
		t.Error("an invalid accept wrote")
	}
	req.Accept = req.Accept[:2]
	body, _ = json.Marshal(req)
	status, answer = f.call(reviewer, "POST", "/api/v1/extract/accept", string(body), nil)
	var got acceptAnswer
	if status != 200 || json.Unmarshal([]byte(answer), &got) != nil || len(got.Applied) != 2 || got.Applied[0].Action != "created" {
		t.Fatalf("accept: %d %s", status, answer)
	}
	a, err := f.db.Agreements.Get(f.ctx, got.Applied[0].ID)
	if err != nil || a.Signed == nil || a.Signed.Start != "2021-10-20" || a.Status != "signed" {
		t.Errorf("the edited agreement: %+v %v", a, err)
	}
	// The news now says the signed agreement is only planned: a claim, the status stays.
	req.Accept = []acceptItem{{Ref: "agreement:0", Values: map[string]string{"status": "proposed"}}}
	body, _ = json.Marshal(req)
	status, answer = f.call(reviewer, "POST", "/api/v1/extract/accept", string(body), nil)
	a, _ = f.db.Agreements.Get(f.ctx, got.Applied[0].ID)
	if status != 200 || !strings.Contains(answer, `"claim":true`) || a.Status != "signed" || len(a.Claims) != 1 || a.Claims[0].Status != "proposed" || a.Claims[0].Source.URL != seedURL {
		t.Errorf("a contradicting article: %d %s; claims %+v", status, answer, a.Claims)
	}
}

// instIndex is the index of the first institution of a type the extractor proposes from text.
func instIndex(t *testing.T, text, typ string) int {
	t.Helper()
	g, err := extract.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range extract.Extract(text, g, extract.Options{}).Institutions {
		if in.Type == typ {
			return i
		}
	}
	t.Fatalf("no %s proposed", typ)
	return -1
}
