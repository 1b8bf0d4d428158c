package web

import (
	"github.com/twinning/twinning/internal/httpx"
	"math"
	"net/http"
	"sort"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// The graph's statistics and communities, and counterpart institutions across a partnership.

type counterpart struct {
	Institution *twin.Institution `json:"institution"`
	City        httpx.CityBrief   `json:"city"`
	Score       float64           `json:"score"`
	Reasons     []twin.Reason     `json:"reasons"`
}

// institutionSuggestions answers GET /api/v1/institutions/{id}/suggestions: institutions in the
// partner cities of the institution's city, ranked by registry.Counterparts.
func (s *Server) institutionSuggestions(w http.ResponseWriter, r *http.Request) error {
	if s.intel == nil {
		return twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	id, err := httpx.ParseID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := apiLang(r)
	cps, err := s.reg.Counterparts(r.Context(), id, lang, s.intel)
	if err != nil {
		return err
	}
	out := make([]counterpart, len(cps))
	for i, cp := range cps {
		out[i] = counterpart{Institution: cp.Institution, City: httpx.Brief(cp.City, lang), Score: cp.Score, Reasons: cp.Reasons}
		for j := range cp.Reasons {
			re := &cp.Reasons[j]
			re.Text = i18n.T(lang, "counterpart."+re.Code, re.Params)
		}
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

type graphStatsAnswer struct {
	Cities           int     `json:"cities"`
	Agreements       int     `json:"agreements"`
	Components       int     `json:"components"`
	LargestComponent int     `json:"largest_component"`
	Communities      int     `json:"communities"`
	Modularity       float64 `json:"modularity"`
}

// graphStats answers GET /api/v1/graph/stats.
func (s *Server) graphStats(w http.ResponseWriter, r *http.Request) error {
	if s.intel == nil {
		return twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	g := s.intel.Graph()
	comps := g.Components()
	largest := 0
	for _, c := range comps {
		largest = max(largest, len(c))
	}
	of, mod := s.intel.Communities()
	ncom := map[int]bool{}
	for _, c := range of {
		ncom[c] = true
	}
	writeJSON(w, http.StatusOK, graphStatsAnswer{Cities: g.Len(), Agreements: len(g.Edges()), Components: len(comps),
		LargestComponent: largest, Communities: len(ncom), Modularity: math.Round(mod*1000) / 1000})
	return nil
}

type communityAnswer struct {
	Community int               `json:"community"`
	Size      int               `json:"size"`
	Members   []httpx.CityBrief `json:"members"`
}

// communities answers GET /api/v1/graph/communities?city=: the community of a city with its
// best-connected members (up to limit).
func (s *Server) communities(w http.ResponseWriter, r *http.Request) error {
	if s.intel == nil {
		return twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	ref := r.URL.Query().Get("city")
	if ref == "" {
		return twin.Problem("city", twin.KeyRequired, nil)
	}
	c, err := s.queryCity(r, "city", ref)
	if err != nil {
		return err
	}
	limit := queryLimit(r.URL.Query(), 50, 500)
	of, _ := s.intel.Communities()
	com, ok := of[c.ID]
	if !ok {
		writeJSON(w, http.StatusOK, communityAnswer{Community: -1, Members: []httpx.CityBrief{}})
		return nil
	}
	members := s.communityMembers(of, com)
	size := len(members)
	if len(members) > limit {
		members = members[:limit]
	}
	bs, err := s.briefs(r.Context(), members, apiLang(r))
	if err != nil {
		return err
	}
	ans := communityAnswer{Community: com, Size: size}
	for _, id := range members {
		ans.Members = append(ans.Members, bs[id])
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// communityMembers are the cities of community com, the best connected first.
func (s *Server) communityMembers(of map[int64]int, com int) []int64 {
	var members []int64
	for id, k := range of {
		if k == com {
			members = append(members, id)
		}
	}
	g := s.intel.Graph()
	sort.Slice(members, func(i, j int) bool {
		di, dj := g.Degree(members[i]), g.Degree(members[j])
		if di != dj {
			return di > dj
		}
		return members[i] < members[j]
	})
	return members
}
