package extract

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/persian"
)

// word is one space-separated word of the folded text with its original span.
type word struct {
	key        string // folded, compact (no ZWNJ): the lookup key
	start, end int    // byte span in the original text
	sent       int    // sentence number
	brk        bool   // phrase punctuation between the previous word and this one
	digits     bool   // key is ASCII digits only
	num        int    // value when digits (capped)
	latin      bool   // key starts with a Latin letter
	upper      bool   // original starts with an upper-case letter
	sentStart  bool   // first word of its sentence (or after a colon / quote)
}

// doc is the analysed text.
type doc struct {
	text  string
	words []word
	sents [][2]int // word index ranges
	lang  string
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// analyse folds text once and splits it into words and sentences.
func analyse(text string) *doc {
	op, _ := offsPool.Get().(*[]int)
	if op == nil {
		op = new([]int)
	}
	folded, offs := persian.FoldMapTo(*op, text)
	defer func() { *op = offs; offsPool.Put(op) }()
	d := &doc{text: text}
	if ws, ok := wordsPool.Get().(*[]word); ok && cap(*ws) >= len(folded)/6+1 {
		d.words = (*ws)[:0]
	} else {
		d.words = make([]word, 0, len(folded)/6+1)
	}
	sent := 0
	prevEnd := 0
	for i := 0; i < len(folded); {
		j := strings.IndexByte(folded[i:], ' ')
		if j < 0 {
			j = len(folded)
		} else {
			j += i
		}
		if j > i {
			w := word{key: compactKey(folded[i:j]), start: offs[i], end: trimEnd(text, offs[i], offs[j])}
			if w.end <= w.start {
				w.end = offs[j]
			}
			if w.end <= w.start {
				i = j + 1
				continue
			}
			gap := text[prevEnd:w.start]
			if len(d.words) > 0 {
				sb, pb := gapBreaks(gap)
				if sb {
					sent++
				}
				w.brk = pb || sb
				w.sentStart = sb || strings.ContainsAny(gap, ":«\"“")
			} else {
				w.sentStart = true
			}
			w.sent = sent
			w.digits = isDigits(w.key)
			if w.digits {
				if len(w.key) <= 9 {
					w.num, _ = strconv.Atoi(w.key)
				} else {
					w.num = -1
				}
			}
			r, _ := utf8.DecodeRuneInString(w.key)
			w.latin = r < 0x250 && unicode.IsLetter(r)
			or, _ := utf8.DecodeRuneInString(text[w.start:])
			w.upper = isUpper(or)
			d.words = append(d.words, w)
			prevEnd = w.end
		}
		i = j + 1
	}
	start := 0
	for k := 1; k <= len(d.words); k++ {
		if k == len(d.words) || d.words[k].sent != d.words[k-1].sent {
			d.sents = append(d.sents, [2]int{start, k})
			start = k
		}
	}
	return d
}

// offsPool keeps the offsets of the folded text, which analyse alone reads.
var offsPool sync.Pool

// wordsPool keeps the words of documents that are done with (release):
// a document's words are a tenth of what the extraction allocates.
var wordsPool sync.Pool

// release hands the document's words back for the next document; d must
// not be used after.
func (d *doc) release() {
	ws := d.words
	for i := range ws {
		ws[i].key = "" // no key of this document stays reachable from the pool
	}
	ws = ws[:0]
	d.words = nil
	wordsPool.Put(&ws)
}

func compactKey(s string) string {
	if !strings.ContainsRune(s, '\u200c') {
		return s
	}
	return strings.ReplaceAll(s, "\u200c", "")
}

// trimEnd moves end back over characters that folding dropped after the last
// letter or digit of a word (ZWNJ, bidi marks, punctuation, kashida, spaces).
func trimEnd(text string, start, end int) int {
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if r == utf8.RuneError && size <= 1 {
			return end
		}
		if r >= 0x600 && r <= 0x6FF { // the Arabic block, by table
			if c := arabicClass[r-0x600]; c&acKeep != 0 || c&acMark != 0 && end-size > start {
				return end
			}
		} else if unicode.IsLetter(r) && r != '\u0640' || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) && end-size > start {
			return end
		}
		end -= size
	}
	return end
}

