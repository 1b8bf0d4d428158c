package web

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// The filters of the lists, and the city routes beside them (the list of cities, a city's partners).

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
		err = twin.Problem("after", "not_with_q", nil)
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
	cities = keepCities(cities, strings.ToUpper(r.URL.Query().Get("country")), r.URL.Query().Get("wikidata"))
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
	httpx.SortPartners(ps, apiLang(r))
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
		httpx.TranslateVitality(v, lang)
	}
}

// keepCities keeps the cities of the country and with the Wikidata id asked for, if any.
func keepCities(cities []*twin.City, country, wikidata string) []*twin.City {
	if country == "" && wikidata == "" {
		return cities
	}
	kept := cities[:0]
	for _, c := range cities {
		if (country == "" || c.Country == country) && (wikidata == "" || c.Wikidata == twin.NormalizeQID(wikidata)) {
			kept = append(kept, c)
		}
	}
	return kept
}
