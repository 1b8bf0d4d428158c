package web

import (
	"net/http"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// passwordChange is the body of POST /api/v1/me/password.
type passwordChange struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// selfRoutes declares what a signed-in person does to their own account.
func (s *Server) selfRoutes() []route {
	return []route{{method: "POST", pattern: "/api/v1/me/password", handler: s.changeOwnPassword, api: true, write: true, kind: "account", action: auth.ActSelf,
		summary: "Change your own password (current and new); your other sessions end, this one stays", tag: "accounts", body: passwordChange{}, status: 204}}
}

// changeOwnPassword answers POST /api/v1/me/password.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	if p == nil || p.User == nil {
		s.fail(w, r, twin.Errorf(twin.EFORBIDDEN, "the provisioning token has no password of its own"))
		return
	}
	var in passwordChange
	if err := decodeBody(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.db.User(r.Context(), p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok, err := auth.VerifyPassword(in.Current, u.Password); err != nil || !ok {
		pr := twin.Problems{}
		pr.Add("current", "wrong_password", nil)
		s.fail(w, r, pr.Err())
		return
	}
	h, err := hashInput(in.New)
	if err != nil {
		pr := twin.Problems{}
		pr.Add("new", "weak_password", map[string]any{"min": auth.MinPassword})
		s.fail(w, r, pr.Err())
		return
	}
	if _, err := s.db.UpdateUser(r.Context(), u.ID, func(u *auth.User) error {
		u.Password, u.Failures, u.LockedUntil = h, 0, time.Time{}
		return nil
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	// A password change ends the account's sessions; the one that made it goes on.
	if p.SessionID != "" {
		if err := s.db.CreateSession(r.Context(), auth.Digest(p.SessionID), u.ID, s.db.Now().Add(s.sessionTTL)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
