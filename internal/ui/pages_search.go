package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/intel"
	"github.com/twinning/twinning/internal/persian"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// The search, calendar and path pages.

type searchData struct {
	Q     string
	Hits  []pageHit
	Error string
	// SoundAlike is set when no record holds the query as a name or as words, and the hits
	// are only names that sound alike or are one letter off: the page says so rather than
	// present them as results for the query.
	SoundAlike bool
}

// pageHit is a search hit with what tells it apart from others of the same name.
type pageHit struct {
	httpx.SearchHit
	Country string
}

// SearchPage finds records of every kind by any name in any script.
func (s *Pages) SearchPage(r *http.Request, p *Page) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := &searchData{Q: q}
	p.tmpl, p.Data, p.Section = "search", d, "search"
	p.Title = i18n.T(p.Lang, "search.title", nil)
	if q == "" {
		return nil
	}
	p.Title = i18n.T(p.Lang, "search.results_for", map[string]any{"q": q})
	res, err := s.Search(r.Context(), q, nil, 40, p.Lang)
	if twin.ErrorCode(err) == twin.EINVALID {
		d.Error = i18n.T(p.Lang, "error.invalid", nil)
		if f, ok := twin.ErrorFields(err)["q"]; ok { // a query too long: say so
			d.Error = i18n.T(p.Lang, "field."+f.Key, f.Params)
		}
		return nil
	} else if err != nil {
		return err
	}
	sr, _ := res.(httpx.SearchResult) // the search's answer is always one
	if d.Hits, err = s.pageHits(r.Context(), sr.Items, p.Lang); err != nil {
		return err
	}
	d.SoundAlike = len(d.Hits) > 0 && !slices.ContainsFunc(d.Hits, func(h pageHit) bool {
		return h.Match != "skeleton" && h.Match != "typo"
	})
	return nil
}

// pageHits are the search's hits as the page shows them: each linked to its page, titled
// (a record without a name by its kind and number), a city with its country.
func (s *Pages) pageHits(ctx context.Context, hits []httpx.SearchHit, lang string) ([]pageHit, error) {
	var cityIDs []int64
	for _, h := range hits {
		if h.Kind == string(twin.KindCity) {
			cityIDs = append(cityIDs, h.ID)
		}
	}
	cities, err := s.db.CityNames(ctx, cityIDs)
	if err != nil {
		return nil, err
	}
	out := make([]pageHit, 0, len(hits))
	for _, h := range hits {
		h.URL = s.pageURL(ctx, lang, twin.Kind(h.Kind), h.ID, h.Ref)
		if h.Title == "" {
			h.Title = i18n.T(lang, twin.Kind(h.Kind).Key(), nil) + " " + i18n.Digits(lang, strconv.FormatInt(h.ID, 10))
		}
		ph := pageHit{SearchHit: h}
		if h.Kind == string(twin.KindCity) {
			ph.Country = cities[h.ID].Country
		}
		out = append(out, ph)
	}
	return out, nil
}

// pageURL is the page of a record of any kind; a link's page is its agreement's.
func (s *Pages) pageURL(ctx context.Context, lang string, kind twin.Kind, id int64, ref string) string {
	base := "/" + lang + "/"
	ids := strconv.FormatInt(id, 10)
	switch {
	case kind == twin.KindCity:
		return base + kind.Plural() + "/" + ref
	case kind == twin.KindLink:
		if l, err := s.db.Links.Get(ctx, id); err == nil && l.Agreement != 0 {
			return base + twin.KindAgreement.Plural() + "/" + strconv.FormatInt(l.Agreement, 10)
		}
	case kind.Valid():
		return base + kind.Plural() + "/" + ids
	}
	return base + "search?q=" + ids
}

type calendarData struct {
	Year, Prev, Next int
	Months           []monthGroup
	Total            int
}

type monthGroup struct {
	Name       string
	Activities []*twin.Activity
}

// CalendarPage lists a year's activities by month, in Jalali months for Persian readers.
func (s *Pages) CalendarPage(r *http.Request, p *Page) error {
	cal := calendar.Home(p.Lang)
	now, _, _ := calendar.FromTime(time.Now().UTC(), cal, calendar.Year).Fields()
	year := now
	if y := r.URL.Query().Get("year"); y != "" {
		pd, err := calendar.Parse(cal, y)
		if err != nil || pd.Precision != calendar.Year {
			return (twin.Problems{"year": {Key: "date_syntax", Params: map[string]any{"value": y}}}).Err()
		}
		year, _, _ = pd.Fields()
	}
	span, err := calendar.Parse(cal, strconv.Itoa(year))
	if err != nil {
		return err
	}
	d := &calendarData{Year: year, Prev: year - 1, Next: year + 1}
	d.Months = make([]monthGroup, 12)
	for m := range d.Months {
		if cal == calendar.Jalali {
			d.Months[m].Name = calendar.JalaliMonthName(m+1, p.Lang)
		} else {
			d.Months[m].Name = calendar.GregorianMonthName(m+1, p.Lang)
		}
	}
	acts, err := s.db.ActivitiesBetween(r.Context(), span.Start, span.End)
	if err != nil {
		return err
	}
	for _, a := range acts {
		if a.Start == nil || a.Start.Start == "" {
			continue
		}
		_, m, _ := calendar.FromTime(a.Start.StartTime(), cal, calendar.Month).Fields()
		if m >= 1 && m <= 12 {
			d.Months[m-1].Activities = append(d.Months[m-1].Activities, a)
			d.Total++
		}
	}
	for i := range d.Months {
		d.Months[i].Activities = sortActivities(d.Months[i].Activities)
		slicesReverse(d.Months[i].Activities)
	}
	p.tmpl, p.Data, p.Section = "calendar", d, "calendar"
	p.Title = i18n.T(p.Lang, "calendar.title", map[string]any{"year": year})
	return nil
}

