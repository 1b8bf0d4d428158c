package intel

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twinning/twinning/internal/graph"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/vitality"
)

// Intel holds the world's twinning graph in memory, kept current on this server's writes and,
// through the log of changes, on everyone else's (another server on the same database,
// `twinning import` into a served file), and computes vitality and partner suggestions from it.
type Intel struct {
	db  *store.DB
	log *slog.Logger
	g   *graph.Graph

	communities communityCache
	sug         suggestCache  // suggestions, per version of the graph and facts (cache.go)
	vit         vitalityCache // each agreement's activities and links
	data        dataWatch     // notices writes, this server's and others'
	factsGen    atomic.Uint64 // bumped whenever facts change

	mu    sync.RWMutex
	facts map[int64]store.CityFact
	orgs  map[string][]string // country → regional organisations
	// countries are the countries' names by code, for what tells namesakes apart.
	countries map[string]twin.Names

	// apply serialises reading records from the store and applying them to the graph, so that
	// whoever applies last read the latest committed state.
	apply  sync.Mutex
	cursor *store.Cursor // how far the log of changes has been followed (under apply)
	poke   chan struct{} // a notification that someone wrote

	// writes counts the changes this server has applied, its own and other servers' (from
	// the log): the home page's cache of the latest activities follows it.
	writes atomic.Uint64

	// onGraph, when set (OnGraph), is told of each change to the graph: a full rebuild or an
	// update of some agreements, and how long it took.
	onGraph atomic.Pointer[func(full bool, d time.Duration)]
}

// New builds the graph and the city facts from the store. The caller keeps it current: the
// store's OnChange calls Changed, and Watch follows other writers.
func New(ctx context.Context, db *store.DB, log *slog.Logger) (*Intel, error) {
	in := &Intel{db: db, log: log, g: graph.New(nil), poke: make(chan struct{}, 1)}
	// The cursor is taken before the graph is read: whatever commits in between is read again
	// by the first pass of Watch, never lost.
	cur, err := db.Following(ctx)
	if err != nil {
		return nil, err
	}
	in.cursor = cur
	// The edges and the cities' facts are read side by side, on two of the readers.
	factsErr := make(chan error, 1)
	go func() { factsErr <- in.reloadFacts(ctx) }()
	err = in.reloadEdges(ctx)
	if err := errors.Join(err, <-factsErr); err != nil {
		return nil, err
	}
	return in, nil
}

// Graph returns the live graph.
func (in *Intel) Graph() *graph.Graph { return in.g }

// Facts are the cities' facts (coordinates, population, country) by city id, as of the last
// change noticed. The map is replaced, never changed, on a change: callers must not change it.
func (in *Intel) Facts() map[int64]store.CityFact {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.facts
}

// Writes counts the changes applied so far, this server's and others' (from the log of
// changes): what is kept of the latest records is good while it stays the same.
func (in *Intel) Writes() uint64 { return in.writes.Load() }

// OnGraph has f told of each change to the graph from now on: a full rebuild or an update
// of some agreements, and how long it took (for the metrics).
func (in *Intel) OnGraph(f func(full bool, d time.Duration)) { in.onGraph.Store(&f) }

func (in *Intel) reloadEdges(ctx context.Context) error {
	es, err := in.db.Edges(ctx)
	if err != nil {
		return err
	}
	edges := make([]graph.Edge, len(es))
	for i, e := range es {
		edges[i] = graph.Edge{A: e[0], B: e[1], Agreement: e[2], Weight: 1}
	}
	in.g.Replace(edges)
	return nil
}

func (in *Intel) reloadFacts(ctx context.Context) error {
	fs, err := in.db.CityFacts(ctx)
	if err != nil {
		return err
	}
	cs, err := in.db.Countries(ctx)
	if err != nil {
		return err
	}
	facts := make(map[int64]store.CityFact, len(fs))
	for _, f := range fs {
		facts[f.ID] = f
	}
	orgs := map[string][]string{}
	names := make(map[string]twin.Names, len(cs))
	for _, c := range cs {
		orgs[c.Code], names[c.Code] = c.Orgs, c.Names
	}
	in.mu.Lock()
	in.facts, in.orgs, in.countries = facts, orgs, names
	in.factsGen.Add(1)
	in.mu.Unlock()
	return nil
}

