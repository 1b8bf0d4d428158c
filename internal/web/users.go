package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// The accounts of the API: who am I, and the admins' list and creation of accounts.

type meAnswer struct {
	Name         string   `json:"name"`
	Role         string   `json:"role"`
	Via          string   `json:"via"`
	Cities       []string `json:"cities,omitempty"`
	Institutions []int64  `json:"institutions,omitempty"`
	// CSRF is the X-CSRF-Token a browser script must send with writes made with the session cookie.
	CSRF string `json:"csrf,omitempty"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	p, err := s.authenticate(r)
	if err != nil {
		return err
	}
	a := meAnswer{Name: p.Name(), Role: p.Role(), Via: p.Via}
	if p.User != nil {
		a.Cities, a.Institutions = s.cityRefList(r.Context(), p.User.Cities), p.User.Institutions
	}
	if p.SessionID != "" {
		a.CSRF = s.csrfFor(w, r)
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) cityRefList(ctx context.Context, ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		ref := strconv.FormatInt(id, 10)
		if c, err := s.db.Cities.Get(ctx, id); err == nil {
			ref = c.Ref()
		}
		out = append(out, ref)
	}
	return out
}

// userInput is an account as an admin writes it.
type userInput struct {
	Name         string   `json:"name,omitempty"`
	Role         string   `json:"role,omitempty"`
	Cities       []string `json:"cities,omitempty"`
	Institutions []int64  `json:"institutions,omitempty"`
	Password     string   `json:"password,omitempty"`
	Disabled     *bool    `json:"disabled,omitempty"`
}

type userAnswer struct {
	ID           int64     `json:"id"`
	Version      int64     `json:"version"` // also the ETag: PATCH needs it in If-Match
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	Cities       []string  `json:"cities,omitempty"`
	Institutions []int64   `json:"institutions,omitempty"`
	Disabled     bool      `json:"disabled"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
}

func (s *Server) userAnswer(ctx context.Context, u *auth.User) userAnswer {
	return userAnswer{ID: u.ID, Version: u.Version, Name: u.Name, Role: u.Role, Cities: s.cityRefList(ctx, u.Cities), Institutions: u.Institutions,
		Disabled: u.Disabled, LockedUntil: u.LockedUntil, Created: u.Created, Updated: u.Updated}
}

// ResolveScope turns city refs into ids and checks that the institutions exist.
func ResolveScope(ctx context.Context, db *store.DB, cities []string, insts []int64) ([]int64, []int64, error) {
	p := twin.Problems{}
	var ids []int64
	for i, ref := range cities {
		c, err := db.City(ctx, ref)
		if twin.ErrorCode(err) == twin.ENOTFOUND {
			p.Add("cities["+strconv.Itoa(i)+"]", twin.KeyUnknownCity, map[string]any{"value": ref})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !slices.Contains(ids, c.ID) {
			ids = append(ids, c.ID)
		}
	}
	for i, id := range insts {
		_, err := db.Institutions.Get(ctx, id)
		if twin.ErrorCode(err) == twin.ENOTFOUND {
			p.Add("institutions["+strconv.Itoa(i)+"]", twin.KeyUnknownRecord, map[string]any{"value": id})
		} else if err != nil {
			return nil, nil, err
		}
	}
	return ids, insts, p.Err()
}

func (s *Server) requireAdmin(r *http.Request) error {
	p, err := s.authenticate(r)
	if err == nil && p.Role() != auth.RoleAdmin {
		err = twin.Errorf(twin.EFORBIDDEN, "for admins")
	}
	return err
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	us, err := s.db.Users(r.Context())
	if err != nil {
		return err
	}
	out := make([]userAnswer, 0, len(us))
	for _, u := range us {
		out = append(out, s.userAnswer(r.Context(), u))
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	b, err := readBody(w, r)
	if err == nil {
		err = decodeStrict(b, &in)
	}
	u := &auth.User{Name: in.Name, Role: in.Role, Disabled: in.Disabled != nil && *in.Disabled}
	if err == nil {
		u.Cities, u.Institutions, err = ResolveScope(r.Context(), s.db, in.Cities, in.Institutions)
	}
	if err == nil {
		u.Password, err = hashInput(in.Password)
	}
	if err == nil {
		u, err = s.db.CreateUser(r.Context(), u)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	w.Header().Set("ETag", etag(u.Version))
	writeJSON(w, http.StatusCreated, s.userAnswer(r.Context(), u))
	return nil
}

// hashInput hashes a new password, or says why it is not acceptable.
func hashInput(pw string) (string, error) {
	h, err := auth.HashPassword(pw)
	if err == auth.ErrWeakPassword {
		p := twin.Problems{}
		p.Add("password", "weak_password", map[string]any{"min": auth.MinPassword})
		return "", p.Err()
	}
	return h, err
}
