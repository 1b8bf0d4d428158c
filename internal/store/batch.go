package store

import (
	"cmp"
	"context"
	"slices"

	"github.com/twinning/twinning/internal/twin"
)

// Reads of many records' relations at once: one query per batchSize ids, where a loop of
// single reads would make one (or two) per id.

// batchSize is how many ids one query takes (SQLite allows 32,766 parameters, PostgreSQL
// 65,535; a statement this size is planned quickly by both).
const batchSize = 500

// idArgs are ids as query arguments.
func idArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// allIn lists the live records whose column col holds one of ids, by id.
func (tb *Table[T]) allIn(ctx context.Context, col string, ids []int64) ([]*T, error) {
	var out []*T
	for chunk := range chunks(ids, batchSize) {
		recs, err := tb.all(ctx, col+" IN ("+placeholders(len(chunk))+")", idArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(meta(a).ID, meta(b).ID) })
	return out, nil
}

// InstitutionsIn lists the live institutions of the given cities, by id.
func (db *DB) InstitutionsIn(ctx context.Context, cities []int64) (out []*twin.Institution, err error) {
	defer wrap(&err, "InstitutionsIn(%d cities)", len(cities))
	return db.Institutions.allIn(ctx, "city_id", cities)
}

// ActivitiesAndLinksOf reads, for many agreements at once, what ActivitiesOf and LinksOf read
// for one: each agreement's live links, and its live activities (its own and its links'), by
// id. An agreement with neither is absent from both maps.
func (db *DB) ActivitiesAndLinksOf(ctx context.Context, agreements []int64) (acts map[int64][]*twin.Activity, links map[int64][]*twin.Link, err error) {
	defer wrap(&err, "ActivitiesAndLinksOf(%d agreements)", len(agreements))
	ls, err := db.Links.allIn(ctx, "agreement_id", agreements)
	if err != nil {
		return nil, nil, err
	}
	links = map[int64][]*twin.Link{}
	agreementOf := map[int64]int64{} // link → its agreement
	for _, l := range ls {
		links[l.Agreement] = append(links[l.Agreement], l)
		agreementOf[l.ID] = l.Agreement
	}
	var all []*twin.Activity
	for chunk := range chunks(agreements, batchSize) {
		in := placeholders(len(chunk))
		args := idArgs(chunk)
		recs, err := db.Activities.all(ctx, "agreement_id IN ("+in+") OR link_id IN (SELECT id FROM links WHERE agreement_id IN ("+in+") AND deleted IS NULL)", append(args, args...)...)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, recs...)
	}
	// An activity of one agreement under a link of another was read for each: kept once.
	slices.SortFunc(all, func(a, b *twin.Activity) int { return cmp.Compare(a.ID, b.ID) })
	all = slices.CompactFunc(all, func(a, b *twin.Activity) bool { return a.ID == b.ID })
	wanted := map[int64]bool{}
	for _, id := range agreements {
		wanted[id] = true
	}
	acts = map[int64][]*twin.Activity{}
	for _, a := range all {
		if wanted[a.Agreement] {
			acts[a.Agreement] = append(acts[a.Agreement], a)
		}
		if via, ok := agreementOf[a.Link]; ok && via != a.Agreement {
			acts[via] = append(acts[via], a)
		}
	}
	return acts, links, nil
}
