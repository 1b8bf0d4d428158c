package dataset

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// Duplicate classes, as STATS.md counts them.
const (
	dupSameCountry  = "same name, same country, within 20 km (town and municipality items)"
	dupTerritory    = "same name within 20 km under a sovereign and its territory, or a disputed one"
	dupOld2016      = "an item only the 2016 crawl knows, beside the newer item of its name sharing a partner"
	dupListCopy     = "a list-only copy geocoded to a namesake while Wikidata pairs the partner with the real city"
	dupAcrossBorder = "a list-only copy geocoded to a namesake in another country (its point dropped), merged into the only town of its name in its own country"
	dupSameTown     = "a list-only record of a town another record of its country already holds, both twinned with one partner: the same name, or a spelling one consonant apart within 5 km (Boiarka and Boyarka, Morphou and Morfou)"
	// mergeKM: two records of one name closer than this are one city.
	mergeKM = 20
)

// territories pairs each sovereign with the territories and the disputed areas whose places
// the sources file under either code: France and its overseas territories, China and Macau,
// Morocco and Western Sahara, Finland and Åland, Russia and Ukraine (Crimea), Israel with
// Palestine and Syria (the Golan Heights), and so on.
var territories = map[string][]string{
	"FR": {"RE", "GP", "MQ", "GF", "YT", "PF", "NC", "PM", "BL", "MF", "WF"},
	"CN": {"MO", "HK"}, "MA": {"EH"}, "FI": {"AX"}, "RU": {"UA", "GE"}, "AZ": {"AM"},
	"NL": {"AW", "CW", "SX", "BQ"}, "DK": {"FO", "GL"}, "NO": {"SJ"},
	"GB": {"GI", "IM", "JE", "GG", "BM", "KY", "VG", "FK", "MS", "TC", "AI", "SH"},
	"US": {"PR", "GU", "VI", "AS", "MP"}, "AU": {"CX", "CC", "NF"}, "NZ": {"CK", "NU", "TK"},
	"IL": {"PS", "SY"}, "RS": {"XK"}, "MD": {"RU"},
}

// related reports whether two country codes may both be given to one place.
func related(a, b string) bool {
	return slices.Contains(territories[a], b) || slices.Contains(territories[b], a)
}

var debugMerges = os.Getenv("TWINNING_DEBUG_MERGES") != ""

// final follows merges to the record that absorbed p.
func final(p *place) *place {
	for p != nil && p.into != nil {
		p = p.into
	}
	return p
}

// weight orders the records of one city: the survivor is a Wikidata item, one Natural Earth
// knows, one more extracts know, the most twinned, the most populous, the oldest.
func (w *world) weight(p *place) []int {
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	n := 0
	for _, ds := range []string{dsWikidata2022, dsWikidata2021, dsIsfahan} {
		n += b(p.datasets[ds])
	}
	return []int{b(p.qid != ""), b(p.qid == isfahanQ), b(p.datasets[dsNaturalEarth]), n, len(w.wikiAdj[p]), int(min(p.pop, math.MaxInt32)), -p.idx}
}

// merge folds gone into keep: names, aliases, ids, sources, partners and list entries; a
// different country becomes a claim.
func (w *world) merge(keep, gone *place, class string, st *Stats) {
	keep, gone = final(keep), final(gone)
	if keep == gone {
		return
	}
	for _, lang := range slices.Sorted(maps.Keys(gone.names)) {
		w.setName(keep, lang, gone.names[lang])
	}
	for _, a := range gone.aliasList() {
		w.addAlias(keep, a)
	}
	for ds := range gone.datasets {
		keep.datasets[ds] = true
	}
	if gone.qid != "" {
		keep.otherQ = append(keep.otherQ, gone.qid)
		w.byQ[gone.qid] = keep
	}
	for _, q := range gone.otherQ {
		keep.otherQ = append(keep.otherQ, q)
		w.byQ[q] = keep
	}
	keep.addStated(gone)
	if keep.country == "" {
		keep.country = gone.country
	}
	keep.setPoint(gone.at, gone.atRank)
	keep.setPop(gone.pop)
	for q := range w.wikiAdj[gone] {
		delete(w.wikiAdj[q], gone)
		if q != keep {
			w.twin(keep, q)
		}
	}
	delete(w.wikiAdj, gone)
	gone.dead, gone.into = true, keep
	st.Merged = addCount(st.Merged, class)
	if debugMerges {
		fmt.Fprintf(os.Stderr, "merge\t%s\t%s %s %s %v\t<-\t%s %s %s %v\n", class[:12], keep.qid, keep.names.Pick(), keep.country, keep.at, gone.qid, gone.names.Pick(), gone.country, gone.at)
	}
}

// mergeKeys are the keys a place is looked up by for duplicates: each of its names and aliases,
// with and without a municipality word, of three letters or more.
func (p *place) mergeKeys() map[string]bool {
	keys := map[string]bool{}
	for _, n := range append(slices.Collect(maps.Values(p.names)), p.aliasList()...) {
		for _, v := range []string{n, stripMunicipal(n)} {
			if k := nameKey(v); len([]rune(k)) >= 3 {
				keys[k] = true
			}
		}
	}
	return keys
}

