package graph

// scratch is per-query working memory sized for one snapshot. Marks use
// epoch stamps so that a query never clears arrays of the graph's size.
type scratch struct {
	epoch  uint32
	markF  []uint32 // == epoch: reached from the source side
	markB  []uint32 // == epoch: reached from the target side
	distF  []int32
	distB  []int32
	parF   []int32
	parB   []int32
	queue  []int32
	queue2 []int32
	acc    []float64 // per-node accumulator, kept zero between uses
}

func (s *Snapshot) getScratch() *scratch {
	if sc, ok := s.pool.Get().(*scratch); ok {
		sc.next()
		return sc
	}
	n := len(s.ids)
	sc := &scratch{
		markF: make([]uint32, n), markB: make([]uint32, n),
		distF: make([]int32, n), distB: make([]int32, n),
		parF: make([]int32, n), parB: make([]int32, n),
		acc: make([]float64, n),
	}
	sc.next()
	return sc
}

func (s *Snapshot) putScratch(sc *scratch) { s.pool.Put(sc) }

func (sc *scratch) next() {
	sc.epoch++
	if sc.epoch == 0 { // wrapped: stale stamps could collide
		clear(sc.markF)
		clear(sc.markB)
		sc.epoch = 1
	}
	sc.queue = sc.queue[:0]
	sc.queue2 = sc.queue2[:0]
}
