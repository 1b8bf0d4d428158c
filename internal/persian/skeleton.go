package persian

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Uzbek Cyrillic to Latin, 1995 alphabet (doc/persian.md §4.1 step 3). «е» is
// handled separately (ye word-initially or after a vowel).
var uzbekCyr = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ё': "yo", 'ж': "j",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
	'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "x", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ʼ", 'ы': "i",
	'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'ў': "oʻ", 'қ': "q", 'ғ': "gʻ", 'ҳ': "h",
}

// Russian Cyrillic to Latin, BGN/PCGN 1947.
var russianCyr = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ё': "ë", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n",
	'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ʺ", 'ы': "y",
	'ь': "ʹ", 'э': "e", 'ю': "yu", 'я': "ya",
	// Letters of neighbouring alphabets, so that nothing stays Cyrillic.
	'ў': "w", 'қ': "q", 'ғ': "gh", 'ҳ': "h", 'і': "i", 'ї': "yi", 'є': "ye",
	'ґ': "g", 'ҷ': "j", 'ӣ': "i", 'ӯ': "u", 'ә': "a", 'ө': "o", 'ү': "u",
	'ұ': "u", 'ң': "ng", 'һ': "h",
}

const cyrVowels = "аеёиоуыэюяўії"

// Transliterate writes the Cyrillic letters of s in Latin and leaves every
// other character alone. Text containing one of the Uzbek letters ў қ ғ ҳ is
// read as Uzbek and written in the official 1995 Uzbek Latin alphabet (х → x,
// ж → j, ў → oʻ, ғ → gʻ); other Cyrillic is read as Russian and written in
// BGN/PCGN (х → kh, ж → zh, щ → shch, ы → y). «е» is "ye" at the start of a
// word and after a vowel (and, in Russian, after ъ or ь), "e" elsewhere.
func Transliterate(s string) string {
	if !hasCyrillic(s) {
		return s
	}
	return transliterate(s, strings.ContainsAny(s, "ўқғҳЎҚҒҲ"))
}

// Readings returns the Latin readings of s: s itself when it has no Cyrillic letter, else its
// Uzbek and its Russian transliteration (one when they agree). Uzbek Cyrillic without one of
// its own letters («Бухоро») reads as Russian in Transliterate (Bukhoro); its Uzbek reading is
// Buxoro.
func Readings(s string) []string {
	if !hasCyrillic(s) {
		return []string{s}
	}
	uz, ru := transliterate(s, true), transliterate(s, false)
	if uz == ru {
		return []string{uz}
	}
	return []string{uz, ru}
}

// transliterate writes the Cyrillic letters of s in Latin, in the Uzbek or the Russian table.
func transliterate(s string, uzbek bool) string {
	table := russianCyr
	if uzbek {
		table = uzbekCyr
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := rune(-1)
	for i, r := range s {
		lr := unicode.ToLower(r)
		if !unicode.Is(unicode.Cyrillic, r) {
			b.WriteRune(r)
			prev = r
			continue
		}
		var lat string
		switch {
		case lr == 'е':
			lat = "e"
			if prev < 0 || !unicode.IsLetter(prev) || strings.ContainsRune(cyrVowels, unicode.ToLower(prev)) ||
				(!uzbek && (prev == 'ъ' || prev == 'ь' || prev == 'Ъ' || prev == 'Ь')) {
				lat = "ye"
			}
		case lr == 'ё' && !uzbek && (prev < 0 || !unicode.IsLetter(prev) || strings.ContainsRune(cyrVowels, unicode.ToLower(prev))):
			lat = "yë"
		default:
			var ok bool
			if lat, ok = table[lr]; !ok {
				lat = string(lr)
			}
		}
		if r != lr && lat != "" {
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if unicode.IsUpper(next) {
				lat = strings.ToUpper(lat)
			} else {
				c, n := utf8.DecodeRuneInString(lat)
				lat = string(unicode.ToUpper(c)) + lat[n:]
			}
		}
		b.WriteString(lat)
		prev = r
	}
	return b.String()
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x400 && r <= 0x52F {
			return true
		}
	}
	return false
}

// Latin digraphs of the skeleton, longest first.
var skelDigraphs = []struct {
	from string
	to   rune
}{
	{"shch", 'Š'}, {"sh", 'Š'}, {"ch", 'C'}, {"zh", 'J'}, {"kh", 'X'},
	{"gh", 'G'}, {"ph", 'P'}, {"ts", 'S'}, {"ck", 'K'},
}

