package web

import (
	"strings"
	"testing"
)

func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	for _, tc := range []struct {
		name, body string
		status     int
		contains   string
	}{
		{"wrong current", `{"current":"not it at all","new":"a brand new password"}`, 400, `"current"`},
		{"too short", `{"current":"` + testPassword + `","new":"short"}`, 400, `"new"`},
		{"unknown field", `{"current":"` + testPassword + `","new":"a brand new password","x":1}`, 400, `"x"`},
	} {
		if status, body := f.call(reviewer, "POST", "/api/v1/me/password", tc.body, nil); status != tc.status || !strings.Contains(body, tc.contains) {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}
	if status, body := f.call(adminToken, "POST", "/api/v1/me/password", `{"current":"x","new":"a brand new password"}`, nil); status != 403 {
		t.Errorf("the provisioning token changed a password: %d %s", status, body)
	}
	// The plain user, through its session: the change keeps that session.
	if status, body := f.call(plain, "POST", "/api/v1/me/password", `{"current":"`+testPassword+`","new":"a brand new password"}`, nil); status != 204 {
		t.Fatalf("change: %d %s", status, body)
	}
	if status, _ := f.call(plain, "GET", "/api/v1/me", "", nil); status != 200 {
		t.Errorf("the session that changed the password ended: %d", status)
	}
	if status, _ := f.call(plain, "POST", "/api/v1/me/password", `{"current":"`+testPassword+`","new":"yet another password"}`, nil); status != 400 {
		t.Errorf("the old password still counts as current: %d", status)
	}
	f.signIn(plain, "a brand new password")
}