// mergeDuplicates makes one record of one real city: items of one name in one country within
// mergeKM (a town and its municipality), the same within mergeKM under a sovereign and its
// territory or a disputed area, and the items only the 2016 crawl knows beside the newer item
// of the same name that shares one of their partners. Two items Wikidata twins with each
// other are never merged (the pair would vanish).
//
// listAdj holds the pairs the lists name, as matched so far: an item only the 2016 crawl knows
// may share its partner with the newer item through a list (Slobozia's Wikipedia list names
// Veles, the 2016 crawl twins Slobozia with "Opština Veles").
func (w *world) mergeDuplicates(sh *shapes, ct *countryTable, listAdj map[*place]map[*place]bool, st *Stats) {
	byKey := map[string][]*place{}
	for _, p := range w.places {
		if p.dead {
			continue
		}
		for k := range p.mergeKeys() {
			byKey[k] = append(byKey[k], p)
		}
	}
	better := func(a, b *place) bool { return slices.Compare(w.weight(a), w.weight(b)) >= 0 }
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		ps := byKey[k]
		slices.SortFunc(ps, func(a, b *place) int { return a.idx - b.idx })
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				a, b := final(ps[i]), final(ps[j])
				if a == b || a.dead || b.dead || !a.at.ok || !b.at.ok || w.wikiAdj[a][b] {
					continue
				}
				if a.country == "" || b.country == "" || km(a.at, b.at) >= mergeKM || isRegion(a) != isRegion(b) {
					continue
				}
				class := dupSameCountry
				keep, gone := a, b
				if !better(a, b) {
					keep, gone = b, a
				}
				if a.country != b.country {
					if !related(a.country, b.country) {
						continue
					}
					class = dupTerritory
				}
				w.merge(keep, gone, class, st)
				if class == dupTerritory {
					// The shape the city lies in decides which country the registry shows.
					if c := sh.within(keep.at); c == a.country || c == b.country {
						keep.country = c
					}
				}
			}
		}
	}
	w.acrossBorder(sh, st)
	// Items only the 2016 crawl knows, beside the newer item of their name, until no more
	// merge (a merge may leave another item one candidate instead of two).
	for w.mergeOld2016(ct, listAdj, st) {
	}
}

// mergeOld2016 merges each item only the 2016 crawl knows into the one newer item of its name
// that shares one of its partners, and says whether it merged any.
func (w *world) mergeOld2016(ct *countryTable, listAdj map[*place]map[*place]bool, st *Stats) bool {
	merged := false
	for _, p := range w.places {
		if p.dead || p.qid == "" || p.datasets[dsWikidata2021] || p.datasets[dsWikidata2022] || p.datasets[dsNaturalEarth] || p.datasets[dsIsfahan] {
			continue
		}
		labels := p.aliasList()
		for _, lang := range slices.Sorted(maps.Keys(p.names)) {
			labels = append(labels, p.names[lang])
		}
		if slices.ContainsFunc(labels, func(l string) bool { _, ok := ct.byKey[nameKey(l)]; return ok }) {
			continue // a country's item (Panama), not its capital's
		}
		core := coreNames(labels)
		// First through Wikidata's own pairs; only when they find none, through the lists'.
		found := w.newerItems(p, core, w.wikiAdj, false)
		if len(found) == 0 {
			found = w.newerItems(p, core, listAdj, true)
		}
		if len(found) == 1 {
			w.merge(found[0], p, dupOld2016, st)
			merged = true
		}
	}
	return merged
}

// newerItems returns the items that may be the newer item of p, an item only the 2016 crawl
// knows: twinned (by adj) with one of p's Wikidata partners, known to the 2021 or 2022
// extract or Natural Earth (or to the lists when p is not), in p's country, not a region
// unless p is one, and named by one of p's core names. Found through a list's pair (byList),
// only a town without namesakes in its country counts (a list's "Portsmouth, United States"
// may be any of several).
func (w *world) newerItems(p *place, core []string, adj map[*place]map[*place]bool, byList bool) []*place {
	listed := func(x *place) bool { return x.datasets[dsEU2017] || x.datasets[dsWikipedia] }
	var found []*place
	for _, q := range slices.SortedFunc(maps.Keys(w.wikiAdj[p]), func(a, b *place) int { return a.idx - b.idx }) {
		for _, r := range slices.SortedFunc(maps.Keys(adj[q]), func(a, b *place) int { return a.idx - b.idx }) {
			r = final(r)
			if r == p || r.dead || r.qid == "" || w.wikiAdj[p][r] || slices.Contains(found, r) {
				continue
			}
			if !(r.datasets[dsWikidata2021] || r.datasets[dsWikidata2022] || r.datasets[dsNaturalEarth] || listed(r) && !listed(p)) {
				continue
			}
			if p.country != "" && r.country != "" && p.country != r.country && !related(p.country, r.country) {
				continue
			}
			if (p.at.ok && r.at.ok && km(p.at, r.at) > 2*sameCityKM) || isRegion(p) != isRegion(r) {
				continue
			}
			// r's names in the languages of the extracts' labels (the 2016 crawl's are mostly
			// German: Bacău is "Barchau"); Polish "Wiedeń" is Vienna, not Wieden.
			names := append([]string{r.names.Pick(), r.names["en"], r.names["de"], r.names["it"], r.names["und"]}, r.aliasList()...)
			if !slices.ContainsFunc(names, func(a string) bool { return a != "" && nameMatch(core, a) }) {
				continue
			}
			if byList && !w.onlyOfName(r, names) {
				continue
			}
			found = append(found, r)
		}
	}
	return found
}

