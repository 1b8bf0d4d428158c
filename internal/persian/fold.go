package persian

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the search form of s (doc/persian.md §1.3, rules B1–B8), applied
// to Canonical(s), so raw input may be passed. Index text and queries must
// both go through Fold.
//
//   - NFKC (full-width → ASCII, ² → 2, ligatures split);
//   - آ أ إ ٱ ٲ ٳ → ا, ؤ → و, ئ → ی, ة ۀ → ه; ء and every Arabic combining
//     mark are deleted;
//   - every decimal digit becomes ASCII; between digits ٫ becomes ".", and
//     ٬ or "," before a group of exactly three digits is deleted;
//   - letters are lower-cased; Latin letters lose their diacritics, with
//     š ž č ğ → sh zh ch gh; apostrophes inside Latin words are deleted
//     (Farg‘ona → fargona);
//   - other punctuation and symbols become spaces, except "." between digits;
//   - a run of three or more identical Arabic-script letters becomes one;
//   - white space collapses to single spaces; ZWNJ is kept only inside words.
//
// Fold is idempotent and always returns valid UTF-8.
func Fold(s string) string {
	out, p := foldPasses(s, false, nil)
	putBuf(p)
	return out
}

// FoldMap folds s like Fold and reports where each byte of the result came
// from. offsets has len(folded)+1 entries: offsets[i] is the byte offset in s
// where the input that produced folded[i] begins (all bytes of one output
// rune share it), and the final entry is where the input that produced the
// last byte ends (len(s) unless folding dropped trailing characters; 0 when
// folded is empty). Offsets never decrease and always fall on rune
// boundaries of s.
//
// For a span folded[i:j] ending before a space, s[offsets[i]:offsets[j]] is
// the original text of the span, possibly with characters that folding
// deleted right after it (bidi marks, a ZWNJ). [Tokens] gives exact spans.
func FoldMap(s string) (folded string, offsets []int) {
	return FoldMapTo(nil, s)
}

// FoldMapTo is FoldMap with the offsets in dst's memory when it is large
// enough (what dst holds is overwritten): a caller that folds document
// after document reuses one slice.
func FoldMapTo(dst []int, s string) (folded string, offsets []int) {
	f, p := foldPasses(s, true, dst)
	if len(f) == 0 {
		offsets = append(dst[:0], 0)
	} else {
		// the last pass's starts are dst's memory, or larger
		offsets = append(p.starts[:len(f)], p.ends[len(f)-1])
	}
	p.starts = nil // they are offsets
	putBuf(p)
	return f, offsets
}

// foldPasses folds s and returns the last pass's buffer: with track set,
// its starts and ends map each byte of the result back to s (the first
// pass writes its starts in dst's memory when dst is not nil). The caller
// hands the buffer back with putBuf.
func foldPasses(s string, track bool, dst []int) (string, *buf) {
	// The fold pass also applies the rules of Canonical that Fold does not
	// undo (ZWSP and «¬» as ZWNJ), so it runs on the NFC input directly:
	// Fold(s) == Fold(Canonical(s)) without building the canonical string.
	c, m := normalizeMap(norm.NFC, s, track)
	var prev *buf
	for iter := 0; ; iter++ {
		b := getBuf(len(c), track, dst)
		dst = nil
		p := foldPass{t: c, gaps: gaps{b: b}}
		p.run()
		out := string(b.out)
		m = chain(m, b.spans())
		if prev != nil {
			prev.starts = nil // perhaps dst
			putBuf(prev)      // chain read its spans
		}
		if iter == 2 || isNormal(norm.NFKC, out) {
			return out, b
		}
		// Lower-casing or stripping produced something NFKC would change.
		var nm *spanMap
		c, nm = normalizeMap(norm.NFKC, out, track)
		if nm != nil {
			m = chain(m, nm)
			b.starts = nil // perhaps dst
			putBuf(b)
			b = nil
		}
		prev = b
	}
}

// NameKey is the de-duplication key for names (doc/persian.md §1.4 step 6):
// Fold(s) with every space and ZWNJ removed, so that the with-ZWNJ, without
// ZWNJ and with-space spellings of a name are equal: NameKey("بین المللی") ==
// NameKey("بین‌المللی") == "بینالمللی", NameKey("São Paulo") == "saopaulo".
// Equal keys propose a merge; they do not decide one.
func NameKey(s string) string {
	return compact(Fold(s))
}

