package graph

import (
	"cmp"
	"slices"
)

// Components returns the connected components, each sorted by id, the
// largest first (ties: smallest first id).
func (g *Graph) Components() [][]int64 { return g.cur.Load().Components() }

// ComponentOf returns the ids of the component holding id, sorted, or nil
// when id is not in the graph.
func (g *Graph) ComponentOf(id int64) []int64 { return g.cur.Load().ComponentOf(id) }

// SameComponent reports whether a chain of partners joins a and b.
func (g *Graph) SameComponent(a, b int64) bool { return g.cur.Load().SameComponent(a, b) }

// Components is [Graph.Components] on this snapshot.
func (s *Snapshot) Components() [][]int64 {
	comp, n := s.components()
	out := make([][]int64, n)
	for i, c := range comp { // ascending i keeps each component sorted
		out[c] = append(out[c], s.ids[i])
	}
	slices.SortFunc(out, func(a, b []int64) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return cmp.Compare(a[0], b[0])
	})
	return out
}

// ComponentOf is [Graph.ComponentOf] on this snapshot.
func (s *Snapshot) ComponentOf(id int64) []int64 {
	i, ok := s.index(id)
	if !ok {
		return nil
	}
	comp, _ := s.components()
	var out []int64
	for j, c := range comp {
		if c == comp[i] {
			out = append(out, s.ids[j])
		}
	}
	return out
}

// SameComponent is [Graph.SameComponent] on this snapshot.
func (s *Snapshot) SameComponent(a, b int64) bool {
	i, ok1 := s.index(a)
	j, ok2 := s.index(b)
	if !ok1 || !ok2 {
		return false
	}
	comp, _ := s.components()
	return comp[i] == comp[j]
}

// components labels nodes once per snapshot, by breadth-first search.
func (s *Snapshot) components() ([]int32, int) {
	s.compOnce.Do(func() {
		n := len(s.ids)
		comp := make([]int32, n)
		for i := range comp {
			comp[i] = -1
		}
		var q []int32
		next := int32(0)
		for i := range int32(n) {
			if comp[i] >= 0 {
				continue
			}
			comp[i] = next
			q = append(q[:0], i)
			for h := 0; h < len(q); h++ {
				for _, v := range s.nbrs(q[h]) {
					if comp[v] < 0 {
						comp[v] = next
						q = append(q, v)
					}
				}
			}
			next++
		}
		s.comp, s.ncomp = comp, int(next)
	})
	return s.comp, s.ncomp
}
