package dataset

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Stats says what a build produced and what it could not use.
type Stats struct {
	Countries                  int
	Cities                     int
	CitiesWikidata             int
	CitiesPersian              int
	CitiesCoordinates          int
	CitiesNoCountry            int // Wikidata items in a pair whose country no source tells
	Pairs                      int
	PairsBySource              map[string]int
	PairsMultiSource           int // pairs listed by two or more datasets
	OneSided                   int // one-sided Wikidata claims
	Conflicts                  int // pairs whose sources disagree on status or date
	HomonymsFixed              int // list coordinates moved to the namesake in the stated country
	HomonymCoordsDropped       int // list coordinates in the wrong country with no namesake to move to
	OrphansMerged              int // 2016-only items that absorbed the only list city of their name
	OrphansCountryFromNamesake int // 2016-only items given the country of all their namesakes
	OrphansByPartner           int // items without a country placed by a list pair with one of their partners
	OrphansByPartnerMerged     int // … of which absorbed the list city of that pair
	OrphansByNaturalEarth      int // items placed by a Natural Earth namesake in a partner's country
	OrphansByNamesake          int // items placed by namesakes of their English or unqualified name
	OrphansByProvince          int // items placed as a province Natural Earth files places under
	OrphansNoCountry           int // items in a Wikidata pair whose country stays unknown
	// Quality (issue 16).
	Merged                   map[string]int // duplicate class → records merged
	RowsToPartnerTown        int            // list rows moved to the namesake Wikidata pairs with the partner
	RowsToCoordinateTown     int            // list rows moved to the namesake at the row's own coordinate
	RowsToListedTown         int            // Wikipedia rows moved to the namesake another source pairs with the partner
	DupLeft                  []dupLeft      // duplicates of each class left apart, with the reason
	ListCopiesDropped        int            // list-only records left with no pair once their rows moved
	AmbiguousCities          int            // list cities kept unresolved: namesakes and no coordinate
	AmbiguousRows            int            // … and the list rows (pairs) on them, kept as claims
	FarRows                  int            // list rows on a city farther than sameCityKM from the row's coordinate
	PlaceholderPoints        int            // coordinates shared by several different places
	PlaceholderCities        int            // … and the records that lost them
	CountryHow               map[string]int // how the cities whose country no source states were placed
	OffShapeBefore           int            // cities outside their country's shape, inside another's, before the checks
	OffShapeAfter            int            // … after them
	BorderDecided            int            // cities sources put in two countries at a border
	OnBorder                 []outside      // cities within borderKM outside their country's shape
	Unexplained              []outside      // cities outside their country's shape with no reason (none, by test)
	NoCountryWithCoordinates int            // cities with a coordinate and no country
	CountryFixed             map[string]int // how a city outside its country's shape was fixed
	Outside                  []outside      // cities still outside their country, with the reason
	Fixes                    []outside      // cities moved to the country whose shape holds them
	PersianFromIranGazetteer int
	PersianFromCountryName   int
	PersianDropped           int            // Persian names dropped because they belong to another place
	Partnered                int            // cities with at least one agreement
	PartneredPersian         int            // … with a Persian name from a source
	PartneredTranslit        int            // … with only a marked transliteration
	ListRows                 map[string]int // list rows (pairs) read, per list
	ListRowsKept             map[string]int // … that became (part of) an agreement
	Homonyms                 []homonym
	ListResolution           map[string]int // "dataset how" → distinct list cities
	Dropped                  map[string]int // reason → rows (pairs) or cities left out
}

// addCount increments m[k], making m when needed.
func addCount(m map[string]int, k string) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	m[k]++
	return m
}

// count adds one agreement to the figures.
func (s *Stats) count(pr *pair, ag *twin.Agreement) {
	s.Pairs++
	n := 0
	for ds := range pr.datasets {
		s.PairsBySource = addCount(s.PairsBySource, ds)
		n++
	}
	if n >= 2 {
		s.PairsMultiSource++
	}
	for _, c := range ag.Claims {
		if c.OneSided {
			s.OneSided++
		}
	}
	if disagrees(ag) {
		s.Conflicts++
	}
}

func share(n, of int) string {
	if of == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%.1f%%)", n, 100*float64(n)/float64(of))
}

