package persian

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ToPersianScript writes a Latin-script place name (or a Cyrillic one, through
// [Transliterate]) in Persian letters, the way Persian writes foreign names it
// has no settled spelling for: "Berlin" → «برلین», "Karlsruhe" → «کارلسروهه».
// It is a machine rendering from the spelling alone, not a source's name: the
// caller must show it as a transliteration (the world dataset stores it under
// the language tag fa-t-und-latn, "Persian transformed from Latin script").
//
// The rules (English-leaning, since most names reach the project in their
// English form):
//
//   - diacritics are dropped (ø æ ß ł ð þ and the like are spelled out first;
//     Azerbaijani ə is read as e, Persian's short vowel: Nəsimi → «نسیمی»);
//     digraphs before letters: sch/sh/ch/kh/gh/zh/th/ph/ck/qu/ou/oo/ee/ai/ei/au;
//     ngh is نگه; c is س before e, i, y and ک elsewhere; x is کس; j ج; q ک; w and v و;
//   - a doubled consonant is written once, and three vav in a row two;
//   - vowels at the start of a word are carried by alef: a → آ, e and i → ا/ای,
//     o and u → او;
//   - inside a word, a is ا, i and y ی, o and u و, and e, Persian's short
//     vowel, is not written; at the end, e is ه (Karlsruhe → کارلسروهه), a ا, o و;
//   - words keep their spaces; hyphens become spaces; digits and anything
//     else not a letter are left out.
//
// It returns "" when s has no Latin letter, or holds letters of another script
// (Chinese, Arabic…), which a Latin rule cannot read.
func ToPersianScript(s string) string {
	s = Transliterate(s)
	s = latinSpell.Replace(s)
	var b strings.Builder
	var word []rune
	latin := false
	flush := func() {
		if len(word) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		// «ووو» (Novo-, Vuvu-) is written «وو».
		b.WriteString(strings.ReplaceAll(latinWordToPersian(word), "ووو", "وو"))
		word = word[:0]
	}
	for _, r := range s {
		r = foldLatinRune(r)
		switch {
		case r >= 'a' && r <= 'z':
			word = append(word, r)
			latin = true
		case r == '\'' || r == '’' || r == 'ʼ' || r == 'ʻ' || r == '‘':
			// Xi'an, Oʻzbekiston, Taiʻarapu: the apostrophe separates syllables only (ʻ and ʼ
			// are letters to Unicode, so this comes first).
		case unicode.IsLetter(r):
			return "" // another script
		default:
			flush()
		}
	}
	flush()
	if !latin {
		return ""
	}
	return b.String()
}

// latinSpell spells out the Latin letters that have no decomposition.
var latinSpell = strings.NewReplacer("ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ß", "ss", "ł", "l",
	"Ł", "l", "đ", "d", "Đ", "d", "ı", "i", "œ", "oe", "Œ", "oe", "þ", "th", "Þ", "th", "ð", "d", "Ð", "d",
	"ŋ", "ng", "ħ", "h", "Ħ", "h", "ə", "e", "Ə", "e")

// foldLatinRune lower-cases r and drops a diacritic from a Latin letter.
func foldLatinRune(r rune) rune {
	r = unicode.ToLower(r)
	if r < utf8.RuneSelf {
		return r
	}
	if base, ok := latinBase[r]; ok {
		return base
	}
	return r
}

// latinBase maps the accented Latin letters of place names to their base letter.
var latinBase = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăąǎạảấầẩẫậắằẳẵặ",
		'c': "çćĉċč",
		'd': "ďḍ",
		'e': "èéêëēĕėęěẹẻẽếềểễệ",
		'g': "ĝğġģǧ",
		'h': "ĥḥ",
		'i': "ìíîïĩīĭįǐịỉ",
		'j': "ĵ",
		'k': "ķǩ",
		'l': "ĺļľŀ",
		'n': "ñńņňṇ",
		'o': "òóôõöōŏőǒọỏốồổỗộớờởỡợơ",
		'r': "ŕŗř",
		's': "śŝşšșṣ",
		't': "ţťțṭ",
		'u': "ùúûüũūŭůűųǔụủứừửữựư",
		'w': "ŵ",
		'y': "ýÿŷỳỹỵ",
		'z': "źżžẓ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// latinDigraphs are read before single letters, longest first.
var latinDigraphs = []struct{ latin, fa string }{
	{"tsch", "چ"}, {"ngh", "نگه"}, {"sch", "ش"}, {"tch", "چ"}, {"sh", "ش"}, {"ch", "چ"}, {"kh", "خ"},
	{"gh", "غ"}, {"zh", "ژ"}, {"th", "ت"}, {"ph", "ف"}, {"ck", "ک"}, {"qu", "کو"},
	{"dj", "ج"}, {"dzh", "ج"}, {"ts", "تس"},
}

// latinConsonants are the single consonants.
var latinConsonants = map[rune]string{
	'b': "ب", 'd': "د", 'f': "ف", 'g': "گ", 'h': "ه", 'j': "ج", 'k': "ک", 'l': "ل", 'm': "م",
	'n': "ن", 'p': "پ", 'q': "ک", 'r': "ر", 's': "س", 't': "ت", 'v': "و", 'w': "و", 'x': "کس",
	'z': "ز",
}

func isLatinVowel(r rune) bool { return strings.ContainsRune("aeiou", r) }

// latinWordToPersian writes one lower-case, unaccented Latin word in Persian letters.
func latinWordToPersian(w []rune) string {
	var b strings.Builder
	last := "" // the last consonant written, to write a doubled one once
	n := len(w)
	at := func(i int) rune {
		if i >= 0 && i < n {
			return w[i]
		}
		return 0
	}
	for i := 0; i < n; {
		r := w[i]
		initial, final := i == 0, false
		// Vowel groups.
		if isLatinVowel(r) || (r == 'y' && !isLatinVowel(at(i+1)) && i > 0) {
			j := i
			for j < n && (isLatinVowel(w[j]) || (w[j] == 'y' && (j == i || !isLatinVowel(at(j+1))))) {
				j++
			}
			group := string(w[i:j])
			final = j == n
			b.WriteString(latinVowels(group, initial, final))
			last = ""
			i = j
			continue
		}
		matched := false
		for _, d := range latinDigraphs {
			if strings.HasPrefix(string(w[i:]), d.latin) {
				if d.fa != last {
					b.WriteString(d.fa)
				}
				last = d.fa
				i += utf8.RuneCountInString(d.latin)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		var fa string
		switch r {
		case 'c':
			if nx := at(i + 1); nx == 'e' || nx == 'i' || nx == 'y' {
				fa = "س"
			} else {
				fa = "ک"
			}
		case 'y':
			fa = "ی" // a consonant y: before a vowel
		default:
			fa = latinConsonants[r]
		}
		if fa != last {
			b.WriteString(fa)
		}
		last = fa
		i++
	}
	return b.String()
}

// latinVowels writes a group of adjacent vowels.
func latinVowels(g string, initial, final bool) string {
	// Long or diphthong groups first.
	switch g {
	case "aa":
		if initial {
			return "آ"
		}
		return "ا"
	case "ey", "ee", "ie", "ii", "ea":
		if initial {
			return "ای"
		}
		return "ی"
	case "ai", "ay", "ei", "ae":
		return "ای"
	case "au", "aw", "ao":
		if initial {
			return "آئو"
		}
		return "ائو"
	case "ou", "oo", "uo", "eu", "oe", "ue":
		if initial {
			return "او"
		}
		return "و"
	}
	var b strings.Builder
	runes := []rune(g)
	for k, v := range runes {
		first, last := initial && k == 0, final && k == len(runes)-1
		switch v {
		case 'a':
			if first {
				b.WriteString("آ")
			} else {
				b.WriteString("ا")
			}
		case 'e':
			switch {
			case first:
				b.WriteString("ا")
			case last:
				b.WriteString("ه")
			case k > 0:
				b.WriteString("ئ")
			}
		case 'i', 'y':
			if first {
				b.WriteString("ای")
			} else {
				b.WriteString("ی")
			}
		case 'o', 'u':
			if first {
				b.WriteString("او")
			} else {
				b.WriteString("و")
			}
		}
	}
	return b.String()
}
