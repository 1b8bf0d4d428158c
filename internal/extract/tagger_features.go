package extract

import (
	"strings"
	"unicode/utf8"
)

// The tagger's features: each word's feature values (tagInfo, placeInfo,
// affixes, shape, gazetteer, word lists), the features of a word
// (staticFeats) and their hashing by template (f1, f2).

// tagInfo computes every word's feature values.
func (ex *extractor) tagInfo() []wordInfo { return ex.tagInfoIn(nil) }

// tagInfoIn is tagInfo in sc's memory (nil: new memory).
func (ex *extractor) tagInfoIn(sc *scratch) []wordInfo {
	d := ex.d
	var out []wordInfo
	if sc != nil {
		sc.info = sized(sc.info, len(d.words), true)
		out = sc.info
	} else {
		out = make([]wordInfo, len(d.words))
	}
	mi := 0 // the first rule mention that may cover the word
	// the longest raw gazetteer window covering each word (findPlaces)
	cover, coverEnd := uint64(0), 0
	typ, first := ex.wordTypes(sc)
	for i := range d.words {
		w := &d.words[i]
		wi := &out[i]
		if r := first[typ[i]]; int(r) < i {
			// what depends on the word alone was computed at its first occurrence
			p := &out[r]
			wi.h, wi.pre, wi.suf, wi.shape, wi.gaz, wi.lex, wi.strip = p.h, p.pre, p.suf, p.shape, p.gaz, p.lex, p.strip
		} else {
			ex.wordAlone(wi, w)
		}
		// rule mention covering i
		for mi < len(ex.mentions) && ex.mentions[mi].b <= i {
			mi++
		}
		wi.rule = ex.ruleFeature(i, mi)
		if i < len(ex.gazHits) && ex.gazHits[i] != 0 {
			h := ex.gazHits[i]
			if n := int(h >> 16); i+n > coverEnd {
				cover, coverEnd = uint64(h&0xffff), i+n
				wi.gazN = 1<<20 | cover // begins a window
				if n == 1 {
					wi.gazN |= 1 << 21
				}
			}
		}
		if wi.gazN == 0 && i < coverEnd {
			wi.gazN = 1<<22 | cover
			if i == coverEnd-1 {
				wi.gazN |= 1 << 23
			}
		}
	}
	if ex.tg != nil && len(ex.tg.places) > 0 {
		ex.tg.placeInfo(d, out)
	}
	return out
}

// wordTypes gives every word of the document a type, the same for the same
// key and shape, and the first word of each type: the features that depend
// on the word alone are computed once a type.
func (ex *extractor) wordTypes(sc *scratch) (typ, first []int32) {
	if ex.types != nil {
		return ex.types, ex.typeFirst
	}
	if sc == nil {
		sc = &scratch{}
	}
	d := ex.d
	n := len(d.words)
	size := 16
	for size < 2*n {
		size *= 2
	}
	mask := uint64(size - 1)
	sc.hs, sc.ids = sized(sc.hs, size, true), sized(sc.ids, size, false)
	sc.typ, sc.first = sized(sc.typ, n, false), sc.first[:0]
	hs, ids, typ, first := sc.hs, sc.ids, sc.typ, sc.first
	for i := range d.words {
		w := &d.words[i]
		h := mix(hstr(w.key), wordShape(w))
		if h == 0 {
			h = 1
		}
		k := h & mask
		for hs[k] != 0 && hs[k] != h {
			k = (k + 1) & mask
		}
		if hs[k] == 0 {
			hs[k], ids[k] = h, int32(len(first))
			first = append(first, int32(i))
		}
		typ[i] = ids[k]
	}
	sc.first = first
	ex.types, ex.typeFirst = typ, first
	return typ, first
}

// wordAlone sets what depends on word w alone: its hash, affixes, shape,
// gazetteer class (with the clitic taken off for it) and word list.
func (ex *extractor) wordAlone(wi *wordInfo, w *word) {
	k := w.key
	wi.h = hstr(k)
	affixes(k, &wi.pre, &wi.suf)
	wi.shape = wordShape(w)
	wi.gaz = ex.gazFeature(k)
	wi.lex = lexClass(k)
	if wi.gaz == 0 && !w.latin && !w.digits {
		// «پاریسم», «اروپاست»: the gazetteer's reading of the name, and
		// which clitic was taken off.
		if f := ex.stripFeature(k); f != 0 {
			wi.gaz, wi.strip = f&0xffff, f>>16
		}
	}
}

