package persian

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// termsOf lists the terms of the given kinds, in order.
func termsOf(toks []Token, kinds ...TokenKind) []string {
	var out []string
	for _, tk := range toks {
		for _, k := range kinds {
			if tk.Kind == k {
				out = append(out, tk.Term)
			}
		}
	}
	return out
}

func TestTokensTable(t *testing.T) {
	t.Parallel()
	// doc/persian.md §1.4, computed examples; EX13.
	tests := []struct {
		in       string
		words    []string
		joins    []string
		shingles []string
	}{
		{"میتوانند", []string{"میتوانند"}, nil, nil},
		{"می" + zw + "توانند", []string{"میتوانند"}, nil, nil},
		{"می توانند", []string{"می", "توانند"}, []string{"میتوانند"}, nil},
		{"نمی توانند", []string{"نمی", "توانند"}, []string{"نمیتوانند"}, nil},
		{"دانشگاه های", []string{"دانشگاه", "های"}, []string{"دانشگاههای"}, nil},
		{"بین المللی", []string{"بین", "المللی"}, nil, []string{"بینالمللی"}},
		{"ماه می سال ۲۰۲۱", []string{"ماه", "می", "سال", "2021"}, nil, []string{"سال2021"}},
		{"بزرگ ترین شهر", []string{"بزرگ", "ترین", "شهر"}, []string{"بزرگترین"}, nil},
		{"رفته اند", []string{"رفته", "اند"}, []string{"رفتهاند"}, nil},
		{"می آیند", []string{"می", "ایند"}, []string{"میایند"}, nil},
		{"می رفت", []string{"می", "رفت"}, []string{"میرفت"}, nil},
		{"می دان", []string{"می", "دان"}, nil, nil},
		{"تفاهم نامه", []string{"تفاهم", "نامه"}, nil, []string{"تفاهمنامه"}},
		{"خواهر خوانده", []string{"خواهر", "خوانده"}, nil, []string{"خواهرخوانده"}},
		{"سمرقند. اصفهان", []string{"سمرقند", "اصفهان"}, nil, nil},
	}
	for _, tt := range tests {
		toks := Tokens(tt.in)
		if got := termsOf(toks, Word); !reflect.DeepEqual(got, tt.words) {
			t.Errorf("Tokens(%q) words = %q, want %q", tt.in, got, tt.words)
		}
		if got := termsOf(toks, Join); !reflect.DeepEqual(got, tt.joins) {
			t.Errorf("Tokens(%q) joins = %q, want %q", tt.in, got, tt.joins)
		}
		if got := termsOf(toks, Shingle); !reflect.DeepEqual(got, tt.shingles) {
			t.Errorf("Tokens(%q) shingles = %q, want %q", tt.in, got, tt.shingles)
		}
	}
}

func TestTokensParts(t *testing.T) {
	t.Parallel()
	toks := Tokens("می" + zw + "توانند بین" + zw + "المللی")
	want := []string{"میتوانند", "می", "توانند", "بینالمللی", "بین", "المللی"}
	if got := termsOf(toks, Word, Part); !reflect.DeepEqual(got, want) {
		t.Errorf("words and parts = %q, want %q", got, want)
	}
}

func TestTokensNoBogusJoin(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"ماه می سال ۲۰۲۱", "در ماه می سال گذشته"} {
		for _, term := range SearchTerms(s) {
			if term == "میسال" {
				t.Errorf("SearchTerms(%q) contains %q", s, term)
			}
		}
	}
}