// Changed is the store's OnChange hook: it brings the graph and facts up to date after a write.
func (in *Intel) Changed(changes []store.Changed) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	in.apply.Lock()
	defer in.apply.Unlock()
	in.applyChanges(ctx, changes)
}

// applyChanges reads the changed agreements and cities as they are now and puts them in the
// graph and the facts; many at once reload everything. The caller holds in.apply.
func (in *Intel) applyChanges(ctx context.Context, changes []store.Changed) {
	if len(changes) > 0 {
		in.writes.Add(1)
	}
	var agreements, cities []int64
	for _, c := range changes {
		switch c.Kind {
		case "agreement":
			agreements = append(agreements, c.ID)
		case "city":
			cities = append(cities, c.ID)
		}
	}
	if len(changes) > 0 {
		in.changedData() // what is kept of the data (cache.go) is dropped
	}
	slices.Sort(agreements)
	agreements = slices.Compact(agreements)
	slices.Sort(cities)
	cities = slices.Compact(cities)
	if f := in.onGraph.Load(); len(agreements) > 0 && f != nil {
		defer func(start time.Time, full bool) { (*f)(full, time.Since(start)) }(time.Now(), len(agreements) > 20)
	}
	if len(agreements) > 20 {
		if err := in.reloadEdges(ctx); err != nil {
			in.log.Error("graph reload", "err", err)
		}
	} else {
		for _, id := range agreements {
			a, err := in.db.Agreements.Get(ctx, id)
			switch {
			case twin.ErrorCode(err) == twin.ENOTFOUND:
				in.removeAgreement(id)
			case err != nil:
				in.log.Error("graph update", "agreement", id, "err", err)
			case a.Status == twin.StatusRejected:
				in.removeAgreement(a.ID)
			default:
				in.g.Add(graph.Edge{A: a.CityIDs[0], B: a.CityIDs[1], Agreement: a.ID, Weight: 1})
			}
		}
	}
	if len(cities) > 20 {
		if err := in.reloadFacts(ctx); err != nil {
			in.log.Error("city facts reload", "err", err)
		}
	} else if len(cities) > 0 {
		in.updateFacts(ctx, cities)
	}
}

// updateFacts rereads a few cities' facts.
func (in *Intel) updateFacts(ctx context.Context, ids []int64) {
	fs, err := in.db.CityFactsOf(ctx, ids)
	if err != nil {
		in.log.Error("city facts update", "err", err)
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	facts := make(map[int64]store.CityFact, len(in.facts)+len(ids))
	for id, f := range in.facts {
		facts[id] = f
	}
	for _, id := range ids {
		delete(facts, id)
	}
	for _, f := range fs {
		facts[f.ID] = f
	}
	in.facts = facts
	in.factsGen.Add(1)
}

func (in *Intel) removeAgreement(id int64) {
	for _, e := range in.g.Edges() {
		if e.Agreement == id {
			in.g.Remove(e.A, e.B)
			return
		}
	}
}

// Poke asks Watch to look for others' changes now.
func (in *Intel) Poke() {
	select {
	case in.poke <- struct{}{}:
	default:
	}
}

// Follow applies what was committed since the last pass, by this server or any other, and
// reports how many changes it read. Watch calls it; tests call it directly.
func (in *Intel) Follow(ctx context.Context) (int, error) {
	in.apply.Lock()
	defer in.apply.Unlock()
	changes, reload, err := in.db.Follow(ctx, in.cursor)
	if err != nil {
		return 0, err
	}
	if reload {
		in.log.Info("graph reload: many changes by others")
		in.changedData()
		if err := in.reloadEdges(ctx); err != nil {
			return 0, err
		}
		return store.FollowBatch, in.reloadFacts(ctx)
	}
	in.applyChanges(ctx, changes)
	return len(changes), nil
}

// Watch follows the log of changes until ctx ends: every period, and at once when PostgreSQL
// announces a write (LISTEN/NOTIFY), so that servers sharing a database agree within a second
// of a write and within a period when notifications are lost.
func (in *Intel) Watch(ctx context.Context, every time.Duration) {
	go in.db.Listen(ctx, in.Poke, func(err error) { in.log.Warn("listening for others' writes", "err", err) })
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-in.poke:
		}
		_, err := in.Follow(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			in.log.Error("following others' writes", "err", err)
			failing = true
		case err == nil && failing:
			in.log.Info("following others' writes again")
			failing = false
		}
	}
}

