package dataset

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/twinning/twinning/internal/twin"
)

// sharedData is the real source directory; tests that need it skip on a clone without it.
const sharedData = "../../../shared/data"

func needSources(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sharedData, fileQuery2021)); err != nil {
		t.Skipf("source data not found at %s (a clean clone has no ../shared): %v", sharedData, err)
	}
}

func TestBuildReproducible(t *testing.T) {
	t.Parallel()
	needSources(t)
	a, _ := realBuild(t)
	var b bytes.Buffer
	if _, err := Build(sharedData, &b, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b.Bytes()) {
		t.Fatal("two builds differ")
	}
	if !bytes.Equal(a, bundle) {
		t.Error("the embedded world.jsonl.gz is stale: run go generate ./internal/dataset")
	}
}

// TestBuildWikidataPairs checks the done-criterion: every pair of the three Wikidata
// extracts (statements in either direction, self-twinnings aside) is an agreement between the
// right two cities, citing that extract. Items no source places in a country are cities all
// the same, with the country left empty.
func TestBuildWikidataPairs(t *testing.T) {
	t.Parallel()
	needSources(t)
	d := bundleView(t)
	g, err := readGexf2022(sharedData)
	if err != nil {
		t.Fatal(err)
	}
	q, err := readQuery2021(sharedData)
	if err != nil {
		t.Fatal(err)
	}
	c, err := readCrawl2016(sharedData)
	if err != nil {
		t.Fatal(err)
	}
	total, missing := 0, 0
	pairs := map[[2]string]bool{}
	// A merged item is found under the record that absorbed it (wikidata_aliases).
	byQ := map[string]*twin.City{}
	for _, c := range d.byID {
		if c.Wikidata != "" {
			byQ[c.Wikidata] = c
		}
		for _, q := range c.WikidataAliases {
			byQ[q] = c
		}
	}
	byIDs := map[[2]int64]*twin.Agreement{}
	for _, a := range d.pairs {
		byIDs[[2]int64{min(a.CityIDs[0], a.CityIDs[1]), max(a.CityIDs[0], a.CityIDs[1])}] = a
	}
	for _, set := range []struct {
		ds string
		ws *wikidataSet
	}{{dsWikidata2022, g}, {dsWikidata2021, q}, {dsWikidata2016, c}} {
		for _, e := range set.ws.edges {
			if e.a == e.b {
				continue
			}
			total++
			k := pairKey(e.a, e.b)
			pairs[k] = true
			ca, cb := byQ[e.a], byQ[e.b]
			if ca == nil || cb == nil {
				missing++
				t.Errorf("%s: %s–%s: a city is missing (%v, %v)", set.ds, e.a, e.b, ca != nil, cb != nil)
				continue
			}
			a := byIDs[[2]int64{min(ca.ID, cb.ID), max(ca.ID, cb.ID)}]
			if a == nil {
				missing++
				t.Errorf("%s: pair %s–%s missing", set.ds, e.a, e.b)
				continue
			}
			if ids := []int64{ca.ID, cb.ID}; !slices.Contains(ids, a.CityIDs[0]) || !slices.Contains(ids, a.CityIDs[1]) || a.CityIDs[0] == a.CityIDs[1] {
				t.Errorf("%s–%s: agreement between cities %v, want %v", e.a, e.b, a.CityIDs, ids)
			}
			if !slices.ContainsFunc(a.Sources, func(s twin.Source) bool { return s.Dataset == set.ds }) {
				t.Errorf("%s–%s does not cite %s", e.a, e.b, set.ds)
			}
		}
	}
	t.Logf("%d directed statements, %d distinct pairs, %d missing", total, len(pairs), missing)
	if len(pairs) != 19297 {
		t.Errorf("%d distinct Wikidata pairs, want 19,297 (SOURCES.md)", len(pairs))
	}
}

