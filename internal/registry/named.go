package registry

import (
	"context"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Search puts first what a query names by its parts, as people ask: an agreement by its two
// cities, a link by its two institutions.

// NamedFirst puts first the records q names by their parts: an agreement is asked for by its
// two cities («اصفهان سمرقند»), or, when only agreements are wanted, by one city's name; a link
// by its two institutions, or one.
func (r *Registry) NamedFirst(ctx context.Context, q string, kinds []string, hits []store.Hit) ([]store.Hit, error) {
	first := func(pre []store.Hit) {
		hits = append(pre, slices.DeleteFunc(hits, func(h store.Hit) bool {
			return slices.ContainsFunc(pre, func(p store.Hit) bool { return p.Kind == h.Kind && p.ID == h.ID })
		})...)
	}
	if slices.Contains(kinds, string(twin.KindLink)) {
		pre, err := r.LinkHits(ctx, q)
		if err != nil {
			return nil, err
		}
		first(pre)
	}
	if len(kinds) == 0 || slices.Contains(kinds, string(twin.KindAgreement)) {
		pre, err := r.AgreementHits(ctx, q, len(kinds) == 1)
		if err != nil {
			return nil, err
		}
		first(pre)
	}
	return hits, nil
}

// AgreementHits finds the agreements a query names by their cities: every way of cutting its
// words in two that names two cities with an agreement between them; with only, the
// agreements of the one city the whole query names.
func (r *Registry) AgreementHits(ctx context.Context, q string, only bool) ([]store.Hit, error) {
	top := func(part string) (int64, error) {
		hs, err := r.db.Search(ctx, part, []string{string(twin.KindCity)}, 1)
		if err != nil || len(hs) == 0 {
			return 0, err
		}
		return hs[0].ID, nil
	}
	var out []store.Hit
	words := strings.Fields(q)
	for i := 1; i < len(words) && i <= 4; i++ {
		a, err := top(strings.Join(words[:i], " "))
		if err != nil {
			return nil, err
		}
		b, err := top(strings.Join(words[i:], " "))
		if err != nil {
			return nil, err
		}
		if a == 0 || b == 0 || a == b {
			continue
		}
		ps, err := r.db.Partners(ctx, a)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p.City != nil && p.City.ID == b && !slices.ContainsFunc(out, func(h store.Hit) bool { return h.ID == p.Agreement.ID }) {
				out = append(out, store.Hit{Kind: twin.KindAgreement, ID: p.Agreement.ID, Score: 1 << 20, Match: "cities"})
			}
		}
	}
	if len(out) > 0 || !only {
		return out, nil
	}
	c, err := top(q)
	if err != nil || c == 0 {
		return nil, err
	}
	ps, err := r.db.Partners(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		out = append(out, store.Hit{Kind: twin.KindAgreement, ID: p.Agreement.ID, Score: 1 << 19, Match: "city"})
	}
	return out, nil
}

// LinkHits finds the institution links a query names by their institutions: first those
// joining two institutions the query names one after the other, then those of the institutions
// the whole query names.
func (r *Registry) LinkHits(ctx context.Context, q string) ([]store.Hit, error) {
	top := func(part string, n int) ([]int64, error) { return r.topInstitutions(ctx, part, n) }
	var out []store.Hit
	add := func(ls []*twin.Link, score int) { out = addLinkHits(out, ls, score) }
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
		page, err := r.db.Links.List(ctx, twin.Filter{Limit: 200}.With(twin.FilterInstitution, a[0]))
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
		page, err := r.db.Links.List(ctx, twin.Filter{Limit: 200}.With(twin.FilterInstitution, id))
		if err != nil {
			return nil, err
		}
		add(page.Items, 1<<19)
	}
	return out, nil
}

// topInstitutions are the n institutions that best match part.
func (r *Registry) topInstitutions(ctx context.Context, part string, n int) ([]int64, error) {
	hs, err := r.db.Search(ctx, part, []string{string(twin.KindInstitution)}, n)
	return store.HitIDs(hs), err
}

// addLinkHits adds to out, as hits of the given score, the links it does not hold yet.
func addLinkHits(out []store.Hit, ls []*twin.Link, score int) []store.Hit {
	for _, l := range ls {
		if !slices.ContainsFunc(out, func(h store.Hit) bool { return h.ID == l.ID }) {
			out = append(out, store.Hit{Kind: twin.KindLink, ID: l.ID, Score: score, Match: "institutions"})
		}
	}
	return out
}
