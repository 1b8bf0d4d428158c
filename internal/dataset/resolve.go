package dataset

import (
	"cmp"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Matching thresholds.
const (
	// sameCityKM: two records of one name in one country closer than this are one city.
	sameCityKM = 30
	// homonymKM: a list coordinate farther than this from every Natural Earth place of the
	// stated country was geocoded to a namesake elsewhere.
	homonymKM = 400
	// countryByCoordKM: a place without a country takes the country of the nearest Natural
	// Earth place when it is this close.
	countryByCoordKM = 60
)

// neLangs maps Natural Earth's NAME_XX columns to language tags.
var neLangs = map[string]string{"EN": "en", "DE": "de", "ES": "es", "FR": "fr", "PT": "pt", "RU": "ru",
	"ZH": "zh", "AR": "ar", "BN": "bn", "EL": "el", "HI": "hi", "HU": "hu", "ID": "id", "IT": "it",
	"JA": "ja", "KO": "ko", "NL": "nl", "PL": "pl", "SV": "sv", "TR": "tr", "VI": "vi", "FA": "fa",
	"HE": "he", "UK": "uk", "UR": "ur", "ZHT": "zh-Hant"}

// addWikidata adds the items of one extract. Labels of the 2016 crawl are mostly, not all,
// German, so they become aliases; 2021 labels are Italian, 2022 labels English.
func (w *world) addWikidata(ws *wikidataSet, ds, lang string, ct *countryTable) {
	for _, q := range slices.Sorted(maps.Keys(ws.nodes)) {
		n := ws.nodes[q]
		p := w.q(q)
		p.datasets[ds] = true
		if lang == "" {
			w.addAlias(p, n.label)
		} else {
			w.setName(p, lang, n.label)
		}
		if n.country != "" {
			p.setCountry(ct.code(n.country))
			p.state(ct.code(n.country), ds)
		}
		p.setPoint(n.at, rankWikidata)
		p.setPop(n.pop)
	}
	for _, e := range ws.edges {
		if a, b := w.byQ[e.a], w.byQ[e.b]; a != b {
			w.twin(a, b)
		}
	}
}

// addNaturalEarth adds the gazetteer: every populated place becomes a city (merged by
// Wikidata id), so that Persian names are searchable even for cities nobody twins yet.
func (w *world) addNaturalEarth(src string) error {
	rows, err := readTable(filepath.Join(src, fileNaturalEarth), ',')
	if err != nil {
		return err
	}
	slices.SortStableFunc(rows, func(a, b map[string]string) int { return cmp.Compare(a["NE_ID"], b["NE_ID"]) })
	for _, r := range rows {
		code := r["ISO_A2"]
		if len(code) != 2 {
			code = neCountry[r["ADM0_A3"]]
		}
		at := mkPoint(r["LATITUDE"], r["LONGITUDE"])
		if at.ok && code != "" {
			w.neByCountry[code] = append(w.neByCountry[code], at)
			w.neAll = append(w.neAll, nePoint{at, code})
		}
		if k := nameKey(r["ADM1NAME"]); k != "" && code != "" {
			if w.neProvinces[k] == nil {
				w.neProvinces[k] = map[string]bool{}
			}
			w.neProvinces[k][code] = true
		}
		var p *place
		if q := r["WIKIDATAID"]; isQ(q) {
			p = w.q(q)
		} else {
			p = w.newPlace()
		}
		p.datasets[dsNaturalEarth] = true
		for _, col := range slices.Sorted(maps.Keys(neLangs)) {
			v := r["NAME_"+col]
			if col == "FA" {
				v = cleanFA(v)
			}
			w.setName(p, neLangs[col], v)
		}
		w.addAlias(p, r["NAME"])
		w.addAlias(p, r["NAMEASCII"])
		for _, alt := range neAltNames(r["NAMEALT"], r["ADM1NAME"], r["NAME"], r["NAMEASCII"]) {
			w.addAlias(p, alt)
		}
		// Natural Earth's ISO code beats a Wikidata extract's country label, which may be
		// historical.
		if code != "" {
			p.country = code
			p.state(code, dsNaturalEarth)
		}
		p.setPoint(at, rankNaturalEarth)
		pop, _ := strconv.ParseFloat(r["POP_MAX"], 64)
		p.setPop(int64(pop))
	}
	return nil
}

// neAltNames returns the other names of a Natural Earth place from its NAMEALT column, which
// separates names by "|" or "," but also writes a name with its province after a comma
// ("Suzhou, Jiangsu"): the province (adm1) is not a name of the place, and a name given with
// it that is not the place's own names another place of that province (Guangzhou's
// "Dongguan, Guangdong").
func neAltNames(alt, adm1 string, own ...string) []string {
	var out []string
	for _, piece := range strings.Split(alt, "|") {
		parts := strings.Split(piece, ",")
		if len(parts) == 2 && adm1 != "" && nameKey(parts[1]) == nameKey(adm1) {
			if slices.ContainsFunc(own, func(o string) bool { return nameKey(o) == nameKey(parts[0]) }) {
				out = append(out, strings.TrimSpace(piece))
			}
			continue
		}
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// addIsfahan adds the cities of the municipality's table with the names it carries.
func (w *world) addIsfahan(rows []isfahanRow, ct *countryTable) {
	for _, r := range rows {
		isf := w.q(r.cityQ)
		isf.datasets[dsIsfahan] = true
		w.setName(isf, "en", "Isfahan")
		w.setName(isf, "fa", "اصفهان")
		isf.setCountry("IR")
		isf.state("IR", dsIsfahan)
		if !isQ(r.partnerQ) {
			continue
		}
		p := w.q(r.partnerQ)
		p.datasets[dsIsfahan] = true
		w.setName(p, "en", r.partnerEN)
		w.setName(p, "fa", cleanFA(r.nameFA))
		w.setName(p, "ar", r.nameAR)
		p.setCountry(ct.code(r.partnerCountry))
		p.state(ct.code(r.partnerCountry), dsIsfahan)
	}
}

// listEntry is one distinct (name, country string) of a list, resolved to a place.
type listEntry struct {
	ds, name, countryText string
	country               string
	stated                bool // country is the list's own country column, not inferred
	at                    point
	pop                   int64
	partners              []*listEntry
	p                     *place
	how                   string // how it was resolved, for the stats
}

// listEntries turns a list's rows into distinct entries linked to their partners.
func listEntries(rows []listRow, ds string, ct *countryTable) (map[[3]string]*listEntry, [][2]*listEntry) {
	entries := map[[3]string]*listEntry{}
	get := func(lp listPlace) *listEntry {
		// One entry per name, country string and coordinate: rows of one list may name two
		// namesakes ("Halle, Germany" for Halle (Saale) and Halle (Westf.)), and the EU
		// list gives each row its own coordinate.
		k := [3]string{lp.name, lp.country, coordKey(lp.at)}
		if e := entries[k]; e != nil {
			return e
		}
		name, ctext := strings.TrimSpace(lp.name), strings.TrimSpace(lp.country)
		if ctext == "" {
			// "Varna, Bulgaria" with no country column.
			if i := strings.LastIndex(name, ","); i > 0 && ct.code(name[i+1:]) != "" {
				name, ctext = strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+1:])
			}
		}
		e := &listEntry{ds: ds, name: name, countryText: ctext, country: ct.code(ctext), at: lp.at, pop: lp.pop}
		e.stated = e.country != ""
		entries[k] = e
		return e
	}
	pairs := make([][2]*listEntry, 0, len(rows))
	for _, r := range rows {
		a, b := get(r.a), get(r.b)
		a.partners = append(a.partners, b)
		b.partners = append(b.partners, a)
		pairs = append(pairs, [2]*listEntry{a, b})
	}
	return entries, pairs
}

// sortedEntries returns a list's entries in a stable order.
func sortedEntries(m map[[3]string]*listEntry) []*listEntry {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b [3]string) int {
		return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1]), strings.Compare(a[2], b[2]))
	})
	out := make([]*listEntry, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// coordKey is a coordinate to about a kilometre, "" for none.
func coordKey(at point) string {
	if !at.ok {
		return ""
	}
	return fmt.Sprintf("%.2f,%.2f", at.lat, at.lon)
}

// homonym is a list coordinate found in the wrong country and what was done about it.
type homonym struct {
	Name, Country string
	FromKM        float64
	Fixed         bool
}

// fixHomonyms checks each entry's coordinate against its stated country. A coordinate far
// from every Natural Earth place of that country was geocoded to a namesake elsewhere
// (Hastings, New Zealand found in England); it is replaced by the coordinate of a Natural
// Earth or Wikidata city of that name in the stated country, or dropped when there is none.
func (w *world) fixHomonyms(entries []*listEntry) []homonym {
	var out []homonym
	for _, e := range entries {
		if !e.at.ok || e.country == "" || len(w.neByCountry[e.country]) == 0 {
			continue
		}
		d := w.distToCountry(e.at, e.country)
		if d <= homonymKM {
			continue
		}
		h := homonym{Name: e.name, Country: e.country, FromKM: d}
		e.at = point{}
		var best *place
		for _, p := range w.candidates(e.name, e.country) {
			if p.country == e.country && p.at.ok && p.atRank <= rankNaturalEarth && (best == nil || p.pop > best.pop) {
				best = p
			}
		}
		if best != nil {
			e.at, h.Fixed = best.at, true
		}
		out = append(out, h)
	}
	return out
}

// resolveLists finds the place of every entry of the lists (all lists at once, so that one
// list's cities can anchor another's): first by name, country and distance; then, for places
// without coordinates, through the pairs: a listed pair whose two names match two places that
// Wikidata twins resolves both; then by a name unique in the country. What is left becomes a
// new place, shared with later entries of the same city.
func (w *world) resolveLists(entries []*listEntry, pairs [][2]*listEntry) {
	for _, e := range entries {
		switch {
		case isQ(e.name):
			// A Wikidata query's label fell back to the item id.
			e.resolve(w, w.q(e.name), "wikidata id")
		case e.name == "":
		default:
			if p := w.byDistance(e); p != nil {
				e.resolve(w, p, "distance")
			}
		}
	}
	w.resolveByPairs(pairs)
	for _, e := range entries {
		if e.p == nil {
			if p := w.uniqueInCountry(e); p != nil {
				e.resolve(w, p, "name")
			}
		}
	}
	w.resolveByPairs(pairs)
	for _, e := range entries {
		if e.p != nil {
			continue
		}
		if p := w.byDistance(e); p != nil {
			e.resolve(w, p, "distance")
			continue
		}
		if p := w.uniqueInCountry(e); p != nil {
			e.resolve(w, p, "name")
			continue
		}
		if e.country == "" && e.at.ok {
			e.country = w.countryAt(e.at)
		}
		if e.country == "" || e.name == "" {
			continue // unresolved: counted when its pairs are dropped
		}
		p := w.newPlace()
		p.country = e.country
		if cands := w.ambiguity(e); cands != nil {
			// Several towns of this name in the country and no coordinate to choose: the
			// pairs stay on a city of their own, marked unresolved, rather than a guess.
			p.ambiguous = describeAmbiguous(cands)
			e.resolve(w, p, "ambiguous")
			continue
		}
		e.resolve(w, p, "new")
	}
}

// byDistance returns the nearest place of e's name within sameCityKM.
func (w *world) byDistance(e *listEntry) *place {
	if !e.at.ok {
		return nil
	}
	var best *place
	bestD := float64(sameCityKM)
	for _, p := range w.candidates(e.name, e.country) {
		if p.at.ok {
			if d := km(e.at, p.at); d < bestD {
				best, bestD = p, d
			}
		}
	}
	return best
}

// uniqueInCountry returns the only place of e's name in e's country when the two cannot be
// told apart by distance (one of them has no coordinate).
func (w *world) uniqueInCountry(e *listEntry) *place {
	if e.country == "" {
		return nil
	}
	var found *place
	for _, p := range w.candidates(e.name, e.country) {
		if p.country != e.country {
			continue
		}
		if found != nil {
			return nil
		}
		found = p
	}
	if found == nil || (found.at.ok && e.at.ok) {
		return nil
	}
	return found
}

// resolveByPairs matches entries through the pairs they are listed in, until nothing
// changes: when Wikidata twins a place of one side's name with a place of the other side's
// name, those are the two cities.
func (w *world) resolveByPairs(pairs [][2]*listEntry) {
	for changed := true; changed; {
		changed = false
		for _, pr := range pairs {
			for _, side := range [2][2]*listEntry{pr, {pr[1], pr[0]}} {
				x, y := side[0], side[1]
				if x.p != nil || x == y {
					continue
				}
				if p, q := w.byPair(x, y); p != nil {
					x.resolve(w, p, "pair")
					if y.p == nil {
						y.resolve(w, q, "pair")
					}
					changed = true
				}
			}
		}
	}
}

// byPair returns places of x's and y's names that Wikidata twins (y's place is y.p when y is
// resolved).
func (w *world) byPair(x, y *listEntry) (*place, *place) {
	ys := []*place{y.p}
	if y.p == nil {
		ys = w.candidates(y.name, y.country)
	}
	for _, q := range ys {
		for _, p := range w.candidates(x.name, x.country) {
			if p != q && w.wikiAdj[q][p] && near(p, x) && near(q, y) {
				return p, q
			}
		}
	}
	return nil, nil
}

// near reports whether p and e can be one city as far as coordinates tell.
func near(p *place, e *listEntry) bool {
	return !p.at.ok || !e.at.ok || e.p == p || km(p.at, e.at) < 4*sameCityKM
}

// resolve ties e to p and gives p what e knows.
func (e *listEntry) resolve(w *world, p *place, how string) {
	e.p, e.how = p, how
	p.datasets[e.ds] = true
	w.setName(p, "en", e.name)
	p.setCountry(e.country)
	if e.stated {
		p.state(e.country, e.ds)
	}
	p.setPoint(e.at, rankList)
	p.setPop(e.pop)
}

// describe is a short text of an entry for reports.
func (e *listEntry) describe() string { return fmt.Sprintf("%s (%s)", e.name, e.countryText) }
