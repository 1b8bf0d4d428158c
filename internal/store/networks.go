package store

import (
	"context"
	"fmt"

	"github.com/twinning/twinning/internal/twin"
)

// networkTable stores networks with their member cities, which it also writes to
// network_members for the city filter.
func (db *DB) networkTable() *Table[twin.Network] {
	return &Table[twin.Network]{db: db, kind: twin.KindNetwork, cols: []string{"kind"},
		prepare: func(ctx context.Context, t *Tx, n *twin.Network) ([]any, error) {
			p, err := problemsOf(n.Validate())
			if err != nil {
				return nil, err
			}
			for i := range n.Members {
				c, err := db.cityByRef(ctx, txq{t}, n.Members[i].City)
				if err != nil {
					if twin.ErrorCode(err) != twin.ENOTFOUND {
						return nil, err
					}
					p.Add(fmt.Sprintf("members[%d].city", i), twin.KeyUnknownCity, map[string]any{"value": n.Members[i].City})
					continue
				}
				n.Members[i].CityID, n.Members[i].City = c.ID, c.Ref()
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return []any{n.Kind}, nil
		},
		after: func(ctx context.Context, t *Tx, n *twin.Network) error {
			if _, err := t.exec(ctx, "DELETE FROM network_members WHERE network_id = ?", n.ID); err != nil {
				return err
			}
			seen := map[int64]bool{}
			for _, m := range n.Members {
				if seen[m.CityID] {
					continue
				}
				seen[m.CityID] = true
				if _, err := t.exec(ctx, "INSERT INTO network_members (network_id, city_id) VALUES (?, ?)", n.ID, m.CityID); err != nil {
					return err
				}
			}
			return nil
		},
		filters: map[string]string{twin.FilterCity: "id IN (SELECT network_id FROM network_members WHERE city_id = ?)", twin.FilterKind: "kind = ?"},
		terms:   func(n *twin.Network) []weighted { return append(nameTerms(n.Names, nil), textTerms(n.Description)...) },
	}
}
