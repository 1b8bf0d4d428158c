package web

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestAccountPage(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	c, csrf := f.signIn(plain, testPassword)
	get := func(path string) (int, string) {
		resp, err := c.Get(f.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	post := func(path string, v url.Values) (int, string) {
		v.Set("csrf", csrf)
		resp, err := c.PostForm(f.ts.URL+path, v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get("/fa/account"); status != 200 || !strings.Contains(body, plain) || !strings.Contains(body, `dir="rtl"`) {
		t.Fatalf("account page: %d", status)
	}
	if _, body := post("/fa/account/password", url.Values{"current": {"wrong password!"}, "new": {"a brand new password"}, "repeat": {"a brand new password"}}); !strings.Contains(body, `id="current-err"`) {
		t.Error("a wrong current password is not shown beside its field")
	}
	if _, body := post("/en/account/password", url.Values{"current": {testPassword}, "new": {"a brand new password"}, "repeat": {"another one entirely"}}); !strings.Contains(body, `id="repeat-err"`) {
		t.Error("differing new passwords are not shown beside the field")
	}
	_, body := post("/en/account/tokens", url.Values{"name": {"nightly import"}})
	secret := regexp.MustCompile(`tw_[A-Za-z0-9_-]+`).FindString(body)
	if secret == "" || !strings.Contains(body, "nightly import") {
		t.Fatalf("the new token is not shown once: %.300s", body)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the token does not authenticate: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, body := get("/en/account"); strings.Contains(body, secret) {
		t.Error("the token is shown again")
	}
	id := regexp.MustCompile(`/en/account/tokens/(\d+)/revoke`).FindAllStringSubmatch(body, -1)
	if len(id) == 0 {
		t.Fatal("no revoke button")
	}
	last := id[len(id)-1][1]
	post("/en/account/tokens/"+last+"/revoke", url.Values{})
	resp, _ = http.DefaultClient.Do(req)
	if resp.StatusCode != 401 {
		t.Errorf("a revoked token still works: %d", resp.StatusCode)
	}
	resp.Body.Close()
	// Without the CSRF token, nothing changes.
	resp, err = c.PostForm(f.ts.URL+"/en/account/tokens", url.Values{"name": {"sneaky"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("a form without its CSRF token = %d", resp.StatusCode)
	}
	// Anonymous readers are sent to the sign-in form.
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ = anon.Get(f.ts.URL + "/fa/account")
	resp.Body.Close()
	if resp.StatusCode/100 != 3 || !strings.Contains(resp.Header.Get("Location"), "signin") {
		t.Errorf("anonymous account page = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}