func slicesReverse[E any](s []E) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

type pathData struct {
	From, To         string // what the fields show: a city's name once it is known
	FromRef, ToRef   string // the cities the fields name, kept while their names are (#id)
	FromC, ToC       *twin.City
	FromAlt, ToAlt   []httpx.CityBrief // candidates when a name is ambiguous
	FromErr, ToErr   string
	Asked, Found     bool
	Length           int
	Chains           [][]httpx.CityBrief
	Map              *mapView
	SameCity, NoPath bool
}

// PathPage answers "how are these two cities connected": the shortest chains of twinnings.
func (s *Pages) PathPage(r *http.Request, p *Page) error {
	ctx := r.Context()
	q := r.URL.Query()
	d := &pathData{From: typedCity(q, "from"), To: typedCity(q, "to")}
	p.tmpl, p.Data, p.Section = "path", d, "path"
	p.Title = i18n.T(p.Lang, "path.title", nil)
	// A link that fills one city in (a city page's "how is it connected") is not a question
	// yet: nothing is marked missing until the form is sent (go=1).
	if (d.From == "" || d.To == "") && q.Get("go") == "" {
		return s.namePathCities(ctx, d, p.Lang)
	}
	d.Asked = true
	if err := s.settlePathCities(ctx, d, p.Lang); err != nil {
		return err
	}
	if d.FromC == nil || d.ToC == nil || s.intel == nil {
		return nil
	}
	if d.FromC.ID == d.ToC.ID {
		d.SameCity = true
		return nil
	}
	paths := s.intel.Graph().AllShortestPaths(d.FromC.ID, d.ToC.ID, 6)
	if len(paths) == 0 {
		d.NoPath = true
		return nil
	}
	return s.pathChains(ctx, d, paths, p.Lang, p.Title)
}

// namePathCities shows the city a link fills in by its name.
func (s *Pages) namePathCities(ctx context.Context, d *pathData, lang string) error {
	for _, f := range []struct{ shown, ref *string }{{&d.From, &d.FromRef}, {&d.To, &d.ToRef}} {
		if *f.shown == "" {
			continue
		}
		c, err := s.db.City(ctx, *f.shown)
		if err = httpx.UnlessMissing(err); err != nil {
			return err
		}
		if c != nil {
			*f.shown, *f.ref = c.Names.Pick(lang), c.Ref()
		}
	}
	return nil
}

// settlePathCities settles the two cities asked, each by its name and id once found.
func (s *Pages) settlePathCities(ctx context.Context, d *pathData, lang string) error {
	var err error
	if d.FromC, d.FromAlt, d.FromErr, err = s.pickCity(ctx, d.From, lang); err != nil {
		return err
	}
	if d.ToC, d.ToAlt, d.ToErr, err = s.pickCity(ctx, d.To, lang); err != nil {
		return err
	}
	if d.FromC != nil {
		d.From, d.FromRef = d.FromC.Names.Pick(lang), d.FromC.Ref()
	}
	if d.ToC != nil {
		d.To, d.ToRef = d.ToC.Names.Pick(lang), d.ToC.Ref()
	}
	return nil
}

// pathChains lists the shortest chains by their cities and draws them on a map titled title.
func (s *Pages) pathChains(ctx context.Context, d *pathData, paths [][]int64, lang, title string) error {
	var all []int64
	for _, pa := range paths {
		all = append(all, pa...)
	}
	bs, err := s.Briefs(ctx, all, lang)
	if err != nil {
		return err
	}
	m := &chainMap{facts: s.intel.Facts(), briefs: bs, lang: lang, at: map[int64]int{}}
	for _, pa := range paths {
		d.Chains = append(d.Chains, m.add(pa))
	}
	d.Found, d.Length = true, len(paths[0])-1
	if len(m.pts) > 1 {
		d.Map = newMap(title, m.pts, m.lines, nil, true, 1200)
	}
	return nil
}

