package dataset

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Build reads the shippable sources under src (laid out as ../shared/data), resolves them to
// one record per city and per city pair, and writes the bundle to w. progress, when not nil,
// hears what it is doing.
func Build(src string, w io.Writer, progress func(string)) (Stats, error) {
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	var st Stats
	ct, err := loadCountries(filepath.Join(src, dirCountries))
	if err != nil {
		return st, fmt.Errorf("countries: %w", err)
	}
	say("countries: %d", len(ct.byCode))
	wd := newWorld()
	var sets [3]*wikidataSet
	for i, f := range []func(string) (*wikidataSet, error){readGexf2022, readQuery2021, readCrawl2016} {
		if sets[i], err = f(src); err != nil {
			return st, err
		}
	}
	wd.addWikidata(sets[0], dsWikidata2022, "en", ct)
	wd.addWikidata(sets[1], dsWikidata2021, "it", ct)
	wd.addWikidata(sets[2], dsWikidata2016, "", ct)
	say("wikidata: %d items", len(wd.byQ))
	if err := wd.addNaturalEarth(src); err != nil {
		return st, err
	}
	isf, refs, err := readIsfahan(src)
	if err != nil {
		return st, err
	}
	wd.addIsfahan(isf, ct)
	say("with natural earth and isfahan: %d places", len(wd.places))

	st.Dropped = map[string]int{}
	var lists [2][][2]*listEntry
	var entries, hekman []*listEntry
	var allPairs [][2]*listEntry
	for i, l := range []struct {
		ds   string
		read func(string) ([]listRow, error)
	}{{dsEU2017, readEU2017}, {dsWikipedia, readHekman}} {
		rows, err := l.read(src)
		if err != nil {
			return st, err
		}
		m, prs := listEntries(rows, l.ds, ct)
		es := sortedEntries(m)
		if l.ds == dsWikipedia {
			hekman = es
		}
		entries = append(entries, es...)
		allPairs = append(allPairs, prs...)
		lists[i] = prs
		say("%s: %d rows, %d distinct cities", l.ds, len(rows), len(es))
	}
	for _, h := range wd.fixHomonyms(hekman) {
		if h.Fixed {
			st.HomonymsFixed++
		} else {
			st.HomonymCoordsDropped++
		}
		st.Homonyms = append(st.Homonyms, h)
	}
	wd.resolveLists(entries, allPairs)
	for _, e := range entries {
		st.ListResolution = addCount(st.ListResolution, e.ds+" "+cmp.Or(e.how, "unresolved"))
	}
	sh, err := loadShapes(src)
	if err != nil {
		return st, fmt.Errorf("country shapes: %w", err)
	}
	wd.countryFromCoordinates(sh)
	wd.adoptOrphans(entries, &st)
	wd.locateOrphans(entries, &st)
	listAdj := map[*place]map[*place]bool{}
	for _, pe := range allPairs {
		if a, b := pe[0].p, pe[1].p; a != nil && b != nil && a != b {
			for _, e := range [][2]*place{{a, b}, {b, a}} {
				if listAdj[e[0]] == nil {
					listAdj[e[0]] = map[*place]bool{}
				}
				listAdj[e[0]][e[1]] = true
			}
		}
	}
	wd.mergeDuplicates(sh, ct, listAdj, &st)
	wd.dropPlaceholders(sh, &st)
	wd.checkCountries(sh, &st)
	say("quality: %d duplicates merged, %d cities outside their country", sumCounts(st.Merged), len(st.Outside))

	pairs := pairSet{}
	for i, ds := range []string{dsWikidata2022, dsWikidata2021, dsWikidata2016} {
		for _, e := range sets[i].edges {
			a, b := final(wd.byQ[e.a]), final(wd.byQ[e.b])
			if a == b {
				st.Dropped[ds+": an item twinned with itself"]++
				continue
			}
			pairs.add(a, b, ds, sets[i].directed)
		}
	}
	var rows []*rowPlaces
	for i, ds := range []string{dsEU2017, dsWikipedia} {
		for _, pe := range lists[i] {
			a, b := final(pe[0].p), final(pe[1].p)
			if a != nil && b != nil && a != b {
				// The row names the town Wikidata already pairs with the same partner.
				if c := wd.partnerPreferred(pe[0], a, b); c != nil {
					a = c
					st.RowsToPartnerTown++
				} else if c := wd.partnerPreferred(pe[1], b, a); c != nil {
					b = c
					st.RowsToPartnerTown++
				}
				// A row whose own coordinate is another namesake's goes to that namesake
				// (match by name and coordinate), unless Wikidata confirms the pair.
				if !wd.wikiAdj[a][b] {
					for j := range 2 {
						p := [2]*place{a, b}[j]
						if c := wd.nearerNamesake(pe[j], p); c != nil && c != [2]*place{b, a}[j] {
							if j == 0 {
								a = c
							} else {
								b = c
							}
							st.RowsToCoordinateTown++
						}
					}
				}
			}
			rows = append(rows, &rowPlaces{ds: ds, e: pe, p: [2]*place{a, b}})
		}
	}
	// A Wikipedia row naming a town only by a name its namesakes share goes to the namesake
	// another source pairs with the same partner.
	wd.deferToListedTown(rows, &st)
	wd.sameTownTwice(rows, &st)
	for _, r := range rows {
		a, b := r.p[0], r.p[1]
		if a != nil && b != nil && a != b && !r.moved {
			for j, p := range r.p {
				if !wd.wikiAdj[a][b] && wd.nearerNamesake(r.e[j], p) != nil {
					st.FarRows++
				}
			}
		}
		st.ListRows = addCount(st.ListRows, r.ds)
		switch {
		case a == nil || b == nil:
			st.Dropped[r.ds+": a city with no name or no country"]++
		case a == b:
			st.Dropped[r.ds+": both names resolve to one city"]++
		default:
			if a.ambiguous != "" || b.ambiguous != "" {
				st.AmbiguousRows++
			}
			pairs.add(a, b, r.ds, false)
			st.ListRowsKept = addCount(st.ListRowsKept, r.ds)
		}
	}
	for i := range isf {
		r := &isf[i]
		if !isQ(r.partnerQ) {
			st.Dropped[dsIsfahan+": a row without a Wikidata id"]++
			continue
		}
		pairs.add(final(wd.byQ[r.cityQ]), final(wd.byQ[r.partnerQ]), dsIsfahan, false).isfahan = r
	}
	for k, pr := range pairs {
		if why := cmp.Or(wd.unusable(pr.a), wd.unusable(pr.b)); why != "" {
			for ds := range pr.datasets {
				st.Dropped[ds+": "+why]++
			}
			delete(pairs, k)
		}
	}
	partnered := map[*place]bool{}
	for _, pr := range pairs {
		partnered[pr.a], partnered[pr.b] = true, true
	}
	for _, p := range wd.places {
		// A list-only record whose rows all went to the town Wikidata pairs is no city.
		if !p.dead && p.qid == "" && !p.datasets[dsNaturalEarth] && !partnered[p] {
			p.dead = true
			st.ListCopiesDropped++
		}
	}
	placed := map[*place]map[*place]bool{}
	for _, r := range rows {
		if a, b := final(r.p[0]), final(r.p[1]); a != nil && b != nil && a != b {
			for _, e := range [][2]*place{{a, b}, {b, a}} {
				if placed[e[0]] == nil {
					placed[e[0]] = map[*place]bool{}
				}
				placed[e[0]][e[1]] = true
			}
		}
	}
	wd.auditDuplicates(func(p *place) bool { return wd.unusable(p) == "" }, placed, ct, &st)
	wd.auditCountries(sh, &st)
	if err := wd.persianNames(src, ct, &st); err != nil {
		return st, fmt.Errorf("persian names: %w", err)
	}
	cities := wd.cities(&st, partnered)
	say("cities: %d", len(cities))
	var ags []twin.Agreement
	for i, pr := range pairs.sorted() {
		ag, err := pr.agreement(int64(i+1), sets[1].subjects, refs)
		if err != nil {
			return st, err
		}
		st.count(pr, &ag)
		ags = append(ags, ag)
	}
	say("agreements: %d", len(ags))
	countries := ct.sorted()
	st.Countries = len(countries)
	if err := write(w, countries, cities, ags, networks()); err != nil {
		return st, err
	}
	return st, nil
}

