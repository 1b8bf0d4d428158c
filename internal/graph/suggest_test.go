package graph

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

func TestSuggest(t *testing.T) {
	t.Parallel()
	g := silkRoad()
	g.Add(Edge{A: 6, B: 7}) // a far pair: Bratislava(6)–Vienna(7)
	country := map[int64]string{isfahan: "IR", xian: "CN", samarkand: "UZ", lahore: "PK", bukhara: "UZ", 6: "SK", 7: "AT", 8: "UZ"}
	f := Features{
		Country: func(id int64) string { return country[id] },
		Orgs: func(id int64) []string {
			if c := country[id]; c == "IR" || c == "UZ" || c == "PK" {
				return []string{"ECO"}
			}
			return nil
		},
		Heritage: func(id int64) bool { return id == isfahan || id == samarkand || id == bukhara },
	}
	got := g.Suggest(isfahan, f, 3)
	if len(got) == 0 || got[0].City != samarkand {
		t.Fatalf("Suggest(Isfahan) = %+v, want Samarkand first", got)
	}
	var cousins Reason
	codes := map[string]bool{}
	for _, r := range got[0].Reasons {
		codes[r.Code] = true
		if r.Code == ReasonCousins {
			cousins = r
		}
	}
	if !reflect.DeepEqual(cousins.Via, []int64{xian, lahore}) {
		t.Errorf("cousins reason %+v, want via Xi'an and Lahore", cousins)
	}
	for _, c := range []string{ReasonSharedOrg, ReasonHeritage} {
		if !codes[c] {
			t.Errorf("Samarkand's reasons lack %s: %+v", c, got[0].Reasons)
		}
	}
	for _, s := range got {
		if s.City == xian || s.City == lahore || s.City == isfahan {
			t.Errorf("suggested a partner or itself: %d", s.City)
		}
	}
	// A city without partners gets feature-only suggestions.
	alone := g.Suggest(8, f, 2)
	if len(alone) == 0 || alone[0].City != samarkand && alone[0].City != bukhara {
		t.Errorf("Suggest(new Uzbek city) = %+v", alone)
	}
	if n := len(g.Suggest(isfahan, f, 0)); n != 0 {
		t.Error("k=0 should give nothing")
	}
}

func TestLoadEdgesTSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []Edge
		err      bool
	}{
		{"q-ids with header", "from\tto\nQ42053\tQ5753\n# note\n\nQ5753\tQ42053\textra\n",
			[]Edge{{A: 42053, B: 5753}, {A: 5753, B: 42053}}, false},
		{"ints and urls", "1\t2\nhttp://www.wikidata.org/entity/Q3\t4\n", []Edge{{A: 1, B: 2}, {A: 3, B: 4}}, false},
		{"one column", "1\n", nil, true},
		{"bad later line", "1\t2\nx\ty\n", nil, true},
	}
	for _, tt := range tests {
		got, err := LoadEdgesTSV(strings.NewReader(tt.in))
		if (err != nil) != tt.err || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, %v; want %v (error %v)", tt.name, got, err, tt.want, tt.err)
		}
	}
}

// A suggester made once and asked about many cities, from several goroutines and in any order,
// answers each exactly as a ranking made afresh for that city: nothing of one query (scratch
// arrays, a source's country outside the graph) leaks into the next.
func TestSuggesterReuse(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	g := New(syntheticEdges(rng, 400, 900))
	countries := []string{"IR", "UZ", "DE", "FR", "CN"}
	f := Features{
		Country: func(id int64) string {
			if id == 100_000 {
				return "ZZ" // a country no city of the graph has
			}
			return countries[id%int64(len(countries))]
		},
		Coordinates: func(id int64) (float64, float64, bool) { return float64(id%90) - 45, float64(id%180) - 90, id%7 != 0 },
		Population:  func(id int64) (int64, bool) { return 1000 * (id%50 + 1), id%3 != 0 },
	}
	ids := append(g.Nodes()[:60], 100_000) // and a city outside the graph
	want := map[int64][]Suggestion{}
	for _, id := range ids {
		want[id] = g.SuggestWith(id, f, 8, DefaultWeights)
	}
	p := g.Suggester(f)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				id := ids[(i*7+w*13)%len(ids)]
				if got := p.Suggest(id, f, 8); !reflect.DeepEqual(got, want[id]) {
					t.Errorf("Suggester.Suggest(%d) = %+v, want %+v", id, got, want[id])
				}
			}
		}()
	}
	wg.Wait()
}

// The top k kept while scoring are the first k of every candidate sorted by score (ties: the
// smaller index), for every k.
func TestSuggestTopK(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	g := New(syntheticEdges(rng, 300, 700))
	f := Features{
		Coordinates: func(id int64) (float64, float64, bool) { return float64(id%90) - 45, float64(id%180) - 90, true },
		Population:  func(id int64) (int64, bool) { return 1000 * (id%5 + 1), true }, // many ties
	}
	s := g.Snapshot()
	tab := f.table(s)
	for _, id := range g.Nodes()[:20] {
		r := newRanker(s, tab)
		src, _ := s.index(id)
		r.query(src, tab.nodes[src])
		wv := DefaultWeights.vec()
		type sc struct {
			id    int64
			score float64
		}
		var all []sc
		for c := range int32(len(s.ids)) {
			if r.excluded(c) {
				continue
			}
			sig := r.signals(c)
			if v := dot(&wv, &sig); v > 0 {
				all = append(all, sc{s.ids[c], v})
			}
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
		for _, k := range []int{0, 1, 3, 10, 50, len(all) + 5} {
			got := g.Suggest(id, f, k)
			if len(got) != min(k, len(all)) {
				t.Fatalf("Suggest(%d, k=%d) gave %d, want %d", id, k, len(got), min(k, len(all)))
			}
			for i, sg := range got {
				if sg.City != all[i].id || sg.Score != all[i].score {
					t.Fatalf("Suggest(%d, k=%d)[%d] = %d (%g), want %d (%g)", id, k, i, sg.City, sg.Score, all[i].id, all[i].score)
				}
			}
		}
	}
}
