package dataset

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Duplicate classes, as STATS.md counts them.
const (
	dupSameCountry = "same name, same country, within 20 km (town and municipality items)"
	dupTerritory   = "same name within 20 km under a sovereign and its territory, or a disputed one"
	dupOld2016     = "an item only the 2016 crawl knows, beside the newer item of its name sharing a partner"
	dupListCopy    = "a list-only copy geocoded to a namesake while Wikidata pairs the partner with the real city"
	// mergeKM: two records of one name closer than this are one city.
	mergeKM = 20
)

// territories pairs each sovereign with the territories and the disputed areas whose places
// the sources file under either code: France and its overseas territories, China and Macau,
// Morocco and Western Sahara, Finland and Åland, Russia and Ukraine (Crimea), and so on.
var territories = map[string][]string{
	"FR": {"RE", "GP", "MQ", "GF", "YT", "PF", "NC", "PM", "BL", "MF", "WF"},
	"CN": {"MO", "HK"}, "MA": {"EH"}, "FI": {"AX"}, "RU": {"UA", "GE"}, "AZ": {"AM"},
	"NL": {"AW", "CW", "SX", "BQ"}, "DK": {"FO", "GL"}, "NO": {"SJ"},
	"GB": {"GI", "IM", "JE", "GG", "BM", "KY", "VG", "FK", "MS", "TC", "AI", "SH"},
	"US": {"PR", "GU", "VI", "AS", "MP"}, "AU": {"CX", "CC", "NF"}, "NZ": {"CK", "NU", "TK"},
	"IL": {"PS"}, "RS": {"XK"}, "MD": {"RU"},
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
	keep.claims = append(keep.claims, gone.claims...)
	if keep.country == "" {
		keep.country = gone.country
	} else if gone.country != "" && gone.country != keep.country {
		keep.claims = append(keep.claims, countryClaim{keep.country, keep.datasets}, countryClaim{gone.country, gone.datasets})
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

// countryClaim is a country a group of datasets gives a place.
type countryClaim struct {
	country  string
	datasets map[string]bool
}

// mergeDuplicates makes one record of one real city: items of one name in one country within
// mergeKM (a town and its municipality), the same within mergeKM under a sovereign and its
// territory or a disputed area, and the items only the 2016 crawl knows beside the newer item
// of the same name that shares one of their partners. Two items Wikidata twins with each
// other are never merged (the pair would vanish).
func (w *world) mergeDuplicates(sh *shapes, ct *countryTable, st *Stats) {
	byKey := map[string][]*place{}
	for _, p := range w.places {
		if p.dead {
			continue
		}
		keys := map[string]bool{}
		for _, n := range append(slices.Collect(maps.Values(p.names)), p.aliasList()...) {
			for _, v := range []string{n, stripMunicipal(n)} {
				if k := nameKey(v); len([]rune(k)) >= 3 {
					keys[k] = true
				}
			}
		}
		for k := range keys {
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
				if a.country != b.country {
					if !related(a.country, b.country) {
						continue
					}
					class = dupTerritory
				}
				keep, gone := a, b
				if !better(a, b) {
					keep, gone = b, a
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
	// Items only the 2016 crawl knows, beside the newer item of their name.
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
		var found []*place
		for q := range w.wikiAdj[p] {
			for r := range w.wikiAdj[q] {
				if r == p || r.dead || r.qid == "" || w.wikiAdj[p][r] || slices.Contains(found, r) {
					continue
				}
				if !(r.datasets[dsWikidata2021] || r.datasets[dsWikidata2022] || r.datasets[dsNaturalEarth]) {
					continue
				}
				if p.country != "" && r.country != "" && p.country != r.country && !related(p.country, r.country) {
					continue
				}
				if (p.at.ok && r.at.ok && km(p.at, r.at) > 2*sameCityKM) || isRegion(p) != isRegion(r) {
					continue
				}
				if nameMatch(core, r.names.Pick()) || slices.ContainsFunc(r.aliasList(), func(a string) bool { return nameMatch(core, a) }) {
					found = append(found, r)
				}
			}
		}
		if len(found) == 1 {
			w.merge(found[0], p, dupOld2016, st)
		}
	}
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
	"powiat", "prefecture", "governorate", "department", "landkreis", "kreis", "bezirk", "raion", "rayon"}

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

// outside is a city that stays outside its country's shape, and why.
type outside struct {
	Name, Country, Inside string
	KM                    float64
	Reason                string
}

// checkCountries tests every place against the country shapes: a place without a country
// takes the one its coordinate lies in; a place more than outsideKM outside its country is
// fixed (a Wikidata or Natural Earth coordinate inside another country, with no territory
// link, says the country was wrong: the Faroese municipality given Norway; a list coordinate
// says the list was geocoded to a namesake, and is dropped), and what remains is reported
// with its reason.
func (w *world) checkCountries(sh *shapes, st *Stats) {
	for _, p := range w.places {
		if p.dead || !p.at.ok {
			continue
		}
		if p.country == "" {
			if c := sh.within(p.at); c != "" {
				p.country = c
				st.CountryFromShape++
			} else if c, _ := sh.nearest(p.at, outsideKM); c != "" {
				p.country = c
				st.CountryFromShape++
			}
			continue
		}
		if len(sh.byCode[p.country]) == 0 {
			continue // a country the 1:50m shapes leave out (Tuvalu, Tokelau…)
		}
		in := sh.within(p.at)
		if in != "" && in != p.country && p.atRank <= rankNaturalEarth && slices.ContainsFunc(p.claims, func(c countryClaim) bool { return c.country == in }) {
			// Inside the shape of a country a source claims: that country (an Armenian
			// town some sources gave Azerbaijan).
			st.fixCountry(p, in, "inside the shape of another country a source claims: that country")
			continue
		}
		d := sh.distTo(p.at, p.country, 3000)
		if d <= outsideKM {
			continue
		}
		switch {
		case in != "" && related(in, p.country):
			st.fixCountry(p, in, "in its sovereign's or territory's shape: that country")
		case in != "" && p.atRank <= rankNaturalEarth && !p.datasets[dsNaturalEarth]:
			// Natural Earth's own country is curated (Ceuta and Melilla stay Spanish).
			st.fixCountry(p, in, "a Wikidata coordinate inside another country: that country")
		case p.atRank == rankList:
			p.at, p.atRank = point{}, 0
			st.CountryFixed = addCount(st.CountryFixed, "a list coordinate outside the country (a geocoded namesake): coordinate dropped")
		default:
			reason := "in the sea beyond the 1:50m outline (a small island or coast)"
			switch {
			case in != "" && p.datasets[dsNaturalEarth]:
				reason = "inside another country's shape; Natural Earth's curated country kept (an exclave)"
			case in != "":
				reason = "inside another country's shape; no source claims that country, so the sources' country is kept"
			}
			if math.IsInf(d, 1) {
				d = -1
			}
			st.Outside = append(st.Outside, outside{Name: p.names.Pick(), Country: p.country, Inside: in, KM: d, Reason: reason})
		}
	}
	for _, l := range [][]outside{st.Outside, st.Fixes} {
		slices.SortFunc(l, func(a, b outside) int {
			return cmp.Or(strings.Compare(a.Country, b.Country), strings.Compare(a.Name, b.Name))
		})
	}
}

// fixCountry moves p to country in, keeping the old country as a claim.
func (st *Stats) fixCountry(p *place, in, how string) {
	st.Fixes = append(st.Fixes, outside{Name: p.names.Pick(), Country: p.country, Inside: in, Reason: how})
	p.claims = append(p.claims, countryClaim{p.country, p.datasets})
	p.country = in
	st.CountryFixed = addCount(st.CountryFixed, how)
}

// countryClaims turns a place's recorded country claims into the record's, one per country,
// the shown country first.
func (p *place) countryClaims() []twin.CountryClaim {
	if len(p.claims) == 0 {
		return nil
	}
	byCountry := map[string]map[string]bool{}
	for _, c := range p.claims {
		if byCountry[c.country] == nil {
			byCountry[c.country] = map[string]bool{}
		}
		for ds := range c.datasets {
			byCountry[c.country][ds] = true
		}
	}
	if len(byCountry) < 2 {
		if _, ok := byCountry[p.country]; ok {
			return nil
		}
	}
	var out []twin.CountryClaim
	codes := slices.Sorted(maps.Keys(byCountry))
	slices.SortStableFunc(codes, func(a, b string) int {
		switch {
		case a == p.country:
			return -1
		case b == p.country:
			return 1
		}
		return 0
	})
	for _, code := range codes {
		for _, s := range sourcesOf(byCountry[code]) {
			out = append(out, twin.CountryClaim{Country: code, Source: s})
		}
	}
	if _, ok := byCountry[p.country]; !ok {
		out = append([]twin.CountryClaim{{Country: p.country, Source: twin.Source{Dataset: "countries-50m", Note: "the country whose shape holds the city"}}}, out...)
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
		if c == px || c == partner || c.dead || !w.wikiAdj[partner][c] {
			continue
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