// Markdown renders the figures as the STATS.md the builder writes beside the bundle.
func (s Stats) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# World dataset: build figures")
	p("")
	p("Generated by `twinning dataset build`; do not edit.")
	p("")
	p("| figure | value |")
	p("|---|---|")
	p("| countries | %d |", s.Countries)
	p("| cities | %d |", s.Cities)
	p("| cities with a Wikidata id | %s |", share(s.CitiesWikidata, s.Cities))
	p("| cities with a Persian name | %s |", share(s.CitiesPersian, s.Cities))
	p("| cities with coordinates | %s |", share(s.CitiesCoordinates, s.Cities))
	p("| cities with a country | %s |", share(s.Cities-s.CitiesNoCountry, s.Cities))
	p("| cities with no known country (Wikidata items in a pair; country left empty) | %s |", share(s.CitiesNoCountry, s.Cities))
	p("| city pairs (agreements) | %d |", s.Pairs)
	p("| pairs in two or more sources | %s |", share(s.PairsMultiSource, s.Pairs))
	p("| one-sided Wikidata claims | %d |", s.OneSided)
	p("| pairs whose sources disagree on status or date | %d |", s.Conflicts)
	p("| homonym coordinates fixed | %d |", s.HomonymsFixed)
	p("| homonym coordinates dropped (no namesake in the stated country) | %d |", s.HomonymCoordsDropped)
	p("| Wikidata items known only by a 2016 label, merged with the only list city of that name | %d |", s.OrphansMerged)
	p("| Wikidata items known only by a 2016 label, given the one country of their namesakes | %d |", s.OrphansCountryFromNamesake)
	p("| items still without a country, placed through a list pair with one of their partners (NameKey or skeleton) | %d |", s.OrphansByPartner)
	p("| … of which merged with that list city | %d |", s.OrphansByPartnerMerged)
	p("| items still without a country, placed by a Natural Earth namesake in a partner's country | %d |", s.OrphansByNaturalEarth)
	p("| items still without a country, placed by namesakes (label without administrative words, English spelling, Italian label) in one country | %d |", s.OrphansByNamesake)
	p("| items still without a country, placed as a first-level division Natural Earth files places under in one country | %d |", s.OrphansByProvince)
	p("| Wikidata items in a pair whose country stays unknown | %d |", s.OrphansNoCountry)
	s.quality(p)
	p("")
	p("## Pairs per source")
	p("")
	p("| dataset | pairs |")
	p("|---|---|")
	for _, ds := range datasetOrder {
		if n, ok := s.PairsBySource[ds]; ok {
			p("| %s | %d |", ds, n)
		}
	}
	p("")
	p("## How list cities (no Wikidata id) were resolved")
	p("")
	p("| dataset and method | distinct cities |")
	p("|---|---|")
	for _, k := range slices.Sorted(maps.Keys(s.ListResolution)) {
		p("| %s | %d |", k, s.ListResolution[k])
	}
	p("")
	p("## Left out")
	p("")
	p("| reason | count |")
	p("|---|---|")
	for _, k := range slices.Sorted(maps.Keys(s.Dropped)) {
		p("| %s | %d |", k, s.Dropped[k])
	}
	p("")
	p("## Homonyms in the Wikipedia scrape")
	p("")
	p("| city | stated country | km from that country | coordinate |")
	p("|---|---|---|---|")
	for _, h := range s.Homonyms {
		fix := "dropped"
		if h.Fixed {
			fix = "fixed"
		}
		p("| %s | %s | %.0f | %s |", h.Name, h.Country, h.FromKM, fix)
	}
	return b.String()
}

