package intel

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twinning/twinning/internal/graph"
	"github.com/twinning/twinning/internal/twin"
)

// What the city page and the partners answer derive from the graph and the activities is
// computed once per change, not once per view (issue 14: suggestions scored over every city on
// each view, two queries per agreement for its vitality). Both caches answer exactly what a
// fresh computation would: the suggestions are keyed by the graph's and the facts' versions,
// and vitality's inputs (an agreement's activities and links) are dropped on every local write
// to activities or links and whenever the tables' fingerprint shows another writer's.

// maxCachedSuggestions bounds the suggestion answers kept for one version of the graph.
const maxCachedSuggestions = 50_000

// suggestState is the suggester for one version of the graph and facts, with its answers.
type suggestState struct {
	graph, facts uint64
	p            *graph.Suggester
	f            graph.Features
	mu           sync.Mutex
	ans          map[[2]int64][]graph.Suggestion // (city, k) → answer
}

type suggestCache struct {
	mu  sync.Mutex // one builder at a time
	cur atomic.Pointer[suggestState]
}

// Suggest ranks up to k partners for city, as graph.Suggest with the registry's facts, from
// the answers already computed for this version of the graph when there is one. The answer is
// shared: callers must not change it.
func (in *Intel) Suggest(city int64, k int) []graph.Suggestion {
	st := in.suggestState()
	key := [2]int64{city, int64(k)}
	st.mu.Lock()
	v, ok := st.ans[key]
	st.mu.Unlock()
	if ok {
		return v
	}
	v = st.p.Suggest(city, st.f, k)
	st.mu.Lock()
	if len(st.ans) < maxCachedSuggestions {
		st.ans[key] = v
	}
	st.mu.Unlock()
	return v
}

func (in *Intel) suggestState() *suggestState {
	fresh := func(st *suggestState) bool {
		return st != nil && st.graph == in.g.Version() && st.facts == in.factsGen.Load()
	}
	if st := in.sug.cur.Load(); fresh(st) {
		return st
	}
	in.sug.mu.Lock()
	defer in.sug.mu.Unlock()
	if st := in.sug.cur.Load(); fresh(st) {
		return st
	}
	// The facts' version is read before the facts, the graph's with the snapshot ranked on: a
	// change racing with this build makes the next caller build again, never keeps stale data.
	fv := in.factsGen.Load()
	f := in.features()
	p := in.g.Suggester(f)
	st := &suggestState{graph: p.Version(), facts: fv, p: p, f: f, ans: map[[2]int64][]graph.Suggestion{}}
	in.sug.cur.Store(st)
	return st
}

// dataEvery is how often the registry's data version is read to notice other writers (other
// servers on one PostgreSQL database, `twinning import` beside a SQLite server).
const dataEvery = time.Second

// vitalityCache keeps each agreement's activities and links, what its vitality is computed
// from (with the time of the view, so the state still ages as days pass).
type vitalityCache struct {
	mu  sync.RWMutex
	gen uint64 // bumped by every clear: a read begun before a clear is not kept
	m   map[int64]vitalityInputs
}

type vitalityInputs struct {
	acts  []*twin.Activity
	links []*twin.Link
}

func (c *vitalityCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.gen++
	c.mu.Unlock()
}

// dataWatch notices writes: this server's through Changed, everyone's through the store's data
// version, read at most every dataEvery by the request that finds it due.
type dataWatch struct {
	gen     atomic.Uint64 // bumped on every change noticed
	mu      sync.Mutex
	version string
	checked atomic.Int64 // unix nanoseconds of the last read
}

// DataGen is a number that changes whenever the registry's data may have changed: what is
// derived from it and kept is good while the number stays the same.
func (in *Intel) DataGen(ctx context.Context) uint64 {
	in.checkData(ctx)
	return in.data.gen.Load()
}

// RecheckData has the next read of DataGen look at the store's data version again, however
// recently it last looked: a writer elsewhere is then noticed at once, not within dataEvery.
func (in *Intel) RecheckData() { in.data.checked.Store(0) }

func (in *Intel) checkData(ctx context.Context) {
	d := &in.data
	if time.Since(time.Unix(0, d.checked.Load())) < dataEvery || !d.mu.TryLock() {
		return
	}
	defer d.mu.Unlock()
	v, err := in.db.DataVersion(ctx)
	if err != nil {
		in.changedData() // unknown: keep nothing
		return
	}
	if v != d.version {
		d.version = v
		in.changedData()
	}
	d.checked.Store(time.Now().UnixNano())
}

// changedData drops what is derived from the data, after a write.
func (in *Intel) changedData() {
	in.vit.clear()
	in.data.gen.Add(1)
}

// vitalityInputs returns the agreements' activities and links: those kept, and the others
// read all at once (and kept, unless the data changed meanwhile).
func (in *Intel) vitalityInputs(ctx context.Context, ids []int64) (map[int64]vitalityInputs, error) {
	c := &in.vit
	in.checkData(ctx)
	out := make(map[int64]vitalityInputs, len(ids))
	var missing []int64
	c.mu.RLock()
	for _, id := range ids {
		if v, ok := c.m[id]; ok {
			out[id] = v
		} else {
			missing = append(missing, id)
		}
	}
	gen := c.gen
	c.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	acts, links, err := in.db.ActivitiesAndLinksOf(ctx, missing)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := c.gen == gen
	if keep && c.m == nil {
		c.m = map[int64]vitalityInputs{}
	}
	for _, id := range missing {
		v := vitalityInputs{acts[id], links[id]}
		out[id] = v
		if keep {
			c.m[id] = v
		}
	}
	return out, nil
}

// communityCache holds the Louvain communities of one graph version, computed on the first
// request after a change and reused until the next.
type communityCache struct {
	mu         sync.Mutex
	version    uint64
	of         map[int64]int
	modularity float64
}

// Communities are the graph's Louvain communities (city → community) and their modularity,
// computed once per version of the graph. The map is shared: callers must not change it.
func (in *Intel) Communities() (map[int64]int, float64) {
	cc := &in.communities
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if v := in.g.Version(); cc.of == nil || cc.version != v {
		cc.of, cc.modularity = in.g.Louvain(1)
		cc.version = v
	}
	return cc.of, cc.modularity
}
