package graph

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"
)

// Edge is an undirected twinning agreement between cities A and B.
// Agreement is the caller's agreement id (0 when unknown); Weight is used by
// community detection, where a Weight ≤ 0 counts as 1.
type Edge struct {
	A, B      int64
	Agreement int64
	Weight    float64
}

// Graph is the twinning graph. It is safe for concurrent use: readers never
// block, writers are serialised. The zero value is not usable; call [New].
type Graph struct {
	mu  sync.Mutex // serialises writers
	cur atomic.Pointer[Snapshot]
}

// New returns a graph holding edges. Self-loops are dropped; when several
// edges join the same pair of cities the last one wins, as if they had been
// added one by one.
func New(edges []Edge) *Graph {
	g := &Graph{}
	g.cur.Store(build(canonical(edges), 1))
	return g
}

// Snapshot returns the current immutable snapshot, for callers that need
// several answers from the same version of the graph.
func (g *Graph) Snapshot() *Snapshot { return g.cur.Load() }

// Add inserts e, or updates the agreement and weight of the edge already
// joining e.A and e.B. A self-loop is ignored.
func (g *Graph) Add(e Edge) {
	if e.A == e.B {
		return
	}
	e = orient(e)
	g.mu.Lock()
	defer g.mu.Unlock()
	old := g.cur.Load()
	i, found := findEdge(old.edges, e.A, e.B)
	var edges []Edge
	if found {
		edges = slices.Clone(old.edges)
		edges[i] = e
	} else {
		edges = slices.Insert(slices.Clip(old.edges), i, e)
	}
	g.cur.Store(build(edges, old.version+1))
}

// Remove deletes the edge joining a and b, if any. A city left without edges
// leaves the graph.
func (g *Graph) Remove(a, b int64) {
	e := orient(Edge{A: a, B: b})
	g.mu.Lock()
	defer g.mu.Unlock()
	old := g.cur.Load()
	i, found := findEdge(old.edges, e.A, e.B)
	if !found {
		return
	}
	edges := slices.Delete(slices.Clone(old.edges), i, i+1)
	g.cur.Store(build(edges, old.version+1))
}

// Replace swaps the whole edge set, with the rules of [New].
func (g *Graph) Replace(edges []Edge) {
	c := canonical(edges)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cur.Store(build(c, g.cur.Load().version+1))
}

// Version numbers the snapshots: it grows by one on every write that
// changes or may change the graph, so callers can cache derived results.
func (g *Graph) Version() uint64 { return g.cur.Load().version }

// Len returns the number of cities in the graph.
func (g *Graph) Len() int { return g.cur.Load().Len() }

// Degree returns the number of partners of id (0 if id is not in the graph).
func (g *Graph) Degree(id int64) int { return g.cur.Load().Degree(id) }

// Neighbors returns the partners of id sorted by id, in a fresh slice.
func (g *Graph) Neighbors(id int64) []int64 { return g.cur.Load().Neighbors(id) }

// Has reports whether a and b are partners.
func (g *Graph) Has(a, b int64) bool { return g.cur.Load().Has(a, b) }

// Edges returns every edge with A < B, sorted by (A, B), in a fresh slice.
func (g *Graph) Edges() []Edge { return g.cur.Load().Edges() }

// Nodes returns every city id in ascending order, in a fresh slice.
func (g *Graph) Nodes() []int64 { return slices.Clone(g.cur.Load().ids) }

// Snapshot is one immutable version of the graph. Its methods are safe for
// concurrent use.
type Snapshot struct {
	version uint64
	ids     []int64 // index → id, ascending
	off     []int32 // CSR offsets, len(ids)+1
	adj     []int32 // neighbour indices, ascending within each node
	eidx    []int32 // per adjacency slot: index into edges
	edges   []Edge  // canonical: A < B, sorted by (A, B), unique pairs

	compOnce sync.Once
	comp     []int32 // component label per node, computed on first use
	ncomp    int

	pool sync.Pool // *scratch sized for this snapshot
}

// Version returns the snapshot's version number.
func (s *Snapshot) Version() uint64 { return s.version }

// Len returns the number of cities.
func (s *Snapshot) Len() int { return len(s.ids) }

// NumEdges returns the number of edges.
func (s *Snapshot) NumEdges() int { return len(s.edges) }

func (s *Snapshot) index(id int64) (int32, bool) {
	i, ok := slices.BinarySearch(s.ids, id)
	return int32(i), ok
}

