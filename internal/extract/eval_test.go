package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// nlpDir returns $TWINNING_NLP_DATA or skips the test.
func nlpDir(t testing.TB) string {
	dir := os.Getenv("TWINNING_NLP_DATA")
	if dir == "" {
		t.Skip("TWINNING_NLP_DATA is not set: set it to the directory holding peyma/ and parstwiner/ (e.g. ../shared/data/nlp) to run the NER evaluation")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("TWINNING_NLP_DATA=%s is missing: %v", dir, err)
	}
	return dir
}

// TestEvalNER scores location mentions on PEYMA and ParsTwiNER (all splits;
// tuning used only train and dev). Run:
//
//	TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestEvalNER -v
//
// With TWINNING_EVAL_ERRORS=train (or dev) it also lists the most frequent
// errors of that split, for tuning.
func TestEvalNER(t *testing.T) {
	dir := nlpDir(t)
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	scores, err := Evaluate(dir, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	FormatEval(&b, scores)
	t.Log("\n" + b.String())
	if split := os.Getenv("TWINNING_EVAL_ERRORS"); split == "train" || split == "dev" {
		for _, c := range evalCorpora {
			f, err := os.Open(filepath.Join(dir, c.name, split+".txt"))
			if err != nil {
				continue
			}
			errs := map[string]int{}
			evalFile(f, c.sep, c.b, c.i, g, errs)
			f.Close()
			type kv struct {
				k string
				v int
			}
			var list []kv
			for k, v := range errs {
				list = append(list, kv{k, v})
			}
			sort.Slice(list, func(i, j int) bool { return list[i].v > list[j].v })
			var e strings.Builder
			for i, x := range list {
				if i >= 150 {
					break
				}
				fmt.Fprintf(&e, "%d %s\n", x.v, x.k)
			}
			t.Logf("%s/%s errors:\n%s", c.name, split, e.String())
		}
	}
	for _, s := range scores {
		if s.Gold > 0 && s.F1 < 0.3 {
			t.Errorf("%s/%s: F1 %.3f is far below what the extractor reached when it was written", s.Corpus, s.Split, s.F1)
		}
	}
}