// LatinKey is NameKey after transliterating Cyrillic to Latin (see
// [Transliterate]), so that a Cyrillic alias meets its Latin spelling:
// LatinKey("Самарқанд") == LatinKey("Samarqand") == "samarqand". For text
// without Cyrillic it equals NameKey.
func LatinKey(s string) string {
	return compact(Fold(Transliterate(s)))
}

// compact removes spaces and ZWNJ.
func compact(s string) string {
	if strings.IndexByte(s, ' ') < 0 && !strings.ContainsRune(s, zwnj) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			continue
		}
		if s[i] == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x8C {
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// Fold actions for U+0600–U+06FF.
const (
	faLetter  uint8 = iota // Arabic-script letter, mapped by foldTo
	faDrop                 // delete; belongs to the previous letter
	faCtl                  // delete (format characters)
	faDigit                // decimal digit
	faDecimal              // ٫
	faGroup                // ٬
	faSpace                // punctuation or symbol
	faCompat               // has an NFKC decomposition
)

var (
	foldAct [256]uint8
	foldTo  [256]rune
)

func init() {
	for i := range foldAct {
		r := rune(0x600 + i)
		foldTo[i] = r
		switch {
		case unicode.IsLetter(r):
			foldAct[i] = faLetter
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			foldAct[i] = faSpace
		case unicode.Is(unicode.Cf, r):
			foldAct[i] = faCtl
		default:
			foldAct[i] = faDrop
		}
		if foldAct[i] == faLetter && !norm.NFKC.IsNormalString(string(r)) {
			foldAct[i] = faCompat
		}
	}
	set := func(to rune, from ...rune) {
		for _, r := range from {
			foldAct[r-0x600] = faLetter
			foldTo[r-0x600] = to
		}
	}
	set(farsiYeh, 0x64A, 0x649, 0x6D0, 0x6CD, 0x6CE, 0x6D2, 0x6D3, 0x620, 0x678, 0x626)
	set(keheh, 0x643, 0x6AA, 0x6AB, 0x6AC, 0x6AD, 0x6AE)
	set(heh, 0x6C1, 0x6BE, 0x6D5, 0x6C2, 0x6C0, 0x629)
	set('\u0627', 0x622, 0x623, 0x625, 0x671, 0x672, 0x673)
	set('\u0648', 0x624)
	drop := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			foldAct[r-0x600] = faDrop
		}
	}
	drop(0x610, 0x61A)
	drop(0x64B, 0x65F)
	drop(0x670, 0x670)
	drop(0x6D6, 0x6ED)
	drop(0x621, 0x621) // ء
	drop(0x674, 0x674) // high hamza
	drop(kashida, kashida)
	for d := rune(0); d < 10; d++ {
		foldAct[0x660+d-0x600] = faDigit
		foldAct[0x6F0+d-0x600] = faDigit
		foldTo[0x660+d-0x600] = '0' + d
		foldTo[0x6F0+d-0x600] = '0' + d
	}
	foldAct[0x66B-0x600] = faDecimal
	foldAct[0x66C-0x600] = faGroup
}

// Kinds of the last rune a fold pass emitted.
const (
	kNone uint8 = iota
	kLatin
	kDigit // a digit, or "." inside a number
	kArabic
	kWord
)

// foldPass applies B2–B8 (and B1 rune by rune) to canonical text.
type foldPass struct {
	gaps
	t        string
	last     uint8
	runRune  rune // B7: the current run of one Arabic letter
	runN     int
	runFirst int
	runSec   int
}

func (p *foldPass) run() {
	t := p.t
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			p.ascii(rune(c), i, i+1)
			i++
			continue
		}
		// U+0600–U+06FF is 0xD8 0x80 – 0xDB 0xBF.
		if c >= 0xD8 && c <= 0xDB && i+1 < len(t) && t[i+1]&0xC0 == 0x80 {
			p.arabic(rune(c&0x1F)<<6|rune(t[i+1]&0x3F), i, i+2)
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		if r >= 0x600 && r <= 0x6FF {
			p.arabic(r, i, i+size)
		} else {
			p.other(r, i, i+size, 0)
		}
		i += size
	}
}

