package ui

import (
	"context"
	"github.com/twinning/twinning/internal/httpx"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/twinning/twinning/internal/calendar"
	"github.com/twinning/twinning/internal/i18n"
	"github.com/twinning/twinning/internal/report"
	"github.com/twinning/twinning/internal/twin"
	"github.com/twinning/twinning/internal/vitality"
)

// partnerRow is one of a city's agreements, seen from the city.
type partnerRow struct {
	A        *twin.Agreement
	City     *twin.City
	Name     string
	Vitality *twin.Vitality
}

type langName struct{ Lang, Name string }

type cousinRow struct {
	City httpx.CityBrief
	Via  []httpx.CityBrief
}

type networkRow struct {
	N       *twin.Network
	ByState bool // a member through its country (a regional organisation), not by name
}

type timelineItem struct {
	Date    *twin.PartialDate
	Key     string // the event's message key
	Partner partnerRow
}

type cityData struct {
	City         *twin.City
	Name         string
	Other        []langName
	Map          *mapView
	Partners     []partnerRow
	Attention    []AttentionItem // what needs the office's attention, the most urgent first
	Untracked    []AttentionItem // then the partnerships never tracked, shown folded
	Timeline     []timelineItem
	Institutions []*twin.Institution
	Activities   []*twin.Activity
	Networks     []networkRow
	Cousins      []cousinRow
	Suggestions  []httpx.Suggestion
	YearChart    *barChart
	DomainChart  *barChart
	Signed       int
	Since        time.Time      // the report's window
	Output       *report.Report // joint productions and participants, all time
	Today        time.Time
	Proposals    []proposalCard // the city's published proposals (proposalsOf)
	// Claims are the countries the sources put the city in, when they disagree (a disputed
	// territory, a sovereign and its territory): each with the sources that say so.
	Claims []countryClaims
	// Translit: the heading is the city's rule-made Persian transliteration, which the page
	// says in words under it; PartnersTranslit: a partner is named by one, which a line under
	// the table says (the names themselves are marked with a dotted underline and a title).
	Translit, PartnersTranslit bool
}

// countryClaims is one country some sources put a city in, and those sources' datasets.
type countryClaims struct {
	Country  string
	Datasets []string
}

// claimsOf groups a city's country claims by country, the registry's own first; nil when
// every source agrees with the country the registry shows.
func claimsOf(c *twin.City) []countryClaims {
	out := []countryClaims{{Country: c.Country}}
	disagree := false
	for _, cc := range c.CountryClaims {
		i := slices.IndexFunc(out, func(g countryClaims) bool { return g.Country == cc.Country })
		if i < 0 {
			out, i, disagree = append(out, countryClaims{Country: cc.Country}), len(out), true
		}
		if ds := cc.Source.Dataset; ds != "" && !slices.Contains(out[i].Datasets, ds) {
			out[i].Datasets = append(out[i].Datasets, ds)
		}
	}
	if !disagree {
		return nil
	}
	return out
}

// CityPage shows a city: its partners on a map, each agreement's status and vitality, the
// timeline, institutions, activities, networks, cousins and suggestions.
func (s *Pages) CityPage(r *http.Request, p *Page) error {
	d, err := s.cityData(r.Context(), r.PathValue("ref"), p.Lang, true)
	if err != nil {
		return err
	}
	if d.Proposals, err = s.proposalsOf(r.Context(), twin.Filter{}.With(twin.FilterCity, d.City.ID), p.Lang); err != nil {
		return err
	}
	p.tmpl, p.Title, p.Data = "city", d.Name, d
	return nil
}

