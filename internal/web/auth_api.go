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

// The account API: who am I, users (admins), personal API tokens, the audit log, and the two
// changes that have their own rule: an activity's confirmation by a city's editor and a
// proposal's moderation.

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

// changeUser answers PATCH /api/v1/users/{id}; like every change of a versioned record it
// needs If-Match, so that two admins changing one account do not overwrite each other.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r.Context(), r.PathValue("id"))
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
		p := twin.Problems{}
		p.Add("body", "unknown_field", nil)
		err = p.Err()
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
	id, err := parseID(r.Context(), r.PathValue("id"))
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
			pr := twin.Problems{}
			pr.Add("user", twin.KeyRequired, nil)
			err = pr.Err()
		case in.User == "" || p.User != nil && in.User == p.User.Name:
			owner = p.User
		case p.Role() != auth.RoleAdmin:
			err = twin.Errorf(twin.EFORBIDDEN, "only admins make tokens for others")
		default:
			owner, err = s.db.UserByName(r.Context(), in.User)
			if twin.ErrorCode(err) == twin.ENOTFOUND {
				pr := twin.Problems{}
				pr.Add("user", twin.KeyUnknownRecord, map[string]any{"value": in.User})
				err = pr.Err()
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
	id, err := parseID(r.Context(), r.PathValue("id"))
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

// changes answers GET /api/v1/changes?kind=&id=&actor=&before=&limit=.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.ChangeFilter{Kind: q.Get("kind"), Actor: q.Get("actor")}
	pr := twin.Problems{}
	for name, dst := range map[string]*int64{"id": &f.ID, "before": &f.Before} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				pr.Add(name, "invalid_number", nil)
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		f.Limit, _ = strconv.Atoi(v)
	}
	if err := pr.Err(); err != nil {
		return err
	}
	_, staff := s.staffActor(r)
	if f.Actor != "" && !staff {
		// Asking who changed what is asking for account names: staff only.
		if p, err := s.who(r); err != nil || p == nil {
			return twin.Errorf(twin.EUNAUTHORIZED, "the actor filter is for signed-in staff")
		}
		return twin.Errorf(twin.EFORBIDDEN, "the actor filter is for staff")
	}
	admin := s.canSeePrivate(r)
	if !admin {
		if f.Kind == "user" || f.Kind == "token" {
			return s.requireAdmin(r)
		}
		f.Exclude = []string{"user", "token"}
	}
	cs, next, err := s.db.Changes(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(answerChanges(cs, func(string) bool { return admin }, staff), next))
	return nil
}

type confirmInput struct {
	// City is the city confirming (a ref); needed only when the caller could speak for both.
	City string `json:"city,omitempty"`
}

// confirmActivity answers POST /api/v1/activities/{id}/confirm: the caller's city confirms
// that the activity took place. Confirming twice changes nothing.
func (s *Server) confirmActivity(w http.ResponseWriter, r *http.Request, rs *resource[twin.Activity]) error {
	ctx := r.Context()
	p := principalFrom(ctx)
	id, err := parseID(ctx, r.PathValue("id"))
	var in confirmInput
	var b []byte
	if err == nil {
		b, err = readBody(w, r)
	}
	if err == nil && len(b) > 0 {
		err = decodeStrict(b, &in)
	}
	var city *twin.City
	if err == nil {
		city, err = s.confirmingCity(r, p, id, in.City)
	}
	var act *twin.Activity
	if err == nil {
		act, err = s.db.Activities.Get(ctx, id)
	}
	if err == nil && !slices.ContainsFunc(act.Confirmations, func(c twin.Confirmation) bool { return c.City == city.Ref() }) {
		act, err = s.db.Activities.Update(ctx, id, 0, func(a *twin.Activity) error {
			if !slices.ContainsFunc(a.Confirmations, func(c twin.Confirmation) bool { return c.City == city.Ref() }) {
				a.Confirmations = append(a.Confirmations, twin.Confirmation{City: city.Ref(), User: p.Name(), At: s.db.Now()})
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	rs.out(r, act)
	w.Header().Set("ETag", etag(act.Version))
	writeJSON(w, http.StatusOK, act)
	return nil
}

// confirmingCity is the city a confirmation speaks for: one of the two cities of the activity's
// agreement that the caller edits (or names, for admins).
func (s *Server) confirmingCity(r *http.Request, p *auth.Principal, id int64, ref string) (*twin.City, error) {
	ctx := r.Context()
	act, err := s.db.Activities.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	agreement := act.Agreement
	if agreement == 0 && act.Link != 0 {
		l, err := s.db.Links.Get(ctx, act.Link)
		if err = unlessMissing(err); err != nil {
			return nil, err
		}
		if l != nil {
			agreement = l.Agreement
		}
	}
	pr := twin.Problems{}
	if agreement == 0 {
		pr.Add("agreement", twin.KeyRequired, nil)
		return nil, pr.Err()
	}
	a, err := s.db.Agreements.Get(ctx, agreement)
	if err != nil {
		return nil, err
	}
	var candidates []int64
	for _, cid := range a.CityIDs {
		if p.Role() == auth.RoleAdmin || slices.Contains(p.Own().Cities, cid) {
			candidates = append(candidates, cid)
		}
	}
	var chosen int64
	switch {
	case ref != "":
		c, err := s.db.City(ctx, ref)
		if twin.ErrorCode(err) == twin.ENOTFOUND {
			pr.Add("city", twin.KeyUnknownCity, map[string]any{"value": ref})
			return nil, pr.Err()
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(a.CityIDs, c.ID) {
			pr.Add("city", "not_a_party", map[string]any{"value": ref})
			return nil, pr.Err()
		}
		chosen = c.ID
		if !slices.Contains(candidates, chosen) {
			return nil, twin.Errorf(twin.EFORBIDDEN, "%s does not edit city %s", p.Name(), ref)
		}
	case len(candidates) == 0:
		return nil, twin.Errorf(twin.EFORBIDDEN, "%s edits neither city of agreement %d", p.Name(), agreement)
	case len(candidates) > 1:
		pr.Add("city", twin.KeyRequired, nil)
		return nil, pr.Err()
	default:
		chosen = candidates[0]
	}
	return s.db.Cities.Get(ctx, chosen)
}

type statusInput struct {
	Status string `json:"status"`
	// Reason is what the proposer reads on their follow page; a rejection needs one.
	Reason string `json:"reason,omitempty"`
}

// moderate answers POST /api/v1/proposals/{id}/status (If-Match optional).
func (s *Server) moderate(w http.ResponseWriter, r *http.Request, rs *resource[twin.Proposal]) error {
	ctx := r.Context()
	id, err := parseID(ctx, r.PathValue("id"))
	var in statusInput
	var cur *twin.Proposal
	if err == nil {
		cur, err = rs.allowed(r, id, auth.ActModerate)
	}
	version := int64(-1)
	if err == nil {
		version, err = ifMatch(r, cur.Version)
	}
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	var out *twin.Proposal
	if err == nil {
		out, err = s.moderateProposal(r, id, max(version, 0), in.Status, in.Reason)
	}
	if err != nil {
		rs.conflict(w, id, err)
		return err
	}
	rs.out(r, out)
	w.Header().Set("ETag", etag(out.Version))
	writeJSON(w, http.StatusOK, out)
	return nil
}
