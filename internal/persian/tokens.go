package persian

import (
	"strings"
	"unicode"
)

// TokenKind tells what a [Token] stands for.
type TokenKind uint8

const (
	// Word is a whole token of the folded text in its compact form: ZWNJ
	// deleted, so می‌توانند and میتوانند give the same term.
	Word TokenKind = iota
	// Part is one ZWNJ-separated part of a Word (می‌توانند gives می and
	// توانند), so that a query for a part finds the whole.
	Part
	// Join is the compact form of two adjacent words one of which is a
	// bound morpheme written apart: «می»/«نمی» before a verb body, or a word
	// before a bound suffix such as «ها», «های», «ترین», «اند».
	Join
	// Shingle is the compact concatenation of any other pair of adjacent
	// words (بین المللی → بینالمللی). Index shingles in a field of their own.
	Shingle
)

// String returns the kind's name.
func (k TokenKind) String() string {
	switch k {
	case Word:
		return "word"
	case Part:
		return "part"
	case Join:
		return "join"
	case Shingle:
		return "shingle"
	}
	return "unknown"
}

// Token is one search term with the span of the original text it covers.
type Token struct {
	Term       string    // folded and compact (no ZWNJ, no space)
	Start, End int       // byte offsets into the original input string
	Kind       TokenKind // Word, Part, Join or Shingle
}

// word is a space-separated token of folded text.
type word struct {
	folded     string // may contain ZWNJ
	compact    string
	start, end int // original span
	fi         int // offset of folded in the folded text
}

// words splits s, folded, into words with their original spans. The span
// map is p's memory: the caller hands p back with putBuf when done with it.
func words(s string) (ws []word, m *spanMap, p *buf) {
	f, p := foldPasses(s, true, nil)
	m = &spanMap{starts: p.starts, ends: p.ends}
	return foldedWords(f, m), m, p
}

// foldedWords splits f, the fold of a text with span map m, into words.
func foldedWords(f string, m *spanMap) []word {
	var ws []word
	for i := 0; i < len(f); {
		j := strings.IndexByte(f[i:], ' ')
		if j < 0 {
			j = len(f)
		} else {
			j += i
		}
		if j > i {
			w := f[i:j]
			ws = append(ws, word{folded: w, compact: compact(w), start: m.starts[i], end: m.ends[j-1], fi: i})
		}
		i = j + 1
	}
	return ws
}

// Tokens analyses s for search (doc/persian.md §1.4). It folds s, splits it on
// spaces and returns, in text order:
//
//   - for every word, a Word token with its compact term, and, if the word
//     contains ZWNJ, a Part token for each part;
//   - for «می» or «نمی» followed by a verb body (Hazm's verb stems plus
//     person endings), a Join token: «می توانند» gives میتوانند, but
//     «ماه می سال» gives nothing for «می سال»;
//   - for a word followed by a bound suffix written apart (ها, های, هایی,
//     ترین, تر, ای, ام, ات, اش, ایم, اید, اند, گر, گری, ...), a Join token:
//     «دانشگاه های» gives دانشگاههای;
//   - for every other pair of adjacent words, a Shingle token with their
//     compact concatenation: «بین المللی» gives بینالمللی. Pairs that
//     start with «می»/«نمی» or a bound suffix, or end with «می»/«نمی», give
//     no shingle, since those morphemes bind only one way. No pair is
//     formed across phrase punctuation (. ، : « » ( ) ...).
//
// Start and End are byte offsets into s (not into the folded text), on rune
// boundaries, covering the original characters of the term, so callers can
// highlight or quote the original. Terms are never stemmed.
func Tokens(s string) []Token {
	ws, m, p := words(s)
	defer putBuf(p)
	return tokens(s, ws, m)
}

