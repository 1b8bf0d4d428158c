package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// ptr constrains *T to be a twin.Record.
type ptr[T any] interface {
	*T
	twin.Record
}

// Table is the storage of one kind of record: create, read, update with a version check,
// soft delete and restore, list with filters and cursors, and the audit log of each change.
// What differs between kinds is in its hooks.
type Table[T any] struct {
	db   *DB
	kind twin.Kind // its SQL table is kind.Plural()
	cols []string  // columns beside id, version, doc, created, updated, deleted

	// prepare validates the record and resolves its references inside the write transaction,
	// returning the values of cols in order.
	prepare func(ctx context.Context, t *Tx, rec *T) ([]any, error)
	// hydrate completes records read from the database (computed fields, refs).
	hydrate func(ctx context.Context, q querier, recs []*T) error
	// filters holds, for each filter the kind declares (twin.Filters), its SQL condition with
	// a ? for each use of the value ("(city_a = ? OR city_b = ?)"); the ? of "IN (?)" stands
	// for as many as the value has words.
	filters map[string]string
	// terms lists what the search index should hold for the record, by weight.
	terms func(rec *T) []weighted
	// boost ranks the record among equal matches (0–999).
	boost func(rec *T) int
	// after runs inside the transaction after the row is written (side tables).
	after func(ctx context.Context, t *Tx, rec *T) error
	// transition checks a change against the record as it was (legal status moves, references
	// others rely on), inside the transaction, once the new record is prepared.
	transition func(ctx context.Context, t *Tx, before, after *T) error
}

// Kind is the kind of record the table stores.
func (tb *Table[T]) Kind() twin.Kind { return tb.kind }

// table is the SQL table.
func (tb *Table[T]) table() string { return tb.kind.Plural() }

func meta[T any](rec *T) *twin.Meta { return any(rec).(twin.Record).GetMeta() }

const selectCols = "id, version, doc, created, updated"

func (tb *Table[T]) scan(rows interface{ Scan(...any) error }) (*T, error) {
	var (
		id, version      int64
		doc              string
		created, updated string
	)
	if err := rows.Scan(&id, &version, &doc, &created, &updated); err != nil {
		return nil, err
	}
	rec := new(T)
	if err := json.Unmarshal([]byte(doc), rec); err != nil {
		return nil, err
	}
	m := meta(rec)
	m.ID, m.Version, m.Created, m.Updated = id, version, parseTS(created), parseTS(updated)
	return rec, nil
}

func (tb *Table[T]) hydrateAll(ctx context.Context, q querier, recs []*T) error {
	if tb.hydrate == nil || len(recs) == 0 {
		return nil
	}
	return tb.hydrate(ctx, q, recs)
}

// Get reads one live record.
func (tb *Table[T]) Get(ctx context.Context, id int64) (rec *T, err error) {
	defer wrap(&err, "%s.Get(%d)", tb.kind, id)
	rec, err = tb.get(ctx, dbq{tb.db}, id, false)
	if err != nil {
		return nil, err
	}
	return rec, tb.hydrateAll(ctx, dbq{tb.db}, []*T{rec})
}

// getForUpdate reads a live record inside a write, locking its row on PostgreSQL until the
// transaction ends, so that checks of what refers to it cannot race another writer.
func (tb *Table[T]) getForUpdate(ctx context.Context, t *Tx, id int64) (*T, error) {
	if tb.db.d.name != "postgres" {
		return tb.get(ctx, txq{t}, id, false)
	}
	rec, err := tb.scan(t.queryRow(ctx, "SELECT "+selectCols+" FROM "+tb.table()+" WHERE id = ? AND deleted IS NULL FOR UPDATE", id))
	if err == sql.ErrNoRows {
		return nil, twin.Errorf(twin.ENOTFOUND, "%s %d not found", tb.kind, id)
	}
	return rec, err
}

func (tb *Table[T]) get(ctx context.Context, q querier, id int64, withDeleted bool) (*T, error) {
	cond := " AND deleted IS NULL"
	if withDeleted {
		cond = ""
	}
	rec, err := tb.scan(q.QueryRowContext(ctx, tb.db.d.rebind("SELECT "+selectCols+" FROM "+tb.table()+" WHERE id = ?"+cond), id))
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, twin.Errorf(twin.ENOTFOUND, "%s %d not found", tb.kind, id)
		}
		return nil, err
	}
	return rec, nil
}

