package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

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
