package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// Signing in and out: attempts limited per address, sessions started and ended.

// clientIP is the address sign-in attempts are counted against: the connection's peer.
// X-Forwarded-For is not trusted, since any client can set it.
func clientIP(r *http.Request) string {
	if ri := infoFrom(r.Context()); ri != nil && ri.ip != "" {
		return ri.ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// dummyHash is verified against when the account does not exist, so that a wrong name takes
// as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("not a password of anyone")
	return h
})

var errSigninFailed = twin.Errorf(twin.ESIGNIN, "wrong name or password, or the account is locked")

// signIn checks a name and password, counting failures per client address (memory: every
// attempt takes from the address's bucket) and per account and address (database:
// auth.MaxFailures in a row lock the account for auth.LockFor, on every server, but only from
// that address, so that a stranger cannot lock a colleague out).
func (s *Server) signIn(ctx context.Context, ip, name, password string) (*auth.User, error) {
	if !s.signins.Allow(ip) {
		return nil, s.tooManyAttempts("sign-in", ip)
	}
	u, err := s.db.UserByName(ctx, name)
	if err != nil && twin.ErrorCode(err) != twin.ENOTFOUND {
		return nil, err
	}
	if u == nil || u.Disabled {
		auth.VerifyPassword(password, dummyHash())
		return nil, errSigninFailed
	}
	if err := s.lockedOut(ctx, u, ip); err != nil {
		return nil, err
	}
	ok, err := auth.VerifyPassword(password, u.Password)
	if err != nil && !errors.Is(err, auth.ErrBadHash) {
		return nil, err
	}
	if !ok {
		return nil, s.signInFailed(ctx, u, ip)
	}
	if err := s.db.SignInSucceeded(ctx, u.ID, ip); err != nil {
		return nil, err
	}
	return u, nil
}

// checkCurrentPassword verifies the password a signed-in person gives to change it, counting
// wrong guesses exactly like sign-in failures (the address's bucket, then the account's lock
// for that address): a stolen session cannot guess its way to the password. A wrong password
// is a field error on field; too many are too_many_attempts (the address's bucket) or
// password_locked (the account, from this address).
func (s *Server) checkCurrentPassword(ctx context.Context, ip string, u *auth.User, current, field string) error {
	if !s.signins.Allow(ip) {
		return s.tooManyAttempts("password", ip)
	}
	if until, err := s.db.SignInLocked(ctx, u.ID, ip); err != nil {
		return err
	} else if !until.IsZero() {
		return &twin.Error{Code: twin.ELOCKED, Message: fmt.Sprintf("%s is locked from %s until %s", u.Name, ip, until.Format(time.RFC3339)),
			Retry: max(until.Sub(s.db.Now()), time.Second)}
	}
	if ok, err := auth.VerifyPassword(current, u.Password); err == nil && ok {
		return s.db.SignInSucceeded(ctx, u.ID, ip)
	}
	until, err := s.db.SignInFailed(ctx, u.ID, ip)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		s.log.Warn("account locked for an address after wrong current passwords", "user", u.Name, "addr", ip, "until", until)
	}
	return twin.Problem(field, "wrong_password", nil)
}

// tooManyAttempts is the refusal of an address whose attempts (what) are spent, saying when
// the next one will be taken.
func (s *Server) tooManyAttempts(what, ip string) error {
	return &twin.Error{Code: twin.EATTEMPTS, Message: fmt.Sprintf("too many %s attempts from %s", what, ip),
		Retry: max(s.signins.Wait(ip), time.Second)}
}

// startSession makes a new session for u (never reusing the one the browser had) and sets
// its cookie: HTTP-only, SameSite=Lax, Secure and host-bound behind TLS.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	if old := sessionID(r); old != "" {
		s.db.DeleteSession(r.Context(), auth.Digest(old))
	}
	sid := auth.NewSessionID()
	if err := s.db.CreateSession(r.Context(), auth.Digest(sid), u.ID, s.db.Now().Add(s.sessionTTL)); err != nil {
		return err
	}
	name := authCookie
	if isHTTPS(r) {
		name = authCookieSecure
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: sid, Path: "/", MaxAge: int(s.sessionTTL / time.Second),
		HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode})
	return nil
}

// endSession deletes the request's session and its cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if sid := sessionID(r); sid != "" {
		if err := s.db.DeleteSession(r.Context(), auth.Digest(sid)); err != nil {
			return err
		}
	}
	for _, name := range []string{authCookie, authCookieSecure} {
		http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: name == authCookieSecure || isHTTPS(r), SameSite: http.SameSiteLaxMode})
	}
	return nil
}

// StaffActor says who the signed-in staff member is: an account whose role may edit records
// (admin, city or institution editor, reviewer), or the admin token. Readers and plain users
// are not staff.
func (s *Server) staffActor(r *http.Request) (string, bool) {
	p, err := s.who(r)
	if err != nil || p == nil {
		return "", false
	}
	switch p.Role() {
	case "", auth.RoleUser:
		return "", false
	}
	return p.Name(), true
}

// lockedOut is errSigninFailed while u is locked for the address ip.
func (s *Server) lockedOut(ctx context.Context, u *auth.User, ip string) error {
	until, err := s.db.SignInLocked(ctx, u.ID, ip)
	if err != nil || until.IsZero() {
		return err
	}
	s.log.Warn("sign-in refused: locked", "user", u.Name, "addr", ip, "until", until)
	return errSigninFailed
}

// signInFailed counts a wrong password for u from ip, which may lock the account for that
// address, and is errSigninFailed.
func (s *Server) signInFailed(ctx context.Context, u *auth.User, ip string) error {
	until, err := s.db.SignInFailed(ctx, u.ID, ip)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		s.log.Warn("account locked for an address", "user", u.Name, "addr", ip, "until", until)
	}
	return errSigninFailed
}
