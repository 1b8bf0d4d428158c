package graph

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// Hand graph: Isfahan (1) – Xi'an (2) – Samarkand (3), Isfahan – Lahore (4)
// – Samarkand, Samarkand – Bukhara (5), Xi'an – Lahore.
const (
	isfahan, xian, samarkand, lahore, bukhara = 1, 2, 3, 4, 5
)

func silkRoad() *Graph {
	return New([]Edge{
		{A: isfahan, B: xian}, {A: xian, B: samarkand},
		{A: isfahan, B: lahore}, {A: lahore, B: samarkand},
		{A: samarkand, B: bukhara}, {A: xian, B: lahore},
	})
}

func edgesOf(pairs ...[2]int64) []Edge {
	out := make([]Edge, len(pairs))
	for i, p := range pairs {
		out[i] = Edge{A: p[0], B: p[1]}
	}
	return out
}

func TestNewCanonical(t *testing.T) {
	t.Parallel()
	g := New([]Edge{{A: 3, B: 1, Agreement: 7}, {A: 1, B: 3, Agreement: 8}, {A: 2, B: 2}, {A: 2, B: 1}})
	want := []Edge{{A: 1, B: 2}, {A: 1, B: 3, Agreement: 8}}
	if got := g.Edges(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Edges() = %v, want %v", got, want)
	}
	tests := []struct {
		id   int64
		deg  int
		nbrs []int64
	}{
		{1, 2, []int64{2, 3}},
		{2, 1, []int64{1}},
		{9, 0, nil},
	}
	for _, tt := range tests {
		if d := g.Degree(tt.id); d != tt.deg {
			t.Errorf("Degree(%d) = %d, want %d", tt.id, d, tt.deg)
		}
		if n := g.Neighbors(tt.id); !reflect.DeepEqual(n, tt.nbrs) {
			t.Errorf("Neighbors(%d) = %v, want %v", tt.id, n, tt.nbrs)
		}
	}
}

func TestWrites(t *testing.T) {
	t.Parallel()
	g := New(nil)
	g.Add(Edge{A: 2, B: 1, Agreement: 5})
	g.Add(Edge{A: 1, B: 3})
	g.Add(Edge{A: 1, B: 2, Agreement: 6}) // update in place
	g.Add(Edge{A: 4, B: 4})               // ignored
	if got, want := g.Edges(), []Edge{{A: 1, B: 2, Agreement: 6}, {A: 1, B: 3}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after Add: %v, want %v", got, want)
	}
	g.Remove(3, 1)
	g.Remove(7, 8) // absent
	if got := g.Nodes(); !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Fatalf("after Remove nodes = %v", got)
	}
	v := g.Version()
	g.Replace(edgesOf([2]int64{5, 6}))
	if g.Has(1, 2) || !g.Has(6, 5) || g.Version() <= v {
		t.Fatalf("Replace: edges %v version %d", g.Edges(), g.Version())
	}
}

// plainBFS is the reference for path lengths.
func plainBFS(g *Graph, from, to int64) int {
	dist := map[int64]int{from: 0}
	q := []int64{from}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		if u == to {
			return dist[u]
		}
		for _, v := range g.Neighbors(u) {
			if _, ok := dist[v]; !ok {
				dist[v] = dist[u] + 1
				q = append(q, v)
			}
		}
	}
	return -1
}

func randomGraph(rng *rand.Rand, n, m int) []Edge {
	edges := make([]Edge, m)
	for i := range edges {
		edges[i] = Edge{A: int64(rng.IntN(n)), B: int64(rng.IntN(n))}
	}
	return edges
}

