package graph

import (
	"cmp"
	"slices"
)

// Cliques returns the maximal cliques — groups of cities all twinned with
// each other, the seeds of multilateral networks — with at least minSize
// members (at least 1), each sorted by id, the largest first and then in
// lexicographic order, up to limit cliques (limit ≤ 0: all).
//
// It runs Bron–Kerbosch with Tomita pivoting from each city in degeneracy
// order, which keeps the candidate sets as small as the graph's core number.
func (g *Graph) Cliques(minSize, limit int) [][]int64 {
	return g.cur.Load().Cliques(minSize, limit)
}

// Cliques is [Graph.Cliques] on this snapshot.
func (s *Snapshot) Cliques(minSize, limit int) [][]int64 {
	minSize = max(minSize, 1)
	order := s.degeneracyOrder()
	pos := make([]int32, len(order))
	for k, v := range order {
		pos[v] = int32(k)
	}
	var out [][]int64
	report := func(r []int32) {
		c := s.toIDs(r)
		slices.Sort(c)
		out = append(out, c)
	}
	for _, v := range order {
		var p, x []int32
		for _, u := range s.nbrs(v) {
			if pos[u] > pos[v] {
				p = append(p, u)
			} else {
				x = append(x, u)
			}
		}
		s.bronKerbosch([]int32{v}, p, x, minSize, report)
	}
	slices.SortFunc(out, func(a, b []int64) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return slices.Compare(a, b)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// bronKerbosch reports every maximal clique extending r with members of p
// and none of x; p and x are sorted node indices.
func (s *Snapshot) bronKerbosch(r, p, x []int32, minSize int, report func([]int32)) {
	if len(p) == 0 {
		if len(x) == 0 && len(r) >= minSize {
			report(r)
		}
		return
	}
	if len(r)+len(p) < minSize {
		return
	}
	pivot, best := int32(-1), -1
	for _, set := range [2][]int32{p, x} {
		for _, u := range set {
			if n := countCommon(p, s.nbrs(u)); n > best {
				pivot, best = u, n
			}
		}
	}
	pn := s.nbrs(pivot)
	cand := make([]int32, 0, len(p))
	for _, v := range p {
		if _, ok := slices.BinarySearch(pn, v); !ok {
			cand = append(cand, v)
		}
	}
	p = slices.Clone(p)
	x = slices.Clone(x)
	for _, v := range cand {
		nv := s.nbrs(v)
		s.bronKerbosch(append(r[:len(r):len(r)], v), intersect(p, nv), intersect(x, nv), minSize, report)
		i, _ := slices.BinarySearch(p, v)
		p = slices.Delete(p, i, i+1)
		j, _ := slices.BinarySearch(x, v)
		x = slices.Insert(x, j, v)
	}
}

// intersect returns the elements two sorted slices share, in order.
func intersect[T cmp.Ordered](a, b []T) []T {
	var out []T
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

func countCommon(a, b []int32) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// degeneracyOrder repeatedly removes a node of minimum remaining degree
// (bucket queue, O(n+m)); ties go to the smallest index.
func (s *Snapshot) degeneracyOrder() []int32 {
	n := len(s.ids)
	deg := make([]int, n)
	maxDeg := 0
	for i := range n {
		deg[i] = s.deg(int32(i))
		maxDeg = max(maxDeg, deg[i])
	}
	buckets := make([][]int32, maxDeg+1)
	for i := n - 1; i >= 0; i-- { // popped from the end: smallest index first
		buckets[deg[i]] = append(buckets[deg[i]], int32(i))
	}
	removed := make([]bool, n)
	order := make([]int32, 0, n)
	for d := 0; len(order) < n; {
		if len(buckets[d]) == 0 {
			d++
			continue
		}
		b := buckets[d]
		v := b[len(b)-1]
		buckets[d] = b[:len(b)-1]
		if removed[v] || deg[v] != d {
			continue // stale entry
		}
		removed[v] = true
		order = append(order, v)
		for _, u := range s.nbrs(v) {
			if !removed[u] {
				deg[u]--
				buckets[deg[u]] = append(buckets[deg[u]], u)
				d = min(d, deg[u])
			}
		}
	}
	return order
}
