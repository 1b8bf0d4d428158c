package persian

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Code points the normalization rules name.
const (
	zwnj      = '\u200C'
	zwsp      = '\u200B'
	notSign   = '\u00AC' // «¬», a ZWNJ stand-in on some keyboards
	kashida   = '\u0640'
	hamzaAbov = '\u0654'
	farsiYeh  = '\u06CC'
	keheh     = '\u06A9'
	heh       = '\u0647'
	yehHamza  = '\u0626'
)

// Canonical returns the stored and displayed form of s (doc/persian.md §1.2,
// rules A1–A10; the optional quote rule A11 is not applied):
//
//   - Unicode NFC; invisible bidi and format controls deleted;
//   - ZWSP, and «¬» between two Arabic letters, become ZWNJ;
//   - Arabic presentation forms become their NFKC letters (ﻣﺸﻬﺪ → مشهد, ﷼ → ریال);
//   - Arabic yeh and kaf variants become Persian ی and ک, heh variants ه,
//     and ۀ becomes ه followed by U+0654;
//   - Arabic-Indic digits become Persian digits; ASCII digits are kept;
//   - kashida and harakat are deleted;
//   - every run of white space becomes one space, and the result is trimmed;
//   - ZWNJ runs collapse, and a ZWNJ next to a space, punctuation or the ends
//     of the text is deleted.
//
// Canonical never inserts ZWNJ, splits numbers, stems, or folds أ/آ/ؤ/ئ.
// Invalid UTF-8 becomes U+FFFD. Canonical is idempotent.
func Canonical(s string) string {
	for iter := 0; ; iter++ {
		t, _ := normalizeMap(norm.NFC, s, false)
		p := canonPass{t: t, gaps: gaps{b: getBuf(len(t), false, nil)}}
		p.run()
		out := string(p.b.out)
		putBuf(p.b)
		// Deleting controls or kashida can bring a letter and a combining
		// hamza together; compose them too, so that Canonical is idempotent.
		if iter == 2 || isNormal(norm.NFC, out) {
			return out
		}
		s = out
	}
}

// Canonical actions for U+0600–U+06FF.
const (
	caWord   uint8 = iota // keep; letter, digit or mark
	caPunct               // keep; punctuation or symbol
	caDrop                // delete, attached to the previous letter (kashida, harakat)
	caCtl                 // delete (ALM)
	caMap                 // replace by canonMap
	caHehHmz              // ۀ → ه + U+0654
)

var (
	canonAct [256]uint8
	canonMap [256]rune
)

func init() {
	for i := range canonAct {
		r := rune(0x600 + i)
		switch {
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			canonAct[i] = caPunct
		default:
			canonAct[i] = caWord
		}
	}
	set := func(to rune, from ...rune) {
		for _, r := range from {
			canonAct[r-0x600] = caMap
			canonMap[r-0x600] = to
		}
	}
	set(farsiYeh, 0x64A, 0x649, 0x6D0, 0x6CD, 0x6CE, 0x6D2, 0x6D3, 0x620, 0x678)
	set(keheh, 0x643, 0x6AA, 0x6AB, 0x6AC, 0x6AD, 0x6AE)
	set(heh, 0x6C1, 0x6BE, 0x6D5, 0x6C2)
	for d := rune(0); d < 10; d++ {
		set(0x6F0+d, 0x660+d)
	}
	canonAct[0x6C0-0x600] = caHehHmz
	canonAct[kashida-0x600] = caDrop
	for r := rune(0x64B); r <= 0x652; r++ {
		canonAct[r-0x600] = caDrop
	}
	canonAct[0x61C-0x600] = caCtl
}

