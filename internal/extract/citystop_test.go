package extract

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The thresholds of faCityStopTrain (lex.go): a word is listed when the
// rules read it as a one-word city, without a cue word before it, at least
// cityStopMinCount times in ParsTwiNER's training split and the corpus
// takes it for (part of) a place's or an organisation's name in less than
// cityStopMaxLoc of those readings. Chosen with TestTuneCityStop on the
// held-out fifth of the training split and on ParsTwiNER dev: the best
// location F1 of both, mean of seeds 17, 1, 2 and 3, over n = 2, 3, 5, 8
// and x = 0.2, 0.34, 0.5 (2026-12-05; all within 0.5 point, the seeds'
// noise).
const (
	cityStopMinCount = 5
	cityStopMaxLoc   = 0.34
)

// stopCount is how the rules read a word as a city on its own (one word,
// no cue word before it) in a corpus split: how many times, and what the
// corpus takes that token for: a place on its own, part of a longer place,
// (part of) an organisation's or a person's name, or nothing.
type stopCount struct {
	n, loc, locIn, org, per int
	forms                   map[string]int // how the corpus writes the word
}

// form is the corpus's most frequent spelling of the word.
func (c *stopCount) form() string { return mostFrequent(c.forms) }

// mostFrequent is the most frequent of forms, the first in order on a tie.
func mostFrequent(forms map[string]int) string {
	best := ""
	for f, n := range forms {
		if n > forms[best] || n == forms[best] && f < best {
			best = f
		}
	}
	return best
}

// named is how many of the readings the corpus takes for (part of) the
// name of a place or an organisation.
func (c *stopCount) named() int { return c.loc + c.locIn + c.org }

// cityStopCounts runs the rules' place pass over sents without the stop
// list and counts, for each word the rules read as a one-word city without
// a cue word before it, what the corpus tags its token.
func cityStopCounts(sents []corpusSentence, g Gazetteer) map[string]*stopCount {
	out := map[string]*stopCount{}
	for _, s := range sents {
		text, starts := joinTokens(s.toks)
		ex := newExtractor(text, g, Options{Lang: "fa"})
		ex.noCityStop = true
		ex.findPlaces()
		for _, m := range ex.mentions {
			if m.kind != mCity || m.b-m.a != 1 || ex.cueBefore(m.a) || ex.d.words[m.a].latin {
				continue
			}
			if tok := tokenOf(ex.d, m.a, s, starts); tok >= 0 {
				countReading(out, ex.d.words[m.a].key, s, tok)
			}
		}
	}
	return out
}

