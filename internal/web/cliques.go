package web

import (
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"slices"
	"strconv"

	"github.com/twinning/twinning/internal/twin"
)

// Triangles and cliques of partner cities.

// triangles answers GET /api/v1/cities/{id}/triangles.
func (s *Server) triangles(w http.ResponseWriter, r *http.Request) error {
	c, err := s.graphCity(r)
	if err != nil {
		return err
	}
	ts := s.intel.Graph().Triangles(c.ID)
	var ids []int64
	for _, t := range ts {
		ids = append(ids, t[:]...)
	}
	bs, err := s.briefs(r.Context(), ids, apiLang(r))
	if err != nil {
		return err
	}
	out := [][]httpx.CityBrief{}
	for _, t := range ts {
		out = append(out, []httpx.CityBrief{bs[t[0]], bs[t[1]], bs[t[2]]})
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

// cliques answers GET /api/v1/graph/cliques?min=&limit=&city=: maximal groups of cities all
// twinned with one another, the largest first.
func (s *Server) cliques(w http.ResponseWriter, r *http.Request) error {
	if s.intel == nil {
		return twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	q := r.URL.Query()
	minSize, _ := strconv.Atoi(q.Get("min"))
	minSize = min(max(minSize, 3), 20)
	limit := queryLimit(q, 50, 200)
	var city int64
	if ref := q.Get("city"); ref != "" {
		c, err := s.queryCity(r, "city", ref)
		if err != nil {
			return err
		}
		city = c.ID
	}
	var found [][]int64
	for _, c := range s.intel.Graph().Cliques(minSize, 0) {
		if city == 0 || slices.Contains(c, city) {
			found = append(found, c)
			if len(found) == limit {
				break
			}
		}
	}
	var ids []int64
	for _, c := range found {
		ids = append(ids, c...)
	}
	bs, err := s.briefs(r.Context(), ids, apiLang(r))
	if err != nil {
		return err
	}
	out := [][]httpx.CityBrief{}
	for _, c := range found {
		group := make([]httpx.CityBrief, len(c))
		for i, id := range c {
			group[i] = bs[id]
		}
		out = append(out, group)
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}
