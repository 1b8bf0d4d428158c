package store

import (
	"context"

	"github.com/twinning/twinning/internal/twin"
)

// activityTable stores activities under an agreement, a link or a network (checkActivity);
// the city filter reaches them through their agreement.
func (db *DB) activityTable() *Table[twin.Activity] {
	return &Table[twin.Activity]{db: db, kind: twin.KindActivity, cols: []string{"agreement_id", "link_id", "network_id", "kind", "start_date"},
		prepare: func(ctx context.Context, t *Tx, a *twin.Activity) ([]any, error) {
			p, err := problemsOf(a.Validate(db.knownDomainTx(ctx, t)))
			if err != nil {
				return nil, err
			}
			if err := db.checkActivity(ctx, t, a, p); err != nil {
				return nil, err
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			var start any
			if a.Start != nil {
				start = a.Start.Start
			}
			return []any{nullID(a.Agreement), nullID(a.Link), nullID(a.Network), a.Kind, start}, nil
		},
		filters: map[string]string{twin.FilterAgreement: "agreement_id = ?", twin.FilterNetwork: "network_id = ?",
			twin.FilterCity: "agreement_id IN (SELECT id FROM agreements WHERE city_a = ? OR city_b = ?)", twin.FilterKind: "kind = ?"},
		terms: func(a *twin.Activity) []weighted {
			return append(titleTerms(a.Title), textTerms(a.Description)...)
		},
	}
}