// arabicClass is what trimEnd and analyse ask of the runes of the Arabic
// block (U+0600–U+06FF), from the unicode package once: a table look-up
// instead of searches in its range tables for every word.
var arabicClass = func() (c [256]uint8) {
	for i := range c {
		r := rune(0x600 + i)
		if unicode.IsLetter(r) && r != '\u0640' || unicode.IsDigit(r) || unicode.IsNumber(r) {
			c[i] |= acKeep
		}
		if unicode.Is(unicode.Mn, r) {
			c[i] |= acMark
		}
		if unicode.IsUpper(r) {
			c[i] |= acUpper
		}
	}
	return
}()

// Flags of arabicClass.
const (
	acKeep  = 1 << iota // letter (not kashida), digit or number: ends a word
	acMark              // non-spacing mark: ends a word unless it is all of it
	acUpper             // upper case
)

// isUpper is unicode.IsUpper, by table for the Arabic block.
func isUpper(r rune) bool {
	if r >= 0x600 && r <= 0x6FF {
		return arabicClass[r-0x600]&acUpper != 0
	}
	return unicode.IsUpper(r)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// gapBreaks reports whether the text between two words ends a sentence, and
// whether it holds phrase punctuation.
func gapBreaks(gap string) (sentence, phrase bool) {
	for i, r := range gap {
		switch r {
		case '.':
			// "D.C." or "ه.ش" have no space after the dot; a full stop does.
			if i+1 >= len(gap) || gap[i+1] == ' ' || gap[i+1] == '\n' {
				sentence = true
			}
			phrase = true
		case '!', '?', '؟', '\n', '؛', ';', '\u06d4':
			sentence, phrase = true, true
		case '-', '\u2010', '\u2011', '_', '\u00ac', '\'', '’', 'ʻ', 'ʼ':
		default:
			if unicode.IsPunct(r) || unicode.IsSymbol(r) {
				phrase = true
			}
		}
	}
	return
}

// gap returns the original text between words a and b (a < b).
func (d *doc) gap(a, b int) string { return d.text[d.words[a].end:d.words[b].start] }

// connected reports whether words a..b-1 form one phrase (no punctuation
// between them, one sentence).
func (d *doc) connected(a, b int) bool {
	for k := a + 1; k < b; k++ {
		if d.words[k].brk {
			return false
		}
	}
	return true
}

func (d *doc) key(i int) string {
	if i < 0 || i >= len(d.words) {
		return ""
	}
	return d.words[i].key
}

// span is a half-open word range.
type span struct{ a, b int }

func (d *doc) ev(a, b int) Evidence {
	return Evidence{Start: d.words[a].start, End: d.words[b-1].end}
}

// fillOffsets completes the text, rune and UTF-16 offsets of every evidence in
// one pass over the text.
func fillOffsets(text string, evs []*Evidence) {
	type pt struct {
		off int
		dst *int
		u16 *int
	}
	pts := make([]pt, 0, 2*len(evs))
	for _, e := range evs {
		e.Text = text[e.Start:e.End]
		pts = append(pts, pt{e.Start, &e.StartRune, &e.StartUTF16}, pt{e.End, &e.EndRune, &e.EndUTF16})
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].off < pts[j].off })
	runes, units, pos := 0, 0, 0
	for _, p := range pts {
		for pos < p.off {
			// ASCII and two-byte runes (Persian) are one rune and one UTF-16
			// unit each.
			if c := text[pos]; c < utf8.RuneSelf {
				pos++
				runes++
				units++
				continue
			} else if c >= 0xC2 && c <= 0xDF && pos+1 < len(text) && text[pos+1]&0xC0 == 0x80 {
				pos += 2
				runes++
				units++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[pos:])
			pos += size
			runes++
			if n := utf16.RuneLen(r); n > 0 {
				units += n
			} else {
				units++ // an invalid rune is one U+FFFD in JS
			}
		}
		*p.dst, *p.u16 = runes, units
	}
}

// detectLang tells Persian from English by the script of the letters.
func detectLang(text string) string {
	arabic, latin := 0, 0
	for i := 0; i < len(text); {
		if i > 1<<16 {
			break
		}
		// as range would, with ASCII and two-byte runes decoded here
		var r rune
		size := 1
		if c := text[i]; c < utf8.RuneSelf {
			r = rune(c)
		} else if c >= 0xC2 && c <= 0xDF && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			r, size = rune(c&0x1F)<<6|rune(text[i+1]&0x3F), 2
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		switch {
		case r >= 0x600 && r <= 0x6ff, r >= 0xfb50 && r <= 0xfeff:
			arabic++
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	if latin > arabic {
		return "en"
	}
	return "fa"
}
