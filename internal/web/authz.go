package web

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// Authorization of a record: what it touches (its scope: cities and institutions) is worked out
// here from the registry, and the rule of who may do what is auth.Allowed. References are
// resolved from the record's refs, never from ids a client could have typed (city_ids).

// scopeOf returns the cities and institutions rec touches, as the registry is now (the store
// holds the rule, and applies it again inside each write's transaction).
func (s *Server) scopeOf(ctx context.Context, rec any) auth.Scope {
	return auth.Scope(s.db.Scope(ctx, rec))
}

// authorize says whether the request's principal may do action to rec of kind: nil, or an
// EFORBIDDEN error (EUNAUTHORIZED for an anonymous request).
func (s *Server) authorize(r *http.Request, kind, action string, rec any) error {
	p := principalFrom(r.Context())
	if p == nil {
		var err error
		if p, err = s.authenticate(r); err != nil {
			return err
		}
	}
	if p.Role() == auth.RoleAdmin {
		return nil
	}
	if !auth.Allowed(p, kind, action, s.scopeOf(r.Context(), rec)) {
		s.refused(r, p, kind, action)
		return twin.Errorf(twin.EFORBIDDEN, "%s may not %s this %s", p.Name(), action, kind)
	}
	return nil
}

// maySee reports whether the reader may see rec's private fields (a person's or a proposal's
// contact): admins, editors whose scope it is in, reviewers and the proposer for proposals.
func (s *Server) maySee(r *http.Request, kind string, rec any) bool {
	if pr, ok := rec.(*twin.Proposal); ok && s.holdsKey(r, pr.ID) {
		return true // its proposer, by the follow key
	}
	p, err := s.who(r)
	if err != nil || p == nil {
		return false
	}
	if p.Role() == auth.RoleAdmin {
		return true
	}
	if p.Role() == auth.RoleUser {
		return false
	}
	return auth.MaySeePrivate(p, kind, s.scopeOf(r.Context(), rec))
}

// canSeePrivate reports whether the reader may see every record's private fields (admins).
func (s *Server) canSeePrivate(r *http.Request) bool {
	p, err := s.who(r)
	return err == nil && p.Role() == auth.RoleAdmin
}

// privateFields lists the JSON fields of each kind that only some readers may see.
var privateFields = map[twin.Kind][]string{twin.KindPerson: {"contact"}, twin.KindProposal: {"contact"}}

// stripPrivate removes the private fields of kind from a JSON document.
func stripPrivate(kind string, doc json.RawMessage) json.RawMessage {
	fields := privateFields[twin.Kind(kind)]
	if len(fields) == 0 || len(doc) == 0 {
		return doc
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(doc, &m) != nil {
		return nil
	}
	for _, f := range fields {
		delete(m, f)
	}
	b, _ := json.Marshal(m)
	return b
}

// fieldChange is one field's value before and after a change.
type fieldChange struct {
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// changeAnswer is an audit entry with the fields it changed, each before and after.
type changeAnswer struct {
	twin.Change
	Fields map[string]fieldChange `json:"fields,omitempty"`
}

// describeChange lists the top-level fields that differ between a change's two documents.
func describeChange(c twin.Change) changeAnswer {
	var before, after map[string]json.RawMessage
	json.Unmarshal(c.Before, &before)
	json.Unmarshal(c.After, &after)
	out := changeAnswer{Change: c, Fields: map[string]fieldChange{}}
	for k, v := range before {
		if k == "version" || k == "updated" {
			continue
		}
		if w, ok := after[k]; !ok || string(w) != string(v) {
			out.Fields[k] = fieldChange{Before: v, After: after[k]}
		}
	}
	for k, w := range after {
		if _, ok := before[k]; !ok && k != "version" && k != "updated" {
			out.Fields[k] = fieldChange{After: w}
		}
	}
	return out
}

// answerChanges prepares audit entries for a reader, hiding private fields when visible is false.
//
// Who made each change is shown to signed-in staff only (actors): account names are no one
// else's business, and a list of them is where guessing passwords starts.
func answerChanges(cs []twin.Change, visible func(kind string) bool, actors bool) []changeAnswer {
	out := make([]changeAnswer, 0, len(cs))
	for _, c := range cs {
		if !actors {
			c.Actor = ""
		}
		if !visible(c.Kind) {
			c.Before, c.After = stripPrivate(c.Kind, c.Before), stripPrivate(c.Kind, c.After)
		}
		out = append(out, describeChange(c))
	}
	return out
}
