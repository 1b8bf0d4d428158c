package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/twinning/twinning/internal/twin"
)

// checkParties adds to p a problem for each party of a naming a person or an institution the
// registry does not hold.
func (db *DB) checkParties(ctx context.Context, t *Tx, a *twin.Agreement, p twin.Problems) {
	for i, pa := range a.Parties {
		if pa.Person != 0 && !db.exists(ctx, t, "people", pa.Person) {
			p.Add(fmt.Sprintf("parties[%d].person", i), twin.KeyUnknownRecord, map[string]any{"value": pa.Person})
		}
		if pa.Institution != 0 && !db.exists(ctx, t, "institutions", pa.Institution) {
			p.Add(fmt.Sprintf("parties[%d].institution", i), twin.KeyUnknownRecord, map[string]any{"value": pa.Institution})
		}
	}
}

// agreementTable stores agreements between two cities, resolving the cities' refs to ids in
// the write; a status moves only as twin.CanMove allows, and the cities stay while links or
// activities lie under the agreement.
func (db *DB) agreementTable() *Table[twin.Agreement] {
	return &Table[twin.Agreement]{db: db, kind: twin.KindAgreement, cols: []string{"city_a", "city_b", "kind", "status"},
		prepare: func(ctx context.Context, t *Tx, a *twin.Agreement) ([]any, error) {
			p := twin.Problems{}
			if err := a.Validate(db.knownDomainTx(ctx, t)); err != nil {
				p = twin.Problems(twin.ErrorFields(err))
			}
			if len(a.Cities) == 2 && p["cities"].Key == "" {
				a.CityIDs = make([]int64, 2)
				for i, ref := range a.Cities {
					if ref == "" {
						continue
					}
					id, canon, err := db.cityIDByRef(ctx, t, ref)
					if err != nil {
						if twin.ErrorCode(err) != twin.ENOTFOUND {
							return nil, err
						}
						p.Add(fmt.Sprintf("cities[%d]", i), twin.KeyUnknownCity, map[string]any{"value": ref})
						continue
					}
					a.CityIDs[i], a.Cities[i] = id, canon
				}
				if a.CityIDs[0] != 0 && a.CityIDs[0] == a.CityIDs[1] {
					p.Add("cities", twin.KeySameCity, nil)
				}
			}
			db.checkParties(ctx, t, a, p)
			if err := p.Err(); err != nil {
				return nil, err
			}
			a.Vitality = nil // computed on read, never stored
			return []any{a.CityIDs[0], a.CityIDs[1], a.Kind, a.Status}, nil
		},
		transition: func(ctx context.Context, t *Tx, before, after *twin.Agreement) error {
			p := twin.Problems{}
			if !twin.CanMove(before.Status, after.Status) {
				p.Add("status", twin.KeyStatusMove, map[string]any{"from": before.Status, "to": after.Status})
			}
			// The links and activities under an agreement lie in its two cities: while there
			// are any, the cities stay.
			if !sameSet(before.CityIDs, after.CityIDs) {
				used, err := db.inUse(ctx, t, "links", "agreement_id = ?", after.ID)
				if err == nil && !used {
					used, err = db.inUse(ctx, t, "activities", "agreement_id = ?", after.ID)
				}
				if err != nil {
					return err
				}
				if used {
					p.Add("cities", keyInUse, nil)
				}
			}
			return p.Err()
		},
		filters: map[string]string{twin.FilterCity: "(city_a = ? OR city_b = ?)", twin.FilterStatus: "status = ?", twin.FilterKind: "kind = ?"},
		terms: func(a *twin.Agreement) []weighted {
			return append(titleTerms(a.Title), textTerms(a.Notes)...)
		},
		hydrate: db.hydrateAgreements,
	}
}

// hydrateAgreements fills the cities' current refs from their ids.
func (db *DB) hydrateAgreements(ctx context.Context, q querier, as []*twin.Agreement) error {
	var ids []int64
	for _, a := range as {
		ids = append(ids, a.CityIDs...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	refs, err := db.cityRefs(ctx, ids)
	if err != nil {
		return err
	}
	for _, a := range as {
		for i, id := range a.CityIDs {
			if r, ok := refs[id]; ok && i < len(a.Cities) {
				a.Cities[i] = r
			}
		}
	}
	return nil
}
