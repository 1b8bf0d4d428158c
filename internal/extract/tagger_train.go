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

// TrainOptions are the tagger's hyper-parameters, chosen on a held-out
// fifth of ParsTwiNER's training split and its dev split (never on PEYMA,
// which has no licence from its authors and is used to evaluate only).
type TrainOptions struct {
	Epochs   int     // passes over the training split
	MinCount int     // features seen fewer times in training are not learned
	Prune    float64 // features whose largest averaged weight is below this are dropped
	Seed     uint64  // the shuffling seed
}

// DefaultTrainOptions are the options the embedded model was trained with.
var DefaultTrainOptions = TrainOptions{Epochs: 24, MinCount: 2, Prune: 0.05, Seed: 17}

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
// the token it lies in, B only for the token's first word. tg, when not
// nil, gives the word lists of the model.
func prepareExample(s corpusSentence, g Gazetteer, tg *tagger) example {
	text, starts := joinTokens(s.toks)
	ex := newExtractor(text, g, Options{Lang: "fa"})
	ex.tg = tg
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
	// A sentence the corpus split may be several for the analyser, and a
	// corpus may follow one kind's B with another kind's I: the BIO reading
	// must be well formed.
	for i := range gold {
		t := int(gold[i])
		if t != tILoc && t != tIOrg && t != tIPer {
			continue
		}
		if i == 0 || d.words[i].sent != d.words[i-1].sent || !allowed(int(gold[i-1]), t) {
			gold[i] = int8(t - 1)
		}
	}
	return example{info: ex.tagInfo(), d: d, gold: gold}
}

// TrainTagger trains the tagger on dir/parstwiner/train.txt and writes the
// model. The result depends only on the data, the gazetteer, the package's
// rules and o: the examples are read in file order and shuffled with a
// fixed seed, the training is sequential integer arithmetic, and the model
// file is written in a canonical order, so retraining gives the same bytes.
func TrainTagger(dir string, g Gazetteer, o TrainOptions, w io.Writer) error {
	sents, err := readCorpusFile(filepath.Join(dir, "parstwiner", "train.txt"), "\t")
	if err != nil {
		return err
	}
	places, err := readIranPlaces(iranPlacesDir(dir))
	if err != nil {
		return err
	}
	m := trainModel(sents, g, o, places)
	m.zwnj = zwnjLexicon(sents)
	return writeModel(w, m)
}

// readCorpusFile reads a corpus file; it must hold sentences.
func readCorpusFile(path, sep string) ([]corpusSentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sents, err := readCorpus(f, sep)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(sents) == 0 {
		return nil, fmt.Errorf("%s: no sentences", path)
	}
	return sents, nil
}

// iranPlacesDir is where TrainTagger finds Iran's gazetteer: beside the
// NER corpora's folder, as in the project's data folder (nlp/ and
// gazetteer/iran/).
func iranPlacesDir(nlpDir string) string {
	return filepath.Join(nlpDir, "..", "gazetteer", "iran")
}

// trainModel learns the weights.
func trainModel(sents []corpusSentence, g Gazetteer, o TrainOptions, places map[string]uint8) *model {
	m := &model{places: places}
	tg := m.featureTagger()
	exs := make([]example, len(sents))
	for i, s := range sents {
		exs[i] = prepareExample(s, g, tg)
	}
	trainPerceptron(exs, o, m)
	return m
}

// featureTagger is a tagger without weights that holds the model's word
// lists, for computing features while training.
func (m *model) featureTagger() *tagger {
	tg := &tagger{}
	tg.setPlaces(m.places)
	return tg
}