func TestShortestPathMatchesBFS(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 40 {
		n := 5 + rng.IntN(200)
		g := New(randomGraph(rng, n, n*(1+round%3)/2+rng.IntN(n)))
		nodes := g.Nodes()
		if len(nodes) < 2 {
			continue
		}
		for range 50 {
			a, b := nodes[rng.IntN(len(nodes))], nodes[rng.IntN(len(nodes))]
			want := plainBFS(g, a, b)
			p, ok := g.ShortestPath(a, b)
			if ok != (want >= 0) {
				t.Fatalf("round %d: ShortestPath(%d,%d) ok=%v, BFS %d", round, a, b, ok, want)
			}
			if !ok {
				continue
			}
			if len(p)-1 != want || p[0] != a || p[len(p)-1] != b {
				t.Fatalf("round %d: ShortestPath(%d,%d) = %v, BFS length %d", round, a, b, p, want)
			}
			for i := 1; i < len(p); i++ {
				if !g.Has(p[i-1], p[i]) {
					t.Fatalf("path %v uses non-edge %d-%d", p, p[i-1], p[i])
				}
			}
			all := g.AllShortestPaths(a, b, 1000)
			if len(all) == 0 || len(all[0]) != len(p) || !slices.IsSortedFunc(all, slices.Compare) {
				t.Fatalf("AllShortestPaths(%d,%d) = %v, path %v", a, b, all, p)
			}
		}
	}
}

func TestShortestPathEdgeCases(t *testing.T) {
	t.Parallel()
	g := New(edgesOf([2]int64{1, 2}, [2]int64{3, 4}))
	tests := []struct {
		from, to int64
		want     []int64
		ok       bool
	}{
		{1, 1, []int64{1}, true},
		{1, 2, []int64{1, 2}, true},
		{1, 3, nil, false},
		{1, 99, nil, false},
	}
	for _, tt := range tests {
		p, ok := g.ShortestPath(tt.from, tt.to)
		if ok != tt.ok || !reflect.DeepEqual(p, tt.want) {
			t.Errorf("ShortestPath(%d,%d) = %v,%v want %v,%v", tt.from, tt.to, p, ok, tt.want, tt.ok)
		}
	}
}

func TestAllShortestPaths(t *testing.T) {
	t.Parallel()
	diamond := New(edgesOf([2]int64{1, 2}, [2]int64{1, 3}, [2]int64{2, 4}, [2]int64{3, 4}))
	grid := New(edgesOf( // 3x2 grid: 1-2-3 / 4-5-6
		[2]int64{1, 2}, [2]int64{2, 3}, [2]int64{4, 5}, [2]int64{5, 6},
		[2]int64{1, 4}, [2]int64{2, 5}, [2]int64{3, 6}))
	tests := []struct {
		name     string
		g        *Graph
		from, to int64
		limit    int
		want     [][]int64
	}{
		{"diamond", diamond, 1, 4, 10, [][]int64{{1, 2, 4}, {1, 3, 4}}},
		{"diamond reversed", diamond, 4, 1, 10, [][]int64{{4, 2, 1}, {4, 3, 1}}},
		{"limit", diamond, 1, 4, 1, [][]int64{{1, 2, 4}}},
		{"grid", grid, 1, 6, 0, [][]int64{{1, 2, 3, 6}, {1, 2, 5, 6}, {1, 4, 5, 6}}},
		{"self", grid, 2, 2, 0, [][]int64{{2}}},
		{"absent", grid, 1, 42, 0, nil},
	}
	for _, tt := range tests {
		if got := tt.g.AllShortestPaths(tt.from, tt.to, tt.limit); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCousins(t *testing.T) {
	t.Parallel()
	g := silkRoad()
	want := []Cousin{{ID: samarkand, Via: []int64{xian, lahore}}}
	if got := g.Cousins(isfahan); !reflect.DeepEqual(got, want) {
		t.Errorf("Cousins(Isfahan) = %v, want %v", got, want)
	}
	want = []Cousin{{ID: xian, Via: []int64{samarkand}}, {ID: lahore, Via: []int64{samarkand}}}
	if got := g.Cousins(bukhara); !reflect.DeepEqual(got, want) {
		t.Errorf("Cousins(Bukhara) = %v, want %v", got, want)
	}
	if got := g.Cousins(99); got != nil {
		t.Errorf("Cousins(absent) = %v", got)
	}
}

func TestTriangles(t *testing.T) {
	t.Parallel()
	g := silkRoad()
	want := [][3]int64{{xian, isfahan, lahore}, {xian, samarkand, lahore}}
	if got := g.Triangles(xian); !reflect.DeepEqual(got, want) {
		t.Errorf("Triangles(Xi'an) = %v, want %v", got, want)
	}
	if got := g.Triangles(bukhara); got != nil {
		t.Errorf("Triangles(Bukhara) = %v", got)
	}
}

func TestComponents(t *testing.T) {
	t.Parallel()
	g := New(edgesOf([2]int64{10, 11}, [2]int64{1, 2}, [2]int64{2, 3}, [2]int64{20, 21}))
	want := [][]int64{{1, 2, 3}, {10, 11}, {20, 21}}
	if got := g.Components(); !reflect.DeepEqual(got, want) {
		t.Errorf("Components() = %v, want %v", got, want)
	}
	if got := g.ComponentOf(3); !reflect.DeepEqual(got, []int64{1, 2, 3}) {
		t.Errorf("ComponentOf(3) = %v", got)
	}
	if g.SameComponent(1, 10) || !g.SameComponent(1, 3) || g.ComponentOf(5) != nil {
		t.Error("SameComponent / ComponentOf(absent) wrong")
	}
}

func clique(ids ...int64) []Edge {
	var out []Edge
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			out = append(out, Edge{A: ids[i], B: ids[j]})
		}
	}
	return out
}

