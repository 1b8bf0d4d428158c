package web

import (
	"context"
	"encoding/json"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/twin"
)

// The writes of a resource: patch, delete and restore, with their history, checks and conflicts.

func (rs *resource[T]) patch(w http.ResponseWriter, r *http.Request) error {
	id, err := rs.id(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	cur, err := rs.allowed(r, id, auth.ActUpdate)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, any(cur).(twin.Record).GetMeta().Version)
	if err == nil && version < 0 {
		err = twin.Errorf(twin.EVERSIONMISSING, "PATCH needs If-Match")
	}
	if err != nil {
		rs.conflict(w, id, err)
		return err
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	// The record as it was and as it will be must both be the editor's to change (no one moves
	// a record into, or out of, a scope that is not theirs): the store's guard checks both
	// inside the transaction.
	rec, err := rs.table.Update(rs.s.withGuard(r), id, version, func(rec *T) error {
		cur, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		merged, err := mergePatch(cur, b)
		if err != nil {
			return err
		}
		if merged, err = checkOwned(rs.kind(), cur, merged); err != nil {
			return err
		}
		var fresh T
		if err := decodeStrict(merged, &fresh); err != nil {
			return err
		}
		if err := rs.s.checkMembers(r.Context(), &fresh); err != nil {
			return err
		}
		if rs.keep != nil {
			rs.keep(rec, &fresh)
		}
		*rec = fresh
		return nil
	})
	if err != nil {
		rs.conflict(w, id, err)
		return err
	}
	rs.out(r, rec)
	w.Header().Set("ETag", etag(any(rec).(twin.Record).GetMeta().Version))
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (rs *resource[T]) del(w http.ResponseWriter, r *http.Request) error {
	id, err := rs.id(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	cur, err := rs.allowed(r, id, auth.ActDelete)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, any(cur).(twin.Record).GetMeta().Version)
	if err == nil && version < 0 {
		err = twin.Errorf(twin.EVERSIONMISSING, "DELETE needs If-Match")
	}
	if err == nil {
		err = rs.table.Delete(rs.s.withGuard(r), id, version)
	}
	if err != nil {
		rs.conflict(w, id, err)
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (rs *resource[T]) restore(w http.ResponseWriter, r *http.Request) error {
	id, err := rs.id(r.Context(), r.PathValue("id"))
	if err != nil {
		// A deleted city is no longer found by its ref; its internal id still names it.
		id, err = httpx.ParseID(r.Context(), r.PathValue("id"))
	}
	if err == nil {
		err = rs.table.Restore(r.Context(), id)
	}
	if err != nil {
		return err
	}
	return rs.get(w, r)
}

func (rs *resource[T]) history(w http.ResponseWriter, r *http.Request) error {
	id, err := rs.id(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if rs.readable != nil {
		cur, err := rs.table.Get(r.Context(), id)
		if err == nil && !rs.readable(r, cur) {
			err = httpx.NotFound(rs.kind(), id)
		}
		if err != nil {
			return err
		}
	}
	h, err := rs.table.History(r.Context(), id)
	if err != nil {
		return err
	}
	visible := true
	if rs.hide != nil && !rs.s.canSeePrivate(r) {
		cur, err := rs.table.Get(r.Context(), id)
		visible = err == nil && rs.s.maySee(r, rs.kind(), cur)
	}
	_, staff := rs.s.staffActor(r)
	writeJSON(w, http.StatusOK, newList(answerChanges(h, func(string) bool { return visible }, staff), ""))
	return nil
}

// allowed checks, before anything is changed, that the principal may do action to the record
// as it is now, and returns that record.
func (rs *resource[T]) allowed(r *http.Request, id int64, action string) (*T, error) {
	cur, err := rs.table.Get(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return cur, rs.s.authorize(r, rs.kind(), action, cur)
}

// conflict adds the record's current version (its ETag) to a 412 answer, so the client can
// fetch the other's change (GET the record, or its history since the version it had).
func (rs *resource[T]) conflict(w http.ResponseWriter, id int64, err error) {
	if twin.ErrorCode(err) == twin.EPRECONDITION {
		if v := rs.table.Version(context.Background(), id); v > 0 {
			w.Header().Set("ETag", etag(v))
		}
	}
}
