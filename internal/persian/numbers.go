package persian

import (
	"math"
	"strconv"
	"strings"
)

// Classes of number words (doc/persian.md §3.1).
const (
	nUnit    = iota + 1 // 0–9
	nTeen               // 10–19
	nTen                // 20–90
	nHundred            // 100–900
	nScale              // 10³, 10⁶, 10⁹, 10¹²
	nHalf               // نیم
	nDigits             // a digit token such as 600, 2.5
)

type numWord struct {
	class int
	value float64
}

// numLexicon maps folded number words to their class and value, including
// colloquial and spaced forms.
var numLexicon = map[string]numWord{
	"صفر": {nUnit, 0}, "یک": {nUnit, 1}, "یه": {nUnit, 1}, "دو": {nUnit, 2},
	"سه": {nUnit, 3}, "چهار": {nUnit, 4}, "چار": {nUnit, 4}, "پنج": {nUnit, 5},
	"شش": {nUnit, 6}, "شیش": {nUnit, 6}, "هفت": {nUnit, 7}, "هشت": {nUnit, 8},
	"نه": {nUnit, 9},
	"ده": {nTeen, 10}, "یازده": {nTeen, 11}, "دوازده": {nTeen, 12}, "سیزده": {nTeen, 13},
	"چهارده": {nTeen, 14}, "پانزده": {nTeen, 15}, "پونزده": {nTeen, 15},
	"شانزده": {nTeen, 16}, "شونزده": {nTeen, 16}, "هفده": {nTeen, 17}, "هیفده": {nTeen, 17},
	"هجده": {nTeen, 18}, "هیجده": {nTeen, 18}, "هژده": {nTeen, 18}, "نوزده": {nTeen, 19},
	"بیست": {nTen, 20}, "سی": {nTen, 30}, "چهل": {nTen, 40}, "پنجاه": {nTen, 50},
	"شصت": {nTen, 60}, "هفتاد": {nTen, 70}, "هشتاد": {nTen, 80}, "نود": {nTen, 90},
	"صد": {nHundred, 100}, "یکصد": {nHundred, 100}, "دویست": {nHundred, 200},
	"سیصد": {nHundred, 300}, "چهارصد": {nHundred, 400}, "پانصد": {nHundred, 500},
	"پونصد": {nHundred, 500}, "ششصد": {nHundred, 600}, "هفتصد": {nHundred, 700},
	"هشتصد": {nHundred, 800}, "نهصد": {nHundred, 900},
	"هزار": {nScale, 1e3}, "میلیون": {nScale, 1e6}, "میلیارد": {nScale, 1e9},
	"بیلیون": {nScale, 1e9}, "تریلیون": {nScale, 1e12},
	"نیم": {nHalf, 0.5},
}

// Irregular ordinals and the base they stand for.
var irregularOrdinals = map[string]string{
	"اول": "یک", "اولین": "یک", "نخست": "یک", "نخستین": "یک",
	"یکم": "یک", "یکمین": "یک", "سوم": "سه", "سومین": "سه",
}

// Bare words that are numbers only in context (§3.2 context guard).
var guardedWords = map[string]bool{
	"نه": true, "ده": true, "دو": true, "سی": true, "دهم": true, "سیم": true, "نخست": true,
}

// Words that make a guarded number word a number when next to it: counted
// nouns, date words, month names and measure words (all folded).
var contextWords = setOf(`سال سالگی ساله روز روزه ماه ماهه هفته ساعت دقیقه ثانیه قرن سده دهه شب
بار مرتبه نوبت مرحله دوره جلسه درصد نفر تن عدد مورد جلد نسخه قسمت بخش طبقه
کیلومتر متر کیلوگرم گرم لیتر هکتار تومان ریال دلار یورو
شهر شهردار کشور استان منطقه دانشگاه خواهرخوانده خواهرخواندگی نهاد موسسه مرکز طرف جانب
هیات عضو دانشجو استاد هنرمند شرکت اتاق سفارت تفاهمنامه قرارداد سند برنامه پروژه طرح
جشنواره رویداد نمایشگاه همایش کنفرانس سفر شبکه کودک فرزند زن مرد نماینده فیلم کتاب
فروردین اردیبهشت خرداد تیر مرداد امرداد شهریور مهر ابان اذر دی بهمن اسفند
ژانویه فوریه مارس اوریل مه ژوین ژوییه اوت اگوست سپتامبر اکتبر نوامبر دسامبر
جنوری فبروری مارچ اپریل جون جولای اگست سپتمبر اکتوبر نومبر دسمبر
محرم ربیع جمادی رجب شعبان رمضان شوال`)

