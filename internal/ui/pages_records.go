package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"sort"
	"strconv"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/twin"
)

type institutionData struct {
	I          *twin.Institution
	City       *twin.City
	Links      []linkView
	Activities []*twin.Activity
}

// InstitutionPage shows an institution, its city, its links with counterparts and activities.
func (s *Pages) InstitutionPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	in, err := s.db.Institutions.Get(ctx, id)
	if err != nil {
		return err
	}
	d := &institutionData{I: in}
	if in.CityID != 0 {
		cs, err := s.db.Cities.ByIDs(ctx, []int64{in.CityID})
		if err != nil {
			return err
		}
		if len(cs) == 1 {
			d.City = cs[0]
		}
	}
	ls, err := s.db.Links.List(ctx, twin.Filter{Limit: 200}.With(twin.FilterInstitution, id))
	if err != nil {
		return err
	}
	if d.Links, err = s.linkViews(ctx, ls.Items); err != nil {
		return err
	}
	// Activities name their institutions in the document only; those of the city's agreements
	// are few enough to look through.
	if in.CityID != 0 {
		acts, err := s.db.Activities.List(ctx, twin.Filter{Limit: 1000}.With(twin.FilterCity, in.CityID))
		if err != nil {
			return err
		}
		for _, a := range acts.Items {
			for _, x := range a.Institutions {
				if x == id {
					d.Activities = append(d.Activities, a)
					break
				}
			}
		}
		d.Activities = sortActivities(d.Activities)
	}
	p.tmpl, p.Title, p.Data = "institution", in.Names.Pick(p.Lang), d
	return nil
}

type activityData struct {
	A            *twin.Activity
	Agreement    *twin.Agreement
	Cities       []*twin.City
	Network      *twin.Network
	Institutions []*twin.Institution
	Participants []participantRow
	Direction    string     // the direction with the cities named
	Place        *twin.City // where it happened, when recorded
}

type participantRow struct {
	City  string
	Count int
}

// ActivityPage shows one activity with its agreement, institutions, participants and outputs.
func (s *Pages) ActivityPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	a, err := s.db.Activities.Get(ctx, id)
	if err != nil {
		return err
	}
	d := &activityData{A: a}
	if err := s.activityAgreement(ctx, d, p.Lang); err != nil {
		return err
	}
	if a.Place != "" {
		if d.Place, err = s.db.City(ctx, a.Place); httpx.UnlessMissing(err) != nil {
			return err
		}
	}
	if a.Network != 0 {
		if d.Network, err = s.db.Networks.Get(ctx, a.Network); httpx.UnlessMissing(err) != nil {
			return err
		}
	}
	if d.Institutions, err = s.db.Institutions.ByIDs(ctx, a.Institutions); err != nil {
		return err
	}
	if d.Participants, err = s.participantRows(ctx, a.Participants, p.Lang); err != nil {
		return err
	}
	p.tmpl, p.Title, p.Data = "activity", a.Title.Pick(p.Lang), d
	return nil
}

// activityAgreement reads the activity's agreement and its cities, and says its direction
// with the cities named.
func (s *Pages) activityAgreement(ctx context.Context, d *activityData, lang string) error {
	a := d.A
	if a.Agreement != 0 {
		ag, err := s.db.Agreements.Get(ctx, a.Agreement)
		if err = httpx.UnlessMissing(err); err != nil {
			return err
		}
		if ag != nil {
			d.Agreement = ag
			if d.Cities, err = s.db.Cities.ByIDs(ctx, ag.CityIDs); err != nil {
				return err
			}
		}
	}
	if a.Direction == "" {
		return nil
	}
	d.Direction = i18n.T(lang, "direction."+a.Direction, nil)
	an, bn, ok, err := s.agreementNames(ctx, strconv.FormatInt(a.Agreement, 10))
	if err == nil && ok {
		d.Direction = directionText(a.Direction, an, bn, lang)
	}
	return err
}

// participantRows names the cities that sent people, in the order of their names.
func (s *Pages) participantRows(ctx context.Context, per map[string]int, lang string) ([]participantRow, error) {
	var rows []participantRow
	for ref, n := range per {
		name := ref
		c, err := s.db.City(ctx, ref)
		if err = httpx.UnlessMissing(err); err != nil {
			return nil, err
		}
		if c != nil {
			name = c.Names.Pick(lang)
		}
		rows = append(rows, participantRow{name, n})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].City < rows[j].City })
	return rows, nil
}

type networkData struct {
	N          *twin.Network
	Members    []httpx.CityBrief
	Activities []*twin.Activity
	Map        *mapView
	// Region is the regional overlay of an organisation of states: the twinnings among cities
	// of its member states.
	Region *regionView
}

// regionView is the twinning web inside a group of states.
type regionView struct {
	Map                *mapView
	Cities, Agreements int
	Top                []regionCity
}

type regionCity struct {
	City   httpx.CityBrief
	Degree int
}