// Create validates rec, stores it with version 1 and returns it as stored. A non-zero ID is
// kept (imports preserve ids); zero lets the database choose.
func (tb *Table[T]) Create(ctx context.Context, rec *T) (out *T, err error) {
	defer wrap(&err, "%s.Create", tb.kind)
	err = tb.db.Write(ctx, func(t *Tx) error {
		out, err = tb.CreateTx(ctx, t, rec)
		return err
	})
	return out, err
}

// CreateTx is Create inside a caller's transaction.
func (tb *Table[T]) CreateTx(ctx context.Context, t *Tx, rec *T) (*T, error) {
	vals, err := tb.prepare(ctx, t, rec)
	if err != nil {
		return nil, err
	}
	if err := tb.guard(ctx, txq{t}, true, "create", rec); err != nil {
		return nil, err
	}
	m := meta(rec)
	m.Version, m.Created, m.Updated = 1, t.now, t.now
	doc, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	cols := append([]string{"version", "doc", "created", "updated"}, tb.cols...)
	args := append([]any{int64(1), string(doc), ts(t.now), ts(t.now)}, vals...)
	if m.ID != 0 {
		cols = append([]string{"id"}, cols...)
		args = append([]any{m.ID}, args...)
	}
	q := "INSERT INTO " + tb.table() + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) + ") RETURNING id"
	if err := t.queryRow(ctx, q, args...).Scan(&m.ID); err != nil {
		return nil, err
	}
	// The audit entry records the record as stored, with the id the database chose.
	if doc, err = json.Marshal(rec); err != nil {
		return nil, err
	}
	if err := tb.written(ctx, t, rec, "create", nil, doc); err != nil {
		return nil, err
	}
	return rec, nil
}

