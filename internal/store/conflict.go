package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Conflict is what a writer who lost a race needs to see: the record as it is now and every
// change made since the version the writer had read, each with its author and fields before
// and after.
type Conflict[T any] struct {
	Current *T
	Since   []twin.Change
}

// Conflict returns the record id as it is now and its changes after version. Call it when
// Update or Delete answered EPRECONDITION, to show the other's change.
func (tb *Table[T]) Conflict(ctx context.Context, id, version int64) (c *Conflict[T], err error) {
	defer wrap(&err, "%s.Conflict(%d, %d)", tb.kind, id, version)
	cur, err := tb.get(ctx, dbq{tb.db}, id, true)
	if err != nil {
		return nil, err
	}
	if err := tb.hydrateAll(ctx, dbq{tb.db}, []*T{cur}); err != nil {
		return nil, err
	}
	h, err := tb.History(ctx, id)
	if err != nil {
		return nil, err
	}
	c = &Conflict[T]{Current: cur}
	for _, ch := range h {
		if ch.Version > version {
			c.Since = append(c.Since, ch)
		}
	}
	return c, nil
}

// Version returns the current version of a record, deleted or not (0 when there is none).
func (tb *Table[T]) Version(ctx context.Context, id int64) int64 {
	var v int64
	tb.db.queryRow(ctx, "SELECT version FROM "+tb.table()+" WHERE id = ?", id).Scan(&v)
	return v
}

// ChangeFilter narrows the audit log. Zero values mean "any"; Before is the cursor (a change's
// sequence number) returned as next.
type ChangeFilter struct {
	Kind  string
	ID    int64
	Actor string
	// Exclude leaves out kinds of change (accounts, for readers who are not admins).
	Exclude []string
	Before  int64
	Limit   int
}

// Changes lists the audit log, newest first, with the cursor of the next page ("" at the end).
func (db *DB) Changes(ctx context.Context, f ChangeFilter) (out []twin.Change, next string, err error) {
	defer wrap(&err, "Changes")
	conds, args := []string{"1 = 1"}, []any{}
	if f.Kind != "" {
		conds, args = append(conds, "kind = ?"), append(args, f.Kind)
	}
	if f.ID != 0 {
		conds, args = append(conds, "record_id = ?"), append(args, f.ID)
	}
	if f.Actor != "" {
		conds, args = append(conds, "actor = ?"), append(args, f.Actor)
	}
	for _, k := range f.Exclude {
		conds, args = append(conds, "kind <> ?"), append(args, k)
	}
	if f.Before > 0 {
		conds, args = append(conds, "id < ?"), append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := db.query(ctx, "SELECT id, kind, record_id, version, action, actor, at, before, after FROM changes WHERE "+
		strings.Join(conds, " AND ")+" ORDER BY id DESC LIMIT "+strconv.Itoa(limit+1), args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var last int64
	for rows.Next() {
		var c twin.Change
		var at string
		var before, after sql.NullString
		var seq int64
		if err := rows.Scan(&seq, &c.Kind, &c.ID, &c.Version, &c.Action, &c.Actor, &at, &before, &after); err != nil {
			return nil, "", err
		}
		if len(out) == limit {
			next = strconv.FormatInt(last, 10)
			break
		}
		c.At = parseTS(at)
		if before.Valid {
			c.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			c.After = json.RawMessage(after.String)
		}
		out, last = append(out, c), seq
	}
	return out, next, rows.Err()
}