func (p *foldPass) ascii(r rune, a, e int) {
	switch {
	case r >= 'a' && r <= 'z':
		p.visible(r, kLatin, a, e)
	case r >= 'A' && r <= 'Z':
		p.visible(r+'a'-'A', kLatin, a, e)
	case r >= '0' && r <= '9':
		p.visible(r, kDigit, a, e)
	case r == '.':
		p.decimal(a, e)
	case r == ',':
		p.group(a, e)
	case r == '\'' || r == '`':
		p.apostrophe(a, e)
	default: // spaces, controls, punctuation, symbols
		p.space(a, e)
	}
}

func (p *foldPass) arabic(r rune, a, e int) {
	i := r - 0x600
	switch foldAct[i] {
	case faLetter:
		p.letter(foldTo[i], a, e)
	case faDrop:
		if !p.pendSp && !p.pendZW {
			p.b.extend(e)
		}
	case faDigit:
		p.visible(foldTo[i], kDigit, a, e)
	case faDecimal:
		p.decimal(a, e)
	case faGroup:
		p.group(a, e)
	case faSpace:
		p.space(a, e)
	case faCompat:
		p.other(r, a, e, 0)
	case faCtl:
	}
}

// other handles a rune outside ASCII and the main Arabic block.
func (p *foldPass) other(r rune, a, e, depth int) {
	switch {
	case r == zwnj || r == zwsp:
		if p.b.lastRune >= 0 && !p.pendSp {
			p.joiner(a, e)
		}
	case isApostrophe(r):
		p.apostrophe(a, e)
	case r == notSign:
		// Canonical A3: «¬» between two Arabic letters is a ZWNJ.
		if next, _ := p.peek(e); p.touches(kArabic) && isArabicLetter(next) {
			p.other(zwnj, a, e, depth)
			return
		}
		p.space(a, e)
	case r == utf8.RuneError:
		p.space(a, e)
	case (r >= 0x750 && r <= 0x77F) || (r >= 0x870 && r <= 0x8FF):
		switch {
		case r >= 0x8D3 && r <= 0x8FF && r != 0x8E2, unicode.Is(unicode.M, r):
			if !p.pendSp && !p.pendZW {
				p.b.extend(e)
			}
		case unicode.IsLetter(r):
			p.letter(r, a, e)
		case unicode.Is(unicode.Cf, r):
		default:
			p.space(a, e)
		}
	case unicode.IsSpace(r):
		p.space(a, e)
	case depth == 0 && !nfkcStable(r):
		for _, c := range norm.NFKC.String(string(r)) {
			switch {
			case c < utf8.RuneSelf:
				p.ascii(c, a, e)
			case c >= 0x600 && c <= 0x6FF:
				p.arabic(c, a, e)
			default:
				p.other(c, a, e, depth+1)
			}
		}
	case unicode.IsDigit(r):
		p.visible('0'+digitValue(r), kDigit, a, e)
	case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
		p.latin(r, a, e)
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		if p.prevIs(kLatin) {
			p.b.extend(e)
			return
		}
		p.visible(r, kWord, a, e)
	case unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsControl(r) || unicode.IsSpace(r):
		p.space(a, e)
	case unicode.Is(unicode.Cf, r):
		// Format characters (bidi controls, ZWJ, ...) are deleted.
	default:
		p.visible(unicode.ToLower(r), kWord, a, e)
	}
}

func nfkcStable(r rune) bool {
	return isInert(r, 2) || norm.NFKC.IsNormalString(string(r))
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '\u00B4', '\u02BB', '\u02BC', '\u2018', '\u2019':
		return true
	}
	return false
}

func isLatinLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	return unicode.IsLetter(r) && unicode.Is(unicode.Latin, r)
}

// peek returns the next rune from byte j of the pass input that the pass
// would not delete, or -1.
func (p *foldPass) peek(j int) (rune, int) {
	for j < len(p.t) {
		r, size := utf8.DecodeRuneInString(p.t[j:])
		switch {
		case r >= 0x600 && r <= 0x6FF:
			if a := foldAct[r-0x600]; a == faDrop || a == faCtl {
				j += size
				continue
			}
		case r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r): // ZWNJ, ZWSP too
			j += size
			continue
		}
		return r, j + size
	}
	return -1, j
}