// Latin single letters of the skeleton; vowels, y, w and v are dropped.
var skelLatin = map[rune]rune{
	'q': 'K', 'k': 'K', 'c': 'K', 'g': 'G', 'j': 'J', 'b': 'P', 'p': 'P', 'f': 'P',
	't': 'T', 'd': 'D', 's': 'S', 'z': 'Z', 'r': 'R', 'l': 'L', 'm': 'M', 'n': 'N',
	'h': 'H', 'x': 'X', 'ł': 'L', 'ß': 'S', 'đ': 'D', 'þ': 'T', 'ð': 'D',
}

// Persian letters of the skeleton (after Fold); ا ع و ی are dropped.
var skelPersian = map[rune]rune{
	'ب': 'P', 'پ': 'P', 'ف': 'P', 'ت': 'T', 'ط': 'T', 'ث': 'S', 'س': 'S', 'ص': 'S',
	'ج': 'J', 'ژ': 'J', 'چ': 'C', 'ح': 'H', 'ه': 'H', 'خ': 'X', 'د': 'D',
	'ذ': 'Z', 'ز': 'Z', 'ض': 'Z', 'ظ': 'Z', 'ر': 'R', 'ش': 'Š', 'غ': 'G', 'گ': 'G',
	'ق': 'K', 'ک': 'K', 'ل': 'L', 'م': 'M', 'ن': 'N',
}

// Skeleton returns the cross-script consonant skeleton of a name
// (doc/persian.md §4.1 step 4), used only to propose candidate matches:
// Samarkand, Samarqand, Самарқанд, Самарканд and سمرقند are all "SMRKND";
// Isfahan and اصفهان are "SPHN". Cyrillic is transliterated first, then the
// name is folded (which lower-cases Latin, strips diacritics and Uzbek
// apostrophes). Latin digraphs map first (shch, sh → Š; ch → C; zh → J;
// kh, x → X; gh → G; ph → P; ts → S; ck → K), then single consonants;
// vowels, y, w and v are dropped. Persian letters map by sound classes;
// ا آ ع و ی are dropped, and so is a word-final ه unless it follows ا.
// Repeated skeleton letters collapse to one; spaces and other characters
// are ignored. Never merge records on the skeleton alone, and treat
// skeletons of three letters or fewer as too weak without an alias match.
func Skeleton(name string) string {
	return skeletonOf(Fold(Transliterate(name)))
}

// NameForms returns NameKey(s), SearchTerms(s) and Skeleton(s), folding s once: the forms the
// search index keeps of a name.
func NameForms(s string) (key string, terms []string, skeleton string) {
	f, p := foldPasses(s, true, nil)
	defer putBuf(p)
	m := &spanMap{starts: p.starts, ends: p.ends}
	key = compact(f)
	terms = distinctTerms(tokens(s, foldedWords(f, m), m))
	if hasCyrillic(s) {
		skeleton = Skeleton(s) // folded after transliteration
	} else {
		skeleton = skeletonOf(f) // Transliterate(s) == s
	}
	return key, terms, skeleton
}

// skeletonOf is the skeleton of folded text t.
func skeletonOf(t string) string {
	out := make([]rune, 0, len(t)/2)
	add := func(r rune) {
		if n := len(out); n == 0 || out[n-1] != r {
			out = append(out, r)
		}
	}
	prev := rune(-1)
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		switch {
		case r < utf8.RuneSelf || unicode.Is(unicode.Latin, r):
			if n, to := skelDigraph(t[i:]); n > 0 {
				add(to)
				size = n
			} else if to, ok := skelLatin[r]; ok {
				add(to)
			}
		case r == heh:
			next, _ := utf8.DecodeRuneInString(t[i+size:])
			if !isArabicLetter(next) && prev != 'ا' {
				break // word-final ه is silent
			}
			add('H')
		default:
			if to, ok := skelPersian[r]; ok {
				add(to)
			}
		}
		prev = r
		i += size
	}
	return string(out)
}

func skelDigraph(s string) (int, rune) {
	for _, d := range skelDigraphs {
		if strings.HasPrefix(s, d.from) {
			return len(d.from), d.to
		}
	}
	return 0, 0
}

// SkeletonDistance is the Levenshtein distance between the skeletons of two
// names (not of two skeletons: pass names). 0 proposes a strong candidate,
// 1 a weak one; Исфахан and Isfahan are at distance 1 (SPXN, SPHN).
func SkeletonDistance(a, b string) int {
	return EditDistance(Skeleton(a), Skeleton(b))
}

// EditDistance is the Levenshtein distance between the runes of a and b.
func EditDistance(x, y string) int {
	a, b := []rune(x), []rune(y)
	if len(a) < len(b) {
		a, b = b, a
	}
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag, row[j] = row[j], next
		}
	}
	return row[len(b)]
}
