package graph

import (
	"math"
	"math/rand/v2"
)

// syntheticEdges makes a twinning-like graph: n cities with heavy-tailed
// attractiveness (a few capitals hold hundreds of partners, most towns one
// or two), partners chosen mostly inside one of n/50 regions.
func syntheticEdges(rng *rand.Rand, n, m int) []Edge {
	regions := max(n/50, 1)
	weight := make([]float64, n)
	for i := range weight {
		weight[i] = math.Pow(rng.Float64(), -1/1.3) // Pareto, α≈1.3
	}
	byRegion := make([][]int, regions)
	for i := range n {
		r := i % regions
		byRegion[r] = append(byRegion[r], i)
	}
	cum := func(ids []int) []float64 {
		c := make([]float64, len(ids))
		s := 0.0
		for k, i := range ids {
			s += weight[i]
			c[k] = s
		}
		return c
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	allCum := cum(all)
	regCum := make([][]float64, regions)
	for r := range regions {
		regCum[r] = cum(byRegion[r])
	}
	pick := func(ids []int, c []float64) int {
		x := rng.Float64() * c[len(c)-1]
		lo, hi := 0, len(c)-1
		for lo < hi {
			mid := (lo + hi) / 2
			if c[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return ids[lo]
	}
	seen := map[[2]int]bool{}
	edges := make([]Edge, 0, m)
	for len(edges) < m {
		a := rng.IntN(n) // every city takes part at least sometimes
		var b int
		if rng.Float64() < 0.6 {
			r := a % regions
			b = pick(byRegion[r], regCum[r])
		} else {
			b = pick(all, allCum)
		}
		if a == b {
			continue
		}
		k := [2]int{min(a, b), max(a, b)}
		if seen[k] {
			continue
		}
		seen[k] = true
		edges = append(edges, Edge{A: int64(a) + 1000, B: int64(b) + 1000, Agreement: int64(len(edges) + 1)})
	}
	return edges
}
