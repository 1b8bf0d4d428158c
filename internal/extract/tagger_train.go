package extract

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/twinning/twinning/internal/persian"
)

// TrainOptions are the tagger's hyper-parameters, chosen on ParsTwiNER's
// dev split (never on PEYMA, which has no licence from its authors and is
// used to evaluate only).
type TrainOptions struct {
	Epochs int     // passes over the training split
	Prune  float64 // features whose largest averaged weight is below this are dropped
	Seed   uint64  // the shuffling seed
}

// DefaultTrainOptions are the options the embedded model was trained with.
var DefaultTrainOptions = TrainOptions{Epochs: 16, Prune: 0.05, Seed: 17}

// corpusSentence is one sentence of a NER corpus.
type corpusSentence struct {
	toks, tags []string
}

// readCorpus reads a CoNLL-style file: one token and its tag a line,
// separated by sep, and a blank line between sentences.
func readCorpus(r io.Reader, sep string) ([]corpusSentence, error) {
	var out []corpusSentence
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	var cur corpusSentence
	flush := func() {
		if len(cur.toks) > 0 {
			out = append(out, cur)
		}
		cur = corpusSentence{}
	}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		k := strings.LastIndex(line, sep)
		if k <= 0 {
			continue
		}
		tok := strings.TrimSpace(line[:k])
		if tok == "" {
			continue
		}
		cur.toks = append(cur.toks, tok)
		cur.tags = append(cur.tags, strings.TrimSpace(line[k+len(sep):]))
	}
	flush()
	return out, sc.Err()
}

// joinTokens joins a sentence's tokens with spaces and returns the byte
// offset where each token starts.
func joinTokens(toks []string) (string, []int) {
	var b strings.Builder
	starts := make([]int, len(toks))
	for k, t := range toks {
		if k > 0 {
			b.WriteByte(' ')
		}
		starts[k] = b.Len()
		b.WriteString(t)
	}
	return b.String(), starts
}

// example is a training sentence, analysed: its extractor state (for the
// features) and a gold tag per word.
type example struct {
	info []wordInfo
	d    *doc
	gold []int8
}

// prepareExample analyses a corpus sentence as Extract would (the rules'
// location mentions included) and labels its words: a word takes the tag of
// the token it lies in, B only for the token's first word.
func prepareExample(s corpusSentence, g Gazetteer) example {
	text, starts := joinTokens(s.toks)
	ex := newExtractor(text, g, Options{Lang: "fa"})
	ex.findPlaces()
	d := ex.d
	gold := make([]int8, len(d.words))
	tok := 0
	prevTok := -1
	for i, w := range d.words {
		for tok+1 < len(starts) && starts[tok+1] <= w.start {
			tok++
		}
		t := tagOf(s.tags[tok])
		if t != tO && tok == prevTok && (t == tBLoc || t == tBOrg || t == tBPer) {
			t++ // a later word of a B token
		}
		gold[i] = int8(t)
		prevTok = tok
	}
	// A sentence the corpus split may be several for the analyser; the BIO
	// reading must not start with an I.
	for i := range gold {
		if t := int(gold[i]); (t == tILoc || t == tIOrg || t == tIPer) && (i == 0 || d.words[i].sent != d.words[i-1].sent) {
			gold[i] = int8(t - 1)
		}
	}
	return example{info: ex.tagInfo(), d: d, gold: gold}
}

// TrainTagger trains the tagger on dir/parstwiner/train.txt and writes the
// model. The result depends only on the data, the gazetteer and o: the
// examples are read in file order and shuffled with a fixed seed, and the
// model file is written in a canonical order, so retraining gives the same
// bytes.
func TrainTagger(dir string, g Gazetteer, o TrainOptions, w io.Writer) error {
	path := filepath.Join(dir, "parstwiner", "train.txt")
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	sents, err := readCorpus(f, "\t")
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(sents) == 0 {
		return fmt.Errorf("%s: no sentences", path)
	}
	weights := trainPerceptron(sents, g, o)
	return writeModel(w, weights, zwnjLexicon(sents))
}

// trainPerceptron runs the averaged perceptron and returns the averaged,
// pruned weights.
func trainPerceptron(sents []corpusSentence, g Gazetteer, o TrainOptions) map[uint64]*[nTags]float64 {
	exs := make([]example, len(sents))
	for i, s := range sents {
		exs[i] = prepareExample(s, g)
	}
	type param struct {
		w, total [nTags]float64
		ts       [nTags]int
	}
	params := map[uint64]*param{}
	clock := 0
	update := func(f uint64, t int, v float64) {
		p := params[f]
		if p == nil {
			p = &param{}
			params[f] = p
		}
		p.total[t] += float64(clock-p.ts[t]) * p.w[t]
		p.ts[t] = clock
		p.w[t] += v
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed))
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	feats := make([]uint64, 0, 48)
	for epoch := 0; epoch < o.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, idx := range order {
			e := &exs[idx]
			for _, s := range e.d.sents {
				p1, p2 := 0, 0
				for i := s[0]; i < s[1]; i++ {
					clock++
					feats = staticFeats(e.d, e.info, i, feats[:0])
					feats = tagFeats(e.info[i].h, p1, p2, feats)
					var sc [nTags]float64
					for _, f := range feats {
						if p := params[f]; p != nil {
							for t := range sc {
								sc[t] += p.w[t]
							}
						}
					}
					best := -1
					for t := 0; t < nTags; t++ {
						if allowed(p1, t) && (best < 0 || sc[t] > sc[best]) {
							best = t
						}
					}
					gold := int(e.gold[i])
					if best != gold {
						for _, f := range feats {
							update(f, gold, 1)
							update(f, best, -1)
						}
					}
					p2, p1 = p1, best
				}
			}
		}
	}
	out := make(map[uint64]*[nTags]float64, len(params))
	for f, p := range params {
		var row [nTags]float64
		keep := false
		for t := range row {
			total := p.total[t] + float64(clock-p.ts[t])*p.w[t]
			row[t] = total / float64(clock)
			if math.Abs(row[t]) >= o.Prune {
				keep = true
			}
		}
		if keep {
			out[f] = &row
		}
	}
	return out
}

// zwnjLexicon collects the corpus's words written with a zero-width
// non-joiner (ParsTwiNER keeps them; PEYMA and many sites drop them): compact
// key → the most frequent spelling. names.go uses it to restore the
// half-spaces of names.
func zwnjLexicon(sents []corpusSentence) map[string]string {
	counts := map[string]map[string]int{}
	for _, s := range sents {
		for _, t := range s.toks {
			if !strings.ContainsRune(t, '\u200c') {
				continue
			}
			c := persian.Canonical(t)
			ok := true
			for _, r := range c {
				if r != '\u200c' && !unicode.Is(unicode.Arabic, r) {
					ok = false
					break
				}
			}
			if !ok || strings.HasPrefix(c, "\u200c") || strings.HasSuffix(c, "\u200c") {
				continue
			}
			k := persian.NameKey(c)
			if counts[k] == nil {
				counts[k] = map[string]int{}
			}
			counts[k][c]++
		}
	}
	out := make(map[string]string, len(counts))
	for k, m := range counts {
		var forms []string
		for f := range m {
			forms = append(forms, f)
		}
		sort.Slice(forms, func(i, j int) bool {
			if m[forms[i]] != m[forms[j]] {
				return m[forms[i]] > m[forms[j]]
			}
			return forms[i] < forms[j]
		})
		out[k] = forms[0]
	}
	return out
}
