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
	names    packedNames
	country  string
	pop      int64
}

// packedNames are a city's names in one string, "lang\x00name\x00" per
// name in the order of the languages: the 25,800 cities' names as maps
// were a third of the live heap and most of what the garbage collector
// marks at each cycle, and they are read only for the few cities a text
// names.
type packedNames string

func packNames(n twin.Names) packedNames {
	langs := make([]string, 0, len(n))
	for l := range n {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	var b strings.Builder
	for _, l := range langs {
		b.WriteString(l)
		b.WriteByte(0)
		b.WriteString(n[l])
		b.WriteByte(0)
	}
	return packedNames(b.String())
}

// unpack returns the names as a map.
func (p packedNames) unpack() twin.Names {
	out := make(twin.Names, strings.Count(string(p), "\x00")/2)
	s := string(p)
	for s != "" {
		l, rest, _ := strings.Cut(s, "\x00")
		n, rest2, _ := strings.Cut(rest, "\x00")
		out[l] = n
		s = rest2
	}
	return out
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
	// filter is a Bloom filter of the hashes (hstr) of every key of byKey,
	// countries and regionIndex: most word windows of a text name nothing,
	// and a test of two bits is cheaper than three map lookups.
	filter []uint64
}

// mayHold reports whether a key with hash h may be in the gazetteer; false
// means it is not.
func (g *BundleGazetteer) mayHold(h uint64) bool {
	if g.filter == nil {
		return true
	}
	a, b := bloomBits(h, uint64(len(g.filter))*64-1)
	return g.filter[a>>6]&(1<<(a&63)) != 0 && g.filter[b>>6]&(1<<(b&63)) != 0
}

// bloomBits are the filter's two bit positions for hash h (mask m).
func bloomBits(h, m uint64) (a, b uint64) {
	r := (h>>32 | h<<32) * 0x9E3779B97F4A7C15
	return h & m, (r >> 17) & m
}

// buildFilter sizes the filter at 32 bits a key (two probes: about 0.4%
// false positives).
func (g *BundleGazetteer) buildFilter() {
	n := len(g.byKey) + len(g.countries) + len(regionIndex)
	size := 1024
	for size < n*32 {
		size *= 2
	}
	g.filter = nil
	f := make([]uint64, size/64)
	m := uint64(size) - 1
	put := func(k string) {
		a, b := bloomBits(hstr(k), m)
		f[a>>6] |= 1 << (a & 63)
		f[b>>6] |= 1 << (b & 63)
	}
	for k := range g.byKey {
		put(k)
	}
	for k := range g.countries {
		put(k)
	}
	for k := range regionIndex {
		put(k)
	}
	g.filter = f
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
	err := dataset.DecodeTypes(dataset.Bundle(), []string{"country", "city"}, func(r dataset.Record) error {
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
	aliases := make([]string, 0, len(countryAliases))
	for name := range countryAliases {
		aliases = append(aliases, name)
	}
	sort.Strings(aliases)
	for _, name := range aliases {
		g.countries[persian.NameKey(name)] = countryAliases[name]
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
			if pi, pj := g.cities[list[i].city].pop, g.cities[list[j].city].pop; pi != pj {
				return pi > pj
			}
			return list[i].city < list[j].city
		})
	}
	g.buildFilter()
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
	g.cities = append(g.cities, gazCity{wikidata: c.Wikidata, id: c.ID, names: packNames(c.Names), country: c.Country, pop: c.Population})
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
	// «شهر بروکسل», «شهر دبی»: a Persian title with a designator is also
	// read without it, as the press writes the name.
	if n := stripQualifier(c.Names["fa"]); n != "" {
		for _, d := range faDesignators {
			if rest, ok := strings.CutPrefix(n, d); ok && rest != "" {
				add(rest, clsFa)
			}
		}
	}
	// Then the other languages, best class first and in a fixed order: a
	// key two languages share takes the better class whatever the map's
	// order (the tagger's features must not depend on it).
	langs := make([]string, 0, len(c.Names))
	for l := range c.Names {
		if _, ok := indexedLangs[l]; ok {
			langs = append(langs, l)
		}
	}
	sort.Slice(langs, func(i, j int) bool {
		ci, cj := indexedLangs[langs[i]], indexedLangs[langs[j]]
		return ci < cj || ci == cj && langs[i] < langs[j]
	})
	for _, l := range langs {
		add(c.Names[l], indexedLangs[l])
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

// faDesignators are the words a Persian title may put before a city's name.
var faDesignators = []string{"شهر ", "شهرستان ", "بخش "}

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
	return CityCandidate{Wikidata: c.wikidata, ID: c.id, Names: c.names.unpack(), Country: c.country, Population: c.pop, Score: score}
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
