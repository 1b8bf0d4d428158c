package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/twinning/twinning/internal/persian"
)

// predSpan is one predicted mention in corpus tokens (a, b) or, when its
// offsets fall inside tokens, in bytes (misaligned).
type predSpan struct {
	ti         int // 0 LOC, 1 ORG, 2 PER
	a, b       int // tokens; -1 when misaligned
	start, end int // bytes
}

// predictions runs the extractor on a corpus sentence and returns its
// mentions.
func predictions(toks []string, g Gazetteer, tg *tagger) []predSpan {
	text, starts, ends := tokenBounds(toks)
	var out []predSpan
	eachMention(extractWith(text, g, Options{Lang: "fa"}, tg), func(ti int, ev Evidence) {
		p := predSpan{ti: ti, a: -1, b: -1, start: ev.Start, end: ev.End}
		a, ok1 := starts[ev.Start]
		e, ok2 := ends[ev.End]
		if ok1 && ok2 {
			p.a, p.b = a, e
		}
		out = append(out, p)
	})
	return out
}

// goldSpans reads the corpus tags as spans of every kind (LOC, ORG, PER,
// NAT, EVE, POG, ...).
func goldSpans(tags []string) []struct {
	kind string
	a, b int
} {
	var out []struct {
		kind string
		a, b int
	}
	for k := 0; k < len(tags); k++ {
		t := strings.Replace(tags[k], "_", "-", 1)
		if !strings.HasPrefix(t, "B-") {
			continue
		}
		kind := t[2:]
		e := k + 1
		for e < len(tags) && strings.Replace(tags[e], "_", "-", 1) == "I-"+kind {
			e++
		}
		out = append(out, struct {
			kind string
			a, b int
		}{kind, k, e})
	}
	return out
}

// TestLocBreakdown breaks the location errors on a ParsTwiNER split down
// into boundary errors, type confusions, misses and false alarms, and
// describes the gold tokens that are missed (ZWNJ, Arabic yeh/kaf,
// attached punctuation or clitics). Run:
//
//	TWINNING_EVAL_BREAKDOWN=dev TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestLocBreakdown -v
func TestLocBreakdown(t *testing.T) {
	split, sents, g, tg := breakdownSetup(t)
	counts := map[string]int{}
	examples := map[string][]string{}
	note := func(cat, ex string) {
		counts[cat]++
		if len(examples[cat]) < 25 {
			examples[cat] = append(examples[cat], ex)
		}
	}
	tokNotes := map[string]int{}
	for _, s := range sents {
		preds := predictions(s.toks, g, tg)
		gold := goldSpans(s.tags)
		text, st := joinTokens(s.toks)
		tokSpan := func(a, b int) string { return strings.Join(s.toks[a:b], " ") }
		overlapTok := func(p predSpan, a, b int) bool {
			return p.start < st[b-1]+len(s.toks[b-1]) && st[a] < p.end
		}
		for _, gsp := range gold {
			if gsp.kind != "LOC" {
				continue
			}
			exact, boundary, other := false, false, ""
			for _, p := range preds {
				if p.ti == 0 && p.a == gsp.a && p.b == gsp.b {
					exact = true
				} else if overlapTok(p, gsp.a, gsp.b) {
					if p.ti == 0 {
						boundary = true
						if p.a < 0 {
							note("FN boundary: misaligned", tokSpan(gsp.a, gsp.b)+" ← "+text[p.start:p.end])
						} else {
							note("FN boundary", tokSpan(gsp.a, gsp.b)+" ← "+tokSpan(p.a, p.b))
						}
					} else {
						other = evalTypes[p.ti]
					}
				}
			}
			switch {
			case exact:
				counts["TP"]++
			case boundary:
			case other != "":
				note("FN type: predicted "+other, tokSpan(gsp.a, gsp.b))
			default:
				note("FN miss", tokSpan(gsp.a, gsp.b))
				for k := gsp.a; k < gsp.b; k++ {
					for _, d := range describeToken(s.toks[k]) {
						tokNotes["missed token: "+d]++
					}
				}
			}
			for k := gsp.a; k < gsp.b; k++ {
				for _, d := range describeToken(s.toks[k]) {
					tokNotes["gold token: "+d]++
				}
			}
		}
		for _, p := range preds {
			if p.ti != 0 {
				continue
			}
			if p.a >= 0 {
				ok := false
				for _, gsp := range gold {
					if gsp.kind == "LOC" && gsp.a == p.a && gsp.b == p.b {
						ok = true
					}
				}
				if ok {
					continue
				}
			}
			var over []string
			for _, gsp := range gold {
				if overlapTok(p, gsp.a, gsp.b) {
					over = append(over, gsp.kind)
				}
			}
			surface := text[p.start:p.end]
			switch {
			case len(over) == 0:
				note("FP false alarm", surface)
			case contains(over, "LOC"):
				// counted as a boundary error above
				counts["FP boundary (same as FN boundary)"]++
			default:
				note("FP type: gold "+strings.Join(over, "+"), surface)
			}
		}
	}
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%5d  %s\n", counts[k], k)
		for _, e := range examples[k] {
			fmt.Fprintf(&b, "         %s\n", e)
		}
	}
	keys = keys[:0]
	for k := range tokNotes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%5d  %s\n", tokNotes[k], k)
	}
	t.Logf("parstwiner/%s locations:\n%s", split, b.String())
}

