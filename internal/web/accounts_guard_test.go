package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/auth"
)

// signInFrom signs in through the Persian sign-in page from the client address addr (the
// handler is called directly, so that the peer address can be chosen) and returns the status.
func (f *authzFixture) signInFrom(addr, name, password string) int {
	f.t.Helper()
	h := f.srv.Handler()
	get := httptest.NewRequest("GET", "/fa/signin", nil)
	get.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	m := csrfInput.FindStringSubmatch(rec.Body.String())
	if m == nil {
		f.t.Fatal("no CSRF token on the sign-in page")
	}
	form := url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}}
	post := httptest.NewRequest("POST", "/fa/signin", strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.RemoteAddr = get.RemoteAddr
	for _, c := range rec.Result().Cookies() {
		post.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, post)
	return rec.Code
}

// TestStrangerCannotLockColleagueOut: five wrong passwords from one address lock the account
// from that address only; its owner, elsewhere, signs in.
func TestStrangerCannotLockColleagueOut(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	const stranger, colleague = "203.0.113.9", "198.51.100.7"
	for i := range auth.MaxFailures {
		if s := f.signInFrom(stranger, reviewer, "not the password"); s != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, s)
		}
	}
	if s := f.signInFrom(stranger, reviewer, testPassword); s != http.StatusUnauthorized {
		t.Errorf("the right password from the locked-out address: %d", s)
	}
	if s := f.signInFrom(colleague, reviewer, testPassword); s != http.StatusSeeOther {
		t.Errorf("the owner, from another address, is locked out by a stranger: %d", s)
	}
}