// chainMap draws chains of cities: each city once, its ends marked home, each step a line.
type chainMap struct {
	facts  map[int64]store.CityFact
	briefs map[int64]httpx.CityBrief
	lang   string
	pts    []mapPoint
	lines  [][2]int
	at     map[int64]int // a city's point
}

// add draws the chain pa and returns its cities.
func (m *chainMap) add(pa []int64) []httpx.CityBrief {
	chain := make([]httpx.CityBrief, len(pa))
	for i, id := range pa {
		b := m.briefs[id]
		chain[i] = b
		if _, ok := m.at[id]; !ok {
			if f, ok := m.facts[id]; ok && f.HasCoord {
				cls := ""
				if i == 0 || i == len(pa)-1 {
					cls = "home"
				}
				m.at[id] = len(m.pts)
				m.pts = append(m.pts, mapPoint{Lon: f.Lon, Lat: f.Lat, Name: b.Name, Names: b.Names, URL: "/" + m.lang + "/cities/" + b.Ref, Class: cls, Label: true})
			}
		}
		if i > 0 {
			a, okA := m.at[pa[i-1]]
			b, okB := m.at[id]
			if okA && okB {
				m.lines = append(m.lines, [2]int{a, b})
			}
		}
	}
	return chain
}

// typedCity is what a city field of a reader's form (the path page, the proposals' filters)
// names. The field shows a city's name, never its id: the id rides along (field#id beside
// field#name) and is taken while the name is left as shown, so that a name several cities
// share keeps the city it was shown for; anything else is what was typed.
func typedCity(q url.Values, field string) string {
	v := strings.TrimSpace(q.Get(field))
	if id := q.Get(field + "#id"); id != "" && v == strings.TrimSpace(q.Get(field+"#name")) {
		return id
	}
	return v
}

// pickCity resolves what a reader typed into a city: a Wikidata or internal id, or a name in
// any script. An ambiguous name gives candidates to choose from instead.
func (s *Pages) pickCity(ctx context.Context, v, lang string) (*twin.City, []httpx.CityBrief, string, error) {
	if v == "" {
		return nil, nil, i18n.T(lang, "field.required", nil), nil
	}
	if c, err := s.db.City(ctx, v); err == nil {
		return c, nil, "", nil
	} else if !httpx.IsNotFound(err) {
		return nil, nil, "", err
	}
	hits, err := s.db.Search(ctx, v, []string{string(twin.KindCity)}, 6)
	if err != nil {
		return nil, nil, "", err
	}
	if len(hits) == 0 {
		return nil, nil, i18n.T(lang, "field.unknown_city", map[string]any{"value": v}), nil
	}
	ids := store.HitIDs(hits)
	cs, err := s.db.Cities.ByIDs(ctx, ids)
	if err != nil {
		return nil, nil, "", err
	}
	if len(cs) == 0 {
		return nil, nil, i18n.T(lang, "field.unknown_city", map[string]any{"value": v}), nil
	}
	// A clear best match (a better score than the next) is taken; otherwise the reader chooses.
	// Scores are a match category (thousands) plus a population boost (0–999): a better
	// category wins, and so does a name ten times as populous within the same one — unless
	// another candidate bears the very name the reader sees: a namesake is never settled by
	// its size (Halle in Belgium is not Halle (Saale) because it is smaller).
	clear := len(hits) == 1 || hits[0].Score/1000 > hits[1].Score/1000 || hits[0].Score-hits[1].Score >= 100
	if clear && !hasNamesake(cs, lang) {
		return cs[0], nil, "", nil
	}
	alt, err := s.candidates(ctx, cs, lang)
	if err != nil {
		return nil, nil, "", err
	}
	return nil, alt, i18n.T(lang, "picker.choose", nil), nil
}

// hasNamesake reports whether another of cs bears the name of the first in lang.
func hasNamesake(cs []*twin.City, lang string) bool {
	first := persian.NameKey(cs[0].Names.Pick(lang))
	for _, c := range cs[1:] {
		if persian.NameKey(c.Names.Pick(lang)) == first {
			return true
		}
	}
	return false
}

// candidates are cities offered to choose among, each named in lang and, when another shares
// its name, said apart: its country and, beside a namesake in the same country, its
// best-known partners, else its population, else its coordinates. Five Springfields in the
// United States are five different lines.
func (s *Pages) candidates(ctx context.Context, cs []*twin.City, lang string) ([]httpx.CityBrief, error) {
	alt := make([]httpx.CityBrief, 0, len(cs))
	ns := make([]intel.Namesake, 0, len(cs))
	for _, c := range cs {
		b := httpx.Brief(c, lang)
		alt = append(alt, b)
		ns = append(ns, intel.Namesake{ID: c.ID, Ref: b.Ref, Title: b.Name, Country: c.Country})
	}
	tells, err := s.intel.TellApart(ctx, ns, lang)
	if err != nil {
		return nil, err
	}
	for i := range alt {
		alt[i].Detail = tells[alt[i].ID].Text(lang)
	}
	return alt, nil
}
