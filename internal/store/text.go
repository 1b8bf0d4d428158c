package store

import (
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

// queryGroups analyses a query: one group of alternative terms per query word.
func queryGroups(q string) [][]string { return persian.QueryTerms(q) }

// queryStem is the light stem of one query word, or "" when stemming changes nothing.
func queryStem(w string) string {
	if st := persian.LightStem(w); st != w {
		return st
	}
	return ""
}
