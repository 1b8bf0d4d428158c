package web

import (
	"encoding/json"
	"fmt"
	"github.com/twinning/twinning/internal/httpx"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// propose posts a proposal anonymously and returns its answer.
func (f *authzFixture) propose(t *testing.T, body string) (int, submittedAnswer, string) {
	t.Helper()
	status, raw := f.call(anonymous, "POST", "/api/v1/proposals", body, map[string]string{"Accept-Language": "fa"})
	var a submittedAnswer
	json.Unmarshal([]byte(raw), &a)
	return status, a, raw
}

// TestProposeAnonymously: anyone proposes without an account; the answer gives the private
// follow key and link once; the proposal is hidden from everyone but its proposer (by key)
// and the moderators until it is published; its contact only they see; the honeypot and the
// limit per address refuse.
func TestProposeAnonymously(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	status, a, raw := f.propose(t, `{"title":{"fa":"تبادل دانشجو"},"kind":"exchange","cities":["Q42053","Q5753"],"domains":["education"],"proposer":"مریم","contact":"maryam@example.org"}`)
	if status != http.StatusCreated || a.Proposal == nil || a.Key == "" {
		t.Fatalf("anonymous proposal: %d %s", status, raw)
	}
	id := a.ID
	if a.Status != "submitted" || a.Contact != "maryam@example.org" || a.FollowURL != fmt.Sprintf("/fa/proposals/%d?key=%s", id, a.Key) {
		t.Errorf("answer: %s", raw)
	}
	if len(a.History) != 1 || a.History[0].Status != "submitted" {
		t.Errorf("history: %+v", a.History)
	}
	path := fmt.Sprintf("/api/v1/proposals/%d", id)
	for _, c := range []struct {
		role, suffix string
		hdr          map[string]string
		status       int
		contact      bool
	}{
		{anonymous, "", nil, 404, false},
		{anonymous, "?key=wrong", nil, 404, false},
		{anonymous, "?key=" + a.Key, nil, 200, true},
		{anonymous, "", map[string]string{httpx.FollowHeader: a.Key}, 200, true},
		{plain, "", nil, 404, false},
		{cityOut, "", nil, 404, false},
		{reviewer, "", nil, 200, true},
		{adminUser, "", nil, 200, true},
	} {
		st, body := f.call(c.role, "GET", path+c.suffix, "", c.hdr)
		if st != c.status || strings.Contains(body, "maryam@example.org") != c.contact {
			t.Errorf("GET %s%s as %s: %d %s", path, c.suffix, c.role, st, body)
		}
	}
	if st, _ := f.call(anonymous, "GET", path+"/history", "", nil); st != 404 {
		t.Errorf("history of an unpublished proposal, anonymously: %d", st)
	}
	if _, body := f.call(anonymous, "GET", "/api/v1/proposals?limit=100", "", nil); strings.Contains(body, "تبادل دانشجو") {
		t.Errorf("an unpublished proposal listed: %s", body)
	}
	if _, body := f.call(anonymous, "GET", "/api/v1/proposals?status=submitted", "", nil); strings.Contains(body, "تبادل دانشجو") {
		t.Errorf("an unpublished proposal listed by status: %s", body)
	}
	if _, body := f.call(reviewer, "GET", "/api/v1/proposals?status=submitted", "", nil); !strings.Contains(body, "تبادل دانشجو") {
		t.Errorf("the reviewer does not see the submission: %s", body)
	}
	// The follow key is stored only as its digest.
	if !f.db.ProposalKeyMatches(f.ctx, id, twin.FollowKeyDigest(a.Key)) || f.db.ProposalKeyMatches(f.ctx, id, a.Key) {
		t.Error("the follow key is not stored as its digest only")
	}
	if st, body := f.call(anonymous, "POST", "/api/v1/proposals", `{"title":{"en":"Cheap pills"},"cities":["Q42053"],"website":"http://spam.example"}`, nil); st != 400 || !strings.Contains(body, `"website"`) {
		t.Errorf("honeypot: %d %s", st, body)
	}
	if st, body := f.call(anonymous, "POST", "/api/v1/proposals", `{"title":{"en":"x"}}`, nil); st != 400 || !strings.Contains(body, `"cities"`) {
		t.Errorf("no city: %d %s", st, body)
	}
	if st, body := f.call(anonymous, "POST", "/api/v1/proposals", `{"title":{"en":"x"},"cities":["Q42053"],"kind":"picnic"}`, nil); st != 400 || !strings.Contains(body, `"kind"`) {
		t.Errorf("unknown kind: %d %s", st, body)
	}
	// Five stored proposals an hour per address (refused ones do not count); admins are not limited.
	st := 0
	for i := 0; i < 6 && st != http.StatusTooManyRequests; i++ {
		st, _ = f.call(anonymous, "POST", "/api/v1/proposals", `{"title":{"en":"again"},"cities":["Q42053"]}`, nil)
	}
	if st != http.StatusTooManyRequests {
		t.Errorf("the limit per address never answered 429: %d", st)
	}
	before := f.snapshot()
	// The refusal says when the oldest of the hour's five leaves the window: in a minute short
	// of an hour, as Retry-After and in words.
	st, body, hdr := f.callHeader(anonymous, "POST", "/api/v1/proposals", `{"title":{"en":"again"},"cities":["Q42053"]}`, map[string]string{"Accept-Language": "fa"})
	if st != 429 || !strings.Contains(body, "درخواست") || !strings.Contains(body, "۶۰ دقیقهٔ دیگر دوباره بکوشید") {
		t.Errorf("over the limit: %d %s", st, body)
	}
	if s, err := strconv.Atoi(hdr.Get("Retry-After")); err != nil || s < 3500 || s > 3600 {
		t.Errorf("Retry-After over the limit: %q", hdr.Get("Retry-After"))
	}
	if f.snapshot() != before {
		t.Error("a refused proposal changed the registry")
	}
	if st, body := f.call(adminUser, "POST", "/api/v1/proposals", `{"title":{"en":"from the office"},"cities":["Q42053"]}`, nil); st != 201 {
		t.Errorf("an admin over the address's limit: %d %s", st, body)
	}
}

// TestProposalModeration: reviewers and admins move a proposal along the allowed moves; a
// rejection needs a reason, which the proposer reads with the follow key; others may not.
func TestProposalModeration(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	_, a, _ := f.propose(t, `{"title":{"en":"A festival week"},"kind":"festival","agreement":`+fmt.Sprint(f.ab)+`,"contact":"x@example.org"}`)
	path := fmt.Sprintf("/api/v1/proposals/%d/status", a.ID)
	for _, c := range []struct {
		role, body string
		status     int
		field      string
	}{
		{anonymous, `{"status":"published"}`, 401, ""},
		{plain, `{"status":"published"}`, 403, ""},
		{cityIn, `{"status":"published"}`, 403, ""},
		{reviewer, `{"status":"done"}`, 400, "proposal_move"},
		{reviewer, `{"status":"rejected"}`, 400, "reason_needed"},
		{reviewer, `{"status":"sideways"}`, 400, "invalid_choice"},
		{reviewer, `{"status":"rejected","reason":"Please name the festival."}`, 200, ""},
		{adminUser, `{"status":"published","reason":"Named now."}`, 200, ""},
	} {
		st, body := f.call(c.role, "POST", path, c.body, nil)
		if st != c.status || !strings.Contains(body, c.field) {
			t.Errorf("%s %s: %d %s", c.role, c.body, st, body)
		}
	}
	st, body := f.call(anonymous, "GET", fmt.Sprintf("/api/v1/proposals/%d?key=%s", a.ID, a.Key), "", nil)
	var pr twin.Proposal
	json.Unmarshal([]byte(body), &pr)
	if st != 200 || pr.Status != "published" || len(pr.History) != 3 || pr.History[1].Reason != "Please name the festival." || pr.Reason != "Named now." {
		t.Errorf("the proposer's view: %d %s", st, body)
	}
	// A PATCH does not move the status nor rewrite the history.
	if st, body := f.call(reviewer, "PATCH", fmt.Sprintf("/api/v1/proposals/%d", a.ID), `{"status":"done","history":[],"reason":"x"}`, map[string]string{"If-Match": fmt.Sprintf(`"%d"`, pr.Version)}); st != 200 || !strings.Contains(body, `"status":"published"`) || !strings.Contains(body, "Please name") {
		t.Errorf("PATCH of server-owned fields: %d %s", st, body)
	}
	// Published: everyone reads it, in lists by city and domain and on its agreement.
	if _, body := f.call(anonymous, "GET", "/api/v1/proposals?city=Q5753", "", nil); !strings.Contains(body, "A festival week") || strings.Contains(body, "x@example.org") {
		t.Errorf("the public list by city: %s", body)
	}
	if _, body := f.call(anonymous, "GET", "/api/v1/search?q=festival&type=proposal", "", nil); !strings.Contains(body, "A festival week") {
		t.Errorf("search does not find the published proposal: %s", body)
	}
}

// TestProposalSupport: one support per account and per browser; at most three browsers of one
// address per proposal; only published proposals; the count shows on the proposal.
func TestProposalSupport(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	_, a, _ := f.propose(t, `{"title":{"en":"Sister schools"},"cities":["Q42053"]}`)
	path := fmt.Sprintf("/api/v1/proposals/%d/support", a.ID)
	if st, _ := f.call(anonymous, "POST", path, "", nil); st != 404 {
		t.Errorf("supporting a submitted proposal: %d", st)
	}
	if _, err := f.db.ModerateProposal(f.ctx, a.ID, 0, "published", ""); err != nil {
		t.Fatal(err)
	}
	support := func(c *http.Client, hdr map[string]string) (int, httpx.SupportAnswer) {
		req, _ := http.NewRequest("POST", f.ts.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var sa httpx.SupportAnswer
		b, _ := io.ReadAll(resp.Body)
		json.Unmarshal(b, &sa)
		return resp.StatusCode, sa
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	if st, sa := support(browser, nil); st != 200 || sa.Supporters != 1 || !sa.Added {
		t.Errorf("first support: %d %+v", st, sa)
	}
	if st, sa := support(browser, nil); st != 200 || sa.Supporters != 1 || sa.Added {
		t.Errorf("the same browser again: %d %+v", st, sa)
	}
	if st, sa := support(f.plainJar, map[string]string{csrfHeader: f.plainCSRF}); st != 200 || sa.Supporters != 2 {
		t.Errorf("an account: %d %+v", st, sa)
	}
	if st, sa := support(f.plainJar, map[string]string{csrfHeader: f.plainCSRF}); st != 200 || sa.Supporters != 2 || sa.Added {
		t.Errorf("the same account again: %d %+v", st, sa)
	}
	if st, _ := support(f.plainJar, nil); st != 403 {
		t.Errorf("a cookie support without the CSRF header: %d", st)
	}
	// Browsers without cookies from one address: the second and third count, the fourth not.
	codes := []int{}
	for range 3 {
		st, _ := support(http.DefaultClient, nil)
		codes = append(codes, st)
	}
	if fmt.Sprint(codes) != "[200 200 429]" {
		t.Errorf("anonymous supports from one address: %v", codes)
	}
	_, body := f.call(anonymous, "GET", fmt.Sprintf("/api/v1/proposals/%d", a.ID), "", nil)
	if !strings.Contains(body, `"supporters":4`) {
		t.Errorf("count: %s", body)
	}
	if st, _ := f.call(anonymous, "POST", "/api/v1/proposals/999999/support", "", nil); st != 404 {
		t.Errorf("a missing proposal: %d", st)
	}
}

// TestProposalPages: the form without an account keeps what was typed on a refusal and sends
// the proposer to the private follow page; the moderation queue is the reviewers'; the
// support button counts once.
func TestProposalPages(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(c *http.Client, path string) (int, string) {
		resp, err := c.Get(f.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	st, body := get(c, "/fa/proposals/new?city=Q42053")
	if st != 200 || !strings.Contains(body, `name="city_a" value="Isfahan"`) || !strings.Contains(body, `name="website"`) {
		t.Fatalf("the form: %d", st)
	}
	tok := csrfFrom(t, body)
	resp, body := postForm(t, c, f.ts.URL+"/fa/proposals/new", url.Values{"csrf": {tok}, "title": {""}, "body": {"شرح بلند"}, "city_a": {"Isfahan"}, "city_b": {"Nowhere-at-all"}, "contact": {"me@example.org"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "شرح بلند") || !strings.Contains(body, "me@example.org") || !strings.Contains(body, `id="pf-title-err"`) || !strings.Contains(body, `id="pf-city_b-err"`) {
		t.Errorf("a refusal: %d %s", resp.StatusCode, body)
	}
	resp, body = postForm(t, c, f.ts.URL+"/fa/proposals/new", url.Values{"csrf": {tok}, "title": {"هفتهٔ فیلم"}, "kind": {"festival"}, "city_a": {"Isfahan"}, "city_b": {"Samarkand"}, "domains": {"culture"}, "contact": {"me@example.org"}})
	if resp.StatusCode != 200 || resp.Request.URL.Query().Get("key") == "" || !strings.Contains(body, "پیشنهاد شما رسید") || !strings.Contains(body, "me@example.org") {
		t.Fatalf("sent: %d %s %s", resp.StatusCode, resp.Request.URL, body)
	}
	follow := resp.Request.URL.RequestURI()
	id := strings.TrimPrefix(resp.Request.URL.Path, "/fa/proposals/")
	if st, _ := get(http.DefaultClient, "/fa/proposals/"+id); st != 404 {
		t.Errorf("the unpublished proposal without its key: %d", st)
	}
	if _, body := get(http.DefaultClient, "/fa/proposals"); strings.Contains(body, "هفتهٔ فیلم") {
		t.Error("the unpublished proposal is listed")
	}
	// The reviewer's queue, with the contact; a citizen may not open it.
	rev, _ := f.signIn("reviewer", testPassword)
	st, body = get(rev, "/fa/staff/proposals")
	if st != 200 || !strings.Contains(body, "هفتهٔ فیلم") || !strings.Contains(body, "me@example.org") {
		t.Fatalf("queue: %d", st)
	}
	if st, _ := get(f.plainJar, "/fa/staff/proposals"); st != 403 {
		t.Errorf("the queue as a citizen: %d", st)
	}
	rtok := csrfFrom(t, body)
	if st, body := get(rev, "/fa/proposals/"+id); st != 200 || !strings.Contains(body, `class="moderate-form"`) || !strings.Contains(body, "me@example.org") {
		t.Errorf("the proposal's page for its reviewer: %d", st)
	}
	resp, body = postForm(t, rev, f.ts.URL+"/fa/staff/proposals", url.Values{"csrf": {rtok}, "id": {id}, "status": {"rejected"}, "reason": {""}, "next": {"/fa/staff/proposals"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "دلیل را بنویسید") {
		t.Errorf("a rejection without a reason: %d", resp.StatusCode)
	}
	resp, _ = postForm(t, rev, f.ts.URL+"/fa/staff/proposals", url.Values{"csrf": {rtok}, "id": {id}, "status": {"published"}, "reason": {"با سپاس؛ منتشر شد."}, "next": {"/fa/staff/proposals"}})
	if resp.StatusCode != 200 || resp.Request.URL.Query().Get("done") != id {
		t.Errorf("publish: %d %s", resp.StatusCode, resp.Request.URL)
	}
	if _, body := get(c, follow); !strings.Contains(body, "با سپاس؛ منتشر شد.") {
		t.Error("the proposer does not read the reason")
	}
	if _, body := get(http.DefaultClient, "/en/proposals/"+id); strings.Contains(body, "me@example.org") || strings.Contains(body, "با سپاس") {
		t.Error("a reader sees the contact or the reason")
	}
	if _, body := get(http.DefaultClient, "/en/proposals?city=Samarkand&domain=culture"); !strings.Contains(body, "هفتهٔ فیلم") {
		t.Error("the public list by city and domain")
	}
	// Each card names its two cities, linked to their pages in the reader's language (the
	// fixture's cities have English names only).
	for _, lang := range []string{"en", "fa"} {
		want := `<a href="/` + lang + `/cities/Q42053"><bdi>Isfahan</bdi></a> – <a href="/` + lang + `/cities/Q5753"><bdi>Samarkand</bdi></a>`
		if _, body := get(http.DefaultClient, "/"+lang+"/proposals"); !strings.Contains(body, want) {
			t.Errorf("/%s/proposals does not name the proposal's cities as %q", lang, want)
		}
	}
	if _, body := get(http.DefaultClient, "/en/cities/Q5753"); !strings.Contains(body, "هفتهٔ فیلم") || !strings.Contains(body, "/en/proposals/new?city=Q5753") {
		t.Error("the city page does not show its proposal")
	}
	if _, body := get(http.DefaultClient, fmt.Sprintf("/en/agreements/%d", f.ab)); !strings.Contains(body, "هفتهٔ فیلم") || !strings.Contains(body, fmt.Sprintf("/en/proposals/new?agreement=%d", f.ab)) {
		t.Error("the agreement page does not show its proposal")
	}
	_, body = get(c, "/fa/proposals/"+id)
	stok := csrfFrom(t, body)
	for range 2 {
		resp, body = postForm(t, c, f.ts.URL+"/fa/proposals/"+id+"/support", url.Values{"csrf": {stok}})
	}
	if resp.StatusCode != 200 || !strings.Contains(body, "۱ حامی") || !strings.Contains(body, "شما از این پیشنهاد حمایت می‌کنید") {
		t.Errorf("support button: %d", resp.StatusCode)
	}
	// The staff home links the proposals' count to the queue and offers a reviewer no "new"
	// button for records they may not create.
	_, body = get(rev, "/fa/staff/")
	if !strings.Contains(body, `href="/fa/staff/proposals"`) || strings.Contains(body, `href="/fa/staff/cities/new"`) {
		t.Errorf("staff home for a reviewer")
	}
}

// TestProposalPageNamesProposer: a published proposal's page, read by anyone, names the one
// who proposed it as its proposer, not as the reader ("Your name" is the form's question).
func TestProposalPageNamesProposer(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	_, a, raw := f.propose(t, `{"title":{"fa":"هفتهٔ فیلم"},"kind":"festival","cities":["Q42053"],"proposer":"مریم"}`)
	if st, body := f.call(reviewer, "POST", fmt.Sprintf("/api/v1/proposals/%d/status", a.ID), `{"status":"published"}`, nil); st != 200 {
		t.Fatalf("publish: %d %s (%s)", st, body, raw)
	}
	for lang, want := range map[string]string{"fa": "<dt>پیشنهاددهنده</dt><dd><bdi>مریم</bdi>", "en": "<dt>Proposed by</dt><dd><bdi>مریم</bdi>", "ru": "<dt>Автор предложения</dt><dd><bdi>مریم</bdi>"} {
		resp, err := http.Get(fmt.Sprintf("%s/%s/proposals/%d", f.ts.URL, lang, a.ID))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), want) {
			t.Errorf("/%s: the proposer is not named as such (%q)", lang, want)
		}
		if strings.Contains(string(b), i18n.T(lang, "proposals.field.proposer", nil)) {
			t.Errorf("/%s: the public page asks the reader's name", lang)
		}
	}
}
