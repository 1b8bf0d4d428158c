package dataset

import (
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/persian"
)

// adminWords are the words of the 2016 crawl's German labels (and of a few other languages)
// that name the administrative kind of an item rather than the place: "Landkreis Osnabrück",
// "Oblast Leningrad", "Powiat Kłodzki", "Rødding Kommune".
var adminWords = []string{"landkreis", "kreis", "stadtkreis", "bezirk", "oblast", "rajon", "provinz",
	"region", "regierungsbezirk", "departement", "département", "departamento", "municipio", "gemeinde",
	"stadt", "amt", "samtgemeinde", "verbandsgemeinde", "verwaltungsgemeinschaft", "kanton", "powiat",
	"gmina", "opština", "opstina", "općina", "obcina", "občina", "kleingebiet", "präfektur", "distrikt",
	"grafschaft", "kommune", "kommun", "municipality", "county", "district", "province", "city", "of",
	"metropolitan", "borough", "comune", "comarca", "concelho", "freguesia", "landschaft", "krai", "kraj"}

// coreNames returns the names under which an item's labels may be found elsewhere: each label,
// its German spelling of Slavic names made English (Charkiw → Kharkiv, Tschernihiw →
// Chernihiv), and both without administrative words.
func coreNames(labels []string) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, l := range labels {
		for _, v := range []string{l, germanToEnglish(l)} {
			add(v)
			add(stripAdmin(v))
		}
	}
	return out
}

// germanToEnglish rewrites the German transliteration of a Slavic or Turkic name in English
// spelling, for consonant skeletons: tsch → ch, sch → sh, ch → kh, w → v, j → y.
func germanToEnglish(s string) string {
	return strings.NewReplacer("Tsch", "Ch", "tsch", "ch", "Sch", "Sh", "sch", "sh", "Ch", "Kh", "ch", "kh",
		"W", "V", "w", "v", "J", "Y", "j", "y").Replace(s)
}

// stripAdmin drops the administrative words from a label: "Landkreis Osnabrück" → "Osnabrück".
func stripAdmin(s string) string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' })
	var keep []string
	for _, w := range f {
		if !slices.Contains(adminWords, strings.ToLower(w)) {
			keep = append(keep, w)
		}
	}
	if len(keep) == 0 || len(keep) == len(f) {
		return s
	}
	return strings.Join(keep, " ")
}

// minSkeleton is the shortest consonant skeleton that may match on its own, among one
// city's partners; persian.Skeleton calls three letters or fewer too weak.
const minSkeleton = 4

// nameMatch reports whether a list name is one of an item's core names: the same NameKey, or
// the same consonant skeleton of at least minSkeleton letters.
func nameMatch(core []string, name string) bool {
	for _, v := range nameVariants(name) {
		k, s := nameKey(v), persian.Skeleton(v)
		for _, c := range core {
			if nameKey(c) == k && k != "" {
				return true
			}
			if utf8.RuneCountInString(s) >= minSkeleton && persian.Skeleton(c) == s {
				return true
			}
		}
	}
	return false
}

