package extract

import (
	"strings"
	"sync"
)

// The learned name tagger: a linear-chain model over BIO tags for places
// (LOC), organisations (ORG) and people (PER), trained as a structured
// averaged perceptron (Collins 2002) and decoded with Viterbi over the tag
// transitions, so that every output is a well-formed BIO sequence. It is
// trained on ParsTwiNER's training split only (MIT licence; see TrainTagger)
// and reads the words of an analysed Persian document with word, affix,
// shape, context (±2), gazetteer n-gram, word-list and rule features: the
// rules' own location mentions are features, so the tagger learns when to
// trust them, and Extract keeps every rule mention whatever the tagger says
// (a known city is never lost).
//
// This file holds the loaded model (its feature table, tags and feature
// templates) and the scoring of a document: tag and emissions. The
// features are in tagger_features.go, Viterbi and the reading of spans in
// tagger_decode.go, the model file and its loading in tagger_model.go,
// training in tagger_train.go.

// Tags of the tagger.
const (
	tO = iota
	tBLoc
	tILoc
	tBOrg
	tIOrg
	tBPer
	tIPer
	nTags
)

var tagNames = [nTags]string{"O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"}

// tagOf maps a corpus tag (ParsTwiNER B-LOC, PEYMA B_LOC, …) to a tagger
// tag; kinds the tagger does not learn (NAT, EVE, POG, DAT, …) are O.
func tagOf(s string) int {
	s = strings.Replace(s, "_", "-", 1)
	switch s {
	case "B-LOC":
		return tBLoc
	case "I-LOC":
		return tILoc
	case "B-ORG":
		return tBOrg
	case "I-ORG":
		return tIOrg
	case "B-PER":
		return tBPer
	case "I-PER":
		return tIPer
	}
	return tO
}

// slot is one feature of a loaded model: 16 bits of its hash (others are
// the slot's index; 0: empty) and its weight for every tag, in 16 bytes: a
// lookup touches one cache line and the table stays small enough for the
// processor's caches. A feature the model lacks matches another's 16 bits
// about once in 40,000 lookups; the measured figures include that.
type slot struct {
	fp uint16
	w  [nTags]int16
}

// fingerprint is the part of a feature hash a slot keeps (never 0).
func fingerprint(f uint64) uint16 {
	if fp := uint16(f >> 48); fp != 0 {
		return fp
	}
	return 1
}

// tagger is a loaded model: an open-addressing table of features, the tag
// transition weights and the ZWNJ lexicon of names.go.
type tagger struct {
	slots []slot
	mask  uint64
	// trans[p][t] is the weight of tag t after tag p; row nTags is the
	// start of a sentence. Forbidden BIO transitions are never taken.
	trans    [nTags + 1][nTags]int32
	scale    float32
	places   map[uint64]uint8 // hstr(key) → placeCity|placeCounty|placeProvince: Iran's gazetteer (iranplaces.go)
	cache    vecCache         // wordVec's
	maxPlace int              // the most words of a places name
	// placePrefix is a filter of the hashes of every prefix of the places'
	// names (spaces removed): the words at a position start no name unless
	// their hash is in it.
	placePrefix []uint64
	zwnj        map[string]string // compact key → spelling with ZWNJ, for names (names.go)
}

// add adds the weights of feature f to sc.
func (tg *tagger) add(f uint64, sc *[nTags]int32) {
	if f == 0 {
		f = 1 // as in training
	}
	fp := fingerprint(f)
	for i := f & tg.mask; ; i = (i + 1) & tg.mask {
		s := &tg.slots[i]
		if s.fp == fp {
			addWeights(sc, &s.w)
			return
		}
		if s.fp == 0 {
			return
		}
	}
}

// addWeights adds w to sc, unrolled: the compiler keeps the loop, and this
// is the tagger's innermost step.
func addWeights(sc *[nTags]int32, w *[nTags]int16) {
	_ = [1]struct{}{}[nTags-7] // written for seven tags
	sc[0] += int32(w[0])
	sc[1] += int32(w[1])
	sc[2] += int32(w[2])
	sc[3] += int32(w[3])
	sc[4] += int32(w[4])
	sc[5] += int32(w[5])
	sc[6] += int32(w[6])
}

