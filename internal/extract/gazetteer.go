package extract

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/dataset"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// Gazetteer looks cities and countries up by a name in any script.
type Gazetteer interface {
	// LookupCity returns the cities that name may denote, best first.
	LookupCity(name string) []CityCandidate
	// LookupCountry returns the ISO 3166-1 alpha-2 code of the country name denotes.
	LookupCountry(name string) (code string, ok bool)
}

// CityCandidate is a city a name may denote. Score is 1 for an exact match of
// a Persian or English name, less for other languages, aliases and (0.4)
// cross-script skeleton matches.
type CityCandidate struct {
	Wikidata   string     `json:"wikidata,omitempty"`
	ID         int64      `json:"id,omitempty"`
	Names      twin.Names `json:"names"`
	Country    string     `json:"country"`
	Population int64      `json:"population,omitempty"`
	Score      float64    `json:"score"`
}

// Name classes of an index entry, from the most to the least trusted for
// running text.
const (
	clsFa    = iota // Persian (fa) or Pashto name
	clsEn           // English name
	clsArab         // Arabic or Urdu name
	clsOther        // another language
	clsAlias        // an alias or historic label
)

type gazEntry struct {
	city int32
	cls  uint8
}

type gazCity struct {
	wikidata string
	id       int64
	names    twin.Names
	country  string
	pop      int64
}

// BundleGazetteer is the gazetteer of the embedded world dataset: about 25,800
// cities indexed by the NameKey of every name and alias in the languages that
// matter for Persian and English text, plus the Persian consonant skeleton of
// Persian and English names for candidate proposals, and the 250 countries
// with their names in nine languages and common press forms. Build it once
// with NewBundleGazetteer (or share DefaultGazetteer); it is safe for
// concurrent use.
type BundleGazetteer struct {
	cities       []gazCity
	byKey        map[string][]gazEntry
	bySkel       map[string][]int32
	countries    map[string]string // NameKey → code
	countryNames map[string]twin.Names
}

// Languages whose city names are indexed. Scripts that never occur in Persian
// or English news (CJK, Hebrew, Devanagari, Bengali, Greek) are left out.
var indexedLangs = map[string]uint8{
	"fa": clsFa, "ps": clsFa, "en": clsEn, "ar": clsArab, "ur": clsArab,
	"de": clsOther, "es": clsOther, "fr": clsOther, "it": clsOther, "pt": clsOther, "nl": clsOther,
	"pl": clsOther, "sv": clsOther, "tr": clsOther, "hu": clsOther, "id": clsOther, "vi": clsOther,
	"uz": clsOther, "ru": clsOther, "tg": clsOther, "ku": clsOther, "und": clsOther,
}

