package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Fields the server owns are never taken from a client. The rule, the same on every write
// route for every kind: a write may leave such a field out, or send it back with the value the
// record has (so a record read with GET can be changed and sent back whole); any other value is
// refused with the field error read_only, and nothing changes. Vitality, computed on every
// read and never stored, is dropped from what a client sends.

// metaFields are every record's server-owned fields.
var metaFields = []string{"id", "version", "created", "updated"}

// ownedFields lists each kind's own server-owned top-level fields.
var ownedFields = map[string][]string{
	// city_ids are resolved from cities; documents change only through their own routes;
	// claims are what sources (imports, accepted articles) say.
	"agreement":   {"city_ids", "documents", "claims"},
	"institution": {"city_id"},
	// confirmations are made by POST /api/v1/activities/{id}/confirm.
	"activity": {"confirmations"},
}

// computedFields are fields computed on read: dropped from input.
var computedFields = map[string][]string{"agreement": {"vitality"}}

const keyReadOnly = "read_only"

// readOnly checks a write's document (the body of a POST, the merged document of a PATCH)
// against the record as it is (nil for a new record) and removes the computed fields from it.
func readOnly(kind string, cur []byte, next map[string]json.RawMessage) error {
	for _, f := range computedFields[kind] {
		delete(next, f)
	}
	var was map[string]json.RawMessage
	if cur != nil {
		if err := json.Unmarshal(cur, &was); err != nil {
			return err
		}
	}
	p := twin.Problems{}
	for _, f := range append(metaFields[:len(metaFields):len(metaFields)], ownedFields[kind]...) {
		// Left out of a POST, the field is empty; a merge patch's null removes it from the
		// merged document, which is a change like any other.
		if sameValue(next[f], was[f]) {
			continue
		}
		p.Add(f, keyReadOnly, nil)
	}
	return p.Err()
}

// sameValue reports whether two JSON values are equal; an absent value equals null, zero, an
// empty string, array or object.
func sameValue(a, b json.RawMessage) bool {
	var x, y any
	if len(bytes.TrimSpace(a)) > 0 {
		if json.Unmarshal(a, &x) != nil {
			return false
		}
	}
	if len(bytes.TrimSpace(b)) > 0 {
		if json.Unmarshal(b, &y) != nil {
			return false
		}
	}
	return reflect.DeepEqual(zeroNil(x), zeroNil(y))
}

func zeroNil(v any) any {
	switch w := v.(type) {
	case float64:
		if w == 0 {
			return nil
		}
	case string:
		if w == "" {
			return nil
		}
	case bool:
		if !w {
			return nil
		}
	case []any:
		if len(w) == 0 {
			return nil
		}
	case map[string]any:
		if len(w) == 0 {
			return nil
		}
	}
	return v
}

// checkOwned applies readOnly to a JSON document and returns it without its computed fields.
func checkOwned(kind string, cur, doc []byte) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil || m == nil {
		return doc, nil // decodeStrict reports what is wrong with it
	}
	if err := readOnly(kind, cur, m); err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// checkMembers refuses a network member's city_id that is not its city's: the id is resolved
// from the city, never taken from a client.
func (s *Server) checkMembers(ctx context.Context, rec any) error {
	n, ok := rec.(*twin.Network)
	if !ok {
		return nil
	}
	p := twin.Problems{}
	for i, m := range n.Members {
		if m.CityID == 0 {
			continue
		}
		if c, err := s.db.City(ctx, m.City); err != nil || c.ID != m.CityID {
			p.Add(fmt.Sprintf("members[%d].city_id", i), keyReadOnly, nil)
		}
	}
	return p.Err()
}

// guard is the authorization a request's writes are held to inside their transaction, on the
// records as they are read there (see store.Guard).
func (s *Server) guard(r *http.Request) store.Guard {
	p := principalFrom(r.Context())
	if p == nil {
		p, _ = s.who(r) // the pages' forms
	}
	return func(kind, action string, sc store.Scope) error {
		if p.Role() == auth.RoleAdmin {
			return nil
		}
		if p == nil || !auth.Allowed(p, kind, action, auth.Scope(sc)) {
			s.refused(r, p, kind, action)
			return twin.Errorf(twin.EFORBIDDEN, "%s may not %s this %s", p.Name(), action, kind)
		}
		return nil
	}
}

// withGuard returns the request's context with its writes held to the principal's scope.
func (s *Server) withGuard(r *http.Request) context.Context {
	return store.WithGuard(r.Context(), s.guard(r))
}

// refused logs a write someone was not allowed, so that staff can see who tried.
func (s *Server) refused(r *http.Request, p *auth.Principal, kind, action string) {
	s.log.WarnContext(r.Context(), "write refused", slog.String("actor", p.Name()), slog.String("role", p.Role()),
		slog.String("kind", kind), slog.String("action", action), slog.String("method", r.Method), slog.String("path", r.URL.Path))
}
