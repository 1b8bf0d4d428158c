package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/persian"
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

// resolveNamed finds a record of kind by its number or by any of its names, among those the
// form's editor may use: one clear match is taken, close ones are offered to choose, each named
// in lang. A number is taken as it is: whether the editor may use it is the store's to say.
func resolveNamed[T any](ctx context.Context, s *Server, v, lang, kind string, tb *store.Table[T], brief func(*T) cityBrief) (int64, []cityBrief, error) {
	if id, err := strconv.ParseInt(persian.PlainNumber(v), 10, 64); err == nil {
		if _, err := tb.Get(ctx, id); err == nil {
			return id, nil, nil
		} else if !isNotFound(err) {
			return 0, nil, err
		}
		return 0, nil, nil
	}
	hits, err := s.db.Search(ctx, v, []string{kind}, 24)
	if err != nil {
		return 0, nil, err
	}
	hits = usableFrom(ctx).keepUsable(ctx, hits)
	if len(hits) > 6 {
		hits = hits[:6]
	}
	switch {
	case len(hits) == 0:
		return 0, nil, nil
	case len(hits) == 1 || hits[0].Score/1000 > hits[1].Score/1000:
		return hits[0].ID, nil, nil
	}
	recs, err := tb.ByIDs(ctx, store.HitIDs(hits))
	if err != nil {
		return 0, nil, err
	}
	var alt []cityBrief
	for _, rec := range recs {
		alt = append(alt, brief(rec))
	}
	return 0, alt, nil
}

// resolveInstitution finds an institution by number or by any of its names.
func (s *Server) resolveInstitution(ctx context.Context, v, lang string) (int64, []cityBrief, error) {
	return resolveNamed(ctx, s, v, lang, "institution", s.db.Institutions, func(in *twin.Institution) cityBrief {
		return cityBrief{ID: in.ID, Ref: strconv.FormatInt(in.ID, 10), Name: in.Names.Pick(lang), Country: in.City}
	})
}

// resolveNetwork finds a network by number or by any of its names.
func (s *Server) resolveNetwork(ctx context.Context, v, lang string) (int64, []cityBrief, error) {
	return resolveNamed(ctx, s, v, lang, "network", s.db.Networks, func(n *twin.Network) cityBrief {
		return cityBrief{ID: n.ID, Ref: strconv.FormatInt(n.ID, 10), Name: n.Names.Pick(lang)}
	})
}

// resolvePerson finds a person by number or by any of their names.
func (s *Server) resolvePerson(ctx context.Context, v, lang string) (int64, []cityBrief, error) {
	return resolveNamed(ctx, s, v, lang, "person", s.db.People, func(p *twin.Person) cityBrief {
		return cityBrief{ID: p.ID, Ref: strconv.FormatInt(p.ID, 10), Name: p.Names.Pick(lang)}
	})
}

// resolveLink finds an institution link by number or by its institutions' names («دانشگاه
// اصفهان دانشگاه سمرقند», or one institution's name to choose among its links).
func (s *Server) resolveLink(ctx context.Context, v, lang string) (int64, []cityBrief, error) {
	if id, err := strconv.ParseInt(persian.PlainNumber(v), 10, 64); err == nil {
		if _, err := s.db.Links.Get(ctx, id); err == nil {
			return id, nil, nil
		} else if !isNotFound(err) {
			return 0, nil, err
		}
		return 0, nil, nil
	}
	hits, err := s.linkHits(ctx, v)
	if err != nil {
		return 0, nil, err
	}
	hits = usableFrom(ctx).keepUsable(ctx, hits)
	switch {
	case len(hits) == 0:
		return 0, nil, nil
	case len(hits) == 1 || hits[0].Score > hits[1].Score:
		return hits[0].ID, nil, nil
	}
	var alt []cityBrief
	for _, h := range hits {
		if len(alt) == 12 {
			break
		}
		name, ok, err := s.linkName(ctx, h.ID, lang)
		if err != nil {
			return 0, nil, err
		}
		if ok {
			alt = append(alt, cityBrief{ID: h.ID, Ref: strconv.FormatInt(h.ID, 10), Name: name})
		}
	}
	return 0, alt, nil
}