// onlyOfName reports whether r is the only live place of its country bearing one of names:
// a list's "Portsmouth, United States" may be any of several.
func (w *world) onlyOfName(r *place, names []string) bool {
	for _, n := range names {
		if n == "" {
			continue
		}
		for _, c := range w.candidates(n, r.country) {
			if c = final(c); c != r && !c.dead && c.country == r.country {
				return false
			}
		}
	}
	return true
}

// sameSpotKM: a list coordinate this close to another record's is that record's point.
const sameSpotKM = 0.2

// acrossBorder deals with the list-only records a geocoder put on a namesake's point across a
// border: "Essen, Belgium" at Essen in Germany, "Vancouver, United States" at Vancouver in
// Canada. The point is the namesake's (a Wikidata or Natural Earth record whose country's
// shape holds it), not the listed town's, so it is dropped; when the list's country has
// exactly one town of the name, the record is that town's. Two towns of one name facing
// each other across a border (Rheinfelden) keep their own points.
func (w *world) acrossBorder(sh *shapes, st *Stats) {
	var spots []*place
	for _, p := range w.places {
		if !p.dead && p.at.ok && p.atRank <= rankNaturalEarth && p.country != "" {
			spots = append(spots, p)
		}
	}
	for _, x := range w.places {
		if x.dead || x.qid != "" || x.datasets[dsNaturalEarth] || x.atRank != rankList || x.country == "" || len(sh.byCode[x.country]) == 0 {
			continue
		}
		if sh.distTo(x.at, x.country, borderKM) == 0 {
			continue
		}
		in := sh.within(x.at)
		if in == "" || related(in, x.country) {
			continue
		}
		names := append(slices.Collect(maps.Values(x.names)), x.aliasList()...)
		sameName := func(c *place) bool {
			return slices.ContainsFunc(names, func(n string) bool { return c.keys[nameKey(n)] })
		}
		if !slices.ContainsFunc(spots, func(y *place) bool {
			return y.country == in && km(x.at, y.at) <= sameSpotKM && sameName(y)
		}) {
			continue
		}
		x.at, x.atRank = point{}, 0
		st.CountryFixed = addCount(st.CountryFixed, "a list coordinate on a namesake's point across a border (a geocoded namesake): coordinate dropped")
		w.mergeHome(x, st)
	}
}

// mergeHome merges x, a list-only record whose coordinate was dropped as a namesake's, into
// the only other record of its name in its country, and says whether it did.
func (w *world) mergeHome(x *place, st *Stats) bool {
	if x.qid != "" || x.datasets[dsNaturalEarth] || x.at.ok {
		return false
	}
	var home []*place
	for _, n := range append(slices.Collect(maps.Values(x.names)), x.aliasList()...) {
		for _, c := range w.candidates(n, x.country) {
			if c = final(c); c != x && !c.dead && c.country == x.country && !slices.Contains(home, c) && !w.wikiAdj[x][c] {
				home = append(home, c)
			}
		}
	}
	if len(home) != 1 {
		return false
	}
	w.merge(home[0], x, dupAcrossBorder, st)
	return true
}

// municipalWords name a municipality item of a town, which Wikidata keeps beside the town's
// own item (Malmö Municipality, Gmina Sulęcin, Pärnu City). Counties, provinces and districts
// are other bodies, twinned on their own, and keep their records.
var municipalWords = []string{"municipality", "kommune", "kommun", "gmina", "gemeinde", "comune",
	"municipio", "concelho", "city", "stadt", "miasto", "town", "urban", "obshtina", "općina", "opština", "občina"}

// stripMunicipal drops the municipality words of a name: "Malmö Municipality" → "Malmö".
func stripMunicipal(s string) string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' })
	var keep []string
	for _, w := range f {
		if !slices.Contains(municipalWords, strings.ToLower(w)) {
			keep = append(keep, w)
		}
	}
	if len(keep) == 0 || len(keep) == len(f) {
		return s
	}
	return strings.Join(keep, " ")
}

// regionWords name a body above a town.
var regionWords = []string{"county", "province", "provincia", "provinz", "district", "region", "oblast",
	"powiat", "prefecture", "governorate", "department", "landkreis", "kreis", "bezirk", "raion", "rayon", "rajon", "kanton", "canton"}

// isRegion reports whether p's English name (or only label) names a county, province or
// district rather than a town: Antwerp Province is not Antwerp.
func isRegion(p *place) bool {
	n := p.names["en"]
	if n == "" {
		n = strings.Join(p.aliasList(), " ")
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return r == ' ' || r == '-' || r == '(' || r == ')' }) {
		if slices.Contains(regionWords, w) {
			return true
		}
	}
	return false
}

// placeholderMin: this many records of different names on one coordinate mean the
// coordinate is a placeholder (ten Japanese towns on one point in the sea).
const placeholderMin = 3