// describeToken says what is special about a corpus token for the
// extractor's reading.
func describeToken(tok string) []string {
	var out []string
	if strings.ContainsRune(tok, '\u200c') {
		out = append(out, "ZWNJ")
	}
	if strings.ContainsAny(tok, "يك") {
		out = append(out, "Arabic yeh/kaf")
	}
	r := []rune(tok)
	if len(r) > 0 && (unicode.IsPunct(r[len(r)-1]) || unicode.IsSymbol(r[len(r)-1])) {
		out = append(out, "trailing punctuation")
	}
	if len(r) > 0 && (unicode.IsPunct(r[0]) || unicode.IsSymbol(r[0])) {
		out = append(out, "leading punctuation")
	}
	if strings.HasPrefix(tok, "#") {
		out = append(out, "hashtag")
	}
	if strings.HasPrefix(tok, "به") || strings.HasPrefix(tok, "ب") && len(r) > 4 {
		out = append(out, "starts with ب/به")
	}
	for _, r := range tok {
		if r < 0x250 && unicode.IsLetter(r) {
			out = append(out, "Latin")
			break
		}
	}
	out = append(out, "any")
	return out
}

// taggerOnlyScores scores the tagger's own spans (no rules, no filters) on
// sentences: exact token spans per type.
func taggerOnlyScores(sents []corpusSentence, g Gazetteer, tg *tagger) []EvalScore {
	s := make([]EvalScore, len(evalTypes))
	for i := range s {
		s[i].Type = evalTypes[i]
	}
	for _, cs := range sents {
		text, starts, ends := tokenBounds(cs.toks)
		ex := newExtractor(text, g, Options{Lang: "fa"})
		ex.tg = tg
		ex.findPlaces()
		tags, margins, release := tg.tag(ex)
		pred := map[[3]int]bool{}
		sps := spans(tags, margins)
		release()
		for _, sp := range sps {
			a, ok1 := starts[ex.d.words[sp.a].start]
			b, ok2 := ends[ex.d.words[sp.b-1].end]
			if !ok1 || !ok2 {
				a, b = -1-ex.d.words[sp.a].start, -1
			}
			pred[[3]int{(sp.kind - 1) / 2, a, b}] = true
		}
		gold := map[[3]int]bool{}
		for _, gs := range goldSpans(cs.tags) {
			for ti, ty := range evalTypes {
				if gs.kind == ty {
					gold[[3]int{ti, gs.a, gs.b}] = true
				}
			}
		}
		for p := range pred {
			s[p[0]].Predicted++
			if gold[p] {
				s[p[0]].Correct++
			}
		}
		for p := range gold {
			s[p[0]].Gold++
		}
	}
	for i := range s {
		s[i].Precision, s[i].Recall, s[i].F1 = prf(s[i].Correct, s[i].Predicted, s[i].Gold)
	}
	return s
}