// written does what follows every write: side tables, the search index, the audit log.
func (tb *Table[T]) written(ctx context.Context, t *Tx, rec *T, action string, before, after []byte) error {
	m := meta(rec)
	if tb.after != nil {
		if err := tb.after(ctx, t, rec); err != nil {
			return err
		}
	}
	var terms []weighted
	if action != "delete" && tb.terms != nil {
		terms = tb.terms(rec)
	}
	boost := 0
	if tb.boost != nil {
		boost = tb.boost(rec)
	}
	if err := t.index(ctx, tb.kind, m.ID, terms, boost, action == "create"); err != nil {
		return err
	}
	t.changed = append(t.changed, Changed{string(tb.kind), m.ID})
	if !t.audit {
		return nil
	}
	_, err := t.exec(ctx, "INSERT INTO changes (kind, record_id, version, action, actor, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		tb.kind, m.ID, m.Version, action, t.actor, ts(t.now), nullJSON(before), nullJSON(after))
	return err
}

func nullJSON(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// Update reads the record, checks that its version is still version (0 skips the check),
// applies change, validates and stores it with the next version. A stale version is an
// EPRECONDITION error and nothing is written.
func (tb *Table[T]) Update(ctx context.Context, id, version int64, change func(*T) error) (out *T, err error) {
	defer wrap(&err, "%s.Update(%d)", tb.kind, id)
	err = tb.db.Write(ctx, func(t *Tx) error {
		out, err = tb.UpdateTx(ctx, t, id, version, change)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, tb.hydrateAll(ctx, dbq{tb.db}, []*T{out})
}

// UpdateTx is Update inside a caller's transaction.
func (tb *Table[T]) UpdateTx(ctx context.Context, t *Tx, id, version int64, change func(*T) error) (*T, error) {
	rec, err := tb.getForUpdate(ctx, t, id)
	if err != nil {
		return nil, err
	}
	m := meta(rec)
	if version != 0 && m.Version != version {
		return nil, twin.Errorf(twin.EPRECONDITION, "%s %d is at version %d, not %d", tb.kind, id, m.Version, version)
	}
	if err := tb.guard(ctx, txq{t}, true, "update", rec); err != nil {
		return nil, err
	}
	before, _ := json.Marshal(rec)
	old, created := m.Version, m.Created
	if err := change(rec); err != nil {
		return nil, err
	}
	m = meta(rec)
	m.ID, m.Version, m.Created = id, old, created
	vals, err := tb.prepare(ctx, t, rec)
	if err != nil {
		return nil, err
	}
	if tb.transition != nil {
		was := new(T)
		if err := json.Unmarshal(before, was); err != nil {
			return nil, err
		}
		if err := tb.transition(ctx, t, was, rec); err != nil {
			return nil, err
		}
	}
	// The writer must be allowed the record as it will be, too: no one moves a record into a
	// scope that is not theirs.
	if err := tb.guard(ctx, txq{t}, true, "update", rec); err != nil {
		return nil, err
	}
	m.Version, m.Updated = old+1, t.now
	doc, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	sets := []string{"version = ?", "doc = ?", "updated = ?"}
	args := []any{m.Version, string(doc), ts(t.now)}
	for i, c := range tb.cols {
		sets = append(sets, c+" = ?")
		args = append(args, vals[i])
	}
	args = append(args, id, old)
	res, err := t.exec(ctx, "UPDATE "+tb.table()+" SET "+strings.Join(sets, ", ")+" WHERE id = ? AND version = ? AND deleted IS NULL", args...)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, twin.Errorf(twin.EPRECONDITION, "%s %d changed meanwhile", tb.kind, id)
	}
	return rec, tb.written(ctx, t, rec, "update", before, doc)
}

// Delete marks the record deleted (it stays restorable) after checking its version (0 skips).
func (tb *Table[T]) Delete(ctx context.Context, id, version int64) (err error) {
	defer wrap(&err, "%s.Delete(%d)", tb.kind, id)
	return tb.db.Write(ctx, func(t *Tx) error {
		rec, err := tb.getForUpdate(ctx, t, id)
		if err != nil {
			return err
		}
		m := meta(rec)
		if version != 0 && m.Version != version {
			return twin.Errorf(twin.EPRECONDITION, "%s %d is at version %d, not %d", tb.kind, id, m.Version, version)
		}
		if err := tb.guard(ctx, txq{t}, true, "delete", rec); err != nil {
			return err
		}
		before, _ := json.Marshal(rec)
		m.Version++
		if _, err := t.exec(ctx, "UPDATE "+tb.table()+" SET deleted = ?, version = ?, updated = ? WHERE id = ?", ts(t.now), m.Version, ts(t.now), id); err != nil {
			return err
		}
		return tb.written(ctx, t, rec, "delete", before, nil)
	})
}

// Restore brings back a deleted record. A record that is not deleted is an ENOTDELETED error
// and nothing is written: no new version, no audit entry.
func (tb *Table[T]) Restore(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "%s.Restore(%d)", tb.kind, id)
	return tb.db.Write(ctx, func(t *Tx) error {
		if _, err := tb.get(ctx, txq{t}, id, false); err == nil {
			return twin.Errorf(twin.ENOTDELETED, "%s %d is not deleted", tb.kind, id)
		}
		rec, err := tb.get(ctx, txq{t}, id, true)
		if err != nil {
			return err
		}
		m := meta(rec)
		m.Version++
		if _, err := t.exec(ctx, "UPDATE "+tb.table()+" SET deleted = NULL, version = ?, updated = ? WHERE id = ?", m.Version, ts(t.now), id); err != nil {
			return err
		}
		doc, _ := json.Marshal(rec)
		return tb.written(ctx, t, rec, "restore", nil, doc)
	})
}

// List returns one page of live records matching f, in id order. A filter the kind does not
// declare is refused (EINVALID, naming the filters it has), never ignored.
func (tb *Table[T]) List(ctx context.Context, f twin.Filter) (p twin.Page[*T], err error) {
	defer wrap(&err, "%s.List", tb.kind)
	c, a, err := tb.where(f)
	if err != nil {
		return p, err
	}
	conds, args := append([]string{"deleted IS NULL"}, c...), a
	if f.After != "" {
		after, err := strconv.ParseInt(f.After, 10, 64)
		if err != nil {
			return p, &twin.Error{Code: twin.EINVALID, Message: "bad cursor", Fields: map[string]twin.FieldError{"after": {Key: "invalid_cursor"}}}
		}
		conds, args = append(conds, "id > ?"), append(args, after)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	q := "SELECT " + selectCols + " FROM " + tb.table() + " WHERE " + strings.Join(conds, " AND ") + " ORDER BY id LIMIT " + strconv.Itoa(limit+1)
	recs, err := tb.queryRecs(ctx, dbq{tb.db}, q, args...)
	if err != nil {
		return p, err
	}
	if len(recs) > limit {
		recs = recs[:limit]
		p.Next = strconv.FormatInt(meta(recs[limit-1]).ID, 10)
	}
	p.Items = recs
	return p, tb.hydrateAll(ctx, dbq{tb.db}, recs)
}

// where turns f's conditions into SQL conditions and their arguments, in the order of their
// names.
func (tb *Table[T]) where(f twin.Filter) (conds []string, args []any, err error) {
	p := twin.Problems{}
	for _, name := range slices.Sorted(maps.Keys(f.Where)) {
		def, declared := twin.FilterOf(tb.kind, name)
		cond, ok := tb.filters[name]
		if !declared || !ok {
			known := strings.Join(twin.FilterNames(tb.kind), ", ")
			if known == "" {
				known = "—"
			}
			p.Add(name, "unknown_filter", map[string]any{"known": known})
			continue
		}
		switch v := f.Where[name].(type) {
		case int64:
			if def.Ref == "" {
				break
			}
			if v != 0 {
				conds = append(conds, cond)
				for range strings.Count(cond, "?") {
					args = append(args, v)
				}
			}
			continue
		case string:
			if def.Ref != "" || def.Internal {
				break
			}
			if def.Norm != nil {
				v = def.Norm(v)
			}
			if v != "" && def.Choices != nil && !slices.Contains(def.Choices, v) {
				p.Add(name, twin.KeyInvalidChoice, map[string]any{"value": v, "choices": strings.Join(def.Choices, ", ")})
			} else if v != "" {
				conds = append(conds, cond)
				for range strings.Count(cond, "?") {
					args = append(args, v)
				}
			}
			continue
		case []string:
			if !def.Internal {
				break
			}
			if len(v) > 0 {
				conds = append(conds, strings.Replace(cond, "(?)", "("+placeholders(len(v))+")", 1))
				for _, w := range v {
					args = append(args, w)
				}
			}
			continue
		}
		return nil, nil, twin.Errorf(twin.EINTERNAL, "%s filter %s given a %T", tb.kind, name, f.Where[name])
	}
	return conds, args, p.Err()
}

// ByIDs reads live records by id, in the order of ids, skipping missing ones.
func (tb *Table[T]) ByIDs(ctx context.Context, ids []int64) ([]*T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var all []*T
	for chunk := range chunks(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		recs, err := tb.queryRecs(ctx, dbq{tb.db}, "SELECT "+selectCols+" FROM "+tb.table()+" WHERE deleted IS NULL AND id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	byID := make(map[int64]*T, len(all))
	for _, r := range all {
		byID[meta(r).ID] = r
	}
	out := make([]*T, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, tb.hydrateAll(ctx, dbq{tb.db}, out)
}

// all lists every live record matching a raw condition, for the store's own queries.
func (tb *Table[T]) all(ctx context.Context, cond string, args ...any) ([]*T, error) {
	recs, err := tb.queryRecs(ctx, dbq{tb.db}, "SELECT "+selectCols+" FROM "+tb.table()+" WHERE deleted IS NULL AND ("+cond+") ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	return recs, tb.hydrateAll(ctx, dbq{tb.db}, recs)
}

// History returns the record's changes, oldest first.
func (tb *Table[T]) History(ctx context.Context, id int64) ([]twin.Change, error) {
	return tb.db.history(ctx, string(tb.kind), id)
}

func (tb *Table[T]) queryRecs(ctx context.Context, q querier, query string, args ...any) ([]*T, error) {
	rows, err := q.QueryContext(ctx, tb.db.d.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var recs []*T
	for rows.Next() {
		r, err := tb.scan(rows)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, rows.Err()
}

// dbq adapts the DB's reader pool to querier, rebinding placeholders.
type dbq struct{ db *DB }

func (q dbq) QueryContext(ctx context.Context, s string, args ...any) (*sql.Rows, error) {
	if st := q.db.stmts.get(ctx, s); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.db.r.QueryContext(ctx, s, args...)
}
func (q dbq) QueryRowContext(ctx context.Context, s string, args ...any) *sql.Row {
	if st := q.db.stmts.get(ctx, s); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.db.r.QueryRowContext(ctx, s, args...)
}
func (q dbq) ExecContext(ctx context.Context, s string, args ...any) (sql.Result, error) {
	return q.db.w.ExecContext(ctx, s, args...)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func chunks[E any](s []E, n int) func(func([]E) bool) {
	return func(yield func([]E) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}
