package extract

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// EvalScore is the exact-span score of location mentions on one corpus split.
type EvalScore struct {
	Corpus    string  `json:"corpus"`
	Split     string  `json:"split"`
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
	name, sep, b, i string
}{
	{"peyma", "|", "B_LOC", "I_LOC"},
	{"parstwiner", "\t", "B-LOC", "I-LOC"},
}

// Evaluate scores the extractor's location spans (cities, countries and other
// places: every mention) against the LOC annotations of the NER corpora under
// dir (dir/peyma/{train,dev,test}.txt, dir/parstwiner/{train,dev,test}.txt;
// missing files are skipped). Each sentence is the corpus tokens joined by
// spaces; a prediction counts when it starts at a token's start and ends at a
// token's end exactly as an annotated span. splits selects splits (nil: all).
func Evaluate(dir string, g Gazetteer, splits []string) ([]EvalScore, error) {
	if len(splits) == 0 {
		splits = []string{"train", "dev", "test"}
	}
	var out []EvalScore
	for _, c := range evalCorpora {
		for _, split := range splits {
			path := filepath.Join(dir, c.name, split+".txt")
			f, err := os.Open(path)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			s, err := evalFile(f, c.sep, c.b, c.i, g, nil)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			s.Corpus, s.Split = c.name, split
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no corpus found under %s (expected peyma/*.txt or parstwiner/*.txt)", dir)
	}
	return out, nil
}

// evalFile scores one file. errs, when not nil, receives the false positives
// and false negatives by surface form (for tuning on train and dev).
func evalFile(r io.Reader, sep, bTag, iTag string, g Gazetteer, errs map[string]int) (EvalScore, error) {
	var s EvalScore
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	var toks, tags []string
	flush := func() {
		if len(toks) == 0 {
			return
		}
		s.Sentences++
		scoreSentence(&s, toks, tags, bTag, iTag, g, errs)
		toks, tags = toks[:0], tags[:0]
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
		toks = append(toks, tok)
		tags = append(tags, strings.TrimSpace(line[k+len(sep):]))
	}
	flush()
	if err := sc.Err(); err != nil {
		return s, err
	}
	s.Precision, s.Recall, s.F1 = prf(s.Correct, s.Predicted, s.Gold)
	return s, nil
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

func scoreSentence(s *EvalScore, toks, tags []string, bTag, iTag string, g Gazetteer, errs map[string]int) {
	var b strings.Builder
	starts := make(map[int]int, len(toks))
	ends := make(map[int]int, len(toks))
	for k, t := range toks {
		if k > 0 {
			b.WriteByte(' ')
		}
		starts[b.Len()] = k
		b.WriteString(t)
		ends[b.Len()] = k + 1
	}
	text := b.String()
	gold := map[[2]int]bool{}
	for k := 0; k < len(tags); k++ {
		if tags[k] != bTag {
			continue
		}
		e := k + 1
		for e < len(tags) && tags[e] == iTag {
			e++
		}
		gold[[2]int{k, e}] = true
	}
	res := Extract(text, g, Options{Lang: "fa"})
	pred := map[[2]int]bool{}
	addEv := func(ev Evidence) {
		a, ok1 := starts[ev.Start]
		e, ok2 := ends[ev.End]
		if !ok1 || !ok2 {
			pred[[2]int{-ev.Start - 1, -ev.End - 1}] = true // misaligned: a sure miss
			if errs != nil {
				errs["FP-misaligned "+ev.Text]++
			}
			return
		}
		pred[[2]int{a, e}] = true
	}
	for _, c := range res.Cities {
		for _, m := range c.Mentions {
			addEv(m)
		}
	}
	for _, c := range res.Countries {
		for _, m := range c.Mentions {
			addEv(m)
		}
	}
	for _, p := range res.Places {
		for _, m := range p.Mentions {
			addEv(m)
		}
	}
	s.Gold += len(gold)
	s.Predicted += len(pred)
	for sp := range pred {
		if gold[sp] {
			s.Correct++
		} else if errs != nil && sp[0] >= 0 {
			errs["FP "+strings.Join(toks[sp[0]:sp[1]], " ")]++
		}
	}
	if errs != nil {
		for sp := range gold {
			if !pred[sp] {
				errs["FN "+strings.Join(toks[sp[0]:sp[1]], " ")]++
			}
		}
	}
}

// FormatEval writes scores as a Markdown table.
func FormatEval(w io.Writer, scores []EvalScore) {
	fmt.Fprintln(w, "| corpus | split | sentences | gold LOC | predicted | correct | precision | recall | F1 |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|")
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].Corpus < scores[j].Corpus })
	for _, s := range scores {
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %.3f | %.3f | %.3f |\n", s.Corpus, s.Split, s.Sentences,
			s.Gold, s.Predicted, s.Correct, s.Precision, s.Recall, s.F1)
	}
}
