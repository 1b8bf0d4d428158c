package persian

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"",
	"تصریـــــح کرد: «سمرقند» و «اصفهان»",
	"می\u200Cتوانند میتوانند می توانند ماه می سال ۲۰۲۱",
	"كتابخانه ملي ﻣﺸﻬﺪ ﷼ ﷲ شَهرداری خانۀ مسی\u0654له",
	"\u200F\u202Bدنیا\u202C\u200B¬\u00A0\u2003 \uFEFF",
	"۱٬۲۳۴٫۵ 1,234,567 ١٤٠٣/١٢/٣٠ ۲/۵ میلیون 2.5",
	"São Paulo Farg‘ona Fargʻona Farg'ona Širāz ǅ ＡＢ ² ﬁ",
	"سلاممممم اـ\u0654 \u0627\u0653 ء\u200Cها",
	"سی و چهارمین یک و نیم میلیون سی\u200Cام دو هزار و بیست و یک",
	"a\xffb\xfe\u0301\u0302",
	"Самарқанд Исфахан Щёлково",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add(seedText(f))
}

func FuzzCanonical(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := Canonical(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Canonical(%q) = %q is not valid UTF-8", s, c)
		}
		if again := Canonical(c); again != c {
			t.Fatalf("Canonical not idempotent on %q: %q → %q", s, c, again)
		}
		if strings.HasPrefix(c, " ") || strings.HasSuffix(c, " ") || strings.Contains(c, "  ") {
			t.Fatalf("Canonical(%q) = %q has untrimmed or repeated spaces", s, c)
		}
	})
}

func FuzzFold(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		x := Fold(s)
		if !utf8.ValidString(x) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, x)
		}
		if again := Fold(x); again != x {
			t.Fatalf("Fold not idempotent on %q: %q → %q", s, x, again)
		}
		if viaCanonical := Fold(Canonical(s)); viaCanonical != x {
			t.Fatalf("Fold(Canonical(%q)) = %q, Fold = %q", s, viaCanonical, x)
		}
		checkFoldMap(t, s)
	})
}

func FuzzTokens(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		bounds := runeBounds(s)
		for _, tk := range Tokens(s) {
			if tk.Start < 0 || tk.End > len(s) || tk.Start > tk.End {
				t.Fatalf("Tokens(%q): %q has span %d:%d", s, tk.Term, tk.Start, tk.End)
			}
			if !bounds[tk.Start] || !bounds[tk.End] {
				t.Fatalf("Tokens(%q): %q span %d:%d not on rune boundaries", s, tk.Term, tk.Start, tk.End)
			}
			if tk.Term == "" || strings.ContainsAny(tk.Term, " \u200C") || !utf8.ValidString(tk.Term) {
				t.Fatalf("Tokens(%q): bad term %q", s, tk.Term)
			}
		}
		_ = QueryTerms(s)
		_ = LightStem(s)
	})
}

func FuzzParseNumber(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, _, ok := ParseNumber(s)
		if ok && (math.IsNaN(v) || math.IsInf(v, 0) || v < 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, v)
		}
	})
}

func FuzzFindNumbers(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		bounds := runeBounds(s)
		prevEnd := 0
		for _, m := range FindNumbers(s) {
			if m.Start < prevEnd || m.Start >= m.End || m.End > len(s) || !bounds[m.Start] || !bounds[m.End] {
				t.Fatalf("FindNumbers(%q): bad span %d:%d after %d", s, m.Start, m.End, prevEnd)
			}
			if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) || m.Value < 0 {
				t.Fatalf("FindNumbers(%q): value %v", s, m.Value)
			}
			prevEnd = m.End
		}
		_ = Skeleton(s)
	})
}

// NameForms gives what NameKey, SearchTerms and Skeleton give, one by one.
func FuzzNameForms(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkNameForms(t, s)
	})
}

func checkNameForms(t *testing.T, s string) {
	t.Helper()
	key, terms, skel := NameForms(s)
	if want := NameKey(s); key != want {
		t.Fatalf("NameForms(%q) key %q, NameKey %q", s, key, want)
	}
	if want := SearchTerms(s); strings.Join(terms, "|") != strings.Join(want, "|") || len(terms) != len(want) {
		t.Fatalf("NameForms(%q) terms %q, SearchTerms %q", s, terms, want)
	}
	if want := Skeleton(s); skel != want {
		t.Fatalf("NameForms(%q) skeleton %q, Skeleton %q", s, skel, want)
	}
}
