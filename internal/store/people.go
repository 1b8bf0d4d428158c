package store

import (
	"context"
	"fmt"

	"github.com/twinning/twinning/internal/twin"
)

// personTable stores people; each title's city and institution must exist, and the
// institution must lie in the city.
func (db *DB) personTable() *Table[twin.Person] {
	return &Table[twin.Person]{db: db, kind: twin.KindPerson,
		prepare: func(ctx context.Context, t *Tx, pe *twin.Person) ([]any, error) {
			p, err := problemsOf(pe.Validate())
			if err != nil {
				return nil, err
			}
			// A title's institution exists and lies in the title's city.
			rf := refs{db, txq{t}, true}
			for i, ti := range pe.Titles {
				f := fmt.Sprintf("titles[%d]", i)
				var city *twin.City
				if ti.City != "" {
					c, err := rf.city(ctx, ti.City)
					if err != nil {
						if twin.ErrorCode(err) != twin.ENOTFOUND {
							return nil, err
						}
						p.Add(f+".city", twin.KeyUnknownCity, map[string]any{"value": ti.City})
					} else {
						city, pe.Titles[i].City = c, c.Ref()
					}
				}
				if ti.Institution != 0 {
					in, err := rf.institution(ctx, ti.Institution)
					switch {
					case twin.ErrorCode(err) == twin.ENOTFOUND:
						p.Add(f+".institution", twin.KeyUnknownRecord, map[string]any{"value": ti.Institution})
					case err != nil:
						return nil, err
					case city != nil && in.CityID != city.ID:
						p.Add(f+".institution", keyNotInCity, map[string]any{"value": ti.Institution})
					}
				}
			}
			return nil, p.Err()
		},
		terms: func(p *twin.Person) []weighted {
			ts := nameTerms(p.Names, p.Aliases)
			for _, t := range p.Titles {
				ts = append(ts, textTerms(t.Title)...)
			}
			return ts
		},
	}
}
