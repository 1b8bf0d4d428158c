package i18n

import "testing"

func TestCatalogsComplete(t *testing.T) {
	for _, lang := range Langs {
		for _, k := range Keys() {
			if !Has(lang, k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

func TestT(t *testing.T) {
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
	for _, tc := range []struct{ header, want string }{
		{"", "fa"},
		{"en-US,en;q=0.9", "en"},
		{"fa-IR", "fa"},
		{"de-DE, en;q=0.5", "en"},
		{"fr", "fa"},
		{"garbage;;;", "fa"},
	} {
		if got := Negotiate(tc.header, "fa"); got != tc.want {
			t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
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
