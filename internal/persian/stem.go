package persian

import (
	"strings"
	"unicode/utf8"
)

// Bound suffixes that may be written as a separate word (doc/persian.md §1.4).
var suffixSet = map[string]bool{
	"ها": true, "های": true, "هایی": true, "هایم": true, "هایت": true, "هایش": true,
	"هایمان": true, "هایتان": true, "هایشان": true, "ترین": true, "تر": true,
	"ای": true, "ام": true, "ات": true, "اش": true, "ایم": true, "اید": true,
	"اند": true, "گر": true, "گری": true,
}

func isVerbPrefix(w string) bool { return w == "می" || w == "نمی" }

// Joined plural endings, longest first (§1.5 rule 3).
var pluralEndings = []string{"هایمان", "هایتان", "هایشان", "هایی", "هایم", "هایت", "هایش", "های", "ها"}

// Words that end like a plural but are not (§1.5 rule 3).
var pluralExceptions = map[string]bool{
	"تنها": true, "اژدها": true, "انتها": true, "اشتها": true,
}

func hasExceptionPrefix(w string) bool {
	for e := range pluralExceptions {
		if strings.HasPrefix(w, e) {
			return true
		}
	}
	return false
}

// Nouns that begin like «می» + verb and must never lose it (§1.5 rule 2).
var prefixProtected = []string{
	"میدان", "میراث", "میلیون", "میلیارد", "میز", "میزان", "میهمان", "میانه",
	"میان", "میوه", "میهن", "میل", "میخ", "میش", "میمون", "مینا", "میگو",
	"میکروب", "میلاد", "میثاق", "میرزا", "میعاد", "میقات",
}

func isPrefixProtected(w string) bool {
	for _, p := range prefixProtected {
		if w == p {
			return true
		}
		if rest, ok := strings.CutPrefix(w, p); ok && (rest == "ی" || rest == "ای" || suffixSet[rest]) {
			return true
		}
	}
	return false
}

// LightStem is the guarded light stemmer of doc/persian.md §1.5, for a separate
// stemmed search field only. It takes one word (folded here; a ZWNJ or a
// single space inside it marks an explicit boundary, as in an affix join
// such as «می توانند») and returns the compact stem:
//
//  1. explicit boundaries: a leading «می»/«نمی» part and up to two trailing
//     parts from the bound suffixes or «ی» are dropped (خانه‌ام → خانه);
//  2. a joined «می»/«نمی» is stripped only when the rest is a verb body
//     (میتوانند → توانند, نمیدانم → دانم), never from nouns such as میدان,
//     میراث or میلیون;
//  3. a joined plural ending (ها, های, هایشان, ...) is stripped when two or
//     more letters remain, except in تنها, اژدها, انتها, اشتها and
//     their derived forms (تنهایی);
//  4. a joined «ترین» is stripped when two or more letters remain.
//
// Joined «تر», «ام», «ات», «ان» and «ی» are never stripped, so تهران, کرمان,
// اسلام and دفتر stay whole. Never apply LightStem to names: index names with
// Fold or NameKey only, so that تهران is never found as «تهر».
func LightStem(word string) string {
	parts := strings.FieldsFunc(Fold(word), func(r rune) bool { return r == ' ' || r == zwnj })
	if len(parts) == 0 {
		return ""
	}
	prefixDone, suffixDone := false, false
	if len(parts) > 1 && isVerbPrefix(parts[0]) {
		parts, prefixDone = parts[1:], true
	}
	for n := 0; n < 2 && len(parts) > 1; n++ {
		last := parts[len(parts)-1]
		if !suffixSet[last] && last != "ی" {
			break
		}
		parts, suffixDone = parts[:len(parts)-1], true
	}
	if !prefixDone {
		parts[0] = stripVerbPrefix(parts[0])
	}
	if !suffixDone {
		parts[len(parts)-1] = stripJoinedSuffix(parts[len(parts)-1])
	}
	return strings.Join(parts, "")
}

// stripVerbPrefix applies rule 2 to a compact word.
func stripVerbPrefix(w string) string {
	if isPrefixProtected(w) {
		return w
	}
	for _, p := range []string{"نمی", "می"} {
		if rest, ok := strings.CutPrefix(w, p); ok && isVerbBody(rest) {
			return rest
		}
	}
	return w
}

// stripJoinedSuffix applies rules 3 and 4 to a compact word.
func stripJoinedSuffix(w string) string {
	if !hasExceptionPrefix(w) {
		for _, e := range pluralEndings {
			if rest, ok := strings.CutSuffix(w, e); ok && utf8.RuneCountInString(rest) >= 2 {
				w = rest
				break
			}
		}
	}
	if rest, ok := strings.CutSuffix(w, "ترین"); ok && utf8.RuneCountInString(rest) >= 2 {
		w = rest
	}
	return w
}
