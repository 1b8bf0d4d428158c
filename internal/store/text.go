package store

import (
	"slices"

	"github.com/twinning/twinning/internal/persian"
)

// The text functions the index uses, all from internal/persian so that indexing and querying
// fold text the same way on both engines.

func nameKey(s string) string { return persian.NameKey(s) }

func searchTerms(s string) []string { return persian.SearchTerms(s) }

func skeleton(s string) string { return persian.Skeleton(s) }

// nameForms is nameKey, searchTerms and skeleton of one name, folding it once.
func nameForms(s string) (key string, terms []string, skel string) { return persian.NameForms(s) }

// stemTerms are the light stems of a text's words that differ from the words themselves
// (دانشگاه‌های → دانشگاه), for the low-weight stem field. Never used on names.
func stemTerms(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range persian.Tokens(s) {
		if t.Kind != persian.Word && t.Kind != persian.Join {
			continue
		}
		st := persian.LightStem(t.Term)
		if st != "" && st != t.Term && !seen[st] {
			seen[st] = true
			out = append(out, st)
		}
	}
	return out
}

// queryGroups analyses a query: one group of alternative terms per query word, and each word's
// light stems. A word's stem is taken from the word as written, so that a ZWNJ in it is the
// explicit boundary of doc/persian.md §1.5 rule 1 (گفته‌ی → گفته, خانه‌ام → خانه), which the
// compact term (گفتهی) has lost; the stem of an affix join (دانشگاه های → دانشگاه) is a stem
// of both its words, as the join term is.
func queryGroups(q string) (groups [][]string, stems [][]string) {
	toks := persian.Tokens(q)
	groups = persian.QueryTermsOf(toks)
	stems = make([][]string, len(groups))
	add := func(i int, t persian.Token) {
		if st := persian.LightStem(q[t.Start:t.End]); st != "" && st != t.Term && !slices.Contains(stems[i], st) {
			stems[i] = append(stems[i], st)
		}
	}
	n := 0 // words seen
	for _, t := range toks {
		switch t.Kind {
		case persian.Word:
			if n < len(stems) {
				add(n, t)
			}
			n++
		case persian.Join:
			if n >= 2 && n <= len(stems) {
				add(n-2, t)
				add(n-1, t)
			}
		}
	}
	return groups, stems
}
