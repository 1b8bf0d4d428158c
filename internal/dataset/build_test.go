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
	needSources(t)
	var a, b bytes.Buffer
	if _, err := Build(sharedData, &a, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(sharedData, &b, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two builds differ")
	}
	if !bytes.Equal(a.Bytes(), bundle) {
		t.Error("the embedded world.jsonl.gz is stale: run go generate ./internal/dataset")
	}
}

// TestBuildWikidataPairs checks that every pair of the three Wikidata extracts is an
// agreement between the right two cities, unless an item had to be left out for want of a
// country, which only happens to items that neither Natural Earth nor the 2022 graph knows.
func TestBuildWikidataPairs(t *testing.T) {
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
	ne, err := readTable(filepath.Join(sharedData, fileNaturalEarth), ',')
	if err != nil {
		t.Fatal(err)
	}
	inNE := map[string]bool{}
	for _, r := range ne {
		inNE[r["WIKIDATAID"]] = true
	}
	total, missing := 0, 0
	for _, set := range []struct {
		ds string
		ws *wikidataSet
	}{{dsWikidata2022, g}, {dsWikidata2021, q}, {dsWikidata2016, c}} {
		for _, e := range set.ws.edges {
			if e.a == e.b {
				continue
			}
			total++
			ca, cb := d.cities[e.a], d.cities[e.b]
			if ca == nil || cb == nil {
				missing++
				for _, x := range []string{e.a, e.b} {
					if d.cities[x] == nil && (inNE[x] || g.nodes[x] != nil) {
						t.Errorf("%s left out though Natural Earth or the 2022 graph locates it", x)
					}
				}
				continue
			}
			a := d.pairs[pairKey(e.a, e.b)]
			if a == nil {
				t.Errorf("%s: pair %s–%s missing", set.ds, e.a, e.b)
				continue
			}
			if !slices.ContainsFunc(a.Sources, func(s twin.Source) bool { return s.Dataset == set.ds }) {
				t.Errorf("%s–%s does not cite %s", e.a, e.b, set.ds)
			}
		}
	}
	t.Logf("%d directed statements, %d with an item left out", total, missing)
	if missing*10 > total {
		t.Errorf("%d of %d statements lost", missing, total)
	}
}

func TestBuildFixture(t *testing.T) {
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
	if d.cities["Q99999"] != nil {
		t.Error("Q99999 has no country anywhere and should be left out")
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
