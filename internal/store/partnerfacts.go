package store

import (
	"context"

	"github.com/twinning/twinning/internal/twin"
)

// PartnerFacts is what the vitality of a city's agreements is computed from, read at once:
// each agreement's live activities (under it or under one of its institution links) and its
// live links, keyed by agreement id.
type PartnerFacts struct {
	Activities map[int64][]*twin.Activity
	Links      map[int64][]*twin.Link
}

// CityPartnerFacts reads the facts of all the agreements of a city in two queries, where
// ActivitiesOf and LinksOf take two per agreement.
func (db *DB) CityPartnerFacts(ctx context.Context, cityID int64) (f PartnerFacts, err error) {
	defer wrap(&err, "CityPartnerFacts(%d)", cityID)
	const agreements = "SELECT id FROM agreements WHERE (city_a = ? OR city_b = ?) AND deleted IS NULL"
	links, err := db.Links.all(ctx, "agreement_id IN ("+agreements+")", cityID, cityID)
	if err != nil {
		return f, err
	}
	acts, err := db.Activities.all(ctx, "agreement_id IN ("+agreements+") OR link_id IN (SELECT id FROM links WHERE deleted IS NULL AND agreement_id IN ("+agreements+"))",
		cityID, cityID, cityID, cityID)
	if err != nil {
		return f, err
	}
	f = PartnerFacts{Activities: map[int64][]*twin.Activity{}, Links: map[int64][]*twin.Link{}}
	linkAgreement := map[int64]int64{}
	for _, l := range links {
		f.Links[l.Agreement] = append(f.Links[l.Agreement], l)
		linkAgreement[l.ID] = l.Agreement
	}
	for _, a := range acts {
		// An activity names its agreement, or a link under one (or both, the same one).
		id := a.Agreement
		if id == 0 {
			id = linkAgreement[a.Link]
		}
		f.Activities[id] = append(f.Activities[id], a)
	}
	return f, nil
}