func TestTokensOffsets(t *testing.T) {
	t.Parallel()
	s := "\u200Fنوروزی تصریـــــح کرد: «سمرقند» و ﻣﺸﻬﺪ می\u200Cتوانند ۱۳ خواهرخوانده‌ها"
	want := map[string]string{
		"نوروزی":           "نوروزی",
		"تصریح":            "تصریـــــح",
		"سمرقند":           "سمرقند",
		"مشهد":             "ﻣﺸﻬﺪ",
		"میتوانند":         "می\u200Cتوانند",
		"توانند":           "توانند",
		"13":               "۱۳",
		"13خواهرخوانده‌ها": "",
	}
	for _, tk := range Tokens(s) {
		if w, ok := want[tk.Term]; ok && w != "" && s[tk.Start:tk.End] != w {
			t.Errorf("token %q (%v) spans %q, want %q", tk.Term, tk.Kind, s[tk.Start:tk.End], w)
		}
		if tk.Start < 0 || tk.End > len(s) || tk.Start > tk.End || !utf8.RuneStart(s[tk.Start]) {
			t.Errorf("token %q has bad span %d:%d", tk.Term, tk.Start, tk.End)
		}
	}
}

// matches is how a search engine uses the analysis: a document matches
// when every query group has an alternative among the document's terms.
func matches(doc, query string) bool {
	terms := map[string]bool{}
	for _, t := range SearchTerms(doc) {
		terms[t] = true
	}
	groups := QueryTerms(query)
	if len(groups) == 0 {
		return false
	}
	for _, g := range groups {
		ok := false
		for _, alt := range g {
			ok = ok || terms[alt]
		}
		if !ok {
			return false
		}
	}
	return true
}

func TestSearchEquivalences(t *testing.T) {
	t.Parallel()
	classes := [][]string{
		{"می" + zw + "توانند", "میتوانند", "می توانند"},
		{"بین" + zw + "المللی", "بینالمللی", "بین المللی"},
		{"دانشگاه" + zw + "های", "دانشگاههای", "دانشگاه های"},
		{"كتابخانه ملي", "کتابخانه ملی"},
		{"تصریـــــح", "تصریح"},
		{"۱۳۹۷", "1397", "١٣٩٧"},
		{"خواهر خوانده", "خواهرخوانده", "خواهر" + zw + "خوانده"},
		{"Farg‘ona", "Fargona", "FARGʻONA"},
		{"São Paulo", "Sao Paulo"},
		{"ﻣﺸﻬﺪ", "مشهد"},
		{"شَهرداری", "شهرداری"},
	}
	for _, c := range classes {
		for _, doc := range c {
			for _, q := range c {
				if !matches("متن "+doc+" پایان", q) {
					t.Errorf("query %q does not find %q", q, doc)
				}
			}
		}
	}
}

func TestSearchNearMisses(t *testing.T) {
	t.Parallel()
	tests := []struct{ doc, query string }{
		{"ماه می سال ۲۰۲۱", "میسال"},
		{"میدان نقش جهان", "دان"},
		{"شهر تهران", "تهر"},
		{"گرگان", "گرگ"},
		{"کرمان", "کرم"},
		{"میلیون", "لیون"},
	}
	for _, tt := range tests {
		if matches(tt.doc, tt.query) {
			t.Errorf("query %q finds %q", tt.query, tt.doc)
		}
	}
}

func TestQueryTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want [][]string
	}{
		{"می توانند", [][]string{{"می", "میتوانند"}, {"توانند", "میتوانند"}}},
		{"میتوانند", [][]string{{"میتوانند"}}},
		{"بین المللی", [][]string{{"بین", "بینالمللی"}, {"المللی", "بینالمللی"}}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := QueryTerms(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("QueryTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSearchTermsDistinct(t *testing.T) {
	t.Parallel()
	terms := SearchTerms(seedText(t))
	seen := map[string]bool{}
	for _, term := range terms {
		if seen[term] || term == "" || strings.ContainsAny(term, " \u200C") {
			t.Fatalf("bad or repeated term %q", term)
		}
		seen[term] = true
	}
	for _, want := range []string{"میتوانند", "بینالمللی", "دانشگاههای", "تصریح", "1397", "سمرقند", "خواهرخوانده"} {
		if !seen[want] {
			t.Errorf("seed article terms lack %q", want)
		}
	}
}
