package web

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strconv"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// resource serves one collection of the JSON API over a store table: list, get, create,
// PATCH as a JSON merge patch with If-Match, soft delete, history and restore.
type resource[T any] struct {
	s     *Server
	table *store.Table[T]
	// id resolves the {id} path value (cities accept Wikidata ids too).
	id func(ctx context.Context, v string) (int64, error)
	// show completes records for output (computed fields such as vitality).
	show func(r *http.Request, recs []*T)
	// hide removes private fields for readers who may not see them.
	hide func(rec *T)
	// submit adjusts a record created by a principal who may not set every field (a citizen's
	// proposal starts as submitted).
	submit func(p *auth.Principal, rec *T)
	// keep restores the fields of a record that only their own routes change (an activity's
	// confirmations), whatever a create or a PATCH says of them.
	keep func(before, after *T)
	// narrow limits a list to what the reader may see (published proposals); readable says
	// whether the reader may see one record at all (a missing one answers 404).
	narrow   func(r *http.Request, f *twin.Filter)
	readable func(r *http.Request, rec *T) bool
	// path declares {id} in the OpenAPI document when it is not only an internal id.
	path []param
}

// kind is the record kind, for authorization and the audit log: "agreement".
func (rs *resource[T]) kind() string { return string(rs.table.Kind()) }

// name is the collection's path segment: "agreements".
func (rs *resource[T]) name() string { return rs.table.Kind().Plural() }

func (rs *resource[T]) out(r *http.Request, recs ...*T) {
	if rs.show != nil {
		rs.show(r, recs)
	}
	if rs.hide != nil && !rs.s.canSeePrivate(r) {
		for _, rec := range recs {
			if !rs.s.maySee(r, rs.kind(), rec) {
				rs.hide(rec)
			}
		}
	}
}

func (rs *resource[T]) list(w http.ResponseWriter, r *http.Request) error {
	f, err := rs.s.filter(r, rs.table.Kind())
	if err != nil {
		return err
	}
	if rs.narrow != nil {
		rs.narrow(r, &f)
	}
	p, err := rs.table.List(r.Context(), f)
	if err != nil {
		return err
	}
	rs.out(r, p.Items...)
	writeJSON(w, http.StatusOK, newList(p.Items, p.Next))
	return nil
}

func (rs *resource[T]) get(w http.ResponseWriter, r *http.Request) error {
	id, err := rs.id(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	rec, err := rs.table.Get(r.Context(), id)
	if err == nil && rs.readable != nil && !rs.readable(r, rec) {
		err = httpx.NotFound(rs.kind(), id)
	}
	if err != nil {
		return err
	}
	rs.out(r, rec)
	w.Header().Set("ETag", etag(any(rec).(twin.Record).GetMeta().Version))
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (rs *resource[T]) create(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	rec, err := rs.decodeNew(r.Context(), b)
	if err != nil {
		return err
	}
	m := any(rec).(twin.Record).GetMeta()
	*m = twin.Meta{} // the server assigns id and version (checkOwned refused any other)
	if p := principalFrom(r.Context()); rs.submit != nil && p != nil {
		rs.submit(p, rec)
	}
	if rs.keep != nil {
		rs.keep(new(T), rec)
	}
	if err := rs.s.authorize(r, rs.kind(), auth.ActCreate, rec); err != nil {
		return err
	}
	// The store checks the references and the scope again inside its transaction.
	rec, err = rs.table.Create(rs.s.withGuard(r), rec)
	if err != nil {
		return err
	}
	rec = rs.readBack(r.Context(), rec, m.ID)
	rs.out(r, rec)
	w.Header().Set("ETag", etag(m.Version))
	w.Header().Set("Location", "/api/v1/"+rs.name()+"/"+strconv.FormatInt(m.ID, 10))
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

// decodeNew reads a new record from b: no server-owned field, every field known, its members
// (the cities of an agreement, ...) there.
func (rs *resource[T]) decodeNew(ctx context.Context, b []byte) (*T, error) {
	rec := new(T)
	b, err := checkOwned(rs.kind(), nil, b)
	if err == nil {
		err = decodeStrict(b, rec)
	}
	if err == nil {
		err = rs.s.checkMembers(ctx, rec)
	}
	return rec, err
}

// readBack is the record as stored, or rec as written: the record is committed, and the answer
// says so even if reading it back fails (a database restarting between the two), so that a
// client never retries a write that was made.
func (rs *resource[T]) readBack(ctx context.Context, rec *T, id int64) *T {
	stored, err := rs.table.Get(ctx, id)
	if err != nil {
		rs.s.log.WarnContext(ctx, "created, but reading it back failed; answering with the record as written", "kind", rs.kind(), "id", id, "err", err)
		return rec
	}
	return stored
}
