package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

var zeroTime time.Time

// Data is what an export writes: records of every kind, each list in id order. The writers
// (WriteCSV, WriteJSONL, WriteGeoJSON, WriteGraphML, WriteICS) take it; Gather fills it from
// the store.
type Data struct {
	Domains      []twin.Domain // the installation's own cooperation domains
	Countries    []twin.Country
	Cities       []*twin.City
	Agreements   []*twin.Agreement
	Institutions []*twin.Institution
	People       []*twin.Person
	Links        []*twin.Link
	Networks     []*twin.Network
	Activities   []*twin.Activity
	Proposals    []*twin.Proposal

	// Focus is the city whose neighbourhood this is (nil for the whole registry).
	Focus *twin.City
	// Places are the cities activities name as their place that are not among Cities (a
	// neighbourhood's activity held farther away), by the activity's Place.
	Places map[string]*twin.City
	// Installation identifies the registry the data comes from, so that identifiers the
	// files give (iCalendar UIDs) are unique across installations and stable across exports.
	Installation string
	// allCountries holds every country's names, for places outside a neighbourhood.
	allCountries []twin.Country
}

// placeIndex maps every way an activity may name its place (the city's ref, its internal
// id) to the city.
func (d *Data) placeIndex() map[string]*twin.City {
	m := make(map[string]*twin.City, 2*len(d.Cities)+len(d.Places))
	for ref, c := range d.Places {
		m[ref] = c
	}
	for _, c := range d.Cities {
		m[itoa(c.ID)] = c
	}
	for _, c := range d.Cities {
		m[c.Ref()] = c
	}
	return m
}

// cityIndex returns the cities by internal id.
func (d *Data) cityIndex() map[int64]*twin.City {
	m := make(map[int64]*twin.City, len(d.Cities))
	for _, c := range d.Cities {
		m[c.ID] = c
	}
	return m
}

// Gather reads what an export writes. With cityRef "" it is the whole registry. Otherwise it
// is one city's neighbourhood: the city (by Wikidata id or internal id), its partners up to
// depth steps away (depth < 1 counts as 1), the agreements between those cities, and what
// hangs on them: their institutions and the links between these, the activities under those
// agreements and links, the proposals about them, the networks with a member among them
// (listing only those members), the people named as parties or holding titles there, and the
// countries of the cities.
func Gather(ctx context.Context, db *store.DB, cityRef string, depth int) (d *Data, err error) {
	return GatherAtMost(ctx, db, cityRef, depth, 0)
}

// ErrTooManyCities is GatherAtMost's refusal of a neighbourhood larger than it was allowed.
var ErrTooManyCities = errors.New("the neighbourhood has too many cities")

// GatherAtMost is Gather that refuses, with ErrTooManyCities and before reading anything
// else, a neighbourhood of more than maxCities cities (0: no limit). The whole registry is
// never refused.
func GatherAtMost(ctx context.Context, db *store.DB, cityRef string, depth, maxCities int) (d *Data, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("exchange.Gather(%q, %d): %w", cityRef, depth, err)
		}
	}()
	var (
		focus      *twin.City
		ids        []int64
		agreements []*twin.Agreement
	)
	if cityRef != "" {
		if focus, err = db.City(ctx, cityRef); err != nil {
			return nil, err
		}
		if ids, agreements, err = neighbourhood(ctx, db, focus.ID, max(depth, 1), maxCities); err != nil {
			return nil, err
		}
	}
	d = &Data{}
	if d.Installation, err = Installation(ctx, db); err != nil {
		return nil, err
	}
	if d.Countries, err = db.Countries(ctx); err != nil {
		return nil, err
	}
	if d.Domains, err = db.CustomDomains(ctx); err != nil {
		return nil, err
	}
	if d.Institutions, err = db.Institutions.All(ctx); err != nil {
		return nil, err
	}
	if d.People, err = db.People.All(ctx); err != nil {
		return nil, err
	}
	if d.Links, err = db.Links.All(ctx); err != nil {
		return nil, err
	}
	if d.Networks, err = db.Networks.All(ctx); err != nil {
		return nil, err
	}
	if d.Activities, err = db.Activities.All(ctx); err != nil {
		return nil, err
	}
	if d.Proposals, err = db.Proposals.All(ctx); err != nil {
		return nil, err
	}
	if cityRef == "" {
		if d.Cities, err = db.Cities.All(ctx); err != nil {
			return nil, err
		}
		if d.Agreements, err = db.Agreements.All(ctx); err != nil {
			return nil, err
		}
		return d, nil
	}
	if d.Cities, err = db.Cities.ByIDs(ctx, ids); err != nil {
		return nil, err
	}
	d.Agreements = agreements
	d.Focus = focus
	d.allCountries = slices.Clone(d.Countries)
	d.keepNeighbourhood()
	places := d.placeIndex()
	for _, a := range d.Activities {
		if a.Place == "" || places[a.Place] != nil || (!twin.IsQID(a.Place) && !isDigits(a.Place)) {
			continue
		}
		c, err := db.City(ctx, a.Place)
		if twin.ErrorCode(err) == twin.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if d.Places == nil {
			d.Places = map[string]*twin.City{}
		}
		d.Places[a.Place], places[a.Place] = c, c
	}
	return d, nil
}

