package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/store/storetest"
	"github.com/twinning/twinning/internal/twin"
)

func newUser(t *testing.T, db *store.DB, name, role string) *auth.User {
	t.Helper()
	u, err := db.CreateUser(twin.WithActor(context.Background(), "test"), &auth.User{Name: name, Role: role, Password: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := twin.WithActor(context.Background(), "test")
	u := newUser(t, db, " Alice ", auth.RoleAdmin)
	if u.Name != "alice" || u.ID == 0 {
		t.Fatalf("created %+v", u)
	}
	if _, err := db.CreateUser(ctx, &auth.User{Name: "ALICE", Role: auth.RoleUser, Password: "x"}); twin.ErrorCode(err) != twin.ECONFLICT {
		t.Errorf("a taken name: %v", err)
	}
	for _, bad := range []*auth.User{
		{Name: "bob", Role: "owner", Password: "x"},
		{Name: "bob", Role: auth.RoleCityEditor, Password: "x"}, // an editor of no city
		{Name: "a b", Role: auth.RoleUser, Password: "x"},
		{Name: "admin-token", Role: auth.RoleUser, Password: "x"},
		{Name: "eve\u202e", Role: auth.RoleUser, Password: "x"},
	} {
		if _, err := db.CreateUser(ctx, bad); twin.ErrorCode(err) != twin.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	got, err := db.UserByName(ctx, "ALICE")
	if err != nil || got.ID != u.ID || got.Role != auth.RoleAdmin {
		t.Fatalf("by name: %+v %v", got, err)
	}
	if n, _ := db.CountUsers(ctx); n != 1 {
		t.Errorf("count %d", n)
	}
	// A session ends when the password changes.
	sid := auth.NewSessionID()
	if err := db.CreateSession(ctx, auth.Digest(sid), u.ID, db.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionUser(ctx, auth.Digest(sid)); err != nil || s.ID != u.ID {
		t.Fatalf("session: %+v %v", s, err)
	}
	if _, err := db.SessionUser(ctx, sid); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Error("a session is found by its raw id: only digests may be stored")
	}
	if _, err := db.UpdateUser(ctx, u.ID, func(u *auth.User) error { u.Password += "x"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionUser(ctx, auth.Digest(sid)); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Error("the session outlived a password change")
	}
	// Expired sessions are not found.
	old := auth.NewSessionID()
	db.CreateSession(ctx, auth.Digest(old), u.ID, db.Now().Add(-time.Second))
	if _, err := db.SessionUser(ctx, auth.Digest(old)); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Error("an expired session was found")
	}
	// The audit log keeps account changes without the password hash.
	cs, _, err := db.Changes(ctx, store.ChangeFilter{Kind: "user", ID: u.ID})
	if err != nil || len(cs) != 2 || cs[0].Action != "update" || cs[0].Actor != "test" {
		t.Fatalf("changes %+v %v", cs, err)
	}
	if strings.Contains(string(cs[0].After), "argon2") || strings.Contains(string(cs[1].After), "argon2") {
		t.Error("the audit log holds a password hash")
	}
	if cs, _, _ := db.Changes(ctx, store.ChangeFilter{Exclude: []string{"user", "token"}}); len(cs) != 0 {
		t.Errorf("excluded kinds listed: %+v", cs)
	}
}

func TestLockout(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	u := newUser(t, db, "bob", auth.RoleUser)
	const stranger, colleague = "203.0.113.9", "198.51.100.7"
	var until time.Time
	for i := 0; i < auth.MaxFailures; i++ {
		var err error
		if until, err = db.SignInFailed(ctx, u.ID, stranger); err != nil {
			t.Fatal(err)
		}
		if i < auth.MaxFailures-1 && !until.IsZero() {
			t.Fatalf("locked after %d failures", i+1)
		}
	}
	if got, _ := db.SignInLocked(ctx, u.ID, stranger); !got.Equal(until) || until.Sub(db.Now()) < auth.LockFor-time.Minute {
		t.Fatalf("not locked for %v: %v", auth.LockFor, got)
	}
	if got, _ := db.User(ctx, u.ID); !got.LockedUntil.Equal(until) {
		t.Errorf("the account's summary does not show the lock: %v", got.LockedUntil)
	}
	// The lock is the stranger's address's only: the account's owner, elsewhere, is not locked.
	if got, err := db.SignInLocked(ctx, u.ID, colleague); err != nil || !got.IsZero() {
		t.Fatalf("another address is locked too: %v, %v", got, err)
	}
	if until, _ := db.SignInFailed(ctx, u.ID, colleague); !until.IsZero() {
		t.Error("one failure from another address locked it")
	}
	// When the lock has run out, counting starts afresh.
	now := db.Now
	db.Now = func() time.Time { return now().Add(auth.LockFor + time.Second) }
	if got, _ := db.SignInLocked(ctx, u.ID, stranger); !got.IsZero() {
		t.Error("the lock did not run out")
	}
	if until, _ := db.SignInFailed(ctx, u.ID, stranger); !until.IsZero() {
		t.Error("one failure after the lock ran out locked again")
	}
	db.SignInSucceeded(ctx, u.ID, stranger)
	if got, _ := db.User(ctx, u.ID); got.Failures != 0 || !got.LockedUntil.IsZero() {
		t.Errorf("success did not clear: %+v", got)
	}
}

// TestPasswordChangeRevokesTokens: a new password revokes the account's personal tokens and
// clears its locks, unless the owner asks to keep the tokens.
func TestPasswordChangeRevokesTokens(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	u := newUser(t, db, "dora", auth.RoleReviewer)
	mk := func() string {
		secret := auth.NewToken()
		if _, err := db.CreateToken(ctx, u.ID, "script", auth.Digest(secret)); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	works := func(secret string) bool {
		_, _, err := db.TokenUser(ctx, auth.Digest(secret))
		return err == nil
	}
	kept := mk()
	if err := db.ChangePassword(ctx, u.ID, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$bmV3bmV3bmV3bmV3", true); err != nil {
		t.Fatal(err)
	}
	if !works(kept) {
		t.Fatal("a token the owner chose to keep was revoked")
	}
	for range auth.MaxFailures {
		db.SignInFailed(ctx, u.ID, "203.0.113.9")
	}
	if err := db.ChangePassword(ctx, u.ID, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$b3RoZXJvdGhlcm90aGVy", false); err != nil {
		t.Fatal(err)
	}
	if works(kept) {
		t.Fatal("a password change without keeping tokens left a token working")
	}
	if got, _ := db.SignInLocked(ctx, u.ID, "203.0.113.9"); !got.IsZero() {
		t.Error("a new password did not clear the lock")
	}
	// Any other way to a new password (an admin's reset) revokes them too.
	again := mk()
	if _, err := db.UpdateUser(ctx, u.ID, func(u *auth.User) error {
		u.Password = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$cmVzZXRyZXNldHJlc2V0"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if works(again) {
		t.Fatal("an admin's reset left a token working")
	}
	// A change that is not a new password leaves them.
	third := mk()
	if _, err := db.UpdateUser(ctx, u.ID, func(u *auth.User) error { u.Role = auth.RoleUser; return nil }); err != nil {
		t.Fatal(err)
	}
	if !works(third) {
		t.Fatal("a role change revoked a token")
	}
}

func TestTokensAndSecrets(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	u := newUser(t, db, "carol", auth.RoleReviewer)
	secret := auth.NewToken()
	tok, err := db.CreateToken(ctx, u.ID, "script", auth.Digest(secret))
	if err != nil {
		t.Fatal(err)
	}
	got, gt, err := db.TokenUser(ctx, auth.Digest(secret))
	if err != nil || got.ID != u.ID || gt.ID != tok.ID {
		t.Fatalf("token user: %v", err)
	}
	if ts, _ := db.Tokens(ctx, u.ID); len(ts) != 1 || ts[0].LastUsed.IsZero() || ts[0].User != "carol" {
		t.Errorf("tokens %+v", ts)
	}
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, auth.Digest(secret)); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Error("a revoked token works")
	}
	if err := db.RevokeToken(ctx, 999); twin.ErrorCode(err) != twin.ENOTFOUND {
		t.Errorf("revoking no token: %v", err)
	}
	a, err := db.Secret(ctx, "csrf")
	b, _ := db.Secret(ctx, "csrf")
	if err != nil || len(a) != 64 || a != b {
		t.Errorf("secret %q %q %v", a, b, err)
	}
}

// TestLastAdminStays: the last active administrator can be neither demoted nor disabled (no
// account could manage accounts any more); once another is an administrator, either can go.
func TestLastAdminStays(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := twin.WithActor(context.Background(), "test")
	alice := newUser(t, db, "alice", auth.RoleAdmin)
	demote := func(u *auth.User) error { u.Role = auth.RoleReviewer; return nil }
	disable := func(u *auth.User) error { u.Disabled = true; return nil }
	for field, change := range map[string]func(*auth.User) error{"role": demote, "disabled": disable} {
		_, err := db.UpdateUser(ctx, alice.ID, change)
		if twin.ErrorFields(err)[field].Key != twin.KeyLastAdmin {
			t.Errorf("the last admin's %s changed: %v", field, err)
		}
	}
	if got, _ := db.UserByName(ctx, "alice"); got.Role != auth.RoleAdmin || got.Disabled {
		t.Fatalf("a refused change was written: %+v", got)
	}
	bob := newUser(t, db, "bob", auth.RoleAdmin)
	if _, err := db.UpdateUser(ctx, alice.ID, demote); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	if _, err := db.UpdateUser(ctx, bob.ID, disable); twin.ErrorFields(err)["disabled"].Key != twin.KeyLastAdmin {
		t.Errorf("the admin left was disabled: %v", err)
	}
}
