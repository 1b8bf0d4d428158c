package graph_test

import (
	"math/rand/v2"
	"testing"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/graph"
)

// TestWorldPathsMatchBFS checks ShortestPath and AllShortestPaths against a plain breadth-first
// search on the graph of the bundled world dataset, as exported (agreements between city ids).
func TestWorldPathsMatchBFS(t *testing.T) {
	t.Parallel()
	var edges []graph.Edge
	adj := map[int64][]int64{}
	err := dataset.Decode(dataset.Bundle(), func(r dataset.Record) error {
		if r.Type == dataset.TypeAgreement && len(r.Agreement.CityIDs) == 2 && r.Agreement.Status != "rejected" {
			a, b := r.Agreement.CityIDs[0], r.Agreement.CityIDs[1]
			edges = append(edges, graph.Edge{A: a, B: b, Agreement: r.Agreement.ID})
			adj[a] = append(adj[a], b)
			adj[b] = append(adj[b], a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	g := graph.New(edges)
	nodes := g.Nodes()
	bfs := func(from, to int64) int {
		dist := map[int64]int{from: 0}
		queue := []int64{from}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			if x == to {
				return dist[x]
			}
			for _, y := range adj[x] {
				if _, ok := dist[y]; !ok {
					dist[y] = dist[x] + 1
					queue = append(queue, y)
				}
			}
		}
		return -1
	}
	r := rand.New(rand.NewPCG(7, 7))
	pairs := 400
	if testing.Short() {
		pairs = 60
	}
	for range pairs {
		a, b := nodes[r.IntN(len(nodes))], nodes[r.IntN(len(nodes))]
		want := bfs(a, b)
		p, ok := g.ShortestPath(a, b)
		if want < 0 {
			if ok {
				t.Errorf("%d→%d: a path %v where BFS finds none", a, b, p)
			}
			continue
		}
		if !ok || len(p)-1 != want {
			t.Fatalf("%d→%d: path %v (ok %v), BFS length %d", a, b, p, ok, want)
		}
		for i := 1; i < len(p); i++ {
			if !g.Has(p[i-1], p[i]) {
				t.Fatalf("%d→%d: %d–%d in the path is not an agreement", a, b, p[i-1], p[i])
			}
		}
		for _, q := range g.AllShortestPaths(a, b, 5) {
			if len(q) != len(p) || q[0] != a || q[len(q)-1] != b {
				t.Fatalf("%d→%d: AllShortestPaths gave %v, shortest has %d cities", a, b, q, len(p))
			}
		}
	}
}