// Installation returns the registry's installation id: 16 hex digits made once, at random,
// and kept in the database, so every server sharing the database, and every export, gives
// the same. It is derived from a stored secret by a one-way hash, so that publishing it in
// files gives nothing away.
func Installation(ctx context.Context, db *store.DB) (string, error) {
	k, err := db.Secret(ctx, "installation")
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte("twinning installation id\x00" + k))
	return hex.EncodeToString(sum[:8]), nil
}

// neighbourhood walks the agreements breadth first from city up to depth steps and returns
// the cities reached (in id order) and the agreements among them; more than maxCities cities
// (when it is not 0) is ErrTooManyCities, found as soon as they are reached.
func neighbourhood(ctx context.Context, db *store.DB, city int64, depth, maxCities int) ([]int64, []*twin.Agreement, error) {
	in := map[int64]bool{city: true}
	frontier := []int64{city}
	for step := 0; step < depth && len(frontier) > 0; step++ {
		as, err := db.AgreementsOf(ctx, frontier)
		if err != nil {
			return nil, nil, err
		}
		var next []int64
		for _, a := range as {
			for _, id := range a.CityIDs {
				if !in[id] {
					in[id] = true
					next = append(next, id)
				}
			}
		}
		if maxCities > 0 && len(in) > maxCities {
			return nil, nil, ErrTooManyCities
		}
		frontier = next
	}
	ids := make([]int64, 0, len(in))
	for id := range in {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	all, err := db.AgreementsOf(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var between []*twin.Agreement
	for _, a := range all {
		if len(a.CityIDs) == 2 && in[a.CityIDs[0]] && in[a.CityIDs[1]] {
			between = append(between, a)
		}
	}
	return ids, between, nil
}

// keepNeighbourhood trims the records that do not hang on d's cities and agreements, so that
// the result imports on its own.
func (d *Data) keepNeighbourhood() {
	cities := map[int64]bool{}
	refs := map[string]bool{}
	countries := map[string]bool{}
	for _, c := range d.Cities {
		cities[c.ID], refs[c.Ref()], countries[c.Country] = true, true, true
	}
	agreements := map[int64]bool{}
	for _, a := range d.Agreements {
		agreements[a.ID] = true
	}
	d.Countries = filter(d.Countries, func(c twin.Country) bool { return countries[c.Code] })
	insts := map[int64]bool{}
	d.Institutions = filter(d.Institutions, func(in *twin.Institution) bool {
		insts[in.ID] = cities[in.CityID]
		return insts[in.ID]
	})
	links := map[int64]bool{}
	d.Links = filter(d.Links, func(l *twin.Link) bool {
		ok := len(l.Institutions) == 2 && insts[l.Institutions[0]] && insts[l.Institutions[1]] && (l.Agreement == 0 || agreements[l.Agreement])
		links[l.ID] = ok
		return ok
	})
	networks := map[int64]bool{}
	d.Networks = filter(d.Networks, func(n *twin.Network) bool {
		c := *n
		c.Members = filter(slices.Clone(n.Members), func(m twin.Member) bool { return cities[m.CityID] })
		*n = c
		networks[n.ID] = len(n.Members) > 0
		return networks[n.ID]
	})
	d.Activities = filter(d.Activities, func(a *twin.Activity) bool {
		a.Institutions = filter(a.Institutions, func(id int64) bool { return insts[id] })
		return (a.Agreement == 0 || agreements[a.Agreement]) && (a.Link == 0 || links[a.Link]) && (a.Network == 0 || networks[a.Network]) &&
			(a.Agreement != 0 || a.Link != 0 || a.Network != 0)
	})
	d.Proposals = filter(d.Proposals, func(p *twin.Proposal) bool {
		if p.Agreement != 0 {
			return agreements[p.Agreement]
		}
		for _, r := range p.Cities {
			if !refs[r] {
				return false
			}
		}
		return len(p.Cities) > 0
	})
	people := map[int64]bool{}
	for _, a := range d.Agreements {
		for _, p := range a.Parties {
			people[p.Person] = true
		}
	}
	d.People = filter(d.People, func(p *twin.Person) bool {
		if people[p.ID] {
			return true
		}
		for _, t := range p.Titles {
			if refs[t.City] || insts[t.Institution] {
				return true
			}
		}
		return false
	})
}

func filter[E any](s []E, keep func(E) bool) []E {
	out := s[:0]
	for _, e := range s {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}