// ruleFeature is the rule feature of word i: the kind of the rule mention
// covering it (from mention mi on), whether i begins it, and whether an
// organisation word precedes it; 1 when none covers it.
func (ex *extractor) ruleFeature(i, mi int) uint64 {
	var rule uint64 = 1
	for x := mi; x < len(ex.mentions) && ex.mentions[x].ea <= i; x++ {
		m := ex.mentions[x]
		if i >= m.ea && i < m.b {
			rule = uint64(10 + m.kind*2)
			if i > m.ea {
				rule++
			}
			if m.ea > 0 && orgPrefix[ex.d.words[m.ea-1].key] {
				rule += 100
			}
			break
		}
	}
	return rule
}

// placeInfo sets each word's place feature: the class of the longest name of
// Iran's gazetteer covering it (within a sentence, no punctuation between
// its words) and the word's position in it.
func (tg *tagger) placeInfo(d *doc, out []wordInfo) {
	coverEnd := 0
	var cover uint64
	for i := range d.words {
		h := uint64(14695981039346656037)
		best, cls := 0, uint8(0)
		for n := 1; n <= tg.maxPlace && i+n <= len(d.words); n++ {
			if n > 1 && (d.words[i+n-1].brk || d.words[i+n-1].sent != d.words[i].sent) {
				break
			}
			k := d.words[i+n-1].key
			for j := 0; j < len(k); j++ {
				h ^= uint64(k[j])
				h *= 1099511628211
			}
			if b := h >> 40 & (placeFilterBits - 1); tg.placePrefix[b>>6]&(1<<(b&63)) == 0 {
				break // no name starts with these words
			}
			if c, ok := tg.places[h]; ok {
				best, cls = n, c
			}
		}
		switch {
		case best > 0 && i+best > coverEnd:
			cover, coverEnd = uint64(cls), i+best
			out[i].place = 1<<8 | cover
			if best == 1 {
				out[i].place |= 1 << 9
			}
		case i < coverEnd:
			out[i].place = 1<<10 | cover
			if i == coverEnd-1 {
				out[i].place |= 1 << 11
			}
		}
	}
}