// cityData reads what a city's page shows: its names, partners, map, timeline and activities;
// with full (the page, not its report), also what needs attention, what the partnerships
// produced, its institutions and networks, and the graph's cousins and suggestions.
func (s *Pages) cityData(ctx context.Context, ref, lang string, full bool) (*cityData, error) {
	c, err := s.db.City(ctx, ref)
	if err != nil {
		return nil, err
	}
	d := &cityData{City: c, Name: c.Names.Pick(lang), Today: time.Now().UTC(), Claims: claimsOf(c)}
	d.Translit = c.Names.Transliterated(d.Name)
	d.Since = d.Today.AddDate(-1, 0, 0)
	d.Other = otherNames(c, d.Name, lang)
	ps, err := s.db.Partners(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	s.cityPartners(ctx, d, ps, lang)
	d.Map = s.partnerMap(c, d.Partners, lang)
	acts, err := s.db.Activities.List(ctx, twin.Filter{Limit: 1000}.With(twin.FilterCity, c.ID))
	if err != nil {
		return nil, err
	}
	d.Activities = sortActivities(acts.Items)
	d.YearChart, d.DomainChart = activityCharts(d.Activities, lang)
	if !full {
		return d, nil
	}
	if err := s.cityAttention(ctx, d, ps, lang); err != nil {
		return nil, err
	}
	if err := s.cityOutput(d); err != nil {
		return nil, err
	}
	return d, s.cityNeighbourhood(ctx, d, lang)
}

// otherNames are the city's names in the other languages a reader may know it by, each
// spelling once (Malmö's Persian and Arabic names are both «مالمو»), and the rule-made Persian
// rendering, marked as such, where no source spells it in Persian (on a Persian page that is
// the heading, marked there).
func otherNames(c *twin.City, shown, lang string) []langName {
	var out []langName
	for _, l := range []string{"fa", "en", "ar", "uz", "ru", "tr"} {
		if v := c.Names[l]; v != "" && v != shown && l != lang && !slices.ContainsFunc(out, func(o langName) bool { return o.Name == v }) {
			out = append(out, langName{l, v})
		}
	}
	if v := c.Names[twin.LangFATranslit]; v != "" && c.Names["fa"] == "" && v != shown {
		out = append(out, langName{twin.LangFATranslit, v})
	}
	return out
}

// cityPartners fills the partner table, the count of signed agreements and the timeline of
// proposals, signings and ends (a term's end still to come reads as ending), oldest first.
func (s *Pages) cityPartners(ctx context.Context, d *cityData, ps []twin.Partner, lang string) {
	httpx.SortPartners(ps, lang)
	for _, pt := range ps {
		row := partnerRow{A: pt.Agreement, City: pt.City, Name: pt.City.Names.Pick(lang)}
		d.PartnersTranslit = d.PartnersTranslit || pt.City.Names.Transliterated(row.Name)
		row.Vitality = s.vitalityFor(ctx, pt.Agreement, lang)
		if pt.Agreement.Status == twin.StatusSigned {
			d.Signed++
		}
		d.Partners = append(d.Partners, row)
		for _, ev := range []struct {
			date *twin.PartialDate
			key  string
		}{{pt.Agreement.Proposed, "timeline.proposed"}, {pt.Agreement.Signed, "timeline.signed"}, {pt.Agreement.Ended, "timeline.ended"}} {
			if ev.date != nil && ev.date.Start != "" {
				key := ev.key
				if key == "timeline.ended" && ev.date.StartTime().After(d.Today) {
					key = "timeline.ends"
				}
				d.Timeline = append(d.Timeline, timelineItem{Date: ev.date, Key: key, Partner: row})
			}
		}
	}
	sort.SliceStable(d.Timeline, func(i, j int) bool { return d.Timeline[i].Date.Start < d.Timeline[j].Date.Start })
}

// cityAttention splits what needs attention from the partnerships nobody tracks.
func (s *Pages) cityAttention(ctx context.Context, d *cityData, ps []twin.Partner, lang string) error {
	att, err := s.CityAttention(ctx, d.City.ID, ps, lang)
	if err != nil {
		return err
	}
	for _, it := range att {
		if it.Concern == string(vitality.ConcernUntracked) {
			d.Untracked = append(d.Untracked, it)
		} else {
			d.Attention = append(d.Attention, it)
		}
	}
	return nil
}

// cityOutput is what the city's partnerships produced over all time (the report's figures);
// the page then lists the latest 30 activities.
func (s *Pages) cityOutput(d *cityData) error {
	in := report.Input{City: d.City, Activities: d.Activities}
	for _, row := range d.Partners {
		in.Partners = append(in.Partners, twin.Partner{Agreement: row.A, City: row.City})
	}
	var err error
	if d.Output, err = report.Build(in, report.AllTime); err != nil {
		return err
	}
	if len(d.Activities) > 30 {
		d.Activities = d.Activities[:30]
	}
	return nil
}

// cityNeighbourhood reads the city's institutions and networks and, from the graph, its
// partners' partners and suggested partners.
func (s *Pages) cityNeighbourhood(ctx context.Context, d *cityData, lang string) error {
	ins, err := s.db.Institutions.List(ctx, twin.Filter{Limit: 200}.With(twin.FilterCity, d.City.ID))
	if err != nil {
		return err
	}
	d.Institutions = ins.Items
	if d.Networks, err = s.cityNetworks(ctx, d.City); err != nil {
		return err
	}
	if s.intel == nil {
		return nil
	}
	if d.Cousins, err = s.cityCousins(ctx, d.City.ID, lang, 12); err != nil {
		return err
	}
	d.Suggestions, err = s.Suggest(ctx, d.City.ID, 8, lang)
	return err
}

// sortActivities orders activities newest first; undated ones last.
func sortActivities(as []*twin.Activity) []*twin.Activity {
	as = slices.Clone(as)
	start := func(a *twin.Activity) string {
		if a.Start == nil {
			return ""
		}
		return a.Start.Start
	}
	sort.SliceStable(as, func(i, j int) bool { return start(as[i]) > start(as[j]) })
	return as
}

// activityCharts counts activities per year (in the reader's calendar) and per domain.
func activityCharts(as []*twin.Activity, lang string) (*barChart, *barChart) {
	years, domains := map[int]int{}, map[string]int{}
	cal := calendar.Home(lang)
	for _, a := range as {
		if a.Start != nil && a.Start.Start != "" {
			y, _, _ := calendar.FromTime(a.Start.StartTime(), cal, calendar.Year).Fields()
			if y != 0 {
				years[y]++
			}
		}
		for _, dm := range a.Domains {
			domains[dm]++
		}
	}
	rtl := i18n.Dir(lang) == "rtl"
	num := func(n int) string { return i18n.Number(lang, int64(n)) }
	yc := yearChart(i18n.T(lang, "chart.by_year", nil), years, rtl, func(y int) string { return i18n.Digits(lang, strconv.Itoa(y)) }, num)
	dc := rankChart(i18n.T(lang, "chart.by_domain", nil), domains, rtl, func(c string) string { return truncate(domainName(c, lang), 26) }, num)
	return yc, dc
}

// partnerMap draws the city and its partners with a line to each, framed on them.
func (s *Pages) partnerMap(c *twin.City, rows []partnerRow, lang string) *mapView {
	if c.Lat == nil || c.Lon == nil {
		return nil
	}
	pts := []mapPoint{{Lon: *c.Lon, Lat: *c.Lat, Name: c.Names.Pick(lang), Names: c.Names, Class: "home", Label: true}}
	var lines [][2]int
	var classes []string
	for _, row := range rows {
		if row.City.Lat == nil || row.City.Lon == nil {
			continue
		}
		pts = append(pts, mapPoint{Lon: *row.City.Lon, Lat: *row.City.Lat, Name: row.Name, Names: row.City.Names,
			URL: "/" + lang + "/cities/" + row.City.Ref(), Class: "status-" + row.A.Status, Label: len(rows) <= 30})
		lines = append(lines, [2]int{0, len(pts) - 1})
		cls := "status-" + row.A.Status
		if row.Vitality != nil {
			cls += " vit-" + row.Vitality.State
		}
		classes = append(classes, cls)
	}
	return newMap(i18n.T(lang, "city.map_label", map[string]any{"city": c.Names.Pick(lang)}), pts, lines, classes, true, 1200)
}

// cityNetworks lists the networks a city belongs to: by name, or through its country's
// membership of a regional organisation.
func (s *Pages) cityNetworks(ctx context.Context, c *twin.City) ([]networkRow, error) {
	own, err := s.db.Networks.List(ctx, twin.Filter{Limit: 500}.With(twin.FilterCity, c.ID))
	if err != nil {
		return nil, err
	}
	var out []networkRow
	seen := map[int64]bool{}
	for _, n := range own.Items {
		out = append(out, networkRow{N: n})
		seen[n.ID] = true
	}
	all, err := s.db.Networks.List(ctx, twin.Filter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, n := range all.Items {
		if !seen[n.ID] && slices.Contains(n.Countries, c.Country) {
			out = append(out, networkRow{N: n, ByState: true})
		}
	}
	return out, nil
}

func (s *Pages) cityCousins(ctx context.Context, id int64, lang string, k int) ([]cousinRow, error) {
	cs := s.intel.Graph().Cousins(id)
	if len(cs) > k {
		cs = cs[:k]
	}
	var ids []int64
	for _, x := range cs {
		ids = append(ids, x.ID)
		ids = append(ids, x.Via...)
	}
	bs, err := s.Briefs(ctx, ids, lang)
	if err != nil {
		return nil, err
	}
	out := make([]cousinRow, 0, len(cs))
	for _, x := range cs {
		row := cousinRow{City: bs[x.ID]}
		for _, v := range x.Via {
			row.Via = append(row.Via, bs[v])
		}
		out = append(out, row)
	}
	return out, nil
}
