package dataset

import (
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/twinning/twinning/internal/twin"
)

// Coordinate sources, best first: a Wikidata extract describes the item itself; Natural Earth
// is a curated gazetteer; the lists were geocoded by name.
const (
	rankWikidata = iota + 1
	rankNaturalEarth
	rankList
)

// place is a city while the builder assembles it from every source that mentions it.
type place struct {
	idx      int // creation order, for deterministic tie-breaks
	qid      string
	names    twin.Names
	aliases  map[string]bool
	country  string
	at       point
	atRank   int
	pop      int64
	datasets map[string]bool
	keys     map[string]bool
	id       int64    // assigned at the end
	dead     bool     // merged into another place
	into     *place   // the place it was merged into
	otherQ   []string // Wikidata items merged into it
	// stated holds the countries sources state in words (a Wikidata extract's country, Natural
	// Earth's ISO code, a list's country column), each with the datasets that state it;
	// a country inferred from a coordinate, a partner or a namesake is not stated.
	stated map[string]map[string]bool
	// countryHow says how the shown country was decided when the shapes decided it.
	countryHow string
	// ambiguous is set on a list city the builder could not tell apart from its namesakes.
	ambiguous string
}

// world is the set of places and the indexes that resolve names to them.
type world struct {
	places []*place
	byQ    map[string]*place
	byKey  map[string][]*place
	// neByCountry holds Natural Earth's coordinates per country, for the homonym check.
	neByCountry map[string][]point
	neAll       []nePoint
	// neProvinces holds the countries of Natural Earth's first-level divisions (its ADM1NAME
	// column) by NameKey: "Jiangsu" is in CN.
	neProvinces map[string]map[string]bool
	// wikiAdj says which places a Wikidata extract twins, for matching by partner.
	wikiAdj map[*place]map[*place]bool
}

type nePoint struct {
	at      point
	country string
}

func newWorld() *world {
	return &world{byQ: map[string]*place{}, byKey: map[string][]*place{},
		neByCountry: map[string][]point{}, neProvinces: map[string]map[string]bool{}, wikiAdj: map[*place]map[*place]bool{}}
}

// newPlace adds an empty place.
func (w *world) newPlace() *place {
	p := &place{idx: len(w.places), names: twin.Names{}, aliases: map[string]bool{},
		datasets: map[string]bool{}, keys: map[string]bool{}}
	w.places = append(w.places, p)
	return p
}

// q returns the place of a Wikidata item, creating it.
func (w *world) q(qid string) *place {
	if p := w.byQ[qid]; p != nil {
		return p
	}
	p := w.newPlace()
	p.qid = qid
	w.byQ[qid] = p
	return p
}

// index makes name findable under p.
func (w *world) index(p *place, name string) {
	for _, v := range nameVariants(name) {
		k := nameKey(v)
		if len([]rune(k)) < 2 || p.keys[k] {
			continue
		}
		p.keys[k] = true
		w.byKey[k] = append(w.byKey[k], p)
	}
}

// setName gives p a name in lang unless it has one; a different name becomes an alias.
func (w *world) setName(p *place, lang, name string) {
	name = strings.TrimSpace(name)
	if name == "" || isQ(name) {
		return
	}
	switch cur := p.names[lang]; {
	case cur == "":
		p.names[lang] = name
	case cur != name:
		p.aliases[name] = true
	}
	w.index(p, name)
}

// addAlias records another spelling of p's name.
func (w *world) addAlias(p *place, name string) {
	name = strings.TrimSpace(name)
	if name == "" || isQ(name) {
		return
	}
	p.aliases[name] = true
	w.index(p, name)
}

// setPoint keeps the best-ranked coordinate.
func (p *place) setPoint(at point, rank int) {
	if at.ok && (!p.at.ok || rank < p.atRank) {
		p.at, p.atRank = at, rank
	}
}

// setPop keeps the first population given (sources are applied best first).
func (p *place) setPop(n int64) {
	if p.pop == 0 && n > 0 {
		p.pop = n
	}
}

// setCountry keeps the first country given.
func (p *place) setCountry(code string) {
	if p.country == "" && code != "" {
		p.country = code
	}
}

// state records that dataset ds puts p in country code.
func (p *place) state(code, ds string) {
	if code == "" {
		return
	}
	if p.stated == nil {
		p.stated = map[string]map[string]bool{}
	}
	if p.stated[code] == nil {
		p.stated[code] = map[string]bool{}
	}
	p.stated[code][ds] = true
}

// addStated adds the countries q's sources state to p's.
func (p *place) addStated(q *place) {
	for code, dss := range q.stated {
		for ds := range dss {
			p.state(code, ds)
		}
	}
}

// statedCountries returns the countries sources state for p, sorted.
func (p *place) statedCountries() []string { return slices.Sorted(maps.Keys(p.stated)) }

// candidates returns the places any of name's variants resolves to, in a country compatible
// with code ("" matches any), in creation order.
func (w *world) candidates(name, code string) []*place {
	var out []*place
	for _, v := range nameVariants(name) {
		for _, p := range w.byKey[nameKey(v)] {
			if (code == "" || p.country == "" || p.country == code) && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b *place) int { return a.idx - b.idx })
	return out
}

// twin records that a Wikidata extract twins a and b.
func (w *world) twin(a, b *place) {
	for _, e := range [][2]*place{{a, b}, {b, a}} {
		if w.wikiAdj[e[0]] == nil {
			w.wikiAdj[e[0]] = map[*place]bool{}
		}
		w.wikiAdj[e[0]][e[1]] = true
	}
}

// countryAt returns the country of the Natural Earth place nearest to at, when it is within
// countryByCoordKM, or within 3×countryByCoordKM and no other country's place is within twice
// that distance (so border towns are not guessed).
func (w *world) countryAt(at point) string {
	best, code := math.Inf(1), ""
	for _, n := range w.neAll {
		if d := km(at, n.at); d < best {
			best, code = d, n.country
		}
	}
	if best < countryByCoordKM {
		return code
	}
	if best > 3*countryByCoordKM {
		return ""
	}
	for _, n := range w.neAll {
		if n.country != code && km(at, n.at) < 2*best {
			return ""
		}
	}
	return code
}

// distToCountry is the distance from at to the nearest Natural Earth place of code, or +Inf
// when Natural Earth has none there.
func (w *world) distToCountry(at point, code string) float64 {
	best := math.Inf(1)
	for _, n := range w.neByCountry[code] {
		best = min(best, km(at, n))
	}
	return best
}

// km is the great-circle distance in kilometres.
func km(a, b point) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (b.lat-a.lat)*rad, (b.lon-a.lon)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// aliasList returns p's aliases in order.
func (p *place) aliasList() []string { return slices.Sorted(maps.Keys(p.aliases)) }