// Words that are not the counted noun of a number.
var functionWords = setOf(`و در از به با که را این ان تا برای بر هم نیز یا اما ای است بود شد
می نمی ها های چون اگر همه هر پس دیگر بین میان`)

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// NumberMatch is a number phrase found in a text.
type NumberMatch struct {
	Start, End int     // byte offsets of the phrase in the original text
	Value      float64 // exact for integers up to 2⁵³; see Int
	Ordinal    bool    // سی و چهارمین, بیست و یکم, سوم, ...
	// Noun is the word right after the phrase, folded and compact, when it
	// is not a function word or a number: the counted noun of «۱۳
	// خواهرخوانده» ("خواهرخوانده") or the head of «سی و چهارمین جشنواره».
	// It is a hint, not a parse.
	Noun string
	// Ambiguous is set when the phrase uses «بیلیون», read as 10⁹ (some
	// sources mean 10¹²).
	Ambiguous bool
}

// Int returns Value as an integer when it is integral and exact.
func (m NumberMatch) Int() (int64, bool) {
	return intValue(m.Value)
}

func intValue(v float64) (int64, bool) {
	if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		return 0, false
	}
	return int64(v), true
}

// ntok is one number-scanning token: a word, or a ZWNJ-separated part of one.
type ntok struct {
	text       string // folded, compact
	start, end int    // original span
	word       int    // index of the word it belongs to
	first      bool   // first part of its word
	last       bool   // last part of its word
	digits     bool
	value      float64 // for digits
}

// numTokens splits s into number-scanning tokens. "/" between two digit
// tokens is a decimal separator (۲/۵ میلیون) when no other slash touches
// them.
func numTokens(s string) ([]ntok, []word) {
	ws, m, p := words(s)
	defer putBuf(p)
	toks := make([]ntok, 0, len(ws))
	for wi, w := range ws {
		if len(w.compact) == len(w.folded) {
			toks = append(toks, newNtok(w.compact, w.start, w.end, wi, true, true))
			continue
		}
		parts := appendParts(nil, w, m)
		for pi, p := range parts {
			toks = append(toks, newNtok(p.Term, p.Start, p.End, wi, pi == 0, pi == len(parts)-1))
		}
	}
	return mergeSlashDecimals(s, toks), ws
}

func newNtok(text string, start, end, word int, first, last bool) ntok {
	t := ntok{text: text, start: start, end: end, word: word, first: first, last: last}
	if v, ok := parseDigits(text); ok {
		t.digits, t.value = true, v
	}
	return t
}

// parseDigits accepts ASCII digits with at most one inner ".".
func parseDigits(s string) (float64, bool) {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return 0, false
	}
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return 0, false
		}
	}
	if dots > 1 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func mergeSlashDecimals(s string, toks []ntok) []ntok {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+1 < len(toks) && t.digits && toks[i+1].digits && gap(s, t.end, toks[i+1].start) == "/" &&
			!strings.Contains(t.text, ".") && !strings.Contains(toks[i+1].text, ".") &&
			(t.start == 0 || s[t.start-1] != '/') &&
			(toks[i+1].end == len(s) || s[toks[i+1].end] != '/') {
			if v, err := strconv.ParseFloat(t.text+"."+toks[i+1].text, 64); err == nil {
				n := toks[i+1]
				t.value, t.end, t.last, t.text = v, n.end, n.last, t.text+"."+n.text
				i++
			}
		}
		out = append(out, t)
	}
	return out
}

// ParseNumber reads the number phrase at the start of s (doc/persian.md §3):
// cardinals (سی و چهار, دو هزار و بیست و یک, شش صد, colloquial پونزده),
// ordinals (سی و چهارمین, بیست و یکم, سوم, سی‌ام, اول, نخستین, هزارمین),
// digits alone or mixed with words (۶۰۰ میلیون, ۲ هزار و ۵۰۰, ۱٬۲۰۰ میلیارد,
// ۲/۵ میلیون, ۲٫۵ میلیون) and halves (یک و نیم میلیون). Text after the phrase,
// such as the counted noun in «۱۳ خواهرخوانده», is ignored; ok is false when
// s does not start with a number. value is a float64 so that 2.5 million
// and 10¹² fit; it is exact for every integer up to 2⁵³ (use
// value == math.Trunc(value) to test for an integer). «بیلیون» is read as
// 10⁹. ParseNumber applies no context guard: ParseNumber("نه") is 9; use
// FindNumbers to scan running text.
func ParseNumber(s string) (value float64, ordinal bool, ok bool) {
	toks, _ := numTokens(s)
	r := parsePhrase(toks, 0)
	if r.n == 0 {
		return 0, false, false
	}
	return r.value, r.ordinal, true
}