// dropPlaceholders removes coordinates that several different places share: a coordinate
// given to placeholderMin or more records, or to two records of different names outside
// their countries.
func (w *world) dropPlaceholders(sh *shapes, st *Stats) {
	at := map[[2]float64][]*place{}
	for _, p := range w.places {
		if !p.dead && p.at.ok {
			k := [2]float64{math.Round(p.at.lat * 1e4), math.Round(p.at.lon * 1e4)}
			at[k] = append(at[k], p)
		}
	}
	for _, k := range slices.SortedFunc(maps.Keys(at), func(a, b [2]float64) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	}) {
		ps := at[k]
		if len(ps) < 2 {
			continue
		}
		names := map[string]bool{}
		outside := 0
		for _, p := range ps {
			names[nameKey(p.names.Pick())] = true
			if p.country != "" && sh.distTo(p.at, p.country, outsideKM) > outsideKM {
				outside++
			}
		}
		if len(names) < 2 || (len(ps) < placeholderMin && outside == 0) {
			continue
		}
		st.PlaceholderPoints++
		for _, p := range ps {
			p.at, p.atRank = point{}, 0
			st.PlaceholderCities++
		}
	}
}

// borderKM: within this distance of a country's 1:50m outline a city may belong to that
// country whichever side of the simplified line its point falls on. Kapan lies 0.1 km outside
// Armenia's outline, inside Azerbaijan's; Windsor, Ontario inside the United States'.
const borderKM = 5

// coastKM: a point in the sea this close to a country's outline is on its coast or on one of
// its small islands, which the 1:50m outlines simplify away.
const coastKM = outsideKM

// outside is a city that stays outside its country's shape, and why.
type outside struct {
	Name, Country, Inside string
	KM                    float64
	Reason                string
	place                 *place
}

// Reasons a city stays outside its country's shape.
const (
	whyBorder   = "on a border: within 5 km of its country's 1:50m outline, which simplifies borders; the sources' country kept"
	whyDisputed = "in a disputed area or a territory the 1:50m shapes give the other country; the country the sources state kept"
	whyExclave  = "inside another country's shape; Natural Earth's curated country kept (an exclave)"
	whySea      = "in the sea beyond the 1:50m outline (a small island or coast)"
	whyNoShape  = "inside another country's shape; no source states that country and the coordinate is the sources' own, so the sources' country is kept"
)

// offShape returns the country whose shape holds p when p's own country has a shape that does
// not: the audit STATS.md counts before and after checkCountries.
func offShape(sh *shapes, p *place) (string, bool) {
	if p.dead || !p.at.ok || p.country == "" || len(sh.byCode[p.country]) == 0 {
		return "", false
	}
	in := sh.within(p.at)
	return in, in != "" && in != p.country
}

// countryFromCoordinates gives the places no source put in a country the country whose shape
// holds their coordinate, or whose outline is within coastKM (a small island), or else that of
// the nearest Natural Earth place when it is close.
func (w *world) countryFromCoordinates(sh *shapes) {
	for _, p := range w.places {
		if p.country != "" || !p.at.ok {
			continue
		}
		w.placeByCoordinate(sh, p)
	}
}

// placeByCoordinate sets p's country from its coordinate and says whether it could.
func (w *world) placeByCoordinate(sh *shapes, p *place) bool {
	if c := sh.within(p.at); c != "" {
		p.country, p.countryHow = c, howShape
		return true
	}
	if c, _ := sh.nearest(p.at, coastKM); c != "" {
		p.country, p.countryHow = c, howCoast
		return true
	}
	if c := w.countryAt(p.at); c != "" {
		p.country, p.countryHow = c, howNaturalEarth
		return true
	}
	if c := w.remoteIsland(p.at); c != "" {
		p.country, p.countryHow = c, howIsland
		return true
	}
	return false
}

// remoteIslandKM bounds how far out at sea a point may take the country of the nearest city.
const remoteIslandKM = 1500

// remoteIsland returns the country of the nearest city a source places, when no city of
// another country is within twice that distance: an atoll far from every outline and every
// Natural Earth place (Bikini, 400 km from Kwajalein) belongs to its nearest neighbours.
func (w *world) remoteIsland(at point) string {
	best, code := math.Inf(1), ""
	type near struct {
		d       float64
		country string
	}
	var all []near
	for _, q := range w.places {
		if q.dead || !q.at.ok || q.stated[q.country] == nil {
			continue
		}
		d := km(at, q.at)
		if d < 2*remoteIslandKM {
			all = append(all, near{d, q.country})
		}
		if d < best {
			best, code = d, q.country
		}
	}
	if best > remoteIslandKM {
		return ""
	}
	for _, n := range all {
		if n.country != code && n.d < 2*best {
			return ""
		}
	}
	return code
}

// How the builder placed a city no source places, as its country claim's note says.
const (
	howShape        = "the country whose shape holds the city"
	howCoast        = "the country whose outline is nearest, within 25 km (a coast or a small island)"
	howNaturalEarth = "the country of the nearest Natural Earth place"
	howInferred     = "inferred from the city's partners and namesakes"
	howIsland       = "the country of the nearest cities, far out at sea (a remote island)"
)