// tokens is Tokens for s split into words ws with span map m.
func tokens(s string, ws []word, m *spanMap) []Token {
	toks := make([]Token, 0, len(ws)*2)
	for k, w := range ws {
		toks = append(toks, Token{Term: w.compact, Start: w.start, End: w.end, Kind: Word})
		if len(w.compact) != len(w.folded) {
			toks = appendParts(toks, w, m)
		}
		if k == 0 {
			continue
		}
		prev := ws[k-1]
		if kind, ok := pairKind(prev.compact, w.compact); ok && !breakBetween(gap(s, prev.end, w.start)) {
			toks = append(toks, Token{Term: prev.compact + w.compact, Start: prev.start, End: w.end, Kind: kind})
		}
	}
	return toks
}

func appendParts(toks []Token, w word, m *spanMap) []Token {
	const zw = "\u200C"
	off := 0
	for _, part := range strings.Split(w.folded, zw) {
		if part != "" {
			i, j := w.fi+off, w.fi+off+len(part)
			toks = append(toks, Token{Term: part, Start: m.starts[i], End: m.ends[j-1], Kind: Part})
		}
		off += len(part) + len(zw)
	}
	return toks
}

// breakBetween reports whether the original text between two words holds
// punctuation that separates phrases (a full stop, comma, colon, quote or
// bracket), across which no Join or Shingle is formed. Hyphens, slashes and
// underscores join compounds and do not break.
func breakBetween(gap string) bool {
	for _, r := range gap {
		switch r {
		case '-', '\u2010', '\u2011', '_', '/', '\\', '\u00AC':
			continue
		}
		if unicode.IsPunct(r) {
			return true
		}
	}
	return false
}

// gap returns s[a:b], or "" when the spans touch or overlap (one input
// character such as ½ can fold to several words).
func gap(s string, a, b int) string {
	if a >= b {
		return ""
	}
	return s[a:b]
}

// pairKind decides what two adjacent compact words give together.
func pairKind(a, b string) (TokenKind, bool) {
	switch {
	case isVerbPrefix(a):
		return Join, isVerbBody(b)
	case isVerbPrefix(b) || suffixSet[a]:
		return 0, false
	case suffixSet[b]:
		return Join, true
	}
	return Shingle, true
}

// SearchTerms returns the distinct terms of Tokens(s) in order of first
// appearance: what to index for a text. Index Word, Part and Join terms in
// the main field and Shingle terms in a second field (or all in one field,
// which works the same with QueryTerms).
func SearchTerms(s string) []string {
	return distinctTerms(Tokens(s))
}

// distinctTerms lists the distinct terms of toks in order of first appearance.
func distinctTerms(toks []Token) []string {
	seen := make(map[string]bool, len(toks))
	terms := make([]string, 0, len(toks))
	for _, t := range toks {
		if !seen[t.Term] {
			seen[t.Term] = true
			terms = append(terms, t.Term)
		}
	}
	return terms
}

// QueryTerms analyses a search query the same way as indexed text and
// returns it as groups of alternatives: a document matches when, for every
// group, at least one of the group's terms is among its SearchTerms. Each
// group stands for one query word; its alternatives are the word's compact
// term and the Join or Shingle terms it forms with its neighbours.
//
// So the query «می توانند» gives [[می میتوانند] [توانند میتوانند]] and
// finds text with می‌توانند, میتوانند or «می توانند»; the query میتوانند
// gives [[میتوانند]], which «می توانند» matches through its Join term.
// The same holds for بین‌المللی / بینالمللی / «بین المللی» (Shingle) and
// دانشگاه‌های / دانشگاههای / «دانشگاه های» (Join). Matching is by whole
// terms: «تهر» does not find تهران and «دان» does not find میدان. Prefix
// matching and stemming, if wanted, belong to the search engine and to a
// LightStem field, never to name fields.
func QueryTerms(q string) [][]string { return QueryTermsOf(Tokens(q)) }

// QueryTermsOf is QueryTerms for a query already split into its Tokens.
func QueryTermsOf(toks []Token) [][]string {
	var groups [][]string
	for _, t := range toks {
		switch t.Kind {
		case Word:
			groups = append(groups, []string{t.Term})
		case Join, Shingle:
			// A pair term is an alternative for both of its words.
			n := len(groups)
			groups[n-2] = appendNew(groups[n-2], t.Term)
			groups[n-1] = appendNew(groups[n-1], t.Term)
		}
	}
	return groups
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
