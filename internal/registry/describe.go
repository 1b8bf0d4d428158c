package registry

import (
	"context"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// Description is what a search hit shows of its record, in one language.
type Description struct {
	// Found is false for a record gone since it was indexed, and for one the public may not
	// see (a proposal not yet published, or rejected): such hits are left out.
	Found bool
	Ref   string     // how the API names the record: a city's Wikidata id, else its id
	Names twin.Names // its names (a link has none; an agreement's are its title)
	Title string     // its name in the language; an agreement's is its two cities'
	Text  string     // its notes, description or body in the language, for a snippet
}

// Describe reads the records search hits name and describes each in lang, in the hits'
// order: one query for all the hits of a kind (per 500), and one for the cities of all the
// agreements among them.
func (r *Registry) Describe(ctx context.Context, hits []store.Hit, lang string) ([]Description, error) {
	ids := map[twin.Kind][]int64{}
	for _, h := range hits {
		ids[h.Kind] = append(ids[h.Kind], h.ID)
	}
	found := map[twin.Kind]map[int64]Description{}
	for kind, kindIDs := range ids {
		describe := describers[kind]
		if describe == nil {
			continue // a kind the index holds and search does not show
		}
		d, err := describe(ctx, r.db, kindIDs, lang)
		if err != nil {
			return nil, err
		}
		found[kind] = d
	}
	out := make([]Description, len(hits))
	for i, h := range hits {
		out[i] = found[h.Kind][h.ID]
	}
	return out, nil
}

// describers describe the records of each kind by id.
var describers = map[twin.Kind]func(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error){
	twin.KindCity: func(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
		return describeAll(ctx, db.Cities, ids, func(c *twin.City) Description { return named(c.Ref(), c.Names, lang, nil) })
	},
	twin.KindAgreement: describeAgreements,
	twin.KindInstitution: func(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
		return describeAll(ctx, db.Institutions, ids, func(in *twin.Institution) Description { return named(idRef(in.ID), in.Names, lang, nil) })
	},
	twin.KindLink: describeLinks,
	twin.KindActivity: func(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
		return describeAll(ctx, db.Activities, ids, func(a *twin.Activity) Description { return named(idRef(a.ID), a.Title, lang, a.Description) })
	},
	twin.KindPerson: func(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
		return describeAll(ctx, db.People, ids, func(p *twin.Person) Description { return named(idRef(p.ID), p.Names, lang, nil) })
	},
	twin.KindNetwork: func(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
		return describeAll(ctx, db.Networks, ids, func(n *twin.Network) Description { return named(idRef(n.ID), n.Names, lang, n.Description) })
	},
	twin.KindProposal: func(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
		// Search is public: a proposal not yet published (or rejected) is found only in the
		// moderators' queue and by its follow link.
		return describeAll(ctx, db.Proposals, ids, func(p *twin.Proposal) Description {
			if !twin.ProposalIsPublic(p.Status) {
				return Description{}
			}
			return named(idRef(p.ID), p.Title, lang, p.Body)
		})
	},
}

// describeAgreements names each agreement by its two cities in lang, when both are live.
func describeAgreements(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
	as, err := db.Agreements.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var cityIDs []int64
	for _, a := range as {
		cityIDs = append(cityIDs, a.CityIDs...)
	}
	cities, err := db.CityNames(ctx, cityIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Description, len(as))
	for _, a := range as {
		d := named(idRef(a.ID), a.Title, lang, a.Notes)
		var names []string
		for _, id := range a.CityIDs {
			if c, ok := cities[id]; ok {
				names = append(names, c.Names.Pick(lang))
			}
		}
		if len(names) == 2 {
			d.Title = names[0] + " – " + names[1]
		}
		out[a.ID] = d
	}
	return out, nil
}

// describeLinks names each link by its two institutions in lang ("University of Isfahan –
// Samarkand State University"), read for all the links at once.
func describeLinks(ctx context.Context, db *store.DB, ids []int64, lang string) (map[int64]Description, error) {
	ls, err := db.Links.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var insIDs []int64
	for _, l := range ls {
		insIDs = append(insIDs, l.Institutions...)
	}
	ins, err := db.Institutions.ByIDs(ctx, insIDs)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(ins))
	for _, in := range ins {
		names[in.ID] = in.Names.Pick(lang)
	}
	out := make(map[int64]Description, len(ls))
	for _, l := range ls {
		var parts []string
		for _, id := range l.Institutions {
			if n := names[id]; n != "" {
				parts = append(parts, n)
			}
		}
		out[l.ID] = Description{Found: true, Ref: idRef(l.ID), Title: strings.Join(parts, " – "), Text: l.Notes.Pick(lang)}
	}
	return out, nil
}

// describeAll reads the live records of ids in one query (per 500) and describes each.
func describeAll[T any](ctx context.Context, tb *store.Table[T], ids []int64, describe func(*T) Description) (map[int64]Description, error) {
	recs, err := tb.ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Description, len(recs))
	for _, rec := range recs {
		out[any(rec).(twin.Record).GetMeta().ID] = describe(rec)
	}
	return out, nil
}

// named describes a record by its names and, when it has one, a text.
func named(ref string, names twin.Names, lang string, text twin.Names) Description {
	return Description{Found: true, Ref: ref, Names: names, Title: names.Pick(lang), Text: text.Pick(lang)}
}

func idRef(id int64) string { return strconv.FormatInt(id, 10) }
