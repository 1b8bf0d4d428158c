package ui

import (
	"context"
	"github.com/twinning/twinning/internal/graph"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

type homeData struct {
	Cities, Agreements, Countries, Activities int64
	PersianShare                              int // per cent of cities with a Persian name
	ShareKnown                                bool
	Map                                       *mapView
	Top                                       []topCity
	Latest                                    []*twin.Activity
}

type topCity struct {
	Brief    httpx.CityBrief
	Partners int
}

// homeCache keeps what the home page computes over the whole registry, per server, for a few
// minutes: the figures and the world map of the best-connected cities.
var homeCache struct {
	sync.Mutex
	owner   *Pages
	at      time.Time
	version uint64
	figures homeData
	byLang  map[string]*homeData
}

// latestTTL bounds how long the home page may show figures and latest activities that another
// server's writes have changed.
const latestTTL = 30 * time.Second

// HomePage shows the world's twinnings on a map, key figures, the latest activities and search.
func (s *Pages) HomePage(r *http.Request, p *Page) error {
	d, err := s.homeData(r.Context(), p.Lang)
	if err != nil {
		return err
	}
	// The layout adds the site's name to every title: the home page's is the name alone.
	p.tmpl, p.Title, p.Data, p.Section = "home", "", d, "home"
	return nil
}

func (s *Pages) homeData(ctx context.Context, lang string) (*homeData, error) {
	var version uint64
	if s.intel != nil {
		// Any write this server makes (a new activity) renews the cache; another server's
		// writes show within latestTTL.
		version = s.intel.Graph().Version()<<32 ^ s.intel.Writes()
	}
	homeCache.Lock()
	defer homeCache.Unlock()
	if homeCache.owner != s || time.Since(homeCache.at) > latestTTL || homeCache.version != version {
		f, err := s.homeFigures(ctx)
		if err != nil {
			return nil, err
		}
		homeCache.owner, homeCache.at, homeCache.version, homeCache.figures = s, time.Now(), version, f
		homeCache.byLang = map[string]*homeData{}
	}
	if d := homeCache.byLang[lang]; d != nil {
		c := *d
		c.PersianShare, c.ShareKnown = s.persianShare()
		return &c, nil
	}
	d := homeCache.figures
	if s.intel != nil {
		if err := s.worldMap(ctx, &d, lang); err != nil {
			return nil, err
		}
	}
	homeCache.byLang[lang] = &d
	return &d, nil
}

// homeFigures counts the registry and finds the latest activities.
func (s *Pages) homeFigures(ctx context.Context) (homeData, error) {
	var d homeData
	var err error
	if d.Cities, err = s.db.Count(ctx, twin.KindCity); err != nil {
		return d, err
	}
	if d.Agreements, err = s.db.Count(ctx, twin.KindAgreement); err != nil {
		return d, err
	}
	if d.Activities, err = s.db.Count(ctx, twin.KindActivity); err != nil {
		return d, err
	}
	if s.intel != nil {
		countries := map[string]bool{}
		for _, f := range s.intel.Facts() {
			countries[f.Country] = true
		}
		d.Countries = int64(len(countries))
	}
	d.PersianShare, d.ShareKnown = s.persianShare()
	acts, err := s.db.LatestActivities(ctx, 8)
	if err != nil {
		return d, err
	}
	d.Latest = acts
	return d, nil
}

// worldMap draws the best-connected cities and the twinnings between them.
func (s *Pages) worldMap(ctx context.Context, d *homeData, lang string) error {
	g, facts := s.intel.Graph(), s.intel.Facts()
	nodes := bestConnected(g, facts, 300)
	ids := make([]int64, len(nodes))
	for i, n := range nodes {
		ids[i] = n.id
	}
	bs, err := s.Briefs(ctx, ids, lang)
	if err != nil {
		return err
	}
	pts := make([]mapPoint, len(nodes))
	for i, n := range nodes {
		f := facts[n.id]
		b := bs[n.id]
		pts[i] = mapPoint{Lon: f.Lon, Lat: f.Lat, Name: b.Name + metaSep(lang) + i18n.N(lang, "count.partners", float64(n.deg), nil),
			URL: "/" + lang + "/cities/" + b.Ref, Weight: float64(n.deg)}
	}
	d.Map = newMap(i18n.T(lang, "home.map_label", nil), pts, webLines(g, nodes), nil, false, 1200)
	for i, n := range nodes {
		if i >= 10 {
			break
		}
		d.Top = append(d.Top, topCity{Brief: bs[n.id], Partners: n.deg})
	}
	return nil
}

// rankedCity is a city of the graph with its number of partners.
type rankedCity struct {
	id  int64
	deg int
}

// bestConnected are the at most n cities with coordinates that have the most partners, the
// most first.
func bestConnected(g *graph.Graph, facts map[int64]store.CityFact, n int) []rankedCity {
	var nodes []rankedCity
	for _, id := range g.Nodes() {
		if f, ok := facts[id]; ok && f.HasCoord {
			nodes = append(nodes, rankedCity{id, g.Degree(id)})
		}
	}
	sort.Slice(nodes, func(i, j int) bool {
		if nodes[i].deg != nodes[j].deg {
			return nodes[i].deg > nodes[j].deg
		}
		return nodes[i].id < nodes[j].id
	})
	return nodes[:min(len(nodes), n)]
}

// webLines joins the twinned among the best-connected hundred and twenty of nodes, at most
// four hundred lines.
func webLines(g *graph.Graph, nodes []rankedCity) [][2]int {
	index := map[int64]int{}
	for i, n := range nodes {
		index[n.id] = i
	}
	var lines [][2]int
	for i, n := range nodes {
		if i >= 120 {
			break
		}
		for _, nb := range g.Neighbors(n.id) {
			j, ok := index[nb]
			if ok && j < 120 && j > i {
				lines = append(lines, [2]int{i, j})
			}
		}
		if len(lines) >= 400 {
			break
		}
	}
	return lines
}

// shareCache holds the share of cities with a Persian name, which takes reading every city:
// it is computed in the background and shown once known.
var shareCache struct {
	sync.Mutex
	owner   *Pages
	at      time.Time
	percent int
	known   bool
	running bool
}

func (s *Pages) persianShare() (int, bool) {
	shareCache.Lock()
	defer shareCache.Unlock()
	if shareCache.owner != s {
		shareCache.owner, shareCache.known, shareCache.running = s, false, false
	}
	if !shareCache.running && (!shareCache.known || time.Since(shareCache.at) > 30*time.Minute) {
		shareCache.running = true
		go s.countPersianNames()
	}
	return shareCache.percent, shareCache.known
}

func (s *Pages) countPersianNames() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	persian, all := 0, 0
	f := twin.Filter{Limit: 1000}
	var err error
	for {
		var pg twin.Page[*twin.City]
		if pg, err = s.db.Cities.List(ctx, f); err != nil {
			break
		}
		for _, c := range pg.Items {
			all++
			if c.Names["fa"] != "" {
				persian++
			}
		}
		if pg.Next == "" {
			break
		}
		f.After = pg.Next
	}
	shareCache.Lock()
	defer shareCache.Unlock()
	shareCache.running = false
	if shareCache.owner != s {
		return
	}
	if err != nil {
		s.log.Error("persian name share", "err", err)
		return
	}
	if all > 0 {
		shareCache.percent = (persian*100 + all/2) / all
	}
	shareCache.known, shareCache.at = true, time.Now()
}
