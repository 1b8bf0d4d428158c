package i18n

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestCatalogsComplete(t *testing.T) {
	t.Parallel()
	for _, lang := range Langs {
		for _, k := range Keys() {
			if !Has(lang, k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

// pluralForms are the CLDR categories a language's catalog must hold for each counted
// message (key.one/key.other in English).
var pluralForms = map[string][]string{"ru": {"one", "few", "many", "other"}}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

func placeholders(msg string) string {
	ps := placeholder.FindAllString(msg, -1)
	sort.Strings(ps)
	return strings.Join(ps, " ")
}

// TestCatalogsMatchEnglish: every catalog names the same placeholders as English in each
// message (a translation that drops {count} shows no number), and a language with more
// plural categories than English has all of them for every counted message.
func TestCatalogsMatchEnglish(t *testing.T) {
	t.Parallel()
	if !Supported("ru") {
		t.Fatal("no Russian catalog")
	}
	for _, lang := range Langs {
		for _, k := range Keys() {
			if !Has(lang, k) {
				continue // TestCatalogsComplete reports it
			}
			if got, want := placeholders(catalogs[lang][k]), placeholders(catalogs["en"][k]); got != want {
				t.Errorf("%s %q has placeholders [%s], English [%s]", lang, k, got, want)
			}
			if base, ok := strings.CutSuffix(k, ".other"); ok && Has("en", base+".one") {
				for _, form := range pluralForms[lang] {
					msg, ok := catalogs[lang][base+"."+form]
					if !ok {
						t.Errorf("%s lacks plural form %q", lang, base+"."+form)
					} else if placeholders(msg) != placeholders(catalogs["en"][k]) {
						t.Errorf("%s %q has placeholders [%s]", lang, base+"."+form, placeholders(msg))
					}
				}
			}
		}
	}
	for _, tc := range []struct {
		n    float64
		want string
	}{{1, "1 партнёр"}, {3, "3 партнёра"}, {11, "11 партнёров"}, {21, "21 партнёр"}, {25, "25 партнёров"}} {
		if got := N("ru", "count.partners", tc.n, nil); got != tc.want {
			t.Errorf("N(ru, %v) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestT(t *testing.T) {
	t.Parallel()
	if got := T("fa", "field.out_of_range", map[string]any{"min": -90, "max": 90}); got != "باید بین -۹۰ و ۹۰ باشد." {
		t.Errorf("fa = %q", got)
	}
	if got := T("en", "field.unknown_city", map[string]any{"value": "Q1"}); got != "No city “Q1” in the registry." {
		t.Errorf("en = %q", got)
	}
	if got := T("xx", "field.required", nil); got != "This field is required." {
		t.Errorf("fallback = %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ header, want string }{
		{"", "fa"},
		{"en-US,en;q=0.9", "en"},
		{"fa-IR", "fa"},
		{"de-DE, en;q=0.5", "en"},
		{"fr", "fa"},
		{"ru-RU,ru;q=0.9,en;q=0.8", "ru"},
		{"uz-UZ, ru;q=0.7, en;q=0.3", "ru"},
		{"garbage;;;", "fa"},
	} {
		if got := Negotiate(tc.header, "fa"); got != tc.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang string
		n    float64
		want string
	}{
		{"en", 1, "one"}, {"en", 0, "other"}, {"en", 2, "other"},
		{"fa", 0, "one"}, {"fa", 1, "one"}, {"fa", 13, "other"},
		{"ru", 1, "one"}, {"ru", 3, "few"}, {"ru", 11, "many"}, {"ru", 21, "one"}, {"ru", 25, "many"},
		{"uz", 1, "one"}, {"uz", 5, "other"},
		{"ar", 2, "two"}, {"ar", 105, "few"},
	} {
		if got := Plural(tc.lang, tc.n); got != tc.want {
			t.Errorf("Plural(%s, %v) = %s, want %s", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestNumberAndDigits(t *testing.T) {
	t.Parallel()
	if got := Number("fa", 1234567); got != "۱٬۲۳۴٬۵۶۷" {
		t.Errorf("fa = %q", got)
	}
	if got := Number("en", 1234567); got != "1,234,567" {
		t.Errorf("en = %q", got)
	}
	if got := Digits("fa", "1400-04-30"); got != "۱۴۰۰-۰۴-۳۰" {
		t.Errorf("digits = %q", got)
	}
	if Dir("fa") != "rtl" || Dir("en") != "ltr" || Dir("ar") != "rtl" {
		t.Error("Dir")
	}
}
