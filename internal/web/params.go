package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// param is one query parameter an API route accepts, declared in the route table. The server
// refuses any parameter a route does not declare, checks the declared ones before the handler
// runs, and the OpenAPI document states them: the three cannot disagree.
type param struct {
	name     string
	integer  bool // a whole number between min and max (max 0: no bound)
	min, max int64
	required bool
	enum     []string
	doc      string
}

// text declares a free string parameter.
func text(name, doc string) param { return param{name: name, doc: doc} }

// number declares a whole-number parameter between lo and hi.
func number(name string, lo, hi int64, doc string) param {
	return param{name: name, integer: true, min: lo, max: hi, doc: doc}
}

// oneOf declares a parameter whose value is one of choices.
func oneOf(name, doc string, choices ...string) param {
	return param{name: name, enum: choices, doc: doc}
}

// need marks a parameter required.
func need(p param) param { p.required = true; return p }

// idParam declares a filter by the internal id of another record.
func idParam(name string) param { return number(name, 1, 0, "the internal id of the "+name) }

// cityParam is the filter by city: an internal id or a Wikidata id.
var cityParam = text("city", "a city: internal id or Wikidata id (Q42053)")

// cityRef is the {id} of a city's path: its internal id or its Wikidata id.
var cityRef = text("id", "a city: its internal id or its Wikidata id (Q42053)")

// filterParams are the query parameters of a kind's list: the filters the kind declares
// (twin.Filters) that a query may set, so that the server's check, the store's conditions and
// the OpenAPI document name the same ones.
func filterParams(kind twin.Kind) []param {
	var out []param
	for _, d := range twin.Filters[kind] {
		switch {
		case d.Internal:
		case d.Ref == "city":
			p := cityParam
			p.name = d.Name
			out = append(out, p)
		case d.Ref != "":
			out = append(out, idParam(d.Name))
		case d.Choices != nil:
			out = append(out, oneOf(d.Name, d.Doc, d.Choices...))
		default:
			out = append(out, text(d.Name, d.Doc))
		}
	}
	return out
}

// paged adds the cursor parameters of a list to its filters.
func paged(maxLimit int64, filters ...param) []param {
	return append(slices.Clip(filters), text("after", "the cursor: the next field of the previous page"),
		number("limit", 1, maxLimit, "items per page (50)"))
}

// graphErrs are the statuses of the routes that read the in-memory graph beyond the usual ones
// (503 while it is not loaded is among every route's).
var graphErrs []int

// checkQuery refuses, before h runs, a query parameter the route does not declare, a
// repeated or malformed one, a value out of bounds or not among the choices, and a missing
// required one: each a field error of one 400 answer.
func (s *Server) checkQuery(rt route, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkParams(rt.query, r); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r)
	}
}

func checkParams(decl []param, r *http.Request) error {
	q, err := parseQuery(r)
	if err != nil {
		return err
	}
	p := twin.Problems{}
	for name, vs := range q {
		i := slices.IndexFunc(decl, func(d param) bool { return d.name == name })
		if i < 0 {
			p.Add(name, "unknown_parameter", map[string]any{"known": knownParams(decl)})
			continue
		}
		if len(vs) > 1 {
			p.Add(name, "repeated_parameter", nil)
			continue
		}
		checkParam(p, decl[i], vs[0])
	}
	for _, d := range decl {
		if d.required && strings.TrimSpace(q.Get(d.name)) == "" {
			if _, seen := p[d.name]; !seen {
				p.Add(d.name, twin.KeyRequired, nil)
			}
		}
	}
	return p.Err()
}

func checkParam(p twin.Problems, d param, v string) {
	switch {
	case d.integer:
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
			p.Add(d.name, "invalid_number", nil)
		case n < d.min || d.max > 0 && n > d.max:
			hi := "∞"
			if d.max > 0 {
				hi = strconv.FormatInt(d.max, 10)
			}
			p.Add(d.name, "out_of_range", map[string]any{"min": d.min, "max": hi})
		}
	case d.enum != nil && !slices.Contains(d.enum, v):
		p.Add(d.name, twin.KeyInvalidChoice, map[string]any{"value": v, "choices": strings.Join(d.enum, ", ")})
	}
}

// parseQuery reads the query string, refusing one that does not parse (a stray %).
func parseQuery(r *http.Request) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, twin.Problem("query", "bad_query", nil)
	}
	return q, nil
}

func knownParams(decl []param) string {
	if len(decl) == 0 {
		return "—"
	}
	names := make([]string, len(decl))
	for i, d := range decl {
		names[i] = d.name
	}
	return strings.Join(names, ", ")
}

// apiFallback answers, under /api/v1/, what the mux does not route with the API's JSON error
// document in the reader's language: 404 for an unknown path, 405 with Allow for a known path
// and another method. Pages keep the mux's own answers.
func (s *Server) apiFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			mux.ServeHTTP(w, r)
			return
		}
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		var allow []string
		for _, m := range []string{"GET", "POST", "PATCH", "PUT", "DELETE"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" {
				allow = append(allow, m)
				if m == "GET" {
					allow = append(allow, "HEAD")
				}
			}
		}
		if len(allow) == 0 {
			s.fail(w, r, twin.Errorf(twin.ENOTFOUND, "no API route %s", r.URL.Path))
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.fail(w, r, twin.Errorf(twin.EMETHOD, "%s is not allowed on %s", r.Method, r.URL.Path))
	})
}

// queryLimit is the query's limit: def when it says none, or one outside 1 to most (the route
// table's declaration has refused those already where it bounds the parameter).
func queryLimit(q url.Values, def, most int) int {
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > most {
		return def
	}
	return limit
}