// checkCountries tests every city against the country shapes. A country no source states is
// the shape's. Where sources state different countries, the one whose shape holds the city
// (or lies within borderKM) wins; at a border, where two do, the sources that state a country
// in words decide (Wikidata, the lists, the Isfahan table) before Natural Earth, whose country
// for a place is read off its own coarse boundaries (its Kapan, an Armenian town, has the
// Azerbaijani district of Zangilan for province). A city farther than borderKM outside the
// country its sources state is fixed: a Wikidata coordinate inside another country says the
// country was wrong (the Faroese municipality given Norway); a list coordinate says the list
// was geocoded to a namesake, and is dropped. What remains is reported with its reason.
func (w *world) checkCountries(sh *shapes, st *Stats) {
	for _, p := range w.places {
		if _, off := offShape(sh, p); off {
			st.OffShapeBefore++
		}
	}
	for _, p := range w.places {
		if p.dead || !p.at.ok {
			continue
		}
		if len(p.stated) == 0 {
			// No source states a country: the coordinate decides.
			before := p.country
			in := sh.within(p.at)
			if before != "" && (in == "" || in == before) && sh.distTo(p.at, before, coastKM) <= coastKM {
				continue
			}
			if w.placeByCoordinate(sh, p) && before != "" && p.country != before {
				st.fix(p, before, p.country, "no source states a country, and the one inferred from a nearby place or a partner is not the shape's: the shape's")
			}
			if p.country != "" {
				w.checkOutside(sh, p, st)
			}
			continue
		}
		w.chooseStated(sh, p, st)
		w.checkOutside(sh, p, st)
	}
}

// auditCountries counts, among the cities the bundle keeps, those still outside their
// country's shape and inside another's, with their reasons; a city with none is Unexplained.
func (w *world) auditCountries(sh *shapes, st *Stats) {
	st.Outside = slices.DeleteFunc(st.Outside, func(o outside) bool { return o.place.dead })
	for _, p := range w.places {
		in, off := offShape(sh, p)
		if !off {
			continue
		}
		st.OffShapeAfter++
		d := sh.distTo(p.at, p.country, 3000)
		switch {
		case d <= borderKM:
			st.OnBorder = append(st.OnBorder, outside{Name: p.label(), Country: p.country, Inside: in, KM: d, Reason: whyBorder})
		case !slices.ContainsFunc(st.Outside, func(o outside) bool { return o.place == p }):
			st.Unexplained = append(st.Unexplained, outside{Name: p.label(), Country: p.country, Inside: in, KM: d})
		}
	}
	for _, l := range [][]outside{st.Outside, st.Fixes, st.OnBorder, st.Unexplained} {
		slices.SortFunc(l, func(a, b outside) int {
			return cmp.Or(strings.Compare(a.Country, b.Country), strings.Compare(a.Name, b.Name), strings.Compare(a.Inside, b.Inside))
		})
	}
}

// label is the name STATS.md shows for p: English, else any source's.
func (p *place) label() string {
	if n := p.names.Pick(); n != "" {
		return n
	}
	if a := p.aliasList(); len(a) > 0 {
		return a[0]
	}
	return p.qid
}

// chooseStated picks p's country among those its sources state, by the shapes: the one whose
// shape holds p or lies within borderKM; at a border, the sources that state it in words.
func (w *world) chooseStated(sh *shapes, p *place, st *Stats) {
	codes := p.statedCountries()
	if len(codes) == 1 && codes[0] == p.country {
		return
	}
	var near []string
	for _, c := range codes {
		if w.statedDist(sh, p.at, c) <= borderKM {
			near = append(near, c)
		}
	}
	was, why := p.country, "sources state two countries: the one whose shape holds the city or is within 5 km"
	switch {
	case len(near) == 0:
		if p.stated[p.country] == nil {
			p.country, why = p.byWords(codes)[0], "the country inferred is not one a source states, and no stated one holds the city: the one most sources state"
		}
	case len(near) == 1:
		p.country = near[0]
	case slices.Contains(near, p.country) && len(sh.byCode[p.country]) == 0:
		// A territory inside its sovereign's outline (Réunion in France's): the territory.
	default:
		if i := slices.IndexFunc(near, func(c string) bool { return len(sh.byCode[c]) == 0 }); i >= 0 {
			p.country = near[i]
			break
		}
		best := p.byWords(near)
		st.BorderDecided++
		why = "sources state two countries at a border the 1:50m outline cannot settle: the one Wikidata or the lists state, before Natural Earth's"
		switch in := sh.within(p.at); {
		case len(best) == 1:
			p.country = best[0]
		case slices.Contains(best, p.country):
		case slices.Contains(best, in):
			p.country = in
		default:
			p.country = best[0]
		}
	}
	if p.country != was && was != "" {
		st.fix(p, was, p.country, why)
	}
}

// statedDist is the distance from at to code's shape; a territory the 1:50m shapes draw
// inside its sovereign's (Réunion in France) is as far as its sovereign.
func (w *world) statedDist(sh *shapes, at point, code string) float64 {
	if len(sh.byCode[code]) > 0 {
		return sh.distTo(at, code, 3000)
	}
	d := math.Inf(1)
	for _, s := range territories[code] {
		d = math.Min(d, sh.distTo(at, s, borderKM))
	}
	for sov, ts := range territories {
		if slices.Contains(ts, code) {
			d = math.Min(d, sh.distTo(at, sov, borderKM))
		}
	}
	return d
}

// byWords returns the codes stated by the most datasets that state a country in words (every
// one but Natural Earth), in code order; Natural Earth counts only when nothing else states any.
func (p *place) byWords(codes []string) []string {
	count := func(c string, ne bool) int {
		n := 0
		for ds := range p.stated[c] {
			if ne || ds != dsNaturalEarth {
				n++
			}
		}
		return n
	}
	for _, ne := range []bool{false, true} {
		best, out := 0, []string(nil)
		for _, c := range codes {
			switch n := count(c, ne); {
			case n > best:
				best, out = n, []string{c}
			case n == best && n > 0:
				out = append(out, c)
			}
		}
		if out != nil {
			return out
		}
	}
	return codes
}

