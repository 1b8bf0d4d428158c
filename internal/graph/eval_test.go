package graph

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func reportTable(r EvalReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d nodes, %d edges; holdout %.2f (test %d queries, validation %d), seed %d\n",
		r.Nodes, r.Edges, r.Holdout, r.Test, r.Validation, r.Seed)
	for _, m := range r.Methods {
		fmt.Fprintf(&b, "  %-24s hits@%d %.4f  MRR %.4f\n", m.Method, r.K, m.HitsAtK, m.MRR)
	}
	fmt.Fprintf(&b, "  tuned weights %+v\n", r.Tuned)
	return b.String()
}

func TestEvaluateSynthetic(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	edges := syntheticEdges(rng, 1500, 2500)
	region := func(id int64) string { return fmt.Sprint((id - 1000) % 30) }
	r := Evaluate(edges, Features{Country: region}, 0.1, 1, 10)
	t.Log(reportTable(r))
	if r.Test == 0 || len(r.Methods) != 6 {
		t.Fatalf("report %+v", r)
	}
	for _, m := range r.Methods {
		if m.HitsAtK < 0 || m.HitsAtK > 1 || m.MRR <= 0 || m.MRR > 1 {
			t.Errorf("%s out of range: %+v", m.Method, m)
		}
	}
	byName := map[string]MethodScore{}
	for _, m := range r.Methods {
		byName[m.Method] = m
	}
	// The regions are real structure: using them must beat graph-only ranking.
	if byName[MethodSuggestTuned].MRR <= byName[MethodAdamicAdar].MRR {
		t.Errorf("tuned suggest MRR %.4f not above Adamic–Adar %.4f", byName[MethodSuggestTuned].MRR, byName[MethodAdamicAdar].MRR)
	}
	if again := Evaluate(edges, Features{Country: region}, 0.1, 1, 10); fmt.Sprint(again) != fmt.Sprint(r) {
		t.Error("same seed, different report")
	}
}

func TestHideEdgesKeepsDegree(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	edges := canonical(syntheticEdges(rng, 300, 500))
	kept, hidden := hideEdges(edges, 0.3, rng)
	if len(kept)+len(hidden) != len(edges) || len(hidden) == 0 {
		t.Fatalf("kept %d hidden %d of %d", len(kept), len(hidden), len(edges))
	}
	g := New(kept)
	for _, e := range hidden {
		if g.Degree(e.A) == 0 || g.Degree(e.B) == 0 {
			t.Fatalf("hidden edge %v leaves an endpoint without partners", e)
		}
	}
}

// TestEvaluateWorld evaluates on a TSV of edges named by
// TWINNING_EVAL_EDGES (two columns of ids or Q-ids), with the shared
// gazetteer's features when it is present.
func TestEvaluateWorld(t *testing.T) {
	t.Parallel()
	path := os.Getenv("TWINNING_EVAL_EDGES")
	if path == "" {
		t.Skip("set TWINNING_EVAL_EDGES=path/to/edges.tsv to evaluate suggestions on real data")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edges, err := LoadEdgesTSV(f)
	if err != nil {
		t.Fatal(err)
	}
	var feats Features
	if _, err := os.Stat(sharedDataDir()); err == nil {
		feats, _ = worldFeatures(t)
	}
	t.Log(reportTable(Evaluate(edges, feats, 0.1, 1, 10)))
}

// TestEvaluateSharedData evaluates on the shared Wikidata twinning graph
// with Natural Earth features; it skips without the shared folder.
func TestEvaluateSharedData(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("evaluation on real data skipped in -short mode")
	}
	edges := worldEdges(t)
	feats, n := worldFeatures(t)
	t.Logf("features for %d cities", n)
	t.Log(reportTable(Evaluate(edges, feats, 0.1, 1, 10)))
}

func sharedDataDir() string {
	if d := os.Getenv("TWINNING_SHARED_DATA"); d != "" {
		return d
	}
	return "../../../shared/data"
}