func (s *Snapshot) nbrs(i int32) []int32 { return s.adj[s.off[i]:s.off[i+1]] }

func (s *Snapshot) deg(i int32) int { return int(s.off[i+1] - s.off[i]) }

// Degree returns the number of partners of id.
func (s *Snapshot) Degree(id int64) int {
	i, ok := s.index(id)
	if !ok {
		return 0
	}
	return s.deg(i)
}

// Neighbors returns the partners of id sorted by id.
func (s *Snapshot) Neighbors(id int64) []int64 {
	i, ok := s.index(id)
	if !ok {
		return nil
	}
	return s.toIDs(s.nbrs(i))
}

// Has reports whether a and b are partners.
func (s *Snapshot) Has(a, b int64) bool {
	e := orient(Edge{A: a, B: b})
	_, found := findEdge(s.edges, e.A, e.B)
	return found
}

// Edge returns the edge joining a and b, oriented A < B.
func (s *Snapshot) Edge(a, b int64) (Edge, bool) {
	e := orient(Edge{A: a, B: b})
	i, found := findEdge(s.edges, e.A, e.B)
	if !found {
		return Edge{}, false
	}
	return s.edges[i], true
}

// Edges returns every edge with A < B, sorted by (A, B).
func (s *Snapshot) Edges() []Edge { return slices.Clone(s.edges) }

func (s *Snapshot) toIDs(idx []int32) []int64 {
	out := make([]int64, len(idx))
	for k, i := range idx {
		out[k] = s.ids[i]
	}
	return out
}

func (s *Snapshot) adjacent(i, j int32) bool {
	if s.deg(i) > s.deg(j) {
		i, j = j, i
	}
	_, ok := slices.BinarySearch(s.nbrs(i), j)
	return ok
}

func orient(e Edge) Edge {
	if e.A > e.B {
		e.A, e.B = e.B, e.A
	}
	return e
}

func cmpEdge(e Edge, a, b int64) int {
	if c := cmp.Compare(e.A, a); c != 0 {
		return c
	}
	return cmp.Compare(e.B, b)
}

func findEdge(edges []Edge, a, b int64) (int, bool) {
	return slices.BinarySearchFunc(edges, [2]int64{a, b}, func(e Edge, k [2]int64) int {
		return cmpEdge(e, k[0], k[1])
	})
}

// canonical orients, sorts and dedupes edges (last one wins) into a new slice.
func canonical(edges []Edge) []Edge {
	c := make([]Edge, 0, len(edges))
	for _, e := range edges {
		if e.A != e.B {
			c = append(c, orient(e))
		}
	}
	slices.SortStableFunc(c, func(x, y Edge) int { return cmpEdge(x, y.A, y.B) })
	out := c[:0]
	for i, e := range c {
		if i+1 < len(c) && c[i+1].A == e.A && c[i+1].B == e.B {
			continue // a later duplicate wins
		}
		out = append(out, e)
	}
	return slices.Clip(out)
}

// build makes a snapshot from canonical edges, which it keeps without copying.
func build(edges []Edge, version uint64) *Snapshot {
	ids := make([]int64, 0, len(edges)*2)
	for _, e := range edges {
		ids = append(ids, e.A, e.B)
	}
	slices.Sort(ids)
	ids = slices.Clip(slices.Compact(ids))
	s := &Snapshot{version: version, ids: ids, edges: edges}
	n := len(ids)
	s.off = make([]int32, n+1)
	ends := make([][2]int32, len(edges))
	for k, e := range edges {
		a, _ := s.index(e.A)
		b, _ := s.index(e.B)
		ends[k] = [2]int32{a, b}
		s.off[a+1]++
		s.off[b+1]++
	}
	for i := 0; i < n; i++ {
		s.off[i+1] += s.off[i]
	}
	s.adj = make([]int32, 2*len(edges))
	s.eidx = make([]int32, 2*len(edges))
	fill := slices.Clone(s.off[:n])
	// Edges sorted by (A, B) fill every list in ascending order: first the
	// smaller neighbours (as B), then the larger ones (as A).
	for k, ab := range ends {
		a, b := ab[0], ab[1]
		s.adj[fill[a]], s.eidx[fill[a]] = b, int32(k)
		fill[a]++
		s.adj[fill[b]], s.eidx[fill[b]] = a, int32(k)
		fill[b]++
	}
	return s
}