// decimal handles "." and ٫: kept between digits, otherwise a separator.
func (p *foldPass) decimal(a, e int) {
	if r, _ := p.peek(e); p.touches(kDigit) && unicode.IsDigit(r) {
		p.pendZW = false
		p.visible('.', kDigit, a, e)
		return
	}
	p.space(a, e)
}

// group handles "," and ٬: deleted between a digit and a group of exactly
// three digits, otherwise a separator.
func (p *foldPass) group(a, e int) {
	if p.touches(kDigit) {
		j, n := e, 0
		for ; n < 4; n++ {
			r, next := p.peek(j)
			if !unicode.IsDigit(r) {
				break
			}
			j = next
		}
		if n == 3 {
			p.pendZW = false
			return
		}
	}
	p.space(a, e)
}

// apostrophe deletes an apostrophe inside a Latin word (Uzbek oʻ, gʻ) and
// treats any other as a separator.
func (p *foldPass) apostrophe(a, e int) {
	if r, _ := p.peek(e); p.touches(kLatin) && isLatinLetter(r) {
		p.pendZW = false
		return
	}
	p.space(a, e)
}

// touches is prevIs for punctuation, which Canonical separates from a
// preceding ZWNJ by deleting the ZWNJ.
func (p *foldPass) touches(k uint8) bool {
	return !p.pendSp && p.last == k
}

func (p *foldPass) prevIs(k uint8) bool {
	return !p.pendSp && !p.pendZW && p.last == k
}

// visible emits r after any pending space or ZWNJ. Every rune Fold emits is word-like:
// punctuation turns into a space, which drops a pending ZWNJ.
func (p *foldPass) visible(r rune, kind uint8, a, e int) {
	p.emit(r, true, a, e)
	p.last = kind
	p.runN = 0
}

// letter emits an Arabic-script letter, collapsing runs of three or more.
func (p *foldPass) letter(r rune, a, e int) {
	if p.runN > 0 && r == p.runRune && !p.pendSp && !p.pendZW {
		p.runN++
		switch p.runN {
		case 2:
			p.runSec = len(p.b.out)
			p.b.emit(r, a, e)
		case 3:
			p.b.truncate(p.runSec)
			p.b.lastRune = p.runFirst
			p.b.extend(e)
		default:
			p.b.extend(e)
		}
		return
	}
	p.visible(r, kArabic, a, e)
	p.runRune, p.runN, p.runFirst = r, 1, p.b.lastRune
}

// latin emits a non-ASCII Latin letter lower-cased and without diacritics.
func (p *foldPass) latin(r rune, a, e int) {
	for _, c := range latinFold(r) {
		p.visible(c, kLatin, a, e)
	}
}

var (
	latinOnce  sync.Once
	latinTable map[rune]string
)

// latinFold lower-cases a Latin letter and strips its diacritics, mapping
// š ž č ğ to sh zh ch gh first.
func latinFold(r rune) string {
	latinOnce.Do(func() {
		latinTable = make(map[rune]string, 1024)
		for c := rune(0x80); c <= 0x24F; c++ {
			if unicode.IsLetter(c) && unicode.Is(unicode.Latin, c) {
				latinTable[c] = latinFoldSlow(c)
			}
		}
		for c := rune(0x1E00); c <= 0x1EFF; c++ {
			latinTable[c] = latinFoldSlow(c)
		}
	})
	if s, ok := latinTable[r]; ok {
		return s
	}
	return latinFoldSlow(r)
}

func latinFoldSlow(r rune) string {
	var b strings.Builder
	var prev rune
	for _, c := range norm.NFKD.String(string(unicode.ToLower(r))) {
		switch {
		case c == '\u030C' && (prev == 's' || prev == 'z' || prev == 'c'),
			c == '\u0306' && prev == 'g':
			b.WriteByte('h')
		case unicode.Is(unicode.Mn, c):
		default:
			b.WriteRune(unicode.ToLower(c))
		}
		prev = c
	}
	return b.String()
}

// digitValue returns the value of a decimal digit (any script). Unicode
// encodes every decimal digit set as ten consecutive code points 0–9.
func digitValue(r rune) rune {
	if r >= '0' && r <= '9' {
		return r - '0'
	}
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return (r - lo) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return (r - lo) % 10
		}
	}
	return 0
}