// checkOutside deals with a city farther than borderKM outside the shape of the country it
// is given: a Wikidata coordinate inside another country moves the city there; a list
// coordinate inside another country, or far in the sea, is dropped; the rest is reported.
func (w *world) checkOutside(sh *shapes, p *place, st *Stats) {
	if len(sh.byCode[p.country]) == 0 {
		return // a country the 1:50m shapes leave out (Tuvalu, Tokelau…) or draw in its sovereign's
	}
	in := sh.within(p.at)
	if in == p.country {
		return
	}
	d := sh.distTo(p.at, p.country, 3000)
	if d <= borderKM {
		return
	}
	report := func(reason string) {
		km := d
		if math.IsInf(km, 1) {
			km = -1
		}
		st.Outside = append(st.Outside, outside{Name: p.label(), Country: p.country, Inside: in, KM: km, Reason: reason, place: p})
	}
	switch {
	case in != "" && related(in, p.country) && d > outsideKM:
		st.fixCountry(p, in, "in its sovereign's or territory's shape: that country")
	case in != "" && related(in, p.country):
		report(whyDisputed)
	case in != "" && p.atRank <= rankNaturalEarth && p.stated[p.country][dsNaturalEarth]:
		// Natural Earth's own country is curated (Ceuta and Melilla stay Spanish).
		report(whyExclave)
	case in != "" && p.atRank <= rankNaturalEarth:
		st.fixCountry(p, in, "a Wikidata coordinate inside another country: that country")
	case p.atRank == rankList && (in != "" || d > outsideKM):
		p.at, p.atRank = point{}, 0
		st.CountryFixed = addCount(st.CountryFixed, "a list coordinate inside another country or far in the sea (a geocoded namesake): coordinate dropped")
		w.mergeHome(p, st)
	case in == "" && d > outsideKM:
		report(whySea)
	case in != "":
		report(whyNoShape)
	}
}

// fix records that p's country changed from was to now, and why.
func (st *Stats) fix(p *place, was, now, how string) {
	st.Fixes = append(st.Fixes, outside{Name: p.label(), Country: was, Inside: now, Reason: how})
	st.CountryFixed = addCount(st.CountryFixed, how)
}

// fixCountry moves p to country in, whose shape holds it; what a source stated stays a claim.
func (st *Stats) fixCountry(p *place, in, how string) {
	st.fix(p, p.country, in, how)
	p.country, p.countryHow = in, howShape
}

// countryClaims lists which country each source states for p when they are not all the one
// shown, the shown country first; a shown country no source states is claimed by the build,
// with how it was found.
func (p *place) countryClaims() []twin.CountryClaim {
	codes := p.statedCountries()
	if len(codes) == 0 || (len(codes) == 1 && codes[0] == p.country) {
		return nil
	}
	slices.SortStableFunc(codes, func(a, b string) int {
		switch {
		case a == p.country:
			return -1
		case b == p.country:
			return 1
		}
		return 0
	})
	var out []twin.CountryClaim
	if p.stated[p.country] == nil && p.country != "" {
		src := twin.Source{Dataset: "countries-50m", Note: p.countryHow}
		if p.countryHow == "" || p.countryHow == howInferred || p.countryHow == howNaturalEarth || p.countryHow == howIsland {
			src = twin.Source{Dataset: "twinning-build", Note: cmp.Or(p.countryHow, howInferred)}
		}
		out = append(out, twin.CountryClaim{Country: p.country, Source: src})
	}
	for _, code := range codes {
		for _, s := range sourcesOf(p.stated[code]) {
			out = append(out, twin.CountryClaim{Country: code, Source: s})
		}
	}
	return out
}

// partnerPreferred returns the place of x's name that Wikidata twins with partner, when x's
// own place is not twinned with it and exactly one other place of the name is: the row names
// the town Wikidata already pairs with the same partner.
func (w *world) partnerPreferred(x *listEntry, px, partner *place) *place {
	if w.wikiAdj[px][partner] {
		return nil
	}
	var found *place
	for _, c := range w.candidates(x.name, x.country) {
		c = final(c)
		if c == px || c == partner || c.dead || !w.wikiAdj[partner][c] || namesOnly(x, px, c) {
			continue // a row naming px by a name only px has ("Taizhou, Zhejiang") is not moved
		}
		if x.country != "" && c.country != "" && c.country != x.country && !related(c.country, x.country) {
			continue
		}
		if found != nil && found != c {
			return nil
		}
		found = c
	}
	return found
}

// rowPlaces is one list row and the two places it names, once matched.
type rowPlaces struct {
	ds    string
	e     [2]*listEntry
	p     [2]*place
	moved bool // moved by deferToListedTown
}

// pairKeyOf orders two places for an index of pairs.
func pairKeyOf(a, b *place) [2]*place {
	if b.idx < a.idx {
		a, b = b, a
	}
	return [2]*place{a, b}
}

// namesOnly reports whether e's name, as written, names c and not other: "Lagoa, Azores" names
// Lagoa in the Azores and not Lagoa in the Algarve, "Lagoa" names both.
func namesOnly(e *listEntry, c, other *place) bool {
	k := nameKey(e.name)
	return c.keys[k] && !other.keys[k]
}

