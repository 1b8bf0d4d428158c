package web

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"net/url"
	"strconv"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// The account API: who am I, users (admins), personal API tokens, the audit log, and the two
// changes that have their own rule: an activity's confirmation by a city's editor and a
// proposal's moderation.

// changes answers GET /api/v1/changes?kind=&id=&actor=&before=&limit=.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) error {
	f, err := changeFilter(r.URL.Query())
	if err != nil {
		return err
	}
	_, staff := s.staffActor(r)
	if f.Actor != "" && !staff {
		return s.actorFilterRefused(r)
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

type statusInput struct {
	Status string `json:"status"`
	// Reason is what the proposer reads on their follow page; a rejection needs one.
	Reason string `json:"reason,omitempty"`
}

// moderate answers POST /api/v1/proposals/{id}/status (If-Match optional).
func (s *Server) moderate(w http.ResponseWriter, r *http.Request, rs *resource[twin.Proposal]) error {
	ctx := r.Context()
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
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

// changeFilter reads the log's filter from the query.
func changeFilter(q url.Values) (store.ChangeFilter, error) {
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
	return f, pr.Err()
}

// actorFilterRefused is the error of a reader who is not staff asking who changed what: that
// is asking for account names, staff only.
func (s *Server) actorFilterRefused(r *http.Request) error {
	if p, err := s.who(r); err != nil || p == nil {
		return twin.Errorf(twin.EUNAUTHORIZED, "the actor filter is for signed-in staff")
	}
	return twin.Errorf(twin.EFORBIDDEN, "the actor filter is for staff")
}
