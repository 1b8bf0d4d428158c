package persian_test

import (
	"bufio"
	"strings"
	"testing"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/persian"
)

// NameForms gives, for every name and alias of the bundled world, what NameKey, SearchTerms
// and Skeleton give one by one: the bulk load indexes names through it.
func TestNameFormsBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole bundle")
	}
	sc := bufio.NewScanner(dataset.Bundle())
	sc.Buffer(nil, 1<<24)
	names := 0
	for sc.Scan() {
		rec, err := dataset.DecodeLine(sc.Bytes())
		if err != nil || rec.Type != dataset.TypeCity {
			continue
		}
		var all []string
		for _, n := range rec.City.Names {
			all = append(all, n)
		}
		all = append(all, rec.City.Aliases...)
		for _, s := range all {
			names++
			key, terms, skel := persian.NameForms(s)
			if want := persian.NameKey(s); key != want {
				t.Fatalf("NameForms(%q) key %q, NameKey %q", s, key, want)
			}
			if want := persian.SearchTerms(s); strings.Join(terms, "|") != strings.Join(want, "|") || len(terms) != len(want) {
				t.Fatalf("NameForms(%q) terms %q, SearchTerms %q", s, terms, want)
			}
			if want := persian.Skeleton(s); skel != want {
				t.Fatalf("NameForms(%q) skeleton %q, Skeleton %q", s, skel, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if names < 100000 {
		t.Errorf("only %d names in the bundle", names)
	}
}