// FindNumbers returns the number phrases of text, in order, with their
// original spans. It applies the context guard of doc/persian.md §3.2: a phrase
// is taken when it contains a digit or two or more number words (سی و
// چهار); a single number word is taken unless it is one of the ambiguous
// bare words «نه» (no), «ده» (village), «دو» (run), «سی» (CD), «دهم» (I
// give), «سیم» (wire) or «نخست», which count only next to a digit, a counted
// noun, a date or measure word or a month name (دو شهر, ساعت ده). A phrase
// starts and ends at word boundaries, so «دو» in «دو‌جانبه» is not a number.
func FindNumbers(text string) []NumberMatch {
	toks, ws := numTokens(text)
	var found []NumberMatch
	for k := 0; k < len(toks); {
		if !toks[k].first {
			k++
			continue
		}
		r := parsePhrase(toks, k)
		if r.n == 0 || !toks[k+r.n-1].last || !guardOK(toks, ws, k, r) {
			k++
			continue
		}
		lastTok := toks[k+r.n-1]
		if len(found) > 0 && toks[k].start < found[len(found)-1].End {
			// Both come from one character (¼ folds to "1 4").
			k += r.n
			continue
		}
		m := NumberMatch{Start: toks[k].start, End: lastTok.end, Value: r.value, Ordinal: r.ordinal, Ambiguous: r.ambiguous}
		if nw := lastTok.word + 1; nw < len(ws) {
			if noun := ws[nw].compact; isNounCandidate(noun) && !breakBetween(gap(text, lastTok.end, ws[nw].start)) {
				m.Noun = noun
			}
		}
		found = append(found, m)
		k += r.n
	}
	return found
}

func isNounCandidate(w string) bool {
	if functionWords[w] || suffixSet[w] {
		return false
	}
	if _, ok := numLexicon[w]; ok {
		return false
	}
	if _, ok := parseDigits(w); ok {
		return false
	}
	for _, r := range w {
		if !(isArabicLetter(r) || isLatinLetter(r)) {
			return false
		}
	}
	return true
}

// guardOK applies the context guard to a parsed phrase.
func guardOK(toks []ntok, ws []word, k int, r phrase) bool {
	if r.words >= 2 || r.hasDigits {
		return true
	}
	first := toks[k]
	if !guardedWords[first.text] {
		return true
	}
	if k > 0 && (toks[k-1].digits || contextWords[ws[toks[k-1].word].compact]) {
		return true
	}
	last := toks[k+r.n-1]
	if k+r.n < len(toks) && toks[k+r.n].digits {
		return true
	}
	if nw := last.word + 1; nw < len(ws) {
		next := ws[nw].compact
		if contextWords[next] {
			return true
		}
		// Plural or ezafe forms of a context word: «دو شهرهای», «ده روزه».
		for _, e := range []string{"ها", "های", "ی", "ه"} {
			if strings.HasSuffix(next, e) && contextWords[strings.TrimSuffix(next, e)] {
				return true
			}
		}
	}
	return false
}

// phrase is the result of parsing a number phrase.
type phrase struct {
	n         int // tokens consumed, including «و» and ordinal suffix tokens
	words     int // number tokens (not «و»)
	value     float64
	ordinal   bool
	hasDigits bool
	ambiguous bool
}

// numState is the §3.2 accumulator with the ordering checks that keep two
// separate numbers from running together.
type numState struct {
	total, current float64
	lastScale      float64
	place          int     // 0 empty group, 3 after hundreds, 2 after tens, 1 closed
	unitOnly       float64 // the group is a single unit 1–9 (for «چهار صد»)
	prevScale      bool    // the previous token was a scale
	half           bool
	zero           bool
	count          int
}