// trainPerceptron runs the structured averaged perceptron: each sentence is
// decoded with Viterbi under the current weights and, where the best
// sequence differs from the gold one, the gold sequence's features and
// transitions gain one and the predicted ones lose one. The returned
// weights are the average over every step (Daumé's trick: w − u/c).
func trainPerceptron(exs []example, o TrainOptions, m *model) {
	// Intern the features: every word gets the indices of its features.
	index := map[uint64]int32{}
	var keys []uint64
	var counts []int32
	sf := make([]sentFeats, len(exs))
	buf := make([]uint64, 0, 64)
	for x := range exs {
		e := &exs[x]
		s := &sf[x]
		s.off = make([]int32, len(e.d.words)+1)
		for i := range e.d.words {
			buf = staticFeats(e.d, e.info, i, buf[:0])
			for _, f := range buf {
				if f == 0 {
					f = 1
				}
				k, ok := index[f]
				if !ok {
					k = int32(len(keys))
					index[f] = k
					keys = append(keys, f)
					counts = append(counts, 0)
				}
				counts[k]++
				s.feats = append(s.feats, k)
			}
			s.off[i+1] = int32(len(s.feats))
		}
	}
	if o.MinCount > 1 {
		for x := range sf {
			s := &sf[x]
			kept := s.feats[:0]
			var off int32
			for i := 0; i+1 < len(s.off); i++ {
				for _, k := range s.feats[s.off[i]:s.off[i+1]] {
					if int(counts[k]) >= o.MinCount {
						kept = append(kept, k)
					}
				}
				s.off[i] = off
				off = int32(len(kept))
			}
			s.off[len(s.off)-1] = off
			s.feats = kept
		}
	}
	nF := len(keys)
	W, TW, U, TU, c := runPerceptron(exs, sf, nF, o)
	avg := func(w int32, u int64) float64 { return float64(w) - float64(u)/float64(c) }
	m.weights = make(map[uint64]*[nTags]float64, nF)
	for k, f := range keys {
		var row [nTags]float64
		keep := false
		for t := range row {
			row[t] = avg(W[k*nTags+t], U[k*nTags+t])
			if math.Abs(row[t]) >= o.Prune && row[t] != 0 {
				keep = true
			}
		}
		if keep {
			m.weights[f] = &row
		}
	}
	for p := range m.trans {
		for t := range m.trans[p] {
			m.trans[p][t] = avg(TW[p][t], TU[p][t])
		}
	}
}

// sentFeats are the interned features of an example's words.
type sentFeats struct {
	off   []int32 // word i's features are feats[off[i]:off[i+1]]
	feats []int32
}

// runPerceptron is one run of the structured perceptron over the examples
// in an order shuffled by o.Seed at each epoch. It returns the final weights w, the sums u
// of every update times its step and the number of steps c: the averaged
// weights are w − u/c.
func runPerceptron(exs []example, sf []sentFeats, nF int, o TrainOptions) (W []int32, TW [nTags + 1][nTags]int32, U []int64, TU [nTags + 1][nTags]int64, c int64) {
	W = make([]int32, nF*nTags)
	U = make([]int64, nF*nTags)
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed))
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	var em, alpha [][nTags]int32
	var bp [][nTags]int8
	var pred []int8
	c = 1
	for epoch := 0; epoch < o.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, x := range order {
			e, s := &exs[x], &sf[x]
			n := len(e.d.words)
			if cap(em) < n {
				em, alpha, bp, pred = make([][nTags]int32, n), make([][nTags]int32, n), make([][nTags]int8, n), make([]int8, n)
			}
			em, alpha, bp, pred = em[:n], alpha[:n], bp[:n], pred[:n]
			for i := 0; i < n; i++ {
				em[i] = [nTags]int32{}
				for _, k := range s.feats[s.off[i]:s.off[i+1]] {
					row := W[int(k)*nTags : int(k)*nTags+nTags]
					for t := range em[i] {
						em[i][t] += row[t]
					}
				}
			}
			for _, r := range e.d.sents {
				a, b := r[0], r[1]
				viterbi(em[a:b], &TW, pred[a:b], nil, alpha[a:b], nil, bp[a:b])
				gp, pp := nTags, nTags
				for i := a; i < b; i++ {
					g, p := int(e.gold[i]), int(pred[i])
					if g != p {
						for _, k := range s.feats[s.off[i]:s.off[i+1]] {
							W[int(k)*nTags+g]++
							U[int(k)*nTags+g] += c
							W[int(k)*nTags+p]--
							U[int(k)*nTags+p] -= c
						}
					}
					if g != p || gp != pp {
						TW[gp][g]++
						TU[gp][g] += c
						TW[pp][p]--
						TU[pp][p] -= c
					}
					gp, pp = g, p
				}
			}
			c++
		}
	}
	return W, TW, U, TU, c
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
