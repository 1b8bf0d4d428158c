package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"

	"github.com/twinning/twinning/internal/twin"
)

// This file holds the reads that bulk import and export (internal/exchange) need: reads
// inside a write transaction, so that an import sees its own uncommitted records, and
// whole-table reads for exports.

// GetTx reads one live record inside the transaction (not hydrated).
func (tb *Table[T]) GetTx(ctx context.Context, t *Tx, id int64) (rec *T, err error) {
	defer wrap(&err, "%s.GetTx(%d)", tb.kind, id)
	return tb.get(ctx, txq{t}, id, false)
}

// AllTx lists every live record of the table inside the transaction, in id order.
func (tb *Table[T]) AllTx(ctx context.Context, t *Tx) (recs []*T, err error) {
	defer wrap(&err, "%s.AllTx", tb.kind)
	return tb.queryRecs(ctx, txq{t}, "SELECT "+selectCols+" FROM "+tb.table()+" WHERE deleted IS NULL ORDER BY id")
}

// All lists every live record of the table, hydrated, in id order.
func (tb *Table[T]) All(ctx context.Context) (recs []*T, err error) {
	defer wrap(&err, "%s.All", tb.kind)
	return tb.all(ctx, "1 = 1")
}

// IDTakenTx reports whether a row with id exists in the table, deleted or not: an import that
// keeps a file's ids may only use free ones.
func (tb *Table[T]) IDTakenTx(ctx context.Context, t *Tx, id int64) (bool, error) {
	var one int
	err := t.queryRow(ctx, "SELECT 1 FROM "+tb.table()+" WHERE id = ?", id).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// CityByRefTx finds a live city by Wikidata id or internal id inside the transaction.
func (t *Tx) CityByRefTx(ctx context.Context, ref string) (*twin.City, error) {
	return t.db.cityByRef(ctx, txq{t}, ref)
}

// CitiesInCountryTx lists the live cities of one country inside the transaction, in id order.
func (t *Tx) CitiesInCountryTx(ctx context.Context, country string) (cs []*twin.City, err error) {
	defer wrap(&err, "CitiesInCountryTx(%q)", country)
	return t.db.Cities.queryRecs(ctx, txq{t}, "SELECT "+selectCols+" FROM cities WHERE deleted IS NULL AND country = ? ORDER BY id", country)
}

// AgreementsBetweenTx lists the live agreements between two cities, in either order, inside
// the transaction, in id order.
func (t *Tx) AgreementsBetweenTx(ctx context.Context, a, b int64) (as []*twin.Agreement, err error) {
	defer wrap(&err, "AgreementsBetweenTx(%d, %d)", a, b)
	return t.db.Agreements.queryRecs(ctx, txq{t}, "SELECT "+selectCols+" FROM agreements WHERE deleted IS NULL AND ((city_a = ? AND city_b = ?) OR (city_a = ? AND city_b = ?)) ORDER BY id", a, b, b, a)
}

// AgreementsOf lists the live agreements that involve any of the cities, hydrated, in id order.
func (db *DB) AgreementsOf(ctx context.Context, cityIDs []int64) (out []*twin.Agreement, err error) {
	defer wrap(&err, "AgreementsOf")
	seen := map[int64]bool{}
	for chunk := range chunks(cityIDs, 400) {
		args := make([]any, 0, 2*len(chunk))
		for _, id := range chunk {
			args = append(args, id)
		}
		for _, id := range chunk {
			args = append(args, id)
		}
		ph := placeholders(len(chunk))
		recs, err := db.Agreements.queryRecs(ctx, dbq{db}, "SELECT "+selectCols+" FROM agreements WHERE deleted IS NULL AND (city_a IN ("+ph+") OR city_b IN ("+ph+")) ORDER BY id", args...)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b *twin.Agreement) int { return cmp.Compare(a.ID, b.ID) })
	return out, db.hydrateAgreements(ctx, dbq{db}, out)
}

// CityRefs maps city ids to their refs (Wikidata id, or the internal id as text).
func (db *DB) CityRefs(ctx context.Context, ids []int64) (map[int64]string, error) {
	return db.cityRefs(ctx, ids)
}
