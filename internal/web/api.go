package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/auth"
	"github.com/twinning/twinning/internal/calendar"
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

func parseID(_ context.Context, v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, twin.Errorf(twin.ENOTFOUND, "no record %q", v)
	}
	return id, nil
}

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
		err = notFound(rs.kind(), id)
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
	rec := new(T)
	if b, err = checkOwned(rs.kind(), nil, b); err == nil {
		err = decodeStrict(b, rec)
	}
	if err == nil {
		err = rs.s.checkMembers(r.Context(), rec)
	}
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
	// The record is committed: the answer says so even if reading it back fails (a database
	// restarting between the two), so that a client never retries a write that was made.
	if stored, err := rs.table.Get(r.Context(), m.ID); err == nil {
		rec = stored
	} else {
		rs.s.log.WarnContext(r.Context(), "created, but reading it back failed; answering with the record as written", "kind", rs.kind(), "id", m.ID, "err", err)
	}
	rs.out(r, rec)
	w.Header().Set("ETag", etag(m.Version))
	w.Header().Set("Location", "/api/v1/"+rs.name()+"/"+strconv.FormatInt(m.ID, 10))
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

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
		id, err = parseID(r.Context(), r.PathValue("id"))
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
			err = notFound(rs.kind(), id)
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

// filter reads a list's query into a filter of kind: each filter the kind declares
// (twin.Filters), the cursor and the page size. checkQuery has refused any other parameter and
// checked these; a city is named by its internal or its Wikidata id.
func (s *Server) filter(r *http.Request, kind twin.Kind) (twin.Filter, error) {
	q := r.URL.Query()
	f := twin.Filter{Where: map[string]any{}, After: q.Get("after")}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	for _, d := range twin.Filters[kind] {
		v := q.Get(d.Name)
		switch {
		case v == "" || d.Internal:
		case d.Ref == "city":
			c, err := s.queryCity(r, d.Name, v)
			if err != nil {
				return f, err
			}
			f.Where[d.Name] = c.ID
		case d.Ref != "":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return f, twin.Problems{d.Name: {Key: "invalid_number"}}.Err()
			}
			f.Where[d.Name] = n
		default:
			f.Where[d.Name] = v
		}
	}
	return f, nil
}

// cityID resolves a city ref: a Wikidata id or an internal id.
func (s *Server) cityID(ctx context.Context, ref string) (int64, error) {
	c, err := s.db.City(ctx, ref)
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

// listCities answers GET /api/v1/cities, by name in any script when q is given.
func (s *Server) listCities(w http.ResponseWriter, r *http.Request, rs *resource[twin.City]) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return rs.list(w, r)
	}
	f, err := s.filter(r, twin.KindCity)
	if err == nil && f.After != "" {
		// A search answers one ranked page: a cursor means nothing to it.
		p := twin.Problems{}
		p.Add("after", "not_with_q", nil)
		err = p.Err()
	}
	if err != nil {
		return err
	}
	limit := min(f.Limit, 200) // a search ranks at most 200
	if limit == 0 {
		limit = 20
	}
	hits, err := s.db.Search(r.Context(), q, []string{"city"}, limit)
	if err != nil {
		return err
	}
	ids := store.HitIDs(hits)
	cities, err := s.db.Cities.ByIDs(r.Context(), ids)
	if err != nil {
		return err
	}
	country, wikidata := strings.ToUpper(r.URL.Query().Get("country")), r.URL.Query().Get("wikidata")
	if country != "" || wikidata != "" {
		kept := cities[:0]
		for _, c := range cities {
			if (country == "" || c.Country == country) && (wikidata == "" || c.Wikidata == twin.NormalizeQID(wikidata)) {
				kept = append(kept, c)
			}
		}
		cities = kept
	}
	writeJSON(w, http.StatusOK, newList(cities, ""))
	return nil
}

// partners answers GET /api/v1/cities/{id}/partners.
func (s *Server) partners(w http.ResponseWriter, r *http.Request) error {
	c, err := s.db.City(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	ps, err := s.db.Partners(r.Context(), c.ID)
	if err != nil {
		return err
	}
	sortPartners(ps, apiLang(r))
	as := make([]*twin.Agreement, len(ps))
	for i := range ps {
		as[i] = ps[i].Agreement
	}
	s.showAgreements(r, as)
	writeJSON(w, http.StatusOK, newList(ps, ""))
	return nil
}

// showAgreements fills the computed vitality of agreements, its reasons in the reader's language.
func (s *Server) showAgreements(r *http.Request, as []*twin.Agreement) {
	if s.intel == nil {
		return
	}
	lang := apiLang(r)
	for i, v := range s.intel.Vitalities(r.Context(), as) {
		as[i].Vitality = v
		translateVitality(v, lang)
	}
}

// search answers GET /api/v1/search?q=&type=&usable=.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var kinds []string
	if t := r.URL.Query().Get("type"); t != "" {
		for _, k := range strings.Split(t, ",") {
			kinds = append(kinds, strings.TrimSpace(k))
		}
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if s.Search == nil {
		return twin.Errorf(twin.EINTERNAL, "search is not configured")
	}
	ctx := r.Context()
	if r.URL.Query().Get("usable") == "1" {
		ctx = withUsable(ctx, s.usableFor(r)) // a form's picker: only what its editor may use
	}
	res, err := s.Search(ctx, q, kinds, limit, apiLang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// domains answers GET /api/v1/domains.
func (s *Server) domains(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.db.Domains(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(ds, ""))
	return nil
}

// addDomain answers POST /api/v1/domains.
func (s *Server) addDomain(w http.ResponseWriter, r *http.Request) error {
	var d twin.Domain
	if err := decodeBody(w, r, &d); err != nil {
		return err
	}
	if err := s.db.AddDomain(r.Context(), d); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

// countries answers GET /api/v1/countries.
func (s *Server) countries(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.db.Countries(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(cs, ""))
	return nil
}

// dateAnswer is a completed partial date with its display forms.
type dateAnswer struct {
	calendar.PartialDate
	Display    string `json:"display"`
	DisplayAlt string `json:"display_alt"`
}

// convertDate answers GET /api/v1/dates?calendar=jalali&value=1403-12-30.
func (s *Server) convertDate(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d, err := calendar.Parse(calendar.Calendar(q.Get("calendar")), q.Get("value"))
	if err != nil {
		p := twin.Problems{}
		if ce, ok := err.(*calendar.Error); ok {
			p.Add("value", ce.Code, map[string]any{"value": ce.Value})
		} else {
			p.Add("value", "date_syntax", map[string]any{"value": q.Get("value")})
		}
		return p.Err()
	}
	lang := apiLang(r)
	writeJSON(w, http.StatusOK, dateAnswer{PartialDate: d, Display: calendar.Format(d, lang), DisplayAlt: calendar.FormatAlt(d, lang)})
	return nil
}
