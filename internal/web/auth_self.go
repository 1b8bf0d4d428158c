package web

import (
	"context"
	"net/http"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// passwordChange is the body of POST /api/v1/me/password.
type passwordChange struct {
	Current string `json:"current"`
	New     string `json:"new"`
	// KeepTokens keeps your personal API tokens working; by default they are revoked with the
	// old password.
	KeepTokens bool `json:"keep_tokens,omitempty"`
}

// changeOwnPassword answers POST /api/v1/me/password.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if p == nil || p.User == nil {
		return twin.Errorf(twin.EFORBIDDEN, "the provisioning token has no password of its own")
	}
	var in passwordChange
	if err := decodeBody(w, r, &in); err != nil {
		return err
	}
	u, err := s.db.User(r.Context(), p.User.ID)
	if err != nil {
		return err
	}
	if err := s.checkCurrentPassword(r.Context(), clientIP(r), u, in.Current, "current"); err != nil {
		return err
	}
	h, err := hashInput(in.New)
	if err != nil {
		return twin.Problem("new", "weak_password", map[string]any{"min": auth.MinPassword})
	}
	if err := s.db.ChangePassword(r.Context(), u.ID, h, in.KeepTokens); err != nil {
		return err
	}
	if err := s.keepSession(r.Context(), p, u); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// keepSession starts again the session p made a password change in: the change ends the
// account's sessions, and the one that made it goes on.
func (s *Server) keepSession(ctx context.Context, p *auth.Principal, u *auth.User) error {
	if p.SessionID == "" {
		return nil
	}
	return s.db.CreateSession(ctx, auth.Digest(p.SessionID), u.ID, s.db.Now().Add(s.sessionTTL))
}
