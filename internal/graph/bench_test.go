package graph

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

type benchGraph struct {
	name  string
	edges func(testing.TB) []Edge
}

var benchGraphs = []benchGraph{
	{"synthetic20k30k", func(testing.TB) []Edge {
		return syntheticEdges(rand.New(rand.NewPCG(42, 42)), 20000, 30000)
	}},
	{"wikidata", worldEdges}, // skips without the shared data
}

// BenchmarkShortestPath times single queries between random cities and
// reports their p50 and p99 latency.
func BenchmarkShortestPath(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			g := New(bg.edges(b))
			nodes := g.Nodes()
			rng := rand.New(rand.NewPCG(1, 2))
			var lat []time.Duration
			for b.Loop() {
				a, c := nodes[rng.IntN(len(nodes))], nodes[rng.IntN(len(nodes))]
				t0 := time.Now()
				g.ShortestPath(a, c)
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkAllShortestPaths times listing up to 16 minimal chains.
func BenchmarkAllShortestPaths(b *testing.B) {
	g := New(benchGraphs[0].edges(b))
	nodes := g.Nodes()
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		g.AllShortestPaths(nodes[rng.IntN(len(nodes))], nodes[rng.IntN(len(nodes))], 16)
	}
}

// BenchmarkCommunities times Louvain on the whole graph.
func BenchmarkCommunities(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			g := New(bg.edges(b))
			var q float64
			for b.Loop() {
				_, q = g.Louvain(DefaultSeed)
			}
			b.ReportMetric(q, "modularity")
		})
	}
}

// BenchmarkRebuild times one write (Add then Remove publishes a snapshot
// each) and reports the heap a snapshot holds.
func BenchmarkRebuild(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			edges := bg.edges(b)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			g := New(edges)
			g.Snapshot().components()
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					g.Add(Edge{A: -1, B: -2})
				} else {
					g.Remove(-1, -2)
				}
			}
			b.ReportMetric(heap, "heap-MiB")
			runtime.KeepAlive(edges)
		})
	}
}

// BenchmarkReplace times a full rebuild from an unsorted edge list.
func BenchmarkReplace(b *testing.B) {
	edges := benchGraphs[0].edges(b)
	g := New(nil)
	for b.Loop() {
		g.Replace(edges)
	}
}

// BenchmarkCliques times listing maximal cliques of 3 or more.
func BenchmarkCliques(b *testing.B) {
	for _, bg := range benchGraphs {
		b.Run(bg.name, func(b *testing.B) {
			g := New(bg.edges(b))
			n := 0
			for b.Loop() {
				n = len(g.Cliques(3, 0))
			}
			b.ReportMetric(float64(n), "cliques")
		})
	}
}

// BenchmarkSuggest times one suggestion list over the whole graph.
func BenchmarkSuggest(b *testing.B) {
	g := New(worldEdges(b))
	f, _ := worldFeatures(b)
	const isfahan = 42053
	for b.Loop() {
		g.Suggest(isfahan, f, 10)
	}
}
