package graph

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// DefaultSeed is the seed [Graph.Communities] uses.
const DefaultSeed = 1

// Communities partitions the cities into communities of dense twinning by
// the Louvain method with [DefaultSeed]; see [Graph.Louvain].
func (g *Graph) Communities() map[int64]int {
	c, _ := g.cur.Load().Louvain(DefaultSeed)
	return c
}

// Louvain partitions the cities by greedy modularity optimisation (Blondel
// et al. 2008): move single nodes to the neighbouring community with the
// best modularity gain until no move helps, aggregate each community into
// one node, and repeat on the smaller graph. Nodes are visited in a random
// order drawn from seed, so the result is deterministic for a given seed and
// edge set. It returns community labels numbered 0.. by decreasing size
// (ties: smallest member id first) and the partition's modularity.
func (g *Graph) Louvain(seed int64) (map[int64]int, float64) {
	return g.cur.Load().Louvain(seed)
}

// Modularity returns the modularity of a partition given as city → label
// (cities missing from it count as singletons).
func (g *Graph) Modularity(communities map[int64]int) float64 {
	return g.cur.Load().Modularity(communities)
}

// wgraph is a weighted graph in CSR form; self[i] holds A_ii, the weight
// inside an aggregated node counted in both directions.
type wgraph struct {
	off  []int32
	adj  []int32
	w    []float64
	self []float64
	k    []float64 // strength: Σ_j A_ij including A_ii
	m2   float64   // Σ k = twice the total weight
}

func (s *Snapshot) weighted() *wgraph {
	n := len(s.ids)
	g := &wgraph{off: s.off, adj: s.adj, w: make([]float64, len(s.adj)),
		self: make([]float64, n), k: make([]float64, n)}
	for i := range n {
		for p := s.off[i]; p < s.off[i+1]; p++ {
			w := s.edges[s.eidx[p]].Weight
			if w <= 0 {
				w = 1
			}
			g.w[p] = w
			g.k[i] += w
		}
		g.m2 += g.k[i]
	}
	return g
}

func (g *wgraph) n() int { return len(g.k) }

// Louvain is [Graph.Louvain] on this snapshot.
func (s *Snapshot) Louvain(seed int64) (map[int64]int, float64) {
	n := len(s.ids)
	if n == 0 {
		return map[int64]int{}, 0
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7477696e6e696e67))
	g := s.weighted()
	member := make([]int32, n) // original node → node of the current level
	for i := range member {
		member[i] = int32(i)
	}
	for {
		comm, moved := g.moveNodes(rng)
		if !moved {
			break
		}
		var next *wgraph
		next, comm = g.aggregate(comm)
		for i, c := range member {
			member[i] = comm[c]
		}
		g = next
	}
	labels := relabel(s.ids, member)
	out := make(map[int64]int, n)
	for i, id := range s.ids {
		out[id] = labels[i]
	}
	return out, s.modularity(labels)
}

// moveNodes runs the local-moving phase and reports whether any node left
// its singleton community.
func (g *wgraph) moveNodes(rng *rand.Rand) ([]int32, bool) {
	n := g.n()
	comm := make([]int32, n)
	tot := make([]float64, n)
	for i := range n {
		comm[i] = int32(i)
		tot[i] = g.k[i]
	}
	order := rng.Perm(n)
	nw := make([]float64, n)
	touched := make([]int32, 0, 64)
	moved := false
	for pass := 0; pass < 100; pass++ {
		moves := 0
		for _, i := range order {
			ci, ki := comm[i], g.k[i]
			for p := g.off[i]; p < g.off[i+1]; p++ {
				c := comm[g.adj[p]]
				if nw[c] == 0 {
					touched = append(touched, c)
				}
				nw[c] += g.w[p]
			}
			tot[ci] -= ki
			best, bestGain := ci, nw[ci]-tot[ci]*ki/g.m2
			for _, c := range touched {
				if gain := nw[c] - tot[c]*ki/g.m2; gain > bestGain+1e-12 {
					best, bestGain = c, gain
				}
			}
			tot[best] += ki
			if best != ci {
				comm[i] = best
				moves++
			}
			for _, c := range touched {
				nw[c] = 0
			}
			touched = touched[:0]
		}
		if moves == 0 {
			break
		}
		moved = true
	}
	return comm, moved
}

