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
// tuned on a held-out fifth of it and on ParsTwiNER dev only; PEYMA is
// never trained or tuned on). Run:
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

// TestTuneTagger chooses the tagger's options without PEYMA: it trains on
// the first four fifths of ParsTwiNER's training split and scores the
// tagger alone and the whole extraction on the last fifth (held out) and on
// ParsTwiNER dev. TWINNING_TAGGER_TUNE is a grid such as
// "epochs=8,16;prune=0.05;mincount=1,2" (options not named keep
// DefaultTrainOptions). Run:
//
//	TWINNING_TAGGER_TUNE="epochs=8,16" TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestTuneTagger -v
func TestTuneTagger(t *testing.T) {
	t.Parallel()
	spec := os.Getenv("TWINNING_TAGGER_TUNE")
	if spec == "" {
		t.Skip("TWINNING_TAGGER_TUNE is not set")
	}
	g, fit, held, dev, places := tuningSets(t)
	if os.Getenv("TWINNING_TAGGER_NOPLACES") != "" {
		places = nil
	}
	grid := []TrainOptions{DefaultTrainOptions}
	for _, part := range strings.Split(spec, ";") {
		name, vals, _ := strings.Cut(part, "=")
		var next []TrainOptions
		for _, o := range grid {
			for _, v := range strings.Split(vals, ",") {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("%s: %v", part, err)
				}
				switch strings.TrimSpace(name) {
				case "epochs":
					o.Epochs = int(f)
				case "prune":
					o.Prune = f
				case "mincount":
					o.MinCount = int(f)
				case "seed":
					o.Seed = uint64(f)
				default:
					t.Fatalf("unknown option %q", name)
				}
				next = append(next, o)
			}
		}
		grid = next
	}
	type run struct {
		o       TrainOptions
		ablated uint64
	}
	var runs []run
	for _, o := range grid {
		runs = append(runs, run{o: o})
		for _, a := range strings.Split(os.Getenv("TWINNING_TAGGER_ABLATE"), ",") {
			if n, err := strconv.Atoi(a); err == nil {
				runs = append(runs, run{o, 1 << uint(n)})
			}
		}
	}
	for _, r := range runs {
		o := r.o
		ablated = r.ablated
		m := trainModel(fit, g, o, places)
		var buf bytes.Buffer
		if err := writeModel(&buf, m); err != nil {
			t.Fatal(err)
		}
		tg, err := readModel(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if path := os.Getenv("TWINNING_TAGGER_SAVE"); path != "" {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		variants := strings.Split(os.Getenv("TWINNING_NER_VARIANTS"), "|")
		for _, v := range variants {
			restore := setNERVariant(t, v)
			line := fmt.Sprintf("%+v ablated %x size %d features %d ner %q\n", o, r.ablated, buf.Len(), len(m.weights), v)
			for _, part := range []struct {
				name  string
				sents []corpusSentence
			}{{"held-out", held}, {"dev", dev}} {
				line += fmt.Sprintf("  %-8s tagger:", part.name)
				for _, s := range taggerOnlyScores(part.sents, g, tg) {
					line += fmt.Sprintf(" %s %.3f (%.3f/%.3f)", s.Type, s.F1, s.Precision, s.Recall)
				}
				line += "  extraction:"
				for _, s := range evalSents(part.sents, g, tg, nil) {
					line += fmt.Sprintf(" %s %.3f (P %.3f R %.3f)", s.Type, s.F1, s.Precision, s.Recall)
				}
				line += "\n"
			}
			t.Log(line)
			restore()
		}
		ablated = 0
	}
}

// setNERVariant sets the combination's options ("placeMargin=0,doubtO=0")
// and returns a function that restores them.
func setNERVariant(t *testing.T, spec string) func() {
	saved := []any{placeMargin, orgMargin, perMargin, doubtO, demoteOrg, demotePer, demoteWhole, cueInSpan, preferKnown, locOverPrefix}
	for _, kv := range strings.Split(spec, ",") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s: %v", kv, err)
		}
		switch k {
		case "placeMargin":
			placeMargin = f
		case "orgMargin":
			orgMargin = f
		case "perMargin":
			perMargin = f
		case "doubtO":
			doubtO = f != 0
		case "demoteOrg":
			demoteOrg = f != 0
		case "demotePer":
			demotePer = f != 0
		case "locOverPrefix":
			locOverPrefix = f != 0
		case "preferKnown":
			preferKnown = f != 0
		case "cueInSpan":
			cueInSpan = f != 0
		case "demoteWhole":
			demoteWhole = f != 0
		default:
			t.Fatalf("unknown variant %q", k)
		}
	}
	return func() {
		placeMargin, orgMargin, perMargin = saved[0].(float64), saved[1].(float64), saved[2].(float64)
		doubtO, demoteOrg, demotePer, demoteWhole = saved[3].(bool), saved[4].(bool), saved[5].(bool), saved[6].(bool)
		cueInSpan, preferKnown, locOverPrefix = saved[7].(bool), saved[8].(bool), saved[9].(bool)
	}
}

// tuningSets reads what every tuning test chooses on, never PEYMA: the gazetteer, ParsTwiNER's
// training split cut into its first four fifths (to train on) and its last fifth (held out),
// ParsTwiNER dev, and the names of Iran's places.
func tuningSets(t *testing.T) (g *BundleGazetteer, fit, held, dev []corpusSentence, places map[string]uint8) {
	t.Helper()
	dir := nlpDir(t)
	g, train := trainSplit(t)
	var err error
	if dev, err = readCorpusFile(filepath.Join(dir, "parstwiner", "dev.txt"), "\t"); err != nil {
		t.Fatal(err)
	}
	if places, err = readIranPlaces(iranPlacesDir(dir)); err != nil {
		t.Fatal(err)
	}
	cut := len(train) * 4 / 5
	return g, train[:cut], train[cut:], dev, places
}

// trainSplit reads the gazetteer and ParsTwiNER's training split.
func trainSplit(t *testing.T) (*BundleGazetteer, []corpusSentence) {
	t.Helper()
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	train, err := readCorpusFile(filepath.Join(nlpDir(t), "parstwiner", "train.txt"), "\t")
	if err != nil {
		t.Fatal(err)
	}
	return g, train
}

// seedTagger trains the tagger on fit with DefaultTrainOptions and seed,
// and reads the model back as the embedded one is read.
func seedTagger(t *testing.T, fit []corpusSentence, g Gazetteer, seed uint64, places map[string]uint8) *tagger {
	t.Helper()
	o := DefaultTrainOptions
	o.Seed = seed
	var buf bytes.Buffer
	if err := writeModel(&buf, trainModel(fit, g, o, places)); err != nil {
		t.Fatal(err)
	}
	tg, err := readModel(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// envSeeds reads the comma-separated seeds of the environment variable
// name, or returns def when it is not set.
func envSeeds(t *testing.T, name string, def ...uint64) []uint64 {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	var seeds []uint64
	for _, x := range strings.Split(v, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(x), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, n)
	}
	return seeds
}
