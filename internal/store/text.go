package store

import (
	"strings"
	"unicode"
)

// The text functions the index uses. They call internal/persian; until it lands they are a
// plain lower-case fold.
func nameKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), "")
}

func searchTerms(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func skeleton(s string) string { return "" }
