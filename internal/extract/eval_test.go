package extract

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// nlpDir returns $TWINNING_NLP_DATA or skips the test. A relative path is
// read from the repository's root as well as from the package's folder, so
// that the command below works from the root.
func nlpDir(t testing.TB) string {
	dir := os.Getenv("TWINNING_NLP_DATA")
	if dir == "" {
		t.Skip("TWINNING_NLP_DATA is not set: set it to the directory holding peyma/ and parstwiner/ (e.g. ../shared/data/nlp) to run the NER evaluation")
	}
	if _, err := os.Stat(dir); err != nil && !filepath.IsAbs(dir) {
		if _, err2 := os.Stat(filepath.Join("..", "..", dir)); err2 == nil {
			dir = filepath.Join("..", "..", dir)
		}
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("TWINNING_NLP_DATA=%s is missing: %v", dir, err)
	}
	return dir
}

// TestEvalNER scores locations, organisations and people on PEYMA and
// ParsTwiNER (all splits; the tagger was trained on ParsTwiNER train and
// tuned on ParsTwiNER dev only; PEYMA is never trained or tuned on). Run:
//
//	TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestEvalNER -v
//
// With TWINNING_EVAL_ERRORS=train (or dev) it also lists the most frequent
// errors of ParsTwiNER's split, for tuning.
func TestEvalNER(t *testing.T) {
	t.Parallel()
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
		f, err := os.Open(filepath.Join(dir, "parstwiner", split+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		errs := map[string]int{}
		evalFile(f, "\t", g, defaultTagger(), errs)
		f.Close()
		t.Logf("parstwiner/%s errors:\n%s", split, topErrors(errs, 200))
	}
	for _, s := range scores {
		if s.Gold > 0 && s.Type == "LOC" && s.F1 < 0.3 {
			t.Errorf("%s/%s: location F1 %.3f is far below what the extractor reached when it was written", s.Corpus, s.Split, s.F1)
		}
	}
}

func topErrors(errs map[string]int, n int) string {
	type kv struct {
		k string
		v int
	}
	var list []kv
	for k, v := range errs {
		list = append(list, kv{k, v})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].v > list[j].v || list[i].v == list[j].v && list[i].k < list[j].k })
	var e strings.Builder
	for i, x := range list {
		if i >= n {
			break
		}
		fmt.Fprintf(&e, "%d %s\n", x.v, x.k)
	}
	return e.String()
}

// TestTaggerReproducible retrains the tagger from ParsTwiNER's training split
// with DefaultTrainOptions and checks that it gives the embedded model byte
// for byte.
func TestTaggerReproducible(t *testing.T) {
	t.Parallel()
	dir := nlpDir(t)
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := TrainTagger(dir, g, DefaultTrainOptions, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), taggerModel) {
		t.Fatalf("retraining gave %d bytes that differ from the embedded tagger.bin.gz (%d bytes): run go generate ./internal/extract", buf.Len(), len(taggerModel))
	}
}

// TestTuneTagger chooses the tagger's epochs and pruning on ParsTwiNER dev:
// TWINNING_TAGGER_TUNE="epochs,epochs,...;prune,prune,..." prints F1 per type
// for each combination. PEYMA is not read.
func TestTuneTagger(t *testing.T) {
	t.Parallel()
	spec := os.Getenv("TWINNING_TAGGER_TUNE")
	if spec == "" {
		t.Skip("TWINNING_TAGGER_TUNE is not set")
	}
	dir := nlpDir(t)
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	ep, pr, _ := strings.Cut(spec, ";")
	f, err := os.Open(filepath.Join(dir, "parstwiner", "train.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sents, err := readCorpus(f, "\t")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range strings.Split(ep, ",") {
		for _, p := range strings.Split(pr, ",") {
			o := DefaultTrainOptions
			o.Epochs, _ = strconv.Atoi(e)
			o.Prune, _ = strconv.ParseFloat(p, 64)
			var buf bytes.Buffer
			if err := writeModel(&buf, trainPerceptron(sents, g, o), nil); err != nil {
				t.Fatal(err)
			}
			tg, err := readModel(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			scores, err := evaluateWith(dir, g, []string{"dev"}, tg, []string{"parstwiner"})
			if err != nil {
				t.Fatal(err)
			}
			line := fmt.Sprintf("epochs %d prune %.3f size %d:", o.Epochs, o.Prune, buf.Len())
			for _, s := range scores {
				line += fmt.Sprintf(" %s %.3f (P %.3f R %.3f)", s.Type, s.F1, s.Precision, s.Recall)
			}
			t.Log(line)
		}
	}
}
