package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/twin"
)

// Search, and the reference lists (domains, countries) and the date converter.

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
