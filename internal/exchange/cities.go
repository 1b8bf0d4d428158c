package exchange

import (
	"context"
	"math"
	"slices"

	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// sameCityKM: two cities of one name in one country closer than this are one city; farther
// apart they are namesakes.
const sameCityKM = 50

// cityIndex finds the registry's cities, inside the import's transaction, the way an import
// matches them: by Wikidata id, by internal id, by the NameKey of any name or alias within a
// country. It also holds the cities the import adds, so that later rows find them.
type cityIndex struct {
	t         *store.Tx
	db        *store.DB
	byQID     map[string]*cityEntry
	byID      map[int64]*cityEntry
	byCountry map[string]map[string][]*cityEntry
	entries   []*cityEntry
}

// cityEntry is one city the import touched: as read (orig, nil for a new city) and as it
// will be written (rec).
type cityEntry struct {
	n    int
	rec  *twin.City
	orig *twin.City
	row  int    // first row that named it
	side string // column prefix of that mention (city_a, city_b), or "" for JSON Lines
	// created is set for a city a JSON Lines file created: the file's records are distinct
	// by its own word, so names never match them.
	created bool
	// named is set once a row of the file names the city: only those count in the report.
	named  bool
	detail []string
	keys   []string // name keys of rec, computed when needed
}

// nameKeys returns the NameKeys of the city's names and aliases, computing them once per
// version of rec.
func (e *cityEntry) nameKeys() []string {
	if e.keys == nil {
		e.keys = nameKeys(e.rec.Names, e.rec.Aliases)
	}
	return e.keys
}

func newCityIndex(t *store.Tx, db *store.DB) *cityIndex {
	return &cityIndex{t: t, db: db, byQID: map[string]*cityEntry{}, byID: map[int64]*cityEntry{}, byCountry: map[string]map[string][]*cityEntry{}}
}

// entry returns the entry of a city read from the registry, making it once.
func (x *cityIndex) entry(c *twin.City) *cityEntry {
	if e, ok := x.byID[c.ID]; ok {
		return e
	}
	orig := *c
	e := &cityEntry{n: len(x.entries), rec: c, orig: &orig}
	x.entries = append(x.entries, e)
	x.byID[c.ID] = e
	if c.Wikidata != "" {
		x.byQID[c.Wikidata] = e
	}
	if idx, ok := x.byCountry[c.Country]; ok {
		indexNames(idx, e)
	}
	return e
}

// add registers a city the import creates.
func (x *cityIndex) add(c *twin.City, row int, side string) *cityEntry {
	e := &cityEntry{n: len(x.entries), rec: c, row: row, side: side, named: true}
	x.entries = append(x.entries, e)
	x.reindex(e)
	return e
}

// reindex records the entry's current Wikidata id and names.
func (x *cityIndex) reindex(e *cityEntry) {
	if e.rec.Wikidata != "" {
		x.byQID[e.rec.Wikidata] = e
	}
	if e.rec.ID != 0 {
		x.byID[e.rec.ID] = e
	}
	if idx, ok := x.byCountry[e.rec.Country]; ok {
		indexNames(idx, e)
	}
}

func indexNames(idx map[string][]*cityEntry, e *cityEntry) {
	for _, k := range e.nameKeys() {
		if !slices.Contains(idx[k], e) {
			idx[k] = append(idx[k], e)
		}
	}
}

func nameKeys(names twin.Names, aliases []string) []string {
	var ks []string
	for _, n := range names {
		if k := persian.NameKey(n); k != "" {
			ks = appendNew(ks, k)
		}
	}
	for _, a := range aliases {
		if k := persian.NameKey(a); k != "" {
			ks = appendNew(ks, k)
		}
	}
	return ks
}

// byWikidata finds a city by Wikidata id.
func (x *cityIndex) byWikidata(ctx context.Context, qid string) (*cityEntry, error) {
	if e, ok := x.byQID[qid]; ok {
		return e, nil
	}
	c, err := x.t.CityByRefTx(ctx, qid)
	if twin.ErrorCode(err) == twin.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return x.entry(c), nil
}

// byInternalID finds a city by internal id. Ids are local to one registry, so the city there
// must also be in the same country (when the file says) and share a name (when the file gives
// one), else it is not the file's city.
func (x *cityIndex) byInternalID(ctx context.Context, id int64, want *twin.City) (*cityEntry, error) {
	e, ok := x.byID[id]
	if !ok {
		c, err := x.db.Cities.GetTx(ctx, x.t, id)
		if twin.ErrorCode(err) == twin.ENOTFOUND {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		e = x.entry(c)
	}
	if want.Country != "" && e.rec.Country != want.Country {
		return nil, nil
	}
	if want.Wikidata != "" && e.rec.Wikidata != "" && e.rec.Wikidata != want.Wikidata {
		return nil, nil
	}
	if wk := nameKeys(want.Names, want.Aliases); len(wk) > 0 && !sharesKey(wk, e.nameKeys()) {
		return nil, nil
	}
	return e, nil
}

func sharesKey(a, b []string) bool {
	for _, k := range a {
		if slices.Contains(b, k) {
			return true
		}
	}
	return false
}

// byName finds a city of want's country with one of its names or aliases. A city with another
// Wikidata id, or with coordinates farther than sameCityKM from want's, is a namesake.
func (x *cityIndex) byName(ctx context.Context, want *twin.City) (*cityEntry, error) {
	if want.Country == "" {
		return nil, nil
	}
	idx, ok := x.byCountry[want.Country]
	if !ok {
		cs, err := x.t.CitiesInCountryTx(ctx, want.Country)
		if err != nil {
			return nil, err
		}
		idx = map[string][]*cityEntry{}
		x.byCountry[want.Country] = idx
		for _, c := range cs {
			e, had := x.byID[c.ID]
			if !had {
				e = x.entry(c)
			}
			indexNames(idx, e)
		}
		for _, e := range x.entries {
			if e.rec.ID == 0 && e.rec.Country == want.Country {
				indexNames(idx, e)
			}
		}
	}
	for _, k := range nameKeys(want.Names, want.Aliases) {
		for _, e := range idx[k] {
			if e.rec.Country != want.Country || e.created {
				continue
			}
			if want.Wikidata != "" && e.rec.Wikidata != "" && e.rec.Wikidata != want.Wikidata {
				continue
			}
			if want.Lat != nil && e.rec.Lat != nil && km(*want.Lat, *want.Lon, *e.rec.Lat, *e.rec.Lon) > sameCityKM {
				continue
			}
			return e, nil
		}
	}
	return nil, nil
}

// find matches want in order: Wikidata id, internal id, name and country.
func (x *cityIndex) find(ctx context.Context, want *twin.City) (*cityEntry, error) {
	if want.Wikidata != "" {
		if e, err := x.byWikidata(ctx, want.Wikidata); e != nil || err != nil {
			return e, err
		}
	}
	if want.ID != 0 {
		if e, err := x.byInternalID(ctx, want.ID, want); e != nil || err != nil {
			return e, err
		}
	}
	return x.byName(ctx, want)
}

// km is the great-circle distance between two points.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// mergeCity merges a city the file describes into the entry, the registry winning. Aliases
// that repeat a name or alias the city has are dropped first.
func mergeCity(e *cityEntry, in *twin.City) error {
	have := slices.Clone(e.nameKeys())
	inc := *in
	inc.Aliases = nil
	for _, a := range in.Aliases {
		if k := persian.NameKey(a); k != "" && !slices.Contains(have, k) {
			inc.Aliases = append(inc.Aliases, a)
			have = append(have, k)
		}
	}
	if in.Country != "" && in.Country != e.rec.Country {
		inc.Country = ""
	}
	if e.rec.Wikidata != "" {
		inc.Wikidata = ""
	}
	if cityAddsNothing(e.rec, &inc) {
		return nil
	}
	merged, changed, err := merge(TypeCity, e.rec, &inc)
	if err != nil {
		return err
	}
	if len(changed) > 0 {
		e.rec, e.keys = merged, nil
		e.detail = appendAll(e.detail, changed)
	}
	return nil
}

func appendAll(ss, add []string) []string {
	for _, s := range add {
		ss = appendNew(ss, s)
	}
	return ss
}

// cityAddsNothing is merge's answer, quickly, for the common case of a file that says
// nothing new about a city.
func cityAddsNothing(ex, in *twin.City) bool {
	if len(in.Aliases) > 0 || in.Wikidata != "" && ex.Wikidata == "" || in.Country != "" && ex.Country == "" ||
		in.Lat != nil && ex.Lat == nil || in.Lon != nil && ex.Lon == nil || in.Population != 0 && ex.Population == 0 {
		return false
	}
	for l := range in.Names {
		if ex.Names[l] == "" {
			return false
		}
	}
	return sourcesIn(in.Sources, ex.Sources)
}

func sourcesIn(in, ex []twin.Source) bool {
	for _, s := range in {
		if !slices.ContainsFunc(ex, func(x twin.Source) bool { return x == s || s.URL != "" && x.URL == s.URL }) {
			return false
		}
	}
	return true
}
