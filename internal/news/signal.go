package news

import (
	"context"

	"github.com/twinning/twinning/internal/extract"
	"github.com/twinning/twinning/internal/store"
	"github.com/twinning/twinning/internal/twin"
)

// classify reads the article with the extractor and ranks what it would add to the registry:
// an agreement between two cities the registry does not pair (new agreement), a known
// agreement in a status the registry has not reached (status change), an event between
// partners the registry knows (new activity), or only what the registry already holds
// (known). An article with none of these has no signal: it is kept as seen, not shown.
func (p *Poller) classify(ctx context.Context, a *store.Article) error {
	g, err := p.gazetteer(ctx)
	if err != nil {
		return err
	}
	res := extract.Extract(a.Title+"\n\n"+a.Text, g, extract.Options{SourceURL: a.URL, Published: a.Published})
	if res.Lang == "fa" || res.Lang == "en" {
		a.Lang = res.Lang
	}
	reasons, signal, err := p.signals(ctx, res)
	if err != nil {
		return err
	}
	a.Signal, a.Reasons = signal, reasons
	a.SignalName = store.SignalNames[signal]
	return nil
}

// gazetteer is Gazetteer, or the registry's own (its cities, their names and aliases, so that
// cities added after the bundled dataset are recognised and every reference is the
// registry's), built once per pass when an article needs it; the bundled world's for an
// empty registry.
func (p *Poller) gazetteer(ctx context.Context) (extract.Gazetteer, error) {
	if p.Gazetteer != nil {
		return p.Gazetteer, nil
	}
	p.gazMu.Lock()
	defer p.gazMu.Unlock()
	if p.passGaz != nil {
		return p.passGaz, nil
	}
	cities, err := p.DB.Cities.All(ctx)
	if err != nil {
		return nil, err
	}
	if len(cities) == 0 {
		g, err := extract.DefaultGazetteer()
		if err != nil {
			return nil, err
		}
		p.passGaz = g
		return g, nil
	}
	countries, err := p.DB.Countries(ctx)
	if err != nil {
		return nil, err
	}
	p.passGaz = extract.NewGazetteer(countries, cities)
	return p.passGaz, nil
}

// statusOrder is how far along its life an agreement is: news of an earlier step than the
// registry's is old news.
var statusOrder = map[string]int{
	twin.StatusProposed: 1, twin.StatusNegotiating: 2, twin.StatusSigned: 3,
	twin.StatusSuspended: 4, twin.StatusEnded: 5, twin.StatusRejected: 5,
}

// signals is what an article would add to the registry, each with its signal, and the
// strongest signal: agreements it reports and events under partnerships the registry knows.
func (p *Poller) signals(ctx context.Context, res *extract.Result) ([]store.Reason, int, error) {
	sg := &signaller{ctx: ctx, db: p.DB, reasons: []store.Reason{}, best: store.SignalNone,
		names: map[string]string{}, cities: map[string]*twin.City{}, partners: map[int64][]twin.Partner{}}
	for _, c := range res.Cities {
		sg.names[c.Ref()] = c.Names.Pick(res.Lang, "en", "fa")
	}
	if err := sg.agreements(res.Agreements); err != nil {
		return nil, 0, err
	}
	// Events between cities the registry already pairs: activities under a partnership.
	var all []string
	for _, c := range res.Cities {
		all = append(all, c.Ref())
	}
	if err := sg.events(res.Events, all); err != nil {
		return nil, 0, err
	}
	return sg.reasons, sg.best, nil
}

// signaller finds one article's signals, reading the registry's cities and partners once each.
type signaller struct {
	ctx      context.Context
	db       *store.DB
	reasons  []store.Reason
	best     int
	names    map[string]string // the article's cities' names, by ref
	cities   map[string]*twin.City
	partners map[int64][]twin.Partner
}

// add records a reason with signal s.
func (sg *signaller) add(r store.Reason, s int) {
	r.Signal = store.SignalNames[s]
	sg.reasons = append(sg.reasons, r)
	sg.best = max(sg.best, s)
}

// city is the registry's city ref names, or nil when there is none.
func (sg *signaller) city(ref string) (*twin.City, error) {
	if c, ok := sg.cities[ref]; ok {
		return c, nil
	}
	c, err := sg.db.City(sg.ctx, ref)
	if twin.ErrorCode(err) == twin.ENOTFOUND {
		c, err = nil, nil
	}
	sg.cities[ref] = c
	return c, err
}

// between is the registry's agreement between cities a and b, or nil.
func (sg *signaller) between(a, b *twin.City) (*twin.Agreement, error) {
	ps, ok := sg.partners[a.ID]
	if !ok {
		var err error
		if ps, err = sg.db.Partners(sg.ctx, a.ID); err != nil {
			return nil, err
		}
		sg.partners[a.ID] = ps
	}
	for _, pt := range ps {
		if pt.City.ID == b.ID {
			return pt.Agreement, nil
		}
	}
	return nil, nil
}

// known is the registry's agreement between the cities refs a and b name, or nil when there
// is none or either city is not in the registry.
func (sg *signaller) known(a, b string) (*twin.Agreement, error) {
	ca, err := sg.city(a)
	if err != nil {
		return nil, err
	}
	cb, err := sg.city(b)
	if err != nil {
		return nil, err
	}
	if ca == nil || cb == nil {
		return nil, nil
	}
	return sg.between(ca, cb)
}

// pairNames is the names of the cities refs name.
func (sg *signaller) pairNames(refs []string) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = sg.names[r]
	}
	return out
}

// agreements signals each agreement between two cities the article reports: new to the
// registry, a status further on than the registry's, or known.
func (sg *signaller) agreements(ags []extract.Agreement) error {
	for _, ag := range ags {
		if len(ag.Cities) != 2 {
			continue
		}
		status := ag.Status
		if ag.State == twin.StatusEnded {
			status = twin.StatusEnded
		}
		r := store.Reason{Cities: ag.Cities, Names: sg.pairNames(ag.Cities), Status: status}
		known, err := sg.known(ag.Cities[0], ag.Cities[1])
		if err != nil {
			return err
		}
		switch {
		case known == nil:
			sg.add(r, store.SignalNewAgreement)
		case statusOrder[status] > statusOrder[known.Status]:
			r.Was, r.Agreement = known.Status, known.ID
			sg.add(r, store.SignalStatusChange)
		default:
			r.Agreement = known.ID
			sg.add(r, store.SignalKnown)
		}
	}
	return nil
}

// events signals each event held between two of its cities (or of the article's, all, when
// it names fewer than two) that the registry pairs: the first such pair, once.
func (sg *signaller) events(evs []extract.Event, all []string) error {
	for _, ev := range evs {
		refs := ev.Cities
		if len(refs) < 2 {
			refs = all
		}
		found := false
		for i := 0; i < len(refs) && !found; i++ {
			for j := i + 1; j < len(refs) && !found; j++ {
				if refs[i] == refs[j] {
					continue
				}
				known, err := sg.known(refs[i], refs[j])
				if err != nil {
					return err
				}
				if known != nil {
					pair := []string{refs[i], refs[j]}
					sg.add(store.Reason{Cities: pair, Names: sg.pairNames(pair), Kind: ev.Kind, Agreement: known.ID}, store.SignalActivity)
					found = true
				}
			}
		}
	}
	return nil
}