// affixes hashes the first and last one to four runes of s.
func affixes(s string, pre, suf *[4]uint64) {
	i := 0
	for k := 0; k < 4; k++ {
		if i < len(s) {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		pre[k] = hstr(s[:i])
	}
	j := len(s)
	for k := 0; k < 4; k++ {
		if j > 0 {
			_, size := utf8.DecodeLastRuneInString(s[:j])
			j -= size
		}
		suf[k] = hstr(s[j:])
	}
}

func wordShape(w *word) uint64 {
	var s uint64
	switch {
	case w.digits:
		s = 1
	case w.latin && w.upper:
		s = 2
	case w.latin:
		s = 3
	default:
		s = 4
	}
	n := uint64(utf8.RuneCountInString(w.key))
	if n > 6 {
		n = 6
	}
	return s*16 + n
}

// gazFeature describes what the gazetteer knows of a single word, without
// the rules' guards: the best name class of a city it names and the size of
// that city, a country, a region.
func (ex *extractor) gazFeature(k string) uint64 {
	if ex.bundle == nil || !ex.bundle.mayHold(hstr(k)) {
		return 0
	}
	return ex.bundle.keyClass(k)
}

// keyClass is gazFeature's value for a key the filter let through.
func (g *BundleGazetteer) keyClass(k string) uint64 {
	var f uint64
	if _, ok := g.countries[k]; ok {
		f |= 1
	}
	if _, ok := regionIndex[k]; ok {
		f |= 2
	}
	if list := g.byKey[k]; len(list) > 0 {
		c := g.cities[list[0].city]
		p := uint64(1)
		switch {
		case c.pop >= 1000000:
			p = 4
		case c.pop >= 200000:
			p = 3
		case c.pop >= 20000:
			p = 2
		}
		f |= (uint64(list[0].cls)+1)<<2 | p<<5
	}
	return f
}

// Clitics and prepositions written joined to a name: «بهتهران»,
// «خوزستانم», «آمریکاست», «ایرانو».
var (
	stripPrefixes = []string{"به", "ب"}
	stripSuffixes = []string{"است", "ست", "مان", "م", "و", "ش", "رو"}
)

// stripFeature is the gazetteer class of a word once a joined clitic or
// preposition is taken off, with which one: 0 when no such reading names a
// place.
func (ex *extractor) stripFeature(k string) uint64 {
	if ex.bundle == nil || utf8.RuneCountInString(k) < 4 {
		return 0
	}
	try := func(s string, which uint64) uint64 {
		if utf8.RuneCountInString(s) < 3 || !ex.bundle.mayHold(hstr(s)) {
			return 0
		}
		if c := ex.bundle.keyClass(s); c != 0 {
			return which<<16 | c
		}
		return 0
	}
	for x, p := range stripPrefixes {
		if rest, ok := strings.CutPrefix(k, p); ok {
			if f := try(rest, uint64(1+x)); f != 0 {
				return f
			}
		}
	}
	for x, s := range stripSuffixes {
		if rest, ok := strings.CutSuffix(k, s); ok {
			if f := try(rest, uint64(10+x)); f != 0 {
				return f
			}
		}
	}
	return 0
}

// lexClass is the class of a word in the package's word lists.
func lexClass(k string) uint64 { return uint64(lexClasses[k]) }

// lexClasses is built once from the word lists: one lookup per word
// instead of eight.
var lexClasses = buildLexClasses()

// buildLexClasses builds lexClasses (again when a tuning test changes a
// word list: rules_test.go).
func buildLexClasses() map[string]uint8 {
	m := map[string]uint8{}
	put := func(c uint8, keys ...string) {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				m[k] = c
			}
		}
	}
	for _, l := range []struct {
		c    uint8
		keys []string
	}{
		{1, keysOf(faInstHeads)}, {1, keysOf(enInstHeads)}, {2, keysOf(faTitles)}, {2, keysOf(enTitles)},
		{3, keysOf(faPlaceCue)}, {4, keysOf(orgPrefix)}, {5, keysOf(faSpeech)},
		{6, []string{"آقای", "خانم", "دکتر", "مهندس"}}, {7, []string{"استان", "کشور"}},
		{8, keysOf(faStop)}, {8, keysOf(enStop)},
	} {
		put(l.c, l.keys...)
	}
	return m
}

// keysOf returns the keys of m (in no order).
func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// staticFeats appends the features of word i (all of them: the model has
// no feature that depends on the tags, which Viterbi scores by transitions).
// Training reads them from here; tagging sums the same weights in
// emissions, which groups them by word type.
func staticFeats(d *doc, info []wordInfo, i int, dst []uint64) []uint64 {
	s := d.sents[d.words[i].sent]
	h := func(k int) uint64 {
		if k < s[0] {
			return hBOS
		}
		if k >= s[1] {
			return hEOS
		}
		return info[k].h
	}
	w := &info[i]
	// the word itself, alone and with its neighbours
	dst = append(dst, f1(fW0, w.h), f2(fWm1W0, h(i-1), w.h), f2(fW0Wp1, w.h, h(i+1)))
	if w.rule != 1 {
		dst = append(dst, f2(fRuleW0, w.rule, w.h))
	}
	dst = append(dst, fBias,
		f1(fWm1, h(i-1)), f1(fWp1, h(i+1)), f1(fWm2, h(i-2)), f1(fWp2, h(i+2)),
		f1(fPre1, w.pre[0]), f1(fPre2, w.pre[1]), f1(fPre3, w.pre[2]), f1(fPre4, w.pre[3]),
		f1(fSuf1, w.suf[0]), f1(fSuf2, w.suf[1]), f1(fSuf3, w.suf[2]), f1(fSuf4, w.suf[3]),
		f1(fShape, w.shape), f1(fRule0, w.rule), f1(fGaz0, w.gaz), f1(fGazN0, w.gazN), f1(fLex0, w.lex))
	if w.gazN != 0 {
		dst = append(dst, f2(fGazNW0, w.gazN, w.h))
	}
	if w.place != 0 {
		dst = append(dst, f1(fPlace0, w.place))
	}
	if w.strip != 0 {
		dst = append(dst, f1(fStrip, w.strip))
	}
	dst = append(dst, f1(fBrk, brkOf(d, i)))
	if i == s[0] {
		dst = append(dst, fFirst)
	}
	if i-1 >= s[0] {
		p := &info[i-1]
		dst = neighbourFeats(dst, w, p, &prevTemplates)
	} else {
		dst = append(dst, f1(fRuleM1, 0))
	}
	if i+1 < s[1] {
		n := &info[i+1]
		dst = neighbourFeats(dst, w, n, &nextTemplates)
	} else {
		dst = append(dst, f1(fRuleP1, 0))
	}
	if q := quoteOf(d, i); q != 0 {
		dst = append(dst, f1(fQuote, q))
	}
	return dst
}