// TestCurrentPasswordGuessesLimited: wrong current passwords on POST /api/v1/me/password and
// on the account page count like failed sign-ins; after five the change is refused even with
// the right password, and the password stays.
func TestCurrentPasswordGuessesLimited(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	for i := range auth.MaxFailures {
		if status, body := f.call(plain, "POST", "/api/v1/me/password", `{"current":"guess number `+fmt.Sprint(i)+`","new":"a brand new password"}`, nil); status != 400 || !strings.Contains(body, `"current"`) {
			t.Fatalf("guess %d: %d %s", i, status, body)
		}
	}
	status, body, hdr := f.callHeader(plain, "POST", "/api/v1/me/password", `{"current":"`+testPassword+`","new":"a brand new password"}`, map[string]string{"Accept-Language": "fa"})
	if status != http.StatusTooManyRequests || !strings.Contains(body, `"password_locked"`) || !strings.Contains(body, "۱۵ دقیقهٔ دیگر دوباره بکوشید") {
		t.Fatalf("the right password after five wrong guesses: %d %s", status, body)
	}
	if s, err := strconv.Atoi(hdr.Get("Retry-After")); err != nil || s < 800 || s > 900 {
		t.Errorf("Retry-After of a locked password change: %q", hdr.Get("Retry-After"))
	}
	if s := f.signInFrom("198.51.100.7", plain, testPassword); s != http.StatusSeeOther {
		t.Errorf("the old password no longer works elsewhere (it was changed?): %d", s)
	}
	// The account page counts the same way: the address is locked there too.
	c, csrf := f.plainJar, f.plainCSRF
	resp, err := c.PostForm(f.ts.URL+"/en/account/password", url.Values{"csrf": {csrf}, "current": {testPassword}, "new": {"a brand new password"}, "repeat": {"a brand new password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the account page after five wrong guesses: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// TestPasswordChangeTokens: an admin's reset revokes the account's personal tokens; a change of
// one's own password revokes them unless keep_tokens asks otherwise.
func TestPasswordChangeTokens(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	works := func(role string) bool {
		status, _ := f.call(role, "GET", "/api/v1/me", "", nil)
		return status == 200
	}
	newToken := func(role string) {
		t.Helper()
		status, body := f.call(role, "POST", "/api/v1/tokens", `{"name":"script"}`, nil)
		var tok tokenAnswer
		if status != 201 || json.Unmarshal([]byte(body), &tok) != nil {
			t.Fatalf("token: %d %s", status, body)
		}
		f.bearer[role] = tok.Secret
	}
	// The reviewer's own change, keeping the tokens: its token is the credential that asks.
	if status, body := f.call(reviewer, "POST", "/api/v1/me/password", `{"current":"`+testPassword+`","new":"a second password","keep_tokens":true}`, nil); status != 204 {
		t.Fatalf("change keeping tokens: %d %s", status, body)
	}
	if !works(reviewer) {
		t.Fatal("keep_tokens did not keep the token")
	}
	// By default the tokens go with the old password, the one that asked included.
	if status, body := f.call(reviewer, "POST", "/api/v1/me/password", `{"current":"a second password","new":"a third password"}`, nil); status != 204 {
		t.Fatalf("change: %d %s", status, body)
	}
	if works(reviewer) {
		t.Fatal("a token survived a password change")
	}
	// An admin's reset revokes them.
	if !works(cityIn) {
		t.Fatal("the city editor's token does not work to begin with")
	}
	if status, body := f.call(adminToken, "POST", fmt.Sprintf("/api/v1/users/%d/password", f.users[cityIn].ID), `{"password":"reset by the admin"}`, nil); status != 204 {
		t.Fatalf("reset: %d %s", status, body)
	}
	if works(cityIn) {
		t.Fatal("a token survived an admin's password reset")
	}
	// The account page: the box unticked revokes, ticked keeps.
	newToken(plain)
	post := func(current, next string, keep bool) {
		t.Helper()
		v := url.Values{"csrf": {f.plainCSRF}, "current": {current}, "new": {next}, "repeat": {next}}
		if keep {
			v.Set("keep_tokens", "1")
		}
		resp, err := f.plainJar.PostForm(f.ts.URL+"/en/account/password", v)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("account page change: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	tok := f.bearer[plain]
	call := func() int {
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	post(testPassword, "page password one", true)
	if call() != 200 {
		t.Fatal("the account page's 'keep' box did not keep the token")
	}
	post("page password one", "page password two", false)
	if call() != 401 {
		t.Fatal("the account page's change left the token working")
	}
}

// TestAuditActorsForStaff: the anonymous audit log and histories say what changed and when,
// never who; signed-in staff see who; filtering by actor is for staff.
func TestAuditActorsForStaff(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	routes := []string{"/api/v1/changes?kind=agreement", fmt.Sprintf("/api/v1/agreements/%d/history", f.ab)}
	for _, path := range routes {
		for _, role := range []string{anonymous, plain} {
			status, body := f.call(role, "GET", path, "", nil)
			if status != 200 || !strings.Contains(body, `"action":"create"`) {
				t.Fatalf("%s as %s: %d %.200s", path, role, status, body)
			}
			if strings.Contains(body, `"actor"`) || strings.Contains(body, "fixture") {
				t.Errorf("%s shows actors to %s: %.300s", path, role, body)
			}
		}
		for _, role := range []string{cityIn, reviewer, adminToken} {
			if _, body := f.call(role, "GET", path, "", nil); !strings.Contains(body, `"actor":"fixture"`) {
				t.Errorf("%s hides the actor from staff (%s): %.300s", path, role, body)
			}
		}
	}
	if status, _ := f.call(anonymous, "GET", "/api/v1/changes?actor=fixture", "", nil); status != http.StatusUnauthorized {
		t.Errorf("an anonymous actor filter: %d", status)
	}
	if status, _ := f.call(plain, "GET", "/api/v1/changes?actor=fixture", "", nil); status != http.StatusForbidden {
		t.Errorf("a citizen's actor filter: %d", status)
	}
	if status, body := f.call(reviewer, "GET", "/api/v1/changes?actor=fixture", "", nil); status != 200 || !strings.Contains(body, `"actor":"fixture"`) {
		t.Errorf("staff's actor filter: %d %.200s", status, body)
	}
}
