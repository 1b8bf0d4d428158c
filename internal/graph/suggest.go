package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// Reason codes of a [Suggestion], for the web layer to translate.
const (
	ReasonCousins         = "cousins"          // shared partners (Adamic–Adar and resource allocation); Via lists them
	ReasonCountryAffinity = "country_affinity" // the two countries' cities often twin with each other
	ReasonSharedOrg       = "shared_org"       // common regional organisations or networks; Detail lists them
	ReasonSharedDomains   = "shared_domains"   // common cooperation domains; Detail lists them
	ReasonHeritage        = "heritage"         // both are heritage cities
	ReasonPopulationBand  = "population_band"  // similar size; Detail is the size ratio
	ReasonDistance        = "distance"         // geography; Detail is the distance in km
	ReasonWellConnected   = "well_connected"   // the candidate is an experienced partner; Detail is its partner count
)

// Suggestion is a city proposed as a new partner, with its score and the
// contribution of each signal.
type Suggestion struct {
	City    int64
	Score   float64
	Reasons []Reason
}

// Reason is one term of a suggestion's score: a machine code, the amount it
// added (Weight, negative when it counted against), the shared partners for
// "cousins", and a short machine-readable detail.
type Reason struct {
	Code   string
	Weight float64
	Via    []int64
	Detail string
}

// Weights are the coefficients of the linear suggestion score. Each signal
// is scaled to about [0, 1] except the graph ones:
//
//	AdamicAdar          Σ 1/ln(deg w) over shared partners w
//	ResourceAllocation  Σ 1/deg w over shared partners w
//	CountryAffinity     share of the source country's partnerships that go to the candidate's country
//	SharedOrg           number of shared organisations
//	SharedDomains       Jaccard index of the cooperation domains
//	Heritage            1 when both are heritage cities
//	PopulationBand      1 − |log10 of the population ratio|, at least 0
//	Distance            1 / (1 + km/1000): near is 1, antipodes ≈ 0.05
//	Popularity          ln(1+deg) / ln(1+max deg) of the candidate
type Weights struct {
	AdamicAdar, ResourceAllocation, CountryAffinity, SharedOrg, SharedDomains,
	Heritage, PopulationBand, Distance, Popularity float64
}

// DefaultWeights were tuned by coordinate ascent on a validation split of
// the Wikidata twinning graph (2016 crawl ∪ 2021 query, 10,990 cities,
// 19,256 edges) with Natural Earth and Wikidata features, never on its test
// split (see [Evaluate], seed 1, holdout 0.1). Tuning gave SharedOrg 0
// (country affinity already carries it); it keeps a token 0.1 so that a
// shared membership such as ECO still shows among the reasons.
// SharedDomains and Heritage had no data there: their weights are set by
// judgement.
var DefaultWeights = Weights{
	AdamicAdar: 2, ResourceAllocation: 0, CountryAffinity: 4, SharedOrg: 0.1,
	SharedDomains: 0.5, Heritage: 0.2, PopulationBand: 0.1, Distance: 2, Popularity: 1,
}

const (
	sigAA = iota
	sigRA
	sigCountry
	sigOrg
	sigDomains
	sigHeritage
	sigPop
	sigDistance
	sigPopular
	nSignals
)

type signals [nSignals]float64

func (w Weights) vec() signals {
	return signals{w.AdamicAdar, w.ResourceAllocation, w.CountryAffinity, w.SharedOrg,
		w.SharedDomains, w.Heritage, w.PopulationBand, w.Distance, w.Popularity}
}

func weightsOf(v signals) Weights {
	return Weights{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]}
}

func dot(a, b *signals) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// Suggest ranks up to k cities as new partners for id with [DefaultWeights]:
// every city of the graph that is not id or already its partner and scores
// above zero, best first (ties: smaller id). id need not be in the graph:
// a city without partners gets suggestions from its features alone.
func (g *Graph) Suggest(id int64, f Features, k int) []Suggestion {
	return g.SuggestWith(id, f, k, DefaultWeights)
}

// SuggestWith is [Graph.Suggest] with explicit weights.
func (g *Graph) SuggestWith(id int64, f Features, k int, w Weights) []Suggestion {
	return g.Suggester(f).SuggestWith(id, f, k, w)
}

// Suggester ranks partners on one snapshot of the graph with every city's features resolved
// once: what does not depend on the source city (the feature table, each country's twinning
// habits, the degrees) is computed when it is made, not on each query. It answers exactly as
// [Graph.Suggest] on that snapshot, and is safe for concurrent use. Make a new one when the
// graph or the features change.
type Suggester struct {
	s         *Snapshot
	t         *featTable
	names     []string // country code by interned number
	logMaxDeg float64
	aff       sync.Map // interned country → []float64, its twinning habits
	rankers   sync.Pool
}

