package web

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// The changes of an account: its role, scope and state, and a new password set by an admin.

// changeUser answers PATCH /api/v1/users/{id}; like every change of a versioned record it
// needs If-Match, so that two admins changing one account do not overwrite each other.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	var cur *auth.User
	if err == nil {
		cur, err = s.db.User(r.Context(), id)
	}
	version := int64(-1)
	if err == nil {
		version, err = ifMatch(r, cur.Version)
	}
	if err == nil && version < 0 {
		err = twin.Errorf(twin.EVERSIONMISSING, "PATCH needs If-Match")
	}
	var in userInput
	var b []byte
	if err == nil {
		b, err = readBody(w, r)
	}
	if err == nil {
		err = decodeStrict(b, &in)
	}
	if err == nil && (in.Name != "" || in.Password != "") {
		err = twin.Problem("body", "unknown_field", nil)
	}
	var cities, insts []int64
	if err == nil {
		cities, insts, err = ResolveScope(r.Context(), s.db, in.Cities, in.Institutions)
	}
	var u *auth.User
	if err == nil {
		u, err = s.db.UpdateUserAt(r.Context(), id, version, func(u *auth.User) error {
			if in.Role != "" {
				u.Role = in.Role
			}
			if in.Cities != nil {
				u.Cities = cities
			}
			if in.Institutions != nil {
				u.Institutions = insts
			}
			if in.Disabled != nil {
				u.Disabled = *in.Disabled
			}
			return nil
		})
	}
	if err != nil {
		if twin.ErrorCode(err) == twin.EPRECONDITION && cur != nil {
			if now, err := s.db.User(r.Context(), id); err == nil {
				w.Header().Set("ETag", etag(now.Version))
			}
		}
		return err
	}
	w.Header().Set("ETag", etag(u.Version))
	writeJSON(w, http.StatusOK, s.userAnswer(r.Context(), u))
	return nil
}

type passwordInput struct {
	Password string `json:"password"`
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	var in passwordInput
	var b []byte
	if err == nil {
		b, err = readBody(w, r)
	}
	if err == nil {
		err = decodeStrict(b, &in)
	}
	var h string
	if err == nil {
		h, err = hashInput(in.Password)
	}
	if err == nil {
		// A reset ends the account's sessions and revokes its personal tokens.
		err = s.db.ChangePassword(r.Context(), id, h, false)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
