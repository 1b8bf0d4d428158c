package web

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/graph"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// The graph routes that read the in-memory intelligence (intel.Intel): paths, partner
// suggestions, cousins; and what the graph routes share.

func (s *Server) briefs(ctx context.Context, ids []int64, lang string) (map[int64]httpx.CityBrief, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	cs, err := s.db.CityNames(ctx, ids) // names only: decoding whole cities was a fifth of a page
	if err != nil {
		return nil, err
	}
	out := make(map[int64]httpx.CityBrief, len(cs))
	for _, c := range cs {
		out[c.ID] = httpx.NewCityBrief(c.ID, c.Wikidata, c.Country, c.Names, lang)
	}
	return out, nil
}

type pathAnswer struct {
	Found  bool                `json:"found"`
	Length int                 `json:"length"`
	Path   []httpx.CityBrief   `json:"path"`
	Paths  [][]httpx.CityBrief `json:"paths"`
}

// graphPath answers GET /api/v1/graph/path?from=&to=: the shortest chain of twinnings between
// two cities, and every chain of that length (up to limit).
func (s *Server) graphPath(w http.ResponseWriter, r *http.Request) error {
	if s.intel == nil {
		return twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	ids, err := s.pathEnds(r)
	if err != nil {
		return err
	}
	ans, err := s.answerPaths(r.Context(), s.shortestPaths(ids, queryLimit(r.URL.Query(), 20, 100)), apiLang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// pathEnds are the cities the query's from and to name.
func (s *Server) pathEnds(r *http.Request) ([2]int64, error) {
	q := r.URL.Query()
	p := twin.Problems{}
	var ids [2]int64
	for i, name := range []string{"from", "to"} {
		ref := q.Get(name)
		if ref == "" {
			p.Add(name, twin.KeyRequired, nil)
			continue
		}
		c, err := s.db.City(r.Context(), ref)
		if err != nil {
			if twin.ErrorCode(err) != twin.ENOTFOUND {
				return ids, err // the database failing is not an unknown city
			}
			p.Add(name, twin.KeyUnknownCity, map[string]any{"value": ref})
			continue
		}
		ids[i] = c.ID
	}
	return ids, p.Err()
}

// shortestPaths are the shortest paths between the two cities, at most limit of them.
func (s *Server) shortestPaths(ids [2]int64, limit int) [][]int64 {
	if ids[0] == ids[1] {
		return [][]int64{{ids[0]}}
	}
	return s.intel.Graph().AllShortestPaths(ids[0], ids[1], limit)
}

// answerPaths names the paths' cities in lang, the first path apart.
func (s *Server) answerPaths(ctx context.Context, paths [][]int64, lang string) (pathAnswer, error) {
	ans := pathAnswer{Path: []httpx.CityBrief{}, Paths: [][]httpx.CityBrief{}}
	var all []int64
	for _, p := range paths {
		all = append(all, p...)
	}
	bs, err := s.briefs(ctx, all, lang)
	if err != nil {
		return ans, err
	}
	for _, p := range paths {
		chain := make([]httpx.CityBrief, len(p))
		for i, id := range p {
			chain[i] = bs[id]
		}
		ans.Paths = append(ans.Paths, chain)
	}
	if len(ans.Paths) > 0 {
		ans.Found, ans.Path, ans.Length = true, ans.Paths[0], len(ans.Paths[0])-1
	}
	return ans, nil
}

// suggestions answers GET /api/v1/cities/{id}/suggestions: ranked partner cities with reasons.
func (s *Server) suggestions(w http.ResponseWriter, r *http.Request) error {
	c, err := s.graphCity(r)
	if err != nil {
		return err
	}
	res, err := s.suggest(r.Context(), c.ID, queryLimit(r.URL.Query(), 10, 100), apiLang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(res, ""))
	return nil
}

func (s *Server) suggest(ctx context.Context, city int64, k int, lang string) ([]httpx.Suggestion, error) {
	sug := s.intel.Suggest(city, k)
	bs, err := s.briefs(ctx, suggestedIDs(sug), lang)
	if err != nil {
		return nil, err
	}
	out := make([]httpx.Suggestion, 0, len(sug))
	for _, sg := range sug {
		a := httpx.Suggestion{City: bs[sg.City], Score: sg.Score}
		for _, re := range sg.Reasons {
			ra := httpx.Reason{Code: re.Code, Weight: re.Weight, Detail: re.Detail}
			var names []string
			for _, v := range re.Via {
				ra.Via = append(ra.Via, bs[v])
				names = append(names, bs[v].Name)
			}
			sep := i18n.ListSep(lang)
			detail := re.Detail
			if re.Code == graph.ReasonSharedOrg {
				detail = orgNames(re.Detail, sep, lang)
			}
			ra.Text = i18n.T(lang, "suggest."+re.Code, map[string]any{"via": strings.Join(names, sep), "detail": detail})
			a.Reasons = append(a.Reasons, ra)
		}
		out = append(out, a)
	}
	return out, nil
}

// orgNames names the regional organisations of a shared_org reason ("ECO,SCO") in lang: «سازمان
// همکاری اقتصادی (اکو)»; an organisation the catalogs do not name keeps its code.
func orgNames(codes, sep, lang string) string {
	var out []string
	for _, c := range strings.Split(codes, ",") {
		if i18n.Has(lang, "org."+c) {
			c = i18n.T(lang, "org."+c, nil)
		}
		out = append(out, c)
	}
	return strings.Join(out, sep)
}

type cousinAnswer struct {
	City httpx.CityBrief   `json:"city"`
	Via  []httpx.CityBrief `json:"via"`
}

// cousins answers GET /api/v1/cities/{id}/cousins: partners of partners that are not partners.
func (s *Server) cousins(w http.ResponseWriter, r *http.Request) error {
	c, err := s.graphCity(r)
	if err != nil {
		return err
	}
	cs := s.intel.Graph().Cousins(c.ID)
	if len(cs) > 200 {
		cs = cs[:200]
	}
	var ids []int64
	for _, x := range cs {
		ids = append(ids, x.ID)
		ids = append(ids, x.Via...)
	}
	bs, err := s.briefs(r.Context(), ids, apiLang(r))
	if err != nil {
		return err
	}
	out := make([]cousinAnswer, 0, len(cs))
	for _, x := range cs {
		a := cousinAnswer{City: bs[x.ID]}
		for _, v := range x.Via {
			a.Via = append(a.Via, bs[v])
		}
		out = append(out, a)
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

// graphCity is, for the graph routes, the city the path names; an error when there is no such
// city or no graph.
func (s *Server) graphCity(r *http.Request) (*twin.City, error) {
	if s.intel == nil {
		return nil, twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	return s.db.City(r.Context(), r.PathValue("id"))
}

// suggestedIDs are the cities suggestions name: the suggested, and those their reasons go via.
func suggestedIDs(sug []graph.Suggestion) []int64 {
	var ids []int64
	for _, sg := range sug {
		ids = append(ids, sg.City)
		for _, re := range sg.Reasons {
			ids = append(ids, re.Via...)
		}
	}
	return ids
}
