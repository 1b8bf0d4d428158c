package web

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// CSRF: the installation's secret, each session's token, and the guard of every unsafe request; the body limits.

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
				tok = r.PostFormValue(httpx.CSRFField)
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
