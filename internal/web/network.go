package web

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"

	"github.com/twinning/twinning/internal/exchange"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

// queryCity resolves a city named by a query parameter: one that is not found is a field
// error of that parameter (400), not a missing resource.
func (s *Server) queryCity(r *http.Request, name, ref string) (*twin.City, error) {
	c, err := s.db.City(r.Context(), ref)
	if twin.ErrorCode(err) == twin.ENOTFOUND {
		p := twin.Problems{}
		p.Add(name, twin.KeyUnknownCity, map[string]any{"value": ref})
		return nil, p.Err()
	}
	return c, err
}

// exportTypes are the media types of the export formats.
func exportTypes() []string {
	var ts []string
	for _, f := range exchange.ExportFormats {
		ts = append(ts, exchange.ContentType(f))
	}
	return ts
}

// attention answers GET /api/v1/cities/{id}/attention: the city's partnerships that need
// attention, the most urgent first, each with its reasons (cityAttention).
func (s *Server) attention(w http.ResponseWriter, r *http.Request) error {
	c, ps, err := s.cityPartners(r)
	if err != nil {
		return err
	}
	out, err := s.cityAttention(r.Context(), c.ID, ps, apiLang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

// pipeline answers GET /api/v1/cities/{id}/pipeline.
func (s *Server) pipeline(w http.ResponseWriter, r *http.Request) error {
	_, ps, err := s.cityPartners(r)
	if err != nil {
		return err
	}
	out := []twin.Partner{}
	for _, p := range ps {
		if p.Agreement.Status == twin.StatusProposed || p.Agreement.Status == twin.StatusNegotiating {
			out = append(out, p)
		}
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

func (s *Server) cityPartners(r *http.Request) (*twin.City, []twin.Partner, error) {
	c, err := s.graphCity(r)
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.db.Partners(r.Context(), c.ID)
	return c, ps, err
}

func brief(c *twin.City, lang string) cityBrief {
	return cityBrief{ID: c.ID, Wikidata: c.Wikidata, Ref: c.Ref(), Name: c.Names.Pick(lang), Names: c.Names, Country: c.Country}
}

type neighbourhoodAnswer struct {
	Center int64        `json:"center"`
	Nodes  []nodeAnswer `json:"nodes"`
	Edges  []edgeAnswer `json:"edges"`
}

type nodeAnswer struct {
	cityBrief
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
	depth, _ := strconv.Atoi(q.Get("depth"))
	depth = min(max(depth, 1), 3)
	maxNodes, _ := strconv.Atoi(q.Get("max"))
	if maxNodes <= 0 || maxNodes > 500 {
		maxNodes = 80
	}
	lang := apiLang(r)
	nodes, edges := s.intel.Graph().Neighbourhood(c.ID, depth, maxNodes)
	if len(nodes) == 0 {
		nodes = []int64{c.ID}
	}
	bs, err := s.briefs(r.Context(), nodes, lang)
	if err != nil {
		return err
	}
	dist := map[int64]int{c.ID: 0}
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
	ans := neighbourhoodAnswer{Center: c.ID}
	for _, id := range nodes {
		ans.Nodes = append(ans.Nodes, nodeAnswer{cityBrief: bs[id], Depth: dist[id], Degree: s.intel.Graph().Degree(id)})
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
	out := [][]cityBrief{}
	for _, t := range ts {
		out = append(out, []cityBrief{bs[t[0]], bs[t[1]], bs[t[2]]})
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}

type counterpart struct {
	Institution *twin.Institution `json:"institution"`
	City        cityBrief         `json:"city"`
	Score       float64           `json:"score"`
	Reasons     []twin.Reason     `json:"reasons"`
}

// institutionSuggestions answers GET /api/v1/institutions/{id}/suggestions: institutions in the
// partner cities of the institution's city, ranked by registry.Counterparts.
func (s *Server) institutionSuggestions(w http.ResponseWriter, r *http.Request) error {
	if s.intel == nil {
		return twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	id, err := parseID(r.Context(), r.PathValue("id"))
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
		out[i] = counterpart{Institution: cp.Institution, City: brief(cp.City, lang), Score: cp.Score, Reasons: cp.Reasons}
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
	Community int         `json:"community"`
	Size      int         `json:"size"`
	Members   []cityBrief `json:"members"`
}

// communities answers GET /api/v1/graph/communities?city=: the community of a city with its
// best-connected members (up to limit).
func (s *Server) communities(w http.ResponseWriter, r *http.Request) error {
	if s.intel == nil {
		return twin.Errorf(twin.EGRAPHLOADING, "the graph is not loaded")
	}
	ref := r.URL.Query().Get("city")
	if ref == "" {
		p := twin.Problems{}
		p.Add("city", twin.KeyRequired, nil)
		return p.Err()
	}
	c, err := s.queryCity(r, "city", ref)
	if err != nil {
		return err
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	of, _ := s.intel.Communities()
	com, ok := of[c.ID]
	if !ok {
		writeJSON(w, http.StatusOK, communityAnswer{Community: -1, Members: []cityBrief{}})
		return nil
	}
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

// export answers GET /api/v1/export?format=&city=&depth=: the same files as `twinning export`.
// Private contacts are left out for readers who may not see them.
func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = exchange.FormatJSONL
	}
	if !slices.Contains(exchange.ExportFormats, format) {
		p := twin.Problems{}
		p.Add("format", twin.KeyInvalidChoice, map[string]any{"value": format, "choices": "csv, jsonl, geojson, graphml, ics"})
		return p.Err()
	}
	depth, _ := strconv.Atoi(q.Get("depth"))
	if ref := q.Get("city"); ref != "" {
		if _, err := s.queryCity(r, "city", ref); err != nil {
			return err
		}
	}
	if !s.signedIn(r) {
		// An anonymous reader's export is bounded: a neighbourhood at most anonymousDepth steps
		// deep, and one such export at a time (the others wait their turn).
		depth = min(depth, anonymousDepth)
		select {
		case anonymousExports <- struct{}{}:
			defer func() { <-anonymousExports }()
		case <-r.Context().Done():
			return nil
		}
	}
	d, err := exchange.Gather(r.Context(), s.db, q.Get("city"), depth)
	if err != nil {
		return err
	}
	if !s.canSeePrivate(r) {
		for _, p := range d.People {
			p.Contact = ""
		}
		for _, p := range d.Proposals {
			p.Contact = ""
		}
	}
	// Streamed: the file is written as it is made, never held whole in memory.
	w.Header().Set("Content-Type", exchange.ContentType(format))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="twinning.%s"`, format))
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := exchange.Write(bw, format, d, apiLang(r)); err != nil {
		s.log.ErrorContext(r.Context(), "export", "format", format, "err", err) // the answer has begun: it ends short
		return nil
	}
	bw.Flush()
	return nil
}

// anonymousDepth is the deepest neighbourhood an anonymous reader may export.
const anonymousDepth = 3

// anonymousExports lets one anonymous export run at a time.
var anonymousExports = make(chan struct{}, 1)

// signedIn reports whether the request carries a valid credential (a session or a token).
func (s *Server) signedIn(r *http.Request) bool {
	p, err := s.who(r)
	return err == nil && p != nil
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
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 200 {
		limit = 50
	}
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
	out := [][]cityBrief{}
	for _, c := range found {
		group := make([]cityBrief, len(c))
		for i, id := range c {
			group[i] = bs[id]
		}
		out = append(out, group)
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
	return nil
}