// aggregate collapses each community into one node and returns the new
// graph and the map from old node to new node.
func (g *wgraph) aggregate(comm []int32) (*wgraph, []int32) {
	n := g.n()
	renum := make([]int32, n)
	for i := range renum {
		renum[i] = -1
	}
	nc := int32(0)
	for _, c := range comm {
		if renum[c] < 0 {
			renum[c] = nc
			nc++
		}
	}
	members := make([][]int32, nc)
	newOf := make([]int32, n)
	for i, c := range comm {
		newOf[i] = renum[c]
		members[renum[c]] = append(members[renum[c]], int32(i))
	}
	h := &wgraph{off: make([]int32, nc+1), self: make([]float64, nc), k: make([]float64, nc), m2: g.m2}
	acc := make([]float64, nc)
	var touched []int32
	for c := range nc {
		for _, i := range members[c] {
			h.self[c] += g.self[i]
			h.k[c] += g.k[i]
			for p := g.off[i]; p < g.off[i+1]; p++ {
				d := newOf[g.adj[p]]
				if d == c {
					h.self[c] += g.w[p]
					continue
				}
				if acc[d] == 0 {
					touched = append(touched, d)
				}
				acc[d] += g.w[p]
			}
		}
		slices.Sort(touched)
		for _, d := range touched {
			h.adj = append(h.adj, d)
			h.w = append(h.w, acc[d])
			acc[d] = 0
		}
		touched = touched[:0]
		h.off[c+1] = int32(len(h.adj))
	}
	return h, newOf
}

// relabel numbers communities by decreasing size, ties by smallest id.
func relabel(ids []int64, member []int32) []int {
	type group struct {
		size  int
		first int64
	}
	groups := map[int32]*group{}
	for i, c := range member {
		if gr, ok := groups[c]; ok {
			gr.size++
		} else {
			groups[c] = &group{size: 1, first: ids[i]} // ids ascend
		}
	}
	keys := make([]int32, 0, len(groups))
	for c := range groups {
		keys = append(keys, c)
	}
	slices.SortFunc(keys, func(a, b int32) int {
		ga, gb := groups[a], groups[b]
		if c := cmp.Compare(gb.size, ga.size); c != 0 {
			return c
		}
		return cmp.Compare(ga.first, gb.first)
	})
	rank := make(map[int32]int, len(keys))
	for r, c := range keys {
		rank[c] = r
	}
	out := make([]int, len(member))
	for i, c := range member {
		out[i] = rank[c]
	}
	return out
}

// Modularity is [Graph.Modularity] on this snapshot.
func (s *Snapshot) Modularity(communities map[int64]int) float64 {
	labels := make([]int, len(s.ids))
	next := 0
	for _, l := range communities {
		next = max(next, l+1)
	}
	for i, id := range s.ids {
		if l, ok := communities[id]; ok {
			labels[i] = l
		} else {
			labels[i] = next
			next++
		}
	}
	return s.modularity(labels)
}

// modularity computes Q = Σ_c in_c/2m − (tot_c/2m)² for labels per node.
func (s *Snapshot) modularity(labels []int) float64 {
	g := s.weighted()
	if g.m2 == 0 {
		return 0
	}
	in := map[int]float64{}
	tot := map[int]float64{}
	for i, c := range labels {
		tot[c] += g.k[i]
		for p := g.off[i]; p < g.off[i+1]; p++ {
			if labels[g.adj[p]] == c {
				in[c] += g.w[p]
			}
		}
	}
	q := 0.0
	for c, t := range tot {
		q += in[c]/g.m2 - (t/g.m2)*(t/g.m2)
	}
	return q
}
