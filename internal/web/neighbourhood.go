package web

import (
	"bytes"
	"fmt"
	"github.com/twinning/twinning/internal/httpx"
	"html"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/twinning/twinning/internal/graph"
	"github.com/twinning/twinning/internal/i18n"
)

// A city's neighbourhood in the graph, as JSON or drawn as SVG.

type neighbourhoodAnswer struct {
	Center int64        `json:"center"`
	Nodes  []nodeAnswer `json:"nodes"`
	Edges  []edgeAnswer `json:"edges"`
}

type nodeAnswer struct {
	httpx.CityBrief
	Depth  int `json:"depth"`
	Degree int `json:"degree"`
}

type edgeAnswer struct {
	A         int64 `json:"a"`
	B         int64 `json:"b"`
	Agreement int64 `json:"agreement"`
}

// neighbourhood answers GET /api/v1/cities/{id}/neighbourhood?depth=&max=&format=svg.
func (s *Server) neighbourhood(w http.ResponseWriter, r *http.Request) error {
	c, err := s.graphCity(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	depth, maxNodes := neighbourhoodSize(q)
	lang := apiLang(r)
	nodes, edges := s.intel.Graph().Neighbourhood(c.ID, depth, maxNodes)
	if len(nodes) == 0 {
		nodes = []int64{c.ID}
	}
	bs, err := s.briefs(r.Context(), nodes, lang)
	if err != nil {
		return err
	}
	dist := graphDepths(c.ID, edges, depth)
	ans := neighbourhoodAnswer{Center: c.ID}
	for _, id := range nodes {
		ans.Nodes = append(ans.Nodes, nodeAnswer{CityBrief: bs[id], Depth: dist[id], Degree: s.intel.Graph().Degree(id)})
	}
	for _, e := range edges {
		ans.Edges = append(ans.Edges, edgeAnswer{A: e.A, B: e.B, Agreement: e.Agreement})
	}
	if q.Get("format") == "svg" {
		w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
		w.Write(drawNeighbourhood(ans, lang))
		return nil
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// drawNeighbourhood lays the neighbourhood out in rings around the city (partners on the first
// ring, their partners on the second) and draws it as a self-contained SVG.
func drawNeighbourhood(n neighbourhoodAnswer, lang string) []byte {
	const size = 640.0
	cx, cy := size/2, size/2
	rings := map[int][]nodeAnswer{}
	for _, nd := range n.Nodes {
		rings[nd.Depth] = append(rings[nd.Depth], nd)
	}
	pos := map[int64][2]float64{}
	for d, ns := range rings {
		sort.Slice(ns, func(i, j int) bool { return ns[i].Name < ns[j].Name })
		radius := float64(d) * size * 0.2
		for i, nd := range ns {
			angle := 2*math.Pi*float64(i)/float64(len(ns)) - math.Pi/2
			if lang == "fa" || i18n.Dir(lang) == "rtl" {
				angle = math.Pi - angle // clockwise from the top, as the reader's eye goes
			}
			pos[nd.ID] = [2]float64{cx + radius*math.Cos(angle), cy + radius*math.Sin(angle)}
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" direction="%s" font-family="Vazirmatn, sans-serif" font-size="11">`, size, size, i18n.Dir(lang))
	for _, e := range n.Edges {
		a, b2 := pos[e.A], pos[e.B]
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8aa6b8" stroke-width="1"/>`, a[0], a[1], b2[0], b2[1])
	}
	for _, nd := range n.Nodes {
		p := pos[nd.ID]
		r, fill := 4.0, "#3f7fa6"
		if nd.Depth == 0 {
			r, fill = 8, "#b5452c"
		}
		name := html.EscapeString(nd.Name)
		fmt.Fprintf(&b, `<g><title>%s</title><circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>`, name, p[0], p[1], r, fill)
		if nd.Depth <= 1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#1d2b36">%s</text>`, p[0], p[1]-r-3, name)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// neighbourhoodSize is how deep (1 to 3, 1 unless said) and how large (at most 500 cities, 80
// unless said) a neighbourhood the query asks for.
func neighbourhoodSize(q url.Values) (depth, maxNodes int) {
	depth, _ = strconv.Atoi(q.Get("depth"))
	maxNodes, _ = strconv.Atoi(q.Get("max"))
	if maxNodes <= 0 || maxNodes > 500 {
		maxNodes = 80
	}
	return min(max(depth, 1), 3), maxNodes
}

// graphDepths is each city's number of steps from center along edges, up to depth.
func graphDepths(center int64, edges []graph.Edge, depth int) map[int64]int {
	dist := map[int64]int{center: 0}
	for d := 1; d <= depth; d++ {
		for _, e := range edges {
			for _, pair := range [][2]int64{{e.A, e.B}, {e.B, e.A}} {
				if dd, ok := dist[pair[0]]; ok && dd == d-1 {
					if _, seen := dist[pair[1]]; !seen {
						dist[pair[1]] = d
					}
				}
			}
		}
	}
	return dist
}