// adoptOrphans deals with the Wikidata items that only the 2016 crawl knows, by a label
// that matched no list entry through a pair. When a list city of the same name is the only
// place of that name anywhere, it is the same city and the item absorbs it. Otherwise, when
// every place of that name is in one country (a town and its municipality are two Wikidata
// items), the item takes that country and no coordinate.
func (w *world) adoptOrphans(entries []*listEntry, st *Stats) {
	owner := map[*place][]*listEntry{}
	for _, e := range entries {
		if e.p != nil {
			owner[e.p] = append(owner[e.p], e)
		}
	}
	for _, p := range w.places {
		if p.country != "" || p.qid == "" || p.dead {
			continue
		}
		var cands []*place
		for _, name := range p.aliasList() {
			for _, c := range w.candidates(name, "") {
				if c != p && !c.dead && c.country != "" && !slices.Contains(cands, c) {
					cands = append(cands, c)
				}
			}
		}
		if len(cands) == 1 && cands[0].qid == "" && len(owner[cands[0]]) > 0 {
			c := cands[0]
			for _, e := range owner[c] {
				e.resolve(w, p, "orphan")
			}
			c.dead = true
			st.OrphansMerged++
			continue
		}
		countries := map[string]bool{}
		for _, c := range cands {
			if sameSpelling(p.aliasList(), c) {
				countries[c.country] = true
			}
		}
		if len(countries) == 1 {
			for c := range countries {
				p.country = c
			}
			st.OrphansCountryFromNamesake++
		}
	}
}