// Suggester prepares ranking on the current snapshot with the features f.
func (g *Graph) Suggester(f Features) *Suggester {
	s := g.cur.Load()
	return newSuggester(s, f.table(s))
}

// newRanker is a ranker of its own on s with the feature table t.
func newRanker(s *Snapshot, t *featTable) *ranker { return newSuggester(s, t).ranker() }

func newSuggester(s *Snapshot, t *featTable) *Suggester {
	maxDeg := 1
	for i := range int32(len(s.ids)) {
		maxDeg = max(maxDeg, s.deg(i))
	}
	names := make([]string, len(t.countries))
	for c, k := range t.countries {
		names[k] = c
	}
	return &Suggester{s: s, t: t, names: names, logMaxDeg: math.Log1p(float64(maxDeg))}
}

// Version is the version of the snapshot the suggester ranks on.
func (p *Suggester) Version() uint64 { return p.s.version }

// Suggest is [Graph.Suggest] on the suggester's snapshot; f supplies the features of the
// source city, which need not be in the graph.
func (p *Suggester) Suggest(id int64, f Features, k int) []Suggestion {
	return p.SuggestWith(id, f, k, DefaultWeights)
}

// SuggestWith is [Suggester.Suggest] with explicit weights.
func (p *Suggester) SuggestWith(id int64, f Features, k int, w Weights) []Suggestion {
	s := p.s
	r := p.ranker()
	defer p.rankers.Put(r)
	src, ok := s.index(id)
	if !ok {
		src = -1
	}
	// The source's country is looked up among the graph's countries without adding to them (the
	// table is shared): a country no city of the graph has has no twinning habits either.
	sf := f.resolve(id, nil)
	r.query(src, sf)
	wv := w.vec()
	type cand struct {
		i     int32
		score float64
	}
	better := func(a, b cand) bool { return a.score > b.score || a.score == b.score && a.i < b.i }
	// The k best, kept in a heap whose root is the worst of them: every city is scored, but
	// only k are ever sorted.
	k = max(k, 0)
	top := make([]cand, 0, k)
	down := func(i int) {
		for {
			w, l, r := i, 2*i+1, 2*i+2
			if l < len(top) && better(top[w], top[l]) {
				w = l
			}
			if r < len(top) && better(top[w], top[r]) {
				w = r
			}
			if w == i {
				return
			}
			top[i], top[w] = top[w], top[i]
			i = w
		}
	}
	for c := range int32(len(s.ids)) {
		if k == 0 {
			break
		}
		if r.excluded(c) {
			continue
		}
		sig := r.signals(c)
		sc := dot(&wv, &sig)
		if sc <= 0 {
			continue
		}
		switch x := (cand{c, sc}); {
		case len(top) < k:
			top = append(top, x)
			for i := len(top) - 1; i > 0; {
				p := (i - 1) / 2
				if !better(top[p], top[i]) {
					break
				}
				top[i], top[p] = top[p], top[i]
				i = p
			}
		case better(x, top[0]):
			top[0] = x
			down(0)
		}
	}
	slices.SortFunc(top, func(a, b cand) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	out := make([]Suggestion, 0, len(top))
	for _, c := range top {
		sig := r.signals(c.i)
		out = append(out, Suggestion{City: s.ids[c.i], Score: c.score, Reasons: r.explain(c.i, &sig, &wv)})
	}
	return out
}

func (p *Suggester) ranker() *ranker {
	if r, ok := p.rankers.Get().(*ranker); ok {
		return r
	}
	n := len(p.s.ids)
	return &ranker{p: p, s: p.s, t: p.t, names: p.names, logMaxDeg: p.logMaxDeg,
		aa: make([]float64, n), ra: make([]float64, n), cn: make([]int32, n), mark: make([]uint32, n)}
}

// affinity is the twinning habits of a country, computed once per suggester.
func (p *Suggester) affinity(src int32) []float64 {
	if src < 0 {
		return nil
	}
	if v, ok := p.aff.Load(src); ok {
		return v.([]float64)
	}
	a := p.t.affinity(p.s, src)
	p.aff.Store(src, a)
	return a
}

// ranker scores candidates for one source city at a time.
type ranker struct {
	p         *Suggester
	s         *Snapshot
	t         *featTable
	names     []string // country code by interned number
	logMaxDeg float64

	src    int32 // -1 when the source is not in the graph
	srcF   cityFeat
	aff    []float64
	aa, ra []float64 // dense, zero outside twoHop
	cn     []int32
	twoHop []int32
	mark   []uint32 // == epoch: the source or one of its partners
	epoch  uint32
}

// query prepares the graph signals of src (index, or -1) and its features.
func (r *ranker) query(src int32, f cityFeat) {
	for _, c := range r.twoHop {
		r.aa[c], r.ra[c], r.cn[c] = 0, 0, 0
	}
	r.twoHop = r.twoHop[:0]
	r.src, r.srcF = src, f
	r.aff = r.p.affinity(f.country)
	if src < 0 {
		return
	}
	r.epoch++
	r.mark[src] = r.epoch
	for _, p := range r.s.nbrs(src) {
		r.mark[p] = r.epoch
	}
	for _, p := range r.s.nbrs(src) {
		d := float64(r.s.deg(p))
		for _, c := range r.s.nbrs(p) {
			if r.mark[c] == r.epoch {
				continue
			}
			if r.cn[c] == 0 {
				r.twoHop = append(r.twoHop, c)
			}
			r.cn[c]++
			r.aa[c] += 1 / math.Log(d) // d ≥ 2: p has src and c
			r.ra[c] += 1 / d
		}
	}
}

func (r *ranker) excluded(c int32) bool { return r.src >= 0 && r.mark[c] == r.epoch }

func (r *ranker) signals(c int32) signals {
	var sig signals
	sig[sigAA], sig[sigRA] = r.aa[c], r.ra[c]
	a, b := &r.srcF, &r.t.nodes[c]
	if a.country >= 0 && b.country >= 0 && r.aff != nil {
		sig[sigCountry] = r.aff[b.country]
	}
	if len(a.orgs) > 0 && len(b.orgs) > 0 {
		sig[sigOrg] = float64(len(intersect(a.orgs, b.orgs)))
	}
	if len(a.domains) > 0 && len(b.domains) > 0 {
		n := len(intersect(a.domains, b.domains))
		sig[sigDomains] = float64(n) / float64(len(a.domains)+len(b.domains)-n)
	}
	if a.heritage && b.heritage {
		sig[sigHeritage] = 1
	}
	if a.hasPop && b.hasPop {
		sig[sigPop] = math.Max(0, 1-math.Abs(a.logPop-b.logPop))
	}
	if a.hasCoord && b.hasCoord {
		sig[sigDistance] = 1 / (1 + haversineKm(a, b)/1000)
	}
	sig[sigPopular] = math.Log1p(float64(r.s.deg(c))) / r.logMaxDeg
	return sig
}

// explain lists the nonzero terms of a candidate's score, largest first.
func (r *ranker) explain(c int32, sig, w *signals) []Reason {
	a, b := &r.srcF, &r.t.nodes[c]
	var out []Reason
	add := func(code string, weight float64, detail string) {
		if weight != 0 {
			out = append(out, Reason{Code: code, Weight: weight, Detail: detail})
		}
	}
	if r.cn[c] > 0 {
		var via []int64
		for _, p := range r.s.nbrs(c) {
			if p != r.src && r.mark[p] == r.epoch {
				via = append(via, r.s.ids[p])
			}
		}
		out = append(out, Reason{Code: ReasonCousins, Weight: w[sigAA]*sig[sigAA] + w[sigRA]*sig[sigRA],
			Via: via, Detail: fmt.Sprint(len(via))})
	}
	if sig[sigCountry] > 0 {
		add(ReasonCountryAffinity, w[sigCountry]*sig[sigCountry],
			fmt.Sprintf("%s-%s:%.3f", r.names[a.country], r.names[b.country], sig[sigCountry]))
	}
	add(ReasonSharedOrg, w[sigOrg]*sig[sigOrg], strings.Join(intersect(a.orgs, b.orgs), ","))
	add(ReasonSharedDomains, w[sigDomains]*sig[sigDomains], strings.Join(intersect(a.domains, b.domains), ","))
	add(ReasonHeritage, w[sigHeritage]*sig[sigHeritage], "")
	if a.hasPop && b.hasPop {
		add(ReasonPopulationBand, w[sigPop]*sig[sigPop], fmt.Sprintf("%.1f", math.Pow(10, math.Abs(a.logPop-b.logPop))))
	}
	if a.hasCoord && b.hasCoord {
		add(ReasonDistance, w[sigDistance]*sig[sigDistance], fmt.Sprintf("%.0f", haversineKm(a, b)))
	}
	add(ReasonWellConnected, w[sigPopular]*sig[sigPopular], fmt.Sprint(r.s.deg(c)))
	slices.SortStableFunc(out, func(x, y Reason) int { return cmp.Compare(y.Weight, x.Weight) })
	return out
}