// locateOrphans tries harder to place the Wikidata items that still have no country (items
// only the 2016 crawl or the 2021 query names, by a German or Italian label, and that no
// gazetteer locates), in this order:
//
//  1. through their partners: a list pairs one of the item's Wikidata partners with a city
//     whose name is one of the item's names (same NameKey, or the same consonant skeleton,
//     persian.Skeleton, of the label, its English spelling or the label without administrative
//     words: "Obuchiw" is "Obukhiv (Ukraine)", "Landkreis Rügen" is "Rügen (Germany)"). When
//     every such city is in one country, the item takes it; when they are one list city
//     without a Wikidata id that no other item claims, the item absorbs it.
//  2. through Natural Earth within the countries of its partners (twinnings inside one
//     country): the places of one of its names, by NameKey, in those countries. (Skeletons
//     were tried here and rejected: without a listed pair they find namesakes, not the city;
//     5 of 9 were wrong, such as "Marple" in Spain by Marbella, "Auckland City" by Oakland.)
//  3. through every place of one of its names, from the lists (the Wikipedia scrape's and the
//     EU 2017 list's (city, country) strings), Natural Earth and Wikidata, when all are in
//     one country (Antarctic stations aside: "Casey City" is not Casey Station).
//  4. as a province: one of its names is a first-level division Natural Earth files places
//     under (ADM1NAME) in one country only ("Jiangsu", "Guangdong"), and no place of that
//     name lies in another country.
//
// Only items that take part in a Wikidata pair are looked at; the rest stay without a country
// and are kept as cities all the same, since a Wikidata id identifies them.
func (w *world) locateOrphans(entries []*listEntry, st *Stats) {
	owner := map[*place][]*listEntry{}
	for _, e := range entries {
		if e.p != nil {
			owner[e.p] = append(owner[e.p], e)
		}
	}
	var orphans []*place
	core := map[*place][]string{}
	for _, p := range w.places {
		if p.country != "" || p.qid == "" || p.dead || len(w.wikiAdj[p]) == 0 {
			continue
		}
		orphans = append(orphans, p)
		labels := p.aliasList()
		for _, lang := range slices.Sorted(maps.Keys(p.names)) {
			labels = append(labels, p.names[lang])
		}
		core[p] = coreNames(labels)
	}
	partners := func(p *place) []*place {
		return slices.SortedFunc(maps.Keys(w.wikiAdj[p]), func(a, b *place) int { return a.idx - b.idx })
	}

	// 1. Through the lists' pairs with the item's Wikidata partners.
	type found struct {
		country string
		into    *place // the one list city without a Wikidata id it names, or nil
	}
	hits := map[*place]found{}
	claims := map[*place]int{}
	for _, p := range orphans {
		var listed []*listEntry
		for _, q := range partners(p) {
			for _, e := range owner[q] {
				for _, x := range e.partners {
					if x.country != "" && x.p != p && !slices.Contains(listed, x) && nameMatch(core[p], x.name) {
						listed = append(listed, x)
					}
				}
			}
		}
		if len(listed) == 0 {
			continue
		}
		f := found{country: listed[0].country, into: listed[0].p}
		for _, x := range listed {
			if x.country != f.country {
				f.country = ""
			}
			if x.p != f.into {
				f.into = nil
			}
		}
		if f.country == "" {
			continue
		}
		if f.into != nil && (f.into.qid != "" || f.into.dead || f.into.country != f.country) {
			f.into = nil
		}
		if f.into != nil {
			claims[f.into]++
		}
		hits[p] = f
	}
	for _, p := range orphans {
		f, ok := hits[p]
		if !ok {
			continue
		}
		p.country = f.country
		st.OrphansByPartner++
		if f.into != nil && claims[f.into] == 1 {
			w.absorb(p, f.into, owner[f.into])
			st.OrphansByPartnerMerged++
		}
	}

	// 2. Natural Earth within the countries of the item's partners.
	for _, p := range orphans {
		if p.country != "" {
			continue
		}
		inPartners := map[string]bool{}
		for _, q := range partners(p) {
			if q.country != "" {
				inPartners[q.country] = true
			}
		}
		if country := soleCountry(w.namesakes(core[p]), func(c *place) bool {
			return c.datasets[dsNaturalEarth] && inPartners[c.country]
		}); country != "" {
			p.country = country
			st.OrphansByNaturalEarth++
		}
	}

	// 3. Every place of one of its names, when all are in one country.
	for _, p := range orphans {
		if p.country != "" {
			continue
		}
		if country := soleCountry(w.namesakes(core[p]), func(c *place) bool {
			return c != p && !c.dead && c.country != "" && c.country != "AQ" && sameSpelling(core[p], c)
		}); country != "" {
			p.country = country
			st.OrphansByNamesake++
		}
	}
	// 4. A province: Natural Earth files its places under first-level divisions of one country.
	for _, p := range orphans {
		if p.country != "" {
			continue
		}
		countries := map[string]bool{}
		for _, n := range core[p] {
			for c := range w.neProvinces[nameKey(n)] {
				countries[c] = true
			}
		}
		if len(countries) != 1 {
			continue
		}
		for c := range countries {
			// A town of the name elsewhere ("San Fernando", "York") leaves it unplaced.
			if slices.ContainsFunc(w.namesakes(core[p]), func(q *place) bool { return q != p && !q.dead && q.country != "" && q.country != c }) {
				continue
			}
			p.country = c
			st.OrphansByProvince++
		}
	}
	for _, p := range orphans {
		if p.country == "" {
			st.OrphansNoCountry++
		}
	}
}

// soleCountry is the country of the places keep accepts when they all lie in one, else "".
func soleCountry(places []*place, keep func(*place) bool) string {
	country := ""
	for _, c := range places {
		if !keep(c) {
			continue
		}
		if country != "" && country != c.country {
			return ""
		}
		country = c.country
	}
	return country
}

// namesakes returns the places one of names resolves to by NameKey, in creation order.
func (w *world) namesakes(names []string) []*place {
	var out []*place
	for _, n := range names {
		for _, c := range w.candidates(n, "") {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b *place) int { return a.idx - b.idx })
	return out
}

// absorb merges the list city c into the Wikidata item p: p takes c's names, coordinate and
// population, and c's list entries resolve to p.
func (w *world) absorb(p, c *place, entries []*listEntry) {
	for _, lang := range slices.Sorted(maps.Keys(c.names)) {
		w.setName(p, lang, c.names[lang])
	}
	for _, a := range c.aliasList() {
		w.addAlias(p, a)
	}
	for ds := range c.datasets {
		p.datasets[ds] = true
	}
	p.addStated(c)
	p.setPoint(c.at, c.atRank)
	p.setPop(c.pop)
	for _, e := range entries {
		e.resolve(w, p, e.how)
	}
	c.dead = true
}

// sameSpelling reports whether one of c's names is one of names letter for letter, accents
// included (case aside): NameKey folds Vága into Vågå and Hamada into Hamadã (Portuguese for
// Hamadan), which places a name, not a city.
func sameSpelling(names []string, c *place) bool {
	all := append(slices.Collect(maps.Values(c.names)), c.aliasList()...)
	for _, n := range all {
		for _, v := range nameVariants(n) {
			for _, l := range names {
				if strings.EqualFold(v, l) {
					return true
				}
			}
		}
	}
	return false
}
