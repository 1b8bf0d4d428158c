package store

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/twinning/twinning/internal/twin"
)

// cityTable stores cities: the Wikidata id and the country are columns, for lookups and
// filters; search finds a city by its names and aliases, the more populous first.
func (db *DB) cityTable() *Table[twin.City] {
	return &Table[twin.City]{db: db, kind: twin.KindCity, cols: []string{"wikidata", "country"},
		prepare: func(ctx context.Context, t *Tx, c *twin.City) ([]any, error) {
			if err := c.Validate(); err != nil {
				return nil, err
			}
			var qid any
			if c.Wikidata != "" {
				qid = c.Wikidata
			}
			return []any{qid, c.Country}, nil
		},
		filters: map[string]string{twin.FilterCountry: "country = ?", twin.FilterWikidata: "wikidata = ?"},
		terms:   func(c *twin.City) []weighted { return nameTerms(c.Names, c.Aliases) },
		boost:   func(c *twin.City) int { return PopulationBoost(c.Population) },
	}
}

// cityByRef finds a live city by Wikidata id or internal id.
func (db *DB) cityByRef(ctx context.Context, q querier, ref string) (*twin.City, error) {
	var row *sql.Row
	switch {
	case twin.IsQID(ref):
		row = q.QueryRowContext(ctx, db.d.rebind("SELECT "+selectCols+" FROM cities WHERE wikidata = ? AND deleted IS NULL"), twin.NormalizeQID(ref))
	default:
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return nil, twin.Errorf(twin.ENOTFOUND, "city %q not found", ref)
		}
		row = q.QueryRowContext(ctx, db.d.rebind("SELECT "+selectCols+" FROM cities WHERE id = ? AND deleted IS NULL"), id)
	}
	c, err := db.Cities.scan(row)
	if err == sql.ErrNoRows {
		return nil, twin.Errorf(twin.ENOTFOUND, "city %q not found", ref)
	}
	return c, err
}

// cityIDByRef resolves a city ref to its id and canonical ref without reading the record.
func (db *DB) cityIDByRef(ctx context.Context, t *Tx, ref string) (int64, string, error) {
	var id int64
	var qid sql.NullString
	var err error
	if twin.IsQID(ref) {
		err = t.queryRow(ctx, "SELECT id, wikidata FROM cities WHERE wikidata = ? AND deleted IS NULL", twin.NormalizeQID(ref)).Scan(&id, &qid)
	} else if n, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		err = t.queryRow(ctx, "SELECT id, wikidata FROM cities WHERE id = ? AND deleted IS NULL", n).Scan(&id, &qid)
	} else {
		err = sql.ErrNoRows
	}
	if err == sql.ErrNoRows {
		return 0, "", twin.Errorf(twin.ENOTFOUND, "city %q not found", ref)
	}
	if err != nil {
		return 0, "", err
	}
	if qid.Valid && qid.String != "" {
		return id, qid.String, nil
	}
	return id, strconv.FormatInt(id, 10), nil
}

// City finds a live city by its Wikidata id or internal id.
func (db *DB) City(ctx context.Context, ref string) (c *twin.City, err error) {
	defer wrap(&err, "City(%q)", ref)
	return db.cityByRef(ctx, dbq{db}, ref)
}

// cityRefs maps city ids to their refs (Wikidata id or internal id).
func (db *DB) cityRefs(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for chunk := range chunks(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.query(ctx, "SELECT id, wikidata FROM cities WHERE id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var qid sql.NullString
			if err := rows.Scan(&id, &qid); err != nil {
				rows.Close()
				return nil, err
			}
			if qid.Valid && qid.String != "" {
				out[id] = qid.String
			} else {
				out[id] = strconv.FormatInt(id, 10)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
