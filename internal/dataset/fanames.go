package dataset

import (
	"cmp"
	"errors"
	"io/fs"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/twin"
)

// The Iran gazetteer (typhoon-iran-cities): Persian names with coordinates, and provinces.
const (
	fileIranCities      = "gazetteer/iran/cities.csv"
	fileIranCoordinates = "gazetteer/iran/city_coordinates.csv"
	fileIranProvinces   = "gazetteer/iran/provinces.csv"
	// iranGazetteerKM: a gazetteer city this close whose name sounds the same is the place.
	iranGazetteerKM = 15
)

type faPlace struct {
	name string
	at   point
}

// readIranGazetteer returns the gazetteer's cities (with coordinates) and provinces.
func readIranGazetteer(src string) (cities, provinces []faPlace, err error) {
	rows, err := readTable(filepath.Join(src, fileIranCities), ',')
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil // a source tree without the gazetteer (the test fixture)
	}
	if err != nil {
		return nil, nil, err
	}
	coords, err := readTable(filepath.Join(src, fileIranCoordinates), ',')
	if err != nil {
		return nil, nil, err
	}
	at := map[string]point{}
	for _, r := range coords {
		at[r["city_id"]] = mkPoint(r["lat"], r["lon"])
	}
	for _, r := range rows {
		if p := at[r["id"]]; p.ok && r["name"] != "" {
			cities = append(cities, faPlace{canonical(r["name"]), p})
		}
	}
	prov, err := readTable(filepath.Join(src, fileIranProvinces), ',')
	if err != nil {
		return nil, nil, err
	}
	for _, r := range prov {
		if r["name"] != "" {
			provinces = append(provinces, faPlace{name: canonical(r["name"])})
		}
	}
	slices.SortFunc(cities, func(a, b faPlace) int {
		return cmp.Or(cmp.Compare(a.at.lat, b.at.lat), cmp.Compare(a.at.lon, b.at.lon), cmp.Compare(a.name, b.name))
	})
	return cities, provinces, nil
}

// latinNames returns p's names and aliases written in Latin letters, English first.
func (p *place) latinNames() []string {
	var out []string
	add := func(s string) {
		if s != "" && isLatin(s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(p.names["en"])
	for _, lang := range slices.Sorted(maps.Keys(p.names)) {
		add(p.names[lang])
	}
	for _, a := range p.aliasList() {
		add(a)
	}
	return out
}

// isLatin reports whether s has a letter and all its letters are Latin (modifier letters such
// as the ʻokina of "Taiʻarapu" aside).
func isLatin(s string) bool {
	letter := false
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r) {
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
			letter = true
		}
	}
	return letter
}

// soundsLike reports whether the Persian name fa and one of the Latin names are one name by
// their consonant skeletons: equal, or one letter apart when the skeleton has four letters or
// more (persian.Skeleton: "Isfahan" and «اصفهان» are both SPHN).
func soundsLike(fa string, latin []string) bool {
	sf := persian.Skeleton(fa)
	n := utf8.RuneCountInString(sf)
	if n < 2 {
		return false
	}
	for _, l := range latin {
		switch d := persian.SkeletonDistance(fa, l); {
		case d == 0:
			return true
		case d == 1 && n >= minSkeleton:
			return true
		}
	}
	return false
}

// soundsExactly reports whether the Persian name fa and one of the Latin names have one
// consonant skeleton of at least two letters.
func soundsExactly(fa string, latin []string) bool {
	if utf8.RuneCountInString(persian.Skeleton(fa)) < 2 {
		return false
	}
	return slices.ContainsFunc(latin, func(l string) bool { return persian.SkeletonDistance(fa, l) == 0 })
}