// deriveCityStop applies the thresholds to the counts.
func deriveCityStop(counts map[string]*stopCount, minCount int, maxLoc float64) map[string]bool {
	out := map[string]bool{}
	for k, c := range counts {
		if c.n >= minCount && float64(c.named()) < maxLoc*float64(c.n) {
			out[k] = true
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestCityStopDerived re-derives faCityStopTrain from ParsTwiNER's
// training split and checks that lex.go lists exactly those words; it logs
// each word with its counts (-v), so anyone can see why it is there. Run:
//
//	TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestCityStopDerived -v
func TestCityStopDerived(t *testing.T) {
	t.Parallel()
	g, train := trainSplit(t)
	counts := cityStopCounts(train, g)
	want := deriveCityStop(counts, cityStopMinCount, cityStopMaxLoc)
	for k := range faCityStopCategories {
		delete(want, k) // listed by category already
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ParsTwiNER train: words read as a one-word city >= %d times (no cue before), (part of) a place's or organisation's name in < %.0f%% of them:\n", cityStopMinCount, cityStopMaxLoc*100)
	fmt.Fprintln(&b, "word\treadings\tplace\tin a place\torganisation\tperson")
	for _, k := range sortedKeys(want) {
		c := counts[k]
		fmt.Fprintf(&b, "%s\t%d\t%d\t%d\t%d\t%d\n", c.form(), c.n, c.loc, c.locIn, c.org, c.per)
	}
	t.Log("\n" + b.String())
	diffLists(t, "faCityStopTrain", faCityStopTrain, want, func(k string) string { return counts[k].form() })
	// The categories are written down whole, not drawn from any corpus.
	for k := range faCityStopCategories {
		if faCityStopTrain[k] {
			continue
		}
		if !faCityStop[k] {
			t.Errorf("%s: a category word is not in faCityStop", k)
		}
	}
	for k := range faCityStop {
		if !faCityStopTrain[k] && !faCityStopCategories[k] {
			t.Errorf("%s is in faCityStop without a source", k)
		}
	}
}

// TestTuneCityStop chooses cityStopMinCount and cityStopMaxLoc without
// PEYMA: for each pair of a grid such as "n=2,3,5;x=0.2,0.34,0.5" it derives
// the list from the first four fifths of ParsTwiNER's training split,
// trains the tagger on them with that list, and scores the extraction on
// the last fifth (held out) and on ParsTwiNER dev. Run:
//
//	TWINNING_CITYSTOP_TUNE="n=2,3,5;x=0.2,0.34,0.5" TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestTuneCityStop -v -timeout 2h
func TestTuneCityStop(t *testing.T) {
	spec := os.Getenv("TWINNING_CITYSTOP_TUNE")
	if spec == "" {
		t.Skip("TWINNING_CITYSTOP_TUNE is not set")
	}
	g, fit, held, dev, places := tuningSets(t)
	counts := cityStopCounts(fit, g)
	var ns []int
	var xs []float64
	for _, part := range strings.Split(spec, ";") {
		name, vals, _ := strings.Cut(part, "=")
		for _, v := range strings.Split(vals, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatalf("%s: %v", part, err)
			}
			switch strings.TrimSpace(name) {
			case "n":
				ns = append(ns, int(f))
			case "x":
				xs = append(xs, f)
			default:
				t.Fatalf("unknown option %q", name)
			}
		}
	}
	saved := faCityStop
	defer func() { faCityStop = saved }()
	type grid struct {
		n int
		x float64
	}
	runs := []grid{{-1, 0}} // categories only
	for _, n := range ns {
		for _, x := range xs {
			runs = append(runs, grid{n, x})
		}
	}
	if cityStopCompare != nil {
		runs = append(runs, grid{-2, 0}) // another list, for comparison
	}
	seeds := envSeeds(t, "TWINNING_CITYSTOP_SEEDS", DefaultTrainOptions.Seed)
	for _, r := range runs {
		list := map[string]bool{}
		switch r.n {
		case -2:
			list = cityStopCompare
		case -1:
			list = unionSets(faCityStopCategories)
		default:
			list = unionSets(deriveCityStop(counts, r.n, r.x), faCityStopCategories)
		}
		faCityStop = list
		line := fmt.Sprintf("n=%d x=%.2f words=%d", r.n, r.x, len(list))
		var sum [2]float64
		for _, seed := range seeds {
			tg := seedTagger(t, fit, g, seed, places)
			line += fmt.Sprintf("\n  seed %d", seed)
			for p, part := range []struct {
				name  string
				sents []corpusSentence
			}{{"held-out", held}, {"dev", dev}} {
				line += fmt.Sprintf("  %s:", part.name)
				for _, s := range evalSents(part.sents, g, tg, nil) {
					line += fmt.Sprintf(" %s %.3f (P %.3f R %.3f)", s.Type, s.F1, s.Precision, s.Recall)
					if s.Type == "LOC" {
						sum[p] += s.F1
					}
				}
			}
		}
		line += fmt.Sprintf("\n  mean location F1 over %d seeds: held-out %.4f dev %.4f", len(seeds), sum[0]/float64(len(seeds)), sum[1]/float64(len(seeds)))
		t.Log(line)
	}
}

// cityStopCompare, when set, is a list TestTuneCityStop also scores.
var cityStopCompare map[string]bool