// deferToListedTown moves the rows of the Wikipedia scrape that name a town only by a name
// its namesakes in the country share ("Münster, Germany", geocoded by that string to the
// largest Münster) to the namesake another source pairs with the same partner: Wikidata, the
// EU 2017 list (whose coordinates are Wikidata's own, so each row is one town), or a row
// naming that town by a name only it has ("Lagoa, Azores"). Without that, the one agreement
// shows twice, once on the wrong town. A pair another source confirms stays where it is.
func (w *world) deferToListedTown(rows []*rowPlaces, st *Stats) {
	support := map[[2]*place][]*rowPlaces{}
	for _, r := range rows {
		if a, b := r.p[0], r.p[1]; a != nil && b != nil && a != b {
			k := pairKeyOf(a, b)
			support[k] = append(support[k], r)
		}
	}
	// confirmed: the pair (c, partner) is stated by Wikidata, by an EU row, or by a row that
	// names c by a name p does not have.
	confirmed := func(c, partner, p *place, self *rowPlaces) bool {
		if w.wikiAdj[c][partner] {
			return true
		}
		for _, r := range support[pairKeyOf(c, partner)] {
			if r == self {
				continue
			}
			j := slices.Index(r.p[:], c)
			if r.ds == dsEU2017 && r.e[j].at.ok || namesOnly(r.e[j], c, p) {
				return true
			}
		}
		return false
	}
	type move struct {
		r  *rowPlaces
		j  int
		to *place
	}
	var moves []move
	for _, r := range rows {
		if r.ds != dsWikipedia || r.p[0] == nil || r.p[1] == nil || r.p[0] == r.p[1] {
			continue
		}
		for j := range 2 {
			p, partner, e := r.p[j], r.p[1-j], r.e[j]
			if w.wikiAdj[p][partner] {
				break
			}
			var to *place
			n := 0
			for _, c := range w.candidates(e.name, e.country) {
				c = final(c)
				if c == p || c == partner || c.dead || c.country != p.country || namesOnly(e, p, c) {
					continue
				}
				if confirmed(c, partner, p, r) && c != to {
					to = c
					n++
				}
			}
			if n != 1 || confirmed(p, partner, to, r) {
				continue
			}
			moves = append(moves, move{r, j, to})
			break
		}
	}
	// Every decision reads the rows as matched; the moves are made after.
	for _, m := range moves {
		m.r.p[m.j], m.r.moved = m.to, true
		st.RowsToListedTown++
	}
}

// spellingKM: two records this close whose names are one consonant apart are one town spelt
// two ways.
const spellingKM = 5

// nameParts splits a list name into the town's own name and its qualifier: "Innere Stadt
// (Vienna)" and the scrape's "Vienna 1 – Innere Stadt" are Innere Stadt of Vienna, "Lagoa,
// Azores" Lagoa of the Azores.
func nameParts(n string) (base, qual string) {
	n = strings.TrimSpace(n)
	if i := strings.IndexByte(n, '('); i > 0 && strings.HasSuffix(n, ")") {
		return n[:i], n[i+1 : len(n)-1]
	}
	if i := strings.Index(n, " – "); i > 0 {
		return n[i+len(" – "):], n[:i]
	}
	if i := strings.IndexByte(n, ','); i > 0 {
		return n[:i], n[i+1:]
	}
	return n, ""
}

// sameName reports whether two written names name one town: the same NameKey, or the same
// town's name with one qualifier missing or one the start of the other ("Vienna" and
// "Vienna 1"); "Behringen (Bispingen)" and "Behringen (Stadtilm)" are two towns.
func sameName(a, b string) bool {
	if ka := nameKey(a); ka != "" && ka == nameKey(b) {
		return true
	}
	ba, qa := nameParts(a)
	bb, qb := nameParts(b)
	if kb := nameKey(ba); kb == "" || kb != nameKey(bb) {
		return false
	}
	qa, qb = nameKey(qa), nameKey(qb)
	return qa == "" || qb == "" || strings.HasPrefix(qa, qb) || strings.HasPrefix(qb, qa)
}

// digits returns the digits of s: Prague 7 is not Prague.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// listNames are the names of p a twinning list may write: the lists write names in English,
// as the Wikidata extracts' labels are (the 2021 query's in Italian), and a name in another
// language may be another place's (Natural Earth's Turkish name of Suzhou is its district
// Wuzhong's). Its English, Italian and undetermined names, then its aliases; none empty.
func (p *place) listNames() []string {
	return slices.DeleteFunc(append([]string{p.names["en"], p.names["it"], p.names["und"]}, p.aliasList()...), func(s string) bool { return s == "" })
}

