package dataset

import (
	"bytes"
	"slices"
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// place adds a place to w for the unit tests below.
func (w *world) testPlace(qid, en, country string, lat, lon float64) *place {
	var p *place
	if qid != "" {
		p = w.q(qid)
		p.datasets[dsWikidata2022] = true
	} else {
		p = w.newPlace()
		p.datasets[dsWikipedia] = true
	}
	w.setName(p, "en", en)
	p.country = country
	p.setPoint(point{lat, lon, true}, rankWikidata)
	return p
}

func TestPartnerPreferredAndCoordinates(t *testing.T) {
	t.Parallel()
	w := newWorld()
	saale := w.testPlace("Q2814", "Halle (Saale)", "DE", 51.48, 11.97)
	w.addAlias(saale, "Halle")
	westf := w.testPlace("Q225774", "Halle", "DE", 52.06, 8.36)
	valmiera := w.testPlace("Q548574", "Valmiera", "LV", 57.54, 25.42)
	grenoble := w.testPlace("Q1289", "Grenoble", "FR", 45.19, 5.73)
	w.twin(westf, valmiera)
	w.twin(saale, grenoble)
	// "Halle, Germany" geocoded to Halle (Saale), listed with Valmiera: Wikidata pairs Valmiera
	// with Halle (Westf.).
	row := &listEntry{name: "Halle", country: "DE", at: point{51.48, 11.97, true}}
	if got := w.partnerPreferred(row, saale, valmiera); got != westf {
		t.Errorf("partnerPreferred = %v, want Halle (Westf.)", got)
	}
	if got := w.partnerPreferred(row, saale, grenoble); got != nil {
		t.Errorf("a pair Wikidata confirms moved to %v", got)
	}
	// A row whose coordinate is Halle (Saale)'s, on Halle (Westf.), names Halle (Saale).
	if got := w.nearerNamesake(row, westf); got != saale {
		t.Errorf("nearerNamesake = %v, want Halle (Saale)", got)
	}
	if got := w.nearerNamesake(row, saale); got != nil {
		t.Errorf("nearerNamesake on the right town = %v", got)
	}
	// Two namesakes, no coordinate: the list city is unresolved.
	if got := w.ambiguity(&listEntry{name: "Halle", country: "DE"}); len(got) != 2 {
		t.Errorf("ambiguity = %v, want both Halles", got)
	}
}

func TestMergeDuplicates(t *testing.T) {
	t.Parallel()
	w := newWorld()
	ct := &countryTable{byCode: map[string]*twin.Country{}, byKey: map[string]string{nameKey("Panama"): "PA"}}
	sh := &shapes{byCode: map[string][]*shape{}}
	malmo := w.testPlace("Q2211", "Malmö", "SE", 55.6, 13.0)
	muni := w.testPlace("Q503361", "Malmö Municipality", "SE", 55.58, 13.03)
	town := w.testPlace("Q852363", "Wolsztyn", "PL", 52.12, 16.12)
	county := w.testPlace("", "Wolsztyn County", "PL", 52.12, 16.12)
	w.addAlias(county, "Wolsztyn")
	yalta := w.testPlace("Q128499", "Yalta", "RU", 44.5, 34.17)
	yaltaUA := w.testPlace("", "Yalta", "UA", 44.49, 34.16)
	a := w.testPlace("Q1", "Twin", "DE", 50, 10)
	b := w.testPlace("Q2", "Twin", "DE", 50.01, 10.01)
	w.twin(a, b)
	var st Stats
	w.mergeDuplicates(sh, ct, &st)
	if final(muni) != malmo || !slices.Contains(malmo.otherQ, "Q503361") || w.byQ["Q503361"] != malmo {
		t.Error("Malmö Municipality not merged into Malmö with its id kept")
	}
	if final(county) != county || final(town) != town {
		t.Error("a county was merged with its town")
	}
	if final(yaltaUA) != yalta {
		t.Fatal("the list's Ukrainian Yalta not merged with Wikidata's")
	}
	claims := map[string]bool{}
	for _, c := range yalta.countryClaims() {
		claims[c.Country] = true
	}
	if !claims["RU"] || !claims["UA"] {
		t.Errorf("Yalta's claims = %v, want both countries", yalta.countryClaims())
	}
	if final(a) == final(b) {
		t.Error("two items Wikidata twins were merged")
	}
	if st.Merged[dupSameCountry] != 1 || st.Merged[dupTerritory] != 1 {
		t.Errorf("merged = %v", st.Merged)
	}
}

func TestDropPlaceholders(t *testing.T) {
	t.Parallel()
	w := newWorld()
	sh := &shapes{byCode: map[string][]*shape{}}
	var sea []*place
	for _, n := range []string{"Aki", "Kami", "Naka"} {
		sea = append(sea, w.testPlace("", n, "JP", 33.0, 133.0))
	}
	same := []*place{w.testPlace("Q10", "Lund", "SE", 55.7, 13.19), w.testPlace("", "Lund", "SE", 55.7, 13.19)}
	var st Stats
	w.dropPlaceholders(sh, &st)
	for _, p := range sea {
		if p.at.ok {
			t.Errorf("%s keeps the shared point", p.names.Pick())
		}
	}
	for _, p := range same {
		if !p.at.ok {
			t.Error("one town's two records lost their coordinate")
		}
	}
	if st.PlaceholderPoints != 1 || st.PlaceholderCities != 3 {
		t.Errorf("placeholders = %d points, %d cities", st.PlaceholderPoints, st.PlaceholderCities)
	}
}

func TestShapes(t *testing.T) {
	t.Parallel()
	needSources(t)
	sh, err := loadShapes(sharedData)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		lat, lon float64
		want     string
	}{
		{"Tórshavn", 62.01, -6.77, "FO"},
		{"Isfahan", 32.65, 51.67, "IR"},
		{"Vorkuta", 67.5, 64.05, "RU"}, // under the ring Chukotka cuts at the antimeridian
		{"Bilibino", 68.05, 166.44, "RU"},
		{"inland Chukotka", 66.0, -174.0, "RU"}, // east of the antimeridian
		{"Mariehamn", 60.1, 19.94, "AX"},        // a territory of its own
		{"Vostok", -78.46, 106.84, "AQ"},        // Antarctica's ring runs round the pole
		{"mid-Atlantic", 30, -40, ""},
	}
	for _, tt := range tests {
		if got := sh.within(point{tt.lat, tt.lon, true}); got != tt.want {
			t.Errorf("%s: within = %q, want %q", tt.name, got, tt.want)
		}
	}
	if d := sh.distTo(point{60.39, 5.32, true}, "NO", 100); d != 0 {
		t.Errorf("Bergen is %v km from Norway", d)
	}
	if d := sh.distTo(point{62.01, -6.77, true}, "NO", 3000); d < 200 {
		t.Errorf("Tórshavn is %v km from Norway", d)
	}
}

func TestCleanFAQualifiers(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"پاچوکا٬ ایدالگو": "پاچوکا", "خوجایلی، ازبکستان": "خوجایلی", "كرمان": "کرمان"} {
		if got := cleanFA(in); got != want {
			t.Errorf("cleanFA(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMunicipalSourceOnce(t *testing.T) {
	t.Parallel()
	refs := map[string]sourceRef{"S1": {url: "https://a"}, "S2": {url: "https://b"}, "S4": {url: "https://rct.isfahan.ir/x"}}
	s, ok := municipalSource([]string{"S1", "S2", "S1", "S4"}, refs)
	if !ok || s.URL != "https://rct.isfahan.ir/x" || s.Note != "S1 https://a; S2 https://b; S4 https://rct.isfahan.ir/x" || s.Dataset != dsIsfahan {
		t.Errorf("municipalSource = %+v", s)
	}
}
