package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// Who is asking: TWINNING_ADMIN_TOKEN (provisioning, admin rights), a personal API token
// ("Authorization: Bearer tw_..."), or a session cookie set by the sign-in page. Every request
// is identified at most once, lazily, by who.

const (
	authCookie       = "tw_session"           // the session cookie over plain HTTP (development)
	authCookieSecure = "__Host-tw_session"    // behind TLS: bound to the host, Secure, path /
	authSeedCookie   = "tw_csrf_seed"         // an anonymous visitor's CSRF seed, before sign-in
	csrfHeader       = "X-CSRF-Token"         // what cookie-authenticated API writes must send
	csrfField        = "csrf"                 // the hidden field of every form
	maxFormBody      = 1 << 20                // url-encoded forms
	maxUploadBody    = auth.MaxUpload + 1<<16 // multipart bodies: a document and its fields
)

type identityKey struct{}

// identity memoizes a request's principal.
type identity struct {
	done bool
	p    *auth.Principal
	err  error
}

// identify gives every request a place to keep its principal once it is known.
func (s *Server) identify(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, &identity{})))
	})
}

// who returns the request's principal, nil for an anonymous reader. A bearer credential that
// is wrong is an EUNAUTHORIZED error; a stale session cookie is just anonymous.
func (s *Server) who(r *http.Request) (*auth.Principal, error) {
	id, _ := r.Context().Value(identityKey{}).(*identity)
	if id != nil && id.done {
		return id.p, id.err
	}
	p, err := s.identifyRequest(r)
	if id != nil {
		id.done, id.p, id.err = true, p, err
	}
	return p, err
}

func (s *Server) identifyRequest(r *http.Request) (*auth.Principal, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		tok = strings.TrimSpace(tok)
		switch {
		case !ok || tok == "":
		case s.adminToken != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.adminToken)) == 1:
			return auth.Provisioner(), nil
		case auth.IsToken(tok):
			u, t, err := s.db.TokenUser(ctx, auth.Digest(tok))
			if err == nil {
				return &auth.Principal{User: u, Via: "token", Token: t.ID}, nil
			}
			if twin.ErrorCode(err) != twin.ENOTFOUND {
				return nil, err
			}
		}
		return nil, twin.Errorf(twin.EUNAUTHORIZED, "missing, wrong or revoked bearer token")
	}
	sid := sessionID(r)
	if sid == "" {
		return nil, nil
	}
	u, err := s.db.SessionUser(ctx, auth.Digest(sid))
	if err != nil {
		if twin.ErrorCode(err) == twin.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	return &auth.Principal{User: u, Via: "session", SessionID: sid}, nil
}

// sessionID is the session cookie's value, if any.
func sessionID(r *http.Request) string {
	for _, name := range []string{authCookieSecure, authCookie} {
		if c, err := r.Cookie(name); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
			return c.Value
		}
	}
	return ""
}

// isHTTPS reports whether the client reached us over TLS, directly or through a proxy.
// isHTTPS reports whether the client reached us over HTTPS: directly, or through a trusted
// proxy that says so in X-Forwarded-Proto (see observe).
func isHTTPS(r *http.Request) bool {
	if ri := infoFrom(r.Context()); ri != nil {
		return ri.https
	}
	return r.TLS != nil
}

// authenticate names the author of a write or says why there is none.
func (s *Server) authenticate(r *http.Request) (*auth.Principal, error) {
	p, err := s.who(r)
	if p != nil {
		return p, nil
	}
	if s.adminToken == "" {
		if n, cerr := s.db.CountUsers(r.Context()); cerr == nil && n == 0 {
			return nil, twin.Errorf(twin.EWRITESOFF, "no credential is configured")
		}
	}
	if err != nil {
		return nil, err
	}
	return nil, twin.Errorf(twin.EUNAUTHORIZED, "sign in or send a bearer token")
}

type principalKey struct{}

// principalFrom returns the principal requireWriter established, or nil.
func principalFrom(ctx context.Context) *auth.Principal {
	p, _ := ctx.Value(principalKey{}).(*auth.Principal)
	return p
}

// requireWriter lets a write through only with a credential whose role may make this route's
// kind of change at all: anonymous requests get 401, a wrong role 403, before anything is read.
// The handler then holds the principal to the record's scope (authorize).
func (s *Server) requireWriter(rt route, h http.HandlerFunc) http.HandlerFunc {
	kind, action := rt.kind, rt.action
	if action == "" {
		kind, action = "", auth.ActAdmin // undeclared routes are for admins
	}
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err == nil && !auth.MayAttempt(p, kind, action) {
			err = twin.Errorf(twin.EFORBIDDEN, "%s may not %s %s", p.Name(), action, kind)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ctx := context.WithValue(twin.WithActor(r.Context(), p.Name()), principalKey{}, p)
		h(w, r.WithContext(ctx))
	}
}

