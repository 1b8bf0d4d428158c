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

func (p *Poller) signals(ctx context.Context, res *extract.Result) ([]store.Reason, int, error) {
	reasons := []store.Reason{}
	best := store.SignalNone
	add := func(r store.Reason, s int) {
		r.Signal = store.SignalNames[s]
		reasons = append(reasons, r)
		best = max(best, s)
	}
	names := map[string]string{}
	for _, c := range res.Cities {
		names[c.Ref()] = c.Names.Pick(res.Lang, "en", "fa")
	}
	cities := map[string]*twin.City{}
	city := func(ref string) (*twin.City, error) {
		if c, ok := cities[ref]; ok {
			return c, nil
		}
		c, err := p.DB.City(ctx, ref)
		if twin.ErrorCode(err) == twin.ENOTFOUND {
			c, err = nil, nil
		}
		cities[ref] = c
		return c, err
	}
	partners := map[int64][]twin.Partner{}
	between := func(a, b *twin.City) (*twin.Agreement, error) {
		ps, ok := partners[a.ID]
		if !ok {
			var err error
			if ps, err = p.DB.Partners(ctx, a.ID); err != nil {
				return nil, err
			}
			partners[a.ID] = ps
		}
		for _, pt := range ps {
			if pt.City.ID == b.ID {
				return pt.Agreement, nil
			}
		}
		return nil, nil
	}
	pairNames := func(refs []string) []string {
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = names[r]
		}
		return out
	}
	seenPair := map[[2]string]bool{}
	for _, ag := range res.Agreements {
		if len(ag.Cities) != 2 {
			continue
		}
		status := ag.Status
		if ag.State == twin.StatusEnded {
			status = twin.StatusEnded
		}
		r := store.Reason{Cities: ag.Cities, Names: pairNames(ag.Cities), Status: status}
		seenPair[[2]string{ag.Cities[0], ag.Cities[1]}] = true
		seenPair[[2]string{ag.Cities[1], ag.Cities[0]}] = true
		ca, err := city(ag.Cities[0])
		if err != nil {
			return nil, 0, err
		}
		cb, err := city(ag.Cities[1])
		if err != nil {
			return nil, 0, err
		}
		var known *twin.Agreement
		if ca != nil && cb != nil {
			if known, err = between(ca, cb); err != nil {
				return nil, 0, err
			}
		}
		switch {
		case known == nil:
			add(r, store.SignalNewAgreement)
		case statusOrder[status] > statusOrder[known.Status]:
			r.Was, r.Agreement = known.Status, known.ID
			add(r, store.SignalStatusChange)
		default:
			r.Agreement = known.ID
			add(r, store.SignalKnown)
		}
	}
	// Events between cities the registry already pairs: activities under a partnership.
	var all []string
	for _, c := range res.Cities {
		all = append(all, c.Ref())
	}
	for _, ev := range res.Events {
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
				ca, err := city(refs[i])
				if err != nil {
					return nil, 0, err
				}
				cb, err := city(refs[j])
				if err != nil {
					return nil, 0, err
				}
				if ca == nil || cb == nil {
					continue
				}
				known, err := between(ca, cb)
				if err != nil {
					return nil, 0, err
				}
				if known != nil {
					pair := []string{refs[i], refs[j]}
					add(store.Reason{Cities: pair, Names: pairNames(pair), Kind: ev.Kind, Agreement: known.ID}, store.SignalActivity)
					found = true
				}
			}
		}
	}
	return reasons, best, nil
}
