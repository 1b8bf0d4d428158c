package graph

import "slices"

// DefaultPathLimit caps [Graph.AllShortestPaths] when its limit is ≤ 0.
const DefaultPathLimit = 64

// ShortestPath returns a shortest chain of partners from one city to
// another, both ends included, and whether one exists. Ties are broken
// deterministically. The search is a bidirectional breadth-first search.
func (g *Graph) ShortestPath(from, to int64) ([]int64, bool) {
	return g.cur.Load().ShortestPath(from, to)
}

// Distance returns the number of edges on a shortest chain from one city to
// another, or -1 when there is none.
func (g *Graph) Distance(from, to int64) int {
	p, ok := g.cur.Load().ShortestPath(from, to)
	if !ok {
		return -1
	}
	return len(p) - 1
}

// AllShortestPaths returns every chain of minimal length from one city to
// another, up to limit chains (limit ≤ 0 means [DefaultPathLimit]), in
// lexicographic order of their ids.
func (g *Graph) AllShortestPaths(from, to int64, limit int) [][]int64 {
	return g.cur.Load().AllShortestPaths(from, to, limit)
}

// ShortestPath is [Graph.ShortestPath] on this snapshot.
func (s *Snapshot) ShortestPath(from, to int64) ([]int64, bool) {
	f, ok1 := s.index(from)
	t, ok2 := s.index(to)
	if !ok1 || !ok2 {
		return nil, false
	}
	if f == t {
		return []int64{from}, true
	}
	sc := s.getScratch()
	defer s.putScratch(sc)
	mid, mf, ok := s.bidir(sc, f, t)
	if !ok {
		return nil, false
	}
	// mid is reached from the source side through mf (or is the source
	// side's own node when mf < 0) and from the target side by parB.
	var path []int32
	if mf >= 0 {
		for v := mf; v != -1; v = sc.parF[v] {
			path = append(path, v)
		}
		slices.Reverse(path)
	}
	for v := mid; v != -1; v = sc.parB[v] {
		path = append(path, v)
	}
	return s.toIDs(path), true
}

// bidir searches from f and t alternately, a whole level of the smaller
// frontier at a time, and returns a meeting edge (mf on the source side,
// mid on the target side) of a shortest path. Finishing the level before
// stopping keeps the meeting point minimal.
func (s *Snapshot) bidir(sc *scratch, f, t int32) (mid, mf int32, ok bool) {
	ep := sc.epoch
	sc.markF[f], sc.distF[f], sc.parF[f] = ep, 0, -1
	sc.markB[t], sc.distB[t], sc.parB[t] = ep, 0, -1
	qf := append(sc.queue, f)
	qb := append(sc.queue2, t)
	defer func() { sc.queue, sc.queue2 = qf[:0], qb[:0] }()
	best := int32(-1)
	for len(qf) > 0 && len(qb) > 0 {
		fwd := s.frontierCost(qf) <= s.frontierCost(qb)
		mark, dist, par, q := sc.markF, sc.distF, sc.parF, qf
		other, odist := sc.markB, sc.distB
		if !fwd {
			mark, dist, par, q = sc.markB, sc.distB, sc.parB, qb
			other, odist = sc.markF, sc.distF
		}
		n := len(q)
		for _, u := range q[:n] {
			for _, v := range s.nbrs(u) {
				if other[v] == ep {
					if d := dist[u] + 1 + odist[v]; best < 0 || d < best {
						best = d
						if fwd {
							mid, mf = v, u
						} else {
							mid, mf = u, v
						}
					}
				}
				if mark[v] != ep {
					mark[v], dist[v], par[v] = ep, dist[u]+1, u
					q = append(q, v)
				}
			}
		}
		q = slices.Delete(q, 0, n)
		if fwd {
			qf = q
		} else {
			qb = q
		}
		if best >= 0 {
			return mid, mf, true
		}
	}
	return 0, 0, false
}

func (s *Snapshot) frontierCost(q []int32) int {
	c := 0
	for _, u := range q {
		c += s.deg(u)
	}
	return c
}

// AllShortestPaths is [Graph.AllShortestPaths] on this snapshot.
func (s *Snapshot) AllShortestPaths(from, to int64, limit int) [][]int64 {
	f, ok1 := s.index(from)
	t, ok2 := s.index(to)
	if !ok1 || !ok2 {
		return nil
	}
	if limit <= 0 {
		limit = DefaultPathLimit
	}
	if f == t {
		return [][]int64{{from}}
	}
	sc := s.getScratch()
	defer s.putScratch(sc)
	d := s.levels(sc, f, t)
	if d < 0 {
		return nil
	}
	// Nodes on a shortest path satisfy distF + distB == d; walk them from
	// the source in ascending id order for a lexicographic listing.
	var out [][]int64
	path := make([]int32, 0, d+1)
	var walk func(u int32)
	walk = func(u int32) {
		path = append(path, u)
		defer func() { path = path[:len(path)-1] }()
		if u == t {
			out = append(out, s.toIDs(path))
			return
		}
		for _, v := range s.nbrs(u) {
			if len(out) >= limit {
				return
			}
			if sc.markF[v] == sc.epoch && sc.markB[v] == sc.epoch &&
				sc.distF[v] == sc.distF[u]+1 && sc.distF[v]+sc.distB[v] == d {
				walk(v)
			}
		}
	}
	walk(f)
	return out
}

// levels fills distF from f up to t's distance and distB from t up to the
// same depth, and returns that distance (-1 if t is unreachable).
func (s *Snapshot) levels(sc *scratch, f, t int32) int32 {
	d := s.bfs(sc, sc.markF, sc.distF, f, t, -1)
	if d < 0 {
		return -1
	}
	s.bfs(sc, sc.markB, sc.distB, t, -1, d)
	return d
}

// bfs marks nodes by distance from src, stopping after the level where stop
// is reached (returning its distance) or at depth maxDepth when ≥ 0.
func (s *Snapshot) bfs(sc *scratch, mark []uint32, dist []int32, src, stop, maxDepth int32) int32 {
	ep := sc.epoch
	q := append(sc.queue[:0], src)
	mark[src], dist[src] = ep, 0
	found := int32(-1)
	for h := 0; h < len(q); h++ {
		u := q[h]
		if found >= 0 && dist[u] >= found {
			break
		}
		if maxDepth >= 0 && dist[u] >= maxDepth {
			break
		}
		for _, v := range s.nbrs(u) {
			if mark[v] != ep {
				mark[v], dist[v] = ep, dist[u]+1
				q = append(q, v)
				if v == stop {
					found = dist[v]
				}
			}
		}
	}
	sc.queue = q[:0]
	return found
}