// breakdownSetup reads TWINNING_EVAL_BREAKDOWN's ParsTwiNER split (dev,
// train, or held: the last fifth of train, which TestTuneTagger holds out)
// and the model of TWINNING_TAGGER_MODEL (a file TestTuneTagger wrote) or
// the embedded one.
func breakdownSetup(t *testing.T) (string, []corpusSentence, Gazetteer, *tagger) {
	split := os.Getenv("TWINNING_EVAL_BREAKDOWN")
	if split != "dev" && split != "train" && split != "held" {
		t.Skip("TWINNING_EVAL_BREAKDOWN is not dev, train or held (PEYMA is never analysed)")
	}
	dir := nlpDir(t)
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	file := split
	if split == "held" {
		file = "train"
	}
	sents, err := readCorpusFile(filepath.Join(dir, "parstwiner", file+".txt"), "\t")
	if err != nil {
		t.Fatal(err)
	}
	if split == "held" {
		sents = sents[len(sents)*4/5:]
	}
	tg := defaultTagger()
	if path := os.Getenv("TWINNING_TAGGER_MODEL"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		tg, err = readModel(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return split, sents, g, tg
}

func TestTaggerOnly(t *testing.T) {
	_, sents, g, tg := breakdownSetup(t)
	for _, s := range taggerOnlyScores(sents, g, tg) {
		t.Logf("%s P %.3f R %.3f F1 %.3f (gold %d)", s.Type, s.Precision, s.Recall, s.F1, s.Gold)
	}
}

// TestTaggerVsExtraction lists the location spans the tagger alone gets
// right and the whole extraction does not, and the other way round.
func TestTaggerVsExtraction(t *testing.T) {
	_, sents, g, tg := breakdownSetup(t)
	counts := map[string]int{}
	var b strings.Builder
	for _, cs := range sents {
		text, starts, ends := tokenBounds(cs.toks)
		ex := newExtractor(text, g, Options{Lang: "fa"})
		ex.tg = tg
		ex.findPlaces()
		tags, _, release := tg.tag(ex)
		sps := spans(tags, nil)
		release()
		tagged := map[[2]int]bool{}
		for _, sp := range sps {
			if sp.kind != tBLoc {
				continue
			}
			a, ok1 := starts[ex.d.words[sp.a].start]
			e, ok2 := ends[ex.d.words[sp.b-1].end]
			if ok1 && ok2 {
				tagged[[2]int{a, e}] = true
			}
		}
		extracted := map[[2]int]bool{}
		for _, p := range predictions(cs.toks, g, tg) {
			if p.ti == 0 && p.a >= 0 {
				extracted[[2]int{p.a, p.b}] = true
			}
		}
		gold := map[[2]int]bool{}
		for _, gs := range goldSpans(cs.tags) {
			if gs.kind == "LOC" {
				gold[[2]int{gs.a, gs.b}] = true
			}
		}
		show := func(cat string, sp [2]int) {
			counts[cat]++
			if counts[cat] <= 40 {
				fmt.Fprintf(&b, "%s: %s  |  %s\n", cat, strings.Join(cs.toks[sp[0]:sp[1]], " "), strings.Join(cs.toks[max(0, sp[0]-3):min(len(cs.toks), sp[1]+3)], " "))
			}
		}
		for sp := range gold {
			switch {
			case tagged[sp] && !extracted[sp]:
				show("TP tagger only", sp)
			case !tagged[sp] && extracted[sp]:
				show("TP extraction only", sp)
			}
		}
		for sp := range extracted {
			if !gold[sp] && !tagged[sp] {
				show("FP extraction only", sp)
			}
		}
		for sp := range tagged {
			if !gold[sp] && !extracted[sp] {
				show("FP tagger only", sp)
			}
		}
	}
	t.Logf("%v\n%s", counts, b.String())
}

// TestTaggerMisses lists the tagger's own location misses (no tagged
// location overlaps the gold span) with their context.
func TestTaggerMisses(t *testing.T) {
	_, sents, g, tg := breakdownSetup(t)
	var b strings.Builder
	n := 0
	for _, cs := range sents {
		text, st := joinTokens(cs.toks)
		ex := newExtractor(text, g, Options{Lang: "fa"})
		ex.tg = tg
		ex.findPlaces()
		tags, _, release := tg.tag(ex)
		tags = append([]int8(nil), tags...)
		release()
		for _, gs := range goldSpans(cs.tags) {
			if gs.kind != "LOC" {
				continue
			}
			a, e := st[gs.a], st[gs.b-1]+len(cs.toks[gs.b-1])
			hit := ""
			for i, w := range ex.d.words {
				if w.start < e && a < w.end && tags[i] != tO {
					hit = tagNames[tags[i]]
				}
			}
			if hit == "" || hit[2:] != "LOC" {
				n++
				fmt.Fprintf(&b, "%-5s %s  |  %s\n", hit, strings.Join(cs.toks[gs.a:gs.b], " "), strings.Join(cs.toks[max(0, gs.a-4):min(len(cs.toks), gs.b+3)], " "))
			}
		}
	}
	t.Logf("%d misses\n%s", n, b.String())
}

// TestLocCoverage measures what the gazetteers know of a ParsTwiNER split's
// gold places (never PEYMA's): each gold location span is looked up whole
// as a country, a region, a city (by name class) and in Iran's places, and
// the spans none of them knows are listed by frequency. Run:
//
//	TWINNING_EVAL_BREAKDOWN=train TWINNING_NLP_DATA=../shared/data/nlp go test ./internal/extract -run TestLocCoverage -v
func TestLocCoverage(t *testing.T) {
	split, sents, g, _ := breakdownSetup(t)
	bg, ok := g.(*BundleGazetteer)
	if !ok {
		t.Skip("not the bundle gazetteer")
	}
	places, err := readIranPlaces(iranPlacesDir(nlpDir(t)))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	unknown := map[string]int{}
	for _, s := range sents {
		for _, gs := range goldSpans(s.tags) {
			if gs.kind != "LOC" {
				continue
			}
			name := strings.Join(s.toks[gs.a:gs.b], " ")
			counts["gold"]++
			k := locCoverageClass(bg, places, name)
			counts[k]++
			if k == "unknown" {
				unknown[name]++
			}
		}
	}
	var b strings.Builder
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%6d  %s\n", counts[k], k)
	}
	t.Logf("parstwiner/%s gold places by what knows them:\n%s\nunknown:\n%s", split, b.String(), topErrors(unknown, 3000))
}

// locCoverageClass says which gazetteer knows name: the first of country,
// region, city (fa/en, other language, alias), Iran's places; "unknown".
func locCoverageClass(g *BundleGazetteer, places map[string]uint8, name string) string {
	k := persian.NameKey(name)
	if _, ok := g.countries[k]; ok {
		return "country"
	}
	if _, ok := regionIndex[k]; ok {
		return "region"
	}
	if list := g.byKey[k]; len(list) > 0 {
		switch list[0].cls {
		case clsFa, clsEn:
			return "city fa/en"
		case clsAlias:
			return "city alias"
		}
		return "city other language"
	}
	for pk := range places {
		if strings.ReplaceAll(pk, " ", "") == k {
			return "iran places"
		}
	}
	return "unknown"
}
