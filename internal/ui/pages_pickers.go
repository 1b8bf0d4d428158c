package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// The pickers of the forms (see web/pickers.go for what an editor may use): what was typed
// resolved to a record, or close matches to choose among; the name of the record a picker holds.

// resolveNamed finds a record of kind by its number or by any of its names, among those the
// form's editor may use: one clear match is taken, close ones are offered to choose, each named
// in lang. A number is taken as it is: whether the editor may use it is the store's to say.
func resolveNamed[T any](ctx context.Context, s *Pages, v, lang, kind string, tb *store.Table[T], brief func(*T) httpx.CityBrief) (int64, []httpx.CityBrief, error) {
	if id, err := strconv.ParseInt(persian.PlainNumber(v), 10, 64); err == nil {
		if _, err := tb.Get(ctx, id); err == nil {
			return id, nil, nil
		} else if !httpx.IsNotFound(err) {
			return 0, nil, err
		}
		return 0, nil, nil
	}
	hits, err := s.db.Search(ctx, v, []string{kind}, 24)
	if err != nil {
		return 0, nil, err
	}
	hits = s.KeepUsable(ctx, hits)
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
	var alt []httpx.CityBrief
	for _, rec := range recs {
		alt = append(alt, brief(rec))
	}
	return 0, alt, nil
}

// resolveInstitution finds an institution by number or by any of its names.
func (s *Pages) resolveInstitution(ctx context.Context, v, lang string) (int64, []httpx.CityBrief, error) {
	return resolveNamed(ctx, s, v, lang, "institution", s.db.Institutions, func(in *twin.Institution) httpx.CityBrief {
		return httpx.CityBrief{ID: in.ID, Ref: strconv.FormatInt(in.ID, 10), Name: in.Names.Pick(lang), Country: in.City}
	})
}

// resolveNetwork finds a network by number or by any of its names.
func (s *Pages) resolveNetwork(ctx context.Context, v, lang string) (int64, []httpx.CityBrief, error) {
	return resolveNamed(ctx, s, v, lang, "network", s.db.Networks, func(n *twin.Network) httpx.CityBrief {
		return httpx.CityBrief{ID: n.ID, Ref: strconv.FormatInt(n.ID, 10), Name: n.Names.Pick(lang)}
	})
}

// resolvePerson finds a person by number or by any of their names.
func (s *Pages) resolvePerson(ctx context.Context, v, lang string) (int64, []httpx.CityBrief, error) {
	return resolveNamed(ctx, s, v, lang, "person", s.db.People, func(p *twin.Person) httpx.CityBrief {
		return httpx.CityBrief{ID: p.ID, Ref: strconv.FormatInt(p.ID, 10), Name: p.Names.Pick(lang)}
	})
}

// resolveLink finds an institution link by number or by its institutions' names («دانشگاه
// اصفهان دانشگاه سمرقند», or one institution's name to choose among its links).
func (s *Pages) resolveLink(ctx context.Context, v, lang string) (int64, []httpx.CityBrief, error) {
	if id, err := strconv.ParseInt(persian.PlainNumber(v), 10, 64); err == nil {
		if _, err := s.db.Links.Get(ctx, id); err == nil {
			return id, nil, nil
		} else if !httpx.IsNotFound(err) {
			return 0, nil, err
		}
		return 0, nil, nil
	}
	hits, err := s.LinkHits(ctx, v)
	if err != nil {
		return 0, nil, err
	}
	hits = s.KeepUsable(ctx, hits)
	switch {
	case len(hits) == 0:
		return 0, nil, nil
	case len(hits) == 1 || hits[0].Score > hits[1].Score:
		return hits[0].ID, nil, nil
	}
	var alt []httpx.CityBrief
	for _, h := range hits {
		if len(alt) == 12 {
			break
		}
		name, ok, err := s.linkName(ctx, h.ID, lang)
		if err != nil {
			return 0, nil, err
		}
		if ok {
			alt = append(alt, httpx.CityBrief{ID: h.ID, Ref: strconv.FormatInt(h.ID, 10), Name: name})
		}
	}
	return 0, alt, nil
}

// linkName names an institution link by its two institutions in lang: "University of Isfahan
// – Samarkand State University"; ok is false when there is nothing to name, err a read that
// failed.
func (s *Pages) linkName(ctx context.Context, id int64, lang string) (name string, ok bool, err error) {
	l, err := s.db.Links.Get(ctx, id)
	if err != nil {
		return "", false, httpx.UnlessMissing(err)
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
func (s *Pages) pickedName(ctx context.Context, kind, value, lang string) (string, error) {
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
	return names.Pick(lang), httpx.UnlessMissing(err)
}
