package graph

import (
	"math/rand/v2"
	"slices"
)

// Method names in an [EvalReport].
const (
	MethodCommonNeighbours   = "common_neighbours"
	MethodAdamicAdar         = "adamic_adar"
	MethodResourceAllocation = "resource_allocation"
	MethodPopularity         = "preferential_attachment"
	MethodSuggest            = "suggest"       // DefaultWeights
	MethodSuggestTuned       = "suggest_tuned" // weights tuned on this run's validation split
)

// EvalReport is the outcome of [Evaluate].
type EvalReport struct {
	Nodes, Edges     int     // the whole graph
	Holdout          float64 // fraction of edges hidden for testing
	Seed             int64
	K                int
	Test, Validation int     // hidden edges used as test and validation queries
	Tuned            Weights // weights fitted on the validation split
	Methods          []MethodScore
}

// MethodScore is one method's result on the test queries. Ties are broken
// at random in expectation: a target tied with t others just behind b
// better candidates counts as each position b+1..b+t+1 with equal chance.
type MethodScore struct {
	Method  string
	HitsAtK float64 // share of queries whose hidden partner ranks in the top K
	MRR     float64 // mean reciprocal rank of the hidden partner
}

// maxTuneQueries bounds the validation queries used for tuning.
const maxTuneQueries = 800

// Evaluate measures link prediction honestly. It hides a random fraction
// (holdout) of the edges — only edges whose endpoints both keep at least one
// partner — and, for each hidden edge, ranks every city that is not already
// a partner as a candidate for one endpoint (picked at random) on the
// remaining graph; the hidden partner's rank gives hits@k and MRR. The
// tuned variant of Suggest fits its weights on a second split, hidden the
// same way from the remaining edges, and never sees the test edges.
func Evaluate(edges []Edge, f Features, holdout float64, seed int64, k int) EvalReport {
	// Separate streams: the test split and test queries do not depend on
	// how much randomness tuning consumed.
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6576616c))
	tuneRng := rand.New(rand.NewPCG(uint64(seed), 0x74756e65))
	all := canonical(edges)
	rep := EvalReport{Edges: len(all), Holdout: holdout, Seed: seed, K: k}
	rep.Nodes = build(all, 0).Len()
	train, test := hideEdges(all, holdout, rng)
	fit, val := hideEdges(train, holdout, tuneRng)
	rep.Test, rep.Validation = len(test), min(len(val), maxTuneQueries)
	rep.Tuned = tune(build(fit, 0), f, val, tuneRng)

	s := build(train, 0)
	t := f.table(s)
	r := newRanker(s, t)
	methods := []string{MethodCommonNeighbours, MethodAdamicAdar, MethodResourceAllocation,
		MethodPopularity, MethodSuggest, MethodSuggestTuned}
	sums := make([][2]float64, len(methods))
	harm := harmonic(len(s.ids) + 1)
	wDefault, wTuned := DefaultWeights.vec(), rep.Tuned.vec()
	for _, e := range test {
		u, v := queryPair(s, e, rng)
		r.query(u, t.nodes[u])
		scores := []func(c int32) float64{
			func(c int32) float64 { return float64(r.cn[c]) },
			func(c int32) float64 { return r.aa[c] },
			func(c int32) float64 { return r.ra[c] },
			func(c int32) float64 { return float64(s.deg(c)) },
			func(c int32) float64 { sig := r.signals(c); return dot(&wDefault, &sig) },
			func(c int32) float64 { sig := r.signals(c); return dot(&wTuned, &sig) },
		}
		for m, score := range scores {
			better, ties := r.rankOf(v, score, m < 3)
			hits, rr := expected(better, ties, k, harm)
			sums[m][0] += hits
			sums[m][1] += rr
		}
	}
	for m, name := range methods {
		ms := MethodScore{Method: name}
		if len(test) > 0 {
			ms.HitsAtK, ms.MRR = sums[m][0]/float64(len(test)), sums[m][1]/float64(len(test))
		}
		rep.Methods = append(rep.Methods, ms)
	}
	return rep
}

// hideEdges splits edges into kept and hidden, hiding about frac of them
// in random order while both endpoints keep at least one edge.
func hideEdges(edges []Edge, frac float64, rng *rand.Rand) (kept, hidden []Edge) {
	deg := map[int64]int{}
	for _, e := range edges {
		deg[e.A]++
		deg[e.B]++
	}
	want := int(frac * float64(len(edges)))
	hide := make([]bool, len(edges))
	for _, i := range rng.Perm(len(edges)) {
		if len(hidden) >= want {
			break
		}
		e := edges[i]
		if deg[e.A] > 1 && deg[e.B] > 1 {
			deg[e.A]--
			deg[e.B]--
			hide[i] = true
			hidden = append(hidden, e)
		}
	}
	for i, e := range edges {
		if !hide[i] {
			kept = append(kept, e)
		}
	}
	return kept, hidden
}

// queryPair picks which endpoint of a hidden edge asks and which is sought.
func queryPair(s *Snapshot, e Edge, rng *rand.Rand) (u, v int32) {
	a, _ := s.index(e.A)
	b, _ := s.index(e.B)
	if rng.IntN(2) == 0 {
		return a, b
	}
	return b, a
}

