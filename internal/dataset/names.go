package dataset

import (
	"strings"
	"unicode"

	"github.com/twinning/twinning/internal/persian"
)

// nameKey is the one place that decides when two names are the same name: persian.NameKey
// (Persian letters unified, digits ASCII, Latin lowercased without diacritics, no spaces or
// ZWNJ) after folding ø/æ/ß/ł, then without punctuation and with the Saint/St./Sankt
// variants that city lists mix made one.
func nameKey(s string) string {
	k := persian.NameKey(latinFold.Replace(s))
	var b strings.Builder
	for _, r := range k {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	k = b.String()
	for _, p := range [...]string{"sankt", "sainte", "saint", "santa", "sant", "ste", "st"} {
		if strings.HasPrefix(k, p) && len(k) > len(p)+2 {
			return "st" + k[len(p):]
		}
	}
	return k
}

// canonical is the stored form of Persian and Arabic-script text (Arabic ي/ك → ی/ک).
func canonical(s string) string { return strings.TrimSpace(persian.Canonical(s)) }

// latinFold maps the Latin letters that Unicode decomposition leaves whole (persian.NameKey
// keeps them), and the apostrophes lists spell Xi'an with.
var latinFold = strings.NewReplacer("ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ß", "ss", "ł", "l",
	"Ł", "l", "đ", "d", "Đ", "d", "ı", "i", "œ", "oe", "Œ", "oe", "þ", "th", "ð", "d", "ʻ", "", "ʼ", "",
	"’", "", "‘", "", "'", "", "`", "")

// cleanFA strips the Wikipedia-title qualifier Natural Earth keeps on Persian names, after
// the Arabic comma or the Arabic thousands separator some titles use in its place
// ("خوجایلی، ازبکستان" → "خوجایلی", "پاچوکا٬ ایدالگو" → "پاچوکا"), and canonicalizes the rest.
func cleanFA(s string) string {
	if i := strings.IndexAny(s, "،٬"); i > 0 {
		s = s[:i]
	}
	return canonical(s)
}

// nameVariants returns s and the forms lists write it in: without a parenthetical
// ("Isani (Tbilisi)"), and without a trailing ", region".
func nameVariants(s string) []string {
	s = strings.TrimSpace(s)
	out := []string{s}
	if i := strings.IndexByte(s, '('); i > 0 {
		out = append(out, strings.TrimSpace(s[:i]))
	}
	if i := strings.IndexByte(s, ','); i > 0 {
		out = append(out, strings.TrimSpace(s[:i]))
	}
	if i := strings.Index(s, " / "); i > 0 {
		out = append(out, strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+3:]))
	}
	return out
}