// linkHits finds the institution links a query names by their institutions: first those
// joining two institutions the query names one after the other, then those of the institutions
// the whole query names.
func (s *Server) linkHits(ctx context.Context, q string) ([]store.Hit, error) {
	top := func(part string, n int) ([]int64, error) {
		hs, err := s.db.Search(ctx, part, []string{"institution"}, n)
		return store.HitIDs(hs), err
	}
	var out []store.Hit
	add := func(ls []*twin.Link, score int) {
		for _, l := range ls {
			if !slices.ContainsFunc(out, func(h store.Hit) bool { return h.ID == l.ID }) {
				out = append(out, store.Hit{Kind: "link", ID: l.ID, Score: score, Match: "institutions"})
			}
		}
	}
	words := strings.Fields(q)
	for i := 1; i < len(words) && i <= 6; i++ {
		a, err := top(strings.Join(words[:i], " "), 1)
		if err != nil {
			return nil, err
		}
		b, err := top(strings.Join(words[i:], " "), 1)
		if err != nil {
			return nil, err
		}
		if len(a) == 0 || len(b) == 0 || a[0] == b[0] {
			continue
		}
		page, err := s.db.Links.List(ctx, twin.Filter{Limit: 200}.With(twin.FilterInstitution, a[0]))
		if err != nil {
			return nil, err
		}
		add(slices.DeleteFunc(page.Items, func(l *twin.Link) bool { return !slices.Contains(l.Institutions, b[0]) }), 1<<20)
	}
	ins, err := top(q, 5)
	if err != nil {
		return nil, err
	}
	for _, id := range ins {
		page, err := s.db.Links.List(ctx, twin.Filter{Limit: 200}.With(twin.FilterInstitution, id))
		if err != nil {
			return nil, err
		}
		add(page.Items, 1<<19)
	}
	return out, nil
}

// linkName names an institution link by its two institutions in lang: "University of Isfahan
// – Samarkand State University"; ok is false when there is nothing to name, err a read that
// failed.
func (s *Server) linkName(ctx context.Context, id int64, lang string) (name string, ok bool, err error) {
	l, err := s.db.Links.Get(ctx, id)
	if err != nil {
		return "", false, unlessMissing(err)
	}
	ins, err := s.db.Institutions.ByIDs(ctx, l.Institutions)
	if err != nil {
		return "", false, err
	}
	names := map[int64]string{}
	for _, in := range ins {
		names[in.ID] = in.Names.Pick(lang)
	}
	var parts []string
	for _, id := range l.Institutions {
		if n := names[id]; n != "" {
			parts = append(parts, n)
		}
	}
	if len(parts) == 0 {
		return "", false, nil
	}
	return strings.Join(parts, " – "), true, nil
}

// pickedName names the record a picker's value holds, for the form ("= Isfahan – Samarkand"):
// "" when the value names none (or one no longer there); err is a read that failed.
func (s *Server) pickedName(ctx context.Context, kind, value, lang string) (string, error) {
	id, err := strconv.ParseInt(persian.PlainNumber(value), 10, 64)
	if err != nil {
		return "", nil
	}
	var names twin.Names
	switch kind {
	case "agreement":
		name, _, err := s.agreementName(ctx, id, lang)
		return name, err
	case "link":
		name, _, err := s.linkName(ctx, id, lang)
		return name, err
	case "institution":
		var in *twin.Institution
		if in, err = s.db.Institutions.Get(ctx, id); err == nil {
			names = in.Names
		}
	case "network":
		var n *twin.Network
		if n, err = s.db.Networks.Get(ctx, id); err == nil {
			names = n.Names
		}
	case "person":
		var p *twin.Person
		if p, err = s.db.People.Get(ctx, id); err == nil {
			names = p.Names
		}
	}
	return names.Pick(lang), unlessMissing(err)
}
