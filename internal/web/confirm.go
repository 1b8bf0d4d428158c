package web

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"slices"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// A partner city's confirmation of an activity.

type confirmInput struct {
	// City is the city confirming (a ref); needed only when the caller could speak for both.
	City string `json:"city,omitempty"`
}

// confirmActivity answers POST /api/v1/activities/{id}/confirm: the caller's city confirms
// that the activity took place. Confirming twice changes nothing.
func (s *Server) confirmActivity(w http.ResponseWriter, r *http.Request, rs *resource[twin.Activity]) error {
	ctx := r.Context()
	p := principalFrom(ctx)
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
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
	if err == nil && !confirmedBy(act, city) {
		act, err = s.db.Activities.Update(ctx, id, 0, func(a *twin.Activity) error {
			if !confirmedBy(a, city) {
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
	agreement, err := s.activityAgreement(ctx, act)
	if err != nil {
		return nil, err
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
	candidates := editableCities(p, a)
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

// activityAgreement is the agreement an activity belongs to, directly or through its
// institution link; 0 when it has none (or its link is gone).
func (s *Server) activityAgreement(ctx context.Context, act *twin.Activity) (int64, error) {
	if act.Agreement != 0 || act.Link == 0 {
		return act.Agreement, nil
	}
	l, err := s.db.Links.Get(ctx, act.Link)
	if err = httpx.UnlessMissing(err); err != nil || l == nil {
		return 0, err
	}
	return l.Agreement, nil
}

// editableCities are the cities of a that p edits (both for an admin).
func editableCities(p *auth.Principal, a *twin.Agreement) []int64 {
	var out []int64
	for _, cid := range a.CityIDs {
		if p.Role() == auth.RoleAdmin || slices.Contains(p.Own().Cities, cid) {
			out = append(out, cid)
		}
	}
	return out
}

// confirmedBy reports whether city has confirmed the activity.
func confirmedBy(act *twin.Activity, city *twin.City) bool {
	return slices.ContainsFunc(act.Confirmations, func(c twin.Confirmation) bool { return c.City == city.Ref() })
}