// add applies one number word or digit token; it reports false, leaving the
// state unchanged, when the token cannot continue the phrase.
func (st *numState) add(w numWord) bool {
	if st.zero {
		return false
	}
	next := *st
	next.prevScale = false
	switch w.class {
	case nDigits:
		if st.place != 0 || st.current != 0 || st.half {
			return false
		}
		next.current, next.place = w.value, 1
	case nUnit:
		if w.value == 0 {
			if st.count > 0 {
				return false
			}
			next.zero = true
		}
		if st.place == 1 {
			return false
		}
		if st.place == 0 && w.value > 0 {
			next.unitOnly = w.value
		} else {
			next.unitOnly = 0
		}
		next.current += w.value
		next.place = 1
	case nTeen:
		if st.place != 0 && st.place != 3 {
			return false
		}
		next.current += w.value
		next.place, next.unitOnly = 1, 0
	case nTen:
		if st.place != 0 && st.place != 3 {
			return false
		}
		next.current += w.value
		next.place, next.unitOnly = 2, 0
	case nHundred:
		switch {
		case st.place == 0:
			next.current += w.value
		case w.value == 100 && st.place == 1 && st.unitOnly > 0 && st.current == st.unitOnly && !st.half:
			next.current = st.unitOnly * 100
		default:
			return false
		}
		next.place, next.unitOnly = 3, 0
	case nHalf:
		if st.half || st.current != math.Trunc(st.current) {
			return false
		}
		next.current += 0.5
		next.half, next.place, next.unitOnly = true, 1, 0
	case nScale:
		switch {
		case st.current > 0:
			if st.total > 0 && w.value >= st.lastScale {
				return false
			}
			next.total += st.current * w.value
		case st.total == 0 && st.count == 0:
			next.total = w.value
		case st.total > 0 && st.prevScale && w.value > st.lastScale:
			next.total *= w.value
		default:
			return false
		}
		next.current, next.place, next.unitOnly, next.half = 0, 0, 0, false
		next.lastScale, next.prevScale = w.value, true
	default:
		return false
	}
	next.count++
	*st = next
	return true
}

// parsePhrase parses the longest number phrase starting at toks[k].
func parsePhrase(toks []ntok, k int) phrase {
	var st numState
	var r phrase
	i := k
	for i < len(toks) {
		t := toks[i]
		conj := false
		if t.text == "و" {
			// «و» joins only two parts of the same number.
			if st.count == 0 || i+1 >= len(toks) {
				break
			}
			conj = true
			t = toks[i+1]
		}
		w, ordinal, ok := classify(t)
		if !ok {
			break
		}
		if !st.add(w) {
			break
		}
		if conj {
			i++
		}
		i++
		r.words++
		r.hasDigits = r.hasDigits || t.digits
		r.ambiguous = r.ambiguous || t.text == "بیلیون"
		if ordinal {
			r.ordinal = true
			break
		}
		// A separate «ام»/«امین» after سی or digits: سی ام, سی‌امین, ۳۰ ام.
		if i < len(toks) && (toks[i].text == "ام" || toks[i].text == "امین") && (t.text == "سی" || t.digits) {
			r.ordinal = true
			i++
			break
		}
		if w.class == nUnit && w.value == 0 {
			break
		}
	}
	if r.words == 0 {
		return phrase{}
	}
	r.n = i - k
	r.value = st.total + st.current
	return r
}

// classify reads one token as a number word, possibly with an ordinal
// suffix.
func classify(t ntok) (w numWord, ordinal, ok bool) {
	if t.digits {
		return numWord{nDigits, t.value}, false, true
	}
	if w, ok := numLexicon[t.text]; ok {
		return w, false, true
	}
	if base, ok := irregularOrdinals[t.text]; ok {
		return numLexicon[base], true, true
	}
	for _, suf := range []string{"امین", "ام"} {
		if base, ok := strings.CutSuffix(t.text, suf); ok {
			if base == "سی" {
				return numLexicon[base], true, true
			}
			if v, ok := parseDigits(base); ok && !strings.Contains(base, ".") {
				return numWord{nDigits, v}, true, true
			}
		}
	}
	for _, suf := range []string{"مین", "م"} {
		base, ok := strings.CutSuffix(t.text, suf)
		if !ok {
			continue
		}
		if base == "سو" {
			base = "سه"
		}
		if w, ok := numLexicon[base]; ok && w.class != nHalf {
			return w, true, true
		}
		if suf == "مین" {
			if v, ok := parseDigits(base); ok && !strings.Contains(base, ".") {
				return numWord{nDigits, v}, true, true
			}
		}
	}
	return numWord{}, false, false
}
