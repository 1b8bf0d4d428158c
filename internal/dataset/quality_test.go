package dataset

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

var (
	realOnce  sync.Once
	realBytes []byte
	realStats Stats
	realErr   error
)

// realBuild builds the bundle from the real sources once per test run.
func realBuild(t *testing.T) ([]byte, Stats) {
	t.Helper()
	needSources(t)
	realOnce.Do(func() {
		var buf bytes.Buffer
		realStats, realErr = Build(sharedData, &buf, nil)
		realBytes = buf.Bytes()
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realBytes, realStats
}

// TestBuildQualityGoals checks issue 16's goals on the figures the builder computes: no list
// row left on a town while a namesake lies at the row's coordinate, every city outside its
// country with a reason, Persian names for 95% of partnered cities, and 99.9% of the
// Wikipedia pairs kept.
func TestBuildQualityGoals(t *testing.T) {
	_, st := realBuild(t)
	if st.FarRows != 0 {
		t.Errorf("%d list rows on a town while a namesake lies at their coordinate", st.FarRows)
	}
	for _, o := range st.Outside {
		if o.Reason == "" {
			t.Errorf("%s (%s) outside its country without a reason", o.Name, o.Country)
		}
	}
	if got := float64(st.PartneredPersian+st.PartneredTranslit) / float64(st.Partnered); got < 0.95 {
		t.Errorf("Persian names for %.1f%% of partnered cities, want ≥ 95%%", 100*got)
	}
	if kept, all := st.ListRowsKept[dsWikipedia], st.ListRows[dsWikipedia]; float64(kept) < 0.999*float64(all) {
		t.Errorf("%d of %d Wikipedia rows kept, want ≥ 99.9%%", kept, all)
	}
	for _, class := range []string{dupSameCountry, dupTerritory, dupOld2016} {
		if st.Merged[class] == 0 {
			t.Errorf("no duplicates merged of class %q", class)
		}
	}
	if md := st.Markdown(); !strings.Contains(md, "## Quality") || !strings.Contains(md, langTranslit) {
		t.Error("STATS.md has no quality section")
	}
}

// partnersOf returns the refs of the cities twinned with ref in the bundle.
func partnersOf(d *decoded, ref string) map[string]bool {
	out := map[string]bool{}
	for k := range d.pairs {
		switch ref {
		case k[0]:
			out[k[1]] = true
		case k[1]:
			out[k[0]] = true
		}
	}
	return out
}

// TestBundleHalle: rows naming "Halle, Germany" with Halle (Saale)'s coordinate are on Halle
// (Saale), not on Halle (Westfalen): no partner of Halle (Westf.) is one Halle (Saale) has.
func TestBundleHalle(t *testing.T) {
	d := bundleView(t)
	saale, westf := partnersOf(d, "Q2814"), partnersOf(d, "Q225774")
	for ref := range westf {
		if saale[ref] {
			t.Errorf("%s is twinned with both Halles", ref)
		}
	}
	for _, ref := range []string{"Q1040", "Q41329", "Q1289"} { // Karlsruhe, Linz, Grenoble
		if !saale[ref] {
			t.Errorf("Halle (Saale)–%s missing", ref)
		}
	}
}

func TestBundleDuplicatesMerged(t *testing.T) {
	d := bundleView(t)
	// Malmö and Malmö Municipality are one record, the municipality's id an alias.
	if c := d.cities["Q2211"]; c == nil || !contains(c.WikidataAliases, "Q503361") {
		t.Errorf("Malmö = %+v, want alias Q503361", c)
	}
	if d.cities["Q503361"] != nil {
		t.Error("Malmö Municipality kept as its own record")
	}
	// A Crimean city shows both countries' claims.
	crimea := 0
	for _, c := range d.byID {
		has := map[string]bool{}
		for _, cc := range c.CountryClaims {
			has[cc.Country] = true
		}
		if has["RU"] && has["UA"] {
			crimea++
		}
	}
	if crimea < 3 {
		t.Errorf("%d cities claimed by both Russia and Ukraine, want Crimea's", crimea)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestBundlePersianNames: no Persian name keeps a qualifier, transliterations are marked and
// never stand in for a source's name, and 95% of partnered cities have one or the other.
func TestBundlePersianNames(t *testing.T) {
	d := bundleView(t)
	partnered := map[string]bool{}
	for k := range d.pairs {
		partnered[k[0]], partnered[k[1]] = true, true
	}
	with := 0
	for ref, c := range d.cities {
		fa, tr := c.Names["fa"], c.Names[twin.LangFATranslit]
		if strings.ContainsAny(fa, "،٬") {
			t.Errorf("%s: Persian name %q keeps a qualifier", ref, fa)
		}
		if fa != "" && tr != "" {
			t.Errorf("%s: both a source name %q and a transliteration %q", ref, fa, tr)
		}
		if partnered[ref] && (fa != "" || tr != "") {
			with++
		}
	}
	if float64(with) < 0.95*float64(len(partnered)) {
		t.Errorf("%d of %d partnered cities have a Persian name or transliteration, want ≥ 95%%", with, len(partnered))
	}
}

// TestBundleSourcesOnce: an agreement cites each dataset once (Isfahan's listed the
// municipality's table two or three times).
func TestBundleSourcesOnce(t *testing.T) {
	for k, a := range bundleView(t).pairs {
		seen := map[string]bool{}
		for _, s := range a.Sources {
			if seen[s.Dataset] {
				t.Errorf("%v cites %s twice", k, s.Dataset)
			}
			seen[s.Dataset] = true
		}
	}
}
