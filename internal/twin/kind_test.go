package twin

import "testing"

func TestKinds(t *testing.T) {
	t.Parallel()
	if len(Kinds) != len(plurals) {
		t.Fatalf("%d kinds listed, %d with a plural", len(Kinds), len(plurals))
	}
	seen := map[string]bool{}
	for _, k := range Kinds {
		p := k.Plural()
		if !k.Valid() || p == "" || seen[p] {
			t.Errorf("%q: plural %q (valid %v, seen %v)", k, p, k.Valid(), seen[p])
		}
		seen[p] = true
		if back, ok := KindOfPlural(p); !ok || back != k {
			t.Errorf("KindOfPlural(%q) = %q, %v", p, back, ok)
		}
		if back, ok := ParseKind(string(k)); !ok || back != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, back, ok)
		}
	}
	if KindPerson.Plural() != "people" || KindActivity.Plural() != "activities" || KindCity.Key() != "kind.city" {
		t.Error("plural or key of person, activity, city")
	}
	for _, bad := range []string{"", "cities", "country", "domain", "user", "City"} {
		if _, ok := ParseKind(bad); ok {
			t.Errorf("ParseKind(%q) accepted", bad)
		}
		if Kind(bad).Plural() != "" {
			t.Errorf("Kind(%q).Plural() = %q", bad, Kind(bad).Plural())
		}
	}
	if _, ok := KindOfPlural("city"); ok {
		t.Error(`KindOfPlural("city") accepted a singular`)
	}
}
