package store

import (
	"context"

	"github.com/twinning/twinning/internal/twin"
)

// linkTable stores links between two institutions of partner cities (checkLink), under an
// agreement or not; an activity under a link holds its institutions and its agreement.
func (db *DB) linkTable() *Table[twin.Link] {
	return &Table[twin.Link]{db: db, kind: twin.KindLink, cols: []string{"inst_a", "inst_b", "agreement_id", "status"},
		prepare: func(ctx context.Context, t *Tx, l *twin.Link) ([]any, error) {
			p, err := problemsOf(l.Validate(db.knownDomainTx(ctx, t)))
			if err != nil {
				return nil, err
			}
			if p["institutions"].Key == "" {
				if err := db.checkLink(ctx, t, l, p); err != nil {
					return nil, err
				}
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return []any{l.Institutions[0], l.Institutions[1], nullID(l.Agreement), l.Status}, nil
		},
		filters: map[string]string{twin.FilterAgreement: "agreement_id = ?", twin.FilterInstitution: "(inst_a = ? OR inst_b = ?)", twin.FilterStatus: "status = ?"},
		transition: func(ctx context.Context, t *Tx, before, after *twin.Link) error {
			// An activity under a link lies in the link's partnership: while there are any,
			// the link keeps its institutions and its agreement.
			if sameSet(before.Institutions, after.Institutions) && before.Agreement == after.Agreement {
				return nil
			}
			used, err := db.inUse(ctx, t, "activities", "link_id = ?", after.ID)
			if err != nil {
				return err
			}
			if used {
				p := twin.Problems{}
				if before.Agreement != after.Agreement {
					p.Add("agreement", keyInUse, nil)
				} else {
					p.Add("institutions", keyInUse, nil)
				}
				return p.Err()
			}
			return nil
		},
		terms: func(l *twin.Link) []weighted { return textTerms(l.Notes) },
	}
}
