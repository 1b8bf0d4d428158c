package extract

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// EvalScore is the exact-span score of one kind of mention (LOC, ORG or
// PER) on one corpus split.
type EvalScore struct {
	Corpus    string  `json:"corpus"`
	Split     string  `json:"split"`
	Type      string  `json:"type"` // LOC, ORG, PER
	Sentences int     `json:"sentences"`
	Gold      int     `json:"gold"`
	Predicted int     `json:"predicted"`
	Correct   int     `json:"correct"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// evalCorpora are the NER corpora Evaluate reads from its directory: PEYMA
// (token|TAG, B_LOC/I_LOC) and ParsTwiNER (token<TAB>tag, B-LOC/I-LOC).
var evalCorpora = []struct {
	name, sep string
}{
	{"peyma", "|"},
	{"parstwiner", "\t"},
}

// evalTypes are the kinds of mention scored, in the order of their tagger tags.
var evalTypes = []string{"LOC", "ORG", "PER"}

// Evaluate scores the extractor against the annotations of the NER corpora
// under dir (dir/peyma/{train,dev,test}.txt, dir/parstwiner/{train,dev,test}.txt;
// missing files are skipped): locations (cities, countries and other places:
// every mention, name mentions excluded), organisations (institutions) and
// people (the name of each person). Each sentence is the corpus tokens
// joined by spaces; a prediction counts when it starts at a token's start
// and ends at a token's end exactly as an annotated span. splits selects
// splits (nil: all).
func Evaluate(dir string, g Gazetteer, splits []string) ([]EvalScore, error) {
	return evaluateWith(dir, g, splits, defaultTagger(), nil)
}

func evaluateWith(dir string, g Gazetteer, splits []string, tg *tagger, corpora []string) ([]EvalScore, error) {
	if len(splits) == 0 {
		splits = []string{"train", "dev", "test"}
	}
	var out []EvalScore
	for _, c := range evalCorpora {
		if len(corpora) > 0 && !contains(corpora, c.name) {
			continue
		}
		for _, split := range splits {
			path := filepath.Join(dir, c.name, split+".txt")
			f, err := os.Open(path)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			sc, err := evalFile(f, c.sep, g, tg, nil)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			for i := range sc {
				sc[i].Corpus, sc[i].Split = c.name, split
			}
			out = append(out, sc...)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no corpus found under %s (expected peyma/*.txt or parstwiner/*.txt)", dir)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// evalFile scores one file, one score per type. errs, when not nil,
// receives the false positives and false negatives by type and surface form
// (for tuning on train and dev).
func evalFile(r io.Reader, sep string, g Gazetteer, tg *tagger, errs map[string]int) ([]EvalScore, error) {
	sents, err := readCorpus(r, sep)
	if err != nil {
		return nil, err
	}
	return evalSents(sents, g, tg, errs), nil
}

// evalSents scores corpus sentences, one score per type.
func evalSents(sents []corpusSentence, g Gazetteer, tg *tagger, errs map[string]int) []EvalScore {
	s := make([]EvalScore, len(evalTypes))
	for i := range s {
		s[i].Type = evalTypes[i]
		s[i].Sentences = len(sents)
	}
	for _, cs := range sents {
		scoreSentence(s, cs.toks, cs.tags, g, tg, errs)
	}
	for i := range s {
		s[i].Precision, s[i].Recall, s[i].F1 = prf(s[i].Correct, s[i].Predicted, s[i].Gold)
	}
	return s
}

func prf(correct, predicted, gold int) (p, r, f float64) {
	if predicted > 0 {
		p = float64(correct) / float64(predicted)
	}
	if gold > 0 {
		r = float64(correct) / float64(gold)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// tokenBounds joins a corpus sentence's tokens into text and maps each
// token's first byte to its index and each token's end to the index after
// it.
func tokenBounds(toks []string) (text string, starts, ends map[int]int) {
	text, st := joinTokens(toks)
	starts = make(map[int]int, len(toks))
	ends = make(map[int]int, len(toks))
	for k, t := range toks {
		starts[st[k]] = k
		ends[st[k]+len(t)] = k + 1
	}
	return text, starts, ends
}

// eachMention calls f with every mention in res and the index of its type
// in evalTypes: places (cities, countries, other places) 0, institutions 1,
// people's names 2.
func eachMention(res *Result, f func(ti int, ev Evidence)) {
	for _, c := range res.Cities {
		for _, m := range c.Mentions {
			f(0, m)
		}
	}
	for _, c := range res.Countries {
		for _, m := range c.Mentions {
			f(0, m)
		}
	}
	for _, p := range res.Places {
		for _, m := range p.Mentions {
			f(0, m)
		}
	}
	for _, in := range res.Institutions {
		f(1, in.Evidence)
	}
	for _, p := range res.People {
		if p.NameEvidence != nil {
			f(2, *p.NameEvidence)
		}
	}
}

func scoreSentence(s []EvalScore, toks, tags []string, g Gazetteer, tg *tagger, errs map[string]int) {
	text, starts, ends := tokenBounds(toks)
	gold := make([]map[[2]int]bool, len(evalTypes))
	pred := make([]map[[2]int]bool, len(evalTypes))
	for ti := range evalTypes {
		gold[ti], pred[ti] = map[[2]int]bool{}, map[[2]int]bool{}
	}
	for k := 0; k < len(tags); k++ {
		t := tagOf(tags[k])
		if t != tBLoc && t != tBOrg && t != tBPer {
			continue
		}
		e := k + 1
		for e < len(tags) && tagOf(tags[e]) == t+1 {
			e++
		}
		gold[(t-1)/2][[2]int{k, e}] = true
	}
	eachMention(extractWith(text, g, Options{Lang: "fa"}, tg), func(ti int, ev Evidence) {
		a, ok1 := starts[ev.Start]
		e, ok2 := ends[ev.End]
		if !ok1 || !ok2 {
			pred[ti][[2]int{-ev.Start - 1, -ev.End - 1}] = true // misaligned: a sure miss
			if errs != nil {
				errs[evalTypes[ti]+" FP-misaligned "+ev.Text]++
			}
			return
		}
		pred[ti][[2]int{a, e}] = true
	})
	for ti := range evalTypes {
		s[ti].Gold += len(gold[ti])
		s[ti].Predicted += len(pred[ti])
		for sp := range pred[ti] {
			if gold[ti][sp] {
				s[ti].Correct++
			} else if errs != nil && sp[0] >= 0 {
				errs[evalTypes[ti]+" FP "+strings.Join(toks[sp[0]:sp[1]], " ")]++
			}
		}
		if errs != nil {
			for sp := range gold[ti] {
				if !pred[ti][sp] {
					errs[evalTypes[ti]+" FN "+strings.Join(toks[sp[0]:sp[1]], " ")]++
				}
			}
		}
	}
}

// FormatEval writes scores as a Markdown table.
func FormatEval(w io.Writer, scores []EvalScore) {
	fmt.Fprintln(w, "| corpus | split | type | sentences | gold | predicted | correct | precision | recall | F1 |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].Corpus < scores[j].Corpus })
	for _, s := range scores {
		fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %d | %d | %.3f | %.3f | %.3f |\n", s.Corpus, s.Split, s.Type, s.Sentences,
			s.Gold, s.Predicted, s.Correct, s.Precision, s.Recall, s.F1)
	}
}