// spelledAlike reports whether x and y are one town in two spellings: two of their names are
// one name (sameName), or, within spellingKM, two Latin names are a transliteration apart
// (Boiarka and Boyarka, Morphou and Morfou): the same first letter and numbers, at most two
// letters and one consonant of the skeleton (persian.Skeleton) apart. East and West Hendred,
// 4 km apart, are two villages, and Prague 7 is a district of Prague.
func spelledAlike(x, y *place) bool {
	xs, ys := x.listNames(), y.listNames()
	far := x.at.ok && y.at.ok && km(x.at, y.at) > sameCityKM
	for _, a := range xs {
		for _, b := range ys {
			if !sameName(a, b) {
				continue
			}
			// Far apart, a name qualified on one side only ("St. Cloud, Florida", "Rîșcani
			// (Chișinău)") was geocoded with its qualifier: another town of the name. Two names
			// with one qualifier ("Žagarė (Joniškis)", "Joniškis – Žagarė") are one town.
			if _, qa := nameParts(a); far && (qa != "" || strings.ContainsAny(b, ",(–")) {
				if _, qb := nameParts(b); qa == "" || qb == "" || !sameName(qa, qb) {
					continue
				}
			}
			return true
		}
	}
	if !x.at.ok || !y.at.ok || km(x.at, y.at) > spellingKM {
		return false
	}
	for _, a := range x.latinNames() {
		for _, b := range y.latinNames() {
			ka, kb := nameKey(a), nameKey(b)
			if ka == "" || kb == "" || ka[0] != kb[0] || persian.EditDistance(ka, kb) > 2 || digits(ka) != digits(kb) {
				continue
			}
			if utf8.RuneCountInString(persian.Skeleton(a)) >= 3 && persian.SkeletonDistance(a, b) <= 1 {
				return true
			}
		}
	}
	return false
}

// sameTownTwice merges a list-only record into another record of its country when both are
// twinned with one partner and spelled alike: a town the two lists (or two rows of one)
// wrote in two spellings or geocoded to two points, so that one agreement showed twice.
// When two list coordinates of the town lie far apart, neither is trusted and the point is
// dropped.
func (w *world) sameTownTwice(rows []*rowPlaces, st *Stats) {
	partners := map[*place][]*place{}
	link := func(a, b *place) {
		if !slices.Contains(partners[a], b) {
			partners[a] = append(partners[a], b)
		}
	}
	for _, r := range rows {
		if a, b := r.p[0], r.p[1]; a != nil && b != nil && a != b {
			link(a, b)
			link(b, a)
		}
	}
	for a := range w.wikiAdj {
		for b := range w.wikiAdj[a] {
			link(a, b)
		}
	}
	for merged := true; merged; {
		merged = w.mergeSameTown(partners, st)
	}
	for _, r := range rows {
		for j := range r.p {
			r.p[j] = final(r.p[j])
		}
	}
}

// mergeSameTown makes one pass of sameTownTwice over every partner's partners, merging what
// can be merged, and says whether it merged any; a merge gives the survivor its partners.
func (w *world) mergeSameTown(partners map[*place][]*place, st *Stats) bool {
	merged := false
	for _, b := range w.places {
		ps := partners[b]
		slices.SortFunc(ps, func(x, y *place) int { return x.idx - y.idx })
		for i, x := range ps {
			for _, y := range ps[i+1:] {
				x, y := final(x), final(y)
				if x == y || x.dead || y.dead || x.country == "" || x.country != y.country || w.wikiAdj[x][y] {
					continue
				}
				keep, gone := y, x
				if !listOnly(gone) {
					keep, gone = x, y
				}
				if !listOnly(gone) || isRegion(keep) != isRegion(gone) || !spelledAlike(keep, gone) {
					continue
				}
				far := keep.at.ok && gone.at.ok && keep.atRank == rankList && gone.atRank == rankList && km(keep.at, gone.at) > sameCityKM
				if far && keep.datasets[dsEU2017] && gone.datasets[dsEU2017] {
					continue // two coordinates from the EU list are two Wikidata items: two towns (Quinsac)
				}
				w.merge(keep, gone, dupSameTown, st)
				if far {
					keep.at, keep.atRank = point{}, 0
				}
				for _, q := range partners[gone] {
					if !slices.Contains(partners[keep], q) {
						partners[keep] = append(partners[keep], q)
					}
					if !slices.Contains(partners[q], keep) {
						partners[q] = append(partners[q], keep)
					}
				}
				merged = true
			}
		}
	}
	return merged
}

// listOnly reports whether p is known only from the lists (no Wikidata item, not in Natural
// Earth).
func listOnly(p *place) bool { return p.qid == "" && !p.datasets[dsNaturalEarth] }

// ambiguity names the places an unresolved list city could be, for its record's note.
func (w *world) ambiguity(e *listEntry) []*place {
	if e.at.ok || e.country == "" {
		return nil
	}
	var out []*place
	for _, c := range w.candidates(e.name, e.country) {
		if c.country == e.country && !c.dead && c != e.p {
			out = append(out, c)
		}
	}
	if len(out) < 2 || !farApart(out) {
		return nil
	}
	return out
}

// describeAmbiguous is the note of an unresolved list city.
func describeAmbiguous(cands []*place) string {
	var refs []string
	for _, c := range cands {
		r := c.qid
		if r == "" {
			r = c.names.Pick()
		}
		refs = append(refs, r)
	}
	slices.Sort(refs)
	refs = slices.Compact(refs)
	return fmt.Sprintf("unresolved: the list names no coordinate, and %d places bear this name in the country (%s)", len(refs), strings.Join(refs, ", "))
}

// nearerNamesake returns the place of e's name that lies at e's own coordinate when p, the
// place e's row is on, lies farther than sameCityKM from it: the row names that namesake.
func (w *world) nearerNamesake(e *listEntry, p *place) *place {
	if !e.at.ok || !p.at.ok || km(e.at, p.at) <= sameCityKM {
		return nil
	}
	var best *place
	bestD := float64(sameCityKM)
	for _, c := range w.candidates(e.name, e.country) {
		c = final(c)
		if c == p || c.dead || !c.at.ok {
			continue
		}
		if d := km(e.at, c.at); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