// isInvisibleControl reports the A2 controls (ALM is in the Arabic table).
func isInvisibleControl(r rune) bool {
	switch {
	case r == 0x200E, r == 0x200F, r == 0x200D, r == 0x2060, r == 0xFEFF, r == 0xAD:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func isPresentationForm(r rune) bool {
	return (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF)
}

var (
	presOnce sync.Once
	presExp  []string // NFKC of U+FB50+i, or "" when unchanged
)

// presentationExpansion returns the NFKC form of an Arabic presentation
// form, or "" when it has none.
func presentationExpansion(r rune) string {
	presOnce.Do(func() {
		presExp = make([]string, 0xFEFF-0xFB50+1)
		for c := rune(0xFB50); c <= 0xFEFF; c++ {
			if !isPresentationForm(c) {
				continue
			}
			if x := norm.NFKC.String(string(c)); x != string(c) {
				presExp[c-0xFB50] = x
			}
		}
	})
	return presExp[r-0xFB50]
}

func isArabicLetter(r rune) bool {
	return r >= 0x600 && unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}

// canonPass applies A2–A10 to an NFC string in one pass.
type canonPass struct {
	gaps
	t        string
	lastWord bool // the last emitted rune is a letter, digit or mark
}

func (p *canonPass) run() {
	t := p.t
	for i := 0; i < len(t); {
		r, size := rune(t[i]), 1
		if c := t[i]; c >= 0xD8 && c <= 0xDB && i+1 < len(t) && t[i+1]&0xC0 == 0x80 {
			p.arabic(rune(c&0x1F)<<6|rune(t[i+1]&0x3F), i, i+2)
			i += 2
			continue
		}
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(t[i:])
			if r == utf8.RuneError && size == 1 {
				p.visible(utf8.RuneError, false, i, i+1)
				i++
				continue
			}
		}
		if r == notSign && p.afterArabicLetter() && isArabicLetter(p.peek(i+size)) {
			r = zwnj
		}
		p.rune(r, i, i+size)
		i += size
	}
}

// peek returns the next rune at or after j that the pass does not delete,
// or -1 at the end.
func (p *canonPass) peek(j int) rune {
	for j < len(p.t) {
		r, size := utf8.DecodeRuneInString(p.t[j:])
		if r >= 0x600 && r <= 0x6FF {
			if a := canonAct[r-0x600]; a == caDrop || a == caCtl {
				j += size
				continue
			}
		} else if isInvisibleControl(r) || r == zwnj || r == zwsp {
			j += size
			continue
		}
		if isPresentationForm(r) {
			if x := presentationExpansion(r); x != "" {
				r, _ = utf8.DecodeRuneInString(x)
			}
		}
		return r
	}
	return -1
}

// afterArabicLetter reports whether the last visible rune is an Arabic
// letter with no space after it (a pending ZWNJ merges with «¬»).
func (p *canonPass) afterArabicLetter() bool {
	return !p.pendSp && isArabicLetter(p.b.lastRuneValue())
}

// rune handles one rune of the input (or of a presentation-form expansion)
// that came from input span [a, e).
func (p *canonPass) rune(r rune, a, e int) {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case r == ' ' || (r >= '\t' && r <= '\r'):
			p.space(a, e)
		case r < ' ' || r == 0x7F:
			p.visible(r, false, a, e)
		case isASCIIWord(r):
			p.visible(r, true, a, e)
		default:
			p.visible(r, false, a, e)
		}
	case r >= 0x600 && r <= 0x6FF:
		p.arabic(r, a, e)
	case r == zwnj || r == zwsp:
		if p.b.lastRune >= 0 && !p.pendSp && p.lastWord {
			p.joiner(a, e)
		}
	case isInvisibleControl(r):
		// A2: deleted.
	case isPresentationForm(r):
		x := presentationExpansion(r)
		if x == "" {
			p.visible(r, isWordRune(r), a, e)
			return
		}
		for _, c := range x {
			p.rune(c, a, e)
		}
	case unicode.IsSpace(r):
		p.space(a, e)
	default:
		p.visible(r, isWordRune(r), a, e)
	}
}

func (p *canonPass) arabic(r rune, a, e int) {
	switch canonAct[r-0x600] {
	case caWord:
		if r == hamzaAbov && !p.pendSp && !p.pendZW && p.b.lastRuneValue() == farsiYeh {
			// ی + U+0654 is ئ (A1); NFC composes only the Arabic yeh.
			start := p.b.lastRune
			if p.b.track {
				a = p.b.starts[start]
			}
			p.b.truncate(start)
			p.b.emit(yehHamza, a, e)
			return
		}
		p.visible(r, true, a, e)
	case caPunct:
		p.visible(r, false, a, e)
	case caMap:
		p.visible(canonMap[r-0x600], true, a, e)
	case caHehHmz:
		p.visible(heh, true, a, e)
		p.b.emit(hamzaAbov, a, e)
	case caDrop:
		if !p.pendSp && !p.pendZW {
			p.b.extend(e)
		}
	case caCtl:
	}
}

// visible emits r after any pending space or ZWNJ. word tells whether r is
// part of a word (a ZWNJ before punctuation is dropped).
func (p *canonPass) visible(r rune, word bool, a, e int) {
	p.emit(r, word, a, e)
	p.lastWord = word
}

func isASCIIWord(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// isWordRune reports whether r belongs inside a word: anything but
// punctuation, symbols, spaces and controls.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIWord(r)
	}
	return !(unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError)
}