func (in *Intel) features() graph.Features {
	in.mu.RLock()
	facts, orgs := in.facts, in.orgs
	in.mu.RUnlock()
	return graph.Features{
		Coordinates: func(id int64) (float64, float64, bool) {
			f, ok := facts[id]
			return f.Lat, f.Lon, ok && f.HasCoord
		},
		Population: func(id int64) (int64, bool) {
			f, ok := facts[id]
			return f.Population, ok && f.Population > 0
		},
		Country: func(id int64) string { return facts[id].Country },
		Orgs:    func(id int64) []string { return orgs[facts[id].Country] },
	}
}

// Vitality computes an agreement's vitality from its activities and links.
func (in *Intel) Vitality(ctx context.Context, a *twin.Agreement) *twin.Vitality {
	return in.Vitalities(ctx, []*twin.Agreement{a})[0]
}

// Vitalities computes agreements' vitality, in their order, reading the activities and links
// not kept yet for all of them at once. When they cannot be read, each is unknown.
func (in *Intel) Vitalities(ctx context.Context, as []*twin.Agreement) []*twin.Vitality {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	inputs, err := in.vitalityInputs(ctx, ids)
	if err != nil && ctx.Err() == nil { // a reader who went away is not an error
		in.log.ErrorContext(ctx, "vitality", "agreements", ids, "err", err)
	}
	now := time.Now()
	out := make([]*twin.Vitality, len(as))
	for i, a := range as {
		if err != nil {
			out[i] = &twin.Vitality{State: string(vitality.Unknown), Reasons: []twin.Reason{{Code: "internal"}}}
			continue
		}
		r := vitality.Compute(VitalityInput(a, inputs[a.ID].acts, inputs[a.ID].links, now))
		v := &twin.Vitality{State: string(r.State)}
		for _, re := range r.Reasons {
			v.Reasons = append(v.Reasons, twin.Reason{Code: re.Code, Params: re.Params})
		}
		out[i] = v
	}
	return out
}

// VitalityInput is what vitality needs of an agreement: its dates, status, promised domains and
// the activities and links under it, as of now.
func VitalityInput(a *twin.Agreement, acts []*twin.Activity, links []*twin.Link, now time.Time) vitality.Input {
	in := vitality.Input{Now: now, Status: a.Status, PromisedDomains: a.Domains}
	if a.Signed != nil && a.Signed.Start != "" {
		t := a.Signed.StartTime()
		in.Signed = &t
	}
	if a.Proposed != nil && a.Proposed.Start != "" {
		t := a.Proposed.StartTime()
		in.Proposed = &t
	}
	for _, l := range links {
		if l.Status == "active" {
			in.ActiveLinks++
		}
	}
	for _, ac := range acts {
		if ac.Start == nil || ac.Start.Start == "" {
			continue
		}
		va := vitality.Activity{Start: ac.Start.StartTime(), Direction: ac.Direction, Domains: ac.Domains,
			Outputs: len(ac.Outputs), Institutions: len(ac.Institutions)}
		if ac.End != nil && ac.End.End != "" {
			t := ac.End.EndTime()
			va.End = &t
		}
		for _, n := range ac.Participants {
			va.Participants += n
		}
		in.Activities = append(in.Activities, va)
	}
	return in
}