// NewBundleGazetteer builds the gazetteer from the embedded dataset.
func NewBundleGazetteer() (*BundleGazetteer, error) {
	g := newGazetteer(200000)
	err := dataset.Decode(dataset.Bundle(), func(r dataset.Record) error {
		switch {
		case r.Country != nil:
			g.addCountry(r.Country)
		case r.City != nil:
			g.addCity(r.City)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	g.finish()
	return g, nil
}

func newGazetteer(n int) *BundleGazetteer {
	return &BundleGazetteer{
		byKey:        make(map[string][]gazEntry, n),
		bySkel:       make(map[string][]int32, n/5),
		countries:    make(map[string]string, 3000),
		countryNames: make(map[string]twin.Names, 256),
	}
}

// finish adds the alias tables and orders every key's cities.
func (g *BundleGazetteer) finish() {
	for name, code := range countryAliases {
		g.countries[persian.NameKey(name)] = code
	}
	for name, q := range cityAliases {
		for i := range g.cities {
			if g.cities[i].wikidata == q {
				k := persian.NameKey(name)
				g.byKey[k] = append(g.byKey[k], gazEntry{int32(i), clsFa})
			}
		}
	}
	for _, list := range g.byKey {
		sort.Slice(list, func(i, j int) bool {
			if list[i].cls != list[j].cls {
				return list[i].cls < list[j].cls
			}
			return g.cities[list[i].city].pop > g.cities[list[j].city].pop
		})
	}
}

// NewGazetteer builds a gazetteer from a registry's countries and cities, so that cities added
// after the bundle, and their names and aliases, are recognised too.
func NewGazetteer(countries []twin.Country, cities []*twin.City) *BundleGazetteer {
	g := newGazetteer(len(cities) * 8)
	for i := range countries {
		g.addCountry(&countries[i])
	}
	for _, c := range cities {
		g.addCity(c)
	}
	g.finish()
	return g
}

var (
	defaultOnce sync.Once
	defaultGaz  *BundleGazetteer
	defaultErr  error
)

// DefaultGazetteer returns the bundle gazetteer, built on first use and shared.
func DefaultGazetteer() (*BundleGazetteer, error) {
	defaultOnce.Do(func() { defaultGaz, defaultErr = NewBundleGazetteer() })
	return defaultGaz, defaultErr
}

func (g *BundleGazetteer) addCountry(c *twin.Country) {
	g.countryNames[c.Code] = c.Names
	for _, n := range c.Names {
		if k := persian.NameKey(n); k != "" {
			g.countries[k] = c.Code
		}
	}
}

func (g *BundleGazetteer) addCity(c *twin.City) {
	idx := int32(len(g.cities))
	g.cities = append(g.cities, gazCity{wikidata: c.Wikidata, id: c.ID, names: c.Names, country: c.Country, pop: c.Population})
	seen := make(map[string]bool, 16)
	add := func(name string, cls uint8) {
		name = stripQualifier(name)
		if name == "" {
			return
		}
		k := persian.NameKey(name)
		if k == "" || seen[k] {
			return
		}
		seen[k] = true
		g.byKey[k] = append(g.byKey[k], gazEntry{idx, cls})
	}
	// Persian and English first, so that their class wins for shared keys.
	for _, l := range []string{"fa", "ps", "en"} {
		if n := c.Names[l]; n != "" {
			add(n, indexedLangs[l])
		}
	}
	for l, n := range c.Names {
		if cls, ok := indexedLangs[l]; ok {
			add(n, cls)
		}
	}
	for _, a := range c.Aliases {
		add(a, clsAlias)
	}
	skels := map[string]bool{}
	for _, l := range []string{"fa", "en"} {
		if n := stripQualifier(c.Names[l]); n != "" {
			if s := persian.Skeleton(n); utf8.RuneCountInString(s) >= 4 && !skels[s] {
				skels[s] = true
				g.bySkel[s] = append(g.bySkel[s], idx)
			}
		}
	}
}

// stripQualifier drops a Wikipedia-style qualifier: "بم، ایران" → "بم",
// "Hyderabad (Sindh)" → "Hyderabad".
func stripQualifier(n string) string {
	if i := strings.IndexAny(n, "،,("); i > 0 {
		n = n[:i]
	}
	return strings.TrimSpace(n)
}

func (g *BundleGazetteer) candidate(e gazEntry, score float64) CityCandidate {
	c := &g.cities[e.city]
	return CityCandidate{Wikidata: c.wikidata, ID: c.id, Names: c.names, Country: c.country, Population: c.pop, Score: score}
}

var clsScore = [...]float64{clsFa: 1, clsEn: 1, clsArab: 0.9, clsOther: 0.85, clsAlias: 0.75}

// LookupCity returns the cities named name (any script, any spelling the
// dataset knows), best class first and then by population. When no name
// matches exactly, it proposes cities whose Persian or English name has the
// same consonant skeleton (doc/persian.md §4), with score 0.4.
func (g *BundleGazetteer) LookupCity(name string) []CityCandidate {
	k := persian.NameKey(stripQualifier(name))
	if k == "" {
		return nil
	}
	var out []CityCandidate
	for _, e := range g.byKey[k] {
		out = append(out, g.candidate(e, clsScore[e.cls]))
	}
	if len(out) > 0 {
		return out
	}
	s := persian.Skeleton(name)
	if utf8.RuneCountInString(s) < 4 {
		return nil
	}
	for _, i := range g.bySkel[s] {
		out = append(out, g.candidate(gazEntry{city: i}, 0.4))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Population > out[j].Population })
	return out
}

// lookupKey is LookupCity for a key already folded and compact, without the
// skeleton fallback: the fast path of Extract.
func (g *BundleGazetteer) lookupKey(k string) []gazEntry { return g.byKey[k] }

// LookupCountry returns the ISO code of the country called name: official and
// short names in Persian, English, Arabic, Uzbek, Russian, Turkish, Tajik,
// Pashto and Kurdish, and press forms such as «آمریکا», «انگلیس», "UK".
func (g *BundleGazetteer) LookupCountry(name string) (string, bool) {
	c, ok := g.countries[persian.NameKey(name)]
	return c, ok
}

// CountryNames returns the names of the country with the ISO code.
func (g *BundleGazetteer) CountryNames(code string) twin.Names { return g.countryNames[code] }

// isArabicScript reports whether s starts with an Arabic-script letter.
func isArabicScript(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Arabic, r)
}