// Feature hashing: templates are mixed with the hashes of their values.
func mix(a, b uint64) uint64 {
	h := (a ^ 0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9
	h ^= b + 0x94D049BB133111EB + (h << 6) + (h >> 2)
	h ^= h >> 31
	h *= 0xD6E8FEB86659FD93
	h ^= h >> 32
	return h
}

func hstr(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// Feature templates. Their numbers are part of the model: add new ones at
// the end and retrain.
const (
	fBias = iota + 1
	fW0
	fWm1
	fWp1
	fWm2
	fWp2
	fWm1W0
	fW0Wp1
	fWm1Wp1
	fPre1
	fPre2
	fPre3
	fPre4
	fSuf1
	fSuf2
	fSuf3
	fSuf4
	fShape
	fShapeM1
	fShapeP1
	fBrk
	fFirst
	fQuote
	fRule0
	fRuleM1
	fRuleP1
	fRuleW0
	fGaz0
	fGazM1
	fGazP1
	fGazN0
	fGazNM1
	fGazNP1
	fLex0
	fLexM1
	fLexP1
	fSufM1
	fSufP1
	fPre3M1
	fPre3P1
	fStrip
	fLexM1W0
	fW0LexP1
	fGazNW0
	fPlace0
	fPlaceM1
	fPlaceP1
)

// wordInfo is what the features need of one word, computed once per document.
type wordInfo struct {
	h                           uint64
	pre, suf                    [4]uint64
	shape, rule, gaz, gazN, lex uint64
	strip                       uint64 // which clitic or «به» was taken off the word for gaz
	place                       uint64 // Iran's gazetteer: class and position of the longest name covering the word
}

var hBOS, hEOS = hstr("<s>"), hstr("</s>")

// scratch is the working memory of one tagging, reused from document to
// document (a sync.Pool): the garbage collector had a fifth of the
// extraction's time when each document allocated its own.
type scratch struct {
	info            []wordInfo
	em, alpha, beta [][nTags]int32
	bp              [][nTags]int8
	tags            []int8
	margins         []int32
	hs              []uint64
	ids, typ, first []int32
	tw              []typeVec
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// sized returns s with length n, reallocated if too small, zeroed when clear.
func sized[T any](s []T, n int, zero bool) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	s = s[:n]
	if zero {
		clear(s)
	}
	return s
}

// tag labels every word of the document, with the margin of each choice
// over the best sequence that chooses otherwise (in units of the model's
// scale).
// The tags and margins live in pooled memory: call release when done with
// them.
func (tg *tagger) tag(ex *extractor) (tags []int8, margins []int32, release func()) {
	d := ex.d
	sc := scratchPool.Get().(*scratch)
	info := ex.tagInfoIn(sc)
	n := len(d.words)
	sc.tags, sc.margins = sized(sc.tags, n, false), sized(sc.margins, n, false)
	em := tg.emissions(ex, info, sc)
	sc.alpha, sc.beta, sc.bp = sized(sc.alpha, n, false), sized(sc.beta, n, false), sized(sc.bp, n, false)
	for _, s := range d.sents {
		a, b := s[0], s[1]
		viterbi(em[a:b], &tg.trans, sc.tags[a:b], sc.margins[a:b], sc.alpha[a:b], sc.beta[a:b], sc.bp[a:b])
	}
	ex.types, ex.typeFirst = nil, nil // they are sc's
	return sc.tags, sc.margins, func() { scratchPool.Put(sc) }
}

// emissions scores every word's features for every tag: the sum, over the
// features staticFeats lists, of their weights. A word's features are of
// three kinds: those of the word alone (its identity, affixes, shape, word
// lists), those it gives its neighbours one and two words away (its
// identity, suffix, shape… as the previous or next word), and those of
// its position (word pairs, the rules' mentions, punctuation). The first
// two are summed once per word type of the document: a text repeats its
// words, and each lookup in the model's table is a likely cache miss.
func (tg *tagger) emissions(ex *extractor, info []wordInfo, sc *scratch) [][nTags]int32 {
	d := ex.d
	n := len(d.words)
	if sc == nil {
		sc = &scratch{}
	}
	typ, first := ex.wordTypes(sc)
	tw := tg.typeVecs(info, first, sc)
	edge := tg.edgeVecs()
	sc.em = sized(sc.em, n, false)
	em := sc.em
	for _, s := range d.sents {
		for i := s[0]; i < s[1]; i++ {
			e := &em[i]
			w := &info[i]
			*e = tw[typ[i]][0]
			hm1, hp1 := hBOS, hEOS
			if i-1 >= s[0] {
				p := &info[i-1]
				hm1 = p.h
				addVec(e, &tw[typ[i-1]][1])
				tg.addNeighbour(e, w, p, &prevTemplates)
			} else {
				addVec(e, &edge.bosM1)
				addVec(e, &edge.firstW)
			}
			if i+1 < s[1] {
				nx := &info[i+1]
				hp1 = nx.h
				addVec(e, &tw[typ[i+1]][2])
				tg.addNeighbour(e, w, nx, &nextTemplates)
			} else {
				addVec(e, &edge.eosP1)
			}
			if i-2 >= s[0] {
				addVec(e, &tw[typ[i-2]][3])
			} else {
				addVec(e, &edge.bosM2)
			}
			if i+2 < s[1] {
				addVec(e, &tw[typ[i+2]][4])
			} else {
				addVec(e, &edge.eosP2)
			}
			tg.addPosition(e, d, i, w, hm1, hp1)
		}
	}
	return em
}

// typeVecs returns the weights of each word type of the document (first:
// the first word of each type): alone, as previous, as next, as second
// previous, as second next.
func (tg *tagger) typeVecs(info []wordInfo, first []int32, sc *scratch) []typeVec {
	sc.tw = sized(sc.tw, len(first), false)
	tw := sc.tw
	for t, r := range first {
		w := &info[r]
		x := &tw[t]
		*x = tg.wordVec(w)
		// what the gazetteer says depends on the gazetteer: not cached
		tg.add(f1(fGaz0, w.gaz), &x[0])
		if w.strip != 0 {
			tg.add(f1(fStrip, w.strip), &x[0])
		}
		tg.add(f1(fGazM1, w.gaz), &x[1])
		tg.add(f1(fGazP1, w.gaz), &x[2])
	}
	return tw
}

// edgeWeights are the weights of the sentence's edges as neighbours, and of
// being its first word.
type edgeWeights struct {
	bosM1, bosM2, eosP1, eosP2, firstW [nTags]int32
}

// edgeVecs returns the edges' weights.
func (tg *tagger) edgeVecs() *edgeWeights {
	var e edgeWeights
	tg.add(f1(fWm1, hBOS), &e.bosM1)
	tg.add(f1(fRuleM1, 0), &e.bosM1)
	tg.add(f1(fWm2, hBOS), &e.bosM2)
	tg.add(f1(fWp1, hEOS), &e.eosP1)
	tg.add(f1(fRuleP1, 0), &e.eosP1)
	tg.add(f1(fWp2, hEOS), &e.eosP2)
	tg.add(fFirst, &e.firstW)
	return &e
}

// addVec adds v to e, unrolled.
func addVec(e *[nTags]int32, v *[nTags]int32) {
	_ = [1]struct{}{}[nTags-7] // unrolled for seven tags
	e[0] += v[0]
	e[1] += v[1]
	e[2] += v[2]
	e[3] += v[3]
	e[4] += v[4]
	e[5] += v[5]
	e[6] += v[6]
}

// addPosition adds the weights of word i's position (w is its info, hm1
// and hp1 the hashes of the words around it): word pairs, the rules'
// mentions, the gazetteer n-gram, punctuation and quotes.
func (tg *tagger) addPosition(e *[nTags]int32, d *doc, i int, w *wordInfo, hm1, hp1 uint64) {
	for _, f := range [...]uint64{f2(fWm1W0, hm1, w.h), f2(fW0Wp1, w.h, hp1),
		f1(fRule0, w.rule), f1(fGazN0, w.gazN), f1(fBrk, brkOf(d, i))} {
		tg.add(f, e)
	}
	if w.rule != 1 {
		tg.add(f2(fRuleW0, w.rule, w.h), e)
	}
	if w.gazN != 0 {
		tg.add(f2(fGazNW0, w.gazN, w.h), e)
	}
	if w.place != 0 {
		tg.add(f1(fPlace0, w.place), e)
	}
	if q := quoteOf(d, i); q != 0 {
		tg.add(f1(fQuote, q), e)
	}
}

// addNeighbour adds the weights of what neighbour n gives word w besides
// n's word type (which wordVec sums): the rules' mention, the gazetteer
// n-gram, the word-list pair and the place.
func (tg *tagger) addNeighbour(e *[nTags]int32, w, n *wordInfo, t *neighbourTemplates) {
	tg.add(f1(t.rule, n.rule), e)
	tg.add(f1(t.gazN, n.gazN), e)
	if n.lex != 0 {
		tg.add(t.lexPairFeat(w, n), e)
	}
	if n.place != 0 {
		tg.add(f1(t.place, n.place), e)
	}
}

// typeVec is a word type's weights: alone, as the previous word, as the
// next, as the second previous and as the second next.
type typeVec [5][nTags]int32

// wordVec returns the weights of what depends on the word alone (and on
// the model), from a cache shared by every document: most words of a text
// are common ones, and each costs some 25 lookups in the model's table.
func (tg *tagger) wordVec(w *wordInfo) typeVec {
	key := mix(w.h, w.shape)
	var v typeVec
	if tg.cache.get(key, &v) {
		return v
	}
	var x typeVec
	for _, f := range [...]uint64{fBias, f1(fW0, w.h),
		f1(fPre1, w.pre[0]), f1(fPre2, w.pre[1]), f1(fPre3, w.pre[2]), f1(fPre4, w.pre[3]),
		f1(fSuf1, w.suf[0]), f1(fSuf2, w.suf[1]), f1(fSuf3, w.suf[2]), f1(fSuf4, w.suf[3]),
		f1(fShape, w.shape), f1(fLex0, w.lex)} {
		tg.add(f, &x[0])
	}
	for _, f := range [...]uint64{f1(fWm1, w.h), f1(fLexM1, w.lex), f1(fSufM1, w.suf[1]), f1(fShapeM1, w.shape), f1(fPre3M1, w.pre[2])} {
		tg.add(f, &x[1])
	}
	for _, f := range [...]uint64{f1(fWp1, w.h), f1(fLexP1, w.lex), f1(fSufP1, w.suf[1]), f1(fShapeP1, w.shape), f1(fPre3P1, w.pre[2])} {
		tg.add(f, &x[2])
	}
	tg.add(f1(fWm2, w.h), &x[3])
	tg.add(f1(fWp2, w.h), &x[4])
	tg.cache.put(key, &x)
	return x
}

// maxCachedWords bounds wordVec's cache (140 bytes a word).
const maxCachedWords = 1 << 15