func TestBuildFixture(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	st, err := Build("testdata/src", &buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, &buf)
	if st.HomonymsFixed != 2 {
		t.Errorf("homonyms fixed = %d, want 2 (Hastings, Perth)", st.HomonymsFixed)
	}
	pairs := []struct{ a, b string }{
		{"Q1020", "Q215"},     // Hastings NZ – Guilin, though geocoded in England
		{"Q160302", "Q36109"}, // Perth, Scotland – Bydgoszcz, though geocoded in Australia
		{"Q25475", "Q12191"},  // Batumi, "Georgia" – Nantes
		{"Q14898", "Q680743"}, // Germering – Balatonfüred: 2016 labels only, resolved by the pair
		{isfahanQ, "Q641"},
		{isfahanQ, "Q1361"},
		{isfahanQ, "Q5826"},
	}
	for _, p := range pairs {
		if d.pairs[pairKey(p.a, p.b)] == nil {
			t.Errorf("pair %s–%s missing", p.a, p.b)
		}
	}
	cities := []struct {
		ref, country string
		lat, lon     float64
	}{
		{"Q1020", "NZ", -39.64, 176.84},
		{"Q160302", "GB", 56.4, -3.43},
		{"Q14898", "DE", 48.13, 11.37},
		{"Q680743", "HU", 46.95, 17.88},
	}
	for _, c := range cities {
		got := d.cities[c.ref]
		if got == nil || got.Country != c.country || got.Lat == nil || math.Abs(*got.Lat-c.lat) > 0.1 || math.Abs(*got.Lon-c.lon) > 0.1 {
			t.Errorf("%s = %+v, want %s at %v,%v", c.ref, got, c.country, c.lat, c.lon)
		}
	}
	tbilisi := 0
	for _, c := range d.byID {
		if c.Names["en"] == "Tbilisi" {
			tbilisi++
			if c.Country != "GE" {
				t.Errorf("Tbilisi in %s", c.Country)
			}
		}
	}
	if tbilisi != 1 {
		t.Errorf("%d Tbilisi records, want 1 (\"Georgia (country)\" and Natural Earth merged)", tbilisi)
	}
	// An item no source places is kept with its pair and no country.
	if c := d.cities["Q99999"]; c == nil || c.Country != "" || c.Names["und"] != "Landkreis Nirgendwo" {
		t.Errorf("Q99999 = %+v, want a city with no country named by its 2016 label", c)
	} else if d.pairs[pairKey("Q99999", "Q5826")] == nil {
		t.Error("pair Q99999–Q5826 missing")
	}
	// "Chimki" (2016 label only) is the "Khimki (Russia)" the Wikipedia list pairs with its
	// partner Grodno: it takes the country and absorbs the list city.
	if c := d.cities["Q197582"]; c == nil || c.Country != "RU" || c.Names["en"] != "Khimki" || !slices.Contains(c.Aliases, "Chimki") {
		t.Errorf("Q197582 = %+v, want Khimki in RU, alias Chimki", c)
	}
	if a := d.pairs[pairKey("Q197582", "Q181376")]; a == nil || len(a.Sources) != 2 {
		t.Errorf("Khimki–Grodno = %+v, want one agreement citing the 2016 crawl and Wikipedia", a)
	}
	for _, c := range d.byID {
		if c.Names["en"] == "Khimki" && c.Wikidata == "" {
			t.Errorf("the list city Khimki was kept beside Q197582: %+v", c)
		}
	}
	if fa := d.cities["Q5826"].Names["fa"]; fa != "شیآن" {
		t.Errorf("Xi'an fa = %q, want the qualifier stripped", fa)
	}
	oneSided := func(a *twin.Agreement, ds string) bool {
		for _, c := range a.Claims {
			if c.OneSided && c.Source.Dataset == ds {
				return true
			}
		}
		return false
	}
	if a := d.pairs[pairKey(isfahanQ, "Q641")]; a == nil || !oneSided(a, dsWikidata2021) || a.Notes["en"] == "" {
		t.Errorf("Isfahan–Venice = %+v, want a one-sided 2021 claim and a contested note", a)
	}
	if a := d.pairs[pairKey(isfahanQ, "Q1361")]; a == nil || !oneSided(a, dsWikidata2016) || a.Status != twin.StatusProposed {
		t.Errorf("Isfahan–Hyderabad = %+v, want proposed with a one-sided 2016 claim", a)
	}
	if a := d.pairs[pairKey(isfahanQ, "Q5826")]; a == nil || oneSided(a, dsWikidata2021) || oneSided(a, dsWikidata2016) {
		t.Errorf("Isfahan–Xi'an = %+v: Xi'an was not a 2021 subject and lists Isfahan in 2016", a)
	}
}

func TestCountryCode(t *testing.T) {
	t.Parallel()
	ct, err := loadCountries("testdata/src/" + dirCountries)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"Iran", "IR"},
		{"England", "GB"},
		{"Scotland", "GB"},
		{"Wales, United Kingdom", "GB"},
		{"Northern Ireland, United Kingdom", "GB"},
		{"England, United Kingdom", "GB"},
		{"Georgia", "GE"},
		{"Georgia (country)", "GE"},
		{"United States", "US"},
		{"USA", "US"},
		{"Ohio, United States", "US"},
		{"Russia", "RU"},
		{"Russian Federation", "RU"},
		{"Réunion, France", "RE"},
		{"Algarve, Portugal", "PT"},
		{"in Italy", "IT"},
		{"Kosovo", "XK"},
		{"Northern Cyprus", "CY"},
		{"Republic of Ireland", "IE"},
		{"Palestinian territories", "PS"},
		{"Grece", "GR"},
		{"Atlantis", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ct.code(tt.in); got != tt.want {
			t.Errorf("code(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNameKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ a, b string }{
		{"São Paulo", "Sao Paulo"},
		{"Saint Petersburg", "St. Petersburg"},
		{"Sankt Pölten", "St. Polten"},
		{"Xi'an", "Xi’an"},
		{"Łódź", "Lodz"},
		{"كرمان", "کرمان"},
		{"Kuala Lumpur", "kuala-lumpur"},
	}
	for _, tt := range tests {
		if nameKey(tt.a) != nameKey(tt.b) {
			t.Errorf("nameKey(%q) = %q ≠ nameKey(%q) = %q", tt.a, nameKey(tt.a), tt.b, nameKey(tt.b))
		}
	}
	if got := cleanFA("خوجایلی، ازبکستان"); got != "خوجایلی" {
		t.Errorf("cleanFA = %q", got)
	}
}
