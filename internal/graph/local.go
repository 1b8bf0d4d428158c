package graph

import (
	"cmp"
	"slices"
)

// Cousin is a partner of a partner that is not itself a partner: a city
// reachable in two steps. Via lists the shared partners, sorted by id.
type Cousin struct {
	ID  int64
	Via []int64
}

// Cousins returns the cousins of id sorted by the number of shared partners
// (most first), then by id.
func (g *Graph) Cousins(id int64) []Cousin { return g.cur.Load().Cousins(id) }

// Cousins is [Graph.Cousins] on this snapshot.
func (s *Snapshot) Cousins(id int64) []Cousin {
	i, ok := s.index(id)
	if !ok {
		return nil
	}
	sc := s.getScratch()
	defer s.putScratch(sc)
	ep := sc.epoch
	sc.markF[i] = ep
	for _, p := range s.nbrs(i) {
		sc.markF[p] = ep
	}
	// Via lists come out sorted because partners are visited in id order.
	via := map[int32][]int64{}
	var order []int32
	for _, p := range s.nbrs(i) {
		for _, c := range s.nbrs(p) {
			if sc.markF[c] == ep {
				continue
			}
			if _, seen := via[c]; !seen {
				order = append(order, c)
			}
			via[c] = append(via[c], s.ids[p])
		}
	}
	out := make([]Cousin, 0, len(order))
	for _, c := range order {
		out = append(out, Cousin{ID: s.ids[c], Via: via[c]})
	}
	slices.SortFunc(out, func(a, b Cousin) int {
		if c := cmp.Compare(len(b.Via), len(a.Via)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// Triangles returns the triangles through id as {id, u, v} with u < v,
// sorted by (u, v): the smallest multilateral groups id belongs to.
func (g *Graph) Triangles(id int64) [][3]int64 { return g.cur.Load().Triangles(id) }

// Triangles is [Graph.Triangles] on this snapshot.
func (s *Snapshot) Triangles(id int64) [][3]int64 {
	i, ok := s.index(id)
	if !ok {
		return nil
	}
	ni := s.nbrs(i)
	var out [][3]int64
	for k, u := range ni {
		// Both lists are sorted: merge the tail of i's list with u's list.
		rest, nu := ni[k+1:], s.nbrs(u)
		for a, b := 0, 0; a < len(rest) && b < len(nu); {
			switch {
			case rest[a] < nu[b]:
				a++
			case rest[a] > nu[b]:
				b++
			default:
				out = append(out, [3]int64{id, s.ids[u], s.ids[rest[a]]})
				a++
				b++
			}
		}
	}
	return out
}

// Neighbourhood returns the cities within depth steps of id, in
// breadth-first order (id first, ascending ids within a level), stopping at
// maxNodes cities (≤ 0: no cap), and the edges among them sorted by (A, B):
// what a drawing of the city's surroundings needs.
func (g *Graph) Neighbourhood(id int64, depth, maxNodes int) (nodes []int64, edges []Edge) {
	return g.cur.Load().Neighbourhood(id, depth, maxNodes)
}

// Neighbourhood is [Graph.Neighbourhood] on this snapshot.
func (s *Snapshot) Neighbourhood(id int64, depth, maxNodes int) (nodes []int64, edges []Edge) {
	i, ok := s.index(id)
	if !ok {
		return nil, nil
	}
	if maxNodes <= 0 {
		maxNodes = len(s.ids)
	}
	sc := s.getScratch()
	defer s.putScratch(sc)
	ep := sc.epoch
	q := append(sc.queue[:0], i)
	sc.markF[i], sc.distF[i] = ep, 0
	for h := 0; h < len(q) && len(q) < maxNodes; h++ {
		u := q[h]
		if int(sc.distF[u]) >= depth {
			break
		}
		for _, v := range s.nbrs(u) {
			if sc.markF[v] != ep {
				sc.markF[v], sc.distF[v] = ep, sc.distF[u]+1
				q = append(q, v)
				if len(q) >= maxNodes {
					break
				}
			}
		}
	}
	for _, u := range q {
		for k := s.off[u]; k < s.off[u+1]; k++ {
			if v := s.adj[k]; v > u && sc.markF[v] == ep {
				edges = append(edges, s.edges[s.eidx[k]])
			}
		}
	}
	slices.SortFunc(edges, func(x, y Edge) int { return cmpEdge(x, y.A, y.B) })
	nodes = s.toIDs(q)
	sc.queue = q[:0]
	return nodes, edges
}
