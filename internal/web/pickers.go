package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Reference fields are pickers by name (issue 15): an agreement by its two cities, an
// institution link by its two institutions, an institution, a network or a person by any of
// their names. As the editor types, app.js offers matches from GET /api/v1/search; without the
// script, the form resolves what was typed and asks to choose among close matches. Both offer
// only what the editor may use (usableSet); the store still refuses a choice out of scope.

// usableSet is what a city or institution editor may use in a form's reference fields: the
// agreements of their cities, the links touching their cities (or their institutions), the
// institutions of their cities and of those cities' partners. Networks, people and cities are
// anyone's to name. A nil set is everything (admins, and readers who are not editors).
type usableSet struct {
	db     *store.DB
	cities []int64        // the editor's cities (an institution editor's: their institutions')
	near   map[int64]bool // those cities and their partners
	insts  []int64        // an institution editor's institutions
}

// usableFor is the usable set of the request's principal.
func (s *Server) usableFor(r *http.Request) *usableSet {
	p, err := s.who(r)
	if err != nil || p == nil {
		return nil
	}
	own := p.Own()
	u := &usableSet{db: s.db, near: map[int64]bool{}}
	ctx := r.Context()
	switch p.Role() {
	case auth.RoleCityEditor:
		u.cities = own.Cities
	case auth.RoleInstEditor:
		u.insts = own.Institutions
		for _, id := range own.Institutions {
			if in, err := s.db.Institutions.Get(ctx, id); err == nil && !slices.Contains(u.cities, in.CityID) {
				u.cities = append(u.cities, in.CityID)
			}
		}
	default:
		return nil
	}
	for _, c := range u.cities {
		u.near[c] = true
		if ps, err := s.db.Partners(ctx, c); err == nil {
			for _, pt := range ps {
				u.near[pt.City.ID] = true
			}
		}
	}
	return u
}

// allows says whether the record of kind and id is usable.
func (u *usableSet) allows(ctx context.Context, kind twin.Kind, id int64) bool {
	if u == nil {
		return true
	}
	meets := func(ids []int64, of []int64) bool {
		return slices.ContainsFunc(ids, func(x int64) bool { return slices.Contains(of, x) })
	}
	switch kind {
	case twin.KindAgreement:
		a, err := u.db.Agreements.Get(ctx, id)
		return err == nil && meets(a.CityIDs, u.cities)
	case twin.KindInstitution:
		in, err := u.db.Institutions.Get(ctx, id)
		return err == nil && (u.near[in.CityID] || slices.Contains(u.insts, in.ID))
	case twin.KindLink:
		l, err := u.db.Links.Get(ctx, id)
		if err != nil {
			return false
		}
		if len(u.insts) > 0 {
			return meets(l.Institutions, u.insts)
		}
		return meets(u.db.Scope(ctx, l).Cities, u.cities)
	}
	return true
}

// keepUsable drops the hits the set does not allow.
func (u *usableSet) keepUsable(ctx context.Context, hits []store.Hit) []store.Hit {
	if u == nil {
		return hits
	}
	return slices.DeleteFunc(hits, func(h store.Hit) bool { return !u.allows(ctx, h.Kind, h.ID) })
}

type usableKey struct{}

// withUsable makes u the usable set of the pickers a form resolves under ctx.
func withUsable(ctx context.Context, u *usableSet) context.Context {
	return context.WithValue(ctx, usableKey{}, u)
}

func usableFrom(ctx context.Context) *usableSet {
	u, _ := ctx.Value(usableKey{}).(*usableSet)
	return u
}