// NetworkPage shows a network, its member cities on a map and its activities.
func (s *Pages) NetworkPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	n, err := s.db.Networks.Get(ctx, id)
	if err != nil {
		return err
	}
	d := &networkData{N: n}
	var ids []int64
	for _, m := range n.Members {
		ids = append(ids, m.CityID)
	}
	cs, err := s.db.Cities.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	var pts []mapPoint
	for _, c := range cs {
		d.Members = append(d.Members, httpx.CityBrief{ID: c.ID, Ref: c.Ref(), Name: c.Names.Pick(p.Lang), Country: c.Country})
		if c.Lat != nil && c.Lon != nil {
			pts = append(pts, mapPoint{Lon: *c.Lon, Lat: *c.Lat, Name: c.Names.Pick(p.Lang), Names: c.Names, URL: "/" + p.Lang + "/cities/" + c.Ref(), Label: len(cs) <= 25})
		}
	}
	if len(pts) > 0 {
		d.Map = newMap(n.Names.Pick(p.Lang), pts, nil, nil, true, 1200)
	}
	acts, err := s.db.Activities.List(ctx, twin.Filter{Limit: 200}.With(twin.FilterNetwork, id))
	if err != nil {
		return err
	}
	d.Activities = sortActivities(acts.Items)
	if len(n.Countries) > 0 && s.intel != nil {
		if d.Region, err = s.regionOverlay(ctx, n.Countries, p.Lang); err != nil {
			return err
		}
	}
	p.tmpl, p.Title, p.Data = "network", n.Names.Pick(p.Lang), d
	return nil
}

type personData struct {
	P      *twin.Person
	Titles []titleView
}

type titleView struct {
	T           twin.Title
	City        *twin.City
	Institution *twin.Institution
}

// PersonPage shows a person and the titles they held over time. Contacts are private.
func (s *Pages) PersonPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	id, err := httpx.ParseID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	per, err := s.db.People.Get(ctx, id)
	if err != nil {
		return err
	}
	d := &personData{P: per}
	for _, t := range per.Titles {
		tv := titleView{T: t}
		if t.City != "" {
			if tv.City, err = s.db.City(ctx, t.City); httpx.UnlessMissing(err) != nil {
				return err
			}
		}
		if t.Institution != 0 {
			if tv.Institution, err = s.db.Institutions.Get(ctx, t.Institution); httpx.UnlessMissing(err) != nil {
				return err
			}
		}
		d.Titles = append(d.Titles, tv)
	}
	if !p.Staff {
		per.Contact = ""
	}
	p.tmpl, p.Title, p.Data = "person", per.Names.Pick(p.Lang), d
	return nil
}

// AboutPage says what Twinning is and where its data comes from.
func (s *Pages) AboutPage(r *http.Request, p *Page) error {
	p.tmpl, p.Section = "about", "about"
	p.Title = i18n.T(p.Lang, "about.title", nil)
	return nil
}

// regionOverlay draws the twinnings among cities of the given states, from the graph in memory:
// the best-connected cities inside the region and the lines between them.
func (s *Pages) regionOverlay(ctx context.Context, countries []string, lang string) (*regionView, error) {
	degree, edges := s.regionGraph(countries)
	rv := &regionView{Cities: len(degree), Agreements: len(edges)}
	if len(degree) == 0 {
		return rv, nil
	}
	cs, err := s.db.Cities.ByIDs(ctx, bestConnectedOf(degree, 150))
	if err != nil {
		return nil, err
	}
	index := map[int64]int{}
	var pts []mapPoint
	for _, c := range cs {
		if c.Lat == nil || c.Lon == nil {
			continue
		}
		index[c.ID] = len(pts)
		pts = append(pts, mapPoint{Lon: *c.Lon, Lat: *c.Lat, Name: c.Names.Pick(lang), Names: c.Names, URL: "/" + lang + "/cities/" + c.Ref(),
			Weight: float64(degree[c.ID]), Label: len(rv.Top) < 12})
		if len(rv.Top) < 12 {
			rv.Top = append(rv.Top, regionCity{City: httpx.Brief(c, lang), Degree: degree[c.ID]})
		}
	}
	var lines [][2]int
	for _, e := range edges {
		a, okA := index[e[0]]
		b, okB := index[e[1]]
		if okA && okB {
			lines = append(lines, [2]int{a, b})
		}
	}
	if len(pts) > 0 {
		rv.Map = newMap(i18n.T(lang, "network.region", nil), pts, lines, nil, true, 1200)
	}
	return rv, nil
}

// regionGraph is the part of the twinning graph inside the given states: each city's number
// of partners there, and the twinnings between two of its cities.
func (s *Pages) regionGraph(countries []string) (degree map[int64]int, edges [][2]int64) {
	facts := s.intel.Facts()
	member := map[string]bool{}
	for _, c := range countries {
		member[c] = true
	}
	inside := func(id int64) bool { f, ok := facts[id]; return ok && member[f.Country] }
	degree = map[int64]int{}
	for _, e := range s.intel.Graph().Edges() {
		if inside(e.A) && inside(e.B) {
			degree[e.A]++
			degree[e.B]++
			edges = append(edges, [2]int64{e.A, e.B})
		}
	}
	return degree, edges
}

// bestConnectedOf are at most k of the cities of degree, most partners first (then by id).
func bestConnectedOf(degree map[int64]int, k int) []int64 {
	ids := make([]int64, 0, len(degree))
	for id := range degree {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if degree[ids[i]] != degree[ids[j]] {
			return degree[ids[i]] > degree[ids[j]]
		}
		return ids[i] < ids[j]
	})
	return ids[:min(len(ids), k)]
}
