// Package i18n holds Twinning's message catalogs (one JSON file per language in locales/),
// plural rules, digits and language negotiation. Adding a language is translating one file:
// drop locales/uz.json beside fa.json, en.json and ru.json (its "lang.name" names it in the
// language switcher, and / negotiates it); missing keys fall back to English.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/twinning/twinning/internal/persian"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var localesFS embed.FS

// Default is the language used when nothing else is asked for: Persian.
const Default = "fa"

var (
	catalogs = map[string]map[string]string{}
	// Langs lists the languages with a catalog, Persian first.
	Langs   []string
	matcher language.Matcher
)

func init() {
	entries, err := fs.ReadDir(localesFS, "locales")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := localesFS.ReadFile(path.Join("locales", e.Name()))
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", e.Name(), err))
		}
		lang := strings.TrimSuffix(e.Name(), ".json")
		catalogs[lang] = m
		Langs = append(Langs, lang)
	}
	sort.Slice(Langs, func(i, j int) bool {
		if (Langs[i] == Default) != (Langs[j] == Default) {
			return Langs[i] == Default
		}
		return Langs[i] < Langs[j]
	})
	tags := make([]language.Tag, len(Langs))
	for i, l := range Langs {
		tags[i] = language.MustParse(l)
	}
	matcher = language.NewMatcher(tags)
}

// Supported reports whether lang has a catalog.
func Supported(lang string) bool { _, ok := catalogs[lang]; return ok }

// Negotiate picks the best supported language for an Accept-Language header, or fallback.
func Negotiate(acceptLanguage, fallback string) string {
	if strings.TrimSpace(acceptLanguage) == "" {
		return fallback
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return fallback
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return fallback
	}
	return Langs[idx]
}

// Dir returns the writing direction of a language: "rtl" or "ltr".
func Dir(lang string) string {
	switch strings.SplitN(lang, "-", 2)[0] {
	case "fa", "ar", "he", "ur", "ps", "ku", "ckb", "dv", "yi":
		return "rtl"
	}
	return "ltr"
}

// T translates key into lang, filling {name} placeholders from params. A key missing in lang
// falls back to English, then to the key itself, so a gap shows rather than breaks.
func T(lang, key string, params map[string]any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		if msg, ok = catalogs["en"][key]; !ok {
			msg = key
		}
	}
	if len(params) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '{')
		if i < 0 {
			b.WriteString(msg)
			break
		}
		j := strings.IndexByte(msg[i:], '}')
		if j < 0 {
			b.WriteString(msg)
			break
		}
		b.WriteString(msg[:i])
		name := msg[i+1 : i+j]
		if v, ok := params[name]; ok {
			// Identifiers stay Latin (Q182272, not Q۱۸۲۲۷۲): a value with a Latin letter is
			// written as it is; numbers take the language's digits.
			if s, isStr := v.(string); isStr && strings.ContainsFunc(s, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) {
				b.WriteString(s)
			} else {
				b.WriteString(Digits(lang, fmt.Sprint(v)))
			}
		} else {
			b.WriteString(msg[i : i+j+1])
		}
		msg = msg[i+j+1:]
	}
	return b.String()
}

// N translates a counted message: the catalog holds key.one, key.few, key.many, key.other as
// the language's plural rules need; {count} is filled with n in the language's digits.
func N(lang, key string, n float64, params map[string]any) string {
	p := map[string]any{"count": formatCount(n)}
	for k, v := range params {
		p[k] = v
	}
	cat := Plural(lang, n)
	if _, ok := catalogs[lang][key+"."+cat]; ok {
		return T(lang, key+"."+cat, p)
	}
	return T(lang, key+".other", p)
}

func formatCount(n float64) string {
	if n == math.Trunc(n) {
		return fmt.Sprintf("%d", int64(n))
	}
	return fmt.Sprint(n)
}

// Plural returns the CLDR plural category of n in lang: "one", "few", "many" or "other".
func Plural(lang string, n float64) string {
	i := int64(n)
	integer := float64(i) == n
	switch strings.SplitN(lang, "-", 2)[0] {
	case "fa", "hi", "bn", "am", "zu":
		// CLDR: one when the integer part is 0 or n is 1.
		if i == 0 || n == 1 {
			return "one"
		}
		return "other"
	case "ru", "uk", "be":
		if !integer {
			return "other"
		}
		switch {
		case i%10 == 1 && i%100 != 11:
			return "one"
		case i%10 >= 2 && i%10 <= 4 && (i%100 < 12 || i%100 > 14):
			return "few"
		}
		return "many"
	case "ar":
		switch {
		case n == 0:
			return "zero"
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		case integer && i%100 >= 3 && i%100 <= 10:
			return "few"
		case integer && i%100 >= 11:
			return "many"
		}
		return "other"
	case "tr", "uz", "tg", "ps", "ku":
		if n == 1 {
			return "one"
		}
		return "other"
	default: // en and most European languages
		if n == 1 && integer {
			return "one"
		}
		return "other"
	}
}

// Digits rewrites ASCII digits in the digits of lang (Persian ۰–۹ for fa, Arabic-Indic ٠–٩
// for ar), leaving other languages' text as it is.
func Digits(lang, s string) string {
	switch strings.SplitN(lang, "-", 2)[0] {
	case "fa", "ps", "ur":
		return persian.PersianDigits(s)
	case "ar":
		return persian.ArabicIndicDigits(s)
	}
	return s
}

// Number formats n with the language's digits and grouping (۱٬۲۳۴٬۵۶۷ in Persian).
func Number(lang string, n int64) string {
	s := fmt.Sprintf("%d", n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	switch strings.SplitN(lang, "-", 2)[0] {
	case "fa", "ar", "ps", "ur":
		sep = "٬"
	case "ru", "uz", "tg":
		sep = "\u00a0"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	return Digits(lang, out)
}

// ListSep separates the items of a list written in lang: the Persian comma in right-to-left
// languages.
func ListSep(lang string) string {
	if Dir(lang) == "rtl" {
		return "، "
	}
	return ", "
}

// Keys returns every key of the English catalog, for completeness tests.
func Keys() []string {
	var ks []string
	for k := range catalogs["en"] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Has reports whether lang's own catalog has key (no fallback).
func Has(lang, key string) bool { _, ok := catalogs[lang][key]; return ok }

// Wait says in lang when to try again after d: in whole minutes, rounded up, or in hours from
// two hours on ("Try again in 3 minutes.").
func Wait(lang string, d time.Duration) string {
	if d >= 2*time.Hour {
		return N(lang, "retry.hours", math.Ceil(d.Hours()), nil)
	}
	return N(lang, "retry.minutes", max(1, math.Ceil(d.Minutes())), nil)
}