// rankOf counts the candidates scoring above and equal to target v. With
// sparse set, only two-hop candidates can score above zero.
func (r *ranker) rankOf(v int32, score func(int32) float64, sparse bool) (better, ties int) {
	ts := score(v)
	count := func(c int32) {
		if c == v || r.excluded(c) {
			return
		}
		switch sc := score(c); {
		case sc > ts:
			better++
		case sc == ts:
			ties++
		}
	}
	if !sparse {
		for c := range int32(len(r.s.ids)) {
			count(c)
		}
		return better, ties
	}
	for _, c := range r.twoHop {
		count(c)
	}
	if ts == 0 { // every candidate outside two hops ties at zero
		ties += r.candidates() - 1 - better - ties
	}
	return better, ties
}

// candidates is the number of cities the source may be offered.
func (r *ranker) candidates() int {
	return len(r.s.ids) - 1 - r.s.deg(r.src)
}

func harmonic(n int) []float64 {
	h := make([]float64, n+1)
	for i := 1; i <= n; i++ {
		h[i] = h[i-1] + 1/float64(i)
	}
	return h
}

// expected returns hits@k and the reciprocal rank averaged over the
// positions better+1 .. better+ties+1 the target may take.
func expected(better, ties, k int, harm []float64) (hits, rr float64) {
	n := float64(ties + 1)
	last := better + ties + 1
	if k > better {
		hits = float64(min(k, last)-better) / n
	}
	return hits, (harm[last] - harm[better]) / n
}

// tune fits the suggestion weights by coordinate ascent on the mean
// reciprocal rank of validation queries. Each query ranks its two-hop
// candidates (at most 2000) and 1000 other candidates drawn at random, whose
// wins count for their share of the unsampled rest.
func tune(s *Snapshot, f Features, val []Edge, rng *rand.Rand) Weights {
	if len(val) > maxTuneQueries {
		val = slices.Clone(val)
		rng.Shuffle(len(val), func(i, j int) { val[i], val[j] = val[j], val[i] })
		val = val[:maxTuneQueries]
	}
	t := f.table(s)
	r := newRanker(s, t)
	var qs []tuneQuery
	for _, e := range val {
		u, v := queryPair(s, e, rng)
		r.query(u, t.nodes[u])
		qs = append(qs, r.sample(v, rng))
	}
	w := DefaultWeights.vec()
	best := tuneObjective(qs, &w)
	grid := []float64{0, 0.05, 0.1, 0.2, 0.5, 1, 2, 4, 8}
	for round := 0; round < 3; round++ {
		improved := false
		for j := range w {
			if !varies(qs, j) {
				continue // no data for this signal: keep the default
			}
			vals := grid
			if j == sigDistance || j == sigPop {
				vals = append(slices.Clone(grid), -0.1, -0.2, -0.5, -1)
			}
			for _, x := range vals {
				old := w[j]
				w[j] = x
				if obj := tuneObjective(qs, &w); obj > best+1e-9 {
					best, improved = obj, true
				} else {
					w[j] = old
				}
			}
		}
		if !improved {
			break
		}
	}
	return weightsOf(w)
}

type tuneQuery struct {
	target   signals
	twoHop   []signals
	sampled  []signals
	restRate float64 // non-two-hop candidates each sampled one stands for
	hopRate  float64 // two-hop candidates each kept one stands for (≥ 1)
}

func (r *ranker) sample(v int32, rng *rand.Rand) tuneQuery {
	q := tuneQuery{target: r.signals(v), hopRate: 1}
	hop := slices.DeleteFunc(slices.Clone(r.twoHop), func(c int32) bool { return c == v })
	if len(hop) > 2000 {
		rng.Shuffle(len(hop), func(i, j int) { hop[i], hop[j] = hop[j], hop[i] })
		q.hopRate = float64(len(hop)) / 2000
		hop = hop[:2000]
	}
	for _, c := range hop {
		q.twoHop = append(q.twoHop, r.signals(c))
	}
	rest := r.candidates() - len(r.twoHop) // excluding two-hop, and v if outside
	if r.cn[v] == 0 {
		rest--
	}
	for tries := 0; len(q.sampled) < 1000 && tries < 10000 && rest > 0; tries++ {
		c := int32(rng.IntN(len(r.s.ids)))
		if c == v || r.excluded(c) || r.cn[c] > 0 {
			continue
		}
		q.sampled = append(q.sampled, r.signals(c))
	}
	if len(q.sampled) > 0 {
		q.restRate = float64(rest) / float64(len(q.sampled))
	}
	return q
}

func tuneObjective(qs []tuneQuery, w *signals) float64 {
	sum := 0.0
	for i := range qs {
		q := &qs[i]
		ts := dot(w, &q.target)
		var b2, t2, bs, tsCount float64
		for j := range q.twoHop {
			switch sc := dot(w, &q.twoHop[j]); {
			case sc > ts:
				b2++
			case sc == ts:
				t2++
			}
		}
		for j := range q.sampled {
			switch sc := dot(w, &q.sampled[j]); {
			case sc > ts:
				bs++
			case sc == ts:
				tsCount++
			}
		}
		better := b2*q.hopRate + bs*q.restRate
		ties := t2*q.hopRate + tsCount*q.restRate
		sum += 1 / (1 + better + ties/2)
	}
	return sum / float64(max(len(qs), 1))
}

func varies(qs []tuneQuery, j int) bool {
	for i := range qs {
		if qs[i].target[j] != 0 {
			return true
		}
		for _, s := range qs[i].twoHop {
			if s[j] != 0 {
				return true
			}
		}
	}
	return false
}