// unusable says why a place cannot become a valid city record, or "". A Wikidata item that
// takes part in a Wikidata pair is kept without a country when no source tells it (its id
// identifies it; twin.City.Validate allows that); any other place needs one.
func (w *world) unusable(p *place) string {
	switch {
	case len(p.names) == 0 && len(p.aliases) == 0:
		return "a city no source names"
	case p.country == "" && (p.qid == "" || len(w.wikiAdj[p]) == 0):
		return "a city with no country (no country, coordinate or namesake in any source)"
	}
	return ""
}

// cities numbers the usable places and turns them into records: Wikidata items first by
// Q-number, then the rest by country, name and position.
func (w *world) cities(st *Stats, partnered map[*place]bool) []twin.City {
	var keep []*place
	for _, p := range w.places {
		if p.dead {
			continue
		}
		if why := w.unusable(p); why != "" {
			st.Dropped[why]++
			continue
		}
		keep = append(keep, p)
	}
	qnum := func(p *place) int {
		if p.qid == "" {
			return math.MaxInt
		}
		n, _ := strconv.Atoi(p.qid[1:])
		return n
	}
	slices.SortFunc(keep, func(a, b *place) int {
		return cmp.Or(cmp.Compare(qnum(a), qnum(b)), strings.Compare(a.country, b.country),
			strings.Compare(a.names.Pick(), b.names.Pick()), cmp.Compare(a.at.lat, b.at.lat),
			cmp.Compare(a.at.lon, b.at.lon), cmp.Compare(a.idx, b.idx))
	})
	out := make([]twin.City, len(keep))
	for i, p := range keep {
		p.id = int64(i + 1)
		out[i] = p.city()
		st.Cities++
		if p.qid != "" {
			st.CitiesWikidata++
		}
		if p.names["fa"] != "" {
			st.CitiesPersian++
		}
		if p.ambiguous != "" {
			st.AmbiguousCities++
		}
		if partnered[p] {
			st.Partnered++
			switch {
			case p.names["fa"] != "":
				st.PartneredPersian++
			case out[i].Names[langTranslit] != "":
				st.PartneredTranslit++
			}
		}
		if p.at.ok {
			st.CitiesCoordinates++
		}
		switch {
		case p.country == "":
			st.CitiesNoCountry++
			if p.at.ok {
				st.NoCountryWithCoordinates++
			}
		case p.stated[p.country] == nil:
			st.CountryHow = addCount(st.CountryHow, cmp.Or(p.countryHow, howInferred))
		}
	}
	return out
}

// city turns a place into its record. Names equal to the English one are left out (Pick falls
// back to English), and aliases equal to a name are dropped.
func (p *place) city() twin.City {
	c := twin.City{
		Meta:       twin.Meta{ID: p.id, Version: 1},
		Wikidata:   p.qid,
		Names:      twin.Names{},
		Country:    p.country,
		Population: p.pop,
		Sources:    sourcesOf(p.datasets),
	}
	en := p.names["en"]
	for lang, n := range p.names {
		if n != en || lang == "en" || lang == "fa" {
			c.Names[lang] = n
		}
	}
	if len(p.otherQ) > 0 {
		c.WikidataAliases = slices.Compact(slices.Sorted(slices.Values(p.otherQ)))
	}
	c.CountryClaims = p.countryClaims()
	if p.ambiguous != "" {
		c.Sources = append(c.Sources, twin.Source{Dataset: "twinning-build", Note: p.ambiguous})
	}
	aliases := p.aliasList()
	if len(c.Names) == 0 && len(aliases) > 0 {
		// Only the 2016 crawl's label, of unknown language (BCP 47 "und").
		c.Names["und"] = aliases[0]
	}
	for _, a := range aliases {
		if !slices.Contains(slices.Collect(maps.Values(c.Names)), a) {
			c.Aliases = append(c.Aliases, a)
		}
	}
	if p.names["fa"] == "" {
		// No source spells it in Persian: a marked transliteration, never "fa".
		if t := p.transliteration(); t != "" {
			c.Names[langTranslit] = t
		}
	}

	if p.at.ok {
		lat, lon := round5(p.at.lat), round5(p.at.lon)
		c.Lat, c.Lon = &lat, &lon
	}
	return c
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func round5(f float64) float64 { return math.Round(f*1e5) / 1e5 }

// line is one record of the bundle.
type line struct {
	Type   string `json:"type"`
	Record any    `json:"record"`
}

// write encodes the bundle: gzip with a fixed header (no name, no time), JSON Lines inside.
func write(w io.Writer, countries []*twin.Country, cities []twin.City, ags []twin.Agreement, nets []twin.Network) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	put := func(typ string, rec any) error { return enc.Encode(line{typ, rec}) }
	for _, c := range countries {
		if err := put(TypeCountry, c); err != nil {
			return err
		}
	}
	for i := range cities {
		if err := put(TypeCity, &cities[i]); err != nil {
			return err
		}
	}
	for i := range ags {
		if err := put(TypeAgreement, &ags[i]); err != nil {
			return err
		}
	}
	for i := range nets {
		if err := put(TypeNetwork, &nets[i]); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