// csrfSecret is the installation's CSRF key, the same on every server sharing the database.
func (s *Server) csrfSecret(ctx context.Context) ([]byte, error) {
	s.csrfKeyMu.Lock()
	defer s.csrfKeyMu.Unlock()
	if s.csrfKey != nil {
		return s.csrfKey, nil
	}
	k, err := s.db.Secret(ctx, "csrf")
	if err != nil {
		return nil, err
	}
	s.csrfKey = []byte(k)
	return s.csrfKey, nil
}

// csrfFor returns the token the forms of this page must carry: the HMAC of the session id, or,
// before sign-in, of a random seed cookie it sets when missing.
func (s *Server) csrfFor(w http.ResponseWriter, r *http.Request) string {
	key, err := s.csrfSecret(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "csrf key", "err", err)
		return ""
	}
	if p, _ := s.who(r); p != nil && p.SessionID != "" {
		return auth.CSRFToken(key, p.SessionID)
	}
	seed := ""
	if c, err := r.Cookie(authSeedCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		seed = c.Value
	} else {
		seed = auth.NewSessionID()
		http.SetCookie(w, &http.Cookie{Name: authSeedCookie, Value: seed, Path: "/", HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode})
		r.AddCookie(&http.Cookie{Name: authSeedCookie, Value: seed})
	}
	return auth.CSRFToken(key, seed)
}

// verifyCSRF checks a request's CSRF token against its session or its seed cookie.
func (s *Server) verifyCSRF(r *http.Request, token string) bool {
	key, err := s.csrfSecret(r.Context())
	if err != nil {
		return false
	}
	if p, _ := s.who(r); p != nil && p.SessionID != "" {
		return auth.CheckCSRF(key, p.SessionID, token)
	}
	c, err := r.Cookie(authSeedCookie)
	return err == nil && auth.CheckCSRF(key, c.Value, token)
}

// csrfGuard refuses a state-changing request that a foreign page could have made: every
// non-GET page request must carry the form's token; an API write authenticated by the session
// cookie must carry it in X-CSRF-Token. Bearer-token requests cannot be forged by a browser
// and are exempt.
func (s *Server) csrfGuard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			h.ServeHTTP(w, r)
			return
		}
		ok := true
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if r.Header.Get("Authorization") == "" && sessionID(r) != "" {
				if p, _ := s.who(r); p != nil {
					ok = s.verifyCSRF(r, r.Header.Get(csrfHeader))
				}
			}
		} else {
			tok := r.Header.Get(csrfHeader)
			if tok == "" {
				tok = r.PostFormValue(csrfField)
			}
			ok = s.verifyCSRF(r, tok)
		}
		if !ok {
			err := twin.Errorf(twin.EFORBIDDEN, "missing or wrong CSRF token")
			if strings.HasPrefix(r.URL.Path, "/api/") {
				s.fail(w, r, err)
			} else {
				http.Error(w, "403 forbidden: the form has expired or did not come from this site; reload the page and try again", http.StatusForbidden)
			}
			return
		}
		h.ServeHTTP(w, r)
	})
}

// limitBodies caps every request body: url-encoded forms and JSON at 1 MiB, multipart
// uploads at the document limit. Larger declared bodies are refused before they are read.
func (s *Server) limitBodies(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxFormBody)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			limit = maxUploadBody
		}
		if r.ContentLength > limit {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				s.fail(w, r, twin.Errorf(twin.ETOOLARGE, "body over %d bytes", limit))
			} else {
				http.Error(w, "413 request entity too large", http.StatusRequestEntityTooLarge)
			}
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		h.ServeHTTP(w, r)
	})
}

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
		return nil, twin.Errorf(twin.EATTEMPTS, "too many sign-in attempts from %s", ip)
	}
	u, err := s.db.UserByName(ctx, name)
	if err != nil && twin.ErrorCode(err) != twin.ENOTFOUND {
		return nil, err
	}
	if u == nil || u.Disabled {
		auth.VerifyPassword(password, dummyHash())
		return nil, errSigninFailed
	}
	if until, err := s.db.SignInLocked(ctx, u.ID, ip); err != nil {
		return nil, err
	} else if !until.IsZero() {
		s.log.Warn("sign-in refused: locked", "user", u.Name, "addr", ip, "until", until)
		return nil, errSigninFailed
	}
	ok, err := auth.VerifyPassword(password, u.Password)
	if err != nil && !errors.Is(err, auth.ErrBadHash) {
		return nil, err
	}
	if !ok {
		until, err := s.db.SignInFailed(ctx, u.ID, ip)
		if err != nil {
			return nil, err
		}
		if !until.IsZero() {
			s.log.Warn("account locked for an address", "user", u.Name, "addr", ip, "until", until)
		}
		return nil, errSigninFailed
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
		return twin.Errorf(twin.EATTEMPTS, "too many password attempts from %s", ip)
	}
	if until, err := s.db.SignInLocked(ctx, u.ID, ip); err != nil {
		return err
	} else if !until.IsZero() {
		return twin.Errorf(twin.ELOCKED, "%s is locked from %s until %s", u.Name, ip, until.Format(time.RFC3339))
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
	pr := twin.Problems{}
	pr.Add(field, "wrong_password", nil)
	return pr.Err()
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
