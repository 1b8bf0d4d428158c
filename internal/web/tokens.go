package web

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// The API tokens of an account: listed, made (the secret shown once) and revoked.

type tokenInput struct {
	Name string `json:"name"`
	// User is whose token it is: yourself when empty; another account only for admins.
	User string `json:"user,omitempty"`
}

type tokenAnswer struct {
	auth.Token
	// Secret is the token itself, shown this once: send it as "Authorization: Bearer tw_...".
	Secret string `json:"token"`
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	p, err := s.authenticate(r)
	if err != nil {
		return err
	}
	var uid int64 = -1
	switch {
	case p.Role() == auth.RoleAdmin:
		uid = 0
	case p.User != nil:
		uid = p.User.ID
	}
	ts, err := s.db.Tokens(r.Context(), uid)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(ts, ""))
	return nil
}

func (s *Server) addToken(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	var in tokenInput
	b, err := readBody(w, r)
	if err == nil {
		err = decodeStrict(b, &in)
	}
	var owner *auth.User
	if err == nil {
		switch {
		case in.User == "" && p.User == nil:
			err = twin.Problem("user", twin.KeyRequired, nil)
		case in.User == "" || p.User != nil && in.User == p.User.Name:
			owner = p.User
		case p.Role() != auth.RoleAdmin:
			err = twin.Errorf(twin.EFORBIDDEN, "only admins make tokens for others")
		default:
			owner, err = s.db.UserByName(r.Context(), in.User)
			if twin.ErrorCode(err) == twin.ENOTFOUND {
				err = twin.Problem("user", twin.KeyUnknownRecord, map[string]any{"value": in.User})
			}
		}
	}
	var tok *auth.Token
	secret := auth.NewToken()
	if err == nil {
		tok, err = s.db.CreateToken(r.Context(), owner.ID, in.Name, auth.Digest(secret))
	}
	if err != nil {
		return err
	}
	tok.User = owner.Name
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, tokenAnswer{Token: *tok, Secret: secret})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	var tok *auth.Token
	if err == nil {
		tok, err = s.db.Token(r.Context(), id)
	}
	if err == nil && p.Role() != auth.RoleAdmin && (p.User == nil || tok.UserID != p.User.ID) {
		err = twin.Errorf(twin.EFORBIDDEN, "not your token")
	}
	if err == nil {
		err = s.db.RevokeToken(r.Context(), id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