func TestLouvainTwoCliques(t *testing.T) {
	t.Parallel()
	edges := append(clique(1, 2, 3, 4, 5), clique(6, 7, 8, 9, 10)...)
	edges = append(edges, Edge{A: 5, B: 6})
	g := New(edges)
	comm, q := g.Louvain(7)
	for _, id := range []int64{2, 3, 4, 5} {
		if comm[id] != comm[1] {
			t.Errorf("city %d in community %d, city 1 in %d", id, comm[id], comm[1])
		}
	}
	for _, id := range []int64{7, 8, 9, 10} {
		if comm[id] != comm[6] {
			t.Errorf("city %d in community %d, city 6 in %d", id, comm[id], comm[6])
		}
	}
	if comm[1] == comm[6] || comm[1] != 0 || comm[6] != 1 {
		t.Errorf("communities %v: want labels 0 and 1", comm)
	}
	single := map[int64]int{}
	for i, id := range g.Nodes() {
		single[id] = i
	}
	if qs, qm := g.Modularity(single), g.Modularity(comm); !(qm > qs && qm > 0.4) || abs(qm-q) > 1e-12 {
		t.Errorf("modularity singletons %.4f, Louvain %.4f (reported %.4f)", qs, qm, q)
	}
	if !reflect.DeepEqual(g.Communities(), g.Communities()) {
		t.Error("Communities is not deterministic")
	}
}