// quality renders the quality section: duplicates merged by class, list rows moved or kept
// unresolved, placeholder coordinates, cities outside their country, Persian names.
func (s Stats) quality(p func(string, ...any)) {
	p("")
	p("## Quality")
	p("")
	p("| check | value |")
	p("|---|---|")
	total := 0
	for _, k := range []string{dupSameCountry, dupTerritory, dupOld2016, dupAcrossBorder, dupSameTown} {
		p("| duplicates merged: %s | %d |", k, s.Merged[k])
		total += s.Merged[k]
	}
	p("| duplicates merged: %s (rows moved; records left without a pair dropped) | %d rows, %d records |", dupListCopy, s.RowsToPartnerTown, s.ListCopiesDropped)
	p("| duplicates merged in all | %d |", total+s.ListCopiesDropped)
	left := map[string]int{}
	none := 0
	for _, d := range s.DupLeft {
		left[d.Class]++
		if d.Reason == whyDupNone {
			none++
		}
	}
	for _, k := range []string{dupSameCountry, dupTerritory, dupOld2016, dupLeftListCopy} {
		p("| duplicates left: %s (each with its reason below) | %d |", k, left[k])
	}
	p("| duplicates left without a recorded reason | %d |", none)
	for _, ds := range []string{dsWikipedia, dsEU2017} {
		p("| %s rows kept as agreements | %s |", ds, share(s.ListRowsKept[ds], s.ListRows[ds]))
	}
	p("| list cities kept unresolved (namesakes in the country, no coordinate), and their list pairs kept as claims | %d cities, %d pairs |", s.AmbiguousCities, s.AmbiguousRows)
	p("| list rows moved to the namesake at the row's own coordinate | %d |", s.RowsToCoordinateTown)
	p("| Wikipedia rows naming a town by a name its namesakes share, moved to the namesake another source (Wikidata, the EU list's coordinate, a row naming only that town) pairs with the same partner | %d |", s.RowsToListedTown)
	p("| list rows left on a town while a namesake lies at the row's own coordinate (misattachments) | %d |", s.FarRows)
	p("| placeholder coordinates (one point shared by different places) dropped | %d points, %d cities |", s.PlaceholderPoints, s.PlaceholderCities)
	for _, k := range slices.Sorted(maps.Keys(s.CountryHow)) {
		p("| cities no source places in a country, placed by the build: %s | %d |", k, s.CountryHow[k])
	}
	p("| cities with a coordinate and no country | %d |", s.NoCountryWithCoordinates)
	p("| cities with no country and no coordinate in any source (Wikidata items known by a 2016 label only; left empty) | %d |", s.CitiesNoCountry-s.NoCountryWithCoordinates)
	p("| cities sources put in two countries at a border (decided by Wikidata and the lists before Natural Earth) | %d |", s.BorderDecided)
	for _, k := range slices.Sorted(maps.Keys(s.CountryFixed)) {
		p("| countries corrected: %s | %d |", k, s.CountryFixed[k])
	}
	p("| cities outside their country's shape and inside another's, before the shape checks | %d |", s.OffShapeBefore)
	p("| … after them | %d |", s.OffShapeAfter)
	p("| … of which on a border, within %d km of their country's outline (listed below) | %d |", borderKM, len(s.OnBorder))
	inside := 0
	for _, o := range s.Outside {
		if o.Inside != "" {
			inside++
		}
	}
	p("| … of which farther inside another country's shape, each with its reason below (a disputed area, a territory, an exclave) | %d |", inside)
	p("| … of which without a recorded reason | %d |", len(s.Unexplained))
	p("| cities more than %d km outside every country's shape (in the sea), each with its reason below | %d |", outsideKM, len(s.Outside)-inside)
	p("| Persian names from the Iran gazetteer (cities and provinces) | %d |", s.PersianFromIranGazetteer)
	p("| Persian names from the country's name (city-states) | %d |", s.PersianFromCountryName)
	p("| Persian names dropped: they belong to another place | %d |", s.PersianDropped)
	p("| cities with partners | %d |", s.Partnered)
	p("| … with a Persian name from a source | %s |", share(s.PartneredPersian, s.Partnered))
	p("| … with only a marked transliteration (%s) | %s |", langTranslit, share(s.PartneredTranslit, s.Partnered))
	p("| … with a Persian name (source or transliteration) | %s |", share(s.PartneredPersian+s.PartneredTranslit, s.Partnered))
	if len(s.DupLeft) > 0 {
		p("")
		p("### Duplicates left, by class and reason")
		p("")
		p("| class | reason | pairs | for example |")
		p("|---|---|---|---|")
		type key struct{ class, reason string }
		var keys []key
		byKey := map[key][]dupLeft{}
		for _, d := range s.DupLeft {
			k := key{d.Class, d.Reason}
			if byKey[k] == nil {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], d)
		}
		for _, k := range keys {
			var ex []string
			for _, d := range byKey[k][:min(3, len(byKey[k]))] {
				ex = append(ex, d.A+" / "+d.B)
			}
			p("| %s | %s | %d | %s |", k.class, k.reason, len(byKey[k]), strings.Join(ex, "; "))
		}
	}
	if len(s.Fixes) > 0 {
		p("")
		p("### Countries corrected by the shapes")
		p("")
		p("| city | country before | country shown (a country a source states stays a claim) | why |")
		p("|---|---|---|---|")
		for _, o := range s.Fixes {
			p("| %s | %s | %s | %s |", o.Name, o.Country, o.Inside, o.Reason)
		}
	}
	for _, l := range []struct {
		title string
		rows  []outside
	}{{"Cities on a border, outside their country's outline by at most 5 km", s.OnBorder}, {"Cities outside their country without a recorded reason", s.Unexplained}} {
		if len(l.rows) == 0 {
			continue
		}
		p("")
		p("### %s", l.title)
		p("")
		p("| city | country | km outside | inside |")
		p("|---|---|---|---|")
		for _, o := range l.rows {
			p("| %s | %s | %.1f | %s |", o.Name, o.Country, o.KM, o.Inside)
		}
	}
	if len(s.Outside) > 0 {
		p("")
		p("### Cities still outside their country")
		p("")
		p("| city | country | km outside | inside | reason |")
		p("|---|---|---|---|---|")
		for _, o := range s.Outside {
			km := "?"
			if o.KM >= 0 {
				km = fmt.Sprintf("%.0f", o.KM)
			}
			p("| %s | %s | %s | %s | %s |", o.Name, o.Country, km, cmp.Or(o.Inside, "—"), o.Reason)
		}
	}
}