// persianNames completes the Persian names of the places from the shipped sources: the Iran
// gazetteer (a gazetteer city within iranGazetteerKM whose name sounds the same), the Iran
// provinces, and the countries' Persian names for a city named like its country (Singapore,
// Kuwait, Luxembourg). Then a Persian name that belongs to another place is dropped: when
// places far apart (more than sameCityKM, or in two countries) carry one Persian name, those
// whose own names do not sound like it lose it. Transliterations are made later, in city.
func (w *world) persianNames(src string, ct *countryTable, st *Stats) error {
	iran, provinces, err := readIranGazetteer(src)
	if err != nil {
		return err
	}
	live := func(yield func(*place) bool) {
		for _, p := range w.places {
			if !p.dead && !yield(p) {
				return
			}
		}
	}
	for p := range live {
		if p.country != "IR" || p.names["fa"] != "" {
			continue
		}
		latin := p.latinNames()
		if p.at.ok {
			best, bestD := "", math.Inf(1)
			for _, g := range iran {
				if d := km(p.at, g.at); d < iranGazetteerKM && d < bestD && soundsLike(g.name, latin) {
					best, bestD = g.name, d
				}
			}
			if best != "" {
				w.setName(p, "fa", best)
				st.PersianFromIranGazetteer++
				continue
			}
		}
		for _, g := range provinces {
			// No coordinate to confirm it: the skeletons must be equal (Hamada is not Hamadan).
			if utf8.RuneCountInString(persian.Skeleton(g.name)) >= minSkeleton && slices.ContainsFunc(latin, func(l string) bool { return persian.SkeletonDistance(g.name, l) == 0 }) {
				w.setName(p, "fa", g.name)
				st.PersianFromIranGazetteer++
				break
			}
		}
	}
	for p := range live {
		c := ct.byCode[p.country]
		if p.names["fa"] != "" || c == nil || c.Names["fa"] == "" {
			continue
		}
		for _, n := range p.latinNames() {
			if code, ok := ct.byKey[nameKey(n)]; ok && code == p.country {
				w.setName(p, "fa", c.Names["fa"])
				st.PersianFromCountryName++
				break
			}
		}
	}
	// A Persian name carried by places far apart belongs to the ones it sounds like.
	byFA := map[string][]*place{}
	for p := range live {
		if fa := p.names["fa"]; fa != "" {
			k := nameKey(fa)
			byFA[k] = append(byFA[k], p)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(byFA)) {
		ps := byFA[k]
		if len(ps) < 2 || !farApart(ps) {
			continue
		}
		// The owners are the places the name sounds like: by the exact skeleton when one does
		// («جینوتپه» is Jinotepe's, not Jinotega's, one consonant off), else one letter off.
		var owners, others []*place
		exact := slices.ContainsFunc(ps, func(p *place) bool { return soundsExactly(p.names["fa"], p.latinNames()) })
		for _, p := range ps {
			if exact && soundsExactly(p.names["fa"], p.latinNames()) || !exact && soundsLike(p.names["fa"], p.latinNames()) {
				owners = append(owners, p)
			} else {
				others = append(others, p)
			}
		}
		if len(owners) == 0 {
			continue
		}
		for _, p := range others {
			if !nearAny(p, owners) {
				delete(p.names, "fa")
				st.PersianDropped++
			}
		}
	}
	return nil
}

// farApart reports whether some two of ps are in two countries or more than sameCityKM apart.
func farApart(ps []*place) bool {
	for i, a := range ps {
		for _, b := range ps[i+1:] {
			if a.country != b.country || (a.at.ok && b.at.ok && km(a.at, b.at) > sameCityKM) {
				return true
			}
		}
	}
	return false
}

// nearAny reports whether p is within sameCityKM of one of ps in its country.
func nearAny(p *place, ps []*place) bool {
	for _, q := range ps {
		if q.country == p.country && p.at.ok && q.at.ok && km(p.at, q.at) <= sameCityKM {
			return true
		}
	}
	return false
}

// transliteration is the marked Persian rendering of p's first Latin name without its
// municipality words ("Vága Municipality" → «واگا»), or of another name it can read, or "".
func (p *place) transliteration() string {
	// Latin names first; then any other (a Cyrillic name, or one mixing a Cyrillic letter into
	// Latin ones, "Svietlahоrsk"), which persian.ToPersianScript reads through Latin.
	names := p.latinNames()
	for _, lang := range slices.Sorted(maps.Keys(p.names)) {
		names = append(names, p.names[lang])
	}
	for _, n := range append(names, p.aliasList()...) {
		if t := translitName(stripMunicipal(n)); t != "" {
			return canonical(t)
		}
	}
	return ""
}

// translitName renders a name with persian.ToPersianScript, keeping a qualifier in
// parentheses apart: "Halle (Saale)" → «هاله (ساله)», not «هاله ساله».
func translitName(n string) string {
	if i := strings.IndexByte(n, '('); i > 0 && strings.HasSuffix(n, ")") {
		base, qual := persian.ToPersianScript(n[:i]), persian.ToPersianScript(n[i+1:len(n)-1])
		if base != "" && qual != "" {
			return base + " (" + qual + ")"
		}
	}
	return persian.ToPersianScript(n)
}

// langTranslit is the tag of a transliterated Persian name (see twin.LangFATranslit).
const langTranslit = twin.LangFATranslit