func TestLouvainImprovesModularity(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	g := New(syntheticEdges(rng, 2000, 3000))
	comm, q := g.Louvain(1)
	single := map[int64]int{}
	for i, id := range g.Nodes() {
		single[id] = i
	}
	if qs := g.Modularity(single); q <= qs || q < 0.3 {
		t.Errorf("Louvain modularity %.4f, singletons %.4f", q, qs)
	}
	if again, _ := g.Louvain(1); !reflect.DeepEqual(comm, again) {
		t.Error("same seed, different partition")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestCliques(t *testing.T) {
	t.Parallel()
	edges := append(clique(1, 2, 3, 4), clique(4, 5, 6)...)
	edges = append(edges, Edge{A: 6, B: 7}, Edge{A: 1, B: 8})
	g := New(edges)
	tests := []struct {
		min, limit int
		want       [][]int64
	}{
		{3, 0, [][]int64{{1, 2, 3, 4}, {4, 5, 6}}},
		{4, 0, [][]int64{{1, 2, 3, 4}}},
		{3, 1, [][]int64{{1, 2, 3, 4}}},
		{2, 0, [][]int64{{1, 2, 3, 4}, {4, 5, 6}, {1, 8}, {6, 7}}},
		{5, 0, nil},
	}
	for _, tt := range tests {
		if got := g.Cliques(tt.min, tt.limit); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Cliques(%d,%d) = %v, want %v", tt.min, tt.limit, got, tt.want)
		}
	}
}

func TestCliquesMatchBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		g := New(randomGraph(rng, 12, 30))
		got := g.Cliques(1, 0)
		nodes := g.Nodes()
		var want [][]int64
		for mask := 1; mask < 1<<len(nodes); mask++ {
			var set []int64
			for i, id := range nodes {
				if mask&(1<<i) != 0 {
					set = append(set, id)
				}
			}
			if isClique(g, set) && isMaximal(g, set, nodes) {
				want = append(want, set)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("Cliques found %d maximal cliques, brute force %d: %v vs %v", len(got), len(want), got, want)
		}
		for _, c := range want {
			if !slices.ContainsFunc(got, func(x []int64) bool { return slices.Equal(x, c) }) {
				t.Fatalf("missing clique %v", c)
			}
		}
	}
}

func isClique(g *Graph, set []int64) bool {
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			if !g.Has(set[i], set[j]) {
				return false
			}
		}
	}
	return true
}

func isMaximal(g *Graph, set, nodes []int64) bool {
	for _, v := range nodes {
		if !slices.Contains(set, v) && isClique(g, append(slices.Clone(set), v)) {
			return false
		}
	}
	return true
}

func TestNeighbourhood(t *testing.T) {
	t.Parallel()
	g := silkRoad()
	tests := []struct {
		depth, max int
		nodes      []int64
		edges      []Edge
	}{
		{0, 0, []int64{isfahan}, nil},
		{1, 0, []int64{isfahan, xian, lahore}, edgesOf([2]int64{1, 2}, [2]int64{1, 4}, [2]int64{2, 4})},
		{2, 3, []int64{isfahan, xian, lahore}, edgesOf([2]int64{1, 2}, [2]int64{1, 4}, [2]int64{2, 4})},
		{9, 2, []int64{isfahan, xian}, edgesOf([2]int64{1, 2})},
		{9, 0, []int64{isfahan, xian, lahore, samarkand, bukhara}, g.Edges()},
	}
	for _, tt := range tests {
		nodes, edges := g.Neighbourhood(isfahan, tt.depth, tt.max)
		if !reflect.DeepEqual(nodes, tt.nodes) || !reflect.DeepEqual(edges, tt.edges) {
			t.Errorf("Neighbourhood(depth %d, max %d) = %v %v, want %v %v", tt.depth, tt.max, nodes, edges, tt.nodes, tt.edges)
		}
	}
}

func TestConcurrentReadersWriters(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	g := New(syntheticEdges(rng, 500, 800))
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 9))
			for range 200 {
				a, b := int64(r.IntN(500)), int64(r.IntN(500))
				if r.IntN(2) == 0 {
					g.Add(Edge{A: a, B: b})
				} else {
					g.Remove(a, b)
				}
			}
		})
	}
	for rd := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(rd), 10))
			for range 300 {
				a, b := int64(r.IntN(500)), int64(r.IntN(500))
				if p, ok := g.ShortestPath(a, b); ok && (p[0] != a || p[len(p)-1] != b) {
					t.Errorf("bad path %v", p)
				}
				g.Cousins(a)
				g.Neighbors(b)
				g.ComponentOf(a)
				g.AllShortestPaths(a, b, 4)
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			g.Communities()
			g.Cliques(3, 10)
		}
	})
	wg.Wait()
}