// neighbourTemplates are the templates of the features a word gives the
// word after it (prevTemplates: it is the previous word) or before it
// (nextTemplates). lexPair is the template of the pair of the neighbour's
// word list and the word itself, in text order.
type neighbourTemplates struct {
	rule, gaz, gazN, lex, suf, shape, pre3, place, lexPair uint64
	before                                                 bool // the neighbour is the previous word
}

var (
	prevTemplates = neighbourTemplates{fRuleM1, fGazM1, fGazNM1, fLexM1, fSufM1, fShapeM1, fPre3M1, fPlaceM1, fLexM1W0, true}
	nextTemplates = neighbourTemplates{fRuleP1, fGazP1, fGazNP1, fLexP1, fSufP1, fShapeP1, fPre3P1, fPlaceP1, fW0LexP1, false}
)

// lexPairFeat is the feature of neighbour n's word list with word w.
func (t *neighbourTemplates) lexPairFeat(w, n *wordInfo) uint64 {
	if t.before {
		return f2(t.lexPair, n.lex, w.h)
	}
	return f2(t.lexPair, w.h, n.lex)
}

// neighbourFeats appends the features neighbour n gives word w, with
// templates t.
func neighbourFeats(dst []uint64, w, n *wordInfo, t *neighbourTemplates) []uint64 {
	dst = append(dst, f1(t.rule, n.rule), f1(t.gaz, n.gaz), f1(t.gazN, n.gazN), f1(t.lex, n.lex),
		f1(t.suf, n.suf[1]), f1(t.shape, n.shape), f1(t.pre3, n.pre[2]))
	if n.lex != 0 {
		dst = append(dst, t.lexPairFeat(w, n))
	}
	if n.place != 0 {
		dst = append(dst, f1(t.place, n.place))
	}
	return dst
}

// ablated marks feature templates left out (for measuring what each one
// brings while tuning; none in the shipped model). A left-out feature is
// hashed to the bias.
var ablated uint64

// f1 is the feature of template t with value v.
func f1(t, v uint64) uint64 {
	if ablated&(1<<t) != 0 {
		return fBias
	}
	return mix(t, v)
}

// f2 is the feature of template t with values a and b.
func f2(t, a, b uint64) uint64 {
	if ablated&(1<<t) != 0 {
		return fBias
	}
	return mix(mix(t, a), b)
}

// brkOf says whether punctuation stands before word i (1) and after it (2).
func brkOf(d *doc, i int) uint64 {
	var brk uint64
	if d.words[i].brk {
		brk = 1
	}
	if i+1 < len(d.words) && d.words[i+1].brk {
		brk |= 2
	}
	return brk
}

// quoteOf says whether a quotation mark opens before word i (1) and closes
// after it (2): names are often quoted.
func quoteOf(d *doc, i int) uint64 {
	var q uint64
	if i > 0 && gapHasAny(d.text[d.words[i-1].end:d.words[i].start], "«\"“") {
		q = 1
	}
	if i+1 < len(d.words) && gapHasAny(d.text[d.words[i].end:d.words[i+1].start], "»\"”") {
		q |= 2
	}
	return q
}

// gapHasAny is strings.ContainsAny, at once for the commonest gap between
// two words, one space.
func gapHasAny(gap, chars string) bool {
	return gap != " " && strings.ContainsAny(gap, chars)
}
