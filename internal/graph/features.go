package graph

import (
	"math"
	"slices"
)

// Features supplies optional per-city data to [Graph.Suggest] and
// [Evaluate]. Every callback may be nil, and may report a city as unknown;
// a missing fact contributes nothing to a score. Callbacks must be safe for
// concurrent use if the caller suggests from several goroutines.
type Features struct {
	// Coordinates returns the city's latitude and longitude in degrees.
	Coordinates func(id int64) (lat, lon float64, ok bool)
	// Population returns the city's population.
	Population func(id int64) (n int64, ok bool)
	// Country returns the city's ISO 3166-1 code, or "" when unknown.
	Country func(id int64) string
	// Orgs returns the regional organisations and city networks the city
	// (or its country) belongs to, such as "ECO" or "EU".
	Orgs func(id int64) []string
	// Domains returns the cooperation domains the city is active in.
	Domains func(id int64) []string
	// Heritage reports whether the city holds world-heritage status or
	// belongs to a heritage-cities network.
	Heritage func(id int64) bool
}

// cityFeat is one city's features, resolved once per ranking.
type cityFeat struct {
	lat, lon float64 // radians
	cosLat   float64 // cos(lat), once
	hasCoord bool
	logPop   float64 // log10 of the population
	hasPop   bool
	country  int32 // interned; -1 when unknown
	orgs     []string
	domains  []string
	heritage bool
}

// featTable resolves features for every node of a snapshot, plus one source
// city that may lie outside it.
type featTable struct {
	nodes     []cityFeat
	countries map[string]int32
}

func (f Features) table(s *Snapshot) *featTable {
	t := &featTable{nodes: make([]cityFeat, len(s.ids)), countries: map[string]int32{}}
	for i, id := range s.ids {
		t.nodes[i] = f.resolve(id, t.countries)
	}
	return t
}

func (f Features) resolve(id int64, countries map[string]int32) cityFeat {
	c := cityFeat{country: -1}
	if f.Coordinates != nil {
		if lat, lon, ok := f.Coordinates(id); ok {
			c.lat, c.lon, c.hasCoord = lat*math.Pi/180, lon*math.Pi/180, true
			c.cosLat = math.Cos(c.lat)
		}
	}
	if f.Population != nil {
		if n, ok := f.Population(id); ok && n > 0 {
			c.logPop, c.hasPop = math.Log10(float64(n)), true
		}
	}
	if f.Country != nil {
		if code := f.Country(id); code != "" {
			k, ok := countries[code]
			switch {
			case ok:
				c.country = k
			case countries != nil: // nil: look up only, an unknown country stays -1
				k = int32(len(countries))
				countries[code] = k
				c.country = k
			}
		}
	}
	if f.Orgs != nil {
		c.orgs = sortedSet(f.Orgs(id))
	}
	if f.Domains != nil {
		c.domains = sortedSet(f.Domains(id))
	}
	if f.Heritage != nil {
		c.heritage = f.Heritage(id)
	}
	return c
}

func sortedSet(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// haversineKm is the great-circle distance between two cities.
func haversineKm(a, b *cityFeat) float64 {
	dlat, dlon := b.lat-a.lat, b.lon-a.lon
	sl, so := math.Sin(dlat/2), math.Sin(dlon/2)
	h := sl*sl + a.cosLat*b.cosLat*so*so
	return 2 * 6371 * math.Asin(math.Sqrt(math.Min(1, h)))
}

// affinity returns, for a source country, the share of its cities'
// partnerships that go to each country: the habits of twinning between
// nations (German towns twin with French ones far more than chance says).
func (t *featTable) affinity(s *Snapshot, src int32) []float64 {
	if src < 0 {
		return nil
	}
	counts := make([]float64, len(t.countries))
	total := 0.0
	for i := range t.nodes {
		if t.nodes[i].country != src {
			continue
		}
		for _, j := range s.nbrs(int32(i)) {
			if c := t.nodes[j].country; c >= 0 {
				counts[c]++
				total++
			}
		}
	}
	for i := range counts {
		counts[i] /= total + 1 // +1: a country with few links gets weak habits
	}
	return counts
}
