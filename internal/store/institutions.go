package store

import (
	"context"

	"github.com/twinning/twinning/internal/twin"
)

// institutionTable stores institutions, each in one city, which it keeps while links or
// activities hold it to that city's partnerships.
func (db *DB) institutionTable() *Table[twin.Institution] {
	return &Table[twin.Institution]{db: db, kind: twin.KindInstitution, cols: []string{"city_id", "type"},
		prepare: func(ctx context.Context, t *Tx, in *twin.Institution) ([]any, error) {
			p, err := problemsOf(in.Validate())
			if err != nil {
				return nil, err
			}
			if in.City != "" {
				c, err := db.cityByRef(ctx, txq{t}, in.City)
				if err != nil {
					if twin.ErrorCode(err) != twin.ENOTFOUND {
						return nil, err
					}
					p.Add("city", twin.KeyUnknownCity, map[string]any{"value": in.City})
				} else {
					in.CityID, in.City = c.ID, c.Ref()
				}
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return []any{in.CityID, in.Type}, nil
		},
		filters: map[string]string{twin.FilterCity: "city_id = ?", twin.FilterType: "type = ?"},
		transition: func(ctx context.Context, t *Tx, before, after *twin.Institution) error {
			// Links and activities hold an institution to its city's partnerships.
			if before.CityID == after.CityID {
				return nil
			}
			used, err := db.inUse(ctx, t, "links", "inst_a = ? OR inst_b = ?", after.ID, after.ID)
			if err == nil && !used {
				used, err = db.inUse(ctx, t, "activities", db.d.jsonHasID("institutions"), db.d.jsonIDArg(after.ID))
			}
			if err != nil {
				return err
			}
			if used {
				p := twin.Problems{}
				p.Add("city", keyInUse, nil)
				return p.Err()
			}
			return nil
		},
		terms: func(in *twin.Institution) []weighted { return nameTerms(in.Names, in.Aliases) },
	}
}
